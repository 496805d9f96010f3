"""Who is calling: API tokens (``Authorization: Bearer rm_...``) or the browser session.

Writes need a token, or a session cookie plus the CSRF token (for pages of the site that
call the API). Reads are public; a caller who identifies themselves sees more (their own
unpublished titles, screeners, counterparties).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, SessionAuth
from ninja.throttling import SimpleRateThrottle

from reelmarket.accounts.services import api_token_authenticate

INVALID_TOKEN = "Invalid or revoked API token."  # noqa: S105 - a message, not a secret


class ApiTokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``. A token that is sent but not valid is a 401,
    never a silent fall-back to anonymous."""

    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        user = api_token_authenticate(key=token.strip())
        if user is None:
            raise AuthenticationError(message=INVALID_TOKEN)
        request.user = user
        return user


token_auth = ApiTokenAuth()
session_auth = SessionAuth(csrf=True)

WRITE_AUTH = [token_auth, session_auth]
"""Auth for writes: a token, else the session (with its CSRF check)."""


def _bearer(request: HttpRequest) -> str | None:
    value = request.headers.get("Authorization", "")
    scheme, _, key = value.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return key


def viewer(request: HttpRequest) -> Any:
    """The caller of a public read: the token's user, the session user, or anonymous.

    Raises ``AuthenticationError`` (401) when a bearer token is sent but is not valid.
    """
    auth = getattr(request, "auth", None)
    if auth is not None:
        return auth
    key = _bearer(request)
    if key is not None:
        user = api_token_authenticate(key=key.strip())
        if user is None:
            raise AuthenticationError(message=INVALID_TOKEN)
        return user
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user
    return AnonymousUser()


class WriteRateThrottle(SimpleRateThrottle):
    """Writes per authenticated user; the rate is read from ``API_WRITE_RATE`` on each
    request (so operators and tests can change it), e.g. ``"300/min"``."""

    scope = "api-write"

    def __init__(self) -> None:  # the rate is not fixed at import time
        self.rate = None

    def allow_request(self, request: HttpRequest) -> bool:
        self.rate = getattr(settings, "API_WRITE_RATE", "300/min") or None
        if self.rate is None:
            return True
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_cache_key(self, request: HttpRequest) -> str | None:
        user = getattr(request, "auth", None)
        if user is None or not getattr(user, "is_authenticated", False):
            return None
        return self.cache_format % {"scope": self.scope, "ident": user.pk}


write_throttle = WriteRateThrottle()

"""Accounts pages: log-in (rate-limited), sign-up, own profile, API tokens.

Thin: forms present fields, the services in ``accounts.services`` decide and write.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LogoutView
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from reelmarket.accounts import services
from reelmarket.accounts.forms import (
    LoginForm,
    ProfileForm,
    SignUpForm,
    TokenCreateForm,
    is_time_zone,
)
from reelmarket.accounts.models import ApiToken
from reelmarket.market.rules import participant_of
from reelmarket.market.selectors import current_edition
from reelmarket.web.middleware import TZ_COOKIE


def client_ip(request: HttpRequest) -> str:
    """The address the rate limit counts.

    Behind ``REELMARKET_TRUSTED_PROXY_HOPS`` proxies, the client is that many entries from
    the right of X-Forwarded-For (each proxy appends the address it saw); anything further
    left was written by the client and is not trusted.
    """
    hops = settings.TRUSTED_PROXY_HOPS
    if hops > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _next_url(request: HttpRequest) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _blocked_message() -> str:
    minutes = max(1, settings.LOGIN_RATE_WINDOW_SECONDS // 60)
    return ngettext(
        "Too many failed attempts; try again in %(minutes)d minute.",
        "Too many failed attempts; try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


def apply_errors(form: object, error: ValidationError) -> None:
    """Put a service's ValidationError on the form fields it names (else on the form)."""
    fields = getattr(form, "fields", {})
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in fields else None, errors)  # type: ignore[attr-defined]
    else:
        form.add_error(None, error.messages)  # type: ignore[attr-defined]


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    context = {"next": next_url, "blocked": False}
    if request.method != "POST":
        return render(request, "accounts/login.html", {**context, "form": LoginForm()})
    form = LoginForm(request.POST)
    if not form.is_valid():
        return render(request, "accounts/login.html", {**context, "form": form})
    username = form.cleaned_data["email"].strip().lower()
    ip = client_ip(request)
    if services.login_is_blocked(username=username, client_ip=ip):
        # The password is not even looked at while blocked.
        form = LoginForm(initial={"email": username})
        context.update(form=form, blocked=True, blocked_message=_blocked_message())
        return render(request, "accounts/login.html", context, status=429)
    user = authenticate(request, username=username, password=form.cleaned_data["password"])
    if user is None:
        services.login_failed(username=username, client_ip=ip)
        form.add_error(None, _("The e-mail address or the password is not right."))
        return render(request, "accounts/login.html", {**context, "form": form})
    services.login_succeeded(username=username, client_ip=ip)
    login(request, user)
    return redirect(_next_url(request))


logout_view = LogoutView.as_view()


def _default_time_zone(request: HttpRequest) -> str:
    cookie = request.COOKIES.get(TZ_COOKIE, "")
    if is_time_zone(cookie):
        return cookie
    edition = current_edition()
    return edition.time_zone if edition is not None else "UTC"


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def signup_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    edition = current_edition()
    if request.method != "POST":
        form = SignUpForm(initial={"time_zone": _default_time_zone(request)})
        return render(request, "accounts/signup.html", {"form": form, "edition": edition})
    form = SignUpForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        organisation = data["organisation"]
        try:
            participant = services.participant_sign_up(
                email=data["email"],
                password=data["password"],
                display_name=data["display_name"],
                country=data["country"],
                time_zone=data["time_zone"],
                roles=list(data["roles"]),
                organisation_id=organisation.pk if organisation is not None else None,
                attendance=data["attendance"],
            )
        except services.EmailTaken:
            form.add_error(
                "email",
                _("An account with this e-mail address exists already. Log in instead."),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            login(request, participant.user, backend="django.contrib.auth.backends.ModelBackend")
            if organisation is not None:
                messages.info(
                    request,
                    _(
                        "The organisers will confirm that you work for %(organisation)s; "
                        "then you can act for it, for example edit its catalogue."
                    )
                    % {"organisation": organisation.name},
                )
            if edition is not None:
                messages.success(
                    request,
                    _(
                        "Welcome! Your registration for %(edition)s waits for the organisers' "
                        "review; until then some pages (screeners, meetings) stay closed."
                    )
                    % {"edition": edition.name},
                )
            else:
                messages.success(request, _("Welcome! Your account is ready."))
            return redirect("accounts:profile")
    return render(request, "accounts/signup.html", {"form": form, "edition": edition})


_PROFILE_FIELDS = sorted(services.PROFILE_FIELDS)


@login_required
@require_http_methods(["GET", "POST"])
def profile_view(request: HttpRequest) -> HttpResponse:
    participant = participant_of(request.user)
    if participant is None:
        raise Http404(_("This account has no participant profile."))
    own_roles = participant.role_set
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.participant_profile_update(
                    actor=request.user,
                    participant=participant,
                    values={f: data[f] for f in _PROFILE_FIELDS},
                    roles=list(data["roles"]),
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Your profile is saved."))
                return redirect("accounts:profile")
    else:
        initial = {f: getattr(participant, f) for f in _PROFILE_FIELDS}
        initial["roles"] = sorted(own_roles - {"organiser"})
        form = ProfileForm(initial=initial)
    registrations = participant.registrations.select_related("edition").order_by(
        "-edition__starts_on"
    )
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "participant": participant,
            "is_organiser_role": "organiser" in own_roles,
            "registrations": registrations,
        },
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def tokens_view(request: HttpRequest) -> HttpResponse:
    new_key = ""
    form = TokenCreateForm()
    if request.method == "POST":
        if "revoke" in request.POST:
            try:
                token_id = int(request.POST["revoke"])
            except ValueError:
                raise Http404 from None
            # Someone else's token is as good as no token: 404, nothing revoked.
            token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
            services.api_token_revoke(token=token)
            messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
            return redirect("accounts:tokens")
        form = TokenCreateForm(request.POST)
        if form.is_valid():
            token, new_key = services.api_token_create(
                user=request.user, name=form.cleaned_data["name"]
            )
            form = TokenCreateForm()
    tokens = ApiToken.objects.filter(user=request.user).order_by("-created_at", "-pk")
    return render(
        request, "accounts/tokens.html", {"form": form, "tokens": tokens, "new_key": new_key}
    )

"""Accounts: sign-up, API tokens and the log-in rate limit."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from reelmarket.accounts.models import ApiToken
from reelmarket.market.models import Participant, ParticipantRole

TOKEN_PREFIX = "rm_"


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def api_token_create(*, user: AbstractBaseUser, name: str) -> tuple[ApiToken, str]:
    """Create a token; returns the row and the clear key, which is never stored."""
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, prefix=key[:10], key_hash=_hash(key))
    return token, key


def api_token_authenticate(*, key: str) -> AbstractBaseUser | None:
    if not key.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_hash(key), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


def api_token_revoke(*, token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


@transaction.atomic
def participant_sign_up(
    *,
    email: str,
    password: str,
    display_name: str,
    country: str,
    time_zone: str,
    roles: list[str],
    organisation_id: int | None = None,
) -> Participant:
    """A new account with its participant profile; organiser is never self-assigned."""
    user_model = get_user_model()
    user = user_model.objects.create_user(
        username=email.lower(), email=email.lower(), password=password
    )
    participant = Participant.objects.create(
        user=user,
        display_name=display_name,
        country=country,
        time_zone=time_zone,
        organisation_id=organisation_id,
    )
    ParticipantRole.objects.bulk_create(
        [ParticipantRole(participant=participant, role=r) for r in sorted(set(roles))]
    )
    return participant


# --- log-in rate limit -------------------------------------------------------------------


def _keys(*, username: str, client_ip: str) -> list[str]:
    user_key = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
    return [f"login-fail:user:{user_key}", f"login-fail:ip:{client_ip}"]


# One address may fail more often than one account: offices and hotels share addresses.
IP_LIMIT_FACTOR = 4


def login_is_blocked(*, username: str, client_ip: str) -> bool:
    user_key, ip_key = _keys(username=username, client_ip=client_ip)
    limit = settings.LOGIN_RATE_LIMIT
    return (cache.get(user_key) or 0) >= limit or (
        cache.get(ip_key) or 0
    ) >= limit * IP_LIMIT_FACTOR


def login_failed(*, username: str, client_ip: str) -> None:
    window = settings.LOGIN_RATE_WINDOW_SECONDS
    for key in _keys(username=username, client_ip=client_ip):
        if not cache.add(key, 1, timeout=window):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.add(key, 1, timeout=window)


def login_succeeded(*, username: str, client_ip: str) -> None:
    cache.delete(_keys(username=username, client_ip=client_ip)[0])

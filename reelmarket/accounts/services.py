"""Accounts: sign-up, API tokens and the log-in rate limit."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reelmarket.accounts.models import ApiToken
from reelmarket.catalogue.avails.territories import is_territory_code
from reelmarket.catalogue.enums import Genre, MediaChoices, TitleKind
from reelmarket.market.enums import Attendance, Role, Vetting
from reelmarket.market.models import Participant, ParticipantRole, Registration
from reelmarket.market.rules import is_organiser
from reelmarket.market.selectors import current_edition
from reelmarket.market.validators import validate_language_tag

TOKEN_PREFIX = "rm_"  # noqa: S105 - a public marker, not a secret


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


# Roles anybody may give themselves; organiser is granted in the back office only.
SELF_ASSIGNABLE_ROLES: tuple[str, ...] = tuple(r for r in Role.values if r != Role.ORGANISER)


class EmailTaken(ValueError):
    """An account with this e-mail address exists already."""


def _check_roles(roles: Iterable[str]) -> list[str]:
    wanted = sorted(set(roles))
    if Role.ORGANISER in wanted:
        raise PermissionDenied("The organiser role cannot be self-assigned.")
    unknown = [r for r in wanted if r not in Role.values]
    if unknown:
        raise ValidationError({"roles": _("Unknown role: %(role)s") % {"role": unknown[0]}})
    return wanted


def participant_sign_up(
    *,
    email: str,
    password: str,
    display_name: str,
    country: str,
    time_zone: str,
    roles: list[str],
    organisation_id: int | None = None,
    attendance: str = Attendance.IN_PERSON,
) -> Participant:
    """A new account with its participant profile and a registration for the current
    edition, pending the organisers' vetting. Organiser is never self-assigned.

    Raises ``EmailTaken`` when the address has an account and Django's ``ValidationError``
    keyed by field (``password``, ``country``, ``time_zone`` ...) for bad values; nothing is
    written then.
    """
    username = email.strip().lower()
    wanted = _check_roles(roles)
    user_model = get_user_model()
    errors: dict[str, list[str]] = {}
    try:
        validate_password(password, user=user_model(username=username, email=username))
    except ValidationError as exc:
        errors["password"] = exc.messages
    profile = Participant(
        display_name=display_name,
        country=country,
        time_zone=time_zone,
        organisation_id=organisation_id,
    )
    try:
        profile.full_clean(exclude=["user"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if attendance not in Attendance.values:
        errors["attendance"] = [str(_("Unknown kind of attendance."))]
    if errors:
        raise ValidationError(errors)
    if user_model.objects.filter(username=username).exists():
        raise EmailTaken(username)
    try:
        with transaction.atomic():
            user = user_model.objects.create_user(
                username=username, email=username, password=password
            )
            profile.user = user
            profile.save()
            participant = profile
            ParticipantRole.objects.bulk_create(
                [ParticipantRole(participant=participant, role=r) for r in wanted]
            )
            edition = current_edition()
            if edition is not None:
                Registration.objects.create(
                    edition=edition,
                    participant=participant,
                    attendance=attendance,
                    vetting=Vetting.PENDING,
                )
    except IntegrityError as exc:  # two sign-ups with one address at the same moment
        if user_model.objects.filter(username=username).exists():
            raise EmailTaken(username) from exc
        raise
    return participant


# Profile fields a participant edits on their own profile page (organisation and vetting
# are the organisers' business).
PROFILE_FIELDS: frozenset[str] = frozenset(
    {
        "display_name",
        "job_title",
        "country",
        "time_zone",
        "languages",
        "bio",
        "phone",
        "content_kinds",
        "genres",
        "territories",
        "media",
        "budget_range",
        "profile_visibility",
        "contact_visibility",
        "interests_visibility",
    }
)


def _check_profile_lists(participant: Participant) -> None:
    errors: dict[str, Any] = {}
    for tag in participant.languages:
        try:
            validate_language_tag(tag)
        except ValidationError as exc:
            errors.setdefault("languages", []).extend(exc.messages)
    bad_genres = [g for g in participant.genres if g not in Genre.values]
    if bad_genres:
        errors["genres"] = _("Unknown genre: %(value)s") % {"value": bad_genres[0]}
    bad_kinds = [k for k in participant.content_kinds if k not in TitleKind.values]
    if bad_kinds:
        errors["content_kinds"] = _("Unknown content type: %(value)s") % {"value": bad_kinds[0]}
    bad_media = [m for m in participant.media if m not in MediaChoices.values]
    if bad_media:
        errors["media"] = _("Unknown media: %(value)s") % {"value": bad_media[0]}
    bad_territories = [t for t in participant.territories if not is_territory_code(t)]
    if bad_territories:
        errors["territories"] = _("Unknown territory: %(value)s") % {"value": bad_territories[0]}
    if errors:
        raise ValidationError(errors)


def participant_profile_update(
    *,
    actor: Any,
    participant: Participant,
    values: Mapping[str, Any],
    roles: Iterable[str] | None = None,
) -> Participant:
    """Change a participant's own profile (or any, for organisers).

    ``roles`` replaces the self-assignable roles; an organiser role already held is kept
    and can neither be added nor removed here. Raises ``PermissionDenied`` for someone
    else's profile and Django's ``ValidationError`` (keyed by field) for bad values;
    nothing is written then.
    """
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied("Log in to change a profile.")
    if actor.pk != participant.user_id and not is_organiser(actor):
        raise PermissionDenied("You may only change your own profile.")
    unknown = set(values) - PROFILE_FIELDS
    if unknown:
        raise ValueError(f"not profile fields: {sorted(unknown)}")
    wanted = _check_roles(roles) if roles is not None else None
    for field, value in values.items():
        setattr(participant, field, value)
    participant.full_clean(exclude=["user", "organisation"])
    _check_profile_lists(participant)
    with transaction.atomic():
        participant.save()
        if wanted is not None:
            participant.roles.exclude(role=Role.ORGANISER).exclude(role__in=wanted).delete()
            held = set(participant.roles.values_list("role", flat=True))
            ParticipantRole.objects.bulk_create(
                [ParticipantRole(participant=participant, role=r) for r in wanted if r not in held]
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

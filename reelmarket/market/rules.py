"""Who may do what in the market. Views, the API and the CLI ask these predicates."""

from __future__ import annotations

from typing import Any

from reelmarket.market.enums import Role, Vetting, Visibility


def participant_of(user: Any) -> Any | None:
    """The user's participant profile, or None (anonymous users, bare admin accounts)."""
    if user is None or not user.is_authenticated:
        return None
    try:
        return user.participant
    except Exception:  # RelatedObjectDoesNotExist
        return None


def works_for(user: Any, organisation_id: int | None) -> bool:
    """The user is confirmed staff of the organisation (claiming it at sign-up is not enough)."""
    participant = participant_of(user)
    return (
        participant is not None
        and organisation_id is not None
        and participant.organisation_id == organisation_id
        and participant.organisation_confirmed
    )


def has_role(user: Any, role: Role) -> bool:
    participant = participant_of(user)
    if participant is None:
        return False
    return participant.roles.filter(role=role).exists()


def is_organiser(user: Any) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return bool(user.is_staff) or has_role(user, Role.ORGANISER)


def is_vetted_for(user: Any, edition: Any) -> bool:
    participant = participant_of(user)
    if participant is None or edition is None:
        return False
    return participant.registrations.filter(edition=edition, vetting=Vetting.APPROVED).exists()


def may_see(viewer: Any, *, owner: Any, level: str) -> bool:
    """Whether ``viewer`` may see a part of ``owner``'s profile shown at ``level``."""
    if level == Visibility.PUBLIC:
        return True
    if viewer is None or not viewer.is_authenticated:
        return False
    if owner is not None and viewer.pk == owner.user_id:
        return True
    if is_organiser(viewer):
        return True
    return level == Visibility.PARTICIPANTS and participant_of(viewer) is not None

"""Who may do what with catalogue titles."""

from __future__ import annotations

from typing import Any

from reelmarket.market.enums import Role
from reelmarket.market.rules import (
    has_role,
    is_organiser,
    is_vetted_for,
    participant_of,
    works_for,
)


def may_edit_for_organisation(user: Any, organisation_id: int | None) -> bool:
    """Organisers edit any title; a seller edits their own organisation's titles only."""
    if is_organiser(user):
        return True
    return works_for(user, organisation_id) and has_role(user, Role.SELLER)


def may_edit_title(user: Any, title: Any) -> bool:
    return may_edit_for_organisation(user, title.owner_id)


def editable_organisation_id(user: Any) -> int | None:
    """The organisation whose catalogue a seller manages (None when they manage none)."""
    participant = participant_of(user)
    if participant is None or participant.organisation_id is None:
        return None
    return (
        participant.organisation_id
        if may_edit_for_organisation(user, participant.organisation_id)
        else None
    )


def may_see_screener(user: Any, title: Any, edition: Any) -> bool:
    """Screeners: owner staff, organisers and buyers vetted for the edition."""
    if may_edit_title(user, title):
        return True
    participant = participant_of(user)
    if participant is None:
        return False
    return participant.roles.filter(role=Role.BUYER).exists() and is_vetted_for(user, edition)


def is_owner_staff(user: Any, title: Any) -> bool:
    """The user is confirmed staff of the organisation that owns the title (any role)."""
    return works_for(user, title.owner_id)


def may_see_rights_details(user: Any, title: Any) -> bool:
    """Who rights are sold to or held for, and the notes on them: owner staff, organisers."""
    return is_organiser(user) or is_owner_staff(user, title)


def may_view_title(user: Any, title: Any) -> bool:
    """Published titles are public; unpublished ones only for owner staff and organisers."""
    return bool(title.is_published) or may_see_rights_details(user, title)


def may_save_title(user: Any, title: Any) -> bool:
    """Saving a title ("my list") is for participants who may see it, except the title's own
    company (its catalogue is theirs already) and organisers: saves are buyer behaviour the
    recommender learns from, and neither kind of save says anything about a buyer's taste.
    Visits to a title page are recorded for the same people."""
    if participant_of(user) is None or not may_view_title(user, title):
        return False
    return not is_owner_staff(user, title) and not is_organiser(user)

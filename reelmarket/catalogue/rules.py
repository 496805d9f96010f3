"""Who may do what with catalogue titles."""

from __future__ import annotations

from typing import Any

from reelmarket.market.enums import Role
from reelmarket.market.rules import is_organiser, is_vetted_for, participant_of


def may_edit_for_organisation(user: Any, organisation_id: int | None) -> bool:
    """Organisers edit any title; a seller edits their own organisation's titles only."""
    if is_organiser(user):
        return True
    participant = participant_of(user)
    if participant is None or organisation_id is None:
        return False
    return (
        participant.organisation_id == organisation_id
        and participant.roles.filter(role=Role.SELLER).exists()
    )


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

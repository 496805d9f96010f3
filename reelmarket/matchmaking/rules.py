"""Who may see and do what with suggestions. Views, the API, services and tasks ask these."""

from __future__ import annotations

from typing import Any

from reelmarket.catalogue.rules import may_edit_title
from reelmarket.market.enums import Role
from reelmarket.market.rules import is_organiser, may_see, participant_of


def roles_of(participant: Any) -> set[str]:
    return {r.role for r in participant.roles.all()} if participant is not None else set()


def may_have_suggestions(user: Any) -> bool:
    """Every participant has a "For you" page (what it holds depends on their roles)."""
    return participant_of(user) is not None


def may_see_buyers_for(user: Any, title: Any) -> bool:
    """The buyers to meet for a title: its owner's sellers (they edit it) and organisers."""
    return may_edit_title(user, title)


def may_recompute_all(user: Any) -> bool:
    return is_organiser(user)


def may_see_interests(viewer_user: Any, person: Any) -> bool:
    """Whether reasons may cite ``person``'s stated interests to ``viewer_user``."""
    return may_see(viewer_user, owner=person, level=person.interests_visibility) and may_see(
        viewer_user, owner=person, level=person.profile_visibility
    )


def may_be_suggested(viewer_user: Any, person: Any) -> bool:
    """A person is suggested only to viewers who may see their profile in the directory."""
    return may_see(viewer_user, owner=person, level=person.profile_visibility)


def is_buyer(participant: Any) -> bool:
    return Role.BUYER in roles_of(participant)


def is_seller(participant: Any) -> bool:
    return Role.SELLER in roles_of(participant)

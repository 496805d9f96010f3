"""Who may act on meeting requests and meetings. Views, the API and services ask these."""

from __future__ import annotations

from typing import Any

from reelmarket.market.rules import is_organiser, participant_of, works_for


def is_requester_side(user: Any, request: Any) -> bool:
    participant = participant_of(user)
    return participant is not None and participant.pk == request.requester_id


def is_recipient_side(user: Any, request: Any) -> bool:
    """The target person, the counterpart, or confirmed staff of the target company."""
    participant = participant_of(user)
    if participant is None:
        return False
    if participant.pk in (request.target_person_id, request.counterpart_id):
        return True
    return request.target_organisation_id is not None and works_for(
        user, request.target_organisation_id
    )


def may_answer_request(user: Any, request: Any) -> bool:
    """Accept or decline: the recipient side, or an organiser."""
    return is_organiser(user) or is_recipient_side(user, request)


def may_act_on_request(user: Any, request: Any) -> bool:
    """Cancel, book, reschedule, check in: either side, or an organiser."""
    return (
        is_organiser(user) or is_requester_side(user, request) or is_recipient_side(user, request)
    )


def may_view_request(user: Any, request: Any) -> bool:
    return may_act_on_request(user, request)


def may_manage_participant(user: Any, participant: Any) -> bool:
    """Availability, working hours, calendar feed: the person themselves or an organiser."""
    if is_organiser(user):
        return True
    me = participant_of(user)
    return me is not None and me.pk == participant.pk


def may_manage_grid(user: Any) -> bool:
    return is_organiser(user)

"""Who may do what with Producers Connect sessions. Views, the API and services ask these.

* Organisers set up sessions, open and close registration, build and publish the rotation,
  see every registration, seat, score and feedback.
* Signed-in participants see sessions once registration has opened (drafts are the
  organisers'); they register themselves (a producer with a project they own or work on,
  a partner with an investor profile), say "no thanks" to counterparts, see their own
  rounds once published, and leave feedback on their own meetings.
* The round sheets (who sits where) are for the organisers and the session's registered
  people once published: the same sheets are pinned up in the room. Scores and reasons are
  never on them.
* What a person sees of a counterpart follows the financing rules: a project's figures
  only when ``may_see_project``, an investor's criteria only when ``may_see_investor_profile``.
"""

from __future__ import annotations

from typing import Any

from reelmarket.financing import rules as financing_rules
from reelmarket.financing.enums_connect import SessionState
from reelmarket.market.rules import is_organiser, participant_of


def may_manage_sessions(user: Any) -> bool:
    return is_organiser(user)


def may_see_session(user: Any, session: Any) -> bool:
    if is_organiser(user):
        return True
    return participant_of(user) is not None and session.state != SessionState.DRAFT


def registration_of(user: Any, session: Any) -> Any | None:
    """The user's registration in ``session``, or None."""
    participant = participant_of(user)
    if participant is None:
        return None
    return session.registrations.filter(participant=participant).first()


def may_register_with(participant: Any, project: Any) -> bool:
    """A producer brings a project they own or work on (confirmed staff of its company)."""
    user = participant.user
    return financing_rules.is_owner(user, project) or financing_rules.is_colleague(user, project)


def may_act_for(user: Any, participant: Any) -> bool:
    """Register, withdraw, say no thanks: the person themselves, or an organiser."""
    if is_organiser(user):
        return True
    me = participant_of(user)
    return me is not None and me.pk == participant.pk


def may_see_sheets(user: Any, session: Any) -> bool:
    if is_organiser(user):
        return True
    return session.state == SessionState.PUBLISHED and registration_of(user, session) is not None


def is_seat_side(user: Any, seat: Any) -> bool:
    """The producer or the partner of the seat."""
    me = participant_of(user)
    if me is None:
        return False
    return me.pk in (seat.producer.participant_id, seat.partner.participant_id)


def may_see_project_figures(user: Any, project: Any) -> bool:
    return is_organiser(user) or financing_rules.may_see_project(user, project)


def may_see_partner_criteria(user: Any, profile: Any) -> bool:
    return is_organiser(user) or financing_rules.may_see_investor_profile(user, profile)

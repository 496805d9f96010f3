"""Who may do what after selection: see a dossier, ask to meet a project, run the
programme, the one-on-one grid, the awards and the dashboards.

Financiers who may say "I want to meet" a selected project: participants with the
investor role or an investor profile (financiers, funds, foundations, sales agents,
distributors), and producers (who come to the forum looking for co-productions). Never
the project's own applicant or confirmed staff of its company.
"""

from __future__ import annotations

from typing import Any

from reelmarket.market.enums import Role
from reelmarket.market.rules import is_organiser, participant_of
from reelmarket.pitching.enums import SubmissionState
from reelmarket.pitching.rules import is_applicant

__all__ = [
    "is_financier",
    "is_organiser",
    "is_project_side",
    "may_manage_after",
    "may_see_dossier",
    "may_wish",
]

WISH_ROLES = frozenset({Role.INVESTOR, Role.PRODUCER})


def may_manage_after(user: Any) -> bool:
    """Sessions, the grid from wishes, awards, dashboards: the organisers."""
    return is_organiser(user)


def may_see_dossier(user: Any, submission: Any) -> bool:
    """A selected project's dossier is public; before that only its applicant and the
    organisers may preview it (the page says it is not public)."""
    if submission.state == SubmissionState.SELECTED:
        return True
    return is_applicant(user, submission) or is_organiser(user)


def is_financier(user: Any) -> bool:
    participant = participant_of(user)
    if participant is None:
        return False
    if participant.roles.filter(role__in=WISH_ROLES).exists():
        return True
    return hasattr(participant, "investor_profile")


def is_project_side(user: Any, submission: Any) -> bool:
    """The applicant, or confirmed staff of the submitting company."""
    participant = participant_of(user)
    if participant is None:
        return False
    if participant.pk == submission.applicant_id:
        return True
    return (
        submission.organisation_id is not None
        and participant.organisation_confirmed
        and participant.organisation_id == submission.organisation_id
    )


def may_wish(user: Any, submission: Any) -> bool:
    """Say "I want to meet" this project (registration is checked by the service, which
    says why it refuses)."""
    return (
        submission.state == SubmissionState.SELECTED
        and is_financier(user)
        and not is_project_side(user, submission)
    )

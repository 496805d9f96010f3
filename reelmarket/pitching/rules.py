"""Who may do what in the pitch forum's calls and submissions.

Who may apply: any signed-in person with a participant profile. Pitch forums take
applications from producers who are not (yet) registered for the market, and the
"producer" role is a self-declared label, so neither market vetting nor the role is
required; the organisers judge the applications. A submission belongs to its applicant
(the participant who created it): only they edit a draft, submit or withdraw it; the
organisers see everything and make the jury's moves (shortlist, select, reject).

The jury's predicates live in ``rules_review``.
"""

from __future__ import annotations

from typing import Any

from reelmarket.market.rules import is_organiser, participant_of
from reelmarket.pitching.enums import LOCKED_STATES

__all__ = [
    "is_applicant",
    "is_organiser",
    "may_apply",
    "may_edit_submission",
    "may_see_submission",
    "may_withdraw_submission",
]


def may_apply(user: Any) -> bool:
    """Start a submission: any signed-in participant."""
    return participant_of(user) is not None


def is_applicant(user: Any, submission: Any) -> bool:
    participant = participant_of(user)
    return participant is not None and participant.pk == submission.applicant_id


def may_edit_submission(user: Any, submission: Any) -> bool:
    """Change texts, project, poster or screeners: the applicant, while it is a draft."""
    return submission.state not in LOCKED_STATES and is_applicant(user, submission)


def may_withdraw_submission(user: Any, submission: Any) -> bool:
    return is_applicant(user, submission)


def may_see_submission(user: Any, submission: Any) -> bool:
    """The whole submission with its status history: the applicant and the organisers."""
    return is_applicant(user, submission) or is_organiser(user)

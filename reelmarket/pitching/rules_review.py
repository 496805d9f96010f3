"""Who may do what in the jury review of a call.

* The organisers run the review: reviewers, conflicts, assignment, the ranking, the lock
  and the selection. They may also read any review (read-only: a review is the reviewer's).
* A reviewer sees and scores only the submissions assigned to them, and declares their
  own conflicts of interest from their list. A reviewer who was removed from the jury
  (``active=False``) keeps read access to what they scored but can no longer change it.
* Nobody else — applicants included — sees a review, a score or the ranking.
"""

from __future__ import annotations

from typing import Any

from reelmarket.market.rules import is_organiser, participant_of
from reelmarket.pitching.models import Reviewer

__all__ = [
    "is_assigned_reviewer",
    "is_organiser",
    "may_change_review",
    "may_declare_conflict",
    "may_manage_review",
    "may_read_review",
    "reads_anonymised",
    "reviewer_seat",
    "sits_on_a_jury",
]


def reviewer_seat(user: Any, call: Any) -> Any | None:
    """The user's reviewer row in ``call`` (active or not), or None."""
    participant = participant_of(user)
    if participant is None:
        return None
    return Reviewer.objects.filter(call=call, participant=participant).first()


def may_manage_review(user: Any, call: Any = None) -> bool:
    """Reviewers, conflicts, assignment, ranking, lock, selection: the organisers."""
    return is_organiser(user)


def is_assigned_reviewer(user: Any, assignment: Any) -> bool:
    participant = participant_of(user)
    return participant is not None and assignment.reviewer.participant_id == participant.pk


def may_read_review(user: Any, assignment: Any) -> bool:
    """The assigned reviewer, or an organiser."""
    return is_assigned_reviewer(user, assignment) or is_organiser(user)


def reads_anonymised(user: Any, assignment: Any) -> bool:
    """Whether ``user`` reads the submission without the applicant's identity: everyone in
    an anonymised call — the assigned reviewer always, even if they are also an organiser —
    except organisers reading someone else's review."""
    if not assignment.submission.call.anonymised_review:
        return False
    return is_assigned_reviewer(user, assignment) or not is_organiser(user)


def sits_on_a_jury(user: Any) -> bool:
    """An active reviewer of some call (for the "Reviews" navigation link)."""
    participant = participant_of(user)
    return (
        participant is not None
        and Reviewer.objects.filter(participant=participant, active=True).exists()
    )


def may_declare_conflict(user: Any, reviewer: Any) -> bool:
    """For themselves: the reviewer (while active); for any reviewer: an organiser."""
    if is_organiser(user):
        return True
    participant = participant_of(user)
    return participant is not None and reviewer.participant_id == participant.pk and reviewer.active


def may_change_review(user: Any, assignment: Any) -> bool:
    """Score, comment, complete, reopen, declare a conflict: the assigned reviewer only,
    while they are an active member of the jury (the lock is checked by the service)."""
    return is_assigned_reviewer(user, assignment) and assignment.reviewer.active

"""Writes of the jury review: the jury, conflicts of interest, the automatic assignment,
scoring, the ranking lock, and decisions taken from the ranking.

Every public function is keyword-only, checks who acts, and is one transaction.

The ranking lock (``Call.review_locked_at``)
    Reviewers may save drafts, complete, and reopen a completed review (to change it) until
    an organiser locks the ranking. Locked, nothing that moves the ranking can change: no
    scoring, reopening, declaring conflicts or re-assigning. Organisers may unlock (the
    jury's work resumes where it was). Individual decisions (shortlist, select, reject) are
    the organisers' judgement and are allowed at any time; selecting the top N of a section
    in one go needs the lock, so the list the organiser selects from is the one they saw.

Races
    The assignment locks the call row, so two runs queue and the second only adds what is
    still missing; ``assignment_once`` and ``score_once`` are the database's guarantee
    behind that. Saving a review locks its assignment row.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from reelmarket.market.models import Organisation, Participant
from reelmarket.pitching import selectors_review as selectors
from reelmarket.pitching import tasks_review
from reelmarket.pitching.assignment import (
    AssignmentError,
    ReviewerSeat,
    ReviewTask,
    assign_reviewers,
)
from reelmarket.pitching.enums import SubmissionState
from reelmarket.pitching.errors import PitchError, PitchForbidden
from reelmarket.pitching.models import (
    Call,
    Conflict,
    Criterion,
    ReviewAssignment,
    Reviewer,
    Score,
    Section,
    Submission,
)
from reelmarket.pitching.rules_review import (
    may_change_review,
    may_declare_conflict,
    may_manage_review,
)
from reelmarket.pitching.services import submission_transition

S = SubmissionState


class AssignmentImpossible(PitchError):
    """The assignment cannot give every submission k reviewers: ``reasons`` maps each
    submission that cannot be served to why, in words."""

    def __init__(self, message: str, *, reasons: Mapping[int, str]) -> None:
        self.reasons = {k: str(v) for k, v in reasons.items()}
        super().__init__(
            "assignment_impossible",
            message,
            messages=list(self.reasons.values()) or [message],
            fields={f"submissions.{k}": [v] for k, v in self.reasons.items()},
        )


def _organiser(actor: Any) -> None:
    if not may_manage_review(actor):
        raise PitchForbidden(_("Only the organisers run the jury review."))


def _not_locked(call: Call) -> None:
    if call.review_locked_at is not None:
        raise PitchError(
            "review_locked",
            _("The ranking of %(call)s is locked: reviews can no longer change.")
            % {"call": call.name},
        )


def _locked_call(call_id: int) -> Call:
    return Call.objects.select_for_update().get(pk=call_id)


# ---- the jury -------------------------------------------------------------------------------


def reviewer_add(
    *, actor: Any, call: Call, participant: Participant, capacity: int | None = None
) -> Reviewer:
    """Add a participant to the call's jury (a removed reviewer comes back)."""
    _organiser(actor)
    if capacity is not None and capacity < 1:
        raise PitchError(
            "bad_capacity",
            _("A reviewer's capacity is at least 1 (leave it empty for an even share)."),
            fields={"capacity": [_("Enter a whole number of at least 1, or leave it empty.")]},
        )
    with transaction.atomic():
        _locked_call(call.pk)
        seat = Reviewer.objects.filter(call=call, participant=participant).first()
        if seat is not None and seat.active:
            raise PitchError(
                "already_reviewer",
                _("%(name)s is already a reviewer of %(call)s.")
                % {"name": participant.display_name, "call": call.name},
                fields={"email": [_("Already a reviewer of this call.")]},
            )
        if seat is None:
            seat = Reviewer(call=call, participant=participant)
        seat.active, seat.capacity = True, capacity
        seat.save()
    return seat


def reviewer_update(*, actor: Any, reviewer: Reviewer, capacity: int | None) -> Reviewer:
    _organiser(actor)
    if capacity is not None and capacity < 1:
        raise PitchError(
            "bad_capacity",
            _("A reviewer's capacity is at least 1 (leave it empty for an even share)."),
            fields={"capacity": [_("Enter a whole number of at least 1, or leave it empty.")]},
        )
    with transaction.atomic():
        _locked_call(reviewer.call_id)
        Reviewer.objects.filter(pk=reviewer.pk).update(capacity=capacity)
    reviewer.capacity = capacity
    return reviewer


@dataclass(frozen=True)
class RemoveOutcome:
    deleted: bool  # True: the reviewer had scored nothing and is gone
    released: int  # unstarted assignments given back (run the assignment to refill)


def reviewer_remove(*, actor: Any, reviewer: Reviewer) -> RemoveOutcome:
    """Take a reviewer off the jury. Their unstarted assignments are released; if they
    scored something, they stay as an inactive reviewer so their scores keep counting."""
    _organiser(actor)
    with transaction.atomic():
        call = _locked_call(reviewer.call_id)
        _not_locked(call)
        assignments = ReviewAssignment.objects.filter(reviewer=reviewer).annotate(
            n_scores=Count("scores")
        )
        started = [a.pk for a in assignments if a.n_scores or a.completed_at]
        unstarted = [a.pk for a in assignments if a.pk not in started]
        ReviewAssignment.objects.filter(pk__in=unstarted).delete()
        if started:
            Reviewer.objects.filter(pk=reviewer.pk).update(active=False)
            reviewer.active = False
            return RemoveOutcome(deleted=False, released=len(unstarted))
        Reviewer.objects.filter(pk=reviewer.pk).delete()
        return RemoveOutcome(deleted=True, released=len(unstarted))


# ---- conflicts of interest ------------------------------------------------------------------


@dataclass(frozen=True)
class ConflictOutcome:
    conflict: Conflict
    removed: int  # assignments taken away because of it


def conflict_declare(
    *,
    actor: Any,
    reviewer: Reviewer,
    submission: Submission | None = None,
    organisation: Organisation | None = None,
    note: str = "",
) -> ConflictOutcome:
    """Record a conflict of interest of ``reviewer`` with a submission or a company.

    An organiser may declare one for any reviewer; a reviewer for themselves. Assignments
    that the conflict touches are taken away at once (their scores too: a conflicted review
    must not count); the organisers then run the assignment again to refill.
    """
    if (submission is None) == (organisation is None):
        raise PitchError(
            "bad_conflict",
            _("Choose either a submission or a company."),
            fields={"submission": [_("Choose either a submission or a company.")]},
        )
    if not may_declare_conflict(actor, reviewer):
        raise PitchForbidden(_("You may declare conflicts of interest for yourself only."))
    with transaction.atomic():
        call = _locked_call(reviewer.call_id)
        _not_locked(call)
        if submission is not None and submission.call_id != call.pk:
            raise PitchError(
                "bad_conflict",
                _("That submission is not in %(call)s.") % {"call": call.name},
                fields={"submission": [_("Not a submission of this call.")]},
            )
        duplicate = Conflict.objects.filter(
            reviewer=reviewer, submission=submission, organisation=organisation
        ).first()
        conflict = duplicate or Conflict.objects.create(
            reviewer=reviewer, submission=submission, organisation=organisation, note=note[:200]
        )
        conflicted = {s for (s, r) in selectors.conflict_matrix(call=call) if r == reviewer.pk}
        touched = ReviewAssignment.objects.filter(reviewer=reviewer, submission_id__in=conflicted)
        removed = touched.count()
        touched.delete()
    return ConflictOutcome(conflict=conflict, removed=removed)


def conflict_remove(*, actor: Any, conflict: Conflict) -> None:
    _organiser(actor)
    with transaction.atomic():
        _locked_call(conflict.reviewer.call_id)
        Conflict.objects.filter(pk=conflict.pk).delete()


# ---- the automatic assignment ---------------------------------------------------------------


@dataclass(frozen=True)
class AssignOutcome:
    submissions: int
    created: int
    kept: int
    removed: int
    loads: dict[int, int] = field(default_factory=dict)  # reviewer id -> assignments


def _reasons(
    *,
    failing: list[int],
    subs: Mapping[int, Submission],
    active: set[int],
    conflicts: Mapping[tuple[int, int], str],
    k: int,
) -> dict[int, str]:
    reasons = {}
    for pk in failing:
        free = [r for r in active if (pk, r) not in conflicts]
        if len(free) < k:
            reason = ngettext(
                "only %(free)d reviewer has no conflict of interest with it (%(k)d needed)",
                "only %(free)d reviewers have no conflict of interest with it (%(k)d needed)",
                len(free),
            ) % {"free": len(free), "k": k}
        else:
            reason = _("the reviewers without a conflict have no capacity left")
        sub = subs.get(pk)
        if sub is None:
            name = f"#{pk}"
        else:
            name = _("“%(title)s” (%(section)s)") % {
                "title": sub.project.title,
                "section": sub.section.name,
            }
        reasons[pk] = _("%(submission)s: %(reason)s") % {"submission": name, "reason": reason}
    return reasons


def review_assign(
    *, actor: Any, call: Call, rebalance: bool = False, seed: int = 0
) -> AssignOutcome:
    """Give every submitted or shortlisted submission ``call.reviewers_per_submission``
    reviewers: loads even (within ±1 among reviewers whose capacity does not bind), never a
    conflict of interest.

    Existing assignments are kept, so running it again after new submissions only adds
    what is missing. With ``rebalance`` only the started ones (a score or completed) are
    kept and the unstarted ones are dealt again — for when reviewers joined late.
    Assignments that now conflict, or belong to a removed reviewer and are unstarted, are
    taken away. All or nothing: when some submission cannot get its reviewers, nothing is
    written and ``AssignmentImpossible`` says which and why.
    """
    _organiser(actor)
    with transaction.atomic():
        call = _locked_call(call.pk)
        _not_locked(call)
        k = call.reviewers_per_submission
        subs = {
            s.pk: s
            for s in selectors.assignable_submissions(call=call).select_related(
                "project", "section"
            )
        }
        reviewers = list(Reviewer.objects.filter(call=call).order_by("pk"))
        active = {r.pk for r in reviewers if r.active}
        conflicts = selectors.conflict_matrix(call=call, submissions=subs.values())
        existing = list(
            ReviewAssignment.objects.filter(submission_id__in=subs)
            .annotate(n_scores=Count("scores"))
            .order_by("pk")
        )
        kept: dict[int, set[int]] = defaultdict(set)
        unstarted: dict[int, list[ReviewAssignment]] = defaultdict(list)
        drop: list[int] = []
        for a in existing:
            started = bool(a.n_scores or a.completed_at)
            if (a.submission_id, a.reviewer_id) in conflicts or (
                not started and (rebalance or a.reviewer_id not in active)
            ):
                drop.append(a.pk)
                continue
            kept[a.submission_id].add(a.reviewer_id)
            if not started:
                unstarted[a.submission_id].append(a)
        for pk, reviewer_ids in kept.items():
            # k was lowered: unstarted extras go (started work is never dropped; the
            # assignment module keeps a submission with more than k as it is).
            while len(reviewer_ids) > k and unstarted[pk]:
                extra = unstarted[pk].pop()
                reviewer_ids.discard(extra.reviewer_id)
                drop.append(extra.pk)
        tasks = [
            ReviewTask(
                submission=pk,
                conflicts=frozenset(r for r in active if (pk, r) in conflicts),
                keep=frozenset(kept.get(pk, ())),
            )
            for pk in sorted(subs)
        ]
        # Removed reviewers with started work take part only through what they keep.
        seats = []
        for r in reviewers:
            if r.active:
                seats.append(ReviewerSeat(reviewer=r.pk, capacity=r.capacity))
                continue
            held = sum(1 for t in tasks if r.pk in t.keep)
            if held:
                seats.append(ReviewerSeat(reviewer=r.pk, capacity=held))
        if tasks and not active:
            raise AssignmentImpossible(
                _("Add reviewers to %(call)s before assigning.") % {"call": call.name},
                reasons={},
            )
        result: Mapping[int, tuple[int, ...]] = {}
        if tasks:
            try:
                result = assign_reviewers(tasks=tasks, reviewers=seats, k=k, seed=seed)
            except AssignmentError as exc:
                failing = sorted(set(exc.submissions)) or [t.submission for t in tasks]
                reasons = _reasons(
                    failing=failing, subs=subs, active=active, conflicts=conflicts, k=k
                )
                raise AssignmentImpossible(
                    ngettext(
                        "%(n)d submission cannot get %(k)d reviewers; nothing was assigned.",
                        "%(n)d submissions cannot get %(k)d reviewers; nothing was assigned.",
                        len(reasons),
                    )
                    % {"n": len(reasons), "k": k},
                    reasons=reasons,
                ) from None
        ReviewAssignment.objects.filter(pk__in=drop).delete()
        new = [
            ReviewAssignment(submission_id=pk, reviewer_id=r)
            for pk, chosen in sorted(result.items())
            for r in chosen
            if r not in kept.get(pk, ())
        ]
        for a in new:  # the pure module's promise, checked where it matters
            if (a.submission_id, a.reviewer_id) in conflicts:
                raise AssertionError(f"conflicting assignment {a.submission_id}/{a.reviewer_id}")
        ReviewAssignment.objects.bulk_create(new)
        per_reviewer: dict[int, int] = defaultdict(int)
        for a in new:
            per_reviewer[a.reviewer_id] += 1
        tasks_review.announce_new_reviews(counts=dict(per_reviewer))
        loads = dict(
            ReviewAssignment.objects.filter(submission_id__in=subs)
            .values_list("reviewer_id")
            .annotate(n=Count("pk"))
        )
    return AssignOutcome(
        submissions=len(subs),
        created=len(new),
        kept=sum(len(rs) for rs in kept.values()),
        removed=len(drop),
        loads=loads,
    )


# ---- scoring --------------------------------------------------------------------------------


def _lock_assignment(assignment: ReviewAssignment) -> tuple[ReviewAssignment, Call]:
    locked = (
        ReviewAssignment.objects.select_for_update(of=("self",))
        .select_related("reviewer", "submission__call")
        .get(pk=assignment.pk)
    )
    return locked, locked.submission.call


def _check_reviewer(actor: Any, locked: ReviewAssignment, call: Call) -> None:
    if not may_change_review(actor, locked):
        raise PitchForbidden(_("Only the assigned reviewer may change this review."))
    _not_locked(call)
    if locked.submission.state not in selectors.REVIEWED_STATES:
        raise PitchError(
            "not_reviewable",
            _("This submission was withdrawn; it no longer needs a review."),
        )


def _valid_scores(
    scores: Mapping[int, Any], criteria: Mapping[int, Criterion], *, complete: bool
) -> dict[int, int]:
    """Checked values; ``PitchError("bad_scores")`` with ``fields`` ``score_<criterion id>``
    (the form's field names) listing every problem."""
    problems: dict[str, list[str]] = {}
    clean: dict[int, int] = {}
    for key, value in scores.items():
        criterion = criteria.get(key) if isinstance(key, int) else None
        if criterion is None:
            problems[f"score_{key}"] = [_("There is no such criterion in this call's rubric.")]
            continue
        if value is None or value == "":
            continue
        if isinstance(value, bool) or not isinstance(value, int):
            problems[f"score_{key}"] = [
                _("%(criterion)s: enter a whole number from 0 to %(max)d.")
                % {"criterion": criterion.name, "max": criterion.scale_max}
            ]
        elif not 0 <= value <= criterion.scale_max:
            problems[f"score_{key}"] = [
                _("%(criterion)s: %(value)d is outside the scale 0 to %(max)d.")
                % {"criterion": criterion.name, "value": value, "max": criterion.scale_max}
            ]
        else:
            clean[key] = value
    if complete and not problems:
        if not criteria:
            raise PitchError("no_rubric", _("This call has no rubric yet: nothing to score."))
        for pk, criterion in criteria.items():
            if pk not in clean:
                problems[f"score_{pk}"] = [
                    _("%(criterion)s: a score is needed to complete the review.")
                    % {"criterion": criterion.name}
                ]
    if problems:
        messages = [m for msgs in problems.values() for m in msgs]
        raise PitchError("bad_scores", messages[0], messages=messages, fields=problems)
    return clean


def review_save(
    *,
    actor: Any,
    assignment: ReviewAssignment,
    scores: Mapping[int, Any],
    comment: str = "",
    complete: bool = False,
    now: datetime | None = None,
) -> ReviewAssignment:
    """Save the reviewer's scores (``criterion id -> 0..scale_max``, empty = not scored
    yet) and comment; they replace what was saved. ``complete`` needs every criterion.

    A completed review is read-only until it is reopened (``review_reopen``).
    """
    with transaction.atomic():
        locked, call = _lock_assignment(assignment)
        _check_reviewer(actor, locked, call)
        if locked.completed_at is not None:
            raise PitchError(
                "review_completed",
                _("This review is completed; reopen it to change it."),
            )
        criteria = {c.pk: c for c in Criterion.objects.filter(call=call)}
        clean = _valid_scores(scores, criteria, complete=complete)
        Score.objects.filter(assignment=locked).exclude(criterion_id__in=clean).delete()
        current = {s.criterion_id: s for s in Score.objects.filter(assignment=locked)}
        changed = []
        for criterion_id, value in clean.items():
            score = current.get(criterion_id)
            if score is None:
                Score.objects.create(assignment=locked, criterion_id=criterion_id, value=value)
            elif score.value != value:
                score.value = value
                changed.append(score)
        Score.objects.bulk_update(changed, ["value"])
        locked.comment = (comment or "").strip()[:10000]
        locked.completed_at = (now or timezone.now()) if complete else None
        locked.save(update_fields=["comment", "completed_at"])
    return locked


def review_reopen(*, actor: Any, assignment: ReviewAssignment) -> ReviewAssignment:
    """Make a completed review editable again (until the ranking is locked)."""
    with transaction.atomic():
        locked, call = _lock_assignment(assignment)
        _check_reviewer(actor, locked, call)
        if locked.completed_at is not None:
            locked.completed_at = None
            locked.save(update_fields=["completed_at"])
    return locked


# ---- the lock and the decisions -------------------------------------------------------------


def ranking_lock(*, actor: Any, call: Call, locked: bool, now: datetime | None = None) -> Call:
    """Lock (or unlock) the ranking: see the module docstring."""
    _organiser(actor)
    with transaction.atomic():
        fresh = _locked_call(call.pk)
        if locked and fresh.review_locked_at is None:
            fresh.review_locked_at = now or timezone.now()
        elif not locked:
            fresh.review_locked_at = None
        fresh.save(update_fields=["review_locked_at"])
    return fresh


DECISION_STATES = frozenset({S.SHORTLISTED, S.SELECTED, S.REJECTED})


def submission_decide(
    *, actor: Any, submission: Submission, to_state: str, note: str = ""
) -> Submission:
    """Shortlist, select or reject from the ranking, through the submission state machine.
    Selecting a submission that is only submitted shortlists it first (two audit rows)."""
    _organiser(actor)
    if to_state not in DECISION_STATES:
        raise PitchError("invalid_state", _("“%(state)s” is not a decision.") % {"state": to_state})
    with transaction.atomic():
        if to_state == S.SELECTED and submission.state == S.SUBMITTED:
            submission = submission_transition(
                actor=actor, submission=submission, to_state=S.SHORTLISTED, note=note
            )
        return submission_transition(
            actor=actor, submission=submission, to_state=to_state, note=note
        )


def section_select_top(*, actor: Any, section: Section, count: int) -> list[Submission]:
    """Select the ``count`` best-ranked submissions of the section that are not decided
    yet, within the section's places. All or nothing; the ranking must be locked."""
    _organiser(actor)
    if count < 1:
        raise PitchError(
            "bad_count",
            _("Select at least one submission."),
            fields={"count": [_("Enter a whole number of at least 1.")]},
        )
    with transaction.atomic():
        call = _locked_call(section.call_id)
        if call.review_locked_at is None:
            raise PitchError(
                "ranking_not_locked",
                _("Lock the ranking first, so that it cannot change while you select."),
            )
        section = Section.objects.select_for_update().get(pk=section.pk)
        table = next(s for s in selectors.ranking(call=call).sections if s.section.pk == section.pk)
        left = table.places_left
        if left is not None and count > left:
            raise PitchError(
                "section_full",
                _(
                    "%(section)s has %(places)d places and %(taken)d are taken: "
                    "at most %(left)d more can be selected."
                )
                % {
                    "section": section.name,
                    "places": section.max_selected,
                    "taken": table.selected,
                    "left": left,
                },
                fields={"count": [_("At most %(left)d.") % {"left": left}]},
            )
        open_rows = [
            r
            for r in table.rows
            if r.rank is not None and r.submission.state in (S.SUBMITTED, S.SHORTLISTED)
        ]
        if len(open_rows) < count:
            raise PitchError(
                "not_enough_ranked",
                _("Only %(n)d ranked submissions of %(section)s are still to be decided.")
                % {"n": len(open_rows), "section": section.name},
                fields={"count": [_("At most %(n)d.") % {"n": len(open_rows)}]},
            )
        return [
            submission_decide(actor=actor, submission=row.submission, to_state=S.SELECTED)
            for row in open_rows[:count]
        ]

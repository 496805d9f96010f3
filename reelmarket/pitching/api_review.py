"""JSON API of the jury review, under /api/v1/pitch/review/.

Reviewers: their assignments, one assignment's dossier (anonymised when the call says so)
with the rubric, scoring (draft or complete) and reopening. Organisers: running the
assignment and reading the ranking. Everything is personal, so every endpoint needs a token
(or the session with its CSRF token). Thin: the same selectors and services as the pages.

Errors keep the API's one shape. A refused review rule answers with its own ``code``:
422 for input that can never work (``bad_scores``: ``fields`` has ``body.scores.<criterion
id>``), 409 for the state of things (``review_locked``, ``review_completed``,
``assignment_impossible``: ``fields`` has ``submissions.<id>`` with the reason).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any, ParamSpec, TypeVar

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema

from reelmarket.api.auth import WRITE_AUTH, write_throttle
from reelmarket.api.errors import ApiError, responses
from reelmarket.market.rules import participant_of
from reelmarket.pitching import selectors_review as selectors
from reelmarket.pitching import services_review as services
from reelmarket.pitching.errors import PitchError, PitchForbidden
from reelmarket.pitching.models import Call, ReviewAssignment, Reviewer
from reelmarket.pitching.rules_review import (
    may_change_review,
    may_manage_review,
    may_read_review,
    reads_anonymised,
)

router = Router(tags=["Pitch forum: jury review"], auth=WRITE_AUTH)

MAX_ID = 2**63 - 1
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
_WRITE: dict[str, Any] = {"throttle": [write_throttle]}

UNPROCESSABLE = frozenset({"bad_scores", "no_rubric", "invalid_state", "bad_count"})

P = ParamSpec("P")
R = TypeVar("R")


def review_errors(view: Callable[P, R]) -> Callable[P, R]:
    """A refused review rule in the API's error shape (403 / 409 / 422, the rule's code)."""

    @functools.wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return view(*args, **kwargs)
        except PitchForbidden as exc:
            raise PermissionDenied(exc.message) from None
        except PitchError as exc:
            status = 422 if exc.code in UNPROCESSABLE else 409
            fields = {
                (f"body.scores.{name[6:]}" if name.startswith("score_") else name): msgs
                for name, msgs in exc.fields.items()
            }
            raise ApiError(status, exc.message, fields=fields, code=exc.code) from None  # type: ignore[arg-type]

    return wrapped


# ---- schemas --------------------------------------------------------------------------------


class CriterionOut(Schema):
    id: int
    name: str
    description: str
    weight: float
    scale_max: int


class TextOut(Schema):
    field: str
    label: str
    en: str
    zh: str


class SourceOut(Schema):
    kind: str
    name: str | None = Field(description="Not given in an anonymised review.")
    amount: str | None
    secured: bool
    status: str


class DossierOut(Schema):
    submission_id: int
    title: str
    section: str
    kind: str
    stage: str
    genres: list[str]
    runtime_minutes: int | None
    episodes: int | None
    countries: list[str]
    anonymised: bool
    texts: list[TextOut]
    hidden_texts: list[str] = Field(description="Texts left out of an anonymised review.")
    currency: str
    budget: str | None
    secured: str | None
    gap: str | None
    sources: list[SourceOut]
    screeners: list[str]
    poster_url: str
    applicant: str | None = Field(description="null in an anonymised review.")
    company: str | None
    producer: str | None
    team: list[list[str]] = Field(description="[name, role] pairs; empty when anonymised.")


class AssignmentOut(Schema):
    id: int
    call_id: int
    submission_id: int
    title: str
    section: str
    status: str = Field(description="not_started, in_progress or completed.")
    scored: int
    criteria: int
    completed_at: datetime | None


class MyAssignmentsOut(Schema):
    done: int
    total: int
    items: list[AssignmentOut]


class ReviewOut(Schema):
    id: int
    editable: bool = Field(description="The caller may change it now.")
    completed_at: datetime | None
    locked: bool = Field(description="The organisers locked the ranking.")
    comment: str
    scores: dict[int, int] = Field(description="Criterion id -> score.")
    rubric: list[CriterionOut]
    dossier: DossierOut


class ReviewIn(Schema):
    scores: dict[int, int | None] = Field(
        default_factory=dict,
        description="Criterion id -> 0..scale_max (null: not scored yet). Replaces the saved "
        "scores: criteria left out are cleared.",
    )
    comment: str = Field("", max_length=10000)
    complete: bool = Field(False, description="Complete the review (every criterion scored).")


class AssignIn(Schema):
    rebalance: bool = Field(False, description="Deal the unstarted reviews again.")


class AssignOut(Schema):
    submissions: int
    created: int
    kept: int
    removed: int
    loads: dict[int, int] = Field(description="Reviewer id -> assignments.")


class ReviewTotalOut(Schema):
    reviewer_id: int
    reviewer: str
    total: float


class RankRowOut(Schema):
    submission_id: int
    title: str
    applicant: str
    state: str
    rank: int | None
    raw: float | None
    normalised: float | None
    spread: float | None
    reviews_done: int
    reviews_expected: int
    totals: list[ReviewTotalOut]


class SectionRankingOut(Schema):
    section_id: int
    name: str
    places: int | None
    selected: int
    rows: list[RankRowOut]


class RankingOut(Schema):
    call_id: int
    normalised: bool
    locked: bool
    reviews: int
    sections: list[SectionRankingOut]


class RankingQuery(Schema):
    normalise: bool = True


class MineQuery(Schema):
    call_id: int | None = Field(None, ge=1, le=MAX_ID)


# ---- helpers --------------------------------------------------------------------------------


def _assignment(pk: int) -> ReviewAssignment:
    return get_object_or_404(
        ReviewAssignment.objects.select_related(
            "reviewer__participant", "submission__call", "submission__section"
        ),
        pk=pk,
    )


def _money(value: Any) -> str | None:
    return None if value is None else str(value)


def _dossier(d: selectors.Dossier) -> dict[str, Any]:
    return {
        "submission_id": d.submission_id,
        "title": d.title,
        "section": d.section,
        "kind": d.kind,
        "stage": d.stage,
        "genres": d.genres,
        "runtime_minutes": d.runtime_minutes,
        "episodes": d.episodes,
        "countries": d.countries,
        "anonymised": d.anonymised,
        "texts": [t.__dict__ for t in d.texts],
        "hidden_texts": d.hidden_texts,
        "currency": d.money.currency,
        "budget": _money(d.money.budget),
        "secured": _money(d.money.secured),
        "gap": _money(d.money.gap),
        "sources": [
            {
                "kind": s.kind,
                "name": s.name,
                "amount": _money(s.amount),
                "secured": s.secured,
                "status": s.status,
            }
            for s in d.money.sources
        ],
        "screeners": d.screeners,
        "poster_url": d.poster_url,
        "applicant": d.applicant,
        "company": d.company,
        "producer": d.producer,
        "team": [list(pair) for pair in d.team],
    }


def _review(request: HttpRequest, assignment: ReviewAssignment) -> dict[str, Any]:
    call = assignment.submission.call
    is_reviewer = may_change_review(request.auth, assignment)
    return {
        "id": assignment.pk,
        "editable": is_reviewer
        and assignment.completed_at is None
        and call.review_locked_at is None,
        "completed_at": assignment.completed_at,
        "locked": call.review_locked_at is not None,
        "comment": assignment.comment,
        "scores": selectors.scores_of(assignment=assignment),
        "rubric": [
            {
                "id": c.pk,
                "name": c.name,
                "description": c.description,
                "weight": float(c.weight),
                "scale_max": c.scale_max,
            }
            for c in selectors.rubric(call=call)
        ],
        "dossier": _dossier(
            selectors.review_dossier(
                assignment=assignment, anonymised=reads_anonymised(request.auth, assignment)
            )
        ),
    }


def _organiser_call(request: HttpRequest, call_id: int) -> Call:
    call = get_object_or_404(Call, pk=call_id)
    if not may_manage_review(request.auth):
        raise PermissionDenied(_("Only the organisers run the jury review."))
    return call


# ---- reviewers ------------------------------------------------------------------------------


@router.get(
    "/pitch/review/assignments",
    response=responses({200: MyAssignmentsOut}, 401),
    summary="My review assignments",
)
def list_my_reviews(request: HttpRequest, query: Query[MineQuery]) -> dict[str, Any]:
    """The caller's assignments (all their calls, or one), unfinished first."""
    me = participant_of(request.auth)
    seats = Reviewer.objects.filter(participant=me) if me is not None else Reviewer.objects.none()
    if query.call_id is not None:
        seats = seats.filter(call_id=query.call_id)
    rows = [
        row for seat in seats.order_by("pk") for row in selectors.my_reviews(reviewer=seat).rows
    ]
    return {
        "done": sum(1 for r in rows if r.assignment.completed_at),
        "total": len(rows),
        "items": [
            {
                "id": r.assignment.pk,
                "call_id": r.assignment.submission.call_id,
                "submission_id": r.assignment.submission_id,
                "title": r.assignment.submission.project.title,
                "section": r.assignment.submission.section.name,
                "status": r.status,
                "scored": r.scored,
                "criteria": r.criteria,
                "completed_at": r.assignment.completed_at,
            }
            for r in rows
        ],
    }


@router.get(
    "/pitch/review/assignments/{assignment_id}",
    response=responses({200: ReviewOut}, 401, 403, 404),
    summary="One review: the dossier, the rubric, the saved scores",
)
def get_review(request: HttpRequest, assignment_id: Id) -> dict[str, Any]:
    assignment = _assignment(assignment_id)
    if not may_read_review(request.auth, assignment):
        raise PermissionDenied(_("This review is not assigned to you."))
    return _review(request, assignment)


@router.put(
    "/pitch/review/assignments/{assignment_id}",
    response=responses({200: ReviewOut}, 401, 403, 404, 409),
    summary="Score a submission (draft or complete)",
    **_WRITE,
)
@review_errors
def save_review(request: HttpRequest, assignment_id: Id, payload: ReviewIn) -> dict[str, Any]:
    assignment = _assignment(assignment_id)
    if not may_read_review(request.auth, assignment):
        raise PermissionDenied(_("This review is not assigned to you."))
    services.review_save(
        actor=request.auth,
        assignment=assignment,
        scores=payload.scores,
        comment=payload.comment,
        complete=payload.complete,
    )
    return _review(request, _assignment(assignment_id))


@router.post(
    "/pitch/review/assignments/{assignment_id}/reopen",
    response=responses({200: ReviewOut}, 401, 403, 404, 409),
    summary="Reopen a completed review",
    **_WRITE,
)
@review_errors
def reopen_review(request: HttpRequest, assignment_id: Id) -> dict[str, Any]:
    assignment = _assignment(assignment_id)
    if not may_read_review(request.auth, assignment):
        raise PermissionDenied(_("This review is not assigned to you."))
    services.review_reopen(actor=request.auth, assignment=assignment)
    return _review(request, _assignment(assignment_id))


# ---- organisers -----------------------------------------------------------------------------


@router.post(
    "/pitch/review/calls/{call_id}/assign",
    response=responses({200: AssignOut}, 401, 403, 404, 409),
    summary="Assign reviewers automatically",
    **_WRITE,
)
@review_errors
def assign_call_reviewers(request: HttpRequest, call_id: Id, payload: AssignIn) -> dict[str, Any]:
    """k reviewers per submitted or shortlisted submission, even loads, no conflict.
    Existing assignments are kept; all or nothing (409 ``assignment_impossible``)."""
    call = _organiser_call(request, call_id)
    outcome = services.review_assign(actor=request.auth, call=call, rebalance=payload.rebalance)
    return outcome.__dict__


@router.get(
    "/pitch/review/calls/{call_id}/ranking",
    response=responses({200: RankingOut}, 401, 403, 404),
    summary="The ranking per section",
)
def get_review_ranking(
    request: HttpRequest, call_id: Id, query: Query[RankingQuery]
) -> dict[str, Any]:
    call = _organiser_call(request, call_id)
    ranking = selectors.ranking(call=call, normalise=query.normalise)
    return {
        "call_id": call.pk,
        "normalised": ranking.normalised,
        "locked": call.review_locked_at is not None,
        "reviews": ranking.reviews,
        "sections": [
            {
                "section_id": table.section.pk,
                "name": table.section.name,
                "places": table.places,
                "selected": table.selected,
                "rows": [
                    {
                        "submission_id": row.submission.pk,
                        "title": row.submission.project.title,
                        "applicant": row.submission.applicant.display_name,
                        "state": row.submission.state,
                        "rank": row.rank,
                        "raw": row.raw,
                        "normalised": row.normalised,
                        "spread": row.spread,
                        "reviews_done": row.reviews_done,
                        "reviews_expected": row.reviews_expected,
                        "totals": [
                            {"reviewer_id": t.reviewer_id, "reviewer": t.reviewer, "total": t.total}
                            for t in row.totals
                        ],
                    }
                    for row in table.rows
                ],
            }
            for table in ranking.sections
        ],
    }

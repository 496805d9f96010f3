"""Matchmaking endpoints of the JSON API: the viewer's suggestions with their reasons,
feedback, a meeting request from a suggestion, and the organisers' batch recompute.

Everything is personal, so every endpoint needs a token (or the session with its CSRF
token). Thin: ``selectors`` read, ``services`` write (the same functions the pages call).
Errors keep the API's one shape; a refused rule answers 409 (or 422 when the input can never
work) with the rule's own ``code``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any, ParamSpec, TypeVar

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema, Status

from reelmarket.api.auth import WRITE_AUTH, write_throttle
from reelmarket.api.errors import ApiError, responses
from reelmarket.catalogue.models import Title
from reelmarket.financing.models import Project
from reelmarket.market.models import Participant
from reelmarket.market.rules import participant_of
from reelmarket.matchmaking import selectors, services
from reelmarket.matchmaking.enums import TargetKind, Verdict
from reelmarket.matchmaking.errors import MatchError
from reelmarket.matchmaking.models import RecomputeRun, StatedInterest, Suggestion
from reelmarket.matchmaking.reasons import annotate
from reelmarket.matchmaking.rules import may_recompute_all
from reelmarket.meetings.errors import MeetingError

router = Router(tags=["matchmaking"], auth=WRITE_AUTH)

MAX_ID = 2**63 - 1
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
_WRITE: dict[str, Any] = {"throttle": [write_throttle]}

UNPROCESSABLE = frozenset(
    {
        "bad_target",
        "bad_verdict",
        "bad_interest",
        "target_not_registered",
        "company_not_attending",
    }
)

P = ParamSpec("P")
R = TypeVar("R")


def rule_errors(view: Callable[P, R]) -> Callable[P, R]:
    """A refused matchmaking or meeting rule in the API's error shape (404/409/422)."""

    @functools.wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return view(*args, **kwargs)
        except (MatchError, MeetingError) as exc:
            if exc.code == "not_found":
                raise ApiError(404, exc.message) from None
            status = 422 if exc.code in UNPROCESSABLE else 409
            raise ApiError(status, exc.message, code=exc.code) from None  # type: ignore[arg-type]

    return wrapped


# --- schemas ---------------------------------------------------------------------------------


class ReasonOut(Schema):
    code: str = Field(description="rights_available, genre, interest, taste, ticket_fits_gap …")
    points: float = Field(description="What this component adds to the score.")
    params: dict[str, Any]
    private: bool = Field(False, description="Details hidden: about interests you may not see.")


class TargetOut(Schema):
    title_id: int | None
    title: str | None
    person_id: int | None
    person: str | None
    organisation: str | None
    project_id: int | None
    project: str | None
    title_ids: list[int] = Field(description="Titles a meeting request would name.")


class SuggestionOut(Schema):
    id: int
    kind: str
    rank: int
    score: float
    target: TargetOut
    reasons: list[ReasonOut] = Field(description="Every component, largest first.")
    top_reasons: list[str] = Field(description="The card's reasons in words.")
    feedback: str = Field(description="Your earlier answer, or empty.")
    computed_at: datetime


class SuggestionsQuery(Schema):
    kind: TargetKind | None = None
    limit: int = Field(20, ge=1, le=100)


class FeedbackIn(Schema):
    kind: TargetKind
    verdict: Verdict
    title_id: int | None = Field(None, ge=1, le=MAX_ID)
    person_id: int | None = Field(None, ge=1, le=MAX_ID)
    project_id: int | None = Field(None, ge=1, le=MAX_ID)


class FeedbackOut(Schema):
    id: int
    kind: str
    key: str
    verdict: str
    updated_at: datetime


class MeetingIn(Schema):
    message: str = Field("", max_length=2000)


class MeetingOut(Schema):
    request_id: int
    state: str
    target_person_id: int | None
    target_organisation: str | None
    title_ids: list[int]


class RunOut(Schema):
    id: int
    status: str
    viewers_total: int
    viewers_done: int
    percent: int
    suggestions: int
    error: str
    created_at: datetime
    finished_at: datetime | None


def _me(request: HttpRequest) -> Participant:
    me = participant_of(request.auth)
    if me is None:
        raise ApiError(403, "Only participants have suggestions.")
    return me


def _suggestion_out(card: selectors.Card) -> dict[str, Any]:
    s = card.suggestion
    texts = list(card.texts)
    person = s.person
    if s.kind == TargetKind.PROJECT and s.project is not None:
        person = s.project.owner
    return {
        "id": s.pk,
        "kind": s.kind,
        "rank": s.rank,
        "score": s.score,
        "target": {
            "title_id": s.title_id,
            "title": s.title.original_title if s.title_id else None,
            "person_id": person.pk if person is not None else None,
            "person": person.display_name if person is not None else None,
            "organisation": (
                person.organisation.name
                if person is not None and person.organisation_id
                else (s.title.owner.name if s.title_id else None)
            ),
            "project_id": s.project_id,
            "project": s.project.title if s.project_id else None,
            "title_ids": [t.pk for t in card.titles] or ([s.title_id] if s.title_id else []),
        },
        "reasons": [
            {
                "code": r["code"],
                "points": r["points"],
                "params": r.get("params") or {},
                "private": bool(r.get("private")),
            }
            for r in card.reasons
        ],
        "top_reasons": texts,
        "feedback": card.verdict,
        "computed_at": s.computed_at,
    }


# --- endpoints -------------------------------------------------------------------------------


@router.get(
    "/matchmaking/suggestions",
    response=responses({200: list[SuggestionOut]}, 401, 403),
    summary="My suggestions",
)
def list_suggestions(request: HttpRequest, params: Query[SuggestionsQuery]) -> list[dict[str, Any]]:
    """Your suggestions, best first within each kind (titles for buyers, buyers per title
    for sellers, people to meet, projects for investors, financiers for producers). The
    first call computes them when none are stored yet. ``limit`` applies per kind."""
    me = _me(request)
    kinds = selectors.kinds_for(me)
    if params.kind is not None:
        kinds = [k for k in kinds if k == params.kind]
    if kinds and not Suggestion.objects.filter(viewer=me).exists():
        services.recompute_for(participant=me)
    by_kind = selectors.cards_for(viewer=me, user=request.auth, kinds=kinds, limit=params.limit)
    cards = [card for kind in kinds for card in by_kind.get(kind, [])]
    annotate(cards)
    return [_suggestion_out(card) for card in cards]


@router.post(
    "/matchmaking/feedback",
    response=responses({201: FeedbackOut}, 401, 403, 404, 409, 429),
    summary="Answer a suggestion",
    **_WRITE,
)
@rule_errors
def give_feedback(request: HttpRequest, payload: FeedbackIn) -> Status:
    """``not_interested`` / ``more_like_this`` / ``no_thanks`` on a target: ``title_id``
    (kind ``title``), ``person_id`` + ``title_id`` (``buyer``), ``person_id`` (``meeting``),
    ``project_id`` (``project``), ``person_id`` + ``project_id`` (``financier``). Applied at
    once: the next ``GET /matchmaking/suggestions`` reflects it. "No thanks" also blocks the
    pair for meetings this edition."""
    _me(request)
    targets: dict[str, Any] = {}
    for name, model, value in (
        ("title", Title, payload.title_id),
        ("person", Participant, payload.person_id),
        ("project", Project, payload.project_id),
    ):
        targets[name] = None
        if value is not None:
            targets[name] = model.objects.filter(pk=value).first()
            if targets[name] is None:
                raise ApiError(404, f"No such {name}.", fields={f"body.{name}_id": ["Not found."]})
    feedback = services.feedback_give(
        actor=request.auth, kind=payload.kind, verdict=payload.verdict, **targets
    )
    return Status(
        201,
        {
            "id": feedback.pk,
            "kind": feedback.kind,
            "key": feedback.key,
            "verdict": feedback.verdict,
            "updated_at": feedback.updated_at,
        },
    )


@router.post(
    "/matchmaking/suggestions/{suggestion_id}/meeting-request",
    response=responses({201: MeetingOut}, 401, 403, 404, 409, 429),
    summary="Request a meeting from a suggestion",
    **_WRITE,
)
@rule_errors
def request_meeting(request: HttpRequest, suggestion_id: Id, payload: MeetingIn) -> Status:
    """One call: a meeting request to the suggested person (or the title's company) naming
    the suggested titles. The meeting rules apply (quota, "no thanks", registration)."""
    me = _me(request)
    try:
        suggestion = selectors.suggestion_of(viewer=me, pk=suggestion_id)
    except Suggestion.DoesNotExist:
        raise ApiError(404, "No such suggestion.") from None
    created = services.suggestion_request_meeting(
        actor=request.auth, suggestion=suggestion, message=payload.message
    )
    return Status(
        201,
        {
            "request_id": created.pk,
            "state": created.state,
            "target_person_id": created.target_person_id,
            "target_organisation": (
                created.target_organisation.slug if created.target_organisation_id else None
            ),
            "title_ids": sorted(created.titles.values_list("pk", flat=True)),
        },
    )


def _run_out(run: RecomputeRun) -> dict[str, Any]:
    return {
        "id": run.pk,
        "status": run.status,
        "viewers_total": run.viewers_total,
        "viewers_done": run.viewers_done,
        "percent": run.percent,
        "suggestions": run.suggestions,
        "error": run.error,
        "created_at": run.created_at,
        "finished_at": run.finished_at,
    }


@router.post(
    "/matchmaking/recompute",
    response=responses({202: RunOut}, 401, 403, 409, 429),
    summary="Recompute every suggestion (organisers)",
    **_WRITE,
)
@rule_errors
def start_recompute(request: HttpRequest) -> Status:
    """Queued in the background; follow it with ``GET /matchmaking/runs/{id}``."""
    run = services.recompute_run_start(actor=request.auth)
    run.refresh_from_db()
    return Status(202, _run_out(run))


@router.get(
    "/matchmaking/runs/{run_id}",
    response=responses({200: RunOut}, 401, 403, 404),
    summary="A recompute's progress (organisers)",
)
def get_run(request: HttpRequest, run_id: Id) -> dict[str, Any]:
    if not may_recompute_all(request.auth):
        raise ApiError(403, "Only organisers see the recompute runs.")
    run = RecomputeRun.objects.filter(pk=run_id).first()
    if run is None:
        raise ApiError(404, "No such run.")
    return _run_out(run)


# --- stated interests ------------------------------------------------------------------------


class InterestIn(Schema):
    text: str = Field(min_length=1, max_length=200)


class InterestOut(Schema):
    id: int
    text: str
    created_at: datetime


def _interest_out(interest: StatedInterest) -> dict[str, Any]:
    return {"id": interest.pk, "text": interest.text, "created_at": interest.created_at}


@router.get(
    "/matchmaking/interests",
    response=responses({200: list[InterestOut]}, 401, 403),
    summary="My interests in my own words",
)
def list_interests(request: HttpRequest) -> list[dict[str, Any]]:
    me = _me(request)
    return [_interest_out(i) for i in me.stated_interests.all()]


@router.post(
    "/matchmaking/interests",
    response=responses({201: InterestOut}, 401, 403, 409, 429),
    summary="State an interest",
    **_WRITE,
)
@rule_errors
def add_interest(request: HttpRequest, payload: InterestIn) -> Status:
    """Synopses close to it score from now on (``interest`` reasons); up to five."""
    _me(request)
    interest = services.interest_add(actor=request.auth, text=payload.text)
    return Status(201, _interest_out(interest))


@router.delete(
    "/matchmaking/interests/{interest_id}",
    response=responses({204: None}, 401, 403, 404, 429),
    summary="Remove an interest",
    **_WRITE,
)
def remove_interest(request: HttpRequest, interest_id: Id) -> Status:
    me = _me(request)
    interest = StatedInterest.objects.filter(pk=interest_id, viewer=me).first()
    if interest is None:
        raise ApiError(404, "No such interest.")
    services.interest_remove(actor=request.auth, interest=interest)
    return Status(204, None)

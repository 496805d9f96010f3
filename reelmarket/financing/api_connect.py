"""Producers Connect sessions in the JSON API: sessions, registering, my rounds, feedback,
and the organisers' set-up, build, publish and feedback summary.

Everything is personal, so every endpoint needs a token (or the session with its CSRF
token). Thin: ``selectors_connect`` reads, ``services_connect`` writes. A refused rule
answers in the API's one error shape: 422 when the input can never work (``bad_rounds``,
``bad_start`` ..., with the field in ``fields``), 409 when the state of things forbids it
(``registration_closed``, ``already_registered``, ``too_early`` ...).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any, ParamSpec, TypeVar
from zoneinfo import ZoneInfo

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Path, Router, Schema, Status

from reelmarket.api.auth import WRITE_AUTH, write_throttle
from reelmarket.api.errors import ApiError, responses
from reelmarket.financing import selectors_connect as selectors
from reelmarket.financing import services_connect as services
from reelmarket.financing.enums_connect import FEEDBACK_NOTE_MAX, Side, Verdict
from reelmarket.financing.errors_connect import UNPROCESSABLE, ConnectError
from reelmarket.financing.models import (
    ConnectRegistration,
    ConnectSeat,
    ConnectSession,
    Project,
)
from reelmarket.financing.rules_connect import may_manage_sessions
from reelmarket.market.models import Edition, Participant
from reelmarket.market.rules import participant_of
from reelmarket.market.selectors import current_edition

router = Router(tags=["Producers Connect sessions"], auth=WRITE_AUTH)

MAX_ID = 2**63 - 1
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
_WRITE: dict[str, Any] = {"throttle": [write_throttle]}

P = ParamSpec("P")
R = TypeVar("R")


def connect_errors(view: Callable[P, R]) -> Callable[P, R]:
    """A refused session rule in the API's error shape (422 / 409, the rule's code)."""

    @functools.wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return view(*args, **kwargs)
        except ConnectError as exc:
            status = 422 if exc.code in UNPROCESSABLE else 409
            fields = {f"body.{exc.field}": [exc.message]} if exc.field else None
            raise ApiError(status, exc.message, code=exc.code, fields=fields) from None  # type: ignore[arg-type]

    return wrapped


# --- schemas ---------------------------------------------------------------------------------


class RegistrationOut(Schema):
    id: int
    side: str
    project_id: int | None
    project_title: str | None


class SessionOut(Schema):
    id: int
    name: str
    description: str
    state: str
    starts_at: datetime
    ends_at: datetime
    venue_time: str = Field(description="First round in the venue's zone, e.g. 2025-03-18 14:00.")
    time_zone: str = Field(description="The venue's IANA zone.")
    rounds: int
    round_minutes: int
    break_minutes: int
    tables: int
    room: str
    producers: int
    partners: int
    my_registration: RegistrationOut | None


class SessionIn(Schema):
    name: str = Field(max_length=160)
    description: str = Field("", max_length=5000)
    starts_at: datetime = Field(
        description="First round; with an offset, or venue time when it has none."
    )
    rounds: int = Field(ge=-1000, le=1000)
    round_minutes: int = Field(20, ge=-1000, le=1000)
    break_minutes: int = Field(5, ge=-1000, le=1000)
    tables: int = Field(ge=-10000, le=10000)
    room: str = Field("", max_length=160)
    table_labels: list[Annotated[str, Field(max_length=40)]] = Field(default_factory=list)


class RegisterIn(Schema):
    side: Side
    project_id: int | None = Field(None, ge=1, le=MAX_ID, description="Producers: the project.")


class PersonOut(Schema):
    id: int
    name: str
    organisation: str | None


class ProjectRefOut(Schema):
    id: int
    title: str
    kind: str
    stage: str
    logline: str | None = Field(description="Only when you may see the project's details.")


class ProfileRefOut(Schema):
    kind: str
    ticket_min: str
    ticket_max: str
    currency: str


class FeedbackOut(Schema):
    seat_id: int
    verdict: str
    note: str
    updated_at: datetime


class MyRoundOut(Schema):
    seat_id: int
    round: int
    starts_at: datetime
    ends_at: datetime
    venue_time: str
    table: str
    with_person: PersonOut
    project: ProjectRefOut
    partner_profile: ProfileRefOut | None = Field(
        description="The partner's profile, when you may see it (producers)."
    )
    reasons: list[str]
    feedback_open: bool
    my_feedback: FeedbackOut | None


class FeedbackIn(Schema):
    verdict: Verdict
    note: str = Field("", max_length=FEEDBACK_NOTE_MAX)


class BuildIn(Schema):
    seed: int = Field(0, ge=0, le=2**31 - 1)


class RoundUseOut(Schema):
    round: int
    starts_at: datetime
    meetings: int
    tables: int


class BuildOut(Schema):
    session: SessionOut
    meetings: int
    total_score: float
    fair_share: int
    under_served: list[int] = Field(description="Registration ids of producers below it.")
    rounds: list[RoundUseOut]
    notes: list[str]


class FeedbackRowOut(Schema):
    seat_id: int
    round: int
    table: int
    producer: PersonOut
    partner: PersonOut
    producer_verdict: str | None
    partner_verdict: str | None
    producer_note: str
    partner_note: str


class FeedbackSummaryOut(Schema):
    meetings: int
    answers: int
    follow_up: int
    passed: int
    mutual: int
    rows: list[FeedbackRowOut]


# --- helpers ---------------------------------------------------------------------------------


def _edition() -> Edition:
    edition = current_edition()
    if edition is None:
        raise ApiError(404, "There is no edition.")
    return edition


def _visible(request: HttpRequest, pk: int) -> ConnectSession:
    session = selectors.session_get(user=request.auth, pk=pk)
    if session is None:
        raise ApiError(404, "No such session.")
    return session


def _organiser(request: HttpRequest) -> None:
    if not may_manage_sessions(request.auth):
        raise ApiError(403, "Only organisers may do this.")


def _me(request: HttpRequest) -> Participant:
    me = participant_of(request.auth)
    if me is None:
        raise ApiError(403, "Only participants take part in sessions.")
    return me


def _person(p: Participant) -> dict[str, Any]:
    org = p.organisation.name if p.organisation_id and p.organisation_confirmed else None
    return {"id": p.pk, "name": p.display_name, "organisation": org}


def _registration_out(r: ConnectRegistration | None) -> dict[str, Any] | None:
    if r is None:
        return None
    return {
        "id": r.pk,
        "side": r.side,
        "project_id": r.project_id,
        "project_title": r.project.title if r.project_id else None,
    }


def _session_out(session: ConnectSession, user: Any) -> dict[str, Any]:
    zone = ZoneInfo(session.edition.time_zone)
    counts = {s: session.registrations.filter(side=s).count() for s in Side.values}
    return {
        "id": session.pk,
        "name": session.name,
        "description": session.description,
        "state": session.state,
        "starts_at": session.starts_at,
        "ends_at": session.ends_at,
        "venue_time": f"{session.starts_at.astimezone(zone):%Y-%m-%d %H:%M}",
        "time_zone": session.edition.time_zone,
        "rounds": session.rounds,
        "round_minutes": session.round_minutes,
        "break_minutes": session.break_minutes,
        "tables": session.tables,
        "room": session.room,
        "producers": counts[Side.PRODUCER],
        "partners": counts[Side.PARTNER],
        "my_registration": _registration_out(
            selectors.registration_for(session=session, participant=participant_of(user))
        ),
    }


def _fresh(session: ConnectSession, user: Any) -> dict[str, Any]:
    return _session_out(ConnectSession.objects.select_related("edition").get(pk=session.pk), user)


def _session_kwargs(payload: SessionIn, edition: Edition) -> dict[str, Any]:
    starts_at = payload.starts_at
    if timezone.is_naive(starts_at):
        starts_at = starts_at.replace(tzinfo=ZoneInfo(edition.time_zone))
    return {**payload.dict(exclude={"starts_at"}), "starts_at": starts_at}


# --- sessions --------------------------------------------------------------------------------


@router.get(
    "/connect/sessions",
    response=responses({200: list[SessionOut]}, 401),
    summary="Producers Connect sessions of the current edition",
)
def list_connect_sessions(request: HttpRequest) -> list[dict[str, Any]]:
    """Drafts only for organisers."""
    edition = _edition()
    sessions = selectors.sessions_visible(user=request.auth, edition=edition).select_related(
        "edition"
    )
    return [_session_out(s, request.auth) for s in sessions]


@router.post(
    "/connect/sessions",
    response=responses({201: SessionOut}, 401, 403, 409, 429),
    summary="Create a session (organisers)",
    **_WRITE,
)
@connect_errors
def create_connect_session(request: HttpRequest, payload: SessionIn) -> Status:
    _organiser(request)
    edition = _edition()
    session = services.session_create(
        actor=request.auth, edition=edition, **_session_kwargs(payload, edition)
    )
    return Status(201, _fresh(session, request.auth))


@router.get(
    "/connect/sessions/{session_id}",
    response=responses({200: SessionOut}, 401, 404),
    summary="One session",
)
def get_connect_session(request: HttpRequest, session_id: Id) -> dict[str, Any]:
    return _session_out(_visible(request, session_id), request.auth)


@router.post(
    "/connect/sessions/{session_id}/registrations",
    response=responses({201: RegistrationOut}, 401, 403, 404, 409, 429),
    summary="Register for a session",
    **_WRITE,
)
@connect_errors
def register_connect_session(request: HttpRequest, session_id: Id, payload: RegisterIn) -> Status:
    """Producers give ``project_id`` (a project they own or work on); partners need an
    investor profile."""
    me = _me(request)
    session = _visible(request, session_id)
    project = None
    if payload.project_id is not None:
        project = Project.objects.filter(pk=payload.project_id).first()
        if project is None:
            raise ApiError(
                422, "The request is not valid.", fields={"body.project_id": ["Unknown project."]}
            )
    registration = services.session_register(
        actor=request.auth, session=session, participant=me, side=payload.side, project=project
    )
    return Status(201, _registration_out(registration))


@router.get(
    "/connect/sessions/{session_id}/my-rounds",
    response=responses({200: list[MyRoundOut]}, 401, 403, 404),
    summary="My rounds (published sessions)",
)
def my_connect_rounds(request: HttpRequest, session_id: Id) -> list[dict[str, Any]]:
    """Empty until the rotation is published. What you see of the other side follows the
    project's and the investor profile's visibility."""
    me = _me(request)
    session = _visible(request, session_id)
    registration = selectors.registration_for(session=session, participant=me)
    if registration is None:
        raise ApiError(403, "You are not registered for this session.")
    zone = ZoneInfo(session.edition.time_zone)
    out = []
    for row in selectors.my_rounds(
        user=request.auth, registration=registration, now=timezone.now()
    ):
        p, profile = row.project, row.profile
        out.append(
            {
                "seat_id": row.seat.pk,
                "round": row.number,
                "starts_at": row.starts_at,
                "ends_at": row.ends_at,
                "venue_time": f"{row.starts_at.astimezone(zone):%Y-%m-%d %H:%M}",
                "table": row.table,
                "with_person": _person(row.counterpart.participant),
                "project": {
                    "id": p.pk,
                    "title": p.title,
                    "kind": p.kind,
                    "stage": p.stage,
                    "logline": p.logline if row.show_figures else None,
                },
                "partner_profile": (
                    {
                        "kind": profile.kind,
                        "ticket_min": str(profile.ticket_min),
                        "ticket_max": str(profile.ticket_max),
                        "currency": profile.currency,
                    }
                    if profile is not None
                    else None
                ),
                "reasons": row.reasons,
                "feedback_open": row.feedback_open,
                "my_feedback": _feedback_out(row.feedback) if row.feedback else None,
            }
        )
    return out


def _feedback_out(f: Any) -> dict[str, Any]:
    return {"seat_id": f.seat_id, "verdict": f.verdict, "note": f.note, "updated_at": f.updated_at}


@router.put(
    "/connect/sessions/{session_id}/seats/{seat_id}/feedback",
    response=responses({200: FeedbackOut}, 401, 403, 404, 409, 429),
    summary="Leave (or change) my feedback on a meeting",
    **_WRITE,
)
@connect_errors
def leave_connect_feedback(
    request: HttpRequest, session_id: Id, seat_id: Id, payload: FeedbackIn
) -> dict[str, Any]:
    """Once the meeting's round has started; only the two people at the table."""
    session = _visible(request, session_id)
    seat = ConnectSeat.objects.filter(session=session, pk=seat_id).first()
    if seat is None:
        raise ApiError(404, "No such meeting.")
    feedback = services.feedback_leave(
        actor=request.auth, seat=seat, verdict=payload.verdict, note=payload.note
    )
    return _feedback_out(feedback)


# --- organisers ------------------------------------------------------------------------------


@router.post(
    "/connect/sessions/{session_id}/build",
    response=responses({200: BuildOut}, 401, 403, 404, 409, 429),
    summary="Build the rotation (organisers)",
    **_WRITE,
)
@connect_errors
def build_connect_rotation(
    request: HttpRequest, session_id: Id, payload: BuildIn
) -> dict[str, Any]:
    """Registration must be closed; a rebuild replaces the unpublished seats."""
    _organiser(request)
    session = services.session_build(
        actor=request.auth, session=_visible(request, session_id), seed=payload.seed
    )
    review = selectors.review(session=session)
    return {
        "session": _fresh(session, request.auth),
        "meetings": review.meetings,
        "total_score": review.total_score,
        "fair_share": review.fair_share,
        "under_served": [r.pk for r, _n in review.under_served],
        "rounds": [
            {
                "round": r.number,
                "starts_at": r.starts_at,
                "meetings": r.meetings,
                "tables": r.tables,
            }
            for r in review.rounds
        ],
        "notes": review.notes,
    }


@router.post(
    "/connect/sessions/{session_id}/publish",
    response=responses({200: SessionOut}, 401, 403, 404, 409, 429),
    summary="Publish the rotation (organisers)",
    **_WRITE,
)
@connect_errors
def publish_connect_rotation(request: HttpRequest, session_id: Id) -> dict[str, Any]:
    _organiser(request)
    session = _visible(request, session_id)
    services.session_publish(actor=request.auth, session=session)
    return _fresh(session, request.auth)


@router.get(
    "/connect/sessions/{session_id}/feedback",
    response=responses({200: FeedbackSummaryOut}, 401, 403, 404),
    summary="Feedback summary (organisers)",
)
def connect_feedback_summary(request: HttpRequest, session_id: Id) -> dict[str, Any]:
    _organiser(request)
    summary = selectors.feedback_summary(session=_visible(request, session_id))

    def verdict(f: Any) -> str | None:
        return f.verdict if f is not None else None

    return {
        "meetings": summary.meetings,
        "answers": summary.answers,
        "follow_up": summary.follow_up,
        "passed": summary.passed,
        "mutual": summary.mutual,
        "rows": [
            {
                "seat_id": row.seat.pk,
                "round": row.seat.round,
                "table": row.seat.table,
                "producer": _person(row.seat.producer.participant),
                "partner": _person(row.seat.partner.participant),
                "producer_verdict": verdict(row.producer_feedback),
                "partner_verdict": verdict(row.partner_feedback),
                "producer_note": row.producer_feedback.note if row.producer_feedback else "",
                "partner_note": row.partner_feedback.note if row.partner_feedback else "",
            }
            for row in summary.rows
        ],
    }

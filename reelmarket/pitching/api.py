"""Pitch-forum endpoints of the JSON API: calls and sections (public), the caller's own
submissions (drafts: create, change, delete; submit, withdraw) and the organisers' moves.

Thin: reads through ``selectors``, writes through ``services`` (the same functions the
pages call, e-mail included). Errors keep the API's one shape: a refused rule answers 409
(the state of things forbids it: deadline passed, not a draft, section full) or 422 (the
input cannot work: not eligible, incomplete, invalid) with the rule's own ``code`` and every
reason in ``fields``; the wrong person gets 403, a submission they may not see 404.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, ParamSpec, TypeVar

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema, Status

from reelmarket.api.auth import WRITE_AUTH, write_throttle
from reelmarket.api.errors import ApiError, responses
from reelmarket.financing.enums import ProjectKind, ProjectStage, SourceKind, SourceStatus
from reelmarket.financing.models import Project
from reelmarket.market.rules import participant_of
from reelmarket.pitching import eligibility, selectors, services
from reelmarket.pitching.enums import SectionKind, SubmissionState
from reelmarket.pitching.errors import PitchError, PitchForbidden
from reelmarket.pitching.models import Call, Section, Submission
from reelmarket.pitching.rules import is_organiser, may_see_submission
from reelmarket.pitching.texts import TEXT_COLUMNS

router = Router(tags=["Pitch forum"])

MAX_ID = 2**63 - 1
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
_WRITE: dict[str, Any] = {"auth": WRITE_AUTH, "throttle": [write_throttle]}

# PitchError codes that mean a conflict with the current state of things (409); the other
# codes are input that cannot work (422).
CONFLICTS = frozenset(
    {"deadline_passed", "invalid_transition", "section_full", "locked", "duplicate", "conflict"}
)

P = ParamSpec("P")
R = TypeVar("R")


def _path(name: str) -> str:
    if name in TEXT_COLUMNS:
        return f"body.texts.{name}"
    if name == "project":
        return "body.project_id"
    if name == "section":
        return "body.section_id"
    if name in ("screener_1", "screener_2"):
        return "body.screeners"
    if name in ("title", "kind", "stage", "budget", "currency", "runtime_minutes", "sources"):
        return f"body.project.{name}"
    return "body" if name == "__all__" else f"body.{name}"


def pitch_errors(view: Callable[P, R]) -> Callable[P, R]:
    """Turn a refused pitch rule into the API's error shape."""

    @functools.wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return view(*args, **kwargs)
        except PitchForbidden as exc:
            raise ApiError(403, exc.message, code="permission_denied") from None
        except PitchError as exc:
            status = 409 if exc.code in CONFLICTS else 422
            fields: dict[str, list[str]] = {}
            for name, messages in exc.fields.items():
                fields.setdefault(_path(name), []).extend(messages)
            listed = {m for ms in exc.fields.values() for m in ms}
            rest = [m for m in exc.messages if m not in listed]
            if rest and len(exc.messages) > 1:
                fields.setdefault("body", []).extend(rest)
            raise ApiError(status, exc.message, code=exc.code, fields=fields) from None  # type: ignore[arg-type]

    return wrapped


# --- schemas --------------------------------------------------------------------------------


class SectionOut(Schema):
    id: int
    code: str
    name: str
    kind: SectionKind
    description: str
    places: int | None
    rules: list[str] = Field(description="The eligibility rules in words (the caller's language).")
    allowed_kinds: list[str]
    allowed_stages: list[str]
    min_runtime_minutes: int | None
    max_runtime_minutes: int | None
    budget_min: Decimal | None
    budget_max: Decimal | None
    min_secured_share: Decimal | None
    must_not_be_fully_financed: bool


class CallOut(Schema):
    id: int
    edition: str
    name: str
    slug: str
    description: str
    opens_at: datetime
    deadline: datetime
    time_zone: str = Field(description="The edition's time zone: deadlines are set in it.")
    currency: str = Field(description="The currency of the sections' budget rules.")
    is_open: bool
    sections: list[SectionOut]


class SourceIn(Schema):
    kind: SourceKind
    name: str = Field(min_length=1, max_length=200)
    amount: Decimal = Field(ge=0, max_digits=14, decimal_places=2)
    status: SourceStatus = SourceStatus.SECURED
    country: str = Field("", max_length=2)


class ProjectIn(Schema):
    """A project created with the submission (or the draft's own project, edited)."""

    title: str = Field(min_length=1, max_length=200)
    kind: ProjectKind
    stage: ProjectStage
    budget: Decimal = Field(ge=0, max_digits=14, decimal_places=2)
    currency: str = Field(min_length=3, max_length=3)
    genres: list[str] = Field(default_factory=list, max_length=10)
    runtime_minutes: int | None = Field(None, ge=1, le=10_000)
    sources: list[SourceIn] = Field(default_factory=list, max_length=20)


class TextsIn(Schema):
    """The bilingual texts; a key left out is left as it is (on update)."""

    logline_en: str | None = None
    logline_zh: str | None = None
    synopsis_en: str | None = None
    synopsis_zh: str | None = None
    director_statement_en: str | None = None
    director_statement_zh: str | None = None
    bios_en: str | None = None
    bios_zh: str | None = None
    company_profile_en: str | None = None
    company_profile_zh: str | None = None
    treatment_en: str | None = None
    treatment_zh: str | None = None


class SubmissionCreateIn(Schema):
    section_id: int = Field(ge=1, le=MAX_ID)
    project_id: int | None = Field(None, ge=1, le=MAX_ID, description="One of your projects…")
    project: ProjectIn | None = Field(None, description="…or a new one (give exactly one).")
    texts: TextsIn = Field(default_factory=TextsIn)
    screeners: list[str] = Field(default_factory=list, max_length=2)


class SubmissionUpdateIn(Schema):
    section_id: int | None = Field(None, ge=1, le=MAX_ID)
    project: ProjectIn | None = Field(None, description="Replaces the draft's project details.")
    texts: TextsIn | None = None
    screeners: list[str] | None = Field(None, max_length=2)


class NoteIn(Schema):
    note: str = Field("", max_length=2000)


class TransitionIn(Schema):
    to_state: SubmissionState
    note: str = Field("", max_length=2000)


class EventOut(Schema):
    from_state: str
    to_state: str
    at: datetime
    by_applicant: bool
    note: str


class SourceOut(Schema):
    kind: str
    name: str
    country: str
    amount: Decimal
    status: str


class ProjectOut(Schema):
    id: int
    title: str
    kind: str
    stage: str
    genres: list[str]
    runtime_minutes: int | None
    budget: Decimal
    currency: str
    sources: list[SourceOut]


class SubmissionOut(Schema):
    id: int
    call_id: int
    section_id: int
    section: str
    state: SubmissionState
    project: ProjectOut
    texts: dict[str, str]
    screeners: list[str]
    poster: str | None
    snapshot: dict[str, Any]
    submitted_at: datetime | None
    decided_at: datetime | None
    problems: list[str] = Field(
        description="Drafts: why it cannot be submitted now (empty: it can)."
    )
    history: list[EventOut]


class SubmissionQuery(Schema):
    state: SubmissionState | None = None
    section_id: int | None = Field(None, ge=1, le=MAX_ID)


# --- rendering ------------------------------------------------------------------------------


def _section_out(s: Section) -> dict[str, Any]:
    return {
        "id": s.pk,
        "code": s.code,
        "name": s.name,
        "kind": s.kind,
        "description": s.description,
        "places": s.max_selected,
        "rules": eligibility.rules_summary(s),
        "allowed_kinds": list(s.allowed_kinds or []),
        "allowed_stages": list(s.allowed_stages or []),
        "min_runtime_minutes": s.min_runtime_minutes,
        "max_runtime_minutes": s.max_runtime_minutes,
        "budget_min": s.budget_min,
        "budget_max": s.budget_max,
        "min_secured_share": s.min_secured_share,
        "must_not_be_fully_financed": s.must_not_be_fully_financed,
    }


def _call_out(call: Call) -> dict[str, Any]:
    return {
        "id": call.pk,
        "edition": call.edition.slug,
        "name": call.name,
        "slug": call.slug,
        "description": call.description,
        "opens_at": call.opens_at,
        "deadline": call.deadline,
        "time_zone": call.edition.time_zone,
        "currency": call.currency,
        "is_open": selectors.call_is_open(call, at=timezone.now()),
        "sections": [_section_out(s) for s in call.sections.all()],
    }


def _submission_out(request: HttpRequest, s: Submission, *, organiser: bool) -> dict[str, Any]:
    """``s`` from ``selectors.submissions_detailed`` (nothing more is queried)."""
    problems: list[str] = []
    if s.state == SubmissionState.DRAFT:
        problems = services.submit_problems(submission=s, at=timezone.now())[1]
    project = s.project
    return {
        "id": s.pk,
        "call_id": s.call_id,
        "section_id": s.section_id,
        "section": s.section.name,
        "state": s.state,
        "project": {
            "id": project.pk,
            "title": project.title,
            "kind": project.kind,
            "stage": project.stage,
            "genres": list(project.genres or []),
            "runtime_minutes": project.runtime_minutes,
            "budget": project.budget,
            "currency": project.currency,
            "sources": [
                {
                    "kind": x.kind,
                    "name": x.name,
                    "country": x.country,
                    "amount": x.amount,
                    "status": x.status,
                }
                for x in project.sources.all()
            ],
        },
        "texts": {column: getattr(s, column) for column in TEXT_COLUMNS},
        "screeners": [u for u in (s.screener_1, s.screener_2) if u],
        "poster": request.build_absolute_uri(s.poster.url) if s.poster else None,
        "snapshot": s.snapshot or {},
        "submitted_at": s.submitted_at,
        "decided_at": s.decided_at,
        "problems": problems,
        "history": [
            {
                "from_state": e.from_state,
                "to_state": e.to_state,
                "at": e.created_at,
                "by_applicant": e.actor_id is not None and e.actor_id == s.applicant.user_id,
                # Organisers' notes are internal; the applicant sees their own.
                "note": e.note
                if organiser or (e.actor_id is not None and e.actor_id == request.auth.pk)
                else "",
            }
            for e in s.events.all()
        ],
    }


def _fresh(request: HttpRequest, submission_id: int) -> dict[str, Any]:
    found = selectors.submission_get(submission_id=submission_id)
    return _submission_out(request, found, organiser=is_organiser(request.auth))


def _visible(request: HttpRequest, submission_id: int) -> Submission:
    s = Submission.objects.filter(pk=submission_id).first()
    if s is None or not may_see_submission(request.auth, s):
        raise ApiError(404, "No such submission.")
    return s


def _section(section_id: int, *, field: str) -> Section:
    section = Section.objects.select_related("call__edition").filter(pk=section_id).first()
    if section is None:
        raise ApiError(422, "The request is not valid.", fields={field: ["Unknown section."]})
    return section


def _project_data(payload: ProjectIn) -> services.ProjectData:
    return services.ProjectData(
        title=payload.title,
        kind=payload.kind,
        stage=payload.stage,
        budget=payload.budget,
        currency=payload.currency,
        genres=payload.genres,
        runtime_minutes=payload.runtime_minutes,
        sources=[
            services.SourceData(
                kind=s.kind, name=s.name, amount=s.amount, status=s.status, country=s.country
            )
            for s in payload.sources
        ],
    )


def _texts(payload: TextsIn | None) -> dict[str, str]:
    if payload is None:
        return {}
    return {k: v for k, v in payload.dict().items() if v is not None}


# --- calls (public) -------------------------------------------------------------------------


@router.get("/pitch/calls", response=responses({200: list[CallOut]}), summary="Calls for projects")
def list_calls(request: HttpRequest) -> list[dict[str, Any]]:
    """Every call with its sections and their eligibility rules, latest deadline first."""
    return [_call_out(c) for c in selectors.calls_listed()]


@router.get(
    "/pitch/calls/{call_id}", response=responses({200: CallOut}, 404), summary="A call for projects"
)
def get_call(request: HttpRequest, call_id: Id) -> dict[str, Any]:
    try:
        return _call_out(selectors.call_get(call_id=call_id))
    except Call.DoesNotExist:
        raise ApiError(404, "No such call.") from None


@router.get(
    "/pitch/calls/{call_id}/submissions",
    response=responses({200: list[SubmissionOut]}, 401, 403, 404),
    summary="A call's submissions (organisers)",
    auth=WRITE_AUTH,
)
def list_call_submissions(
    request: HttpRequest, call_id: Id, params: Query[SubmissionQuery]
) -> list[dict[str, Any]]:
    """Every submission but drafts unless ``state=draft`` is asked for."""
    if not is_organiser(request.auth):
        raise ApiError(403, "Only the organisers may list a call's submissions.")
    call = Call.objects.filter(pk=call_id).first()
    if call is None:
        raise ApiError(404, "No such call.")
    rows = selectors.call_submissions(
        call=call, state=params.state or "", section_id=params.section_id
    )
    return [_submission_out(request, s, organiser=True) for s in rows]


# --- my submissions -------------------------------------------------------------------------


@router.get(
    "/pitch/submissions",
    response=responses({200: list[SubmissionOut]}, 401),
    summary="My submissions",
    auth=WRITE_AUTH,
)
def list_my_submissions(request: HttpRequest) -> list[dict[str, Any]]:
    me = participant_of(request.auth)
    if me is None:
        return []
    rows = selectors.submissions_detailed().filter(applicant=me)
    organiser = is_organiser(request.auth)
    return [
        _submission_out(request, s, organiser=organiser)
        for s in rows.order_by("-call__deadline", "-id")
    ]


@router.get(
    "/pitch/submissions/{submission_id}",
    response=responses({200: SubmissionOut}, 401, 404),
    summary="One submission with its status history",
    auth=WRITE_AUTH,
)
def get_submission(request: HttpRequest, submission_id: Id) -> dict[str, Any]:
    return _fresh(request, _visible(request, submission_id).pk)


@router.post(
    "/pitch/submissions",
    response=responses({201: SubmissionOut}, 401, 403, 409, 429),
    summary="Start a draft",
    **_WRITE,
)
@pitch_errors
def create_submission(request: HttpRequest, payload: SubmissionCreateIn) -> Status:
    """Give ``project_id`` (one of your projects) or ``project`` (a new one)."""
    section = _section(payload.section_id, field="body.section_id")
    project = None
    if payload.project_id is not None:
        project = Project.objects.filter(pk=payload.project_id).first()
        if project is None:
            raise ApiError(
                422, "The request is not valid.", fields={"body.project_id": ["Unknown project."]}
            )
    created = services.submission_create(
        actor=request.auth,
        section=section,
        project=project,
        project_data=_project_data(payload.project) if payload.project else None,
        values=_texts(payload.texts),
        screeners=payload.screeners,
    )
    return Status(201, _fresh(request, created.pk))


@router.patch(
    "/pitch/submissions/{submission_id}",
    response=responses({200: SubmissionOut}, 401, 403, 404, 409, 429),
    summary="Change a draft",
    **_WRITE,
)
@pitch_errors
def update_submission(
    request: HttpRequest, submission_id: Id, payload: SubmissionUpdateIn
) -> dict[str, Any]:
    """Only what is given changes; a submitted project's texts are locked (409)."""
    found = _visible(request, submission_id)
    section = None
    if payload.section_id is not None:
        section = _section(payload.section_id, field="body.section_id")
    services.submission_update(
        actor=request.auth,
        submission=found,
        section=section,
        project_data=_project_data(payload.project) if payload.project else None,
        values=_texts(payload.texts),
        screeners=payload.screeners,
    )
    return _fresh(request, found.pk)


@router.delete(
    "/pitch/submissions/{submission_id}",
    response=responses({204: None}, 401, 403, 404, 409, 429),
    summary="Delete a draft",
    **_WRITE,
)
@pitch_errors
def delete_submission(request: HttpRequest, submission_id: Id) -> HttpResponse:
    services.submission_delete(actor=request.auth, submission=_visible(request, submission_id))
    return HttpResponse(status=204)


@router.post(
    "/pitch/submissions/{submission_id}/submit",
    response=responses({200: SubmissionOut}, 401, 403, 404, 409, 429),
    summary="Submit a draft",
    **_WRITE,
)
@pitch_errors
def submit_submission(request: HttpRequest, submission_id: Id) -> dict[str, Any]:
    """Checks the deadline, the section's eligibility rules and the texts; every reason
    is listed in ``fields``. Locks the texts and snapshots the financing plan."""
    found = _visible(request, submission_id)
    services.submission_submit(actor=request.auth, submission=found)
    return _fresh(request, found.pk)


@router.post(
    "/pitch/submissions/{submission_id}/withdraw",
    response=responses({200: SubmissionOut}, 401, 403, 404, 409, 429),
    summary="Withdraw a submission",
    **_WRITE,
)
@pitch_errors
def withdraw_submission(request: HttpRequest, submission_id: Id, payload: NoteIn) -> dict[str, Any]:
    found = _visible(request, submission_id)
    services.submission_withdraw(actor=request.auth, submission=found, note=payload.note)
    return _fresh(request, found.pk)


@router.post(
    "/pitch/submissions/{submission_id}/transition",
    response=responses({200: SubmissionOut}, 401, 403, 404, 409, 429),
    summary="Move a submission (organisers: shortlist, select, reject)",
    **_WRITE,
)
@pitch_errors
def transition_submission(
    request: HttpRequest, submission_id: Id, payload: TransitionIn
) -> dict[str, Any]:
    """The one state change: the applicant may submit or withdraw, the organisers
    shortlist, select and reject (a selection or rejection mails the applicant)."""
    found = _visible(request, submission_id)
    services.submission_transition(
        actor=request.auth, submission=found, to_state=payload.to_state, note=payload.note
    )
    return _fresh(request, found.pk)

"""JSON API of the pitch forum after selection: the programme, the selected projects and
their dossiers (public reads), a financier's meeting wish (write), and the organisers'
one-on-one grid from the wishes. Thin: ``selectors_after`` reads, ``services_after``
writes — the same functions the pages call.

Refusals keep the API's one error shape with the rule's ``code``: 409 when the state of
things forbids it (not selected, not registered, a "no thanks", no meeting grid), 422
for input that cannot work, 403 for the wrong person.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal, ParamSpec, TypeVar

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema, Status

from reelmarket.api.auth import WRITE_AUTH, viewer, write_throttle
from reelmarket.api.errors import ApiError, responses
from reelmarket.market.rules import participant_of
from reelmarket.pitching import selectors_after as selectors
from reelmarket.pitching import services_after as services
from reelmarket.pitching.enums import SubmissionState
from reelmarket.pitching.errors import PitchError, PitchForbidden
from reelmarket.pitching.models import Call, Submission
from reelmarket.pitching.rules_after import may_see_dossier

router = Router(tags=["Pitch forum: after selection"])

MAX_ID = 2**63 - 1
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
_WRITE: dict[str, Any] = {"auth": WRITE_AUTH, "throttle": [write_throttle]}

CONFLICTS = frozenset(
    {"not_selected", "not_registered", "blocked", "no_grid", "scheduled", "no_wish"}
)

P = ParamSpec("P")
R = TypeVar("R")


def pitch_errors(view: Callable[P, R]) -> Callable[P, R]:
    @functools.wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return view(*args, **kwargs)
        except PitchForbidden as exc:
            raise ApiError(403, exc.message, code="permission_denied") from None
        except PitchError as exc:
            status = 409 if exc.code in CONFLICTS else 422
            raise ApiError(status, exc.message, code=exc.code) from None  # type: ignore[arg-type]

    return wrapped


# ---- schemas ----------------------------------------------------------------------------------


class SlotOut(Schema):
    order: int
    submission_id: int
    project: str
    section: str
    starts_at: datetime
    ends_at: datetime
    footage_minutes: int


class SessionOut(Schema):
    id: int
    title: str
    room: str
    section: str | None
    starts_at: datetime
    ends_at: datetime
    pitch_minutes: int
    footage_minutes: int
    changeover_minutes: int
    slots: list[SlotOut]


class AwardOut(Schema):
    id: int
    name: str
    sponsor: str
    prize: str
    cash: Decimal | None
    currency: str
    winner_id: int | None


class ProjectOut(Schema):
    id: int = Field(description="The submission's id (the dossier's address).")
    title: str
    section: str
    section_name: str
    kind: str
    stage: str
    genres: list[str]
    countries: list[str]
    company: str | None
    budget: Decimal
    secured: Decimal
    gap: Decimal
    currency: str
    partners_sought: list[dict[str, str]]
    awards: list[str]


class TextOut(Schema):
    field: str
    label: str
    text: str


class DossierOut(ProjectOut):
    languages: list[str]
    texts: dict[str, list[TextOut]] = Field(description="Per language (en, zh): the texts.")
    team: list[dict[str, str]]
    pitch: SlotOut | None


class ProjectQuery(Schema):
    section: str = ""
    country: str = Field("", max_length=2)
    genre: str = Field("", max_length=60)


class WishIn(Schema):
    priority: Literal["must_meet", "meet", "nice_to_meet"] = "meet"
    note: str = Field("", max_length=services.MAX_NOTE)


class WishOut(Schema):
    submission_id: int
    priority: str
    note: str
    request_id: int | None


class SkippedOut(Schema):
    wish_id: int
    participant_id: int
    submission_id: int
    code: str
    message: str


class GridOut(Schema):
    created: list[int] = Field(description="Wishes that became new accepted requests.")
    linked: list[int] = Field(description="Wishes linked to a request already open.")
    skipped: list[SkippedOut]


# ---- helpers ----------------------------------------------------------------------------------


def _call(call_id: int) -> Call:
    call = Call.objects.select_related("edition").filter(pk=call_id).first()
    if call is None:
        raise ApiError(404, "No such call.")
    return call


def _slot_out(view: selectors.SlotView) -> dict[str, Any]:
    return {
        "order": view.time.order,
        "submission_id": view.submission.pk,
        "project": view.submission.project.title,
        "section": view.submission.section.code,
        "starts_at": view.time.starts_at,
        "ends_at": view.time.ends_at,
        "footage_minutes": view.time.footage_minutes,
    }


def _project_out(s: Submission) -> dict[str, Any]:
    money = selectors.financing_of(s)
    project = s.project
    return {
        "id": s.pk,
        "title": project.title,
        "section": s.section.code,
        "section_name": s.section.name,
        "kind": project.kind,
        "stage": project.stage,
        "genres": list(project.genres or []),
        "countries": list(project.countries or []),
        "company": s.organisation.name if s.organisation else None,
        "budget": money.budget,
        "secured": money.secured,
        "gap": money.gap,
        "currency": money.currency,
        "partners_sought": [
            {"kind": p.kind, "country": p.country, "note": p.note}
            for p in project.partners_sought.all()
        ],
        "awards": [a.name for a in s.awards.all()],
    }


# ---- public reads -----------------------------------------------------------------------------


@router.get(
    "/pitch/calls/{call_id}/programme",
    response=responses({200: list[SessionOut]}, 404),
    summary="The call's open pitch sessions with each slot's time",
)
def programme(request: HttpRequest, call_id: Id) -> list[dict[str, Any]]:
    out = []
    for v in selectors.programme(call=_call(call_id)):
        s = v.session
        out.append(
            {
                "id": s.pk,
                "title": s.title,
                "room": s.room,
                "section": s.section.code if s.section else None,
                "starts_at": s.starts_at,
                "ends_at": v.ends_at,
                "pitch_minutes": s.pitch_minutes,
                "footage_minutes": s.footage_minutes,
                "changeover_minutes": s.changeover_minutes,
                "slots": [_slot_out(x) for x in v.slots],
            }
        )
    return out


@router.get(
    "/pitch/calls/{call_id}/awards",
    response=responses({200: list[AwardOut]}, 404),
    summary="The call's awards and their winners",
)
def awards(request: HttpRequest, call_id: Id) -> list[dict[str, Any]]:
    return [
        {
            "id": a.pk,
            "name": a.name,
            "sponsor": a.sponsor,
            "prize": a.prize,
            "cash": a.cash,
            "currency": a.currency,
            # A winner withdrawn since is not public any more.
            "winner_id": a.winner_id
            if a.winner and a.winner.state == SubmissionState.SELECTED
            else None,
        }
        for a in selectors.awards_of(call=_call(call_id))
    ]


@router.get(
    "/pitch/calls/{call_id}/projects",
    response=responses({200: list[ProjectOut]}, 404),
    summary="The call's selected projects (the only public ones)",
)
def projects(request: HttpRequest, call_id: Id, params: Query[ProjectQuery]) -> list[dict]:
    filters = selectors.ProjectFilters(
        section=params.section, country=params.country.upper(), genre=params.genre
    )
    listing = selectors.selected_projects(call=_call(call_id), filters=filters)
    return [_project_out(s) for s in listing.items]


@router.get(
    "/pitch/calls/{call_id}/projects/{submission_id}",
    response=responses({200: DossierOut}, 404),
    summary="A selected project's dossier",
)
def dossier(request: HttpRequest, call_id: Id, submission_id: Id) -> dict[str, Any]:
    call = _call(call_id)
    s = selectors.dossier_queryset(call=call).filter(pk=submission_id).first()
    if s is None or not may_see_dossier(viewer(request), s):
        raise ApiError(404, "No such project.")
    languages = selectors.text_languages(s)
    slot = selectors.pitch_slot_of(submission=s)
    return {
        **_project_out(s),
        "languages": languages,
        "texts": {
            lang: [
                {"field": f, "label": label, "text": text}
                for f, label, text in selectors.dossier_texts(s, lang)
            ]
            for lang in languages
        },
        "team": [{"name": m.name, "role": m.role} for m in s.project.team.all()],
        "pitch": _slot_out(slot) if slot else None,
    }


# ---- a financier's wish -----------------------------------------------------------------------


def _selected(call_id: int, submission_id: int, request: HttpRequest) -> Submission:
    call = _call(call_id)
    s = selectors.dossier_queryset(call=call).filter(pk=submission_id).first()
    if s is None or not may_see_dossier(request.auth, s):
        raise ApiError(404, "No such project.")
    return s


@router.put(
    "/pitch/calls/{call_id}/projects/{submission_id}/wish",
    response=responses({200: WishOut}, 401, 403, 404, 409),
    summary="I want to meet this project (set or change the priority)",
    **_WRITE,
)
@pitch_errors
def wish_put(
    request: HttpRequest, call_id: Id, submission_id: Id, payload: WishIn
) -> dict[str, Any]:
    s = _selected(call_id, submission_id, request)
    wish = services.wish_set(
        actor=request.auth, submission=s, priority=payload.priority, note=payload.note
    )
    return {
        "submission_id": s.pk,
        "priority": wish.priority,
        "note": wish.note,
        "request_id": wish.request_id,
    }


@router.delete(
    "/pitch/calls/{call_id}/projects/{submission_id}/wish",
    response=responses({204: None}, 401, 403, 404, 409),
    summary="Withdraw my wish (its meeting request is cancelled)",
    **_WRITE,
)
@pitch_errors
def wish_delete(request: HttpRequest, call_id: Id, submission_id: Id) -> Status:
    s = _selected(call_id, submission_id, request)
    if participant_of(request.auth) is None:
        raise ApiError(403, "Only participants have meeting wishes.")
    services.wish_withdraw(actor=request.auth, submission=s)
    return Status(204, None)


@router.post(
    "/pitch/calls/{call_id}/one-on-ones",
    response=responses({200: GridOut}, 401, 403, 404, 409),
    summary="Organisers: turn the new meeting wishes into accepted meeting requests",
    **_WRITE,
)
@pitch_errors
def grid_build(request: HttpRequest, call_id: Id) -> dict[str, Any]:
    outcome = services.grid_from_wishes(actor=request.auth, call=_call(call_id))
    return {
        "created": [w.pk for w in outcome.created],
        "linked": [w.pk for w in outcome.linked],
        "skipped": [
            {
                "wish_id": x.wish.pk,
                "participant_id": x.wish.participant_id,
                "submission_id": x.wish.submission_id,
                "code": x.code,
                "message": x.message,
            }
            for x in outcome.skipped
        ],
    }

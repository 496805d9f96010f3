"""Meetings endpoints of the JSON API: requests, free slots, booking, agenda, availability,
check-in. Everything here is personal, so every endpoint needs a token (or the session with
its CSRF token). Thin: reads through ``selectors``, writes through ``services_web`` (the
same functions the pages call, mail included) and ``services``.

Errors keep the API's one shape; a refused meeting rule answers 409 (the state of things
forbids it: busy, taken, already answered) or 422 (the input cannot work: not a slot, not
your booth) with the rule's own ``code`` (``busy``, ``location_full``, ...) and message.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Any, Literal, ParamSpec, TypeVar
from zoneinfo import ZoneInfo

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status

from reelmarket.api.auth import WRITE_AUTH, write_throttle
from reelmarket.api.errors import ApiError, responses
from reelmarket.catalogue.models import Title
from reelmarket.market.models import Booth, Edition, Organisation, Participant
from reelmarket.market.rules import participant_of
from reelmarket.market.selectors import current_edition
from reelmarket.meetings import selectors, services, services_web
from reelmarket.meetings.enums import LocationKind, Place, Priority, RequestState
from reelmarket.meetings.errors import MeetingError
from reelmarket.meetings.ical import location_text
from reelmarket.meetings.models import AvailabilityDay, Meeting, MeetingGrid, MeetingRequest
from reelmarket.meetings.rules import may_view_request
from reelmarket.meetings.slots import day_slots

router = Router(tags=["meetings"], auth=WRITE_AUTH)

MAX_ID = 2**63 - 1
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
_WRITE: dict[str, Any] = {"throttle": [write_throttle]}

# MeetingError codes that mean "this input can never work" (422); the others are conflicts
# with the current state of things (409).
UNPROCESSABLE = frozenset(
    {
        "bad_target",
        "bad_location",
        "bad_time_zone",
        "bad_hours",
        "bad_grid",
        "booth_not_yours",
        "not_a_slot",
        "not_a_day",
        "online_required",
        "not_staff",
        "target_not_registered",
        "company_not_attending",
        "counterpart_required",
    }
)

P = ParamSpec("P")
R = TypeVar("R")


def meeting_errors(view: Callable[P, R]) -> Callable[P, R]:
    """Turn a refused meeting rule into the API's error shape (409 / 422, the rule's code)."""

    @functools.wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return view(*args, **kwargs)
        except MeetingError as exc:
            status = 422 if exc.code in UNPROCESSABLE else 409
            raise ApiError(status, exc.message, code=exc.code) from None  # type: ignore[arg-type]

    return wrapped


# --- schemas ---------------------------------------------------------------------------------


class PersonOut(Schema):
    id: int
    name: str
    organisation: str | None


class TitleRefOut(Schema):
    id: int
    original_title: str


class MeetingOut(Schema):
    id: int
    request_id: int
    starts_at: datetime
    ends_at: datetime
    venue_time: str = Field(description="Start in the venue's zone, e.g. 2025-03-17 10:00.")
    time_zone: str = Field(description="The venue's IANA zone.")
    status: str
    sequence: int
    location_kind: str
    booth: str | None
    table: int | None
    online_link: str
    location: str
    people: list[PersonOut]
    titles: list[TitleRefOut]


class RequestOut(Schema):
    id: int
    state: str
    requester: PersonOut
    target_person: PersonOut | None
    target_organisation: str | None = Field(description="Organisation slug (company requests).")
    counterpart: PersonOut | None
    message: str
    titles: list[TitleRefOut]
    requester_priority: str
    counterpart_priority: str
    expires_at: datetime | None
    created_at: datetime
    meeting: MeetingOut | None


class RequestIn(Schema):
    person_id: int | None = Field(None, ge=1, le=MAX_ID, description="Ask one person…")
    organisation: str | None = Field(
        None, max_length=220, description="…or a company's team (its slug)."
    )
    message: str = Field("", max_length=2000)
    title_ids: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(default_factory=list)
    priority: Priority = Priority.MEET


class AcceptIn(Schema):
    priority: Priority = Priority.MEET


class DeclineIn(Schema):
    note: str = Field("", max_length=500)
    no_thanks: bool = Field(False, description="Also block this person from asking again.")


class CancelIn(Schema):
    note: str = Field("", max_length=500)


class PlaceIn(Schema):
    kind: LocationKind
    booth_id: int | None = Field(None, ge=1, le=MAX_ID, description="For kind=booth.")


class PlaceOut(Schema):
    kind: str
    booth_id: int | None
    label: str


class SlotOptionOut(Schema):
    starts_at: datetime
    ends_at: datetime
    venue_time: str
    places: list[PlaceOut]


class BookIn(Schema):
    starts_at: datetime = Field(description="A slot start from the free-slots list.")
    place: PlaceIn
    priority: Priority = Field(Priority.MEET, description="Used when this also accepts.")
    online_link: str = Field("", max_length=200)


class CheckInIn(Schema):
    held: bool


class AvailabilityDayOut(Schema):
    day: date
    slots: int = Field(description="Slots in the day; bit i is slot i.")
    busy_mask: int = Field(description="Slots you marked busy.")
    free_mask: int = Field(description="Slots you offer and have no meeting in.")
    booked_mask: int = Field(description="Slots you have a meeting in.")
    slot_starts: list[datetime]


class AvailabilityIn(Schema):
    busy_mask: int = Field(ge=0, le=2**63 - 1)


class BoxQuery(Schema):
    box: Literal["all", "incoming", "outgoing"] = "all"
    state: RequestState | None = None


# --- helpers ---------------------------------------------------------------------------------


def _person(p: Participant | None) -> dict[str, Any] | None:
    if p is None:
        return None
    org = p.organisation.name if p.organisation_id and p.organisation_confirmed else None
    return {"id": p.pk, "name": p.display_name, "organisation": org}


def _titles(request: MeetingRequest) -> list[dict[str, Any]]:
    return [{"id": t.pk, "original_title": t.original_title} for t in request.titles.all()]


def _meeting_out(m: Meeting) -> dict[str, Any]:
    zone = m.edition.time_zone
    people = [s.participant for s in m.seats.all() if not s.released] or [
        p for p in (m.request.requester, m.request.counterpart) if p is not None
    ]
    return {
        "id": m.pk,
        "request_id": m.request_id,
        "starts_at": m.starts_at,
        "ends_at": m.ends_at,
        "venue_time": f"{m.starts_at.astimezone(ZoneInfo(zone)):%Y-%m-%d %H:%M}",
        "time_zone": zone,
        "status": m.status,
        "sequence": m.sequence,
        "location_kind": m.location_kind,
        "booth": m.booth.number if m.booth_id else None,
        "table": m.table_number,
        "online_link": m.online_link,
        "location": location_text(m),
        "people": [_person(p) for p in people],
        "titles": _titles(m.request),
    }


def _request_out(r: MeetingRequest) -> dict[str, Any]:
    meeting = getattr(r, "meeting", None)
    return {
        "id": r.pk,
        "state": r.state,
        "requester": _person(r.requester),
        "target_person": _person(r.target_person),
        "target_organisation": r.target_organisation.slug if r.target_organisation_id else None,
        "counterpart": _person(r.counterpart),
        "message": r.message,
        "titles": _titles(r),
        "requester_priority": r.requester_priority,
        "counterpart_priority": r.counterpart_priority,
        "expires_at": r.expires_at,
        "created_at": r.created_at,
        "meeting": _meeting_out(meeting) if meeting is not None else None,
    }


def _edition() -> Edition:
    edition = current_edition()
    if edition is None:
        raise ApiError(404, "There is no edition.")
    return edition


def _me(request: HttpRequest) -> Participant:
    me = participant_of(request.auth)
    if me is None:
        raise ApiError(403, "Only participants have meetings.")
    return me


def _grid(edition: Edition) -> MeetingGrid:
    try:
        return selectors.grid_for(edition)
    except MeetingError as exc:
        raise ApiError(404, exc.message) from None


_REQUEST_RELATED = (
    "edition",
    "requester__organisation",
    "target_person__organisation",
    "target_organisation",
    "counterpart__organisation",
)


def _visible_request(request: HttpRequest, pk: int) -> MeetingRequest:
    found = MeetingRequest.objects.select_related(*_REQUEST_RELATED).filter(pk=pk).first()
    if found is None or not may_view_request(request.auth, found):
        raise ApiError(404, "No such meeting request.")
    return found


def _fresh(pk: int) -> dict[str, Any]:
    r = (
        MeetingRequest.objects.select_related(*_REQUEST_RELATED)
        .prefetch_related("titles")
        .get(pk=pk)
    )
    return _request_out(r)


# --- requests --------------------------------------------------------------------------------


@router.get(
    "/meetings/requests",
    response=responses({200: list[RequestOut]}, 401, 403),
    summary="My meeting requests",
)
def list_meeting_requests(request: HttpRequest, params: Query[BoxQuery]) -> list[dict[str, Any]]:
    """Requests to you (or your company) and from you, newest first."""
    me, edition = _me(request), _edition()
    rows: list[MeetingRequest] = []
    boxes = []
    if params.box in ("all", "incoming"):
        boxes.append(selectors.requests_incoming(participant=me, edition=edition))
    if params.box in ("all", "outgoing"):
        boxes.append(selectors.requests_outgoing(participant=me, edition=edition))
    seen: set[int] = set()
    for box in boxes:
        qs = box.select_related(*_REQUEST_RELATED).prefetch_related(
            "titles", "meeting__seats__participant__organisation"
        )
        if params.state:
            qs = qs.filter(state=params.state)
        for r in qs:
            if r.pk not in seen:
                seen.add(r.pk)
                rows.append(r)
    rows.sort(key=lambda r: (r.created_at, r.pk), reverse=True)
    return [_request_out(r) for r in rows]


@router.get(
    "/meetings/requests/{request_id}",
    response=responses({200: RequestOut}, 401, 404),
    summary="One meeting request",
)
def get_meeting_request(request: HttpRequest, request_id: Id) -> dict[str, Any]:
    return _fresh(_visible_request(request, request_id).pk)


@router.post(
    "/meetings/requests",
    response=responses({201: RequestOut}, 401, 403, 404, 409, 429),
    summary="Request a meeting",
    **_WRITE,
)
@meeting_errors
def create_meeting_request(request: HttpRequest, payload: RequestIn) -> Status:
    """Give ``person_id`` or ``organisation`` (exactly one)."""
    edition = _edition()
    person = organisation = None
    if payload.person_id is not None:
        person = Participant.objects.filter(pk=payload.person_id).first()
        if person is None:
            raise ApiError(
                422, "The request is not valid.", fields={"body.person_id": ["Unknown person."]}
            )
    if payload.organisation:
        organisation = Organisation.objects.filter(slug=payload.organisation).first()
        if organisation is None:
            raise ApiError(
                422,
                "The request is not valid.",
                fields={"body.organisation": ["Unknown organisation."]},
            )
    titles = list(Title.objects.filter(pk__in=payload.title_ids, is_published=True))
    if len(titles) != len(set(payload.title_ids)):
        raise ApiError(
            422, "The request is not valid.", fields={"body.title_ids": ["Unknown title."]}
        )
    created = services_web.request_create(
        actor=request.auth,
        edition=edition,
        target_person=person,
        target_organisation=organisation,
        message=payload.message,
        titles=titles,
        priority=payload.priority,
    )
    return Status(201, _fresh(created.pk))


@router.post(
    "/meetings/requests/{request_id}/accept",
    response=responses({200: RequestOut}, 401, 403, 404, 409, 429),
    summary="Accept a request",
    **_WRITE,
)
@meeting_errors
def accept_meeting_request(
    request: HttpRequest, request_id: Id, payload: AcceptIn
) -> dict[str, Any]:
    """In self-booking editions you may instead accept and book at once (``/book``)."""
    found = _visible_request(request, request_id)
    services_web.request_accept(actor=request.auth, request=found, priority=payload.priority)
    return _fresh(found.pk)


@router.post(
    "/meetings/requests/{request_id}/decline",
    response=responses({200: RequestOut}, 401, 403, 404, 409, 429),
    summary="Decline a request",
    **_WRITE,
)
@meeting_errors
def decline_meeting_request(
    request: HttpRequest, request_id: Id, payload: DeclineIn
) -> dict[str, Any]:
    found = _visible_request(request, request_id)
    services_web.request_decline(
        actor=request.auth, request=found, note=payload.note, no_thanks=payload.no_thanks
    )
    return _fresh(found.pk)


@router.post(
    "/meetings/requests/{request_id}/cancel",
    response=responses({200: RequestOut}, 401, 403, 404, 409, 429),
    summary="Cancel a request (and its meeting)",
    **_WRITE,
)
@meeting_errors
def cancel_meeting_request(
    request: HttpRequest, request_id: Id, payload: CancelIn
) -> dict[str, Any]:
    found = _visible_request(request, request_id)
    services_web.request_cancel(actor=request.auth, request=found, note=payload.note)
    return _fresh(found.pk)


@router.get(
    "/meetings/requests/{request_id}/free-slots",
    response=responses({200: list[SlotOptionOut]}, 401, 404),
    summary="Slots and places free for both sides",
)
@meeting_errors
def meeting_free_slots(request: HttpRequest, request_id: Id) -> list[dict[str, Any]]:
    """For a company request still unanswered, the free slots are yours and the requester's
    (you would take the meeting)."""
    found = _visible_request(request, request_id)
    me = participant_of(request.auth)
    counterpart = None
    if found.is_company_request and found.counterpart_id is None and me is not None:
        counterpart = me
    options = selectors.free_slots_for(request=found, counterpart=counterpart)
    booth_ids = {p.booth_id for o in options for p in o.places if p.booth_id}
    booths = Booth.objects.select_related("hall").in_bulk(booth_ids)
    zone = ZoneInfo(found.edition.time_zone)

    def label(place: Place) -> str:
        if place.kind == LocationKind.BOOTH and place.booth_id in booths:
            booth = booths[place.booth_id]
            return _("Booth %(booth)s (hall %(hall)s)") % {
                "booth": booth.number,
                "hall": booth.hall.code,
            }
        return str(LocationKind(place.kind).label)

    return [
        {
            "starts_at": o.slot.start,
            "ends_at": o.slot.end,
            "venue_time": f"{o.slot.start.astimezone(zone):%Y-%m-%d %H:%M}",
            "places": [
                {"kind": p.kind, "booth_id": p.booth_id, "label": label(p)} for p in o.places
            ],
        }
        for o in options
    ]


@router.post(
    "/meetings/requests/{request_id}/book",
    response=responses({201: MeetingOut}, 401, 403, 404, 409, 429),
    summary="Book a slot (accepting first when the request is still open)",
    **_WRITE,
)
@meeting_errors
def book_meeting(request: HttpRequest, request_id: Id, payload: BookIn) -> Status:
    found = _visible_request(request, request_id)
    if payload.place.kind == LocationKind.BOOTH:
        if payload.place.booth_id is None:
            raise ApiError(
                422, "The request is not valid.", fields={"body.place.booth_id": ["Required."]}
            )
        place = Place.booth(payload.place.booth_id)
    else:
        place = Place(LocationKind(payload.place.kind))
    meeting = services_web.request_book(
        actor=request.auth,
        request=found,
        slot=payload.starts_at,
        place=place,
        priority=payload.priority,
        online_link=payload.online_link,
    )
    return Status(201, _meeting_out(_meeting(meeting.pk)))


def _meeting(pk: int) -> Meeting:
    return (
        Meeting.objects.select_related(
            "edition", "booth__hall", "request__requester", "request__counterpart"
        )
        .prefetch_related("seats__participant__organisation", "request__titles")
        .get(pk=pk)
    )


# --- agenda, availability, check-in ----------------------------------------------------------


@router.get(
    "/meetings/agenda",
    response=responses({200: list[MeetingOut]}, 401, 403),
    summary="My agenda",
)
def my_agenda(request: HttpRequest) -> list[dict[str, Any]]:
    """Your published meetings of the current edition, by start time."""
    me, edition = _me(request), _edition()
    return [_meeting_out(m) for m in selectors.agenda_for(participant=me, edition=edition)]


def _availability_days(grid: MeetingGrid, me: Participant) -> list[dict[str, Any]]:
    free = selectors.free_masks(grid=grid, participant_ids=[me.pk])[me.pk]
    booked = selectors.booked_masks(grid=grid, participant_ids=[me.pk]).get(me.pk, {})
    busy = dict(
        AvailabilityDay.objects.filter(edition_id=grid.edition_id, participant=me).values_list(
            "day", "busy_mask"
        )
    )
    return [
        {
            "day": day,
            "slots": grid.spec.slots_per_day,
            "busy_mask": busy.get(day, 0),
            "free_mask": free.get(day, 0),
            "booked_mask": booked.get(day, 0),
            "slot_starts": [s.start for s in day_slots(grid.spec, day)],
        }
        for day in grid.spec.days
    ]


@router.get(
    "/meetings/availability",
    response=responses({200: list[AvailabilityDayOut]}, 401, 403, 404),
    summary="My availability per day",
)
def my_availability(request: HttpRequest) -> list[dict[str, Any]]:
    me = _me(request)
    return _availability_days(_grid(_edition()), me)


@router.put(
    "/meetings/availability/{day}",
    response=responses({200: AvailabilityDayOut}, 401, 403, 404, 429),
    summary="Replace one day's busy slots",
    **_WRITE,
)
@meeting_errors
def set_my_availability(request: HttpRequest, day: date, payload: AvailabilityIn) -> dict[str, Any]:
    """``busy_mask``: bit i set = slot i of the day busy (0 frees the whole day)."""
    me, edition = _me(request), _edition()
    grid = _grid(edition)
    services.availability_set_day(
        actor=request.auth, participant=me, edition=edition, day=day, busy_mask=payload.busy_mask
    )
    return next(d for d in _availability_days(grid, me) if d["day"] == day)


@router.post(
    "/meetings/{meeting_id}/check-in",
    response=responses({200: MeetingOut}, 401, 403, 404, 409, 429),
    summary="Record a meeting as held or no-show",
    **_WRITE,
)
@meeting_errors
def check_in_meeting(request: HttpRequest, meeting_id: Id, payload: CheckInIn) -> dict[str, Any]:
    meeting = Meeting.objects.select_related("request").filter(pk=meeting_id).first()
    if meeting is None or not may_view_request(request.auth, meeting.request):
        raise ApiError(404, "No such meeting.")
    services_web.meeting_check_in(actor=request.auth, meeting=meeting, held=payload.held)
    return _meeting_out(_meeting(meeting.pk))

"""Booking, moving, cancelling, checking in and publishing meetings.

No double-booking, under any concurrency: a booking inserts one live ``MeetingSeat`` per
person and slot and one ``TableSlot`` per table and slot, both unique in the database, all
in the transaction that schedules the request. The reads before the inserts only produce
friendly messages; the constraints decide.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reelmarket.market.enums import Attendance
from reelmarket.market.models import Booth, Edition, Participant
from reelmarket.market.rules import is_organiser
from reelmarket.meetings import selectors
from reelmarket.meetings.enums import (
    LocationKind,
    MeetingStatus,
    Place,
    Priority,
    RequestState,
    SchedulingMode,
)
from reelmarket.meetings.errors import MeetingError
from reelmarket.meetings.models import Meeting, MeetingGrid, MeetingRequest, MeetingSeat, TableSlot
from reelmarket.meetings.rules import may_act_on_request, may_manage_grid
from reelmarket.meetings.services_requests import _lock, _log, _transition, request_accept
from reelmarket.meetings.slots import Slot, slot_at

S = RequestState


def _when(grid: MeetingGrid, slot: Slot) -> str:
    local = slot.start.astimezone(ZoneInfo(grid.edition.time_zone))
    return f"{local:%Y-%m-%d %H:%M} ({grid.edition.time_zone})"


def _grid_slot(grid: MeetingGrid, start: datetime) -> Slot:
    slot = slot_at(grid.spec, start)
    if slot is None:
        raise MeetingError("not_a_slot", _("That time is not a slot of the meeting grid."))
    return slot


def _people(request: MeetingRequest) -> list[Participant]:
    """Everyone in the meeting: the two sides, then their colleagues (each once)."""
    people = {p.pk: p for p in (request.requester, request.counterpart) if p is not None}
    for colleague in request.colleagues.order_by("pk"):
        people.setdefault(colleague.pk, colleague)
    return list(people.values())


def _check_people(
    grid: MeetingGrid, people: list[Participant], slot: Slot, *, exclude_meeting_id: int | None
) -> None:
    ids = [p.pk for p in people]
    offered = selectors.availability_masks(grid=grid, participant_ids=ids)
    booked = selectors.booked_masks(
        grid=grid, participant_ids=ids, exclude_meeting_id=exclude_meeting_id
    )
    bit = 1 << slot.index
    for person in people:
        if booked.get(person.pk, {}).get(slot.day, 0) & bit:
            raise _busy(grid, person, slot)
        if not offered[person.pk][slot.day] & bit:
            raise MeetingError(
                "unavailable",
                _("%(name)s is not available at %(when)s.")
                % {"name": person.display_name, "when": _when(grid, slot)},
            )


def _busy(grid: MeetingGrid, person: Participant, slot: Slot) -> MeetingError:
    return MeetingError(
        "busy",
        _("%(name)s already has a meeting at %(when)s.")
        % {"name": person.display_name, "when": _when(grid, slot)},
    )


def _check_place(
    grid: MeetingGrid, request: MeetingRequest, place: Place, *, organiser: bool
) -> Booth | None:
    people = [p.pk for p in _people(request)]
    attendance = selectors.attendance_of(edition=grid.edition, participant_ids=people)
    if place.kind != LocationKind.ONLINE and Attendance.ONLINE in attendance.values():
        raise MeetingError(
            "online_required", _("One of you takes part online: the meeting must be online.")
        )
    if place.kind == LocationKind.SHARED:
        if grid.shared_tables == 0:
            raise MeetingError("bad_location", _("This edition has no shared meeting area."))
        return None
    if place.kind != LocationKind.BOOTH:
        return None
    booth = (
        Booth.objects.filter(pk=place.booth_id, hall__edition=grid.edition)
        .select_related("hall")
        .first()
    )
    if booth is None:
        raise MeetingError("bad_location", _("No such booth at this edition."))
    own = {p.pk for p in selectors.booths_of(edition=grid.edition, organisation_ids=_orgs(request))}
    if booth.pk not in own and not organiser:
        raise MeetingError(
            "booth_not_yours", _("Meet at your own booth, your counterpart's, or elsewhere.")
        )
    return booth


def _orgs(request: MeetingRequest) -> list[int | None]:
    return [
        p.organisation_id
        for p in (request.requester, request.counterpart)
        if p is not None and p.organisation_confirmed
    ]


def _take_seats(meeting: Meeting, grid: MeetingGrid, people: list[Participant], slot: Slot) -> None:
    for person in people:
        try:
            with transaction.atomic():
                seat, created = MeetingSeat.objects.get_or_create(
                    meeting=meeting,
                    participant=person,
                    defaults={"starts_at": slot.start, "released": False},
                )
                if not created:
                    seat.starts_at = slot.start
                    seat.released = False
                    seat.save(update_fields=["starts_at", "released"])
        except IntegrityError:
            raise _busy(grid, person, slot) from None


def _take_table(
    meeting: Meeting,
    grid: MeetingGrid,
    place: Place,
    booth: Booth | None,
    slot: Slot,
    *,
    organiser: bool,
) -> int | None:
    """Insert the first free table for the slot; a table a parallel booking took first
    fails its unique constraint and the next one is tried."""
    TableSlot.objects.filter(meeting=meeting).delete()
    if place.kind == LocationKind.ONLINE:
        return None
    capacity = (
        booth.tables
        if booth is not None
        else (grid.shared_tables if organiser else grid.bookable_shared_tables)
    )
    taken = selectors.taken_tables(edition=grid.edition, place=place, starts=[slot.start])
    for table in range(1, capacity + 1):
        if table in taken.get(slot.start, set()):
            continue
        try:
            with transaction.atomic():
                TableSlot.objects.create(
                    meeting=meeting,
                    edition=grid.edition,
                    booth=booth,
                    table=table,
                    starts_at=slot.start,
                )
            return table
        except IntegrityError:
            continue
    if booth is not None:
        message = _("All %(n)d tables at booth %(booth)s are taken at %(when)s.") % {
            "n": booth.tables,
            "booth": booth.number,
            "when": _when(grid, slot),
        }
    else:
        message = _("All shared tables are taken at %(when)s.") % {"when": _when(grid, slot)}
    raise MeetingError("location_full", message)


def _may_self_book(grid: MeetingGrid, actor: Any) -> bool:
    return grid.mode == SchedulingMode.SELF_BOOKING or is_organiser(actor)


def meeting_book(
    *,
    actor: Any,
    request: MeetingRequest,
    slot: datetime,
    place: Place,
    online_link: str = "",
    provisional: bool = False,
    now: datetime | None = None,
) -> Meeting:
    """Put an accepted request into a slot and a place; the request becomes scheduled.

    Self-booked meetings are published at once; organisers may place ``provisional`` ones
    (the optimiser's draft). Raises MeetingError with code busy / unavailable /
    location_full / not_a_slot / bad_location / booth_not_yours / online_required /
    self_booking_closed / invalid_transition.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(request)
        if not may_act_on_request(actor, locked):
            raise PermissionDenied(_("Only the two sides or the organisers may book."))
        organiser = is_organiser(actor)
        if provisional and not organiser:
            raise PermissionDenied(_("Only organisers place provisional meetings."))
        grid = selectors.grid_for(locked.edition)
        if not _may_self_book(grid, actor):
            raise MeetingError(
                "self_booking_closed", _("The organisers schedule this edition's meetings.")
            )
        if locked.state != S.ACCEPTED:
            raise MeetingError(
                "invalid_transition",
                _("A request that is %(state)s cannot be booked.")
                % {"state": S(locked.state).label},
            )
        if Meeting.objects.filter(request=locked).exists():
            raise MeetingError(
                "already_placed",
                _(
                    "The optimiser's draft grid already places this request; publish the "
                    "grid or run the optimiser again instead."
                ),
            )
        the_slot = _grid_slot(grid, slot)
        booth = _check_place(grid, locked, place, organiser=organiser)
        people = _people(locked)
        _check_people(grid, people, the_slot, exclude_meeting_id=None)
        meeting = Meeting.objects.create(
            request=locked,
            edition=locked.edition,
            starts_at=the_slot.start,
            ends_at=the_slot.end,
            location_kind=place.kind,
            booth=booth,
            table_number=None if place.kind == LocationKind.ONLINE else 0,
            online_link=online_link,
            status=MeetingStatus.PROVISIONAL if provisional else MeetingStatus.PUBLISHED,
            published_at=None if provisional else now,
        )
        _take_seats(meeting, grid, people, the_slot)
        table = _take_table(meeting, grid, place, booth, the_slot, organiser=organiser)
        if table is not None:
            meeting.table_number = table
            meeting.save(update_fields=["table_number"])
        _transition(locked, S.SCHEDULED, actor=actor, note=_when(grid, the_slot))
    return meeting


def _lock_meeting(meeting: Meeting) -> tuple[MeetingRequest, Meeting]:
    locked_request = _lock(meeting.request)
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    locked_request.meeting = locked
    locked.request = locked_request
    return locked_request, locked


def meeting_reschedule(
    *,
    actor: Any,
    meeting: Meeting,
    slot: datetime,
    place: Place | None = None,
    online_link: str | None = None,
) -> Meeting:
    """Move a live meeting to another slot (and place); its iCalendar SEQUENCE goes up."""
    with transaction.atomic():
        request, locked = _lock_meeting(meeting)
        if not may_act_on_request(actor, request):
            raise PermissionDenied(_("Only the two sides or the organisers may move a meeting."))
        organiser = is_organiser(actor)
        grid = selectors.grid_for(request.edition)
        if not _may_self_book(grid, actor):
            raise MeetingError(
                "self_booking_closed", _("The organisers schedule this edition's meetings.")
            )
        if locked.status == MeetingStatus.CANCELLED or request.state != S.SCHEDULED:
            raise MeetingError("not_movable", _("Only a scheduled meeting can be moved."))
        if place is None:
            place = Place(LocationKind(locked.location_kind), locked.booth_id)
        the_slot = _grid_slot(grid, slot)
        booth = _check_place(grid, request, place, organiser=organiser)
        people = [s.participant for s in locked.seats.select_related("participant")]
        _check_people(grid, people, the_slot, exclude_meeting_id=locked.pk)
        before = locked.starts_at
        _take_seats(locked, grid, people, the_slot)
        table = _take_table(locked, grid, place, booth, the_slot, organiser=organiser)
        locked.starts_at, locked.ends_at = the_slot.start, the_slot.end
        locked.location_kind = place.kind
        locked.booth = booth
        locked.table_number = table
        if online_link is not None:
            locked.online_link = online_link
        locked.sequence += 1
        locked.save()
        zone = ZoneInfo(grid.edition.time_zone)
        _log(
            request,
            actor=actor,
            from_state=S.SCHEDULED,
            to_state=S.SCHEDULED,
            note=_("Moved from %(before)s to %(after)s.")
            % {
                "before": f"{before.astimezone(zone):%Y-%m-%d %H:%M}",
                "after": _when(grid, the_slot),
            },
        )
    return locked


def meeting_cancel(*, actor: Any, meeting: Meeting, note: str = "") -> Meeting:
    """Cancel the meeting and its request; the row stays (STATUS:CANCELLED in feeds)."""
    with transaction.atomic():
        request, locked = _lock_meeting(meeting)
        if not may_act_on_request(actor, request):
            raise PermissionDenied(_("Only the two sides or the organisers may cancel."))
        _transition(request, S.CANCELLED, actor=actor, note=note)
    locked.refresh_from_db()
    return locked


def meeting_check_in(
    *, actor: Any, meeting: Meeting, held: bool, note: str = "", now: datetime | None = None
) -> Meeting:
    """Record that a published meeting took place (held) or that someone did not come."""
    now = now or timezone.now()
    with transaction.atomic():
        request, locked = _lock_meeting(meeting)
        if not may_act_on_request(actor, request):
            raise PermissionDenied(_("Only the two sides or the organisers may check in."))
        if locked.starts_at > now:
            raise MeetingError("not_started", _("The meeting has not started yet."))
        _transition(request, S.HELD if held else S.NO_SHOW, actor=actor, note=note)
    return locked


def meetings_publish(*, actor: Any, edition: Edition, now: datetime | None = None) -> int:
    """Publish every provisional meeting of the edition; returns how many."""
    if not may_manage_grid(actor):
        raise PermissionDenied(_("Only organisers publish the meeting grid."))
    now = now or timezone.now()
    with transaction.atomic():
        return Meeting.objects.filter(edition=edition, status=MeetingStatus.PROVISIONAL).update(
            status=MeetingStatus.PUBLISHED, published_at=now, updated_at=now
        )


def request_accept_and_book(
    *,
    actor: Any,
    request: MeetingRequest,
    slot: datetime,
    place: Place,
    priority: str = Priority.MEET,
    online_link: str = "",
    now: datetime | None = None,
) -> Meeting:
    """Self-booking's one click: accept and book in one transaction. If the slot or the
    place is gone, nothing happens and the request stays unanswered."""
    with transaction.atomic():
        request_accept(actor=actor, request=request, priority=priority, now=now)
        return meeting_book(
            actor=actor, request=request, slot=slot, place=place, online_link=online_link, now=now
        )


def _colleagues_check(request: MeetingRequest, colleagues: Sequence[Participant]) -> None:
    """Each colleague is confirmed staff of the requester's or the counterpart's company."""
    orgs = selectors.colleague_organisations(request)
    for colleague in colleagues:
        if not (colleague.organisation_confirmed and colleague.organisation_id in orgs):
            raise MeetingError(
                "not_staff",
                _("%(name)s is not confirmed staff of either company.")
                % {"name": colleague.display_name},
            )


def request_colleagues_set(
    *, actor: Any, request: MeetingRequest, colleagues: Sequence[Participant]
) -> MeetingRequest:
    """Set the colleagues joining the meeting (replacing the earlier list). Either side or
    an organiser; while the request is requested, accepted or scheduled. When it already has
    a live meeting, the new colleagues must be free in its slot and get seats there; removed
    ones lose theirs. Raises MeetingError not_staff / busy / unavailable / invalid_transition
    or PermissionDenied."""
    with transaction.atomic():
        locked = _lock(request)
        if not may_act_on_request(actor, locked):
            raise PermissionDenied(_("Only the two sides or the organisers may add colleagues."))
        if locked.state not in (S.REQUESTED, S.ACCEPTED, S.SCHEDULED):
            raise MeetingError(
                "invalid_transition",
                _("A request that is %(state)s cannot change its people.")
                % {"state": S(locked.state).label},
            )
        sides = {locked.requester_id, locked.counterpart_id}
        chosen = list({c.pk: c for c in colleagues if c.pk not in sides}.values())
        _colleagues_check(locked, chosen)
        meeting = Meeting.objects.filter(request=locked).exclude(status=MeetingStatus.CANCELLED)
        live = meeting.select_for_update().first()
        if live is not None:
            grid = selectors.grid_for(locked.edition)
            the_slot = _grid_slot(grid, live.starts_at)
            seated = set(live.seats.filter(released=False).values_list("participant_id", flat=True))
            new = [c for c in chosen if c.pk not in seated]
            _check_people(grid, new, the_slot, exclude_meeting_id=live.pk)
            keep = sides | {c.pk for c in chosen}
            MeetingSeat.objects.filter(meeting=live).exclude(participant_id__in=keep).delete()
            _take_seats(live, grid, new, the_slot)
        locked.colleagues.set(chosen)
        names = ", ".join(c.display_name for c in chosen) or "-"
        _log(
            locked,
            actor=actor,
            from_state=locked.state,
            to_state=locked.state,
            note=_("Colleagues: %(names)s") % {"names": names},
        )
    return locked

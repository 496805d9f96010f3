"""Reads of the meetings app: grids, free slots, agendas, quotas, feeds."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from reelmarket.market.enums import Attendance, Vetting
from reelmarket.market.models import Booth, Edition, Participant, Registration
from reelmarket.meetings.enums import (
    CONSUMING_STATES,
    OPEN_STATES,
    LocationKind,
    MeetingStatus,
    Place,
)
from reelmarket.meetings.errors import MeetingError
from reelmarket.meetings.models import (
    AvailabilityDay,
    CalendarFeed,
    Meeting,
    MeetingGrid,
    MeetingRequest,
    MeetingSeat,
    PairBlock,
    QuotaUsage,
    TableSlot,
    WorkingHours,
)
from reelmarket.meetings.slots import Slot, day_slots, working_hours_mask

# Online participants who have not given working hours are assumed to work these hours
# in their profile's time zone.
DEFAULT_WORKING_HOURS = (time(9, 0), time(18, 0))


def grid_for(edition: Edition) -> MeetingGrid:
    try:
        return MeetingGrid.objects.select_related("edition").get(edition=edition)
    except MeetingGrid.DoesNotExist:
        raise MeetingError("no_grid", _("Meetings are not open for this edition.")) from None


# ---- availability -------------------------------------------------------------------------


def attendance_of(*, edition: Edition, participant_ids: Iterable[int]) -> dict[int, str]:
    """Attendance per participant (in person when not registered)."""
    ids = list(participant_ids)
    found = dict(
        Registration.objects.filter(edition=edition, participant_id__in=ids).values_list(
            "participant_id", "attendance"
        )
    )
    return {pid: found.get(pid, Attendance.IN_PERSON) for pid in ids}


def availability_masks(
    *, grid: MeetingGrid, participant_ids: Iterable[int]
) -> dict[int, dict[date, int]]:
    """Slots each person offers, per venue day: the base window minus slots marked busy.

    The base window is every grid slot for people attending in person, and the slots inside
    their working hours (their own time zone) for online participants. Booked meetings are
    not subtracted here (see ``booked_masks``).
    """
    ids = list(dict.fromkeys(participant_ids))
    spec = grid.spec
    attendance = attendance_of(edition=grid.edition, participant_ids=ids)
    zones = dict(Participant.objects.filter(pk__in=ids).values_list("pk", "time_zone"))
    hours = {
        w.participant_id: w
        for w in WorkingHours.objects.filter(edition_id=grid.edition_id, participant_id__in=ids)
    }
    busy: dict[tuple[int, date], int] = {
        (a.participant_id, a.day): a.busy_mask
        for a in AvailabilityDay.objects.filter(
            edition_id=grid.edition_id, participant_id__in=ids, day__in=spec.days
        )
    }
    online_cache: dict[tuple[str, time, time, date], int] = {}
    out: dict[int, dict[date, int]] = {}
    for pid in ids:
        per_day = {}
        for day in spec.days:
            if attendance[pid] == Attendance.ONLINE:
                if pid in hours:
                    key = (hours[pid].time_zone, hours[pid].start, hours[pid].end, day)
                else:
                    key = (zones.get(pid, "UTC"), *DEFAULT_WORKING_HOURS, day)
                if key not in online_cache:
                    online_cache[key] = working_hours_mask(
                        spec, day, zone=key[0], start=key[1], end=key[2]
                    )
                base = online_cache[key]
            else:
                base = spec.full_mask
            per_day[day] = base & ~busy.get((pid, day), 0)
        out[pid] = per_day
    return out


def booked_masks(
    *, grid: MeetingGrid, participant_ids: Iterable[int], exclude_meeting_id: int | None = None
) -> dict[int, dict[date, int]]:
    """Slots each person already has a live meeting in (provisional or published)."""
    spec = grid.spec
    zone = ZoneInfo(spec.zone)
    by_day = {day: {s.start: s.index for s in day_slots(spec, day)} for day in spec.days}
    seats = MeetingSeat.objects.filter(
        participant_id__in=list(participant_ids), released=False
    ).exclude(meeting_id=exclude_meeting_id)
    out: dict[int, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    for pid, start in seats.values_list("participant_id", "starts_at"):
        day = start.astimezone(zone).date()
        index = by_day.get(day, {}).get(start)
        if index is not None:
            out[pid][day] |= 1 << index
    return out


def free_masks(
    *, grid: MeetingGrid, participant_ids: Iterable[int], exclude_meeting_id: int | None = None
) -> dict[int, dict[date, int]]:
    """Slots each person offers and has no meeting in."""
    ids = list(participant_ids)
    offered = availability_masks(grid=grid, participant_ids=ids)
    booked = booked_masks(grid=grid, participant_ids=ids, exclude_meeting_id=exclude_meeting_id)
    return {
        pid: {day: mask & ~booked.get(pid, {}).get(day, 0) for day, mask in days.items()}
        for pid, days in offered.items()
    }


# ---- locations ------------------------------------------------------------------------------


def booths_of(*, edition: Edition, organisation_ids: Iterable[int | None]) -> list[Booth]:
    ids = [i for i in organisation_ids if i is not None]
    return list(
        Booth.objects.filter(
            hall__edition=edition,
            exhibitor__organisation_id__in=ids,
        ).order_by("hall__code", "number")
    )


def places_for(*, request: MeetingRequest, counterpart: Participant | None = None) -> list[Place]:
    """Where the request's meeting may take place: the booths of the two sides' organisations
    (the counterpart's first), the shared area, online. Online only when either side is online.
    """
    counterpart = counterpart or request.counterpart
    people = [request.requester_id] + ([counterpart.pk] if counterpart else [])
    attendance = attendance_of(edition=request.edition, participant_ids=people)
    if any(a == Attendance.ONLINE for a in attendance.values()):
        return [Place.online()]
    grid = grid_for(request.edition)
    org_ids: list[int | None] = []
    if counterpart and counterpart.organisation_confirmed:
        org_ids.append(counterpart.organisation_id)
    if request.requester.organisation_confirmed:
        org_ids.append(request.requester.organisation_id)
    places = []
    for org_id in dict.fromkeys(org_ids):
        places += [
            Place.booth(b.pk) for b in booths_of(edition=request.edition, organisation_ids=[org_id])
        ]
    if grid.shared_tables:
        places.append(Place.shared())
    places.append(Place.online())
    return places


def table_capacity(*, grid: MeetingGrid, place: Place, include_reserve: bool) -> int:
    if place.kind == LocationKind.SHARED:
        return grid.shared_tables if include_reserve else grid.bookable_shared_tables
    if place.kind == LocationKind.BOOTH:
        return Booth.objects.get(pk=place.booth_id).tables
    return 0


def taken_tables(
    *, edition: Edition, place: Place, starts: Iterable[datetime]
) -> dict[datetime, set[int]]:
    """Table numbers already taken at ``place`` for each slot start."""
    rows = TableSlot.objects.filter(edition=edition, starts_at__in=list(starts))
    if place.kind == LocationKind.BOOTH:
        rows = rows.filter(booth_id=place.booth_id)
    else:
        rows = rows.filter(booth__isnull=True)
    out: dict[datetime, set[int]] = defaultdict(set)
    for start, table in rows.values_list("starts_at", "table"):
        out[start].add(table)
    return out


@dataclass(frozen=True)
class SlotOption:
    slot: Slot
    places: tuple[Place, ...]


def free_slots_for(
    *,
    request: MeetingRequest,
    counterpart: Participant | None = None,
    include_reserve: bool = False,
    exclude_meeting_id: int | None = None,
) -> list[SlotOption]:
    """Slots both sides have free, each with the places that still have a free table.

    ``counterpart`` stands in for the accepting staff member of a company request.
    ``include_reserve`` lets organisers see the shared area's held-back tables.
    """
    grid = grid_for(request.edition)
    counterpart = counterpart or request.counterpart
    people = [request.requester_id] + ([counterpart.pk] if counterpart else [])
    masks = free_masks(grid=grid, participant_ids=people, exclude_meeting_id=exclude_meeting_id)
    candidates: list[Slot] = []
    for day in grid.spec.days:
        common = grid.spec.full_mask
        for pid in people:
            common &= masks[pid][day]
        candidates += [s for s in day_slots(grid.spec, day) if common >> s.index & 1]
    starts = [s.start for s in candidates]
    places = places_for(request=request, counterpart=counterpart)
    room: list[tuple[Place, int, dict[datetime, set[int]]]] = []
    for place in places:
        if place.kind == LocationKind.ONLINE:
            room.append((place, -1, {}))
            continue
        capacity = table_capacity(grid=grid, place=place, include_reserve=include_reserve)
        taken = taken_tables(edition=request.edition, place=place, starts=starts)
        room.append((place, capacity, taken))
    out = []
    for slot in candidates:
        here = tuple(
            place
            for place, capacity, taken in room
            if capacity < 0 or len(taken.get(slot.start, ())) < capacity
        )
        if here:
            out.append(SlotOption(slot=slot, places=here))
    return out


# ---- requests, quotas, blocks -------------------------------------------------------------


def is_registered(*, edition: Edition, participant: Participant) -> bool:
    return Registration.objects.filter(
        edition=edition, participant=participant, vetting=Vetting.APPROVED
    ).exists()


def quota_limit(*, grid: MeetingGrid, participant: Participant) -> int | None:
    """The largest quota among the person's roles; None (no limit) when no role has one."""
    roles = list(participant.roles.values_list("role", flat=True))
    limits = list(grid.quotas.filter(role__in=roles).values_list("limit", flat=True))
    return max(limits) if limits else None


def quota_used(*, edition: Edition, participant: Participant) -> int:
    usage = QuotaUsage.objects.filter(edition=edition, participant=participant).first()
    return usage.used if usage else 0


def quota_used_by_states(*, edition: Edition, participant: Participant) -> int:
    """The same figure counted from request states (for checks and repair)."""
    return MeetingRequest.objects.filter(
        edition=edition, requester=participant, state__in=CONSUMING_STATES
    ).count()


def blocked_between(*, edition: Edition, a_id: int, b_id: int) -> bool:
    low, high = sorted((a_id, b_id))
    return PairBlock.objects.filter(edition=edition, low_id=low, high_id=high).exists()


def blocked_with_organisation(*, edition: Edition, person_id: int, organisation_id: int) -> bool:
    """A 'no thanks' between the person and any confirmed staff member of the organisation."""
    staff = Participant.objects.filter(
        organisation_id=organisation_id, organisation_confirmed=True
    ).values("pk")
    return PairBlock.objects.filter(
        Q(low_id=person_id, high_id__in=staff) | Q(high_id=person_id, low_id__in=staff),
        edition=edition,
    ).exists()


def blocked_pairs(*, edition: Edition) -> list[tuple[int, int]]:
    """All 'no thanks' pairs of the edition as (low id, high id), for the optimiser."""
    return list(PairBlock.objects.filter(edition=edition).values_list("low_id", "high_id"))


def requests_incoming(*, participant: Participant, edition: Edition) -> QuerySet[MeetingRequest]:
    """Requests to the person, or to their company while they are confirmed staff."""
    condition = Q(target_person=participant) | Q(counterpart=participant)
    if participant.organisation_id and participant.organisation_confirmed:
        condition |= Q(target_organisation_id=participant.organisation_id)
    return (
        MeetingRequest.objects.filter(condition, edition=edition)
        .select_related("requester", "target_person", "target_organisation", "counterpart")
        .distinct()
    )


def requests_outgoing(*, participant: Participant, edition: Edition) -> QuerySet[MeetingRequest]:
    return MeetingRequest.objects.filter(edition=edition, requester=participant).select_related(
        "target_person", "target_organisation", "counterpart"
    )


def open_request_between(*, edition: Edition, a_id: int, b_id: int) -> MeetingRequest | None:
    return MeetingRequest.objects.filter(
        Q(requester_id=a_id, target_person_id=b_id) | Q(requester_id=b_id, target_person_id=a_id),
        edition=edition,
        state__in=OPEN_STATES,
    ).first()


# ---- meetings -------------------------------------------------------------------------------


def _meetings() -> QuerySet[Meeting]:
    return Meeting.objects.select_related(
        "request__requester__organisation",
        "request__counterpart__organisation",
        "request__target_organisation",
        "booth__hall",
        "edition",
    ).prefetch_related("request__titles", "seats__participant__organisation")


def agenda_for(
    *, participant: Participant, edition: Edition | None = None, include_cancelled: bool = False
) -> QuerySet[Meeting]:
    """The person's published meetings (and cancelled ones when asked), by start time."""
    statuses = [MeetingStatus.PUBLISHED] + ([MeetingStatus.CANCELLED] if include_cancelled else [])
    meetings = _meetings().filter(
        seats__participant=participant, status__in=statuses, published_at__isnull=False
    )
    if edition is not None:
        meetings = meetings.filter(edition=edition)
    return meetings.order_by("starts_at", "id")


def meetings_for_feed(*, participant: Participant) -> QuerySet[Meeting]:
    """What the person's calendar feed carries: everything published, cancelled ones too."""
    return agenda_for(participant=participant, include_cancelled=True)


def participant_for_feed_token(token: str) -> Participant | None:
    if not token:
        return None
    feed = CalendarFeed.objects.select_related("participant").filter(token=token).first()
    return feed.participant if feed else None


def feed_token_of(participant: Participant) -> str | None:
    return (
        CalendarFeed.objects.filter(participant=participant).values_list("token", flat=True).first()
    )


def colleague_organisations(request: MeetingRequest) -> set[int]:
    """Ids of the companies whose confirmed staff may join the meeting as colleagues: the
    target company and the confirmed companies of both sides."""
    orgs = {request.target_organisation_id} - {None}
    for side in (request.requester, request.counterpart):
        if side is not None and side.organisation_confirmed and side.organisation_id:
            orgs.add(side.organisation_id)
    return orgs  # type: ignore[return-value]


def colleague_choices(*, request: MeetingRequest) -> list[Participant]:
    """Who may join this meeting as a colleague: confirmed staff of either company."""
    orgs = colleague_organisations(request)
    sides = {request.requester_id, request.counterpart_id}
    return list(
        Participant.objects.filter(organisation_id__in=orgs, organisation_confirmed=True)
        .exclude(pk__in=[pk for pk in sides if pk])
        .select_related("organisation")
        .order_by("organisation__name", "display_name", "pk")
    )

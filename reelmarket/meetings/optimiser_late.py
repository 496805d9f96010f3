"""Late acceptances: one request placed into the live grid, nothing else moved.

The solver state of the edition is cached in this process (``optimiser.late_grids``) and
rebuilt every ``LATE_CACHE_SECONDS`` or when a run is written or published. On every call
the two people are refreshed from the database (availability, meetings, online or not), so
they are exact; a table the cache believes free is checked again in the database, and the
unique constraints refuse any double booking: on a conflict the cache is rebuilt and the
placement tried once more.
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reelmarket.market.models import Edition
from reelmarket.meetings import selectors
from reelmarket.meetings.enums import PRIORITY_WEIGHT, LocationKind, MeetingStatus, RequestState
from reelmarket.meetings.errors import MeetingError
from reelmarket.meetings.models import Meeting, MeetingRequest, MeetingSeat, TableSlot
from reelmarket.meetings.optimiser import (
    LATE_CACHE_SECONDS,
    ONLINE,
    REASON_LABELS,
    LateGrid,
    _allowed,
    _booths_by_person,
    _build,
    _colleagues,
    _person_info,
    _pid,
    _pk,
    _rid,
    late_cache_clear,
    late_grids,
    late_guard,
)
from reelmarket.meetings.rules import may_act_on_request
from reelmarket.meetings.services_requests import _lock, _transition
from reelmarket.meetings.solver.incremental import place_late
from reelmarket.meetings.solver.model import Location, Person, Request, parse_instance
from reelmarket.meetings.solver.reasons import over_subscribed, reason_for
from reelmarket.meetings.solver.state import State
from reelmarket.meetings.tasks import announce

S = RequestState


def _late_grid(edition: Edition) -> LateGrid:
    with late_guard:
        cached = late_grids.get(edition.pk)
    if cached is not None and time.monotonic() - cached.at < LATE_CACHE_SECONDS:
        return cached
    built = _build(edition=edition, only_unpublished=True, pin_drafts=True)
    inst = parse_instance(built.doc)
    grid = LateGrid(
        built=built,
        state=State(inst),
        person={_pk(p.id): i for i, p in enumerate(inst.people)},
        loc={loc.id: i for i, loc in enumerate(inst.locations)},
        request={_pk(r.id): i for i, r in enumerate(inst.requests)},
        at=time.monotonic(),
    )
    with late_guard:
        late_grids[edition.pk] = grid
    return grid


def _refresh_people(g: LateGrid, edition: Edition, pids: list[int]) -> dict[int, bool]:
    """The two people's availability and meetings as the database has them now."""
    state, inst = g.state, g.state.inst
    spec = g.built.grid.spec
    spd = spec.slots_per_day
    offered = selectors.availability_masks(grid=g.built.grid, participant_ids=pids)
    booked = selectors.booked_masks(grid=g.built.grid, participant_ids=pids)
    online, zones = _person_info(edition, pids)
    for pid in pids:
        busy = sum(booked.get(pid, {}).get(day, 0) << (d * spd) for d, day in enumerate(spec.days))
        free = sum(offered[pid][day] << (d * spd) for d, day in enumerate(spec.days))
        if pid not in g.person:
            g.person[pid] = len(inst.people)
            inst.people.append(Person(_pid(pid), 0))
            state.busy.append(0)
            state.occ.append({})
        i = g.person[pid]
        inst.people[i] = Person(_pid(pid), free | busy, online[pid], zones.get(pid))
        state.busy[i] = busy
    return online


def _location_index(g: LateGrid, loc_id: str, tables: dict[int, int]) -> int:
    if loc_id not in g.loc:
        state, inst = g.state, g.state.inst
        count = tables[_pk(loc_id)]
        g.loc[loc_id] = len(inst.locations)
        inst.locations.append(Location(loc_id, "booth", count, count))
        g.built.booth_tables[_pk(loc_id)] = count
        state.cap.append(count)
        state.used.append([0] * state.n_slots)
        state.full.append(0 if count > 0 else state.all_mask)
    return g.loc[loc_id]


def _choose(g: LateGrid, edition: Edition, request: MeetingRequest) -> tuple[int, str | None]:
    """Add the request to the cached state and place it (index, reason if not placed)."""
    state, inst, grid = g.state, g.state.inst, g.built.grid
    pids = [request.requester_id, request.counterpart_id]
    pair = (request.requester_id, request.counterpart_id)
    with_a, with_b = _colleagues({request.pk: pair}).get(request.pk, ([], []))
    online = _refresh_people(g, edition, [*pids, *with_a, *with_b])
    booths, tables = _booths_by_person(edition, pids)
    allowed = _allowed(grid, *pids, online, booths)
    if any(online[p] for p in with_a + with_b):
        allowed = [ONLINE]
    locs = tuple(_location_index(g, loc, tables) for loc in allowed)
    a, b = (g.person[p] for p in pids)
    if selectors.blocked_between(edition=edition, a_id=pids[0], b_id=pids[1]):
        inst.no_thanks.add((min(a, b), max(a, b)))
    old = g.request.get(request.pk)
    if old is not None:  # known to the cache (e.g. left out by the run): retire that copy
        if state.assign[old] is not None:
            state.remove(old)
        state.common[old] = 0
    weight = sum(
        _side_weight(p) for p in (request.requester_priority, request.counterpart_priority)
    )
    side_a = (a, *(g.person[p] for p in with_a))
    side_b = (b, *(g.person[p] for p in with_b))
    late = Request(_rid(request.pk), side_a, side_b, weight, locs, inst.all_slots)
    r, where, reason = place_late(state, late)
    g.request[request.pk] = r
    if where is None and reason == "heuristic_loss":
        reason = reason_for(state, r, over_subscribed(state))
    return r, reason


def _side_weight(priority: str) -> int:
    return PRIORITY_WEIGHT.get(priority or "meet", PRIORITY_WEIGHT["meet"])


def _write_late(
    g: LateGrid, r: int, locked: MeetingRequest, *, actor: Any, now: datetime
) -> Meeting:
    state = g.state
    where = state.assign[r]
    assert where is not None
    t, li = where
    slot = g.built.slots[t]
    loc = state.inst.locations[li].id
    booth = _pk(loc) if loc.startswith("booth-") else None
    table = None
    if loc != ONLINE:
        capacity = g.built.booth_tables[booth] if booth else g.built.grid.bookable_shared_tables
        used = set(
            TableSlot.objects.filter(
                edition_id=locked.edition_id, booth_id=booth, starts_at=slot.start
            ).values_list("table", flat=True)
        )
        table = next((n for n in range(1, capacity + 1) if n not in used), None)
        if table is None:
            raise IntegrityError("the location filled up meanwhile")
    kind = LocationKind.BOOTH if booth else (LocationKind.SHARED if table else LocationKind.ONLINE)
    meeting = Meeting.objects.create(
        request=locked,
        edition_id=locked.edition_id,
        starts_at=slot.start,
        ends_at=slot.end,
        location_kind=kind,
        booth_id=booth,
        table_number=table,
        status=MeetingStatus.PUBLISHED,
        published_at=now,
    )
    MeetingSeat.objects.bulk_create(
        [
            MeetingSeat(meeting=meeting, participant_id=p, starts_at=slot.start)
            for p in dict.fromkeys(
                (
                    locked.requester_id,
                    locked.counterpart_id,
                    *locked.colleagues.order_by("pk").values_list("pk", flat=True),
                )
            )
        ]
    )
    if table is not None:
        TableSlot.objects.create(
            meeting=meeting, edition_id=locked.edition_id, booth_id=booth, table=table,
            starts_at=slot.start,
        )  # fmt: skip
    _transition(locked, S.SCHEDULED, actor=actor, note=_("Placed into the published grid."))
    return meeting


def request_place_late(
    *, actor: Any, request: MeetingRequest, now: datetime | None = None
) -> Meeting:
    """Place one accepted request into the live grid without moving any other meeting: the
    feasible slot whose location has the most free tables; published at once, the request
    becomes ``scheduled`` and both sides are told. When it does not fit, MeetingError with
    the reason as its code: no_thanks / no_common_free_slot / no_free_location /
    person_over_subscribed / heuristic_loss (nothing is written then)."""
    if not may_act_on_request(actor, request):
        raise PermissionDenied(_("Only the two sides or the organisers may place a meeting."))
    now = now or timezone.now()
    edition = request.edition
    for attempt in (1, 2):
        g = _late_grid(edition)
        with g.lock, transaction.atomic():
            locked = _lock(request)
            if locked.state != S.ACCEPTED or Meeting.objects.filter(request=locked).exists():
                raise MeetingError(
                    "not_placeable",
                    _("Only an accepted request without a meeting can be placed."),
                )
            r, reason = _choose(g, edition, locked)
            if reason is not None:
                raise MeetingError(reason, str(REASON_LABELS[reason]))
            try:
                with transaction.atomic():
                    meeting = _write_late(g, r, locked, actor=actor, now=now)
            except IntegrityError:
                state = g.state
                if state.assign[r] is not None:
                    state.remove(r)
                late_cache_clear(edition_id=edition.pk)
                if attempt == 2:
                    raise MeetingError(
                        "conflict", _("The grid changed meanwhile; please try again.")
                    ) from None
                continue
            announce(request_id=locked.pk, event="scheduled", actor_id=None)
            return meeting
    raise AssertionError("unreachable")

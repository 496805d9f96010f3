"""The organiser-run optimiser, Django side: load the edition into the solver's JSON, solve,
write the provisional grid in bulk, publish it, and place late acceptances one by one.

The solver (``meetings.solver``) imports no Django; this module loads, calls and saves.

Meetings and request states:

* A request the optimiser placed keeps the state ``accepted`` while its meeting is
  ``provisional`` (the draft): a re-run deletes drafts and places those requests again,
  which needs no backwards transition. ``schedule_publish`` moves them to ``scheduled``
  (one audit row each) and publishes every provisional meeting.
* A ``scheduled`` request's live meeting is never moved by the optimiser: ``published``
  ones enter the solver as ``published``, ``provisional`` ones an organiser booked by hand
  as ``fixed`` (pre-booked).
* ``request_place_late`` puts one newly accepted request into the live grid without moving
  anything, on a per-edition solver state cached in this process (people refreshed from the
  database on every call; the database constraints stay the judge of tables and seats).
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reelmarket.market.enums import Attendance
from reelmarket.market.models import Booth, Edition, Participant
from reelmarket.meetings import selectors
from reelmarket.meetings.enums import LocationKind, MeetingStatus, RequestState
from reelmarket.meetings.errors import MeetingError
from reelmarket.meetings.models import (
    Meeting,
    MeetingGrid,
    MeetingRequest,
    MeetingSeat,
    RequestEvent,
    ScheduleRun,
    TableSlot,
    WorkingHours,
)
from reelmarket.meetings.rules import may_manage_grid
from reelmarket.meetings.services_booking import meetings_publish
from reelmarket.meetings.slots import Slot, all_slots
from reelmarket.meetings.solver.check import check_schedule
from reelmarket.meetings.solver.model import (
    SolverInputError,
    parse_instance,
)
from reelmarket.meetings.solver.solve import result_document, solve
from reelmarket.meetings.solver.state import State

S = RequestState
Run = ScheduleRun.Status
SHARED, RESERVE, ONLINE = "shared", "shared-reserve", "online"
STALE_AFTER = 900.0  # seconds past its time limit after which a queued/running run is dead

REASON_LABELS: dict[str, Any] = {
    "no_thanks": gettext_lazy("A “no thanks” stands between the two sides"),
    "no_common_free_slot": gettext_lazy("No common free slot"),
    "no_free_location": gettext_lazy("No free table at an allowed location"),
    "person_over_subscribed": gettext_lazy("A participant is over-subscribed"),
    "heuristic_loss": gettext_lazy("Lost by the heuristic (another arrangement might fit it)"),
}


def _pid(pk: int) -> str:
    return f"p{pk}"


def _rid(pk: int) -> str:
    return f"r{pk}"


def _booth_loc(pk: int) -> str:
    return f"booth-{pk}"


def _pk(ident: str) -> int:
    return int(ident.rsplit("-", 1)[-1].lstrip("pr"))


# ---- loading the edition --------------------------------------------------------------------


@dataclass
class Built:
    """The solver document plus what is needed to turn its answer back into rows."""

    doc: dict[str, Any]
    grid: MeetingGrid
    slots: list[Slot]  # global slot number -> venue slot
    people: dict[int, tuple[int, ...]]  # request pk -> requester, counterpart, colleagues
    booth_tables: dict[int, int] = field(default_factory=dict)
    off_grid: int = 0  # scheduled meetings outside today's grid (not pinned)


def _person_info(edition: Edition, ids: list[int]) -> tuple[dict[int, bool], dict[int, str]]:
    """Online flag and the zone their hours are in (online people only)."""
    attendance = selectors.attendance_of(edition=edition, participant_ids=ids)
    online = {pid: attendance[pid] == Attendance.ONLINE for pid in ids}
    zones = dict(
        Participant.objects.filter(pk__in=[p for p in ids if online[p]]).values_list(
            "pk", "time_zone"
        )
    )
    zones.update(
        WorkingHours.objects.filter(
            edition=edition, participant_id__in=[p for p in ids if online[p]]
        ).values_list("participant_id", "time_zone")
    )
    return online, zones


def _booths_by_person(edition: Edition, ids: list[int]) -> tuple[dict[int, list[int]], dict]:
    """Booth pks of each person's confirmed organisation (hall, number order) and tables."""
    orgs = dict(
        Participant.objects.filter(pk__in=ids, organisation_confirmed=True).values_list(
            "pk", "organisation_id"
        )
    )
    by_org: dict[int, list[int]] = defaultdict(list)
    tables: dict[int, int] = {}
    rows = (
        Booth.objects.filter(
            hall__edition=edition, exhibitor__organisation_id__in=set(orgs.values())
        )
        .order_by("hall__code", "number", "pk")
        .values_list("exhibitor__organisation_id", "pk", "tables")
    )
    for org, booth, count in rows:
        by_org[org].append(booth)
        tables[booth] = count
    return {pid: by_org.get(org, []) for pid, org in orgs.items()}, tables


def _allowed(
    grid: MeetingGrid, requester: int, counterpart: int, online: dict, booths: dict
) -> list[str]:
    """Online when either side is online; else the counterpart's booths, the requester's,
    the shared area; online only when nothing else exists."""
    if online.get(requester) or online.get(counterpart):
        return [ONLINE]
    places = [_booth_loc(b) for b in booths.get(counterpart, []) + booths.get(requester, [])]
    if grid.bookable_shared_tables > 0:
        places.append(SHARED)
    return list(dict.fromkeys(places)) or [ONLINE]


def _colleagues(pairs: dict[int, tuple[int, int]]) -> dict[int, tuple[list[int], list[int]]]:
    """Colleagues per request pk (``pairs``: pk -> requester, counterpart), split by side:
    staff of the requester's confirmed company join side a, the others side b."""
    out: dict[int, tuple[list[int], list[int]]] = {}
    rows = (
        MeetingRequest.colleagues.through.objects.filter(meetingrequest_id__in=list(pairs))
        .order_by("meetingrequest_id", "participant_id")
        .values_list("meetingrequest_id", "participant_id", "participant__organisation_id")
    )
    orgs = dict(
        Participant.objects.filter(
            pk__in={a for a, _b in pairs.values()}, organisation_confirmed=True
        ).values_list("pk", "organisation_id")
    )
    for pk, pid, org in rows:
        if pid not in pairs[pk]:  # a colleague who is one of the two sides is there already
            a, b = out.setdefault(pk, ([], []))
            (a if org is not None and org == orgs.get(pairs[pk][0]) else b).append(pid)
    return out


def _build(*, edition: Edition, only_unpublished: bool = True, pin_drafts: bool = False) -> Built:
    grid = selectors.grid_for(edition)
    spec = grid.spec
    slots = all_slots(spec)
    spd = spec.slots_per_day
    slot_of = {s.start: t for t, s in enumerate(slots)}
    rows = list(
        MeetingRequest.objects.filter(
            edition=edition, state__in=[S.ACCEPTED, S.SCHEDULED], counterpart__isnull=False
        )
        .order_by("pk")
        .values_list(
            "pk", "state", "requester_id", "counterpart_id", "requester_priority",
            "counterpart_priority",
        )
    )  # fmt: skip
    live = {
        m[0]: m[1:]
        for m in Meeting.objects.filter(
            edition=edition, request__state__in=[S.ACCEPTED, S.SCHEDULED]
        )
        .exclude(status=MeetingStatus.CANCELLED)
        .values_list(
            "request_id", "status", "starts_at", "location_kind", "booth_id", "table_number"
        )
    }
    extra = _colleagues({r[0]: (r[2], r[3]) for r in rows})
    ids = sorted(
        {p for r in rows for p in (r[2], r[3])} | {p for a, b in extra.values() for p in a + b}
    )
    online, zones = _person_info(edition, ids)
    booths, tables = _booths_by_person(edition, ids)
    avail = selectors.availability_masks(grid=grid, participant_ids=ids)
    available = {
        pid: sum(avail[pid][day] << (d * spd) for d, day in enumerate(spec.days)) for pid in ids
    }
    requests, fixed, published, people = [], [], [], {}
    booth_used: set[int] = set()
    reserve_used = off_grid = 0
    bookable = grid.bookable_shared_tables
    for pk, state, requester, counterpart, prio_a, prio_b in rows:
        meeting = live.get(pk)
        with_a, with_b = extra.get(pk, ([], []))
        everyone = (requester, counterpart, *with_a, *with_b)
        pin = None
        if meeting is not None and (state == S.SCHEDULED or pin_drafts):
            status, start, kind, booth, table = meeting
            if status == MeetingStatus.PROVISIONAL or only_unpublished or state == S.ACCEPTED:
                if start not in slot_of:
                    off_grid += 1
                    continue
                if kind == LocationKind.BOOTH:
                    loc = _booth_loc(booth)
                    booth_used.add(booth)
                elif kind == LocationKind.SHARED:
                    loc = SHARED if (table or 0) <= bookable else RESERVE
                    reserve_used += loc == RESERVE
                else:
                    loc = ONLINE
                t = slot_of[start]
                pub = status == MeetingStatus.PUBLISHED
                pin = {"request": _rid(pk), "slot": t, "location": loc}
                (published if pub else fixed).append(pin)
                for p in everyone:
                    available[p] |= 1 << t
        elif state == S.SCHEDULED and meeting is None:
            continue
        locs = _allowed(grid, requester, counterpart, online, booths)
        if any(online[p] for p in with_a + with_b):
            locs = [ONLINE]
        if pin is not None and pin["location"] not in locs:
            locs.append(pin["location"])
        booth_used.update(_pk(loc) for loc in locs if loc.startswith("booth-"))
        people[pk] = everyone
        requests.append(
            {
                "id": _rid(pk),
                "side_a": [_pid(p) for p in (requester, *with_a)],
                "side_b": [_pid(p) for p in (counterpart, *with_b)],
                "priority_a": prio_a,
                "priority_b": prio_b or "meet",
                "locations": locs,
            }
        )
    if booth_used - tables.keys():
        tables.update(Booth.objects.filter(pk__in=booth_used).values_list("pk", "tables"))
    locations: list[dict[str, Any]] = [
        {"id": _booth_loc(b), "kind": "booth", "tables": tables[b]} for b in sorted(booth_used)
    ]
    if grid.shared_tables:
        locations.append(
            {
                "id": SHARED,
                "kind": "shared",
                "tables": grid.shared_tables,
                "reserve": grid.shared_reserve,
            }
        )
    if reserve_used:
        locations.append({"id": RESERVE, "kind": "shared", "tables": grid.shared_reserve})
    locations.append({"id": ONLINE, "kind": "online"})
    in_problem = set(ids)
    doc = {
        "format": "reelmarket-schedule-input",
        "version": 1,
        "edition": edition.slug,
        "grid": {"days": len(spec.days), "slots_per_day": spd},
        "people": [
            {
                "id": _pid(pid),
                "available": [t for t in range(len(slots)) if available[pid] >> t & 1],
                "online": online[pid],
                "time_zone": zones.get(pid) if online[pid] else None,
            }
            for pid in ids
        ],
        "locations": locations,
        "requests": requests,
        "fixed": fixed,
        "published": published,
        "no_thanks": [
            [_pid(a), _pid(b)]
            for a, b in sorted(selectors.blocked_pairs(edition=edition))
            if a in in_problem and b in in_problem
        ],
    }
    return Built(doc, grid, slots, people, tables, off_grid)


def problem_build(*, edition: Edition, only_unpublished: bool = True) -> dict[str, Any]:
    """The solver's input document for the edition's accepted and scheduled requests.

    People are ``p<participant id>``, requests ``r<request id>``, booths ``booth-<id>``;
    ``shared`` is the shared area (its reserve held back), ``online`` unlimited. Meetings of
    scheduled requests stay where they are: hand-booked provisional ones as ``fixed``,
    published ones as ``published`` — or, with ``only_unpublished=False``, free to move
    (a what-if of the whole grid). Drafts of accepted requests are always free.
    """
    return _build(edition=edition, only_unpublished=only_unpublished).doc


# ---- running the optimiser ------------------------------------------------------------------


def schedule_run_start(
    *, actor: Any, edition: Edition, time_limit: float = 30.0, seed: int = 0
) -> ScheduleRun:
    """Record a queued run; refused while another run of the edition is queued or running."""
    if not may_manage_grid(actor):
        raise PermissionDenied(_("Only organisers run the optimiser."))
    selectors.grid_for(edition)
    with transaction.atomic():
        Edition.objects.select_for_update().filter(pk=edition.pk).first()
        active = ScheduleRun.objects.filter(edition=edition, status__in=[Run.QUEUED, Run.RUNNING])
        # a run whose worker died (far past its time limit) no longer blocks new ones
        for stale in active:
            if (timezone.now() - stale.created_at).total_seconds() > stale.time_limit + STALE_AFTER:
                stale.status, stale.error = Run.FAILED, _("Abandoned: the worker stopped.")
                stale.save(update_fields=["status", "error"])
        if active.exists():
            raise MeetingError("run_active", _("The optimiser is already running."))
        return ScheduleRun.objects.create(
            edition=edition,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            time_limit=max(1.0, min(float(time_limit), 600.0)),
            seed=int(seed),
        )


def schedule_run_execute(*, run_id: int) -> ScheduleRun:
    """Solve and write the provisional grid for a queued run (idempotent: a run that is not
    queued is returned as it is). Failures are recorded on the run; unexpected ones are
    re-raised after that."""
    with transaction.atomic():
        run = ScheduleRun.objects.select_for_update().select_related("edition").get(pk=run_id)
        if run.status != Run.QUEUED:
            return run
        run.status, run.started_at = Run.RUNNING, timezone.now()
        run.save(update_fields=["status", "started_at"])
    try:
        _execute(run)
    except Exception as exc:
        run.status, run.error = Run.FAILED, _error_text(exc)
        run.finished_at = timezone.now()
        run.save()
        if not isinstance(exc, MeetingError | SolverInputError | IntegrityError):
            raise
    return run


def _error_text(exc: Exception) -> str:
    if isinstance(exc, IntegrityError):
        return _(
            "The grid changed while the optimiser ran (a meeting was booked meanwhile). "
            "Run it again."
        )
    return str(getattr(exc, "message", exc)) or type(exc).__name__


def _execute(run: ScheduleRun) -> None:
    t0 = time.perf_counter()
    built = _build(edition=run.edition, only_unpublished=True)
    timings = {"load": time.perf_counter() - t0}
    inst = parse_instance(built.doc)
    result = solve(inst, time_limit=run.time_limit, seed=run.seed)
    out = result_document(result, seed=run.seed, time_limit=run.time_limit)
    t = time.perf_counter()
    errors = check_schedule(built.doc, out)
    timings["check"] = time.perf_counter() - t
    if errors:
        raise MeetingError("checker", "; ".join(errors[:5]))
    run.objective, run.upper_bound = out["objective"], out["upper_bound"]
    run.gap, run.proven_optimal = out["gap"], out["proven_optimal"]
    free = [a for a in out["assignments"] if not a["pinned"]]
    run.counts = {
        "requests": len(inst.requests),
        "people": len(inst.people),
        "pinned": len(inst.pins),
        "placed": len(free),
        "left_out": len(out["left_out"]),
        "off_grid": built.off_grid,
        "total_weight": out["total_requested_weight"],
        "placed_weight": sum(a["weight"] for a in free),
        "bounds": out["bounds"],
    }
    run.utilisation = out["utilisation"]
    run.left_out = [[_pk(x["request"]), x["weight"], x["reason"]] for x in out["left_out"]]
    run.empty_days = [[_pk(x["person"]), x["day"]] for x in out["people_with_empty_days"]]
    run.timings = {**out["timings"], **{k: round(v, 4) for k, v in timings.items()}}
    t = time.perf_counter()
    _write_drafts(run, built, out, timings=run.timings, started=t)


def _drafts(edition: Edition):
    return Meeting.objects.filter(edition=edition, status=MeetingStatus.PROVISIONAL).exclude(
        request__state=S.SCHEDULED
    )


def _free_tables(edition: Edition) -> dict[tuple[int | None, datetime], set[int]]:
    taken: dict[tuple[int | None, datetime], set[int]] = defaultdict(set)
    for booth, start, table in TableSlot.objects.filter(edition=edition).values_list(
        "booth_id", "starts_at", "table"
    ):
        taken[(booth, start)].add(table)
    return taken


def _write_drafts(
    run: ScheduleRun, built: Built, out: dict[str, Any], *, timings: dict, started: float
) -> None:
    """Replace the edition's drafts with this run's placements and mark the run done, in
    one transaction (the database constraints still refuse any double booking)."""
    edition, grid = run.edition, built.grid
    with transaction.atomic():
        accepted = set(
            MeetingRequest.objects.select_for_update()
            .filter(edition=edition, state=S.ACCEPTED)
            .values_list("pk", flat=True)
        )
        drafts = _drafts(edition)
        MeetingSeat.objects.filter(meeting__in=drafts).delete()
        TableSlot.objects.filter(meeting__in=drafts).delete()
        drafts.delete()
        ScheduleRun.objects.filter(edition=edition, status=Run.DONE).exclude(pk=run.pk).update(
            status=Run.SUPERSEDED
        )
        taken = _free_tables(edition)
        meetings, places, skipped = [], [], 0
        for a in out["assignments"]:
            pk = _pk(a["request"])
            if a["pinned"]:
                continue
            if pk not in accepted:
                skipped += 1
                continue
            slot = built.slots[a["slot"]]
            loc = a["location"]
            booth = _pk(loc) if loc.startswith("booth-") else None
            table = None
            if loc != ONLINE:
                capacity = built.booth_tables[booth] if booth else grid.bookable_shared_tables
                used = taken[(booth, slot.start)]
                table = next((n for n in range(1, capacity + 1) if n not in used), None)
                if table is None:
                    raise IntegrityError("no free table left for a placed meeting")
                used.add(table)
            if booth:
                kind = LocationKind.BOOTH
            else:
                kind = LocationKind.ONLINE if table is None else LocationKind.SHARED
            meetings.append(
                Meeting(
                    request_id=pk,
                    edition=edition,
                    starts_at=slot.start,
                    ends_at=slot.end,
                    location_kind=kind,
                    booth_id=booth,
                    table_number=table,
                    status=MeetingStatus.PROVISIONAL,
                )
            )
            places.append((pk, slot.start, booth, table))
        Meeting.objects.bulk_create(meetings, batch_size=2000)
        seats, tables = [], []
        for meeting, (pk, start, booth, table) in zip(meetings, places, strict=True):
            for person in built.people[pk]:
                seats.append(
                    MeetingSeat(meeting_id=meeting.pk, participant_id=person, starts_at=start)
                )
            if table is not None:
                tables.append(
                    TableSlot(
                        meeting_id=meeting.pk,
                        edition=edition,
                        booth_id=booth,
                        table=table,
                        starts_at=start,
                    )
                )
        MeetingSeat.objects.bulk_create(seats, batch_size=5000)
        TableSlot.objects.bulk_create(tables, batch_size=5000)
        run.counts = {**run.counts, "meetings_written": len(meetings), "skipped_changed": skipped}
        timings["write"] = round(time.perf_counter() - started, 4)
        run.timings = timings
        run.status, run.finished_at = Run.DONE, timezone.now()
        run.save()
    late_cache_clear(edition_id=edition.pk)


def schedule_optimise(
    *, actor: Any, edition: Edition, time_limit: float = 30.0, seed: int = 0
) -> ScheduleRun:
    """Run the optimiser now (the task does the same in the background): the edition's
    accepted requests are placed around the meetings already fixed or published, and the
    result replaces the earlier drafts as provisional meetings."""
    run = schedule_run_start(actor=actor, edition=edition, time_limit=time_limit, seed=seed)
    return schedule_run_execute(run_id=run.pk)


def schedule_publish(*, actor: Any, edition: Edition, now: datetime | None = None) -> int:
    """Publish the provisional grid: the drafts' requests become ``scheduled`` (one audit
    row each), every provisional meeting is published. Returns how many meetings."""
    if not may_manage_grid(actor):
        raise PermissionDenied(_("Only organisers publish the meeting grid."))
    now = now or timezone.now()
    with transaction.atomic():
        drafts = _drafts(edition)
        stale = drafts.exclude(request__state=S.ACCEPTED)
        MeetingSeat.objects.filter(meeting__in=stale).delete()
        TableSlot.objects.filter(meeting__in=stale).delete()
        stale.delete()
        ids = list(
            MeetingRequest.objects.select_for_update()
            .filter(edition=edition, state=S.ACCEPTED, meeting__status=MeetingStatus.PROVISIONAL)
            .values_list("pk", flat=True)
        )
        MeetingRequest.objects.filter(pk__in=ids, state=S.ACCEPTED).update(
            state=S.SCHEDULED, updated_at=now
        )
        user = actor if getattr(actor, "is_authenticated", False) else None
        note = _("Published from the optimiser's grid.")
        RequestEvent.objects.bulk_create(
            [
                RequestEvent(
                    request_id=pk,
                    actor=user,
                    from_state=S.ACCEPTED,
                    to_state=S.SCHEDULED,
                    note=note,
                )
                for pk in ids
            ],
            batch_size=5000,
        )
        count = meetings_publish(actor=actor, edition=edition, now=now)
        ScheduleRun.objects.filter(edition=edition, status=Run.DONE).update(
            status=Run.PUBLISHED, published_at=now
        )
        if count:
            from reelmarket.meetings.tasks_schedule import announce_published

            announce_published(edition_id=edition.pk, since=now.isoformat())
    late_cache_clear(edition_id=edition.pk)
    return count


# ---- the late-placement cache (filled by optimiser_late) ----------------------------------

LATE_CACHE_SECONDS = 300.0  # a process rebuilds its cached grid at least this often


@dataclass
class LateGrid:
    built: Built
    state: State
    person: dict[int, int]  # participant pk -> person index
    loc: dict[str, int]  # location id -> location index
    request: dict[int, int]  # request pk -> request index
    at: float
    lock: threading.Lock = field(default_factory=threading.Lock)


late_grids: dict[int, LateGrid] = {}
late_guard = threading.Lock()


def late_cache_clear(*, edition_id: int | None = None) -> None:
    """Forget this process's cached grid(s); the next late placement rebuilds it."""
    with late_guard:
        if edition_id is None:
            late_grids.clear()
        else:
            late_grids.pop(edition_id, None)


from reelmarket.meetings.optimiser_late import request_place_late  # noqa: E402

__all__ = [
    "REASON_LABELS",
    "late_cache_clear",
    "problem_build",
    "request_place_late",
    "schedule_optimise",
    "schedule_publish",
    "schedule_run_execute",
    "schedule_run_start",
]

"""The solver pipeline: bounds, greedy, repair, CP-SAT polishing; and the output document.

Small problems (few request-slot pairs) go to CP-SAT whole, which usually proves the
optimum. Large ones run the day-block LP in a forked process on the second core while the
greedy and the repair run here; its bound is collected at the end.
"""

from __future__ import annotations

import multiprocessing as mp
import time
from dataclasses import dataclass, field
from typing import Any

from . import bounds
from .greedy import greedy, order_requests
from .lns import polish, solve_subproblem
from .model import FORMAT_OUT, VERSION, Instance, SolverInputError
from .reasons import over_subscribed, reason_for
from .repair import repair
from .state import State

EXACT_PAIRS = 30000  # request-slot pairs up to which CP-SAT gets the whole problem
PARALLEL_LP_FROM = 3000  # free requests from which the day-block LP runs in a child process


@dataclass
class SolveResult:
    state: State
    upper_bound: int
    b_matching: int
    day_block: int | None
    proven_optimal: bool
    timings: dict[str, float] = field(default_factory=dict)
    stats: dict[str, Any] = field(default_factory=dict)

    @property
    def objective(self) -> int:
        return self.state.objective

    @property
    def gap(self) -> float:
        ub = self.upper_bound
        return 0.0 if ub <= 0 else max(0.0, (ub - self.objective) / ub)


def check_pins(state: State) -> None:
    """Fixed and published meetings must not clash with each other."""
    inst = state.inst
    seen: dict[tuple[int, int], str] = {}
    load: dict[tuple[int, int], int] = {}
    for pin in inst.pins:
        req = inst.requests[pin.request]
        if pin.location not in req.locations:
            loc = inst.locations[pin.location].id
            raise SolverInputError(f"{pin.kind} meeting {req.id!r}: location {loc!r} not allowed")
        for p in req.people:
            key = (p, pin.slot)
            if key in seen:
                who = inst.people[p].id
                raise SolverInputError(
                    f"{pin.kind} meeting {req.id!r}: {who!r} already meets at slot {pin.slot}"
                    f" ({seen[key]!r})"
                )
            seen[key] = req.id
        key = (pin.location, pin.slot)
        load[key] = load.get(key, 0) + 1
        if load[key] > state.cap[pin.location]:
            loc = inst.locations[pin.location].id
            raise SolverInputError(
                f"{pin.kind} meeting {req.id!r}: location {loc!r} is over capacity at slot"
                f" {pin.slot}"
            )


def _day_block_child(state: State, free: list[int], conn: Any) -> None:  # pragma: no cover
    try:
        conn.send(bounds.day_block(state, free, threads=1))
    except Exception as exc:  # the parent falls back to the b-matching bound
        conn.send(exc)
    finally:
        conn.close()


def _collect(child: Any, conn: Any, wait: float) -> int | None:
    """The day-block bound from the child process (None if it failed or took too long)."""
    got = conn.recv() if conn.poll(max(wait, 2.0)) else None
    child.join(timeout=1.0)
    if child.is_alive():
        child.terminate()
        child.join()
    return None if got is None or isinstance(got, Exception) else got[0]


def solve(
    inst: Instance,
    *,
    time_limit: float = 30.0,
    seed: int = 0,
    polish_lns: bool = True,
) -> SolveResult:
    started = time.perf_counter()
    deadline = started + time_limit
    timings: dict[str, float] = {}
    state = State(inst)
    check_pins(state)
    free = [r for r in range(len(inst.requests)) if state.assign[r] is None and state.common[r]]
    pairs = sum(
        (state.common[r] & ~state.busy_of(r)).bit_count() * len(state.locs[r]) for r in free
    )

    child = conn = None
    if len(free) >= PARALLEL_LP_FROM:
        ctx = mp.get_context("fork")
        conn, child_conn = ctx.Pipe(duplex=False)
        child = ctx.Process(target=_day_block_child, args=(state, free, child_conn), daemon=True)
        child.start()
        child_conn.close()
    t = time.perf_counter()
    bm, lp_value = bounds.b_matching(state, free, threads=1 if child else 2)
    day_bound: int | None = None
    lp_day: dict[int, int] = {}
    if child is None:
        day_bound, lp_day, day_value = bounds.day_block(state, free)
        lp_value = day_value or lp_value
    timings["bound"] = time.perf_counter() - t

    t = time.perf_counter()
    greedy(state, order_requests(state, free, lp_value), lp_day=lp_day)
    timings["greedy"] = time.perf_counter() - t
    after_greedy = state.objective

    proven = False
    t = time.perf_counter()
    if pairs <= EXACT_PAIRS:
        remaining = max(0.1, deadline - time.perf_counter())
        target = bm if day_bound is None else min(bm, day_bound)
        if state.objective >= target:
            proven = True
        else:
            if target >= sum(state.weight[r] for r in free) + sum(
                state.weight[p.request] for p in inst.pins
            ):  # the bound allows every request: look for a complete schedule first
                _, proven = solve_subproblem(
                    state, free, time_limit=remaining / 2, seed=seed, require_all=True
                )
            if not proven:
                remaining = max(0.1, deadline - time.perf_counter())
                _, proven = solve_subproblem(
                    state, free, time_limit=remaining, seed=seed, target=target
                )
        timings["cp_sat_exact"] = time.perf_counter() - t
    else:
        repair_end = started + 0.6 * time_limit
        lost = sorted(state.unplaced(), key=lambda r: (lp_value.get(r, 0.0) < 0.5,))
        repair(state, [r for r in lost if state.common[r]], deadline=repair_end)
        timings["repair"] = time.perf_counter() - t
        timings["weight_after_repair"] = state.objective
        if child is not None and conn is not None:
            # the day-block LP shares the machine: let it finish before polishing
            t = time.perf_counter()
            day_bound = _collect(child, conn, deadline - time.perf_counter())
            timings["bound_wait"] = time.perf_counter() - t
            child = None
        if polish_lns and time.perf_counter() + 1.5 < deadline:
            t = time.perf_counter()
            _gained, rounds = polish(state, deadline=deadline - 0.3, seed=seed, lp_value=lp_value)
            timings["lns"] = time.perf_counter() - t
            timings["lns_rounds"] = rounds
    for r in free:  # anything that still fits
        if state.assign[r] is None:
            state.place_anywhere(r)

    if child is not None and conn is not None:
        t = time.perf_counter()
        day_bound = _collect(child, conn, deadline - time.perf_counter())
        timings["bound_wait"] = time.perf_counter() - t
    ub = bm if day_bound is None else min(bm, day_bound)
    if proven:
        ub = min(ub, state.objective)
    timings["total"] = time.perf_counter() - started
    stats = {
        "requests": len(inst.requests),
        "people": len(inst.people),
        "pinned": len(inst.pins),
        "free_requests": len(free),
        "request_slot_pairs": pairs,
        "weight_after_greedy": after_greedy,
        "placed": len(state.placed()),
    }
    return SolveResult(state, ub, bm, day_bound, proven, timings, stats)


def utilisation(state: State) -> list[dict[str, Any]]:
    inst = state.inst
    meetings = [0] * state.n_slots
    for a in state.assign:
        if a is not None:
            meetings[a[0]] += 1
    out = []
    for t in range(state.n_slots):
        row: dict[str, Any] = {
            "slot": t,
            "day": t // inst.slots_per_day,
            "meetings": meetings[t],
            "booth_tables_used": 0,
            "booth_tables": 0,
            "shared_tables_used": 0,
            "shared_tables": 0,
            "online": 0,
        }
        for li, loc in enumerate(inst.locations):
            if loc.kind == "online":
                continue
            row[f"{loc.kind}_tables_used"] += state.used[li][t]
            row[f"{loc.kind}_tables"] += state.cap[li]
        out.append(row)
    for a in state.assign:
        if a is not None and inst.locations[a[1]].kind == "online":
            out[a[0]]["online"] += 1
    return out


def result_document(result: SolveResult, *, seed: int, time_limit: float) -> dict[str, Any]:
    state = result.state
    inst = state.inst
    pin_kind = {pin.request: pin.kind for pin in inst.pins}
    assignments = []
    for r, a in enumerate(state.assign):
        if a is None:
            continue
        t, li = a
        assignments.append(
            {
                "request": inst.requests[r].id,
                "slot": t,
                "day": t // inst.slots_per_day,
                "slot_in_day": t % inst.slots_per_day,
                "location": inst.locations[li].id,
                "weight": state.weight[r],
                "pinned": pin_kind.get(r),
            }
        )
    over = over_subscribed(state)
    left_out = [
        {
            "request": inst.requests[r].id,
            "weight": state.weight[r],
            "reason": reason_for(state, r, over),
        }
        for r, a in enumerate(state.assign)
        if a is None
    ]
    counts: dict[str, int] = {}
    for item in left_out:
        counts[item["reason"]] = counts.get(item["reason"], 0) + 1
    idle_days = []
    for p, person in enumerate(inst.people):
        for d in range(inst.days):
            dm = inst.day_mask(d)
            if person.available & dm and not state.busy[p] & dm:
                idle_days.append({"person": person.id, "day": d})
    return {
        "format": FORMAT_OUT,
        "version": VERSION,
        "objective": result.objective,
        "upper_bound": result.upper_bound,
        "gap": round(result.gap, 6),
        "proven_optimal": result.proven_optimal,
        "bounds": {"b_matching": result.b_matching, "day_block": result.day_block},
        "total_requested_weight": sum(state.weight),
        "assignments": assignments,
        "left_out": left_out,
        "left_out_by_reason": counts,
        "people_with_empty_days": idle_days,
        "utilisation": utilisation(state),
        "stats": {**result.stats, "seed": seed, "time_limit": time_limit},
        "timings": {k: round(v, 4) for k, v in result.timings.items()},
    }

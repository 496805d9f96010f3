"""CP-SAT on sub-problems: exact solve of small instances and large-neighbourhood polishing.

A sub-problem frees a set of requests (their meetings are lifted off the schedule), keeps
everything else where it is, and asks CP-SAT for the heaviest placement of the freed set
into the remaining free person-slots and tables. The current placement is given as a
complete hint, so CP-SAT starts from it and only ever returns something at least as good;
the result is applied only if it is strictly heavier.
"""

from __future__ import annotations

import random
import time

from ortools.sat.python import cp_model

from .state import State


class _StopAt(cp_model.CpSolverSolutionCallback):
    def __init__(self, target: float) -> None:
        super().__init__()
        self.target = target

    def on_solution_callback(self) -> None:
        if self.objective_value >= self.target - 0.5:
            self.stop_search()


def solve_subproblem(
    state: State,
    subset: list[int],
    *,
    time_limit: float,
    seed: int = 0,
    workers: int = 2,
    target: int | None = None,
    require_all: bool = False,
) -> tuple[int, bool]:
    """``target``: stop as soon as the freed set reaches this weight (a known upper bound)."""
    """Re-place ``subset`` optimally (within the time limit). Returns (gain, proven optimal)."""
    subset = [r for r in dict.fromkeys(subset) if not state.pinned[r] and state.common[r]]
    if not subset or time_limit <= 0:
        return 0, False
    before = {r: state.assign[r] for r in subset}
    for r in subset:
        if state.assign[r] is not None:
            state.remove(r)
    base = state.objective
    model = cp_model.CpModel()
    person_slot: dict[tuple[int, int], list[cp_model.IntVar]] = {}
    loc_slot: dict[tuple[int, int], list[cp_model.IntVar]] = {}
    choice: dict[tuple[int, int, int], cp_model.IntVar] = {}
    terms = []
    for r in subset:
        mask = state.common[r] & ~state.busy_of(r)
        own = []
        while mask:
            low = mask & -mask
            mask ^= low
            t = low.bit_length() - 1
            for li in state.locs[r]:
                if state.full[li] & low:
                    continue
                v = model.new_bool_var("")
                choice[(r, t, li)] = v
                own.append(v)
                for p in state.people[r]:
                    person_slot.setdefault((p, t), []).append(v)
                if state.cap[li] < (1 << 30):
                    loc_slot.setdefault((li, t), []).append(v)
                terms.append(state.weight[r] * v)
        if require_all:
            model.add_exactly_one(own)  # a pure feasibility model: much easier for CP-SAT
        elif len(own) > 1:
            model.add_at_most_one(own)
    for vs in person_slot.values():
        if len(vs) > 1:
            model.add_at_most_one(vs)
    for (li, t), vs in loc_slot.items():
        free_tables = state.cap[li] - state.used[li][t]
        if len(vs) > free_tables:
            model.add(sum(vs) <= free_tables)
    if not require_all:
        model.maximize(sum(terms))
    for key, v in choice.items():
        r = key[0]
        model.add_hint(v, before[r] is not None and (key[1], key[2]) == before[r])
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    if require_all:
        status = solver.solve(model)
        if status == cp_model.FEASIBLE:
            status = cp_model.OPTIMAL  # everything placed: nothing heavier exists
    elif target is not None:
        status = solver.solve(model, _StopAt(target - base))
        if status == cp_model.FEASIBLE and solver.objective_value >= target - base - 0.5:
            status = cp_model.OPTIMAL  # reached the bound: optimal
    else:
        status = solver.solve(model)
    old = sum(state.weight[r] for r in subset if before[r] is not None)
    found = (
        sum(state.weight[r] for r in subset)
        if require_all
        else (solver.objective_value if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else 0)
    )
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) and found > old + 0.5:
        for (r, t, li), v in choice.items():
            if solver.boolean_value(v):
                state.place(r, t, li)
        return state.objective - base - old, status == cp_model.OPTIMAL
    for r in subset:
        if before[r] is not None:
            state.place(r, *before[r])
    return 0, status == cp_model.OPTIMAL


def polish(
    state: State,
    *,
    deadline: float,
    seed: int = 0,
    lp_value: dict[int, float] | None = None,
    size: int = 400,
    sub_time: float = 1.0,
    workers: int = 2,
) -> tuple[int, int]:
    """Large-neighbourhood search until the deadline. Returns (weight gained, rounds)."""
    rng = random.Random(seed)
    lp_value = lp_value or {}
    gained = rounds = 0
    requests_of: dict[int, list[int]] = {}
    for r in range(len(state.inst.requests)):
        if state.common[r] and not state.pinned[r]:
            for p in state.people[r]:
                requests_of.setdefault(p, []).append(r)
    while time.perf_counter() + 0.2 < deadline:
        # seed the neighbourhood with a left-out request the LP would keep
        lost = [
            r
            for r in state.unplaced()
            if state.common[r] and not state.pinned[r] and lp_value.get(r, 1.0) >= 0.5
        ]
        if not lost:
            break
        start = rng.choice(lost)
        subset: list[int] = []
        seen: set[int] = set()
        frontier = list(state.people[start])
        while frontier and len(subset) < size:
            p = frontier.pop(0)
            if p in seen:
                continue
            seen.add(p)
            for r in requests_of.get(p, []):
                if r not in subset:
                    subset.append(r)
                    frontier.extend(q for q in state.people[r] if q not in seen)
        limit = min(sub_time, deadline - time.perf_counter())
        gain, _ = solve_subproblem(
            state, subset[:size], time_limit=limit, seed=seed + rounds, workers=workers
        )
        gained += gain
        rounds += 1
    return gained, rounds

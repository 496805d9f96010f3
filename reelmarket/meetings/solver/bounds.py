"""Upper bounds on the best total weight: two LP relaxations solved with HiGHS.

* **b-matching LP**: one variable per request (0..1); each person takes at most as many
  meetings as they have usable free slots; each group of capacitated locations takes at most
  its free table-slots (location classes with flow variables, so a request allowed at a booth
  *or* the shared area may use either).
* **day-block LP**: the same, per day: one variable per (request, day on which all its
  people share a free slot); person and location capacities per day.

Both are relaxations, so each bounds the optimum. The bound reported is certified from the
LP's row duals (weak duality, any non-negative duals give a valid bound), then rounded down
because weights are integers. The models go to HiGHS as sparse column-wise arrays.
"""

from __future__ import annotations

import math
import os
import sys
import time
from dataclasses import dataclass, field

import highspy
import numpy as np

from .model import UNLIMITED
from .state import State


@dataclass
class BoundResult:
    bound: int  # certified upper bound on the total weight (pins included)
    b_matching: int
    day_block: int
    # per free request: LP value x_r (0..1) and the day the day-block LP likes best (-1: none)
    lp_value: dict[int, float] = field(default_factory=dict)
    lp_day: dict[int, int] = field(default_factory=dict)
    seconds: float = 0.0


class _Lp:
    """Collects a max-problem ``c x`` s.t. ``A x <= b``, ``0 <= x <= u`` as COO triplets."""

    def __init__(self) -> None:
        self.cost: list[float] = []
        self.upper: list[float] = []
        self.rhs: list[float] = []
        self.ri: list[int] = []
        self.ci: list[int] = []
        self.v: list[float] = []

    def col(self, cost: float, upper: float) -> int:
        self.cost.append(cost)
        self.upper.append(upper)
        return len(self.cost) - 1

    def row(self, rhs: float) -> int:
        self.rhs.append(rhs)
        return len(self.rhs) - 1

    def coef(self, r: int, c: int, v: float) -> None:
        self.ri.append(r)
        self.ci.append(c)
        self.v.append(v)

    def solve(self, threads: int = 2) -> tuple[float, np.ndarray]:
        """Returns (certified bound, primal x)."""
        n, m = len(self.cost), len(self.rhs)
        cost = np.asarray(self.cost, dtype=np.float64)
        upper = np.asarray(self.upper, dtype=np.float64)
        rhs = np.asarray(self.rhs, dtype=np.float64)
        if n == 0:
            return 0.0, np.zeros(0)
        ri = np.asarray(self.ri, dtype=np.int32)
        ci = np.asarray(self.ci, dtype=np.int32)
        vals = np.asarray(self.v, dtype=np.float64)
        order = np.argsort(ci, kind="stable")
        ri, ci, vals = ri[order], ci[order], vals[order]
        start = np.zeros(n + 1, dtype=np.int32)
        np.cumsum(np.bincount(ci, minlength=n), out=start[1:])

        lp = highspy.HighsLp()
        lp.num_col_ = n
        lp.num_row_ = m
        lp.sense_ = highspy.ObjSense.kMaximize
        lp.col_cost_ = cost
        lp.col_lower_ = np.zeros(n)
        lp.col_upper_ = upper
        lp.row_lower_ = np.full(m, -highspy.kHighsInf)
        lp.row_upper_ = rhs
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = start
        lp.a_matrix_.index_ = ri
        lp.a_matrix_.value_ = vals
        h = _new_highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("threads", threads)
        h.passModel(lp)
        h.run()
        sol = h.getSolution()
        x = np.asarray(sol.col_value, dtype=np.float64)
        duals = np.asarray(sol.row_dual, dtype=np.float64)
        # Certify: for any y >= 0, b.y + sum_j u_j max(0, c_j - (A^T y)_j) >= max c x.
        best = math.inf
        for y in (np.maximum(duals, 0.0), np.maximum(-duals, 0.0)):
            aty = np.bincount(ci, weights=vals * y[ri], minlength=n)
            bound = float(rhs @ y + upper @ np.maximum(cost - aty, 0.0))
            best = min(best, bound)
        # fall back to the trivial bound if something odd happened
        best = min(best, float(cost @ upper))
        return best, x


def _new_highs() -> highspy.Highs:
    """A HiGHS instance, without the banner it prints on stdout the first time."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 1)
            return highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def _usable(state: State, free: list[int]) -> list[int]:
    """Per person: the slots at which any of their free requests could happen."""
    usable = [0] * len(state.inst.people)
    for r in free:
        c = state.common[r] & ~state.busy_of(r)
        for p in state.people[r]:
            usable[p] |= c
    return usable


def _loc_classes(state: State, free: list[int]) -> dict[tuple[int, ...], list[int]]:
    classes: dict[tuple[int, ...], list[int]] = {}
    for r in free:
        locs = state.locs[r]
        if any(state.cap[li] >= UNLIMITED for li in locs):
            continue  # an unlimited (online) location: no capacity row needed
        classes.setdefault(tuple(sorted(locs)), []).append(r)
    return classes


def _add_locations(
    lp: _Lp,
    state: State,
    classes: dict[tuple[int, ...], list[int]],
    var_of: dict[int, int],
    slots: int,
) -> None:
    """Rows saying the requests of each location class fit the free tables within ``slots``."""
    loc_row: dict[int, int] = {}

    def row_for(li: int) -> int:
        if li not in loc_row:
            free_tables = sum(state.cap[li] - state.used[li][t] for t in _bits(slots))
            loc_row[li] = lp.row(float(free_tables))
        return loc_row[li]

    for locs, members in classes.items():
        cols = [var_of[r] for r in members if r in var_of]
        if not cols:
            continue
        if len(locs) == 1:
            row = row_for(locs[0])
            for c in cols:
                lp.coef(row, c, 1.0)
            continue
        crow = lp.row(0.0)
        for c in cols:
            lp.coef(crow, c, 1.0)
        for li in locs:
            f = lp.col(0.0, float(len(cols)))
            lp.coef(crow, f, -1.0)
            lp.coef(row_for(li), f, 1.0)


def _bits(mask: int) -> list[int]:
    out = []
    while mask:
        low = mask & -mask
        out.append(low.bit_length() - 1)
        mask ^= low
    return out


def _prepare(state: State, free: list[int]) -> tuple[list[int], list[int], dict]:
    free = [r for r in free if state.common[r] & ~state.busy_of(r)]
    return free, _usable(state, free), _loc_classes(state, free)


def b_matching(state: State, free: list[int], *, threads: int = 2) -> tuple[int, dict[int, float]]:
    """(bound on the total weight incl. placed meetings, LP value per request)."""
    free, usable, classes = _prepare(state, free)
    lp = _Lp()
    var_of = {r: lp.col(float(state.weight[r]), 1.0) for r in free}
    prow: dict[int, int] = {}
    for r in free:
        for p in state.people[r]:
            if p not in prow:
                prow[p] = lp.row(float((usable[p] & ~state.busy[p]).bit_count()))
            lp.coef(prow[p], var_of[r], 1.0)
    _add_locations(lp, state, classes, var_of, state.all_mask)
    bound, x = lp.solve(threads)
    return state.objective + math.floor(bound + 1e-6), {r: float(x[c]) for r, c in var_of.items()}


def day_block(
    state: State, free: list[int], *, threads: int = 2
) -> tuple[int, dict[int, int], dict[int, float]]:
    """(bound incl. placed meetings, LP's preferred day per request, LP value per request)."""
    inst = state.inst
    free, usable, classes = _prepare(state, free)
    lp = _Lp()
    req_row = {r: lp.row(1.0) for r in free}
    day_vars: list[dict[int, int]] = [{} for _ in range(inst.days)]
    col_req: list[tuple[int, int]] = []
    for r in free:
        c = state.common[r] & ~state.busy_of(r)
        for d in range(inst.days):
            if c & inst.day_mask(d):
                v = lp.col(float(state.weight[r]), 1.0)
                lp.coef(req_row[r], v, 1.0)
                day_vars[d][r] = v
                col_req.append((r, d))
    for d in range(inst.days):
        dm = inst.day_mask(d)
        prow: dict[int, int] = {}
        for r, v in day_vars[d].items():
            for p in state.people[r]:
                if p not in prow:
                    prow[p] = lp.row(float((usable[p] & ~state.busy[p] & dm).bit_count()))
                lp.coef(prow[p], v, 1.0)
        _add_locations(lp, state, classes, day_vars[d], dm)
    bound, x = lp.solve(threads)
    lp_day: dict[int, int] = {}
    best: dict[int, float] = {}
    total: dict[int, float] = {}
    for (r, d), val in zip(col_req, x.tolist(), strict=False):
        total[r] = total.get(r, 0.0) + val
        if val > best.get(r, -1.0):
            best[r] = val
            lp_day[r] = d
    return state.objective + math.floor(bound + 1e-6), lp_day, total


def upper_bound(state: State, free: list[int], *, threads: int = 2) -> BoundResult:
    """Both bounds, one after the other (the solver runs the day-block LP in parallel)."""
    started = time.perf_counter()
    bm, lp_value = b_matching(state, free, threads=threads)
    db, lp_day, day_value = day_block(state, free, threads=threads)
    return BoundResult(
        bound=min(bm, db),
        b_matching=bm,
        day_block=db,
        lp_value=day_value or lp_value,
        lp_day=lp_day,
        seconds=time.perf_counter() - started,
    )

"""Automatic assignment of k reviewers per pitch submission (Django-free).

Rules, never broken: a reviewer in a submission's ``conflicts`` is never assigned to it;
every kept reviewer stays; each submission gets exactly ``k`` distinct reviewers
(kept ones included; a submission that already keeps more than ``k`` keeps them all and
gets no one new); nobody goes over their ``capacity`` (kept reviews count).

Objective: the loads (kept + new reviews per reviewer) minimise ``Σ load²``. This is
solved exactly as a min-cost flow (source → submission, capacity = reviewers still needed;
submission → reviewer, capacity 1, for every allowed pair; reviewer → sink through unit
arcs costing ``B·(2ℓ−1)`` for the reviewer's ℓ-th review, a convex cost). Minimising the
sum of squares gives the *decreasingly minimal* load vector, hence:

* when conflicts and kept reviews leave room, the loads of reviewers whose capacity does
  not bind differ by at most one (``max − min ≤ 1``);
* in every case no review can move — directly or through a chain of swaps — from a
  reviewer to one with at least two fewer reviews (the property the tests check).

Co-review diversity, second: arc costs carry a seeded random tie-break far below ``B``
(which never changes the loads), then a local search swaps reviewers between two
submissions (loads unchanged, rules kept) when it lowers ``Σ pairs(a, b)²`` — how often
the same two reviewers read the same submission — so each reviewer's scores are compared
with many colleagues' (good for the normalisation in ``scoring.py``). It stops at the ideal
(pair counts as even as arithmetic allows), after a run of attempts without a gain, or at
a fixed budget; the seed makes it deterministic.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np
from ortools.graph.python import min_cost_flow

JITTER = 1000  # random tie-break per (submission, reviewer) arc, 0..JITTER-1
SWAP_ATTEMPTS_PER_REVIEW = 40  # budget of the diversity local search
STALL_PER_REVIEW = 6  # ... which stops after this many attempts per review without a gain


@dataclass(frozen=True)
class ReviewTask:
    submission: int
    conflicts: frozenset[int] = frozenset()
    keep: frozenset[int] = frozenset()


@dataclass(frozen=True)
class ReviewerSeat:
    reviewer: int
    capacity: int | None = None  # None: no personal limit


class AssignmentError(ValueError):
    """Some submissions cannot get k reviewers; ``submissions`` lists them (sorted)."""

    def __init__(self, message: str, *, submissions: Sequence[int]) -> None:
        self.submissions = sorted(submissions)
        super().__init__(f"{message}: submissions {', '.join(map(str, self.submissions))}.")


def _validate(tasks: Sequence[ReviewTask], reviewers: Sequence[ReviewerSeat], k: int) -> None:
    if k < 0:
        raise ValueError("k must not be negative.")
    ids = [t.submission for t in tasks]
    if len(set(ids)) != len(ids):
        raise ValueError("A submission is listed twice.")
    rids = [r.reviewer for r in reviewers]
    if len(set(rids)) != len(rids):
        raise ValueError("A reviewer is listed twice.")
    if any(r.capacity is not None and r.capacity < 0 for r in reviewers):
        raise ValueError("A reviewer's capacity must not be negative.")


def assign_reviewers(
    *,
    tasks: Sequence[ReviewTask],
    reviewers: Sequence[ReviewerSeat],
    k: int,
    seed: int = 0,
) -> dict[int, tuple[int, ...]]:
    """submission id -> its k reviewer ids (sorted, kept ones included); see the module."""
    _validate(tasks, reviewers, k)
    conflicted_keep = [t.submission for t in tasks if t.keep & t.conflicts]
    if conflicted_keep:
        raise AssignmentError(
            "A kept reviewer has a conflict of interest; remove that assignment first",
            submissions=conflicted_keep,
        )
    index = {r.reviewer: j for j, r in enumerate(reviewers)}
    base = np.zeros(len(reviewers), dtype=np.int64)
    for task in tasks:
        for reviewer in task.keep:
            if reviewer in index:
                base[index[reviewer]] += 1
    room = np.array(
        [
            (r.capacity - base[j]) if r.capacity is not None else len(tasks)
            for j, r in enumerate(reviewers)
        ],
        dtype=np.int64,
    ).clip(min=0)

    need = [max(0, k - len(t.keep)) for t in tasks]
    open_seats = [(j, r.reviewer) for j, r in enumerate(reviewers) if room[j] > 0]
    candidates = []
    for task in tasks:
        excluded = task.conflicts | task.keep
        candidates.append([j for j, reviewer in open_seats if reviewer not in excluded])
    short = [t.submission for t, n, c in zip(tasks, need, candidates, strict=True) if len(c) < n]
    if short:
        raise AssignmentError(
            f"Fewer than {k} reviewers without a conflict of interest (and with room left)",
            submissions=short,
        )

    chosen = _solve_flow(tasks, candidates, need, base, room, seed)
    lacking = [t.submission for t, n, c in zip(tasks, need, chosen, strict=True) if len(c) < n]
    if lacking:
        raise AssignmentError(
            f"The reviewers' capacities do not allow {k} reviewers for every submission",
            submissions=lacking,
        )
    _spread_pairs(tasks, reviewers, chosen, seed)
    return {
        t.submission: tuple(sorted(t.keep | {reviewers[j].reviewer for j in c}))
        for t, c in zip(tasks, chosen, strict=True)
    }


def _solve_flow(
    tasks: Sequence[ReviewTask],
    candidates: list[list[int]],
    need: list[int],
    base: np.ndarray,
    room: np.ndarray,
    seed: int,
) -> list[list[int]]:
    """Per task, the chosen reviewer indexes (min Σ load², seeded tie-break)."""
    n_t, n_r = len(tasks), len(base)
    total = int(sum(need))
    if total == 0:
        return [[] for _ in tasks]
    rng = np.random.default_rng(seed)
    big = JITTER * total + 1  # the whole tie-break is worth less than one step of Σ load²
    source, sink = 0, 1 + n_t + n_r
    task_node, reviewer_node = 1, 1 + n_t

    edge_tasks = np.array([i for i, c in enumerate(candidates) for _ in c], dtype=np.int64)
    edge_reviewers = np.array([j for c in candidates for j in c], dtype=np.int64)
    tails = [np.zeros(n_t, dtype=np.int64), task_node + edge_tasks]
    heads = [task_node + np.arange(n_t), reviewer_node + edge_reviewers]
    caps = [np.array(need, dtype=np.int64), np.ones(len(edge_tasks), dtype=np.int64)]
    costs = [np.zeros(n_t, dtype=np.int64), rng.integers(0, JITTER, len(edge_tasks))]
    # Convex load cost: the reviewer's ℓ-th review costs big·(2ℓ−1), ℓ counted after kept ones.
    demand = np.bincount(edge_reviewers, minlength=n_r)
    for j in range(n_r):
        extra = int(min(room[j], demand[j], total))
        if extra == 0:
            continue
        loads = base[j] + np.arange(1, extra + 1)
        tails.append(np.full(extra, reviewer_node + j))
        heads.append(np.full(extra, sink))
        caps.append(np.ones(extra, dtype=np.int64))
        costs.append(big * (2 * loads - 1))
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        np.concatenate(tails).astype(np.int32),
        np.concatenate(heads).astype(np.int32),
        np.concatenate(caps).astype(np.int64),
        np.concatenate(costs).astype(np.int64),
    )
    flow.set_node_supply(source, total)
    flow.set_node_supply(sink, -total)
    status = flow.solve_max_flow_with_min_cost()
    if status != flow.OPTIMAL:  # pragma: no cover - max flow with min cost always succeeds
        raise RuntimeError(f"min-cost flow failed with status {status}")
    used = flow.flows(np.arange(n_t, n_t + len(edge_tasks))) > 0
    chosen: list[list[int]] = [[] for _ in tasks]
    for i, j in zip(edge_tasks[used].tolist(), edge_reviewers[used].tolist(), strict=True):
        chosen[i].append(j)
    return chosen


def _spread_pairs(
    tasks: Sequence[ReviewTask],
    reviewers: Sequence[ReviewerSeat],
    chosen: list[list[int]],
    seed: int,
) -> None:
    """Swap new reviewers between submissions while Σ (co-review count)² goes down."""
    index = {r.reviewer: j for j, r in enumerate(reviewers)}
    panels: list[set[int]] = []  # all reviewer indexes (kept + new) per task
    fixed: list[set[int]] = []  # kept reviewer indexes per task
    for task, c in zip(tasks, chosen, strict=True):
        kept = {index[r] for r in task.keep if r in index}
        fixed.append(kept)
        panels.append(kept | set(c))
    movable = [(i, j) for i, c in enumerate(chosen) for j in c]
    if len(movable) < 2:
        return
    n_r = len(reviewers)
    together = [[0] * n_r for _ in range(n_r)]  # co-review counts, symmetric
    for panel in panels:
        for a, b in combinations(panel, 2):
            together[a][b] += 1
            together[b][a] += 1
    conflict_index = [{index[r] for r in t.conflicts if r in index} for t in tasks]

    # Stop early at the ideal (pair counts as even as arithmetic allows) or after a long run
    # of attempts without improvement.
    current = sum(c * c for row in together for c in row) // 2
    incidences = sum(len(p) * (len(p) - 1) // 2 for p in panels)
    n_pairs = max(1, n_r * (n_r - 1) // 2)
    q, rem = divmod(incidences, n_pairs)
    ideal = rem * (q + 1) ** 2 + (n_pairs - rem) * q * q
    slots = list(movable)  # (task index, reviewer index) of every new review
    rng = random.Random(seed)
    idle = 0
    for _ in range(SWAP_ATTEMPTS_PER_REVIEW * len(slots)):
        if current <= ideal or idle > STALL_PER_REVIEW * len(slots):
            break
        idle += 1
        sx, sy = rng.randrange(len(slots)), rng.randrange(len(slots))
        (i1, a), (i2, b) = slots[sx], slots[sy]
        p1, p2 = panels[i1], panels[i2]
        if i1 == i2 or b in p1 or a in p2 or b in conflict_index[i1] or a in conflict_index[i2]:
            continue
        # a moves to i2 and b to i1. Panel-mates of both stay paired with both; for a mate x
        # of a only, pair (a, x) loses one and (b, x) gains one; symmetrically for b's.
        only1 = p1 - p2 - {a}
        only2 = p2 - p1 - {b}
        row_a, row_b = together[a], together[b]
        delta = 2 * sum(row_b[x] - row_a[x] + 1 for x in only1) + 2 * sum(
            row_a[y] - row_b[y] + 1 for y in only2
        )
        if delta >= 0:
            continue
        for x in only1:
            row_a[x] -= 1
            together[x][a] -= 1
            row_b[x] += 1
            together[x][b] += 1
        for y in only2:
            row_b[y] -= 1
            together[y][b] -= 1
            row_a[y] += 1
            together[y][a] += 1
        p1.remove(a)
        p1.add(b)
        p2.remove(b)
        p2.add(a)
        slots[sx], slots[sy] = (i1, b), (i2, a)
        current += delta
        idle = 0
    for i, panel in enumerate(panels):
        chosen[i] = sorted(panel - fixed[i])


__all__ = ["AssignmentError", "ReviewTask", "ReviewerSeat", "assign_reviewers"]

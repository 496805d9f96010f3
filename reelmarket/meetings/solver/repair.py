"""Ejection repair: insert a left-out request by moving or ejecting what blocks it.

For a left-out request and each slot where all its people are available, the *blockers* are
the meetings its people already have at that slot and, when every allowed location is full,
one meeting holding a table there. A blocker that has another feasible slot (or, for a table
blocker, another location at the same slot) is moved; one that has not is ejected. The best
slot is the one with the largest gain ``w(request) - w(ejected)``; only positive gains are
applied, so the total weight rises with every step and the process ends. Ejected meetings
go back into the queue and may in turn displace lighter ones (an ejection chain).
"""

from __future__ import annotations

import time

from .state import State


def _alt(state: State, b: int) -> int:
    """Other slots where blocker ``b`` could go right now (its own slot is busy for it)."""
    return state.common[b] & ~state.busy_of(b) & state.loc_ok(b)


def _table_blocker(state: State, r: int, t: int, freed: set[int]) -> tuple[int | None, bool]:
    """If all of r's locations are full at t, the meeting to take a table from.

    Returns (blocker or None, movable). ``freed``: requests already leaving slot t.
    """
    bit = 1 << t
    for li in state.locs[r]:
        if not state.full[li] & bit:
            return None, True
        if any(m in freed for m in state.meetings_at(li, t)):
            return None, True
    best: int | None = None
    best_w = 1 << 30
    for li in state.locs[r]:
        for m in state.meetings_at(li, t):
            if state.pinned[m]:
                continue
            # another location at the same slot, or another slot
            other = any(lj != li and not state.full[lj] & bit for lj in state.locs[m]) or bool(
                _alt(state, m)
            )
            if other:
                return m, True
            if state.weight[m] < best_w:
                best, best_w = m, state.weight[m]
    return best, False


def _evaluate(state: State, r: int, t: int) -> tuple[int, list[int]] | None:
    """Gain of forcing r into slot t and the blockers to move; None if impossible."""
    blockers: list[int] = []
    lost = 0
    bit = 1 << t
    for p in state.people[r]:
        if state.busy[p] & bit:
            b = state.occ[p][t]
            if b in blockers:
                continue
            if state.pinned[b]:
                return None
            blockers.append(b)
            if not _alt(state, b):
                lost += state.weight[b]
    tb, movable = _table_blocker(state, r, t, set(blockers))
    if tb is not None:
        if tb in blockers:
            return None
        blockers.append(tb)
        if not movable:
            lost += state.weight[tb]
    elif not movable:
        return None
    gain = state.weight[r] - lost
    if gain <= 0:
        return None
    return gain, blockers


def _apply(state: State, r: int, t: int, blockers: list[int]) -> tuple[int, list[int]]:
    """Do the move; returns (gain, ejected). Rolls back and returns (0, []) if it fails."""
    before = state.objective
    undo: list[tuple[int, tuple[int, int]]] = []
    for b in blockers:
        undo.append((b, state.remove(b)))
    li = state.location_for(r, t)
    if li is None or state.busy_of(r) & (1 << t):
        for b, (tb, lb) in undo:
            state.place(b, tb, lb)
        return 0, []
    state.place(r, t, li)
    ejected = []
    for b in blockers:
        if not state.place_anywhere(b):
            ejected.append(b)
    gain = state.objective - before
    if gain <= 0:
        state.remove(r)
        for b in blockers:
            if state.assign[b] is not None:
                state.remove(b)
        for b, (tb, lb) in undo:
            state.place(b, tb, lb)
        return 0, []
    return gain, ejected


def repair(state: State, candidates: list[int], *, deadline: float, max_rounds: int = 4) -> int:
    """Try to insert the ``candidates`` (left-out requests); returns the weight gained."""
    gained = 0
    queue = sorted(candidates, key=lambda r: -state.weight[r])
    for _ in range(max_rounds):
        progress = 0
        next_queue: list[int] = []
        for r in queue:
            if time.perf_counter() > deadline:
                return gained
            if state.assign[r] is not None or not state.common[r]:
                continue
            if state.place_anywhere(r):
                progress += state.weight[r]
                continue
            best: tuple[int, int, list[int]] | None = None
            mask = state.common[r]
            while mask:
                low = mask & -mask
                mask ^= low
                t = low.bit_length() - 1
                ev = _evaluate(state, r, t)
                if ev is not None and (best is None or ev[0] > best[0]):
                    best = (ev[0], t, ev[1])
                    if ev[0] == state.weight[r]:
                        break  # nothing lost: cannot do better
            if best is None:
                next_queue.append(r)
                continue
            gain, ejected = _apply(state, r, best[1], best[2])
            if gain <= 0:
                next_queue.append(r)
                continue
            progress += gain
            next_queue.extend(ejected)
        gained += progress
        if not progress:
            break
        queue = sorted(set(next_queue), key=lambda r: -state.weight[r])
    return gained

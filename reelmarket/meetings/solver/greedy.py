"""Most-constrained-first greedy, guided by the LP.

Order: requests the LP keeps (x_r >= 0.5) before those it drops, heavier first, then the ones
with the fewest feasible slots. Slot choice, among the slots free for every participant
with a free table: stay on the LP's preferred day, take the *least constraining* slot (the
one the participants' other pending requests need least) and, when the meeting would go to
the shared area, the slot with the most free shared tables.
"""

from __future__ import annotations

import numpy as np

from .state import State

DAY_PENALTY = 4.0  # in units of "pending requests that need this slot"
SHARED_PENALTY = 2.0  # times the shared-area fill ratio at the slot


def _mask_to_bool(mask: int, n_slots: int, n_bytes: int) -> np.ndarray:
    raw = np.frombuffer(mask.to_bytes(n_bytes, "little"), dtype=np.uint8)
    return np.unpackbits(raw, bitorder="little")[:n_slots].astype(bool)


def order_requests(
    state: State, free: list[int], lp_value: dict[int, float] | None = None
) -> list[int]:
    lp_value = lp_value or {}

    def key(r: int) -> tuple[int, int, int]:
        keep = 0 if lp_value.get(r, 1.0) >= 0.5 else 1
        return (keep, -state.weight[r], (state.common[r] & ~state.busy_of(r)).bit_count())

    return sorted(free, key=key)


def greedy(
    state: State,
    order: list[int],
    *,
    lp_day: dict[int, int] | None = None,
) -> None:
    """Place the requests of ``order`` one by one (each at most once)."""
    inst = state.inst
    n_slots = state.n_slots
    n_bytes = max(1, (n_slots + 7) // 8)
    lp_day = lp_day or {}
    spd = inst.slots_per_day
    day_of = np.arange(n_slots) // spd

    # demand[p, t]: pending requests of person p that could use slot t
    slot_lists: dict[int, np.ndarray] = {}
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    for r in order:
        sl = np.flatnonzero(_mask_to_bool(state.common[r], n_slots, n_bytes))
        slot_lists[r] = sl
        for p in state.people[r]:
            rows.append(np.full(len(sl), p, dtype=np.int64))
            cols.append(sl)
    demand = np.zeros((len(inst.people), n_slots), dtype=np.float64)
    if rows:
        np.add.at(demand, (np.concatenate(rows), np.concatenate(cols)), 1.0)

    shared = [li for li, loc in enumerate(inst.locations) if loc.kind == "shared"]
    shared_cap = sum(state.cap[li] for li in shared)
    shared_used = np.zeros(n_slots)
    for li in shared:
        shared_used += np.asarray(state.used[li], dtype=np.float64)
    shared_set = set(shared)

    for r in order:
        people = state.people[r]
        sl = slot_lists[r]
        for p in people:
            demand[p, sl] -= 1.0
        if state.assign[r] is not None:
            continue
        fm = state.feasible(r)
        if not fm:
            continue
        if fm & (fm - 1) == 0:  # a single slot: no choice to make
            t = fm.bit_length() - 1
        else:
            cand = np.flatnonzero(_mask_to_bool(fm, n_slots, n_bytes))
            score = demand[people[0], cand]
            for p in people[1:]:
                score = score + demand[p, cand]
            d = lp_day.get(r, -1)
            if d >= 0:
                score += DAY_PENALTY * (day_of[cand] != d)
            if shared_cap and any(li in shared_set for li in state.locs[r]):
                # would the meeting have to use the shared area at these slots?
                own = 0
                for li in state.locs[r]:
                    if li not in shared_set:
                        own |= ~state.full[li]
                needs_shared = ~_mask_to_bool(own & state.all_mask, n_slots, n_bytes)[cand]
                score += SHARED_PENALTY * needs_shared * (shared_used[cand] / shared_cap)
            t = int(cand[int(np.argmin(score))])
        li = state.location_for(r, t)
        assert li is not None
        state.place(r, t, li)
        if li in shared_set:
            shared_used[t] += 1.0

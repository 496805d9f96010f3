"""Place a late request into an existing schedule without moving anything else.

Everything already placed stays where it is (published meetings included); the new request
takes the feasible slot whose location has the most free tables (booths before the shared
area, see ``State.location_for``). The cost is a handful of bit operations.
"""

from __future__ import annotations

from .model import Request
from .reasons import reason_for
from .state import KIND_RANK, State


def add_request(state: State, request: Request) -> int:
    """Register a new request with the state (not placed yet); returns its index."""
    inst = state.inst
    inst.requests.append(request)
    r = len(inst.requests) - 1
    blocked = inst.blocked(request)
    state.assign.append(None)
    state.pinned.append(False)
    state.blocked.append(blocked)
    state.common.append(0 if blocked else inst.common_mask(request))
    state.weight.append(request.weight)
    state.people.append(request.people)
    state.locs.append(
        tuple(sorted(request.locations, key=lambda li: KIND_RANK[inst.locations[li].kind]))
    )
    return r


def place_late(state: State, request: Request) -> tuple[int, tuple[int, int] | None, str | None]:
    """Add and place one request. Returns (index, (slot, location) or None, reason if not)."""
    r = add_request(state, request)
    mask = state.feasible(r)
    if not mask:
        return r, None, reason_for(state, r, [False] * len(state.inst.people))
    best_t, best_slack = -1, -1
    while mask:
        low = mask & -mask
        mask ^= low
        t = low.bit_length() - 1
        li = state.location_for(r, t)
        assert li is not None
        slack = state.cap[li] - state.used[li][t]
        if slack > best_slack:
            best_t, best_slack = t, slack
    li = state.location_for(r, best_t)
    assert li is not None
    state.place(r, best_t, li)
    return r, (best_t, li), None

"""First-come-first-served self-booking, the baseline the optimiser is measured against.

Requests are booked in the order they were accepted (the order of the input's request list):
on accepting, the pair takes a slot both sides have free with a free table and keeps it.
``pick="earliest"`` takes the first such slot (what a booking page listing slots in order
invites); ``pick="random"`` takes any of them. Fixed and published meetings come first.
"""

from __future__ import annotations

import random

from .model import Instance, bits
from .state import State


def fcfs(inst: Instance, *, pick: str = "earliest", seed: int = 0) -> State:
    rng = random.Random(seed)
    state = State(inst)
    for r in range(len(inst.requests)):
        if state.assign[r] is not None:
            continue
        mask = state.feasible(r)
        if not mask:
            continue
        t = (mask & -mask).bit_length() - 1 if pick == "earliest" else rng.choice(bits(mask))
        li = state.location_for(r, t)
        assert li is not None
        state.place(r, t, li)
    return state

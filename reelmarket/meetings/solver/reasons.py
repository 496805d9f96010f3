"""Why a request was left out of a schedule.

Checked in this order, the first that holds is reported:

* ``no_thanks`` - someone across the two sides said "no thanks" to the other;
* ``no_common_free_slot`` - no slot at which all participants are available (and not held
  by a fixed or published meeting) and which the request allows;
* ``no_free_location`` - at some common free slot every participant is idle, but every
  allowed location is full there (tables are the limit);
* ``person_over_subscribed`` - at every common free slot a participant has another meeting,
  and some participant has more requests than usable free slots (they cannot meet everyone);
* ``heuristic_loss`` - at every common free slot a participant has another meeting, but no
  participant is over-subscribed: a different arrangement might have fitted it.
"""

from __future__ import annotations

from .state import State

REASONS = (
    "no_thanks",
    "no_common_free_slot",
    "no_free_location",
    "person_over_subscribed",
    "heuristic_loss",
)


def over_subscribed(state: State) -> list[bool]:
    """Per person: more live requests than free slots at which any of them could happen."""
    inst = state.inst
    demand = [0] * len(inst.people)
    usable = [0] * len(inst.people)
    pinned_busy = [0] * len(inst.people)
    for r, pinned in enumerate(state.pinned):
        if pinned and state.assign[r] is not None:
            for p in state.people[r]:
                pinned_busy[p] |= 1 << state.assign[r][0]
    for r in range(len(inst.requests)):
        if state.pinned[r] or not state.common[r]:
            continue
        for p in state.people[r]:
            demand[p] += 1
            usable[p] |= state.common[r]
    return [demand[p] > (usable[p] & ~pinned_busy[p]).bit_count() for p in range(len(inst.people))]


def reason_for(state: State, r: int, over: list[bool]) -> str:
    if state.blocked[r]:
        return "no_thanks"
    pinned_busy = 0
    for p in state.people[r]:
        for t, m in state.occ[p].items():
            if state.pinned[m]:
                pinned_busy |= 1 << t
    common = state.common[r] & ~pinned_busy
    if not common:
        return "no_common_free_slot"
    idle = common & ~state.busy_of(r)
    if idle:
        return "no_free_location"
    if any(over[p] for p in state.people[r]):
        return "person_over_subscribed"
    return "heuristic_loss"

"""A mutable schedule: who is busy when, how full each location is, and moves on it.

Everything the heuristics ask in their inner loops is a few integer bit operations: a
person's busy slots are a bitmask, and so is the set of slots at which a location is full.
"""

from __future__ import annotations

from .model import UNLIMITED, Instance, bits

# Preferred location kinds when a meeting could go to several: the company's own booth, then
# online, then the shared area (the contested resource).
KIND_RANK = {"booth": 0, "online": 1, "shared": 2}


class State:
    def __init__(self, inst: Instance) -> None:
        self.inst = inst
        n_slots = inst.n_slots
        self.n_slots = n_slots
        self.all_mask = inst.all_slots
        self.busy = [0] * len(inst.people)
        self.occ: list[dict[int, int]] = [{} for _ in inst.people]  # person -> slot -> request
        self.cap = [loc.capacity for loc in inst.locations]
        self.used = [[0] * n_slots for _ in inst.locations]
        self.full = [0 if c > 0 else self.all_mask for c in self.cap]
        self.at: dict[int, list[int]] = {}  # l * n_slots + t -> requests (capacitated only)
        self.assign: list[tuple[int, int] | None] = [None] * len(inst.requests)
        self.pinned = [False] * len(inst.requests)
        self.blocked = [inst.blocked(r) for r in inst.requests]
        self.common = [
            0 if b else inst.common_mask(r)
            for r, b in zip(inst.requests, self.blocked, strict=False)
        ]
        self.weight = [r.weight for r in inst.requests]
        self.people = [r.people for r in inst.requests]
        self.locs = [
            tuple(sorted(r.locations, key=lambda li: KIND_RANK[inst.locations[li].kind]))
            for r in inst.requests
        ]
        self.objective = 0
        for pin in inst.pins:
            self.pinned[pin.request] = True
            self.place(pin.request, pin.slot, pin.location)

    # ------------------------------------------------------------------ queries
    def loc_ok(self, r: int) -> int:
        """Slots at which at least one of the request's locations has a free table."""
        ok = 0
        for li in self.locs[r]:
            ok |= ~self.full[li]
        return ok & self.all_mask

    def busy_of(self, r: int) -> int:
        mask = 0
        for p in self.people[r]:
            mask |= self.busy[p]
        return mask

    def feasible(self, r: int) -> int:
        """Slots where the request could be placed right now without moving anything."""
        return self.common[r] & ~self.busy_of(r) & self.loc_ok(r)

    def location_for(self, r: int, t: int) -> int | None:
        bit = 1 << t
        for li in self.locs[r]:
            if not self.full[li] & bit:
                return li
        return None

    def meetings_at(self, li: int, t: int) -> list[int]:
        return self.at.get(li * self.n_slots + t, [])

    # ------------------------------------------------------------------ moves
    def place(self, r: int, t: int, li: int) -> None:
        bit = 1 << t
        for p in self.people[r]:
            self.busy[p] |= bit
            self.occ[p][t] = r
        if self.cap[li] < UNLIMITED:
            u = self.used[li][t] + 1
            self.used[li][t] = u
            if u >= self.cap[li]:
                self.full[li] |= bit
            self.at.setdefault(li * self.n_slots + t, []).append(r)
        self.assign[r] = (t, li)
        self.objective += self.weight[r]

    def remove(self, r: int) -> tuple[int, int]:
        where = self.assign[r]
        assert where is not None
        t, li = where
        bit = 1 << t
        for p in self.people[r]:
            self.busy[p] &= ~bit
            del self.occ[p][t]
        if self.cap[li] < UNLIMITED:
            self.used[li][t] -= 1
            self.full[li] &= ~bit
            self.at[li * self.n_slots + t].remove(r)
        self.assign[r] = None
        self.objective -= self.weight[r]
        return where

    def place_anywhere(self, r: int, avoid: int = 0) -> bool:
        """Put the request at its first feasible slot (outside ``avoid``); False if none."""
        mask = self.feasible(r) & ~avoid
        if not mask:
            return False
        t = (mask & -mask).bit_length() - 1
        li = self.location_for(r, t)
        assert li is not None
        self.place(r, t, li)
        return True

    def snapshot(self) -> list[tuple[int, int] | None]:
        return list(self.assign)

    def placed(self) -> list[int]:
        return [r for r, a in enumerate(self.assign) if a is not None]

    def unplaced(self) -> list[int]:
        return [r for r, a in enumerate(self.assign) if a is None]

    def person_slots(self, r: int) -> list[int]:
        return bits(self.common[r])

"""The solver's plain data model and its JSON input format (no Django).

Slots are numbered 0..S-1 across the whole grid: slot ``t`` is slot ``t % slots_per_day`` of day
``t // slots_per_day``. Inside the solver, a set of slots is an ``int`` bitmask (bit ``t``).
Every id in the JSON (people, locations, requests) is kept as given; the solver works on
dense indices and turns them back into ids when it writes its output.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FORMAT_IN = "reelmarket-schedule-input"
FORMAT_OUT = "reelmarket-schedule-output"
VERSION = 1

# One side's priority -> weight; a request weighs the sum over its two sides. Mirrors
# reelmarket.meetings.enums.PRIORITY_WEIGHT (kept here so the solver imports no Django).
PRIORITY_WEIGHT: dict[str, int] = {"must_meet": 4, "meet": 2, "nice_to_meet": 1}

LOCATION_KINDS = ("booth", "shared", "online")
UNLIMITED = 1 << 30  # capacity of an online location


class SolverInputError(ValueError):
    """The input document is not a valid schedule problem; the message says where."""


@dataclass(frozen=True, slots=True)
class Location:
    id: str
    kind: str  # booth | shared | online
    capacity: int  # simultaneous meetings per slot (tables - reserve; UNLIMITED online)
    tables: int = 0
    reserve: int = 0


@dataclass(frozen=True, slots=True)
class Person:
    id: str
    available: int  # bitmask of slots
    online: bool = False
    time_zone: str | None = None


@dataclass(frozen=True, slots=True)
class Request:
    id: str
    side_a: tuple[int, ...]  # person indices
    side_b: tuple[int, ...]
    weight: int
    locations: tuple[int, ...]  # allowed location indices
    slots: int  # bitmask of slots the request itself allows (all slots unless restricted)

    @property
    def people(self) -> tuple[int, ...]:
        return self.side_a + self.side_b


@dataclass(frozen=True, slots=True)
class Pin:
    """A meeting that must stay where it is: pre-booked (fixed) or already published."""

    request: int
    slot: int
    location: int
    kind: str  # fixed | published


@dataclass
class Instance:
    days: int
    slots_per_day: int
    people: list[Person]
    locations: list[Location]
    requests: list[Request]
    pins: list[Pin] = field(default_factory=list)
    no_thanks: set[tuple[int, int]] = field(default_factory=set)  # (min, max) person indices

    @property
    def n_slots(self) -> int:
        return self.days * self.slots_per_day

    @property
    def all_slots(self) -> int:
        return (1 << self.n_slots) - 1

    def day_mask(self, day: int) -> int:
        return ((1 << self.slots_per_day) - 1) << (day * self.slots_per_day)

    def blocked(self, r: Request) -> bool:
        """True if some pair across the two sides said "no thanks"."""
        if not self.no_thanks:
            return False
        for a in r.side_a:
            for b in r.side_b:
                if (min(a, b), max(a, b)) in self.no_thanks:
                    return True
        return False

    def common_mask(self, r: Request) -> int:
        mask = r.slots
        for p in r.people:
            mask &= self.people[p].available
        return mask


def mask_of(slots: list[int] | set[int] | tuple[int, ...]) -> int:
    mask = 0
    for t in slots:
        mask |= 1 << t
    return mask


def bits(mask: int) -> list[int]:
    out = []
    while mask:
        low = mask & -mask
        out.append(low.bit_length() - 1)
        mask ^= low
    return out


# ----------------------------------------------------------------------------- JSON input


def load_instance(path: str | Path) -> tuple[Instance, dict[str, Any]]:
    """Read and validate an input file. Returns the instance and the raw document."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise SolverInputError(f"{p}: no such file") from exc
    except OSError as exc:
        raise SolverInputError(f"{p}: cannot read ({exc.strerror})") from exc
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SolverInputError(
            f"{p}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from exc
    return parse_instance(doc), doc


def _int(value: Any, where: str, *, low: int = 0, high: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise SolverInputError(f"{where}: expected an integer, got {value!r}")
    if value < low or (high is not None and value > high):
        bound = f"{low}..{high}" if high is not None else f">= {low}"
        raise SolverInputError(f"{where}: {value} is out of range ({bound})")
    return value


def _list(doc: dict[str, Any], key: str, where: str) -> list[Any]:
    value = doc.get(key, [])
    if not isinstance(value, list):
        raise SolverInputError(f"{where}.{key}: expected a list")
    return value


def _weight(raw: dict[str, Any], where: str) -> int:
    if "weight" in raw:
        return _int(raw["weight"], f"{where}.weight", low=1)
    total = 0
    for side in ("priority_a", "priority_b"):
        prio = raw.get(side, "meet")
        if prio not in PRIORITY_WEIGHT:
            choices = ", ".join(PRIORITY_WEIGHT)
            raise SolverInputError(f"{where}.{side}: unknown priority {prio!r} ({choices})")
        total += PRIORITY_WEIGHT[prio]
    return total


def parse_instance(doc: Any) -> Instance:
    if not isinstance(doc, dict):
        raise SolverInputError("input: expected a JSON object at the top level")
    if doc.get("format", FORMAT_IN) != FORMAT_IN:
        raise SolverInputError(f"input: format must be {FORMAT_IN!r}")
    grid = doc.get("grid")
    if not isinstance(grid, dict):
        raise SolverInputError("input.grid: expected an object with days and slots_per_day")
    days = _int(grid.get("days"), "grid.days", low=1)
    spd = _int(grid.get("slots_per_day"), "grid.slots_per_day", low=1)
    n_slots = days * spd
    every = (1 << n_slots) - 1

    def slot_set(value: Any, where: str) -> int:
        if not isinstance(value, list):
            raise SolverInputError(f"{where}: expected a list of slot numbers")
        return mask_of([_int(t, where, high=n_slots - 1) for t in value])

    people: list[Person] = []
    person_index: dict[str, int] = {}
    for i, raw in enumerate(_list(doc, "people", "input")):
        where = f"people[{i}]"
        if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
            raise SolverInputError(f"{where}: expected an object with a string id")
        pid = raw["id"]
        if pid in person_index:
            raise SolverInputError(f"{where}: duplicate person id {pid!r}")
        avail = slot_set(raw["available"], f"{where}.available") if "available" in raw else every
        person_index[pid] = len(people)
        people.append(
            Person(pid, avail, bool(raw.get("online", False)), raw.get("time_zone") or None)
        )

    locations: list[Location] = []
    loc_index: dict[str, int] = {}
    for i, raw in enumerate(_list(doc, "locations", "input")):
        where = f"locations[{i}]"
        if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
            raise SolverInputError(f"{where}: expected an object with a string id")
        kind = raw.get("kind")
        if kind not in LOCATION_KINDS:
            raise SolverInputError(f"{where}.kind: one of {', '.join(LOCATION_KINDS)}")
        if raw["id"] in loc_index:
            raise SolverInputError(f"{where}: duplicate location id {raw['id']!r}")
        if kind == "online":
            loc = Location(raw["id"], kind, UNLIMITED)
        else:
            tables = _int(raw.get("tables"), f"{where}.tables", low=0)
            reserve = _int(raw.get("reserve", 0), f"{where}.reserve", low=0, high=tables)
            loc = Location(raw["id"], kind, tables - reserve, tables, reserve)
        loc_index[loc.id] = len(locations)
        locations.append(loc)

    requests: list[Request] = []
    req_index: dict[str, int] = {}
    for i, raw in enumerate(_list(doc, "requests", "input")):
        where = f"requests[{i}]"
        if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
            raise SolverInputError(f"{where}: expected an object with a string id")
        rid = raw["id"]
        where = f"request {rid!r} (requests[{i}])"
        if rid in req_index:
            raise SolverInputError(f"{where}: duplicate request id")
        sides = []
        for side in ("side_a", "side_b"):
            members = raw.get(side)
            if not isinstance(members, list) or not members:
                raise SolverInputError(f"{where}.{side}: expected a non-empty list of person ids")
            idx = []
            for pid in members:
                if pid not in person_index:
                    raise SolverInputError(f"{where}.{side}: unknown person {pid!r}")
                idx.append(person_index[pid])
            sides.append(tuple(idx))
        if len(set(sides[0] + sides[1])) != len(sides[0]) + len(sides[1]):
            raise SolverInputError(f"{where}: a person appears twice in the meeting")
        allowed = raw.get("locations")
        if not isinstance(allowed, list) or not allowed:
            raise SolverInputError(f"{where}.locations: expected a non-empty list of location ids")
        locs = []
        for lid in allowed:
            if lid not in loc_index:
                raise SolverInputError(f"{where}.locations: unknown location {lid!r}")
            locs.append(loc_index[lid])
        slots = slot_set(raw["slots"], f"{where}.slots") if "slots" in raw else every
        req_index[rid] = len(requests)
        requests.append(
            Request(rid, sides[0], sides[1], _weight(raw, where), tuple(dict.fromkeys(locs)), slots)
        )

    pins: list[Pin] = []
    pinned: set[int] = set()
    for kind in ("fixed", "published"):
        for i, raw in enumerate(_list(doc, kind, "input")):
            where = f"{kind}[{i}]"
            if not isinstance(raw, dict):
                raise SolverInputError(f"{where}: expected an object with request, slot, location")
            if raw.get("request") not in req_index:
                raise SolverInputError(f"{where}: unknown request {raw.get('request')!r}")
            r = req_index[raw["request"]]
            if r in pinned:
                raise SolverInputError(f"{where}: request {raw['request']!r} is pinned twice")
            slot = _int(raw.get("slot"), f"{where}.slot", high=n_slots - 1)
            if raw.get("location") not in loc_index:
                raise SolverInputError(f"{where}: unknown location {raw.get('location')!r}")
            pinned.add(r)
            pins.append(Pin(r, slot, loc_index[raw["location"]], kind))

    no_thanks: set[tuple[int, int]] = set()
    for i, raw in enumerate(_list(doc, "no_thanks", "input")):
        where = f"no_thanks[{i}]"
        if not isinstance(raw, list) or len(raw) != 2:
            raise SolverInputError(f"{where}: expected a pair of person ids")
        for pid in raw:
            if pid not in person_index:
                raise SolverInputError(f"{where}: unknown person {pid!r}")
        a, b = person_index[raw[0]], person_index[raw[1]]
        no_thanks.add((min(a, b), max(a, b)))

    return Instance(days, spd, people, locations, requests, pins, no_thanks)

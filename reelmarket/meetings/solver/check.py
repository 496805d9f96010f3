"""Independent checker: re-verifies a schedule against its input, from the JSON alone.

Written apart from the solver on purpose: it reads the two documents with plain dicts and
sets (no bitmasks, no solver state) and checks every rule again: each request at most once,
known ids, one meeting per person per slot, every participant available (pins exempt: they
are kept as booked), the request's own slot window, an allowed location, table capacity per
location and slot (tables minus reserve), fixed and published meetings where they were,
"no thanks" pairs never meeting, and the objective recomputed.
"""

from __future__ import annotations

from typing import Any

WEIGHTS = {"must_meet": 4, "meet": 2, "nice_to_meet": 1}


def _weight(req: dict[str, Any]) -> int:
    if "weight" in req:
        return int(req["weight"])
    return WEIGHTS[req.get("priority_a", "meet")] + WEIGHTS[req.get("priority_b", "meet")]


def check_schedule(problem: dict[str, Any], schedule: dict[str, Any]) -> list[str]:
    """Every violated rule, as a sentence; an empty list means the schedule is valid."""
    errors: list[str] = []
    grid = problem["grid"]
    n_slots = grid["days"] * grid["slots_per_day"]
    people = {p["id"]: p for p in problem.get("people", [])}
    available = {
        pid: set(p["available"]) if "available" in p else set(range(n_slots))
        for pid, p in people.items()
    }
    locations = {loc["id"]: loc for loc in problem.get("locations", [])}
    requests = {r["id"]: r for r in problem.get("requests", [])}
    pins = {}
    for kind in ("fixed", "published"):
        for pin in problem.get(kind, []):
            pins[pin["request"]] = (pin["slot"], pin["location"], kind)
    no_thanks = {frozenset(pair) for pair in problem.get("no_thanks", [])}

    seen: set[str] = set()
    person_slot: dict[tuple[str, int], str] = {}
    load: dict[tuple[str, int], int] = {}
    total = 0
    for a in schedule.get("assignments", []):
        rid, slot, lid = a["request"], a["slot"], a["location"]
        if rid not in requests:
            errors.append(f"{rid}: no such request")
            continue
        if rid in seen:
            errors.append(f"{rid}: scheduled twice")
            continue
        seen.add(rid)
        req = requests[rid]
        total += _weight(req)
        if not 0 <= slot < n_slots:
            errors.append(f"{rid}: slot {slot} is not on the grid")
            continue
        if lid not in locations:
            errors.append(f"{rid}: no such location {lid}")
            continue
        if lid not in req["locations"]:
            errors.append(f"{rid}: location {lid} is not allowed for this request")
        pinned = pins.get(rid)
        if pinned is not None and (slot, lid) != pinned[:2]:
            errors.append(f"{rid}: {pinned[2]} meeting moved from {pinned[:2]} to {(slot, lid)}")
        if pinned is None and "slots" in req and slot not in req["slots"]:
            errors.append(f"{rid}: slot {slot} is outside the request's allowed slots")
        members = list(req["side_a"]) + list(req["side_b"])
        for pid in members:
            if pinned is None and slot not in available[pid]:
                errors.append(f"{rid}: {pid} is not available at slot {slot}")
            other = person_slot.get((pid, slot))
            if other is not None:
                errors.append(f"{rid}: {pid} already meets at slot {slot} ({other})")
            person_slot[(pid, slot)] = rid
        for x in req["side_a"]:
            for y in req["side_b"]:
                if frozenset((x, y)) in no_thanks:
                    errors.append(f"{rid}: {x} and {y} said no thanks")
        load[(lid, slot)] = load.get((lid, slot), 0) + 1
    for (lid, slot), n in sorted(load.items()):
        loc = locations[lid]
        if loc["kind"] == "online":
            continue
        capacity = loc.get("tables", 0) - loc.get("reserve", 0)
        if n > capacity:
            errors.append(f"{lid}: {n} meetings at slot {slot}, {capacity} tables")
    for rid, pin in sorted(pins.items()):
        if rid not in seen:
            errors.append(f"{rid}: {pin[2]} meeting missing")
    if "objective" in schedule and schedule["objective"] != total:
        errors.append(f"objective: reported {schedule['objective']}, recomputed {total}")
    if "upper_bound" in schedule and schedule["upper_bound"] < total:
        errors.append(f"upper bound {schedule['upper_bound']} is below the objective {total}")
    left = {item["request"] for item in schedule.get("left_out", [])}
    missing = set(requests) - seen - left
    if missing:
        errors.append(f"{len(missing)} requests neither scheduled nor left out")
    if left & seen:
        errors.append(f"{len(left & seen)} requests both scheduled and left out")
    return errors

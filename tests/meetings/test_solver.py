"""The Django-free meeting solver: optimality on tiny cases, bounds, reasons, incremental."""

from __future__ import annotations

import itertools
import json
import random
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reelmarket.meetings.solver.check import check_schedule
from reelmarket.meetings.solver.fcfs import fcfs
from reelmarket.meetings.solver.generate import generate
from reelmarket.meetings.solver.incremental import place_late
from reelmarket.meetings.solver.model import Request, SolverInputError, parse_instance
from reelmarket.meetings.solver.reasons import over_subscribed, reason_for
from reelmarket.meetings.solver.solve import result_document, solve
from reelmarket.meetings.solver.state import State


def problem(
    *,
    slots: int,
    people: dict[str, list[int]],
    requests: list[tuple[str, list[str], list[str], int, list[str]]],
    locations: list[dict[str, Any]] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "format": "reelmarket-schedule-input",
        "version": 1,
        "grid": {"days": 1, "slots_per_day": slots},
        "people": [{"id": pid, "available": avail} for pid, avail in people.items()],
        "locations": locations or [{"id": "shared", "kind": "shared", "tables": 1}],
        "requests": [
            {"id": rid, "side_a": a, "side_b": b, "weight": w, "locations": locs}
            for rid, a, b, w, locs in requests
        ],
        **extra,
    }


def run(doc: dict[str, Any], time_limit: float = 5.0) -> dict[str, Any]:
    result = solve(parse_instance(doc), time_limit=time_limit, seed=0)
    out = result_document(result, seed=0, time_limit=time_limit)
    assert check_schedule(doc, out) == []
    return out


def brute_force(doc: dict[str, Any]) -> int:
    """Best total weight by trying every (slot, location) or "out" for every request."""
    n = doc["grid"]["slots_per_day"]
    avail = {p["id"]: set(p["available"]) for p in doc["people"]}
    cap = {loc["id"]: loc.get("tables", 99) - loc.get("reserve", 0) for loc in doc["locations"]}
    options = []
    for req in doc["requests"]:
        members = req["side_a"] + req["side_b"]
        opts: list[tuple[int, str] | None] = [None]
        for t in range(n):
            if all(t in avail[p] for p in members):
                opts.extend((t, loc) for loc in req["locations"])
        options.append(opts)
    best = 0
    for combo in itertools.product(*options):
        busy: set[tuple[str, int]] = set()
        load: dict[tuple[str, int], int] = {}
        total, ok = 0, True
        for req, choice in zip(doc["requests"], combo, strict=False):
            if choice is None:
                continue
            t, loc = choice
            for p in req["side_a"] + req["side_b"]:
                if (p, t) in busy:
                    ok = False
                busy.add((p, t))
            load[(loc, t)] = load.get((loc, t), 0) + 1
            ok = ok and load[(loc, t)] <= cap[loc]
            total += req["weight"]
        if ok:
            best = max(best, total)
    return best


def random_problem(rng: random.Random, *, n_people: int, n_requests: int, slots: int) -> dict:
    people = {
        f"p{i}": sorted(rng.sample(range(slots), rng.randint(1, slots))) for i in range(n_people)
    }
    requests = []
    for k in range(n_requests):
        a, b = rng.sample(sorted(people), 2)
        requests.append((f"r{k}", [a], [b], rng.choice((2, 3, 5, 8)), ["booth", "shared"]))
    locations = [
        {"id": "booth", "kind": "booth", "tables": 1},
        {"id": "shared", "kind": "shared", "tables": rng.randint(0, 2)},
    ]
    return problem(slots=slots, people=people, requests=requests, locations=locations)


@pytest.mark.parametrize("seed", range(6))
def test_tiny_instances_reach_the_brute_force_optimum(seed: int) -> None:
    doc = random_problem(random.Random(seed), n_people=5, n_requests=6, slots=3)
    best = brute_force(doc)
    out = run(doc)
    assert out["objective"] == best
    assert out["upper_bound"] >= best
    assert out["proven_optimal"] is True


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), n_requests=st.integers(1, 14), slots=st.integers(1, 5))
def test_random_small_instances_are_valid_and_bounded(
    seed: int, n_requests: int, slots: int
) -> None:
    doc = random_problem(random.Random(seed), n_people=6, n_requests=n_requests, slots=slots)
    out = run(doc, time_limit=2.0)
    assert out["upper_bound"] >= out["objective"]
    assert len(out["assignments"]) + len(out["left_out"]) == n_requests


def test_company_meeting_needs_everyone_free_and_fixed_meetings_stay() -> None:
    doc = problem(
        slots=3,
        people={"buyer": [0, 1, 2], "s1": [0, 1], "s2": [1, 2], "other": [1]},
        requests=[
            ("team", ["buyer"], ["s1", "s2"], 6, ["shared"]),
            ("pre", ["other"], ["s1"], 2, ["shared"]),
        ],
        locations=[{"id": "shared", "kind": "shared", "tables": 2}],
        fixed=[{"request": "pre", "slot": 1, "location": "shared"}],
    )
    out = run(doc)
    assert {a["request"]: a["slot"] for a in out["assignments"]} == {"pre": 1}
    assert out["left_out"] == [{"request": "team", "weight": 6, "reason": "no_common_free_slot"}]


def test_reasons_on_crafted_cases() -> None:
    doc = problem(
        slots=2,
        people={"a": [0], "b": [1], "c": [0], "d": [0], "e": [0], "f": [0, 1], "g": [0, 1]},
        requests=[
            ("apart", ["a"], ["b"], 2, ["shared"]),  # a free at 0, b at 1
            ("table1", ["c"], ["d"], 8, ["shared"]),  # takes the only table at slot 0
            ("table2", ["e"], ["f"], 2, ["shared"]),  # idle people, table full
            ("blocked", ["f"], ["g"], 2, ["shared"]),
        ],
        no_thanks=[["g", "f"]],
    )
    out = run(doc)
    reasons = {item["request"]: item["reason"] for item in out["left_out"]}
    assert reasons == {
        "apart": "no_common_free_slot",
        "table2": "no_free_location",
        "blocked": "no_thanks",
    }


def test_over_subscribed_and_heuristic_loss_reasons() -> None:
    doc = problem(
        slots=2,
        people={"a": [0, 1], "b": [0, 1], "c": [0, 1], "d": [1, 0], "solo": [0], "x": [0]},
        requests=[
            ("ab", ["a"], ["b"], 2, ["shared"]),
            ("ac", ["a"], ["c"], 2, ["shared"]),
            ("cd", ["c"], ["d"], 2, ["shared"]),
            ("solo1", ["solo"], ["x"], 2, ["shared"]),
            ("solo2", ["solo"], ["b"], 2, ["shared"]),
        ],
        locations=[{"id": "shared", "kind": "shared", "tables": 5}],
    )
    state = State(parse_instance(doc))
    ids = {r.id: i for i, r in enumerate(state.inst.requests)}
    state.place(ids["ab"], 0, 0)  # a deliberately poor arrangement
    state.place(ids["cd"], 1, 0)
    state.place(ids["solo1"], 0, 0)
    over = over_subscribed(state)
    assert reason_for(state, ids["ac"], over) == "heuristic_loss"
    assert reason_for(state, ids["solo2"], over) == "person_over_subscribed"


def test_published_meetings_stay_and_late_requests_move_nothing() -> None:
    doc = generate(seed=3, people=120, requests=500, booths=12, shared_tables=4)
    first = run(doc, time_limit=3.0)
    doc["published"] = [
        {"request": a["request"], "slot": a["slot"], "location": a["location"]}
        for a in first["assignments"][:100]
        if a["pinned"] is None
    ]
    second = run(doc, time_limit=3.0)
    where = {a["request"]: (a["slot"], a["location"]) for a in second["assignments"]}
    for pin in doc["published"]:
        assert where[pin["request"]] == (pin["slot"], pin["location"])

    result = solve(parse_instance(doc), time_limit=2.0)
    state = result.state
    before = list(state.assign)
    shared = next(i for i, loc in enumerate(state.inst.locations) if loc.kind == "shared")
    buyer = next(i for i, p in enumerate(state.inst.people) if p.id.startswith("b"))
    seller = next(i for i, p in enumerate(state.inst.people) if p.id.startswith("s"))
    late = Request("late", (buyer,), (seller,), 8, (shared,), state.inst.all_slots)
    r, placed, reason = place_late(state, late)
    assert state.assign[: len(before)] == before
    if placed is None:
        assert reason in {"no_common_free_slot", "no_free_location", "heuristic_loss"}
    else:
        t, li = placed
        assert state.assign[r] == (t, li)
        assert not state.busy_of(r) & ~(1 << t) & (1 << t)


def test_generated_instance_beats_fcfs_and_round_trips_through_json() -> None:
    doc = generate(seed=5, people=300, requests=1500, booths=30, shared_tables=8)
    again = json.loads(json.dumps(doc))
    inst = parse_instance(again)
    assert [r.id for r in inst.requests] == [r["id"] for r in doc["requests"]]
    assert sum(1 for p in inst.people if p.online) == 15
    out = run(again, time_limit=4.0)
    out2 = json.loads(json.dumps(out))
    assert check_schedule(doc, out2) == []
    assert out2["objective"] >= fcfs(parse_instance(doc)).objective
    assert out2["upper_bound"] >= out2["objective"]


def test_invalid_inputs_name_the_culprit() -> None:
    doc = problem(
        slots=2,
        people={"a": [0], "b": [0]},
        requests=[("r1", ["a"], ["ghost"], 2, ["shared"])],
    )
    with pytest.raises(SolverInputError, match=r"request 'r1' \(requests\[0\]\).*'ghost'"):
        parse_instance(doc)
    doc = problem(
        slots=2,
        people={"a": [0], "b": [0], "c": [0]},
        requests=[("r1", ["a"], ["b"], 2, ["shared"]), ("r2", ["a"], ["c"], 2, ["shared"])],
        locations=[{"id": "shared", "kind": "shared", "tables": 2}],
        fixed=[
            {"request": "r1", "slot": 0, "location": "shared"},
            {"request": "r2", "slot": 0, "location": "shared"},
        ],
    )
    with pytest.raises(SolverInputError, match="'a' already meets at slot 0"):
        solve(parse_instance(doc), time_limit=1.0)


def test_checker_catches_each_kind_of_violation() -> None:
    doc = problem(
        slots=2,
        people={"a": [0, 1], "b": [0], "c": [0, 1]},
        requests=[("ab", ["a"], ["b"], 2, ["shared"]), ("ac", ["a"], ["c"], 3, ["shared"])],
        fixed=[{"request": "ac", "slot": 1, "location": "shared"}],
        no_thanks=[["a", "b"]],
    )
    bad = {
        "objective": 9,
        "assignments": [
            {"request": "ab", "slot": 1, "location": "shared"},
            {"request": "ac", "slot": 1, "location": "shared"},
        ],
        "left_out": [],
    }
    errors = check_schedule(doc, bad)
    assert errors == [
        "ab: b is not available at slot 1",
        "ab: a and b said no thanks",
        "ac: a already meets at slot 1 (ab)",
        "shared: 2 meetings at slot 1, 1 tables",
        "objective: reported 9, recomputed 5",
    ]

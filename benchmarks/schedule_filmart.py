"""Benchmark: the meeting solver on a seeded FILMART-like instance (full size by default).

Generates the instance (7,500 people, 50,000 accepted requests, 4 days x 16 slots), solves it
within the time limit, validates the schedule with the independent checker, runs
first-come-first-served self-booking on the same instance (earliest slot, and random slot),
then places late requests one at a time without moving anything and times each placement.

    .venv/bin/python benchmarks/schedule_filmart.py [--seed 1] [--time-limit 30] [--late 200]

Writes benchmarks/results/schedule_filmart.json.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from pathlib import Path

from reelmarket.meetings.solver.check import check_schedule
from reelmarket.meetings.solver.fcfs import fcfs
from reelmarket.meetings.solver.generate import generate
from reelmarket.meetings.solver.incremental import place_late
from reelmarket.meetings.solver.model import Request, parse_instance
from reelmarket.meetings.solver.solve import result_document, solve


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--people", type=int, default=7500)
    parser.add_argument("--requests", type=int, default=50000)
    parser.add_argument("--late", type=int, default=200)
    args = parser.parse_args()

    t = time.perf_counter()
    doc = generate(seed=args.seed, people=args.people, requests=args.requests)
    gen_s = time.perf_counter() - t
    t = time.perf_counter()
    inst = parse_instance(doc)
    parse_s = time.perf_counter() - t
    print(
        f"instance: {len(doc['people'])} people, {len(doc['requests'])} requests,"
        f" {len(doc['fixed'])} fixed; generated {gen_s:.1f} s, parsed {parse_s:.1f} s"
    )

    t = time.perf_counter()
    result = solve(inst, time_limit=args.time_limit, seed=args.seed)
    solve_s = time.perf_counter() - t
    out = result_document(result, seed=args.seed, time_limit=args.time_limit)
    errors = check_schedule(doc, out)
    print(
        f"optimiser: weight {result.objective}, upper bound {result.upper_bound}"
        f" (b-matching {result.b_matching}, day-block {result.day_block}),"
        f" gap {100 * result.gap:.3f} %, {solve_s:.1f} s; checker: {len(errors)} errors"
    )
    print(f"  timings {out['timings']}")
    print(f"  left out by reason {out['left_out_by_reason']}")

    baselines = {}
    for pick in ("earliest", "random"):
        t = time.perf_counter()
        st = fcfs(parse_instance(doc), pick=pick, seed=args.seed)
        baselines[pick] = {
            "weight": st.objective,
            "meetings": len(st.placed()),
            "seconds": round(time.perf_counter() - t, 2),
        }
    best_fcfs = max(b["weight"] for b in baselines.values())
    gain = result.objective / best_fcfs - 1
    print(f"FCFS self-booking: {baselines}; optimiser gains {100 * gain:.2f} % over the best")

    # late requests: new buyer-seller pairs, placed one by one, nothing else moves
    rng = random.Random(args.seed)
    state = result.state
    sellers = [i for i, p in enumerate(inst.people) if p.id.startswith("s")]
    buyers = [i for i, p in enumerate(inst.people) if p.id.startswith("b") and not p.online]
    shared = next(i for i, loc in enumerate(inst.locations) if loc.kind == "shared")
    booth_of: dict[int, int] = {}
    for req in inst.requests:
        for li in req.locations:
            if inst.locations[li].kind == "booth":
                booth_of[req.side_b[0]] = li
    before = list(state.assign)
    times = []
    placed = 0
    for k in range(args.late):
        seller = rng.choice(sellers)
        allowed = (booth_of[seller], shared) if seller in booth_of else (shared,)
        req = Request(f"late{k}", (rng.choice(buyers),), (seller,), 6, allowed, inst.all_slots)
        t = time.perf_counter()
        _, where, _ = place_late(state, req)
        times.append((time.perf_counter() - t) * 1000)
        placed += where is not None
    unmoved = state.assign[: len(before)] == before
    late = {
        "requests": args.late,
        "placed": placed,
        "median_ms": round(statistics.median(times), 4),
        "max_ms": round(max(times), 4),
        "nothing_moved": unmoved,
    }
    print(f"late requests: {late}")

    summary = {
        "seed": args.seed,
        "people": len(doc["people"]),
        "requests": len(doc["requests"]),
        "fixed": len(doc["fixed"]),
        "time_limit": args.time_limit,
        "objective": result.objective,
        "upper_bound": result.upper_bound,
        "b_matching": result.b_matching,
        "day_block": result.day_block,
        "gap": result.gap,
        "solve_seconds": round(solve_s, 2),
        "timings": out["timings"],
        "checker_errors": len(errors),
        "meetings": len(out["assignments"]),
        "left_out_by_reason": out["left_out_by_reason"],
        "fcfs": baselines,
        "gain_over_fcfs": gain,
        "late": late,
        "bars": {
            "gap_le_0.5pct_in_30s": result.gap <= 0.005 and solve_s <= 30.0,
            "gain_ge_5pct_over_fcfs": gain >= 0.05,
            "late_le_20ms": late["max_ms"] <= 20.0,
            "checker_clean": not errors,
        },
    }
    results = Path(__file__).resolve().parent / "results"
    results.mkdir(exist_ok=True)
    (results / "schedule_filmart.json").write_text(json.dumps(summary, indent=2))
    print(f"bars: {summary['bars']}")


if __name__ == "__main__":
    main()

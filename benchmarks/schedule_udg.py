"""Benchmark: the 20 public UdG business-to-business meeting instances (Bofill et al., JAIR 2022).

Reads the MiniZinc data files in ../shared/benchmarks/udg-b2b/, turns each into a solver input
(one day of nTotalSlots slots; the morning/afternoon session of a meeting becomes its allowed
slots; forbidden slots are removed from availability; fixed meetings are pinned; all
meetings weigh 1 and share nTables tables), solves it, validates the schedule with the
independent checker, and reports whether every meeting was placed.

    .venv/bin/python benchmarks/schedule_udg.py [--dir DIR] [--time-limit 30]

Writes benchmarks/results/schedule_udg.json.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from pathlib import Path
from typing import Any

from reelmarket.meetings.solver.check import check_schedule
from reelmarket.meetings.solver.model import FORMAT_IN, parse_instance
from reelmarket.meetings.solver.solve import result_document, solve

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "udg-b2b"


def _scalar(text: str, name: str) -> int:
    m = re.search(rf"\b{name}\s*=\s*(\d+)\s*;", text)
    if not m:
        raise ValueError(f"{name} missing")
    return int(m.group(1))


def _block(text: str, name: str) -> str:
    m = re.search(rf"\b{name}\s*=\s*(.*?);", text, re.S)
    if not m:
        raise ValueError(f"{name} missing")
    return m.group(1)


def read_dzn(path: Path) -> dict[str, Any]:
    """One .dzn file -> a solver input document."""
    text = path.read_text()
    n_business = _scalar(text, "nBusiness")
    n_meetings = _scalar(text, "nMeetings")
    n_tables = _scalar(text, "nTables")
    n_slots = _scalar(text, "nTotalSlots")
    n_morning = _scalar(text, "nMorningSlots")
    rows = re.findall(r"\|\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)", _block(text, "requested"))
    if len(rows) != n_meetings:
        raise ValueError(f"{path.name}: {len(rows)} meetings, header says {n_meetings}")
    forbidden_sets = re.findall(r"\{([^}]*)\}", _block(text, "forbidden"))
    if len(forbidden_sets) != n_business:
        raise ValueError(f"{path.name}: {len(forbidden_sets)} forbidden sets for {n_business}")
    fixed = [int(x) for x in re.findall(r"\d+", _block(text, "fixed"))]
    morning = list(range(n_morning))
    afternoon = list(range(n_morning, n_slots))
    people = []
    for i, body in enumerate(forbidden_sets):
        banned = {int(x) - 1 for x in re.findall(r"\d+", body) if int(x) > 0}
        free = [t for t in range(n_slots) if t not in banned]
        people.append({"id": f"b{i + 1}", "available": free})
    requests = []
    pins = []
    for k, (a, b, session) in enumerate(rows):
        req: dict[str, Any] = {
            "id": f"m{k + 1}",
            "side_a": [f"b{a}"],
            "side_b": [f"b{b}"],
            "weight": 1,
            "locations": ["tables"],
        }
        if session == "1":
            req["slots"] = morning
        elif session == "2":
            req["slots"] = afternoon
        requests.append(req)
        if k < len(fixed) and fixed[k] > 0:
            pins.append({"request": req["id"], "slot": fixed[k] - 1, "location": "tables"})
    return {
        "format": FORMAT_IN,
        "version": 1,
        "name": path.stem,
        "grid": {"days": 1, "slots_per_day": n_slots},
        "people": people,
        "locations": [{"id": "tables", "kind": "shared", "tables": n_tables}],
        "requests": requests,
        "fixed": pins,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    files = sorted(args.dir.glob("*.dzn"))
    rows = []
    for f in files:
        doc = read_dzn(f)
        inst = parse_instance(doc)
        started = time.perf_counter()
        result = solve(inst, time_limit=args.time_limit, seed=args.seed)
        seconds = time.perf_counter() - started
        out = result_document(result, seed=args.seed, time_limit=args.time_limit)
        errors = check_schedule(doc, out)
        complete = not out["left_out"] and not errors
        rows.append(
            {
                "instance": f.stem,
                "meetings": len(doc["requests"]),
                "placed": len(out["assignments"]),
                "complete": complete,
                "checker_errors": len(errors),
                "seconds": round(seconds, 3),
            }
        )
        print(
            f"{f.stem:28s} {len(out['assignments']):4d}/{len(doc['requests']):4d} placed"
            f"  {'complete' if complete else 'INCOMPLETE'}  checker {len(errors)} errors"
            f"  {seconds:6.2f} s"
        )
    done = sum(r["complete"] for r in rows)
    total = sum(r["seconds"] for r in rows)
    print(f"{done}/{len(rows)} instances scheduled completely; {total:.1f} s in all")
    results = Path(__file__).resolve().parent / "results"
    results.mkdir(exist_ok=True)
    summary = {"complete": done, "instances": len(rows), "seconds": total, "rows": rows}
    (results / "schedule_udg.json").write_text(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()

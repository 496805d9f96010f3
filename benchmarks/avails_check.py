"""Benchmark: the pure avails algebra, as the catalogue's avails filter uses it.

Builds a synthetic catalogue of titles with realistic rights windows (held groups, sold
and held-out countries, chained terms), then times ``check_availability`` for
single-country and group queries. Prints figures and writes benchmarks/results/avails_check.json.

    .venv/bin/python benchmarks/avails_check.py [--titles 1000] [--seed 7]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from datetime import date, timedelta
from pathlib import Path

from reelmarket.catalogue.avails.algebra import Query, Window, WindowStatus, check_availability
from reelmarket.catalogue.avails.media import Media
from reelmarket.catalogue.avails.territories import GROUPS, expand

GROUP_CODES = ["WW", "ASIA", "ASEAN", "EUROPE", "LATAM", "GREATER_CHINA", "MENA"]


def synthetic_windows(rng: random.Random) -> list[Window]:
    windows: list[Window] = []
    for _ in range(rng.randint(3, 12)):
        media = rng.choice(list(Media))
        group = rng.choice(GROUP_CODES)
        start = date(2024, 1, 1) + timedelta(days=rng.randint(0, 700))
        end = None if rng.random() < 0.2 else start + timedelta(days=rng.randint(365, 2500))
        held = expand(include=[group])
        windows.append(
            Window(
                media=media,
                countries=held,
                start=start,
                end=end,
                exclusive=rng.random() < 0.8,
                status=WindowStatus.AVAILABLE,
            )
        )
        if rng.random() < 0.6:
            sold = frozenset(rng.sample(sorted(held), k=min(len(held), rng.randint(1, 6))))
            s_start = start + timedelta(days=rng.randint(0, 200))
            windows.append(
                Window(
                    media=media,
                    countries=sold,
                    start=s_start,
                    end=s_start + timedelta(days=rng.randint(180, 1100)),
                    exclusive=True,
                    status=rng.choice([WindowStatus.SOLD, WindowStatus.ON_HOLD]),
                    counterparty="Buyer",
                )
            )
    return windows


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--titles", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    catalogue = [synthetic_windows(rng) for _ in range(args.titles)]
    queries = {
        "one country (VN), non-exclusive": Query(
            media=Media.SVOD,
            countries=frozenset({"VN"}),
            start=date(2026, 1, 1),
            end=date(2027, 12, 31),
            exclusive=False,
        ),
        "ASEAN, exclusive": Query(
            media=Media.SVOD,
            countries=GROUPS["ASEAN"].members,
            start=date(2026, 1, 1),
            end=date(2027, 12, 31),
            exclusive=True,
        ),
        "Worldwide, exclusive": Query(
            media=Media.SVOD,
            countries=GROUPS["WW"].members,
            start=date(2026, 1, 1),
            end=date(2027, 12, 31),
            exclusive=True,
        ),
    }
    results: dict[str, dict[str, float]] = {}
    for label, query in queries.items():
        per_title: list[float] = []
        available = 0
        started = time.perf_counter()
        for windows in catalogue:
            relevant = [w for w in windows if w.media == query.media]
            t0 = time.perf_counter()
            available += check_availability(windows=relevant, query=query).available
            per_title.append((time.perf_counter() - t0) * 1e6)
        total_ms = (time.perf_counter() - started) * 1000
        results[label] = {
            "titles": args.titles,
            "available": available,
            "per_title_p50_us": round(statistics.median(per_title), 1),
            "per_title_p95_us": round(percentile(per_title, 95), 1),
            "whole_catalogue_ms": round(total_ms, 1),
        }
        print(
            f"{label:36} p50 {results[label]['per_title_p50_us']:7.1f} µs  "
            f"p95 {results[label]['per_title_p95_us']:7.1f} µs  "
            f"{args.titles} titles in {total_ms:7.1f} ms  ({available} available)"
        )
    out = Path(__file__).parent / "results" / "avails_check.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(
        json.dumps({"benchmark": "avails_check", "seed": args.seed, "results": results}, indent=2)
    )
    print(f"wrote {out}")


if __name__ == "__main__":
    main()

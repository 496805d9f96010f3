"""Benchmark: facet filters + disjunctive counts + availability filter at catalogue scale.

Titles come from the demo generator (``market.demo.titles.Catalogue``: its kinds, genres,
origin countries, languages, stages and rights windows). Generating a demo title costs
~0.5 ms, so a pool of ``--pool`` real demo titles is generated and the catalogue of
``--titles`` is drawn from it, each copy with its rights shifted by a random number of
days (0-3 years) and a random owner, so that availability profiles stay distinct as in a
real catalogue (a harder case than the demo's month-aligned dates).

Times ``FacetIndex.evaluate`` (mask + disjunctive counts + avails filter, as one search
needs them) for a mix of filter combinations, with base = every published title and with
a random 5 % / 20 % candidate set (as if from a keyword hit list). Prints figures and
writes benchmarks/results/search_facets.json.

    .venv/bin/python benchmarks/search_facets.py [--titles 1000000] [--pool 20000] [--seed 7]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import statistics
import time
from datetime import date
from pathlib import Path

import numpy as np

from reelmarket.catalogue.avails.algebra import Window
from reelmarket.catalogue.avails.index import OPEN_END, Segment, country_mask, title_segments
from reelmarket.catalogue.avails.territories import expand
from reelmarket.discovery.facets import AvailsQuery, FacetFilters, FacetIndex, FacetRecord
from reelmarket.market.demo.plan import plan_market
from reelmarket.market.demo.titles import Catalogue

RESULTS = Path(__file__).parent / "results" / "search_facets.json"


def pool_records(size: int, seed: int) -> list[FacetRecord]:
    catalogue = Catalogue(plan_market(seed=seed))
    records = []
    for i in range(size):
        spec = catalogue.title(i)
        windows = [
            Window(
                media=w.media,
                countries=expand(include=w.territories, exclude=w.excluded),
                start=w.starts_on,
                end=w.ends_on,
                exclusive=w.exclusive,
                status=w.status,
            )
            for w in spec.windows
        ]
        records.append(
            FacetRecord(
                title_id=i,
                kind=spec.kind,
                stage=spec.stage,
                new_this_market=spec.new_this_market,
                published=True,
                owner_id=0,
                year=spec.year,
                genres=spec.genres,
                countries=spec.countries,
                languages=tuple(sorted({spec.original_language, *spec.languages})),
                avails=title_segments(windows),
            )
        )
    return records


def shifted(avails: dict[str, list[Segment]], days: int) -> dict[str, list[Segment]]:
    return {
        media: [
            Segment(s.start + days, s.end if s.end == OPEN_END else s.end + days, s.nonexcl, s.excl)
            for s in segs
        ]
        for media, segs in avails.items()
    }


def catalogue_records(pool: list[FacetRecord], titles: int, seed: int):
    rng = random.Random(seed)
    for title_id in range(1, titles + 1):
        source = pool[rng.randrange(len(pool))]
        yield FacetRecord(
            title_id=title_id,
            kind=source.kind,
            stage=source.stage,
            new_this_market=source.new_this_market,
            published=rng.random() < 0.95,
            owner_id=rng.randrange(1, 3000),
            year=source.year,
            genres=source.genres,
            countries=source.countries,
            languages=source.languages,
            avails=shifted(source.avails, rng.randrange(0, 3 * 365)),  # type: ignore[arg-type]
        )


def avails(media: str, territory: str, start: date, end: date, exclusive: bool) -> AvailsQuery:
    return AvailsQuery(
        media=media,
        countries_mask=country_mask(expand(include=[territory])),
        start=start,
        end=end,
        exclusive=exclusive,
    )


MIX: dict[str, FacetFilters] = {
    "no filter": FacetFilters(),
    "kind=feature": FacetFilters(kinds=("feature",)),
    "genre horror|thriller + country KR": FacetFilters(
        genres=("horror", "thriller"), countries=("KR",)
    ),
    "avails SVOD VN 2026-27 non-excl": FacetFilters(
        avails=avails("svod", "VN", date(2026, 1, 1), date(2027, 12, 31), False)
    ),
    "avails SVOD ASEAN 2026-28 excl + feature": FacetFilters(
        kinds=("feature",),
        avails=avails("svod", "ASEAN", date(2026, 1, 1), date(2028, 12, 31), True),
    ),
    "avails free TV WW 2027 + en + new": FacetFilters(
        languages=("en",),
        new_only=True,
        avails=avails("free_tv", "WW", date(2027, 1, 1), date(2027, 12, 31), False),
    ),
    "avails SVOD JP excl + series|animation_series + year 2020-2025 + drama": FacetFilters(
        kinds=("series", "animation_series"),
        genres=("drama",),
        year_min=2020,
        year_max=2025,
        avails=avails("svod", "JP", date(2026, 7, 1), date(2029, 6, 30), True),
    ),
}


def rss_mib() -> float:
    """Resident memory of this process (Linux)."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--titles", type=int, default=1_000_000)
    parser.add_argument("--pool", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()

    started = time.perf_counter()
    pool = pool_records(args.pool, args.seed)
    pool_s = time.perf_counter() - started
    print(f"pool of {len(pool)} demo titles in {pool_s:.1f} s")

    rss_before = rss_mib()
    started = time.perf_counter()
    index = FacetIndex.build(catalogue_records(pool, args.titles, args.seed))
    build_s = time.perf_counter() - started
    gc.collect()
    grown = rss_mib() - rss_before
    avails_index = index.avails
    rows = {m: t.pending_rows for m, t in avails_index._media.items()}
    profiles = {m: len(t.rows) for m, t in avails_index._media.items()}
    print(
        f"built {index.size} titles in {build_s:.1f} s; arrays {index.nbytes / 2**20:.1f} MiB; "
        f"process grew by {grown:.0f} MiB; cells {len(index._cells)}; "
        f"svod profiles {profiles.get('svod')} rows {rows.get('svod')}"
    )

    rng = np.random.default_rng(args.seed)
    published = index.mask(FacetFilters())
    bases = {
        "all published": None,
        "5% candidates": published & (rng.random(index.positions) < 0.05),
        "20% candidates": published & (rng.random(index.positions) < 0.20),
    }
    results: dict[str, dict[str, dict[str, float]]] = {}
    all_times: list[float] = []
    for base_name, base in bases.items():
        results[base_name] = {}
        for name, filters in MIX.items():
            times = []
            for _ in range(args.repeat):
                index._avails_cache = None  # time the availability filter every time
                t0 = time.perf_counter()
                mask, _counts = index.evaluate(filters, base=base)
                times.append((time.perf_counter() - t0) * 1000)
            matched = int(mask.sum())
            results[base_name][name] = {
                "p50_ms": round(statistics.median(times), 2),
                "p95_ms": round(percentile(times, 95), 2),
                "matched": matched,
            }
            all_times.extend(times)
            print(
                f"{base_name:15} {name:72} p50 {statistics.median(times):6.2f} ms  "
                f"p95 {percentile(times, 95):6.2f} ms  matched {matched}"
            )
        by_base = [t for r in results[base_name].values() for t in (r["p50_ms"],)]
        print(f"{base_name:15} median of p50s {statistics.median(by_base):.2f} ms")

    # Incremental update cost: 1,000 titles replaced, then one query.
    updates = list(catalogue_records(pool, 1000, args.seed + 1))
    t0 = time.perf_counter()
    index.upsert(updates)
    upsert_ms = (time.perf_counter() - t0) * 1000
    print(f"upsert of 1000 titles: {upsert_ms:.0f} ms")

    summary = {
        "titles": index.size,
        "pool": args.pool,
        "seed": args.seed,
        "repeat": args.repeat,
        "build_s": round(build_s, 1),
        "pool_s": round(pool_s, 1),
        "index_arrays_mib": round(index.nbytes / 2**20, 1),
        "process_growth_mib": round(grown),
        "cells": len(index._cells),
        "avails_profiles": profiles,
        "avails_rows": rows,
        "p50_all_ms": round(statistics.median(all_times), 2),
        "p95_all_ms": round(percentile(all_times, 95), 2),
        "upsert_1000_ms": round(upsert_ms),
        "queries": results,
    }
    print(f"overall p50 {summary['p50_all_ms']} ms, p95 {summary['p95_all_ms']} ms")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(summary, indent=2))
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()

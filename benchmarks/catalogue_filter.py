"""Benchmark: the catalogue list page's query path on a built market.

Runs ``catalogue.selectors.titles_list`` (the same call the HTML page and the API make)
with typical filter combinations, including the avails filter, and times the first page
of results (24 titles with their prefetches) plus the count. Run after ``reelmarket demo``
on the database the settings point at:

    REELMARKET_VAR_DIR=/tmp/bench-var .venv/bin/python benchmarks/catalogue_filter.py

Prints p50 / p95 per filter and writes benchmarks/results/catalogue_filter.json.
"""

from __future__ import annotations

import json
import os
import statistics
import time
from datetime import date
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reelmarket.config.settings")
django.setup()

from django.db import connection  # noqa: E402

from reelmarket.catalogue.avails.media import Media  # noqa: E402
from reelmarket.catalogue.models import Title  # noqa: E402
from reelmarket.catalogue.selectors import AvailsFilter, TitleFilters, titles_list  # noqa: E402

REPEATS = 15
WINDOW = (date(2026, 1, 1), date(2026, 12, 31))
CASES = {
    "no filter": TitleFilters(),
    "kind=animation_feature + genre=family": TitleFilters(
        kinds=("animation_feature",), genres=("family",)
    ),
    "text q='love'": TitleFilters(q="love"),
    "avails SVOD in VN 2026": TitleFilters(
        avails=AvailsFilter(media=Media.SVOD, territory="VN", start=WINDOW[0], end=WINDOW[1])
    ),
    "avails SVOD in ASEAN 2026, exclusive": TitleFilters(
        avails=AvailsFilter(
            media=Media.SVOD, territory="ASEAN", start=WINDOW[0], end=WINDOW[1], exclusive=True
        )
    ),
    "genre=horror + avails free TV in JP": TitleFilters(
        genres=("horror",),
        avails=AvailsFilter(media=Media.FREE_TV, territory="JP", start=WINDOW[0], end=WINDOW[1]),
    ),
}


def run(filters: TitleFilters) -> tuple[int, float]:
    started = time.perf_counter()
    qs = titles_list(filters=filters)
    total = qs.count()
    page = list(qs[:24])
    for title in page:  # touch the prefetches the card template reads
        list(title.texts.all())
        list(title.genres.all())
    return total, (time.perf_counter() - started) * 1000


def main() -> None:
    titles = Title.objects.count()
    if not titles:
        raise SystemExit("no titles: run `reelmarket demo` on this database first")
    print(f"{connection.vendor}, {titles:,} titles, {REPEATS} runs per case")
    results = {}
    for label, filters in CASES.items():
        run(filters)  # warm caches
        timings, total = [], 0
        for _ in range(REPEATS):
            total, ms = run(filters)
            timings.append(ms)
        timings.sort()
        p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
        results[label] = {
            "matches": total,
            "p50_ms": round(statistics.median(timings), 1),
            "p95_ms": round(p95, 1),
        }
        print(
            f"{label:42} {total:6,} matches  p50 {results[label]['p50_ms']:7.1f} ms  "
            f"p95 {p95:7.1f} ms"
        )
    out = Path(__file__).parent / "results" / f"catalogue_filter_{connection.vendor}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "benchmark": "catalogue_filter",
                "database": connection.vendor,
                "titles": titles,
                "results": results,
            },
            indent=2,
        )
    )
    print(f"wrote {out}")


if __name__ == "__main__":
    main()

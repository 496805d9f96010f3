"""Benchmark: the whole search call (keyword + facets + avails filter) on a built catalogue,
side by side with the naive Django ``icontains`` query on the same data.

Run it on a database holding a demo market at scale, e.g. 1,000,000 titles::

    export REELMARKET_VAR_DIR=/work/scratch/sqlite1m      # or REELMARKET_DATABASE_URL=postgres://…
    .venv/bin/reelmarket migrate
    .venv/bin/reelmarket demo --titles 1000000 --quiet    # ~8 min; indexes documents too
    .venv/bin/python benchmarks/search_catalogue.py [--queries 300] [--naive 30]

If search documents are missing it builds them first (timed and reported). The semantic
side is measured by benchmarks/search_ann.py on embedding-like vectors, because embedding
a million synopses takes hours on two cores. Prints a table and writes
benchmarks/results/search_catalogue.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import time
from datetime import date
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reelmarket.config.settings")
django.setup()

from django.db import connection  # noqa: E402

from reelmarket.catalogue.avails.media import Media  # noqa: E402
from reelmarket.catalogue.models import Title, TitleText  # noqa: E402
from reelmarket.catalogue.selectors import AvailsFilter, TitleFilters, titles_list  # noqa: E402
from reelmarket.discovery.engine import engine  # noqa: E402
from reelmarket.discovery.models import SearchDocument  # noqa: E402
from reelmarket.discovery.selectors import SearchQuery, search  # noqa: E402
from reelmarket.discovery.services import reindex_documents  # noqa: E402

RESULTS = Path(__file__).parent / "results"
TERRITORIES = ("VN", "TH", "ASEAN", "FR", "JP", "HK", "KR", "LATAM", "ID", "GREATER_CHINA")
MEDIAS = (Media.SVOD, Media.FREE_TV, Media.PAY_TV, Media.AVOD, Media.THEATRICAL)
KINDS = ("feature", "series", "animation_feature", "documentary")
GENRES = ("drama", "comedy", "romance", "horror", "family", "crime", "action")


def _is_cjk(ch: str) -> bool:
    return "\u3040" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af"


def _is_thai(ch: str) -> bool:
    return "\u0e00" <= ch <= "\u0e7f"


def _strip_accents(text: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def query_texts(rng: random.Random, n: int) -> list[tuple[str, str]]:
    """``(kind, text)`` pairs drawn from the catalogue's own texts, as buyers type them."""
    top = Title.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    picks: list[tuple[str, str]] = []
    attempts = 0
    while len(picks) < n and attempts < n * 50:
        attempts += 1
        pk = rng.randint(1, top)
        text = TitleText.objects.filter(title_id__gte=pk).order_by("title_id").first()
        if text is None:
            continue
        words = text.logline.split()
        cjk = [c for c in text.logline if _is_cjk(c)]
        thai = "".join(c for c in text.logline if _is_thai(c))
        kind = rng.choice(("exact", "words", "one_char", "two_chars", "thai", "no_accents"))
        if kind == "exact":
            picks.append((kind, text.name))
        elif kind == "words" and len(words) >= 3 and not cjk:
            start = rng.randrange(len(words) - 1)
            picks.append((kind, " ".join(words[start : start + 2]).strip(".,;:!?")))
        elif kind == "one_char" and cjk:
            picks.append((kind, rng.choice(cjk)))
        elif kind == "two_chars" and len(cjk) >= 2:
            at = rng.randrange(len(cjk) - 1)
            picks.append((kind, cjk[at] + cjk[at + 1]))
        elif kind == "thai" and len(thai) >= 4:
            at = rng.randrange(len(thai) - 3)
            picks.append((kind, thai[at : at + 4]))
        elif kind == "no_accents" and text.language in ("vi", "fr") and len(words) >= 2:
            start = rng.randrange(len(words) - 1)
            picks.append((kind, _strip_accents(" ".join(words[start : start + 2]))))
    return picks


def filters_for(rng: random.Random) -> dict:
    spec: dict = {}
    roll = rng.random()
    if roll < 0.5:
        start = date(2026, rng.randint(1, 12), 1)
        spec["avails"] = AvailsFilter(
            media=rng.choice(MEDIAS),
            territory=rng.choice(TERRITORIES),
            start=start,
            end=date(start.year + rng.randint(0, 2), 12, 31),
            exclusive=rng.random() < 0.3,
        )
    if rng.random() < 0.4:
        spec["kinds"] = (rng.choice(KINDS),)
    if rng.random() < 0.3:
        spec["genres"] = (rng.choice(GENRES),)
    return spec


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def naive(text: str, spec: dict) -> tuple[int, float]:
    """The catalogue list's own SQL path: icontains on names/loglines/company + Python avails."""
    started = time.perf_counter()
    qs = titles_list(filters=TitleFilters(q=text, **spec))
    total = qs.count()
    list(qs[:24])
    return total, (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--naive", type=int, default=30, help="queries also run the naive way")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    titles = Title.objects.count()
    documents = SearchDocument.objects.count()
    report: dict = {"database": connection.vendor, "titles": titles}
    if documents < titles:
        print(f"indexing {titles - documents:,} titles' search documents…", flush=True)
        started = time.perf_counter()
        have = set(SearchDocument.objects.values_list("title_id", flat=True))
        missing = [pk for pk in Title.objects.values_list("pk", flat=True) if pk not in have]
        reindex_documents(title_ids=missing)
        report["documents_seconds"] = round(time.perf_counter() - started, 1)
        report["documents_per_second"] = round(len(missing) / report["documents_seconds"])

    started = time.perf_counter()
    engine()
    report["engine_load_seconds"] = round(time.perf_counter() - started, 2)
    print(
        f"{connection.vendor}: {titles:,} titles; engine loaded in "
        f"{report['engine_load_seconds']} s",
        flush=True,
    )

    cases = [(kind, text, filters_for(rng)) for kind, text in query_texts(rng, args.queries)]
    for _kind, text, spec in cases[:10]:  # warm caches
        search(query=SearchQuery(text=text, mode="keyword", **spec))

    timings: dict[str, list[float]] = {}
    totals: list[int] = []
    for kind, text, spec in cases:
        started = time.perf_counter()
        result = search(query=SearchQuery(text=text, mode="keyword", **spec))
        elapsed = (time.perf_counter() - started) * 1000
        timings.setdefault(kind, []).append(elapsed)
        timings.setdefault("all", []).append(elapsed)
        totals.append(result.total)

    side_by_side = []
    for _kind, text, spec in cases[: args.naive]:
        started = time.perf_counter()
        ours = search(query=SearchQuery(text=text, mode="keyword", **spec))
        ours_ms = (time.perf_counter() - started) * 1000
        naive_total, naive_ms = naive(text, spec)
        side_by_side.append((text, ours.total, ours_ms, naive_total, naive_ms))

    print(f"\n{'query kind':<12} {'n':>4} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    report["latency_ms"] = {}
    for kind, values in sorted(timings.items()):
        row = {
            "n": len(values),
            "p50": round(statistics.median(values), 2),
            "p95": round(pct(values, 0.95), 2),
            "max": round(max(values), 2),
        }
        report["latency_ms"][kind] = row
        print(f"{kind:<12} {row['n']:>4} {row['p50']:>8} {row['p95']:>8} {row['max']:>8}")
    report["median_hits"] = statistics.median(totals) if totals else 0

    ours_p = [r[2] for r in side_by_side]
    naive_p = [r[4] for r in side_by_side]
    if side_by_side:
        report["side_by_side"] = {
            "queries": len(side_by_side),
            "ours_p50_ms": round(statistics.median(ours_p), 2),
            "ours_p95_ms": round(pct(ours_p, 0.95), 2),
            "naive_p50_ms": round(statistics.median(naive_p), 2),
            "naive_p95_ms": round(pct(naive_p, 0.95), 2),
            "speedup_p50": round(statistics.median(naive_p) / statistics.median(ours_p), 1),
            "speedup_total_time": round(sum(naive_p) / sum(ours_p), 1),
        }
        s = report["side_by_side"]
        print(
            f"\nside by side on {s['queries']} queries: ours p50 {s['ours_p50_ms']} ms / "
            f"p95 {s['ours_p95_ms']} ms; naive icontains p50 {s['naive_p50_ms']} ms / "
            f"p95 {s['naive_p95_ms']} ms; speed-up {s['speedup_p50']}x (median), "
            f"{s['speedup_total_time']}x (total time)"
        )
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"search_catalogue_{connection.vendor}.json"
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()

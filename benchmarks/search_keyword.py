"""Benchmark: keyword search (FTS5 / tsvector) against the naive ``icontains`` query.

Builds N titles (default 1,000,000) in a scratch database of its own, with multilingual
texts from the demo generator (reelmarket.market.demo: en, zh-Hant, zh-Hans, ja, ko, th,
vi, id) plus a few French loglines, their search documents (``discovery.text.index_form``)
and exact-name keys; then times ``discovery.keyword.keyword_search`` for a mix of queries
and, side by side on the same data, the naive Django query
``TitleText(name|logline|synopsis icontains q)`` (fewer repeats: it is slow).

    .venv/bin/python benchmarks/search_keyword.py --db sqlite --n 100000
    .venv/bin/python benchmarks/search_keyword.py --db postgres --n 1000000

SQLite goes to benchmarks/results/search_keyword.sqlite3, PostgreSQL to the database
``bench_keyword`` (created if missing; REELMARKET_BENCH_PG overrides the server URL).
An existing database with the same N is reused (``--rebuild`` starts again).
The demo generator makes ``--unique`` distinct titles (default 100,000); title i beyond
that reuses the texts of title i % unique (the phrase banks repeat a lot anyway).
Prints p50 / p95 per query kind and writes benchmarks/results/search_keyword.json
(one entry per database vendor).
"""

from __future__ import annotations

import argparse
import functools
import json
import multiprocessing
import os
import random
import statistics
import sys
import time
from pathlib import Path

RESULTS = Path(__file__).parent / "results"
SQLITE_PATH = Path(os.environ.get("REELMARKET_BENCH_SQLITE", RESULTS / "search_keyword.sqlite3"))
PG_SERVER = os.environ.get("REELMARKET_BENCH_PG", "postgres://postgres@127.0.0.1:5432")
PG_NAME = os.environ.get("REELMARKET_BENCH_PG_NAME", "bench_keyword")
CHUNK = 5_000
FRENCH = (
    "Un polar coréen haletant : un flic désabusé traque un tueur dans les rues de Séoul.",
    "Une comédie familiale où trois générations partagent un été à Đà Lạt.",
    "Un drame romantique sur deux étudiants séparés par la guerre.",
    "Un film d'animation pour toute la famille, plein de dragons et de forêts enchantées.",
    "Un thriller psychologique dans un hôtel isolé des Alpes françaises.",
)


def _setup(db: str, rebuild: bool) -> None:
    RESULTS.mkdir(exist_ok=True)
    if db == "sqlite":
        if rebuild and SQLITE_PATH.exists():
            SQLITE_PATH.unlink()
        url = f"sqlite:///{SQLITE_PATH}"
    else:
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            exists = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [PG_NAME]
            ).fetchone()
            if exists and rebuild:
                conn.execute(f"DROP DATABASE {PG_NAME}")
            if not exists or rebuild:
                conn.execute(f"CREATE DATABASE {PG_NAME}")
        url = f"{PG_SERVER}/{PG_NAME}"
    os.environ["REELMARKET_DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reelmarket.config.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


# --- data ----------------------------------------------------------------------------


@functools.lru_cache(maxsize=200_000)
def _form(text: str) -> str:
    from reelmarket.discovery.text import index_form

    return index_form(text)


def _doc(index: int) -> tuple:
    """Texts, names, body and keys of demo title ``index`` (runs in worker processes)."""
    from reelmarket.discovery.text import exact_key

    spec = _CATALOGUE.title(index)
    texts = [(t.language, t.name, t.logline, t.synopsis) for t in spec.texts]
    if index % 20 == 7:  # a French text for one title in twenty
        logline = FRENCH[(index // 20) % len(FRENCH)]
        texts.append(("fr", spec.original_title, logline, logline))
    names = {spec.original_title, *(t[1] for t in texts)}
    body = [t[2] for t in texts] + [t[3] for t in texts] + [c.name for c in spec.credits]
    return (
        spec.original_title[:300],
        spec.original_language,
        spec.owner,
        texts,
        " ".join(_form(n) for n in sorted(names)),
        " ".join(_form(b) for b in body),
        sorted({exact_key(n) for n in names} - {""}),
    )


_CATALOGUE = None


def _init_worker(n: int) -> None:
    global _CATALOGUE
    from reelmarket.market.demo.plan import plan_market
    from reelmarket.market.demo.specs import DemoScale
    from reelmarket.market.demo.titles import Catalogue

    _CATALOGUE = Catalogue(plan_market(seed=2025, scale=DemoScale(titles=n)))


def _build(n: int, unique: int) -> None:
    from django.db import connection, transaction

    from reelmarket.catalogue.models import Title, TitleText
    from reelmarket.discovery.models import SearchDocument, SearchName
    from reelmarket.market.models import Organisation

    have = Title.objects.count()
    if have == n and SearchDocument.objects.count() == n:
        print(f"reusing {n:,} titles")
        return
    if have and have == min(unique, n) and n > have and SearchDocument.objects.count() == have:
        _replicate(n, have)
        return
    if have:
        raise SystemExit(f"database holds {have:,} titles, not {n:,}: use --rebuild")
    started = time.perf_counter()
    unique = min(unique, n)
    connection.close()  # the workers are forked: they must not share it
    with multiprocessing.get_context("fork").Pool(
        os.cpu_count() or 2, initializer=_init_worker, initargs=(n,)
    ) as pool:
        docs = pool.map(_doc, range(unique), chunksize=500)
    print(f"generated {unique:,} distinct titles in {time.perf_counter() - started:.0f} s")
    owners: dict[str, int] = {}
    for slug in sorted({d[2] for d in docs}):
        org = Organisation.objects.create(name=slug, slug=slug, kind="sales_agent", country="HK")
        owners[slug] = org.pk
    for start in range(0, n, CHUNK):
        batch = range(start, min(n, start + CHUNK))
        with transaction.atomic():
            titles = Title.objects.bulk_create(
                [
                    Title(
                        owner_id=owners[docs[i % unique][2]],
                        reference=f"B-{i:07d}",
                        kind="feature",
                        original_title=docs[i % unique][0],
                        original_language=docs[i % unique][1],
                    )
                    for i in batch
                ]
            )
            TitleText.objects.bulk_create(
                [
                    TitleText(
                        title_id=t.pk,
                        language=lang,
                        name=name[:300],
                        logline=log[:500],
                        synopsis=syn,
                    )
                    for t, i in zip(titles, batch, strict=True)
                    for lang, name, log, syn in docs[i % unique][3]
                ]
            )
            SearchDocument.objects.bulk_create(
                [
                    SearchDocument(
                        title_id=t.pk, names=docs[i % unique][4], body=docs[i % unique][5]
                    )
                    for t, i in zip(titles, batch, strict=True)
                ]
            )
            SearchName.objects.bulk_create(
                [
                    SearchName(title_id=t.pk, key=key)
                    for t, i in zip(titles, batch, strict=True)
                    for key in docs[i % unique][6]
                ]
            )
        if start % 100_000 == 0:
            print(f"  {start + len(batch):,} titles, {time.perf_counter() - started:.0f} s")
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("INSERT INTO discovery_fts(discovery_fts) VALUES ('optimize')")
            cursor.execute("ANALYZE")
        else:
            cursor.execute("VACUUM ANALYZE")
    print(f"built {n:,} titles in {time.perf_counter() - started:.0f} s")


def _replicate(n: int, unique: int) -> None:
    """Grow a database of ``unique`` titles to ``n`` by copying rows in SQL.

    Title ``i`` of the full build reuses the texts of title ``i % unique``, so copying the
    first ``unique`` titles (and their texts, documents and name keys) with shifted ids is
    the same data, made in minutes instead of an hour.
    """
    from django.db import connection, transaction

    started = time.perf_counter()
    tables = {  # table -> (id column to shift by the title offset, own id column or None)
        "catalogue_title": ("id", None),
        "catalogue_titletext": ("title_id", "id"),
        "discovery_searchdocument": ("title_id", None),
        "discovery_searchname": ("title_id", "id"),
    }
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(id), max(id) FROM catalogue_title")
        low, high = cursor.fetchone()
        if high - low + 1 != unique:
            raise SystemExit("title ids are not contiguous: use --rebuild")
        columns, own_max = {}, {}
        for table, (_, own) in tables.items():
            description = connection.introspection.get_table_description(cursor, table)
            columns[table] = [c.name for c in description if c.name != "tsv"]
            if own:
                cursor.execute(f"SELECT max({own}) FROM {table}")
                own_max[table] = cursor.fetchone()[0]
        copies = -(-n // unique)
        for k in range(1, copies):
            upto = min(unique, n - k * unique)
            with transaction.atomic():
                for table, (shift, own) in tables.items():
                    exprs = []
                    for column in columns[table]:
                        if column == shift:
                            exprs.append(f"{column} + {k * unique}")
                        elif column == own:
                            exprs.append(f"{column} + {k * own_max[table]}")
                        elif table == "catalogue_title" and column == "reference":
                            exprs.append(f"reference || '-{k}'")
                        else:
                            exprs.append(column)
                    cursor.execute(
                        f"INSERT INTO {table} ({', '.join(columns[table])}) "
                        f"SELECT {', '.join(exprs)} FROM {table} "
                        f"WHERE {shift} < {low + upto}"
                    )
            print(f"  copy {k}: {(k + 1) * unique:,} titles, {time.perf_counter() - started:.0f} s")
        if connection.vendor == "postgresql":
            for table in ("catalogue_title", "catalogue_titletext", "discovery_searchname"):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("INSERT INTO discovery_fts(discovery_fts) VALUES ('optimize')")
            cursor.execute("ANALYZE")
    print(f"replicated to {n:,} titles in {time.perf_counter() - started:.0f} s")


def _queries(seed: int = 7) -> dict[str, list[str]]:
    """Queries by kind, picked from the first demo titles' texts."""
    from reelmarket.catalogue.models import TitleText

    rng = random.Random(seed)
    texts = list(TitleText.objects.order_by("id").values_list("language", "name", "logline")[:5000])
    by_lang: dict[str, list[tuple[str, str]]] = {}
    for lang, name, logline in texts:
        by_lang.setdefault(lang, []).append((name, logline))

    def pick(lang: str) -> tuple[str, str]:
        return rng.choice(by_lang[lang])

    def words(text: str, k: int) -> str:
        parts = text.split()
        at = rng.randrange(max(1, len(parts) - k))
        return " ".join(parts[at : at + k])

    from reelmarket.discovery.text import _fold

    def chars(text: str, k: int) -> str:
        letters = [c for c in text if c.isalpha()]
        at = rng.randrange(max(1, len(letters) - k))
        return "".join(letters[at : at + k])

    return {
        "1-char CJK": [chars(pick("zh-Hans")[1], 1) for _ in range(4)] + ["爱"],
        "2-char CJK": [chars(pick("zh-Hant")[1], 2) for _ in range(4)] + ["愛情"],
        "Japanese 3-char": [chars(pick("ja")[1], 3) for _ in range(5)],
        "Thai 4-char": [pick("th")[1][:4] for _ in range(5)],
        "Vietnamese no diacritics": [_fold(words(pick("vi")[1], 3)) for _ in range(5)],
        "French": ["polar coréen", "Polar coreen", "comédie familiale", "dragons", "hôtel"],
        "English phrase": [words(pick("en")[1], 3) for _ in range(5)],
        "exact title": [pick("en")[0] for _ in range(5)],
        "common word": ["the", "family", "a", "city", "love"],
    }


def _time(fn, repeats: int) -> list[float]:
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def _p95(values: list[float]) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--unique", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--naive-repeats", type=int, default=2)
    parser.add_argument(
        "--naive-queries", type=int, default=5, help="naive runs for the first K queries per kind"
    )
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--build-only", action="store_true")
    args = parser.parse_args()
    _setup(args.db, args.rebuild)
    _build(args.n, args.unique)
    if args.build_only:
        return

    from django.db import connection
    from django.db.models import Q

    from reelmarket.catalogue.models import TitleText
    from reelmarket.discovery.keyword import keyword_search

    def naive(q: str) -> int:
        hits = TitleText.objects.filter(
            Q(name__icontains=q) | Q(logline__icontains=q) | Q(synopsis__icontains=q)
        )
        return len(set(hits.values_list("title_id", flat=True)[:200_000]))

    def phrase_exact(q: str) -> int | None:
        """PostgreSQL: how many titles truly hold the phrases (``matched`` may be the AND
        superset above PG_PHRASE_CHECK_BELOW candidates); None when they are the same."""
        from reelmarket.discovery.text import parse_query, tsquery

        parsed = parse_query(q)
        if connection.vendor != "postgresql" or tsquery(parsed) == tsquery(parsed, phrases=False):
            return None
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM (SELECT 1 FROM discovery_kwtext "
                "WHERE tsv @@ to_tsquery('simple', %s) LIMIT %s) m",
                [tsquery(parsed), 200_000],
            )
            return cursor.fetchone()[0]

    results: dict[str, dict] = {}
    print(f"\n{connection.vendor}, {args.n:,} titles")
    header = f"{'query kind':26} {'matches':>9} {'p50 ms':>8} {'p95 ms':>8}"
    print(f"{header} {'naive p50':>10} {'x':>6}")
    all_timings: list[float] = []
    for kind, queries in _queries().items():
        timings, naive_timings, matches, exact = [], [], [], []
        for position, q in enumerate(queries):
            keyword_search(query=q)  # warm
            timings += _time(lambda q=q: keyword_search(query=q), args.repeats)
            matches.append(len(keyword_search(query=q).matched))
            exact.append(phrase_exact(q))
            if position < args.naive_queries:
                naive_timings += _time(lambda q=q: naive(q), args.naive_repeats)
        all_timings += timings
        p50, naive_p50 = statistics.median(timings), statistics.median(naive_timings)
        results[kind] = {
            "queries": queries,
            "matches": matches,
            "phrase_exact_matches": exact,
            "p50_ms": round(p50, 2),
            "p95_ms": round(_p95(timings), 2),
            "naive_p50_ms": round(naive_p50, 1),
            "naive_p95_ms": round(_p95(naive_timings), 1),
            "speedup_p50": round(naive_p50 / p50, 1),
        }
        print(
            f"{kind:26} {int(statistics.median(matches)):9,} {p50:8.2f} {_p95(timings):8.2f} "
            f"{naive_p50:10.1f} {naive_p50 / p50:6.0f}"
        )
    overall = {
        "p50_ms": round(statistics.median(all_timings), 2),
        "p95_ms": round(_p95(all_timings), 2),
    }
    print(f"{'all queries':26} {'':9} {overall['p50_ms']:8.2f} {overall['p95_ms']:8.2f}")
    out = RESULTS / "search_keyword.json"
    report = json.loads(out.read_text()) if out.exists() else {}
    report[connection.vendor] = {
        "benchmark": "search_keyword",
        "titles": args.n,
        "unique_titles": min(args.unique, args.n),
        "command": " ".join(sys.argv),
        "overall": overall,
        "results": results,
    }
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()

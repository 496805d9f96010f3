"""Benchmark: search relevance on HELD-OUT buyer queries (hybrid mode).

Search ranking (genre/format lexicon, country aliases) was tuned on the 72 queries of
tests/discovery/relevance/queries.json. This script checks that the tuning generalises:
it loads the same 60 titles, indexes them with ``reindex_all`` and runs the 45 queries of
tests/discovery/relevance/queries_heldout.json (5 per language, written without looking at
the lexicon) through ``discovery.selectors.search`` in hybrid mode. Prints recall@1 /
recall@5 / MRR per query language and the misses (not in the top 5, not first).

    nice .venv/bin/python benchmarks/search_relevance_heldout.py

Writes benchmarks/results/search_relevance_heldout.json.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

import django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reelmarket.config.settings")
django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import override_settings  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from tests.discovery.test_relevance import (  # noqa: E402
    DATA_DIR,
    DEPTH,
    Outcome,
    Query,
    catalogue_load,
    misses_table,
    scores,
    scores_table,
)

QUERIES = DATA_DIR / "queries_heldout.json"
MODE = "hybrid"
RESULTS = ROOT / "benchmarks" / "results" / "search_relevance_heldout.json"


def load_heldout_queries(path: Path = QUERIES) -> list[Query]:
    """The held-out queries, as the same ``Query`` objects the relevance test uses."""
    rows = json.loads(path.read_text(encoding="utf-8"))
    return [Query(r["query"], r["language"], tuple(r["expected"])) for r in rows]


def evaluate_queries(
    *, refs: dict[int, str], queries: list[Query], mode: str = MODE
) -> list[Outcome]:
    """Run each query through ``search`` (as the header box does); keep the top DEPTH refs."""
    from reelmarket.discovery.selectors import SearchQuery, search

    outcomes = []
    for query in queries:
        result = search(
            query=SearchQuery(text=query.text, mode=mode, page_size=DEPTH), language="en"
        )
        got = tuple(refs.get(hit.title_id, f"#{hit.title_id}") for hit in result.hits[:DEPTH])
        outcomes.append(Outcome(query, got))
    return outcomes


def main() -> None:
    from reelmarket.discovery.engine import engine_reset
    from reelmarket.discovery.services import reindex_all
    from reelmarket.market.enums import Role
    from tests.factories import OrganisationFactory, make_user_with_roles

    queries = load_heldout_queries()
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    results: dict[str, Any] = {"vendor": connection.vendor, "mode": MODE}
    try:
        # One transaction, rolled back at the end: the on-commit indexing tasks of
        # title_save never start, so nothing runs beside the synchronous reindex_all().
        with (
            tempfile.TemporaryDirectory() as index_dir,
            override_settings(SEARCH_INDEX_DIR=Path(index_dir)),
            transaction.atomic(),
        ):
            engine_reset()
            owner = OrganisationFactory(name="Relevance Sales", slug="relevance-sales")
            actor = make_user_with_roles(Role.ORGANISER)
            refs = catalogue_load(actor=actor, owner=owner)
            started = time.perf_counter()
            reindex_all()
            results["reindex_seconds"] = round(time.perf_counter() - started, 2)
            print(f"{len(refs)} titles indexed in {results['reindex_seconds']} s")
            started = time.perf_counter()
            outcomes = evaluate_queries(refs=refs, queries=queries)
            elapsed = time.perf_counter() - started
            results["ms_per_query"] = round(elapsed * 1000 / len(outcomes), 1)
            transaction.set_rollback(True)
        engine_reset()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    table = scores(outcomes)
    print(f"\n== held-out queries, {MODE} ({len(outcomes)} queries)\n{scores_table(table)}")
    print(f"not in the top {DEPTH}:\n{misses_table(outcomes)}")
    print(f"not first:\n{misses_table(outcomes, only_top1=True)}")
    results["scores"] = {lang: asdict(s) for lang, s in table.items()}
    results["outcomes"] = [
        {
            "query": o.query.text,
            "language": o.query.language,
            "expected": list(o.query.expected),
            "rank": o.rank(),
            "got": list(o.got),
        }
        for o in outcomes
    ]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

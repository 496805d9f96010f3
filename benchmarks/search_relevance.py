"""Benchmark: search relevance on the issue-3 relevance set, per language and per search mode.

Loads the 60 mixed-language titles of tests/discovery/relevance into a fresh test database
(SQLite by default, PostgreSQL with REELMARKET_DATABASE_URL), indexes them with
``reindex_all`` and runs the 72 buyer queries through ``discovery.selectors.search`` in three
modes: keyword only, semantic only, hybrid. Prints recall@1 / recall@5 / MRR per query
language and the misses, then a diagnostic of the semantic side alone (exact numpy search
over the stored vectors) without centroid subtraction, with the centroids as configured,
with plain per-language means and with the global mean only, and the similarity calibration
(correct vs wrong hits) that SEMANTIC_FLOOR is chosen from.

    .venv/bin/python benchmarks/search_relevance.py

Writes benchmarks/results/search_relevance.json.
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

import numpy as np  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import override_settings  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from tests.discovery.test_relevance import (  # noqa: E402
    DEPTH,
    Outcome,
    catalogue_load,
    evaluate,
    load_queries,
    misses_table,
    scores,
    scores_table,
)

MODES = ("keyword", "semantic", "hybrid")
RESULTS = ROOT / "benchmarks" / "results" / "search_relevance.json"


def semantic_variants(
    refs: dict[int, str],
) -> tuple[dict[str, list[Outcome]], dict[str, list[float]]]:
    """Exact nearest texts over the stored vectors, several ways of removing language bias.

    Also returns the similarity calibration of the configured way: the best similarity of
    each query's correct title, and of the wrong titles in each top 5 (for SEMANTIC_FLOOR).
    """
    from reelmarket.discovery.centroids import (
        CENTROID_PRIOR,
        centre,
        centre_query,
        compute_centroids,
    )
    from reelmarket.discovery.embedding import get_embedder
    from reelmarket.discovery.vectors import vectors_load

    embedder = get_embedder()
    _labels, title_ids, languages, vectors = vectors_load(model=embedder.name)
    queries = load_queries()
    query_vectors = embedder.embed_queries([q.text for q in queries])
    configured = f"centroids (prior={CENTROID_PRIOR:g}, as configured)"
    variants: dict[str, dict[str, np.ndarray] | None] = {
        "no centroids": None,
        configured: compute_centroids(vectors, languages)[0],
        "centroids (prior=0, plain language means)": compute_centroids(vectors, languages, prior=0)[
            0
        ],
        "centroids (global mean only)": compute_centroids(
            vectors, languages, min_count=len(languages) + 1
        )[0],
    }
    out: dict[str, list[Outcome]] = {}
    calibration: dict[str, list[float]] = {"correct": [], "wrong_in_top5": []}
    for name, centroids in variants.items():
        passages = centre(vectors, languages, centroids) if centroids else vectors
        outcomes = []
        for query, q_vector in zip(queries, query_vectors, strict=True):
            if centroids:
                q_vector, _language = centre_query(query.text, q_vector, centroids)
            sims = passages @ q_vector
            best: dict[str, float] = {}
            for row in np.argsort(-sims):
                ref = refs[int(title_ids[row])]
                best.setdefault(ref, float(sims[row]))
            got = sorted(best, key=lambda ref: -best[ref])[:DEPTH]
            outcomes.append(Outcome(query, tuple(got)))
            if name == configured:
                calibration["correct"].append(max(best[ref] for ref in query.expected))
                calibration["wrong_in_top5"].extend(
                    best[ref] for ref in got if ref not in query.expected
                )
        out[name] = outcomes
    return out, calibration


def print_calibration(calibration: dict[str, list[float]]) -> dict[str, list[float]]:
    """Percentiles of correct vs wrong similarities: where SEMANTIC_FLOOR may sit."""
    from reelmarket.discovery.selectors import SEMANTIC_FLOOR

    print(f"\n== similarity calibration (configured centroids; floor {SEMANTIC_FLOOR})")
    print("             min    p5   p25   p50   p75   max")
    table = {}
    for name, values in calibration.items():
        cuts = np.percentile(values, [0, 5, 25, 50, 75, 100]).round(3).tolist()
        table[name] = cuts
        print(f"{name:<12} " + " ".join(f"{v:5.2f}" for v in cuts))
    return table


def report(name: str, outcomes: list[Outcome]) -> dict[str, Any]:
    table = scores(outcomes)
    print(f"\n== {name}\n{scores_table(table)}")
    print(f"not in the top {DEPTH}:\n{misses_table(outcomes)}")
    if name == "hybrid":
        print(f"not first:\n{misses_table(outcomes, only_top1=True)}")
    return {
        "scores": {lang: asdict(s) for lang, s in table.items()},
        "outcomes": [
            {
                "query": o.query.text,
                "language": o.query.language,
                "expected": list(o.query.expected),
                "rank": o.rank(),
                "got": list(o.got),
            }
            for o in outcomes
        ],
    }


def main() -> None:
    from reelmarket.discovery.engine import engine_reset
    from reelmarket.discovery.services import reindex_all
    from reelmarket.market.enums import Role
    from tests.factories import OrganisationFactory, make_user_with_roles

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    results: dict[str, Any] = {"vendor": connection.vendor, "modes": {}}
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
            for mode in MODES:
                started = time.perf_counter()
                outcomes = evaluate(refs=refs, mode=mode)
                elapsed = time.perf_counter() - started
                results["modes"][mode] = report(mode, outcomes)
                results["modes"][mode]["ms_per_query"] = round(elapsed * 1000 / len(outcomes), 1)
            variants, calibration = semantic_variants(refs)
            results["semantic_diagnostic"] = {
                name: report(f"semantic, exact numpy: {name}", outcomes)
                for name, outcomes in variants.items()
            }
            results["similarity_calibration"] = print_calibration(calibration)
            transaction.set_rollback(True)
        engine_reset()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    print("\nsummary (mean over languages)  R@1   R@5   MRR  | worst-language R@5")
    for section in (results["modes"], results["semantic_diagnostic"]):
        for name, data in section.items():
            every = data["scores"]
            mean = every["all"]
            worst = min((s["recall5"], lang) for lang, s in every.items() if lang != "all")
            print(
                f"{name[:30]:<30} {mean['recall1']:.2f}  {mean['recall5']:.2f}  {mean['mrr']:.2f}"
                f"  | {worst[1]} {worst[0]:.2f}"
            )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

"""Full recompute time and peak memory of the matchmaking (synthetic world).

    nice .venv/bin/python benchmarks/matchmaking_scale.py                    # FILMART scale
    nice .venv/bin/python benchmarks/matchmaking_scale.py --participants 100000 --titles 1000000

FILMART scale: 7,500 participants (6,000 buyers + 1,500 financiers) × 1,200 titles and 600
projects. Measures building the matchers (features, history, item-kNN) and the batch
recompute of every participant's top 50 (median of ``--repeat`` runs), and one profile
change (``update_buyer`` + ``recommend``). Above ``EXACT_MAX_TITLES`` titles candidates
come from the ANN index (hnswlib). Writes benchmarks/results/matchmaking_scale.json.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path

# One BLAS thread: on this shared 2-core machine OpenBLAS's spinning threads make the
# block products 3x slower as soon as another process runs (measured: 5.3 s vs 1.7 s).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reelmarket.matchmaking.core import FinancierMatcher, Interaction, TitleMatcher
from reelmarket.matchmaking.core.candidates import (
    EXACT_MAX_TITLES,
    ann_candidates,
)
from reelmarket.matchmaking.synthetic import generate_world

RESULT = Path(__file__).resolve().parent / "results" / "matchmaking_scale.json"


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--participants", type=int, default=7_500)
    parser.add_argument("--titles", type=int, default=1_200)
    parser.add_argument("--projects", type=int, default=600)
    parser.add_argument("--k", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs (median reported)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--output", type=Path, default=RESULT)
    args = parser.parse_args()
    buyers = args.participants * 4 // 5
    investors = args.participants - buyers

    started = time.perf_counter()
    world = generate_world(
        buyers=buyers,
        titles=args.titles,
        investors=investors,
        projects=args.projects,
        seed=args.seed,
    )
    generate_s = time.perf_counter() - started
    memory_before = _peak_mb()

    runs: list[dict[str, float]] = []
    for _ in range(args.repeat):
        run: dict[str, float] = {}
        started = time.perf_counter()
        matcher = TitleMatcher(
            titles=world.titles, buyers=world.buyers, interactions=world.buyer_log
        )
        run["titles_build_s"] = time.perf_counter() - started
        candidates = ann_candidates(matcher) if args.titles > EXACT_MAX_TITLES else None
        started = time.perf_counter()
        top = matcher.recompute(k=args.k, candidates=candidates)
        run["titles_recompute_s"] = time.perf_counter() - started
        started = time.perf_counter()
        fin = FinancierMatcher(
            projects=world.projects, investors=world.investors, interactions=world.investor_log
        )
        run["financiers_build_s"] = time.perf_counter() - started
        started = time.perf_counter()
        fin_top = fin.recompute(k=args.k)
        run["financiers_recompute_s"] = time.perf_counter() - started
        run["full_recompute_s"] = sum(run.values())
        runs.append(run)

    buyer = world.buyers[0]
    started = time.perf_counter()
    mine = [r for r in world.buyer_log if r.who == buyer.id]
    first = matcher.recommend(buyer=buyer.id, k=1)[0].item
    matcher.update_buyer(
        profile=buyer, interactions=[*mine, Interaction(buyer.id, first, "not_interested")]
    )
    after = matcher.recommend(buyer=buyer.id, k=20)
    one_change = time.perf_counter() - started
    assert first not in {s.item for s in after}

    median = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
    report = {
        "participants": args.participants,
        "buyers": buyers,
        "investors": investors,
        "titles": args.titles,
        "projects": args.projects,
        "interactions": len(world.buyer_log) + len(world.investor_log),
        "candidates": "ann" if candidates else "exact (all pairs)",
        "generate_s": round(generate_s, 2),
        "repeat": args.repeat,
        **{f"{key} (median)": round(value, 3) for key, value in median.items()},
        "full_recompute_s (max)": round(max(r["full_recompute_s"] for r in runs), 3),
        "one_profile_change_s": round(one_change, 3),
        "peak_rss_mb": round(_peak_mb(), 1),
        "peak_rss_before_matching_mb": round(memory_before, 1),
        "suggestion_lists": len(top) + len(fin_top),
    }
    for key, value in report.items():
        print(f"{key:<30} {value}")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()

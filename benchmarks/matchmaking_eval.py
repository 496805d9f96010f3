"""NDCG@10 / recall@10 of the matchmaking against hidden tastes (synthetic FILMART world).

    nice .venv/bin/python benchmarks/matchmaking_eval.py [--buyers 6000 --titles 1200
        --investors 1500 --projects 600 --seed 0]

The world (``reelmarket.matchmaking.synthetic``) gives every buyer and financier hidden
tastes; their past behaviour is drawn from them. Each user's most recent 20 % is held
out; our scorer (profile + history, the one the product shows), popularity, random and
item-kNN rank every item the user has not interacted with in training. Writes
benchmarks/results/matchmaking_eval.json.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

# One BLAS thread: on this shared 2-core machine OpenBLAS's spinning threads make the
# block products 3x slower as soon as another process runs (measured: 5.3 s vs 1.7 s).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np

from reelmarket.matchmaking.core import FinancierMatcher, TitleMatcher
from reelmarket.matchmaking.core.calibrate import (
    fit_financier_weights,
    fit_title_weights,
)
from reelmarket.matchmaking.evaluation import (
    evaluate_scorers,
    item_knn_scorer,
    popularity_scorer,
    random_scorer,
    temporal_split,
)
from reelmarket.matchmaking.synthetic import generate_world

RESULT = Path(__file__).resolve().parent / "results" / "matchmaking_eval.json"


def _table(title: str, results: dict) -> str:
    lines = [title, f"{'scorer':<12} {'NDCG@10':>8} {'recall@10':>10}"]
    for name, metrics in results.items():
        lines.append(f"{name:<12} {metrics['ndcg@10']:>8.4f} {metrics['recall@10']:>10.4f}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--buyers", type=int, default=6_000)
    parser.add_argument("--titles", type=int, default=1_200)
    parser.add_argument("--investors", type=int, default=1_500)
    parser.add_argument("--projects", type=int, default=600)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--output", type=Path, default=RESULT)
    args = parser.parse_args()

    started = time.perf_counter()
    world = generate_world(
        buyers=args.buyers,
        titles=args.titles,
        investors=args.investors,
        projects=args.projects,
        seed=args.seed,
    )
    generated = time.perf_counter() - started
    report: dict[str, object] = {
        "world": {
            "buyers": args.buyers,
            "titles": args.titles,
            "investors": args.investors,
            "projects": args.projects,
            "buyer_interactions": len(world.buyer_log),
            "investor_interactions": len(world.investor_log),
            "seed": args.seed,
            "generate_s": round(generated, 2),
        }
    }

    # buyers -> titles
    train, test = temporal_split(world.buyer_log)
    started = time.perf_counter()
    profile_w, history_w, valid = fit_title_weights(
        titles=world.titles, buyers=world.buyers, interactions=train
    )
    fitted = time.perf_counter() - started
    matcher = TitleMatcher(
        titles=world.titles,
        buyers=world.buyers,
        interactions=train,
        profile_weights=profile_w,
        history_weights=history_w,
    )
    items = np.asarray([t.id for t in world.titles], dtype=np.int64)
    results = evaluate_scorers(
        train=train,
        test=test,
        items=items,
        scorers={
            "ours": lambda users: matcher.score_matrix(buyers=users),
            "popularity": popularity_scorer(train, items),
            "random": random_scorer(items, seed=args.seed),
            "item-kNN": item_knn_scorer(train, items),
        },
    )
    titles_block = {name: m.as_dict() for name, m in results.items()}
    report["buyers_to_titles"] = {
        **titles_block,
        "weights": {**profile_w.__dict__, **history_w.__dict__},
        "validation_ndcg@10": round(valid, 4),
        "fit_s": round(fitted, 2),
        "held_out_rows": len(test),
        "seconds": round(time.perf_counter() - started, 2),
    }
    print(_table("buyers → titles", titles_block))

    # projects <-> financiers: each financier's held-out projects
    train, test = temporal_split(world.investor_log)
    started = time.perf_counter()
    scale, history_w, valid = fit_financier_weights(
        projects=world.projects, investors=world.investors, interactions=train
    )
    fitted = time.perf_counter() - started
    fin = FinancierMatcher(
        projects=world.projects,
        investors=world.investors,
        interactions=train,
        history_weights=history_w,
        relevance_scale=scale,
    )
    items = np.asarray([p.facts.id for p in world.projects], dtype=np.int64)
    results = evaluate_scorers(
        train=train,
        test=test,
        items=items,
        scorers={
            "ours": lambda users: fin.score_matrix(investors=users),
            "popularity": popularity_scorer(train, items),
            "random": random_scorer(items, seed=args.seed),
            "item-kNN": item_knn_scorer(train, items),
        },
    )
    fin_block = {name: m.as_dict() for name, m in results.items()}
    report["projects_to_financiers"] = {
        **fin_block,
        "weights": {"relevance_scale": scale, **history_w.__dict__},
        "validation_ndcg@10": round(valid, 4),
        "fit_s": round(fitted, 2),
        "held_out_rows": len(test),
        "seconds": round(time.perf_counter() - started, 2),
    }
    print()
    print(_table("projects ↔ financiers", fin_block))
    for key in ("buyers_to_titles", "projects_to_financiers"):
        block = report[key]
        ratio = block["ours"]["ndcg@10"] / max(block["popularity"]["ndcg@10"], 1e-12)
        block["ours_over_popularity"] = round(ratio, 2)
        print(f"{key}: ours / popularity NDCG@10 = {ratio:.2f} (bar ≥ 2)")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()

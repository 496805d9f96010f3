"""NDCG@10 / recall@10 of the app's title matchmaking on the demo market's hidden tastes.

    nice .venv/bin/python benchmarks/matchmaking_demo_eval.py [--seed 2025] [--titles 1200
        --participants 7600 --exhibitors 760] [--var-dir DIR] [--reuse] [--no-knn]

Builds the demo market (``reelmarket migrate`` and ``reelmarket demo`` in a subprocess,
into a temporary ``REELMARKET_VAR_DIR``; ``--reuse`` keeps the database of an earlier run
with the same ``--var-dir``). The demo's buyers have hidden tastes
(``reelmarket.market.demo.tastes``) the recommender never reads; last season's behaviour
(title views and saves) is drawn from them, and the demo's meeting requests about titles
come on top. The benchmark reads that behaviour the way the app does
(``scoring_adapter._interactions`` and ``matchmaking.behaviour.title_behaviour``), holds
out each buyer's most recent 20 % (``evaluation.temporal_split``), and ranks every title the
buyer has not interacted with in training by:

* ``ours``: the core ``TitleMatcher`` over the app's own titles and buyer profiles
  (``scoring_adapter.world()``: published titles, avails resolved by the avails algebra,
  stated profiles) with the training behaviour, default weights — what the app shows;
* ``popularity``, ``random`` and ``item-kNN`` (``reelmarket.matchmaking.evaluation``).

Prints a table and writes benchmarks/results/matchmaking_demo_eval.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

# One BLAS thread: see benchmarks/matchmaking_eval.py.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RESULT = ROOT / "benchmarks" / "results" / "matchmaking_demo_eval.json"
DB_FILE = "reelmarket.sqlite3"


def _table(title: str, results: dict) -> str:
    lines = [title, f"{'scorer':<12} {'NDCG@10':>8} {'recall@10':>10}"]
    for name, metrics in results.items():
        lines.append(f"{name:<12} {metrics['ndcg@10']:>8.4f} {metrics['recall@10']:>10.4f}")
    return "\n".join(lines)


def _build(var_dir: Path, args: argparse.Namespace) -> float:
    """Migrate and build the demo into ``var_dir`` (a subprocess: its own settings)."""
    shutil.rmtree(var_dir, ignore_errors=True)
    var_dir.mkdir(parents=True)
    env = {
        **os.environ,
        "REELMARKET_VAR_DIR": str(var_dir),
        "DJANGO_SETTINGS_MODULE": "reelmarket.config.settings",
    }
    env.pop("REELMARKET_DATABASE_URL", None)  # always a SQLite file of its own
    python = sys.executable
    started = time.perf_counter()
    subprocess.run(
        [python, "-m", "reelmarket", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    demo = [python, "-m", "reelmarket", "demo", "--quiet", "--password", "benchmark-only"]
    demo += ["--seed", str(args.seed), "--titles", str(args.titles)]
    demo += ["--participants", str(args.participants), "--exhibitors", str(args.exhibitors)]
    subprocess.run(demo, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    (var_dir / "build.json").write_text(json.dumps(_build_key(args)))
    return time.perf_counter() - started


def _build_key(args: argparse.Namespace) -> dict[str, int]:
    return {
        "seed": args.seed,
        "titles": args.titles,
        "participants": args.participants,
        "exhibitors": args.exhibitors,
    }


def _reusable(var_dir: Path, args: argparse.Namespace) -> bool:
    marker = var_dir / "build.json"
    return (
        (var_dir / DB_FILE).exists()
        and marker.exists()
        and json.loads(marker.read_text()) == _build_key(args)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--titles", type=int, default=1200)
    parser.add_argument("--participants", type=int, default=7600)
    parser.add_argument("--exhibitors", type=int, default=760)
    parser.add_argument(
        "--var-dir",
        type=Path,
        default=None,
        help="where the demo database goes (default: a new temporary directory, removed "
        "at the end unless --reuse)",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="reuse the demo built by an earlier run in --var-dir (same seed and scale)",
    )
    parser.add_argument("--no-knn", action="store_true", help="skip the item-kNN baseline")
    parser.add_argument("--output", type=Path, default=RESULT)
    args = parser.parse_args()

    temporary = args.var_dir is None
    var_dir = args.var_dir or Path(tempfile.mkdtemp(prefix="reelmarket-demo-eval-"))
    if args.reuse and temporary:
        var_dir = Path(tempfile.gettempdir()) / f"reelmarket-demo-eval-{args.seed}"
        temporary = False
    var_dir = var_dir.resolve()
    built_s = None
    if not (args.reuse and _reusable(var_dir, args)):
        built_s = _build(var_dir, args)
        print(f"built the demo in {var_dir} ({built_s:.1f} s)")
    else:
        print(f"reusing the demo in {var_dir}")

    os.environ["REELMARKET_VAR_DIR"] = str(var_dir)
    os.environ.pop("REELMARKET_DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reelmarket.config.settings")
    import django

    django.setup()
    import numpy as np

    from reelmarket.matchmaking import scoring_adapter
    from reelmarket.matchmaking.core import TitleMatcher
    from reelmarket.matchmaking.core.history import NOT_INTERESTED
    from reelmarket.matchmaking.evaluation import (
        evaluate_scorers,
        item_knn_scorer,
        popularity_scorer,
        random_scorer,
        temporal_split,
    )

    started = time.perf_counter()
    w = scoring_adapter.world()  # the app's titles (avails resolved) and buyer profiles
    loaded = time.perf_counter() - started
    # The behaviour the app reads: views, saves, deals, requests and feedback.
    app_rows = scoring_adapter._interactions()
    rows = [r for who in sorted(app_rows) for r in app_rows[who] if who in w.buyers]
    title_ids = {t.id for t in w.titles}
    rows = [r for r in rows if r.item in title_ids]
    rows.sort(key=lambda r: (r.who, r.when, r.item, r.action))
    train, test = temporal_split(rows)

    started = time.perf_counter()
    matcher = TitleMatcher(titles=w.titles, buyers=list(w.buyers.values()), interactions=train)
    items = np.asarray([t.id for t in w.titles], dtype=np.int64)
    scorers = {
        "ours": lambda users: matcher.score_matrix(buyers=users),
        "popularity": popularity_scorer(train, items),
        "random": random_scorer(items, seed=args.seed),
    }
    if not args.no_knn:
        scorers["item-kNN"] = item_knn_scorer(train, items)
    results = evaluate_scorers(train=train, test=test, items=items, scorers=scorers)
    scored = time.perf_counter() - started
    block = {name: m.as_dict() for name, m in results.items()}
    ratio = block["ours"]["ndcg@10"] / max(block["popularity"]["ndcg@10"], 1e-12)
    report = {
        "benchmark": "matchmaking_demo_eval",
        "demo": {
            **_build_key(args),
            "buyers": len(w.buyers),
            "titles_published": len(w.titles),
            "build_s": None if built_s is None else round(built_s, 1),
        },
        "behaviour": {
            "rows": len(rows),
            "by_action": dict(sorted(Counter(r.action for r in rows).items())),
            "buyers_with_behaviour": len({r.who for r in rows}),
            "held_out_rows": len(test),
            "not_interested_rows": sum(r.action == NOT_INTERESTED for r in rows),
        },
        "buyers_to_titles": {
            **block,
            "ours_over_popularity": round(ratio, 2),
            "weights": "defaults (the app's)",
            "load_world_s": round(loaded, 2),
            "score_s": round(scored, 2),
        },
    }
    print(_table("demo market: buyers → titles (held-out last 20 % per buyer)", block))
    print(f"ours / popularity NDCG@10 = {ratio:.2f}")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {args.output}")
    if temporary:
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()

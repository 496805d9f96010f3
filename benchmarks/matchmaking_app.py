"""The stored batch through the app: every viewer's suggestions of the demo market, scored,
explained and written to the database (``services.recompute_all``), and one profile change.

    nice .venv/bin/python benchmarks/matchmaking_app.py                # demo built in a temp dir
    nice .venv/bin/python benchmarks/matchmaking_app.py --var-dir DIR  # reuses DIR's database

The demo market is FILMART scale (7,600 participants, 1,200 titles, 320 projects, 80
investor profiles). Reported (median of ``--repeat`` runs): the whole batch, its scoring and
explaining part alone (``scoring_batch.score_all``, nothing written), and one changed buyer
profile reflected in their suggestions (``services.recompute_for``, the process's world
loaded and not). Writes benchmarks/results/matchmaking_app.json.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # see matchmaking_scale.py
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

RESULT = Path(__file__).resolve().parent / "results" / "matchmaking_app.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--var-dir", type=Path, help="reuse this REELMARKET_VAR_DIR's database")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--output", type=Path, default=RESULT)
    args = parser.parse_args()
    var_dir = args.var_dir or Path(tempfile.mkdtemp(prefix="rm-mm-app-"))
    os.environ["REELMARKET_VAR_DIR"] = str(var_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reelmarket.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from reelmarket.market.enums import Role
    from reelmarket.market.models import Participant
    from reelmarket.matchmaking import scoring_adapter, scoring_batch, selectors, services
    from reelmarket.matchmaking.models import Suggestion

    if args.var_dir is None:
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        call_command("demo", "--quiet", "--password", "benchmark")
        print(f"demo market built in {time.perf_counter() - started:.1f} s")
    viewers = selectors.viewer_ids()

    scoring, whole = [], []
    for n in range(args.repeat):
        started = time.perf_counter()
        produced = sum(len(s) for _v, s in scoring_batch.score_all(viewer_ids=viewers))
        scoring.append(time.perf_counter() - started)
        started = time.perf_counter()
        run = services.recompute_all()
        whole.append(time.perf_counter() - started)
        print(
            f"run {n + 1}: scoring + explaining {scoring[-1]:.2f} s, "
            f"whole batch (stored) {whole[-1]:.2f} s"
        )
    assert run.suggestions == produced == Suggestion.objects.count()

    buyer = (
        Participant.objects.filter(roles__role=Role.BUYER, pk__in=viewers).order_by("pk").first()
    )
    assert buyer is not None
    one_cold, one_warm = [], []
    for n in range(args.repeat):
        buyer.genres = ["animation", "family"] if n % 2 == 0 else ["drama"]
        buyer.save()
        scoring_adapter.world_reset()
        started = time.perf_counter()
        services.recompute_for(participant=buyer)
        one_cold.append(time.perf_counter() - started)
        buyer.genres = ["documentary"]
        buyer.save()
        started = time.perf_counter()
        services.recompute_for(participant=buyer)
        one_warm.append(time.perf_counter() - started)

    report = {
        "viewers": len(viewers),
        "suggestions": run.suggestions,
        "batch_seconds_median": round(statistics.median(whole), 3),
        "batch_seconds": [round(x, 3) for x in whole],
        "scoring_seconds_median": round(statistics.median(scoring), 3),
        "one_profile_world_loaded_seconds_median": round(statistics.median(one_warm), 3),
        "one_profile_world_cold_seconds_median": round(statistics.median(one_cold), 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0),
        "database": "sqlite" if "REELMARKET_DATABASE_URL" not in os.environ else "postgresql",
    }
    print(json.dumps(report, indent=2))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()

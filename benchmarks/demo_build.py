"""Benchmark: build the demo market (``reelmarket demo``) into an empty database.

Migrates a fresh SQLite file in a temporary directory (or the database given with
``--database-url``, which must be empty or hold only an earlier demo: the run uses
``--reset``), then times the pure generation (plan + every title, no database) and the full
build. Prints the figures and records the run in benchmarks/results/demo_build.json (or
--out), one entry per database and scale.

    .venv/bin/python benchmarks/demo_build.py                      # FILMART scale, SQLite
    .venv/bin/python benchmarks/demo_build.py --catalogue-scale 1000   # 1,200,000 titles
    .venv/bin/python benchmarks/demo_build.py \\
        --database-url postgres://postgres@127.0.0.1:5432/reelmarket_demo
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--titles", type=int, default=None)
    size.add_argument("--catalogue-scale", type=int, default=None, metavar="K")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--batch-size", type=int, default=None)
    parser.add_argument(
        "--skip-pure", action="store_true", help="do not time the generation without the database"
    )
    parser.add_argument("--out", type=Path, default=RESULTS / "demo_build.json")
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="reelmarket-demo-bench-")
    os.environ["REELMARKET_VAR_DIR"] = workdir
    if args.database_url:
        os.environ["REELMARKET_DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reelmarket.config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from reelmarket.market.demo.build import DEFAULT_BATCH, demo_build
    from reelmarket.market.demo.plan import DemoScale, plan_market
    from reelmarket.market.demo.titles import Catalogue

    default = DemoScale()
    titles = args.titles
    if args.catalogue_scale is not None:
        titles = default.titles * args.catalogue_scale
    scale = DemoScale(titles=default.titles if titles is None else titles)

    pure_seconds = None
    if not args.skip_pure:
        started = time.perf_counter()
        catalogue = Catalogue(plan_market(seed=args.seed, scale=scale))
        windows = texts = 0
        for index in range(scale.titles):
            spec = catalogue.title(index)
            windows += len(spec.windows)
            texts += len(spec.texts)
        pure_seconds = time.perf_counter() - started
        print(
            f"generate (no database): {pure_seconds:.1f} s for {scale.titles:,} titles, "
            f"{texts:,} texts, {windows:,} rights windows"
        )

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrate_seconds = time.perf_counter() - started

    started = time.perf_counter()
    result = demo_build(
        seed=args.seed,
        scale=scale,
        password="benchmark-only",
        reset=True,
        batch_size=args.batch_size or DEFAULT_BATCH,
    )
    build_seconds = time.perf_counter() - started
    backend = connection.vendor
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"build ({backend}): {build_seconds:.1f} s for {scale.titles:,} titles "
        f"({scale.titles / build_seconds:,.0f} titles/s), {scale.participants:,} "
        f"participants, {scale.exhibitors:,} exhibitors; migrate {migrate_seconds:.1f} s; "
        f"peak memory {peak_mb:,.0f} MB"
    )

    figures = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": backend,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "seed": args.seed,
        "titles": scale.titles,
        "participants": scale.participants,
        "exhibitors": scale.exhibitors,
        "batch_size": args.batch_size or DEFAULT_BATCH,
        "generate_seconds": None if pure_seconds is None else round(pure_seconds, 2),
        "migrate_seconds": round(migrate_seconds, 2),
        "build_seconds": round(build_seconds, 2),
        "titles_per_second": round(scale.titles / build_seconds),
        "peak_memory_mb": round(peak_mb),
        "counts": result.counts,
    }
    # One file, one run per (database, scale): a new run replaces the same kind of run.
    key = ("database", "titles", "participants", "exhibitors")
    runs = []
    if args.out.exists():
        runs = json.loads(args.out.read_text()).get("runs", [])
    runs = [r for r in runs if any(r.get(k) != figures[k] for k in key)] + [figures]
    runs.sort(key=lambda r: (r["database"], r["titles"]))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"benchmark": "demo_build", "runs": runs}, indent=2) + "\n")
    print(f"wrote {args.out}")
    shutil.rmtree(workdir, ignore_errors=True)  # the SQLite file of this run


if __name__ == "__main__":
    sys.exit(main())

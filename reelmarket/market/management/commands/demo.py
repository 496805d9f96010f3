"""``reelmarket demo``: build the FILMART 2025 demo market and print its logins.

Thin: arguments in, ``market.demo.build.demo_build`` does the work, a summary out.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from reelmarket.market.demo.build import DEFAULT_BATCH, DEFAULT_SEED, DemoResult, demo_build
from reelmarket.market.demo.plan import DemoError, DemoScale

DEFAULT_TITLES = DemoScale().titles


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{value}” is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"{number} is not positive")
    return number


def _count(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{value}” is not a whole number") from None
    if number < 0:
        raise argparse.ArgumentTypeError(f"{number} is negative")
    return number


class TqdmProgress:
    """Progress bars on stderr; silent when disabled (not a terminal, or --quiet)."""

    def __init__(self, *, disable: bool) -> None:
        self.disable = disable
        self.bar: tqdm | None = None

    def begin(self, label: str, total: int) -> None:
        self.end()
        self.bar = tqdm(
            total=total,
            desc=label,
            unit="row" if label != "Catalogue" else "title",
            unit_scale=True,
            disable=self.disable,
            file=sys.stderr,
            leave=True,
        )

    def advance(self, n: int = 1) -> None:
        if self.bar is not None:
            self.bar.update(n)

    def end(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


class Command(BaseCommand):
    help = (
        "Build the FILMART 2025 demo market (760 exhibitors, 32 pavilions, 7,600 "
        "participants, 1,200 titles with avails) deterministically from a seed, and print an "
        "organiser, an exhibitor and a buyer login. Running it again only resets those logins' "
        "password; --reset rebuilds. See docs/demo.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"Random seed; the same seed gives the same market (default {DEFAULT_SEED}).",
        )
        size = parser.add_mutually_exclusive_group()
        size.add_argument(
            "--titles",
            type=_count,
            default=None,
            help=f"Number of catalogue titles (default {DEFAULT_TITLES:,}).",
        )
        size.add_argument(
            "--catalogue-scale",
            type=_positive,
            default=None,
            metavar="K",
            help=f"K times the default catalogue: {DEFAULT_TITLES:,} × K titles "
            "(1000 gives 1,200,000), streamed in batches.",
        )
        parser.add_argument(
            "--exhibitors",
            type=_positive,
            default=DemoScale().exhibitors,
            help="Number of exhibitors (default %(default)s).",
        )
        parser.add_argument(
            "--participants",
            type=_positive,
            default=DemoScale().participants,
            help="Number of participants (default %(default)s).",
        )
        parser.add_argument(
            "--password",
            default=None,
            help="Password of the three printed logins (default: a new random one each run).",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Remove what an earlier demo created (only that) and rebuild.",
        )
        parser.add_argument(
            "--batch-size",
            type=_positive,
            default=DEFAULT_BATCH,
            help="Titles written per transaction (default %(default)s).",
        )
        parser.add_argument("--quiet", action="store_true", help="No progress bars.")

    def handle(self, *args: Any, **options: Any) -> None:
        titles = options["titles"]
        if options["catalogue_scale"] is not None:
            titles = DEFAULT_TITLES * options["catalogue_scale"]
        try:
            scale = DemoScale(
                exhibitors=options["exhibitors"],
                participants=options["participants"],
                titles=DEFAULT_TITLES if titles is None else titles,
            )
            progress = TqdmProgress(disable=options["quiet"] or not sys.stderr.isatty())
            result = demo_build(
                seed=options["seed"],
                scale=scale,
                password=options["password"],
                reset=options["reset"],
                progress=progress,
                batch_size=options["batch_size"],
            )
        except DemoError as exc:
            raise CommandError(str(exc)) from None
        if result.created:
            self._index(quiet=options["quiet"])
            self._analyse()
        self._report(result)

    def _analyse(self) -> None:
        """Fresh planner statistics on PostgreSQL: right after a bulk load autovacuum has not
        caught up, and stale estimates picked slow plans (13 s for a million titles)."""
        from django.db import connection

        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")

    def _index(self, *, quiet: bool) -> None:
        """Keyword index and facets now; vectors come from `reelmarket reindex --vectors-only`
        (``./dev demo`` runs it beside the server)."""
        from tqdm import tqdm

        from reelmarket.discovery.documents import changes_log
        from reelmarket.discovery.engine import GLOBAL_CHANGE
        from reelmarket.discovery.services import reindex_documents, shard_ids

        ids = shard_ids()
        disable = quiet or not sys.stderr.isatty()
        with tqdm(total=len(ids), unit="title", desc="search index", disable=disable) as bar:
            reindex_documents(title_ids=ids, progress=bar.update)
        changes_log(title_ids=[GLOBAL_CHANGE])  # running processes drop what --reset removed

    def _report(self, result: DemoResult) -> None:
        c = result.counts
        if result.created:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo market built in {result.seconds:.1f} s: FILMART 2025 with "
                    f"{c['exhibitors']:,} exhibitors from {c['exhibitor_countries']} countries and "
                    f"regions, {c['pavilions']} pavilions from {c['pavilion_countries']} countries "
                    f"+ {c['hubs']} hub, {c['participants']:,} participants from "
                    f"{c['participant_countries']} countries, {c['titles']:,} titles."
                )
            )
        else:
            self.stdout.write(
                "The demo market is already there (same seed and scale); nothing was added. "
                "The printed logins have a new password. Use --reset to rebuild."
            )
        self.stdout.write(f"\nOpen {result.url} and log in with one of:\n")
        width = max(len(login.email) for login in result.logins)
        for login in result.logins:
            self.stdout.write(
                f"  {login.role:<10} {login.email:<{width}}  password: {result.password}\n"
                f"  {'':<10} {login.name} — {login.detail}"
            )

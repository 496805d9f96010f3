"""``reelmarket matchmaking evaluate``: measure the matchmaking on a past interaction log.

    reelmarket matchmaking evaluate --interactions LOG.csv --titles TITLES.csv [--json]

Holds out each user's most recent 20 % of interactions and prints NDCG@10 / recall@10 of
our scorer, popularity, item-kNN and random side by side. CSV formats: docs/matchmaking.md.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from reelmarket.matchmaking.core import TitleFeatures
from reelmarket.matchmaking.core.split import relevant_items, temporal_split
from reelmarket.matchmaking.core.textvec import hashed_tfidf
from reelmarket.matchmaking.csvlog import CsvError, TitleRow, read_interactions, read_titles
from reelmarket.matchmaking.evaluation import evaluate_log

EMBED_BATCH = 32


def _vectors(titles: list[TitleRow], embedder: str, quiet: bool) -> list[np.ndarray | None]:
    texts = [t.synopsis for t in titles]
    if embedder == "hash":
        matrix = hashed_tfidf(texts)
    else:
        from reelmarket.discovery.embedding import get_embedder

        model = get_embedder()
        matrix = np.zeros((len(texts), model.dim), dtype=np.float32)
        todo = [n for n, text in enumerate(texts) if text]
        with tqdm(total=len(todo), unit="synopsis", desc="embedding", disable=quiet) as bar:
            for start in range(0, len(todo), EMBED_BATCH):
                batch = todo[start : start + EMBED_BATCH]
                matrix[batch] = model.embed_passages([texts[n] for n in batch])
                bar.update(len(batch))
    return [matrix[n] if t.synopsis else None for n, t in enumerate(titles)]


class Command(BaseCommand):
    help = "Matchmaking tools: evaluate the scorer on a past interaction log."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="evaluate")
        evaluate = sub.add_parser(
            "evaluate",
            help="hold out each user's most recent 20 %% and compare with baselines",
            description="Hold out each user's most recent 20 %% of interactions and print "
            "NDCG@10 / recall@10 of our scorer, popularity, item-kNN and random.",
        )
        evaluate.add_argument("--interactions", required=True, type=Path, metavar="LOG.csv")
        evaluate.add_argument("--titles", required=True, type=Path, metavar="TITLES.csv")
        evaluate.add_argument("--json", action="store_true", help="print JSON instead of a table")
        evaluate.add_argument(
            "--embedder",
            choices=("hash", "e5"),
            default="hash",
            help="synopsis vectors: hashed TF-IDF (fast, default) or the multilingual embedder",
        )
        evaluate.add_argument(
            "--no-calibrate", action="store_true", help="keep the default component weights"
        )
        evaluate.add_argument("--seed", type=int, default=0, help="seed of the random baseline")
        evaluate.add_argument("--quiet", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        quiet = options["quiet"] or not sys.stderr.isatty()
        try:
            titles = read_titles(options["titles"])
            log = read_interactions(options["interactions"], titles)
        except CsvError as exc:
            raise CommandError(str(exc)) from None
        train, test = temporal_split(log.interactions)
        users = len(relevant_items(train, test))
        if not users:
            raise CommandError(
                "Nothing to evaluate: no user has 5 or more interactions with a title held "
                "out that is new to them (each user's most recent 20 % is held out)."
            )
        vectors = _vectors(titles, options["embedder"], quiet)
        features = [
            TitleFeatures(
                id=t.id,
                kind=t.kind,
                genres=t.genres,
                countries=t.countries,
                year=t.year,
                vector=vectors[n],
            )
            for n, t in enumerate(titles)
        ]
        if not quiet and not options["no_calibrate"]:
            self.stderr.write("Calibrating the weights on the training rows…")
        with tqdm(total=users, unit="user", desc="ranking", disable=quiet) as bar:
            results, held_out = evaluate_log(
                titles=features,
                interactions=log.interactions,
                calibrate=not options["no_calibrate"],
                seed=options["seed"],
                progress=bar.update,
            )
        summary = {
            "titles": len(titles),
            "users": len(log.users),
            "interactions": len(log.interactions),
            "held_out": held_out,
            "users_evaluated": users,
            "results": {name: m.as_dict() for name, m in results.items()},
        }
        if options["json"]:
            self.stdout.write(json.dumps(summary, indent=2))
            return
        self.stdout.write(
            f"{len(log.interactions)} interactions of {len(log.users)} users on "
            f"{len(titles)} titles; held out {held_out} (each user's most recent 20 %), "
            f"{users} users evaluated."
        )
        self.stdout.write(f"{'scorer':<12} {'NDCG@10':>8} {'recall@10':>10}")
        for name, metrics in results.items():
            self.stdout.write(f"{name:<12} {metrics.ndcg:>8.4f} {metrics.recall:>10.4f}")

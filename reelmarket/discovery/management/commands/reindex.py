"""``reelmarket reindex``: rebuild search documents and vectors, with a progress bar.

Split across machines with ``--shard I/N`` (each worker takes the titles with id % N == I),
then run ``reelmarket reindex --centroids-only`` once at the end. ``--queue`` hands the work
to the background workers in chunks instead of doing it here.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from reelmarket.discovery import services
from reelmarket.discovery.engine import engine_reset


def _shard(value: str) -> tuple[int, int]:
    try:
        index_text, count_text = value.split("/")
        index, count = int(index_text), int(count_text)
    except ValueError as exc:
        raise CommandError(f"--shard wants I/N such as 0/4, not “{value}”.") from exc
    if count < 1 or not 0 <= index < count:
        raise CommandError(f"--shard {value}: I must be between 0 and N-1.")
    return index, count


class Command(BaseCommand):
    help = "Rebuild the search index: keyword documents, facets, vectors and language centroids."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--shard", metavar="I/N", help="only titles with id %% N == I")
        parser.add_argument("--no-embeddings", action="store_true", help="keyword index only")
        parser.add_argument(
            "--vectors-only", action="store_true", help="embed texts only (documents are current)"
        )
        parser.add_argument(
            "--centroids-only", action="store_true", help="recompute language centroids only"
        )
        parser.add_argument(
            "--queue", action="store_true", help="queue chunks for the background workers"
        )
        parser.add_argument("--quiet", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["centroids_only"]:
            services.centroids_refresh()
            self.stdout.write("Language centroids recomputed.")
            return
        shard = _shard(options["shard"]) if options["shard"] else None
        ids = services.shard_ids(shard=shard)
        embed = not options["no_embeddings"]
        if options["queue"]:
            from reelmarket.config.tasks import wait_idle

            queued = services.reindex_queue(title_ids=ids, embed=embed)
            self.stdout.write(f"Queued {queued} chunks ({len(ids)} titles) for the workers.")
            wait_idle(None)  # without a broker the chunks run here, in this process
            return
        quiet = options["quiet"] or not sys.stderr.isatty()
        if options["vectors_only"] and not embed:
            raise CommandError("--vectors-only and --no-embeddings leave nothing to do.")
        if not options["vectors_only"]:
            with tqdm(total=len(ids), unit="title", desc="documents", disable=quiet) as bar:
                services.reindex_documents(title_ids=ids, progress=bar.update)
        computed = 0
        if embed:
            with tqdm(total=len(ids), unit="title", desc="vectors", disable=quiet) as bar:
                computed = services.reindex_embeddings(title_ids=ids, progress=bar.update)
            if shard is None:
                services.centroids_refresh()
        engine_reset()
        self.stdout.write(
            f"Indexed {len(ids)} titles; {computed} texts embedded"
            + (" (run `reelmarket reindex --centroids-only` after all shards)." if shard else ".")
        )

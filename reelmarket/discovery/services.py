"""Writes of discovery: (re)indexing titles. Thin tasks and the reindex command call these."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from reelmarket.catalogue.models import Title
from reelmarket.discovery.documents import changes_log, documents_write
from reelmarket.discovery.engine import GLOBAL_CHANGE, engine_reset

Progress = Callable[[int], None]

CHUNK = 500


def titles_index(*, title_ids: Sequence[int], embed: bool = True) -> None:
    """Rewrite the search documents of ``title_ids`` and, with ``embed``, their vectors."""
    documents_write(title_ids=title_ids)
    if embed:
        titles_embed(title_ids=title_ids)


def titles_embed(*, title_ids: Sequence[int]) -> int:
    """Embed the texts of ``title_ids`` that changed; returns how many texts were embedded."""
    from reelmarket.discovery.vectors import title_texts_embed

    computed = title_texts_embed(title_ids=title_ids)
    changes_log(title_ids=title_ids)
    return computed


def shard_ids(*, shard: tuple[int, int] | None = None) -> list[int]:
    """All title ids, or those of shard ``(i, n)``: ids with ``id % n == i``."""
    ids = list(Title.objects.order_by("pk").values_list("pk", flat=True))
    if shard is None:
        return ids
    index, count = shard
    return [pk for pk in ids if pk % count == index]


def reindex_documents(*, title_ids: Sequence[int], progress: Progress | None = None) -> None:
    for start in range(0, len(title_ids), CHUNK):
        chunk = title_ids[start : start + CHUNK]
        documents_write(title_ids=chunk)
        if progress:
            progress(len(chunk))


def reindex_embeddings(*, title_ids: Sequence[int], progress: Progress | None = None) -> int:
    from reelmarket.discovery.vectors import title_texts_embed

    computed = 0
    step = 50
    for start in range(0, len(title_ids), step):
        chunk = title_ids[start : start + step]
        computed += title_texts_embed(title_ids=chunk)
        if progress:
            progress(len(chunk))
    return computed


def centroids_refresh() -> None:
    """Recompute the language centroids and tell every process to rebuild its vector index."""
    from reelmarket.discovery.embedding import get_embedder
    from reelmarket.discovery.vectors import centroids_recompute

    centroids_recompute(model=get_embedder().name)
    changes_log(title_ids=[GLOBAL_CHANGE])


def reindex_all(*, embed: bool = True, progress: Progress | None = None) -> None:
    """Rebuild every search document and (with ``embed``) every missing vector, synchronously."""
    ids = shard_ids()
    reindex_documents(title_ids=ids, progress=progress)
    if embed:
        reindex_embeddings(title_ids=ids, progress=progress)
        centroids_refresh()
    else:
        changes_log(title_ids=[GLOBAL_CHANGE])
    engine_reset()


def reindex_queue(*, title_ids: Sequence[int], embed: bool = True, chunk: int = CHUNK) -> int:
    """Queue the reindex in chunks for the background workers; returns the number of chunks."""
    from reelmarket.config.tasks import enqueue
    from reelmarket.discovery.tasks import index_documents, index_titles

    chunks = 0
    for start in range(0, len(title_ids), chunk):
        ids = list(title_ids[start : start + chunk])
        enqueue(index_titles if embed else index_documents, title_ids=ids)
        chunks += 1
    return chunks

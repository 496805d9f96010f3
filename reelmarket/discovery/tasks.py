"""Background indexing: ids in, the service does the work (queue "search")."""

from __future__ import annotations

from reelmarket.config.tasks import task
from reelmarket.discovery import services


@task(name="discovery.index_titles", queue="search")
def index_titles(*, title_ids: list[int]) -> None:
    """Search documents first (fast, so keyword search and filters see the change at once),
    then the vectors on their own task (slower)."""
    services.titles_index(title_ids=title_ids, embed=False)
    from reelmarket.config.tasks import enqueue

    enqueue(embed_titles, title_ids=title_ids)


@task(name="discovery.embed_titles", queue="search")
def embed_titles(*, title_ids: list[int]) -> None:
    services.titles_embed(title_ids=title_ids)


@task(name="discovery.index_documents", queue="search")
def index_documents(*, title_ids: list[int]) -> None:
    services.titles_index(title_ids=title_ids, embed=False)

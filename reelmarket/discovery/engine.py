"""The process-wide search engine: in-memory facet/avails arrays and the ANN index.

Both are caches. The database (SearchDocument, TextEmbedding, LanguageCentroid) is the
source of truth; :class:`IndexChange` says which titles changed since a process last looked.
Every search calls :meth:`Engine.refresh` first: one indexed ``MAX(id)`` query when nothing
changed, otherwise a reload of just the changed titles. Web processes stay stateless: a new
process loads the ANN index from its cache file (or rebuilds it) and catches up from the log.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.db.models import Max

from reelmarket.catalogue.avails.index import segments_from_json
from reelmarket.discovery.facets import FacetIndex, FacetRecord
from reelmarket.discovery.models import IndexChange, LanguageCentroid, SearchDocument

log = logging.getLogger(__name__)

LOAD_CHUNK = 5000
# An IndexChange for this title id means "reload everything" (no title has id 0).
GLOBAL_CHANGE = 0


def facet_record(title_id: int, facets: dict[str, Any], avails: dict[str, Any]) -> FacetRecord:
    return FacetRecord(
        title_id=title_id,
        kind=facets.get("kind", ""),
        stage=facets.get("stage", ""),
        new_this_market=bool(facets.get("new")),
        published=bool(facets.get("published")),
        owner_id=facets.get("owner") or 0,
        year=facets.get("year"),
        genres=tuple(facets.get("genres", ())),
        countries=tuple(facets.get("countries", ())),
        languages=tuple(facets.get("languages", ())),
        avails=segments_from_json(avails or {}),
    )


def _records(title_ids: Sequence[int] | None = None) -> Iterable[FacetRecord]:
    rows = SearchDocument.objects.order_by("title_id").values_list("title_id", "facets", "avails")
    if title_ids is not None:
        rows = rows.filter(title_id__in=title_ids)
    for title_id, facets, avails in rows.iterator(chunk_size=LOAD_CHUNK):
        yield facet_record(title_id, facets, avails)


def last_change_id() -> int:
    return IndexChange.objects.aggregate(m=Max("id"))["m"] or 0


class Engine:
    """Facets + vectors of one process. Thread-safe: refreshes hold a lock, reads do not."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.facets: FacetIndex | None = None
        self.vectors: Any = None  # discovery.ann.VectorIndex, loaded lazily
        self.centroids: dict[str, np.ndarray] = {}
        self.model: str = ""
        self.seen_change = -1

    # -- loading ---------------------------------------------------------------------------

    def refresh(self) -> None:
        newest = last_change_id()
        if self.facets is not None and newest == self.seen_change:
            return
        with self._lock:
            if self.facets is None or newest < self.seen_change:
                self._load_all(newest)
            elif newest > self.seen_change:
                self._apply_changes(newest)

    def _load_all(self, newest: int) -> None:
        self.facets = FacetIndex.build(_records())
        self.seen_change = newest
        self._load_vectors(newest)

    def _changed_titles(self, newest: int, since: int | None = None) -> list[int]:
        after = self.seen_change if since is None else since
        rows = IndexChange.objects.filter(id__gt=after, id__lte=newest)
        return sorted(set(rows.values_list("title_id", flat=True)))

    def _apply_changes(self, newest: int) -> None:
        changed = self._changed_titles(newest)
        if GLOBAL_CHANGE in changed:  # e.g. new language centroids: rebuild everything
            self._load_all(newest)
            return
        assert self.facets is not None
        records = list(_records(changed))
        present = {r.title_id for r in records}
        gone = [pk for pk in changed if pk not in present]
        if records:
            self.facets.upsert(records)
        if gone:
            self.facets.remove(np.asarray(gone, dtype=np.int64))
        if self.vectors is not None:
            self._apply_vector_changes(changed)
        self.seen_change = newest

    def _apply_vector_changes(self, changed: Sequence[int]) -> None:
        from reelmarket.discovery.vectors import vectors_load

        self.vectors.remove_titles(np.asarray(changed, dtype=np.int64))
        labels, title_ids, _languages, vectors = vectors_load(
            model=self.model, title_ids=changed, centroids=self.centroids
        )
        if len(labels):
            self.vectors.add(labels, title_ids, vectors)

    # -- vectors ---------------------------------------------------------------------------

    def centre(self, vectors: np.ndarray, languages: Sequence[str]) -> np.ndarray:
        """Vectors as the index holds them: minus their language's centroid, normalised."""
        from reelmarket.discovery.centroids import centre

        return centre(vectors, languages, self.centroids)

    def _load_vectors(self, newest: int) -> None:
        from reelmarket.discovery.ann import VectorIndex
        from reelmarket.discovery.embedding import get_embedder
        from reelmarket.discovery.vectors import centroids_load, vectors_load

        embedder = get_embedder()
        self.model = embedder.name
        self.centroids = centroids_load(model=self.model)
        if not self.centroids:
            self.vectors = None  # nothing embedded yet: keyword search only
            return
        directory = Path(settings.SEARCH_INDEX_DIR) / self.model
        stamp_file = directory.with_name(f"{directory.name}.centroids")
        stamp = self._centroid_stamp()
        index = None
        if directory.exists() and stamp_file.exists() and stamp_file.read_text() == stamp:
            try:
                index = VectorIndex.load(directory, model=self.model)
            except (OSError, ValueError) as exc:
                log.warning("vector index cache in %s unusable (%s); rebuilding", directory, exc)
        missed: list[int] = []
        if index is not None and index.last_change_id <= newest:
            missed = self._changed_titles(newest, since=index.last_change_id)
            if GLOBAL_CHANGE in missed:  # everything changed since the cache was saved
                index = None
        if index is None or index.last_change_id > newest:
            labels, title_ids, _languages, vectors = vectors_load(
                model=self.model, centroids=self.centroids
            )
            index = VectorIndex(embedder.dim, model=self.model)
            if len(labels):
                index.build(labels, title_ids, vectors)
            self.vectors = index
            self._save(index, directory, newest, stamp_file, stamp)
            return
        self.vectors = index
        if missed:
            self._apply_vector_changes(missed)
            self._save(index, directory, newest, stamp_file, stamp)

    def _centroid_stamp(self) -> str:
        rows = LanguageCentroid.objects.filter(model=self.model).order_by("language")
        parts = rows.values_list("language", "count", "updated_at")
        return ",".join(f"{lang}:{count}:{at.isoformat()}" for lang, count, at in parts)

    @staticmethod
    def _save(index: Any, directory: Path, newest: int, stamp_file: Path, stamp: str) -> None:
        try:
            index.save(directory, last_change_id=newest)
            stamp_file.write_text(stamp)
        except OSError as exc:  # a read-only disk only costs the next start a rebuild
            log.warning("could not save the vector index cache in %s: %s", directory, exc)


_engine: Engine | None = None
_engine_lock = threading.Lock()


def engine() -> Engine:
    """The process's engine, refreshed from the change log."""
    global _engine
    with _engine_lock:
        if _engine is None:
            _engine = Engine()
    _engine.refresh()
    return _engine


def engine_reset() -> None:
    """Forget the in-memory indexes (tests; after a full reindex in this process)."""
    global _engine
    with _engine_lock:
        _engine = None

"""Text vectors in the database: embed titles' texts, language centroids, bulk loading.

The database is the source of truth for vectors (``TextEmbedding``, raw model output,
float32 bytes). ``EmbeddingCache`` keeps every vector by content hash so an unchanged text
is never embedded twice, even after its title was deleted and imported again. The ANN index
holds the *centred* vectors (``centroids.centre``) and is rebuilt from here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping, Sequence

import numpy as np
from django.db import transaction
from django.db.models import Exists, OuterRef

from reelmarket.catalogue.models import TitleText
from reelmarket.discovery.centroids import (
    CENTROID_PRIOR,
    GLOBAL,
    MIN_LANGUAGE_COUNT,
    centre,
    centroids_from_sums,
)
from reelmarket.discovery.embedding import (
    Embedder,
    facet_line,
    get_embedder,
    passage_text,
    short_passage_text,
)
from reelmarket.discovery.models import EmbeddingCache, LanguageCentroid, TextEmbedding

EMBED_BATCH = 32
FULL = "full"  # TextEmbedding.part of the facet line + name + logline + synopsis passage
SHORT = "short"  # ... of the name + logline passage
_ID_CHUNK = 500  # ids per IN (...) clause
_STREAM_CHUNK = 5_000


def content_sha(*, model: str, passage: str) -> str:
    """The cache key of one passage for one model."""
    return hashlib.sha256(f"{model}\n{passage}".encode()).hexdigest()


def vector_to_bytes(vector: np.ndarray) -> bytes:
    return np.ascontiguousarray(vector, dtype=np.float32).tobytes()


def vector_from_bytes(data: bytes | memoryview) -> np.ndarray:
    return np.frombuffer(data, dtype=np.float32)


def _chunks(values: Sequence[int], size: int) -> Iterator[list[int]]:
    items = list(values)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def title_texts_embed(
    *, title_ids: Sequence[int], embedder: Embedder | None = None, batch_size: int = EMBED_BATCH
) -> int:
    """Bring the TextEmbedding rows of these titles up to date; returns vectors computed.

    One row per (title, language, model, part): the full passage (with the title's facet
    line) and, when the text has a logline, the short one (see :func:`text_passages`). A
    passage that is unchanged is skipped; one whose vector is in EmbeddingCache reuses it;
    the rest are embedded in batches. Rows of texts and parts no longer there are deleted.
    """
    embedder = embedder or get_embedder()
    model = embedder.name
    computed = 0
    for ids in _chunks(sorted(set(title_ids)), _ID_CHUNK):
        computed += _embed_chunk(ids, embedder, model, batch_size)
    return computed


def title_facet_lines(title_ids: Sequence[int]) -> dict[int, str]:
    """The English :func:`facet_line` of each title (kind, countries of origin, genres)."""
    from django.utils import translation

    from reelmarket.catalogue.avails.territories import territory_name
    from reelmarket.catalogue.enums import Genre, TitleKind
    from reelmarket.catalogue.models import Title

    lines: dict[int, str] = {}
    titles = Title.objects.filter(pk__in=title_ids).prefetch_related("genres", "countries")
    with translation.override("en"):
        for title in titles.only("id", "kind"):
            genres = sorted(g.genre for g in title.genres.all())
            countries = sorted(c.country for c in title.countries.all())
            lines[title.pk] = facet_line(
                kind=str(TitleKind(title.kind).label) if title.kind in TitleKind.values else "",
                countries=[territory_name(code) for code in countries],
                genres=[str(Genre(g).label) for g in genres if g in Genre.values],
            )
    return lines


def text_passages(*, facets: str, name: str, logline: str, synopsis: str) -> dict[str, str]:
    """The passages embedded for one text, by part (``"short"`` only when it says more)."""
    passages = {FULL: passage_text(name, logline, synopsis, facets=facets)}
    short = short_passage_text(name, logline)
    if short and short != passages[FULL]:
        passages[SHORT] = short
    return passages


def _embed_chunk(ids: list[int], embedder: Embedder, model: str, batch_size: int) -> int:
    wanted: dict[tuple[int, str, str], str] = {}  # (title, language, part) -> sha
    passages: dict[str, str] = {}  # sha -> passage
    facets = title_facet_lines(ids)
    for title_id, language, name, logline, synopsis in TitleText.objects.filter(
        title_id__in=ids
    ).values_list("title_id", "language", "name", "logline", "synopsis"):
        parts = text_passages(
            facets=facets.get(title_id, ""), name=name, logline=logline, synopsis=synopsis
        )
        for part, passage in parts.items():
            sha = content_sha(model=model, passage=passage)
            wanted[(title_id, language, part)] = sha
            passages[sha] = passage

    existing = {
        (title_id, language, part): (pk, sha)
        for pk, title_id, language, part, sha in TextEmbedding.objects.filter(
            title_id__in=ids, model=model
        ).values_list("id", "title_id", "language", "part", "content_sha")
    }
    stale = [pk for key, (pk, _sha) in existing.items() if key not in wanted]
    todo = {key: sha for key, sha in wanted.items() if existing.get(key, (0, ""))[1] != sha}

    vectors: dict[str, bytes] = {}
    needed = sorted(set(todo.values()))
    for shas in _chunks(needed, _ID_CHUNK):
        vectors.update(
            EmbeddingCache.objects.filter(model=model, content_sha__in=shas).values_list(
                "content_sha", "vector"
            )
        )
    vectors = {sha: bytes(data) for sha, data in vectors.items()}
    missing = [sha for sha in needed if sha not in vectors]
    for start in range(0, len(missing), batch_size):
        batch = missing[start : start + batch_size]
        embedded = embedder.embed_passages([passages[sha] for sha in batch])
        fresh = [
            EmbeddingCache(model=model, content_sha=sha, vector=vector_to_bytes(vector))
            for sha, vector in zip(batch, embedded, strict=True)
        ]
        EmbeddingCache.objects.bulk_create(fresh, ignore_conflicts=True)
        vectors.update((row.content_sha, row.vector) for row in fresh)

    with transaction.atomic():
        if stale:
            TextEmbedding.objects.filter(id__in=stale).delete()
        if todo:
            TextEmbedding.objects.bulk_create(
                [
                    TextEmbedding(
                        title_id=title_id,
                        language=language,
                        part=part,
                        model=model,
                        content_sha=sha,
                        vector=vectors[sha],
                    )
                    for (title_id, language, part), sha in sorted(todo.items())
                ],
                update_conflicts=True,
                unique_fields=["title", "language", "model", "part"],
                update_fields=["content_sha", "vector", "updated_at"],
            )
    return len(missing)


def vectors_load(
    *,
    model: str,
    since_id: int = 0,
    title_ids: Sequence[int] | None = None,
    centroids: Mapping[str, np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray, list[str], np.ndarray]:
    """(labels, title_ids, languages, vectors) of the model's TextEmbedding rows, by id.

    ``since_id``: only rows with a larger id; ``title_ids``: only these titles. Rows are
    streamed in chunks (1M rows fit in ~1.6 GB). With ``centroids`` the vectors come back
    centred (what the ANN index holds), chunk by chunk.
    """
    queryset = TextEmbedding.objects.filter(model=model, id__gt=since_id).order_by("id")
    if title_ids is not None:
        chunks = [queryset.filter(title_id__in=ids) for ids in _chunks(title_ids, _ID_CHUNK)]
    else:
        chunks = [queryset]
    labels: list[np.ndarray] = []
    titles: list[np.ndarray] = []
    languages: list[str] = []
    blocks: list[np.ndarray] = []
    for qs in chunks:
        rows = qs.values_list("id", "title_id", "language", "vector").iterator(
            chunk_size=_STREAM_CHUNK
        )
        buffer: list[tuple[int, int, str, bytes]] = []
        for row in rows:
            buffer.append(row)
            if len(buffer) == _STREAM_CHUNK:
                _flush(buffer, labels, titles, languages, blocks, centroids)
                buffer = []
        _flush(buffer, labels, titles, languages, blocks, centroids)
    if not blocks:
        return (
            np.zeros(0, np.int64),
            np.zeros(0, np.int64),
            [],
            np.zeros((0, 0), np.float32),
        )
    order_labels = np.concatenate(labels)
    order = np.argsort(order_labels, kind="stable")
    vectors = np.concatenate(blocks)
    if not np.array_equal(order, np.arange(len(order))):
        vectors = vectors[order]
        languages = [languages[i] for i in order.tolist()]
    return order_labels[order], np.concatenate(titles)[order], languages, vectors


def _flush(
    buffer: list[tuple[int, int, str, bytes]],
    labels: list[np.ndarray],
    titles: list[np.ndarray],
    languages: list[str],
    blocks: list[np.ndarray],
    centroids: Mapping[str, np.ndarray] | None,
) -> None:
    if not buffer:
        return
    labels.append(np.fromiter((r[0] for r in buffer), dtype=np.int64, count=len(buffer)))
    titles.append(np.fromiter((r[1] for r in buffer), dtype=np.int64, count=len(buffer)))
    langs = [r[2] for r in buffer]
    languages.extend(langs)
    block = np.frombuffer(b"".join(bytes(r[3]) for r in buffer), dtype=np.float32)
    block = block.reshape(len(buffer), -1)
    blocks.append(centre(block, langs, centroids) if centroids else block.copy())


def centroids_recompute(
    *, model: str, min_count: int = MIN_LANGUAGE_COUNT, prior: float = CENTROID_PRIOR
) -> dict[str, np.ndarray]:
    """Recompute and store the language centroids of ``model`` from all its vectors.

    Each language's mean is shrunk towards the global mean by ``prior`` pseudo-vectors
    (``centroids.CENTROID_PRIOR``).
    A language with fewer than ``min_count`` vectors stores the global mean (key ``"*"``
    holds it too). Languages with no vectors left are deleted.
    """
    sums: dict[str, np.ndarray] = {}
    counts: dict[str, int] = {}
    rows = (
        TextEmbedding.objects.filter(model=model)
        .order_by("id")
        .values_list("language", "vector")
        .iterator(chunk_size=_STREAM_CHUNK)
    )
    buffer: list[tuple[str, bytes]] = []

    def flush() -> None:
        if not buffer:
            return
        block = np.frombuffer(b"".join(bytes(v) for _l, v in buffer), dtype=np.float32)
        block = block.reshape(len(buffer), -1).astype(np.float64)
        langs = np.asarray([lang for lang, _v in buffer], dtype=object)
        for language in set(langs.tolist()):
            mask = langs == language
            total = block[mask].sum(axis=0)
            sums[language] = sums[language] + total if language in sums else total
            counts[language] = counts.get(language, 0) + int(mask.sum())
        buffer.clear()

    for row in rows:
        buffer.append(row)
        if len(buffer) == _STREAM_CHUNK:
            flush()
    flush()
    centroids, out_counts = centroids_from_sums(sums, counts, min_count=min_count, prior=prior)
    with transaction.atomic():
        LanguageCentroid.objects.filter(model=model).exclude(language__in=list(centroids)).delete()
        if centroids:
            LanguageCentroid.objects.bulk_create(
                [
                    LanguageCentroid(
                        model=model,
                        language=language,
                        count=out_counts[language],
                        vector=vector_to_bytes(vector),
                    )
                    for language, vector in sorted(centroids.items())
                ],
                update_conflicts=True,
                unique_fields=["model", "language"],
                update_fields=["count", "vector", "updated_at"],
            )
    return centroids


def centroids_load(*, model: str) -> dict[str, np.ndarray]:
    """The stored centroids of ``model`` (empty until :func:`centroids_recompute` ran)."""
    return {
        language: vector_from_bytes(vector).copy()
        for language, vector in LanguageCentroid.objects.filter(model=model).values_list(
            "language", "vector"
        )
    }


def embedding_progress(*, model: str) -> tuple[int, int]:
    """(texts with a vector of ``model``, texts in the catalogue), for status displays."""
    total = TitleText.objects.count()
    embedded = (
        TextEmbedding.objects.filter(model=model, part=FULL)
        .filter(
            Exists(
                TitleText.objects.filter(
                    title_id=OuterRef("title_id"), language=OuterRef("language")
                )
            )
        )
        .count()
    )
    return embedded, total


__all__ = [
    "FULL",
    "GLOBAL",
    "SHORT",
    "centroids_load",
    "centroids_recompute",
    "content_sha",
    "embedding_progress",
    "text_passages",
    "title_facet_lines",
    "title_texts_embed",
    "vector_from_bytes",
    "vector_to_bytes",
    "vectors_load",
]

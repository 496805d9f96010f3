"""Keyword search on the real database (SQLite FTS5 or PostgreSQL tsvector)."""

from __future__ import annotations

import numpy as np
import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reelmarket.catalogue.models import Title
from reelmarket.discovery import keyword
from reelmarket.discovery.documents import (
    avails_values,
    document_values,
    documents_write,
    facet_values,
)
from reelmarket.discovery.keyword import KeywordResult, keyword_available, keyword_search
from reelmarket.discovery.models import SearchDocument, SearchName
from reelmarket.discovery.text import (
    MAX_QUERY_CHARS,
    QueryTooLong,
    _index_form_whole,
    exact_key,
    fts5_match,
    index_form,
    parse_query,
    tsquery,
)
from tests.factories import RightsWindowFactory, TitleFactory, TitleTextFactory

pytestmark = pytest.mark.django_db

TEXTS = {
    "vi": ("Ngôi nhà nhỏ", "Phim hoạt hình gia đình về một chú rồng nhỏ ở Đà Lạt."),
    "zh_hant": ("校園愛情喜劇", "一部關於喪屍的校園愛情喜劇。"),
    "zh_hans": ("丧尸围城", "丧尸爆发后，一群学生在城市里求生。"),
    "fr": ("Nuit à Séoul", "Un polar coréen haletant dans les rues de Séoul."),
    "ja": ("東京の夜", "アニメ映画の世界で、少女は東京を旅する。"),
    "ko": ("서울의 밤", "한국 영화 속 형사는 서울의 밤을 달린다."),
    "th": ("รักแท้", "ภาพยนตร์ที่รักของครอบครัวไปเที่ยวทะเล"),
    "en": ("Family Matters", "A polar bear family drifts on the ice."),
    "exact": ("Love", "Nothing else here."),
    "lover": ("Lovers in Love", "Love story of love and more love, love, love."),
}


def _doc(name: str, body: str) -> int:
    title = TitleFactory(original_title=name)
    SearchDocument.objects.create(
        title=title, names=index_form(name), body=index_form(f"{name} {body}")
    )
    SearchName.objects.create(title=title, key=exact_key(name))
    return title.pk


@pytest.fixture
def docs(db):
    return {key: _doc(name, body) for key, (name, body) in TEXTS.items()}


def _found(query: str) -> set[int]:
    result = keyword_search(query=query)
    assert set(result.ranked) == set(result.matched.tolist())  # few docs: all ranked
    return set(result.ranked)


def test_index_exists():
    assert keyword_available() is True


@pytest.mark.parametrize(
    ("query", "keys"),
    [
        ("phim hoạt hình gia đình", {"vi"}),
        ("phim hoat hinh gia dinh", {"vi"}),
        ("PHIM HOAT", {"vi"}),
        ("da lat", {"vi"}),
        ("校园爱情喜剧", {"zh_hant"}),
        ("校園愛情喜劇", {"zh_hant"}),
        ("polar coréen", {"fr"}),
        ("Polar coreen", {"fr"}),
        ("polar", {"fr", "en"}),
        ("丧尸", {"zh_hant", "zh_hans"}),
        ("喪屍", {"zh_hant", "zh_hans"}),
        ("爱", {"zh_hant"}),
        ("愛情", {"zh_hant"}),
        ("城", {"zh_hans"}),  # last character of a run
        ("东京", {"ja"}),  # Traditional/Japanese 東 folds to 东 on both sides
        ("アニメ", {"ja"}),
        ("서울", {"ko"}),
        ("영", {"ko"}),
        ("ไป", {"th"}),
        ("รัก", {"th"}),
        ("ที่รัก", {"th"}),
        ("ng", {"vi"}),
        ("séoul nuit", {"fr"}),
        ("polar family", {"en"}),
        ("family polar bear", {"en"}),
        ("bear polar", {"en"}),  # chunks match in any order
        ("bear-polar", set()),  # inside one chunk, the order counts
        ("polarbear", set()),
        ("dragon", set()),
    ],
)
def test_multilingual_queries(docs, query, keys):
    assert _found(query) == {docs[k] for k in keys}


def test_exact_title_first_then_names_then_body(docs):
    result = keyword_search(query="love")
    assert result.exact == frozenset({docs["exact"]})
    assert result.ranked == [docs["exact"], docs["lover"]]
    assert result.matched.dtype == np.int64
    assert sorted(result.matched.tolist()) == sorted([docs["exact"], docs["lover"]])


def test_body_matches_rank_after_name_matches(docs):
    in_body = _doc("Something", "family family family")
    result = keyword_search(query="family")
    assert result.ranked == [docs["en"], in_body]
    assert result.exact == frozenset()


def test_limit_and_max_matches(db):
    ids = [_doc(f"Storm {i}", "storm at sea") for i in range(5)]
    result = keyword_search(query="storm", limit=2, max_matches=3)
    assert len(result.ranked) == 2
    assert set(result.ranked) <= set(ids)
    assert len(result.matched) == 3
    empty = keyword_search(query="storm", limit=0)
    assert (empty.ranked, empty.matched.size, empty.exact) == ([], 0, frozenset())


def test_index_follows_updates_and_deletes(db):
    pk = _doc("Red Lantern", "a lantern festival")
    assert _found("lantern") == {pk}
    SearchDocument.objects.filter(pk=pk).update(names=index_form("Blue Kite"), body="")
    assert _found("lantern") == set()
    assert _found("kite") == {pk}
    SearchDocument.objects.filter(pk=pk).delete()
    assert _found("kite") == set()


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        '"',
        '""',
        "*",
        "NEAR(",
        "NEAR(a b)",
        "AND OR NOT",
        "col:",
        "names:love",
        "((love",
        "love))",
        "\x00",
        "a\x00b",
        "'",
        "\\",
        "^love",
        "-love",
        "love*",
        "{names}: x",
        "'; DROP TABLE discovery_searchdocument; --",
        "a & b | !c <-> d:*",
    ],
)
def test_bad_input_never_raises(docs, query):
    result = keyword_search(query=query)
    assert isinstance(result, KeywordResult)
    assert set(result.ranked) <= set(result.matched.tolist())


def test_bad_input_keeps_the_words(docs):
    assert keyword_search(query='"love').ranked == [docs["exact"], docs["lover"]]
    assert keyword_search(query="love)").ranked == [docs["exact"], docs["lover"]]


def test_query_too_long(docs):
    assert keyword_search(query="x" * MAX_QUERY_CHARS).ranked == []
    with pytest.raises(QueryTooLong):
        keyword_search(query="love " * 2048)


def _execute(parsed) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            expression = fts5_match(parsed)
            if expression:
                cursor.execute(
                    "SELECT count(*) FROM discovery_fts WHERE discovery_fts MATCH %s",
                    [expression],
                )
                cursor.fetchone()
        else:
            for table in ("discovery_kwtext", "discovery_kwname"):
                for text in (tsquery(parsed), tsquery(parsed, phrases=False)):
                    cursor.execute(
                        f"SELECT count(*) FROM {table} "  # noqa: S608 (fixed names)
                        "WHERE tsv @@ to_tsquery('simple', %s)",
                        [text],
                    )
                    cursor.fetchone()


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.text(max_size=60))
def test_arbitrary_queries_are_valid_sql(docs, text):
    _execute(parse_query(text))
    keyword_search(query=text)


# --- index form cache, bounded ranking, PostgreSQL match semantics, bulk documents ------

MIXED = st.text(
    alphabet=st.sampled_from(
        [
            *"ab Éé đ 喪屍愛情校园、。，！？《》「」\u3000 \t\nไปรัก한국アニメ々〇ー-_'\"0129",
            *("\u0301", "\u0e34", "\ufc5e", "\u00a0", "Σ", "ς"),
        ]
    ),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(MIXED)
def test_cached_index_form_equals_the_whole_text_form(text):
    assert index_form(text) == _index_form_whole(text)


@pytest.mark.parametrize("text", [name + " " + body for name, body in TEXTS.values()])
def test_cached_index_form_on_the_sample_texts(text):
    assert index_form(text) == _index_form_whole(text)


def test_and_tsquery_drops_adjacency_only():
    parsed = parse_query("bear-polar 爱")
    assert tsquery(parsed) == "('bear' <-> 'polar') & ('爱':*)"
    assert tsquery(parsed, phrases=False) == "('bear' & 'polar') & ('爱':*)"


def test_phrase_order_counts_when_few_titles_hold_the_words(docs):
    result = keyword_search(query="bear-polar")
    assert (result.ranked, result.matched.tolist()) == ([], [])


def test_postgres_keeps_the_and_superset_above_the_phrase_check(docs, monkeypatch):
    monkeypatch.setattr(keyword, "PG_PHRASE_CHECK_BELOW", 0)
    result = keyword_search(query="bear-polar")
    assert result.ranked == []  # ranked ids are always true phrase matches
    expected = [docs["en"]] if connection.vendor == "postgresql" else []
    assert result.matched.tolist() == expected


def test_windows_bound_ranking_but_not_matching(db, monkeypatch):
    for name in ("RANK_WINDOW", "NAME_WINDOW", "PG_RANK_WINDOW", "PG_NAME_WINDOW"):
        monkeypatch.setattr(keyword, name, 2)
    body = [_doc(f"Other {i}", "a harbour town") for i in range(4)]
    named = [_doc(f"Harbour {i}", "boats") for i in range(4)]
    result = keyword_search(query="harbour", limit=10)
    assert sorted(result.matched.tolist()) == sorted(named + body)
    # two from the names window, then what the body window of two adds (its first two
    # matches in index order may be the named titles again)
    assert 2 <= len(result.ranked) <= 4
    assert set(result.ranked[:2]) <= set(named)
    assert set(result.ranked[2:]) <= set(body)


def test_names_tier_follows_renames(db):
    pk = _doc("Red Lantern", "a red lantern festival")
    other = _doc("Festival Night", "lanterns")
    assert keyword_search(query="festival").ranked == [other, pk]
    SearchDocument.objects.filter(pk=pk).update(names=index_form("Festival of Light"))
    assert keyword_search(query="festival").ranked[:2] in ([other, pk], [pk, other])
    assert keyword_search(query="lantern").ranked == [pk]  # body still holds it
    SearchDocument.objects.filter(pk=other).delete()
    assert keyword_search(query="festival").ranked == [pk]


def test_bulk_documents_equal_the_per_title_values(db):
    title = TitleFactory(original_title="喪屍列車", original_language="zh-Hant")
    TitleTextFactory(title=title, language="en", name="Zombie Train", synopsis="Đà Lạt.")
    TitleTextFactory(title=title, language="zh-Hant", name="喪屍列車", logline="喪屍。列車")
    RightsWindowFactory(title=title, territories=["ASIA"], excluded=["CN"])
    RightsWindowFactory(
        title=title, status="sold", exclusive=False, territories=["VN"], ends_on=None
    )
    bare = TitleFactory()
    assert documents_write(title_ids=[title.pk, bare.pk, 10**9]) == 2
    for pk in (title.pk, bare.pk):
        loaded = Title.objects.prefetch_related(
            "texts", "genres", "countries", "languages", "credits", "rights"
        ).get(pk=pk)
        names, body, keys = document_values(loaded)
        document = SearchDocument.objects.get(pk=pk)
        assert (document.names, document.body) == (names, body)
        assert document.facets == facet_values(loaded)
        assert document.avails == avails_values(loaded)
        stored = set(SearchName.objects.filter(title_id=pk).values_list("key", flat=True))
        assert stored == keys
    assert keyword_search(query="丧尸 dalat").ranked == []
    assert keyword_search(query="丧尸 da lat").ranked == [title.pk]
    assert document_values(Title.objects.get(pk=title.pk))[2] == {"丧尸列车", "zombie train"}


def test_common_phrases_skip_bm25_but_keep_the_tiers(docs, monkeypatch):
    monkeypatch.setattr(keyword, "COMMON_DF", 1)  # every phrase counts as common
    assert keyword_search(query="love").ranked == [docs["exact"], docs["lover"]]
    assert _found("polar") == {docs["fr"], docs["en"]}
    assert _found("bear-polar") == set()


def test_a_large_match_set_is_ranked_within_its_first_matches(db, monkeypatch):
    # Above the window, PostgreSQL ranks the first ids of ``matched`` (read by primary key,
    # no second GIN scan) and SQLite its first RANK_WINDOW matches: ranking is bounded,
    # matching is not, and every ranked id is a match.
    for name in ("RANK_WINDOW", "PG_RANK_WINDOW", "NAME_WINDOW", "PG_NAME_WINDOW"):
        monkeypatch.setattr(keyword, name, 3)
    docs = [_doc(f"Tale {i}", "the old harbour town at dawn") for i in range(6)]
    result = keyword_search(query="old harbour", limit=10)
    assert sorted(result.matched.tolist()) == sorted(docs)
    assert len(result.ranked) == 3
    assert set(result.ranked) == set(result.matched.tolist()[:3])

"""Keyword search on the real database (SQLite FTS5 or PostgreSQL tsvector)."""

from __future__ import annotations

import numpy as np
import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reelmarket.discovery.keyword import KeywordResult, keyword_available, keyword_search
from reelmarket.discovery.models import SearchDocument, SearchName
from reelmarket.discovery.text import (
    MAX_QUERY_CHARS,
    QueryTooLong,
    exact_key,
    fts5_match,
    index_form,
    parse_query,
    tsquery,
)
from tests.factories import TitleFactory

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
            cursor.execute(
                "SELECT count(*) FROM discovery_searchdocument "
                "WHERE tsv @@ to_tsquery('simple', %s)",
                [tsquery(parsed, weights="A")],
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

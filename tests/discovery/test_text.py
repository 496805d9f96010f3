"""Text rules for keyword search: normalisation, index form, queries, highlighting."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reelmarket.discovery.text import (
    MAX_QUERY_CHARS,
    ParsedQuery,
    Phrase,
    QueryTooLong,
    exact_key,
    fts5_match,
    highlight,
    index_form,
    normalize,
    parse_query,
    snippet,
    tsquery,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Phim hoạt hình GIA ĐÌNH", "phim hoat hinh gia dinh"),
        ("Polar Coréen", "polar coreen"),
        ("喪屍", "丧尸"),
        ("校園愛情喜劇", "校园爱情喜剧"),
        ("Ｆｉｌｍ　２０２４", "film 2024"),  # NFKC: full-width letters, digits and space
        ("Straße", "strasse"),
        ("ภาพยนตร์ที่รัก", "ภาพยนตร์ที่รัก"),  # Thai marks kept
        ("हिन्दी फ़िल्म", "हिन्दी फ़िल्म"),  # Devanagari marks kept
        ("ガッツ", "ガッツ"),  # dakuten kept
    ],
)
def test_normalize(text, expected):
    assert normalize(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("校園愛情喜劇", "校园 园爱 爱情 情喜 喜剧 剧"),
        ("愛", "爱"),
        ("한국 영화", "한국 국 영화 화"),
        ("アニメ映画", "アニ ニメ メ映 映画 画"),
        ("รักแท้", "รัก กแ แท้ ท้"),
        ("X-Men: 2024, l'été!", "x men 2024 l ete"),
        ("手机iPhone壳", "手机 机 iphone 壳"),
        ("", ""),
        ("!!! ... ???", ""),
    ],
)
def test_index_form(text, expected):
    assert index_form(text) == expected


def test_exact_key_is_normalised_and_capped():
    assert exact_key("  Summer Lanterns!  ") == "summer lanterns"
    assert exact_key("喪屍·出籠") == "丧尸 出笼"
    assert exact_key("Đà Lạt") == "da lat"
    assert len(exact_key("word " * 200)) == 299  # cut at 300, trailing space dropped


@pytest.mark.parametrize(
    ("query", "phrases"),
    [
        ("爱", (Phrase(("爱",), prefix=True),)),
        ("愛情", (Phrase(("爱情",)),)),
        ("校园爱情喜剧", (Phrase(("校园", "园爱", "爱情", "情喜", "喜剧")),)),
        ("ng", (Phrase(("ng",), prefix=True),)),
        ("Polar coréen", (Phrase(("polar",)), Phrase(("coreen",)))),
        ("x-men", (Phrase(("x", "men")),)),
        ("手机iphone", (Phrase(("手机", "机", "iphone")),)),
        ("ไป", (Phrase(("ไป",)),)),
        ("รั", (Phrase(("รั",), prefix=True),)),  # one Thai character with its mark
        ("love love", (Phrase(("love",)),)),  # duplicates dropped
    ],
)
def test_parse_query(query, phrases):
    assert parse_query(query) == ParsedQuery(phrases)


@pytest.mark.parametrize("query", ["", "   ", '"', "*", "()", ":", "^", "\x00", "?!…"])
def test_queries_without_tokens_are_empty(query):
    parsed = parse_query(query)
    assert not parsed
    assert fts5_match(parsed) == ""
    assert tsquery(parsed) == ""


def test_query_too_long():
    assert parse_query("a" * MAX_QUERY_CHARS).phrases == (Phrase(("a" * 64,)),)
    with pytest.raises(QueryTooLong, match="at most 500"):
        parse_query("a" * (MAX_QUERY_CHARS + 1))
    assert issubclass(QueryTooLong, ValueError)


def test_syntax_characters_are_only_characters():
    parsed = parse_query('NEAR( "x" AND OR NOT col:y ^z * (a')
    assert fts5_match(parsed) == (
        '"near" AND "x" * AND "and" AND "or" * AND "not" AND "col y" * AND "z" * AND "a" *'
    )
    assert tsquery(parsed) == (
        "('near') & ('x':*) & ('and') & ('or':*) & ('not') & ('col' <-> 'y':*) & ('z':*) & ('a':*)"
    )


def test_fts5_match_column_and_tsquery_weights():
    parsed = parse_query("校园爱情 ng")
    assert fts5_match(parsed, column="names") == 'names : ("校园 园爱 爱情" AND "ng" *)'
    assert tsquery(parsed, weights="A") == "('校园':A <-> '园爱':A <-> '爱情':A) & ('ng':*A)"


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_never_raises_on_arbitrary_text(text):
    form = index_form(text)
    assert "  " not in form
    assert len(exact_key(text)) <= 300
    parsed = parse_query(text[:MAX_QUERY_CHARS])
    for phrase in parsed.phrases:
        assert phrase.tokens
        assert all(" " not in t and '"' not in t and "'" not in t for t in phrase.tokens)
    highlight(text, text[:50])
    snippet(text, text[:50], width=20)


@settings(max_examples=200, deadline=None)
@given(st.text(), st.text(max_size=40))
def test_highlight_segments_rebuild_the_text(text, query):
    segments = highlight(text, query)
    assert "".join(s for s, _ in segments) == text
    assert all(s for s, _ in segments)


def test_highlight_is_diacritic_case_and_script_insensitive():
    assert highlight("Phim hoạt hình gia đình", "hoat HINH") == [
        ("Phim ", False),
        ("hoạt", True),
        (" ", False),
        ("hình", True),
        (" gia đình", False),
    ]
    assert highlight("一部校園愛情喜劇。", "校园爱情") == [
        ("一部", False),
        ("校園愛情", True),
        ("喜劇。", False),
    ]
    assert highlight("Un polar coréen", "coreen") == [("Un polar ", False), ("coréen", True)]
    assert highlight("Nguyen Ngoc", "ng") == [
        ("Ng", True),
        ("uyen ", False),
        ("Ng", True),
        ("oc", False),
    ]
    assert highlight("no match here", "xyz") == [("no match here", False)]


def test_snippet_cuts_around_the_first_match():
    text = "alpha " * 40 + "the hidden dragon sleeps " + "omega " * 40
    segments = snippet(text, "dragon", width=60)
    assert segments[0] == ("…", False)
    assert segments[-1] == ("…", False)
    assert [s for s, hit in segments if hit] == ["dragon"]
    assert sum(len(s) for s, _ in segments[1:-1]) == 60
    assert snippet("short text", "text", width=60) == [("short ", False), ("text", True)]
    assert snippet("x" * 100, "nothing", width=10) == [("x" * 10, False), ("…", False)]

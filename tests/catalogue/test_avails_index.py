"""Availability segments and the vectorised index: exact cases, then proof against the algebra."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reelmarket.catalogue.avails.algebra import Query, Window, WindowStatus, check_availability
from reelmarket.catalogue.avails.index import (
    COUNTRY_ORDER,
    OPEN_END,
    AvailsIndex,
    Segment,
    country_mask,
    mask_countries,
    mask_words,
    segments_from_json,
    segments_to_json,
    title_segments,
)
from reelmarket.catalogue.avails.media import Media
from reelmarket.catalogue.avails.territories import COUNTRY_CODES, UnknownTerritory, expand

AVAILABLE = WindowStatus.AVAILABLE
SOLD = WindowStatus.SOLD
ON_HOLD = WindowStatus.ON_HOLD
SVOD = Media.SVOD
D = date


def win(countries, start, end, *, media=SVOD, exclusive=True, status=AVAILABLE):
    return Window(
        media=media,
        countries=frozenset(countries),
        start=start,
        end=end,
        exclusive=exclusive,
        status=status,
    )


def index_of(*titles):
    return AvailsIndex.build([title_segments(windows) for windows in titles])


def ask(index, countries, start, end, *, media=SVOD, exclusive=True):
    return index.available(
        media=media,
        countries_mask=country_mask(countries),
        start=start,
        end=end,
        exclusive=exclusive,
    ).tolist()


def algebra(windows, countries, start, end, *, media=SVOD, exclusive=True):
    query = Query(
        media=media, countries=frozenset(countries), start=start, end=end, exclusive=exclusive
    )
    return check_availability(windows=windows, query=query).available


# --------------------------------------------------------------------------------------
# Masks and JSON


def test_country_mask_bits_follow_sorted_codes():
    assert tuple(sorted(COUNTRY_CODES)) == COUNTRY_ORDER
    assert COUNTRY_ORDER[0] == "AD"
    assert country_mask(["AD"]) == 1
    assert country_mask(["AD", "AE"]) == 3
    last = len(COUNTRY_ORDER) - 1
    assert country_mask([COUNTRY_ORDER[last]]) == 1 << last
    assert mask_countries(country_mask(["VN", "JP", "HK"])) == {"VN", "JP", "HK"}
    assert mask_words(1 << 64 | 5) == (5, 1, 0, 0)
    assert country_mask([]) == 0


def test_country_mask_rejects_groups_unknown_codes_and_strings():
    with pytest.raises(UnknownTerritory):
        country_mask(["ASEAN"])
    with pytest.raises(UnknownTerritory):
        country_mask(["XX"])
    with pytest.raises(TypeError):
        country_mask("VN")


def test_segments_of_a_sale_inside_a_held_window():
    ww = expand(include=["WW"])
    windows = [
        win(ww, D(2024, 1, 1), D(2030, 12, 31)),
        win({"VN"}, D(2025, 1, 1), D(2026, 12, 31), status=SOLD),
    ]
    all_mask = country_mask(ww)
    vn = country_mask({"VN"})
    assert title_segments(windows) == {
        "svod": [
            Segment(D(2024, 1, 1).toordinal(), D(2024, 12, 31).toordinal(), all_mask, all_mask),
            Segment(
                D(2025, 1, 1).toordinal(),
                D(2026, 12, 31).toordinal(),
                all_mask & ~vn,
                all_mask & ~vn,
            ),
            Segment(D(2027, 1, 1).toordinal(), D(2030, 12, 31).toordinal(), all_mask, all_mask),
        ]
    }


def test_segments_merge_equal_neighbours_and_drop_empty_ones():
    windows = [
        win({"TH"}, D(2024, 1, 1), D(2026, 12, 31)),
        win({"TH"}, D(2027, 1, 1), None),
        win({"JP"}, D(2024, 1, 1), None, media=Media.AVOD, status=SOLD),  # nothing usable
        win(set(), D(2024, 1, 1), None, media=Media.FREE_TV),
    ]
    th = country_mask({"TH"})
    assert title_segments(windows) == {
        "svod": [Segment(D(2024, 1, 1).toordinal(), OPEN_END, th, th)]
    }


def test_non_exclusive_sale_leaves_non_exclusive_availability():
    windows = [
        win({"TH", "VN"}, D(2024, 1, 1), D(2024, 12, 31), exclusive=False),
        win({"VN"}, D(2024, 3, 1), D(2024, 3, 31), exclusive=False, status=ON_HOLD),
    ]
    th_vn = country_mask({"TH", "VN"})
    assert title_segments(windows) == {
        "svod": [Segment(D(2024, 1, 1).toordinal(), D(2024, 12, 31).toordinal(), th_vn, 0)]
    }


def test_json_round_trip_is_compact():
    windows = [
        win(expand(include=["WW"], exclude=["CN"]), D(2024, 1, 1), None),
        win({"VN"}, D(2025, 1, 1), D(2026, 12, 31), status=SOLD, exclusive=False),
        win({"JP"}, D(2025, 1, 1), D(2026, 12, 31), media=Media.AVOD, exclusive=False),
    ]
    segments = title_segments(windows)
    data = segments_to_json(segments)
    assert segments_from_json(data) == segments
    assert data["media"]["avod"] == [[D(2025, 1, 1).toordinal(), D(2026, 12, 31).toordinal(), 0, 1]]
    assert data["masks"][:2] == [format(country_mask({"JP"}), "x"), "0"]
    assert segments_from_json({}) == {}
    assert segments_from_json(None) == {}


# --------------------------------------------------------------------------------------
# The index on hand-written cases (each also checked against the algebra)

ASEAN = expand(include=["ASEAN"])


def test_exclusive_sale_in_vietnam_blocks_both_kinds_of_query():
    held = win(ASEAN, D(2024, 1, 1), D(2030, 12, 31))
    sold = win({"VN"}, D(2025, 1, 1), D(2026, 12, 31), status=SOLD)
    index = index_of([held, sold], [held])
    term = (D(2025, 6, 1), D(2025, 12, 31))
    assert ask(index, {"VN"}, *term, exclusive=True) == [False, True]
    assert ask(index, {"VN"}, *term, exclusive=False) == [False, True]
    assert ask(index, ASEAN, *term, exclusive=False) == [False, True]
    assert ask(index, {"TH"}, *term, exclusive=True) == [True, True]
    # After the sale ends, Vietnam is open again.
    assert ask(index, {"VN"}, D(2027, 1, 1), D(2030, 12, 31)) == [True, True]
    assert ask(index, {"VN"}, D(2026, 12, 31), D(2027, 1, 1)) == [False, True]
    assert algebra([held, sold], {"VN"}, *term, exclusive=False) is False


def test_non_exclusive_sale_blocks_only_exclusive_queries():
    held = win({"VN", "TH"}, D(2024, 1, 1), D(2030, 12, 31))
    sold = win({"VN"}, D(2025, 1, 1), D(2026, 12, 31), status=SOLD, exclusive=False)
    index = index_of([held, sold])
    term = (D(2025, 6, 1), D(2025, 12, 31))
    assert ask(index, {"VN"}, *term, exclusive=True) == [False]
    assert ask(index, {"VN"}, *term, exclusive=False) == [True]
    assert ask(index, {"VN", "TH"}, *term, exclusive=False) == [True]
    assert ask(index, {"TH"}, *term, exclusive=True) == [True]
    assert algebra([held, sold], {"VN"}, *term, exclusive=True) is False
    assert algebra([held, sold], {"VN"}, *term, exclusive=False) is True


def test_non_exclusive_rights_serve_only_non_exclusive_queries():
    index = index_of([win({"TH"}, D(2024, 1, 1), None, exclusive=False)])
    assert ask(index, {"TH"}, D(2025, 1, 1), D(2025, 2, 1), exclusive=False) == [True]
    assert ask(index, {"TH"}, D(2025, 1, 1), D(2025, 2, 1), exclusive=True) == [False]


def test_chained_windows_cover_the_term():
    windows = [
        win({"TH"}, D(2024, 1, 1), D(2026, 12, 31)),
        win({"TH"}, D(2027, 1, 1), D(2030, 12, 31)),
    ]
    gap = [win({"TH"}, D(2024, 1, 1), D(2026, 12, 31)), win({"TH"}, D(2027, 1, 2), D(2030, 12, 31))]
    index = index_of(windows, gap)
    assert ask(index, {"TH"}, D(2025, 1, 1), D(2028, 12, 31)) == [True, False]
    assert ask(index, {"TH"}, D(2027, 1, 2), D(2028, 12, 31)) == [True, True]
    assert ask(index, {"TH"}, D(2026, 12, 31), D(2026, 12, 31)) == [True, True]
    assert ask(index, {"TH"}, D(2027, 1, 1), D(2027, 1, 1)) == [True, False]
    assert ask(index, {"TH"}, D(2028, 1, 1), D(2031, 1, 1)) == [False, False]


def test_worldwide_minus_china():
    ww_ex_cn = expand(include=["WW"], exclude=["CN"])
    index = index_of([win(ww_ex_cn, D(2024, 1, 1), D(2030, 12, 31))])
    term = (D(2025, 1, 1), D(2025, 12, 31))
    assert ask(index, ww_ex_cn, *term) == [True]
    assert ask(index, {"HK", "TW", "MO"}, *term) == [True]
    assert ask(index, {"CN"}, *term) == [False]
    assert ask(index, expand(include=["GREATER_CHINA"]), *term) == [False]
    assert ask(index, expand(include=["WW"]), *term) == [False]


def test_open_ended_rights_and_queries_up_to_date_max():
    index = index_of(
        [win({"TH"}, D(2024, 1, 1), None)], [win({"TH"}, D(2024, 1, 1), D(9999, 12, 30))]
    )
    assert ask(index, {"TH"}, D(2090, 1, 1), D(2099, 12, 31)) == [True, True]
    assert ask(index, {"TH"}, D(2024, 1, 1), D(9999, 12, 31)) == [True, False]
    assert ask(index, {"TH"}, D(9999, 12, 31), D(9999, 12, 31)) == [True, False]
    assert ask(index, {"TH"}, D(2023, 12, 31), D(2024, 1, 1)) == [False, False]


def test_other_media_and_untitled_positions():
    index = AvailsIndex.build([title_segments([win({"TH"}, D(2024, 1, 1), None)]), None, {}])
    assert index.size == 3
    term = (D(2025, 1, 1), D(2025, 12, 31))
    assert ask(index, {"TH"}, *term) == [True, False, False]
    assert ask(index, {"TH"}, *term, media=Media.AVOD) == [False, False, False]
    assert ask(index, {"TH"}, *term, media=Media.FORMAT) == [False, False, False]


def test_query_validation():
    index = index_of([])
    with pytest.raises(ValueError, match="no countries"):
        index.available(
            media="svod", countries_mask=0, start=D(2025, 1, 1), end=D(2025, 1, 2), exclusive=True
        )
    with pytest.raises(ValueError, match="before it starts"):
        index.available(
            media="svod", countries_mask=1, start=D(2025, 1, 2), end=D(2025, 1, 1), exclusive=True
        )


def test_update_remove_grow_and_compact():
    index = AvailsIndex()
    assert index.size == 0
    th = [win({"TH"}, D(2024, 1, 1), None)]
    vn = [win({"VN"}, D(2024, 1, 1), None, media=Media.AVOD)]
    index.update(4, title_segments(th))
    assert index.size == 5
    term = (D(2025, 1, 1), D(2025, 12, 31))
    assert ask(index, {"TH"}, *term) == [False, False, False, False, True]
    index.update(1, title_segments(th))
    index.update(4, title_segments(vn))
    assert ask(index, {"TH"}, *term) == [False, True, False, False, False]
    assert ask(index, {"VN"}, *term, media=Media.AVOD) == [False, False, False, False, True]
    index.remove(1)
    index.remove(99)  # unknown position: nothing happens
    assert index.size == 5
    assert ask(index, {"TH"}, *term) == [False] * 5
    index.compact()
    assert ask(index, {"VN"}, *term, media=Media.AVOD) == [False, False, False, False, True]
    index.update(2, title_segments(th))
    assert ask(index, {"TH"}, *term) == [False, False, True, False, False]
    assert index.nbytes > 0


def test_many_updates_trigger_compaction_and_keep_answers():
    index = AvailsIndex()
    for round_ in range(3):
        for position in range(4000):
            day = D(2024, 1, 1) + timedelta(days=(position * 7 + round_) % 900)
            index.update(position, title_segments([win({"TH"}, day, day + timedelta(days=30))]))
    got = index.available(
        media="svod",
        countries_mask=country_mask({"TH"}),
        start=D(2024, 1, 3),
        end=D(2024, 1, 20),
        exclusive=True,
    )
    expected = [
        (D(2024, 1, 1) + timedelta(days=(p * 7 + 2) % 900)) <= D(2024, 1, 3) for p in range(4000)
    ]
    assert got.tolist() == expected
    assert index._media["svod"].start.size < 3 * 4000  # dead profiles were dropped on the way


# --------------------------------------------------------------------------------------
# Proof against the algebra: random titles and queries, deterministic.

BASE = D(2025, 1, 1)
SPAN = 40
UNIVERSE = ("CN", "HK", "JP", "TH", "VN")
# Territories as the Django side expands them: single countries and groups.
TERRITORIES = (
    *({c} for c in UNIVERSE),
    frozenset({"HK", "CN"}),
    expand(include=["GREATER_CHINA"]),
    expand(include=["ASEAN"]),
    expand(include=["WW"], exclude=["CN"]),
    expand(include=["WW"]),
)
MEDIA = (Media.SVOD, Media.AVOD)
PROOF = settings(max_examples=2000, deadline=None, derandomize=True)

offsets = st.integers(min_value=0, max_value=SPAN - 1)
lengths = st.integers(min_value=0, max_value=SPAN)
media_st = st.sampled_from(MEDIA)
broad_st = st.sampled_from(TERRITORIES[-3:])
window_countries_st = st.one_of(
    st.frozensets(st.sampled_from(UNIVERSE), max_size=len(UNIVERSE)),
    st.sampled_from(TERRITORIES),
)
query_countries_st = st.one_of(
    st.frozensets(st.sampled_from(UNIVERSE), min_size=1), st.sampled_from(TERRITORIES)
)
statuses = st.sampled_from([AVAILABLE, AVAILABLE, SOLD, ON_HOLD])
one_in_six = st.integers(min_value=0, max_value=5)
early = st.integers(min_value=0, max_value=3)


@st.composite
def windows_st(draw, max_size=6):
    windows = []
    if draw(st.booleans()):
        # A broad held window, so that a fair share of queries is available.
        windows.append(
            Window(
                media=draw(media_st),
                countries=draw(broad_st),
                start=BASE - timedelta(days=draw(early)),
                end=None if draw(st.booleans()) else BASE + timedelta(days=SPAN),
                exclusive=draw(st.booleans()),
                status=AVAILABLE,
            )
        )
    for _ in range(draw(st.integers(min_value=0, max_value=max_size))):
        first = draw(offsets)
        length = draw(lengths)
        windows.append(
            Window(
                media=draw(media_st),
                countries=draw(window_countries_st),
                start=BASE + timedelta(days=first),
                end=None if draw(one_in_six) == 0 else BASE + timedelta(days=first + length),
                exclusive=draw(st.booleans()),
                status=draw(statuses),
            )
        )
    return windows


@st.composite
def queries_st(draw):
    first = draw(st.integers(min_value=-3, max_value=SPAN + 2))
    last = draw(st.integers(min_value=first, max_value=SPAN + 5))
    open_ended = draw(st.integers(min_value=0, max_value=9)) == 0
    return Query(
        media=draw(media_st),
        countries=draw(query_countries_st),
        start=BASE + timedelta(days=first),
        end=date.max if open_ended else BASE + timedelta(days=last),
        exclusive=draw(st.booleans()),
    )


def assert_matches_algebra(index, titles, queries):
    for q in queries:
        got = index.available(
            media=q.media,
            countries_mask=country_mask(q.countries),
            start=q.start,
            end=q.end,
            exclusive=q.exclusive,
        )
        expected = [check_availability(windows=w, query=q).available for w in titles]
        assert got.dtype == np.bool_
        assert got.tolist() == expected, q
        # Restricted to one title (the candidate path when there are 5+ positions) or to
        # every other title (the full path): the same answers there, False elsewhere.
        masks = [np.arange(index.size) == i for i in range(index.size)]
        masks.append(np.arange(index.size) % 2 == 0)
        for within in masks:
            got = index.available(
                media=q.media,
                countries_mask=country_mask(q.countries),
                start=q.start,
                end=q.end,
                exclusive=q.exclusive,
                within=within,
            )
            assert got.tolist() == [e and w for e, w in zip(expected, within, strict=True)]


@PROOF
@given(
    titles=st.lists(windows_st(), min_size=1, max_size=8),
    queries=st.lists(queries_st(), min_size=1, max_size=8),
)
def test_index_matches_algebra(titles, queries):
    index = AvailsIndex.build([title_segments(w) for w in titles])
    assert_matches_algebra(index, titles, queries)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(titles=st.lists(windows_st(), min_size=1, max_size=4))
def test_json_round_trip(titles):
    for windows in titles:
        segments = title_segments(windows)
        assert segments_from_json(segments_to_json(segments)) == segments


@settings(max_examples=250, deadline=None, derandomize=True)
@given(
    titles=st.lists(windows_st(), min_size=1, max_size=5),
    changes=st.lists(
        st.tuples(st.integers(min_value=0, max_value=7), st.none() | windows_st()), max_size=12
    ),
    queries=st.lists(queries_st(), min_size=1, max_size=4),
    compact=st.booleans(),
)
def test_incremental_updates_match_algebra(titles, changes, queries, compact):
    index = AvailsIndex.build([title_segments(w) for w in titles])
    current = list(titles)
    for position, windows in changes:
        if windows is None:
            index.remove(position)
            if position < len(current):
                current[position] = []
        else:
            index.update(position, title_segments(windows))
            current.extend([] for _ in range(position + 1 - len(current)))
            current[position] = windows
    if compact:
        index.compact()
    assert index.size == len(current)
    assert_matches_algebra(index, current, queries)

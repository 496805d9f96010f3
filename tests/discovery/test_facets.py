"""Facet filters and disjunctive counts: exact small cases, then against a naive reference."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reelmarket.catalogue.avails.algebra import Window, WindowStatus
from reelmarket.catalogue.avails.index import country_mask, title_segments
from reelmarket.catalogue.avails.media import Media
from reelmarket.discovery.facets import AvailsQuery, FacetFilters, FacetIndex, FacetRecord

D = date
TERM = (D(2025, 6, 1), D(2025, 12, 31))


def segs(*windows):
    return title_segments(windows)


HELD_FROM, HELD_UNTIL = D(2024, 1, 1), D(2030, 12, 31)


def held(countries, start=HELD_FROM, end=HELD_UNTIL, **kw):
    kw.setdefault("exclusive", True)
    kw.setdefault("status", WindowStatus.AVAILABLE)
    return Window(media=Media.SVOD, countries=frozenset(countries), start=start, end=end, **kw)


def rec(
    title_id,
    kind="feature",
    *,
    genres=("drama",),
    countries=("KR",),
    languages=("ko",),
    stage="completed",
    new=False,
    published=True,
    owner=1,
    year=2024,
    avails=None,
):
    return FacetRecord(
        title_id=title_id,
        kind=kind,
        stage=stage,
        new_this_market=new,
        published=published,
        owner_id=owner,
        year=year,
        genres=genres,
        countries=countries,
        languages=languages,
        avails=avails or {},
    )


SOLD_VN = segs(held({"VN", "TH"}), held({"VN"}, D(2025, 1, 1), D(2026, 12, 31), status="sold"))
OPEN_VN = segs(held({"VN", "TH"}))

RECORDS = [
    rec(
        1,
        "feature",
        genres=("drama", "romance"),
        countries=("KR",),
        languages=("ko", "en"),
        new=True,
        avails=OPEN_VN,
    ),
    rec(2, "feature", genres=("horror",), countries=("JP",), languages=("ja",), avails=SOLD_VN),
    rec(
        3,
        "series",
        genres=("drama",),
        countries=("KR", "JP"),
        languages=("ko",),
        new=True,
        stage="production",
        year=None,
        avails=OPEN_VN,
    ),
    rec(
        4,
        "series",
        genres=("comedy",),
        countries=("TH",),
        languages=("th", "en"),
        owner=2,
        year=2022,
    ),
    rec(
        5,
        "documentary",
        genres=("drama",),
        countries=("KR",),
        languages=("ko",),
        published=False,
        avails=OPEN_VN,
    ),
    rec(
        6,
        "feature",
        genres=("drama", "horror"),
        countries=("HK",),
        languages=("yue",),
        owner=2,
        year=2020,
        avails=OPEN_VN,
    ),
]


@pytest.fixture
def index():
    return FacetIndex.build(RECORDS)


def ids(index, mask):
    return sorted(index.title_ids(mask).tolist())


def test_mask_is_published_only_and_or_inside_and_across(index):
    assert index.size == 6
    assert ids(index, index.mask(FacetFilters())) == [1, 2, 3, 4, 6]
    assert ids(index, index.mask(FacetFilters(kinds=("feature", "series")))) == [1, 2, 3, 4, 6]
    assert ids(index, index.mask(FacetFilters(genres=("horror", "comedy")))) == [2, 4, 6]
    assert ids(index, index.mask(FacetFilters(kinds=("feature",), genres=("drama",)))) == [1, 6]
    assert ids(index, index.mask(FacetFilters(countries=("JP",)))) == [2, 3]
    assert ids(index, index.mask(FacetFilters(languages=("en",)))) == [1, 4]
    assert ids(index, index.mask(FacetFilters(stages=("production",)))) == [3]
    assert ids(index, index.mask(FacetFilters(new_only=True))) == [1, 3]
    assert ids(index, index.mask(FacetFilters(owner_id=2))) == [4, 6]
    assert ids(index, index.mask(FacetFilters(year_min=2021))) == [1, 2, 4]
    assert ids(index, index.mask(FacetFilters(year_max=2021))) == [6]
    assert ids(index, index.mask(FacetFilters(genres=("western",)))) == []
    base = index.mask_of([1, 2, 5, 99])
    assert ids(index, index.mask(FacetFilters(), base=base)) == [1, 2]
    both = FacetFilters(kinds=("series",), genres=("horror",))
    assert ids(index, index.mask(both, skip="kind")) == [2, 6]
    assert ids(index, index.mask(both, skip="genre")) == [3, 4]
    with pytest.raises(ValueError, match="Unknown facet"):
        index.mask(both, skip="colour")


def test_disjunctive_counts(index):
    filters = FacetFilters(kinds=("feature",), genres=("drama", "comedy"))
    counts = index.counts(filters)
    # kind: counted with the genre filter only (drama or comedy): 1, 3, 4, 6.
    assert counts["kind"] == {"feature": 2, "series": 2}
    # genre: counted with the kind filter only (features): 1, 2, 6.
    assert counts["genre"] == {"drama": 2, "horror": 2, "romance": 1, "comedy": 0}
    # the other facets: both filters apply -> titles 1 and 6.
    assert counts["country"] == {"HK": 1, "KR": 1}
    assert counts["language"] == {"en": 1, "ko": 1, "yue": 1}
    assert counts["stage"] == {"completed": 2}
    assert counts["new"] == {"false": 1, "true": 1}


def test_counts_without_filters_and_with_base(index):
    counts = index.counts(FacetFilters())
    assert counts["kind"] == {"feature": 3, "series": 2}
    assert counts["genre"] == {"drama": 3, "horror": 2, "comedy": 1, "romance": 1}
    assert counts["country"] == {"KR": 2, "JP": 2, "HK": 1, "TH": 1}
    assert counts["new"] == {"false": 3, "true": 2}
    counts = index.counts(FacetFilters(new_only=True), base=index.mask_of([1, 2, 4]))
    assert counts["kind"] == {"feature": 1}
    assert counts["new"] == {"false": 2, "true": 1}


def test_avails_filter_combines_with_facets(index):
    vn = AvailsQuery(
        media="svod",
        countries_mask=country_mask({"VN"}),
        start=TERM[0],
        end=TERM[1],
        exclusive=False,
    )
    filters = FacetFilters(avails=vn)
    assert ids(index, index.mask(filters)) == [1, 3, 6]
    # the answer just computed is reused for a smaller candidate set, and not a larger one
    assert ids(index, index.mask(filters, base=index.mask_of([1, 2, 3]))) == [1, 3]
    assert ids(index, index.mask(filters, base=index.mask_of([6]))) == [6]
    assert ids(index, index.mask(filters, base=index.mask_of([1, 2, 3, 6]))) == [1, 3, 6]
    assert ids(index, index.mask(replace(filters, kinds=("feature",)))) == [1, 6]
    counts = index.counts(replace(filters, kinds=("feature",)))
    assert counts["kind"] == {"feature": 2, "series": 1}
    assert counts["genre"] == {"drama": 2, "horror": 1, "romance": 1}
    by_territory = AvailsQuery(
        media="svod", territory="ASEAN", start=TERM[0], end=TERM[1], exclusive=False
    )
    assert ids(index, index.mask(FacetFilters(avails=by_territory))) == []
    th = replace(by_territory, territory="TH")
    assert ids(index, index.mask(FacetFilters(avails=th))) == [1, 2, 3, 6]
    other_media = replace(th, media="avod")
    assert ids(index, index.mask(FacetFilters(avails=other_media))) == []
    with pytest.raises(ValueError, match="countries_mask or territory"):
        index.mask(FacetFilters(avails=replace(th, territory=None)))


def test_upsert_remove_and_position_reuse(index):
    index.remove(np.array([2, 5, 42]))
    assert index.size == 4
    assert index.positions_of(np.array([2, 5, 1, 6])).tolist() == [-1, -1, 0, 5]
    assert ids(index, index.mask(FacetFilters())) == [1, 3, 4, 6]
    index.upsert([rec(7, "game", genres=("fantasy",), languages=("vi",), avails=SOLD_VN)])
    assert index.positions == 6  # a freed position was reused
    assert index.positions_of(np.array([7])).tolist()[0] in (1, 4)
    index.upsert([rec(1, "short", genres=("drama",))])
    counts = index.counts(FacetFilters())
    assert counts["kind"] == {"series": 2, "feature": 1, "game": 1, "short": 1}
    assert counts["language"]["vi"] == 1  # a new language tag just works
    index.upsert([rec(8 + i, avails=OPEN_VN) for i in range(40)])
    assert index.size == 45
    assert index.positions == 45  # the last free position, then 39 new ones
    assert ids(index, index.mask(FacetFilters(kinds=("game",)))) == [7]
    assert index.browse_order(index.mask(FacetFilters(kinds=("game", "short")))).tolist() == [7, 1]
    assert index.nbytes > 0


def test_empty_index():
    index = FacetIndex.build([])
    assert index.size == 0
    assert index.mask(FacetFilters()).tolist() == []
    assert index.positions_of(np.array([1])).tolist() == [-1]
    assert index.counts(FacetFilters(kinds=("feature",)))["kind"] == {"feature": 0}


# --------------------------------------------------------------------------------------
# Against a naive reference, with random records and update sequences.

KINDS = ("feature", "series", "short")
GENRES = ("drama", "horror", "comedy", "romance")
COUNTRIES = ("KR", "JP", "TH")
LANGUAGES = ("ko", "ja", "en", "th")
STAGES = ("completed", "production")
QUERY_AVAILS = (
    None,
    AvailsQuery(
        media="svod",
        countries_mask=country_mask({"VN"}),
        start=TERM[0],
        end=TERM[1],
        exclusive=False,
    ),
    AvailsQuery(media="svod", territory="TH", start=TERM[0], end=TERM[1], exclusive=True),
)
AVAILS = ({}, OPEN_VN, SOLD_VN)

records_st = st.builds(
    rec,
    st.integers(min_value=1, max_value=30),
    st.sampled_from(KINDS),
    genres=st.lists(st.sampled_from(GENRES), max_size=3).map(tuple),
    countries=st.lists(st.sampled_from(COUNTRIES), max_size=2).map(tuple),
    languages=st.lists(st.sampled_from(LANGUAGES), max_size=3).map(tuple),
    stage=st.sampled_from(STAGES),
    new=st.booleans(),
    published=st.booleans(),
    owner=st.sampled_from([1, 2]),
    year=st.sampled_from([None, 2020, 2024]),
    avails=st.sampled_from(AVAILS),
)


def subset(values):
    return st.lists(st.sampled_from(values), max_size=2, unique=True).map(tuple)


filters_st = st.builds(
    FacetFilters,
    kinds=subset(KINDS),
    genres=subset((*GENRES, "western")),
    countries=subset(COUNTRIES),
    languages=subset(LANGUAGES),
    stages=subset(STAGES),
    new_only=st.booleans(),
    owner_id=st.sampled_from([None, 1]),
    year_min=st.sampled_from([None, 2021]),
    year_max=st.sampled_from([None, 2022]),
    avails=st.sampled_from(QUERY_AVAILS),
)


def naive_passes(r, f, skip=None):
    if not r.published:
        return False
    if f.owner_id is not None and r.owner_id != f.owner_id:
        return False
    if f.year_min is not None and (r.year is None or r.year < f.year_min):
        return False
    if f.year_max is not None and (r.year is None or r.year > f.year_max):
        return False
    if f.avails is not None and r.title_id not in naive_available(r, f.avails):
        return False
    checks = {
        "kind": not f.kinds or r.kind in f.kinds,
        "genre": not f.genres or bool(set(r.genres) & set(f.genres)),
        "country": not f.countries or bool(set(r.countries) & set(f.countries)),
        "language": not f.languages or bool(set(r.languages) & set(f.languages)),
        "stage": not f.stages or r.stage in f.stages,
        "new": not f.new_only or r.new_this_market,
    }
    return all(ok for name, ok in checks.items() if name != skip)


def naive_available(r, q):
    """The title's id if its segments cover the term with the query countries inside."""
    mask = q.mask()
    lo, hi = q.start.toordinal(), q.end.toordinal()
    day = lo
    for s in r.avails.get(q.media, ()):
        if s.start <= day <= s.end and (s.excl if q.exclusive else s.nonexcl) & mask == mask:
            day = s.end + 1
    return {r.title_id} if day > hi else set()


def naive_values(r, name):
    return {
        "kind": (r.kind,),
        "genre": set(r.genres),
        "country": set(r.countries),
        "language": set(r.languages),
        "stage": (r.stage,),
        "new": ("true" if r.new_this_market else "false",),
    }[name]


def naive_counts(records, f, base_ids):
    selected = {
        "kind": f.kinds,
        "genre": f.genres,
        "country": f.countries,
        "language": f.languages,
        "stage": f.stages,
        "new": ("true",) if f.new_only else (),
    }
    result = {}
    for name in ("kind", "genre", "country", "language", "stage", "new"):
        counted = {}
        for r in records:
            if (base_ids is None or r.title_id in base_ids) and naive_passes(r, f, skip=name):
                for value in naive_values(r, name):
                    counted[value] = counted.get(value, 0) + 1
        for value in selected[name]:
            counted.setdefault(value, 0)
        result[name] = dict(sorted(counted.items(), key=lambda item: (-item[1], item[0])))
    return result


def check_against_naive(index, current, filters, base_ids):
    records = list(current.values())
    base = None if base_ids is None else index.mask_of(sorted(base_ids))
    expected = sorted(
        r.title_id
        for r in records
        if (base_ids is None or r.title_id in base_ids) and naive_passes(r, filters)
    )
    counts = naive_counts(records, filters, base_ids)
    assert ids(index, index.mask(filters, base=base)) == expected
    assert index.counts(filters, base=base) == counts
    mask, both = index.evaluate(filters, base=base)
    assert (ids(index, mask), both) == (expected, counts)
    for skip in ("kind", "genre", "new"):
        expected = sorted(
            r.title_id
            for r in records
            if (base_ids is None or r.title_id in base_ids) and naive_passes(r, filters, skip)
        )
        assert ids(index, index.mask(filters, base=base, skip=skip)) == expected


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    initial=st.lists(records_st, max_size=12),
    steps=st.lists(
        st.one_of(
            st.lists(records_st, min_size=1, max_size=4).map(lambda rs: ("upsert", rs)),
            st.lists(st.integers(min_value=1, max_value=30), max_size=4).map(
                lambda ids: ("remove", ids)
            ),
        ),
        max_size=6,
    ),
    queries=st.lists(
        st.tuples(filters_st, st.none() | st.sets(st.integers(min_value=1, max_value=30))),
        min_size=1,
        max_size=3,
    ),
)
def test_incremental_matches_rebuild_and_naive(initial, steps, queries):
    index = FacetIndex.build(initial)
    current = {r.title_id: r for r in initial}
    for action, payload in steps:
        if action == "upsert":
            index.upsert(payload)
            current.update({r.title_id: r for r in payload})
        else:
            index.remove(np.array(payload, dtype=np.int64))
            for title_id in payload:
                current.pop(title_id, None)
    fresh = FacetIndex.build(current.values())
    assert index.size == fresh.size == len(current)
    for filters, base_ids in queries:
        check_against_naive(index, current, filters, base_ids)
        check_against_naive(fresh, current, filters, base_ids)


@settings(max_examples=200, deadline=None)
@given(
    ids=st.lists(st.integers(min_value=1, max_value=10_000), unique=True, max_size=60),
    count=st.integers(min_value=0, max_value=80),
)
def test_the_newest_page_is_the_head_of_the_full_sort(ids, count):
    from reelmarket.discovery.selectors import _newest

    found = _newest(np.asarray(ids, dtype=np.int64), count)
    assert found.tolist() == sorted(ids, reverse=True)[:count]

"""The rights & avails algebra: exact examples, then properties against a day-by-day oracle."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reelmarket.catalogue.avails.algebra import (
    Availability,
    Query,
    Reason,
    ReasonCode,
    Window,
    WindowStatus,
    available_countries,
    check_availability,
)
from reelmarket.catalogue.avails.media import Media
from reelmarket.catalogue.avails.territories import COUNTRY_CODES, GROUPS, expand

AVAILABLE = WindowStatus.AVAILABLE
SOLD = WindowStatus.SOLD
ON_HOLD = WindowStatus.ON_HOLD
SVOD = Media.SVOD
D = date


def win(
    countries,
    start,
    end,
    *,
    media=SVOD,
    exclusive=True,
    status=AVAILABLE,
    counterparty="",
    ref=None,
):
    return Window(
        media=media,
        countries=frozenset(countries),
        start=start,
        end=end,
        exclusive=exclusive,
        status=status,
        counterparty=counterparty,
        ref=ref,
    )


def query(countries, start, end, *, media=SVOD, exclusive=True):
    return Query(
        media=media, countries=frozenset(countries), start=start, end=end, exclusive=exclusive
    )


def check(windows, q):
    return check_availability(windows=windows, query=q)


# --------------------------------------------------------------------------------------
# Available / NO_RIGHTS


def test_single_window_covers_query():
    windows = [win({"JP"}, D(2024, 1, 1), D(2030, 12, 31))]
    assert check(windows, query({"JP"}, D(2025, 1, 1), D(2026, 12, 31))) == Availability(
        available=True, reasons=()
    )


def test_no_windows_at_all_is_no_rights():
    result = check([], query({"VN"}, D(2025, 1, 1), D(2025, 12, 31)))
    assert result == Availability(
        available=False,
        reasons=(
            Reason(
                code=ReasonCode.NO_RIGHTS,
                media=SVOD,
                countries=frozenset({"VN"}),
                start=None,
                end=None,
            ),
        ),
    )
    assert not result
    assert result.reasons[0].message == "No SVOD rights held in Vietnam"


def test_rights_in_other_media_or_countries_are_no_rights():
    windows = [
        win({"VN"}, D(2020, 1, 1), None, media=Media.AVOD),
        win({"TH"}, D(2020, 1, 1), None),
    ]
    (reason,) = check(windows, query({"VN"}, D(2025, 1, 1), D(2025, 12, 31))).reasons
    assert reason.code is ReasonCode.NO_RIGHTS
    assert reason.countries == {"VN"}


def test_window_with_no_countries_is_ignored():
    windows = [win(set(), D(2020, 1, 1), None)]
    (reason,) = check(windows, query({"VN"}, D(2025, 1, 1), D(2025, 12, 31))).reasons
    assert reason.code is ReasonCode.NO_RIGHTS


# --------------------------------------------------------------------------------------
# OUTSIDE_WINDOW, chaining, open-ended


def test_chained_windows_cover_query():
    windows = [
        win({"TH"}, D(2024, 1, 1), D(2026, 12, 31)),
        win({"TH"}, D(2027, 1, 1), D(2030, 12, 31)),
    ]
    assert check(windows, query({"TH"}, D(2025, 1, 1), D(2028, 12, 31))).available


def test_overlapping_windows_cover_query():
    windows = [
        win({"TH"}, D(2024, 1, 1), D(2027, 6, 30)),
        win({"TH"}, D(2026, 1, 1), D(2030, 12, 31)),
    ]
    assert check(windows, query({"TH"}, D(2025, 1, 1), D(2028, 12, 31))).available


def test_open_ended_window_covers_far_future():
    windows = [win({"TH"}, D(2024, 1, 1), None)]
    assert check(windows, query({"TH"}, D(2090, 1, 1), D(2099, 12, 31))).available
    assert check(windows, query({"TH"}, D(2024, 1, 1), D(9999, 12, 31))).available


def test_rights_end_before_query_end():
    windows = [win({"TH"}, D(2024, 1, 1), D(2026, 6, 30), ref=7)]
    (reason,) = check(windows, query({"TH"}, D(2025, 1, 1), D(2027, 12, 31))).reasons
    assert reason == Reason(
        code=ReasonCode.OUTSIDE_WINDOW,
        media=SVOD,
        countries=frozenset({"TH"}),
        start=D(2026, 7, 1),
        end=D(2027, 12, 31),
        held_until=D(2026, 6, 30),
    )
    assert reason.message == "SVOD rights in Thailand end on 2026-06-30"


def test_rights_start_after_query_start():
    windows = [win({"TH"}, D(2025, 3, 1), None)]
    (reason,) = check(windows, query({"TH"}, D(2025, 1, 1), D(2025, 12, 31))).reasons
    assert reason.code is ReasonCode.OUTSIDE_WINDOW
    assert (reason.start, reason.end) == (D(2025, 1, 1), D(2025, 2, 28))
    assert (reason.held_until, reason.held_from) == (None, D(2025, 3, 1))
    assert reason.message == "SVOD rights in Thailand start on 2025-03-01"


def test_gap_between_windows():
    windows = [
        win({"TH"}, D(2024, 1, 1), D(2026, 12, 31)),
        win({"TH"}, D(2027, 7, 1), D(2030, 12, 31)),
    ]
    (reason,) = check(windows, query({"TH"}, D(2025, 1, 1), D(2028, 12, 31))).reasons
    assert reason.code is ReasonCode.OUTSIDE_WINDOW
    assert (reason.start, reason.end) == (D(2027, 1, 1), D(2027, 6, 30))
    assert (reason.held_until, reason.held_from) == (D(2026, 12, 31), D(2027, 7, 1))
    assert reason.message == "No SVOD rights held in Thailand from 2027-01-01 to 2027-06-30"


def test_rights_only_outside_the_term():
    windows = [win({"TH"}, D(2020, 1, 1), D(2021, 12, 31))]
    (reason,) = check(windows, query({"TH"}, D(2025, 1, 1), D(2025, 12, 31))).reasons
    assert reason.code is ReasonCode.OUTSIDE_WINDOW
    assert (reason.start, reason.end) == (D(2025, 1, 1), D(2025, 12, 31))
    assert (reason.held_until, reason.held_from) == (None, None)
    assert reason.message == "No SVOD rights held in Thailand from 2025-01-01 to 2025-12-31"


def test_several_gaps_give_several_reasons():
    windows = [
        win({"TH"}, D(2025, 2, 1), D(2025, 2, 28)),
        win({"TH"}, D(2025, 4, 1), D(2025, 4, 30)),
    ]
    reasons = check(windows, query({"TH"}, D(2025, 1, 1), D(2025, 5, 31))).reasons
    assert [(r.code, r.start, r.end, r.held_until, r.held_from) for r in reasons] == [
        (ReasonCode.OUTSIDE_WINDOW, D(2025, 1, 1), D(2025, 1, 31), None, D(2025, 2, 1)),
        (ReasonCode.OUTSIDE_WINDOW, D(2025, 3, 1), D(2025, 3, 31), D(2025, 2, 28), D(2025, 4, 1)),
        (ReasonCode.OUTSIDE_WINDOW, D(2025, 5, 1), D(2025, 5, 31), D(2025, 4, 30), None),
    ]


def test_one_day_windows_and_queries():
    windows = [win({"TH"}, D(2025, 1, 1), D(2025, 1, 1))]
    assert check(windows, query({"TH"}, D(2025, 1, 1), D(2025, 1, 1))).available
    (reason,) = check(windows, query({"TH"}, D(2025, 1, 2), D(2025, 1, 2))).reasons
    assert (reason.start, reason.end, reason.held_until) == (
        D(2025, 1, 2),
        D(2025, 1, 2),
        D(2025, 1, 1),
    )


# --------------------------------------------------------------------------------------
# Exclusivity of the rights held


def test_non_exclusive_rights_serve_non_exclusive_queries_only():
    windows = [win({"JP"}, D(2024, 1, 1), D(2030, 12, 31), exclusive=False)]
    q = query({"JP"}, D(2025, 1, 1), D(2025, 12, 31), exclusive=False)
    assert check(windows, q).available
    (reason,) = check(windows, replace(q, exclusive=True)).reasons
    assert reason == Reason(
        code=ReasonCode.NON_EXCLUSIVE_ONLY,
        media=SVOD,
        countries=frozenset({"JP"}),
        start=D(2025, 1, 1),
        end=D(2025, 12, 31),
    )
    assert reason.message == (
        "Only non-exclusive SVOD rights held in Japan from 2025-01-01 to 2025-12-31"
    )


def test_exclusive_then_non_exclusive_rights():
    windows = [
        win({"JP"}, D(2024, 1, 1), D(2025, 12, 31), exclusive=True),
        win({"JP"}, D(2024, 1, 1), D(2027, 12, 31), exclusive=False),
    ]
    (reason,) = check(windows, query({"JP"}, D(2025, 1, 1), D(2026, 12, 31))).reasons
    assert reason.code is ReasonCode.NON_EXCLUSIVE_ONLY
    assert (reason.start, reason.end) == (D(2026, 1, 1), D(2026, 12, 31))


def test_non_exclusive_only_is_not_reported_where_nothing_is_held():
    windows = [win({"JP"}, D(2025, 1, 1), D(2025, 6, 30), exclusive=False)]
    reasons = check(windows, query({"JP"}, D(2025, 1, 1), D(2025, 12, 31))).reasons
    assert [(r.code, r.start, r.end) for r in reasons] == [
        (ReasonCode.OUTSIDE_WINDOW, D(2025, 7, 1), D(2025, 12, 31)),
        (ReasonCode.NON_EXCLUSIVE_ONLY, D(2025, 1, 1), D(2025, 6, 30)),
    ]


# --------------------------------------------------------------------------------------
# SOLD / ON_HOLD


def test_exclusive_sale_blocks_both_kinds_of_query():
    windows = [
        win({"JP", "KR", "TW"}, D(2024, 1, 1), D(2030, 12, 31)),
        win(
            {"JP", "KR"},
            D(2025, 1, 1),
            D(2027, 12, 31),
            status=SOLD,
            counterparty="Netflix",
            ref=42,
        ),
    ]
    for exclusive in (True, False):
        q = query({"JP", "KR", "TW"}, D(2024, 6, 1), D(2028, 6, 30), exclusive=exclusive)
        (reason,) = check(windows, q).reasons
        assert reason == Reason(
            code=ReasonCode.SOLD,
            media=SVOD,
            countries=frozenset({"JP", "KR"}),
            start=D(2025, 1, 1),
            end=D(2027, 12, 31),
            counterparty="Netflix",
            ref=42,
            exclusive=True,
        )
        assert reason.message == (
            "Sold to Netflix for SVOD in Japan, South Korea from 2025-01-01 to 2027-12-31"
        )


def test_out_window_overlap_is_clipped_to_the_query():
    windows = [win({"JP"}, D(2020, 1, 1), D(2030, 12, 31), status=SOLD, counterparty="Netflix")]
    (reason,) = check(windows, query({"JP"}, D(2025, 3, 1), D(2025, 3, 31))).reasons
    assert (reason.start, reason.end) == (D(2025, 3, 1), D(2025, 3, 31))


def test_sale_outside_the_term_does_not_conflict():
    windows = [
        win({"JP"}, D(2020, 1, 1), None),
        win({"JP"}, D(2020, 1, 1), D(2024, 12, 31), status=SOLD, counterparty="Netflix"),
        win({"JP"}, D(2026, 1, 1), None, status=ON_HOLD, counterparty="Disney"),
    ]
    assert check(windows, query({"JP"}, D(2025, 1, 1), D(2025, 12, 31))).available


def test_sale_touching_the_first_day_conflicts_on_that_day():
    windows = [
        win({"JP"}, D(2020, 1, 1), None),
        win({"JP"}, D(2020, 1, 1), D(2025, 1, 1), status=SOLD, counterparty="Netflix"),
    ]
    (reason,) = check(windows, query({"JP"}, D(2025, 1, 1), D(2025, 12, 31))).reasons
    assert (reason.code, reason.start, reason.end) == (
        ReasonCode.SOLD,
        D(2025, 1, 1),
        D(2025, 1, 1),
    )
    assert check(windows, query({"JP"}, D(2025, 1, 2), D(2025, 12, 31))).available


def test_non_exclusive_sale_blocks_only_exclusive_queries():
    windows = [
        win({"KR"}, D(2024, 1, 1), D(2030, 12, 31)),
        win(
            {"KR"},
            D(2025, 1, 1),
            D(2025, 12, 31),
            exclusive=False,
            status=SOLD,
            counterparty="Wavve",
            ref="w1",
        ),
    ]
    q = query({"KR"}, D(2025, 1, 1), D(2026, 12, 31), exclusive=False)
    assert check(windows, q).available
    (reason,) = check(windows, replace(q, exclusive=True)).reasons
    assert (reason.code, reason.counterparty, reason.ref, reason.exclusive) == (
        ReasonCode.SOLD,
        "Wavve",
        "w1",
        False,
    )
    assert reason.message == (
        "Sold non-exclusively to Wavve for SVOD in South Korea from 2025-01-01 to 2025-12-31"
    )


def test_non_exclusive_sale_is_also_non_exclusive_rights_held():
    # The sold window alone: the owner holds non-exclusive rights there, and sold them.
    windows = [win({"KR"}, D(2025, 1, 1), D(2025, 12, 31), exclusive=False, status=SOLD)]
    q = query({"KR"}, D(2025, 1, 1), D(2025, 12, 31), exclusive=False)
    assert check(windows, q).available
    reasons = check(windows, replace(q, exclusive=True)).reasons
    assert [r.code for r in reasons] == [ReasonCode.NON_EXCLUSIVE_ONLY, ReasonCode.SOLD]
    assert reasons[1].message == (
        "Sold non-exclusively for SVOD in South Korea from 2025-01-01 to 2025-12-31"
    )


def test_holds():
    windows = [
        win({"SG"}, D(2024, 1, 1), None),
        win(
            {"SG"},
            D(2025, 6, 1),
            D(2025, 8, 31),
            status=ON_HOLD,
            counterparty="Cathay Pacific",
            ref=3,
        ),
        win({"SG"}, D(2025, 10, 1), D(2025, 10, 31), exclusive=False, status=ON_HOLD, ref=4),
    ]
    q = query({"SG"}, D(2025, 1, 1), D(2025, 12, 31), exclusive=True)
    reasons = check(windows, q).reasons
    assert [(r.code, r.start, r.end, r.counterparty, r.ref) for r in reasons] == [
        (ReasonCode.ON_HOLD, D(2025, 6, 1), D(2025, 8, 31), "Cathay Pacific", 3),
        (ReasonCode.ON_HOLD, D(2025, 10, 1), D(2025, 10, 31), "", 4),
    ]
    assert reasons[0].message == (
        "On hold for Cathay Pacific for SVOD in Singapore from 2025-06-01 to 2025-08-31"
    )
    assert reasons[1].message == (
        "On non-exclusive hold for SVOD in Singapore from 2025-10-01 to 2025-10-31"
    )
    (reason,) = check(windows, replace(q, exclusive=False)).reasons
    assert reason.ref == 3


def test_available_windows_never_conflict():
    windows = [
        win({"SG"}, D(2024, 1, 1), None, counterparty="ignored"),
        win({"SG"}, D(2024, 1, 1), None, exclusive=False),
    ]
    assert check(windows, query({"SG"}, D(2025, 1, 1), D(2025, 12, 31))).available


def test_other_media_sales_do_not_conflict():
    windows = [
        win({"JP"}, D(2020, 1, 1), None),
        win({"JP"}, D(2020, 1, 1), None, media=Media.AVOD),
        win({"JP"}, D(2020, 1, 1), None, media=Media.FREE_TV, status=SOLD),
    ]
    assert check(windows, query({"JP"}, D(2025, 1, 1), D(2025, 12, 31))).available


# --------------------------------------------------------------------------------------
# Several countries: grouping and ordering


def test_worldwide_query_groups_reasons():
    windows = [
        win(expand(include=["WW"], exclude=["CN"]), D(2024, 1, 1), D(2026, 6, 30), ref=1),
        win(
            {"JP", "KR"},
            D(2025, 1, 1),
            D(2027, 12, 31),
            status=SOLD,
            counterparty="Netflix",
            ref=2,
        ),
        win(expand(include=["ASEAN"]), D(2026, 7, 1), None, exclusive=False, ref=3),
        win({"HK"}, D(2026, 7, 1), D(2027, 12, 31), ref=4),
    ]
    q = query(COUNTRY_CODES, D(2025, 6, 1), D(2027, 6, 30))
    result = check(windows, q)
    assert not result.available
    asean = GROUPS["ASEAN"].members
    assert [(r.code, r.countries, r.start, r.end, r.ref) for r in result.reasons] == [
        (ReasonCode.NO_RIGHTS, {"CN"}, None, None, None),
        (
            ReasonCode.OUTSIDE_WINDOW,
            COUNTRY_CODES - {"CN", "JP", "KR", "HK"} - asean,
            D(2026, 7, 1),
            D(2027, 6, 30),
            None,
        ),
        (ReasonCode.NON_EXCLUSIVE_ONLY, asean, D(2026, 7, 1), D(2027, 6, 30), None),
        (ReasonCode.SOLD, {"JP", "KR"}, D(2025, 6, 1), D(2027, 6, 30), 2),
    ]
    messages = [r.message for r in result.reasons]
    assert messages == [
        "No SVOD rights held in China",
        "SVOD rights in Afghanistan, Åland Islands and 232 more end on 2026-06-30",
        "Only non-exclusive SVOD rights held in ASEAN from 2026-07-01 to 2027-06-30",
        "Sold to Netflix for SVOD in Japan, South Korea from 2025-06-01 to 2027-06-30",
    ]


def test_countries_with_different_windows_but_same_cause_share_one_reason():
    windows = [
        win({"JP"}, D(2024, 1, 1), D(2025, 12, 31), ref=1),
        win({"KR"}, D(2023, 1, 1), D(2025, 12, 31), ref=2),
        win({"TW"}, D(2024, 1, 1), D(2026, 3, 31), ref=3),
    ]
    reasons = check(windows, query({"JP", "KR", "TW"}, D(2025, 1, 1), D(2026, 12, 31))).reasons
    assert [(r.countries, r.start, r.message) for r in reasons] == [
        ({"JP", "KR"}, D(2026, 1, 1), "SVOD rights in Japan, South Korea end on 2025-12-31"),
        ({"TW"}, D(2026, 4, 1), "SVOD rights in Taiwan end on 2026-03-31"),
    ]


def test_one_sale_over_many_countries_is_one_reason():
    windows = [
        win(COUNTRY_CODES, D(2020, 1, 1), None),
        win(COUNTRY_CODES, D(2025, 1, 1), D(2025, 12, 31), status=SOLD, counterparty="Amazon"),
    ]
    (reason,) = check(windows, query(COUNTRY_CODES, D(2025, 1, 1), D(2025, 12, 31))).reasons
    assert reason.countries == COUNTRY_CODES
    assert reason.message == (
        "Sold to Amazon for SVOD in Afghanistan, Åland Islands and 247 more "
        "from 2025-01-01 to 2025-12-31"
    )


def test_reason_message_uses_group_name_for_an_exact_group():
    windows = [
        win(COUNTRY_CODES, D(2020, 1, 1), None),
        win(
            expand(include=["GREATER_CHINA"]),
            D(2025, 1, 1),
            D(2025, 12, 31),
            status=ON_HOLD,
            counterparty="iQIYI",
        ),
    ]
    (reason,) = check(windows, query(COUNTRY_CODES, D(2025, 1, 1), D(2025, 1, 31))).reasons
    assert reason.message == (
        "On hold for iQIYI for SVOD in Greater China from 2025-01-01 to 2025-01-31"
    )


def test_mixed_group_query_only_reports_query_countries():
    windows = [
        win({"JP", "KR", "TH"}, D(2025, 1, 1), None),
        win({"JP", "KR", "TH"}, D(2025, 1, 1), None, status=SOLD, counterparty="Viu"),
    ]
    reasons = check(windows, query({"TH", "VN"}, D(2025, 1, 1), D(2025, 1, 31))).reasons
    assert [(r.code, r.countries) for r in reasons] == [
        (ReasonCode.NO_RIGHTS, {"VN"}),
        (ReasonCode.SOLD, {"TH"}),
    ]


def test_open_ended_query_up_to_date_max():
    # How the save path checks a new perpetual sale against the other windows.
    windows = [win({"JP"}, D(2024, 1, 1), None)]
    assert check(windows, query({"JP"}, D(2025, 1, 1), date.max)).available
    windows.append(win({"JP"}, D(2030, 1, 1), None, status=SOLD, counterparty="Netflix", ref=9))
    (reason,) = check(windows, query({"JP"}, D(2025, 1, 1), date.max)).reasons
    assert (reason.code, reason.start, reason.end, reason.ref) == (
        ReasonCode.SOLD,
        D(2030, 1, 1),
        date.max,
        9,
    )
    (reason,) = check(windows[:1], query({"KR", "JP"}, D(2025, 1, 1), date.max)).reasons
    assert reason.code is ReasonCode.NO_RIGHTS
    windows = [win({"JP"}, D(2024, 1, 1), D(2040, 12, 31))]
    (reason,) = check(windows, query({"JP"}, D(2025, 1, 1), date.max)).reasons
    assert (reason.start, reason.end, reason.held_until, reason.held_from) == (
        D(2041, 1, 1),
        date.max,
        D(2040, 12, 31),
        None,
    )


# --------------------------------------------------------------------------------------
# available_countries


def test_available_countries():
    windows = [
        win({"JP", "KR", "TH"}, D(2024, 1, 1), D(2030, 12, 31)),
        win({"VN"}, D(2024, 1, 1), D(2030, 12, 31), exclusive=False),
        win({"KR"}, D(2025, 1, 1), D(2025, 12, 31), status=SOLD, counterparty="Wavve"),
        win({"TH"}, D(2025, 1, 1), D(2025, 12, 31), exclusive=False, status=ON_HOLD),
        win({"SG"}, D(2024, 1, 1), D(2030, 12, 31), media=Media.AVOD),
    ]
    kwargs = {"windows": windows, "media": SVOD, "start": D(2025, 6, 1), "end": D(2026, 6, 1)}
    assert available_countries(**kwargs, exclusive=True) == {"JP"}
    assert available_countries(**kwargs, exclusive=False) == {"JP", "TH", "VN"}
    assert available_countries(**{**kwargs, "media": Media.AVOD}, exclusive=True) == {"SG"}
    assert available_countries(**{**kwargs, "media": Media.PAY_TV}, exclusive=False) == set()
    assert available_countries(windows=[], media=SVOD, start=D(2025, 1, 1), end=D(2025, 1, 1),
                               exclusive=False) == set()  # fmt: skip


# --------------------------------------------------------------------------------------
# Validation


def test_query_validation():
    with pytest.raises(ValueError, match=r"ends \(2025-01-01\) before it starts \(2025-02-01\)"):
        query({"JP"}, D(2025, 2, 1), D(2025, 1, 1))
    with pytest.raises(ValueError, match="no countries"):
        query(set(), D(2025, 1, 1), D(2025, 1, 31))
    with pytest.raises(TypeError):
        Query(media=SVOD, countries="JP", start=D(2025, 1, 1), end=D(2025, 1, 1), exclusive=True)


def test_query_accepts_any_collection_of_countries():
    q = Query(
        media="svod", countries=["JP", "KR"], start=D(2025, 1, 1), end=D(2025, 1, 1), exclusive=1
    )
    assert q.countries == frozenset({"JP", "KR"})
    assert q.media is SVOD


def test_window_validation():
    with pytest.raises(ValueError, match="before it starts"):
        win({"JP"}, D(2025, 2, 1), D(2025, 1, 1))
    w = Window(
        media="svod",
        countries={"JP"},
        start=D(2025, 1, 1),
        end=None,
        exclusive=True,
        status="sold",
    )
    assert (w.media, w.status, w.countries) == (SVOD, SOLD, frozenset({"JP"}))


def test_available_countries_validation():
    with pytest.raises(ValueError, match="before it starts"):
        available_countries(
            windows=[], media=SVOD, start=D(2025, 2, 1), end=D(2025, 1, 1), exclusive=True
        )


def test_windows_may_be_any_iterable():
    windows = iter([win({"JP"}, D(2024, 1, 1), None)])
    assert check(windows, query({"JP"}, D(2025, 1, 1), D(2025, 1, 1))).available


# --------------------------------------------------------------------------------------
# The oracle: the semantics, day by day. Used only on small universes.

BASE = D(2025, 1, 1)
SPAN = 40  # days 0..SPAN-1 after BASE
UNIVERSE = ("JP", "KR", "TH", "VN", "HK")
MEDIA = (Media.SVOD, Media.AVOD)


def days(start, end):
    day = start
    while day <= end:
        yield day
        day += timedelta(days=1)


def covering(windows, media, country, day):
    return [
        w
        for w in windows
        if w.media == media
        and country in w.countries
        and w.start <= day
        and (w.end is None or day <= w.end)
    ]


def oracle_available(windows, q):
    for country in q.countries:
        for day in days(q.start, q.end):
            held = covering(windows, q.media, country, day)
            if not held:
                return False
            if q.exclusive and not any(w.exclusive for w in held):
                return False
            if any(w.status != AVAILABLE and (q.exclusive or w.exclusive) for w in held):
                return False
    return True


def oracle_atoms(windows, q):
    """Every (code, country, day, ref) the reasons must cover, exactly once each."""
    atoms = Counter()
    for country in q.countries:
        any_rights = any(w.media == q.media and country in w.countries for w in windows)
        for day in days(q.start, q.end):
            if not any_rights:
                atoms[(ReasonCode.NO_RIGHTS, country, day, None)] += 1
                continue
            held = covering(windows, q.media, country, day)
            if not held:
                atoms[(ReasonCode.OUTSIDE_WINDOW, country, day, None)] += 1
                continue
            if q.exclusive and not any(w.exclusive for w in held):
                atoms[(ReasonCode.NON_EXCLUSIVE_ONLY, country, day, None)] += 1
            for w in held:
                if w.status != AVAILABLE and (q.exclusive or w.exclusive):
                    code = ReasonCode.SOLD if w.status == SOLD else ReasonCode.ON_HOLD
                    atoms[(code, country, day, w.ref)] += 1
    return atoms


def reason_atoms(reasons, q):
    atoms = Counter()
    for r in reasons:
        start, end = (q.start, q.end) if r.code is ReasonCode.NO_RIGHTS else (r.start, r.end)
        ref = r.ref if r.code in (ReasonCode.SOLD, ReasonCode.ON_HOLD) else None
        for country in r.countries:
            for day in days(start, end):
                atoms[(r.code, country, day, ref)] += 1
    return atoms


def oracle_held(windows, media, country, day):
    return bool(covering(windows, media, country, day))


# --------------------------------------------------------------------------------------
# Strategies

offsets = st.integers(min_value=0, max_value=SPAN - 1)


@st.composite
def windows_st(draw, max_size=6):
    count = draw(st.integers(min_value=0, max_value=max_size))
    windows = []
    if max_size > 1 and draw(st.booleans()):
        # A broad held window, so that a fair share of queries is available.
        windows.append(
            Window(
                media=draw(st.sampled_from(MEDIA)),
                countries=frozenset(UNIVERSE),
                start=BASE - timedelta(days=draw(st.integers(min_value=0, max_value=3))),
                end=None if draw(st.booleans()) else BASE + timedelta(days=SPAN),
                exclusive=draw(st.booleans()),
                status=AVAILABLE,
                ref="base",
            )
        )
    for ref in range(count):
        first = draw(offsets)
        length = draw(st.integers(min_value=0, max_value=SPAN))
        open_ended = draw(st.integers(min_value=0, max_value=5)) == 0
        windows.append(
            Window(
                media=draw(st.sampled_from(MEDIA)),
                countries=draw(st.frozensets(st.sampled_from(UNIVERSE), max_size=len(UNIVERSE))),
                start=BASE + timedelta(days=first),
                end=None if open_ended else BASE + timedelta(days=first + length),
                exclusive=draw(st.booleans()),
                status=draw(st.sampled_from([AVAILABLE, AVAILABLE, SOLD, ON_HOLD])),
                counterparty=draw(st.sampled_from(["", "Netflix", "Viu"])),
                ref=ref,
            )
        )
    return windows


@st.composite
def queries_st(draw):
    first = draw(offsets)
    last = draw(st.integers(min_value=first, max_value=SPAN + 5))
    return Query(
        media=draw(st.sampled_from(MEDIA)),
        countries=draw(st.frozensets(st.sampled_from(UNIVERSE), min_size=1)),
        start=BASE + timedelta(days=first),
        end=BASE + timedelta(days=last),
        exclusive=draw(st.booleans()),
    )


PROPERTY = settings(max_examples=300, deadline=None)


# --------------------------------------------------------------------------------------
# Properties


@PROPERTY
@given(windows=windows_st(), q=queries_st())
def test_matches_oracle(windows, q):
    result = check(windows, q)
    assert result.available is oracle_available(windows, q)
    assert result.available is (result.reasons == ())
    assert bool(result) is result.available


@PROPERTY
@given(windows=windows_st(), q=queries_st())
def test_reasons_match_oracle_exactly(windows, q):
    reasons = check(windows, q).reasons
    assert reason_atoms(reasons, q) == oracle_atoms(windows, q)
    for r in reasons:
        assert r.countries
        assert r.countries <= q.countries
        assert r.media == q.media
        if r.code is ReasonCode.NO_RIGHTS:
            assert (r.start, r.end) == (None, None)
        else:
            assert q.start <= r.start <= r.end <= q.end
        if r.code is ReasonCode.OUTSIDE_WINDOW:
            before, after = r.start - timedelta(days=1), r.end + timedelta(days=1)
            for country in r.countries:
                held_before = oracle_held(windows, q.media, country, before)
                held_after = oracle_held(windows, q.media, country, after)
                assert (r.held_until == before) is held_before
                assert (r.held_from == after) is held_after
            assert r.held_until in (None, before)
            assert r.held_from in (None, after)
        assert isinstance(r.message, str)
        assert r.message


@PROPERTY
@given(windows=windows_st(), q=queries_st())
def test_reasons_are_grouped_and_sorted(windows, q):
    reasons = check(windows, q).reasons
    keys = [replace(r, countries=frozenset()) for r in reasons]
    assert len(set(keys)) == len(keys), "two reasons differ only by their countries"
    assert list(reasons) == sorted(
        reasons,
        key=lambda r: (
            list(ReasonCode).index(r.code),
            r.start or D.min,
            r.end or D.min,
            r.counterparty,
            str(r.ref),
            sorted(r.countries),
        ),
    )


@PROPERTY
@given(windows=windows_st(), q=queries_st())
def test_group_query_iff_each_member(windows, q):
    each = all(check(windows, replace(q, countries=frozenset({c}))).available for c in q.countries)
    assert check(windows, q).available is each


@PROPERTY
@given(windows=windows_st(), q=queries_st(), data=st.data())
def test_splitting_the_term(windows, q, data):
    if q.start == q.end:
        return
    span = (q.end - q.start).days
    cut = q.start + timedelta(days=data.draw(st.integers(min_value=0, max_value=span - 1)))
    first = replace(q, end=cut)
    second = replace(q, start=cut + timedelta(days=1))
    whole = check(windows, q).available
    assert whole is (check(windows, first).available and check(windows, second).available)


@PROPERTY
@given(windows=windows_st(), q=queries_st(), data=st.data())
def test_demoting_a_window_to_out_never_helps(windows, q, data):
    if not windows:
        return
    index = data.draw(st.integers(min_value=0, max_value=len(windows) - 1))
    status = data.draw(st.sampled_from([SOLD, ON_HOLD]))
    demoted = [*windows]
    demoted[index] = replace(windows[index], status=status)
    if not check(windows, q).available:
        assert not check(demoted, q).available


@PROPERTY
@given(windows=windows_st(), extra=windows_st(max_size=1), q=queries_st())
def test_adding_an_out_window_never_helps(windows, extra, q):
    # An out window is also held rights, so a NON-exclusive sale or hold can fill a gap for
    # a non-exclusive query; an exclusive one, or any one against an exclusive query, cannot.
    for w in extra:
        if w.status == AVAILABLE or not (w.exclusive or q.exclusive):
            continue
        if not check(windows, q).available:
            assert not check([*windows, w], q).available


@PROPERTY
@given(windows=windows_st(), extra=windows_st(max_size=1), q=queries_st())
def test_adding_an_available_window_never_hurts(windows, extra, q):
    for w in extra:
        added = replace(w, status=AVAILABLE)
        if check(windows, q).available:
            assert check([*windows, added], q).available


@PROPERTY
@given(windows=windows_st(), q=queries_st())
def test_exclusive_available_implies_non_exclusive_available(windows, q):
    if check(windows, replace(q, exclusive=True)).available:
        assert check(windows, replace(q, exclusive=False)).available


@PROPERTY
@given(windows=windows_st(), q=queries_st())
def test_window_order_does_not_matter(windows, q):
    assert check(windows, q) == check(list(reversed(windows)), q)


@PROPERTY
@given(windows=windows_st(), q=queries_st())
def test_available_countries_agrees_with_check(windows, q):
    result = available_countries(
        windows=windows, media=q.media, start=q.start, end=q.end, exclusive=q.exclusive
    )
    expected = {
        country
        for country in UNIVERSE
        if check(windows, replace(q, countries=frozenset({country}))).available
    }
    assert result == expected

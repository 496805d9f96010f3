"""Explainable relevance of a project for an investor: exact points, filters, the matrix."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reelmarket.financing.relevance import (
    InvestorFacts,
    Match,
    ProjectFacts,
    Reason,
    score,
    score_matrix,
)


def project(**changes: object) -> ProjectFacts:
    facts = ProjectFacts(
        id=1,
        kind="animation_feature",
        genres=frozenset({"animation", "family"}),
        stage="development",
        countries=frozenset({"HK", "FR"}),
        target_markets=frozenset({"CN", "JP"}),
        budget_usd=1_000_000.0,
        gap_usd=400_000.0,
        partners_sought=frozenset({("coproducer", "FR")}),
    )
    return dataclasses.replace(facts, **changes)


def investor(**changes: object) -> InvestorFacts:
    facts = InvestorFacts(
        id=7,
        kind="coproducer",
        ticket_min_usd=100_000.0,
        ticket_max_usd=500_000.0,
        genres=frozenset({"animation"}),
        kinds=frozenset({"animation_feature"}),
        regions=frozenset({"FR", "JP"}),
        stages=frozenset({"development", "financing"}),
        treaties=frozenset({"FR"}),
        country="FR",
    )
    return dataclasses.replace(facts, **changes)


def points(match: Match) -> dict[str, float]:
    return {r.code: r.points for r in match.reasons}


def test_every_criterion_explained_with_exact_points() -> None:
    match = score(project=project(), investor=investor())
    assert [(r.code, r.points) for r in match.reasons] == [
        ("ticket_fits_gap", 30.0),
        ("partner_sought", 15.0),
        ("kind", 10.0),
        ("stage", 10.0),
        ("treaty", 10.0),
        ("genre", 7.5),  # one of the project's two genres
        ("region", 7.0),  # invests in France, a production country
        ("market", 3.0),  # and in Japan, a target market
    ]
    assert match.total == 92.5
    assert match.total == sum(r.points for r in match.reasons)
    reasons = {r.code: r for r in match.reasons}
    assert reasons["genre"].params == {"genres": ["animation"]}
    assert reasons["treaty"].params == {"countries": ["FR"]}
    assert reasons["partner_sought"].params == {
        "kind": "coproducer",
        "country": "FR",
        "country_matches": True,
    }
    assert reasons["ticket_fits_gap"].params == {
        "ticket_min_usd": 100_000.0,
        "ticket_max_usd": 500_000.0,
        "gap_usd": 400_000.0,
        "share": 1.0,
    }
    assert not match.excluded


@pytest.mark.parametrize(
    ("code", "remove"),
    [
        ("treaty", lambda p, i: (p, dataclasses.replace(i, treaties=frozenset()))),
        ("partner_sought", lambda p, i: (dataclasses.replace(p, partners_sought=frozenset()), i)),
        ("genre", lambda p, i: (dataclasses.replace(p, genres=frozenset({"family"})), i)),
        ("region", lambda p, i: (p, dataclasses.replace(i, regions=frozenset({"JP"})))),
        ("market", lambda p, i: (dataclasses.replace(p, target_markets=frozenset()), i)),
        ("ticket_fits_gap", lambda p, i: (dataclasses.replace(p, gap_usd=0.0), i)),
    ],
)
def test_removing_a_feature_lowers_the_total_by_exactly_its_reason(code, remove) -> None:
    before = score(project=project(), investor=investor())
    after = score(
        project=remove(project(), investor())[0], investor=remove(project(), investor())[1]
    )
    assert code not in points(after)
    assert before.total - after.total == points(before)[code]


@pytest.mark.parametrize(
    ("ticket_min", "ticket_max", "gap", "expected"),
    [
        (100_000, 500_000, 400_000, 30.0),  # can close the whole gap
        (10_000, 80_000, 400_000, 30.0),  # 20 % of the gap: a meaningful share
        (10_000, 40_000, 400_000, 15.0),  # 10 %: half
        (1_000, 4_000, 400_000, 1.5),  # 1 %: hardly worth the meeting
        (600_000, 1_000_000, 400_000, 15.0),  # smallest ticket 1.5 x the gap: halved
        (800_000, 1_000_000, 400_000, 0.0),  # exactly twice the gap: no points, not excluded
    ],
)
def test_ticket_points(ticket_min, ticket_max, gap, expected) -> None:
    match = score(
        project=project(gap_usd=float(gap)),
        investor=investor(ticket_min_usd=float(ticket_min), ticket_max_usd=float(ticket_max)),
    )
    assert points(match).get("ticket_fits_gap", 0.0) == expected
    assert not match.excluded


def test_ticket_far_above_the_gap_excludes() -> None:
    match = score(
        project=project(gap_usd=400_000.0),
        investor=investor(ticket_min_usd=900_000.0, ticket_max_usd=2_000_000.0),
    )
    assert match.total == 0.0
    assert [r.code for r in match.reasons] == ["ticket_exceeds_gap"]
    assert match.excluded


def test_no_ticket_stated_counts_half_and_fully_financed_counts_nothing() -> None:
    open_ticket = score(
        project=project(), investor=investor(ticket_min_usd=0.0, ticket_max_usd=0.0)
    )
    assert points(open_ticket)["ticket_open"] == 15.0
    financed = score(project=project(gap_usd=0.0), investor=investor())
    assert "ticket_fits_gap" not in points(financed)
    assert not financed.excluded


def test_open_preferences_count_half() -> None:
    match = score(
        project=project(),
        investor=investor(
            genres=frozenset(), kinds=frozenset(), stages=frozenset(), regions=frozenset()
        ),
    )
    got = points(match)
    assert (got["genre_open"], got["kind_open"], got["stage_open"], got["region_open"]) == (
        7.5,
        5.0,
        5.0,
        5.0,
    )


@pytest.mark.parametrize(
    ("changes", "codes"),
    [
        ({"kinds": frozenset({"documentary"})}, ["kind_excluded"]),
        ({"stages": frozenset({"production"})}, ["stage_excluded"]),
        (
            {"kinds": frozenset({"series"}), "stages": frozenset({"production"})},
            ["kind_excluded", "stage_excluded"],
        ),
    ],
)
def test_hard_filters_give_zero_with_their_reason(changes, codes) -> None:
    match = score(project=project(), investor=investor(**changes))
    assert match.total == 0.0
    assert [r.code for r in match.reasons] == codes
    assert all(r.points == 0.0 for r in match.reasons)


def test_partner_sought_from_another_country_counts_a_third() -> None:
    match = score(project=project(), investor=investor(country="DE"))
    reason = next(r for r in match.reasons if r.code == "partner_sought")
    assert reason.points == 5.0
    assert reason.params == {"kind": "coproducer", "countries": ["FR"], "country_matches": False}
    anywhere = score(
        project=project(partners_sought=frozenset({("coproducer", "")})),
        investor=investor(country="DE"),
    )
    assert points(anywhere)["partner_sought"] == 15.0


def test_a_fund_answers_a_search_for_a_financier_or_a_foundation() -> None:
    for sought in ("financier", "foundation"):
        match = score(
            project=project(partners_sought=frozenset({(sought, "")})),
            investor=investor(kind="fund"),
        )
        assert points(match)["partner_sought"] == 15.0
    sales = score(
        project=project(partners_sought=frozenset({("sales_agent", "")})),
        investor=investor(kind="fund"),
    )
    assert "partner_sought" not in points(sales)


# --- properties ---------------------------------------------------------------------------

GENRES = ["drama", "comedy", "animation", "family", "horror", "documentary"]
KINDS = ["feature", "documentary", "animation_feature", "series", "animation_series"]
STAGES = ["development", "financing", "production", "post_production"]
COUNTRIES = ["HK", "CN", "TW", "JP", "KR", "FR", "DE", "SG"]
PARTNERS = ["coproducer", "sales_agent", "distributor", "financier", "foundation"]
INVESTORS = ["financier", "fund", "foundation", "coproducer", "sales_agent", "distributor"]

amounts = st.sampled_from([0.0, 1_000.0, 50_000.0, 100_000.0, 333_333.0, 1e6, 5e6])


def subset(values: list[str]) -> st.SearchStrategy[frozenset[str]]:
    return st.frozensets(st.sampled_from(values), max_size=3)


projects = st.builds(
    ProjectFacts,
    id=st.integers(0, 10_000),
    kind=st.sampled_from(KINDS),
    genres=subset(GENRES),
    stage=st.sampled_from(STAGES),
    countries=subset(COUNTRIES),
    target_markets=subset(COUNTRIES),
    budget_usd=amounts,
    gap_usd=amounts,
    partners_sought=st.frozensets(
        st.tuples(st.sampled_from(PARTNERS), st.sampled_from(["", *COUNTRIES])), max_size=3
    ),
)


@st.composite
def investors(draw: st.DrawFn) -> InvestorFacts:
    low, high = sorted((draw(amounts), draw(amounts)))
    return InvestorFacts(
        id=draw(st.integers(0, 10_000)),
        kind=draw(st.sampled_from(INVESTORS)),
        ticket_min_usd=low,
        ticket_max_usd=high,
        genres=draw(subset(GENRES)),
        kinds=draw(subset(KINDS)),
        regions=draw(subset(COUNTRIES)),
        stages=draw(subset(STAGES)),
        treaties=draw(subset(COUNTRIES)),
        country=draw(st.sampled_from(COUNTRIES)),
    )


@settings(max_examples=300, deadline=None)
@given(p=projects, i=investors())
def test_total_is_the_sum_of_sorted_reasons(p: ProjectFacts, i: InvestorFacts) -> None:
    match = score(project=p, investor=i)
    assert match.total == sum(r.points for r in match.reasons)
    assert 0.0 <= match.total <= 100.0
    assert [r.points for r in match.reasons] == sorted(
        (r.points for r in match.reasons), reverse=True
    )
    assert all(isinstance(r, Reason) and r.points >= 0 for r in match.reasons)
    if match.excluded:
        assert match.total == 0.0


@settings(max_examples=200, deadline=None)
@given(p=projects, i=investors())
def test_dropping_treaties_or_partner_search_removes_exactly_their_points(p, i) -> None:
    match = score(project=p, investor=i)
    got = points(match)
    no_treaty = score(project=p, investor=dataclasses.replace(i, treaties=frozenset()))
    assert match.total - no_treaty.total == got.get("treaty", 0.0)
    no_search = score(project=dataclasses.replace(p, partners_sought=frozenset()), investor=i)
    assert match.total - no_search.total == got.get("partner_sought", 0.0)


@settings(max_examples=60, deadline=None)
@given(ps=st.lists(projects, min_size=1, max_size=6), invs=st.lists(investors(), max_size=6))
def test_matrix_equals_score_totals_exactly(ps, invs) -> None:
    matrix = score_matrix(projects=ps, investors=invs)
    assert matrix.shape == (len(ps), len(invs))
    expected = np.array(
        [[score(project=p, investor=i).total for i in invs] for p in ps], dtype=np.float64
    ).reshape(len(ps), len(invs))
    assert np.array_equal(matrix, expected)


def test_empty_matrix_shapes() -> None:
    assert score_matrix(projects=[], investors=[investor()]).shape == (0, 1)
    assert score_matrix(projects=[project()], investors=[]).shape == (1, 0)

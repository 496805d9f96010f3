"""Explanations ARE the score: removing a reason's feature changes the total by its points."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reelmarket.financing.relevance import InvestorFacts, ProjectFacts
from reelmarket.matchmaking.core import (
    BuyerProfile,
    FinancierMatcher,
    Interaction,
    Interest,
    ProjectItem,
    TitleFeatures,
    TitleMatcher,
)
from reelmarket.matchmaking.core.history import HISTORY_CODES

GENRES = ("animation", "family", "horror", "drama", "comedy")
KINDS = ("feature", "series", "documentary")
LANGS = ("en", "vi", "ja")
PAIRS = (("VN", "svod"), ("JP", "svod"), ("VN", "free_tv"))
ACTIONS = ("view", "save", "request", "deal", "more_like_this", "not_interested")
T0 = datetime(2026, 1, 1, tzinfo=UTC)

subset = lambda values: st.frozensets(st.sampled_from(values), max_size=len(values))  # noqa: E731
vector = st.lists(st.floats(-1, 1, allow_nan=False), min_size=4, max_size=4).map(
    lambda v: np.asarray(v) + np.asarray([1e-3, 0, 0, 0])
)


@st.composite
def worlds(draw):
    n_titles = draw(st.integers(2, 7))
    titles = [
        TitleFeatures(
            id=i + 1,
            kind=draw(st.sampled_from(KINDS)),
            genres=draw(subset(GENRES)),
            languages=draw(subset(LANGS)),
            budget_tier=draw(st.sampled_from(("", "low", "mid"))),
            available=draw(st.none() | subset(PAIRS)),
            vector=draw(st.none() | vector),
        )
        for i in range(n_titles)
    ]
    buyers = [
        BuyerProfile(
            id=b,
            kinds=draw(subset(KINDS)),
            genres=draw(subset(GENRES)),
            languages=draw(subset(LANGS)),
            rights=draw(subset(PAIRS)),
            budget_tiers=draw(subset(("low", "mid"))),
            interests=tuple(
                Interest(f"interest {n}", v)
                for n, v in enumerate(draw(st.lists(vector, max_size=2)))
            ),
        )
        for b in (1, 2)
    ]
    log = [
        Interaction(
            draw(st.sampled_from((1, 2))),
            draw(st.integers(1, n_titles)),
            draw(st.sampled_from(ACTIONS)),
            T0 + timedelta(days=draw(st.integers(0, 400))),
            draw(st.sampled_from((0.5, 1.0, 2.0))),
        )
        for _ in range(draw(st.integers(0, 12)))
    ]
    return titles, buyers, log


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(worlds())
def test_ablating_each_reason_changes_the_total_by_exactly_its_points(world):
    titles, buyers, log = world
    m = TitleMatcher(titles=titles, buyers=buyers, interactions=log)
    matrix = m.score_matrix()
    for r, buyer in enumerate(buyers):
        for c, title in enumerate(titles):
            for seller_view in (False, True):
                match = m.score(buyer=buyer.id, title=title.id, seller_view=seller_view)
                assert match.total == sum(x.points for x in match.reasons)
                assert [x.points for x in match.reasons if x.points >= 0] == sorted(
                    (x.points for x in match.reasons if x.points >= 0), reverse=True
                )
                if not seller_view:
                    assert matrix[r, c] == match.total
                else:
                    assert not {x.code for x in match.reasons} & set(HISTORY_CODES)
                for reason in match.reasons:
                    if reason.points == 0:
                        continue
                    without = m.score(
                        buyer=buyer.id,
                        title=title.id,
                        ablate={reason.code},
                        seller_view=seller_view,
                    )
                    assert without.total == match.total - reason.points
                    assert reason.code not in {x.code for x in without.reasons}


@settings(max_examples=40, deadline=None)
@given(worlds())
def test_reasons_cite_only_the_viewers_own_facts(world):
    titles, buyers, log = world
    m = TitleMatcher(titles=titles, buyers=buyers, interactions=log)
    for buyer in buyers:
        mine = {r.item for r in log if r.who == buyer.id}
        texts = {i.text for i in buyer.interests}
        for title in titles:
            for reason in m.score(buyer=buyer.id, title=title.id).reasons:
                params = reason.params
                for key in ("titles",):
                    assert set(params.get(key, ())) <= mine
                if "title" in params and reason.code != "not_interested":
                    assert params["title"] in mine
                if reason.code == "interest":
                    assert params["interest"] in texts
                if reason.code == "rights_available":
                    cited = {tuple(p) for p in params["rights"]}
                    assert cited <= set(buyer.rights) & set(title.available or ())


def _base() -> tuple[list[TitleFeatures], BuyerProfile]:
    titles = [
        TitleFeatures(1, "feature", frozenset({"animation"}), frozenset({"vi"}),
                      available=frozenset({("VN", "svod")}), vector=np.asarray([1.0, 0, 0])),
        TitleFeatures(2, "series", frozenset({"horror"}), vector=np.asarray([0, 1.0, 0])),
        TitleFeatures(3, "series", frozenset({"drama"}), vector=np.asarray([0, 0, 1.0])),
    ]  # fmt: skip
    buyer = BuyerProfile(
        id=1,
        kinds=frozenset({"feature"}),
        genres=frozenset({"animation"}),
        languages=frozenset({"vi"}),
        rights=frozenset({("VN", "svod")}),
        interests=(Interest("coming-of-age", np.asarray([1.0, 0.05, 0])),),
    )
    return titles, buyer


def _points(match, code: str) -> float:
    return sum(r.points for r in match.reasons if r.code == code)


def test_removing_the_real_feature_changes_the_total_by_the_reason_points():
    titles, buyer = _base()
    before = TitleMatcher(titles=titles, buyers=[buyer]).score(buyer=1, title=1)
    for code, changed in (
        ("interest", dataclasses.replace(buyer, interests=())),
        ("language", dataclasses.replace(buyer, languages=frozenset({"ja"}))),
        ("genre", dataclasses.replace(buyer, genres=frozenset({"war"}))),
        ("kind", dataclasses.replace(buyer, kinds=frozenset({"documentary"}))),
    ):
        points = _points(before, code)
        assert points > 0
        after = TitleMatcher(titles=titles, buyers=[changed]).score(buyer=1, title=1)
        assert after.total == before.total - points, code


def test_top_reasons_read_like_the_issue():
    titles, buyer = _base()
    log = [Interaction(1, 1, "save", T0)]
    match = TitleMatcher(titles=titles, buyers=[buyer], interactions=log).score(buyer=1, title=1)
    by_code = {r.code: r for r in match.reasons}
    assert by_code["rights_available"].params == {"rights": [["VN", "svod"]], "count": 1}
    assert by_code["interest"].params == {"interest": "coming-of-age"}
    assert by_code["history_genre"].params == {
        "genre": "animation",
        "count": 1,
        "actions": ["save"],
    }


def test_financier_reasons_add_up_and_ablate_exactly():
    projects = [
        ProjectItem(
            ProjectFacts(
                id=p, kind="feature", genres=frozenset({"drama"}), stage="financing",
                countries=frozenset({"IN"}), target_markets=frozenset({"FR"}), budget_usd=1e6,
                gap_usd=6e5, partners_sought=frozenset({("financier", "")}),
            ),
            np.asarray([1.0, p / 10, 0]),
        )
        for p in (1, 2, 3)
    ]  # fmt: skip
    investors = [
        InvestorFacts(
            id=9, kind="financier", ticket_min_usd=1e5, ticket_max_usd=4e5,
            genres=frozenset({"drama"}), kinds=frozenset(), regions=frozenset({"IN"}),
            stages=frozenset(), treaties=frozenset(), country="FR",
        )
    ]  # fmt: skip
    fm = FinancierMatcher(
        projects=projects,
        investors=investors,
        interactions=[Interaction(9, 1, "save", T0), Interaction(9, 2, "view", T0)],
        relevance_scale=0.5,
    )
    match = fm.score(investor=9, project=3)
    assert match.total == sum(r.points for r in match.reasons)
    assert fm.score_matrix(investors=[9], projects=[3])[0, 0] == match.total
    for reason in match.reasons:
        without = fm.score(investor=9, project=3, ablate={reason.code})
        assert without.total == match.total - reason.points

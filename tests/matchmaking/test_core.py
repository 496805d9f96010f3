"""The matchmaking core: ranking, exclusions, feedback, seller view, meetings, batch = single."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

from reelmarket.financing.relevance import InvestorFacts, ProjectFacts
from reelmarket.matchmaking.core import (
    BuyerProfile,
    FinancierMatcher,
    Interaction,
    Interest,
    ProjectItem,
    TitleFeatures,
    TitleMatcher,
    budget_tier,
    meeting_suggestions,
    project_meeting_suggestions,
)
from reelmarket.matchmaking.core.candidates import ann_candidates
from reelmarket.matchmaking.core.history import HISTORY_CODES

DAY = datetime(2026, 3, 1, tzinfo=UTC)


def unit(*values: float) -> np.ndarray:
    vector = np.asarray(values, dtype=np.float64)
    return vector / np.linalg.norm(vector)


# Four directions: titles 1-2 are "family animation" (close to each other), 3-4 "horror".
ANIM_A, ANIM_B = unit(1, 0.1, 0, 0), unit(1, 0, 0.1, 0)
HORROR_A, HORROR_B = unit(0, 0, 1, 0.1), unit(0, 0.1, 1, 0)
OTHER = unit(0, 1, 0, 0)
OTHER2 = unit(0, 0, 0, 1)


def catalogue() -> list[TitleFeatures]:
    vn_svod = frozenset({("VN", "svod")})
    return [
        TitleFeatures(1, "animation_feature", frozenset({"animation", "family"}),
                      frozenset({"vi"}), available=vn_svod, vector=ANIM_A, seller=100),
        TitleFeatures(2, "animation_feature", frozenset({"animation", "family"}),
                      available=vn_svod, vector=ANIM_B, seller=100),
        TitleFeatures(3, "feature", frozenset({"horror"}), available=vn_svod,
                      vector=HORROR_A, seller=200),
        TitleFeatures(4, "feature", frozenset({"horror"}), available=vn_svod,
                      vector=HORROR_B, seller=200),
        TitleFeatures(5, "feature", frozenset({"drama"}), available=frozenset({("JP", "svod")}),
                      vector=OTHER, seller=200),
        TitleFeatures(6, "series", frozenset({"drama"}), available=None, vector=OTHER2),
    ]  # fmt: skip


LINH = BuyerProfile(
    id=10,
    kinds=frozenset({"animation_feature"}),
    genres=frozenset({"animation", "family"}),
    languages=frozenset({"vi"}),
    rights=frozenset({("VN", "svod")}),
    interests=(Interest("family animation", ANIM_A),),
)
OPEN = BuyerProfile(id=11)


def matcher(interactions=(), buyers=(LINH, OPEN)) -> TitleMatcher:
    return TitleMatcher(titles=catalogue(), buyers=list(buyers), interactions=list(interactions))


def test_ranking_follows_the_profile_and_the_explanation_is_the_score():
    m = matcher()
    ranked = m.recommend(buyer=10, k=10)
    assert [s.item for s in ranked][:2] == [1, 2]
    top = ranked[0].match
    assert top.total == sum(r.points for r in top.reasons)
    codes = [r.code for r in top.reasons]
    assert codes[:2] == ["rights_available", "genre"]
    assert top.reasons[0].params == {"rights": [["VN", "svod"]], "count": 1}
    assert {r.code: r.points for r in top.reasons} == {
        "rights_available": 16.66796875,
        "genre": 15.0,
        "interest": 15.0,
        "kind": 10.0,
        "language": 5.0,
        "budget_open": 2.5,
    }


def test_a_right_not_available_where_the_buyer_buys_excludes_the_title():
    m = matcher()
    match = m.score(buyer=10, title=5)
    assert match.total == 0.0
    assert [(r.code, r.points) for r in match.reasons] == [("rights_unavailable", 0.0)]
    assert 5 not in [s.item for s in m.recommend(buyer=10, k=10)]
    # unknown avails are open, not excluded
    assert [r.code for r in m.score(buyer=10, title=6).reasons if r.code.startswith("rights")] == [
        "rights_open"
    ]


def test_batch_matrix_equals_single_scores_bit_for_bit():
    log = [
        Interaction(10, 1, "save", DAY),
        Interaction(11, 1, "view", DAY),
        Interaction(11, 3, "request", DAY),
        Interaction(10, 4, "not_interested", DAY),
    ]
    m = matcher(log)
    matrix = m.score_matrix()
    for r, buyer in enumerate([10, 11]):
        for c, title in enumerate(range(1, 7)):
            assert matrix[r, c] == m.score(buyer=buyer, title=title).total
    recomputed = m.recompute(k=3)
    assert recomputed[11] == [(s.item, s.total) for s in m.recommend(buyer=11, k=3)]


def test_not_interested_removes_the_title_and_lowers_similar_ones():
    before = matcher([Interaction(10, 2, "view", DAY)])
    m = matcher([Interaction(10, 2, "view", DAY), Interaction(10, 1, "not_interested", DAY)])
    assert 1 not in [s.item for s in m.recommend(buyer=10, k=10)]
    assert m.score(buyer=10, title=1).reasons[0].code == "not_interested"
    penalty = [r for r in m.score(buyer=10, title=2).reasons if r.code == "not_interested_similar"]
    assert len(penalty) == 1 and penalty[0].points < 0 and penalty[0].params == {"title": 1}
    drop = before.score(buyer=10, title=2).total - m.score(buyer=10, title=2).total
    assert drop == -penalty[0].points
    # a far title is not lowered
    assert before.score(buyer=10, title=3).total == m.score(buyer=10, title=3).total


def test_more_like_this_raises_similar_titles_in_the_next_ranking():
    before = matcher()
    first = [s.item for s in before.recommend(buyer=11, k=6)]
    m = matcher([Interaction(11, 3, "more_like_this", DAY)])
    boost = [r for r in m.score(buyer=11, title=4).reasons if r.code == "more_like_this"]
    assert boost and boost[0].points == 15.0 and boost[0].params == {"title": 3}
    after = [s.item for s in m.recommend(buyer=11, k=6, done_actions=())]
    assert after.index(4) < first.index(4)


def test_update_buyer_changes_only_that_buyer_and_matches_a_fresh_build():
    m = matcher([Interaction(11, 3, "view", DAY)])
    other_before = m.score_matrix(buyers=[11])
    m.update_buyer(profile=LINH, interactions=[Interaction(10, 1, "not_interested", DAY)])
    fresh = matcher([Interaction(11, 3, "view", DAY), Interaction(10, 1, "not_interested", DAY)])
    assert [s.item for s in m.recommend(buyer=10)] == [s.item for s in fresh.recommend(buyer=10)]
    assert np.array_equal(m.score_matrix(buyers=[11]), other_before)


@pytest.mark.parametrize(
    "changed",
    [
        # the same rights: only the buyer's own rows are rebuilt
        BuyerProfile(
            id=10,
            kinds=frozenset({"feature"}),
            genres=frozenset({"horror"}),
            rights=frozenset({("VN", "svod")}),
            budget_tiers=frozenset({"low"}),
            interests=(Interest("ghosts", HORROR_A), Interest("more ghosts", HORROR_B)),
        ),
        # an open profile: every "open" flag of the row flips
        BuyerProfile(id=10),
        # rights no buyer had before: the title side gains a column
        BuyerProfile(id=10, rights=frozenset({("JP", "svod")}), genres=frozenset({"drama"})),
    ],
)
def test_a_changed_profile_scores_exactly_as_a_fresh_build(changed):
    before = matcher([Interaction(11, 3, "view", DAY)])
    before.update_buyer(profile=changed, interactions=[])
    fresh = matcher([Interaction(11, 3, "view", DAY)], buyers=(changed, OPEN))
    assert np.array_equal(before.score_matrix(), fresh.score_matrix())
    for title in range(1, 7):
        assert before.score(buyer=10, title=title) == fresh.score(buyer=10, title=title)


def test_seller_view_has_no_history_and_ranks_buyers_for_a_title():
    m = matcher([Interaction(11, 1, "save", DAY)])
    view = m.seller_view(buyer=11, title=2)
    assert not {r.code for r in view.reasons} & set(HISTORY_CODES)
    buyers = m.buyers_for_title(title=1)
    assert [s.item for s in buyers] == [10, 11]
    assert buyers[0].match.reasons[0].code == "rights_available"
    assert [s.item for s in m.buyers_for_title(title=1, exclude=[10])] == [11]


def test_meeting_suggestions_are_two_sided_and_no_thanks_from_either_side_removes_the_pair():
    m = matcher()
    pairs = meeting_suggestions(matcher=m)
    linh = [p for p in pairs if p.buyer == 10]
    assert [(p.seller, p.title) for p in linh] == [(100, 1), (200, 3)]
    best = linh[0]
    assert 0 < best.score <= 1
    assert best.buyer_fit.total == m.score(buyer=10, title=1).total
    assert best.seller_fit.total == m.seller_view(buyer=10, title=1).total
    declined = meeting_suggestions(matcher=m, no_thanks=[(10, 100)])
    assert (10, 100) not in {(p.buyer, p.seller) for p in declined}
    assert (11, 100) in {(p.buyer, p.seller) for p in declined}


def test_unknown_ids_raise_key_error():
    m = matcher()
    with pytest.raises(KeyError, match="unknown buyer 99"):
        m.score(buyer=99, title=1)
    with pytest.raises(KeyError, match="unknown title 99"):
        m.score(buyer=10, title=99)


def test_budget_tiers():
    assert [budget_tier(v) for v in (None, 0, 1e5, 5e5, 3e6, 2e7, 9e7)] == [
        "", "", "micro", "low", "mid", "high", "tentpole",
    ]  # fmt: skip


def test_ann_candidates_give_the_same_scores_as_the_exhaustive_path():
    rng = np.random.default_rng(1)
    titles = [
        TitleFeatures(i, "feature", frozenset({"drama"}), vector=rng.normal(size=16))
        for i in range(1, 301)
    ]
    buyers = [BuyerProfile(id=b) for b in range(1, 21)]
    log = [
        Interaction(b, int(rng.integers(1, 301)), "view", DAY)
        for b in range(1, 21)
        for _ in range(5)
    ]
    m = TitleMatcher(titles=titles, buyers=buyers, interactions=log)
    exact = m.recompute(k=5)
    approx = m.recompute(k=5, candidates=ann_candidates(m, per_query=120))
    for buyer, pairs in approx.items():
        for title, total in pairs:
            assert total == m.score(buyer=buyer, title=title).total
        assert pairs[0][1] <= exact[buyer][0][1]
    overlap = np.mean(
        [len({t for t, _ in approx[b]} & {t for t, _ in exact[b]}) / 5 for b in exact]
    )
    assert overlap >= 0.8


def project(pid: int, genres: set[str], vector: np.ndarray) -> ProjectItem:
    return ProjectItem(
        ProjectFacts(
            id=pid, kind="feature", genres=frozenset(genres), stage="financing",
            countries=frozenset({"IN"}), target_markets=frozenset(), budget_usd=1.2e6,
            gap_usd=7.8e5, partners_sought=frozenset({("coproducer", "")}),
        ),
        vector,
    )  # fmt: skip


def investor(iid: int, genres: set[str], kinds: frozenset[str] = frozenset()) -> InvestorFacts:
    return InvestorFacts(
        id=iid, kind="coproducer", ticket_min_usd=0.0, ticket_max_usd=3e5,
        genres=frozenset(genres), kinds=kinds, regions=frozenset(), stages=frozenset(),
        treaties=frozenset(), country="FR",
    )  # fmt: skip


def test_financier_matcher_views_and_two_sided_exclusion():
    projects = [
        project(1, {"drama"}, ANIM_A),
        project(2, {"drama"}, ANIM_B),
        project(3, {"war"}, OTHER),
    ]
    investors = [investor(50, {"drama"}), investor(51, {"war"}, frozenset({"documentary"}))]
    fm = FinancierMatcher(
        projects=projects, investors=investors, interactions=[Interaction(50, 1, "request", DAY)]
    )
    producer = fm.producer_view(project=2, investor=50)
    assert not {r.code for r in producer.reasons} & set(HISTORY_CODES)
    own = fm.score(investor=50, project=2)
    assert own.total == sum(r.points for r in own.reasons)
    assert {"taste", "history_genre"} <= {r.code for r in own.reasons}
    assert own.total > producer.total
    assert [s.item for s in fm.recommend(investor=50)] == [2, 3]  # 1 already requested
    # relevance's hard filter keeps the producer away; listed at 0 points in the investor's view
    assert fm.producer_view(project=3, investor=51).total == 0.0
    assert "kind_excluded" in {r.code for r in fm.score(investor=51, project=3).reasons}
    assert [s.item for s in fm.financiers_for_project(project=3)] == [50]
    pairs = project_meeting_suggestions(matcher=fm, no_thanks=[(2, 50)])
    assert (2, 50) not in {(p.project, p.investor) for p in pairs}
    assert (1, 50) in {(p.project, p.investor) for p in pairs}
    assert fm.score_matrix(investors=[50], projects=[2])[0, 0] == own.total


def test_the_core_and_its_tools_import_without_django():
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import reelmarket.matchmaking.core, reelmarket.matchmaking.core.candidates\n"
        "import reelmarket.matchmaking.core.calibrate, reelmarket.matchmaking.evaluation\n"
        "import reelmarket.matchmaking.synthetic, reelmarket.matchmaking.csvlog\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))\n"
    )
    out = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


def test_hashed_tfidf_vectors():
    from reelmarket.matchmaking.core.textvec import hashed_tfidf, tokens

    assert tokens("A robot, 机器人 story") == ["robot", "机器", "器人", "story"]
    vectors = hashed_tfidf(["a robot dog looks for home", "robot dog at home", "", "ghosts"])
    assert np.allclose(np.linalg.norm(vectors[[0, 1, 3]], axis=1), 1.0)
    assert not vectors[2].any()
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[3]

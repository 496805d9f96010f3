"""Metrics on hand-computed examples, the temporal split and the baselines."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime

import numpy as np
import pytest

from reelmarket.matchmaking.core import Interaction
from reelmarket.matchmaking.core.tuning import _ndcg_matrix
from reelmarket.matchmaking.evaluation import (
    Metrics,
    evaluate_rankings,
    evaluate_scorers,
    item_knn_scorer,
    ndcg_at_k,
    popularity_scorer,
    random_scorer,
    recall_at_k,
    relevant_items,
    temporal_split,
    top_k,
)


def test_ndcg_hand_computed():
    # relevant at ranks 1 and 3 of 2 relevant: (1 + 1/log2(4)) / (1 + 1/log2(3))
    expected = (1 + 0.5) / (1 + 1 / math.log2(3))
    assert ndcg_at_k([7, 8, 9], {7, 9}) == pytest.approx(expected)
    assert ndcg_at_k([1, 2, 3], {1, 2, 3}) == 1.0
    assert ndcg_at_k([1, 2, 3], set()) == 0.0
    # 12 relevant, only the 10 first positions count, all hits: 1.0
    assert ndcg_at_k(list(range(12)), set(range(12))) == 1.0
    # one relevant item at rank 11 is outside @10
    assert ndcg_at_k(list(range(11)), {10}) == 0.0
    # one relevant at rank 2: 1/log2(3)
    assert ndcg_at_k([5, 6], {6}) == pytest.approx(1 / math.log2(3))


def test_recall_hand_computed():
    assert recall_at_k([1, 2, 3], {2, 4}) == 0.5
    assert recall_at_k(list(range(20)), {15}) == 0.0
    assert recall_at_k([], {1}) == 0.0


def test_evaluate_rankings_averages_over_users_with_relevant_items():
    metrics = evaluate_rankings({1: [5, 6], 2: [9]}, {1: {6}, 2: {3}})
    assert metrics == Metrics(ndcg=pytest.approx((1 / math.log2(3)) / 2), recall=0.5, users=2)
    assert evaluate_rankings({}, {}) == Metrics(0.0, 0.0, 0)


def _row(who: int, item: int, day: int, action: str = "view") -> Interaction:
    return Interaction(who, item, action, datetime(2025, 1, day, tzinfo=UTC))


def test_temporal_split_holds_out_the_most_recent_fifth_per_user():
    log = [_row(1, i, 10 - i) for i in range(10)] + [_row(2, 1, 1), _row(2, 2, 2)]
    log.append(Interaction(1, 50, "not_interested", date(2025, 1, 30)))
    train, test = temporal_split(log)
    assert sorted(r.item for r in test) == [0, 1]  # days 10 and 9: the most recent two of ten
    assert all(r.who == 1 for r in test)  # user 2 has fewer than 5: training only
    assert any(r.action == "not_interested" for r in train)
    assert len(train) + len(test) == len(log)


def test_ties_in_time_keep_file_order_and_items_seen_in_training_are_not_relevant():
    log = [_row(1, i, 1) for i in range(5)]
    train, test = temporal_split(log)
    assert [r.item for r in test] == [4]
    repeat = [*[_row(1, i, i + 1) for i in range(4)], _row(1, 0, 9)]
    train, test = temporal_split(repeat)
    assert relevant_items(train, test) == {}


def test_top_k_skips_banned_and_breaks_ties_by_id():
    scores = np.asarray([[1.0, 3.0, 3.0, 2.0]])
    items = np.asarray([10, 30, 20, 40])
    assert top_k(scores, items, [{30}], k=3) == [[20, 40, 10]]


def test_ndcg_matrix_matches_the_scalar_definition():
    rng = np.random.default_rng(0)
    totals = rng.random((5, 30))
    truth = rng.random((5, 30)) < 0.1
    truth[0, :] = False
    truth[0, 3] = True
    expected = []
    for r in range(5):
        ranked = list(np.lexsort((np.arange(30), -totals[r])))
        expected.append(ndcg_at_k(ranked, set(np.flatnonzero(truth[r]).tolist())))
    assert _ndcg_matrix(totals, truth) == pytest.approx(np.mean(expected))


def test_baselines_on_a_tiny_log():
    # users 1-3 all saw items 1 and 2; user 4 saw item 1 -> item-kNN suggests 2, popularity too
    train = [_row(u, i, 1) for u in (1, 2, 3) for i in (1, 2)] + [_row(4, 1, 1), _row(5, 3, 1)]
    items = np.asarray([1, 2, 3, 4])
    pop = popularity_scorer(train, items)([4])
    assert pop.tolist() == [[4.0, 3.0, 1.0, 0.0]]
    knn = item_knn_scorer(train, items)([4])
    assert knn[0, 1] == pytest.approx(3 / math.sqrt(4 * 3))
    assert knn[0, 2] == 0.0
    assert random_scorer(items, seed=1)([4]).tolist() == random_scorer(items, seed=1)([4]).tolist()
    test = [_row(4, 2, 2)]
    results = evaluate_scorers(
        train=train,
        test=test,
        items=items,
        scorers={"pop": popularity_scorer(train, items), "knn": item_knn_scorer(train, items)},
    )
    assert results["pop"] == Metrics(1.0, 1.0, 1)
    assert results["knn"] == Metrics(1.0, 1.0, 1)

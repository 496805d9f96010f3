"""Weighted rubric totals and the bias-normalised ranking, with exact numbers."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reelmarket.pitching.scoring import Ranked, rank_submissions, weighted_total


def test_weighted_total_on_a_hundred() -> None:
    total = weighted_total(
        scores={1: 8, 2: 5, 3: 0}, weights={1: 2.0, 2: 1.0, 3: 1.0}, scale_max={1: 10, 2: 5, 3: 10}
    )
    assert total == pytest.approx(100 * (2 * 0.8 + 1 * 1.0 + 0.0) / 4)
    assert weighted_total(scores={1: 10}, weights={1: 1.0}, scale_max={1: 10}) == 100.0


@pytest.mark.parametrize(
    ("scores", "weights", "scale_max", "message"),
    [
        ({1: 5}, {1: 1.0, 2: 1.0}, {1: 10, 2: 10}, r"Criteria not scored: \[2\]"),
        ({1: 5, 9: 1}, {1: 1.0}, {1: 10}, r"without a weight: \[9\]"),
        ({1: 11}, {1: 1.0}, {1: 10}, r"Score 11 for criterion 1 is outside 0..10"),
        ({1: -1}, {1: 1.0}, {1: 10}, "outside"),
        ({1: 1}, {1: 1.0}, {1: 0}, "no positive highest score"),
        ({1: 1}, {1: 0.0}, {1: 10}, "add up to zero"),
        ({1: 1}, {1: -1.0}, {1: 10}, "negative weight"),
    ],
)
def test_weighted_total_refuses_bad_input(scores, weights, scale_max, message) -> None:
    with pytest.raises(ValueError, match=message):
        weighted_total(scores=scores, weights=weights, scale_max=scale_max)


def test_harsh_and_lenient_reviewers_give_the_same_normalised_scores() -> None:
    # Harsh reviewer 1 and lenient reviewer 2 both prefer submission 20 by 20 points.
    reviews = [(1, 10, 40.0), (1, 20, 60.0), (2, 10, 70.0), (2, 20, 90.0)]
    ranked = rank_submissions(reviews=reviews)
    spread = math.sqrt(325.0)  # population std of 40, 60, 70, 90 (mean 65)
    assert ranked == [
        Ranked(submission=20, raw=75.0, normalised=pytest.approx(65 + spread), reviews=2, rank=1),
        Ranked(submission=10, raw=55.0, normalised=pytest.approx(65 - spread), reviews=2, rank=2),
    ]


def test_normalisation_removes_a_reviewer_bias_and_ties_share_a_rank() -> None:
    # Reviewer 1 read submissions 1, 2 harshly; reviewer 2 read 3, 4 leniently. Each
    # reviewer's better project is equally good once their scale is removed.
    reviews = [(1, 1, 30.0), (1, 2, 50.0), (2, 3, 80.0), (2, 4, 90.0)]
    spread = math.sqrt(568.75)  # population std of 30, 50, 80, 90 (mean 62.5)
    ranked = rank_submissions(reviews=reviews)
    assert [(r.submission, r.rank) for r in ranked] == [(2, 1), (4, 1), (1, 3), (3, 3)]
    assert ranked[0].normalised == pytest.approx(62.5 + spread)
    assert ranked[2].normalised == pytest.approx(62.5 - spread)
    raw = rank_submissions(reviews=reviews, normalise=False)
    assert [(r.submission, r.rank, r.normalised) for r in raw] == [
        (4, 1, 90.0),
        (3, 2, 80.0),
        (2, 3, 50.0),
        (1, 4, 30.0),
    ]


def test_single_review_is_kept_raw_and_a_flat_reviewer_gives_the_mean() -> None:
    reviews = [
        (1, 10, 20.0),
        (1, 11, 80.0),
        (2, 10, 50.0),
        (2, 11, 50.0),  # no preference: both become the overall mean
        (3, 12, 77.0),  # one review: bias unknown, kept as is
    ]
    mean = (20 + 80 + 50 + 50 + 77) / 5
    values = [20, 80, 50, 50, 77]
    std = math.sqrt(sum((v - mean) ** 2 for v in values) / 5)
    by_id = {r.submission: r for r in rank_submissions(reviews=reviews)}
    assert by_id[12].normalised == 77.0
    assert by_id[10].normalised == pytest.approx(((mean - std) + mean) / 2)
    assert by_id[11].normalised == pytest.approx(((mean + std) + mean) / 2)
    assert by_id[10].raw == 35.0
    assert by_id[10].reviews == 2


def test_normalised_scores_are_clipped_to_the_scale() -> None:
    reviews = [(1, 1, 0.0), (1, 2, 100.0), (2, 3, 50.0), (2, 4, 50.5), (2, 5, 49.5)]
    for row in rank_submissions(reviews=reviews):
        assert 0.0 <= row.normalised <= 100.0


def test_all_equal_reviews_tie_everyone() -> None:
    reviews = [(1, 1, 60.0), (2, 2, 60.0), (1, 3, 60.0)]
    assert [(r.submission, r.rank, r.normalised) for r in rank_submissions(reviews=reviews)] == [
        (1, 1, 60.0),
        (2, 1, 60.0),
        (3, 1, 60.0),
    ]


def test_bad_reviews_are_refused() -> None:
    with pytest.raises(ValueError, match="reviewed submission 1 twice"):
        rank_submissions(reviews=[(1, 1, 50.0), (1, 1, 60.0)])
    with pytest.raises(ValueError, match=r"outside 0\.\.100"):
        rank_submissions(reviews=[(1, 1, 101.0)])
    assert rank_submissions(reviews=[]) == []


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(1, 5), st.integers(1, 12), st.floats(0, 100)),
        unique_by=lambda t: (t[0], t[1]),
        max_size=40,
    ),
    st.booleans(),
)
def test_ranking_properties(reviews, normalise) -> None:
    ranked = rank_submissions(reviews=reviews, normalise=normalise)
    assert {r.submission for r in ranked} == {s for _, s, _ in reviews}
    assert sum(r.reviews for r in ranked) == len(reviews)
    for position, row in enumerate(ranked, start=1):
        assert 0.0 <= row.normalised <= 100.0
        assert 1 <= row.rank <= position
    for position, (before, after) in enumerate(itertools.pairwise(ranked), start=2):
        assert before.normalised >= after.normalised - 1e-9
        if after.rank == before.rank:
            assert round(after.normalised, 9) == round(before.normalised, 9)
        else:
            assert after.rank == position

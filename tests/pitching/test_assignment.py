"""Reviewer assignment: k reviewers, even loads, never a conflict, kept ones kept."""

from __future__ import annotations

import itertools
import random
from collections import Counter, deque

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reelmarket.pitching.assignment import (
    AssignmentError,
    ReviewerSeat,
    ReviewTask,
    assign_reviewers,
)


def loads_of(result: dict[int, tuple[int, ...]]) -> Counter[int]:
    return Counter(r for panel in result.values() for r in panel)


def reachable(tasks: list[ReviewTask], result: dict[int, tuple[int, ...]], poor: int) -> set[int]:
    """Reviewers from whom a review could move to `poor`, directly or by a chain of swaps.

    `poor` takes a submission s from its holder h (poor not on s, no conflict, h not kept
    there); h may in turn take one from another reviewer, and so on.
    """
    by_id = {t.submission: t for t in tasks}
    holders = [(s, r) for s, panel in result.items() for r in panel if r not in by_id[s].keep]
    seen, queue = {poor}, deque([poor])
    while queue:
        u = queue.popleft()
        for s, holder in holders:
            if holder not in seen and u not in result[s] and u not in by_id[s].conflicts:
                seen.add(holder)
                queue.append(holder)
    return seen - {poor}


@st.composite
def instances(draw: st.DrawFn) -> dict:
    n_r = draw(st.integers(1, 9))
    reviewers = list(range(100, 100 + n_r))
    k = draw(st.integers(0, 4))
    tasks = []
    for s in range(draw(st.integers(0, 20))):
        conflicts = draw(st.frozensets(st.sampled_from(reviewers), max_size=n_r // 2))
        free = [r for r in reviewers if r not in conflicts]
        keep = (
            draw(st.frozensets(st.sampled_from(free), max_size=min(2, len(free))))
            if free
            else frozenset()
        )
        tasks.append(ReviewTask(submission=s, conflicts=conflicts, keep=keep))
    capacities = draw(
        st.lists(st.one_of(st.none(), st.integers(0, 12)), min_size=n_r, max_size=n_r)
    )
    seats = [
        ReviewerSeat(reviewer=r, capacity=c) for r, c in zip(reviewers, capacities, strict=True)
    ]
    return {"tasks": tasks, "reviewers": seats, "k": k, "seed": draw(st.integers(0, 5))}


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instance=instances())
def test_rules_hold_and_no_review_can_move_to_a_lighter_reviewer(instance: dict) -> None:
    tasks, seats, k = instance["tasks"], instance["reviewers"], instance["k"]
    try:
        result = assign_reviewers(**instance)
    except AssignmentError as error:
        assert error.submissions
        assert set(error.submissions) <= {t.submission for t in tasks}
        return
    assert set(result) == {t.submission for t in tasks}
    for task in tasks:
        panel = result[task.submission]
        assert len(panel) == len(set(panel)) == max(k, len(task.keep))
        assert task.keep <= set(panel)
        assert not set(panel) & task.conflicts
    loads = loads_of(result)
    capacity = {s.reviewer: s.capacity for s in seats}
    new_loads = Counter(r for t in tasks for r in result[t.submission] if r not in t.keep)
    for reviewer, cap in capacity.items():
        if cap is not None and new_loads[reviewer]:
            assert loads[reviewer] <= cap
    for poor in capacity:
        room = capacity[poor] is None or loads[poor] < capacity[poor]
        richer = {r for r in capacity if loads[r] >= loads[poor] + 2}
        if room and richer:
            assert not richer & reachable(tasks, result, poor), (poor, dict(loads))


@settings(max_examples=150, deadline=None)
@given(
    n_s=st.integers(0, 40),
    n_r=st.integers(3, 12),
    k=st.integers(1, 3),
    seed=st.integers(0, 10),
)
def test_without_conflicts_loads_differ_by_at_most_one(n_s, n_r, k, seed) -> None:
    tasks = [ReviewTask(submission=s) for s in range(n_s)]
    result = assign_reviewers(
        tasks=tasks, reviewers=[ReviewerSeat(reviewer=r) for r in range(n_r)], k=k, seed=seed
    )
    loads = [loads_of(result)[r] for r in range(n_r)]
    assert max(loads) - min(loads) <= 1
    assert sum(loads) == n_s * k


def haf_like(seed: int = 1) -> tuple[list[ReviewTask], list[ReviewerSeat]]:
    rng = random.Random(seed)
    organisation_of = {r: rng.randrange(40) for r in range(30)}
    tasks = []
    for s in range(300):
        organisation = rng.randrange(60)
        conflicts = frozenset(
            r for r in range(30) if rng.random() < 0.05 or organisation_of[r] == organisation
        )
        tasks.append(ReviewTask(submission=s, conflicts=conflicts))
    return tasks, [ReviewerSeat(reviewer=r) for r in range(30)]


def test_haf_scale_is_exactly_even_and_spreads_reviewer_pairs() -> None:
    tasks, seats = haf_like()
    result = assign_reviewers(tasks=tasks, reviewers=seats, k=3)
    assert Counter(loads_of(result).values()) == {30: 30}
    for task in tasks:
        assert not set(result[task.submission]) & task.conflicts
    together = Counter(p for panel in result.values() for p in itertools.combinations(panel, 2))
    assert max(together.values()) <= 3  # 900 pairs over 435: every pair 1-3 times
    assert len(together) >= 420
    assert assign_reviewers(tasks=tasks, reviewers=seats, k=3) == result  # deterministic


def test_kept_reviewers_stay_and_count_towards_the_load() -> None:
    tasks = [
        ReviewTask(submission=1, keep=frozenset({10, 11})),
        ReviewTask(submission=2, keep=frozenset({10})),
        ReviewTask(submission=3),
        ReviewTask(submission=4),
    ]
    seats = [ReviewerSeat(reviewer=r) for r in (10, 11, 12, 13)]
    result = assign_reviewers(tasks=tasks, reviewers=seats, k=2)
    assert result[1] == (10, 11)
    assert 10 in result[2]
    # 8 reviews over 4 reviewers: reviewer 10 already has 2, so gets nothing new.
    assert loads_of(result) == {10: 2, 11: 2, 12: 2, 13: 2}


def test_more_kept_than_k_keeps_them_all() -> None:
    tasks = [ReviewTask(submission=1, keep=frozenset({1, 2, 3}))]
    result = assign_reviewers(tasks=tasks, reviewers=[ReviewerSeat(reviewer=4)], k=2)
    assert result == {1: (1, 2, 3)}


def test_capacity_binds_and_the_others_share_evenly() -> None:
    tasks = [ReviewTask(submission=s) for s in range(10)]
    seats = [ReviewerSeat(reviewer=1, capacity=1)] + [ReviewerSeat(reviewer=r) for r in (2, 3, 4)]
    result = assign_reviewers(tasks=tasks, reviewers=seats, k=2)
    loads = loads_of(result)
    assert loads[1] == 1
    assert sorted(loads[r] for r in (2, 3, 4)) == [6, 6, 7]


def test_declared_conflicts_make_loads_uneven_only_as_much_as_they_must() -> None:
    # Reviewer 1 may review only submission 0; the others share the rest evenly.
    tasks = [ReviewTask(submission=0)] + [
        ReviewTask(submission=s, conflicts=frozenset({1})) for s in range(1, 7)
    ]
    seats = [ReviewerSeat(reviewer=r) for r in (1, 2, 3)]
    result = assign_reviewers(tasks=tasks, reviewers=seats, k=1)
    assert loads_of(result) == {1: 1, 2: 3, 3: 3}


def test_submission_without_enough_free_reviewers_is_named() -> None:
    tasks = [
        ReviewTask(submission=7, conflicts=frozenset({1, 2})),
        ReviewTask(submission=8),
        ReviewTask(submission=9, conflicts=frozenset({3})),
    ]
    seats = [ReviewerSeat(reviewer=r) for r in (1, 2, 3)]
    with pytest.raises(AssignmentError) as raised:
        assign_reviewers(tasks=tasks, reviewers=seats, k=2)
    assert raised.value.submissions == [7]
    assert str(raised.value) == (
        "Fewer than 2 reviewers without a conflict of interest (and with room left): submissions 7."
    )


def test_capacities_too_small_overall_name_the_submissions_left_short() -> None:
    tasks = [ReviewTask(submission=s) for s in range(4)]
    seats = [ReviewerSeat(reviewer=1, capacity=2), ReviewerSeat(reviewer=2, capacity=1)]
    with pytest.raises(AssignmentError) as raised:
        assign_reviewers(tasks=tasks, reviewers=seats, k=1)
    assert len(raised.value.submissions) == 1
    assert str(raised.value).startswith(
        "The reviewers' capacities do not allow 1 reviewers for every submission"
    )


def test_a_kept_reviewer_with_a_conflict_is_refused() -> None:
    tasks = [ReviewTask(submission=5, conflicts=frozenset({1}), keep=frozenset({1}))]
    with pytest.raises(AssignmentError) as raised:
        assign_reviewers(tasks=tasks, reviewers=[ReviewerSeat(reviewer=1)], k=1)
    assert raised.value.submissions == [5]


@pytest.mark.parametrize(
    ("tasks", "reviewers", "k", "message"),
    [
        ([], [], -1, "k must not be negative"),
        ([ReviewTask(submission=1), ReviewTask(submission=1)], [], 1, "submission is listed twice"),
        ([], [ReviewerSeat(reviewer=1), ReviewerSeat(reviewer=1)], 1, "reviewer is listed twice"),
        ([], [ReviewerSeat(reviewer=1, capacity=-1)], 1, "capacity must not be negative"),
    ],
)
def test_bad_input_is_a_value_error(tasks, reviewers, k, message) -> None:
    with pytest.raises(ValueError, match=message):
        assign_reviewers(tasks=tasks, reviewers=reviewers, k=k)


def test_k_zero_and_no_tasks() -> None:
    assert assign_reviewers(tasks=[], reviewers=[ReviewerSeat(reviewer=1)], k=3) == {}
    assert assign_reviewers(
        tasks=[ReviewTask(submission=1, keep=frozenset({4}))], reviewers=[], k=0
    ) == {1: (4,)}

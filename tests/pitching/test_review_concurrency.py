"""Parallel jury work on PostgreSQL: concurrent assignment runs never double-assign (the
call row lock, ``assignment_once`` behind it); concurrent score saves leave one score per
criterion (the assignment row lock, ``score_once`` behind it)."""

from __future__ import annotations

from collections import Counter

import pytest

from reelmarket.pitching import services_review as services
from reelmarket.pitching.models import ReviewAssignment, Score
from tests.concurrency import require_postgres, run_concurrently
from tests.pitching.review_world import ReviewWorld

THREADS = 6


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_assignment_runs_never_double_assign():
    require_postgres()
    world = ReviewWorld(k=2, submissions=12)

    def run(i: int) -> services.AssignOutcome:
        return services.review_assign(actor=world.organiser, call=world.call, seed=i)

    results = run_concurrently(run, threads=THREADS)
    assert all(isinstance(r, services.AssignOutcome) for r in results), results
    # The first run in wins and deals everything; the others queue on the call row and
    # find nothing missing.
    assert sorted(r.created for r in results) == [0] * (THREADS - 1) + [24]
    per_submission = Counter(ReviewAssignment.objects.values_list("submission_id", flat=True))
    assert per_submission == {s.pk: 2 for s in world.submissions}
    assert ReviewAssignment.objects.count() == 24
    assert sorted(
        Counter(ReviewAssignment.objects.values_list("reviewer_id", flat=True)).values()
    ) == [6, 6, 6, 6]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_of_one_review_keep_one_score_per_criterion():
    require_postgres()
    world = ReviewWorld(k=1, submissions=1)
    assignment = ReviewAssignment.objects.create(
        submission=world.submissions[0], reviewer=world.reviewers[1]
    )
    user = world.reviewers[1].participant.user

    def save(i: int) -> ReviewAssignment:
        return services.review_save(
            actor=user,
            assignment=assignment,
            scores={world.story.pk: i, world.team.pk: i % 6},
            comment=f"take {i}",
        )

    results = run_concurrently(save, threads=THREADS)
    assert all(isinstance(r, ReviewAssignment) for r in results), results
    scores = list(Score.objects.filter(assignment=assignment).values_list("criterion_id", "value"))
    assert sorted(c for c, _v in scores) == sorted([world.story.pk, world.team.pk])
    assignment.refresh_from_db()
    last = int(assignment.comment.removeprefix("take "))
    assert dict(scores) == {world.story.pk: last, world.team.pk: last % 6}

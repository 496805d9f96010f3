"""Parallel feedback and recomputes on PostgreSQL: one row per target, whatever the race."""

from __future__ import annotations

import pytest

from reelmarket.matchmaking import scoring_adapter, services
from reelmarket.matchmaking.enums import TargetKind, Verdict
from reelmarket.matchmaking.models import Feedback, Suggestion
from reelmarket.meetings.models import PairBlock
from tests.concurrency import require_postgres, run_concurrently
from tests.matchmaking.web_world import MatchWorld

THREADS = 8


@pytest.fixture
def fresh_world():
    scoring_adapter.world_reset()
    yield
    scoring_adapter.world_reset()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_feedback_eight_times_at_once_is_one_row(fresh_world):
    require_postgres()
    world = MatchWorld()

    def give(i: int):
        return services.feedback_give(
            actor=world.linh.user,
            kind=TargetKind.TITLE,
            verdict=Verdict.NOT_INTERESTED,
            title=world.school,
        )

    results = run_concurrently(give, threads=THREADS)
    assert [type(r).__name__ for r in results] == ["Feedback"] * THREADS
    assert len({r.pk for r in results}) == 1
    row = Feedback.objects.get()
    assert (row.viewer_id, row.key, row.verdict) == (
        world.linh.pk,
        f"t{world.school.pk}",
        Verdict.NOT_INTERESTED,
    )
    titles = Suggestion.objects.filter(viewer=world.linh, kind=TargetKind.TITLE)
    assert world.school.pk not in set(titles.values_list("title_id", flat=True))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_no_thanks_from_both_sides_at_once_is_one_block(fresh_world):
    require_postgres()
    world = MatchWorld()

    def say(i: int):
        if i % 2:
            return services.feedback_give(
                actor=world.linh.user,
                kind=TargetKind.MEETING,
                verdict=Verdict.NO_THANKS,
                person=world.kenji,
            )
        return services.feedback_give(
            actor=world.kenji.user,
            kind=TargetKind.MEETING,
            verdict=Verdict.NO_THANKS,
            person=world.linh,
        )

    results = run_concurrently(say, threads=THREADS)
    assert [type(r).__name__ for r in results] == ["Feedback"] * THREADS
    assert Feedback.objects.count() == 2
    assert PairBlock.objects.count() == 1
    assert not Suggestion.objects.filter(viewer=world.linh, person=world.kenji).exists()
    assert not Suggestion.objects.filter(viewer=world.kenji, person=world.linh).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_recomputes_of_one_viewer_leave_one_consistent_list(fresh_world):
    require_postgres()
    world = MatchWorld()

    results = run_concurrently(
        lambda i: services.recompute_for(participant=world.linh), threads=THREADS
    )
    assert all(r == 4 for r in results), results
    keys = list(Suggestion.objects.filter(viewer=world.linh).values_list("kind", "rank"))
    assert sorted(keys) == [("meeting", 1), ("title", 1), ("title", 2), ("title", 3)]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_eight_organisers_start_one_recompute(fresh_world, settings, monkeypatch):
    require_postgres()
    from reelmarket.matchmaking.errors import MatchError
    from reelmarket.matchmaking.models import RecomputeRun

    settings.TASKS_MODE = "celery"  # queued, not run here: the race is on the start
    settings.TASKS_BROKER_URL = "memory://"
    world = MatchWorld()
    sent: list[str] = []

    monkeypatch.setattr(
        "reelmarket.config.celery.send", lambda **kwargs: sent.append(kwargs["name"])
    )
    results = run_concurrently(
        lambda i: services.recompute_run_start(actor=world.organiser), threads=THREADS
    )
    runs = [r for r in results if isinstance(r, RecomputeRun)]
    refused = [r.code for r in results if isinstance(r, MatchError)]
    assert len(runs) == 1 and refused == ["run_active"] * (THREADS - 1)
    assert RecomputeRun.objects.filter(is_active=True).count() == 1
    assert sent == ["matchmaking.recompute_all"]

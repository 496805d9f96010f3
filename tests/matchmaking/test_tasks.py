"""The matchmaking tasks: registered on their queue, ids in, idempotent; the batch task runs
a queued run to its end; the triggers queue only what they touch."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from reelmarket.config.tasks import registered_tasks
from reelmarket.matchmaking import services
from reelmarket.matchmaking.enums import RunStatus, TargetKind
from reelmarket.matchmaking.models import RecomputeRun, Suggestion
from reelmarket.matchmaking.tasks import (
    recompute_all_task,
    recompute_for_task,
    recompute_titles_task,
)
from tests.matchmaking.web_world import MatchWorld, fresh_world


@pytest.fixture
def world(db) -> Iterator[MatchWorld]:
    yield from fresh_world()


def test_tasks_are_registered_on_the_matchmaking_queue():
    tasks = registered_tasks()
    for name in (
        "matchmaking.recompute_for",
        "matchmaking.recompute_titles",
        "matchmaking.recompute_all",
    ):
        assert tasks[name].queue == "matchmaking"


def test_recompute_for_is_idempotent_and_ignores_a_gone_participant(world: MatchWorld):
    recompute_for_task(participant_id=world.linh.pk)
    first = list(Suggestion.objects.filter(viewer=world.linh).values_list("key", "rank", "score"))
    recompute_for_task(participant_id=world.linh.pk)
    again = list(Suggestion.objects.filter(viewer=world.linh).values_list("key", "rank", "score"))
    assert first == again and len(first) == 4
    recompute_for_task(participant_id=999999)


def test_the_batch_task_finishes_its_run(world: MatchWorld):
    run = services.recompute_run_start(actor=world.organiser)
    recompute_all_task(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE
    assert run.viewers_done == run.viewers_total > 0
    assert run.started_at is not None and run.finished_at is not None
    recompute_all_task(run_id=999999)
    assert RecomputeRun.objects.count() == 1


def test_titles_task_recomputes_the_touched_viewers_only(world: MatchWorld):
    services.recompute_all()
    fund_rows = list(Suggestion.objects.filter(viewer=world.fund).values_list("pk", "computed_at"))
    linh_before = set(Suggestion.objects.filter(viewer=world.linh).values_list("pk", flat=True))
    world.jungle.is_published = False
    world.jungle.save()
    recompute_titles_task(title_ids=[world.jungle.pk])
    assert (
        list(Suggestion.objects.filter(viewer=world.fund).values_list("pk", "computed_at"))
        == fund_rows
    )
    assert linh_before.isdisjoint(
        Suggestion.objects.filter(viewer=world.linh).values_list("pk", flat=True)
    )
    assert not Suggestion.objects.filter(title=world.jungle).exists()
    for title_ids in Suggestion.objects.filter(kind=TargetKind.MEETING).values_list(
        "title_ids", flat=True
    ):
        assert world.jungle.pk not in title_ids


def test_signals_queue_nothing_when_disabled(
    world: MatchWorld, settings, django_capture_on_commit_callbacks
):
    settings.MATCHMAKING_AUTO_RECOMPUTE = False
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        world.linh.genres = ["horror"]
        world.linh.save()
    assert callbacks == []
    assert not Suggestion.objects.exists()

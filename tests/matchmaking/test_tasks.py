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
        "matchmaking.warm_world",
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


@pytest.fixture
def queued(settings, monkeypatch) -> list[str]:
    """The embedded default's mode, with what would be queued recorded instead of run."""
    import reelmarket.config.tasks as tasks

    settings.TASKS_MODE = "thread"
    names: list[str] = []
    monkeypatch.setattr(tasks, "enqueue", lambda func, **kwargs: names.append(func.task_name))
    return names


def test_an_old_world_is_served_while_one_warm_up_reloads_it(world, queued, monkeypatch):
    from reelmarket.matchmaking import scoring_adapter

    first = scoring_adapter.world()
    assert queued == []
    monkeypatch.setattr(scoring_adapter, "WORLD_TTL_SECONDS", 0.0)  # it is old at once
    assert scoring_adapter.world() is first
    assert scoring_adapter.world() is first
    assert queued == ["matchmaking.warm_world"]  # one warm-up, not one per call
    scoring_adapter.world_warm()  # what the task does
    second = scoring_adapter.world()
    assert second is not first
    assert queued == ["matchmaking.warm_world"] * 2  # old again at once: the next warm-up


def test_a_changed_catalogue_is_loaded_at_once_not_in_the_background(world, queued):
    from reelmarket.matchmaking import scoring_adapter
    from tests.factories import TitleFactory

    first = scoring_adapter.world()
    TitleFactory(owner=world.seller_org, original_title="Brand New")
    assert scoring_adapter.world() is not first
    assert queued == []


def test_the_first_request_queues_the_warm_up_once(world, queued, client):
    from reelmarket.matchmaking import scoring_adapter
    from reelmarket.matchmaking.middleware import WarmMatchmakingMiddleware

    scoring_adapter.world_reset()
    middleware = WarmMatchmakingMiddleware(lambda request: "page")
    assert middleware(object()) == "page"
    assert middleware(object()) == "page"
    assert queued == ["matchmaking.warm_world"]
    scoring_adapter.world_warm()
    assert WarmMatchmakingMiddleware(lambda request: "page")(object()) == "page"
    assert queued == ["matchmaking.warm_world"]  # a loaded world needs no warm-up


def test_outside_the_embedded_default_an_old_world_is_reloaded_in_place(world, monkeypatch):
    from reelmarket.matchmaking import scoring_adapter

    first = scoring_adapter.world()  # the suite runs tasks "immediate"
    monkeypatch.setattr(scoring_adapter, "WORLD_TTL_SECONDS", 0.0)
    assert scoring_adapter.world() is not first

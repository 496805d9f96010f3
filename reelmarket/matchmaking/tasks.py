"""Background recomputes (queue "matchmaking"): ids in, the services do the work.

Idempotent: a recompute that runs twice writes the same rows twice.
"""

from __future__ import annotations

from reelmarket.config.tasks import task
from reelmarket.market.models import Participant
from reelmarket.matchmaking import scoring_adapter, selectors, services
from reelmarket.matchmaking.models import RecomputeRun


@task(name="matchmaking.recompute_for", queue="matchmaking")
def recompute_for_task(*, participant_id: int) -> None:
    """One profile changed: that viewer's rows only."""
    participant = Participant.objects.filter(pk=participant_id).first()
    if participant is not None:
        services.recompute_for(participant=participant)


@task(name="matchmaking.recompute_titles", queue="matchmaking")
def recompute_titles_task(*, title_ids: list[int]) -> None:
    """Titles changed: the viewers they touch (one scoring pass for all of them)."""
    services.recompute_many(
        participant_ids=selectors.viewers_touched_by_titles(title_ids=title_ids)
    )


@task(name="matchmaking.warm_world", queue="matchmaking")
def warm_world_task() -> None:
    """Load this process's matchmaking world ahead of the next recompute (embedded default:
    at the first request, and when the world grows old)."""
    scoring_adapter.world_warm()


@task(name="matchmaking.recompute_all", queue="matchmaking")
def recompute_all_task(*, run_id: int) -> None:
    """The batch: every viewer; progress on the run."""
    run = RecomputeRun.objects.filter(pk=run_id).first()
    if run is not None:
        services.recompute_all(run=run)

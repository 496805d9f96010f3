"""Background work of the optimiser: the run itself on the "scheduling" queue, and the
"your meeting is scheduled" mails of a publication on the "mail" queue (ids in; both
idempotent: a run that is no longer queued is left alone).

The task layer only registers tasks of modules it imports; ``meetings.tasks`` imports this
module so that ``autodiscover`` (the worker) finds them.
"""

from __future__ import annotations

from datetime import datetime

from reelmarket.config.tasks import enqueue, task
from reelmarket.meetings.enums import MeetingStatus
from reelmarket.meetings.models import Meeting
from reelmarket.meetings.notifications import Event, send_request_event


@task(name="meetings.optimise", queue="scheduling")
def optimise(*, run_id: int) -> None:
    """Solve a queued optimiser run and write its provisional grid."""
    from reelmarket.meetings.optimiser import schedule_run_execute

    schedule_run_execute(run_id=run_id)


@task(name="meetings.announce_published", queue="mail")
def announce_published_task(*, edition_id: int, since: str) -> None:
    """Mail both sides of every meeting published at ``since`` (one publication)."""
    published = Meeting.objects.filter(
        edition_id=edition_id,
        status=MeetingStatus.PUBLISHED,
        published_at=datetime.fromisoformat(since),
    ).order_by("pk")
    for request_id in published.values_list("request_id", flat=True).iterator():
        send_request_event(request_id=request_id, event=Event.SCHEDULED.value, actor_id=None)


def optimise_queue(*, run_id: int) -> None:
    """Queue the run for when the current transaction commits."""
    enqueue(optimise, run_id=run_id)


def announce_published(*, edition_id: int, since: str) -> None:
    enqueue(announce_published_task, edition_id=edition_id, since=since)

"""Background work of the meetings app: e-mail on the "mail" queue (ids in, idempotent
reads: a task that runs twice sends the same message twice, never a wrong one)."""

from __future__ import annotations

from reelmarket.config.tasks import enqueue, task
from reelmarket.meetings.notifications import Event, send_request_event


@task(name="meetings.notify", queue="mail")
def notify(*, request_id: int, event: str, actor_id: int | None = None) -> None:
    """Mail the other side of a request about ``event`` (see ``notifications``)."""
    send_request_event(request_id=request_id, event=Event(event).value, actor_id=actor_id)


def announce(*, request_id: int, event: str, actor_id: int | None) -> None:
    """Queue ``notify`` for when the current transaction commits."""
    enqueue(notify, request_id=request_id, event=str(Event(event).value), actor_id=actor_id)


# The organiser optimiser's tasks live beside their views; registering them here makes a
# Celery worker that autodiscovers `meetings.tasks` know them too.
from reelmarket.meetings import tasks_schedule  # noqa: E402,F401

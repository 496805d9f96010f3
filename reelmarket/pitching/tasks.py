"""Background work of the pitch forum: e-mail on the "mail" queue (ids in, idempotent
reads). Other parts of the app may register their tasks in ``tasks_<part>.py`` and import
them at the bottom of this module, so a Celery worker that autodiscovers ``pitching.tasks``
knows them too."""

from __future__ import annotations

from reelmarket.config.tasks import enqueue, task
from reelmarket.pitching.notifications import Event, send_submission_event


@task(name="pitching.notify", queue="mail")
def notify(*, submission_id: int, event: str) -> None:
    """Mail the applicant about ``event`` on their submission (see ``notifications``)."""
    send_submission_event(submission_id=submission_id, event=Event(event).value)


def announce(*, submission_id: int, event: str) -> None:
    """Queue ``notify`` for when the current transaction commits."""
    enqueue(notify, submission_id=submission_id, event=str(Event(event).value))


# Other parts' tasks, so a worker that autodiscovers pitching.tasks knows them too.
from reelmarket.pitching import tasks_after, tasks_review  # noqa: E402, F401

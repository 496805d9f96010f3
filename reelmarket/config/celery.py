"""The Celery app: every ``@task`` of ``reelmarket.config.tasks`` becomes a Celery task.

Configured from Django settings: the broker is ``settings.TASKS_BROKER_URL``
(``REELMARKET_BROKER_URL``), each task is routed to the queue it was registered on, JSON
only, late acknowledgement (a task whose worker dies is delivered again — tasks are
idempotent), one message prefetched at a time (long embedding jobs do not hold back short
ones), no result backend (tasks write their results to the database).

Start workers with ``reelmarket worker`` (or ``celery -A reelmarket.config.celery worker``).
"""

from __future__ import annotations

import os
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reelmarket.config.settings")

from celery import Celery, signals
from django.conf import settings

from reelmarket.config import tasks

app = Celery("reelmarket")
app.conf.update(
    broker_url=settings.TASKS_BROKER_URL or None,
    broker_connection_retry_on_startup=True,
    # Redis re-delivers an unacknowledged message after this long: tasks must finish well
    # within it (the reindex is split into chunks for that reason).
    broker_transport_options={"visibility_timeout": 3600},
    task_serializer="json",
    accept_content=["json"],
    result_serializer="json",
    task_ignore_result=True,
    task_default_queue=tasks.DEFAULT_QUEUE,
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    worker_send_task_events=False,
    timezone="UTC",
    enable_utc=True,
)


def route(name: str, args: Any, kwargs: Any, options: Any, task: Any = None, **kw: Any) -> Any:
    """Celery router: a registered task goes to the queue it was registered on."""
    spec = tasks.registered_tasks().get(name)
    return {"queue": spec.queue} if spec else None


app.conf.task_routes = (route,)


def _as_celery_task(spec: tasks.TaskSpec) -> None:
    app.task(name=spec.name, shared=False)(spec.func)


# Every function registered with @task (now or later) is also a Celery task of this app.
tasks.on_register(_as_celery_task)


@signals.import_modules.connect(sender=app)
def _import_task_modules(**kwargs: Any) -> None:
    """When a worker starts: set Django up and import every installed app's tasks module."""
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()
    tasks.autodiscover()


def send(*, name: str, queue: str, kwargs: dict[str, Any]) -> None:
    """Publish the task ``name`` with ``kwargs`` to ``queue`` on the configured broker."""
    app.send_task(name, kwargs=kwargs, queue=queue)

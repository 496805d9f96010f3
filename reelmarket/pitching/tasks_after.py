"""Background work after selection: building the one-on-one grid from a large call's
meeting wishes (ids in; idempotent, since the service only handles wishes that have no
request yet: a task that runs twice adds nothing the second time).

Registered for a Celery worker through ``pitching.tasks`` (which imports this module).
"""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model

from reelmarket.config.tasks import enqueue, task
from reelmarket.pitching.models import Call

logger = logging.getLogger("reelmarket.pitching")


@task(name="pitching.one_on_ones", queue="scheduling")
def build_one_on_ones(*, call_id: int, actor_id: int) -> None:
    """Turn the call's new wishes into accepted meeting requests, as ``actor`` (the
    organiser who asked); what could not be done stays visible on the wishes overview."""
    from reelmarket.pitching.services_after import grid_from_wishes

    call = Call.objects.select_related("edition").filter(pk=call_id).first()
    actor = get_user_model().objects.filter(pk=actor_id).first()
    if call is None or actor is None:
        return
    outcome = grid_from_wishes(actor=actor, call=call)
    logger.info(
        "one-on-ones of call %s: %d created, %d linked, %d left aside",
        call_id,
        len(outcome.created),
        len(outcome.linked),
        len(outcome.skipped),
    )


def build_one_on_ones_queue(*, call_id: int, actor_id: int) -> None:
    """Queue the build for when the current transaction commits."""
    enqueue(build_one_on_ones, call_id=call_id, actor_id=actor_id)

"""The writes the web pages, the API and the CLI share: a core service plus its e-mail.

Each function calls the one service in ``services`` that does the work and, in the same
transaction, queues the notification task (``tasks.notify``) for when it commits: a write
that rolls back mails nobody. The core services stay free of mail; everything a person can
do from a page or the API goes through here, so both notify alike.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from reelmarket.catalogue.models import Title
from reelmarket.market.models import Edition, Organisation, Participant
from reelmarket.market.rules import participant_of
from reelmarket.meetings import services
from reelmarket.meetings.enums import Place, Priority, RequestState
from reelmarket.meetings.models import Meeting, MeetingRequest
from reelmarket.meetings.notifications import Event
from reelmarket.meetings.tasks import announce


def _actor_id(actor: Any) -> int | None:
    participant = participant_of(actor)
    return participant.pk if participant is not None else None


def request_create(
    *,
    actor: Any,
    edition: Edition,
    target_person: Participant | None = None,
    target_organisation: Organisation | None = None,
    message: str = "",
    titles: Iterable[Title] = (),
    priority: str = Priority.MEET,
) -> MeetingRequest:
    with transaction.atomic():
        request = services.request_create(
            actor=actor,
            edition=edition,
            target_person=target_person,
            target_organisation=target_organisation,
            message=message,
            titles=titles,
            priority=priority,
        )
        announce(request_id=request.pk, event=Event.CREATED, actor_id=_actor_id(actor))
    return request


def request_accept(
    *, actor: Any, request: MeetingRequest, priority: str = Priority.MEET
) -> MeetingRequest:
    with transaction.atomic():
        request = services.request_accept(actor=actor, request=request, priority=priority)
        announce(request_id=request.pk, event=Event.ACCEPTED, actor_id=_actor_id(actor))
    if _grid_published(request.edition_id):
        # After the organiser has published the optimised grid, a late acceptance is placed
        # at once without moving anything; if it does not fit it waits for the next run.
        from reelmarket.meetings.errors import MeetingError
        from reelmarket.meetings.optimiser import request_place_late

        with contextlib.suppress(MeetingError):  # does not fit: waits for the next run
            request_place_late(actor=actor, request=request)
        request.refresh_from_db()
    return request


def _grid_published(edition_id: int) -> bool:
    from reelmarket.meetings.enums import SchedulingMode
    from reelmarket.meetings.models import MeetingGrid, ScheduleRun

    optimised = MeetingGrid.objects.filter(
        edition_id=edition_id, mode=SchedulingMode.OPTIMISER
    ).exists()
    return (
        optimised
        and ScheduleRun.objects.filter(
            edition_id=edition_id, status=ScheduleRun.Status.PUBLISHED
        ).exists()
    )


def request_decline(
    *, actor: Any, request: MeetingRequest, note: str = "", no_thanks: bool = False
) -> MeetingRequest:
    with transaction.atomic():
        request = services.request_decline(
            actor=actor, request=request, note=note, no_thanks=no_thanks
        )
        announce(request_id=request.pk, event=Event.DECLINED, actor_id=_actor_id(actor))
    return request


def request_cancel(*, actor: Any, request: MeetingRequest, note: str = "") -> MeetingRequest:
    with transaction.atomic():
        request = services.request_cancel(actor=actor, request=request, note=note)
        announce(request_id=request.pk, event=Event.CANCELLED, actor_id=_actor_id(actor))
    return request


def request_book(
    *,
    actor: Any,
    request: MeetingRequest,
    slot: datetime,
    place: Place,
    priority: str = Priority.MEET,
    online_link: str = "",
) -> Meeting:
    """Self-booking: accept-and-book a pending request, or book an accepted one."""
    with transaction.atomic():
        if request.state == RequestState.REQUESTED:
            meeting = services.request_accept_and_book(
                actor=actor,
                request=request,
                slot=slot,
                place=place,
                priority=priority,
                online_link=online_link,
            )
        else:
            meeting = services.meeting_book(
                actor=actor, request=request, slot=slot, place=place, online_link=online_link
            )
        announce(request_id=request.pk, event=Event.SCHEDULED, actor_id=_actor_id(actor))
    return meeting


def meeting_reschedule(
    *, actor: Any, meeting: Meeting, slot: datetime, place: Place | None = None
) -> Meeting:
    with transaction.atomic():
        meeting = services.meeting_reschedule(actor=actor, meeting=meeting, slot=slot, place=place)
        announce(request_id=meeting.request_id, event=Event.MOVED, actor_id=_actor_id(actor))
    return meeting


def meeting_check_in(*, actor: Any, meeting: Meeting, held: bool) -> Meeting:
    """No mail: a check-in is the organisers' record."""
    return services.meeting_check_in(actor=actor, meeting=meeting, held=held)


def requests_expire_and_notify(*, now: datetime | None = None) -> int:
    """Expire overdue pending requests and tell each requester; returns how many expired."""
    now = now or timezone.now()
    due = list(
        MeetingRequest.objects.filter(
            state=RequestState.REQUESTED, expires_at__lte=now
        ).values_list("pk", flat=True)
    )
    count = services.requests_expire(now=now)
    expired = MeetingRequest.objects.filter(pk__in=due, state=RequestState.EXPIRED)
    with transaction.atomic():
        for request_id in expired.values_list("pk", flat=True):
            announce(request_id=request_id, event=Event.EXPIRED, actor_id=None)
    return count

"""Writes of the meetings app: keyword-only, one transaction each, permission inside.

Requests and their state machine live in ``services_requests``, booking in
``services_booking``; both are re-exported here, so callers import from this module only.
"""

from __future__ import annotations

import secrets
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from reelmarket.market.models import Edition, Participant
from reelmarket.meetings import selectors
from reelmarket.meetings.enums import SchedulingMode
from reelmarket.meetings.errors import MeetingError
from reelmarket.meetings.models import (
    AvailabilityDay,
    CalendarFeed,
    MeetingGrid,
    RequestQuota,
    WorkingHours,
)
from reelmarket.meetings.rules import may_manage_grid, may_manage_participant
from reelmarket.meetings.services_booking import (
    meeting_book,
    meeting_cancel,
    meeting_check_in,
    meeting_reschedule,
    meetings_publish,
    request_accept_and_book,
    request_colleagues_set,
)
from reelmarket.meetings.services_requests import (
    pair_block,
    request_accept,
    request_cancel,
    request_create,
    request_decline,
    request_transition,
    requests_expire,
)
from reelmarket.meetings.slots import slot_at


def grid_configure(
    *,
    actor: object,
    edition: Edition,
    slot_minutes: int = 30,
    day_start: time = time(10, 0),
    day_end: time = time(18, 0),
    days: Iterable[date] = (),
    mode: str = SchedulingMode.SELF_BOOKING,
    request_expiry_hours: int = 72,
    shared_tables: int = 0,
    shared_reserve: int = 0,
    quotas: Mapping[str, int] | None = None,
) -> MeetingGrid:
    """Create or update the edition's grid; ``quotas`` (role -> requests) replaces all."""
    if not may_manage_grid(actor):
        raise PermissionDenied(_("Only organisers set up the meeting grid."))
    with transaction.atomic():
        grid = MeetingGrid.objects.select_for_update().filter(edition=edition).first()
        grid = grid or MeetingGrid(edition=edition)
        grid.slot_minutes = slot_minutes
        grid.day_start, grid.day_end = day_start, day_end
        grid.days = [d.isoformat() for d in sorted(days)]
        grid.mode = SchedulingMode(mode)
        grid.request_expiry_hours = request_expiry_hours
        grid.shared_tables, grid.shared_reserve = shared_tables, shared_reserve
        try:
            grid.full_clean()
        except ValidationError as exc:
            raise MeetingError("bad_grid", "; ".join(exc.messages)) from None
        grid.save()
        if quotas is not None:
            grid.quotas.all().delete()
            RequestQuota.objects.bulk_create(
                [RequestQuota(grid=grid, role=role, limit=limit) for role, limit in quotas.items()]
            )
    return grid


# ---- availability ---------------------------------------------------------------------------


def availability_mark(
    *,
    actor: object,
    participant: Participant,
    edition: Edition,
    slots: Iterable[datetime],
    busy: bool,
) -> None:
    """Mark grid slots (their start instants) busy, or free again."""
    if not may_manage_participant(actor, participant):
        raise PermissionDenied(_("You may only change your own availability."))
    grid = selectors.grid_for(edition)
    per_day: dict[date, int] = defaultdict(int)
    for start in slots:
        slot = slot_at(grid.spec, start)
        if slot is None:
            raise MeetingError("not_a_slot", _("That time is not a slot of the meeting grid."))
        per_day[slot.day] |= 1 << slot.index
    with transaction.atomic():
        for day, bits in per_day.items():
            row, _created = AvailabilityDay.objects.get_or_create(
                edition=edition, participant=participant, day=day
            )
            row = AvailabilityDay.objects.select_for_update().get(pk=row.pk)
            row.busy_mask = (row.busy_mask | bits) if busy else (row.busy_mask & ~bits)
            row.save(update_fields=["busy_mask"])


def availability_set_day(
    *, actor: object, participant: Participant, edition: Edition, day: date, busy_mask: int
) -> None:
    """Replace one day's busy marks (bit i = slot i of the day)."""
    if not may_manage_participant(actor, participant):
        raise PermissionDenied(_("You may only change your own availability."))
    grid = selectors.grid_for(edition)
    if day not in grid.spec.days:
        raise MeetingError("not_a_day", _("That day is not a meeting day."))
    if busy_mask < 0 or busy_mask > grid.spec.full_mask:
        raise MeetingError("not_a_slot", _("That time is not a slot of the meeting grid."))
    with transaction.atomic():
        AvailabilityDay.objects.update_or_create(
            edition=edition, participant=participant, day=day, defaults={"busy_mask": busy_mask}
        )


def working_hours_set(
    *,
    actor: object,
    participant: Participant,
    edition: Edition,
    time_zone: str,
    start: time,
    end: time,
) -> WorkingHours:
    """An online participant's daily working hours in their own zone (mapped onto the grid)."""
    if not may_manage_participant(actor, participant):
        raise PermissionDenied(_("You may only change your own working hours."))
    try:
        zoneinfo.ZoneInfo(time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise MeetingError("bad_time_zone", _("Unknown time zone.")) from None
    if start == end:
        raise MeetingError("bad_hours", _("Working hours must not be empty."))
    with transaction.atomic():
        hours, _created = WorkingHours.objects.update_or_create(
            edition=edition,
            participant=participant,
            defaults={"time_zone": time_zone, "start": start, "end": end},
        )
    return hours


# ---- calendar feed tokens -------------------------------------------------------------------


def feed_token_issue(*, actor: object, participant: Participant) -> str:
    """The participant's feed token, created on first use."""
    if not may_manage_participant(actor, participant):
        raise PermissionDenied(_("You may only manage your own calendar feed."))
    with transaction.atomic():
        feed, _created = CalendarFeed.objects.get_or_create(
            participant=participant, defaults={"token": secrets.token_urlsafe(32)}
        )
    return feed.token


def feed_token_regenerate(*, actor: object, participant: Participant) -> str:
    """A new token; the old URL stops working at once."""
    if not may_manage_participant(actor, participant):
        raise PermissionDenied(_("You may only manage your own calendar feed."))
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        CalendarFeed.objects.update_or_create(participant=participant, defaults={"token": token})
    return token


def feed_token_revoke(*, actor: object, participant: Participant) -> None:
    if not may_manage_participant(actor, participant):
        raise PermissionDenied(_("You may only manage your own calendar feed."))
    with transaction.atomic():
        CalendarFeed.objects.filter(participant=participant).delete()


__all__ = [
    "availability_mark",
    "availability_set_day",
    "feed_token_issue",
    "feed_token_regenerate",
    "feed_token_revoke",
    "grid_configure",
    "meeting_book",
    "meeting_cancel",
    "meeting_check_in",
    "meeting_reschedule",
    "meetings_publish",
    "pair_block",
    "request_accept",
    "request_accept_and_book",
    "request_cancel",
    "request_colleagues_set",
    "request_create",
    "request_decline",
    "request_transition",
    "requests_expire",
    "working_hours_set",
]

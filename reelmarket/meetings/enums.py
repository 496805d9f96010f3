"""Vocabularies and the meeting-request state machine.

The state machine is the single source of truth for which request states may follow which;
``services.request_transition`` is the one function that moves a request and writes the
audit row.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class SchedulingMode(models.TextChoices):
    SELF_BOOKING = "self_booking", _("Self-booking: participants pick slots on accepting")
    OPTIMISER = "optimiser", _("Organiser-run optimiser")


class Priority(models.TextChoices):
    MUST_MEET = "must_meet", _("Must meet")
    MEET = "meet", _("Would like to meet")
    NICE_TO_MEET = "nice_to_meet", _("Nice to meet")


# Weight of one side's priority in the optimiser's objective (a request's weight is the sum
# of both sides' weights).
PRIORITY_WEIGHT: dict[str, int] = {
    Priority.MUST_MEET: 4,
    Priority.MEET: 2,
    Priority.NICE_TO_MEET: 1,
}


class RequestState(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Expired")
    CANCELLED = "cancelled", _("Cancelled")
    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held")
    NO_SHOW = "no_show", _("No-show")


S = RequestState

# from-state -> states it may move to. Anything not listed is refused.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.REQUESTED: frozenset({S.ACCEPTED, S.DECLINED, S.EXPIRED, S.CANCELLED}),
    S.ACCEPTED: frozenset({S.SCHEDULED, S.CANCELLED}),
    S.SCHEDULED: frozenset({S.HELD, S.NO_SHOW, S.CANCELLED}),
    S.DECLINED: frozenset(),
    S.EXPIRED: frozenset(),
    S.CANCELLED: frozenset(),
    S.HELD: frozenset(),
    S.NO_SHOW: frozenset(),
}

# States in which a request is still alive (counts against the pair's "one open request").
OPEN_STATES: frozenset[str] = frozenset({S.REQUESTED, S.ACCEPTED, S.SCHEDULED})
# States that give the requester's quota back.
REFUNDING_STATES: frozenset[str] = frozenset({S.DECLINED, S.EXPIRED, S.CANCELLED})
# States that consume one unit of the requester's quota.
CONSUMING_STATES: frozenset[str] = frozenset(set(RequestState.values) - REFUNDING_STATES)


def may_transition(from_state: str, to_state: str) -> bool:
    return to_state in TRANSITIONS.get(from_state, frozenset())


class MeetingStatus(models.TextChoices):
    PROVISIONAL = "provisional", _("Provisional")
    PUBLISHED = "published", _("Published")
    CANCELLED = "cancelled", _("Cancelled")


class LocationKind(models.TextChoices):
    BOOTH = "booth", _("Exhibitor booth")
    SHARED = "shared", _("Shared meeting area")
    ONLINE = "online", _("Online")


@dataclass(frozen=True)
class Place:
    """Where a meeting should happen; the table number is chosen by the booking service."""

    kind: LocationKind
    booth_id: int | None = None

    @classmethod
    def booth(cls, booth_id: int) -> Place:
        return cls(LocationKind.BOOTH, booth_id)

    @classmethod
    def shared(cls) -> Place:
        return cls(LocationKind.SHARED)

    @classmethod
    def online(cls) -> Place:
        return cls(LocationKind.ONLINE)

"""The request state machine: every pair of states, allowed or refused, with its audit row."""

from __future__ import annotations

import itertools

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from reelmarket.meetings import services
from reelmarket.meetings.enums import (
    TRANSITIONS,
    LocationKind,
    MeetingStatus,
    RequestState,
)
from reelmarket.meetings.errors import MeetingError
from reelmarket.meetings.models import Meeting, MeetingRequest, MeetingSeat, RequestEvent
from tests.factories import make_user_with_roles
from tests.meetings.factories import MeetingRequestFactory, World, slot_start

S = RequestState
ALL = list(S)
ALLOWED = {(a, b) for a, targets in TRANSITIONS.items() for b in targets}
PAIRS = list(itertools.product(ALL, ALL))


@pytest.fixture
def world(db):
    return World()


def _meeting(world: World, request: MeetingRequest, *, status=MeetingStatus.PUBLISHED) -> Meeting:
    start = slot_start(world.grid, 0, 0)
    meeting = Meeting.objects.create(
        request=request,
        edition=world.edition,
        starts_at=start,
        ends_at=start + (slot_start(world.grid, 0, 1) - start),
        location_kind=LocationKind.SHARED,
        table_number=1,
        status=status,
        published_at=timezone.now(),
    )
    for p in (request.requester, request.counterpart):
        MeetingSeat.objects.create(meeting=meeting, participant=p, starts_at=start)
    return meeting


def request_in(world: World, state: str, *, with_meeting: bool = False) -> MeetingRequest:
    request = MeetingRequestFactory(
        edition=world.edition, requester=world.mei_buyer, target_person=world.kenji, state=state
    )
    if with_meeting or state in (S.SCHEDULED, S.HELD, S.NO_SHOW):
        _meeting(world, request)
    return request


def test_table_is_what_the_issue_says():
    assert {
        (S.REQUESTED, S.ACCEPTED),
        (S.REQUESTED, S.DECLINED),
        (S.REQUESTED, S.EXPIRED),
        (S.REQUESTED, S.CANCELLED),
        (S.ACCEPTED, S.SCHEDULED),
        (S.ACCEPTED, S.CANCELLED),
        (S.SCHEDULED, S.HELD),
        (S.SCHEDULED, S.NO_SHOW),
        (S.SCHEDULED, S.CANCELLED),
    } == ALLOWED
    assert len(PAIRS) == 64


@pytest.mark.parametrize(("from_state", "to_state"), sorted(ALLOWED))
def test_allowed_transition_moves_and_writes_one_audit_row(world, from_state, to_state):
    request = request_in(world, from_state, with_meeting=to_state == S.SCHEDULED)
    result = services.request_transition(
        actor=world.organiser, request=request, to_state=to_state, note="by the desk"
    )
    assert result.state == to_state
    request.refresh_from_db()
    assert request.state == to_state
    events = list(
        RequestEvent.objects.filter(request=request).values_list(
            "actor_id", "from_state", "to_state", "note"
        )
    )
    assert events == [(world.organiser.pk, from_state, to_state, "by the desk")]


@pytest.mark.parametrize(("from_state", "to_state"), sorted(p for p in PAIRS if p not in ALLOWED))
def test_refused_transition_changes_nothing(world, from_state, to_state):
    request = request_in(world, from_state, with_meeting=True)
    with pytest.raises(MeetingError) as caught:
        services.request_transition(actor=world.organiser, request=request, to_state=to_state)
    assert caught.value.code == "invalid_transition"
    assert str(caught.value) == (
        f"A request that is {S(from_state).label} cannot become {S(to_state).label}."
    )
    request.refresh_from_db()
    assert request.state == from_state
    assert not RequestEvent.objects.filter(request=request).exists()


def test_scheduling_needs_a_meeting(world):
    request = request_in(world, S.ACCEPTED)
    with pytest.raises(MeetingError) as caught:
        services.request_transition(actor=world.organiser, request=request, to_state=S.SCHEDULED)
    assert caught.value.code == "no_meeting"


def test_check_in_needs_a_published_meeting(world):
    request = MeetingRequestFactory(
        edition=world.edition,
        requester=world.mei_buyer,
        target_person=world.kenji,
        state=S.SCHEDULED,
    )
    _meeting(world, request, status=MeetingStatus.PROVISIONAL)
    with pytest.raises(MeetingError) as caught:
        services.request_transition(actor=world.organiser, request=request, to_state=S.HELD)
    assert caught.value.code == "not_published"


def test_cancelling_a_scheduled_request_cancels_its_meeting_and_frees_seats(world):
    request = request_in(world, S.SCHEDULED)
    meeting = request.meeting
    services.request_transition(actor=world.organiser, request=request, to_state=S.CANCELLED)
    meeting.refresh_from_db()
    assert (meeting.status, meeting.sequence) == (MeetingStatus.CANCELLED, 1)
    assert list(meeting.seats.values_list("released", flat=True)) == [True, True]


@pytest.mark.parametrize(
    ("who", "to_state", "allowed"),
    [
        ("kenji", S.ACCEPTED, True),
        ("kenji", S.DECLINED, True),
        ("mei_buyer", S.ACCEPTED, False),  # the requester does not accept their own request
        ("mei_buyer", S.DECLINED, False),
        ("mei_buyer", S.CANCELLED, True),
        ("kenji", S.CANCELLED, True),
        ("aiko", S.ACCEPTED, False),  # a colleague does not answer a personal request
        ("sofia", S.CANCELLED, False),
        ("kenji", S.EXPIRED, False),  # expiry is the clock's (or the organisers')
        ("stranger", S.CANCELLED, False),
    ],
)
def test_who_may_move_a_personal_request(world, who, to_state, allowed):
    request = request_in(world, S.REQUESTED)
    actor = make_user_with_roles() if who == "stranger" else getattr(world, who).user
    if allowed:
        services.request_transition(actor=actor, request=request, to_state=to_state)
        request.refresh_from_db()
        assert request.state == to_state
        assert RequestEvent.objects.get(request=request).actor_id == actor.pk
    else:
        with pytest.raises(PermissionDenied):
            services.request_transition(actor=actor, request=request, to_state=to_state)
        request.refresh_from_db()
        assert request.state == S.REQUESTED

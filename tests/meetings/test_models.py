"""The database constraints that hold whatever code paths do."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from reelmarket.meetings.enums import LocationKind, MeetingStatus, RequestState
from reelmarket.meetings.models import (
    Meeting,
    MeetingGrid,
    MeetingRequest,
    MeetingSeat,
    PairBlock,
    TableSlot,
)
from tests.factories import EditionFactory
from tests.meetings.factories import MeetingRequestFactory, World, slot_start


@pytest.fixture
def world(db):
    return World()


def violates(make) -> bool:
    try:
        with transaction.atomic():
            make()
    except IntegrityError:
        return True
    return False


def meeting(world, request, **kwargs) -> Meeting:
    start = slot_start(world.grid)
    values = {
        "request": request,
        "edition": world.edition,
        "starts_at": start,
        "ends_at": start + timezone.timedelta(minutes=30),
        "location_kind": LocationKind.SHARED,
        "table_number": 1,
        "status": MeetingStatus.PUBLISHED,
    }
    values.update(kwargs)
    return Meeting.objects.create(**values)


def request(world, **kwargs) -> MeetingRequest:
    values = {"edition": world.edition, "requester": world.mei_buyer, "target_person": world.kenji}
    values.update(kwargs)
    return MeetingRequestFactory(**values)


def test_one_live_seat_per_person_and_slot(world):
    start = slot_start(world.grid)
    first = meeting(world, request(world))
    second = meeting(world, request(world, requester=world.sofia, state=RequestState.DECLINED))
    MeetingSeat.objects.create(meeting=first, participant=world.kenji, starts_at=start)
    assert violates(
        lambda: MeetingSeat.objects.create(meeting=second, participant=world.kenji, starts_at=start)
    )
    MeetingSeat.objects.filter(meeting=first).update(released=True)
    assert not violates(
        lambda: MeetingSeat.objects.create(meeting=second, participant=world.kenji, starts_at=start)
    )


def test_one_meeting_per_table_and_slot(world):
    start = slot_start(world.grid)
    meetings = [
        meeting(world, request(world, requester=p, state=RequestState.CANCELLED))
        for p in (world.mei_buyer, world.sofia, world.linh, world.aiko)
    ]

    def table(m, booth, number):
        return lambda: TableSlot.objects.create(
            meeting=m, edition=world.edition, booth=booth, table=number, starts_at=start
        )

    assert not violates(table(meetings[0], world.booth, 1))
    assert violates(table(meetings[1], world.booth, 1))
    assert not violates(table(meetings[1], world.booth, 2))
    assert not violates(table(meetings[2], None, 1))  # shared table 1 is another table
    assert violates(table(meetings[3], None, 1))


def test_a_request_targets_a_person_or_a_company(world):
    assert violates(lambda: request(world, target_organisation=world.seller_org))
    assert violates(lambda: request(world, target_person=None, counterpart=None))


def test_one_open_request_per_pair_and_direction(world):
    request(world)
    assert violates(lambda: request(world))
    assert not violates(lambda: request(world, state=RequestState.DECLINED))
    request(world, target_person=None, counterpart=None, target_organisation=world.seller_org)
    assert violates(
        lambda: request(
            world, target_person=None, counterpart=None, target_organisation=world.seller_org
        )
    )


def test_blocks_are_stored_once_in_id_order(world):
    low, high = sorted((world.kenji, world.mei_buyer), key=lambda p: p.pk)
    assert violates(
        lambda: PairBlock.objects.create(
            edition=world.edition, low=high, high=low, blocked_by=world.kenji
        )
    )
    PairBlock.objects.create(edition=world.edition, low=low, high=high, blocked_by=world.kenji)
    assert violates(
        lambda: PairBlock.objects.create(
            edition=world.edition, low=low, high=high, blocked_by=world.mei_buyer
        )
    )


def test_meeting_location_shape(world):
    assert violates(lambda: meeting(world, request(world), location_kind=LocationKind.BOOTH))
    assert violates(
        lambda: meeting(world, request(world), location_kind=LocationKind.ONLINE, table_number=1)
    )
    assert violates(lambda: meeting(world, request(world), table_number=None))
    assert not violates(
        lambda: meeting(world, request(world), location_kind=LocationKind.ONLINE, table_number=None)
    )


def test_grid_reserve_cannot_exceed_tables(db):
    edition = EditionFactory()
    assert violates(
        lambda: MeetingGrid.objects.create(edition=edition, shared_tables=2, shared_reserve=3)
    )

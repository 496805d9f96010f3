"""Parallel bookings on PostgreSQL: the database constraints let exactly one win."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from reelmarket.market.enums import Role
from reelmarket.meetings import services
from reelmarket.meetings.enums import Place
from reelmarket.meetings.errors import MeetingError
from reelmarket.meetings.models import Meeting, MeetingRequest, MeetingSeat, TableSlot
from tests.concurrency import require_postgres, run_concurrently
from tests.meetings.factories import World, booth_for, person, slot_start

THREADS = 8
NOW = datetime(2025, 3, 1, tzinfo=UTC)


def accepted(world, requester, counterpart) -> MeetingRequest:
    request = services.request_create(
        actor=requester.user, edition=world.edition, target_person=counterpart, now=NOW
    )
    return services.request_accept(actor=counterpart.user, request=request, now=NOW)


def outcome(results) -> tuple[int, list[str]]:
    wins = [r for r in results if isinstance(r, Meeting)]
    codes = sorted(
        r.code if isinstance(r, MeetingError) else repr(r)
        for r in results
        if not isinstance(r, Meeting)
    )
    return len(wins), codes


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_person_one_slot_only_one_booking_wins():
    require_postgres()
    world = World()
    world.grid.shared_tables, world.grid.shared_reserve = THREADS, 0
    world.grid.save()
    buyers = [person(world.edition, Role.BUYER) for _ in range(THREADS)]
    requests = [accepted(world, b, world.kenji) for b in buyers]
    start = slot_start(world.grid, 1, 5)

    def book(i: int):
        return services.meeting_book(
            actor=buyers[i].user, request=requests[i], slot=start, place=Place.shared(), now=NOW
        )

    results = run_concurrently(book, threads=THREADS)
    assert outcome(results) == (1, ["busy"] * (THREADS - 1))
    assert MeetingSeat.objects.filter(participant=world.kenji, released=False).count() == 1
    assert Meeting.objects.count() == 1
    assert MeetingRequest.objects.filter(state="scheduled").count() == 1
    assert MeetingRequest.objects.filter(state="accepted").count() == THREADS - 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_last_free_booth_table_only_one_booking_wins():
    require_postgres()
    world = World()
    sellers = [
        person(world.edition, Role.SELLER, organisation=world.seller_org) for _ in range(THREADS)
    ]
    buyers = [person(world.edition, Role.BUYER) for _ in range(THREADS)]
    requests = [accepted(world, b, s) for b, s in zip(buyers, sellers, strict=True)]
    start = slot_start(world.grid, 2, 7)
    # one of the booth's two tables is already taken in that slot
    services.meeting_book(
        actor=world.kenji.user,
        request=accepted(world, world.mei_buyer, world.kenji),
        slot=start,
        place=Place.booth(world.booth.pk),
        now=NOW,
    )

    def book(i: int):
        return services.meeting_book(
            actor=sellers[i].user,
            request=requests[i],
            slot=start,
            place=Place.booth(world.booth.pk),
            now=NOW,
        )

    results = run_concurrently(book, threads=THREADS)
    assert outcome(results) == (1, ["location_full"] * (THREADS - 1))
    assert sorted(
        TableSlot.objects.filter(booth=world.booth, starts_at=start).values_list("table", flat=True)
    ) == [1, 2]
    # no orphan seats from the losers
    assert MeetingSeat.objects.filter(starts_at=start, released=False).count() == 4


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_single_table_booth_under_a_crowd():
    require_postgres()
    world = World()
    org_booth = booth_for(world.edition, world.buyer_org, tables=1, number="F01")
    staff = [
        person(world.edition, Role.BUYER, organisation=world.buyer_org) for _ in range(THREADS)
    ]
    sellers = [person(world.edition, Role.SELLER) for _ in range(THREADS)]
    requests = [accepted(world, s, b) for s, b in zip(sellers, staff, strict=True)]
    start = slot_start(world.grid, 3, 0)

    def book(i: int):
        return services.meeting_book(
            actor=staff[i].user,
            request=requests[i],
            slot=start,
            place=Place.booth(org_booth.pk),
            now=NOW,
        )

    results = run_concurrently(book, threads=THREADS)
    assert outcome(results) == (1, ["location_full"] * (THREADS - 1))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_last_request_of_a_quota_goes_to_one_thread():
    require_postgres()
    world = World()  # buyers may send 3 requests
    services.request_create(
        actor=world.mei_buyer.user, edition=world.edition, target_person=world.kenji, now=NOW
    )
    services.request_create(
        actor=world.mei_buyer.user, edition=world.edition, target_person=world.aiko, now=NOW
    )
    sellers = [person(world.edition, Role.SELLER) for _ in range(THREADS)]

    def ask(i: int):
        return services.request_create(
            actor=world.mei_buyer.user, edition=world.edition, target_person=sellers[i], now=NOW
        )

    results = run_concurrently(ask, threads=THREADS)
    made = [r for r in results if isinstance(r, MeetingRequest)]
    codes = sorted(r.code for r in results if isinstance(r, MeetingError))
    assert (len(made), codes) == (1, ["quota_exhausted"] * (THREADS - 1))
    assert MeetingRequest.objects.filter(requester=world.mei_buyer).count() == 3

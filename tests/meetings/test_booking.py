"""Self-booking, moving, cancelling, checking in and publishing meetings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied

from reelmarket.market.enums import Role
from reelmarket.meetings import selectors, services
from reelmarket.meetings.enums import (
    LocationKind,
    MeetingStatus,
    Place,
    RequestState,
    SchedulingMode,
)
from reelmarket.meetings.errors import MeetingError
from reelmarket.meetings.models import MeetingSeat, RequestEvent, TableSlot
from tests.factories import OrganisationFactory, make_user_with_roles
from tests.meetings.factories import World, booth_for, person, slot_start

S = RequestState
NOW = datetime(2025, 3, 1, tzinfo=UTC)


@pytest.fixture
def world(db):
    return World()


def accepted(world, requester, counterpart):
    request = services.request_create(
        actor=requester.user, edition=world.edition, target_person=counterpart, now=NOW
    )
    return services.request_accept(actor=counterpart.user, request=request, now=NOW)


def book(world, request, *, actor=None, slot=None, place=None, **kwargs):
    return services.meeting_book(
        actor=actor or request.requester.user,
        request=request,
        slot=slot or slot_start(world.grid),
        place=place or Place.booth(world.booth.pk),
        now=NOW,
        **kwargs,
    )


def refused(call) -> tuple[str, str]:
    with pytest.raises(MeetingError) as caught:
        call()
    return caught.value.code, str(caught.value)


def test_booking_at_a_booth(world):
    request = accepted(world, world.mei_buyer, world.kenji)
    meeting = book(world, request)
    request.refresh_from_db()
    assert request.state == S.SCHEDULED
    assert (meeting.location_kind, meeting.booth, meeting.table_number, meeting.status) == (
        LocationKind.BOOTH,
        world.booth,
        1,
        MeetingStatus.PUBLISHED,
    )
    assert (meeting.starts_at, meeting.ends_at) == (
        datetime(2025, 3, 17, 2, 0, tzinfo=UTC),
        datetime(2025, 3, 17, 2, 30, tzinfo=UTC),
    )
    assert meeting.published_at == NOW
    assert sorted(meeting.seats.values_list("participant__display_name", flat=True)) == [
        "Kenji",
        "Mei",
    ]
    assert list(TableSlot.objects.values_list("booth_id", "table", "starts_at")) == [
        (world.booth.pk, 1, meeting.starts_at)
    ]
    event = RequestEvent.objects.filter(request=request).last()
    assert (event.from_state, event.to_state, event.note) == (
        S.ACCEPTED,
        S.SCHEDULED,
        "2025-03-17 10:00 (Asia/Hong_Kong)",
    )


def test_booth_tables_fill_up_then_refuse(world):
    book(world, accepted(world, world.mei_buyer, world.kenji))
    second = book(world, accepted(world, world.sofia, world.aiko))
    assert second.table_number == 2
    other_seller = person(world.edition, Role.SELLER, organisation=world.seller_org)
    third = accepted(world, person(world.edition, Role.BUYER, display_name="Bo"), other_seller)
    assert refused(lambda: book(world, third)) == (
        "location_full",
        "All 2 tables at booth D12 are taken at 2025-03-17 10:00 (Asia/Hong_Kong).",
    )
    third.refresh_from_db()
    assert third.state == S.ACCEPTED
    assert not MeetingSeat.objects.filter(participant=other_seller).exists()


def test_a_person_is_never_in_two_meetings_at_once(world):
    book(world, accepted(world, world.mei_buyer, world.kenji))
    second = accepted(world, world.sofia, world.kenji)
    assert refused(lambda: book(world, second, place=Place.shared())) == (
        "busy",
        "Kenji already has a meeting at 2025-03-17 10:00 (Asia/Hong_Kong).",
    )
    # the next slot is fine
    meeting = book(world, second, place=Place.shared(), slot=slot_start(world.grid, 0, 1))
    assert meeting.table_number == 1


def test_busy_marks_make_a_person_unavailable(world):
    services.availability_mark(
        actor=world.kenji.user,
        participant=world.kenji,
        edition=world.edition,
        slots=[slot_start(world.grid)],
        busy=True,
    )
    request = accepted(world, world.mei_buyer, world.kenji)
    assert refused(lambda: book(world, request)) == (
        "unavailable",
        "Kenji is not available at 2025-03-17 10:00 (Asia/Hong_Kong).",
    )


def test_shared_area_keeps_the_reserve_for_organisers(world):
    buyers = [person(world.edition, Role.BUYER) for _ in range(3)]
    sellers = [person(world.edition, Role.SELLER) for _ in range(3)]
    requests = [accepted(world, b, s) for b, s in zip(buyers, sellers, strict=True)]
    assert [book(world, r, place=Place.shared()).table_number for r in requests[:2]] == [1, 2]
    assert refused(lambda: book(world, requests[2], place=Place.shared())) == (
        "location_full",
        "All shared tables are taken at 2025-03-17 10:00 (Asia/Hong_Kong).",
    )
    meeting = book(world, requests[2], place=Place.shared(), actor=world.organiser)
    assert meeting.table_number == 3


def test_online_participants_meet_online(world):
    request = accepted(world, world.linh, world.kenji)
    assert refused(lambda: book(world, request)) == (
        "online_required",
        "One of you takes part online: the meeting must be online.",
    )
    meeting = book(world, request, place=Place.online(), online_link="https://meet.example/abc")
    assert (meeting.location_kind, meeting.table_number, meeting.online_link) == (
        LocationKind.ONLINE,
        None,
        "https://meet.example/abc",
    )
    assert not TableSlot.objects.exists()


def test_online_participant_outside_working_hours_is_unavailable(world):
    from datetime import time

    services.working_hours_set(
        actor=world.linh.user,
        participant=world.linh,
        edition=world.edition,
        time_zone="Asia/Ho_Chi_Minh",
        start=time(9),
        end=time(12),  # HK 10:00-13:00
    )
    request = accepted(world, world.linh, world.kenji)
    late = slot_start(world.grid, 0, 6)  # 13:00 in Hong Kong, 12:00 in Ho Chi Minh City
    assert refused(lambda: book(world, request, place=Place.online(), slot=late)) == (
        "unavailable",
        "Linh is not available at 2025-03-17 13:00 (Asia/Hong_Kong).",
    )
    book(world, request, place=Place.online(), slot=slot_start(world.grid, 0, 5))


def test_only_the_two_sides_booths_unless_organiser(world):
    stranger_booth = booth_for(world.edition, OrganisationFactory(), tables=1, number="E01")
    request = accepted(world, world.mei_buyer, world.kenji)
    assert refused(lambda: book(world, request, place=Place.booth(stranger_booth.pk))) == (
        "booth_not_yours",
        "Meet at your own booth, your counterpart's, or elsewhere.",
    )
    meeting = book(world, request, place=Place.booth(stranger_booth.pk), actor=world.organiser)
    assert meeting.booth == stranger_booth


def test_off_grid_times_and_unaccepted_requests_are_refused(world):
    request = accepted(world, world.mei_buyer, world.kenji)
    assert refused(
        lambda: book(world, request, slot=slot_start(world.grid) - timedelta(minutes=30))
    ) == ("not_a_slot", "That time is not a slot of the meeting grid.")
    pending = services.request_create(
        actor=world.sofia.user, edition=world.edition, target_person=world.aiko, now=NOW
    )
    assert refused(lambda: book(world, pending)) == (
        "invalid_transition",
        "A request that is Requested cannot be booked.",
    )


def test_no_self_booking_in_optimiser_mode(world):
    world.grid.mode = SchedulingMode.OPTIMISER
    world.grid.save()
    request = accepted(world, world.mei_buyer, world.kenji)
    assert refused(lambda: book(world, request))[0] == "self_booking_closed"
    meeting = book(world, request, actor=world.organiser, provisional=True)
    assert (meeting.status, meeting.published_at) == (MeetingStatus.PROVISIONAL, None)
    assert selectors.agenda_for(participant=world.kenji).count() == 0
    assert services.meetings_publish(actor=world.organiser, edition=world.edition, now=NOW) == 1
    meeting.refresh_from_db()
    assert (meeting.status, meeting.published_at) == (MeetingStatus.PUBLISHED, NOW)
    assert list(selectors.agenda_for(participant=world.kenji)) == [meeting]
    with pytest.raises(PermissionDenied):
        services.meetings_publish(actor=world.kenji.user, edition=world.edition)


def test_strangers_and_non_organisers_cannot_book(world):
    request = accepted(world, world.mei_buyer, world.kenji)
    with pytest.raises(PermissionDenied):
        book(world, request, actor=world.sofia.user)
    with pytest.raises(PermissionDenied):
        book(world, request, provisional=True)


def test_company_meeting_seats_the_accepting_staff_member(world):
    request = services.request_create(
        actor=world.mei_buyer.user,
        edition=world.edition,
        target_organisation=world.seller_org,
        now=NOW,
    )
    options = selectors.free_slots_for(request=request, counterpart=world.aiko)
    assert len(options) == 64
    services.request_accept(actor=world.aiko.user, request=request, now=NOW)
    meeting = book(world, request, actor=world.aiko.user)
    assert sorted(meeting.seats.values_list("participant__display_name", flat=True)) == [
        "Aiko",
        "Mei",
    ]


def test_free_slots_for_suggests_common_free_slots_with_room(world):
    request = accepted(world, world.mei_buyer, world.kenji)
    services.availability_mark(
        actor=world.mei_buyer.user,
        participant=world.mei_buyer,
        edition=world.edition,
        slots=[slot_start(world.grid, 0, 0)],
        busy=True,
    )
    book(world, accepted(world, world.sofia, world.kenji), slot=slot_start(world.grid, 0, 1))
    book(
        world, accepted(world, person(world.edition), world.aiko), slot=slot_start(world.grid, 0, 2)
    )
    book(
        world,
        accepted(
            world,
            person(world.edition),
            person(world.edition, Role.SELLER, organisation=world.seller_org),
        ),
        slot=slot_start(world.grid, 0, 2),
    )
    options = selectors.free_slots_for(request=request)
    first_day = [o for o in options if o.slot.day == world.grid.spec.days[0]]
    assert [o.slot.index for o in first_day[:3]] == [2, 3, 4]
    booth, shared, online = Place.booth(world.booth.pk), Place.shared(), Place.online()
    assert first_day[0].places == (shared, online)  # both booth tables taken at 11:00
    assert first_day[1].places == (booth, shared, online)
    assert len(options) == 64 - 2


def test_reschedule_moves_seats_and_table_and_bumps_sequence(world):
    request = accepted(world, world.mei_buyer, world.kenji)
    meeting = book(world, request)
    later = slot_start(world.grid, 1, 4)
    moved = services.meeting_reschedule(
        actor=world.kenji.user, meeting=meeting, slot=later, place=Place.shared()
    )
    assert (
        moved.starts_at,
        moved.sequence,
        moved.location_kind,
        moved.booth,
        moved.table_number,
    ) == (
        later,
        1,
        LocationKind.SHARED,
        None,
        1,
    )
    assert set(moved.seats.values_list("starts_at", flat=True)) == {later}
    assert list(TableSlot.objects.values_list("booth_id", "table", "starts_at")) == [
        (None, 1, later)
    ]
    event = RequestEvent.objects.filter(request=request).last()
    assert (event.from_state, event.to_state, event.note) == (
        S.SCHEDULED,
        S.SCHEDULED,
        "Moved from 2025-03-17 10:00 to 2025-03-18 12:00 (Asia/Hong_Kong).",
    )
    # the old slot is free for someone else
    book(world, accepted(world, world.sofia, world.kenji))


def test_reschedule_into_a_busy_slot_changes_nothing(world):
    meeting = book(world, accepted(world, world.mei_buyer, world.kenji))
    other_slot = slot_start(world.grid, 0, 3)
    book(world, accepted(world, world.sofia, world.kenji), slot=other_slot)
    assert refused(
        lambda: services.meeting_reschedule(
            actor=world.kenji.user, meeting=meeting, slot=other_slot
        )
    ) == ("busy", "Kenji already has a meeting at 2025-03-17 11:30 (Asia/Hong_Kong).")
    meeting.refresh_from_db()
    assert (meeting.starts_at, meeting.sequence) == (slot_start(world.grid), 0)


def test_cancel_keeps_the_row_frees_the_slot_and_refunds(world):
    request = accepted(world, world.mei_buyer, world.kenji)
    meeting = book(world, request)
    cancelled = services.meeting_cancel(actor=world.mei_buyer.user, meeting=meeting, note="ill")
    assert (cancelled.status, cancelled.sequence) == (MeetingStatus.CANCELLED, 1)
    request.refresh_from_db()
    assert request.state == S.CANCELLED
    assert selectors.quota_used(edition=world.edition, participant=world.mei_buyer) == 0
    assert not TableSlot.objects.exists()
    assert list(meeting.seats.values_list("released", flat=True)) == [True, True]
    assert list(selectors.agenda_for(participant=world.kenji, include_cancelled=True)) == [
        cancelled
    ]
    assert list(selectors.agenda_for(participant=world.kenji)) == []
    again = book(world, accepted(world, world.sofia, world.kenji))
    assert again.table_number == 1
    with pytest.raises(MeetingError):
        services.meeting_reschedule(
            actor=world.organiser, meeting=cancelled, slot=slot_start(world.grid, 0, 5)
        )


def test_check_in_after_start(world):
    meeting = book(world, accepted(world, world.mei_buyer, world.kenji))
    assert refused(
        lambda: services.meeting_check_in(
            actor=world.kenji.user,
            meeting=meeting,
            held=True,
            now=meeting.starts_at - timedelta(minutes=1),
        )
    ) == ("not_started", "The meeting has not started yet.")
    services.meeting_check_in(
        actor=world.kenji.user, meeting=meeting, held=True, now=meeting.starts_at
    )
    meeting.request.refresh_from_db()
    assert meeting.request.state == S.HELD
    other = book(world, accepted(world, world.sofia, world.aiko))
    services.meeting_check_in(
        actor=world.organiser, meeting=other, held=False, now=other.ends_at, note="nobody came"
    )
    other.request.refresh_from_db()
    assert other.request.state == S.NO_SHOW
    with pytest.raises(PermissionDenied):
        services.meeting_check_in(
            actor=make_user_with_roles(Role.BUYER), meeting=other, held=True, now=other.ends_at
        )


def test_accept_and_book_is_all_or_nothing(world):
    book(world, accepted(world, world.sofia, world.kenji))  # Kenji busy at 10:00
    request = services.request_create(
        actor=world.mei_buyer.user,
        edition=world.edition,
        target_organisation=world.seller_org,
        now=NOW,
    )
    with pytest.raises(MeetingError) as caught:
        services.request_accept_and_book(
            actor=world.kenji.user,
            request=request,
            slot=slot_start(world.grid),
            place=Place.shared(),
            now=NOW,
        )
    assert caught.value.code == "busy"
    request.refresh_from_db()
    assert (request.state, request.counterpart) == (S.REQUESTED, None)
    meeting = services.request_accept_and_book(
        actor=world.kenji.user,
        request=request,
        slot=slot_start(world.grid, 0, 1),
        place=Place.booth(world.booth.pk),
        now=NOW,
    )
    request.refresh_from_db()
    assert (request.state, request.counterpart, meeting.table_number) == (
        S.SCHEDULED,
        world.kenji,
        1,
    )

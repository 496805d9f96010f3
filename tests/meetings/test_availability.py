"""Grid slots, working hours across time zones (and daylight saving), free/busy marks."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied

from reelmarket.market.enums import Attendance, Role
from reelmarket.meetings import selectors, services
from reelmarket.meetings.errors import MeetingError
from reelmarket.meetings.slots import (
    GridSpec,
    all_slots,
    day_slots,
    format_two_zones,
    indices_of,
    mask_of,
    slot_at,
    working_hours_mask,
)
from tests.factories import EditionFactory
from tests.meetings.factories import MeetingGridFactory, World, person, slot_start


def spec(zone="Asia/Hong_Kong", first=date(2025, 3, 17), days=4) -> GridSpec:
    return GridSpec(
        zone=zone,
        days=tuple(first + timedelta(days=i) for i in range(days)),
        day_start=time(10, 0),
        day_end=time(18, 0),
        slot_minutes=30,
    )


# ---- pure slot maths ----------------------------------------------------------------------


def test_hong_kong_grid_slots_in_utc():
    grid = spec()
    slots = all_slots(grid)
    assert len(slots) == 64
    assert grid.slots_per_day == 16
    assert grid.full_mask == 0xFFFF
    first, last = slots[0], slots[-1]
    assert (first.day, first.index, first.start, first.end) == (
        date(2025, 3, 17),
        0,
        datetime(2025, 3, 17, 2, 0, tzinfo=UTC),
        datetime(2025, 3, 17, 2, 30, tzinfo=UTC),
    )
    assert (last.day, last.index, last.start) == (
        date(2025, 3, 20),
        15,
        datetime(2025, 3, 20, 9, 30, tzinfo=UTC),
    )


def test_venue_in_a_daylight_saving_zone_keeps_wall_clock_slots():
    grid = spec(zone="Europe/Paris", first=date(2025, 3, 29), days=2)  # CEST from 30 March
    assert day_slots(grid, date(2025, 3, 29))[0].start == datetime(2025, 3, 29, 9, tzinfo=UTC)
    assert day_slots(grid, date(2025, 3, 30))[0].start == datetime(2025, 3, 30, 8, tzinfo=UTC)


def test_slot_at_finds_only_grid_slots():
    grid = spec()
    found = slot_at(grid, datetime(2025, 3, 18, 12, 30, tzinfo=UTC).astimezone())
    assert found is None  # 20:30 in Hong Kong: after hours
    found = slot_at(grid, datetime(2025, 3, 18, 3, 30, tzinfo=UTC))
    assert (found.day, found.index) == (date(2025, 3, 18), 3)
    assert slot_at(grid, datetime(2025, 3, 18, 3, 15, tzinfo=UTC)) is None
    assert slot_at(grid, datetime(2025, 3, 21, 3, 30, tzinfo=UTC)) is None
    with pytest.raises(ValueError, match="aware"):
        slot_at(grid, datetime(2025, 3, 18, 3, 30))


def test_masks_round_trip():
    assert mask_of([0, 3, 15]) == 0b1000000000001001
    assert indices_of(0b1000000000001001) == [0, 3, 15]
    with pytest.raises(ValueError):
        mask_of([63])


def test_los_angeles_working_hours_on_hong_kong_grid():
    # 15:00-21:00 PDT (UTC-7) = 06:00-12:00 in Hong Kong next day: four morning slots
    mask = working_hours_mask(
        spec(), date(2025, 3, 17), zone="America/Los_Angeles", start=time(15), end=time(21)
    )
    assert indices_of(mask) == [0, 1, 2, 3]
    # the classic 09:00-17:00 in Los Angeles never meets Hong Kong's 10:00-18:00
    assert (
        working_hours_mask(
            spec(), date(2025, 3, 17), zone="America/Los_Angeles", start=time(9), end=time(17)
        )
        == 0
    )


def test_los_angeles_across_its_daylight_saving_start():
    # US clocks went forward on Sunday 9 March 2025, 02:00 local.
    grid = spec(first=date(2025, 3, 8), days=3)
    masks = {
        d: working_hours_mask(grid, d, zone="America/Los_Angeles", start=time(15), end=time(21))
        for d in grid.days
    }
    # 15:00 PST = 07:00 HK next day -> slots 10:00-13:00; 15:00 PDT = 06:00 HK -> 10:00-12:00
    assert masks == {
        date(2025, 3, 8): 0b111111,
        date(2025, 3, 9): 0b111111,
        date(2025, 3, 10): 0b1111,
    }


def test_paris_across_its_daylight_saving_start():
    # European clocks went forward on Sunday 30 March 2025, 02:00 local.
    grid = spec(first=date(2025, 3, 28), days=4)
    masks = {
        d: indices_of(working_hours_mask(grid, d, zone="Europe/Paris", start=time(8), end=time(17)))
        for d in grid.days
    }
    winter, summer = list(range(10, 16)), list(range(8, 16))  # from 15:00 / from 14:00 HK
    assert masks == {
        date(2025, 3, 28): winter,
        date(2025, 3, 29): winter,
        date(2025, 3, 30): summer,
        date(2025, 3, 31): summer,
    }


def test_hong_kong_person_on_a_paris_venue_across_the_change():
    grid = spec(zone="Europe/Paris", first=date(2025, 3, 29), days=2)
    masks = [
        working_hours_mask(grid, d, zone="Asia/Hong_Kong", start=time(9), end=time(18))
        for d in grid.days
    ]
    # HK 09:00-18:00 = 01:00-10:00 UTC; Paris 10:00 is 09:00 UTC, then 08:00 UTC
    assert masks == [0b11, 0b1111]


def test_overnight_shift_wraps_midnight():
    mask = working_hours_mask(
        spec(), date(2025, 3, 17), zone="America/New_York", start=time(20), end=time(4)
    )
    # 20:00-04:00 EDT = 00:00-08:00 UTC = 08:00-16:00 Hong Kong
    assert indices_of(mask) == list(range(12))


def test_two_zones_side_by_side():
    instant = datetime(2025, 3, 17, 2, 0, tzinfo=UTC)
    assert format_two_zones(instant, viewer_zone="Asia/Tokyo", venue_zone="Asia/Hong_Kong") == (
        "2025-03-17 11:00 JST / 2025-03-17 10:00 HKT"
    )
    assert (
        format_two_zones(instant, viewer_zone="Asia/Hong_Kong", venue_zone="Asia/Hong_Kong")
        == "2025-03-17 10:00 HKT"
    )


# ---- stored availability ------------------------------------------------------------------


@pytest.fixture
def world(db):
    return World()


def masks(world, who):
    return selectors.availability_masks(grid=world.grid, participant_ids=[who.pk])[who.pk]


def test_in_person_default_is_every_grid_slot(world):
    assert masks(world, world.kenji) == dict.fromkeys(world.grid.spec.days, 65535)


def test_online_default_is_nine_to_six_in_their_own_zone(world):
    # Ho Chi Minh City 09:00-18:00 = Hong Kong 10:00-19:00: the whole grid
    assert masks(world, world.linh) == dict.fromkeys(world.grid.spec.days, 65535)
    la = person(
        world.edition, Role.BUYER, attendance=Attendance.ONLINE, time_zone="America/Los_Angeles"
    )
    assert masks(world, la) == dict.fromkeys(world.grid.spec.days, 0)


def test_online_working_hours_map_onto_the_grid(world):
    la = person(world.edition, Role.BUYER, attendance=Attendance.ONLINE)
    services.working_hours_set(
        actor=la.user,
        participant=la,
        edition=world.edition,
        time_zone="America/Los_Angeles",
        start=time(15),
        end=time(21),
    )
    assert masks(world, la) == dict.fromkeys(world.grid.spec.days, 15)
    with pytest.raises(MeetingError) as caught:
        services.working_hours_set(
            actor=la.user,
            participant=la,
            edition=world.edition,
            time_zone="Mars/Olympus",
            start=time(15),
            end=time(21),
        )
    assert caught.value.code == "bad_time_zone"


def test_working_hours_do_not_limit_in_person_attendees(world):
    services.working_hours_set(
        actor=world.kenji.user,
        participant=world.kenji,
        edition=world.edition,
        time_zone="America/Los_Angeles",
        start=time(15),
        end=time(21),
    )
    assert masks(world, world.kenji)[date(2025, 3, 17)] == 0xFFFF


def test_mark_busy_and_free_again(world):
    day0 = [slot_start(world.grid, 0, i) for i in (0, 1, 2)]
    services.availability_mark(
        actor=world.kenji.user,
        participant=world.kenji,
        edition=world.edition,
        slots=[*day0, slot_start(world.grid, 2, 15)],
        busy=True,
    )
    got = masks(world, world.kenji)
    assert got[date(2025, 3, 17)] == 0xFFFF & ~0b111
    assert got[date(2025, 3, 19)] == 0x7FFF
    services.availability_mark(
        actor=world.kenji.user,
        participant=world.kenji,
        edition=world.edition,
        slots=[day0[1]],
        busy=False,
    )
    assert masks(world, world.kenji)[date(2025, 3, 17)] == 0xFFFF & ~0b101


def test_set_a_whole_day(world):
    services.availability_set_day(
        actor=world.kenji.user,
        participant=world.kenji,
        edition=world.edition,
        day=date(2025, 3, 18),
        busy_mask=0xFF00,
    )
    assert masks(world, world.kenji)[date(2025, 3, 18)] == 0x00FF
    with pytest.raises(MeetingError) as caught:
        services.availability_set_day(
            actor=world.kenji.user,
            participant=world.kenji,
            edition=world.edition,
            day=date(2025, 3, 21),
            busy_mask=1,
        )
    assert caught.value.code == "not_a_day"
    with pytest.raises(MeetingError) as caught:
        services.availability_set_day(
            actor=world.kenji.user,
            participant=world.kenji,
            edition=world.edition,
            day=date(2025, 3, 18),
            busy_mask=1 << 16,
        )
    assert caught.value.code == "not_a_slot"


def test_only_oneself_or_organisers_change_availability(world):
    with pytest.raises(PermissionDenied):
        services.availability_mark(
            actor=world.sofia.user,
            participant=world.kenji,
            edition=world.edition,
            slots=[slot_start(world.grid)],
            busy=True,
        )
    services.availability_mark(
        actor=world.organiser,
        participant=world.kenji,
        edition=world.edition,
        slots=[slot_start(world.grid)],
        busy=True,
    )
    assert masks(world, world.kenji)[date(2025, 3, 17)] == 0xFFFE


def test_marking_an_off_grid_time_is_refused(world):
    with pytest.raises(MeetingError) as caught:
        services.availability_mark(
            actor=world.kenji.user,
            participant=world.kenji,
            edition=world.edition,
            slots=[slot_start(world.grid) + timedelta(minutes=15)],
            busy=True,
        )
    assert (caught.value.code, str(caught.value)) == (
        "not_a_slot",
        "That time is not a slot of the meeting grid.",
    )


def test_grid_days_can_be_restricted_and_must_fit_the_edition(db):
    edition = EditionFactory()
    organiser_grid = MeetingGridFactory.build(edition=edition)
    from tests.factories import make_user_with_roles

    organiser = make_user_with_roles(Role.ORGANISER)
    grid = services.grid_configure(
        actor=organiser,
        edition=edition,
        days=[date(2025, 3, 19), date(2025, 3, 18)],
        quotas={Role.BUYER: 40},
    )
    assert grid.spec.days == (date(2025, 3, 18), date(2025, 3, 19))
    assert list(grid.quotas.values_list("role", "limit")) == [(Role.BUYER, 40)]
    assert organiser_grid.spec.days == tuple(edition.days)
    with pytest.raises(MeetingError) as caught:
        services.grid_configure(actor=organiser, edition=edition, days=[date(2025, 3, 25)])
    assert (caught.value.code, str(caught.value)) == (
        "bad_grid",
        "Not days of the edition: 2025-03-25",
    )
    with pytest.raises(MeetingError) as caught:
        services.grid_configure(
            actor=organiser, edition=edition, slot_minutes=10, day_start=time(7), day_end=time(20)
        )
    assert (caught.value.code, str(caught.value)) == ("bad_grid", "At most 63 slots a day.")
    with pytest.raises(PermissionDenied):
        services.grid_configure(actor=make_user_with_roles(Role.SELLER), edition=edition)

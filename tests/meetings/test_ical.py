"""Calendar feeds and .ics files, parsed back with the icalendar library."""

from __future__ import annotations

from datetime import UTC, datetime

import icalendar
import pytest
from django.core.exceptions import PermissionDenied

from reelmarket.meetings import ical, selectors, services
from reelmarket.meetings.enums import Place
from tests.factories import TitleFactory
from tests.meetings.factories import World, slot_start

NOW = datetime(2025, 3, 1, tzinfo=UTC)


@pytest.fixture
def world(db):
    return World()


def booked(world, requester, counterpart, *, place=None, slot=None, titles=(), **kwargs):
    request = services.request_create(
        actor=requester.user,
        edition=world.edition,
        target_person=counterpart,
        now=NOW,
        message="Let us talk about Asia.",
        titles=titles,
    )
    services.request_accept(actor=counterpart.user, request=request, now=NOW)
    return services.meeting_book(
        actor=requester.user,
        request=request,
        slot=slot or slot_start(world.grid),
        place=place or Place.booth(world.booth.pk),
        now=NOW,
        **kwargs,
    )


def events(data: bytes) -> list[icalendar.Event]:
    cal = icalendar.Calendar.from_ical(data)
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["PRODID"]) == "-//ReelMarket//Meetings//EN"
    return list(cal.walk("VEVENT"))


def test_feed_event_has_exact_fields(world):
    titles = [TitleFactory(owner=world.seller_org, original_title=t) for t in ("Anchor", "Bloom")]
    world.kenji.job_title = "Head of Sales"
    world.kenji.save()
    meeting = booked(world, world.mei_buyer, world.kenji, titles=titles)
    meeting.refresh_from_db()
    [event] = events(ical.calendar_for_participant(participant=world.mei_buyer))
    assert str(event["UID"]) == f"meeting-{meeting.pk}@reelmarket"
    assert event.decoded("DTSTART") == datetime(2025, 3, 17, 2, 0, tzinfo=UTC)
    assert event.decoded("DTEND") == datetime(2025, 3, 17, 2, 30, tzinfo=UTC)
    assert event.decoded("DTSTAMP") == meeting.updated_at.replace(microsecond=0)
    assert event["SEQUENCE"] == 0
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["SUMMARY"]) == "Meeting with Kenji"
    assert str(event["LOCATION"]) == (
        f"Booth D12 (hall {world.booth.hall.code}), table 1, "
        "Hong Kong Convention and Exhibition Centre"
    )
    assert str(event["DESCRIPTION"]).split("\n") == [
        "With: Kenji, Head of Sales, Tokyo Sales Co",
        "Titles: Anchor, Bloom",
        "Venue time: 2025-03-17 10:00 (Asia/Hong_Kong)",
        "Message: Let us talk about Asia.",
    ]
    assert "URL" not in event
    # the raw text carries UTC times, so no VTIMEZONE is needed
    raw = ical.calendar_for_participant(participant=world.mei_buyer).decode()
    assert "DTSTART:20250317T020000Z" in raw
    # the other side sees the requester as the other party
    [theirs] = events(ical.calendar_for_participant(participant=world.kenji))
    assert str(theirs["SUMMARY"]) == "Meeting with Mei"
    assert str(theirs["UID"]) == str(event["UID"])


def test_moves_and_cancellation_update_sequence_and_status(world):
    meeting = booked(world, world.mei_buyer, world.kenji)
    uid = f"meeting-{meeting.pk}@reelmarket"
    services.meeting_reschedule(
        actor=world.kenji.user,
        meeting=meeting,
        slot=slot_start(world.grid, 1, 2),
        place=Place.shared(),
    )
    [event] = events(ical.calendar_for_participant(participant=world.kenji))
    assert (str(event["UID"]), event["SEQUENCE"], str(event["STATUS"])) == (uid, 1, "CONFIRMED")
    assert event.decoded("DTSTART") == datetime(2025, 3, 18, 3, 0, tzinfo=UTC)
    assert str(event["LOCATION"]) == (
        "Shared meeting area, table 1, Hong Kong Convention and Exhibition Centre"
    )
    services.meeting_cancel(actor=world.mei_buyer.user, meeting=meeting)
    [event] = events(ical.calendar_for_participant(participant=world.kenji))
    assert (str(event["UID"]), event["SEQUENCE"], str(event["STATUS"])) == (uid, 2, "CANCELLED")


def test_provisional_meetings_stay_out_of_feeds(world):
    request = services.request_create(
        actor=world.mei_buyer.user, edition=world.edition, target_person=world.kenji, now=NOW
    )
    services.request_accept(actor=world.kenji.user, request=request, now=NOW)
    services.meeting_book(
        actor=world.organiser,
        request=request,
        slot=slot_start(world.grid),
        place=Place.shared(),
        provisional=True,
        now=NOW,
    )
    assert events(ical.calendar_for_participant(participant=world.kenji)) == []
    services.meetings_publish(actor=world.organiser, edition=world.edition, now=NOW)
    assert len(events(ical.calendar_for_participant(participant=world.kenji))) == 1


def test_online_meeting_ics_download(world):
    meeting = booked(
        world,
        world.linh,
        world.kenji,
        place=Place.online(),
        online_link="https://meet.example/r/42",
    )
    data = ical.calendar_for_meeting(meeting=meeting, viewer=world.kenji)
    cal = icalendar.Calendar.from_ical(data)
    assert str(cal["METHOD"]) == "PUBLISH"
    [event] = list(cal.walk("VEVENT"))
    assert str(event["LOCATION"]) == "https://meet.example/r/42"
    assert str(event["URL"]) == "https://meet.example/r/42"
    assert str(event["SUMMARY"]) == "Meeting with Linh"
    assert str(event["DESCRIPTION"]).split("\n")[0] == "With: Linh, Saigon Stream"


def test_feed_token_issue_regenerate_revoke(world):
    token = services.feed_token_issue(actor=world.kenji.user, participant=world.kenji)
    assert len(token) >= 40
    assert services.feed_token_issue(actor=world.kenji.user, participant=world.kenji) == token
    assert selectors.participant_for_feed_token(token) == world.kenji
    assert selectors.feed_token_of(world.kenji) == token
    new = services.feed_token_regenerate(actor=world.kenji.user, participant=world.kenji)
    assert new != token
    assert selectors.participant_for_feed_token(token) is None
    assert selectors.participant_for_feed_token(new) == world.kenji
    services.feed_token_revoke(actor=world.kenji.user, participant=world.kenji)
    assert selectors.participant_for_feed_token(new) is None
    assert selectors.participant_for_feed_token("") is None
    with pytest.raises(PermissionDenied):
        services.feed_token_issue(actor=world.sofia.user, participant=world.kenji)

"""E-mail to the other side of a request: who gets it, what it says, in which language and
time zone, with the meeting as a calendar file when it is scheduled, moved or cancelled."""

from __future__ import annotations

from datetime import timedelta

import icalendar
import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from reelmarket.meetings import services_web
from reelmarket.meetings.enums import Place, RequestState
from reelmarket.meetings.errors import MeetingError
from reelmarket.meetings.models import MeetingRequest
from reelmarket.meetings.notifications import language_for
from tests.factories import ParticipantFactory
from tests.meetings.factories import slot_start
from tests.meetings.test_views import Market

S = RequestState


@pytest.fixture
def market(db) -> Market:
    return Market()


def sent_to() -> list[list[str]]:
    return [m.to for m in mail.outbox]


def create(market: Market, capture, **kwargs) -> MeetingRequest:
    kwargs.setdefault("target_person", market.kenji)
    with capture(execute=True):
        return services_web.request_create(
            actor=market.sofia.user, edition=market.edition, **kwargs
        )


def calendar_event(message) -> icalendar.Event:
    [(name, content, mimetype)] = message.attachments
    assert (name, mimetype) == ("meeting.ics", "text/calendar")
    [event] = icalendar.Calendar.from_ical(content).walk("VEVENT")
    return event


def test_request_created_mails_the_person_asked(market, django_capture_on_commit_callbacks):
    create(
        market,
        django_capture_on_commit_callbacks,
        message="<script>x</script> Asia SVOD?",
        titles=[market.title],
    )
    [message] = mail.outbox
    assert message.to == [market.kenji.user.email]
    assert message.subject == "Meeting request from Sofia"
    assert message.attachments == []
    assert "Hello Kenji," in message.body
    assert "Sofia asks you for a meeting." in message.body
    assert "<script>x</script> Asia SVOD?" in message.body  # plain text: not HTML-escaped
    assert "Titles: Jungle Friends" in message.body
    assert "State: Requested" in message.body
    assert reverse("meetings:requests") in message.body


def test_company_request_mails_every_attending_staff_member(
    market, django_capture_on_commit_callbacks
):
    ParticipantFactory(organisation=market.seller_org, display_name="Not registered")
    create(
        market,
        django_capture_on_commit_callbacks,
        target_person=None,
        target_organisation=market.seller_org,
    )
    assert sorted(sent_to()) == sorted([[market.kenji.user.email], [market.aiko.user.email]])
    assert "Sofia asks for a meeting with someone from Tokyo Sales Co." in mail.outbox[0].body


def test_refused_request_mails_nobody(market, django_capture_on_commit_callbacks):
    create(market, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with pytest.raises(MeetingError), django_capture_on_commit_callbacks(execute=True):
        services_web.request_create(
            actor=market.sofia.user, edition=market.edition, target_person=market.kenji
        )
    assert mail.outbox == []


def test_accept_and_decline_mail_the_requester(market, django_capture_on_commit_callbacks):
    request = create(market, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services_web.request_accept(actor=market.kenji.user, request=request)
    [accepted] = mail.outbox
    assert (accepted.to, accepted.subject) == (
        [market.sofia.user.email],
        "Kenji accepted your meeting request",
    )
    other = services_web.request_create(
        actor=market.mei_buyer.user, edition=market.edition, target_person=market.aiko
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services_web.request_decline(actor=market.aiko.user, request=other)
    [declined] = mail.outbox
    assert (declined.to, declined.subject) == (
        [market.mei_buyer.user.email],
        "Aiko declined your meeting request",
    )
    assert "Aiko declined your meeting request." in declined.body


def test_scheduled_moved_cancelled_carry_the_calendar(market, django_capture_on_commit_callbacks):
    request = create(market, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        meeting = services_web.request_book(
            actor=market.kenji.user,
            request=request,
            slot=slot_start(market.grid, 0, 2),
            place=Place.booth(market.booth.pk),
        )
    [scheduled] = mail.outbox
    assert (scheduled.to, scheduled.subject) == (
        [market.sofia.user.email],
        "Meeting with Kenji scheduled",
    )
    # Sofia's zone (Paris) beside the venue's
    assert (
        "When: Mar 17, 2025, 11:00:00\u202fAM HKT · 4:00\u202fAM CET (Europe/Paris)"
        in scheduled.body
    )
    assert "Where: Booth D12 (hall " in scheduled.body
    event = calendar_event(scheduled)
    assert (event["SEQUENCE"], str(event["STATUS"])) == (0, "CONFIRMED")
    assert event.decoded("DTSTART") == slot_start(market.grid, 0, 2)

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services_web.meeting_reschedule(
            actor=market.sofia.user, meeting=meeting, slot=slot_start(market.grid, 1, 0)
        )
    [moved] = mail.outbox
    assert (moved.to, moved.subject) == ([market.kenji.user.email], "Meeting with Sofia moved")
    # Kenji is in Tokyo
    assert "When: Mar 18, 2025, 10:00:00\u202fAM HKT · 11:00\u202fAM JST (Asia/Tokyo)" in moved.body
    event = calendar_event(moved)
    assert (event["SEQUENCE"], str(event["STATUS"])) == (1, "CONFIRMED")
    assert event.decoded("DTSTART") == slot_start(market.grid, 1, 0)

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services_web.request_cancel(actor=market.kenji.user, request=request)
    [cancelled] = mail.outbox
    assert (cancelled.to, cancelled.subject) == (
        [market.sofia.user.email],
        "Meeting with Kenji cancelled",
    )
    assert "Your meeting with Kenji is cancelled." in cancelled.body
    event = calendar_event(cancelled)
    assert (event["SEQUENCE"], str(event["STATUS"])) == (2, "CANCELLED")


def test_organiser_acting_mails_both_sides(market, django_capture_on_commit_callbacks):
    request = create(market, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services_web.request_cancel(actor=market.organiser, request=request)
    assert sorted(sent_to()) == sorted([[market.sofia.user.email], [market.kenji.user.email]])


def test_mail_in_the_recipients_language(market, django_capture_on_commit_callbacks):
    market.sofia.languages = ["fr", "zh-Hant"]
    market.sofia.save()
    request = create(market, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services_web.request_book(
            actor=market.kenji.user,
            request=request,
            slot=slot_start(market.grid, 0, 2),
            place=Place.shared(),
        )
    [message] = mail.outbox
    # dates are formatted for Hong Kong Traditional Chinese, whatever the .po files hold
    assert "2025年3月17日" in message.body
    assert "Mar 17, 2025" not in message.body


@pytest.mark.parametrize(
    ("languages", "expected"),
    [
        ([], "en"),
        (["vi"], "en"),
        (["fr", "zh-HK"], "zh-hant"),
        (["zh-Hant-TW"], "zh-hant"),
        (["zh-CN", "en"], "zh-hans"),
        (["zh"], "zh-hans"),
        (["en-GB", "zh-Hant"], "en"),
    ],
)
def test_language_for(languages, expected):
    assert language_for(ParticipantFactory.build(languages=languages)) == expected


def test_view_and_api_writes_mail_too(client, market, django_capture_on_commit_callbacks):
    client.force_login(market.sofia.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("meetings:request_new"), {"person": market.aiko.pk, "priority": "meet"}
        )
    assert response.status_code == 302
    assert sent_to() == [[market.aiko.user.email]]


def test_expire_command_expires_and_notifies(market, django_capture_on_commit_callbacks):
    request = create(market, django_capture_on_commit_callbacks)
    fresh = services_web.request_create(
        actor=market.mei_buyer.user, edition=market.edition, target_person=market.kenji
    )
    MeetingRequest.objects.filter(pk=request.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("meetings", "expire", stdout=open("/dev/null", "w"))  # noqa: SIM115
    request.refresh_from_db()
    fresh.refresh_from_db()
    assert (request.state, fresh.state) == (S.EXPIRED, S.REQUESTED)
    [message] = mail.outbox
    assert (message.to, message.subject) == (
        [market.sofia.user.email],
        "Your meeting request to Kenji expired",
    )
    assert "State: Expired" in message.body

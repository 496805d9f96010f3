"""The meetings pages, per role: anonymous, a participant who is not a party, the two sides,
an organiser. Exact outcomes: states, audit rows, seats, tables, blocks, feed tokens."""

from __future__ import annotations

import re

import icalendar
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reelmarket.market.enums import Role
from reelmarket.meetings import services
from reelmarket.meetings.enums import MeetingStatus, Place, RequestState
from reelmarket.meetings.models import (
    AvailabilityDay,
    CalendarFeed,
    MeetingGrid,
    MeetingRequest,
    MeetingSeat,
    PairBlock,
    RequestEvent,
    RequestQuota,
    TableSlot,
    WorkingHours,
)
from tests.factories import TitleFactory, make_user_with_roles
from tests.meetings.factories import World, person, slot_start

S = RequestState


class Market(World):
    """The meetings World as the current edition, Kenji in Tokyo, Sofia in Paris, a title."""

    def __init__(self) -> None:
        super().__init__()
        self.edition.is_current = True
        self.edition.save()
        self.kenji.time_zone = "Asia/Tokyo"
        self.kenji.save()
        self.title = TitleFactory(owner=self.seller_org, original_title="Jungle Friends")
        self.outsider = make_user_with_roles(Role.BUYER)


def ask(market: Market, requester=None, target=None, **kwargs) -> MeetingRequest:
    requester = requester or market.sofia
    return services.request_create(
        actor=requester.user,
        edition=market.edition,
        target_person=target if target is not None else market.kenji,
        **kwargs,
    )


def scheduled(market: Market, requester=None, target=None):
    request = ask(market, requester, target)
    target = target or market.kenji
    return services.request_accept_and_book(
        actor=target.user,
        request=request,
        slot=slot_start(market.grid, 0, 2),
        place=Place.booth(market.booth.pk),
    )


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def text(response) -> str:
    """The page's text without tags, whitespace collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html(response)))


@pytest.fixture
def market(db) -> Market:
    return Market()


def as_(client: Client, user) -> Client:
    client.force_login(user)
    return client


# ---- anonymous ------------------------------------------------------------------------------

PAGES = [
    ("meetings:requests", []),
    ("meetings:request_new", []),
    ("meetings:availability", []),
    ("meetings:agenda", []),
    ("meetings:grid", []),
    ("meetings:occupancy", []),
    ("meetings:check_in", []),
]


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_anonymous_is_sent_to_log_in(client, market, name, args):
    url = reverse(name, args=args)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


def test_anonymous_cannot_act_on_a_request(client, market):
    request = ask(market)
    for name in ("meetings:request", "meetings:book"):
        assert client.get(reverse(name, args=[request.pk])).status_code == 302
    for name in ("meetings:accept", "meetings:decline", "meetings:cancel"):
        assert client.post(reverse(name, args=[request.pk])).status_code == 302
    request.refresh_from_db()
    assert request.state == S.REQUESTED


# ---- requests -------------------------------------------------------------------------------


def test_requests_page_lists_both_boxes_and_escapes_the_message(client, market):
    ask(market, message="<script>alert(1)</script> let us talk", titles=[market.title])
    page = html(as_(client, market.kenji.user).get(reverse("meetings:requests")))
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; let us talk" in page
    incoming = page.split('data-box="incoming"')[1].split("</ul>")[0]
    assert "Sofia" in incoming and "Jungle Friends" in incoming
    assert "Accept and pick a time" in incoming
    sent = html(as_(Client(), market.sofia.user).get(reverse("meetings:requests")))
    outgoing = sent.split('data-box="outgoing"')[1].split("</ul>")[0]
    assert "Kenji" in outgoing and "Cancel request" in outgoing
    assert "Accept" not in outgoing


def test_request_form_for_a_company_about_a_title(client, market):
    other = TitleFactory(owner=market.seller_org, original_title="Night Ferry")
    url = reverse("meetings:request_new")
    query = f"?organisation={market.seller_org.slug}&title={market.title.pk}"
    page = html(as_(client, market.sofia.user).get(url + query))
    assert "With anyone from Tokyo Sales Co" in page
    assert re.search(rf'value="{market.title.pk}"[^>]*checked', page)
    assert not re.search(rf'value="{other.pk}"[^>]*checked', page)
    response = client.post(
        url,
        {
            "organisation": market.seller_org.slug,
            "message": "Asia SVOD?",
            "titles": [market.title.pk],
            "priority": "must_meet",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:requests")
    request = MeetingRequest.objects.get()
    assert (
        request.requester,
        request.target_organisation,
        request.target_person,
        request.state,
        request.message,
        request.requester_priority,
    ) == (market.sofia, market.seller_org, None, S.REQUESTED, "Asia SVOD?", "must_meet")
    assert list(request.titles.all()) == [market.title]
    assert list(RequestEvent.objects.values_list("from_state", "to_state")) == [("", S.REQUESTED)]


def test_request_form_shows_the_rule_that_refused(client, market):
    ask(market)
    response = as_(client, market.sofia.user).post(
        reverse("meetings:request_new"), {"person": market.kenji.pk, "priority": "meet"}
    )
    assert "You already have an open request with them." in html(response)
    assert MeetingRequest.objects.count() == 1


def test_request_form_for_an_unknown_person_is_404(client, market):
    response = as_(client, market.sofia.user).get(
        reverse("meetings:request_new") + "?person=999999"
    )
    assert response.status_code == 404


def test_a_participant_not_party_sees_nothing_and_changes_nothing(client, market):
    request = ask(market)
    as_(client, market.outsider)
    assert client.get(reverse("meetings:request", args=[request.pk])).status_code == 404
    assert client.get(reverse("meetings:book", args=[request.pk])).status_code == 404
    for name in ("meetings:accept", "meetings:decline", "meetings:cancel"):
        assert client.post(reverse(name, args=[request.pk])).status_code == 404
    request.refresh_from_db()
    assert request.state == S.REQUESTED
    assert RequestEvent.objects.filter(request=request).count() == 1


def test_the_requester_cannot_accept_their_own_request(client, market):
    request = ask(market)
    response = as_(client, market.sofia.user).post(reverse("meetings:accept", args=[request.pk]))
    assert response.status_code == 403
    request.refresh_from_db()
    assert request.state == S.REQUESTED


def test_accept_and_pick_a_slot(client, market):
    request = ask(market, titles=[market.title])
    as_(client, market.kenji.user)
    page = html(client.get(reverse("meetings:book", args=[request.pk])))
    start = slot_start(market.grid, 0, 2)
    choice = f"{start.isoformat()}|booth:{market.booth.pk}"
    assert f'value="{choice}"' in page
    # both zones: venue 10:00 HKT first slot, the viewer (Tokyo) one hour later
    assert "11:00" in page and "Asia/Tokyo" in page
    response = client.post(
        reverse("meetings:book", args=[request.pk]), {"choice": choice, "priority": "must_meet"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:agenda")
    request.refresh_from_db()
    assert (request.state, request.counterpart_priority) == (S.SCHEDULED, "must_meet")
    meeting = request.meeting
    assert (meeting.starts_at, meeting.booth, meeting.table_number, meeting.status) == (
        start,
        market.booth,
        1,
        MeetingStatus.PUBLISHED,
    )
    assert sorted(MeetingSeat.objects.values_list("participant__display_name", flat=True)) == [
        "Kenji",
        "Sofia",
    ]
    assert TableSlot.objects.filter(booth=market.booth, starts_at=start).count() == 1
    assert list(
        RequestEvent.objects.filter(request=request).values_list("from_state", "to_state")
    ) == [("", S.REQUESTED), (S.REQUESTED, S.ACCEPTED), (S.ACCEPTED, S.SCHEDULED)]


def test_picking_a_taken_slot_says_why_and_changes_nothing(client, market):
    scheduled(market, requester=market.mei_buyer)  # Kenji busy at slot 2
    request = ask(market)
    start = slot_start(market.grid, 0, 2)
    response = as_(client, market.kenji.user).post(
        reverse("meetings:book", args=[request.pk]),
        {"choice": f"{start.isoformat()}|shared"},
    )
    assert "Kenji already has a meeting at 2025-03-17 11:00 (Asia/Hong_Kong)." in html(response)
    request.refresh_from_db()
    assert request.state == S.REQUESTED


def test_a_made_up_choice_is_a_form_error(client, market):
    request = ask(market)
    response = as_(client, market.kenji.user).post(
        reverse("meetings:book", args=[request.pk]), {"choice": "yesterday|booth:x"}
    )
    assert "Pick one of the offered times." in html(response)


def test_decline_with_no_thanks_blocks_the_pair(client, market):
    request = ask(market)
    response = as_(client, market.kenji.user).post(
        reverse("meetings:decline", args=[request.pk]), {"no_thanks": "on", "note": "Not now"}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.state == S.DECLINED
    low, high = sorted((market.kenji.pk, market.sofia.pk))
    assert list(PairBlock.objects.values_list("low_id", "high_id", "blocked_by_id")) == [
        (low, high, market.kenji.pk)
    ]
    event = RequestEvent.objects.filter(request=request).last()
    assert (event.from_state, event.to_state, event.note, event.actor) == (
        S.REQUESTED,
        S.DECLINED,
        "Not now",
        market.kenji.user,
    )


def test_plain_decline_does_not_block(client, market):
    request = ask(market)
    as_(client, market.kenji.user).post(reverse("meetings:decline", args=[request.pk]))
    request.refresh_from_db()
    assert request.state == S.DECLINED
    assert not PairBlock.objects.exists()


def test_requester_cancels_a_scheduled_meeting(client, market):
    meeting = scheduled(market)
    response = as_(client, market.sofia.user).post(
        reverse("meetings:cancel", args=[meeting.request_id]), {"next": "//evil.example/"}
    )
    assert response["Location"] == reverse("meetings:requests")  # no open redirect
    meeting.refresh_from_db()
    assert (meeting.status, meeting.sequence, meeting.request.state) == (
        MeetingStatus.CANCELLED,
        1,
        S.CANCELLED,
    )
    assert not MeetingSeat.objects.filter(released=False).exists()
    assert not TableSlot.objects.exists()


def test_accept_in_optimiser_mode_leaves_the_request_accepted(client, market):
    MeetingGrid.objects.filter(pk=market.grid.pk).update(mode="optimiser")
    request = ask(market)
    as_(client, market.kenji.user)
    page = html(client.get(reverse("meetings:requests")))
    assert "Accept and pick a time" not in page
    client.post(reverse("meetings:accept", args=[request.pk]), {"priority": "nice_to_meet"})
    request.refresh_from_db()
    assert (request.state, request.counterpart_priority) == (S.ACCEPTED, "nice_to_meet")
    assert not hasattr(request, "meeting")


def test_csrf_is_required_on_posts(market):
    request = ask(market)
    client = Client(enforce_csrf_checks=True)
    client.force_login(market.kenji.user)
    for name in ("meetings:accept", "meetings:decline", "meetings:cancel"):
        assert client.post(reverse(name, args=[request.pk])).status_code == 403
    response = client.post(reverse("meetings:feed_manage"), {"action": "issue"})
    assert response.status_code == 403
    request.refresh_from_db()
    assert request.state == S.REQUESTED
    assert not CalendarFeed.objects.exists()


def test_company_staff_see_and_answer_a_company_request(client, market):
    request = services.request_create(
        actor=market.sofia.user, edition=market.edition, target_organisation=market.seller_org
    )
    as_(client, market.aiko.user)
    assert "Sofia" in html(client.get(reverse("meetings:requests")))
    options = html(client.get(reverse("meetings:book", args=[request.pk])))
    start = slot_start(market.grid, 1, 0)
    choice = f"{start.isoformat()}|shared"
    assert f'value="{choice}"' in options
    client.post(reverse("meetings:book", args=[request.pk]), {"choice": choice})
    request.refresh_from_db()
    assert (request.state, request.counterpart) == (S.SCHEDULED, market.aiko)
    assert request.meeting.location_kind == "shared"


# ---- availability ---------------------------------------------------------------------------


def test_availability_toggle_with_htmx(client, market):
    start = slot_start(market.grid, 0, 3)
    as_(client, market.kenji.user)
    page = html(client.get(reverse("meetings:availability")))
    assert page.count("avail-cell avail-free") == 4 * 16
    response = client.post(
        reverse("meetings:availability_toggle"),
        {"slot": start.isoformat(), "busy": "1"},
        headers={"HX-Request": "true"},
    )
    cell = html(response)
    assert cell.startswith('<td class="avail-cell avail-busy"')
    day = AvailabilityDay.objects.get(participant=market.kenji)
    assert (day.day.isoformat(), day.busy_mask) == ("2025-03-17", 0b1000)
    client.post(reverse("meetings:availability_toggle"), {"slot": start.isoformat(), "busy": "0"})
    day.refresh_from_db()
    assert day.busy_mask == 0


def test_availability_shows_meetings_and_refuses_non_slots(client, market):
    scheduled(market)
    as_(client, market.kenji.user)
    page = html(client.get(reverse("meetings:availability")))
    assert page.count("avail-cell avail-meeting") == 1
    response = client.post(
        reverse("meetings:availability_toggle"),
        {"slot": "2025-03-17T02:10:00+00:00", "busy": "1"},
        follow=True,
    )
    assert "That time is not a slot of the meeting grid." in html(response)
    assert not AvailabilityDay.objects.exists()


def test_online_participant_sets_working_hours(client, market):
    as_(client, market.linh.user)
    page = html(client.get(reverse("meetings:availability")))
    assert "Your working hours" in page
    # default 09:00-18:00 in Ho Chi Minh City = 10:00-19:00 in Hong Kong: 16 of 16 slots
    assert page.count("avail-cell avail-off") == 0
    client.post(
        reverse("meetings:working_hours"),
        {"time_zone": "Asia/Ho_Chi_Minh", "start": "13:00", "end": "17:00"},
    )
    hours = WorkingHours.objects.get(participant=market.linh)
    assert (hours.time_zone, str(hours.start), str(hours.end)) == (
        "Asia/Ho_Chi_Minh",
        "13:00:00",
        "17:00:00",
    )
    page = html(client.get(reverse("meetings:availability")))
    # 14:00-18:00 Hong Kong: 8 slots a day offered, 8 outside
    assert page.count("avail-cell avail-off") == 4 * 8


# ---- agenda, feeds, ics ---------------------------------------------------------------------


def test_agenda_shows_both_zones_for_each_side(client, market):
    scheduled(market)
    kenji = text(as_(client, market.kenji.user).get(reverse("meetings:agenda")))
    assert "Sofia" in kenji
    assert "11:00:00 AM HKT · 12:00 PM JST (Asia/Tokyo)" in kenji
    assert "Booth D12" in kenji
    sofia = text(as_(Client(), market.sofia.user).get(reverse("meetings:agenda")))
    # 11:00 in Hong Kong is 04:00 in Paris (CET), 12:00 in Tokyo
    assert "Kenji" in sofia and "11:00:00 AM HKT · 4:00 AM CET (Europe/Paris)" in sofia


def test_day_sheet(client, market):
    scheduled(market)
    as_(client, market.kenji.user)
    page = text(client.get(reverse("meetings:day_sheet", args=["2025-03-17"])))
    assert "Kenji · " in page and "Sofia" in page
    empty = text(client.get(reverse("meetings:day_sheet", args=["2025-03-18"])))
    assert "No meetings on this day." in empty
    assert client.get(reverse("meetings:day_sheet", args=["2025-04-01"])).status_code == 404


def test_feed_issue_regenerate_revoke(client, market):
    meeting = scheduled(market)
    as_(client, market.kenji.user)
    client.post(reverse("meetings:feed_manage"), {"action": "issue"})
    token = CalendarFeed.objects.get(participant=market.kenji).token
    url = reverse("meetings:feed", args=[token])
    assert url in html(client.get(reverse("meetings:agenda")))
    anonymous = Client()
    response = anonymous.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    [event] = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["UID"]) == f"meeting-{meeting.pk}@reelmarket"
    assert (event["SEQUENCE"], str(event["STATUS"])) == (0, "CONFIRMED")
    client.post(reverse("meetings:feed_manage"), {"action": "regenerate"})
    new = CalendarFeed.objects.get(participant=market.kenji).token
    assert new != token
    assert anonymous.get(url).status_code == 404
    assert anonymous.get(reverse("meetings:feed", args=[new])).status_code == 200
    client.post(reverse("meetings:feed_manage"), {"action": "revoke"})
    assert not CalendarFeed.objects.exists()
    assert anonymous.get(reverse("meetings:feed", args=[new])).status_code == 404


def test_feed_shows_a_cancelled_meeting_as_cancelled(client, market):
    meeting = scheduled(market)
    token = services.feed_token_issue(actor=market.kenji.user, participant=market.kenji)
    services.request_cancel(actor=market.sofia.user, request=meeting.request)
    response = client.get(reverse("meetings:feed", args=[token]))
    [event] = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert (event["SEQUENCE"], str(event["STATUS"])) == (1, "CANCELLED")


def test_meeting_ics_for_parties_and_organisers_only(client, market):
    meeting = scheduled(market)
    url = reverse("meetings:meeting_ics", args=[meeting.pk])
    assert client.get(url).status_code == 302
    assert as_(Client(), market.outsider).get(url).status_code == 404
    assert as_(Client(), market.organiser).get(url).status_code == 200
    response = as_(client, market.sofia.user).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="meeting-{meeting.pk}.ics"'
    cal = icalendar.Calendar.from_ical(response.content)
    [event] = cal.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Meeting with Kenji"
    assert (event["SEQUENCE"], str(event["STATUS"])) == (0, "CONFIRMED")
    assert event.decoded("DTSTART") == meeting.starts_at


# ---- organisers -----------------------------------------------------------------------------


def test_organiser_pages_refuse_participants(client, market):
    as_(client, market.kenji.user)
    for name in ("meetings:grid", "meetings:occupancy", "meetings:check_in"):
        assert client.get(reverse(name)).status_code == 403
    meeting = scheduled(market)
    response = as_(Client(), market.outsider).post(
        reverse("meetings:check_in_mark", args=[meeting.pk]), {"held": "1"}
    )
    assert response.status_code == 403
    meeting.request.refresh_from_db()
    assert meeting.request.state == S.SCHEDULED


def test_organiser_configures_the_grid(client, market):
    as_(client, market.organiser)
    page = html(client.get(reverse("meetings:grid")))
    assert 'name="quota_buyer" value="3"' in page
    response = client.post(
        reverse("meetings:grid"),
        {
            "mode": "optimiser",
            "slot_minutes": "20",
            "day_start": "09:00",
            "day_end": "17:00",
            "days": ["2025-03-18", "2025-03-19"],
            "request_expiry_hours": "24",
            "shared_tables": "10",
            "shared_reserve": "2",
            "quota_buyer": "25",
            "quota_seller": "",
        },
    )
    assert response.status_code == 302
    grid = MeetingGrid.objects.get()
    assert (
        grid.mode,
        grid.slot_minutes,
        str(grid.day_start),
        grid.days,
        grid.shared_tables,
        grid.shared_reserve,
        grid.request_expiry_hours,
    ) == ("optimiser", 20, "09:00:00", ["2025-03-18", "2025-03-19"], 10, 2, 24)
    assert list(RequestQuota.objects.values_list("role", "limit")) == [("buyer", 25)]


def test_grid_errors_are_shown(client, market):
    as_(client, market.organiser)
    response = client.post(
        reverse("meetings:grid"),
        {
            "mode": "self_booking",
            "slot_minutes": "30",
            "day_start": "10:00",
            "day_end": "18:00",
            "request_expiry_hours": "24",
            "shared_tables": "2",
            "shared_reserve": "5",
        },
    )
    assert response.status_code == 200
    assert MeetingGrid.objects.get().shared_tables == 3  # unchanged


def test_occupancy_chart(client, market):
    scheduled(market)
    scheduled(market, requester=market.mei_buyer, target=market.aiko)
    as_(client, market.organiser)
    page = html(client.get(reverse("meetings:occupancy")))
    assert page.count("<svg") == 4
    hall = market.booth.hall.code
    # the booth's hall: 2 of 2 tables taken at 11:00 on day one -> the darkest cell
    assert f"Hall {hall} · 2 / 2</title>" in page
    assert page.count('<rect class="heat-5"') == 1
    assert page.count('<rect class="heat-0"') == 4 * 16 * 3 - 1  # shared, hall, online rows
    assert f"?hall={hall}" in page
    booths = html(client.get(reverse("meetings:occupancy") + f"?hall={hall}"))
    assert "D12 · 2 / 2</title>" in booths


def test_check_in_list_and_marks(client, market):
    meeting = scheduled(market)
    as_(client, market.organiser)
    url = (
        reverse("meetings:check_in") + "?slot=" + meeting.starts_at.isoformat().replace("+", "%2B")
    )
    page = text(client.get(url))
    assert "Sofia" in page and "Kenji" in page and "Booth D12" in page
    response = client.post(reverse("meetings:check_in_mark", args=[meeting.pk]), {"held": "0"})
    assert response.status_code == 302
    meeting.request.refresh_from_db()
    assert meeting.request.state == S.NO_SHOW
    event = RequestEvent.objects.filter(request=meeting.request).last()
    assert (event.from_state, event.to_state, event.actor) == (
        S.SCHEDULED,
        S.NO_SHOW,
        market.organiser,
    )


# ---- query counts ---------------------------------------------------------------------------


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        html(client.get(url))
    return len(captured.captured_queries)


def test_list_pages_do_not_grow_queries_per_row(client, market):
    scheduled(market, requester=market.sofia, target=market.kenji)
    as_(client, market.kenji.user)
    urls = [reverse("meetings:requests"), reverse("meetings:agenda")]
    before = [_queries(client, url) for url in urls]
    for i in range(4):
        buyer = person(market.edition, Role.BUYER, display_name=f"Buyer {i}")
        request = ask(market, requester=buyer, titles=[market.title])
        services.request_accept_and_book(
            actor=market.kenji.user,
            request=request,
            slot=slot_start(market.grid, 1, i),
            place=Place.shared() if i % 2 else Place.booth(market.booth.pk),
        )
    assert [_queries(client, url) for url in urls] == before


def test_organiser_sees_any_request_and_may_cancel_it(client, market):
    request = ask(market, message="About Asia")
    as_(client, market.organiser)
    page = text(client.get(reverse("meetings:request", args=[request.pk])))
    assert "Request from Sofia" in page and "About Asia" in page and "Cancel request" in page
    client.post(reverse("meetings:cancel", args=[request.pk]), {"note": "Duplicate"})
    request.refresh_from_db()
    assert request.state == S.CANCELLED
    event = RequestEvent.objects.filter(request=request).last()
    assert (event.actor, event.note) == (market.organiser, "Duplicate")

"""The meetings API per role: anonymous (401), a participant not party (404), the two
sides, an organiser. Exact bodies and database outcomes; refused rules in the one error
shape with the rule's code."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from django.test import Client

from reelmarket.meetings import services
from reelmarket.meetings.enums import MeetingStatus, Place, RequestState
from reelmarket.meetings.models import (
    AvailabilityDay,
    MeetingRequest,
    MeetingSeat,
    QuotaUsage,
    RequestEvent,
)
from reelmarket.meetings.slots import day_slots
from tests.api.conftest import Api, assert_error
from tests.meetings.factories import slot_start
from tests.meetings.test_views import Market, ask, scheduled

S = RequestState


@pytest.fixture
def market(db) -> Market:
    return Market()


@pytest.fixture
def api(client) -> Api:
    return Api(client)


def body(response, status: int = 200):
    assert response.status_code == status, response.content
    return json.loads(response.content)


ENDPOINTS = [
    ("get", "/meetings/requests"),
    ("get", "/meetings/agenda"),
    ("get", "/meetings/availability"),
    ("post", "/meetings/requests"),
    ("get", "/meetings/requests/1"),
    ("get", "/meetings/requests/1/free-slots"),
    ("post", "/meetings/requests/1/accept"),
    ("post", "/meetings/requests/1/decline"),
    ("post", "/meetings/requests/1/cancel"),
    ("post", "/meetings/requests/1/book"),
    ("put", "/meetings/availability/2025-03-17"),
    ("post", "/meetings/1/check-in"),
]


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_anonymous_gets_401(api, market, method, path):
    call = getattr(api, method)
    response = call(path) if method == "get" else call(path, {})
    assert_error(response, 401, "unauthorized")


def test_session_writes_need_csrf(market):
    client = Client(enforce_csrf_checks=True)
    client.force_login(market.sofia.user)
    assert client.get("/api/v1/meetings/requests").status_code == 200
    response = client.post(
        "/api/v1/meetings/requests",
        json.dumps({"person_id": market.kenji.pk}),
        content_type="application/json",
    )
    assert_error(response, 403, "permission_denied")
    assert not MeetingRequest.objects.exists()


def test_create_list_and_read_a_request(api, market):
    created = body(
        api.post(
            "/meetings/requests",
            {
                "person_id": market.kenji.pk,
                "message": "<b>Asia</b>",
                "title_ids": [market.title.pk],
                "priority": "must_meet",
            },
            as_=market.sofia.user,
        ),
        201,
    )
    request = MeetingRequest.objects.get()
    assert created["id"] == request.pk
    assert (created["state"], created["message"], created["requester_priority"]) == (
        "requested",
        "<b>Asia</b>",
        "must_meet",
    )
    assert created["requester"] == {"id": market.sofia.pk, "name": "Sofia", "organisation": None}
    assert created["target_person"] == {
        "id": market.kenji.pk,
        "name": "Kenji",
        "organisation": "Tokyo Sales Co",
    }
    assert created["titles"] == [{"id": market.title.pk, "original_title": "Jungle Friends"}]
    assert created["meeting"] is None
    assert QuotaUsage.objects.get(participant=market.sofia).used == 1
    incoming = body(api.get("/meetings/requests", as_=market.kenji.user, box="incoming"))
    assert [r["id"] for r in incoming] == [request.pk]
    assert body(api.get("/meetings/requests", as_=market.kenji.user, box="outgoing")) == []
    assert [r["id"] for r in body(api.get("/meetings/requests", as_=market.sofia.user))] == [
        request.pk
    ]
    assert body(api.get(f"/meetings/requests/{request.pk}", as_=market.kenji.user))["id"] == (
        request.pk
    )


def test_create_refusals_in_the_error_shape(api, market):
    ask(market)
    duplicate = api.post(
        "/meetings/requests", {"person_id": market.kenji.pk}, as_=market.sofia.user
    )
    error = assert_error(duplicate, 409, "duplicate", {})
    assert error["message"] == "You already have an open request with them."
    both = api.post(
        "/meetings/requests",
        {"person_id": market.kenji.pk, "organisation": market.seller_org.slug},
        as_=market.mei_buyer.user,
    )
    assert_error(both, 422, "bad_target")
    unknown = api.post("/meetings/requests", {"person_id": 999999}, as_=market.mei_buyer.user)
    assert_error(unknown, 422, "validation_error", {"body.person_id": ["Unknown person."]})
    bad_title = api.post(
        "/meetings/requests",
        {"person_id": market.kenji.pk, "title_ids": [999999]},
        as_=market.mei_buyer.user,
    )
    assert_error(bad_title, 422, "validation_error", {"body.title_ids": ["Unknown title."]})
    bad_priority = api.post(
        "/meetings/requests",
        {"person_id": market.kenji.pk, "priority": "urgent"},
        as_=market.mei_buyer.user,
    )
    assert_error(bad_priority, 422, "validation_error")
    assert MeetingRequest.objects.count() == 1


def test_a_participant_not_party_gets_404_and_changes_nothing(api, market):
    request = ask(market)
    user = market.outsider
    for path in (f"/meetings/requests/{request.pk}", f"/meetings/requests/{request.pk}/free-slots"):
        assert_error(api.get(path, as_=user), 404, "not_found")
    for action in ("accept", "decline", "cancel"):
        response = api.post(f"/meetings/requests/{request.pk}/{action}", {}, as_=user)
        assert_error(response, 404, "not_found")
    assert body(api.get("/meetings/requests", as_=user)) == []
    request.refresh_from_db()
    assert request.state == S.REQUESTED


def test_requester_may_not_accept_403(api, market):
    request = ask(market)
    response = api.post(f"/meetings/requests/{request.pk}/accept", {}, as_=market.sofia.user)
    assert_error(response, 403, "permission_denied")


def test_accept_decline_cancel(api, market):
    first = ask(market)
    accepted = body(
        api.post(
            f"/meetings/requests/{first.pk}/accept",
            {"priority": "nice_to_meet"},
            as_=market.kenji.user,
        )
    )
    assert (accepted["state"], accepted["counterpart_priority"]) == ("accepted", "nice_to_meet")
    again = api.post(f"/meetings/requests/{first.pk}/accept", {}, as_=market.kenji.user)
    error = assert_error(again, 409, "invalid_transition")
    assert error["message"] == "A request that is Accepted cannot become Accepted."
    cancelled = body(
        api.post(f"/meetings/requests/{first.pk}/cancel", {"note": "x"}, as_=market.sofia.user)
    )
    assert cancelled["state"] == "cancelled"
    second = ask(market, requester=market.mei_buyer)
    declined = body(
        api.post(
            f"/meetings/requests/{second.pk}/decline",
            {"no_thanks": True},
            as_=market.kenji.user,
        )
    )
    assert declined["state"] == "declined"
    assert list(
        RequestEvent.objects.filter(request=second).values_list("from_state", "to_state")
    ) == [("", S.REQUESTED), (S.REQUESTED, S.DECLINED)]
    blocked = api.post(
        "/meetings/requests", {"person_id": market.kenji.pk}, as_=market.mei_buyer.user
    )
    assert_error(blocked, 409, "blocked")


def test_free_slots_then_book(api, market):
    request = ask(market)
    options = body(api.get(f"/meetings/requests/{request.pk}/free-slots", as_=market.kenji.user))
    assert len(options) == 4 * 16
    first = options[0]
    assert first["venue_time"] == "2025-03-17 10:00"
    assert first["places"] == [
        {
            "kind": "booth",
            "booth_id": market.booth.pk,
            "label": f"Booth D12 (hall {market.booth.hall.code})",
        },
        {"kind": "shared", "booth_id": None, "label": "Shared meeting area"},
        {"kind": "online", "booth_id": None, "label": "Online"},
    ]
    meeting = body(
        api.post(
            f"/meetings/requests/{request.pk}/book",
            {"starts_at": first["starts_at"], "place": {"kind": "shared"}},
            as_=market.kenji.user,
        ),
        201,
    )
    assert (meeting["status"], meeting["location_kind"], meeting["table"], meeting["sequence"]) == (
        "published",
        "shared",
        1,
        0,
    )
    assert meeting["venue_time"] == "2025-03-17 10:00"
    assert sorted(p["name"] for p in meeting["people"]) == ["Kenji", "Sofia"]
    request.refresh_from_db()
    assert request.state == S.SCHEDULED
    assert MeetingSeat.objects.filter(meeting_id=meeting["id"], released=False).count() == 2
    agenda = body(api.get("/meetings/agenda", as_=market.sofia.user))
    assert [m["id"] for m in agenda] == [meeting["id"]]


def test_booking_refusals(api, market):
    scheduled(market, requester=market.mei_buyer)  # Kenji at day 0 slot 2
    request = ask(market)
    busy = api.post(
        f"/meetings/requests/{request.pk}/book",
        {"starts_at": slot_start(market.grid, 0, 2).isoformat(), "place": {"kind": "shared"}},
        as_=market.kenji.user,
    )
    assert_error(busy, 409, "busy")
    off_grid = api.post(
        f"/meetings/requests/{request.pk}/book",
        {"starts_at": "2025-03-17T02:10:00Z", "place": {"kind": "shared"}},
        as_=market.kenji.user,
    )
    assert_error(off_grid, 422, "not_a_slot")
    no_booth = api.post(
        f"/meetings/requests/{request.pk}/book",
        {"starts_at": slot_start(market.grid).isoformat(), "place": {"kind": "booth"}},
        as_=market.kenji.user,
    )
    assert_error(no_booth, 422, "validation_error", {"body.place.booth_id": ["Required."]})
    request.refresh_from_db()
    assert request.state == S.REQUESTED


def test_availability_get_and_put(api, market):
    scheduled(market)
    days = body(api.get("/meetings/availability", as_=market.kenji.user))
    assert [d["day"] for d in days] == ["2025-03-17", "2025-03-18", "2025-03-19", "2025-03-20"]
    assert (days[0]["slots"], days[0]["busy_mask"], days[0]["booked_mask"]) == (16, 0, 0b100)
    assert days[0]["free_mask"] == 0xFFFF & ~0b100
    assert days[0]["slot_starts"][0] == "2025-03-17T02:00:00Z"
    day = body(
        api.put("/meetings/availability/2025-03-18", {"busy_mask": 0b11}, as_=market.kenji.user)
    )
    assert (day["busy_mask"], day["free_mask"]) == (0b11, 0xFFFF & ~0b11)
    row = AvailabilityDay.objects.get(participant=market.kenji)
    assert (row.day.isoformat(), row.busy_mask) == ("2025-03-18", 3)
    outside = api.put("/meetings/availability/2025-04-01", {"busy_mask": 1}, as_=market.kenji.user)
    assert_error(outside, 422, "not_a_day")
    too_big = api.put(
        "/meetings/availability/2025-03-18", {"busy_mask": 1 << 20}, as_=market.kenji.user
    )
    assert_error(too_big, 422, "not_a_slot")


def test_participant_without_profile_gets_403(api, market, staff_user):
    assert_error(api.get("/meetings/agenda", as_=staff_user), 403, "permission_denied")


def test_check_in(api, market):
    meeting = scheduled(market)
    outsider = api.post(f"/meetings/{meeting.pk}/check-in", {"held": True}, as_=market.outsider)
    assert_error(outsider, 404, "not_found")
    done = body(api.post(f"/meetings/{meeting.pk}/check-in", {"held": True}, as_=market.organiser))
    assert done["status"] == MeetingStatus.PUBLISHED
    meeting.request.refresh_from_db()
    assert meeting.request.state == S.HELD
    twice = api.post(f"/meetings/{meeting.pk}/check-in", {"held": False}, as_=market.organiser)
    assert_error(twice, 409, "invalid_transition")


def test_check_in_of_a_meeting_not_started(api, market):
    future = market.edition
    future.starts_on = future.ends_on = datetime(2099, 1, 5, tzinfo=UTC).date()
    future.save()
    request = ask(market)
    services.request_accept(actor=market.kenji.user, request=request)
    start = day_slots(market.grid.spec, future.starts_on)[0].start
    meeting = services.meeting_book(
        actor=market.kenji.user, request=request, slot=start, place=Place.shared()
    )
    response = api.post(f"/meetings/{meeting.pk}/check-in", {"held": True}, as_=market.organiser)
    assert_error(response, 409, "not_started")

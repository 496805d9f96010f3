"""The Producers Connect sessions API per role: anonymous (401), an unrelated participant,
the registered producer and partner, an organiser. Exact bodies and database outcomes;
refused rules in the one error shape with the rule's code and field."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from reelmarket.financing.enums_connect import SessionState
from reelmarket.financing.models import ConnectFeedback, ConnectRegistration, ConnectSeat
from reelmarket.financing.models import ConnectSession as Session
from tests.api.conftest import Api, assert_error
from tests.financing.connect_world import ConnectWorld

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> ConnectWorld:
    return ConnectWorld()


@pytest.fixture
def api(client) -> Api:
    return Api(client)


def body(response, status: int = 200):
    assert response.status_code == status, response.content
    return json.loads(response.content)


def path(world: ConnectWorld, rest: str = "") -> str:
    return f"/connect/sessions/{world.session.pk}{rest}"


ENDPOINTS = [
    ("get", "/connect/sessions"),
    ("post", "/connect/sessions"),
    ("get", "/connect/sessions/1"),
    ("post", "/connect/sessions/1/registrations"),
    ("get", "/connect/sessions/1/my-rounds"),
    ("put", "/connect/sessions/1/seats/1/feedback"),
    ("post", "/connect/sessions/1/build"),
    ("post", "/connect/sessions/1/publish"),
    ("get", "/connect/sessions/1/feedback"),
]


@pytest.mark.parametrize(("method", "url"), ENDPOINTS)
def test_anonymous_gets_401(api, world, method, url):
    call = getattr(api, method)
    response = call(url) if method == "get" else call(url, {})
    assert_error(response, 401, "unauthorized")


def test_the_list_and_detail(api, world):
    assert body(api.get("/connect/sessions", as_=world.outsider.user)) == []  # a draft
    listed = body(api.get("/connect/sessions", as_=world.organiser))
    assert [s["name"] for s in listed] == ["Producers Connect — Day 2"]
    world.register_all()
    detail = body(api.get(path(world), as_=world.mei.user))
    assert detail == {
        "id": world.session.pk,
        "name": "Producers Connect — Day 2",
        "description": "",
        "state": "open",
        "starts_at": "2025-03-18T06:00:00Z",
        "ends_at": "2025-03-18T06:45:00Z",
        "venue_time": "2025-03-18 14:00",
        "time_zone": "Asia/Hong_Kong",
        "rounds": 2,
        "round_minutes": 20,
        "break_minutes": 5,
        "tables": 2,
        "room": "Room S421",
        "producers": 2,
        "partners": 2,
        "my_registration": {
            "id": world.reg(world.mei).pk,
            "side": "producer",
            "project_id": world.mei_project.pk,
            "project_title": "Paper Tigers",
        },
    }
    assert body(api.get(path(world), as_=world.outsider.user))["my_registration"] is None
    assert_error(api.get("/connect/sessions/999999", as_=world.mei.user), 404, "not_found")


def test_organisers_create_sessions_with_clear_errors(api, world):
    good = {
        "name": "Day 3",
        "starts_at": "2025-03-19T10:00:00",  # no offset: venue time
        "rounds": 8,
        "round_minutes": 20,
        "tables": 40,
    }
    assert_error(api.post("/connect/sessions", good, as_=world.mei.user), 403, "permission_denied")
    created = body(api.post("/connect/sessions", good, as_=world.organiser), 201)
    assert (created["venue_time"], created["starts_at"]) == (
        "2025-03-19 10:00",
        "2025-03-19T02:00:00Z",
    )
    assert created["state"] == "draft"
    for changes, code, field, message in [
        ({"rounds": 0}, "bad_rounds", "body.rounds", "A session has 1 to 30 rounds."),
        ({"tables": 0}, "bad_tables", "body.tables", "A session has 1 to 500 tables."),
        (
            {"starts_at": "2025-03-25T10:00:00+08:00"},
            "bad_start",
            "body.starts_at",
            "The session must start on a day of FILMART 2025 (2025-03-17 to 2025-03-20).",
        ),
    ]:
        response = api.post(
            "/connect/sessions", {**good, "name": "X", **changes}, as_=world.organiser
        )
        error = assert_error(response, 422, code, {field: [message]})
        assert error["message"] == message
    assert_error(api.post("/connect/sessions", good, as_=world.organiser), 409, "name_taken")
    response = api.post("/connect/sessions", {**good, "rounds": "many"}, as_=world.organiser)
    assert_error(response, 422, "validation_error")
    assert Session.objects.count() == 2


def test_registering_through_the_api(api, world):
    world.open()
    url = path(world, "/registrations")
    created = body(
        api.post(url, {"side": "producer", "project_id": world.mei_project.pk}, as_=world.mei.user),
        201,
    )
    assert created == {
        "id": ConnectRegistration.objects.get().pk,
        "side": "producer",
        "project_id": world.mei_project.pk,
        "project_title": "Paper Tigers",
    }
    assert_error(
        api.post(url, {"side": "producer", "project_id": world.mei_project.pk}, as_=world.mei.user),
        409,
        "already_registered",
    )
    assert_error(
        api.post(
            url, {"side": "producer", "project_id": world.mei_project.pk}, as_=world.arjun.user
        ),
        422,
        "bad_project",
        {"body.project": ["You may only bring a project you own or work on."]},
    )
    assert_error(
        api.post(url, {"side": "partner"}, as_=world.outsider.user), 422, "no_investor_profile"
    )
    assert_error(
        api.post(url, {"side": "producer", "project_id": 999999}, as_=world.arjun.user),
        422,
        "validation_error",
        {"body.project_id": ["Unknown project."]},
    )
    assert_error(api.post(url, {"side": "judge"}, as_=world.arjun.user), 422, "validation_error")
    body(api.post(url, {"side": "partner"}, as_=world.copro.user), 201)
    world.session.state = SessionState.CLOSED
    world.session.save()
    assert_error(
        api.post(url, {"side": "partner"}, as_=world.fund.user), 409, "registration_closed"
    )
    assert ConnectRegistration.objects.count() == 2


def test_build_and_publish_are_for_organisers(api, world):
    world.register_all()
    for who in (world.outsider, world.mei, world.copro):
        assert_error(api.post(path(world, "/build"), {}, as_=who.user), 403, "permission_denied")
    assert_error(
        api.post(path(world, "/build"), {}, as_=world.organiser), 409, "registration_not_closed"
    )
    world.session.state = SessionState.CLOSED
    world.session.save()
    built = body(api.post(path(world, "/build"), {"seed": 2}, as_=world.organiser))
    assert (built["meetings"], built["fair_share"], built["under_served"]) == (4, 2, [])
    assert [(r["round"], r["meetings"], r["tables"]) for r in built["rounds"]] == [
        (1, 2, 2),
        (2, 2, 2),
    ]
    assert built["total_score"] == pytest.approx(
        sum(ConnectSeat.objects.values_list("score", flat=True))
    )
    assert_error(
        api.post(path(world, "/build"), {"seed": -1}, as_=world.organiser), 422, "validation_error"
    )
    for who in (world.outsider, world.mei, world.copro):
        assert_error(api.post(path(world, "/publish"), {}, as_=who.user), 403, "permission_denied")
    assert body(api.post(path(world, "/publish"), {}, as_=world.organiser))["state"] == "published"
    assert_error(api.post(path(world, "/publish"), {}, as_=world.organiser), 409, "published")


def published(world: ConnectWorld) -> ConnectSeat:
    world.register_all()
    world.build()
    world.publish()
    return ConnectSeat.objects.get(producer=world.reg(world.mei), partner=world.reg(world.copro))


def test_my_rounds_per_role(api, world):
    seat = published(world)
    rounds = body(api.get(path(world, "/my-rounds"), as_=world.mei.user))
    assert [r["round"] for r in rounds] == [1, 2]
    mine = next(r for r in rounds if r["seat_id"] == seat.pk)
    assert mine["with_person"] == {
        "id": world.copro.pk,
        "name": "Louis (Paris Copro)",
        "organisation": None,
    }
    assert mine["project"]["title"] == "Paper Tigers"
    assert mine["partner_profile"] == {
        "kind": "coproducer",
        "ticket_min": "100000.00",
        "ticket_max": "1000000.00",
        "currency": "USD",
    }
    assert (
        mine["table"] == str(seat.table)
        and mine["feedback_open"] is True
        and mine["my_feedback"] is None
    )
    assert mine["reasons"]
    partner_rounds = body(api.get(path(world, "/my-rounds"), as_=world.copro.user))
    assert {r["with_person"]["name"] for r in partner_rounds} == {"Mei", "Arjun"}
    assert all(r["partner_profile"] is None for r in partner_rounds)
    assert_error(
        api.get(path(world, "/my-rounds"), as_=world.outsider.user), 403, "permission_denied"
    )
    assert_error(api.get(path(world, "/my-rounds"), as_=world.organiser), 403, "permission_denied")


def test_feedback_per_role_and_the_summary(api, world):
    seat = published(world)
    url = path(world, f"/seats/{seat.pk}/feedback")
    saved = body(api.put(url, {"verdict": "follow_up", "note": "Lookbook"}, as_=world.mei.user))
    assert (saved["seat_id"], saved["verdict"], saved["note"]) == (seat.pk, "follow_up", "Lookbook")
    body(api.put(url, {"verdict": "pass"}, as_=world.mei.user))
    body(api.put(url, {"verdict": "follow_up"}, as_=world.copro.user))
    assert_error(
        api.put(url, {"verdict": "pass"}, as_=world.outsider.user), 403, "permission_denied"
    )
    assert_error(api.put(url, {"verdict": "pass"}, as_=world.organiser), 403, "permission_denied")
    assert_error(api.put(url, {"verdict": "maybe"}, as_=world.mei.user), 422, "validation_error")
    assert_error(
        api.put(url, {"verdict": "pass", "note": "x" * 501}, as_=world.mei.user),
        422,
        "validation_error",
    )
    assert_error(
        api.put(path(world, "/seats/999999/feedback"), {"verdict": "pass"}, as_=world.mei.user),
        404,
        "not_found",
    )
    assert ConnectFeedback.objects.count() == 2
    for who in (world.outsider, world.mei, world.copro):
        assert_error(api.get(path(world, "/feedback"), as_=who.user), 403, "permission_denied")
    summary = body(api.get(path(world, "/feedback"), as_=world.organiser))
    assert (
        summary["meetings"],
        summary["answers"],
        summary["follow_up"],
        summary["passed"],
        summary["mutual"],
    ) == (4, 2, 1, 1, 0)
    row = next(r for r in summary["rows"] if r["seat_id"] == seat.pk)
    assert (row["producer_verdict"], row["partner_verdict"], row["producer_note"]) == (
        "pass",
        "follow_up",
        "",
    )


def test_feedback_before_publication_is_a_conflict(api, world):
    world.register_all()
    world.build()
    seat = ConnectSeat.objects.first()
    response = api.put(
        path(world, f"/seats/{seat.pk}/feedback"), {"verdict": "pass"}, as_=world.mei.user
    )
    assert_error(response, 409, "not_published")


def test_session_writes_need_csrf(world):
    world.open()
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.copro.user)
    assert client.get("/api/v1/connect/sessions").status_code == 200
    response = client.post(
        f"/api/v1/connect/sessions/{world.session.pk}/registrations",
        json.dumps({"side": "partner"}),
        content_type="application/json",
    )
    assert_error(response, 403, "permission_denied")
    assert not ConnectRegistration.objects.exists()

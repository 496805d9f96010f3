"""The after-selection API per role: public reads show only selected projects; wishes and
the one-on-one grid with the one error shape."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from reelmarket.accounts.services import api_token_create
from reelmarket.meetings.models import MeetingRequest
from reelmarket.pitching import services_after as services
from reelmarket.pitching.models import MeetingWish
from reelmarket.pitching.services_after import SessionData
from tests.pitching.after_world import World, at

ROLES = ["anonymous", "unrelated", "applicant", "investor", "organiser"]


@pytest.fixture
def world(db) -> World:
    return World()


def headers(world: World, role: str) -> dict[str, str]:
    user = world.users[role]
    if user is None:
        return {}
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=user, name='t')[1]}"}


def base(world: World) -> str:
    return f"/api/v1/pitch/calls/{world.call.pk}"


@pytest.mark.parametrize("role", ROLES)
def test_projects_are_public_and_only_selected(world, role):
    response = Client().get(f"{base(world)}/projects", **headers(world, role))
    assert response.status_code == 200
    assert [p["title"] for p in response.json()] == ["The Paper Tiger", "Harbour Lights"]


@pytest.mark.parametrize("role", ["anonymous", "unrelated", "investor"])
def test_a_non_selected_dossier_is_not_found(world, role):
    response = Client().get(
        f"{base(world)}/projects/{world.shortlisted.pk}", **headers(world, role)
    )
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_dossier_has_both_languages(world):
    body = Client().get(f"{base(world)}/projects/{world.selected.pk}").json()
    assert body["languages"] == ["en", "zh"]
    assert [t["field"] for t in body["texts"]["zh"]] == ["logline", "synopsis"]
    assert (body["budget"], body["gap"], body["currency"]) == ("1000000.00", "1000000.00", "USD")


def test_programme(world):
    session = services.session_create(
        actor=world.organiser,
        call=world.call,
        data=SessionData(title="Pitches", starts_at=at(18, 10), footage_minutes=5),
    )
    services.session_set_order(
        actor=world.organiser, session=session, submissions=[world.wip_selected, world.selected]
    )
    [out] = Client().get(f"{base(world)}/programme").json()
    assert [(s["order"], s["project"], s["footage_minutes"]) for s in out["slots"]] == [
        (1, "Harbour Lights", 5),
        (2, "The Paper Tiger", 0),
    ]
    assert out["ends_at"] == "2025-03-18T02:40:00Z"


@pytest.mark.parametrize(
    ("role", "status", "code"),
    [
        ("anonymous", 401, "unauthorized"),
        ("unrelated", 403, "permission_denied"),
        ("applicant", 422, "own_project"),
        ("investor", 200, None),
        ("organiser", 403, "permission_denied"),
    ],
)
def test_wish_put_per_role(world, role, status, code):
    response = Client().put(
        f"{base(world)}/projects/{world.selected.pk}/wish",
        data=json.dumps({"priority": "must_meet"}),
        content_type="application/json",
        **headers(world, role),
    )
    assert response.status_code == status
    if code:
        assert response.json()["error"]["code"] == code
    else:
        assert response.json() == {
            "submission_id": world.selected.pk, "priority": "must_meet", "note": "",
            "request_id": None,
        }  # fmt: skip
    assert MeetingWish.objects.count() == (1 if status == 200 else 0)


def test_wish_bad_priority_is_422(world):
    response = Client().put(
        f"{base(world)}/projects/{world.selected.pk}/wish",
        data=json.dumps({"priority": "urgent"}),
        content_type="application/json",
        **headers(world, "investor"),
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {
        "body.priority": ["Input should be 'must_meet', 'meet' or 'nice_to_meet'"]
    }


def test_wish_delete(world):
    h = headers(world, "investor")
    url = f"{base(world)}/projects/{world.selected.pk}/wish"
    assert Client().delete(url, **h).json()["error"]["code"] == "no_wish"
    services.wish_set(actor=world.sofia.user, submission=world.selected)
    assert Client().delete(url, **h).status_code == 204
    assert MeetingWish.objects.count() == 0


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 401),
        ("unrelated", 403),
        ("applicant", 403),
        ("investor", 403),
        ("organiser", 200),
    ],
)
def test_grid_build_per_role(world, role, status):
    services.wish_set(actor=world.sofia.user, submission=world.selected)
    response = Client().post(f"{base(world)}/one-on-ones", **headers(world, role))
    assert response.status_code == status
    if status == 200:
        wish = MeetingWish.objects.get()
        assert response.json() == {"created": [wish.pk], "linked": [], "skipped": []}
        assert MeetingRequest.objects.get().state == "accepted"
    else:
        assert MeetingRequest.objects.count() == 0


def test_grid_build_without_a_meeting_grid_is_409(world):
    world.grid.delete()
    response = Client().post(f"{base(world)}/one-on-ones", **headers(world, "organiser"))
    assert response.status_code == 409
    assert response.json()["error"] == {
        "code": "no_grid",
        "message": "Meetings are not open for this edition.",
        "fields": {},
    }


def test_unknown_call_is_404(world):
    assert Client().get("/api/v1/pitch/calls/999999/projects").status_code == 404


def test_awards_name_only_public_winners(world):
    from reelmarket.pitching.models import Award

    Award.objects.create(call=world.call, name="A", sponsor="Ink", winner=world.selected)
    Award.objects.create(call=world.call, name="B", winner=world.shortlisted)
    body = Client().get(f"{base(world)}/awards").json()
    assert [(a["name"], a["sponsor"], a["winner_id"]) for a in body] == [
        ("A", "Ink", world.selected.pk),
        ("B", "", None),
    ]

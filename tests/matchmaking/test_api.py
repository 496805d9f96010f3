"""The matchmaking API per role: anonymous (401), a back-office account without a profile
(403), a buyer, a seller, a producer, an investor, an organiser. Exact bodies, database
outcomes, and refused rules in the one error shape."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from django.test import Client

from reelmarket.matchmaking.enums import RunStatus, TargetKind, Verdict
from reelmarket.matchmaking.models import Feedback, RecomputeRun, Suggestion
from reelmarket.meetings.models import MeetingRequest, PairBlock
from tests.api.conftest import Api, assert_error
from tests.matchmaking.web_world import MatchWorld, fresh_world

pytestmark = pytest.mark.urls("tests.matchmaking.urls")
T = TargetKind


@pytest.fixture
def world(db) -> Iterator[MatchWorld]:
    yield from fresh_world()


@pytest.fixture
def api(client) -> Api:
    return Api(client)


def body(response, status: int = 200):
    assert response.status_code == status, response.content
    return json.loads(response.content)


ENDPOINTS = [
    ("get", "/matchmaking/suggestions"),
    ("post", "/matchmaking/feedback"),
    ("post", "/matchmaking/suggestions/1/meeting-request"),
    ("post", "/matchmaking/recompute"),
    ("get", "/matchmaking/runs/1"),
]


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_anonymous_gets_401(api, world, method, path):
    call = getattr(api, method)
    response = call(path) if method == "get" else call(path, {})
    assert_error(response, 401, "unauthorized")


def test_an_account_without_a_profile_gets_403(api, world):
    assert_error(api.get("/matchmaking/suggestions", as_=world.admin), 403, "permission_denied")
    response = api.post(
        "/matchmaking/feedback",
        {"kind": "title", "verdict": "not_interested", "title_id": world.ferry.pk},
        as_=world.admin,
    )
    assert_error(response, 403, "permission_denied")


def test_a_buyer_lists_titles_and_people_with_reasons(api, world):
    rows = body(api.get("/matchmaking/suggestions", as_=world.linh.user))
    assert [(r["kind"], r["rank"]) for r in rows] == [
        ("title", 1),
        ("title", 2),
        ("title", 3),
        ("meeting", 1),
    ]
    top = rows[0]
    assert top["target"]["title"] == "Jungle Friends"
    assert top["target"]["title_ids"] == [world.jungle.pk]
    assert top["target"]["organisation"] == "Tokyo Sales Co"
    assert top["score"] == sum(r["points"] for r in top["reasons"]) == 46.66796875
    assert top["reasons"][0] == {
        "code": "rights_available",
        "points": 16.66796875,
        "params": {"rights": [["VN", "svod"]], "count": 1},
        "private": False,
    }
    assert top["top_reasons"] == [
        "You buy SVOD in Vietnam — the right is available there",
        "Animation, Family, a genre you buy",
        "Animated feature, which you buy",
    ]
    assert rows[3]["target"]["person"] == "Kenji"
    only = body(api.get("/matchmaking/suggestions", as_=world.linh.user, kind="meeting"))
    assert [r["kind"] for r in only] == ["meeting"]


def test_bad_query_is_422(api, world):
    response = api.get("/matchmaking/suggestions", as_=world.linh.user, limit=0)
    assert_error(response, 422, "validation_error")


def test_feedback_changes_the_next_list(api, world):
    api.get("/matchmaking/suggestions", as_=world.linh.user)
    created = body(
        api.post(
            "/matchmaking/feedback",
            {"kind": "title", "verdict": "not_interested", "title_id": world.school.pk},
            as_=world.linh.user,
        ),
        201,
    )
    assert (created["kind"], created["key"], created["verdict"]) == (
        "title",
        f"t{world.school.pk}",
        "not_interested",
    )
    rows = body(api.get("/matchmaking/suggestions", as_=world.linh.user, kind="title"))
    assert [r["target"]["title"] for r in rows] == ["Jungle Friends", "Night Ferry"]


@pytest.mark.parametrize(
    ("payload", "status", "code"),
    [
        ({"kind": "title", "verdict": "no_thanks", "title_id": "ferry"}, 422, "validation_error"),
        ({"kind": "title", "verdict": "maybe", "title_id": 1}, 422, "validation_error"),
        ({"kind": "song", "verdict": "not_interested", "title_id": 1}, 422, "validation_error"),
        ({"kind": "title", "verdict": "not_interested", "title_id": 0}, 422, "validation_error"),
    ],
)
def test_malformed_feedback_is_422(api, world, payload, status, code):
    assert_error(api.post("/matchmaking/feedback", payload, as_=world.linh.user), status, code)
    assert not Feedback.objects.exists()


def test_refused_feedback_in_the_one_error_shape(api, world):
    user = world.linh.user
    no_thanks_title = {"kind": "title", "verdict": "no_thanks", "title_id": world.ferry.pk}
    assert_error(api.post("/matchmaking/feedback", no_thanks_title, as_=user), 422, "bad_verdict")
    wrong_shape = {"kind": "title", "verdict": "not_interested", "person_id": world.kenji.pk}
    assert_error(api.post("/matchmaking/feedback", wrong_shape, as_=user), 422, "bad_target")
    draft = {"kind": "title", "verdict": "not_interested", "title_id": world.draft.pk}
    assert_error(api.post("/matchmaking/feedback", draft, as_=user), 404, "not_found")
    unknown = {"kind": "title", "verdict": "not_interested", "title_id": 987654}
    error = assert_error(api.post("/matchmaking/feedback", unknown, as_=user), 404, "not_found")
    assert error["fields"] == {"body.title_id": ["Not found."]}
    assert not Feedback.objects.exists()


def test_no_thanks_blocks_the_pair(api, world):
    body(
        api.post(
            "/matchmaking/feedback",
            {"kind": "meeting", "verdict": "no_thanks", "person_id": world.kenji.pk},
            as_=world.linh.user,
        ),
        201,
    )
    assert PairBlock.objects.get().blocked_by_id == world.linh.pk
    rows = body(api.get("/matchmaking/suggestions", as_=world.kenji.user, kind="meeting"))
    assert "Linh" not in [r["target"]["person"] for r in rows]


def test_a_seller_reads_buyers_with_private_reasons_redacted(api, world):
    rows = body(api.get("/matchmaking/suggestions", as_=world.kenji.user, kind="buyer"))
    quiet = [r for r in rows if r["target"]["person"] == "Quiet Quan"]
    assert quiet and all(
        reason["params"] == {} and reason["private"] for reason in quiet[0]["reasons"]
    )
    assert quiet[0]["top_reasons"] == ["Fits what they look for"]
    assert "Hidden Hana" not in [r["target"]["person"] for r in rows]


def test_producer_and_investor_lists(api, world):
    financiers = body(api.get("/matchmaking/suggestions", as_=world.arjun.user))
    assert [(r["kind"], r["target"]["person"], r["target"]["project"]) for r in financiers] == [
        ("financier", "Claire", "Monsoon Letters")
    ]
    projects = body(api.get("/matchmaking/suggestions", as_=world.fund.user))
    assert [(r["kind"], r["target"]["project"], r["target"]["person"]) for r in projects] == [
        ("project", "Monsoon Letters", "Arjun")
    ]


def test_meeting_request_from_a_suggestion(api, world):
    api.get("/matchmaking/suggestions", as_=world.kenji.user)
    pair = Suggestion.objects.get(viewer=world.kenji, kind=T.MEETING, person=world.linh)
    created = body(
        api.post(
            f"/matchmaking/suggestions/{pair.pk}/meeting-request",
            {"message": "Jungle Friends for Vietnam?"},
            as_=world.kenji.user,
        ),
        201,
    )
    request = MeetingRequest.objects.get()
    assert created == {
        "request_id": request.pk,
        "state": "requested",
        "target_person_id": world.linh.pk,
        "target_organisation": None,
        "title_ids": [world.jungle.pk],
    }
    again = api.post(
        f"/matchmaking/suggestions/{pair.pk}/meeting-request", {}, as_=world.kenji.user
    )
    assert_error(again, 409, "duplicate")
    other = api.post(f"/matchmaking/suggestions/{pair.pk}/meeting-request", {}, as_=world.linh.user)
    assert_error(other, 404, "not_found")
    assert MeetingRequest.objects.count() == 1


def test_recompute_is_for_organisers(api, world):
    assert_error(
        api.post("/matchmaking/recompute", {}, as_=world.linh.user), 403, "permission_denied"
    )
    run = body(api.post("/matchmaking/recompute", {}, as_=world.organiser), 202)
    assert (run["status"], run["percent"]) == (RunStatus.QUEUED, 0)
    assert_error(api.post("/matchmaking/recompute", {}, as_=world.organiser), 409, "run_active")
    assert body(api.get(f"/matchmaking/runs/{run['id']}", as_=world.organiser))["id"] == run["id"]
    assert_error(
        api.get(f"/matchmaking/runs/{run['id']}", as_=world.linh.user), 403, "permission_denied"
    )
    assert_error(api.get("/matchmaking/runs/99999", as_=world.organiser), 404, "not_found")
    assert RecomputeRun.objects.count() == 1


def test_session_writes_need_csrf(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.linh.user)
    assert client.get("/api/v1/matchmaking/suggestions").status_code == 200
    response = client.post(
        "/api/v1/matchmaking/feedback",
        json.dumps(
            {"kind": "title", "verdict": Verdict.NOT_INTERESTED, "title_id": world.ferry.pk}
        ),
        content_type="application/json",
    )
    assert_error(response, 403, "permission_denied")
    assert not Feedback.objects.exists()


def test_interests_in_the_api(api, world):
    user = world.linh.user
    assert_error(api.get("/matchmaking/interests"), 401, "unauthorized")
    assert_error(api.get("/matchmaking/interests", as_=world.admin), 403, "permission_denied")
    created = body(api.post("/matchmaking/interests", {"text": "coming-of-age"}, as_=user), 201)
    assert created["text"] == "coming-of-age"
    listed = body(api.get("/matchmaking/interests", as_=user))
    assert [i["text"] for i in listed] == ["coming-of-age"]
    assert_error(api.post("/matchmaking/interests", {"text": "   "}, as_=user), 422, "bad_interest")
    other = api.delete(f"/matchmaking/interests/{created['id']}", as_=world.sofia.user)
    assert_error(other, 404, "not_found")
    assert api.delete(f"/matchmaking/interests/{created['id']}", as_=user).status_code == 204
    assert not world.linh.stated_interests.exists()


def test_an_organiser_without_a_matched_role_has_no_suggestions(api, world):
    assert body(api.get("/matchmaking/suggestions", as_=world.organiser)) == []
    assert not Suggestion.objects.exists()

"""The jury review API, per role, with the one error shape: a reviewer's assignments and
scoring (bad scores -> 422 naming the criterion), the organisers' assignment and ranking."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from reelmarket.pitching.models import ReviewAssignment, Score
from tests.api.conftest import Api, assert_error
from tests.pitching.review_world import (
    IDENTITY,
    ReviewWorld,
    World,
    identified_submission,
    pairs,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return World()


@pytest.fixture
def api(client) -> Api:
    return Api(client)


def body(response, status: int = 200):
    assert response.status_code == status, response.content
    return json.loads(response.content)


def endpoints(world: World) -> list[tuple[str, str, dict | None]]:
    a, call = world.mine.pk, world.call.pk
    return [
        ("get", "/pitch/review/assignments", None),
        ("get", f"/pitch/review/assignments/{a}", None),
        ("put", f"/pitch/review/assignments/{a}", {"scores": {}}),
        ("post", f"/pitch/review/assignments/{a}/reopen", {}),
        ("post", f"/pitch/review/calls/{call}/assign", {}),
        ("get", f"/pitch/review/calls/{call}/ranking", None),
    ]


def call_api(api: Api, method: str, path: str, data, user):
    if method == "get":
        return api.get(path, as_=user)
    return getattr(api, method)(path, data, as_=user)


def test_anonymous_gets_401_everywhere(api, world):
    for method, path, data in endpoints(world):
        assert_error(call_api(api, method, path, data, None), 401, "unauthorized")


EXPECTED = {
    # role: statuses for the six endpoints above
    "outsider": [200, 403, 403, 403, 403, 403],
    "applicant": [200, 403, 403, 403, 403, 403],
    "assigned": [200, 200, 200, 200, 403, 403],
    "unassigned": [200, 403, 403, 403, 403, 403],
    "organiser": [200, 200, 403, 403, 200, 200],
}


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_each_role_gets_exactly_its_endpoints(api, world, role):
    user = world.users()[role]
    for (method, path, data), status in zip(endpoints(world), EXPECTED[role], strict=True):
        response = call_api(api, method, path, data, user)
        if status == 403:
            assert_error(response, 403, "permission_denied")
        else:
            assert response.status_code == status, (role, path, response.content)


def test_only_their_own_assignments_are_listed(api, world):
    mine = body(api.get("/pitch/review/assignments", as_=world.assigned))
    assert mine["done"] == 0 and mine["total"] == 1
    assert [(i["id"], i["title"], i["status"]) for i in mine["items"]] == [
        (world.mine.pk, "Project 1", "not_started")
    ]
    assert body(api.get("/pitch/review/assignments", as_=world.outsider)) == {
        "done": 0,
        "total": 0,
        "items": [],
    }
    other_call = body(
        api.get(f"/pitch/review/assignments?call_id={world.call.pk + 1}", as_=world.assigned)
    )
    assert other_call["total"] == 0


def test_scoring_through_the_api(api, world):
    path = f"/pitch/review/assignments/{world.mine.pk}"
    story, team = str(world.story.pk), str(world.team.pk)
    draft = body(api.put(path, {"scores": {story: 7}, "comment": "Good"}, as_=world.assigned))
    assert draft["scores"] == {story: 7} and draft["comment"] == "Good"
    assert draft["editable"] is True and draft["completed_at"] is None
    assert [c["name"] for c in draft["rubric"]] == ["Story", "Team"]
    done = body(
        api.put(path, {"scores": {story: 7, team: 5}, "complete": True}, as_=world.assigned)
    )
    assert done["completed_at"] is not None and done["editable"] is False
    assert_error(
        api.put(path, {"scores": {story: 1, team: 1}}, as_=world.assigned), 409, "review_completed"
    )
    reopened = body(api.post(f"{path}/reopen", {}, as_=world.assigned))
    assert reopened["completed_at"] is None and reopened["scores"] == {story: 7, team: 5}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (11, "Story: 11 is outside the scale 0 to 10."),
        (-1, "Story: -1 is outside the scale 0 to 10."),
    ],
)
def test_out_of_scale_scores_are_a_422_naming_the_criterion(api, world, value, message):
    path = f"/pitch/review/assignments/{world.mine.pk}"
    error = assert_error(
        api.put(path, {"scores": {str(world.story.pk): value}}, as_=world.assigned),
        422,
        "bad_scores",
        {f"body.scores.{world.story.pk}": [message]},
    )
    assert error["message"] == message
    assert not Score.objects.exists()


@pytest.mark.parametrize("value", ["seven", 7.5, [7]])
def test_non_numeric_scores_are_a_422(api, world, value):
    path = f"/pitch/review/assignments/{world.mine.pk}"
    error = assert_error(
        api.put(path, {"scores": {str(world.story.pk): value}}, as_=world.assigned),
        422,
        "validation_error",
    )
    assert list(error["fields"]) == [f"body.scores.{world.story.pk}"]
    assert not Score.objects.exists()


def test_completing_with_a_missing_score_is_a_422(api, world):
    path = f"/pitch/review/assignments/{world.mine.pk}"
    assert_error(
        api.put(path, {"scores": {str(world.story.pk): 3}, "complete": True}, as_=world.assigned),
        422,
        "bad_scores",
        {f"body.scores.{world.team.pk}": ["Team: a score is needed to complete the review."]},
    )


def test_the_api_dossier_is_anonymised_too(api):
    world = World(anonymised=True)
    a = ReviewAssignment.objects.create(
        submission=identified_submission(world), reviewer=world.reviewers[0]
    )
    response = api.get(f"/pitch/review/assignments/{a.pk}", as_=world.reviewers[0].participant.user)
    raw = response.content.decode()
    for name in IDENTITY:
        assert name not in raw, name
    dossier = body(response)["dossier"]
    assert dossier["anonymised"] is True
    assert dossier["applicant"] is None and dossier["team"] == []
    assert [s["name"] for s in dossier["sources"]] == [None]
    organiser_view = body(api.get(f"/pitch/review/assignments/{a.pk}", as_=world.organiser))
    assert organiser_view["dossier"]["applicant"] == "Wei Zhang"


def test_session_writes_need_csrf(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.assigned)
    path = f"/api/v1/pitch/review/assignments/{world.mine.pk}"
    assert client.get(path).status_code == 200
    response = client.put(
        path, json.dumps({"scores": {str(world.story.pk): 3}}), content_type="application/json"
    )
    assert_error(response, 403, "permission_denied")
    assert not Score.objects.exists()


def test_organiser_assigns_and_reads_the_ranking(api):
    world = ReviewWorld(k=2, submissions=4)
    out = body(api.post(f"/pitch/review/calls/{world.call.pk}/assign", {}, as_=world.organiser))
    assert (out["submissions"], out["created"], out["kept"], out["removed"]) == (4, 8, 0, 0)
    assert sorted(out["loads"].values()) == [2, 2, 2, 2]
    assert len(pairs()) == 8
    for a in ReviewAssignment.objects.filter(submission=world.submissions[0]):
        world.score(a, 8, 4)  # 80.0 each
    ranking = body(api.get(f"/pitch/review/calls/{world.call.pk}/ranking", as_=world.organiser))
    dev = next(s for s in ranking["sections"] if s["name"] == "In development")
    first = dev["rows"][0]
    assert first["title"] == "Project 0" and first["rank"] == 1
    assert first["raw"] == pytest.approx(80.0) and first["spread"] == pytest.approx(0.0)
    assert (first["reviews_done"], first["reviews_expected"]) == (2, 2)
    assert dev["places"] == 2 and dev["selected"] == 0
    assert ranking["reviews"] == 2 and ranking["locked"] is False


def test_impossible_assignment_is_a_409_listing_the_submissions(api):
    world = ReviewWorld(k=4, submissions=1)
    s0 = world.submissions[0]
    assert_error(
        api.post(f"/pitch/review/calls/{world.call.pk}/assign", {}, as_=world.organiser),
        409,
        "assignment_impossible",
        {
            f"submissions.{s0.pk}": [
                "“Project 0” (In development): only 3 reviewers have no conflict of interest "
                "with it (4 needed)"
            ]
        },
    )
    assert not pairs()


def test_unknown_ids_are_404(api, world):
    assert_error(api.get("/pitch/review/assignments/999999", as_=world.organiser), 404, "not_found")
    assert_error(
        api.post("/pitch/review/calls/999999/assign", {}, as_=world.organiser), 404, "not_found"
    )

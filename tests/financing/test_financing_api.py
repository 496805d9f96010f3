"""Producers Connect API per role: projects, financing lines, partners, investor profile,
matches both ways; the one error shape; CSRF for session writes."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.test import Client

from reelmarket.financing.models import FinancingSource, InvestorProfile, PartnerSought, Project
from tests.api.conftest import Api, assert_error
from tests.financing.factories import ProjectFactory
from tests.financing.projects_world import World

pytestmark = pytest.mark.django_db

ROLES = ["outsider", "claimant", "investor", "colleague", "owner", "organiser"]
TEAM = {"colleague", "owner", "organiser"}


@pytest.fixture
def world() -> World:
    return World()


@pytest.fixture
def api(client) -> Api:
    return Api(client)


def body(response, status: int = 200):
    assert response.status_code == status, response.content
    return json.loads(response.content) if response.content else None


def patch(api: Api, path: str, data, as_):
    return api._send("patch", path, data, as_)


NEW = {
    "title": "Paper Dragons",
    "kind": "animation_feature",
    "stage": "development",
    "budget": "3000000",
    "currency": "HKD",
}


def endpoints(world: World) -> list[tuple[str, str, object]]:
    p = world.project.pk
    s = FinancingSource.objects.filter(project=world.project).first().pk
    return [
        ("get", "/connect/projects", None),
        ("get", "/connect/projects/mine", None),
        ("post", "/connect/projects", NEW),
        ("get", f"/connect/projects/{p}", None),
        ("patch", f"/connect/projects/{p}", {"title": "X"}),
        ("delete", f"/connect/projects/{p}", None),
        ("get", f"/connect/projects/{p}/sources", None),
        ("post", f"/connect/projects/{p}/sources", {"kind": "equity", "name": "A", "amount": "1"}),
        (
            "put",
            f"/connect/projects/{p}/sources/{s}",
            {"kind": "equity", "name": "A", "amount": "1"},
        ),
        ("delete", f"/connect/projects/{p}/sources/{s}", None),
        ("put", f"/connect/projects/{p}/partners", []),
        ("get", f"/connect/projects/{p}/investors", None),
        ("get", "/connect/investor-profile", None),
        (
            "put",
            "/connect/investor-profile",
            {"kind": "fund", "ticket_min": "0", "ticket_max": "1"},
        ),
        ("get", "/connect/investor-profile/matches", None),
        ("get", f"/connect/investors/{world.profile.pk}", None),
    ]


def call(api: Api, method: str, path: str, data, as_=None):
    if method == "get":
        return api.get(path, as_=as_)
    if method == "delete":
        return api.delete(path, as_=as_)
    if method == "patch":
        return patch(api, path, data, as_)
    return getattr(api, method)(path, data, as_=as_)


def test_anonymous_gets_401_everywhere(api, world):
    for method, path, data in endpoints(world):
        assert_error(call(api, method, path, data), 401, "unauthorized")
    assert Project.objects.count() == 1


def test_session_writes_need_csrf(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.arjun.user)
    response = client.post(
        "/api/v1/connect/projects", json.dumps(NEW), content_type="application/json"
    )
    assert_error(response, 403, "permission_denied")
    assert Project.objects.count() == 1
    assert client.get("/api/v1/connect/projects").status_code == 200


# ---- projects -------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ROLES)
def test_read_a_project(api, world, who):
    data = body(api.get(f"/connect/projects/{world.project.pk}", as_=world.users[who]))
    assert data["title"] == "Monsoon Ledger"
    assert data["plan"] == {
        "budget": "1200000.00",
        "currency": "USD",
        "secured": "420000.00",
        "pending": "200000.00",
        "gap": "780000.00",
        "secured_share": "0.3500",
        "secured_percent": "35.0",
    }
    # Secured first, then by type; pending last.
    assert [s["name"] for s in data["sources"]] == ["Pre-sale India", "NFDC", "Private equity"]
    assert data["may_edit"] is (who in TEAM)
    assert (data["documents"] is not None) is (who in TEAM)
    assert (data["match"] is not None) is (who == "investor")
    if who == "investor":
        assert data["match"]["score"] == 80.0
        assert data["match"]["reasons"][1] == "Drama, like your focus"


@pytest.mark.parametrize("who", ROLES)
def test_unlisted_project_is_404_for_others(api, world, who):
    world.project.seeking_financing = False
    world.project.save()
    response = api.get(f"/connect/projects/{world.project.pk}", as_=world.users[who])
    if who in TEAM:
        assert response.status_code == 200
    else:
        assert_error(response, 404, "not_found")


def test_missing_project_is_404(api, world):
    assert_error(api.get("/connect/projects/999999", as_=world.arjun.user), 404, "not_found")


@pytest.mark.parametrize("who", ROLES)
def test_create_a_project(api, world, who):
    response = api.post(
        "/connect/projects",
        {**NEW, "genres": ["animation"], "countries": ["hk"]},
        as_=world.users[who],
    )
    if who in ("owner", "claimant"):
        data = body(response, 201)
        assert (data["title"], data["countries"], data["plan"]["gap"]) == (
            "Paper Dragons",
            ["HK"],
            "3000000.00",
        )
        assert data["company"] == ("Kite Films" if who == "owner" else None)
    else:
        assert_error(response, 403, "permission_denied")
        assert Project.objects.count() == 1


def test_create_validation_names_the_fields(api, world):
    response = api.post(
        "/connect/projects",
        {**NEW, "kind": "opera", "currency": "XAU", "budget": "0", "genres": ["noir"]},
        as_=world.arjun.user,
    )
    assert_error(
        response,
        422,
        "validation_error",
        {
            "body.kind": ["“opera” is not a known kind of project."],
            "body.budget": ["The amount must be more than zero."],
            "body.currency": ["“XAU” is not a currency of the market (use USD, HKD, CNY, EUR …)."],
            "body.genres": ["“noir” is not a known genre."],
        },
    )
    response = api.post("/connect/projects", {"title": "x"}, as_=world.arjun.user)
    error = assert_error(response, 422, "validation_error")
    assert set(error["fields"]) == {"body.kind", "body.stage", "body.budget", "body.currency"}


@pytest.mark.parametrize("who", ROLES)
def test_patch_a_project(api, world, who):
    response = patch(
        api,
        f"/connect/projects/{world.project.pk}",
        {"title": "Monsoon Ledger II", "stage": "financing"},
        world.users[who],
    )
    world.refresh()
    if who in TEAM:
        data = body(response)
        assert (data["title"], data["stage"], data["plan"]["gap"]) == (
            "Monsoon Ledger II",
            "financing",
            "780000.00",
        )
        assert world.project.genres == ["drama"]  # unsent fields unchanged
    else:
        assert_error(response, 403, "permission_denied")
        assert world.project.title == "Monsoon Ledger"


def test_patch_below_secured_is_422(api, world):
    response = patch(
        api, f"/connect/projects/{world.project.pk}", {"budget": "100"}, world.arjun.user
    )
    assert_error(
        response,
        422,
        "validation_error",
        {
            "body.budget": [
                "The budget cannot be below the financing already secured ($420,000.00)."
            ]
        },
    )


@pytest.mark.parametrize(
    ("who", "status"), [("outsider", 403), ("colleague", 403), ("owner", 204), ("organiser", 204)]
)
def test_delete_a_project(api, world, who, status):
    response = api.delete(f"/connect/projects/{world.project.pk}", as_=world.users[who])
    assert response.status_code == status
    assert Project.objects.exists() is (status != 204)


def test_my_projects(api, world):
    ProjectFactory(title="Other")
    assert [
        p["title"] for p in body(api.get("/connect/projects/mine", as_=world.colleague.user))
    ] == ["Monsoon Ledger"]
    assert body(api.get("/connect/projects/mine", as_=world.sofia.user)) == []


def test_directory_paginated_and_filtered(api, world):
    for i in range(3):
        ProjectFactory(title=f"Extra {i}", kind="documentary")
    data = body(api.get("/connect/projects", as_=world.outsider.user, page_size=2))
    assert (data["count"], data["pages"], len(data["items"])) == (4, 2, 2)
    data = body(
        api.get("/connect/projects?kind=documentary&gap_max_usd=2000000", as_=world.outsider.user)
    )
    assert data["count"] == 3
    assert_error(
        api.get("/connect/projects", as_=world.outsider.user, gap_min_usd="-1"),
        422,
        "validation_error",
    )


def test_staff_without_participant_profile_is_403(api, world, staff_user):
    assert (
        body(api.get(f"/connect/projects/{world.project.pk}", as_=staff_user))["may_edit"] is True
    )
    assert_error(api.get("/connect/projects", as_=staff_user), 403, "permission_denied")


# ---- financing lines and partners -----------------------------------------------------------


@pytest.mark.parametrize("who", ROLES)
def test_add_a_source(api, world, who):
    response = api.post(
        f"/connect/projects/{world.project.pk}/sources",
        {"kind": "tax_incentive", "name": "Rebate", "amount": "60000.50", "country": "IN"},
        as_=world.users[who],
    )
    if who in TEAM:
        data = body(response, 201)
        assert (data["amount"], data["status"]) == ("60000.50", "secured")
        detail = body(api.get(f"/connect/projects/{world.project.pk}", as_=world.arjun.user))
        assert detail["plan"]["gap"] == "719999.50"
    else:
        assert_error(response, 403, "permission_denied")
        assert FinancingSource.objects.count() == 3


def test_source_over_budget_is_422(api, world):
    response = api.post(
        f"/connect/projects/{world.project.pk}/sources",
        {"kind": "equity", "name": "Angel", "amount": "780000.01"},
        as_=world.arjun.user,
    )
    error = assert_error(response, 422, "validation_error")
    assert list(error["fields"]) == ["body.amount"]


def test_update_and_delete_a_source(api, world):
    source = FinancingSource.objects.get(name="Private equity")
    path = f"/connect/projects/{world.project.pk}/sources/{source.pk}"
    data = body(
        api.put(
            path,
            {"kind": "equity", "name": "Private equity", "amount": "180000", "status": "secured"},
            as_=world.arjun.user,
        )
    )
    assert data["status"] == "secured"
    assert (
        body(api.get(f"/connect/projects/{world.project.pk}", as_=world.arjun.user))["plan"][
            "secured"
        ]
        == "600000.00"
    )
    assert api.delete(path, as_=world.arjun.user).status_code == 204
    assert_error(api.delete(path, as_=world.arjun.user), 404, "not_found")
    other = ProjectFactory()
    foreign = FinancingSource.objects.create(
        project=other, kind="equity", name="x", amount=Decimal("1")
    )
    assert_error(
        api.delete(
            f"/connect/projects/{world.project.pk}/sources/{foreign.pk}", as_=world.arjun.user
        ),
        404,
        "not_found",
    )


def test_list_sources(api, world):
    assert (
        len(body(api.get(f"/connect/projects/{world.project.pk}/sources", as_=world.outsider.user)))
        == 3
    )


def test_set_partners(api, world):
    data = body(
        api.put(
            f"/connect/projects/{world.project.pk}/partners",
            [{"kind": "coproducer", "country": "kr"}, {"kind": "financier"}],
            as_=world.colleague.user,
        )
    )
    assert sorted((p["kind"], p["country"]) for p in data) == [
        ("coproducer", "KR"),
        ("financier", ""),
    ]
    assert_error(
        api.put(
            f"/connect/projects/{world.project.pk}/partners",
            [{"kind": "agent"}],
            as_=world.arjun.user,
        ),
        422,
        "validation_error",
        {"body.partners": ["“agent” is not a known kind of partner."]},
    )
    assert_error(
        api.put(f"/connect/projects/{world.project.pk}/partners", [], as_=world.sofia.user),
        403,
        "permission_denied",
    )
    assert PartnerSought.objects.count() == 2


# ---- matches and investor profile -----------------------------------------------------------


@pytest.mark.parametrize("who", ROLES)
def test_investors_for_a_project(api, world, who):
    response = api.get(f"/connect/projects/{world.project.pk}/investors", as_=world.users[who])
    if who in TEAM:
        data = body(response)
        assert data["count"] == 1
        item = data["items"][0]
        assert item["profile"]["person"]["name"] == "Sofia Laurent"
        assert item["match"]["score"] == 80.0
        assert item["match"]["reasons"][0] == "Tickets up to $469K for your gap of $780K"
    else:
        assert_error(response, 403, "permission_denied")


@pytest.mark.parametrize("who", ROLES)
def test_my_investor_profile(api, world, who):
    response = api.get("/connect/investor-profile", as_=world.users[who])
    if who == "investor":
        assert body(response)["ticket_max"] == "400000.00"
    else:
        assert_error(response, 404, "not_found")
    response = api.put(
        "/connect/investor-profile",
        {
            "kind": "fund",
            "ticket_min": "1000",
            "ticket_max": "900000",
            "currency": "usd",
            "kinds": ["documentary"],
        },
        as_=world.users[who],
    )
    if who == "investor":
        data = body(response)
        assert (data["currency"], data["kinds"]) == ("USD", ["documentary"])
    else:
        assert_error(response, 403, "permission_denied")
        assert InvestorProfile.objects.count() == 1


def test_investor_profile_validation(api, world):
    response = api.put(
        "/connect/investor-profile",
        {"kind": "fund", "ticket_min": "5", "ticket_max": "1"},
        as_=world.sofia.user,
    )
    assert_error(
        response,
        422,
        "validation_error",
        {"body.ticket_max": ["The largest ticket must be at least the smallest."]},
    )


def test_matches_for_the_investor(api, world):
    ProjectFactory(title="Later stage", stage="production")
    data = body(api.get("/connect/investor-profile/matches", as_=world.sofia.user))
    assert [i["title"] for i in data["items"]] == ["Monsoon Ledger"]  # the other is ruled out
    assert data["items"][0]["gap_usd"] == 780000.0
    assert_error(
        api.get("/connect/investor-profile/matches", as_=world.outsider.user), 404, "not_found"
    )


def test_investor_profile_visibility(api, world):
    path = f"/connect/investors/{world.profile.pk}"
    assert body(api.get(path, as_=world.arjun.user))["kind"] == "foundation"
    world.sofia.interests_visibility = "hidden"
    world.sofia.save()
    assert_error(api.get(path, as_=world.arjun.user), 404, "not_found")
    assert body(api.get(path, as_=world.mei.user))["kind"] == "foundation"

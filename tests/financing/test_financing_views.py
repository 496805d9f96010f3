"""Producers Connect pages per role: anonymous, an unrelated participant, an unconfirmed
claimant of the company, an investor, the owner's colleague, the owner, an organiser.
Writes through the pages, CSRF, escaping of user content."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reelmarket.financing.models import (
    FinancingSource,
    InvestorProfile,
    PartnerSought,
    Project,
    ProjectDocument,
)
from tests.financing.factories import ProjectFactory
from tests.financing.projects_world import PDF, World, upload

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "outsider", "claimant", "investor", "colleague", "owner", "organiser"]
TEAM = {"colleague", "owner", "organiser"}


@pytest.fixture(autouse=True)
def private_dirs(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return tmp_path


@pytest.fixture
def world() -> World:
    return World()


def client_for(world: World, who: str, **kwargs) -> Client:
    client = Client(**kwargs)
    user = world.users[who]
    if user is not None:
        client.force_login(user)
    return client


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


PROJECT_PAGES = [
    "project_edit",
    "project_plan",
    "project_team",
    "project_partners",
    "project_documents",
    "project_investors",
]


# ---- reading, per role ----------------------------------------------------------------------


@pytest.mark.parametrize("who", ROLES)
def test_directory_and_my_projects(world, who):
    client = client_for(world, who)
    for name in ("financing:projects", "financing:my_projects"):
        response = client.get(reverse(name))
        if who == "anonymous":
            assert response.status_code == 302
            assert response["Location"] == f"/accounts/login/?next={reverse(name)}"
        else:
            assert response.status_code == 200


@pytest.mark.parametrize("who", ROLES)
def test_project_detail(world, who):
    response = client_for(world, who).get(reverse("financing:project", args=[world.project.pk]))
    if who == "anonymous":
        assert response.status_code == 302
        return
    page = text(response)
    assert "Monsoon Ledger" in page
    assert "$1,200,000.00" in page and "$780,000.00" in page and "35 %" in page
    assert ("Details" in page) is (who in TEAM)  # the editing tabs
    shows_documents = who in TEAM
    assert ("No document uploaded yet." in page) is shows_documents
    if who == "investor":
        assert "Why this project is relevant to you" in page
        assert "Drama, like your focus" in page


@pytest.mark.parametrize("who", ROLES)
def test_unlisted_project_is_hidden_from_others(world, who):
    world.project.seeking_financing = False
    world.project.save()
    response = client_for(world, who).get(reverse("financing:project", args=[world.project.pk]))
    expected = 302 if who == "anonymous" else (200 if who in TEAM else 404)
    assert response.status_code == expected


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize("name", PROJECT_PAGES)
def test_editing_pages(world, who, name):
    response = client_for(world, who).get(reverse(f"financing:{name}", args=[world.project.pk]))
    expected = 302 if who == "anonymous" else (200 if who in TEAM else 403)
    assert response.status_code == expected


@pytest.mark.parametrize("who", ROLES)
def test_new_project_page(world, who):
    response = client_for(world, who).get(reverse("financing:project_new"))
    expected = {"anonymous": 302, "owner": 200, "claimant": 200}.get(who, 403)
    assert response.status_code == expected


@pytest.mark.parametrize("who", ROLES)
def test_investor_profile_page(world, who):
    response = client_for(world, who).get(reverse("financing:investor_profile"))
    expected = {"anonymous": 302, "investor": 200}.get(who, 403)
    assert response.status_code == expected


@pytest.mark.parametrize("who", ROLES)
def test_investor_detail(world, who):
    response = client_for(world, who).get(reverse("financing:investor", args=[world.profile.pk]))
    if who == "anonymous":
        assert response.status_code == 302
        return
    page = text(response)
    assert "Sofia Laurent" in page and "Independent and non-mainstream cinema." in page


def test_investor_detail_hidden_by_visibility(world):
    world.sofia.profile_visibility = "hidden"
    world.sofia.save()
    url = reverse("financing:investor", args=[world.profile.pk])
    assert client_for(world, "owner").get(url).status_code == 404
    assert client_for(world, "organiser").get(url).status_code == 200
    assert client_for(world, "investor").get(url).status_code == 200  # herself


def test_directory_page_ranks_for_the_investor(world):
    ProjectFactory(title="Paper Dragons", kind="animation_feature", stage="financing")
    page = text(client_for(world, "investor").get(reverse("financing:projects")))
    assert page.index("Monsoon Ledger") < page.index("Paper Dragons")
    assert "Your ticket (up to $469K) fits the gap of $780K" in page
    assert "Not at a stage you invest at" in page


def test_directory_htmx_returns_the_results_only(world):
    response = client_for(world, "outsider").get(
        reverse("financing:projects"), {"stage": "development"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert "<html" not in body and "Monsoon Ledger" in body


def test_investors_page_shows_reasons_and_grant(world):
    page = text(
        client_for(world, "owner").get(
            reverse("financing:project_investors", args=[world.project.pk])
        )
    )
    assert "Sofia Laurent" in page
    assert "Tickets up to $469K for your gap of $780K" in page
    assert "Let them see the documents" in page


# ---- writing --------------------------------------------------------------------------------


def test_producer_creates_a_project_through_the_page(world):
    response = client_for(world, "owner").post(
        reverse("financing:project_new"),
        {
            "title": "Paper Dragons",
            "kind": "animation_feature",
            "stage": "development",
            "genres": ["animation", "family"],
            "budget": "3000000",
            "currency": "HKD",
            "countries": ["HK"],
            "language": "en",
            "seeking_financing": "on",
        },
    )
    project = Project.objects.get(title="Paper Dragons")
    assert response.status_code == 302
    assert response["Location"] == reverse("financing:project_plan", args=[project.pk])
    assert (project.owner, project.organisation, project.budget) == (
        world.arjun,
        world.company,
        Decimal("3000000"),
    )


def test_form_errors_are_shown_next_to_the_field(world):
    response = client_for(world, "owner").post(
        reverse("financing:project_plan", args=[world.project.pk]),
        {"kind": "equity", "name": "Angel", "amount": "900000", "status": "secured"},
    )
    page = text(response)
    assert "The secured sources would add up to $1,320,000.00" in page
    assert FinancingSource.objects.count() == 3


def test_add_and_remove_a_source_through_the_page(world):
    client = client_for(world, "colleague")
    url = reverse("financing:project_plan", args=[world.project.pk])
    response = client.post(
        url, {"kind": "tax_incentive", "name": "Rebate", "amount": "60000", "status": "secured"}
    )
    assert response.status_code == 302
    source = FinancingSource.objects.get(name="Rebate")
    response = client.post(reverse("financing:source_delete", args=[world.project.pk, source.pk]))
    assert response.status_code == 302
    assert not FinancingSource.objects.filter(name="Rebate").exists()


def test_outsider_cannot_post_to_the_plan(world):
    response = client_for(world, "outsider").post(
        reverse("financing:project_plan", args=[world.project.pk]),
        {"kind": "equity", "name": "X", "amount": "1", "status": "secured"},
    )
    assert response.status_code == 403
    assert FinancingSource.objects.count() == 3


def test_partners_formset(world):
    response = client_for(world, "owner").post(
        reverse("financing:project_partners", args=[world.project.pk]),
        {
            "partners-TOTAL_FORMS": "3",
            "partners-INITIAL_FORMS": "0",
            "partners-0-kind": "coproducer",
            "partners-0-country": "KR",
            "partners-1-kind": "distributor",
            "partners-1-country": "",
            "partners-2-kind": "",
        },
    )
    assert response.status_code == 302
    assert sorted(PartnerSought.objects.values_list("kind", "country")) == [
        ("coproducer", "KR"),
        ("distributor", ""),
    ]


def test_team_member_through_the_page(world):
    client = client_for(world, "owner")
    client.post(
        reverse("financing:project_team", args=[world.project.pk]),
        {"name": "Ana", "role": "Director"},
    )
    member = world.project.team.get()
    client.post(reverse("financing:team_member_delete", args=[world.project.pk, member.pk]))
    assert not world.project.team.exists()


def test_upload_errors_on_the_page_and_nothing_written(world, private_dirs):
    response = client_for(world, "owner").post(
        reverse("financing:project_documents", args=[world.project.pk]),
        {"kind": "treatment", "file": upload("treatment.pdf", b"GIF89a not a pdf")},
    )
    page = text(response)
    assert "“treatment.pdf” is not a PDF, JPEG, PNG or WebP file." in page
    assert not ProjectDocument.objects.exists()
    assert not any(p.is_file() for p in private_dirs.rglob("*"))


def test_upload_grant_and_revoke_through_the_pages(world):
    client = client_for(world, "owner")
    documents_url = reverse("financing:project_documents", args=[world.project.pk])
    response = client.post(
        documents_url, {"kind": "treatment", "file": upload("treatment.pdf", PDF)}
    )
    assert response.status_code == 302
    document = ProjectDocument.objects.get()
    download = reverse("financing:document", args=[world.project.pk, document.pk])
    outsider = client_for(world, "outsider")
    assert outsider.get(download).status_code == 403
    page = text(client.get(documents_url, {"person": "Olga"}))
    assert "Olga Buyer" in page
    response = client.post(
        reverse("financing:access_grant", args=[world.project.pk]),
        {"participant": world.outsider.pk},
    )
    assert response.status_code == 302
    assert outsider.get(download).status_code == 200
    client.post(
        reverse("financing:access_revoke", args=[world.project.pk]),
        {"participant": world.outsider.pk},
    )
    assert outsider.get(download).status_code == 403


def test_grant_of_unknown_person_is_404(world):
    response = client_for(world, "owner").post(
        reverse("financing:access_grant", args=[world.project.pk]), {"participant": "nope"}
    )
    assert response.status_code == 404


def test_investor_saves_profile_through_the_page(world):
    response = client_for(world, "investor").post(
        reverse("financing:investor_profile"),
        {"kind": "foundation", "ticket_min": "10000", "ticket_max": "5000", "currency": "EUR"},
    )
    assert "The largest ticket must be at least the smallest." in text(response)
    response = client_for(world, "investor").post(
        reverse("financing:investor_profile"),
        {
            "kind": "foundation",
            "ticket_min": "10000",
            "ticket_max": "50000",
            "currency": "EUR",
            "stages": ["development"],
        },
    )
    assert response.status_code == 302
    assert InvestorProfile.objects.get(participant=world.sofia).ticket_max == Decimal("50000")


@pytest.mark.parametrize(("who", "status"), [("colleague", 403), ("outsider", 403), ("owner", 302)])
def test_delete_project_page(world, who, status):
    response = client_for(world, who).post(
        reverse("financing:project_delete", args=[world.project.pk])
    )
    assert response.status_code == status
    assert Project.objects.exists() is (status != 302)


def test_get_on_post_only_views_is_405(world):
    client = client_for(world, "owner")
    assert (
        client.get(reverse("financing:project_delete", args=[world.project.pk])).status_code == 405
    )
    assert client.get(reverse("financing:access_grant", args=[world.project.pk])).status_code == 405


# ---- CSRF and escaping ----------------------------------------------------------------------


def test_writes_need_the_csrf_token(world):
    client = client_for(world, "owner", enforce_csrf_checks=True)
    for name, data in (
        (
            "financing:project_plan",
            {"kind": "equity", "name": "X", "amount": "1", "status": "secured"},
        ),
        ("financing:project_delete", {}),
        ("financing:access_grant", {"participant": world.outsider.pk}),
    ):
        assert client.post(reverse(name, args=[world.project.pk]), data).status_code == 403
    assert Project.objects.exists() and FinancingSource.objects.count() == 3
    assert not world.project.document_viewers.exists()


def test_user_content_is_escaped(world):
    world.project.title = "<script>alert('x')</script>"
    world.project.logline = "<img src=x onerror=alert(1)>"
    world.project.save()
    FinancingSource.objects.filter(name="NFDC").update(name="<b>fund</b>")
    for who, url in (
        ("outsider", reverse("financing:project", args=[world.project.pk])),
        ("outsider", reverse("financing:projects")),
        ("owner", reverse("financing:my_projects")),
        ("owner", reverse("financing:project_plan", args=[world.project.pk])),
    ):
        body = client_for(world, who).get(url).content.decode()
        assert "<script>alert(" not in body
        assert "&lt;script&gt;alert(" in body
        assert "<img src=x" not in body
        assert "<b>fund</b>" not in body


@pytest.mark.parametrize("who", ROLES)
def test_grant_and_revoke_per_role(world, who):
    client = client_for(world, who)
    grant = client.post(
        reverse("financing:access_grant", args=[world.project.pk]),
        {"participant": world.outsider.pk},
    )
    expected = 302 if who in TEAM or who == "anonymous" else 403
    assert grant.status_code == expected
    granted = world.project.document_viewers.filter(pk=world.outsider.pk).exists()
    assert granted is (who in TEAM)
    revoke = client.post(
        reverse("financing:access_revoke", args=[world.project.pk]),
        {"participant": world.outsider.pk},
    )
    assert revoke.status_code == expected
    assert not world.project.document_viewers.exists()


def test_directory_query_count_does_not_grow_with_projects(world):
    client = client_for(world, "investor")
    url = reverse("financing:projects")
    client.get(url)  # warm caches (edition, sessions)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for i in range(15):
        ProjectFactory(title=f"More {i}")
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)

"""Market endpoints: the edition, organisations and pavilions (public reads, every role)."""

from __future__ import annotations

import pytest

from reelmarket.market.enums import OrganisationKind
from tests.api.conftest import assert_error
from tests.factories import (
    BoothFactory,
    EditionFactory,
    ExhibitorFactory,
    HallFactory,
    OrganisationFactory,
    PavilionFactory,
    TitleFactory,
)

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "participant", "other_exhibitor", "owner_exhibitor", "organiser"]


@pytest.fixture
def fair(edition, owner_org, other_org):
    """Hall 1A with a Japan pavilion led by the owner organisation; both exhibit."""
    hall = HallFactory(edition=edition, code="1A", name="Hall 1A")
    HallFactory(edition=edition, code="3B", name="")
    japan = PavilionFactory(
        edition=edition,
        name="Japan Pavilion",
        slug="japan",
        country="JP",
        lead_agency=owner_org,
        hall=hall,
        is_new=True,
        description="Films from Japan.",
    )
    PavilionFactory(edition=edition, name="Animation Hub", slug="animation", kind="hub", country="")
    ExhibitorFactory(
        edition=edition,
        organisation=owner_org,
        pavilion=japan,
        booth=BoothFactory(hall=hall, number="1A-D01"),
    )
    ExhibitorFactory(edition=edition, organisation=other_org, pavilion=japan, booth=None)
    TitleFactory(owner=owner_org)
    TitleFactory(owner=owner_org, is_published=False)
    return {"hall": hall, "japan": japan}


# --- edition ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_edition_for_every_role(api, users, fair, role) -> None:
    response = api.get("/edition", as_=users[role])

    assert response.status_code == 200
    assert response.json() == {
        "name": "FILMART 2025",
        "slug": "filmart-2025",
        "starts_on": "2025-03-17",
        "ends_on": "2025-03-20",
        "days": ["2025-03-17", "2025-03-18", "2025-03-19", "2025-03-20"],
        "venue": "Hong Kong Convention and Exhibition Centre",
        "city": "Hong Kong",
        "time_zone": "Asia/Hong_Kong",
        "halls": [{"code": "1A", "name": "Hall 1A"}, {"code": "3B", "name": ""}],
    }


def test_edition_is_the_current_one(api, edition) -> None:
    EditionFactory(name="FILMART 2024", slug="filmart-2024", is_current=False)

    assert api.get("/edition").json()["slug"] == "filmart-2025"


def test_no_edition_is_404(api) -> None:
    assert_error(api.get("/edition"), 404, "not_found", {})


# --- organisations ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_organisations_for_every_role(api, users, owner_org, other_org, role) -> None:
    response = api.get("/organisations", as_=users[role])

    assert response.status_code == 200
    assert response.json() == {
        "count": 2,
        "page": 1,
        "page_size": 20,
        "pages": 1,
        "items": [
            {
                "slug": "seoul-pictures",
                "name": "Seoul Pictures",
                "kind": "sales_agent",
                "country": "KR",
                "city": "",
                "website": "",
                "description": "",
                "logo_url": None,
            },
            {
                "slug": "tokyo-sales",
                "name": "Tokyo Sales Co",
                "kind": "sales_agent",
                "country": "JP",
                "city": "",
                "website": "",
                "description": "",
                "logo_url": None,
            },
        ],
    }


def test_organisations_filters_and_pages(api, owner_org, other_org) -> None:
    OrganisationFactory(name="Bangkok Broadcast", kind=OrganisationKind.BROADCASTER, country="TH")
    OrganisationFactory(name="Tokyo TV", kind=OrganisationKind.BROADCASTER, country="JP")

    def names(**params) -> list[str]:
        response = api.get("/organisations", **params)
        assert response.status_code == 200, response.content
        return [o["name"] for o in response.json()["items"]]

    assert names(country="jp") == ["Tokyo Sales Co", "Tokyo TV"]
    assert names(kind="broadcaster") == ["Bangkok Broadcast", "Tokyo TV"]
    assert names(kind="broadcaster", country="JP") == ["Tokyo TV"]
    assert names(q="tokyo") == ["Tokyo Sales Co", "Tokyo TV"]
    assert names(page=2, page_size=3) == ["Tokyo TV"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"kind": "pirate"}, "query.kind"),
        ({"country": "XX"}, "query.country"),
        ({"page_size": 1000}, "query.page_size"),
    ],
)
def test_organisations_bad_filters_are_422(api, params, field) -> None:
    error = assert_error(api.get("/organisations", **params), 422, "validation_error")
    assert list(error["fields"]) == [field]


@pytest.mark.parametrize("role", ROLES)
def test_organisation_detail_with_its_stand(api, users, fair, role) -> None:
    response = api.get("/organisations/tokyo-sales", as_=users[role])

    assert response.status_code == 200
    assert response.json() == {
        "slug": "tokyo-sales",
        "name": "Tokyo Sales Co",
        "kind": "sales_agent",
        "country": "JP",
        "city": "",
        "website": "",
        "description": "",
        "logo_url": None,
        "exhibiting": {
            "edition": "filmart-2025",
            "booth": "1A-D01",
            "hall": "1A",
            "pavilion": {"slug": "japan", "name": "Japan Pavilion"},
        },
    }


def test_organisation_not_exhibiting(api, edition) -> None:
    OrganisationFactory(slug="stay-home")

    assert api.get("/organisations/stay-home").json()["exhibiting"] is None


def test_unknown_organisation_is_404(api) -> None:
    assert_error(api.get("/organisations/nobody"), 404, "not_found", {})


# --- pavilions -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_pavilions_for_every_role(api, users, fair, role) -> None:
    response = api.get("/pavilions", as_=users[role])

    assert response.status_code == 200
    assert response.json() == [
        {
            "slug": "animation",
            "name": "Animation Hub",
            "kind": "hub",
            "country": "",
            "is_new": False,
            "description": "",
            "hall": None,
            "lead_agency": None,
            "members_count": 0,
        },
        {
            "slug": "japan",
            "name": "Japan Pavilion",
            "kind": "country",
            "country": "JP",
            "is_new": True,
            "description": "Films from Japan.",
            "hall": "1A",
            "lead_agency": {"slug": "tokyo-sales", "name": "Tokyo Sales Co"},
            "members_count": 2,
        },
    ]


def test_pavilions_of_other_editions_are_not_listed(api, fair) -> None:
    PavilionFactory(edition=EditionFactory(slug="filmart-2019"), slug="old")

    assert [p["slug"] for p in api.get("/pavilions").json()] == ["animation", "japan"]


@pytest.mark.parametrize("role", ROLES)
def test_pavilion_detail_with_members_and_booths(api, users, fair, role) -> None:
    response = api.get("/pavilions/japan", as_=users[role])

    assert response.status_code == 200
    body = response.json()
    assert body["members_count"] == 2
    assert body["members"] == [
        {
            "organisation": {"slug": "seoul-pictures", "name": "Seoul Pictures"},
            "country": "KR",
            "booth": None,
            "hall": None,
            "published_titles": 0,
        },
        {
            "organisation": {"slug": "tokyo-sales", "name": "Tokyo Sales Co"},
            "country": "JP",
            "booth": "1A-D01",
            "hall": "1A",
            "published_titles": 1,
        },
    ]


def test_pavilion_of_another_edition_is_404(api, fair) -> None:
    PavilionFactory(edition=EditionFactory(slug="filmart-2019"), slug="old")

    assert_error(api.get("/pavilions/old"), 404, "not_found", {})


def test_pavilions_without_an_edition_is_404(api) -> None:
    assert_error(api.get("/pavilions"), 404, "not_found", {})

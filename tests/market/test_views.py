"""The public market pages: home, exhibitors, pavilions, organisations, participants."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reelmarket.market.enums import OrganisationKind, Role, Visibility
from tests.factories import (
    BoothFactory,
    ExhibitorFactory,
    HallFactory,
    OrganisationFactory,
    ParticipantFactory,
    PavilionFactory,
    RegistrationFactory,
    TitleFactory,
)


def group_headings(response) -> list[str]:
    html = response.content.decode()
    found = re.findall(r'<h2 id="[^"]+-heading">\s*(?:<a [^>]*>)?([^<]+?)\s*<', html)
    return [h.strip() for h in found]


def company_rows(response) -> list[str]:
    html = response.content.decode()
    return re.findall(r'<th scope="row"[^>]*><a href="/organisations/[^/]+/">([^<]+)</a>', html)


def people(response) -> list[str]:
    html = response.content.decode()
    return re.findall(r'class="stretched" href="/participants/\d+/">([^<]+)</a>', html)


@pytest.fixture
def market(edition):
    """A small market: two pavilions (one new), four exhibitors, titles, participants."""
    hall_c = HallFactory(edition=edition, code="1C")
    hall_e = HallFactory(edition=edition, code="1E")
    agency = OrganisationFactory(
        name="Japan Film Agency", slug="jfa", kind=OrganisationKind.GOVERNMENT_AGENCY
    )
    japan = PavilionFactory(
        edition=edition,
        name="Japan Pavilion",
        slug="japan",
        country="JP",
        lead_agency=agency,
        hall=hall_c,
        is_new=False,
    )
    korea = PavilionFactory(
        edition=edition,
        name="Korea Pavilion",
        slug="korea",
        country="KR",
        hall=hall_e,
        is_new=True,
    )
    tokyo = OrganisationFactory(
        name="Tokyo Sales Co",
        slug="tokyo-sales",
        country="JP",
        website="https://tokyo.example",
        description="Anime and drama sales.",
    )
    osaka = OrganisationFactory(name="Osaka Films", slug="osaka-films", country="JP")
    seoul = OrganisationFactory(name="Seoul Pictures", slug="seoul-pictures", country="KR")
    hk = OrganisationFactory(
        name="Harbour Distribution",
        slug="harbour",
        country="HK",
        kind=OrganisationKind.DISTRIBUTOR,
    )
    ExhibitorFactory(
        edition=edition,
        organisation=tokyo,
        pavilion=japan,
        booth=BoothFactory(hall=hall_c, number="D12"),
    )
    ExhibitorFactory(
        edition=edition,
        organisation=osaka,
        pavilion=japan,
        booth=BoothFactory(hall=hall_c, number="D14"),
    )
    ExhibitorFactory(
        edition=edition,
        organisation=seoul,
        pavilion=korea,
        booth=BoothFactory(hall=hall_e, number="A01"),
    )
    ExhibitorFactory(
        edition=edition, organisation=hk, booth=BoothFactory(hall=hall_e, number="B07")
    )
    TitleFactory(owner=tokyo, original_title="Summer Lanterns", new_this_market=True)
    TitleFactory(owner=tokyo, original_title="Winter Bells")
    TitleFactory(owner=tokyo, original_title="Secret Draft", is_published=False)
    TitleFactory(owner=seoul, original_title="Seoul Rain")
    for name, country in [("Ana Buyer", "VN"), ("Bo Seller", "JP")]:
        RegistrationFactory(
            edition=edition, participant=ParticipantFactory(display_name=name, country=country)
        )
    return {"edition": edition, "tokyo": tokyo, "japan": japan, "korea": korea}


# --------------------------------------------------------------------------------------
# Home


@pytest.mark.django_db
def test_home_shows_the_market_in_figures(client, market):
    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 id="hero-heading">FILMART 2025</h1>' in html
    assert '>Mar 17, 2025</time> – <time datetime="2025-03-20">Mar 20, 2025</time>' in html
    assert "Hong Kong Convention and Exhibition Centre, Hong Kong" in html
    assert "Times are shown in the venue's time zone (Asia/Hong_Kong)." in html
    assert '<strong data-figure="exhibitors">4</strong>' in html
    assert "from 3 countries" in html
    assert '<strong data-figure="pavilions">2</strong>' in html
    assert '<strong data-figure="participants">2</strong>' in html
    assert '<strong data-figure="titles">3</strong>' in html
    assert "1 new this market" in html
    # New this market strip and pavilions teaser.
    assert "Summer Lanterns" in html
    assert "Winter Bells" not in html
    assert "Japan Pavilion" in html and "Korea Pavilion" in html
    # Browsing beyond country pavilions.
    assert 'href="/catalogue/?genre=animation"' in html
    assert 'href="/catalogue/?kind=series"' in html
    assert 'href="/catalogue/?new=on"' in html


@pytest.mark.django_db
def test_home_shows_the_viewers_time_zone_beside_the_venues(client, market):
    client.cookies["rm_tz"] = "Europe/Paris"

    html = client.get("/").content.decode()

    assert "Times are shown in your time zone (Europe/Paris) beside the venue's" in html
    assert 'class="viewer-time"' in html
    assert "(Europe/Paris)</span>" in html


@pytest.mark.django_db
def test_home_without_an_edition(client):
    response = client.get("/")

    assert response.status_code == 200
    assert "No market edition has been set up yet." in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kwargs", "lang", "expected"),
    [
        ({"cookies": "zh-hant"}, "zh-hant", "2025年3月17日"),
        ({"HTTP_ACCEPT_LANGUAGE": "zh-CN,zh;q=0.9"}, "zh-hans", "2025年3月17日"),
    ],
)
def test_home_in_chinese(client, market, kwargs, lang, expected):
    if "cookies" in kwargs:
        client.cookies["django_language"] = kwargs.pop("cookies")

    response = client.get("/", **kwargs)

    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    assert expected in html


# --------------------------------------------------------------------------------------
# Exhibitors


@pytest.mark.django_db
def test_exhibitors_grouped_by_pavilion(client, market):
    response = client.get("/exhibitors/")

    assert response.status_code == 200
    html = response.content.decode()
    assert group_headings(response) == [
        "Japan Pavilion",
        "Korea Pavilion",
        "Independent exhibitors",
    ]
    assert company_rows(response) == [
        "Osaka Films",
        "Tokyo Sales Co",
        "Seoul Pictures",
        "Harbour Distribution",
    ]
    assert "Led by Japan Film Agency" in html
    assert "Hall 1C" in html
    assert '<span class="badge new">New pavilion</span>' in html
    assert '<span class="booth">1C-D12</span>' in html
    assert "Distributor" in html
    assert "4 exhibitors at FILMART 2025." in html
    # Published titles only, linked to the catalogue.
    assert re.search(r'href="/catalogue/\?owner=tokyo-sales"[^>]*>2</a>', html)


@pytest.mark.django_db
def test_exhibitors_grouped_by_country(client, market):
    response = client.get("/exhibitors/", {"group": "country"})

    assert group_headings(response) == ["Hong Kong", "Japan", "South Korea"]
    assert company_rows(response) == [
        "Harbour Distribution",
        "Osaka Films",
        "Tokyo Sales Co",
        "Seoul Pictures",
    ]


@pytest.mark.django_db
def test_exhibitors_name_and_country_filters(client, market):
    assert company_rows(client.get("/exhibitors/", {"q": "osaka"})) == ["Osaka Films"]
    assert company_rows(client.get("/exhibitors/", {"country": "KR"})) == ["Seoul Pictures"]

    response = client.get("/exhibitors/", {"q": "nobody"})
    assert "No exhibitor matches these filters." in response.content.decode()


@pytest.mark.django_db
def test_exhibitors_bad_filters_are_reported(client, market):
    response = client.get("/exhibitors/", {"group": "colour", "country": "XX"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Select a valid choice. colour is not one of the available choices." in html
    assert "Select a valid choice. XX is not one of the available choices." in html
    assert len(company_rows(response)) == 4


@pytest.mark.django_db
def test_exhibitor_directory_queries_do_not_grow(client, market):
    with CaptureQueriesContext(connection) as small:
        client.get("/exhibitors/")
    edition = market["edition"]
    hall = HallFactory(edition=edition, code="1A")
    for _ in range(20):
        pavilion = PavilionFactory(edition=edition, lead_agency=OrganisationFactory())
        ExhibitorFactory(edition=edition, pavilion=pavilion, booth=BoothFactory(hall=hall))
    with CaptureQueriesContext(connection) as large:
        response = client.get("/exhibitors/")
    assert len(company_rows(response)) == 24
    assert len(large) == len(small)


# --------------------------------------------------------------------------------------
# Pavilions


@pytest.mark.django_db
def test_pavilions_list(client, market):
    response = client.get("/pavilions/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "2 pavilions, 1 new this edition." in html
    assert html.index("Japan Pavilion") < html.index("Korea Pavilion")
    assert "Led by</span> Japan Film Agency" in html
    assert "2 exhibitors" in html and "1 exhibitor<" in html
    assert '<span class="badge quiet">Returning</span>' in html


@pytest.mark.django_db
def test_pavilion_page(client, market):
    response = client.get("/pavilions/japan/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Japan Pavilion</h1>" in html
    assert '<a href="/organisations/jfa/">Japan Film Agency</a>' in html
    assert company_rows(response) == ["Osaka Films", "Tokyo Sales Co"]
    assert '<span class="booth">1C-D14</span>' in html
    assert client.get("/pavilions/atlantis/").status_code == 404


# --------------------------------------------------------------------------------------
# Organisations


@pytest.mark.django_db
def test_organisation_page(client, market):
    response = client.get("/organisations/tokyo-sales/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Tokyo Sales Co</h1>" in html
    assert "Sales agent" in html
    assert "Japan" in html
    assert 'href="https://tokyo.example"' in html
    assert "Anime and drama sales." in html
    assert "Booth 1C-D12" in html
    assert '<a href="/pavilions/japan/">Japan Pavilion</a>' in html
    assert "2 titles" in html
    assert "Summer Lanterns" in html and "Winter Bells" in html
    assert "Secret Draft" not in html
    assert client.get("/organisations/nobody/").status_code == 404


@pytest.mark.django_db
def test_organisation_not_exhibiting(client, market):
    OrganisationFactory(name="Remote Co", slug="remote")

    html = client.get("/organisations/remote/").content.decode()

    assert "Not exhibiting" in html
    assert "No published titles." in html


# --------------------------------------------------------------------------------------
# Participants


@pytest.fixture
def directory(edition):
    """Three registered participants, one per profile visibility, and one unregistered."""
    made = {}
    for name, visibility, role, country in [
        ("Public Pat", Visibility.PUBLIC, Role.BUYER, "VN"),
        ("Members Min", Visibility.PARTICIPANTS, Role.SELLER, "JP"),
        ("Hidden Hana", Visibility.HIDDEN, Role.BUYER, "JP"),
    ]:
        person = ParticipantFactory(
            display_name=name, profile_visibility=visibility, roles=[role], country=country
        )
        RegistrationFactory(edition=edition, participant=person)
        made[name] = person
    ParticipantFactory(display_name="Not Registered", profile_visibility=Visibility.PUBLIC)
    return made


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", ["Public Pat"]),
        ("participant", ["Members Min", "Public Pat"]),
        ("organiser", ["Hidden Hana", "Members Min", "Public Pat"]),
    ],
)
def test_participant_directory_visibility(client, directory, users, who, expected):
    if users[who] is not None:
        client.force_login(users[who])

    response = client.get("/participants/")

    assert response.status_code == 200
    assert people(response) == expected


@pytest.mark.django_db
def test_participant_directory_filters(client, directory, users):
    client.force_login(users["organiser"])

    assert people(client.get("/participants/", {"role": "seller"})) == ["Members Min"]
    assert people(client.get("/participants/", {"country": "JP"})) == [
        "Hidden Hana",
        "Members Min",
    ]
    assert people(client.get("/participants/", {"q": "pat"})) == ["Public Pat"]

    bad = client.get("/participants/", {"role": "king", "country": "JP"})
    assert bad.status_code == 200
    assert "Select a valid choice. king is not one of the available choices." in (
        bad.content.decode()
    )
    assert people(bad) == ["Hidden Hana", "Members Min"]


@pytest.mark.django_db
def test_participant_directory_paginates(client, edition):
    for i in range(35):
        RegistrationFactory(
            edition=edition,
            participant=ParticipantFactory(
                display_name=f"Person {i:02d}", profile_visibility=Visibility.PUBLIC
            ),
        )

    first = client.get("/participants/")
    assert len(people(first)) == 30
    assert "35 participants" in first.content.decode()
    assert people(client.get("/participants/", {"page": "2"})) == [
        f"Person {i:02d}" for i in range(30, 35)
    ]


@pytest.mark.django_db
def test_hidden_profile_is_404_for_those_who_may_not_see_it(client, directory, users):
    hidden = directory["Hidden Hana"]
    url = f"/participants/{hidden.pk}/"

    assert client.get(url).status_code == 404
    client.force_login(users["participant"])
    assert client.get(url).status_code == 404
    client.force_login(users["organiser"])
    assert client.get(url).status_code == 200
    client.force_login(hidden.user)
    assert client.get(url).status_code == 200

    members = directory["Members Min"]
    client.logout()
    assert client.get(f"/participants/{members.pk}/").status_code == 404
    assert client.get("/participants/999999/").status_code == 404


@pytest.mark.django_db
def test_contact_and_interests_follow_their_visibility(client, edition, users):
    person = ParticipantFactory(
        display_name="Linh Tran",
        profile_visibility=Visibility.PUBLIC,
        contact_visibility=Visibility.PARTICIPANTS,
        interests_visibility=Visibility.PUBLIC,
        phone="+84 28 1234 5678",
        genres=["animation", "family"],
        territories=["VN", "ASEAN"],
        media=["svod", "free_tv"],
        content_kinds=["animation_series"],
        budget_range="low",
        roles=[Role.BUYER],
    )
    url = f"/participants/{person.pk}/"

    anonymous = client.get(url).content.decode()
    assert person.user.email not in anonymous
    assert "+84 28 1234 5678" not in anonymous
    assert "This participant does not share contact details with you." in anonymous
    assert "<dd>Animation, Family</dd>" in anonymous
    assert "<dd>Vietnam, ASEAN</dd>" in anonymous
    assert "<dd>Animated series</dd>" in anonymous
    assert "<dt>Media bought</dt><dd>SVOD, Free TV</dd>" in anonymous
    assert "USD 250k – 1m" in anonymous

    client.force_login(users["participant"])
    signed_in = client.get(url).content.decode()
    assert f'href="mailto:{person.user.email}"' in signed_in
    assert "+84 28 1234 5678" in signed_in

    person.interests_visibility = Visibility.HIDDEN
    person.contact_visibility = Visibility.HIDDEN
    person.save()
    hidden = client.get(url).content.decode()
    assert "data-interests" not in hidden
    assert "Interests" not in hidden
    assert "Media bought" not in hidden
    assert person.user.email not in hidden
    client.force_login(users["organiser"])
    organiser = client.get(url).content.decode()
    assert person.user.email in organiser
    assert "<dd>Animation, Family</dd>" in organiser


@pytest.mark.django_db
def test_participant_names_are_escaped(client, edition):
    person = ParticipantFactory(
        display_name="<script>alert(1)</script>", profile_visibility=Visibility.PUBLIC
    )
    RegistrationFactory(edition=edition, participant=person)

    for url in ("/participants/", f"/participants/{person.pk}/"):
        html = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/exhibitors/",
        "/pavilions/",
        "/pavilions/japan/",
        "/organisations/tokyo-sales/",
        "/participants/",
    ],
)
def test_pages_render_in_traditional_chinese(client, market, path):
    client.cookies["django_language"] = "zh-hant"

    response = client.get(path, {"group": "country"} if path == "/exhibitors/" else {})

    assert response.status_code == 200
    assert '<html lang="zh-hant">' in response.content.decode()

"""Catalogue endpoints: reads with visibility per role, writes per role with the exact
database state, validation with field paths, rights conflicts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from reelmarket.catalogue.enums import WindowStatus
from reelmarket.catalogue.models import (
    Credit,
    Recognition,
    RightsWindow,
    Title,
    TitleCountry,
    TitleGenre,
    TitleLanguage,
)
from reelmarket.market.enums import Role
from tests.api.conftest import assert_error
from tests.factories import (
    RegistrationFactory,
    RightsWindowFactory,
    TitleFactory,
    TitleTextFactory,
    make_user_with_roles,
)

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "participant", "other_exhibitor", "owner_exhibitor", "organiser"]
# What a write on a title of the owner's organisation answers, per caller.
WRITE_STATUS = {
    "anonymous": 401,
    "participant": 403,
    "other_exhibitor": 403,
    "owner_exhibitor": None,  # the endpoint's success status
    "organiser": None,
}
ERROR_CODE = {401: "unauthorized", 403: "permission_denied"}


def _expect(role: str, success: int) -> int:
    return WRITE_STATUS[role] or success


@pytest.fixture
def full_title(title, edition, other_org):
    """Summer Lanterns, with everything a title can have."""
    title.budget_amount = Decimal("2000000.00")
    title.financing_secured = Decimal("1500000.00")
    title.screener_url = "https://screeners.example.com/summer"
    title.trailer_url = "https://video.example.com/summer"
    title.new_this_market = True
    title.save()
    TitleTextFactory(title=title, language="en", name="Summer Lanterns", logline="Two sisters.")
    TitleTextFactory(title=title, language="ja", name="夏の灯", logline="姉妹。", synopsis="…")
    TitleGenre.objects.create(title=title, genre="drama")
    TitleCountry.objects.create(title=title, country="JP")
    TitleLanguage.objects.create(title=title, language="ja")
    Credit.objects.create(title=title, role="director", name="Aoi Tanaka", position=0)
    Recognition.objects.create(title=title, festival="Busan", year=2024, kind="selection")
    RightsWindowFactory(
        title=title,
        media="svod",
        territories=["ASIA"],
        excluded=["CN"],
        starts_on=date(2025, 1, 1),
        ends_on=date(2030, 12, 31),
    )
    RightsWindowFactory(
        title=title,
        media="svod",
        territories=["JP"],
        starts_on=date(2025, 1, 1),
        ends_on=date(2026, 12, 31),
        status=WindowStatus.SOLD,
        counterparty="Nippon Stream",
        note="Signed at Berlin",
        buyer_organisation=other_org,
    )
    return title


@pytest.fixture
def catalogue(title, owner_org, other_org):
    """Published and unpublished titles of both organisations; returns them by name."""
    return {
        "owner_published": title,
        "owner_draft": TitleFactory(owner=owner_org, original_title="Draft A", is_published=False),
        "other_published": TitleFactory(owner=other_org, original_title="Seoul Nights"),
        "other_draft": TitleFactory(owner=other_org, original_title="Draft B", is_published=False),
    }


def _ids(response) -> list[str]:
    assert response.status_code == 200, response.content
    return sorted(item["original_title"] for item in response.json()["items"])


# --- list ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", ["Seoul Nights", "Summer Lanterns"]),
        ("participant", ["Seoul Nights", "Summer Lanterns"]),
        ("other_exhibitor", ["Draft B", "Seoul Nights", "Summer Lanterns"]),
        ("owner_exhibitor", ["Draft A", "Seoul Nights", "Summer Lanterns"]),
        ("organiser", ["Draft A", "Draft B", "Seoul Nights", "Summer Lanterns"]),
    ],
)
def test_list_shows_published_titles_and_only_your_own_drafts(
    api, users, catalogue, role, expected
) -> None:
    assert _ids(api.get("/titles", as_=users[role])) == expected


def test_list_item_shape(api, full_title) -> None:
    response = api.get("/titles")

    assert response.json() == {
        "count": 1,
        "page": 1,
        "page_size": 20,
        "pages": 1,
        "items": [
            {
                "id": full_title.pk,
                "reference": "TS-001",
                "owner": {"slug": "tokyo-sales", "name": "Tokyo Sales Co"},
                "kind": "feature",
                "original_title": "Summer Lanterns",
                "original_language": "ja",
                "year": 2024,
                "stage": "completed",
                "new_this_market": True,
                "is_published": True,
                "genres": ["drama"],
                "countries": ["JP"],
                "texts": [
                    {"language": "en", "name": "Summer Lanterns", "logline": "Two sisters."},
                    {"language": "ja", "name": "夏の灯", "logline": "姉妹。"},
                ],
                "poster_url": None,
            }
        ],
    }


def test_list_paginates(api, owner_org) -> None:
    for n in range(5):
        TitleFactory(owner=owner_org, original_title=f"T{n}")

    response = api.get("/titles", page=2, page_size=2)

    body = response.json()
    assert (body["count"], body["page"], body["page_size"], body["pages"]) == (5, 2, 2, 3)
    assert [i["original_title"] for i in body["items"]] == ["T2", "T3"]
    assert [
        i["original_title"] for i in api.get("/titles", page=3, page_size=2).json()["items"]
    ] == ["T4"]


def test_list_query_count_does_not_grow_with_the_page(
    api, owner_org, django_assert_max_num_queries
) -> None:
    for n in range(30):
        t = TitleFactory(owner=owner_org, original_title=f"T{n:02d}")
        TitleTextFactory(title=t)
        TitleGenre.objects.create(title=t, genre="drama")
        TitleCountry.objects.create(title=t, country="JP")

    with django_assert_max_num_queries(5):  # count, page, texts, genres, countries
        response = api.get("/titles", page_size=25)

    assert len(response.json()["items"]) == 25


def test_list_filters_like_the_catalogue_page(api, owner_org, other_org) -> None:
    a = TitleFactory(owner=owner_org, original_title="Alpha", kind="series", stage="financing")
    TitleGenre.objects.create(title=a, genre="horror")
    TitleCountry.objects.create(title=a, country="JP")
    TitleLanguage.objects.create(title=a, language="ja")
    b = TitleFactory(
        owner=other_org, original_title="Beta", original_language="ko", new_this_market=True
    )
    TitleGenre.objects.create(title=b, genre="comedy")
    TitleCountry.objects.create(title=b, country="KR")
    TitleLanguage.objects.create(title=b, language="ko")
    TitleTextFactory(title=b, language="en", name="Beta", logline="A haunted karaoke bar.")

    assert _ids(api.get("/titles", kind="series")) == ["Alpha"]
    assert _ids(api.get("/titles", kind=["series", "feature"])) == ["Alpha", "Beta"]
    assert _ids(api.get("/titles", genre="comedy")) == ["Beta"]
    assert _ids(api.get("/titles", country="kr")) == ["Beta"]
    assert _ids(api.get("/titles", language="ja")) == ["Alpha"]
    assert _ids(api.get("/titles", stage="financing")) == ["Alpha"]
    assert _ids(api.get("/titles", new_only="true")) == ["Beta"]
    assert _ids(api.get("/titles", owner="seoul-pictures")) == ["Beta"]
    assert _ids(api.get("/titles", q="karaoke")) == ["Beta"]
    assert _ids(api.get("/titles", q="tokyo sales")) == ["Alpha"]


def test_list_unknown_owner_is_422(api) -> None:
    assert_error(
        api.get("/titles", owner="nobody"),
        422,
        "validation_error",
        {"query.owner": ["No organisation with this slug."]},
    )


def test_list_filters_by_availability(api, owner_org) -> None:
    free = TitleFactory(owner=owner_org, original_title="Free in HK")
    RightsWindowFactory(title=free, media="svod", territories=["ASIA"])
    sold = TitleFactory(owner=owner_org, original_title="Sold in HK")
    RightsWindowFactory(title=sold, media="svod", territories=["ASIA"])
    RightsWindowFactory(
        title=sold,
        media="svod",
        territories=["HK"],
        status=WindowStatus.SOLD,
        counterparty="Hong Kong TV",
        starts_on=date(2025, 1, 1),
        ends_on=date(2025, 12, 31),
    )
    TitleFactory(owner=owner_org, original_title="No rights")
    avails = {"media": "svod", "territory": "HK", "end": "2025-06-30"}

    assert _ids(api.get("/titles", start="2025-03-01", **avails)) == ["Free in HK"]
    assert _ids(api.get("/titles", start="2025-03-01", **{**avails, "media": "avod"})) == []
    # Once the sale ends both are available.
    later = {**avails, "start": "2026-01-01", "end": "2026-06-30"}
    assert _ids(api.get("/titles", **later)) == ["Free in HK", "Sold in HK"]


def test_list_avails_dates_default_like_the_catalogue_page(api, owner_org) -> None:
    always = TitleFactory(owner=owner_org, original_title="Always free")
    RightsWindowFactory(
        title=always, territories=["WW"], starts_on=date(2000, 1, 1), ends_on=date(2100, 12, 31)
    )
    sold = TitleFactory(owner=owner_org, original_title="Sold in 2025")
    RightsWindowFactory(title=sold, territories=["WW"], starts_on=date(2025, 1, 1))
    RightsWindowFactory(
        title=sold,
        territories=["HK"],
        starts_on=date(2025, 1, 1),
        ends_on=date(2025, 12, 31),
        status=WindowStatus.SOLD,
        counterparty="HK TV",
    )
    avails = {"media": "svod", "territory": "hk"}

    # No dates: today. Only a start: that one day. Only an end before today: that day.
    assert "Always free" in _ids(api.get("/titles", **avails))
    assert _ids(api.get("/titles", start="2025-12-31", **avails)) == ["Always free"]
    assert _ids(api.get("/titles", start="2026-01-01", **avails)) == [
        "Always free",
        "Sold in 2025",
    ]
    assert _ids(api.get("/titles", end="2025-06-01", **avails)) == ["Always free"]


@pytest.mark.parametrize(
    ("params", "fields"),
    [
        (
            {"media": "svod"},
            {"query.territory": ["Needed for availability (with media / territory)."]},
        ),
        (
            {"territory": "HK"},
            {"query.media": ["Needed for availability (with media / territory)."]},
        ),
        (
            {"start": "2025-01-01"},
            {"query.media": ["Give media and territory to filter by availability."]},
        ),
        (
            {"media": "svod", "territory": "HK", "start": "1825-01-01"},
            {"query.start": ["Give a date between the years 1900 and 2199."]},
        ),
    ],
)
def test_list_avails_parameters_go_together(api, params, fields) -> None:
    assert_error(api.get("/titles", **params), 422, "validation_error", fields)


# --- detail ----------------------------------------------------------------------------------


def _detail_without_times(response) -> dict:
    assert response.status_code == 200, response.content
    body = response.json()
    assert body.pop("created_at") and body.pop("updated_at")
    return body


def test_detail_for_anonymous(api, full_title) -> None:
    windows = list(full_title.rights.order_by("id"))

    body = _detail_without_times(api.get(f"/titles/{full_title.pk}"))

    assert body == {
        "id": full_title.pk,
        "reference": "TS-001",
        "owner": {"slug": "tokyo-sales", "name": "Tokyo Sales Co"},
        "kind": "feature",
        "original_title": "Summer Lanterns",
        "original_language": "ja",
        "year": 2024,
        "runtime_minutes": 100,
        "episodes": None,
        "episode_minutes": None,
        "stage": "completed",
        "budget_amount": "2000000.00",
        "budget_currency": "USD",
        "financing_secured": "1500000.00",
        "financing_gap": "500000.00",
        "new_this_market": True,
        "is_published": True,
        "genres": ["drama"],
        "countries": ["JP"],
        "languages": ["ja"],
        "texts": [
            {
                "language": "en",
                "name": "Summer Lanterns",
                "logline": "Two sisters.",
                "synopsis": "A synopsis.",
            },
            {"language": "ja", "name": "夏の灯", "logline": "姉妹。", "synopsis": "…"},
        ],
        "credits": [{"role": "director", "name": "Aoi Tanaka"}],
        "recognitions": [{"festival": "Busan", "year": 2024, "kind": "selection", "award": ""}],
        "rights": [
            {
                "id": windows[0].pk,
                "media": "svod",
                "territories": ["ASIA"],
                "excluded": ["CN"],
                "territories_label": "Asia excluding China",
                "starts_on": "2025-01-01",
                "ends_on": "2030-12-31",
                "exclusive": True,
                "status": "available",
                "counterparty": None,
                "buyer_organisation_id": None,
                "note": None,
            },
            {
                "id": windows[1].pk,
                "media": "svod",
                "territories": ["JP"],
                "excluded": [],
                "territories_label": "Japan",
                "starts_on": "2025-01-01",
                "ends_on": "2026-12-31",
                "exclusive": True,
                "status": "sold",
                "counterparty": None,
                "buyer_organisation_id": None,
                "note": None,
            },
        ],
        "trailer_url": "https://video.example.com/summer",
        "screener_url": None,
        "poster_url": None,
    }


@pytest.mark.parametrize(
    ("role", "sees_details", "sees_screener"),
    [
        ("anonymous", False, False),
        ("participant", False, False),  # a buyer, but not vetted for the edition
        ("other_exhibitor", False, False),
        ("owner_exhibitor", True, True),
        ("organiser", True, True),
    ],
)
def test_detail_counterparty_and_screener_per_role(
    api, users, full_title, other_org, role, sees_details, sees_screener
) -> None:
    body = api.get(f"/titles/{full_title.pk}", as_=users[role]).json()

    sold = body["rights"][1]
    assert (sold["counterparty"], sold["buyer_organisation_id"], sold["note"]) == (
        ("Nippon Stream", other_org.pk, "Signed at Berlin") if sees_details else (None, None, None)
    )
    assert body["screener_url"] == (
        "https://screeners.example.com/summer" if sees_screener else None
    )


def test_detail_screener_for_a_vetted_buyer(api, full_title, edition) -> None:
    buyer = make_user_with_roles(Role.BUYER)
    RegistrationFactory(edition=edition, participant=buyer.participant)

    body = api.get(f"/titles/{full_title.pk}", as_=buyer).json()

    assert body["screener_url"] == "https://screeners.example.com/summer"
    assert body["rights"][1]["counterparty"] is None


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 404),
        ("participant", 404),
        ("other_exhibitor", 404),
        ("owner_exhibitor", 200),
        ("organiser", 200),
    ],
)
def test_unpublished_detail_only_for_owner_staff_and_organisers(
    api, users, catalogue, role, status
) -> None:
    response = api.get(f"/titles/{catalogue['owner_draft'].pk}", as_=users[role])

    assert response.status_code == status
    if status == 404:
        assert_error(response, 404, "not_found", {})
    else:
        assert response.json()["original_title"] == "Draft A"


# --- availability ----------------------------------------------------------------------------


def test_availability_yes(api, full_title) -> None:
    response = api.get(
        f"/titles/{full_title.pk}/availability",
        media="svod",
        territory="HK",
        start="2025-03-01",
        end="2025-12-31",
    )

    assert response.status_code == 200
    assert response.json() == {"available": True, "reasons": []}


HIDDEN_SALE = "Sold for SVOD in Japan from 2025-03-01 to 2025-12-31"
NAMED_SALE = "Sold to Nippon Stream for SVOD in Japan from 2025-03-01 to 2025-12-31"


@pytest.mark.parametrize(
    ("role", "message"),
    [
        ("anonymous", HIDDEN_SALE),
        ("participant", HIDDEN_SALE),
        ("other_exhibitor", HIDDEN_SALE),
        ("owner_exhibitor", NAMED_SALE),
        ("organiser", NAMED_SALE),
    ],
)
def test_availability_no_with_reasons(api, users, full_title, role, message) -> None:
    response = api.get(
        f"/titles/{full_title.pk}/availability",
        as_=users[role],
        media="svod",
        territory="EAST_ASIA",
        start="2025-03-01",
        end="2025-12-31",
    )

    assert response.status_code == 200
    assert response.json() == {
        "available": False,
        "reasons": [
            {
                "code": "no_rights",
                "message": "No SVOD rights held in China",
                "media": "svod",
                "countries": ["CN"],
                "start": None,
                "end": None,
            },
            {
                "code": "sold",
                "message": message,
                "media": "svod",
                "countries": ["JP"],
                "start": "2025-03-01",
                "end": "2025-12-31",
            },
        ],
    }


def test_availability_needs_media_and_territory(api, full_title) -> None:
    message = "Needed for availability (with media / territory)."

    assert_error(
        api.get(f"/titles/{full_title.pk}/availability", start="2025-01-01"),
        422,
        "validation_error",
        {"query.media": [message], "query.territory": [message]},
    )


def test_availability_of_one_day_by_default(api, full_title) -> None:
    response = api.get(
        f"/titles/{full_title.pk}/availability", media="svod", territory="JP", start="2027-01-01"
    )

    assert response.json() == {"available": True, "reasons": []}


def test_availability_of_a_draft_is_404_for_the_public(api, catalogue) -> None:
    response = api.get(
        f"/titles/{catalogue['owner_draft'].pk}/availability",
        media="svod",
        territory="HK",
        start="2025-01-01",
        end="2025-02-01",
    )

    assert_error(response, 404, "not_found", {})


# --- writes: create --------------------------------------------------------------------------

NEW_TITLE = {
    "reference": "TS-100",
    "kind": "series",
    "original_title": "River Town",
    "original_language": "ja",
    "year": 2025,
    "episodes": 8,
    "episode_minutes": 45,
    "stage": "post_production",
    "budget_amount": "900000",
    "financing_secured": "600000",
    "genres": ["drama", "mystery"],
    "countries": ["jp"],
    "languages": ["ja"],
    "texts": [{"language": "en", "name": "River Town", "logline": "A town floods."}],
    "credits": [{"role": "director", "name": "Ren Sato"}, {"role": "cast", "name": "Mio Ito"}],
    "recognitions": [{"festival": "Tokyo", "year": 2025, "kind": "award", "award": "Best"}],
    "rights": [{"media": "free_tv", "territories": ["ASEAN"], "starts_on": "2026-01-01"}],
    "organisation": "tokyo-sales",
}


def _river_town_state() -> dict:
    t = Title.objects.get(reference="TS-100")
    return {
        "owner": t.owner.slug,
        "scalars": (t.kind, t.original_title, t.year, t.episodes, t.episode_minutes, t.stage),
        "money": (t.budget_amount, t.financing_secured, t.financing_gap, t.budget_currency),
        "genres": sorted(t.genres.values_list("genre", flat=True)),
        "countries": list(t.countries.values_list("country", flat=True)),
        "texts": list(t.texts.values_list("language", "name", "logline")),
        "credits": list(t.credits.values_list("role", "name", "position")),
        "recognitions": list(t.recognitions.values_list("festival", "year", "kind", "award")),
        "rights": list(
            t.rights.values_list("media", "territories", "starts_on", "ends_on", "status")
        ),
        "published": t.is_published,
    }


RIVER_TOWN_STATE = {
    "owner": "tokyo-sales",
    "scalars": ("series", "River Town", 2025, 8, 45, "post_production"),
    "money": (Decimal("900000.00"), Decimal("600000.00"), Decimal("300000.00"), "USD"),
    "genres": ["drama", "mystery"],
    "countries": ["JP"],
    "texts": [("en", "River Town", "A town floods.")],
    "credits": [("director", "Ren Sato", 0), ("cast", "Mio Ito", 1)],
    "recognitions": [("Tokyo", 2025, "award", "Best")],
    "rights": [("free_tv", ["ASEAN"], date(2026, 1, 1), None, "available")],
    "published": True,
}


@pytest.mark.parametrize("role", ROLES)
def test_create_title_per_role(api, users, owner_org, role) -> None:
    response = api.post("/titles", NEW_TITLE, as_=users[role])

    status = _expect(role, 201)
    if status == 201:
        assert response.status_code == 201, response.content
        body = response.json()
        assert (body["reference"], body["owner"]["slug"], body["financing_gap"]) == (
            "TS-100",
            "tokyo-sales",
            "300000.00",
        )
        assert body["id"] == Title.objects.get().pk
        assert _river_town_state() == RIVER_TOWN_STATE
    else:
        assert_error(response, status, ERROR_CODE[status], {})
        assert Title.objects.count() == 0


def test_exhibitor_creates_in_their_own_organisation_by_default(api, users, owner_org) -> None:
    body = {k: v for k, v in NEW_TITLE.items() if k != "organisation"}

    response = api.post("/titles", body, as_=users["owner_exhibitor"])

    assert response.status_code == 201
    assert _river_town_state() == RIVER_TOWN_STATE


def test_organiser_must_name_the_organisation(api, users, owner_org) -> None:
    body = {k: v for k, v in NEW_TITLE.items() if k != "organisation"}

    response = api.post("/titles", body, as_=users["organiser"])

    assert_error(
        response,
        422,
        "validation_error",
        {"body.organisation": ["Say which organisation the title belongs to."]},
    )
    assert Title.objects.count() == 0


def test_create_for_an_unknown_organisation_is_422(api, users) -> None:
    response = api.post("/titles", {**NEW_TITLE, "organisation": "nobody"}, as_=users["organiser"])

    assert_error(
        response,
        422,
        "validation_error",
        {"body.organisation": ["No organisation with this slug."]},
    )


def test_create_with_an_existing_reference_is_409_and_changes_nothing(api, users, title) -> None:
    response = api.post(
        "/titles", {**NEW_TITLE, "reference": "TS-001"}, as_=users["owner_exhibitor"]
    )

    assert_error(
        response,
        409,
        "conflict",
        {"body.reference": ["Tokyo Sales Co has a title with this reference."]},
    )
    title.refresh_from_db()
    assert (Title.objects.count(), title.original_title, title.kind) == (
        1,
        "Summer Lanterns",
        "feature",
    )
    assert title.genres.count() == 0


# --- writes: upsert by reference -------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_upsert_by_reference_per_role(api, users, owner_org, role) -> None:
    first = api.put("/titles/by-reference/TS-100", NEW_TITLE, as_=users[role])
    second = api.put("/titles/by-reference/TS-100", NEW_TITLE, as_=users[role])

    status = _expect(role, 201)
    if status == 201:
        assert (first.status_code, second.status_code) == (201, 200)
        assert first.json()["id"] == second.json()["id"] == Title.objects.get().pk
        assert _river_town_state() == RIVER_TOWN_STATE
    else:
        assert_error(first, status, ERROR_CODE[status], {})
        assert Title.objects.count() == 0


def test_upsert_updates_an_existing_title(api, users, title) -> None:
    body = {**NEW_TITLE, "reference": "TS-001", "original_title": "Summer Lanterns (new cut)"}

    response = api.put("/titles/by-reference/TS-001", body, as_=users["owner_exhibitor"])

    assert response.status_code == 200
    assert response.json()["id"] == title.pk
    title.refresh_from_db()
    assert (title.original_title, title.kind, Title.objects.count()) == (
        "Summer Lanterns (new cut)",
        "series",
        1,
    )


def test_upsert_reference_must_match_the_path(api, users, owner_org) -> None:
    response = api.put("/titles/by-reference/OTHER", NEW_TITLE, as_=users["owner_exhibitor"])

    assert_error(
        response,
        422,
        "validation_error",
        {"body.reference": ["Must be the reference in the path."]},
    )
    assert Title.objects.count() == 0


# --- writes: replace -------------------------------------------------------------------------

REPLACEMENT = {k: v for k, v in NEW_TITLE.items() if k != "organisation"} | {"reference": "TS-001"}


@pytest.mark.parametrize("role", ROLES)
def test_replace_title_per_role(api, users, full_title, role) -> None:
    response = api.put(f"/titles/{full_title.pk}", REPLACEMENT, as_=users[role])

    full_title.refresh_from_db()
    status = _expect(role, 200)
    if status == 200:
        assert response.status_code == 200, response.content
        assert response.json()["original_title"] == "River Town"
        assert (full_title.original_title, full_title.kind, full_title.episodes) == (
            "River Town",
            "series",
            8,
        )
        assert list(full_title.texts.values_list("language", "name")) == [("en", "River Town")]
        assert list(full_title.rights.values_list("media", "territories")) == [
            ("free_tv", ["ASEAN"])
        ]
    else:
        assert_error(response, status, ERROR_CODE[status], {})
        assert (full_title.original_title, full_title.rights.count()) == ("Summer Lanterns", 2)


def test_replace_without_rights_keeps_the_windows(api, users, full_title) -> None:
    body = {k: v for k, v in REPLACEMENT.items() if k != "rights"}

    response = api.put(f"/titles/{full_title.pk}", body, as_=users["owner_exhibitor"])

    assert response.status_code == 200
    assert sorted(full_title.rights.values_list("status", flat=True)) == ["available", "sold"]


def test_replace_cannot_change_the_reference(api, users, title) -> None:
    response = api.put(
        f"/titles/{title.pk}", {**REPLACEMENT, "reference": "NEW"}, as_=users["organiser"]
    )

    assert_error(
        response,
        422,
        "validation_error",
        {"body.reference": ["The reference of a title cannot be changed."]},
    )
    assert list(Title.objects.values_list("reference", flat=True)) == ["TS-001"]


def test_replace_with_conflicting_rights_is_409(api, users, title) -> None:
    sold = {
        "media": "svod",
        "territories": ["JP"],
        "starts_on": "2025-01-01",
        "ends_on": "2025-12-31",
        "status": "sold",
        "counterparty": "Nippon Stream",
    }
    sold_again = {**sold, "territories": ["EAST_ASIA"], "counterparty": "Asia Plus"}
    body = {**REPLACEMENT, "rights": [sold, sold_again]}

    response = api.put(f"/titles/{title.pk}", body, as_=users["owner_exhibitor"])

    assert_error(
        response,
        409,
        "conflict",
        {"rights.0": ["Sold to Asia Plus for SVOD in Japan from 2025-01-01 to 2025-12-31"]},
    )
    title.refresh_from_db()
    assert (title.original_title, title.kind, title.rights.count()) == (
        "Summer Lanterns",
        "feature",
        0,
    )


def test_replace_a_draft_of_another_organisation_is_404(api, users, catalogue) -> None:
    draft = catalogue["owner_draft"]

    response = api.put(
        f"/titles/{draft.pk}",
        {**REPLACEMENT, "reference": draft.reference},
        as_=users["other_exhibitor"],
    )

    assert_error(response, 404, "not_found", {})


# --- writes: delete --------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_delete_title_per_role(api, users, full_title, role) -> None:
    response = api.delete(f"/titles/{full_title.pk}", as_=users[role])

    status = _expect(role, 204)
    if status == 204:
        assert response.status_code == 204
        assert response.content == b""
        assert Title.objects.count() == 0
        assert RightsWindow.objects.count() == 0
    else:
        assert_error(response, status, ERROR_CODE[status], {})
        assert list(Title.objects.values_list("pk", flat=True)) == [full_title.pk]


def test_delete_unknown_title_is_404(api, users) -> None:
    assert_error(api.delete("/titles/12345", as_=users["organiser"]), 404, "not_found", {})


# --- writes: rights --------------------------------------------------------------------------

WINDOWS = [
    {"media": "svod", "territories": ["WW"], "excluded": ["CN"], "starts_on": "2025-01-01"},
    {
        "media": "svod",
        "territories": ["HK", "MO"],
        "starts_on": "2025-06-01",
        "ends_on": "2027-05-31",
        "status": "on_hold",
        "counterparty": "Pearl Streaming",
        "note": "Until the end of March",
    },
]


@pytest.mark.parametrize("role", ROLES)
def test_replace_rights_per_role(api, users, full_title, role) -> None:
    response = api.put(f"/titles/{full_title.pk}/rights", WINDOWS, as_=users[role])

    rows = list(
        full_title.rights.order_by("id").values_list(
            "media", "territories", "excluded", "starts_on", "ends_on", "status", "counterparty"
        )
    )
    status = _expect(role, 200)
    if status == 200:
        assert response.status_code == 200, response.content
        assert rows == [
            ("svod", ["WW"], ["CN"], date(2025, 1, 1), None, "available", ""),
            (
                "svod",
                ["HK", "MO"],
                [],
                date(2025, 6, 1),
                date(2027, 5, 31),
                "on_hold",
                "Pearl Streaming",
            ),
        ]
        body = response.json()
        assert [w["id"] for w in body] == list(
            full_title.rights.order_by("media", "starts_on", "id").values_list("id", flat=True)
        )
        assert body[1] | {"id": None} == {
            "id": None,
            "media": "svod",
            "territories": ["HK", "MO"],
            "excluded": [],
            "territories_label": "Hong Kong, Macao",
            "starts_on": "2025-06-01",
            "ends_on": "2027-05-31",
            "exclusive": True,
            "status": "on_hold",
            "counterparty": "Pearl Streaming",
            "buyer_organisation_id": None,
            "note": "Until the end of March",
        }
    else:
        assert_error(response, status, ERROR_CODE[status], {})
        assert [r[5] for r in rows] == ["available", "sold"]


def test_replace_rights_conflict_names_the_window(api, users, title) -> None:
    second_hold = {**WINDOWS[1], "territories": ["HK"], "counterparty": "Other Buyer"}

    response = api.put(
        f"/titles/{title.pk}/rights", [*WINDOWS, second_hold], as_=users["owner_exhibitor"]
    )

    error = assert_error(response, 409, "conflict")
    assert error["fields"] == {
        "rights.1": ["On hold for Other Buyer for SVOD in Hong Kong from 2025-06-01 to 2027-05-31"]
    }
    assert title.rights.count() == 0


def test_replace_rights_validation_names_the_field(api, users, title) -> None:
    bad = [
        WINDOWS[0],
        {
            "media": "svod",
            "territories": ["HK"],
            "starts_on": "2025-06-01",
            "ends_on": "2025-01-01",
        },
        {"media": "cinema", "territories": ["NARNIA"], "starts_on": "2025-06-01"},
        {"media": "svod", "territories": ["HK"], "starts_on": "2025-06-01", "status": "sold"},
    ]

    response = api.put(f"/titles/{title.pk}/rights", bad, as_=users["owner_exhibitor"])

    error = assert_error(response, 422, "validation_error")
    assert error["fields"] == {
        "body.1": ["ends_on is before starts_on"],
        "body.2.media": [
            "“cinema” is not one of: theatrical, free_tv, pay_tv, svod, avod, tvod_est, airline, "
            "non_theatrical, remake, format, derivative"
        ],
        "body.2.territories": ["Unknown territory code: 'NARNIA'"],
        "body.3": ["say who the rights are sold to or held for (counterparty)"],
    }
    assert title.rights.count() == 0


@pytest.mark.parametrize("role", ROLES)
def test_add_rights_window_per_role(api, users, full_title, role) -> None:
    hold = {
        "media": "svod",
        "territories": ["TH"],
        "starts_on": "2025-04-01",
        "ends_on": "2026-03-31",
        "status": "on_hold",
        "counterparty": "Bangkok Box",
    }

    response = api.post(f"/titles/{full_title.pk}/rights", hold, as_=users[role])

    status = _expect(role, 201)
    if status == 201:
        assert response.status_code == 201, response.content
        new = full_title.rights.get(status="on_hold")
        assert response.json() == {
            "id": new.pk,
            "media": "svod",
            "territories": ["TH"],
            "excluded": [],
            "territories_label": "Thailand",
            "starts_on": "2025-04-01",
            "ends_on": "2026-03-31",
            "exclusive": True,
            "status": "on_hold",
            "counterparty": "Bangkok Box",
            "buyer_organisation_id": None,
            "note": "",
        }
        assert full_title.rights.count() == 3
    else:
        assert_error(response, status, ERROR_CODE[status], {})
        assert full_title.rights.count() == 2


def test_add_rights_window_conflict_is_409(api, users, full_title) -> None:
    hold = {
        "media": "svod",
        "territories": ["JP"],
        "starts_on": "2026-01-01",
        "ends_on": "2026-06-30",
        "status": "on_hold",
        "counterparty": "Another Streamer",
    }

    response = api.post(f"/titles/{full_title.pk}/rights", hold, as_=users["owner_exhibitor"])

    error = assert_error(response, 409, "conflict")
    assert list(error["fields"]) == ["body"]
    # The new hold meets the sale already in place; the message names that sale.
    assert error["fields"]["body"] == [
        "Sold to Nippon Stream for SVOD in Japan from 2026-01-01 to 2026-06-30"
    ]
    assert full_title.rights.count() == 2

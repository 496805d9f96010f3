"""Catalogue writes: title_save, validate_rights, rights_window_add, title_delete, and many
clients holding the same right at once (PostgreSQL)."""

from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connections

from reelmarket.catalogue import services
from reelmarket.catalogue.inputs import TITLE_SCALAR_FIELDS, RightsInput, TitleInput
from reelmarket.catalogue.models import (
    Credit,
    Recognition,
    RightsWindow,
    Title,
    TitleCountry,
    TitleGenre,
    TitleLanguage,
    TitleText,
)
from reelmarket.market.enums import Role
from tests.concurrency import require_postgres
from tests.factories import OrganisationFactory, RightsWindowFactory, make_user_with_roles


def title_input(**overrides) -> TitleInput:
    data = {
        "reference": "TS-100",
        "kind": "animation_feature",
        "original_title": "星の灯台",
        "original_language": "ja",
        "year": 2025,
        "runtime_minutes": 92,
        "stage": "post_production",
        "budget_amount": "3500000",
        "budget_currency": "usd",
        "financing_secured": "1400000",
        "genres": ["family", "animation", "family"],
        "countries": ["jp", "FR"],
        "languages": ["ja", "fr"],
        "texts": [
            {"language": "en", "name": "The Star Lighthouse", "logline": "A keeper's girl."},
            {"language": "zh-Hant", "name": "星之燈塔"},
        ],
        "credits": [
            {"role": "director", "name": "Mika Ito"},
            {"role": "producer", "name": "Jean Martin"},
        ],
        "recognitions": [
            {"festival": "Annecy", "year": 2025, "kind": "selection", "award": "Contrechamp"}
        ],
        "trailer_url": "https://video.example.com/star",
        "new_this_market": True,
    }
    data.update(overrides)
    return TitleInput.model_validate(data)


def rights(**overrides) -> RightsInput:
    data = {
        "media": "svod",
        "territories": ["JP"],
        "starts_on": date(2025, 1, 1),
        "ends_on": date(2030, 12, 31),
        "exclusive": True,
        "status": "available",
    }
    data.update(overrides)
    return RightsInput.model_validate(data)


def state(title: Title) -> dict:
    """Everything title_save writes, in a comparable form."""
    title = Title.objects.get(pk=title.pk)
    return {
        "row": {
            f: getattr(title, f)
            for f in (
                "reference",
                *TITLE_SCALAR_FIELDS,
                "trailer_url",
                "screener_url",
                "new_this_market",
            )
        },
        "genres": sorted(TitleGenre.objects.filter(title=title).values_list("genre", flat=True)),
        "countries": sorted(
            TitleCountry.objects.filter(title=title).values_list("country", flat=True)
        ),
        "languages": sorted(
            TitleLanguage.objects.filter(title=title).values_list("language", flat=True)
        ),
        "texts": list(
            TitleText.objects.filter(title=title)
            .order_by("language")
            .values_list("language", "name", "logline", "synopsis")
        ),
        "credits": list(Credit.objects.filter(title=title).values_list("position", "role", "name")),
        "recognitions": list(
            Recognition.objects.filter(title=title).values_list("festival", "year", "kind", "award")
        ),
        "rights": list(
            RightsWindow.objects.filter(title=title)
            .order_by("id")
            .values_list("media", "territories", "excluded", "status", "counterparty")
        ),
    }


@pytest.fixture
def seller(owner_org):
    return make_user_with_roles(Role.SELLER, organisation=owner_org)


# --- title_save -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_title_save_creates_the_title_with_its_children(seller, owner_org):
    title, created = services.title_save(actor=seller, owner=owner_org, data=title_input())
    assert created is True
    assert title.owner == owner_org
    assert state(title) == {
        "row": {
            "reference": "TS-100",
            "kind": "animation_feature",
            "original_title": "星の灯台",
            "original_language": "ja",
            "year": 2025,
            "runtime_minutes": 92,
            "episodes": None,
            "episode_minutes": None,
            "stage": "post_production",
            "budget_amount": Decimal("3500000.00"),
            "budget_currency": "USD",
            "financing_secured": Decimal("1400000.00"),
            "trailer_url": "https://video.example.com/star",
            "screener_url": "",
            "new_this_market": True,
        },
        "genres": ["animation", "family"],
        "countries": ["FR", "JP"],
        "languages": ["fr", "ja"],
        "texts": [
            ("en", "The Star Lighthouse", "A keeper's girl.", ""),
            ("zh-Hant", "星之燈塔", "", ""),
        ],
        "credits": [(0, "director", "Mika Ito"), (1, "producer", "Jean Martin")],
        "recognitions": [("Annecy", 2025, "selection", "Contrechamp")],
        "rights": [],
    }
    assert title.financing_gap == Decimal("2100000.00")


@pytest.mark.django_db
def test_title_save_twice_is_idempotent(seller, owner_org):
    first, _ = services.title_save(actor=seller, owner=owner_org, data=title_input())
    before = state(first)
    ids = {
        "texts": sorted(TitleText.objects.values_list("id", flat=True)),
        "titles": list(Title.objects.values_list("id", flat=True)),
    }
    again, created = services.title_save(actor=seller, owner=owner_org, data=title_input())
    assert created is False
    assert again.pk == first.pk
    assert state(again) == before
    assert list(Title.objects.values_list("id", flat=True)) == ids["titles"]
    assert TitleText.objects.count() == len(ids["texts"])


@pytest.mark.django_db
def test_title_save_update_replaces_the_children(seller, owner_org):
    title, _ = services.title_save(actor=seller, owner=owner_org, data=title_input())
    RightsWindowFactory(title=title, territories=["WW"])
    updated = title_input(
        original_title="星の灯台 (改)",
        genres=["drama"],
        countries=["JP"],
        languages=[],
        texts=[{"language": "fr", "name": "Le Phare des étoiles"}],
        credits=[{"role": "writer", "name": "Aki Sato"}],
        recognitions=[],
        trailer_url=None,
        financing_secured=None,
    )
    again, created = services.title_save(actor=seller, owner=owner_org, data=updated)
    assert (again.pk, created) == (title.pk, False)
    after = state(title)
    assert after["row"]["original_title"] == "星の灯台 (改)"
    assert after["row"]["trailer_url"] == ""
    assert after["row"]["financing_secured"] is None
    assert after["genres"] == ["drama"]
    assert after["countries"] == ["JP"]
    assert after["languages"] == []
    assert after["texts"] == [("fr", "Le Phare des étoiles", "", "")]
    assert after["credits"] == [(0, "writer", "Aki Sato")]
    assert after["recognitions"] == []
    # rights=None leaves the rights windows alone
    assert after["rights"] == [("svod", ["WW"], [], "available", "")]
    assert TitleText.objects.count() == 1
    assert Credit.objects.count() == 1


@pytest.mark.django_db
def test_title_save_with_rights_replaces_the_windows(seller, owner_org):
    title, _ = services.title_save(actor=seller, owner=owner_org, data=title_input())
    RightsWindowFactory(title=title, territories=["WW"])
    data = title_input(
        rights=[
            {
                "media": "svod",
                "territories": ["JP", "KR"],
                "starts_on": "2025-01-01",
                "status": "sold",
                "counterparty": "Nippon Stream",
            },
        ]
    )
    services.title_save(actor=seller, owner=owner_org, data=data)
    assert state(title)["rights"] == [("svod", ["JP", "KR"], [], "sold", "Nippon Stream")]


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["other_exhibitor", "participant", "anonymous"])
def test_title_save_for_another_organisation_is_denied(users, owner_org, who):
    with pytest.raises(PermissionDenied):
        services.title_save(actor=users[who], owner=owner_org, data=title_input())
    assert Title.objects.count() == 0


@pytest.mark.django_db
def test_title_save_denied_update_leaves_the_title_alone(users, owner_org):
    title, _ = services.title_save(
        actor=users["owner_exhibitor"], owner=owner_org, data=title_input()
    )
    before = state(title)
    with pytest.raises(PermissionDenied):
        services.title_save(
            actor=users["other_exhibitor"],
            owner=owner_org,
            data=title_input(original_title="Hijacked"),
        )
    assert state(title) == before


@pytest.mark.django_db
def test_organiser_saves_into_any_catalogue(users, other_org):
    title, created = services.title_save(
        actor=users["organiser"], owner=other_org, data=title_input()
    )
    assert (title.owner, created) == (other_org, True)


@pytest.mark.django_db
def test_a_seller_without_the_seller_role_is_denied(owner_org):
    buyer_at_owner = make_user_with_roles(Role.BUYER, organisation=owner_org)
    with pytest.raises(PermissionDenied):
        services.title_save(actor=buyer_at_owner, owner=owner_org, data=title_input())


@pytest.mark.django_db
def test_title_save_with_conflicting_rights_writes_nothing(seller, owner_org):
    data = title_input(
        rights=[
            {
                "media": "svod",
                "territories": ["JP"],
                "starts_on": "2025-01-01",
                "status": "sold",
                "counterparty": "A",
            },
            {
                "media": "svod",
                "territories": ["ASIA"],
                "starts_on": "2026-01-01",
                "ends_on": "2026-12-31",
                "status": "on_hold",
                "counterparty": "B",
            },
        ]
    )
    with pytest.raises(services.RightsConflict):
        services.title_save(actor=seller, owner=owner_org, data=data)
    assert Title.objects.count() == 0
    assert TitleText.objects.count() == 0


# --- validate_rights ------------------------------------------------------------------------


def test_conflicting_sold_windows_raise_with_the_index():
    windows = [
        rights(territories=["WW"]),
        rights(territories=["JP", "KR"], status="sold", counterparty="Nippon Stream"),
        rights(territories=["KR"], status="available", starts_on=date(2031, 1, 1), ends_on=None),
        rights(
            territories=["EAST_ASIA"],
            status="sold",
            counterparty="Asia Plus",
            starts_on=date(2028, 1, 1),
            ends_on=date(2029, 12, 31),
        ),
    ]
    with pytest.raises(services.RightsConflict) as caught:
        services.validate_rights(windows)
    assert caught.value.index == 1
    assert caught.value.messages == [
        "Sold to Asia Plus for SVOD in Japan, South Korea from 2028-01-01 to 2029-12-31"
    ]


def test_non_conflicting_windows_pass():
    services.validate_rights(
        [
            # Kenji: SVOD Japan and Korea sold, the rest of Asia open
            rights(territories=["JP", "KR"], status="sold", counterparty="Nippon Stream"),
            rights(territories=["ASIA"], excluded=["JP", "KR"]),
            # the same territory sold again after the first licence ends
            rights(
                territories=["JP"],
                status="sold",
                counterparty="Next Platform",
                starts_on=date(2031, 1, 1),
                ends_on=None,
            ),
            # another media over the same countries and days
            rights(media="free_tv", territories=["JP"], status="sold", counterparty="NHK"),
            # two non-exclusive licences may overlap
            rights(
                media="avod", territories=["TH"], exclusive=False, status="sold", counterparty="X"
            ),
            rights(
                media="avod", territories=["TH"], exclusive=False, status="sold", counterparty="Y"
            ),
        ]
    )


def test_an_exclusive_sale_over_a_non_exclusive_one_conflicts():
    with pytest.raises(services.RightsConflict) as caught:
        services.validate_rights(
            [
                rights(territories=["TH"], exclusive=False, status="sold", counterparty="X"),
                rights(territories=["TH"], status="sold", counterparty="Y"),
            ]
        )
    assert caught.value.index == 0
    assert caught.value.messages == ["Sold to Y for SVOD in Thailand from 2025-01-01 to 2030-12-31"]


def test_no_windows_pass():
    services.validate_rights([])


# --- rights_window_add -----------------------------------------------------------------------


@pytest.mark.django_db
def test_rights_window_add_puts_a_hold(seller, title):
    RightsWindowFactory(title=title, territories=["ASIA"])
    window = services.rights_window_add(
        actor=seller,
        title=title,
        window=rights(territories=["VN"], status="on_hold", counterparty="Saigon Stream"),
    )
    assert RightsWindow.objects.get(pk=window.pk).title == title
    assert list(
        title.rights.order_by("id").values_list("territories", "status", "counterparty")
    ) == [(["ASIA"], "available", ""), (["VN"], "on_hold", "Saigon Stream")]


@pytest.mark.django_db
def test_rights_window_add_refuses_a_second_hold(seller, title):
    RightsWindowFactory(title=title, territories=["VN"], status="on_hold", counterparty="A")
    with pytest.raises(services.RightsConflict) as caught:
        services.rights_window_add(
            actor=seller,
            title=title,
            window=rights(territories=["ASEAN"], status="sold", counterparty="B"),
        )
    # index 0 is the new window: "this sale meets that hold"
    assert caught.value.index == 0
    assert caught.value.messages == [
        "On hold for A for SVOD in Vietnam from 2025-01-01 to 2030-12-31"
    ]
    assert title.rights.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["other_exhibitor", "participant", "anonymous"])
def test_rights_window_add_denied(users, title, who):
    with pytest.raises(PermissionDenied):
        services.rights_window_add(
            actor=users[who],
            title=title,
            window=rights(status="on_hold", counterparty="X"),
        )
    assert title.rights.count() == 0


# --- title_delete --------------------------------------------------------------------------


@pytest.mark.django_db
def test_title_delete_removes_the_title_and_its_children(seller, title):
    RightsWindowFactory(title=title)
    title.texts.create(language="en", name="Summer Lanterns")
    other = Title.objects.create(
        owner=OrganisationFactory(),
        reference="X",
        kind="feature",
        original_title="Other",
        original_language="en",
    )
    services.title_delete(actor=seller, title=title)
    assert list(Title.objects.values_list("pk", flat=True)) == [other.pk]
    assert RightsWindow.objects.count() == 0
    assert TitleText.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["other_exhibitor", "participant", "anonymous"])
def test_title_delete_denied(users, title, who):
    with pytest.raises(PermissionDenied):
        services.title_delete(actor=users[who], title=title)
    assert Title.objects.filter(pk=title.pk).exists()


@pytest.mark.django_db
def test_organiser_deletes_any_title(users, title):
    services.title_delete(actor=users["organiser"], title=title)
    assert not Title.objects.filter(pk=title.pk).exists()


# --- concurrency (PostgreSQL) ----------------------------------------------------------------

THREADS = 8


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_holds_on_the_same_right_exactly_one_wins(owner_org):
    require_postgres()
    seller = make_user_with_roles(Role.SELLER, organisation=owner_org)
    title = Title.objects.create(
        owner=owner_org,
        reference="RACE-1",
        kind="feature",
        original_title="Race",
        original_language="ja",
    )
    RightsWindowFactory(title=title, territories=["ASIA"])
    barrier = threading.Barrier(THREADS)
    outcomes: dict[int, str] = {}
    errors: list[BaseException] = []

    def hold(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            services.rights_window_add(
                actor=seller,
                title=title,
                window=rights(territories=["VN"], status="on_hold", counterparty=f"Buyer {i}"),
            )
            outcomes[i] = "held"
        except services.RightsConflict:
            outcomes[i] = "conflict"
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=hold, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(outcomes.values()) == ["conflict"] * (THREADS - 1) + ["held"]
    holds = list(
        RightsWindow.objects.filter(title=title, status="on_hold").values_list(
            "counterparty", flat=True
        )
    )
    winner = next(i for i, outcome in outcomes.items() if outcome == "held")
    assert holds == [f"Buyer {winner}"]
    assert RightsWindow.objects.filter(title=title).count() == 2

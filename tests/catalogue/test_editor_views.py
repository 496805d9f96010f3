"""The exhibitor's catalogue editor: my titles, title form, avails editor, delete.

Every write view is walked through per role (anonymous, participant, other exhibitor,
owner exhibitor, organiser) with the exact status and the database state after.
"""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from reelmarket.catalogue.avails.media import Media
from reelmarket.catalogue.models import RightsWindow, Title
from reelmarket.catalogue.selectors import AvailsFilter, title_availability
from tests.factories import (
    RightsWindowFactory,
    TitleFactory,
    TitleTextFactory,
)

ROLES = ["anonymous", "participant", "other_exhibitor", "owner_exhibitor", "organiser"]
EDITORS_OF_OWNER_TITLES = {"owner_exhibitor", "organiser"}
LOGIN = reverse("accounts:login")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def management(prefix: str, total: int) -> dict[str, str]:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def title_data(**overrides) -> dict:
    data = {
        "reference": "TS-002",
        "kind": "feature",
        "original_title": "冬の鐘",
        "original_language": "ja",
        "year": "2025",
        "runtime_minutes": "98",
        "episodes": "",
        "episode_minutes": "",
        "stage": "completed",
        "budget_amount": "1200000",
        "budget_currency": "USD",
        "financing_secured": "420000",
        "genres": ["drama", "family"],
        "countries": ["JP", "KR"],
        "languages": "ja, ko",
        "trailer_url": "https://video.example.com/trailer",
        "screener_url": "https://video.example.com/screener",
        "new_this_market": "on",
        "is_published": "on",
        **management("texts", 3),
        "texts-0-language": "en",
        "texts-0-name": "Winter Bells",
        "texts-0-logline": "Two sisters and a temple bell.",
        "texts-0-synopsis": "A long synopsis.",
        "texts-1-language": "zh-Hant",
        "texts-1-name": "冬之鐘",
        "texts-1-logline": "",
        "texts-1-synopsis": "",
        # texts-2 left blank: ignored
        **management("credits", 3),
        "credits-0-role": "director",
        "credits-0-name": "Aoi Tanaka",
        "credits-1-role": "cast",
        "credits-1-name": "Ren Sato",
        **management("recognitions", 1),
        "recognitions-0-festival": "Busan International Film Festival",
        "recognitions-0-year": "2024",
        "recognitions-0-kind": "selection",
        "recognitions-0-award": "New Currents",
    }
    data.update(overrides)
    return data


def image_file(name: str = "poster.png", fmt: str = "PNG", size=(40, 60)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 40, 40)).save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def snapshot(title: Title) -> dict:
    title.refresh_from_db()
    return {
        "original_title": title.original_title,
        "year": title.year,
        "texts": sorted(title.texts.values_list("language", "name")),
        "credits": list(title.credits.values_list("role", "name")),
        "rights": list(title.rights.values_list("media", "territories", "status")),
    }


# --- my titles ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_mine_per_role(users, role, title, other_org):
    TitleFactory(owner=title.owner, original_title="Hidden Draft", is_published=False)
    TitleFactory(owner=other_org, original_title="Seoul Nights")
    response = client_for(users[role]).get(reverse("catalogue:mine"))
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"] == f"{LOGIN}?next=/catalogue/mine/"
        return
    if role == "participant":
        assert response.status_code == 403
        return
    assert response.status_code == 200
    page = response.content.decode()
    if role == "owner_exhibitor":
        assert "Summer Lanterns" in page
        assert "Hidden Draft" in page
        assert "not published" in page
        assert "Seoul Nights" not in page
        assert reverse("catalogue:create") in page
    elif role == "other_exhibitor":
        assert "Seoul Nights" in page
        assert "Summer Lanterns" not in page
        assert "Hidden Draft" not in page
    else:  # organiser: picks a catalogue first
        assert "Choose an organisation" in page
        assert "Summer Lanterns" not in page


def test_organiser_sees_any_catalogue(users, title):
    url = reverse("catalogue:mine") + f"?organisation={title.owner_id}"
    page = client_for(users["organiser"]).get(url).content.decode()
    assert "Summer Lanterns" in page
    assert f"{reverse('catalogue:create')}?organisation={title.owner_id}" in page


def test_a_seller_cannot_look_into_another_catalogue(users, title, other_org):
    url = reverse("catalogue:mine") + f"?organisation={title.owner_id}"
    page = client_for(users["other_exhibitor"]).get(url).content.decode()
    assert "Summer Lanterns" not in page


def test_mine_query_count_does_not_grow_with_titles(users, owner_org):
    client = client_for(users["owner_exhibitor"])
    for _ in range(3):
        TitleTextFactory(title=TitleFactory(owner=owner_org))
    client.get(reverse("catalogue:mine"))  # warm up (session, content types)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("catalogue:mine"))
    for _ in range(12):
        TitleTextFactory(title=TitleFactory(owner=owner_org))
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("catalogue:mine"))
    assert len(many.captured_queries) == len(few.captured_queries)


def test_claiming_an_organisation_at_sign_up_does_not_open_its_catalogue(title, owner_org):
    # Anyone may sign up as a seller naming an existing company; the organisers confirm.
    client = Client()
    response = client.post(
        reverse("accounts:signup"),
        {
            "email": "impostor@example.com",
            "password": "lantern-river-orchid-42",
            "display_name": "Not Kenji",
            "country": "JP",
            "time_zone": "Asia/Tokyo",
            "roles": ["seller"],
            "organisation": owner_org.pk,
            "attendance": "in_person",
        },
    )
    assert response.status_code == 302
    before = snapshot(title)
    mine = client.get(reverse("catalogue:mine"))
    assert mine.status_code == 403
    assert "once the organisers have confirmed that you" in mine.content.decode()
    assert client.get(reverse("catalogue:create")).status_code == 403
    assert client.get(reverse("catalogue:edit", args=[title.pk])).status_code == 403
    response = client.post(reverse("catalogue:delete", args=[title.pk]))
    assert response.status_code == 403
    response = client.post(
        reverse("catalogue:edit", args=[title.pk]), title_data(original_title="Defaced")
    )
    assert response.status_code == 403
    assert snapshot(title) == before


def test_mine_escapes_titles(users, owner_org):
    TitleFactory(owner=owner_org, original_title="<script>alert('x')</script>")
    page = client_for(users["owner_exhibitor"]).get(reverse("catalogue:mine")).content.decode()
    assert "<script>alert('x')</script>" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page


# --- create -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_create_get_per_role(users, role):
    response = client_for(users[role]).get(reverse("catalogue:create"))
    expected = {"anonymous": 302, "participant": 403}.get(role, 200)
    assert response.status_code == expected
    if role == "organiser":
        assert 'name="owner"' in response.content.decode()
    elif expected == 200:
        assert 'name="owner"' not in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_create_post_per_role(users, role, owner_org, other_org):
    data = title_data()
    if role == "organiser":
        data["owner"] = str(owner_org.pk)
    response = client_for(users[role]).post(reverse("catalogue:create"), data)
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)
        assert Title.objects.count() == 0
        return
    if role == "participant":
        assert response.status_code == 403
        assert Title.objects.count() == 0
        return
    title = Title.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("catalogue:detail", args=[title.pk])
    expected_owner = other_org if role == "other_exhibitor" else owner_org
    assert title.owner == expected_owner


def test_create_stores_exactly_what_was_entered(users, owner_org):
    client = client_for(users["owner_exhibitor"])
    response = client.post(reverse("catalogue:create"), title_data())
    assert response.status_code == 302
    title = Title.objects.get()
    assert (title.owner, title.reference, title.kind, title.original_title) == (
        owner_org,
        "TS-002",
        "feature",
        "冬の鐘",
    )
    assert (title.original_language, title.year, title.runtime_minutes, title.episodes) == (
        "ja",
        2025,
        98,
        None,
    )
    assert (title.budget_amount, title.budget_currency, title.financing_secured) == (
        Decimal("1200000.00"),
        "USD",
        Decimal("420000.00"),
    )
    assert title.financing_gap == Decimal("780000.00")
    assert title.trailer_url == "https://video.example.com/trailer"
    assert title.screener_url == "https://video.example.com/screener"
    assert (title.new_this_market, title.is_published) == (True, True)
    assert sorted(g.genre for g in title.genres.all()) == ["drama", "family"]
    assert sorted(c.country for c in title.countries.all()) == ["JP", "KR"]
    assert sorted(lang.language for lang in title.languages.all()) == ["ja", "ko"]
    assert list(title.texts.values_list("language", "name", "logline")) == [
        ("en", "Winter Bells", "Two sisters and a temple bell."),
        ("zh-Hant", "冬之鐘", ""),
    ]
    assert list(title.credits.values_list("role", "name", "position")) == [
        ("director", "Aoi Tanaka", 0),
        ("cast", "Ren Sato", 1),
    ]
    assert list(title.recognitions.values_list("festival", "year", "kind", "award")) == [
        ("Busan International Film Festival", 2024, "selection", "New Currents")
    ]
    assert title.rights.count() == 0
    assert not title.poster


def test_create_unpublished(users):
    data = title_data()
    del data["is_published"]
    client_for(users["owner_exhibitor"]).post(reverse("catalogue:create"), data)
    assert Title.objects.get().is_published is False


def test_create_refuses_an_existing_reference_instead_of_updating(users, title):
    before = snapshot(title)
    response = client_for(users["owner_exhibitor"]).post(
        reverse("catalogue:create"), title_data(reference="TS-001")
    )
    assert response.status_code == 200
    assert "Your catalogue has a title with this reference already" in response.content.decode()
    assert Title.objects.count() == 1
    assert snapshot(title) == before


def test_the_same_reference_may_exist_in_another_catalogue(users, title, other_org):
    response = client_for(users["other_exhibitor"]).post(
        reverse("catalogue:create"), title_data(reference="TS-001")
    )
    assert response.status_code == 302
    assert Title.objects.filter(reference="TS-001").count() == 2


def test_organiser_must_choose_the_owner(users):
    response = client_for(users["organiser"]).post(reverse("catalogue:create"), title_data())
    assert response.status_code == 200
    assert "Choose the organisation that owns the title." in response.content.decode()
    assert Title.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"reference": ""}, "reference", "This field is required."),
        ({"original_title": "  "}, "original_title", "This field is required."),
        ({"original_language": "Japanese"}, "original_language", "is not a language tag"),
        ({"year": "1700"}, "year", "Enter a value of at least 1888."),
        ({"runtime_minutes": "0"}, "runtime_minutes", "Enter a value of at least 1."),
        ({"budget_amount": "1.234"}, "budget_amount", "Use at most 2 decimal places."),
        (
            {"financing_secured": "2000000"},
            "financing_secured",
            "The financing secured cannot be larger than the budget.",
        ),
        (
            {"budget_amount": ""},
            "budget_amount",
            "Give the budget when you give the financing secured.",
        ),
        ({"languages": "ja, Korean"}, "languages", "is not a language tag"),
        ({"trailer_url": "ftp://x"}, "trailer_url", "Enter a valid URL."),
        ({"kind": "opera"}, "kind", "Select a valid choice."),
    ],
)
def test_bad_title_fields_are_form_errors_and_nothing_is_saved(users, overrides, field, message):
    response = client_for(users["owner_exhibitor"]).post(
        reverse("catalogue:create"), title_data(**overrides)
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert any(message in error for error in form.errors[field]), form.errors
    assert Title.objects.count() == 0


def test_bad_rows_are_errors_on_their_row(users):
    data = title_data(
        **{
            "texts-1-language": "en",  # a second English text
            "texts-2-language": "xx-yy-zz",
            "texts-2-name": "Bad",
            "credits-2-role": "",
            "credits-2-name": "No role",
            "recognitions-0-year": "1700",
        }
    )
    response = client_for(users["owner_exhibitor"]).post(reverse("catalogue:create"), data)
    assert response.status_code == 200
    texts = response.context["formsets"]["texts"].forms
    credits = response.context["formsets"]["credits"].forms
    recognitions = response.context["formsets"]["recognitions"].forms
    assert texts[1].errors == {"language": ["This language has a text already."]}
    assert "is not a language tag" in texts[2].errors["language"][0]
    assert credits[2].errors == {"role": ["This field is required."]}
    assert recognitions[0].errors == {"year": ["Enter a value of at least 1888."]}
    assert Title.objects.count() == 0


def test_two_texts_in_one_language(users):
    data = title_data(**{"texts-1-language": "en"})
    response = client_for(users["owner_exhibitor"]).post(reverse("catalogue:create"), data)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Two texts have the same language; keep one text per language."
    ]
    texts = response.context["formsets"]["texts"].forms
    assert texts[0].errors == {}
    assert texts[1].errors == {"language": ["This language has a text already."]}
    assert Title.objects.count() == 0


def test_create_needs_csrf(users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["owner_exhibitor"])
    assert client.post(reverse("catalogue:create"), title_data()).status_code == 403
    assert Title.objects.count() == 0


# --- posters --------------------------------------------------------------------------------


def test_poster_is_saved_under_a_name_of_our_choosing(users):
    data = title_data(poster=image_file("../../etc/evil name.png"))
    response = client_for(users["owner_exhibitor"]).post(reverse("catalogue:create"), data)
    assert response.status_code == 302
    title = Title.objects.get()
    assert title.poster.name.startswith(f"posters/title-{title.pk}-")
    assert title.poster.name.endswith(".png")
    with title.poster.open("rb") as f:
        assert Image.open(f).size == (40, 60)


def test_oversize_poster_is_refused_and_nothing_is_saved(users, settings):
    settings.MAX_IMAGE_UPLOAD_BYTES = 1024
    big_noise = io.BytesIO()
    Image.effect_noise((300, 300), 80).convert("RGB").save(big_noise, format="PNG")
    big = SimpleUploadedFile("poster.png", big_noise.getvalue(), content_type="image/png")
    assert big.size > 1024
    response = client_for(users["owner_exhibitor"]).post(
        reverse("catalogue:create"), title_data(poster=big)
    )
    assert response.status_code == 200
    [error] = response.context["form"].errors["poster"]
    assert error.startswith("The image is ") and "the limit is 0.0 MB" in error
    assert Title.objects.count() == 0


def test_fake_image_is_refused(users):
    fake = SimpleUploadedFile("poster.png", b"<?php echo 'hi'; ?>", content_type="image/png")
    response = client_for(users["owner_exhibitor"]).post(
        reverse("catalogue:create"), title_data(poster=fake)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["poster"] == [
        "Upload a valid image. The file you uploaded was either not an image or a corrupted image."
    ]
    assert Title.objects.count() == 0


def test_image_of_another_format_behind_a_png_name_is_refused(users):
    gif = image_file(name="poster.png", fmt="GIF")
    response = client_for(users["owner_exhibitor"]).post(
        reverse("catalogue:create"), title_data(poster=gif)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["poster"] == ["Upload a JPEG, PNG or WebP image."]
    assert Title.objects.count() == 0


def test_svg_poster_is_refused(users):
    svg = SimpleUploadedFile(
        "poster.svg", b'<svg xmlns="http://www.w3.org/2000/svg"></svg>', "image/svg+xml"
    )
    response = client_for(users["owner_exhibitor"]).post(
        reverse("catalogue:create"), title_data(poster=svg)
    )
    assert response.status_code == 200
    assert "poster" in response.context["form"].errors
    assert Title.objects.count() == 0


def test_poster_can_be_replaced_and_cleared(users, title, django_capture_on_commit_callbacks):
    client = client_for(users["owner_exhibitor"])
    url = reverse("catalogue:edit", args=[title.pk])
    data = title_data(reference="TS-001")
    client.post(url, {**data, "poster": image_file()})
    title.refresh_from_db()
    first = title.poster.name
    storage = title.poster.storage
    assert storage.exists(first)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {**data, "poster": image_file(name="second.jpg", fmt="JPEG")})
    title.refresh_from_db()
    second = title.poster.name
    assert second != first
    assert second.endswith(".jpg")
    assert not storage.exists(first)  # the replaced file is removed once committed
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {**data, "poster-clear": "on"})
    title.refresh_from_db()
    assert not title.poster
    assert not storage.exists(second)


# --- edit -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_edit_get_per_role(users, role, title):
    response = client_for(users[role]).get(reverse("catalogue:edit", args=[title.pk]))
    expected = {"anonymous": 302, "participant": 403, "other_exhibitor": 403}.get(role, 200)
    assert response.status_code == expected
    if expected == 200:
        assert 'value="Summer Lanterns"' in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_edit_post_per_role(users, role, title):
    TitleTextFactory(title=title, language="en", name="Summer Lanterns")
    before = snapshot(title)
    response = client_for(users[role]).post(
        reverse("catalogue:edit", args=[title.pk]),
        title_data(original_title="Changed", reference="TS-001"),
    )
    if role in EDITORS_OF_OWNER_TITLES:
        assert response.status_code == 302
        assert response["Location"] == reverse("catalogue:detail", args=[title.pk])
        after = snapshot(title)
        assert after["original_title"] == "Changed"
        assert after["texts"] == [("en", "Winter Bells"), ("zh-Hant", "冬之鐘")]
        assert title.owner.titles.count() == 1
    else:
        assert response.status_code == (302 if role == "anonymous" else 403)
        assert snapshot(title) == before


def test_edit_of_a_missing_title_is_404(users):
    assert client_for(users["owner_exhibitor"]).get("/catalogue/999999/edit/").status_code == 404


def test_edit_keeps_the_reference(users, title):
    client = client_for(users["owner_exhibitor"])
    response = client.post(
        reverse("catalogue:edit", args=[title.pk]), title_data(reference="HIJACK")
    )
    assert response.status_code == 302
    title.refresh_from_db()
    assert title.reference == "TS-001"
    assert Title.objects.count() == 1


def test_edit_form_is_prefilled_with_children(users, title):
    TitleTextFactory(title=title, language="en", name="Summer Lanterns", logline="A logline.")
    title.credits.create(role="director", name="Mika Ito", position=0)
    page = client_for(users["owner_exhibitor"]).get(reverse("catalogue:edit", args=[title.pk]))
    html = page.content.decode()
    assert 'name="texts-0-language"' in html and 'value="en"' in html
    assert 'value="Mika Ito"' in html
    assert 'name="reference" value="TS-001" required maxlength="64" disabled' in html


def test_invalid_edit_changes_nothing(users, title):
    TitleTextFactory(title=title, language="en", name="Summer Lanterns")
    before = snapshot(title)
    response = client_for(users["owner_exhibitor"]).post(
        reverse("catalogue:edit", args=[title.pk]),
        title_data(reference="TS-001", original_title="Changed", **{"texts-0-name": ""}),
    )
    assert response.status_code == 200
    assert response.context["formsets"]["texts"].forms[0].errors == {
        "name": ["This field is required."]
    }
    assert snapshot(title) == before


def test_removed_rows_are_deleted(users, title):
    client = client_for(users["owner_exhibitor"])
    url = reverse("catalogue:edit", args=[title.pk])
    client.post(url, title_data(reference="TS-001"))
    client.post(url, title_data(reference="TS-001", **{"credits-1-DELETE": "on"}))
    assert list(title.credits.values_list("name", flat=True)) == ["Aoi Tanaka"]


# --- avails editor --------------------------------------------------------------------------


def rights_data(*rows: dict, extra_blank: int = 1) -> dict:
    data = management("rights", len(rows) + extra_blank)
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"rights-{i}-{key}"] = value
    for i in range(len(rows), len(rows) + extra_blank):
        data[f"rights-{i}-exclusive"] = "on"
        data[f"rights-{i}-status"] = "available"
    return data


def window(**overrides) -> dict:
    row = {
        "media": "svod",
        "territories": ["JP", "KR"],
        "excluded": [],
        "starts_on": "2025-01-01",
        "ends_on": "2030-12-31",
        "exclusive": "on",
        "status": "available",
        "counterparty": "",
        "note": "",
    }
    row.update(overrides)
    return row


KENJI = (
    window(status="sold", counterparty="Nippon Stream"),
    window(territories=["ASIA"], excluded=["JP", "KR"], note="Open for offers"),
)


@pytest.mark.parametrize("role", ROLES)
def test_rights_get_per_role(users, role, title):
    response = client_for(users[role]).get(reverse("catalogue:rights", args=[title.pk]))
    expected = {"anonymous": 302, "participant": 403, "other_exhibitor": 403}.get(role, 200)
    assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_rights_post_per_role(users, role, title):
    RightsWindowFactory(title=title, territories=["WW"])
    response = client_for(users[role]).post(
        reverse("catalogue:rights", args=[title.pk]), rights_data(*KENJI)
    )
    rows = list(title.rights.values_list("territories", "excluded", "status", "counterparty"))
    if role in EDITORS_OF_OWNER_TITLES:
        assert response.status_code == 302
        assert response["Location"] == reverse("catalogue:detail", args=[title.pk])
        assert sorted(rows) == [
            (["ASIA"], ["JP", "KR"], "available", ""),
            (["JP", "KR"], [], "sold", "Nippon Stream"),
        ]
    else:
        assert response.status_code == (302 if role == "anonymous" else 403)
        assert rows == [(["WW"], [], "available", "")]


def test_kenjis_avails_answer_buyers_correctly(users, title):
    client_for(users["owner_exhibitor"]).post(
        reverse("catalogue:rights", args=[title.pk]), rights_data(*KENJI)
    )
    title = Title.objects.prefetch_related("rights").get(pk=title.pk)
    sold = RightsWindow.objects.get(title=title, status="sold")
    assert (sold.media, sold.starts_on, sold.ends_on, sold.exclusive) == (
        "svod",
        date(2025, 1, 1),
        date(2030, 12, 31),
        True,
    )

    def ask(territory: str):
        return title_availability(
            title=title,
            avails=AvailsFilter(
                media=Media.SVOD,
                territory=territory,
                start=date(2026, 1, 1),
                end=date(2026, 12, 31),
                exclusive=True,
            ),
        )

    assert ask("VN").available is True
    assert ask("TH").available is True
    japan = ask("JP")
    assert japan.available is False
    assert [r.message for r in japan.reasons] == [
        "Sold to Nippon Stream for SVOD in Japan from 2026-01-01 to 2026-12-31"
    ]


def test_rights_conflict_is_shown_on_the_offending_row_and_nothing_is_saved(users, title):
    RightsWindowFactory(title=title, territories=["WW"])
    response = client_for(users["owner_exhibitor"]).post(
        reverse("catalogue:rights", args=[title.pk]),
        rights_data(
            window(territories=["JP"], status="sold", counterparty="Nippon Stream"),
            window(territories=["KR"], status="available"),
            window(
                territories=["ASIA"],
                status="on_hold",
                counterparty="Asia Plus",
                starts_on="2029-01-01",
                ends_on="",
            ),
        ),
    )
    assert response.status_code == 200
    forms = response.context["formset"].forms
    errors = forms[0].non_field_errors()
    assert errors[0] == "This window conflicts with another one:"
    assert "On hold for Asia Plus for SVOD in Japan from 2029-01-01 to 2030-12-31" in errors[1]
    assert forms[1].non_field_errors() == []
    # the other side of the clash is marked too
    assert forms[2].non_field_errors() == [
        "This window conflicts with another one:",
        "Sold to Nippon Stream for SVOD in Japan from 2029-01-01 to 2030-12-31",
    ]
    page = response.content.decode()
    assert "has-conflict" in page
    assert "Nothing is saved" in page
    assert list(title.rights.values_list("territories", "status")) == [(["WW"], "available")]


@pytest.mark.parametrize(
    ("row", "field", "message"),
    [
        (window(status="sold"), "counterparty", "Say who the rights are sold to or held for."),
        (window(ends_on="2024-01-01"), "ends_on", "The end date is before the start date."),
        (
            window(territories=["JP"], excluded=["ASIA"]),
            "excluded",
            "The exclusions leave no territory.",
        ),
        (window(territories=[]), "territories", "This field is required."),
        (window(starts_on=""), "starts_on", "This field is required."),
        (window(media=""), "media", "This field is required."),
        (window(media="cinema"), "media", "Select a valid choice."),
        (window(territories=["XX"]), "territories", "Select a valid choice."),
    ],
)
def test_bad_window_is_an_error_on_its_field(users, title, row, field, message):
    RightsWindowFactory(title=title, territories=["WW"])
    response = client_for(users["owner_exhibitor"]).post(
        reverse("catalogue:rights", args=[title.pk]), rights_data(window(), row)
    )
    assert response.status_code == 200
    forms = response.context["formset"].forms
    assert forms[0].errors == {}
    assert any(message in e for e in forms[1].errors[field]), forms[1].errors
    assert list(title.rights.values_list("territories", flat=True)) == [["WW"]]


def test_rights_editor_is_prefilled_and_a_removed_row_goes(users, title):
    RightsWindowFactory(title=title, territories=["JP", "KR"], status="sold", counterparty="A")
    RightsWindowFactory(title=title, territories=["ASIA"], excluded=["JP", "KR"])
    client = client_for(users["owner_exhibitor"])
    page = client.get(reverse("catalogue:rights", args=[title.pk])).content.decode()
    assert '<option value="KR" selected>' in page
    assert 'value="A"' in page
    rows = [window(territories=["JP", "KR"], status="sold", counterparty="A", DELETE="on")]
    rows.append(window(territories=["ASIA"], excluded=["JP", "KR"]))
    response = client.post(reverse("catalogue:rights", args=[title.pk]), rights_data(*rows))
    assert response.status_code == 302
    assert list(title.rights.values_list("territories", "status")) == [(["ASIA"], "available")]


def test_all_rows_removed_means_no_windows(users, title):
    RightsWindowFactory(title=title)
    response = client_for(users["owner_exhibitor"]).post(
        reverse("catalogue:rights", args=[title.pk]), rights_data(extra_blank=3)
    )
    assert response.status_code == 302
    assert title.rights.count() == 0


def test_rights_post_needs_csrf(users, title):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["owner_exhibitor"])
    response = client.post(reverse("catalogue:rights", args=[title.pk]), rights_data(*KENJI))
    assert response.status_code == 403
    assert title.rights.count() == 0


# --- delete ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_delete_get_is_a_confirmation_page(users, role, title):
    response = client_for(users[role]).get(reverse("catalogue:delete", args=[title.pk]))
    expected = {"anonymous": 302, "participant": 403, "other_exhibitor": 403}.get(role, 200)
    assert response.status_code == expected
    if expected == 200:
        assert "Yes, delete the title" in response.content.decode()
    assert Title.objects.filter(pk=title.pk).exists()


@pytest.mark.parametrize("role", ROLES)
def test_delete_post_per_role(users, role, title):
    RightsWindowFactory(title=title)
    response = client_for(users[role]).post(reverse("catalogue:delete", args=[title.pk]))
    if role in EDITORS_OF_OWNER_TITLES:
        assert response.status_code == 302
        expected = reverse("catalogue:mine")
        if role == "organiser":
            expected += f"?organisation={title.owner_id}"
        assert response["Location"] == expected
        assert not Title.objects.filter(pk=title.pk).exists()
        assert RightsWindow.objects.count() == 0
    else:
        assert response.status_code == (302 if role == "anonymous" else 403)
        assert Title.objects.filter(pk=title.pk).exists()
        assert RightsWindow.objects.count() == 1


# --- htmx helpers ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_add_row_per_role(users, role):
    url = reverse("catalogue:editor_row", args=["texts"]) + "?index=3"
    response = client_for(users[role]).get(url, headers={"HX-Request": "true"})
    expected = {"anonymous": 302, "participant": 403}.get(role, 200)
    assert response.status_code == expected


def test_add_row_returns_the_row_and_the_next_count(users):
    client = client_for(users["owner_exhibitor"])
    url = reverse("catalogue:editor_row", args=["rights"]) + "?index=4"
    page = client.get(url).content.decode()
    assert 'name="rights-4-media"' in page
    assert 'name="rights-4-territories"' in page
    assert 'name="rights-4-DELETE"' in page
    assert (
        '<input type="hidden" name="rights-TOTAL_FORMS" value="5" id="id_rights-TOTAL_FORMS" '
        'hx-swap-oob="true">' in page
    )
    assert 'id="add-rights" hx-swap-oob="true"' in page
    assert "?index=5" in page


@pytest.mark.parametrize("query", ["?index=abc", "?index=-1", "?index=99999", ""])
def test_add_row_refuses_bad_indexes(users, query):
    url = reverse("catalogue:editor_row", args=["credits"]) + query
    assert client_for(users["owner_exhibitor"]).get(url).status_code == 404


def test_add_row_of_an_unknown_kind_is_404(users):
    url = reverse("catalogue:editor_row", args=["owners"]) + "?index=1"
    assert client_for(users["owner_exhibitor"]).get(url).status_code == 404


def test_a_row_added_in_the_browser_is_saved(users, title):
    data = title_data(reference="TS-001")
    data["credits-TOTAL_FORMS"] = "4"
    data["credits-3-role"] = "writer"
    data["credits-3-name"] = "Yuki Mori"
    client_for(users["owner_exhibitor"]).post(reverse("catalogue:edit", args=[title.pk]), data)
    assert list(title.credits.values_list("name", flat=True)) == [
        "Aoi Tanaka",
        "Ren Sato",
        "Yuki Mori",
    ]


def test_gap_is_derived(users):
    client = client_for(users["owner_exhibitor"])
    url = reverse("catalogue:editor_gap")
    page = client.get(
        url, {"budget_amount": "1200000", "financing_secured": "420000", "budget_currency": "USD"}
    ).content.decode()
    assert "Gap still to finance: $780,000.00" in page
    page = client.get(url, {"budget_amount": "", "financing_secured": "1"}).content.decode()
    assert "Give the budget to see the gap." in page
    page = client.get(url, {"budget_amount": "NaN", "budget_currency": "<b>"}).content.decode()
    assert "Give the budget to see the gap." in page
    assert client_for(users["participant"]).get(url).status_code == 403

"""The public catalogue: the filterable list and the title page, through the test client."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reelmarket.catalogue.avails.territories import GROUPS
from reelmarket.catalogue.enums import Genre, TitleKind, WindowStatus
from reelmarket.catalogue.forms_browse import GROUP_NAMES_FOR_TRANSLATION
from reelmarket.catalogue.models import (
    Credit,
    Recognition,
    TitleCountry,
    TitleGenre,
    TitleLanguage,
)
from reelmarket.market.enums import Role, Vetting
from tests.factories import (
    RegistrationFactory,
    RightsWindowFactory,
    TitleFactory,
    TitleTextFactory,
    make_user_with_roles,
)

LIST_URL = "/catalogue/"
FAR_PAST = date(2020, 1, 1)


def card_names(response) -> list[str]:
    """The names on the title cards, in page order."""
    html = response.content.decode()
    return re.findall(r'class="stretched" href="/catalogue/\d+/[^"]*"[^>]*>([^<]*)</a>', html)


def svod(title, territories, *, status=WindowStatus.AVAILABLE, counterparty="", **kwargs):
    return RightsWindowFactory(
        title=title,
        media="svod",
        territories=territories,
        starts_on=kwargs.pop("starts_on", FAR_PAST),
        ends_on=kwargs.pop("ends_on", None),
        status=status,
        counterparty=counterparty,
        **kwargs,
    )


@pytest.fixture
def avails_titles(owner_org):
    """Three titles and their SVOD rights around Vietnam."""
    open_asean = TitleFactory(owner=owner_org, original_title="Open in ASEAN")
    svod(open_asean, ["ASEAN"])
    sold_vn = TitleFactory(owner=owner_org, original_title="Sold in Vietnam")
    svod(sold_vn, ["ASEAN"])
    svod(sold_vn, ["VN"], status=WindowStatus.SOLD, counterparty="StreamCo Vietnam")
    only_vn = TitleFactory(owner=owner_org, original_title="Only Vietnam")
    svod(only_vn, ["VN"])
    return open_asean, sold_vn, only_vn


# --------------------------------------------------------------------------------------
# The list


@pytest.mark.django_db
def test_list_shows_published_titles_with_count(client, edition, owner_org):
    TitleFactory(owner=owner_org, original_title="Beta Road")
    TitleFactory(owner=owner_org, original_title="Alpha Sea", new_this_market=True)
    TitleFactory(owner=owner_org, original_title="Hidden Draft", is_published=False)

    response = client.get(LIST_URL)

    assert response.status_code == 200
    # New titles first, then by original title.
    assert card_names(response) == ["Alpha Sea", "Beta Road"]
    assert "2 titles" in response.content.decode()
    assert "Hidden Draft" not in response.content.decode()


@pytest.mark.django_db
def test_card_shows_the_title_in_the_viewers_language(client, edition, owner_org):
    title = TitleFactory(owner=owner_org, original_title="Natsu no Chochin", year=2024)
    TitleTextFactory(title=title, language="en", name="Summer Lanterns")
    TitleTextFactory(title=title, language="zh-Hant", name="夏日燈籠")
    TitleGenre.objects.create(title=title, genre=Genre.FAMILY)
    TitleCountry.objects.create(title=title, country="JP")

    english = client.get(LIST_URL)
    html = english.content.decode()
    assert card_names(english) == ["Summer Lanterns"]
    assert "Natsu no Chochin" in html  # original title under it
    assert "Feature film · 2024 · Japan" in html
    assert "<li>Family</li>" in html
    assert "Tokyo Sales Co" in html

    client.cookies["django_language"] = "zh-hant"
    chinese = client.get(LIST_URL)
    assert chinese.status_code == 200
    assert card_names(chinese) == ["夏日燈籠"]


@pytest.mark.django_db
def test_filter_by_kind_and_genre(client, edition, owner_org):
    series = TitleFactory(owner=owner_org, original_title="Long Drama", kind=TitleKind.SERIES)
    TitleFactory(owner=owner_org, original_title="Short Film", kind=TitleKind.SHORT)
    anim = TitleFactory(owner=owner_org, original_title="Moon Rabbit", kind=TitleKind.FEATURE)
    TitleGenre.objects.create(title=anim, genre=Genre.ANIMATION)
    TitleGenre.objects.create(title=series, genre=Genre.DRAMA)

    assert card_names(client.get(LIST_URL, {"kind": "series"})) == ["Long Drama"]
    assert card_names(client.get(LIST_URL, {"kind": ["series", "short"]})) == [
        "Long Drama",
        "Short Film",
    ]
    assert card_names(client.get(LIST_URL, {"genre": "animation"})) == ["Moon Rabbit"]
    assert card_names(client.get(LIST_URL, {"genre": "animation", "kind": "series"})) == []


@pytest.mark.django_db
def test_filter_by_origin_language_stage_owner_new_and_text(client, edition, owner_org, other_org):
    ja = TitleFactory(owner=owner_org, original_title="Tokyo Nights", original_language="ja")
    TitleCountry.objects.create(title=ja, country="JP")
    ko = TitleFactory(
        owner=other_org, original_title="Seoul Rain", original_language="ko", stage="financing"
    )
    TitleCountry.objects.create(title=ko, country="KR")
    extra = TitleFactory(
        owner=other_org, original_title="Bilingual", original_language="en", new_this_market=True
    )
    TitleLanguage.objects.create(title=extra, language="ko")

    assert card_names(client.get(LIST_URL, {"country": "KR"})) == ["Seoul Rain"]
    assert card_names(client.get(LIST_URL, {"language": "ko"})) == ["Bilingual", "Seoul Rain"]
    assert card_names(client.get(LIST_URL, {"stage": "financing"})) == ["Seoul Rain"]
    assert card_names(client.get(LIST_URL, {"owner": "tokyo-sales"})) == ["Tokyo Nights"]
    assert card_names(client.get(LIST_URL, {"new": "on"})) == ["Bilingual"]
    assert card_names(client.get(LIST_URL, {"q": "seoul"})) == ["Bilingual", "Seoul Rain"]


@pytest.mark.django_db
def test_avails_filter_for_a_country(client, edition, avails_titles):
    response = client.get(LIST_URL, {"media": "svod", "territory": "VN"})

    assert response.status_code == 200
    assert card_names(response) == ["Only Vietnam", "Open in ASEAN"]
    # The avails question travels to the title pages.
    assert "?media=svod&amp;territory=VN" in response.content.decode()


@pytest.mark.django_db
def test_avails_filter_for_a_group(client, edition, avails_titles):
    response = client.get(
        LIST_URL,
        {"media": "svod", "territory": "ASEAN", "start": "2026-01-01", "end": "2027-12-31"},
    )

    assert card_names(response) == ["Open in ASEAN"]
    html = response.content.decode()
    assert "SVOD in ASEAN, Jan 1, 2026 – Dec 31, 2027" in html  # the active-filter chip


@pytest.mark.django_db
def test_avails_filter_respects_the_term_and_exclusivity(client, edition, owner_org):
    ends = TitleFactory(owner=owner_org, original_title="Ends Soon")
    svod(ends, ["VN"], ends_on=date(2026, 6, 30))
    non_exclusive = TitleFactory(owner=owner_org, original_title="Non Exclusive")
    svod(non_exclusive, ["VN"], exclusive=False)
    query = {"media": "svod", "territory": "VN", "start": "2026-01-01", "end": "2026-12-31"}

    assert card_names(client.get(LIST_URL, query)) == ["Non Exclusive"]
    assert card_names(client.get(LIST_URL, {**query, "exclusive": "on"})) == []
    assert card_names(client.get(LIST_URL, {**query, "end": "2026-03-31"})) == [
        "Ends Soon",
        "Non Exclusive",
    ]


@pytest.mark.django_db
def test_invalid_filters_show_errors_and_are_left_out(client, edition, owner_org):
    TitleFactory(owner=owner_org, original_title="Alpha", kind=TitleKind.SERIES)
    TitleFactory(owner=owner_org, original_title="Beta")

    response = client.get(
        LIST_URL,
        {
            "kind": ["series", "bogus"],
            "territory": "ATLANTIS",
            "media": "svod",
            "start": "not-a-date",
            "page": "abc",
            "owner": "nobody",
        },
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Some filters could not be used and were left out" in html
    assert "Select a valid choice. bogus is not one of the available choices." in html
    assert "Select a valid choice. ATLANTIS is not one of the available choices." in html
    assert "Enter a valid date." in html
    assert card_names(response) == ["Alpha", "Beta"]


@pytest.mark.django_db
def test_avails_filter_needs_media_and_territory_and_ordered_dates(client, edition, owner_org):
    TitleFactory(owner=owner_org, original_title="Alpha")

    only_media = client.get(LIST_URL, {"media": "svod"})
    assert only_media.status_code == 200
    assert "Choose a territory to search by availability." in only_media.content.decode()
    assert card_names(only_media) == ["Alpha"]

    only_dates = client.get(LIST_URL, {"start": "2026-01-01"})
    assert "Choose media rights and a territory to search by availability." in (
        only_dates.content.decode()
    )

    backwards = client.get(
        LIST_URL,
        {"media": "svod", "territory": "VN", "start": "2027-01-01", "end": "2026-01-01"},
    )
    assert backwards.status_code == 200
    assert "“To” is before “From”." in backwards.content.decode()
    assert card_names(backwards) == ["Alpha"]

    silly_year = client.get(LIST_URL, {"media": "svod", "territory": "VN", "end": "9999-12-31"})
    assert "Enter a date between the years 1900 and 2199." in silly_year.content.decode()


@pytest.mark.django_db
def test_pagination_keeps_the_filters(client, edition, owner_org):
    for i in range(30):
        TitleFactory(owner=owner_org, original_title=f"Series {i:02d}", kind=TitleKind.SERIES)
    TitleFactory(owner=owner_org, original_title="A Feature")

    first = client.get(LIST_URL, {"kind": "series"})
    assert len(card_names(first)) == 24
    assert "30 titles" in first.content.decode()
    assert 'href="?kind=series&amp;page=2"' in first.content.decode()

    second = client.get(LIST_URL, {"kind": "series", "page": "2"})
    assert card_names(second) == [f"Series {i:02d}" for i in range(24, 30)]

    beyond = client.get(LIST_URL, {"kind": "series", "page": "99"})
    assert beyond.status_code == 200
    assert card_names(beyond) == card_names(second)


@pytest.mark.django_db
def test_htmx_request_gets_only_the_results_fragment(client, edition, owner_org):
    TitleFactory(owner=owner_org, original_title="Alpha", kind=TitleKind.SERIES)

    response = client.get(LIST_URL, {"kind": "series"}, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'id="title-filters"' not in html
    assert card_names(response) == ["Alpha"]
    assert "1 title" in html
    assert "HX-Request" in response["Vary"]

    # Back after an htmx history-cache miss asks for the page again: it gets all of it.
    restore = client.get(
        LIST_URL, {"kind": "series"}, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )
    assert "<html" in restore.content.decode()

    full = client.get(LIST_URL, {"kind": "series"})
    assert "<html" in full.content.decode()
    assert 'hx-get="/catalogue/"' in full.content.decode()
    assert 'hx-target="#results"' in full.content.decode()


@pytest.mark.django_db
def test_list_query_count_does_not_grow_with_titles(client, edition, owner_org, other_org):
    def make(n: int, owner) -> None:
        for _ in range(n):
            title = TitleFactory(owner=owner)
            TitleTextFactory(title=title, language="en")
            TitleTextFactory(title=title, language="zh-Hant", name="中文")
            TitleGenre.objects.create(title=title, genre=Genre.DRAMA)
            TitleCountry.objects.create(title=title, country="JP")
            svod(title, ["ASIA"])

    make(2, owner_org)
    make(28, other_org)
    for params in ({}, {"media": "svod", "territory": "VN", "genre": "drama"}):
        with CaptureQueriesContext(connection) as small:
            assert len(card_names(client.get(LIST_URL, {**params, "owner": "tokyo-sales"}))) == 2
        with CaptureQueriesContext(connection) as large:
            assert len(card_names(client.get(LIST_URL, params))) == 24
        assert len(large) == len(small)


@pytest.mark.django_db
def test_list_query_count_guard(client, edition, owner_org, django_assert_max_num_queries):
    for i in range(30):
        title = TitleFactory(owner=owner_org, new_this_market=i % 2 == 0)
        TitleTextFactory(title=title, language="en")
        TitleGenre.objects.create(title=title, genre=Genre.DRAMA)
        TitleCountry.objects.create(title=title, country="JP")
        svod(title, ["ASIA"])

    with django_assert_max_num_queries(9):
        response = client.get(LIST_URL, {"media": "svod", "territory": "VN", "genre": "drama"})
    assert len(card_names(response)) == 24


@pytest.mark.django_db
def test_user_content_is_escaped(client, edition, owner_org):
    title = TitleFactory(owner=owner_org, original_title="<script>alert(1)</script>")
    TitleTextFactory(title=title, language="en", name="<b>bold</b>", logline="<img src=x>")

    for url in (LIST_URL, reverse("catalogue:detail", args=[title.pk])):
        html = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in html
        assert "<b>bold</b>" not in html
        assert "&lt;b&gt;bold&lt;/b&gt;" in html
    detail = client.get(reverse("catalogue:detail", args=[title.pk])).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in detail
    assert "<img src=x>" not in detail


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("headers", "lang"),
    [
        ({"HTTP_ACCEPT_LANGUAGE": "zh-Hant-TW,zh;q=0.8"}, "zh-hant"),
        ({"HTTP_ACCEPT_LANGUAGE": "zh-CN"}, "zh-hans"),
        ({}, "en"),
    ],
)
def test_list_renders_in_each_language(client, edition, avails_titles, headers, lang):
    response = client.get(LIST_URL, {"media": "svod", "territory": "ASEAN"}, **headers)

    assert response.status_code == 200
    assert f'<html lang="{lang}">' in response.content.decode()


def test_group_names_are_marked_for_translation():
    assert set(GROUP_NAMES_FOR_TRANSLATION) == {g.name for g in GROUPS.values()}


# --------------------------------------------------------------------------------------
# The title page


@pytest.fixture
def full_title(owner_org):
    title = TitleFactory(
        owner=owner_org,
        original_title="Natsu no Chochin",
        kind=TitleKind.ANIMATION_FEATURE,
        year=2025,
        runtime_minutes=92,
        budget_amount=Decimal("1200000"),
        budget_currency="USD",
        financing_secured=Decimal("420000"),
        trailer_url="https://video.example.com/trailer",
        screener_url="https://screeners.example.com/secret-link",
        new_this_market=True,
    )
    TitleTextFactory(
        title=title,
        language="en",
        name="Summer Lanterns",
        logline="Two sisters light the way home.",
        synopsis="A long summer by the sea.",
    )
    TitleTextFactory(title=title, language="zh-Hant", name="夏日燈籠", logline="兩姊妹。")
    TitleGenre.objects.create(title=title, genre=Genre.FAMILY)
    TitleCountry.objects.create(title=title, country="JP")
    Credit.objects.create(title=title, role="director", name="Aoi Tanaka", position=0)
    Credit.objects.create(title=title, role="cast", name="Ren Sato", position=1)
    Credit.objects.create(title=title, role="cast", name="Mei Ito", position=2)
    Recognition.objects.create(
        title=title, festival="Annecy", year=2025, kind="award", award="Jury Prize"
    )
    RightsWindowFactory(
        title=title,
        media="svod",
        territories=["WW"],
        excluded=["CN"],
        starts_on=date(2025, 1, 1),
        ends_on=None,
        exclusive=True,
    )
    RightsWindowFactory(
        title=title,
        media="svod",
        territories=["VN"],
        starts_on=date(2025, 6, 1),
        ends_on=date(2027, 5, 31),
        status=WindowStatus.SOLD,
        counterparty="StreamCo Vietnam",
        note="Signed at FILMART",
    )
    RightsWindowFactory(
        title=title,
        media="free_tv",
        territories=["JP"],
        starts_on=date(2025, 1, 1),
        ends_on=date(2030, 12, 31),
        exclusive=False,
    )
    return title


def detail_url(title) -> str:
    return reverse("catalogue:detail", args=[title.pk])


@pytest.mark.django_db
def test_title_page_for_anonymous(client, edition, full_title):
    response = client.get(detail_url(full_title))

    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 lang="en">Summer Lanterns</h1>' in html
    assert "Natsu no Chochin" in html
    assert "Two sisters light the way home." in html
    assert "A long summer by the sea." in html
    # Every language the title has, named.
    assert "Chinese (Traditional) — " in html
    assert "English — " not in html  # the text shown above is not repeated
    assert "夏日燈籠" in html
    assert "Animated feature" in html
    assert "92 min" in html
    assert "Japanese" in html
    assert "<dt>Director</dt><dd>Aoi Tanaka</dd>" in html
    assert "<dt>Cast</dt><dd>Ren Sato, Mei Ito</dd>" in html
    assert "Annecy 2025 — Jury Prize" in html
    assert "$1,200,000.00" in html
    assert "$420,000.00" in html
    assert "$780,000.00" in html  # the financing gap
    assert 'href="https://video.example.com/trailer"' in html
    # Avails table: media groups, territories in words, terms, exclusivity, status.
    assert '<th scope="rowgroup" colspan="4">SVOD</th>' in html
    assert '<th scope="rowgroup" colspan="4">Free TV</th>' in html
    assert html.index(">Free TV</th>") < html.index(">SVOD</th>")  # vocabulary order
    assert "Worldwide excluding China" in html
    assert "from Jan 1, 2025, open-ended" in html
    assert "Jun 1, 2025 – May 31, 2027" in html
    assert "Non-exclusive" in html
    assert '<span class="badge status-sold">Sold</span>' in html
    assert '<span class="badge status-available">Available</span>' in html
    # Confidential for outsiders.
    assert "StreamCo Vietnam" not in html
    assert "Signed at FILMART" not in html
    assert "secret-link" not in html
    assert "A screener is available to vetted buyers." in html
    assert "/edit/" not in html


@pytest.mark.django_db
def test_title_page_in_chinese(client, edition, full_title):
    client.cookies["django_language"] = "zh-hant"
    response = client.get(detail_url(full_title))

    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 lang="zh-Hant">夏日燈籠</h1>' in html
    assert "英文 — " in html  # English, named in Chinese
    assert "2025年1月1日" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("anonymous", False),
        ("participant", False),
        ("other_exhibitor", False),
        ("owner_exhibitor", True),
        ("organiser", True),
    ],
)
def test_counterparty_only_for_owner_staff_and_organisers(
    client, edition, full_title, users, who, sees
):
    if users[who] is not None:
        client.force_login(users[who])

    html = client.get(detail_url(full_title)).content.decode()

    assert ("StreamCo Vietnam" in html) is sees
    assert ("Signed at FILMART" in html) is sees
    assert ("Sold to / held for" in html) is sees


@pytest.mark.django_db
def test_screener_link_for_vetted_buyers_and_owner_staff(client, edition, full_title, users):
    vetted = make_user_with_roles(Role.BUYER)
    RegistrationFactory(edition=edition, participant=vetted.participant)
    pending = make_user_with_roles(Role.BUYER)
    RegistrationFactory(edition=edition, participant=pending.participant, vetting=Vetting.PENDING)
    seller_colleague = make_user_with_roles(Role.SELLER, organisation=full_title.owner)
    cases = [
        (None, False),
        (users["participant"], False),  # a buyer, not registered
        (pending, False),
        (users["other_exhibitor"], False),
        (vetted, True),
        (seller_colleague, True),
        (users["organiser"], True),
    ]
    for user, sees in cases:
        client.logout()
        if user is not None:
            client.force_login(user)
        html = client.get(detail_url(full_title)).content.decode()
        assert ('href="https://screeners.example.com/secret-link"' in html) is sees, user


@pytest.mark.django_db
def test_unpublished_title_is_404_except_for_owner_staff_and_organisers(
    client, edition, owner_org, users
):
    title = TitleFactory(owner=owner_org, original_title="Draft", is_published=False)
    url = detail_url(title)

    assert client.get(url).status_code == 404
    for who, status in [
        ("participant", 404),
        ("other_exhibitor", 404),
        ("owner_exhibitor", 200),
        ("organiser", 200),
    ]:
        client.force_login(users[who])
        response = client.get(url)
        assert response.status_code == status, who
        if status == 200:
            assert "This title is not published" in response.content.decode()
    assert client.get("/catalogue/999999/").status_code == 404


@pytest.mark.django_db
def test_edit_link_for_those_who_may_edit(client, edition, full_title, users):
    client.force_login(users["owner_exhibitor"])
    html = client.get(detail_url(full_title)).content.decode()
    assert f'href="/catalogue/{full_title.pk}/edit/"' in html

    client.force_login(users["other_exhibitor"])
    html = client.get(detail_url(full_title)).content.decode()
    assert "/edit/" not in html


@pytest.mark.django_db
def test_availability_check_full_page(client, edition, full_title):
    url = detail_url(full_title)

    available = client.get(
        url, {"media": "svod", "territory": "TH", "start": "2026-01-01", "end": "2026-12-31"}
    )
    html = available.content.decode()
    assert available.status_code == 200
    assert "<html" in html
    assert "SVOD in Thailand, Jan 1, 2026 – Dec 31, 2026" in html
    assert '<span class="badge status-available">Available</span></p>' in html

    sold = client.get(
        url, {"media": "svod", "territory": "ASEAN", "start": "2026-01-01", "end": "2026-12-31"}
    )
    html = sold.content.decode()
    assert "Not available" in html
    assert "<li>Sold for SVOD in Vietnam from Jan 1, 2026 to Dec 31, 2026.</li>" in html
    assert "StreamCo" not in html

    china = client.get(url, {"media": "svod", "territory": "CN", "start": "2026-01-01"})
    assert "<li>No SVOD rights held in China.</li>" in china.content.decode()

    early = client.get(
        url, {"media": "free_tv", "territory": "JP", "start": "2029-01-01", "end": "2032-12-31"}
    )
    assert "<li>Free TV rights in Japan end on Dec 31, 2030.</li>" in early.content.decode()

    exclusive = client.get(
        url,
        {"media": "free_tv", "territory": "JP", "start": "2026-01-01", "exclusive": "on"},
    )
    assert (
        "<li>Only non-exclusive Free TV rights held in Japan on Jan 1, 2026.</li>"
        in exclusive.content.decode()
    )


@pytest.mark.django_db
def test_availability_check_names_the_buyer_for_the_owner(client, edition, full_title, users):
    client.force_login(users["owner_exhibitor"])

    response = client.get(
        detail_url(full_title),
        {"media": "svod", "territory": "VN", "start": "2026-01-01", "end": "2026-12-31"},
    )

    assert (
        "<li>Sold to StreamCo Vietnam for SVOD in Vietnam from Jan 1, 2026 to Dec 31, 2026.</li>"
        in response.content.decode()
    )


@pytest.mark.django_db
def test_availability_check_htmx_partial(client, edition, full_title):
    response = client.get(
        detail_url(full_title),
        {"media": "svod", "territory": "TH", "start": "2026-01-01"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="avails-check",
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="avails-check"')
    assert "<html" not in html
    assert "Synopsis" not in html
    assert '<span class="badge status-available">Available</span>' in html


@pytest.mark.django_db
def test_availability_check_with_bad_input_shows_errors(client, edition, full_title):
    response = client.get(
        detail_url(full_title), {"media": "svod", "territory": "NOWHERE", "start": "soon"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Select a valid choice. NOWHERE is not one of the available choices." in html
    assert "Enter a valid date." in html
    assert "Please correct the fields above." in html
    assert "Not available" not in html

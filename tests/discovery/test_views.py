"""The search page, the header box's suggestions and "More like this", through the test client."""

from __future__ import annotations

import re

import pytest

from reelmarket.catalogue.inputs import TitleInput
from reelmarket.catalogue.models import Title
from reelmarket.catalogue.services import title_save
from reelmarket.discovery.selectors import SearchQuery, search
from reelmarket.discovery.services import reindex_all

pytestmark = pytest.mark.django_db

SEARCH_URL = "/search/"
SUGGEST_URL = "/search/suggest/"
ROLES = ("anonymous", "participant", "other_exhibitor", "owner_exhibitor", "organiser")

TITLES = [
    {
        "reference": "VN-1",
        "kind": "animation_feature",
        "original_title": "Chuyến phiêu lưu của Mèo Mun",
        "original_language": "vi",
        "year": 2025,
        "genres": ["family", "adventure"],
        "countries": ["VN"],
        "texts": [
            {
                "language": "vi",
                "name": "Chuyến phiêu lưu của Mèo Mun",
                "logline": "Phim hoạt hình gia đình về chú mèo đen đi tìm mẹ.",
                "synopsis": "Một chú mèo nhỏ rời làng chài, vượt sông Mê Kông để tìm mẹ.",
            }
        ],
        "rights": [{"media": "svod", "territories": ["WW"], "starts_on": "2025-01-01"}],
    },
    {
        "reference": "TW-1",
        "kind": "feature",
        "original_title": "青春戀曲",
        "original_language": "zh-Hant",
        "year": 2024,
        "genres": ["romance", "comedy"],
        "countries": ["TW"],
        "texts": [
            {
                "language": "zh-Hant",
                "name": "青春戀曲",
                "logline": "校園愛情喜劇：兩個死對頭被迫合作拍畢業電影。",
                "synopsis": "台北一所高中裡，兩個學生被分到同一組拍攝畢業電影。",
            }
        ],
        "rights": [
            {"media": "svod", "territories": ["ASIA"], "starts_on": "2025-01-01"},
            {
                "media": "svod",
                "territories": ["VN"],
                "starts_on": "2025-01-01",
                "status": "sold",
                "counterparty": "Saigon Stream",
            },
        ],
    },
    {
        "reference": "FR-1",
        "kind": "feature",
        "original_title": "La Nuit de Busan",
        "original_language": "fr",
        "year": 2023,
        "genres": ["crime", "thriller"],
        "countries": ["KR", "FR"],
        "new_this_market": True,
        "texts": [
            {
                "language": "fr",
                "name": "La Nuit de Busan",
                "logline": "Un polar coréen haletant dans les docks de Busan.",
                "synopsis": "Une inspectrice de Séoul traque un réseau de contrebande.",
            }
        ],
    },
    {
        "reference": "XSS-1",
        "kind": "documentary",
        "original_title": '<script>alert("x")</script> Lantern Keepers',
        "original_language": "en",
        "year": 2022,
        "genres": ["documentary"],
        "countries": ["GB"],
        "texts": [
            {
                "language": "en",
                "name": '<script>alert("x")</script> Lantern Keepers',
                "logline": "The last <b>lantern</b> makers of Hoi An.",
                "synopsis": "A documentary about a family craft.",
            }
        ],
    },
]


def _save(actor, org, data) -> Title:
    return title_save(actor=actor, owner=org, data=TitleInput.model_validate(data))[0]


@pytest.fixture
def catalogue(users, owner_org):
    """Four published titles and an unpublished one, keyword-indexed (no vectors)."""
    actor = users["organiser"]
    titles = {data["reference"]: _save(actor, owner_org, data) for data in TITLES}
    hidden = dict(TITLES[0], reference="VN-HIDDEN", original_title="Mèo Mun bí mật")
    hidden["texts"] = [dict(TITLES[0]["texts"][0], name="Mèo Mun bí mật")]
    titles["VN-HIDDEN"] = _save(actor, owner_org, hidden)
    Title.objects.filter(pk=titles["VN-HIDDEN"].pk).update(is_published=False)
    reindex_all(embed=False)
    return titles


def _login(client, users, who):
    if users[who] is not None:
        client.force_login(users[who])


HIT_RE = re.compile(r'class="search-hit" data-title-id="(\d+)"')
SUGGEST_RE = re.compile(r'class="suggest-item" [^>]*data-title-id="(\d+)"')


def hit_ids(response) -> list[int]:
    return [int(pk) for pk in HIT_RE.findall(_html(response))]


def suggest_ids(response) -> list[int]:
    return [int(pk) for pk in SUGGEST_RE.findall(_html(response))]


def _html(response) -> str:
    return response.content.decode()


# --------------------------------------------------------------------------------------
# Who may search: everyone the catalogue list is open to (everyone).


@pytest.mark.parametrize("who", ROLES)
def test_search_page_for_every_role(client, users, catalogue, who):
    _login(client, users, who)
    response = client.get(SEARCH_URL, {"q": "meo mun"})
    assert response.status_code == 200
    # the unpublished title is not found, not even by its owner or an organiser
    assert hit_ids(response) == [catalogue["VN-1"].pk]
    assert response["Vary"].count("HX-Request") == 1


@pytest.mark.parametrize("who", ROLES)
def test_suggestions_for_every_role(client, users, catalogue, who):
    _login(client, users, who)
    response = client.get(SUGGEST_URL, {"q": "meo mun"})
    assert response.status_code == 200
    assert suggest_ids(response) == [catalogue["VN-1"].pk]
    assert "<html" not in _html(response)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 404),
        ("participant", 404),
        ("other_exhibitor", 404),
        ("owner_exhibitor", 200),
        ("organiser", 200),
    ],
)
def test_similar_of_an_unpublished_title_only_for_who_may_see_it(
    client, users, catalogue, who, status
):
    _login(client, users, who)
    response = client.get(f"/search/similar/{catalogue['VN-HIDDEN'].pk}/", HTTP_HX_REQUEST="true")
    assert response.status_code == status


@pytest.mark.parametrize("who", ROLES)
def test_similar_of_a_published_title_for_every_role(client, users, catalogue, who):
    _login(client, users, who)
    url = f"/search/similar/{catalogue['FR-1'].pk}/"
    fragment = client.get(url, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200
    assert "More like this" in _html(fragment)
    assert "<html" not in _html(fragment)
    # without htmx (no JavaScript) the same list comes as a whole page
    page = client.get(url)
    assert page.status_code == 200
    assert "<html" in _html(page)
    assert "Titles like La Nuit de Busan" in _html(page)


def test_similar_of_a_missing_title_is_404(client, catalogue):
    assert client.get("/search/similar/999999/").status_code == 404


# --------------------------------------------------------------------------------------
# Results: marks, language, why, escaping.


def test_hit_shows_marks_language_and_why(client, catalogue):
    response = client.get(SEARCH_URL, {"q": "phim hoat hinh"})
    html = _html(response)
    assert hit_ids(response) == [catalogue["VN-1"].pk]
    # the snippet marks the Vietnamese words typed without their diacritics
    assert "<mark>Phim</mark> <mark>hoạt</mark> <mark>hình</mark>" in html
    assert 'data-language="vi"' in html
    assert ">Vietnamese</span>" in html
    assert 'data-why="keyword"' in html
    assert "in " in html and " ms" in html


def test_exact_title_is_marked_as_exact(client, catalogue):
    response = client.get(SEARCH_URL, {"q": "La Nuit de Busan"})
    html = _html(response)
    assert hit_ids(response)[0] == catalogue["FR-1"].pk
    assert 'data-why="exact"' in html
    assert "<mark>La</mark> <mark>Nuit</mark> <mark>de</mark> <mark>Busan</mark>" in html


def test_simplified_query_marks_traditional_name(client, catalogue):
    response = client.get(SEARCH_URL, {"q": "校园爱情"})
    assert hit_ids(response) == [catalogue["TW-1"].pk]
    assert "<mark>" in _html(response)


def test_script_in_a_name_is_escaped_in_results_and_suggestions(client, catalogue):
    page = _html(client.get(SEARCH_URL, {"q": "lantern"}))
    suggestions = _html(client.get(SUGGEST_URL, {"q": "lantern"}))
    for html in (page, suggestions):
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
        assert "<mark>Lantern</mark>" in html
    # a snippet from the logline is escaped too
    snippet = _html(client.get(SEARCH_URL, {"q": "makers"}))
    assert "The last &lt;b&gt;lantern&lt;/b&gt; <mark>makers</mark> of Hoi An." in snippet
    assert "<b>" not in snippet


def test_query_is_escaped_where_it_is_echoed(client, catalogue):
    response = client.get(SEARCH_URL, {"q": '"><img src=x onerror=alert(1)>'})
    assert response.status_code == 200
    html = _html(response)
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_semantic_note_while_vectors_are_missing(client, catalogue):
    html = _html(client.get(SEARCH_URL, {"q": "polar"}))
    assert "data-semantic-pending" in html
    assert "data-semantic-pending" not in _html(client.get(SEARCH_URL))


# --------------------------------------------------------------------------------------
# Browsing, facets, filters.


def test_empty_query_browses_published_titles_new_first(client, catalogue):
    response = client.get(SEARCH_URL)
    assert response.status_code == 200
    ids = hit_ids(response)
    assert ids[0] == catalogue["FR-1"].pk
    assert sorted(ids) == sorted(catalogue[ref].pk for ref in ("VN-1", "TW-1", "FR-1", "XSS-1"))
    assert 'data-total="4"' in _html(response)


def _shown_counts(html: str) -> dict[str, dict[str, int]]:
    """The counts the sidebar shows, by facet and value (zero counts left out)."""
    shown: dict[str, dict[str, int]] = {}
    for block in re.findall(r'data-facet="(\w+)"(.*?)</(?:fieldset|div)>', html, re.S):
        facet, body = block
        pairs = re.findall(r'(?:data-value|value)="([^"]*)"[^>]*data-count="(\d+)"', body)
        for value, count in pairs:
            if int(count):
                shown.setdefault(facet, {})[value] = int(count)
    return shown


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": "busan"},
        {"kind": "feature"},
        {"kind": "feature", "genre": "crime"},
        {"media": "svod", "territory": "VN"},
    ],
)
def test_facet_counts_shown_equal_the_search_result(client, catalogue, params):
    html = _html(client.get(SEARCH_URL, params))
    expected = search(
        query=SearchQuery(
            text=params.get("q", ""),
            kinds=tuple(filter(None, [params.get("kind")])),
            genres=tuple(filter(None, [params.get("genre")])),
            avails=_avails(params),
        )
    ).facets
    wanted = {
        facet: {value: count for value, count in values.items() if count and value != "false"}
        for facet, values in expected.items()
    }
    assert _shown_counts(html) == {facet: values for facet, values in wanted.items() if values}


def _avails(params):
    if "media" not in params:
        return None
    from datetime import date

    from django.utils import timezone

    from reelmarket.catalogue.avails.media import Media
    from reelmarket.catalogue.selectors import AvailsFilter

    today: date = timezone.localdate()
    return AvailsFilter(
        media=Media(params["media"]), territory=params["territory"], start=today, end=today
    )


def test_a_facet_narrows_the_results_and_stays_ticked(client, catalogue):
    response = client.get(SEARCH_URL, {"kind": "feature"})
    assert sorted(hit_ids(response)) == sorted([catalogue["TW-1"].pk, catalogue["FR-1"].pk])
    assert re.search(r'name="kind" value="feature" id="id_kind_\d+" checked', _html(response))


def test_availability_filter(client, catalogue):
    response = client.get(SEARCH_URL, {"media": "svod", "territory": "VN"})
    assert hit_ids(response) == [catalogue["VN-1"].pk]  # TW-1 is sold in Vietnam
    taiwan = client.get(SEARCH_URL, {"media": "svod", "territory": "TW"})
    assert sorted(hit_ids(taiwan)) == sorted([catalogue["VN-1"].pk, catalogue["TW-1"].pk])
    # the title links carry the avails question to the title page
    assert f"/catalogue/{catalogue['VN-1'].pk}/?media=svod&amp;territory=VN" in _html(response)


def test_page_past_the_end_shows_the_last_page(client, catalogue):
    response = client.get(SEARCH_URL, {"page": "999"})
    assert response.status_code == 200
    assert len(hit_ids(response)) == 4
    assert client.get(SEARCH_URL, {"page": "x"}).status_code == 200


def test_htmx_request_gets_the_results_only(client, catalogue):
    response = client.get(SEARCH_URL, {"q": "busan"}, HTTP_HX_REQUEST="true")
    html = _html(response)
    assert response.status_code == 200
    assert "<html" not in html
    assert 'id="search-form"' not in html
    assert hit_ids(response) == [catalogue["FR-1"].pk]


# --------------------------------------------------------------------------------------
# Bad input: a clear message, never a 500.


def test_ten_kilobyte_query_is_a_clear_400(client, catalogue):
    response = client.get(SEARCH_URL, {"q": "a" * 10_240})
    assert response.status_code == 400
    html = _html(response)
    assert "data-search-error" in html
    assert "at most 500 characters" in html
    assert hit_ids(response) == []
    # htmx only swaps a 200: the message arrives as one
    partial = client.get(SEARCH_URL, {"q": "a" * 10_240}, HTTP_HX_REQUEST="true")
    assert partial.status_code == 200
    assert "data-search-error" in _html(partial)


def test_nul_character_is_a_clear_400(client, catalogue):
    response = client.get(SEARCH_URL, {"q": "busan\x00"})
    assert response.status_code == 400
    assert "data-search-error" in _html(response)


@pytest.mark.parametrize("text", ['"', "*", "NEAR(", 'busan" OR "x', "a AND NOT b", "^:()", "%_"])
def test_syntax_characters_are_just_characters(client, catalogue, text):
    assert client.get(SEARCH_URL, {"q": text}).status_code == 200
    assert client.get(SUGGEST_URL, {"q": text}).status_code == 200


def test_bad_filters_are_left_out_with_a_message(client, catalogue):
    response = client.get(SEARCH_URL, {"q": "busan", "territory": "XX", "kind": "nonsense"})
    assert response.status_code == 200
    html = _html(response)
    assert "Some filters could not be used and were left out" in html
    assert hit_ids(response) == [catalogue["FR-1"].pk]


def test_suggestions_for_bad_and_empty_input(client, catalogue):
    empty = client.get(SUGGEST_URL, {"q": "  "})
    assert empty.status_code == 200
    assert _html(empty).strip() == ""
    long = client.get(SUGGEST_URL, {"q": "a" * 10_240})
    assert long.status_code == 200
    assert "at most 500 characters" in _html(long)
    assert suggest_ids(long) == []


def test_suggestions_show_top_eight_and_a_link_to_all(client, users, owner_org):
    actor = users["organiser"]
    for n in range(10):
        _save(
            actor,
            owner_org,
            {
                "reference": f"HB-{n}",
                "kind": "feature",
                "original_title": f"Harbour Lights {n}",
                "original_language": "en",
                "year": 2020 + n % 5,
            },
        )
    reindex_all(embed=False)
    response = client.get(SUGGEST_URL, {"q": "harbour"})
    html = _html(response)
    assert len(suggest_ids(response)) == 8
    assert 'href="/search/?q=harbour"' in html
    assert "See all results (10)" in html
    assert "<mark>Harbour</mark>" in html


def test_similar_lists_other_published_titles_only(client, users, catalogue):
    reindex_all(embed=True)
    client.force_login(users["organiser"])  # even an organiser sees only published titles
    response = client.get(f"/search/similar/{catalogue['VN-1'].pk}/", HTTP_HX_REQUEST="true")
    ids = [
        int(pk) for pk in re.findall(r'class="stretched" href="/catalogue/(\d+)/"', _html(response))
    ]
    # the unpublished twin has the very same texts, yet is not shown; nor is the title itself
    assert sorted(ids) == sorted(catalogue[ref].pk for ref in ("TW-1", "FR-1", "XSS-1"))

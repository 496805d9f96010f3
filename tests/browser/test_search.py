"""Search in a real browser: the header box as you type, facets and avails, "More like this".

A buyer types a Vietnamese title without its diacritics, sees it suggested, opens the search
page, narrows it with a facet and an availability filter, and opens a title.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from reelmarket.catalogue.inputs import TitleInput
from reelmarket.catalogue.services import title_save
from reelmarket.discovery.services import reindex_all
from reelmarket.market.enums import Role
from tests.factories import make_user_with_roles

pytestmark = pytest.mark.django_db(transaction=True)

WORLDWIDE_SVOD = [{"media": "svod", "territories": ["WW"], "starts_on": "2025-01-01"}]

TITLES = [
    {
        "reference": "VN-1",
        "kind": "animation_feature",
        "original_title": "Mèo Mun và chuyến phiêu lưu",
        "original_language": "vi",
        "year": 2025,
        "genres": ["family", "animation"],
        "countries": ["VN"],
        "texts": [
            {
                "language": "vi",
                "name": "Mèo Mun và chuyến phiêu lưu",
                "logline": "Phim hoạt hình gia đình về chú mèo đen đi tìm mẹ.",
                "synopsis": "Một chú mèo nhỏ rời làng chài, vượt sông Mê Kông để tìm mẹ.",
            }
        ],
        "rights": WORLDWIDE_SVOD,
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
        "reference": "KR-1",
        "kind": "feature",
        "original_title": "Harbour Cats",
        "original_language": "en",
        "year": 2024,
        "genres": ["family", "comedy"],
        "countries": ["KR"],
        "texts": [
            {
                "language": "en",
                "name": "Harbour Cats",
                "logline": "A family of stray cats runs a fish market in Busan.",
                "synopsis": "Three kittens look for their mother along the harbour.",
            }
        ],
        "rights": WORLDWIDE_SVOD,
    },
]


@pytest.fixture
def indexed(edition, owner_org):
    actor = make_user_with_roles(Role.ORGANISER)
    titles = {
        data["reference"]: title_save(
            actor=actor, owner=owner_org, data=TitleInput.model_validate(data)
        )[0]
        for data in TITLES
    }
    reindex_all()  # documents and vectors, synchronously
    return titles


def test_search_as_you_type_facets_avails_and_more_like_this(page, indexed):
    page.goto("/")
    box = page.locator("#header-q")
    box.fill("meo mun")  # typed without the Vietnamese diacritics
    dropdown = page.locator("#header-suggest")
    suggestion = dropdown.get_by_role("link", name=re.compile("Mèo Mun và chuyến phiêu lưu"))
    expect(suggestion).to_be_visible()
    expect(suggestion.locator("mark").first).to_have_text("Mèo")
    expect(suggestion).to_contain_text("Vietnamese")
    expect(box).to_have_attribute("aria-expanded", "true")
    # arrow down moves into the list, Escape closes it and returns to the box
    box.press("ArrowDown")
    expect(suggestion).to_be_focused()
    suggestion.press("Escape")
    expect(box).to_be_focused()
    expect(dropdown.get_by_role("link")).to_have_count(0)

    box.press("Enter")  # the form submits to the search page
    expect(page).to_have_url(re.compile(r"/search/\?q=meo\+mun$"))
    count = page.locator("[data-result-count]")
    expect(count).to_contain_text("1 title")

    # an empty query browses the whole catalogue
    page.locator("#id_q").fill("")
    page.locator("#id_q").press("Enter")
    expect(count).to_contain_text("4 titles")

    page.locator("#search-body").get_by_label("Feature film").check()
    expect(count).to_contain_text("3 titles")
    expect(page).to_have_url(re.compile(r"kind=feature"))

    page.locator("#id_media").select_option("svod")
    page.locator("#id_territory").select_option("VN")
    expect(count).to_contain_text("1 title")
    results = page.locator(".search-hits")
    expect(results.get_by_role("link", name="Harbour Cats")).to_be_visible()
    expect(results.get_by_role("link")).to_have_count(1)

    results.get_by_role("link", name="Harbour Cats").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Harbour Cats")
    more = page.locator("#more-like-this")
    expect(more.get_by_role("heading", name="More like this")).to_be_visible()
    expect(more.get_by_role("link").first).to_be_visible()
    expect(more.get_by_role("link", name="Harbour Cats")).to_have_count(0)

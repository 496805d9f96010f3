"""The issue's browser walks, in headless Chromium against a live server.

1. A buyer browses the catalogue, filters by avails (SVOD in Vietnam) and opens a title.
2. An exhibitor logs in and edits their own title.
3. Another organisation's seller fails to edit that title.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from reelmarket.catalogue.enums import WindowStatus
from reelmarket.catalogue.models import Title
from reelmarket.market.enums import Role
from tests.factories import (
    PASSWORD,
    RightsWindowFactory,
    TitleFactory,
    TitleTextFactory,
    make_user_with_roles,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def market(edition, owner_org, other_org):
    jungle = TitleFactory(owner=owner_org, reference="KJ-1", original_title="Jungle Friends")
    TitleTextFactory(
        title=jungle,
        language="en",
        name="Jungle Friends",
        logline="A lost tiger cub finds a family.",
    )
    RightsWindowFactory(
        title=jungle,
        media="svod",
        territories=["ASEAN"],
        starts_on=date(2025, 1, 1),
        ends_on=date(2032, 12, 31),
    )
    ferry = TitleFactory(owner=owner_org, reference="KJ-2", original_title="Night Ferry")
    TitleTextFactory(title=ferry, language="en", name="Night Ferry")
    RightsWindowFactory(
        title=ferry,
        media="svod",
        territories=["ASEAN"],
        starts_on=date(2025, 1, 1),
        ends_on=date(2032, 12, 31),
    )
    RightsWindowFactory(
        title=ferry,
        media="svod",
        territories=["VN"],
        starts_on=date(2025, 1, 1),
        ends_on=date(2031, 12, 31),
        status=WindowStatus.SOLD,
        counterparty="Saigon Stream",
    )
    seoul = TitleFactory(owner=other_org, reference="SP-1", original_title="Han River Blues")
    return {"jungle": jungle, "ferry": ferry, "seoul": seoul}


def log_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def test_browse_filter_by_avails_and_open_a_title(page, market):
    page.goto("/catalogue/")
    expect(page.get_by_role("link", name="Night Ferry")).to_be_visible()
    expect(page.get_by_role("link", name="Jungle Friends")).to_be_visible()

    page.locator("#id_media").select_option("svod")
    page.locator("#id_territory").select_option("VN")
    page.locator("#id_start").fill("2026-01-01")
    page.locator("#id_end").fill("2026-12-31")
    page.get_by_role("button", name="Show titles").click()

    results = page.locator("#results")
    expect(results.get_by_role("link", name="Jungle Friends")).to_be_visible()
    expect(results.get_by_role("link", name="Night Ferry")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"media=svod.*territory=VN|territory=VN.*media=svod"))

    results.get_by_role("link", name="Jungle Friends").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Jungle Friends")
    avails = page.locator("table.avails-table")
    expect(avails).to_contain_text("SVOD")
    expect(avails).to_contain_text("Available")


def test_exhibitor_edits_own_title(page, market, owner_org):
    seller = make_user_with_roles(Role.SELLER, organisation=owner_org)
    log_in(page, seller.email)
    page.goto(f"/catalogue/{market['jungle'].pk}/edit/")
    page.get_by_label("Original title").fill("Jungle Friends: The Return")
    page.get_by_role("button", name="Save changes").click()
    expect(page).to_have_url(re.compile(rf"/catalogue/{market['jungle'].pk}/$"))
    # the heading shows the English title; the original title is shown beside it
    expect(page.locator("main")).to_contain_text("Jungle Friends: The Return")
    assert Title.objects.get(pk=market["jungle"].pk).original_title == (
        "Jungle Friends: The Return"
    )


def test_seller_cannot_edit_another_organisations_title(page, market, other_org):
    seller = make_user_with_roles(Role.SELLER, organisation=other_org)
    log_in(page, seller.email)
    page.goto(f"/catalogue/{market['jungle'].pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Jungle Friends")
    expect(page.get_by_role("link", name="Edit")).to_have_count(0)
    # the counterparty of a sale is not shown to outsiders
    page.goto(f"/catalogue/{market['ferry'].pk}/")
    expect(page.locator("table.avails-table")).not_to_contain_text("Saigon Stream")

    response = page.goto(f"/catalogue/{market['jungle'].pk}/edit/")
    assert response is not None and response.status == 403
    assert Title.objects.get(pk=market["jungle"].pk).original_title == "Jungle Friends"


def test_language_switcher_turns_the_ui_into_traditional_chinese(page, market):
    page.goto("/catalogue/")
    page.locator("#language-select").select_option("zh-hant")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hant")
    expect(page.get_by_role("link", name="Jungle Friends")).to_be_visible()

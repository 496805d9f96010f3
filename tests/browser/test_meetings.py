"""The meetings walk in headless Chromium: a buyer (Paris) asks a seller's company for a
meeting about a title; a seller (Tokyo) accepts and picks a slot; both agendas show the
meeting in venue time and in their own zone. The seller also marks a slot busy (htmx)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from reelmarket.meetings.enums import RequestState
from reelmarket.meetings.models import AvailabilityDay, MeetingRequest
from tests.browser.test_journeys import log_in
from tests.meetings.test_views import Market

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def market(live_server) -> Market:
    return Market()


def test_request_accept_pick_a_slot_and_both_agendas(browser, page, live_server, market):
    # Sofia (buyer, Paris) asks anyone at Tokyo Sales Co about Jungle Friends.
    log_in(page, market.sofia.user.email)
    page.goto(f"/meetings/request/?organisation={market.seller_org.slug}&title={market.title.pk}")
    expect(page.get_by_text("With anyone from Tokyo Sales Co")).to_be_visible()
    expect(page.get_by_label("Jungle Friends")).to_be_checked()
    page.get_by_label("Message").fill("Family animation for SVOD in France?")
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_text("Your meeting request is sent.")).to_be_visible()
    request = MeetingRequest.objects.get()
    assert (request.state, request.target_organisation) == (
        RequestState.REQUESTED,
        market.seller_org,
    )

    # Kenji (seller, Tokyo) accepts and picks the first booth table on day one.
    seller = browser.new_context(base_url=live_server.url, locale="en-GB")
    seller.set_default_timeout(15_000)
    kenji = seller.new_page()
    log_in(kenji, market.kenji.user.email)
    kenji.get_by_role("link", name="Meetings").click()
    incoming = kenji.locator('[data-box="incoming"]')
    expect(incoming.get_by_text("Family animation for SVOD in France?")).to_be_visible()
    incoming.get_by_role("link", name="Accept and pick a time").click()
    expect(kenji.get_by_role("heading", name="Accept and pick a time")).to_be_visible()
    kenji.get_by_role("button", name=re.compile(r"^Booth D12")).first.click()
    expect(kenji.get_by_text("The meeting is in both agendas.")).to_be_visible()
    item = kenji.locator(".agenda-item")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("Sofia")
    expect(item).to_contain_text("HKT")
    expect(item).to_contain_text("(Asia/Tokyo)")
    expect(item).to_contain_text("Booth D12")
    request.refresh_from_db()
    assert (request.state, request.counterpart) == (RequestState.SCHEDULED, market.kenji)

    # Sofia's agenda: the same meeting, venue time and Paris time.
    page.goto("/meetings/agenda/")
    item = page.locator(".agenda-item")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("Kenji")
    expect(item).to_contain_text("HKT")
    expect(item).to_contain_text("(Europe/Paris)")
    expect(item).to_contain_text("Jungle Friends")

    # Kenji marks the next free slot busy; htmx swaps the cell in place.
    kenji.get_by_role("link", name="My availability").click()
    first_free = kenji.locator(".avail-free .avail-toggle").first
    slot = first_free.locator("xpath=ancestor::td").get_attribute("data-slot")
    first_free.click()
    cell = kenji.locator(f'td[data-slot="{slot}"]')
    expect(cell).to_have_class(re.compile("avail-busy"))
    expect(cell.get_by_role("button", name="Busy")).to_be_visible()
    # slot 0 of day one holds the meeting, so the first free one is slot 1
    assert AvailabilityDay.objects.get(participant=market.kenji).busy_mask == 0b10
    seller.close()

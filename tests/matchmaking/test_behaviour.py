"""The recommender's feed of title behaviour (views, saves, deals) and the receivers that
queue a recompute when a buyer saves a title or buys rights."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from reelmarket.catalogue import services as catalogue_services
from reelmarket.catalogue.behaviour import title_save, title_unsave, title_view_record
from reelmarket.catalogue.inputs import RightsInput
from reelmarket.catalogue.models import RightsWindow, SavedTitle
from reelmarket.catalogue.signals import titles_changed
from reelmarket.market.enums import Role
from reelmarket.matchmaking.behaviour import title_behaviour
from reelmarket.matchmaking.core.history import Interaction
from tests.factories import (
    OrganisationFactory,
    ParticipantFactory,
    RightsWindowFactory,
    TitleFactory,
)

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 16, 9, 0, tzinfo=UTC)


@pytest.fixture
def market(owner_org):
    """A buying company with two confirmed buyers, a confirmed seller and an unconfirmed
    buyer; a buyer without company; three titles of the owner."""
    buyers = OrganisationFactory(name="Saigon Screens", slug="saigon-screens", country="VN")
    m = type("Market", (), {})()
    m.company = buyers
    m.ana = ParticipantFactory(organisation=buyers, roles=[Role.BUYER])
    m.bao = ParticipantFactory(organisation=buyers, roles=[Role.BUYER, Role.SELLER])
    m.chi = ParticipantFactory(organisation=buyers, roles=[Role.SELLER])
    m.dung = ParticipantFactory(
        organisation=buyers, organisation_confirmed=False, roles=[Role.BUYER]
    )
    m.eve = ParticipantFactory(roles=[Role.BUYER])
    m.seller = ParticipantFactory(organisation=owner_org, roles=[Role.SELLER])
    m.t1, m.t2, m.t3 = (TitleFactory(owner=owner_org) for _ in range(3))
    return m


def _sold(title, company, updated_at, **kwargs) -> RightsWindow:
    w = RightsWindowFactory(
        title=title, status="sold", counterparty=company.name, buyer_organisation=company, **kwargs
    )
    RightsWindow.objects.filter(pk=w.pk).update(updated_at=updated_at)
    return w


def test_title_behaviour_exact(market):
    m = market
    for minutes in (0, 5, 9, 20, 30):  # five views of t1 on the 16th: strength 3
        title_view_record(participant=m.ana, title=m.t1, now=T0 + timedelta(minutes=minutes))
    title_view_record(participant=m.ana, title=m.t1, now=T0 + timedelta(days=1))
    for minutes in (0, 1):
        title_view_record(participant=m.eve, title=m.t2, now=T0 + timedelta(minutes=minutes))
    title_save(actor=m.ana.user, title=m.t2)
    title_save(actor=m.eve.user, title=m.t3)
    SavedTitle.objects.filter(participant=m.ana).update(created_at=T0 + timedelta(hours=1))
    SavedTitle.objects.filter(participant=m.eve).update(created_at=T0 + timedelta(hours=2))
    # two sold windows of t1 to the company (the later update counts), one of t3
    _sold(m.t1, m.company, T0 - timedelta(days=10), media="svod")
    _sold(m.t1, m.company, T0 - timedelta(days=3), media="pay_tv")
    _sold(m.t3, m.company, T0 - timedelta(days=5))
    # not deals: sold without a company, or a window that is not sold
    RightsWindowFactory(title=m.t2, status="sold", counterparty="Someone")
    RightsWindowFactory(
        title=m.t2, status="on_hold", counterparty="X", buyer_organisation=m.company
    )

    def deal(who, title, when):
        return Interaction(who=who.pk, item=title.pk, action="deal", when=when)

    expected = {
        m.ana.pk: [
            Interaction(m.ana.pk, m.t1.pk, "view", T0 + timedelta(minutes=30), 3.0),
            Interaction(m.ana.pk, m.t1.pk, "view", T0 + timedelta(days=1), 1.0),
            Interaction(m.ana.pk, m.t2.pk, "save", T0 + timedelta(hours=1), 1.0),
            deal(m.ana, m.t1, T0 - timedelta(days=3)),
            deal(m.ana, m.t3, T0 - timedelta(days=5)),
        ],
        m.bao.pk: [
            deal(m.bao, m.t1, T0 - timedelta(days=3)),
            deal(m.bao, m.t3, T0 - timedelta(days=5)),
        ],
        m.eve.pk: [
            Interaction(m.eve.pk, m.t2.pk, "view", T0 + timedelta(minutes=1), 2.0),
            Interaction(m.eve.pk, m.t3.pk, "save", T0 + timedelta(hours=2), 1.0),
        ],
    }
    assert title_behaviour() == expected
    # chi (seller only) and dung (unconfirmed) have no deals
    assert title_behaviour(buyer_ids=[m.bao.pk, m.chi.pk, m.dung.pk]) == {
        m.bao.pk: expected[m.bao.pk]
    }
    assert title_behaviour(buyer_ids=iter([m.eve.pk])) == {m.eve.pk: expected[m.eve.pk]}
    assert title_behaviour(buyer_ids=[]) == {}


def test_title_behaviour_of_an_empty_market(db):
    assert title_behaviour() == {}


def test_a_view_day_is_one_interaction(market):
    title_view_record(participant=market.eve, title=market.t1, now=T0)
    assert title_behaviour() == {
        market.eve.pk: [Interaction(market.eve.pk, market.t1.pk, "view", T0, 1.0)]
    }


# --- receivers: a recompute of the buyers concerned, after the commit ----------------------------


def recomputes(callbacks) -> list[int]:
    """The participants whose recompute was queued by these on-commit callbacks."""
    found = []
    for callback in callbacks:
        spec = getattr(callback, "spec", None)
        if spec is not None and spec.name == "matchmaking.recompute_for":
            found.append(json.loads(callback.payload)["participant_id"])
    return sorted(found)


@pytest.fixture
def auto_recompute(settings):
    settings.MATCHMAKING_AUTO_RECOMPUTE = True


def test_saving_queues_that_participant(market, auto_recompute, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        title_save(actor=market.eve.user, title=market.t1)
    assert recomputes(callbacks) == [market.eve.pk]


def test_unsaving_queues_that_participant_and_saving_again_does_not(
    market, settings, django_capture_on_commit_callbacks
):
    # (one test transaction: a second identical task would be coalesced with the first)
    title_save(actor=market.eve.user, title=market.t1)
    settings.MATCHMAKING_AUTO_RECOMPUTE = True
    with django_capture_on_commit_callbacks() as callbacks:
        title_save(actor=market.eve.user, title=market.t1)  # saved already: nothing new
    assert recomputes(callbacks) == []
    with django_capture_on_commit_callbacks() as callbacks:
        title_unsave(actor=market.eve.user, title=market.t1)
    assert recomputes(callbacks) == [market.eve.pk]


def test_views_queue_nothing(market, auto_recompute, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        title_view_record(participant=market.eve, title=market.t1)
    assert callbacks == []


def test_a_window_sold_to_a_company_queues_its_buyers(
    market, auto_recompute, django_capture_on_commit_callbacks
):
    window = RightsInput(
        media="svod",
        territories=["VN"],
        starts_on="2026-01-01",
        status="sold",
        counterparty="Saigon Screens",
        buyer_organisation_id=market.company.pk,
    )
    with django_capture_on_commit_callbacks() as callbacks:
        catalogue_services.rights_window_add(
            actor=market.seller.user, title=market.t1, window=window
        )
    assert recomputes(callbacks) == sorted([market.ana.pk, market.bao.pk])


def test_a_window_without_buyer_company_queues_no_buyer(
    market, auto_recompute, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        RightsWindowFactory(title=market.t1, status="sold", counterparty="Someone")
    assert recomputes(callbacks) == []


def test_titles_changed_queues_the_buyers_of_their_sold_windows(
    market, auto_recompute, django_capture_on_commit_callbacks
):
    """The avails editor and imports write windows in bulk (no post_save): the catalogue's
    titles_changed signal brings the buyers in."""
    window = RightsInput(
        media="svod",
        territories=["VN"],
        starts_on="2026-01-01",
        status="sold",
        counterparty="Saigon Screens",
        buyer_organisation_id=market.company.pk,
    )
    catalogue_services.rights_replace(actor=market.seller.user, title=market.t2, windows=[window])
    with django_capture_on_commit_callbacks() as callbacks:
        titles_changed.send(sender=None, title_ids=(market.t2.pk,))
    assert recomputes(callbacks) == sorted([market.ana.pk, market.bao.pk])
    with django_capture_on_commit_callbacks() as callbacks:
        titles_changed.send(sender=None, title_ids=(market.t1.pk,))
    assert recomputes(callbacks) == []


def test_receivers_are_off_when_auto_recompute_is(
    market, settings, django_capture_on_commit_callbacks
):
    settings.MATCHMAKING_AUTO_RECOMPUTE = False
    with django_capture_on_commit_callbacks() as callbacks:
        title_save(actor=market.eve.user, title=market.t1)
        _sold(market.t1, market.company, T0)
    assert callbacks == []

"""Hidden tastes of the demo's buyers and financiers, and last season's behaviour drawn from
them (``reelmarket.market.demo.tastes``): determinism, stated profiles as partial copies of
the hidden tastes, and the rows the demo writes."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest
from django.db.models import F

from reelmarket.catalogue.models import SavedTitle, TitleView
from reelmarket.market.demo.build import demo_build
from reelmarket.market.demo.financing import plan_financing
from reelmarket.market.demo.plan import DemoScale, plan_market
from reelmarket.market.demo.reset import demo_reset
from reelmarket.market.demo.tastes import (
    BEHAVIOUR_START,
    MEDIA_BY_COMPANY,
    OTHER_MEDIA,
    hidden_tastes,
)
from reelmarket.market.enums import Role
from reelmarket.market.models import ParticipantRole

SMALL = DemoScale(exhibitors=40, participants=200, titles=120)
EDITION_START = datetime(2025, 3, 17, tzinfo=UTC)


@pytest.fixture(scope="module")
def plan():
    return plan_market(seed=2025, scale=SMALL)


@pytest.fixture(scope="module")
def tastes(plan):
    return hidden_tastes(seed=2025, plan=plan)


# --------------------------------------------------------------------------------------
# Pure: no database


def test_same_seed_same_tastes_and_behaviour(tastes):
    again = hidden_tastes(seed=2025, scale=SMALL)
    assert again.buyers == tastes.buyers
    assert again.investors == tastes.investors
    assert again.events == tastes.events
    assert again.investor_events == tastes.investor_events
    assert again.titles == tastes.titles
    for name in ("buyer_latent", "title_latent", "title_quality", "utility", "investor_utility"):
        assert np.array_equal(getattr(again, name), getattr(tastes, name)), name


def test_another_seed_other_tastes(tastes):
    other = hidden_tastes(seed=2026, scale=SMALL)
    assert other.events != tastes.events
    assert not np.array_equal(other.buyer_latent, tastes.buyer_latent)


def test_every_buyer_and_investor_profile_has_hidden_tastes(plan, tastes):
    buyers = [p for p in plan.people if "buyer" in p.roles]
    assert [b.email for b in tastes.buyers] == [p.email for p in buyers]
    assert tastes.buyer_latent.shape == (len(buyers), 16)
    assert np.allclose(np.linalg.norm(tastes.buyer_latent, axis=1), 1.0)
    assert tastes.utility.shape == (len(buyers), SMALL.titles)
    profiles = plan_financing(plan).profiles
    assert [i.email for i in tastes.investors] == [plan.people[f.person].email for f in profiles]
    assert tastes.investor_utility.shape == (len(profiles), len(plan_financing(plan).projects))


def test_stated_buyer_profile_is_a_partial_copy_of_the_hidden_tastes(plan, tastes):
    people = {p.email: p for p in plan.people}
    kinds = {o.slug: o.kind for o in plan.organisations}
    unstated_genres = 0
    for hidden in tastes.buyers:
        stated = people[hidden.email]
        # every stated genre is a hidden genre; at most two hidden ones were never stated
        assert set(stated.genres) <= set(hidden.genres)
        extra = set(hidden.genres) - set(stated.genres)
        assert len(extra) <= 2
        unstated_genres += len(extra)
        assert all(0.1 <= w <= 1.0 for w in hidden.genres.values())
        # kinds: at most one stated kind not wanted, at most one wanted kind not stated
        assert len(set(stated.content_kinds) - hidden.kinds) <= 1
        assert len(hidden.kinds - set(stated.content_kinds)) <= 1
        # the languages they speak besides English are languages they buy
        assert {lang for lang in stated.languages if lang != "en"} <= hidden.languages
        # their rights: the stated territories, in the media of their kind of company
        media = MEDIA_BY_COMPANY.get(kinds.get(stated.organisation or "", ""), OTHER_MEDIA)
        assert hidden.rights == {(t, m) for t in stated.territories for m in media}
        if stated.budget_range:
            assert stated.budget_range in hidden.budget_tiers
        assert hidden.budget_tiers
    assert unstated_genres > 0  # the stated profiles are partial


def test_stated_investor_profile_is_a_partial_copy_of_the_hidden_tastes(plan, tastes):
    profiles = {plan.people[f.person].email: f for f in plan_financing(plan).profiles}
    for hidden in tastes.investors:
        stated = profiles[hidden.email]
        assert set(stated.genres) <= set(hidden.genres)
        assert len(set(stated.kinds) - hidden.kinds) <= 1
        assert len(set(stated.stages) - hidden.stages) <= 1
        assert len(set(stated.regions) - hidden.regions) <= 1
        assert hidden.kinds and hidden.stages and hidden.regions
        assert hidden.ticket_usd > 0


def test_behaviour_is_drawn_from_the_hidden_utility(tastes):
    assert tastes.events
    row = {b.email: n for n, b in enumerate(tastes.buyers)}
    col = {ref: n for n, ref in enumerate(tastes.titles)}
    chosen = np.asarray([tastes.utility[row[e.buyer], col[e.title]] for e in tastes.events])
    # what buyers looked at is far above what they could have looked at
    assert chosen.mean() > tastes.utility.mean() + 2.0
    saved = np.asarray([e.saved for e in tastes.events])
    assert chosen[saved].mean() > chosen[~saved].mean()
    assert {e.action for e in tastes.events} <= {"view", "save", "request", "deal"}
    pairs = [(e.buyer, e.title) for e in tastes.events]
    assert len(pairs) == len(set(pairs))
    assert all(BEHAVIOUR_START <= e.when < EDITION_START for e in tastes.events)
    assert all(e.views >= 1 for e in tastes.events)


# --------------------------------------------------------------------------------------
# The rows the demo writes


def _snapshot():
    views = sorted(
        TitleView.objects.values_list(
            "participant__user__username", "title__reference", "day", "count", "last_at"
        )
    )
    saves = sorted(
        SavedTitle.objects.values_list(
            "participant__user__username", "title__reference", "created_at"
        )
    )
    return views, saves


@pytest.mark.django_db
def test_demo_writes_last_seasons_views_and_saves(tastes):
    demo_build(seed=2025, scale=SMALL, password="demo-pass-2025")
    views, saves = _snapshot()
    assert views == sorted(
        (e.buyer, e.title, e.when.date(), e.views, e.when) for e in tastes.events
    )
    assert saves == sorted((e.buyer, e.title, e.when) for e in tastes.events if e.saved)
    # one view row per buyer, title and day; one save per buyer and title
    assert len({v[:3] for v in views}) == len(views)
    assert len({s[:2] for s in saves}) == len(saves)
    # every row is a buyer's, before the edition, never about their own company's titles
    buyers = set(
        ParticipantRole.objects.filter(role=Role.BUYER).values_list("participant_id", flat=True)
    )
    for model in (TitleView, SavedTitle):
        assert set(model.objects.values_list("participant_id", flat=True)) <= buyers
        own = model.objects.filter(title__owner_id=F("participant__organisation_id"))
        assert own.count() == 0
    assert max(v[4] for v in views) < EDITION_START
    assert max(s[2] for s in saves) < EDITION_START
    assert min(v[4] for v in views) >= BEHAVIOUR_START

    # --reset removes them and the rebuild writes the same rows again
    demo_reset()
    assert (TitleView.objects.count(), SavedTitle.objects.count()) == (0, 0)
    demo_build(seed=2025, scale=SMALL, password="demo-pass-2025")
    assert _snapshot() == (views, saves)

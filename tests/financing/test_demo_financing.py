"""The Producers Connect demo: deterministic plan, the personas' story, valid rows."""

from __future__ import annotations

from decimal import Decimal

import pytest

from reelmarket.financing import rules, selectors
from reelmarket.financing.enums import ProjectKind, ProjectStage, SourceStatus
from reelmarket.financing.models import InvestorProfile, Project
from reelmarket.financing.money import SUPPORTED_CURRENCIES
from reelmarket.financing.selectors import ProjectFilters
from reelmarket.market.demo.financing import plan_financing, remove_demo_financing, write_financing
from reelmarket.market.demo.markers import Silent
from reelmarket.market.demo.plan import DemoScale, plan_market
from reelmarket.market.demo.writer import write_market
from reelmarket.market.models import Participant

SMALL = DemoScale(exhibitors=40, participants=400, titles=0)


@pytest.fixture(scope="module")
def market_plan():
    return plan_market(seed=2025, scale=SMALL)


def test_plan_is_deterministic_and_sized(market_plan):
    first = plan_financing(market_plan)
    again = plan_financing(market_plan)
    assert first == again
    assert len(first.projects) == 120
    assert 10 <= len(first.profiles) <= 80
    assert len({p.title for p in first.projects}) == 120


def test_plan_rows_are_valid(market_plan):
    demo = plan_financing(market_plan)
    kinds = {p.kind for p in demo.projects}
    assert {"animation_feature", "animation_series", "documentary", "feature"} <= kinds
    assert kinds <= set(ProjectKind.values)
    assert {p.stage for p in demo.projects} <= set(ProjectStage.values)
    assert len({p.currency for p in demo.projects}) >= 4
    assert len({p.countries[0] for p in demo.projects}) >= 8
    for p in demo.projects:
        assert p.currency in SUPPORTED_CURRENCIES
        secured = sum((s.amount for s in p.sources if s.status == SourceStatus.SECURED), Decimal(0))
        assert secured <= p.budget, p.title
        assert all(s.amount > 0 for s in p.sources)
    for f in demo.profiles:
        assert 0 <= f.ticket_min <= f.ticket_max
        assert f.currency in SUPPORTED_CURRENCIES


def test_arjuns_project_tells_his_story(market_plan):
    demo = plan_financing(market_plan)
    arjun = demo.projects[0]
    assert market_plan.people[arjun.owner].country == "IN"
    assert (arjun.title, arjun.budget, arjun.currency) == (
        "Monsoon Ledger",
        Decimal("1200000"),
        "USD",
    )
    secured = sum(s.amount for s in arjun.sources if s.status == "secured")
    assert secured / arjun.budget == Decimal("0.35")
    assert {k for k, _ in arjun.partners} == {"coproducer", "sales_agent"}
    assert demo.sofia in arjun.viewers
    assert sum(demo.sofia in p.viewers for p in demo.projects) == 3


@pytest.mark.django_db
def test_write_and_remove(market_plan):
    write_market(market_plan, "pw", Silent())
    demo = write_financing(market_plan)
    assert Project.objects.count() == 120
    assert InvestorProfile.objects.count() == len(demo.profiles)
    monsoon = selectors.project_detail(pk=Project.objects.get(title="Monsoon Ledger").pk)
    plan = selectors.plan_summary(monsoon)
    assert (plan.gap, plan.secured_percent) == (Decimal("780000.00"), Decimal("35.0"))
    sofia = Participant.objects.get(user__username=market_plan.people[demo.sofia].email)
    assert rules.may_see_documents(sofia.user, monsoon)
    rows = selectors.project_directory(viewer=sofia.user, filters=ProjectFilters())
    assert rows[0].match is not None and rows[0].match.total > 0
    assert rows[0].match.reasons
    remove_demo_financing()
    assert not Project.objects.exists() and not InvestorProfile.objects.exists()

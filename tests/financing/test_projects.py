"""Projects and financing plans: derived figures (exact), validation messages, permissions."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from reelmarket.financing import selectors, services
from reelmarket.financing.models import FinancingSource, PartnerSought, Project, ProjectMember
from reelmarket.financing.services import PartnerData, ProjectData, SourceData
from reelmarket.market.enums import Role
from tests.factories import OrganisationFactory, ParticipantFactory
from tests.financing.factories import ProjectFactory
from tests.financing.projects_world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return World()


def data(**changes) -> ProjectData:
    values = {
        "title": "River of Stars",
        "kind": "animation_feature",
        "stage": "development",
        "budget": Decimal("2500000"),
        "currency": "HKD",
        "genres": ["animation", "family"],
        "countries": ["hk", "FR"],
        "target_markets": ["HK", "TW"],
    }
    values.update(changes)
    return ProjectData(**values)


def messages(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


# ---- the plan's figures ---------------------------------------------------------------------


def test_gap_and_secured_share_are_exact(world):
    plan = selectors.plan_summary(selectors.project_detail(pk=world.project.pk))
    assert plan.budget == Decimal("1200000.00")
    assert plan.secured == Decimal("420000.00")
    assert plan.pending == Decimal("200000.00")
    assert plan.gap == Decimal("780000.00")
    assert plan.secured_share == Decimal("0.35")
    assert plan.secured_percent == Decimal("35.0")
    assert plan.open_after_pending == Decimal("580000.00")
    assert plan.secured_by_kind == (
        ("public_fund", Decimal("300000.00")),
        ("pre_sales", Decimal("120000.00")),
    )


def test_figures_without_sources_and_fully_financed():
    project = ProjectFactory(budget=Decimal("1000"), currency="USD")
    plan = selectors.plan_summary(project)
    assert (plan.secured, plan.gap, plan.secured_share, plan.secured_percent) == (
        Decimal("0"),
        Decimal("1000"),
        Decimal("0"),
        Decimal("0.0"),
    )
    FinancingSource.objects.create(project=project, kind="equity", name="A", amount=Decimal("1000"))
    plan = selectors.plan_summary(Project.objects.get(pk=project.pk))
    assert (plan.gap, plan.secured_share, plan.secured_percent) == (
        Decimal("0"),
        Decimal("1"),
        Decimal("100.0"),
    )


def test_secured_percent_rounds_half_up():
    project = ProjectFactory(budget=Decimal("3000"), currency="USD")
    FinancingSource.objects.create(project=project, kind="equity", name="A", amount=Decimal("1000"))
    assert selectors.plan_summary(project).secured_percent == Decimal("33.3")
    FinancingSource.objects.create(project=project, kind="equity", name="B", amount=Decimal("1000"))
    assert selectors.plan_summary(Project.objects.get(pk=project.pk)).secured_percent == Decimal(
        "66.7"
    )


# ---- project_save ---------------------------------------------------------------------------


def test_producer_creates_a_project_in_their_confirmed_company(world):
    project = services.project_save(actor=world.arjun.user, data=data())
    assert project.owner == world.arjun
    assert project.organisation == world.company
    assert project.currency == "HKD"
    assert project.countries == ["HK", "FR"]  # upper-cased
    assert project.genres == ["animation", "family"]


def test_unconfirmed_claimant_creates_a_project_without_the_company(world):
    project = services.project_save(actor=world.claimant.user, data=data())
    assert project.owner == world.claimant
    assert project.organisation is None


@pytest.mark.parametrize("who", ["outsider", "investor", "organiser"])
def test_only_producers_create_projects(world, who):
    with pytest.raises(PermissionDenied):
        services.project_save(actor=world.users[who], data=data())
    assert Project.objects.count() == 1


def test_every_bad_value_is_named(world):
    with pytest.raises(ValidationError) as exc:
        services.project_save(
            actor=world.arjun.user,
            data=data(
                title="  ",
                kind="opera",
                stage="dreaming",
                budget=Decimal("0"),
                currency="XAU",
                genres=["animation", "noir"],
                countries=["XX"],
                runtime_minutes=0,
                language="english",
            ),
        )
    found = messages(exc)
    assert found["title"] == ["Give the project a title."]
    assert found["kind"] == ["“opera” is not a known kind of project."]
    assert found["stage"] == ["“dreaming” is not a known stage."]
    assert found["budget"] == ["The amount must be more than zero."]
    assert found["currency"] == [
        "“XAU” is not a currency of the market (use USD, HKD, CNY, EUR …)."
    ]
    assert found["genres"] == ["“noir” is not a known genre."]
    assert found["countries"] == [
        "“XX” is not an ISO 3166-1 country code (use two letters like HK)."
    ]
    assert found["runtime_minutes"] == ["Enter a number from 1 to 1000."]
    assert "language" in found
    assert Project.objects.count() == 1


def test_budget_cannot_drop_below_what_is_secured(world):
    with pytest.raises(ValidationError) as exc:
        services.project_save(
            actor=world.arjun.user,
            project=world.project,
            data=data(budget=Decimal("400000"), currency="USD"),
        )
    assert messages(exc)["budget"] == [
        "The budget cannot be below the financing already secured ($420,000.00)."
    ]
    assert world.refresh().budget == Decimal("1200000")


def test_currency_cannot_change_under_existing_lines(world):
    with pytest.raises(ValidationError) as exc:
        services.project_save(
            actor=world.arjun.user, project=world.project, data=data(budget=Decimal("9000000"))
        )
    assert messages(exc)["currency"] == [
        "Remove the financing plan's lines before changing the currency: they are in USD."
    ]


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("owner", True),
        ("colleague", True),
        ("organiser", True),
        ("claimant", False),
        ("investor", False),
        ("outsider", False),
    ],
)
def test_who_edits_a_project(world, who, allowed):
    change = data(title="Monsoon Ledger (new cut)", currency="USD", budget=Decimal("1300000"))
    if allowed:
        services.project_save(actor=world.users[who], project=world.project, data=change)
        assert world.refresh().title == "Monsoon Ledger (new cut)"
    else:
        with pytest.raises(PermissionDenied):
            services.project_save(actor=world.users[who], project=world.project, data=change)
        assert world.refresh().title == "Monsoon Ledger"


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("owner", True), ("organiser", True), ("colleague", False), ("outsider", False)],
)
def test_who_deletes_a_project(world, who, allowed):
    if allowed:
        services.project_delete(actor=world.users[who], project=world.project)
        assert not Project.objects.exists()
        assert not FinancingSource.objects.exists()
    else:
        with pytest.raises(PermissionDenied):
            services.project_delete(actor=world.users[who], project=world.project)
        assert Project.objects.count() == 1


# ---- financing lines ------------------------------------------------------------------------


def test_source_add_changes_the_gap(world):
    services.source_add(
        actor=world.arjun.user,
        project=world.project,
        data=SourceData(
            kind="tax_incentive", name="State rebate", amount=Decimal("60000.50"), country="in"
        ),
    )
    plan = selectors.plan_summary(world.refresh())
    assert plan.secured == Decimal("480000.50")
    assert plan.gap == Decimal("719999.50")
    assert FinancingSource.objects.get(name="State rebate").country == "IN"


def test_secured_sources_cannot_exceed_the_budget(world):
    with pytest.raises(ValidationError) as exc:
        services.source_add(
            actor=world.arjun.user,
            project=world.project,
            data=SourceData(kind="equity", name="Angel", amount=Decimal("780000.01")),
        )
    assert messages(exc)["amount"] == [
        "The secured sources would add up to $1,200,000.01, more than the budget of "
        "$1,200,000.00. Raise the budget first, or mark the source as pending."
    ]
    # Exactly the gap fits; pending lines never count against the budget.
    services.source_add(
        actor=world.arjun.user,
        project=world.project,
        data=SourceData(kind="equity", name="Angel", amount=Decimal("780000")),
    )
    services.source_add(
        actor=world.arjun.user,
        project=world.project,
        data=SourceData(kind="equity", name="Hope", amount=Decimal("5000000"), status="pending"),
    )
    plan = selectors.plan_summary(world.refresh())
    assert (plan.gap, plan.secured_percent) == (Decimal("0"), Decimal("100.0"))


def test_bad_source_values_are_named(world):
    with pytest.raises(ValidationError) as exc:
        services.source_add(
            actor=world.arjun.user,
            project=world.project,
            data=SourceData(
                kind="lottery", name="", amount=Decimal("-5"), status="maybe", country="ZZ"
            ),
        )
    found = messages(exc)
    assert found["kind"] == ["“lottery” is not a known type of financing."]
    assert found["status"] == ["“maybe” is not a known status."]
    assert found["name"] == ["Name the source (e.g. the fund, the distributor)."]
    assert found["amount"] == ["The amount must be more than zero."]
    assert found["country"] == ["“ZZ” is not an ISO 3166-1 country code (use two letters like HK)."]
    assert FinancingSource.objects.count() == 3


def test_amount_with_three_decimals_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        services.source_add(
            actor=world.arjun.user,
            project=world.project,
            data=SourceData(kind="equity", name="A", amount=Decimal("10.001")),
        )
    assert messages(exc)["amount"] == ["Use at most two decimals."]


def test_source_update_and_remove(world):
    source = FinancingSource.objects.get(name="Private equity")
    services.source_update(
        actor=world.colleague.user,
        source=source,
        data=SourceData(
            kind="equity", name="Private equity", amount=Decimal("180000"), status="secured"
        ),
    )
    assert selectors.plan_summary(world.refresh()).secured == Decimal("600000")
    services.source_remove(actor=world.arjun.user, source=FinancingSource.objects.get(name="NFDC"))
    plan = selectors.plan_summary(world.refresh())
    assert (plan.secured, plan.gap) == (Decimal("300000"), Decimal("900000"))


def test_strangers_cannot_touch_the_plan(world):
    source = FinancingSource.objects.get(name="NFDC")
    with pytest.raises(PermissionDenied):
        services.source_remove(actor=world.sofia.user, source=source)
    with pytest.raises(PermissionDenied):
        services.source_add(
            actor=world.claimant.user,
            project=world.project,
            data=SourceData(kind="equity", name="A", amount=Decimal("1")),
        )
    assert FinancingSource.objects.count() == 3


# ---- partners and team ----------------------------------------------------------------------


def test_partner_sought_set_replaces_and_dedupes(world):
    services.partner_sought_set(
        actor=world.arjun.user,
        project=world.project,
        partners=[
            PartnerData("coproducer", "kr"),
            PartnerData("coproducer", "KR", "duplicate"),
            PartnerData("distributor", ""),
        ],
    )
    assert sorted(PartnerSought.objects.values_list("kind", "country")) == [
        ("coproducer", "KR"),
        ("distributor", ""),
    ]


def test_partner_sought_set_refuses_bad_rows_and_keeps_the_old(world):
    with pytest.raises(ValidationError) as exc:
        services.partner_sought_set(
            actor=world.arjun.user, project=world.project, partners=[PartnerData("agent007", "")]
        )
    assert messages(exc)["partners"] == ["“agent007” is not a known kind of partner."]
    assert PartnerSought.objects.count() == 2


def test_team_member_add_and_remove(world):
    member = services.team_member_add(
        actor=world.arjun.user, project=world.project, name="Ana", role="Director"
    )
    assert (member.position, member.name) == (0, "Ana")
    with pytest.raises(ValidationError) as exc:
        services.team_member_add(actor=world.arjun.user, project=world.project, name="", role="")
    assert messages(exc) == {
        "name": ["Enter the person's name."],
        "role": ["Enter the person's role (director, producer, writer …)."],
    }
    services.team_member_remove(actor=world.arjun.user, member=member)
    assert not ProjectMember.objects.exists()


def test_projects_of_lists_own_and_company_projects(world):
    other = ProjectFactory(owner=ParticipantFactory(roles=[Role.PRODUCER]), title="Elsewhere")
    company_mate = ProjectFactory(owner=world.colleague, organisation=world.company, title="Mate")
    assert {p.title for p in selectors.projects_of(viewer=world.arjun.user)} == {
        "Monsoon Ledger",
        "Mate",
    }
    assert {p.title for p in selectors.projects_of(viewer=world.claimant.user)} == set()
    assert other.title not in {p.title for p in selectors.projects_of(viewer=world.colleague.user)}
    assert company_mate.organisation == world.company


def test_organisation_of_other_company_is_never_taken(world):
    other_company = OrganisationFactory(kind="production_company")
    producer = ParticipantFactory(roles=[Role.PRODUCER], organisation=other_company)
    project = services.project_save(actor=producer.user, data=data())
    assert project.organisation == other_company

"""Investor profiles (who keeps one, validation) and the two directories ranked by
relevance, with reasons that cite only what the viewer may see."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from reelmarket.financing import rules, selectors, services
from reelmarket.financing.models import InvestorProfile
from reelmarket.financing.selectors import InvestorFilters, ProjectFilters
from reelmarket.financing.services import InvestorData
from reelmarket.market.enums import OrganisationKind, Role, Visibility
from tests.factories import OrganisationFactory, ParticipantFactory
from tests.financing.factories import FinancingSourceFactory, InvestorProfileFactory, ProjectFactory
from tests.financing.projects_world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return World()


def investor_data(**changes) -> InvestorData:
    values = {
        "kind": "fund",
        "ticket_min": Decimal("100000"),
        "ticket_max": Decimal("2000000"),
        "currency": "hkd",
        "genres": ["animation"],
        "kinds": ["animation_feature"],
        "regions": ["hk", "TW"],
        "stages": ["development", "financing"],
        "treaties": ["fr"],
        "impact_focus": "Family animation.",
    }
    values.update(changes)
    return InvestorData(**values)


# ---- who keeps a profile --------------------------------------------------------------------


def test_investor_role_keeps_a_profile():
    person = ParticipantFactory(roles=[Role.INVESTOR])
    profile = services.investor_profile_save(
        actor=person.user, participant=person, data=investor_data()
    )
    assert (profile.currency, profile.regions, profile.treaties) == ("HKD", ["HK", "TW"], ["FR"])
    again = services.investor_profile_save(
        actor=person.user, participant=person, data=investor_data(ticket_max=Decimal("3000000"))
    )
    assert again.pk == profile.pk
    assert InvestorProfile.objects.get().ticket_max == Decimal("3000000")


@pytest.mark.parametrize(
    ("kind", "confirmed", "allowed"),
    [
        (OrganisationKind.FINANCIER, True, True),
        (OrganisationKind.FOUNDATION, True, True),
        (OrganisationKind.FOUNDATION, False, False),
        (OrganisationKind.DISTRIBUTOR, True, False),
    ],
)
def test_staff_of_financiers_and_foundations_keep_a_profile(kind, confirmed, allowed):
    org = OrganisationFactory(kind=kind)
    person = ParticipantFactory(
        roles=[Role.BUYER], organisation=org, organisation_confirmed=confirmed
    )
    assert rules.may_keep_investor_profile(person) is allowed
    if allowed:
        services.investor_profile_save(actor=person.user, participant=person, data=investor_data())
    else:
        with pytest.raises(PermissionDenied):
            services.investor_profile_save(
                actor=person.user, participant=person, data=investor_data()
            )
        assert not InvestorProfile.objects.exists()


def test_nobody_edits_someone_elses_profile_but_organisers(world):
    with pytest.raises(PermissionDenied):
        services.investor_profile_save(
            actor=world.arjun.user, participant=world.sofia, data=investor_data()
        )
    services.investor_profile_save(
        actor=world.mei.user, participant=world.sofia, data=investor_data()
    )
    assert InvestorProfile.objects.get(participant=world.sofia).kind == "fund"


def test_profile_validation_messages(world):
    with pytest.raises(ValidationError) as exc:
        services.investor_profile_save(
            actor=world.sofia.user,
            participant=world.sofia,
            data=investor_data(
                kind="bank",
                ticket_min=Decimal("500"),
                ticket_max=Decimal("100"),
                currency="BTC",
                genres=["vaporwave"],
                kinds=["opera"],
                stages=["idea"],
                regions=["QQ"],
            ),
        )
    assert exc.value.message_dict == {
        "kind": ["“bank” is not a known kind of investor."],
        "ticket_max": ["The largest ticket must be at least the smallest."],
        "currency": ["“BTC” is not a currency of the market (use USD, HKD, CNY, EUR …)."],
        "genres": ["“vaporwave” is not a known genre."],
        "kinds": ["“opera” is not a known kind of project."],
        "stages": ["“idea” is not a known stage."],
        "regions": ["“QQ” is not an ISO 3166-1 country code (use two letters like HK)."],
    }
    assert InvestorProfile.objects.get(participant=world.sofia).ticket_max == Decimal("400000")


# ---- the project directory, for an investor -------------------------------------------------


def test_investor_sees_projects_ranked_with_reasons(world):
    animation = ProjectFactory(
        title="Paper Dragons",
        kind="animation_feature",
        genres=["animation"],
        stage="financing",
        countries=["HK"],
        budget=Decimal("8000000"),
        currency="HKD",
    )
    rows = selectors.project_directory(viewer=world.sofia.user, filters=ProjectFilters())
    assert [r.project.title for r in rows] == ["Monsoon Ledger", "Paper Dragons"]
    best = rows[0].match
    assert best.total == 80.0
    assert best.reasons == (
        "Your ticket (up to $469K) fits the gap of $780K",
        "Drama, like your focus",
        "Stage you invest at: in development",
        "You can use a co-production treaty with India",
    )
    assert rows[1].match.excluded  # Sofia invests at the development stage only
    assert rows[1].match.reasons == ("Not at a stage you invest at",)
    assert rows[1].project == animation


def test_animation_reason_for_an_animation_fund(world):
    fund = ParticipantFactory(roles=[Role.INVESTOR], country="HK")
    services.investor_profile_save(actor=fund.user, participant=fund, data=investor_data())
    ProjectFactory(
        title="Paper Dragons",
        kind="animation_feature",
        genres=["animation"],
        stage="financing",
        countries=["FR"],
        budget=Decimal("8000000"),
        currency="HKD",
    )
    rows = selectors.project_directory(viewer=fund.user, filters=ProjectFilters())
    assert rows[0].project.title == "Paper Dragons"
    assert "Animation, like your focus" in rows[0].match.reasons
    assert "Animated feature, like your focus" in rows[0].match.reasons


def test_directory_filters_gap_in_usd(world):
    hkd = ProjectFactory(title="HKD one", budget=Decimal("7850000"), currency="HKD")  # USD 1 m
    FinancingSourceFactory(project=hkd, amount=Decimal("3925000"))  # gap USD 500k
    titles = lambda **f: [  # noqa: E731
        r.project.title
        for r in selectors.project_directory(
            viewer=world.outsider.user, filters=ProjectFilters(**f)
        )
    ]
    assert titles(gap_min_usd=Decimal("499999"), gap_max_usd=Decimal("500001")) == ["HKD one"]
    assert titles(gap_min_usd=Decimal("700000")) == ["Monsoon Ledger"]
    assert titles(country="IN") == ["Monsoon Ledger"]
    assert titles(stages=["financing"]) == []
    assert sorted(titles(genres=["drama"])) == ["HKD one", "Monsoon Ledger"]
    assert titles(q="monsoon") == ["Monsoon Ledger"]


def test_directory_without_profile_has_no_match_and_skips_unlisted(world):
    ProjectFactory(title="Hidden", seeking_financing=False)
    rows = selectors.project_directory(viewer=world.outsider.user, filters=ProjectFilters())
    assert [r.project.title for r in rows] == ["Monsoon Ledger"]
    assert rows[0].match is None
    assert selectors.project_directory(viewer=None, filters=ProjectFilters()) == []


# ---- the investor directory, for a producer -------------------------------------------------


def test_producer_sees_investors_ranked_with_reasons(world):
    project = selectors.project_detail(pk=world.project.pk)
    coproducer = ParticipantFactory(
        display_name="Claire Copro", roles=[Role.INVESTOR], country="FR"
    )
    InvestorProfileFactory(
        participant=coproducer,
        kind="coproducer",
        ticket_min=Decimal("0"),
        ticket_max=Decimal("0"),
        genres=[],
        regions=[],
        stages=[],
    )
    rows = selectors.investor_directory(
        viewer=world.arjun.user, project=project, filters=InvestorFilters()
    )
    assert [r.profile.participant.display_name for r in rows] == ["Sofia Laurent", "Claire Copro"]
    assert rows[0].match.reasons == (
        "Tickets up to $469K for your gap of $780K",
        "Looks for drama",
        "Comes in at your stage: in development",
        "Can use a co-production treaty with India",
    )
    assert rows[1].match.reasons == ("Is the co-producer you are looking for",)


def test_hidden_interests_are_never_scored(world):
    project = selectors.project_detail(pk=world.project.pk)
    world.sofia.interests_visibility = Visibility.HIDDEN
    world.sofia.save()
    rows = selectors.investor_directory(
        viewer=world.arjun.user, project=project, filters=InvestorFilters()
    )
    assert rows == []
    organiser_rows = selectors.investor_directory(
        viewer=world.mei.user, project=project, filters=InvestorFilters()
    )
    assert len(organiser_rows) == 1


def test_excluded_profiles_come_only_when_asked(world):
    project = selectors.project_detail(pk=world.project.pk)
    world.profile.stages = ["production"]
    world.profile.save()
    assert (
        selectors.investor_directory(
            viewer=world.arjun.user, project=project, filters=InvestorFilters()
        )
        == []
    )
    rows = selectors.investor_directory(
        viewer=world.arjun.user, project=project, filters=InvestorFilters(include_excluded=True)
    )
    assert rows[0].match.reasons == ("Invests at other stages",)


def test_investor_directory_only_for_the_projects_team(world):
    project = selectors.project_detail(pk=world.project.pk)
    for who in ("outsider", "investor", "claimant"):
        assert (
            selectors.investor_directory(
                viewer=world.users[who], project=project, filters=InvestorFilters()
            )
            == []
        )
    assert (
        len(
            selectors.investor_directory(
                viewer=world.colleague.user, project=project, filters=InvestorFilters()
            )
        )
        == 1
    )

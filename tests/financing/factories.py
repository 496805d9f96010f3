"""Factories for Producers Connect: projects, financing sources, investor profiles."""

from __future__ import annotations

from decimal import Decimal

import factory

from reelmarket.financing.enums import InvestorKind, ProjectKind, ProjectStage, SourceKind
from reelmarket.financing.models import FinancingSource, InvestorProfile, Project
from tests.factories import ParticipantFactory


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    owner = factory.SubFactory(ParticipantFactory)
    organisation = factory.SelfAttribute("owner.organisation")
    title = factory.Sequence(lambda n: f"Project {n}")
    kind = ProjectKind.FEATURE
    genres = factory.LazyFunction(lambda: ["drama"])
    stage = ProjectStage.DEVELOPMENT
    runtime_minutes = 95
    logline = "A ferry captain's last crossing."
    synopsis = "A ferry captain on her last crossing between Hong Kong and Macau."
    countries = factory.LazyFunction(lambda: ["HK"])
    target_markets = factory.LazyFunction(lambda: ["HK", "TW", "SG"])
    budget = Decimal("1000000")
    currency = "USD"


class FinancingSourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FinancingSource

    project = factory.SubFactory(ProjectFactory)
    kind = SourceKind.PUBLIC_FUND
    name = "Film Development Fund"
    amount = Decimal("300000")


class InvestorProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InvestorProfile

    participant = factory.SubFactory(ParticipantFactory)
    kind = InvestorKind.FINANCIER
    ticket_min = Decimal("100000")
    ticket_max = Decimal("1000000")
    currency = "USD"
    genres = factory.LazyFunction(lambda: ["drama"])
    regions = factory.LazyFunction(lambda: ["HK", "TW"])
    stages = factory.LazyFunction(lambda: [ProjectStage.DEVELOPMENT])

"""Factories for the pitch forum: calls, sections, criteria, submissions, reviewers."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import factory

from reelmarket.pitching.enums import SectionKind
from reelmarket.pitching.models import Call, Criterion, Reviewer, Section, Submission
from tests.factories import EditionFactory, ParticipantFactory
from tests.financing.factories import ProjectFactory


class CallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Call

    edition = factory.SubFactory(EditionFactory)
    name = factory.Sequence(lambda n: f"HAF {2025 + n}")
    slug = factory.Sequence(lambda n: f"haf-{2025 + n}")
    opens_at = datetime(2024, 10, 1, tzinfo=UTC)
    deadline = datetime(2099, 12, 1, 15, 59, tzinfo=UTC)  # far future: open unless a test says
    reviewers_per_submission = 3


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    call = factory.SubFactory(CallFactory)
    code = factory.Sequence(lambda n: f"section-{n}")
    name = factory.Sequence(lambda n: f"Section {n}")
    kind = SectionKind.IN_DEVELOPMENT


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    call = factory.SubFactory(CallFactory)
    name = factory.Sequence(lambda n: f"Criterion {n}")
    weight = Decimal("1")
    scale_max = 10


class SubmissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Submission

    section = factory.SubFactory(SectionFactory)
    call = factory.SelfAttribute("section.call")
    project = factory.SubFactory(ProjectFactory)
    applicant = factory.SelfAttribute("project.owner")
    organisation = factory.SelfAttribute("project.organisation")
    logline_en = "A ferry captain's last crossing."
    synopsis_en = "A ferry captain on her last crossing between Hong Kong and Macau."
    director_statement_en = "I grew up on those ferries."


class ReviewerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reviewer

    call = factory.SubFactory(CallFactory)
    participant = factory.SubFactory(ParticipantFactory)

"""Factories for tests: build what a test needs, no database dumps."""

from __future__ import annotations

from datetime import date

import factory
from django.contrib.auth import get_user_model

from reelmarket.catalogue.enums import Stage, TitleKind, WindowStatus
from reelmarket.catalogue.models import RightsWindow, Title, TitleText
from reelmarket.market.enums import OrganisationKind, Role, Vetting
from reelmarket.market.models import (
    Booth,
    Edition,
    Exhibitor,
    Hall,
    Organisation,
    Participant,
    ParticipantRole,
    Pavilion,
    Registration,
)

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}@example.com")
    email = factory.SelfAttribute("username")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class EditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Edition

    name = factory.Sequence(lambda n: f"FILMART {2025 + n}")
    slug = factory.Sequence(lambda n: f"filmart-{2025 + n}")
    starts_on = date(2025, 3, 17)
    ends_on = date(2025, 3, 20)
    venue = "Hong Kong Convention and Exhibition Centre"
    city = "Hong Kong"
    time_zone = "Asia/Hong_Kong"
    is_current = False


class HallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hall

    edition = factory.SubFactory(EditionFactory)
    code = factory.Sequence(lambda n: f"1{chr(65 + n % 26)}{n // 26 or ''}")


class BoothFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Booth

    hall = factory.SubFactory(HallFactory)
    number = factory.Sequence(lambda n: f"D{n:02d}")
    tables = 2


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Company {n}")
    slug = factory.Sequence(lambda n: f"company-{n}")
    kind = OrganisationKind.SALES_AGENT
    country = "JP"


class PavilionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pavilion

    edition = factory.SubFactory(EditionFactory)
    name = factory.Sequence(lambda n: f"Pavilion {n}")
    slug = factory.Sequence(lambda n: f"pavilion-{n}")
    kind = "country"
    country = "JP"


class ExhibitorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Exhibitor

    edition = factory.SubFactory(EditionFactory)
    organisation = factory.SubFactory(OrganisationFactory)


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    display_name = factory.Sequence(lambda n: f"Person {n}")
    organisation = None
    organisation_confirmed = factory.LazyAttribute(lambda o: o.organisation is not None)
    country = "HK"
    time_zone = "Asia/Hong_Kong"

    @factory.post_generation
    def roles(obj, create, extracted, **kwargs):
        if create and extracted:
            for role in extracted:
                ParticipantRole.objects.create(participant=obj, role=role)


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    edition = factory.SubFactory(EditionFactory)
    participant = factory.SubFactory(ParticipantFactory)
    vetting = Vetting.APPROVED


class TitleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Title

    owner = factory.SubFactory(OrganisationFactory)
    reference = factory.Sequence(lambda n: f"REF-{n:04d}")
    kind = TitleKind.FEATURE
    original_title = factory.Sequence(lambda n: f"Title {n}")
    original_language = "ja"
    year = 2024
    runtime_minutes = 100
    stage = Stage.COMPLETED


class TitleTextFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TitleText

    title = factory.SubFactory(TitleFactory)
    language = "en"
    name = factory.LazyAttribute(lambda o: o.title.original_title)
    logline = "A logline."
    synopsis = "A synopsis."


class RightsWindowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RightsWindow

    title = factory.SubFactory(TitleFactory)
    media = "svod"
    territories = factory.LazyFunction(lambda: ["ASIA"])
    excluded = factory.LazyFunction(list)
    starts_on = date(2025, 1, 1)
    ends_on = date(2030, 12, 31)
    exclusive = True
    status = WindowStatus.AVAILABLE


def make_user_with_roles(*roles: str, organisation: Organisation | None = None, **kwargs) -> object:
    """A user with a participant profile holding ``roles``; returns the user."""
    participant = ParticipantFactory(roles=list(roles), organisation=organisation, **kwargs)
    return participant.user


__all__ = ["PASSWORD", "Role"]

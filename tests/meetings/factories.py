"""Meeting factories and small builders on top of tests/factories.py."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import factory
from django.utils import timezone

from reelmarket.market.enums import Attendance, Role, Vetting
from reelmarket.market.models import Edition, Organisation, Participant
from reelmarket.meetings.enums import Priority, RequestState
from reelmarket.meetings.models import MeetingGrid, MeetingRequest, RequestQuota
from reelmarket.meetings.slots import day_slots
from tests.factories import (
    BoothFactory,
    EditionFactory,
    ExhibitorFactory,
    HallFactory,
    ParticipantFactory,
    RegistrationFactory,
)


class MeetingGridFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingGrid

    edition = factory.SubFactory(EditionFactory)
    slot_minutes = 30
    day_start = time(10, 0)
    day_end = time(18, 0)
    shared_tables = 3
    shared_reserve = 1
    request_expiry_hours = 48


class RequestQuotaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RequestQuota

    grid = factory.SubFactory(MeetingGridFactory)
    role = Role.BUYER
    limit = 40


def person(
    edition: Edition,
    *roles: str,
    organisation: Organisation | None = None,
    attendance: str = Attendance.IN_PERSON,
    vetting: str = Vetting.APPROVED,
    **kwargs,
) -> Participant:
    """A participant registered (and by default approved) for ``edition``."""
    participant = ParticipantFactory(
        roles=list(roles or [Role.BUYER]), organisation=organisation, **kwargs
    )
    RegistrationFactory(
        edition=edition, participant=participant, attendance=attendance, vetting=vetting
    )
    return participant


def booth_for(edition: Edition, organisation: Organisation, *, tables: int = 2, number: str = ""):
    hall = HallFactory(edition=edition)
    booth = BoothFactory(hall=hall, tables=tables, **({"number": number} if number else {}))
    ExhibitorFactory(edition=edition, organisation=organisation, booth=booth)
    return booth


def slot_start(grid: MeetingGrid, day: int = 0, index: int = 0) -> datetime:
    """UTC start of slot ``index`` on the grid's ``day``-th meeting day."""
    return day_slots(grid.spec, grid.spec.days[day])[index].start


class MeetingRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingRequest

    edition = factory.SubFactory(EditionFactory)
    requester = factory.SubFactory(ParticipantFactory)
    target_person = factory.SubFactory(ParticipantFactory)
    counterpart = factory.LazyAttribute(lambda o: o.target_person)
    requester_priority = Priority.MEET
    state = RequestState.REQUESTED
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(hours=48))


class World:
    """A small market: one edition with a grid, a sales company with a two-table booth and
    two staff, three buyers (one online in Ho Chi Minh City) and an organiser."""

    def __init__(self) -> None:
        from tests.factories import OrganisationFactory, make_user_with_roles

        self.edition = EditionFactory(name="FILMART 2025", slug="filmart-2025")
        self.grid = MeetingGridFactory(edition=self.edition)
        RequestQuotaFactory(grid=self.grid, role=Role.BUYER, limit=3)
        self.seller_org = OrganisationFactory(name="Tokyo Sales Co", slug="tokyo-sales")
        self.buyer_org = OrganisationFactory(name="Saigon Stream", slug="saigon", country="VN")
        self.booth = booth_for(self.edition, self.seller_org, tables=2, number="D12")
        self.kenji = person(
            self.edition, Role.SELLER, organisation=self.seller_org, display_name="Kenji"
        )
        self.aiko = person(
            self.edition, Role.SELLER, organisation=self.seller_org, display_name="Aiko"
        )
        self.mei_buyer = person(self.edition, Role.BUYER, display_name="Mei")
        self.sofia = person(
            self.edition, Role.BUYER, display_name="Sofia", time_zone="Europe/Paris"
        )
        self.linh = person(
            self.edition,
            Role.BUYER,
            organisation=self.buyer_org,
            display_name="Linh",
            attendance=Attendance.ONLINE,
            time_zone="Asia/Ho_Chi_Minh",
        )
        self.organiser = make_user_with_roles(Role.ORGANISER)

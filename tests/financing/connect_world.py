"""A small Producers Connect world for the session tests: an edition, an organiser, three
producers with projects, two partners with investor profiles, an outsider, a session."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from reelmarket.financing import services_connect as services
from reelmarket.financing.enums import InvestorKind, PartnerKind, ProjectKind
from reelmarket.financing.enums_connect import SessionState, Side
from reelmarket.financing.models import ConnectSession, PartnerSought
from reelmarket.market.enums import Role
from tests.factories import EditionFactory, make_user_with_roles
from tests.financing.factories import InvestorProfileFactory, ProjectFactory
from tests.meetings.factories import person

HK = ZoneInfo("Asia/Hong_Kong")


def hk(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment of March 2025 in Hong Kong time."""
    return datetime(2025, 3, day, hour, minute, tzinfo=HK)


class ConnectWorld:
    def __init__(self, *, rounds: int = 2, tables: int = 2) -> None:
        self.edition = EditionFactory(is_current=True, name="FILMART 2025", slug="filmart-2025")
        self.organiser = make_user_with_roles(Role.ORGANISER)
        # producers: Mei (animation, seeks a co-producer from France), Arjun (drama), Lena
        self.mei = person(self.edition, Role.PRODUCER, display_name="Mei", country="HK")
        self.arjun = person(self.edition, Role.PRODUCER, display_name="Arjun", country="IN")
        self.lena = person(self.edition, Role.PRODUCER, display_name="Lena", country="DE")
        self.mei_project = ProjectFactory(
            owner=self.mei,
            title="Paper Tigers",
            kind=ProjectKind.ANIMATION_FEATURE,
            genres=["animation", "family"],
            countries=["HK"],
            budget=Decimal("2000000"),
        )
        PartnerSought.objects.create(project=self.mei_project, kind=PartnerKind.COPRODUCER)
        self.arjun_project = ProjectFactory(
            owner=self.arjun, title="Monsoon Letters", genres=["drama"], countries=["IN"]
        )
        self.lena_project = ProjectFactory(
            owner=self.lena, title="Cold Harbour", genres=["thriller"], countries=["DE"]
        )
        # partners: a fund that likes animation and drama, a French co-producer
        self.fund = person(self.edition, Role.INVESTOR, display_name="Grace (Lantern Fund)")
        self.fund_profile = InvestorProfileFactory(
            participant=self.fund,
            kind=InvestorKind.FUND,
            genres=["animation", "drama"],
            regions=["HK", "IN"],
            stages=[],
        )
        self.copro = person(
            self.edition, Role.INVESTOR, display_name="Louis (Paris Copro)", country="FR"
        )
        self.copro_profile = InvestorProfileFactory(
            participant=self.copro,
            kind=InvestorKind.COPRODUCER,
            genres=["animation", "thriller"],
            regions=["HK", "DE"],
            stages=[],
            treaties=["HK"],
        )
        self.outsider = person(self.edition, Role.BUYER, display_name="Outsider")
        self.session = services.session_create(
            actor=self.organiser,
            edition=self.edition,
            name="Producers Connect — Day 2",
            starts_at=hk(18, 14, 0),
            rounds=rounds,
            round_minutes=20,
            break_minutes=5,
            tables=tables,
            room="Room S421",
        )

    def open(self) -> ConnectSession:
        self.session = services.session_set_state(
            actor=self.organiser, session=self.session, to_state=SessionState.OPEN
        )
        return self.session

    def register_all(self, *, lena: bool = False) -> None:
        """Mei and Arjun (and Lena) as producers, the fund and the co-producer as partners."""
        if self.session.state == SessionState.DRAFT:
            self.open()
        pairs = [(self.mei, self.mei_project), (self.arjun, self.arjun_project)]
        if lena:
            pairs.append((self.lena, self.lena_project))
        self.regs = {}
        for who, project in pairs:
            self.regs[who.display_name] = services.session_register(
                actor=who.user,
                session=self.session,
                participant=who,
                side=Side.PRODUCER,
                project=project,
            )
        for who in (self.fund, self.copro):
            self.regs[who.display_name] = services.session_register(
                actor=who.user, session=self.session, participant=who, side=Side.PARTNER
            )

    def reg(self, participant):
        return self.regs[participant.display_name]

    def build(self, *, seed: int = 0) -> ConnectSession:
        if self.session.state == SessionState.OPEN:
            self.session = services.session_set_state(
                actor=self.organiser, session=self.session, to_state=SessionState.CLOSED
            )
        self.session = services.session_build(actor=self.organiser, session=self.session, seed=seed)
        return self.session

    def publish(self) -> int:
        count = services.session_publish(actor=self.organiser, session=self.session)
        self.session.refresh_from_db()
        return count

"""A small Producers Connect world for the project, document and investor tests.

Arjun (producer, Mumbai) owns "Monsoon Ledger": USD 1.2 m budget, 300k national fund and
120k pre-sale secured (35 %), 200k pending; gap 780k. His colleague works (confirmed) at the
same company; a claimant says so but is not confirmed. Sofia runs a foundation's fund
(investor, approved for the edition); an outsider is a buyer; Mei is an organiser.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from reelmarket.financing.enums import InvestorKind, PartnerKind, ProjectKind, ProjectStage
from reelmarket.financing.models import FinancingSource, PartnerSought, Project
from reelmarket.market.enums import OrganisationKind, Role, Vetting
from tests.factories import (
    EditionFactory,
    OrganisationFactory,
    ParticipantFactory,
    RegistrationFactory,
)
from tests.financing.factories import InvestorProfileFactory, ProjectFactory

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 40


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


class World:
    def __init__(self) -> None:
        self.edition = EditionFactory(is_current=True, name="FILMART 2025", slug="filmart-2025")
        self.company = OrganisationFactory(
            name="Kite Films",
            slug="kite-films",
            kind=OrganisationKind.PRODUCTION_COMPANY,
            country="IN",
        )
        self.foundation = OrganisationFactory(
            name="Fondation Lumière",
            slug="fondation-lumiere",
            kind=OrganisationKind.FOUNDATION,
            country="FR",
        )
        self.arjun = ParticipantFactory(
            display_name="Arjun Mehta",
            country="IN",
            organisation=self.company,
            roles=[Role.PRODUCER],
        )
        self.colleague = ParticipantFactory(
            display_name="Priya Nair", country="IN", organisation=self.company, roles=[Role.SELLER]
        )
        self.claimant = ParticipantFactory(
            display_name="Rahul Claims",
            country="IN",
            organisation=self.company,
            organisation_confirmed=False,
            roles=[Role.PRODUCER],
        )
        self.sofia = ParticipantFactory(
            display_name="Sofia Laurent",
            country="FR",
            organisation=self.foundation,
            roles=[Role.INVESTOR],
        )
        RegistrationFactory(edition=self.edition, participant=self.sofia, vetting=Vetting.APPROVED)
        self.outsider = ParticipantFactory(
            display_name="Olga Buyer", country="DE", roles=[Role.BUYER]
        )
        RegistrationFactory(
            edition=self.edition, participant=self.outsider, vetting=Vetting.APPROVED
        )
        self.mei = ParticipantFactory(display_name="Mei Organiser", roles=[Role.ORGANISER])
        self.project = ProjectFactory(
            owner=self.arjun,
            organisation=self.company,
            title="Monsoon Ledger",
            kind=ProjectKind.FEATURE,
            genres=["drama"],
            stage=ProjectStage.DEVELOPMENT,
            countries=["IN"],
            target_markets=["IN", "FR", "SG"],
            budget=Decimal("1200000"),
            currency="USD",
        )
        FinancingSource.objects.create(
            project=self.project,
            kind="public_fund",
            name="NFDC",
            amount=Decimal("300000"),
            country="IN",
        )
        FinancingSource.objects.create(
            project=self.project, kind="pre_sales", name="Pre-sale India", amount=Decimal("120000")
        )
        FinancingSource.objects.create(
            project=self.project,
            kind="equity",
            name="Private equity",
            amount=Decimal("200000"),
            status="pending",
        )
        PartnerSought.objects.create(
            project=self.project, kind=PartnerKind.COPRODUCER, country="FR"
        )
        PartnerSought.objects.create(project=self.project, kind=PartnerKind.SALES_AGENT)
        self.profile = InvestorProfileFactory(
            participant=self.sofia,
            kind=InvestorKind.FOUNDATION,
            ticket_min=Decimal("50000"),
            ticket_max=Decimal("400000"),
            currency="EUR",
            genres=["drama", "documentary"],
            kinds=[],
            regions=["IN", "FR"],
            stages=[ProjectStage.DEVELOPMENT],
            treaties=["IN"],
            impact_focus="Independent and non-mainstream cinema.",
        )

    @property
    def users(self) -> dict[str, object]:
        """One user per role the permission tests walk through."""
        return {
            "anonymous": None,
            "outsider": self.outsider.user,
            "claimant": self.claimant.user,
            "investor": self.sofia.user,
            "colleague": self.colleague.user,
            "owner": self.arjun.user,
            "organiser": self.mei.user,
        }

    def refresh(self) -> Project:
        self.project = Project.objects.get(pk=self.project.pk)
        return self.project

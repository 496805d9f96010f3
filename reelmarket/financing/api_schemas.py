"""Request and response schemas of the Producers Connect API (``financing/api.py``)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema

Amount = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)]
Codes = Annotated[list[Annotated[str, Field(max_length=40)]], Field(max_length=30)]


# --- schemas ---------------------------------------------------------------------------------


class PersonOut(Schema):
    id: int
    name: str
    organisation: str | None


class PlanOut(Schema):
    budget: Decimal
    currency: str
    secured: Decimal
    pending: Decimal
    gap: Decimal
    secured_share: Decimal = Field(description="Secured / budget, 0..1.")
    secured_percent: Decimal = Field(description="The same in per cent, one decimal.")


class SourceOut(Schema):
    id: int
    kind: str
    name: str
    country: str
    amount: Decimal
    status: str


class PartnerOut(Schema):
    kind: str
    country: str
    note: str


class MemberOut(Schema):
    name: str
    role: str
    bio: str


class DocumentOut(Schema):
    id: int
    kind: str
    name: str
    content_type: str
    size: int
    uploaded_at: datetime
    url: str = Field(description="The permission-checked download address.")


class MatchOut(Schema):
    score: float
    excluded: bool = Field(description="The profile's kinds, stages or tickets rule it out.")
    reasons: list[str]


class ProjectOut(Schema):
    id: int
    title: str
    original_title: str
    kind: str
    stage: str
    genres: list[str]
    logline: str
    synopsis: str
    language: str
    countries: list[str]
    target_markets: list[str]
    shooting_languages: list[str]
    runtime_minutes: int | None
    episodes: int | None
    expected_completion: date | None
    seeking_financing: bool
    documents_for_investors: bool
    producer: PersonOut
    company: str | None
    plan: PlanOut
    sources: list[SourceOut]
    partners_sought: list[PartnerOut]
    team: list[MemberOut]
    documents: list[DocumentOut] | None = Field(
        description="Null when the producer has not shared the documents with you."
    )
    may_edit: bool
    match: MatchOut | None = Field(description="Relevance to your investor profile, if any.")
    updated_at: datetime


class ProjectIn(Schema):
    title: str = Field(max_length=200)
    kind: str = Field(max_length=20)
    stage: str = Field(max_length=20)
    budget: Amount
    currency: str = Field(max_length=3)
    original_title: str = Field("", max_length=200)
    genres: Codes = Field(default_factory=list)
    countries: Codes = Field(default_factory=list)
    target_markets: Codes = Field(default_factory=list)
    logline: str = Field("", max_length=300)
    synopsis: str = Field("", max_length=20000)
    language: str = Field("en", max_length=16)
    shooting_languages: Codes = Field(default_factory=list)
    runtime_minutes: int | None = Field(None, ge=1, le=1000)
    episodes: int | None = Field(None, ge=1, le=1000)
    expected_completion: date | None = None
    seeking_financing: bool = True
    documents_for_investors: bool = False


class ProjectPatch(Schema):
    """Only the fields you send change."""

    title: str | None = Field(None, max_length=200)
    kind: str | None = Field(None, max_length=20)
    stage: str | None = Field(None, max_length=20)
    budget: Amount | None = None
    currency: str | None = Field(None, max_length=3)
    original_title: str | None = Field(None, max_length=200)
    genres: Codes | None = None
    countries: Codes | None = None
    target_markets: Codes | None = None
    logline: str | None = Field(None, max_length=300)
    synopsis: str | None = Field(None, max_length=20000)
    language: str | None = Field(None, max_length=16)
    shooting_languages: Codes | None = None
    runtime_minutes: int | None = Field(None, ge=1, le=1000)
    episodes: int | None = Field(None, ge=1, le=1000)
    expected_completion: date | None = None
    seeking_financing: bool | None = None
    documents_for_investors: bool | None = None


class SourceIn(Schema):
    kind: str = Field(max_length=20)
    name: str = Field(max_length=200)
    amount: Amount
    status: str = Field("secured", max_length=10)
    country: str = Field("", max_length=2)


class PartnerIn(Schema):
    kind: str = Field(max_length=20)
    country: str = Field("", max_length=2)
    note: str = Field("", max_length=200)


class ProjectQuery(Schema):
    q: str = Field("", max_length=200)
    stage: list[str] = Field(default_factory=list)
    kind: list[str] = Field(default_factory=list)
    genre: list[str] = Field(default_factory=list)
    country: str = Field("", max_length=2)
    gap_min_usd: Decimal | None = Field(None, ge=0)
    gap_max_usd: Decimal | None = Field(None, ge=0)


class ProjectRowOut(Schema):
    id: int
    title: str
    kind: str
    stage: str
    genres: list[str]
    countries: list[str]
    logline: str
    company: str | None
    plan: PlanOut
    gap_usd: float
    match: MatchOut | None


class InvestorProfileOut(Schema):
    id: int
    person: PersonOut
    country: str
    kind: str
    ticket_min: Decimal
    ticket_max: Decimal
    currency: str
    genres: list[str]
    kinds: list[str]
    regions: list[str]
    stages: list[str]
    treaties: list[str]
    impact_focus: str
    statement: str
    updated_at: datetime


class InvestorProfileIn(Schema):
    kind: str = Field(max_length=20)
    ticket_min: Amount
    ticket_max: Amount
    currency: str = Field("USD", max_length=3)
    genres: Codes = Field(default_factory=list)
    kinds: Codes = Field(default_factory=list)
    regions: Codes = Field(default_factory=list)
    stages: Codes = Field(default_factory=list)
    treaties: Codes = Field(default_factory=list)
    impact_focus: str = Field("", max_length=2000)
    statement: str = Field("", max_length=4000)


class InvestorMatchOut(Schema):
    profile: InvestorProfileOut
    match: MatchOut


class InvestorQuery(Schema):
    q: str = Field("", max_length=200)
    kind: list[str] = Field(default_factory=list)
    country: str = Field("", max_length=2)
    include_excluded: bool = False

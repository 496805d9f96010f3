"""Input shapes of the Producers Connect services, shared by the HTML forms and the API."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from reelmarket.financing.enums import SourceStatus


@dataclass(frozen=True)
class ProjectData:
    title: str
    kind: str
    stage: str
    budget: Decimal
    currency: str
    genres: Sequence[str] = ()
    countries: Sequence[str] = ()
    target_markets: Sequence[str] = ()
    original_title: str = ""
    logline: str = ""
    synopsis: str = ""
    language: str = "en"
    shooting_languages: Sequence[str] = ()
    runtime_minutes: int | None = None
    episodes: int | None = None
    expected_completion: date | None = None
    seeking_financing: bool = True
    documents_for_investors: bool = False


@dataclass(frozen=True)
class SourceData:
    kind: str
    name: str
    amount: Decimal
    status: str = SourceStatus.SECURED
    country: str = ""


@dataclass(frozen=True)
class PartnerData:
    kind: str
    country: str = ""
    note: str = ""


@dataclass(frozen=True)
class InvestorData:
    kind: str
    ticket_min: Decimal
    ticket_max: Decimal
    currency: str = "USD"
    genres: Sequence[str] = ()
    kinds: Sequence[str] = ()
    regions: Sequence[str] = ()
    stages: Sequence[str] = ()
    treaties: Sequence[str] = ()
    impact_focus: str = ""
    statement: str = ""

"""The plain-data shapes of the demo market (no Django) and its markers."""

from __future__ import annotations

from dataclasses import dataclass, field

ORG_PREFIX = "demo-"
EMAIL_DOMAIN = "demo.example"
PORTAL_URL = "http://127.0.0.1:8000"


class DemoError(ValueError):
    """The demo cannot be built with these settings or on this database."""


@dataclass(frozen=True)
class DemoScale:
    """How big the demo is. The defaults are FILMART 2025 as published."""

    exhibitors: int = 760
    participants: int = 7600
    titles: int = 1200

    def __post_init__(self) -> None:
        if self.exhibitors < 10:
            raise DemoError("The demo needs at least 10 exhibitors.")
        if self.titles < 0:
            raise DemoError("The number of titles cannot be negative.")
        if role_counts(self.exhibitors, self.participants)["buyer"] < 1:
            least = self.participants
            while role_counts(self.exhibitors, least)["buyer"] < 1:
                least += 1
            raise DemoError(
                f"{self.participants} participants are too few for {self.exhibitors} "
                f"exhibitors: give at least {least} (each exhibitor needs a seller, and the "
                "market needs buyers, producers and organisers too)."
            )


def role_counts(exhibitors: int, participants: int) -> dict[str, int]:
    """How many participants have each main role (the rest of the shares go to buyers)."""
    counts = {
        "organiser": max(1, round(participants * 0.005)),
        "seller": max(exhibitors + 3, round(participants * 0.28)),
        "press": round(participants * 0.035),
        "investor": round(participants * 0.045),
        "producer": round(participants * 0.175),
    }
    counts["buyer"] = participants - sum(counts.values())
    return counts


@dataclass(frozen=True)
class OrgSpec:
    slug: str
    name: str
    kind: str
    country: str
    city: str
    description: str
    website: str


@dataclass(frozen=True)
class BoothSpec:
    hall: str
    number: str
    tables: int


@dataclass(frozen=True)
class PavilionPlan:
    slug: str
    name: str
    kind: str
    country: str
    agency: str  # organisation slug
    hall: str
    is_new: bool
    description: str


@dataclass(frozen=True)
class ExhibitorSpec:
    organisation: str  # slug
    booth: str  # booth number
    pavilion: str | None  # pavilion slug


@dataclass(frozen=True)
class PersonSpec:
    email: str
    first_name: str
    last_name: str
    display_name: str
    organisation: str | None  # slug
    job_title: str
    country: str
    time_zone: str
    languages: tuple[str, ...]
    bio: str
    roles: tuple[str, ...]
    content_kinds: tuple[str, ...]
    genres: tuple[str, ...]
    territories: tuple[str, ...]
    budget_range: str
    profile_visibility: str
    contact_visibility: str
    interests_visibility: str
    attendance: str
    vetting: str
    login: str = ""  # "organiser" / "exhibitor" / "buyer" for the printed logins
    media: tuple[str, ...] = ()  # stated media bought; empty: read from the company's kind


@dataclass(frozen=True)
class OwnerSpec:
    """An exhibitor that owns titles, with its weight per title kind."""

    slug: str
    country: str
    kind: str
    weight: float


@dataclass(frozen=True)
class MarketPlan:
    seed: int
    scale: DemoScale
    edition: dict
    halls: tuple[tuple[str, str], ...]
    booths: tuple[BoothSpec, ...]
    organisations: tuple[OrgSpec, ...]
    pavilions: tuple[PavilionPlan, ...]
    exhibitors: tuple[ExhibitorSpec, ...]
    people: tuple[PersonSpec, ...]
    owners: tuple[OwnerSpec, ...]
    seller_slug: str
    buyers_by_country: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def logins(self) -> tuple[PersonSpec, ...]:
        return tuple(p for p in self.people if p.login)

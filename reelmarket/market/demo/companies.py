"""Companies of the demo: unique names, slugs and e-mail addresses, and the three
organisations of the printed logins."""

from __future__ import annotations

import math
import random

from reelmarket.market.demo.countries import Country
from reelmarket.market.demo.names import ORG_SUFFIXES, ORG_WORDS, ascii_slug
from reelmarket.market.demo.specs import EMAIL_DOMAIN, ORG_PREFIX, OrgSpec
from reelmarket.market.demo.vocab import CN_CITIES, ORG_ABOUT, ORG_WHAT

# --------------------------------------------------------------------------------------
# The three people whose logins are printed (from docs/user journeys).

ORGANISER_ORG = OrgSpec(
    slug=ORG_PREFIX + "hktdc",
    name="Hong Kong Trade Development Council",
    kind="government_agency",
    country="HK",
    city="Hong Kong",
    description="Organiser of FILMART, the Hong Kong International Film & TV Market.",
    website="https://example.com/hktdc",
)
SELLER_ORG_NAME = "Hoshizora Pictures International"
SELLER_BOOTH = ("1C", 71)  # 1C-D12
BUYER_ORG_NAME = "Sen Vàng Play"

KENJI = {"given": "Kenji", "family": "Sato", "email": "kenji@" + EMAIL_DOMAIN}
LINH = {"given": "Thùy Linh", "family": "Nguyễn", "email": "linh@" + EMAIL_DOMAIN}
MEI = {"given": "Mei", "family": "Wong", "email": "mei@" + EMAIL_DOMAIN}


def weighted(rng: random.Random, pairs: tuple[tuple[str, float], ...]) -> str:
    total = sum(w for _, w in pairs)
    point = rng.random() * total
    for value, weight in pairs:
        point -= weight
        if point < 0:
            return value
    return pairs[-1][0]


def allocate(total: int, weights: dict[str, float]) -> dict[str, int]:
    """Split ``total`` by ``weights`` (largest remainder, ties by key order)."""
    positive = {k: w for k, w in weights.items() if w > 0}
    whole = sum(positive.values())
    if not positive or total <= 0:
        return dict.fromkeys(weights, 0)
    exact = {k: total * w / whole for k, w in positive.items()}
    counts = {k: math.floor(v) for k, v in exact.items()}
    order = sorted(positive, key=lambda k: (-(exact[k] - counts[k]), list(positive).index(k)))
    for key in order[: total - sum(counts.values())]:
        counts[key] += 1
    return {k: counts.get(k, 0) for k in weights}


class Namer:
    """Unique organisation names and slugs, and unique e-mail addresses."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.names: set[str] = set()
        self.slugs: set[str] = set()
        self.emails: set[str] = {KENJI["email"], LINH["email"], MEI["email"]}

    def reserve(self, name: str, slug: str) -> None:
        self.names.add(name)
        self.slugs.add(slug)

    def organisation(self, culture: str, kind: str, city: str) -> tuple[str, str]:
        words = ORG_WORDS.get(culture) or ORG_WORDS["en"]
        suffixes = ORG_SUFFIXES[kind]
        rng = self.rng
        name = ""
        for attempt in range(40):
            first = rng.choice(words)
            if attempt < 8:
                name = f"{first} {rng.choice(suffixes)}"
            elif attempt < 30:
                second = rng.choice(words)
                if second == first:
                    continue
                name = f"{first} {second} {rng.choice(suffixes)}"
            else:
                name = f"{first} {rng.choice(suffixes)} {city}"
            if name not in self.names:
                break
        base = name
        n = 2
        while name in self.names:
            name = f"{base} {n}"
            n += 1
        slug = ORG_PREFIX + ascii_slug(name)
        base_slug, n = slug, 2
        while slug in self.slugs:
            slug = f"{base_slug}-{n}"
            n += 1
        self.reserve(name, slug)
        return name, slug

    def email(self, given: str, family: str, domain: str) -> str:
        local = ".".join(p for p in (ascii_slug(given), ascii_slug(family)) if p) or "guest"
        email, n = f"{local}@{domain}", 2
        while email in self.emails:
            email = f"{local}{n}@{domain}"
            n += 1
        self.emails.add(email)
        return email


def email_domain(org_slug: str | None, fallback: str) -> str:
    label = org_slug.removeprefix(ORG_PREFIX) if org_slug else fallback
    return f"{label}.{EMAIL_DOMAIN}"


def org_about(rng: random.Random, kind: str, country: str) -> str:
    from reelmarket.catalogue.avails.territories import territory_name

    return ORG_ABOUT[kind].format(what=rng.choice(ORG_WHAT), country=territory_name(country))


def make_org(rng: random.Random, namer: Namer, country: Country, kind: str, city: str) -> OrgSpec:
    name, slug = namer.organisation(country.culture, kind, city)
    return OrgSpec(
        slug=slug,
        name=name,
        kind=kind,
        country=country.code,
        city=city,
        description=org_about(rng, kind, country.code),
        website=f"https://example.com/{slug.removeprefix(ORG_PREFIX)}",
    )


def org_city(rng: random.Random, country: Country) -> str:
    if country.code == "CN":
        return weighted(rng, CN_CITIES)
    return rng.choice((country.cities[0], *country.cities))

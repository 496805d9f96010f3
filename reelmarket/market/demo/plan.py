"""The demo market as plain data: organisations, venue, pavilions, exhibitors, people.

Pure Python, no Django: :func:`plan_market` turns a seed and a :class:`DemoScale` into a
:class:`MarketPlan`; the same seed and scale always give the same plan (one
``random.Random`` seeded from the seed, consumed in a fixed order). The catalogue is
generated from the plan title by title in ``titles.py``; ``build.py`` writes both.
"""

from __future__ import annotations

import random

from reelmarket.market.demo.companies import (
    ORGANISER_ORG,
    SELLER_BOOTH,
    SELLER_ORG_NAME,
    Namer,
    allocate,
    make_org,
    org_city,
    weighted,
)
from reelmarket.market.demo.countries import COUNTRIES
from reelmarket.market.demo.names import ascii_slug
from reelmarket.market.demo.pavilions import (
    EDITION,
    HALLS,
    HUB_SLUG,
    INDEPENDENT_HALL,
    PAVILIONS,
    booth_number,
)
from reelmarket.market.demo.people import plan_people
from reelmarket.market.demo.specs import (
    EMAIL_DOMAIN,
    ORG_PREFIX,
    PORTAL_URL,
    BoothSpec,
    DemoError,
    DemoScale,
    ExhibitorSpec,
    MarketPlan,
    OrgSpec,
    OwnerSpec,
    PavilionPlan,
    PersonSpec,
)
from reelmarket.market.demo.vocab import EXHIBITOR_KINDS, OWNER_BASE

__all__ = [
    "EMAIL_DOMAIN",
    "ORG_PREFIX",
    "PORTAL_URL",
    "DemoError",
    "DemoScale",
    "MarketPlan",
    "PersonSpec",
    "plan_market",
]


def plan_market(*, seed: int, scale: DemoScale | None = None) -> MarketPlan:
    """The whole market except the catalogue, as plain data, from ``seed`` and ``scale``."""
    scale = scale or DemoScale()
    rng = random.Random(f"reelmarket-demo:{seed}:market")
    namer = Namer(rng)
    orgs: list[OrgSpec] = [ORGANISER_ORG]
    namer.reserve(ORGANISER_ORG.name, ORGANISER_ORG.slug)

    # Pavilion lead agencies.
    for spec in PAVILIONS:
        agency = spec.agency
        slug = ORG_PREFIX + agency.slug
        orgs.append(
            OrgSpec(
                slug=slug,
                name=agency.name,
                kind="government_agency",
                country=agency.country,
                city=agency.city,
                description=agency.description,
                website=f"https://example.com/{agency.slug}",
            )
        )
        namer.reserve(agency.name, slug)

    # Exhibitors, country by country.
    counts = allocate(scale.exhibitors, {c.code: c.exhibitors for c in COUNTRIES.values()})
    if counts["JP"] == 0:
        largest = max(counts, key=lambda k: counts[k])
        counts[largest] -= 1
        counts["JP"] = 1
    exhibitor_orgs: list[OrgSpec] = []
    seller_org = OrgSpec(
        slug=ORG_PREFIX + ascii_slug(SELLER_ORG_NAME),
        name=SELLER_ORG_NAME,
        kind="sales_agent",
        country="JP",
        city="Tokyo",
        description="Tokyo sales agent for Japanese features, animation and series.",
        website="https://example.com/" + ascii_slug(SELLER_ORG_NAME),
    )
    namer.reserve(seller_org.name, seller_org.slug)
    for code, count in counts.items():
        country = COUNTRIES[code]
        for i in range(count):
            if code == "JP" and i == 0:
                exhibitor_orgs.append(seller_org)
                continue
            kind = weighted(rng, EXHIBITOR_KINDS)
            exhibitor_orgs.append(make_org(rng, namer, country, kind, org_city(rng, country)))
    orgs += exhibitor_orgs

    pavilions, exhibitors, booths = _venue(rng, exhibitor_orgs, seller_org.slug)

    # Owners of the catalogue (the printed seller's titles are assigned apart, see titles.py).
    owners = tuple(
        OwnerSpec(
            slug=o.slug,
            country=o.country,
            kind=o.kind,
            weight=OWNER_BASE[o.kind] * min(rng.paretovariate(1.6), 12.0),
        )
        for o in exhibitor_orgs
        if o.kind in OWNER_BASE and o is not seller_org
    )

    people, more_orgs = plan_people(rng, namer, scale, exhibitor_orgs, seller_org)
    orgs += more_orgs
    buyers_by_country: dict[str, list[str]] = {}
    for org in more_orgs:
        if org.kind in ("distributor", "broadcaster", "streamer"):
            buyers_by_country.setdefault(org.country, []).append(org.name)

    return MarketPlan(
        seed=seed,
        scale=scale,
        edition=dict(EDITION),
        halls=tuple(HALLS.items()),
        booths=tuple(booths),
        organisations=tuple(orgs),
        pavilions=tuple(pavilions),
        exhibitors=tuple(exhibitors),
        people=tuple(people),
        owners=owners,
        seller_slug=seller_org.slug,
        buyers_by_country={k: tuple(v) for k, v in sorted(buyers_by_country.items())},
    )


def _pavilion_of(org: OrgSpec) -> str | None:
    for spec in PAVILIONS:
        if spec.country and spec.country == org.country:
            if spec.cities and org.city not in spec.cities:
                continue
            if spec.kinds and org.kind not in spec.kinds:
                continue
            return spec.slug
    hub = next(s for s in PAVILIONS if s.slug == HUB_SLUG)
    return HUB_SLUG if org.country in hub.countries else None


def _venue(
    rng: random.Random, exhibitor_orgs: list[OrgSpec], seller_slug: str
) -> tuple[list[PavilionPlan], list[ExhibitorSpec], list[BoothSpec]]:
    halls = {s.slug: s.hall for s in PAVILIONS}
    pavilions = [
        PavilionPlan(
            slug=s.slug,
            name=s.name,
            kind="hub" if s.slug == HUB_SLUG else "country",
            country=s.country,
            agency=ORG_PREFIX + s.agency.slug,
            hall=s.hall,
            is_new=s.is_new,
            description=s.description,
        )
        for s in PAVILIONS
    ]
    # Members of a pavilion stand together in its hall, in pavilion order.
    order = {s.slug: i for i, s in enumerate(PAVILIONS)}
    placed = sorted(
        ((_pavilion_of(o), o) for o in exhibitor_orgs),
        key=lambda po: order.get(po[0], len(order)) if po[0] else len(order),
    )
    next_index: dict[str, int] = {}
    reserved_hall, reserved_index = SELLER_BOOTH
    exhibitors: list[ExhibitorSpec] = []
    booths: list[BoothSpec] = []
    for pavilion, org in placed:
        hall = halls[pavilion] if pavilion else INDEPENDENT_HALL
        if org.slug == seller_slug:
            hall, index, tables = reserved_hall, reserved_index, 2
        else:
            index = next_index.get(hall, 0)
            if hall == reserved_hall and index == reserved_index:
                index += 1
            next_index[hall] = index + 1
            tables = int(weighted(rng, (("1", 35), ("2", 35), ("3", 18), ("4", 12))))
        number = booth_number(hall, index)
        booths.append(BoothSpec(hall=hall, number=number, tables=tables))
        exhibitors.append(ExhibitorSpec(organisation=org.slug, booth=number, pavilion=pavilion))
    booths.sort(key=lambda b: (b.hall, b.number))
    return pavilions, exhibitors, booths

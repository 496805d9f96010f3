"""The participants of the demo: organisers, sellers, buyers, producers, investors, press."""

from __future__ import annotations

import math
import random

from reelmarket.market.demo.companies import (
    BUYER_ORG_NAME,
    KENJI,
    LINH,
    MEI,
    ORGANISER_ORG,
    Namer,
    allocate,
    email_domain,
    make_org,
    org_city,
    weighted,
)
from reelmarket.market.demo.countries import COUNTRIES, ONLINE_SHARE, REGION_TERRITORIES, Country
from reelmarket.market.demo.names import NAMES, PRESS_OUTLETS, ascii_slug, full_name
from reelmarket.market.demo.specs import ORG_PREFIX, DemoScale, OrgSpec, PersonSpec, role_counts
from reelmarket.market.demo.vocab import (
    BUDGET_RANGES,
    BUYER_KINDS,
    BUYER_KINDS_BY_ORG,
    CONTACT_VISIBILITY,
    JOBS,
    KIND_WORDS,
    STORY_GENRES,
    TITLE_KINDS,
    VETTING,
    VISIBILITY,
)


def _choose(rng: random.Random, pool: tuple[str, ...], low: int, high: int) -> tuple[str, ...]:
    return tuple(sorted(rng.sample(pool, min(len(pool), rng.randint(low, high)))))


class _PeopleMaker:
    def __init__(self, rng: random.Random, namer: Namer) -> None:
        self.rng = rng
        self.namer = namer

    def person(
        self,
        *,
        role: str,
        country: Country,
        org: OrgSpec | None,
        extra_roles: tuple[str, ...] = (),
        domain: str | None = None,
        name: tuple[str, str] | None = None,
        email: str | None = None,
        login: str = "",
        overrides: dict | None = None,
    ) -> PersonSpec:
        rng = self.rng
        given_names, family_names = NAMES[country.culture]
        given, family = name or (rng.choice(given_names), rng.choice(family_names))
        email = email or self.namer.email(
            given, family, domain or email_domain(org and org.slug, "guest")
        )
        kinds, genres, territories, budget = self._interests(role, country, org)
        kinds = (overrides or {}).get("content_kinds", kinds)
        online = rng.random() < (
            0.05 if role in ("seller", "organiser") else ONLINE_SHARE[country.region]
        )
        job = rng.choice(JOBS[role])
        if role == "press":
            job = f"{job}, {rng.choice(PRESS_OUTLETS)}"
        values = {
            "email": email,
            "first_name": given,
            "last_name": family,
            "display_name": full_name(country.culture, given, family),
            "organisation": org.slug if org else None,
            "job_title": job,
            "country": country.code,
            "time_zone": rng.choice(country.zones),
            "languages": tuple(dict.fromkeys((*country.languages, "en"))),
            "bio": self._bio(role, country, org, kinds),
            "roles": tuple(sorted({role, *extra_roles})),
            "content_kinds": kinds,
            "genres": genres,
            "territories": territories,
            "budget_range": budget,
            "profile_visibility": weighted(rng, VISIBILITY),
            "contact_visibility": weighted(rng, CONTACT_VISIBILITY),
            "interests_visibility": weighted(rng, VISIBILITY),
            "attendance": "online" if online else "in_person",
            "vetting": weighted(rng, VETTING[role]),
            "login": login,
        }
        values.update(overrides or {})
        return PersonSpec(**values)

    def _interests(
        self, role: str, country: Country, org: OrgSpec | None
    ) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], str]:
        rng = self.rng
        if role in ("organiser", "press"):
            return (), (), (), ""
        region = REGION_TERRITORIES[country.region]
        if role == "buyer":
            pool = BUYER_KINDS_BY_ORG.get(org.kind if org else "", TITLE_KINDS)
            kinds = _choose(rng, pool, 1, 4)
            territories = (country.code,) if rng.random() < 0.6 else (country.code, region[0])
            budget = rng.choice(BUDGET_RANGES[:4]) if rng.random() < 0.5 else ""
        elif role == "seller":
            kinds = _choose(rng, TITLE_KINDS[:6], 1, 4)
            territories = rng.choice(
                (("WW",), ("ASIA",), ("ASIA", "EUROPE"), ("ASIA", "NORTH_AMERICA"))
            )
            budget = ""
        elif role == "producer":
            kinds = _choose(rng, ("feature", "series", "animation_feature", "documentary"), 1, 2)
            territories = tuple(
                sorted(
                    set(
                        rng.sample(
                            ("ASIA", "ASEAN", "EUROPE", "GREATER_CHINA", "JP", "KR", "FR", "SG"), 2
                        )
                    )
                )
            )
            budget = weighted(
                rng, (("micro", 20), ("low", 35), ("mid", 30), ("high", 12), ("tentpole", 3))
            )
        else:  # investor
            kinds = _choose(rng, ("feature", "series", "animation_feature", "documentary"), 1, 3)
            territories = region[:1]
            budget = weighted(rng, (("low", 25), ("mid", 40), ("high", 25), ("tentpole", 10)))
        genres = _choose(rng, STORY_GENRES, 2, 5)
        return kinds, genres, territories, budget

    def _bio(self, role: str, country: Country, org: OrgSpec | None, kinds: tuple[str, ...]) -> str:
        from reelmarket.catalogue.avails.territories import territory_name

        what = " and ".join(KIND_WORDS[k] for k in kinds[:2]) or "film and TV content"
        where = territory_name(country.code)
        at = f" at {org.name}" if org else ""
        return {
            "buyer": f"Acquires {what}{at} for audiences in {where}.",
            "seller": f"Sells {what}{at} to buyers worldwide.",
            "producer": f"Produces {what}{at}; looking for co-producers and financing.",
            "investor": f"Invests in {what}{at}.",
            "press": f"Covers the Asian film and TV market from {where}.",
            "organiser": f"Part of the FILMART team{at}.",
        }[role]


def plan_people(
    rng: random.Random,
    namer: Namer,
    scale: DemoScale,
    exhibitor_orgs: list[OrgSpec],
    seller_org: OrgSpec,
) -> tuple[list[PersonSpec], list[OrgSpec]]:
    maker = _PeopleMaker(rng, namer)
    counts = role_counts(scale.exhibitors, scale.participants)
    people: list[PersonSpec] = []
    orgs: list[OrgSpec] = []
    hk = COUNTRIES["HK"]

    # Organisers (HKTDC); the first is Mei, staff and superuser.
    people.append(
        maker.person(
            role="organiser",
            country=hk,
            org=ORGANISER_ORG,
            name=(MEI["given"], MEI["family"]),
            email=MEI["email"],
            login="organiser",
            overrides={
                "job_title": "Project Manager, FILMART",
                "attendance": "in_person",
                "vetting": "approved",
                "profile_visibility": "participants",
            },
        )
    )
    for _ in range(counts["organiser"] - 1):
        people.append(maker.person(role="organiser", country=hk, org=ORGANISER_ORG))

    # Sellers: everyone at an exhibitor; Kenji's company has four (two tables).
    staff = allocate(
        counts["seller"] - len(exhibitor_orgs) - 3,
        {o.slug: 1 + rng.random() * 3 for o in exhibitor_orgs if o is not seller_org},
    )
    for org in exhibitor_orgs:
        country = COUNTRIES[org.country]
        if org is seller_org:
            people.append(
                maker.person(
                    role="seller",
                    country=country,
                    org=org,
                    name=(KENJI["given"], KENJI["family"]),
                    email=KENJI["email"],
                    login="exhibitor",
                    overrides={
                        "job_title": "Head of International Sales",
                        "time_zone": "Asia/Tokyo",
                        "attendance": "in_person",
                        "vetting": "approved",
                        "languages": ("ja", "en"),
                        "content_kinds": ("animation_feature", "feature", "series"),
                        "territories": ("WW",),
                        "profile_visibility": "participants",
                    },
                )
            )
            extra = 3
        else:
            extra = staff.get(org.slug, 0)
        for _ in range(1 + extra - (org is seller_org)):
            also = ("producer",) if org.kind == "production_company" and rng.random() < 0.3 else ()
            people.append(maker.person(role="seller", country=country, org=org, extra_roles=also))

    # Buyers: at distributors, broadcasters and streamers of their country; Linh first.
    buyers = allocate(counts["buyer"], {c.code: c.buyers for c in COUNTRIES.values()})
    if buyers["VN"] == 0:
        largest = max(buyers, key=lambda k: buyers[k])
        buyers[largest] -= 1
        buyers["VN"] = 1
    for code, count in buyers.items():
        country = COUNTRIES[code]
        if not count:
            continue
        companies = []
        if code == "VN":
            name = BUYER_ORG_NAME
            slug = ORG_PREFIX + ascii_slug(name)
            namer.reserve(name, slug)
            companies.append(
                OrgSpec(
                    slug=slug,
                    name=name,
                    kind="streamer",
                    country="VN",
                    city="Ho Chi Minh City",
                    description="Vietnamese streaming platform for family, drama and animation.",
                    website="https://example.com/" + slug.removeprefix(ORG_PREFIX),
                )
            )
        while len(companies) < math.ceil(count / 3):
            companies.append(
                make_org(rng, namer, country, weighted(rng, BUYER_KINDS), org_city(rng, country))
            )
        orgs += companies
        for i in range(count):
            org = companies[i % len(companies)]
            if code == "VN" and i == 0:
                people.append(
                    maker.person(
                        role="buyer",
                        country=country,
                        org=org,
                        name=(LINH["given"], LINH["family"]),
                        email=LINH["email"],
                        login="buyer",
                        overrides={
                            "job_title": "Head of Acquisitions",
                            "time_zone": "Asia/Ho_Chi_Minh",
                            "attendance": "online",
                            "vetting": "approved",
                            "languages": ("vi", "en"),
                            "content_kinds": (
                                "animation_feature",
                                "animation_series",
                                "feature",
                                "series",
                            ),
                            "genres": ("adventure", "comedy", "family", "fantasy"),
                            "territories": ("VN",),
                            "media": ("svod", "avod"),
                            "budget_range": "low",
                            "profile_visibility": "participants",
                        },
                    )
                )
                continue
            people.append(maker.person(role="buyer", country=country, org=org))

    # Producers (Producers Connect), investors and press.
    for role, column, kinds in (
        ("producer", "producers", (("production_company", 1),)),
        ("investor", "investors", (("financier", 60), ("foundation", 40))),
        ("press", "press", ()),
    ):
        allocation = allocate(
            counts[role], {c.code: getattr(c, column) for c in COUNTRIES.values()}
        )
        for code, count in allocation.items():
            country = COUNTRIES[code]
            companies = [
                make_org(rng, namer, country, weighted(rng, kinds), org_city(rng, country))
                for _ in range(math.ceil(count / 2.5) if kinds and count else 0)
            ]
            orgs += companies
            for i in range(count):
                org = companies[i % len(companies)] if companies else None
                domain = None if org else email_domain(None, "press")
                people.append(maker.person(role=role, country=country, org=org, domain=domain))
    return people, orgs

"""The Producers Connect part of the demo: ~120 projects from the market's producers and
~80 investor profiles, planned from the seed (plain Python) and written in bulk.

The personas of ``shared/context/user-journeys.md`` get their story: the first producer
from India (Arjun's role) lists "Monsoon Ledger" (USD 1.2 m, 35 % secured from a national
fund and a pre-sale, looking for an Asian co-producer and a sales agent); the first
foundation programme officer from France (Sofia's role) funds independent, non-mainstream
cinema with impact goals and may open the documents of three projects.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from reelmarket.financing.models import (
    FinancingSource,
    InvestorProfile,
    PartnerSought,
    Project,
    ProjectMember,
)
from reelmarket.financing.money import SUPPORTED_CURRENCIES, UNITS_PER_USD
from reelmarket.market.demo.banks import BANKS, GENRE_SETTINGS
from reelmarket.market.demo.countries import COUNTRIES
from reelmarket.market.demo.markers import Progress, Silent, demo_users_q
from reelmarket.market.demo.names import NAMES, full_name
from reelmarket.market.demo.specs import MarketPlan, PersonSpec
from reelmarket.market.demo.text import Story, compose
from reelmarket.market.demo.title_vocab import COMPATIBLE, STORY_WEIGHTS
from reelmarket.market.models import Participant

PROJECTS = 120
PROFILES = 80
KIND_WEIGHTS = (
    ("feature", 46),
    ("documentary", 16),
    ("animation_feature", 14),
    ("series", 14),
    ("animation_series", 10),
)
BUDGETS_USD = {  # (low, high)
    "feature": (250_000, 6_000_000),
    "documentary": (80_000, 900_000),
    "animation_feature": (900_000, 12_000_000),
    "series": (800_000, 9_000_000),
    "animation_series": (500_000, 6_000_000),
}
STAGE_WEIGHTS = (
    ("development", 40),
    ("financing", 25),
    ("pre_production", 12),
    ("production", 10),
    ("post_production", 13),
)
ASIA = ("CN", "HK", "TW", "JP", "KR", "SG", "MY", "TH", "VN", "ID", "PH", "IN")
PUBLIC_FUNDS = {
    "HK": "Film Development Fund",
    "KR": "KOFIC International Co-production Support",
    "JP": "Japan Arts Council",
    "FR": "CNC Aide aux cinémas du monde",
    "TW": "TAICCA Co-funding",
    "SG": "IMDA Southeast Asia Co-production Grant",
    "MY": "FINAS Film Fund",
    "TH": "Thai Media Fund",
    "IN": "NFDC Co-production Fund",
    "ID": "Indonesiana Film Fund",
    "PH": "FDCP Film Fund",
    "AU": "Screen Australia",
    "CA": "Telefilm Canada",
    "GB": "BFI Global Screen Fund",
    "DE": "World Cinema Fund",
    "CN": "Shanghai Film Development Fund",
}
DOCUMENTARIES = (
    (
        "The Last Ferrymen",
        "The final crew of a river ferry faces the bridge that will end their trade.",
    ),
    ("Salt Daughters", "Three generations of women keep the last salt pans of their coast alive."),
    (
        "Night Market Symphony",
        "A street-food market, one night, from the first stall to the last light.",
    ),
    (
        "The Projectionist's Archive",
        "An old projectionist's hoard of lost films finds its way back to the screen.",
    ),
    ("Wind over Paddies", "A farming village tries to adapt before the next monsoon fails."),
    ("Shadow Puppet Masters", "Two rival puppeteers train the only apprentice willing to learn."),
    ("Typhoon Season", "A year with the volunteers who rebuild after every storm."),
    ("Letters to Mother Tongue", "Speakers of a vanishing language record what it still holds."),
    ("The Opera Boat", "A floating Cantonese opera troupe on its last tour of the delta."),
    ("Borderline Kitchen", "Migrant cooks build a restaurant and a family across a border town."),
    ("Concrete Forest", "Urban gardeners turn rooftops into a forest above the city."),
    ("Ten Thousand Steps", "Pilgrims, porters and a mountain temple's daily climb."),
)
IMPACT = (
    "Independent and non-mainstream cinema; first and second features.",
    "Stories by women directors and under-represented communities.",
    "Climate, environment and the communities that live with change.",
    "Human rights and freedom of expression.",
    "Family and children's content that travels across Asia.",
    "",
    "",
)
DOCUMENT_KINDS_OPEN_SHARE = 0.25


@dataclass(frozen=True)
class SourcePlan:
    kind: str
    name: str
    amount: Decimal
    status: str
    country: str = ""


@dataclass(frozen=True)
class ProjectPlan:
    owner: int  # index into plan.people
    title: str
    kind: str
    genres: tuple[str, ...]
    stage: str
    logline: str
    synopsis: str
    countries: tuple[str, ...]
    target_markets: tuple[str, ...]
    budget: Decimal
    currency: str
    runtime: int | None
    episodes: int | None
    sources: tuple[SourcePlan, ...]
    partners: tuple[tuple[str, str], ...]
    team: tuple[tuple[str, str], ...]
    documents_for_investors: bool = False
    viewers: tuple[int, ...] = ()  # people indices who may see the documents


@dataclass(frozen=True)
class ProfilePlan:
    person: int
    kind: str
    ticket_min: Decimal
    ticket_max: Decimal
    currency: str
    genres: tuple[str, ...]
    kinds: tuple[str, ...]
    regions: tuple[str, ...]
    stages: tuple[str, ...]
    treaties: tuple[str, ...]
    impact_focus: str
    statement: str


@dataclass(frozen=True)
class FinancingPlan:
    projects: tuple[ProjectPlan, ...]
    profiles: tuple[ProfilePlan, ...]
    arjun: int | None = None
    sofia: int | None = None
    counts: dict[str, int] = field(default_factory=dict)


def _pick(rng: random.Random, pairs: Sequence[tuple[str, float]]) -> str:
    total = sum(w for _, w in pairs)
    point = rng.random() * total
    for value, weight in pairs:
        point -= weight
        if point < 0:
            return value
    return pairs[-1][0]


def _round(value: float) -> Decimal:
    """Three significant figures: budgets people write (1,250,000, not 1,247,381)."""
    if value <= 0:
        return Decimal("0")
    exponent = len(str(int(value))) - 3
    step = Decimal(10) ** max(exponent, 0)
    return (Decimal(value) / step).quantize(Decimal("1"), rounding=ROUND_HALF_UP) * step


def _currency(country: str) -> str:
    code = COUNTRIES[country].currency if country in COUNTRIES else "USD"
    return code if code in SUPPORTED_CURRENCIES else "USD"


def _local(usd: float, currency: str) -> Decimal:
    return _round(usd * UNITS_PER_USD[currency])


def _person_name(rng: random.Random, country: str) -> str:
    culture = COUNTRIES[country].culture if country in COUNTRIES else "en"
    given, family = NAMES[culture]
    return full_name(culture, rng.choice(given), rng.choice(family))


class _Planner:
    def __init__(self, plan: MarketPlan) -> None:
        self.plan = plan
        self.rng = random.Random(f"reelmarket-demo:{plan.seed}:financing")
        self.titles: set[str] = set()

    def story(self, kind: str, country: str) -> tuple[str, str, str, tuple[str, ...]]:
        rng = self.rng
        if kind == "documentary":
            name, logline = DOCUMENTARIES[rng.randrange(len(DOCUMENTARIES))]
            suffix = 2
            title = name
            while title in self.titles:
                title = f"{name} {suffix}"
                suffix += 1
            return title, logline, logline, ("documentary",)
        animated = kind.startswith("animation")
        weights = STORY_WEIGHTS[
            "animation" if animated else ("series" if kind == "series" else "feature")
        ]
        for _attempt in range(20):
            genre = _pick(rng, tuple((g, float(w)) for g, w in weights))
            bank = BANKS[genre]
            second = (
                rng.choice(COMPATIBLE[genre])
                if genre in COMPATIBLE and rng.random() < 0.4
                else None
            )
            cities = (
                COUNTRIES[country].story_cities
                if country in COUNTRIES
                else COUNTRIES["HK"].story_cities
            )
            story = Story(
                genre=genre,
                hero=rng.randrange(len(bank.heroes)),
                setup=rng.randrange(len(bank.setups)),
                turns=tuple(sorted(rng.sample(range(len(bank.turns)), 1 if second else 2))),
                hook=rng.randrange(len(bank.hooks)),
                setting=rng.choice(GENRE_SETTINGS[genre]),
                city=rng.choice(cities),
                title=rng.randrange(len(bank.titles)),
                with_city=rng.random() < 0.5,
                second_genre=second,
                second_turn=rng.randrange(len(BANKS[second].turns)) if second else 0,
            )
            text = compose(story, "en")
            if text.name not in self.titles:
                genres = (("animation",) if animated else ()) + (
                    (genre, second) if second else (genre,)
                )
                return text.name, text.logline[:300], text.synopsis, genres
        raise RuntimeError("The story banks ran out of titles.")  # pragma: no cover

    def sources(
        self, *, budget: Decimal, currency: str, country: str, secured_share: float
    ) -> tuple[SourcePlan, ...]:
        rng = self.rng
        target = budget * Decimal(str(round(secured_share, 2)))
        kinds = [
            "public_fund",
            "pre_sales",
            "minimum_guarantee",
            "tax_incentive",
            "coproducer_share",
            "equity",
            "in_kind",
        ]
        rng.shuffle(kinds)
        count = 1 if target < budget / 5 else rng.randint(2, 4)
        lines: list[SourcePlan] = []
        left = target
        for i, kind in enumerate(kinds[:count]):
            amount = left if i == count - 1 else _round(float(left) * rng.uniform(0.3, 0.6))
            amount = min(amount, left)
            if amount <= 0:
                break
            left -= amount
            lines.append(
                SourcePlan(
                    kind,
                    self.source_name(kind, country),
                    amount,
                    "secured",
                    self.source_country(kind, country),
                )
            )
        for kind in kinds[count : count + rng.randint(0, 2)]:
            amount = _round(float(budget) * rng.uniform(0.05, 0.2))
            lines.append(
                SourcePlan(
                    kind,
                    self.source_name(kind, country),
                    amount,
                    "pending",
                    self.source_country(kind, country),
                )
            )
        return tuple(lines)

    def source_country(self, kind: str, country: str) -> str:
        if kind == "coproducer_share":
            return self.rng.choice([c for c in (*ASIA, "FR", "DE") if c != country])
        if kind in ("public_fund", "tax_incentive"):
            return country
        return ""

    def source_name(self, kind: str, country: str) -> str:
        rng = self.rng
        return {
            "public_fund": PUBLIC_FUNDS.get(country, "National film fund"),
            "pre_sales": rng.choice(
                (
                    "Pre-sale, free TV",
                    "Pre-sale, streaming platform",
                    "Pre-sale, theatrical distributor",
                )
            ),
            "minimum_guarantee": "Minimum guarantee, international sales agent",
            "tax_incentive": "Production incentive",
            "coproducer_share": "Co-producer's share",
            "equity": rng.choice(
                ("Private equity", "Producer's own investment", "Angel investors")
            ),
            "in_kind": rng.choice(
                ("Post-production services (in kind)", "Equipment and studio (in kind)")
            ),
        }[kind]

    def project(self, owner: int, person: PersonSpec) -> ProjectPlan:
        rng = self.rng
        kind = _pick(rng, KIND_WEIGHTS)
        country = person.country
        title, logline, synopsis, genres = self.story(kind, country)
        self.titles.add(title)
        low, high = BUDGETS_USD[kind]
        usd = low * (high / low) ** rng.random()  # log-uniform
        currency = _currency(country) if rng.random() < 0.7 else "USD"
        budget = _local(usd, currency)
        stage = _pick(rng, STAGE_WEIGHTS)
        share = {
            "development": 0.15,
            "financing": 0.4,
            "pre_production": 0.6,
            "production": 0.75,
            "post_production": 0.85,
        }[stage]
        share = max(0.0, min(0.95, rng.gauss(share, 0.12)))
        countries = (country,) + (
            (rng.choice([c for c in ASIA if c != country]),) if rng.random() < 0.35 else ()
        )
        markets = tuple(
            sorted(
                set(rng.sample((*ASIA, "FR", "DE", "US", "GB", "AU"), rng.randint(2, 5)))
                | {country}
            )
        )
        partners: list[tuple[str, str]] = []
        if rng.random() < 0.75:
            partners.append(
                (
                    "coproducer",
                    rng.choice(("", *tuple(c for c in (*ASIA, "FR", "DE") if c != country))),
                )
            )
        for kind_sought, chance in (
            ("sales_agent", 0.55),
            ("distributor", 0.35),
            ("financier", 0.45),
            ("foundation", 0.2),
        ):
            if rng.random() < chance:
                partners.append((kind_sought, ""))
        runtime = (
            rng.randint(80, 125)
            if kind in ("feature", "animation_feature", "documentary")
            else None
        )
        episodes = rng.choice((6, 8, 10, 12, 26, 52)) if kind.endswith("series") else None
        team = (
            (_person_name(rng, country), "Director"),
            (person.display_name, "Producer"),
            (_person_name(rng, country), "Screenwriter"),
        )
        return ProjectPlan(
            owner=owner,
            title=title,
            kind=kind,
            genres=genres,
            stage=stage,
            logline=logline,
            synopsis=synopsis,
            countries=countries,
            target_markets=markets,
            budget=budget,
            currency=currency,
            runtime=runtime,
            episodes=episodes,
            sources=self.sources(
                budget=budget, currency=currency, country=country, secured_share=share
            ),
            partners=tuple(dict.fromkeys(partners)),
            team=team,
            documents_for_investors=rng.random() < DOCUMENT_KINDS_OPEN_SHARE,
        )

    def arjun_project(self, owner: int, person: PersonSpec) -> ProjectPlan:
        title = "Monsoon Ledger"
        self.titles.add(title)
        return ProjectPlan(
            owner=owner,
            title=title,
            kind="feature",
            genres=("drama", "family"),
            stage="financing",
            logline=(
                "A Mumbai accountant discovers that her late father kept a second set of "
                "books — and a second family."
            ),
            synopsis=(
                "When Meera settles her father's small import business, she finds a second ledger: "
                "payments, every month for thirty years, to a family in Kolkata she never knew. "
                "Through one monsoon season she follows the numbers, and the people behind them."
            ),
            countries=("IN",),
            target_markets=("IN", "SG", "MY", "FR", "GB"),
            budget=Decimal("1200000"),
            currency="USD",
            runtime=105,
            episodes=None,
            sources=(
                SourcePlan("public_fund", PUBLIC_FUNDS["IN"], Decimal("300000"), "secured", "IN"),
                SourcePlan(
                    "pre_sales",
                    "Pre-sale, streaming platform (India)",
                    Decimal("120000"),
                    "secured",
                    "IN",
                ),
                SourcePlan("equity", "Private equity", Decimal("150000"), "pending"),
            ),
            partners=(("coproducer", "SG"), ("coproducer", ""), ("sales_agent", "")),
            team=(
                (person.display_name, "Producer"),
                ("Ananya Rao", "Director"),
                ("Karan Malhotra", "Screenwriter"),
            ),
            documents_for_investors=False,
        )

    def profile(self, index: int, person: PersonSpec, org_kind: str) -> ProfilePlan:
        rng = self.rng
        if org_kind == "foundation":
            kind = "foundation"
        elif org_kind == "financier":
            kind = rng.choice(("financier", "fund", "fund"))
        else:
            kind = _pick(
                rng,
                (("financier", 30), ("coproducer", 30), ("sales_agent", 20), ("distributor", 20)),
            )
        low_usd, high_usd = {
            "foundation": (10_000, 200_000),
            "fund": (100_000, 2_000_000),
            "financier": (250_000, 5_000_000),
            "coproducer": (100_000, 1_500_000),
            "sales_agent": (50_000, 500_000),
            "distributor": (20_000, 300_000),
        }[kind]
        tmin = low_usd * rng.uniform(1, 3)
        tmax = max(tmin * rng.uniform(2, 6), tmin)
        tmax = min(tmax, high_usd * 1.5)
        currency = _currency(person.country) if rng.random() < 0.5 else "USD"
        region = [c for c in ASIA if c != person.country]
        regions = tuple(sorted({person.country, *rng.sample(region, rng.randint(1, 4))}))
        kinds = (
            tuple(sorted(rng.sample([k for k, _ in KIND_WEIGHTS], rng.randint(1, 3))))
            if rng.random() < 0.7
            else ()
        )
        stages = (
            tuple(sorted(rng.sample([s for s, _ in STAGE_WEIGHTS], rng.randint(1, 3))))
            if rng.random() < 0.7
            else ()
        )
        genres = tuple(person.genres) if rng.random() < 0.8 else ()
        treaties = (
            tuple(sorted(rng.sample(region, rng.randint(0, 3))))
            if kind in ("coproducer", "fund")
            else ()
        )
        focus = rng.choice(IMPACT) if kind in ("foundation", "fund") else ""
        statement = {
            "foundation": "We support projects with artistic ambition and social impact.",
            "fund": "Gap and co-production financing for Asian features and series.",
            "financier": "Equity and gap financing alongside public funds and pre-sales.",
            "coproducer": "Minority co-productions using our country's treaties and incentives.",
            "sales_agent": "International sales with minimum guarantees for strong packages.",
            "distributor": "Acquisitions for our territory at script stage or later.",
        }[kind]
        return ProfilePlan(
            person=index,
            kind=kind,
            ticket_min=_local(tmin, currency),
            ticket_max=_local(tmax, currency),
            currency=currency,
            genres=genres,
            kinds=kinds,
            regions=regions,
            stages=stages,
            treaties=treaties,
            impact_focus=focus,
            statement=statement,
        )

    def sofia_profile(self, index: int) -> ProfilePlan:
        return ProfilePlan(
            person=index,
            kind="foundation",
            ticket_min=Decimal("20000"),
            ticket_max=Decimal("150000"),
            currency="EUR",
            genres=("documentary", "drama", "family", "historical"),
            kinds=("documentary", "feature"),
            regions=("ID", "IN", "MY", "PH", "TH", "VN"),
            stages=("development", "financing"),
            treaties=(),
            impact_focus=(
                "Independent and non-mainstream cinema from South and Southeast Asia, "
                "with impact goals: climate, gender equality, freedom of expression."
            ),
            statement=(
                "Development and production grants for first and second features and "
                "creative documentaries."
            ),
        )


def plan_financing(
    plan: MarketPlan, *, projects: int = PROJECTS, profiles: int = PROFILES
) -> FinancingPlan:
    """The demo's projects and investor profiles (no database); the same seed, the same plan."""
    planner = _Planner(plan)
    rng = planner.rng
    org_kind = {o.slug: o.kind for o in plan.organisations}
    producers = [i for i, p in enumerate(plan.people) if "producer" in p.roles]
    investors = [
        i
        for i, p in enumerate(plan.people)
        if "investor" in p.roles
        or org_kind.get(p.organisation or "") in ("financier", "foundation")
    ]
    arjun = next(
        (i for i in producers if plan.people[i].country == "IN"),
        producers[0] if producers else None,
    )
    sofia = next(
        (
            i
            for i in investors
            if plan.people[i].country == "FR"
            and org_kind.get(plan.people[i].organisation or "") == "foundation"
        ),
        investors[0] if investors else None,
    )
    owners = [i for i in producers if i != arjun]
    rng.shuffle(owners)
    chosen = owners[: max(0, projects - 1)]
    # Some producers list two projects, as real ones do.
    chosen += [chosen[i] for i in range(0, min(len(chosen), max(0, projects - 1 - len(chosen))))]
    rows: list[ProjectPlan] = []
    if arjun is not None:
        rows.append(planner.arjun_project(arjun, plan.people[arjun]))
    rows += [planner.project(i, plan.people[i]) for i in sorted(chosen)]
    backers = [i for i in investors if i != sofia]
    rng.shuffle(backers)
    profile_rows: list[ProfilePlan] = []
    if sofia is not None:
        profile_rows.append(planner.sofia_profile(sofia))
    for i in sorted(backers[: max(0, profiles - 1)]):
        person = plan.people[i]
        profile_rows.append(planner.profile(i, person, org_kind.get(person.organisation or "", "")))
    if sofia is not None and rows:
        # Three producers let Sofia read their dossiers (Arjun's among them).
        fits = [
            r
            for r in rows[1:]
            if r.kind in ("documentary", "feature") and r.stage in ("development", "financing")
        ]
        shared = {0, *(rows.index(r) for r in fits[:2])}
        rows = [
            ProjectPlan(**{**r.__dict__, "viewers": (sofia,)}) if n in shared else r
            for n, r in enumerate(rows)
        ]
    return FinancingPlan(
        projects=tuple(rows),
        profiles=tuple(profile_rows),
        arjun=arjun,
        sofia=sofia,
        counts={"projects": len(rows), "investor_profiles": len(profile_rows)},
    )


def write_financing(plan: MarketPlan, *, progress: Progress | None = None) -> FinancingPlan:
    """Write the demo's projects (plans, partners, team, document access) and profiles."""
    progress = progress or Silent()
    demo = plan_financing(plan)
    users = get_user_model().objects.filter(demo_users_q())
    pids = dict(Participant.objects.filter(user__in=users).values_list("user__username", "pk"))
    person = [pids[p.email] for p in plan.people]
    confirmed = dict(
        Participant.objects.filter(user__in=users, organisation_confirmed=True).values_list(
            "pk", "organisation_id"
        )
    )
    progress.begin("Producers Connect", len(demo.projects) + len(demo.profiles))
    with transaction.atomic():
        projects = Project.objects.bulk_create(
            [
                Project(
                    owner_id=person[p.owner],
                    organisation_id=confirmed.get(person[p.owner]),
                    title=p.title,
                    kind=p.kind,
                    genres=list(p.genres),
                    stage=p.stage,
                    runtime_minutes=p.runtime,
                    episodes=p.episodes,
                    logline=p.logline,
                    synopsis=p.synopsis,
                    countries=list(p.countries),
                    target_markets=list(p.target_markets),
                    budget=p.budget,
                    currency=p.currency,
                    documents_for_investors=p.documents_for_investors,
                )
                for p in demo.projects
            ]
        )
        FinancingSource.objects.bulk_create(
            [
                FinancingSource(
                    project=row,
                    kind=s.kind,
                    name=s.name,
                    amount=s.amount,
                    status=s.status,
                    country=s.country,
                )
                for row, p in zip(projects, demo.projects, strict=True)
                for s in p.sources
            ]
        )
        PartnerSought.objects.bulk_create(
            [
                PartnerSought(project=row, kind=kind, country=country)
                for row, p in zip(projects, demo.projects, strict=True)
                for kind, country in p.partners
            ]
        )
        ProjectMember.objects.bulk_create(
            [
                ProjectMember(project=row, name=name, role=role, position=n)
                for row, p in zip(projects, demo.projects, strict=True)
                for n, (name, role) in enumerate(p.team)
            ]
        )
        Project.document_viewers.through.objects.bulk_create(
            [
                Project.document_viewers.through(project_id=row.pk, participant_id=person[v])
                for row, p in zip(projects, demo.projects, strict=True)
                for v in p.viewers
            ]
        )
        progress.advance(len(demo.projects))
        InvestorProfile.objects.bulk_create(
            [
                InvestorProfile(
                    participant_id=person[f.person],
                    kind=f.kind,
                    ticket_min=f.ticket_min,
                    ticket_max=f.ticket_max,
                    currency=f.currency,
                    genres=list(f.genres),
                    kinds=list(f.kinds),
                    regions=list(f.regions),
                    stages=list(f.stages),
                    treaties=list(f.treaties),
                    impact_focus=f.impact_focus,
                    statement=f.statement,
                )
                for f in demo.profiles
            ]
        )
        progress.advance(len(demo.profiles))
    progress.end()
    return demo


def remove_demo_financing() -> None:
    """Delete the demo people's projects (with their plans) and investor profiles."""
    people = Participant.objects.filter(demo_users_q("user__"))
    Project.objects.filter(owner__in=people).delete()
    InvestorProfile.objects.filter(participant__in=people).delete()

"""Hidden tastes of the demo's buyers and financiers, and the past behaviour drawn from them.

Every demo buyer and every demo investor profile has **hidden** tastes — genre weights,
kinds, languages, territories × media they buy (buyers), stages, regions and ticket size
(financiers), and a latent taste vector — that the recommender never reads: they are not
stored anywhere, :func:`hidden_tastes` recomputes them from the demo seed (and scale).

The stated profiles the demo writes (``people.py``, ``financing.py``) are partial, noisy
copies of the hidden tastes, as in ``reelmarket.matchmaking.synthetic``: the hidden tastes
are drawn *around* the stated ones — every stated genre is a hidden genre (a few with a
low weight: stated but hardly wanted) and 0-2 genres the buyer never stated are added;
kinds may gain an unstated one or lose a stated one; "en" among the spoken languages is
wanted by only some buyers. A buyer's territories are their stated territories, bought in
the media of their kind of company.

Titles and projects get a hidden quality (popularity) and a latent vector: a random
projection of the words of their English synopsis (so a text embedder can see part of
it) mixed with noise. Last edition's behaviour is drawn from the hidden utility with
``synthetic.title_utility`` and ``synthetic.draw_events`` (Gumbel top-n, actions by
utility): views and saves in the six months before FILMART 2025. ``write_demo_behaviour``
writes them as ``catalogue.TitleView`` / ``catalogue.SavedTitle`` rows; financiers'
behaviour is drawn (``investor_events``) but not written: the platform records no
behaviour about projects that the recommender reads, only explicit feedback.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache

import numpy as np

from reelmarket.market.demo.countries import COUNTRIES
from reelmarket.market.demo.markers import Progress, Silent
from reelmarket.market.demo.pavilions import EDITION
from reelmarket.market.demo.specs import DemoScale, MarketPlan, PersonSpec
from reelmarket.market.demo.titles import TitleSpec, iter_titles
from reelmarket.market.demo.vocab import (
    BUDGET_RANGES,
    BUYER_KINDS_BY_ORG,
    STORY_GENRES,
    TITLE_KINDS,
)
from reelmarket.matchmaking.synthetic import (
    LATENT,
    draw_events,
    genre_affinity,
    project_utility,
    title_utility,
    unit,
)

# The media a company of each kind buys (what the buyer's hidden rights are made of).
MEDIA_BY_COMPANY: dict[str, tuple[str, ...]] = {
    "streamer": ("svod", "avod"),
    "broadcaster": ("free_tv", "pay_tv"),
    "distributor": ("theatrical", "tvod_est"),
}
OTHER_MEDIA = ("theatrical", "svod", "free_tv")
EDITION_START = datetime(*EDITION["starts_on"], tzinfo=UTC)
DAYS = 180  # behaviour runs over the six months before the edition
BEHAVIOUR_START = EDITION_START - timedelta(days=DAYS)
AVAILS_FROM = date(2025, 1, 1)  # rights a buyer would want: a year from January 2025
MEAN_EVENTS = 16.0  # titles a buyer looked at last season, on average
TEMPERATURE = 0.5
# A title's action (view < save < request < deal) by where its utility (plus noise) falls
# among the buyer's utilities: these quantiles. Higher than the synthetic world's (0.9,
# 0.97, 0.995): a demo buyer chooses among many titles of kinds they never buy, so most of
# what they look at is far above the 90th percentile, and most views would be saves.
ACTION_CUTS = (0.985, 0.995, 0.999)
EXCLUDED = -1.0e6
# Behaviour is drawn over the first titles of the catalogue only (buyers × titles utility
# matrix): all of them at FILMART scale, not the 1,200,000 of ``--catalogue-scale 1000``.
MAX_TITLES = 20_000  # utility of a buyer's own company's titles: never drawn


@dataclass(frozen=True)
class BuyerTastes:
    email: str
    organisation: str | None  # slug
    genres: dict[str, float]  # genre -> weight
    kinds: frozenset[str]
    languages: frozenset[str]
    rights: frozenset[tuple[str, str]]  # (territory, media)
    budget_tiers: frozenset[str]


@dataclass(frozen=True)
class InvestorTastes:
    email: str
    genres: dict[str, float]
    kinds: frozenset[str]
    stages: frozenset[str]
    regions: frozenset[str]
    ticket_usd: float


@dataclass(frozen=True)
class TitleEvent:
    """One buyer's interest in one title last season (views on one day; maybe a save)."""

    buyer: str  # e-mail
    title: str  # reference
    action: str  # view / save / request / deal (a request or deal is written as a save)
    when: datetime
    views: int

    @property
    def saved(self) -> bool:
        return self.action != "view"


@dataclass(frozen=True)
class DemoTastes:
    seed: int
    buyers: tuple[BuyerTastes, ...]
    buyer_latent: np.ndarray  # buyers × LATENT
    titles: tuple[str, ...]  # references, in catalogue order
    title_latent: np.ndarray  # titles × LATENT
    title_quality: np.ndarray  # titles
    utility: np.ndarray  # buyers × titles (divided by the temperature)
    events: tuple[TitleEvent, ...]
    investors: tuple[InvestorTastes, ...]
    investor_latent: np.ndarray
    projects: tuple[str, ...]  # project titles, in plan order
    investor_utility: np.ndarray  # investors × projects (divided by the temperature)
    investor_events: tuple[tuple[str, str, str, datetime], ...]  # (e-mail, project, action, when)


# --------------------------------------------------------------------------------------
# Drawing


def _rng(seed: int, part: str) -> np.random.Generator:
    return np.random.default_rng([zlib.crc32(f"reelmarket-demo:{seed}:{part}".encode()), seed])


_WORD = re.compile(r"[a-z]{4,}")


@cache
def _word_vector(word: str) -> np.ndarray:
    return np.random.default_rng(zlib.crc32(word.encode())).normal(size=LATENT)


def _text_latent(text: str, rng: np.random.Generator) -> np.ndarray:
    """A unit latent vector: the synopsis's words projected at random, plus noise."""
    words = set(_WORD.findall(text.lower()))
    seen = np.sum([_word_vector(w) for w in sorted(words)], axis=0) if words else np.zeros(LATENT)
    return unit(0.6 * unit(seen[None, :]) + 0.8 * unit(rng.normal(size=(1, LATENT))))[0]


def _weights(
    rng: np.random.Generator, stated: Sequence[str], pool: Sequence[str], extra_max: int
) -> dict[str, float]:
    """Hidden weights: every stated value (now and then a low one), plus unstated ones."""
    weights = {g: float(rng.uniform(0.5, 1.0)) for g in stated}
    if len(stated) > 1 and rng.random() < 0.2:
        weights[stated[int(rng.integers(len(stated)))]] = float(rng.uniform(0.1, 0.3))
    unstated = [g for g in pool if g not in weights]
    n = min(len(unstated), int(rng.integers(0, extra_max + 1)))
    for i in sorted(rng.choice(len(unstated), size=n, replace=False).tolist()) if n else []:
        weights[unstated[i]] = float(rng.uniform(0.5, 1.0))
    return dict(sorted(weights.items()))


def _set(
    rng: np.random.Generator,
    stated: Sequence[str],
    pool: Sequence[str],
    *,
    drop: float,
    add: float,
    empty: tuple[int, int],
) -> frozenset[str]:
    """Hidden values around a stated list: maybe one stated dropped (stated but not wanted),
    maybe one unstated added; an empty statement hides ``empty`` values from the pool."""
    if not stated:
        n = min(len(pool), int(rng.integers(empty[0], empty[1] + 1)))
        return frozenset(pool[i] for i in rng.choice(len(pool), size=n, replace=False).tolist())
    out = list(stated)
    if len(out) > 1 and rng.random() < drop:
        out.pop(int(rng.integers(len(out))))
    unstated = [v for v in pool if v not in out]
    if unstated and rng.random() < add:
        out.append(unstated[int(rng.integers(len(unstated)))])
    return frozenset(out)


def _buyer_tastes(
    rng: np.random.Generator, person: PersonSpec, org_kind: dict[str, str]
) -> BuyerTastes:
    kind = org_kind.get(person.organisation or "", "")
    country = COUNTRIES[person.country]
    spoken = [lang for lang in person.languages if lang != "en"]
    languages = set(spoken)
    if "en" in person.languages and (not spoken or rng.random() < 0.6):
        languages.add("en")
    if rng.random() < 0.15:
        languages.add(("zh", "ja", "ko", "en")[int(rng.integers(4))])
    tiers = list(BUDGET_RANGES)
    if person.budget_range:
        at = tiers.index(person.budget_range)
        near = [t for t in tiers[max(0, at - 1) : at + 2] if t != person.budget_range]
        hidden_tiers = {person.budget_range, *(t for t in near if rng.random() < 0.4)}
    else:
        hidden_tiers = set(_set(rng, (), tiers, drop=0, add=0, empty=(1, 3)))
    media = MEDIA_BY_COMPANY.get(kind, OTHER_MEDIA)
    return BuyerTastes(
        email=person.email,
        organisation=person.organisation,
        genres=_weights(rng, person.genres, STORY_GENRES, 2),
        kinds=_set(
            rng,
            person.content_kinds,
            BUYER_KINDS_BY_ORG.get(kind, TITLE_KINDS),
            drop=0.15,
            add=0.3,
            empty=(1, 2),
        ),
        languages=frozenset(languages or set(country.languages)),
        rights=frozenset((t, m) for t in person.territories for m in media),
        budget_tiers=frozenset(hidden_tiers),
    )


def _title_available(spec: TitleSpec, media: Sequence[str]) -> dict[str, frozenset[str]]:
    from reelmarket.catalogue.avails.algebra import available_countries
    from reelmarket.catalogue.services import build_window

    windows = [
        build_window(
            media=w.media,
            territories=w.territories,
            excluded=w.excluded,
            starts_on=w.starts_on,
            ends_on=w.ends_on,
            exclusive=w.exclusive,
            status=w.status,
            counterparty=w.counterparty,
        )
        for w in spec.windows
        if w.media in media
    ]
    end = AVAILS_FROM + timedelta(days=365)
    return {
        m: available_countries(
            windows=windows, media=m, start=AVAILS_FROM, end=end, exclusive=False
        )
        for m in sorted({w.media for w in windows})
    }


@cache
def _countries(territory: str) -> frozenset[str]:
    from reelmarket.catalogue.avails.territories import UnknownTerritory, expand

    try:
        return expand(include=[territory])
    except UnknownTerritory:
        return frozenset()


def _rights_ok(buyers: Sequence[BuyerTastes], titles: Sequence[TitleSpec]) -> np.ndarray:
    """buyers × titles: the title is available in a territory × media the buyer buys."""
    pairs = sorted({pair for b in buyers for pair in b.rights})
    index = {pair: n for n, pair in enumerate(pairs)}
    media = sorted({m for _t, m in pairs})
    t_pairs = np.zeros((len(titles), len(pairs)), dtype=np.float32)
    for i, spec in enumerate(titles):
        free = _title_available(spec, media)
        for n, (territory, m) in enumerate(pairs):
            countries = _countries(territory)
            if countries and countries <= free.get(m, frozenset()):
                t_pairs[i, n] = 1.0
    b_pairs = np.zeros((len(buyers), len(pairs)), dtype=np.float32)
    for b, tastes in enumerate(buyers):
        b_pairs[b, [index[p] for p in tastes.rights]] = 1.0
    return (b_pairs @ t_pairs.T) > 0


def _one_hot(rows: Sequence[Sequence[str]], vocabulary: dict[str, int]) -> np.ndarray:
    out = np.zeros((len(rows), len(vocabulary)))
    for r, values in enumerate(rows):
        for v in values:
            if v in vocabulary:
                out[r, vocabulary[v]] = 1.0
    return out


def _vocabulary(*groups: Sequence[str]) -> dict[str, int]:
    return {v: n for n, v in enumerate(sorted({v for g in groups for v in g}))}


def hidden_tastes(
    *,
    seed: int,
    scale: DemoScale | None = None,
    plan: MarketPlan | None = None,
    mean_events: float = MEAN_EVENTS,
) -> DemoTastes:
    """The hidden tastes of the demo built from ``seed`` (and ``scale``) and last season's
    behaviour drawn from them. Pure (no database); the same seed and scale, the same result.
    ``plan`` (the demo's ``plan_market(seed=seed, scale=scale)``) saves planning it again."""
    from reelmarket.market.demo.plan import plan_market

    if plan is None:
        plan = plan_market(seed=seed, scale=scale)
    elif plan.seed != seed:
        raise ValueError("The plan was made from another seed.")
    org_kind = {o.slug: o.kind for o in plan.organisations}

    # -- titles ---------------------------------------------------------------------
    specs = list(iter_titles(plan, stop=min(plan.scale.titles, MAX_TITLES)))
    t_latent = np.zeros((len(specs), LATENT))
    t_quality = np.ones(len(specs))
    for i, spec in enumerate(specs):
        rng = _rng(seed, f"title-taste:{spec.reference}")
        english = next((t for t in spec.texts if t.language == "en"), spec.texts[0])
        t_latent[i] = _text_latent(english.synopsis, rng)
        t_quality[i] = rng.lognormal(0, 1) * (1.5 if spec.recognitions else 1.0)

    # -- buyers ---------------------------------------------------------------------
    rng = _rng(seed, "buyer-tastes")
    people = [p for p in plan.people if "buyer" in p.roles]
    buyers = [_buyer_tastes(rng, p, org_kind) for p in people]
    b_latent = unit(rng.normal(size=(len(buyers), LATENT)))
    genres = _vocabulary(STORY_GENRES, *(s.genres for s in specs))
    kinds = _vocabulary(TITLE_KINDS, *(s.kind for s in specs))
    languages = _vocabulary(*(b.languages for b in buyers), *(s.languages for s in specs))
    g_weights = np.zeros((len(buyers), len(genres)))
    for b, tastes in enumerate(buyers):
        for genre, weight in tastes.genres.items():
            g_weights[b, genres[genre]] = weight
    utility = np.zeros((len(buyers), len(specs)), dtype=np.float64)
    if buyers and specs:
        utility = (
            title_utility(
                genre_aff=genre_affinity(g_weights, _one_hot([s.genres for s in specs], genres)),
                kind_match=_one_hot([sorted(b.kinds) for b in buyers], kinds)
                @ _one_hot([[s.kind] for s in specs], kinds).T,
                language_match=_one_hot([sorted(b.languages) for b in buyers], languages)
                @ _one_hot([s.languages for s in specs], languages).T
                > 0,
                rights_ok=_rights_ok(buyers, specs),
                latent_dot=b_latent @ t_latent.T,
                quality=t_quality,
            )
            / TEMPERATURE
        )
        owned: dict[str, list[int]] = {}
        for i, spec in enumerate(specs):
            owned.setdefault(spec.owner, []).append(i)
        for b, tastes in enumerate(buyers):
            if tastes.organisation in owned:
                utility[b, owned[tastes.organisation]] = EXCLUDED
    events: list[TitleEvent] = []
    if specs and len(specs) > 1:
        views = _rng(seed, "buyer-views")
        drawn = draw_events(rng, utility, mean_events, days=DAYS, cuts=ACTION_CUTS)
        for b, t, action, day in drawn:
            when = BEHAVIOUR_START + timedelta(days=day)
            count = 1 + int(views.poisson(0.5)) + (2 if action in ("request", "deal") else 0)
            events.append(
                TitleEvent(
                    buyer=buyers[b].email,
                    title=specs[t].reference,
                    action=action,
                    when=when.replace(microsecond=0),
                    views=count,
                )
            )

    # -- investor profiles and projects ---------------------------------------------
    investors, i_latent, projects, inv_utility, inv_events = _investors(seed, plan)
    return DemoTastes(
        seed=seed,
        buyers=tuple(buyers),
        buyer_latent=b_latent,
        titles=tuple(s.reference for s in specs),
        title_latent=t_latent,
        title_quality=t_quality,
        utility=utility.astype(np.float32),
        events=tuple(events),
        investors=investors,
        investor_latent=i_latent,
        projects=projects,
        investor_utility=inv_utility.astype(np.float32),
        investor_events=inv_events,
    )


def _usd(amount: float, currency: str) -> float:
    from reelmarket.financing.money import UNITS_PER_USD

    return float(amount) / UNITS_PER_USD.get(currency, 1.0)


def _investors(
    seed: int, plan: MarketPlan
) -> tuple[
    tuple[InvestorTastes, ...],
    np.ndarray,
    tuple[str, ...],
    np.ndarray,
    tuple[tuple[str, str, str, datetime], ...],
]:
    from reelmarket.market.demo.financing import (
        ASIA,
        KIND_WEIGHTS,
        STAGE_WEIGHTS,
        plan_financing,
    )

    financing = plan_financing(plan)
    rng = _rng(seed, "investor-tastes")
    kinds_pool = [k for k, _ in KIND_WEIGHTS]
    stages_pool = [s for s, _ in STAGE_WEIGHTS]
    regions_pool = sorted(ASIA)
    investors = []
    for f in financing.profiles:
        person = plan.people[f.person]
        low = _usd(float(f.ticket_min), f.currency)
        high = _usd(float(f.ticket_max), f.currency)
        investors.append(
            InvestorTastes(
                email=person.email,
                genres=_weights(rng, f.genres or person.genres, STORY_GENRES, 2),
                kinds=_set(rng, f.kinds, kinds_pool, drop=0.1, add=0.3, empty=(1, 3)),
                stages=_set(rng, f.stages, stages_pool, drop=0.1, add=0.3, empty=(1, 3)),
                regions=_set(rng, f.regions, regions_pool, drop=0.1, add=0.3, empty=(1, 4)),
                ticket_usd=float(np.sqrt(max(low, 1.0) * max(high, 1.0)) * rng.lognormal(0, 0.3)),
            )
        )
    i_latent = unit(rng.normal(size=(len(investors), LATENT)))
    projects = financing.projects
    p_latent = np.zeros((len(projects), LATENT))
    p_quality = np.ones(len(projects))
    gap = np.ones(len(projects))
    for i, p in enumerate(projects):
        prng = _rng(seed, f"project-taste:{i}")
        p_latent[i] = _text_latent(p.synopsis, prng)
        p_quality[i] = prng.lognormal(0, 1)
        budget = _usd(float(p.budget), p.currency)
        secured = sum(_usd(float(s.amount), p.currency) for s in p.sources)
        gap[i] = max(budget - secured, 0.1 * budget, 1.0)
    if not investors or len(projects) < 2:
        return (
            tuple(investors),
            i_latent,
            tuple(p.title for p in projects),
            np.zeros((len(investors), len(projects))),
            (),
        )
    genres = _vocabulary(STORY_GENRES, *(p.genres for p in projects))
    weights = np.zeros((len(investors), len(genres)))
    for n, inv in enumerate(investors):
        for genre, w in inv.genres.items():
            weights[n, genres[genre]] = w
    k_voc = _vocabulary(kinds_pool, [p.kind for p in projects])
    s_voc = _vocabulary(stages_pool, [p.stage for p in projects])
    r_voc = _vocabulary(
        regions_pool, *(p.countries for p in projects), *(i.regions for i in investors)
    )
    utility = (
        project_utility(
            genre_aff=genre_affinity(weights, _one_hot([p.genres for p in projects], genres)),
            kind_match=_one_hot([sorted(i.kinds) for i in investors], k_voc)
            @ _one_hot([[p.kind] for p in projects], k_voc).T,
            stage_match=_one_hot([sorted(i.stages) for i in investors], s_voc)
            @ _one_hot([[p.stage] for p in projects], s_voc).T,
            region_match=(
                _one_hot([sorted(i.regions) for i in investors], r_voc)
                @ _one_hot([p.countries for p in projects], r_voc).T
                > 0
            ).astype(np.float64),
            ticket=np.asarray([i.ticket_usd for i in investors]),
            gap=gap,
            latent_dot=i_latent @ p_latent.T,
            quality=p_quality,
        )
        / TEMPERATURE
    )
    owners = [plan.people[p.owner].email for p in projects]
    for n, inv in enumerate(investors):
        utility[n, [j for j, e in enumerate(owners) if e == inv.email]] = EXCLUDED
    events = tuple(
        (
            investors[u].email,
            projects[j].title,
            action,
            (BEHAVIOUR_START + timedelta(days=day)).replace(microsecond=0),
        )
        for u, j, action, day in draw_events(
            rng, utility, min(MEAN_EVENTS * 0.75, len(projects) - 1.0), days=DAYS
        )
    )
    return tuple(investors), i_latent, tuple(p.title for p in projects), utility, events


# --------------------------------------------------------------------------------------
# Writing and removing


def write_demo_behaviour(
    plan: MarketPlan, *, progress: Progress | None = None, tastes: DemoTastes | None = None
) -> dict[str, int]:
    """Write last season's title views and saves of the demo's buyers (drawn from their
    hidden tastes). Returns how many rows of each were written."""
    from django.db import connection, transaction

    from reelmarket.catalogue.models import SavedTitle, Title, TitleView
    from reelmarket.market.demo.plan import ORG_PREFIX
    from reelmarket.market.demo.writer import _Rows
    from reelmarket.market.models import Participant

    progress = progress or Silent()
    tastes = tastes or hidden_tastes(seed=plan.seed, plan=plan)
    progress.begin("Last season's behaviour", len(tastes.events))
    person = dict(
        Participant.objects.filter(user__username__in=[b.email for b in tastes.buyers]).values_list(
            "user__username", "pk"
        )
    )
    demo_titles = Title.objects.filter(owner__slug__startswith=ORG_PREFIX)
    if tastes.titles:  # references are zero-padded: the first MAX_TITLES titles only
        demo_titles = demo_titles.filter(reference__lte=tastes.titles[-1])
    title = dict(demo_titles.values_list("reference", "pk"))
    ops = connection.ops
    views: list[tuple] = []
    saves: list[tuple] = []
    for event in tastes.events:
        who, what = person.get(event.buyer), title.get(event.title)
        if who is None or what is None:
            continue
        at = ops.adapt_datetimefield_value(event.when)
        views.append((who, what, ops.adapt_datefield_value(event.when.date()), event.views, at))
        if event.saved:
            saves.append((who, what, at))
    with transaction.atomic():
        _Rows(TitleView, ("participant", "title", "day", "count", "last_at")).write(views)
        # Raw rows: ``created_at`` is ``auto_now_add``, which bulk_create would overwrite.
        _Rows(SavedTitle, ("participant", "title", "created_at")).write(saves)
    progress.advance(len(tastes.events))
    progress.end()
    return {"title_views": len(views), "saved_titles": len(saves)}


def remove_demo_behaviour() -> None:
    """Delete the views and saves of demo people and of demo titles."""
    from reelmarket.catalogue.models import SavedTitle, TitleView
    from reelmarket.market.demo.markers import demo_users_q
    from reelmarket.market.demo.plan import ORG_PREFIX

    for model in (TitleView, SavedTitle):
        for rows in (
            model.objects.filter(demo_users_q("participant__user__")),
            model.objects.filter(title__owner__slug__startswith=ORG_PREFIX),
        ):
            # One DELETE by subquery, without signals: a "title unsaved" signal per row
            # would queue a recompute for each of the thousands of demo buyers.
            rows._raw_delete(rows.db)


__all__ = [
    "BEHAVIOUR_START",
    "BuyerTastes",
    "DemoTastes",
    "InvestorTastes",
    "TitleEvent",
    "hidden_tastes",
    "remove_demo_behaviour",
    "write_demo_behaviour",
]

"""A synthetic market with hidden tastes, for measuring the matchmaking (Django-free).

Every buyer and financier gets **hidden** tastes — preferred genres (weighted), kinds,
languages, territories × media (buyers), stages, regions and ticket size (financiers), and
a latent taste vector — that the recommender never reads. Past behaviour (views, saves,
meeting requests, deals) is drawn from a hidden utility with noise and popularity effects:

    utility = (2.4·genre affinity + 0.8·kind + 0.5·language + 1.5·latent·item latent
               + (1.0 if a right is available in a territory × media they buy, else −1.5)
               + 0.5·log quality) / temperature (0.5)   — then + Gumbel noise

(financiers: genre, kind, stage, region, ticket vs gap, latent, quality). Each user picks
their items by Gumbel top-n (sampling without replacement from softmax(utility)); the
action reached (view < save < request < deal) grows with the utility.

The recommender sees only what a real platform would: the items' attributes and synopsis
vectors (a noisy mix of the item's latent vector and genres, standing in for the embedder),
the users' *stated* profiles — partial and noisy copies of the hidden tastes — and the
behaviour log.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import numpy as np

from reelmarket.financing.relevance import InvestorFacts, ProjectFacts
from reelmarket.matchmaking.core.history import DEAL, REQUEST, SAVE, VIEW, Interaction
from reelmarket.matchmaking.core.projects import ProjectItem
from reelmarket.matchmaking.core.titles import BUDGET_TIERS, BuyerProfile, Interest, TitleFeatures

GENRES = (
    "action", "adventure", "animation", "comedy", "crime", "documentary", "drama", "family",
    "fantasy", "historical", "horror", "martial_arts", "musical", "mystery", "romance",
    "sci_fi", "thriller", "war", "youth", "reality", "game_show", "lifestyle",
)  # fmt: skip
TITLE_KINDS = (
    "feature",
    "series",
    "animation_feature",
    "animation_series",
    "documentary",
    "format_unscripted",
)
PROJECT_KINDS = ("feature", "documentary", "animation_feature", "series", "animation_series")
STAGES = ("development", "financing", "pre_production", "production", "post_production")
LANGUAGES = ("en", "zh", "ja", "ko", "th", "vi", "id", "hi", "fr", "es")
TERRITORIES = (
    "HK",
    "CN",
    "TW",
    "JP",
    "KR",
    "TH",
    "VN",
    "ID",
    "MY",
    "SG",
    "PH",
    "IN",
    "AU",
    "US",
    "GB",
    "FR",
    "DE",
)
MEDIA = ("theatrical", "free_tv", "pay_tv", "svod", "avod")
INVESTOR_KINDS = ("financier", "fund", "foundation", "coproducer")
LATENT = 16
VECTOR_DIM = 32
# Above this many titles the world is drawn sparsely (the 100,000 × 1,000,000 scale run):
# rights come in AVAIL_PACKAGES shared packages, and each chunk of SPARSE_CHUNK buyers draws
# its behaviour from its own random sample of SPARSE_SAMPLE titles (no buyers × titles
# matrix). Below it, nothing changes.
DENSE_TITLES = 50_000
AVAIL_PACKAGES = 4_096
SPARSE_CHUNK = 1_000
SPARSE_SAMPLE = 5_000
START = datetime(2025, 3, 1, tzinfo=UTC)
DAYS = 365


@dataclass
class SyntheticWorld:
    titles: list[TitleFeatures]
    buyers: list[BuyerProfile]
    buyer_log: list[Interaction]
    projects: list[ProjectItem]
    investors: list[InvestorFacts]
    investor_log: list[Interaction]
    hidden: dict[str, np.ndarray] = field(default_factory=dict)  # never read by the recommender


def _unit(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=-1, keepdims=True)
    norms[norms == 0] = 1.0
    return matrix / norms


def _pick(
    rng: np.random.Generator, values: tuple[str, ...], low: int, high: int, p=None
) -> list[int]:
    n = int(rng.integers(low, high + 1))
    return sorted(rng.choice(len(values), size=min(n, len(values)), replace=False, p=p).tolist())


def _stated(
    rng: np.random.Generator, hidden: list[int], universe: int, keep: float, spurious: float
) -> list[int]:
    """A partial, noisy copy of a hidden preference list, as a user would state it."""
    out = [h for h in hidden if rng.random() < keep]
    if rng.random() < spurious:
        out.append(int(rng.integers(universe)))
    return sorted(set(out))


def unit(matrix: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (zero rows stay zero)."""
    return _unit(matrix)


def genre_affinity(weights: np.ndarray, item_genres: np.ndarray) -> np.ndarray:
    """users × items: the user's genre weights summed over the item's genres, divided by
    the item's number of genres (``weights`` users × genres, ``item_genres`` one-hot)."""
    return (weights @ item_genres.T) / np.maximum(item_genres.sum(axis=1), 1.0)[None, :]


def title_utility(
    *,
    genre_aff: np.ndarray,
    kind_match: np.ndarray,
    language_match: np.ndarray,
    rights_ok: np.ndarray,
    latent_dot: np.ndarray,
    quality: np.ndarray,
) -> np.ndarray:
    """The hidden utility of titles for buyers (users × items, before the temperature).

    ``kind_match`` 0/1, ``language_match`` and ``rights_ok`` booleans, ``latent_dot`` the
    dot products of the unit latent vectors, ``quality`` one positive number per item.
    """
    return (
        2.4 * genre_aff
        + 0.8 * kind_match
        + 0.5 * language_match
        + np.where(rights_ok, 1.0, -1.5)
        + 1.5 * latent_dot
        + 0.5 * np.log(quality)[None, :]
    )


def project_utility(
    *,
    genre_aff: np.ndarray,
    kind_match: np.ndarray,
    stage_match: np.ndarray,
    region_match: np.ndarray,
    ticket: np.ndarray,
    gap: np.ndarray,
    latent_dot: np.ndarray,
    quality: np.ndarray,
) -> np.ndarray:
    """The hidden utility of projects for financiers (users × items, before the
    temperature): genres, kind, stage, region, ticket size against the gap, latent taste
    and quality."""
    ratio = ticket[:, None] / gap[None, :]
    ticket_fit = np.exp(-np.abs(np.log(np.clip(ratio / 0.3, 1e-6, None))) / 1.5)
    return (
        2.4 * genre_aff
        + 0.8 * kind_match
        + 0.6 * stage_match
        + 0.8 * region_match
        + 1.0 * ticket_fit
        + 1.5 * latent_dot
        + 0.5 * np.log(quality)[None, :]
    )


def draw_events(
    rng: np.random.Generator,
    utility: np.ndarray,
    mean_events: float,
    *,
    days: float = DAYS,
    cuts: tuple[float, float, float] = (0.9, 0.97, 0.995),
) -> list[tuple[int, int, str, float]]:
    """Past behaviour drawn from a utility matrix (users × items, already divided by the
    temperature): per user, 3 + Poisson(mean − 3) items by Gumbel top-n (sampling without
    replacement from softmax(utility)); the action (view < save < request < deal) by the
    item's utility plus noise against the user's ``cuts`` quantiles of utility; times
    uniform over ``days``. Returns (user row, item column, action, day offset) tuples."""
    rows: list[tuple[int, int, str, float]] = []
    n_items = utility.shape[1]
    for u in range(utility.shape[0]):
        n = int(min(n_items - 1, 3 + rng.poisson(mean_events - 3)))
        noisy = utility[u] + rng.gumbel(size=n_items)
        chosen = np.argpartition(-noisy, n - 1)[:n]
        level = utility[u, chosen] + rng.normal(0, 0.7, size=n)
        cut = np.quantile(utility[u], list(cuts))
        offsets = np.sort(rng.uniform(0, days, size=n))
        order = rng.permutation(n)
        for j, idx in enumerate(chosen[order].tolist()):
            value = level[order[j]]
            action = VIEW
            if value > cut[2]:
                action = DEAL
            elif value > cut[1]:
                action = REQUEST
            elif value > cut[0]:
                action = SAVE
            rows.append((u, idx, action, float(offsets[j])))
    return rows


def _draw_behaviour(
    rng: np.random.Generator,
    utility: np.ndarray,
    user_ids: list[int],
    item_ids: list[int],
    mean_events: float,
) -> list[Interaction]:
    """Gumbel top-n per user over the utility; actions by utility quantile; times over a year."""
    return [
        Interaction(user_ids[u], item_ids[i], action, START + timedelta(days=day))
        for u, i, action, day in draw_events(rng, utility, mean_events)
    ]


def generate_world(
    *,
    buyers: int = 6_000,
    titles: int = 1_200,
    investors: int = 1_500,
    projects: int = 600,
    mean_events: float = 20.0,
    temperature: float = 0.5,
    seed: int = 0,
) -> SyntheticWorld:
    """A seeded world; FILMART scale by default (7,500 participants, 1,200 titles)."""
    rng = np.random.default_rng(seed)
    genre_axes = rng.normal(size=(len(GENRES), VECTOR_DIM))
    latent_axes = rng.normal(size=(LATENT, VECTOR_DIM))

    # -- titles ------------------------------------------------------------------------
    n_g, n_k, n_l, n_t, n_m = (
        len(GENRES),
        len(TITLE_KINDS),
        len(LANGUAGES),
        len(TERRITORIES),
        len(MEDIA),
    )
    t_genres = [_pick(rng, GENRES, 1, 3) for _ in range(titles)]
    t_kind = rng.choice(n_k, size=titles, p=[0.4, 0.25, 0.1, 0.1, 0.1, 0.05])
    t_langs = [_pick(rng, LANGUAGES, 1, 2) for _ in range(titles)]
    t_latent = _unit(rng.normal(size=(titles, LATENT)))
    t_quality = rng.lognormal(0, 1, size=titles)
    t_tier = rng.integers(len(BUDGET_TIERS), size=titles)
    sparse = titles > DENSE_TITLES
    if sparse:  # rights come in a few thousand packages: one per title, shared
        packages = rng.random((AVAIL_PACKAGES, n_t, n_m)) < 0.6
        t_avail = packages[rng.integers(AVAIL_PACKAGES, size=titles)]
    else:
        t_avail = rng.random((titles, n_t, n_m)) < 0.6
    g_onehot = np.zeros((titles, n_g))
    for i, gs in enumerate(t_genres):
        g_onehot[i, gs] = 1.0
    t_vectors = _unit(
        t_latent @ latent_axes * 1.0
        + _unit(g_onehot @ genre_axes) * 2.5
        + rng.normal(0, 1.2, size=(titles, VECTOR_DIM))
    )
    vectors32 = t_vectors.astype(np.float32)
    shared: dict[object, frozenset] = {}  # equal sets are one object (a million titles)

    def one(key: object, make: Callable[[], frozenset]) -> frozenset:
        if key not in shared:
            shared[key] = make()
        return shared[key]

    def available(i: int) -> frozenset:
        pairs = np.nonzero(t_avail[i])
        return frozenset((TERRITORIES[a], MEDIA[b]) for a, b in zip(*pairs, strict=True))

    title_list = [
        TitleFeatures(
            id=i + 1,
            kind=TITLE_KINDS[int(t_kind[i])],
            genres=one(("g", *t_genres[i]), lambda i=i: frozenset(GENRES[g] for g in t_genres[i])),
            languages=one(
                ("l", *t_langs[i]), lambda i=i: frozenset(LANGUAGES[x] for x in t_langs[i])
            ),
            countries=one(
                ("c", c := int(rng.integers(n_t))), lambda c=c: frozenset({TERRITORIES[c]})
            ),
            budget_tier=BUDGET_TIERS[int(t_tier[i])],
            year=int(rng.integers(2018, 2027)),
            available=one(t_avail[i].tobytes(), lambda i=i: available(i)),
            vector=vectors32[i],
            seller=1_000_000 + int(rng.integers(max(titles // 8, 1))),
        )
        for i in range(titles)
    ]

    # -- buyers ------------------------------------------------------------------------
    b_genre_w = np.zeros((buyers, n_g))
    b_kind = np.zeros((buyers, n_k))
    b_lang = np.zeros((buyers, n_l))
    b_rights = np.zeros((buyers, n_t, n_m), dtype=bool)
    b_latent = _unit(rng.normal(size=(buyers, LATENT)))
    profiles: list[BuyerProfile] = []
    for b in range(buyers):
        genres = _pick(rng, GENRES, 2, 4)
        b_genre_w[b, genres] = rng.uniform(0.5, 1.0, size=len(genres))
        kinds = _pick(rng, TITLE_KINDS, 1, 2)
        b_kind[b, kinds] = 1.0
        langs = _pick(rng, LANGUAGES, 1, 3)
        b_lang[b, langs] = 1.0
        terr = _pick(rng, TERRITORIES, 1, 2)
        media = _pick(rng, MEDIA, 1, 2)
        for a in terr:
            b_rights[b, a, media] = True
        tiers = _pick(rng, BUDGET_TIERS, 1, 3)
        interests: tuple[Interest, ...] = ()
        if rng.random() < 0.6:
            vec = _unit(b_latent[b] @ latent_axes + rng.normal(0, 1.0, size=VECTOR_DIM))
            interests = (Interest(f"interest {b}", vec.astype(np.float32)),)
        stated_rights = {
            (TERRITORIES[a], MEDIA[m]) for a in terr for m in media if rng.random() < 0.7
        }
        profiles.append(
            BuyerProfile(
                id=b + 1,
                kinds=frozenset(TITLE_KINDS[k] for k in _stated(rng, kinds, n_k, 0.7, 0.1)),
                genres=frozenset(GENRES[g] for g in _stated(rng, genres, n_g, 0.6, 0.2)),
                languages=frozenset(LANGUAGES[x] for x in _stated(rng, langs, n_l, 0.5, 0.1)),
                rights=frozenset(stated_rights),
                budget_tiers=frozenset(
                    BUDGET_TIERS[x] for x in _stated(rng, tiers, len(BUDGET_TIERS), 0.4, 0.1)
                ),
                interests=interests,
            )
        )
    kind_onehot = np.eye(n_k)[t_kind]
    lang_onehot = np.zeros((titles, n_l))
    for i, ls in enumerate(t_langs):
        lang_onehot[i, ls] = 1.0

    def buyer_utility(rows: slice | np.ndarray, cols: slice | np.ndarray) -> np.ndarray:
        b_r = b_rights[rows].reshape(len(b_latent[rows]), -1).astype(np.float32)
        t_r = t_avail[cols].reshape(len(t_latent[cols]), -1).astype(np.float32)
        return title_utility(
            genre_aff=genre_affinity(b_genre_w[rows], g_onehot[cols]),
            kind_match=b_kind[rows] @ kind_onehot[cols].T,
            language_match=b_lang[rows] @ lang_onehot[cols].T > 0,
            rights_ok=(b_r @ t_r.T) > 0,
            latent_dot=b_latent[rows] @ t_latent[cols].T,
            quality=t_quality[cols],
        )

    buyer_ids = [p.id for p in profiles]
    title_ids = [t.id for t in title_list]
    utility = None
    if not sparse:
        utility = buyer_utility(slice(None), slice(None))
        buyer_log = _draw_behaviour(rng, utility / temperature, buyer_ids, title_ids, mean_events)
    else:  # each chunk of buyers draws from its own sample of the catalogue
        buyer_log = []
        for start in range(0, buyers, SPARSE_CHUNK):
            rows = np.arange(start, min(start + SPARSE_CHUNK, buyers))
            cols = np.sort(rng.choice(titles, size=SPARSE_SAMPLE, replace=False))
            buyer_log += _draw_behaviour(
                rng,
                buyer_utility(rows, cols) / temperature,
                [buyer_ids[r] for r in rows.tolist()],
                [title_ids[c] for c in cols.tolist()],
                mean_events,
            )

    # what was needed only to draw the titles and the buyers' behaviour
    t_vectors = g_onehot = lang_onehot = kind_onehot = t_avail = None  # type: ignore[assignment]
    t_genres = t_langs = None  # type: ignore[assignment]
    shared.clear()

    # -- projects and investors --------------------------------------------------------
    n_pk, n_s = len(PROJECT_KINDS), len(STAGES)
    p_genres = [_pick(rng, GENRES[:19], 1, 3) for _ in range(projects)]
    p_kind = rng.integers(n_pk, size=projects)
    p_stage = rng.integers(n_s, size=projects)
    p_country = rng.integers(n_t, size=projects)
    p_latent = _unit(rng.normal(size=(projects, LATENT)))
    p_quality = rng.lognormal(0, 1, size=projects)
    p_budget = np.exp(rng.uniform(np.log(2e5), np.log(2e7), size=projects))
    p_gap = p_budget * rng.uniform(0.2, 0.8, size=projects)
    pg = np.zeros((projects, n_g))
    for i, gs in enumerate(p_genres):
        pg[i, gs] = 1.0
    p_vectors = _unit(
        p_latent @ latent_axes
        + _unit(pg @ genre_axes) * 2.5
        + rng.normal(0, 1.2, size=(projects, VECTOR_DIM))
    )
    sought_kinds = ("financier", "foundation", "coproducer", "sales_agent")
    project_list = []
    for i in range(projects):
        sought = {(sought_kinds[k], "") for k in _pick(rng, sought_kinds, 1, 3)}
        project_list.append(
            ProjectItem(
                facts=ProjectFacts(
                    id=i + 1,
                    kind=PROJECT_KINDS[int(p_kind[i])],
                    genres=frozenset(GENRES[g] for g in p_genres[i]),
                    stage=STAGES[int(p_stage[i])],
                    countries=frozenset({TERRITORIES[int(p_country[i])]}),
                    target_markets=frozenset(TERRITORIES[x] for x in _pick(rng, TERRITORIES, 1, 3)),
                    budget_usd=float(round(p_budget[i], 2)),
                    gap_usd=float(round(p_gap[i], 2)),
                    partners_sought=frozenset(sought),
                ),
                vector=p_vectors[i].astype(np.float32),
            )
        )
    i_genre_w = np.zeros((investors, n_g))
    i_kind = np.zeros((investors, n_pk))
    i_stage = np.zeros((investors, n_s))
    i_region = np.zeros((investors, n_t))
    i_ticket = np.exp(rng.uniform(np.log(5e4), np.log(5e6), size=investors))
    i_latent = _unit(rng.normal(size=(investors, LATENT)))
    investor_list: list[InvestorFacts] = []
    for j in range(investors):
        genres = _pick(rng, GENRES[:19], 2, 4)
        i_genre_w[j, genres] = rng.uniform(0.5, 1.0, size=len(genres))
        kinds = _pick(rng, PROJECT_KINDS, 1, 3)
        i_kind[j, kinds] = 1.0
        stages = _pick(rng, STAGES, 1, 3)
        i_stage[j, stages] = 1.0
        regions = _pick(rng, TERRITORIES, 1, 4)
        i_region[j, regions] = 1.0
        stated_ticket = rng.random() < 0.7
        investor_list.append(
            InvestorFacts(
                id=j + 1,
                kind=INVESTOR_KINDS[int(rng.integers(len(INVESTOR_KINDS)))],
                ticket_min_usd=float(round(i_ticket[j] * 0.3, 2)) if stated_ticket else 0.0,
                ticket_max_usd=float(round(i_ticket[j] * 1.5, 2)) if stated_ticket else 0.0,
                genres=frozenset(GENRES[g] for g in _stated(rng, genres, 19, 0.6, 0.2)),
                kinds=frozenset(PROJECT_KINDS[k] for k in _stated(rng, kinds, n_pk, 0.5, 0.0)),
                regions=frozenset(TERRITORIES[r] for r in _stated(rng, regions, n_t, 0.6, 0.1)),
                stages=frozenset(STAGES[s] for s in _stated(rng, stages, n_s, 0.5, 0.0)),
                treaties=frozenset(),
                country=TERRITORIES[int(rng.integers(n_t))],
            )
        )
    inv_utility = project_utility(
        genre_aff=genre_affinity(i_genre_w, pg),
        kind_match=i_kind[:, p_kind],
        stage_match=i_stage[:, p_stage],
        region_match=i_region[:, p_country],
        ticket=i_ticket,
        gap=p_gap,
        latent_dot=i_latent @ p_latent.T,
        quality=p_quality,
    )
    investor_log = _draw_behaviour(
        rng,
        inv_utility / temperature,
        [i.id for i in investor_list],
        [p.facts.id for p in project_list],
        mean_events * 0.75,
    )
    hidden = {
        **({"buyer_utility": utility.astype(np.float32)} if utility is not None else {}),
        "investor_utility": inv_utility.astype(np.float32),
        "buyer_genre_weights": b_genre_w,
        "buyer_latent": b_latent,
        "title_latent": t_latent,
        "investor_genre_weights": i_genre_w,
        "investor_latent": i_latent,
    }
    return SyntheticWorld(
        titles=title_list,
        buyers=profiles,
        buyer_log=buyer_log,
        projects=project_list,
        investors=investor_list,
        investor_log=investor_log,
        hidden=hidden,
    )


__all__ = [
    "SyntheticWorld",
    "draw_events",
    "generate_world",
    "genre_affinity",
    "project_utility",
    "title_utility",
    "unit",
]

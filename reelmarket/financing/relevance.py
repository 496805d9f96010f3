"""Explainable relevance of a project to an investor or co-producer profile (Django-free).

The score is **additive**: each criterion contributes a ``Reason`` whose ``points`` are
exactly what it adds, and ``Match.total == sum(r.points for r in match.reasons)``. Points
are quantised to multiples of 1/256, so sums are exact in floating point whatever the
order of addition, and ``score_matrix`` equals ``score().total`` bit for bit.

Criteria and their weights (the maximum is 100):

============================  ======  ===================================================
reason code                   points  when
============================  ======  ===================================================
``ticket_fits_gap``           ≤ 30    the investor's largest ticket covers a meaningful
                                      share of the project's gap (full points from 20 %
                                      of the gap, proportionally below); reduced linearly
                                      when the smallest ticket exceeds the gap, to 0 at
                                      twice the gap
``ticket_open``               15      the profile states no ticket (sales agent, ...)
``genre``                     ≤ 15    shared genres: full points for two shared genres
                                      (or all the project's genres when it has one)
``genre_open``                7.5     the profile lists no genre
``partner_sought``            15      the project seeks this kind of partner from any
                                      country or from the investor's country
``partner_sought``            5       it seeks this kind of partner from another country
``kind`` / ``kind_open``      10 / 5  the project's kind is among the profile's kinds /
                                      the profile lists no kind
``stage`` / ``stage_open``    10 / 5  the same for the project's stage
``region``                    7       the profile invests in a production country
``market``                    3       the profile invests in a target market
``region_open``               5       the profile lists no region
``treaty``                    10      the profile can use a co-production treaty with a
                                      production country
============================  ======  ===================================================

An unstated preference ("open") counts half: the profile is neither excluded nor ranked
above one that states a real match.

Hard filters give a total of 0 and only the reasons that explain the exclusion (each with
0 points): ``kind_excluded`` (the profile lists kinds and the project's is not one),
``stage_excluded`` (the same for stages), ``ticket_exceeds_gap`` (the smallest ticket is
more than twice the gap). A fully financed project (gap 0) earns no ticket points but is
not excluded: it may still look for a sales agent or distributor.

Amounts are in US dollars (see ``reelmarket.financing.money.to_usd``); genres, kinds,
stages and countries are compared as given (callers pass the enums' values and ISO codes).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

# Weights (maximum points per criterion).
W_TICKET = 30.0
W_GENRE = 15.0
W_PARTNER = 15.0
W_KIND = 10.0
W_STAGE = 10.0
W_REGION = 7.0
W_MARKET = 3.0
W_TREATY = 10.0
OPEN_SHARE = 0.5  # an unstated preference earns this share of the criterion's weight
PARTNER_OTHER_COUNTRY_SHARE = 1.0 / 3.0

MEANINGFUL_SHARE = 0.2  # a ticket covering this share of the gap earns full ticket points
OVERSHOOT_LIMIT = 2.0  # smallest ticket above this multiple of the gap: excluded
GENRES_FOR_FULL = 2  # shared genres that earn full genre points

QUANTUM = 256.0  # points are multiples of 1/QUANTUM

# Which partner kinds (``enums.PartnerKind``) an investor kind (``enums.InvestorKind``) is.
PARTNER_KINDS_OF: dict[str, frozenset[str]] = {
    "financier": frozenset({"financier"}),
    "fund": frozenset({"financier", "foundation"}),
    "foundation": frozenset({"foundation"}),
    "coproducer": frozenset({"coproducer"}),
    "sales_agent": frozenset({"sales_agent"}),
    "distributor": frozenset({"distributor"}),
}


@dataclass(frozen=True)
class ProjectFacts:
    id: int
    kind: str
    genres: frozenset[str]
    stage: str
    countries: frozenset[str]
    target_markets: frozenset[str]
    budget_usd: float
    gap_usd: float
    partners_sought: frozenset[tuple[str, str]]  # (PartnerKind value, country or "")


@dataclass(frozen=True)
class InvestorFacts:
    id: int
    kind: str
    ticket_min_usd: float
    ticket_max_usd: float
    genres: frozenset[str]
    kinds: frozenset[str]
    regions: frozenset[str]
    stages: frozenset[str]
    treaties: frozenset[str]
    country: str


@dataclass(frozen=True)
class Reason:
    code: str
    points: float
    params: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Match:
    total: float
    reasons: tuple[Reason, ...]  # sorted by points, largest first

    @property
    def excluded(self) -> bool:
        """True when a hard filter set the total to 0."""
        return any(r.code in EXCLUSION_CODES for r in self.reasons)


EXCLUSION_CODES = frozenset({"kind_excluded", "stage_excluded", "ticket_exceeds_gap"})


def partner_kinds_of(investor_kind: str) -> frozenset[str]:
    """The partner kinds a project may seek that this investor kind fulfils."""
    return PARTNER_KINDS_OF.get(investor_kind, frozenset({investor_kind}))


# --- shared arithmetic: used by score() on 1x1 arrays and by score_matrix() on P x I ------


def _quantise(points: np.ndarray) -> np.ndarray:
    return np.round(points * QUANTUM) / QUANTUM


def _ticket_fit(
    tmin: np.ndarray, tmax: np.ndarray, gap: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(ticket points, excluded, ticket stated) by broadcasting; gap > 0 expected elsewhere."""
    stated = tmax > 0
    has_gap = gap > 0
    safe_gap = np.where(has_gap, gap, 1.0)
    coverage = np.minimum(tmax, safe_gap) / safe_gap
    fit = np.minimum(1.0, coverage / MEANINGFUL_SHARE)
    ratio = tmin / safe_gap
    over = np.clip((OVERSHOOT_LIMIT - ratio) / (OVERSHOOT_LIMIT - 1.0), 0.0, 1.0)
    fit = np.where(ratio > 1.0, fit * over, fit)
    points = np.where(stated & has_gap, _quantise(W_TICKET * fit), 0.0)
    points = np.where(stated, points, _quantise(np.asarray(W_TICKET * OPEN_SHARE)))
    excluded = stated & has_gap & (ratio > OVERSHOOT_LIMIT)
    return points, excluded, stated


def _genre_points(shared: np.ndarray, project_genres: np.ndarray) -> np.ndarray:
    wanted = np.maximum(np.minimum(project_genres, GENRES_FOR_FULL), 1)
    return _quantise(W_GENRE * np.minimum(1.0, shared / wanted))


def _q(value: float) -> float:
    return float(_quantise(np.asarray(value)))


OPEN_GENRE = _q(W_GENRE * OPEN_SHARE)
OPEN_KIND = _q(W_KIND * OPEN_SHARE)
OPEN_STAGE = _q(W_STAGE * OPEN_SHARE)
OPEN_REGION = _q((W_REGION + W_MARKET) * OPEN_SHARE)
PARTNER_OTHER = _q(W_PARTNER * PARTNER_OTHER_COUNTRY_SHARE)


def _sorted(values: Iterable[str]) -> list[str]:
    return sorted(values)


def score(*, project: ProjectFacts, investor: InvestorFacts) -> Match:
    """The relevance of ``project`` for ``investor``, with one reason per contribution."""
    exclusions: list[Reason] = []
    if investor.kinds and project.kind not in investor.kinds:
        exclusions.append(
            Reason("kind_excluded", 0.0, {"kind": project.kind, "kinds": _sorted(investor.kinds)})
        )
    if investor.stages and project.stage not in investor.stages:
        exclusions.append(
            Reason(
                "stage_excluded", 0.0, {"stage": project.stage, "stages": _sorted(investor.stages)}
            )
        )
    ticket_points, ticket_excluded, stated = (
        float(a)
        for a in _ticket_fit(
            np.asarray(float(investor.ticket_min_usd)),
            np.asarray(float(investor.ticket_max_usd)),
            np.asarray(float(project.gap_usd)),
        )
    )
    ticket_params: dict[str, object] = {
        "ticket_min_usd": float(investor.ticket_min_usd),
        "ticket_max_usd": float(investor.ticket_max_usd),
        "gap_usd": float(project.gap_usd),
    }
    if ticket_excluded:
        exclusions.append(Reason("ticket_exceeds_gap", 0.0, ticket_params))
    if exclusions:
        return Match(total=0.0, reasons=tuple(exclusions))

    reasons: list[Reason] = []
    if not stated:
        reasons.append(Reason("ticket_open", ticket_points, {}))
    elif ticket_points > 0:
        share = min(investor.ticket_max_usd, project.gap_usd) / project.gap_usd
        reasons.append(Reason("ticket_fits_gap", ticket_points, {**ticket_params, "share": share}))

    if not investor.genres:
        reasons.append(Reason("genre_open", OPEN_GENRE, {}))
    else:
        shared = project.genres & investor.genres
        if shared:
            points = float(
                _genre_points(np.asarray(float(len(shared))), np.asarray(len(project.genres)))
            )
            reasons.append(Reason("genre", points, {"genres": _sorted(shared)}))

    sought = _partner_match(project, investor)
    if sought is not None:
        reasons.append(sought)

    if not investor.kinds:
        reasons.append(Reason("kind_open", OPEN_KIND, {}))
    else:
        reasons.append(Reason("kind", W_KIND, {"kind": project.kind}))
    if not investor.stages:
        reasons.append(Reason("stage_open", OPEN_STAGE, {}))
    else:
        reasons.append(Reason("stage", W_STAGE, {"stage": project.stage}))

    if not investor.regions:
        reasons.append(Reason("region_open", OPEN_REGION, {}))
    else:
        in_countries = project.countries & investor.regions
        if in_countries:
            reasons.append(Reason("region", W_REGION, {"countries": _sorted(in_countries)}))
        in_markets = project.target_markets & investor.regions
        if in_markets:
            reasons.append(Reason("market", W_MARKET, {"countries": _sorted(in_markets)}))

    treaties = project.countries & investor.treaties
    if treaties:
        reasons.append(Reason("treaty", W_TREATY, {"countries": _sorted(treaties)}))

    reasons.sort(key=lambda r: (-r.points, r.code))
    return Match(total=sum(r.points for r in reasons), reasons=tuple(reasons))


def _partner_match(project: ProjectFacts, investor: InvestorFacts) -> Reason | None:
    kinds = partner_kinds_of(investor.kind)
    exact = sorted(
        (kind, country)
        for kind, country in project.partners_sought
        if kind in kinds and country in ("", investor.country)
    )
    if exact:
        kind, country = exact[-1]  # prefer the one naming the investor's country
        return Reason(
            "partner_sought", W_PARTNER, {"kind": kind, "country": country, "country_matches": True}
        )
    other = sorted((k, c) for k, c in project.partners_sought if k in kinds)
    if other:
        return Reason(
            "partner_sought",
            PARTNER_OTHER,
            {"kind": other[0][0], "countries": [c for _, c in other], "country_matches": False},
        )
    return None


# --- the matrix ------------------------------------------------------------------------


def _one_hot(rows: Sequence[Iterable[str]], vocabulary: dict[str, int]) -> np.ndarray:
    matrix = np.zeros((len(rows), max(len(vocabulary), 1)), dtype=np.float32)
    for i, values in enumerate(rows):
        for value in values:
            j = vocabulary.get(value)
            if j is not None:
                matrix[i, j] = 1.0
    return matrix


def _vocabulary(*groups: Iterable[Iterable[str]]) -> dict[str, int]:
    vocabulary: dict[str, int] = {}
    for group in groups:
        for values in group:
            for value in values:
                vocabulary.setdefault(value, len(vocabulary))
    return vocabulary


def _overlap(left: list[Iterable[str]], right: list[Iterable[str]]) -> np.ndarray:
    """Count of shared values, left[i] ∩ right[j], as a (len(left), len(right)) array."""
    vocabulary = _vocabulary(left)
    # einsum's own loop: a BLAS matmul of this size costs more in thread start-up than work.
    return np.einsum("pv,iv->pi", _one_hot(left, vocabulary), _one_hot(right, vocabulary))


def score_matrix(
    *, projects: Sequence[ProjectFacts], investors: Sequence[InvestorFacts]
) -> np.ndarray:
    """``score(project=p, investor=i).total`` for every pair, shape (P, I), float64."""
    n_p, n_i = len(projects), len(investors)
    if n_p == 0 or n_i == 0:
        return np.zeros((n_p, n_i), dtype=np.float64)

    # Hard filters: kind and stage.
    inv_kinds_open = np.array([not i.kinds for i in investors])
    inv_stages_open = np.array([not i.stages for i in investors])
    kind_ok = (_overlap([[p.kind] for p in projects], [i.kinds for i in investors]) > 0) | (
        inv_kinds_open[None, :]
    )
    stage_ok = (_overlap([[p.stage] for p in projects], [i.stages for i in investors]) > 0) | (
        inv_stages_open[None, :]
    )

    gap = np.array([float(p.gap_usd) for p in projects])[:, None]
    tmin = np.array([float(i.ticket_min_usd) for i in investors])[None, :]
    tmax = np.array([float(i.ticket_max_usd) for i in investors])[None, :]
    ticket, ticket_excluded, _ = _ticket_fit(tmin, tmax, gap)
    total = np.broadcast_to(ticket, (n_p, n_i)).astype(np.float64)

    # Genres.
    shared = _overlap([p.genres for p in projects], [i.genres for i in investors])
    n_genres = np.array([len(p.genres) for p in projects], dtype=np.float64)[:, None]
    genre = np.where(shared > 0, _genre_points(shared.astype(np.float64), n_genres), 0.0)
    inv_genres_open = np.array([not i.genres for i in investors])[None, :]
    total += np.where(inv_genres_open, OPEN_GENRE, genre)

    # Partner sought: exact (any country or the investor's) or the kind only.
    inv_exact = [
        [f"{k}|{c}" for k in partner_kinds_of(i.kind) for c in ("", i.country)] for i in investors
    ]
    proj_exact = [[f"{k}|{c}" for k, c in p.partners_sought] for p in projects]
    exact = _overlap(proj_exact, inv_exact) > 0
    kind_only = (
        _overlap(
            [[k for k, _ in p.partners_sought] for p in projects],
            [partner_kinds_of(i.kind) for i in investors],
        )
        > 0
    )
    total += np.where(exact, W_PARTNER, np.where(kind_only, PARTNER_OTHER, 0.0))

    total += np.where(inv_kinds_open, OPEN_KIND, W_KIND)[None, :]
    total += np.where(inv_stages_open, OPEN_STAGE, W_STAGE)[None, :]

    # Regions, markets, treaties.
    regions = [i.regions for i in investors]
    inv_regions_open = np.array([not r for r in regions])[None, :]
    in_countries = _overlap([p.countries for p in projects], regions) > 0
    in_markets = _overlap([p.target_markets for p in projects], regions) > 0
    region = np.where(in_countries, W_REGION, 0.0) + np.where(in_markets, W_MARKET, 0.0)
    total += np.where(inv_regions_open, OPEN_REGION, region)
    treaty = _overlap([p.countries for p in projects], [i.treaties for i in investors]) > 0
    total += np.where(treaty, W_TREATY, 0.0)

    keep = kind_ok & stage_ok & ~ticket_excluded
    return np.where(keep, total, 0.0)


__all__ = [
    "EXCLUSION_CODES",
    "InvestorFacts",
    "Match",
    "ProjectFacts",
    "Reason",
    "partner_kinds_of",
    "score",
    "score_matrix",
]

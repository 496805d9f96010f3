"""Fit the component weights of a matcher on its own training behaviour (Django-free).

See :mod:`.tuning`: a validation split of the training interactions (each user's most recent
20 %), coordinate ascent on NDCG@10 over a factor per component, factors rounded to powers
of two so every reason's points stay exact dyadic numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

import numpy as np

from reelmarket.financing.relevance import InvestorFacts
from reelmarket.matchmaking.core.history import HISTORY_CODES, HistoryWeights, Interaction
from reelmarket.matchmaking.core.projects import FinancierMatcher, ProjectItem
from reelmarket.matchmaking.core.split import relevant_items, temporal_split
from reelmarket.matchmaking.core.titles import (
    BuyerProfile,
    ProfileWeights,
    TitleFeatures,
    TitleMatcher,
)
from reelmarket.matchmaking.core.tuning import fit_factors, log2_factor

MAX_USERS = 1_500

TITLE_GROUPS: dict[str, tuple[str, ...]] = {
    "rights_available": ("rights_available", "rights_open"),
    "kind": ("kind", "kind_open"),
    "genre": ("genre", "genre_open"),
    "language": ("language", "language_open"),
    "budget": ("budget", "budget_open"),
    "interest": ("interest",),
    **{
        code: (code,)
        for code in HISTORY_CODES
        if code not in ("more_like_this", "not_interested_similar")
    },
}


def _validation(
    interactions: Sequence[Interaction], item_ids: Sequence[int], max_users: int, seed: int
) -> tuple[list[Interaction], list[int], np.ndarray, np.ndarray]:
    train, valid = temporal_split(interactions)
    relevant = relevant_items(train, valid)
    users = sorted(relevant)
    if len(users) > max_users:
        rng = np.random.default_rng(seed)
        users = sorted(rng.choice(users, size=max_users, replace=False).tolist())
    col = {int(i): n for n, i in enumerate(item_ids)}
    truth = np.zeros((len(users), len(item_ids)), dtype=bool)
    banned = np.zeros_like(truth)
    row = {u: n for n, u in enumerate(users)}
    for u in users:
        truth[row[u], [col[i] for i in relevant[u] if i in col]] = True
    for r in train:
        if r.who in row and r.item in col:
            banned[row[r.who], col[r.item]] = True
    return train, users, truth, banned


def fit_title_weights(
    *,
    titles: Sequence[TitleFeatures],
    buyers: Sequence[BuyerProfile],
    interactions: Sequence[Interaction],
    now: datetime | date | None = None,
    max_users: int = MAX_USERS,
    seed: int = 0,
) -> tuple[ProfileWeights, HistoryWeights, float]:
    """(profile weights, history weights, validation NDCG@10) for a :class:`TitleMatcher`."""
    item_ids = [t.id for t in titles]
    train, users, truth, banned = _validation(interactions, item_ids, max_users, seed)
    if not users:
        return ProfileWeights(), HistoryWeights(), 0.0
    matcher = TitleMatcher(titles=titles, buyers=buyers, interactions=train, now=now)
    comps, excluded = matcher._block(matcher._rows(users), np.arange(len(item_ids)))
    factors, best = fit_factors(
        components=comps, groups=TITLE_GROUPS, excluded=excluded, banned=banned, relevant=truth
    )
    factors = {g: log2_factor(f) for g, f in factors.items()}
    return ProfileWeights().scaled(factors), HistoryWeights().scaled(factors), best


def fit_financier_weights(
    *,
    projects: Sequence[ProjectItem],
    investors: Sequence[InvestorFacts],
    interactions: Sequence[Interaction],
    now: datetime | date | None = None,
    max_users: int = MAX_USERS,
    seed: int = 0,
) -> tuple[float, HistoryWeights, float]:
    """(relevance scale, history weights, validation NDCG@10) for a :class:`FinancierMatcher`."""
    item_ids = [p.facts.id for p in projects]
    train, users, truth, banned = _validation(interactions, item_ids, max_users, seed)
    if not users:
        return 1.0, HistoryWeights(), 0.0
    matcher = FinancierMatcher(projects=projects, investors=investors, interactions=train, now=now)
    rows = matcher._rows(users)
    hist = np.asarray([matcher.history.index_of[u] for u in users], dtype=np.int64)
    comps = matcher.history.components(hist, np.arange(len(item_ids)))
    comps["relevance"] = matcher._relevance[rows]
    groups = {g: c for g, c in TITLE_GROUPS.items() if c[0] in HISTORY_CODES}
    groups["relevance"] = ("relevance",)
    factors, best = fit_factors(
        components=comps,
        groups=groups,
        excluded=np.zeros_like(truth),
        banned=banned,
        relevant=truth,
    )
    factors = {g: log2_factor(f) for g, f in factors.items()}
    return factors.pop("relevance"), HistoryWeights().scaled(factors), best


__all__ = ["fit_financier_weights", "fit_title_weights"]

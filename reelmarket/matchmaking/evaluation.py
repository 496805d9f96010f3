"""Offline evaluation of rankings against held-out behaviour (Django-free).

Split (:func:`temporal_split`): each user's interactions are ordered by time (ties keep
their input order); the most recent ⌊0.2·n⌋ are held out, so users with fewer than 5
interactions are training only. Feedback rows ("not_interested") are never held out.

Relevant items of a user: the distinct items of their held-out rows that are not among
their training items (re-finding a title already seen says nothing about a recommender).
Every scorer ranks all items except the user's training items.

Metrics, per user with at least one relevant item, then averaged (macro):

* ``NDCG@k`` = DCG@k / IDCG@k with binary gains, DCG@k = Σ_{i=1..k} rel_i / log2(i + 1)
  and IDCG@k the DCG of min(|R|, k) relevant items at the top;
* ``recall@k`` = |top-k ∩ R| / |R|.

Baselines: ``popularity`` (distinct training users per item), ``random`` (a seeded
permutation per user) and ``item-kNN`` (cosine between item columns of the binary
user × item training matrix, the user's score of an item = Σ of similarities to the
items they interacted with, 100 neighbours kept per item).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from reelmarket.matchmaking.core.calibrate import fit_title_weights
from reelmarket.matchmaking.core.history import NOT_INTERESTED, Interaction, item_knn_matrix
from reelmarket.matchmaking.core.split import TEST_SHARE, relevant_items, temporal_split
from reelmarket.matchmaking.core.titles import BuyerProfile, TitleFeatures, TitleMatcher

K = 10

# A scorer takes the user ids to rank for and returns their scores over ``items``.
Scorer = Callable[[Sequence[int]], np.ndarray]


@dataclass(frozen=True)
class Metrics:
    ndcg: float
    recall: float
    users: int  # users evaluated (with at least one relevant held-out item)

    def as_dict(self) -> dict[str, float | int]:
        return {"ndcg@10": self.ndcg, "recall@10": self.recall, "users": self.users}


def ndcg_at_k(ranked: Sequence[int], relevant: set[int], k: int = K) -> float:
    """Binary-gain NDCG@k of one ranking (0 when nothing is relevant)."""
    if not relevant:
        return 0.0
    dcg = sum(1.0 / math.log2(i + 2) for i, item in enumerate(ranked[:k]) if item in relevant)
    ideal = sum(1.0 / math.log2(i + 2) for i in range(min(len(relevant), k)))
    return dcg / ideal


def recall_at_k(ranked: Sequence[int], relevant: set[int], k: int = K) -> float:
    """|top-k ∩ relevant| / |relevant| (0 when nothing is relevant)."""
    if not relevant:
        return 0.0
    return len(set(ranked[:k]) & relevant) / len(relevant)


def evaluate_rankings(
    rankings: Mapping[int, Sequence[int]], relevant: Mapping[int, set[int]], *, k: int = K
) -> Metrics:
    """Mean NDCG@k and recall@k over the users of ``relevant`` (a missing ranking scores 0)."""
    users = sorted(relevant)
    if not users:
        return Metrics(0.0, 0.0, 0)
    ndcg = [ndcg_at_k(list(rankings.get(u, ())), relevant[u], k) for u in users]
    recall = [recall_at_k(list(rankings.get(u, ())), relevant[u], k) for u in users]
    return Metrics(float(np.mean(ndcg)), float(np.mean(recall)), len(users))


def top_k(
    scores: np.ndarray, items: np.ndarray, banned: Sequence[set[int]], k: int = K
) -> list[list[int]]:
    """Per row, the ``k`` highest-scoring items not banned (ties broken by item id)."""
    out: list[list[int]] = []
    for r in range(scores.shape[0]):
        row = scores[r].astype(np.float64)
        if banned[r]:
            row = np.where(np.isin(items, list(banned[r])), -np.inf, row)
        fetch = min(len(items), k + len(banned[r]) + k)
        part = (
            np.argpartition(-row, fetch - 1)[:fetch]
            if fetch < len(items)
            else np.arange(len(items))
        )
        order = part[np.lexsort((items[part], -row[part]))]
        out.append([int(items[i]) for i in order if np.isfinite(row[i])][:k])
    return out


def _train_sets(train: Iterable[Interaction]) -> dict[int, set[int]]:
    seen: dict[int, set[int]] = defaultdict(set)
    for row in train:
        seen[row.who].add(row.item)
    return seen


def popularity_scorer(train: Sequence[Interaction], items: np.ndarray) -> Scorer:
    index = {int(i): n for n, i in enumerate(items.tolist())}
    counts = np.zeros(len(items))
    for _, item in {(r.who, r.item) for r in train if r.action != NOT_INTERESTED}:
        if item in index:
            counts[index[item]] += 1.0
    return lambda users: np.broadcast_to(counts, (len(users), len(items)))


def random_scorer(items: np.ndarray, *, seed: int = 0) -> Scorer:
    def score(users: Sequence[int]) -> np.ndarray:
        return (
            np.stack([np.random.default_rng([seed, int(u)]).random(len(items)) for u in users])
            if users
            else np.zeros((0, len(items)))
        )

    return score


def item_knn_scorer(
    train: Sequence[Interaction], items: np.ndarray, *, neighbours: int = 100
) -> Scorer:
    index = {int(i): n for n, i in enumerate(items.tolist())}
    users = sorted({r.who for r in train})
    row_of = {u: n for n, u in enumerate(users)}
    binary = np.zeros((len(users), len(items)), dtype=np.float32)
    for r in train:
        if r.action != NOT_INTERESTED and r.item in index:
            binary[row_of[r.who], index[r.item]] = 1.0
    sim = item_knn_matrix(binary, neighbours=neighbours)

    def score(who: Sequence[int]) -> np.ndarray:
        rows = np.zeros((len(who), len(items)), dtype=np.float32)
        for n, u in enumerate(who):
            if u in row_of:
                rows[n] = binary[row_of[u]]
        return rows.astype(np.float64) @ sim

    return score


def evaluate_scorers(
    *,
    train: Sequence[Interaction],
    test: Sequence[Interaction],
    items: Sequence[int],
    scorers: Mapping[str, Scorer],
    k: int = K,
    chunk: int = 512,
    progress: Callable[[int], object] | None = None,
) -> dict[str, Metrics]:
    """Each scorer's mean NDCG@k / recall@k over the users with relevant held-out items."""
    relevant = relevant_items(train, test)
    seen = _train_sets(train)
    users = sorted(relevant)
    item_arr = np.asarray(list(items), dtype=np.int64)
    rankings: dict[str, dict[int, list[int]]] = {name: {} for name in scorers}
    for start in range(0, len(users), chunk):
        part = users[start : start + chunk]
        banned = [seen.get(u, set()) for u in part]
        for name, scorer in scorers.items():
            ranked = top_k(np.asarray(scorer(part)), item_arr, banned, k)
            rankings[name].update(zip(part, ranked, strict=True))
        if progress is not None:
            progress(len(part))
    return {name: evaluate_rankings(rankings[name], relevant, k=k) for name in scorers}


__all__ = [
    "TEST_SHARE",
    "K",
    "Metrics",
    "evaluate_log",
    "evaluate_rankings",
    "evaluate_scorers",
    "item_knn_scorer",
    "ndcg_at_k",
    "popularity_scorer",
    "random_scorer",
    "recall_at_k",
    "relevant_items",
    "temporal_split",
    "top_k",
]


def evaluate_log(
    *,
    titles: Sequence[TitleFeatures],
    interactions: Sequence[Interaction],
    k: int = K,
    calibrate: bool = True,
    seed: int = 0,
    progress: Callable[[int], object] | None = None,
) -> tuple[dict[str, Metrics], int]:
    """Our scorer, popularity, item-kNN and random on a past log; (metrics, held-out rows).

    Users have no stated profile here, so our score is its history components (plus
    constant "open" profile points); with ``calibrate`` the weights are fitted on a
    validation split of the training rows only.
    """
    train, test = temporal_split(interactions)
    users = sorted({r.who for r in interactions})
    buyers = [BuyerProfile(id=u) for u in users]
    profile_w, history_w = None, None
    if calibrate:
        profile_w, history_w, _ = fit_title_weights(
            titles=titles, buyers=buyers, interactions=train, seed=seed
        )
    matcher = TitleMatcher(
        titles=titles,
        buyers=buyers,
        interactions=train,
        profile_weights=profile_w,
        history_weights=history_w,
    )
    items = np.asarray([t.id for t in titles], dtype=np.int64)
    results = evaluate_scorers(
        train=train,
        test=test,
        items=items,
        k=k,
        scorers={
            "ours": lambda who: matcher.score_matrix(buyers=who),
            "popularity": popularity_scorer(train, items),
            "item-kNN": item_knn_scorer(train, items),
            "random": random_scorer(items, seed=seed),
        },
        progress=progress,
    )
    return results, len(test)

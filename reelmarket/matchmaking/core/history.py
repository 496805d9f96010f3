"""What a user's past behaviour says: taste vector, genre/kind weights, co-interest, feedback.

Behaviour is a list of :class:`Interaction` (who, item, action, when, strength). Each one
weighs ``ACTION_WEIGHTS[action] × strength × 0.5 ** (age_days / half_life_days)`` — the
recency decay — where the age is measured from ``now`` (default: the latest interaction).
"not_interested" and "more_like_this" are feedback: the first removes the item from the
user's suggestions and lowers items close to it, the second raises items close to it.

Components (each quantised to 1/256, see :mod:`.explain`); ``W_*`` are the maxima:

* ``taste`` — closeness of the item's vector to the user's taste vector (weighted mean of
  the vectors of items they interacted with);
* ``history_genre`` — the item has a genre the user's history weighs ``GENRE_FULL`` or more
  (proportionally below); ``history_kind`` the same for the kind;
* ``co_interest`` — item-kNN: users who interacted with the user's items also interacted
  with this one (cosine over the user × item matrix, top ``NEIGHBOURS`` per item);
* ``popular`` — how many users interacted with the item (log scale);
* ``more_like_this`` / ``not_interested_similar`` (negative) — closeness to an item the user
  marked.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import numpy as np

from reelmarket.matchmaking.core.explain import Reason, quantise
from reelmarket.matchmaking.core.items import ItemSpace, exact_sims, fixed

VIEW, SAVE, REQUEST, DEAL = "view", "save", "request", "deal"
MORE_LIKE_THIS, NOT_INTERESTED = "more_like_this", "not_interested"
ACTION_WEIGHTS: dict[str, float] = {
    VIEW: 1.0,
    SAVE: 2.0,
    REQUEST: 3.0,
    DEAL: 4.0,
    MORE_LIKE_THIS: 3.0,
}
ACTIONS = frozenset({*ACTION_WEIGHTS, NOT_INTERESTED})
HALF_LIFE_DAYS = 180.0

W_TASTE = 15.0
W_HISTORY_GENRE = 10.0
W_HISTORY_KIND = 5.0
W_CO_INTEREST = 100.0
W_POPULAR = 20.0
W_MORE_LIKE_THIS = 15.0
W_NOT_INTERESTED = 20.0  # applied as a penalty (negative points)
GENRE_FULL = 6.0  # decayed weight of a genre in the history that earns full points
KIND_FULL = 6.0
CO_HALF = 2.0  # co-interest raw score at which half the points are earned
NEIGHBOURS = 100  # item-kNN neighbours kept per item
DENSE_MAX_ITEMS = 20_000
CO_WEIGHT_FIXED = 2.0**8
CO_SIM_FIXED = 2.0**12  # co_interest (dense item × item) only up to this many items

HISTORY_CODES = (
    "taste",
    "history_genre",
    "history_kind",
    "co_interest",
    "popular",
    "more_like_this",
    "not_interested_similar",
)


@dataclass(frozen=True, slots=True)
class Interaction:
    who: int
    item: int
    action: str = VIEW
    when: datetime | date | None = None
    strength: float = 1.0


@dataclass(frozen=True)
class HistoryWeights:
    """Which history components are on and their maxima (points)."""

    taste: float = W_TASTE
    history_genre: float = W_HISTORY_GENRE
    history_kind: float = W_HISTORY_KIND
    co_interest: float = W_CO_INTEREST
    popular: float = W_POPULAR
    more_like_this: float = W_MORE_LIKE_THIS
    not_interested_similar: float = W_NOT_INTERESTED
    half_life_days: float = HALF_LIFE_DAYS

    def weight(self, code: str) -> float:
        return float(getattr(self, code))

    def scaled(self, factors: dict[str, float]) -> HistoryWeights:
        values = {
            k: (v if k == "half_life_days" else float(quantise(v * factors.get(k, 1.0))))
            for k, v in self.__dict__.items()
        }
        return HistoryWeights(**values)

    @property
    def maximum(self) -> float:
        """The most a pair can earn from history (penalties aside)."""
        return float(
            sum(max(self.weight(c), 0.0) for c in HISTORY_CODES if c != "not_interested_similar")
        )


def _as_datetime(value: datetime | date | None) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime(value.year, value.month, value.day, tzinfo=UTC)


_NONE: frozenset[str] = frozenset()
_UNIONS: dict[tuple[frozenset[str], str], frozenset[str]] = {}


def _with(done: frozenset[str], action: str) -> frozenset[str]:
    """``done | {action}``, one shared object per combination (millions of user × item
    entries at scale, a handful of distinct sets)."""
    key = (done, action)
    union = _UNIONS.get(key)
    if union is None:
        union = _UNIONS.setdefault(key, done | {action})
    return union


@dataclass
class _User:
    weights: dict[int, float] = field(default_factory=dict)  # item index -> decayed weight
    actions: dict[int, frozenset[str]] = field(default_factory=dict)  # shared sets: _with
    more: list[int] = field(default_factory=list)
    not_interested: list[int] = field(default_factory=list)
    # ``weights`` as arrays in item order, filled when first explained (see ``_items_of``)
    items: np.ndarray | None = None
    item_weights: np.ndarray | None = None


def _max_over_sets(
    sets: Sequence[np.ndarray], vectors: np.ndarray, cols: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(max similarity, argmax item index) of each user's set against ``cols``; -inf if empty.

    ``vectors``: the items' fixed-point vectors (:func:`.items.fixed`).
    """
    best = np.full((len(sets), len(cols)), -np.inf)
    arg = np.full((len(sets), len(cols)), -1, dtype=np.int64)
    owners = [np.full(len(s), u, dtype=np.int64) for u, s in enumerate(sets) if len(s)]
    if not owners:
        return best, arg
    rows = np.concatenate([s for s in sets if len(s)])
    owner = np.concatenate(owners)
    sims = exact_sims(vectors[rows], vectors[cols])
    for k in range(len(rows)):
        u = owner[k]
        better = sims[k] > best[u]
        best[u] = np.where(better, sims[k], best[u])
        arg[u] = np.where(better, rows[k], arg[u])
    return best, arg


class HistoryModel:
    """Users' behaviour over an :class:`ItemSpace`, ready to score (users × items) blocks."""

    def __init__(
        self,
        *,
        space: ItemSpace,
        interactions: Iterable[Interaction],
        users: Iterable[int] = (),
        now: datetime | date | None = None,
        weights: HistoryWeights | None = None,
    ) -> None:
        self.space = space
        self.w = weights or HistoryWeights()
        rows = [i for i in interactions if int(i.item) in space.index_of]
        for row in rows:
            if row.action not in ACTIONS:
                raise ValueError(f"unknown action {row.action!r}")
        times = [t for t in (_as_datetime(r.when) for r in rows) if t is not None]
        self.now = _as_datetime(now) or (max(times) if times else datetime.now(UTC))
        user_ids = sorted({int(u) for u in users} | {int(r.who) for r in rows})
        self.user_ids = user_ids
        self.index_of = {u: n for n, u in enumerate(user_ids)}
        self._users = [_User() for _ in user_ids]
        for row in rows:
            self._add(row)
        self._build()

    # -- building ------------------------------------------------------------------------

    def _decay(self, when: datetime | date | None) -> float:
        moment = _as_datetime(when)
        if moment is None:
            return 1.0
        age = max((self.now - moment).total_seconds() / 86_400.0, 0.0)
        return 0.5 ** (age / self.w.half_life_days)

    def _add(self, row: Interaction) -> None:
        user = self._users[self.index_of[int(row.who)]]
        user.items = None  # the cached arrays are stale
        item = self.space.index_of[int(row.item)]
        if row.action == NOT_INTERESTED:
            if item not in user.not_interested:
                user.not_interested.append(item)
            return
        if row.action == MORE_LIKE_THIS and item not in user.more:
            user.more.append(item)
        weight = ACTION_WEIGHTS[row.action] * float(row.strength) * self._decay(row.when)
        user.weights[item] = user.weights.get(item, 0.0) + weight
        user.actions[item] = _with(user.actions.get(item, _NONE), row.action)

    def _build(self) -> None:
        space, n_users, n_items = self.space, len(self._users), len(self.space)
        self.dense = n_items <= DENSE_MAX_ITEMS
        genre_w = np.zeros((n_users, space.genres.shape[1]))
        kind_w = np.zeros((n_users, max(len(space.kind_names), 1)))
        taste = np.zeros((n_users, space.vectors.shape[1]))
        popularity = np.zeros(n_items)
        for u, user in enumerate(self._users):
            if user.weights:
                items, genre_w[u], kind_w[u], taste[u] = self._sums(user, kind_w.shape[1])
                popularity[items] += 1.0
        norms = np.linalg.norm(taste, axis=1, keepdims=True)
        self.has_taste = norms[:, 0] > 0
        norms[norms == 0] = 1.0
        self.taste = taste / norms
        self.taste_fixed = fixed(self.taste)
        self.genre_w, self.kind_w = genre_w, kind_w
        self.popularity = popularity
        self.pop_scale = (
            math.log1p(float(popularity.max())) if n_items and popularity.max() else 1.0
        )
        self.more_sets = [np.asarray(u.more, dtype=np.int64) for u in self._users]
        self.not_sets = [np.asarray(u.not_interested, dtype=np.int64) for u in self._users]
        self.neighbours = self._item_knn() if self.dense and self.w.co_interest else None
        self.neighbours_fixed = (
            np.round(self.neighbours * CO_SIM_FIXED) if self.neighbours is not None else None
        )

    def _sums(
        self, user: _User, n_kinds: int
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(items, genre weights, kind weights, taste) of one user's behaviour: sums over
        their items in item order, so a user's rows are the same however their record was
        built (the whole batch, or that user alone)."""
        items, weights = self._item_arrays(user)
        weights = np.maximum(weights, 0.0)
        space = self.space
        genre = weights @ space.genres[items].astype(np.float64)
        kind = np.bincount(space.kinds[items], weights=weights, minlength=n_kinds)
        return items, genre, kind, weights @ space.vectors[items]

    def replace_user(self, user: int, interactions: Iterable[Interaction]) -> None:
        """Replace one user's behaviour, recomputing only that user's rows (and popularity).

        The item-kNN neighbours (everyone's co-interest) stay as they were until the next
        full build.
        """
        user = int(user)
        if user not in self.index_of:
            self.index_of[user] = len(self.user_ids)
            self.user_ids.append(user)
            self._users.append(_User())
            self._grow()
        u = self.index_of[user]
        for item in self._users[u].weights:
            self.popularity[item] -= 1.0
        self._users[u] = _User()
        for row in interactions:
            if int(row.who) != user:
                raise ValueError("interactions of another user")
            if int(row.item) in self.space.index_of:
                if row.action not in ACTIONS:
                    raise ValueError(f"unknown action {row.action!r}")
                self._add(row)
        record = self._users[u]
        self.genre_w[u] = 0.0
        self.kind_w[u] = 0.0
        taste = np.zeros(self.space.vectors.shape[1])
        if record.weights:
            items, self.genre_w[u], self.kind_w[u], taste = self._sums(record, self.kind_w.shape[1])
            self.popularity[items] += 1.0
        norm = float(np.linalg.norm(taste))
        self.has_taste[u] = norm > 0
        self.taste[u] = taste / norm if norm else taste
        self.taste_fixed[u] = fixed(self.taste[u])
        top = float(self.popularity.max()) if len(self.popularity) else 0.0
        self.pop_scale = math.log1p(top) if top else 1.0
        self.more_sets[u] = np.asarray(record.more, dtype=np.int64)
        self.not_sets[u] = np.asarray(record.not_interested, dtype=np.int64)

    def _grow(self) -> None:
        self.genre_w = np.vstack([self.genre_w, np.zeros((1, self.genre_w.shape[1]))])
        self.kind_w = np.vstack([self.kind_w, np.zeros((1, self.kind_w.shape[1]))])
        self.taste = np.vstack([self.taste, np.zeros((1, self.taste.shape[1]))])
        self.taste_fixed = np.vstack([self.taste_fixed, np.zeros((1, self.taste.shape[1]))])
        self.has_taste = np.append(self.has_taste, False)
        self.more_sets.append(np.zeros(0, np.int64))
        self.not_sets.append(np.zeros(0, np.int64))

    def _co_interest_raw(
        self, u_idx: np.ndarray, known: np.ndarray, cols: np.ndarray
    ) -> np.ndarray:
        """Σ_j weight(u, j) · neighbours[j, col] in fixed point (weights × 2**8, similarities
        × 2**12): integer products and sums, exact whatever the block shape."""
        weights = np.round(self.user_weights_dense(u_idx) * CO_WEIGHT_FIXED)
        weights[~known] = 0.0
        raw = (weights @ self.neighbours_fixed[:, cols]) * (1.0 / (CO_WEIGHT_FIXED * CO_SIM_FIXED))
        return np.maximum(raw, 0.0)

    def user_weights_dense(self, users: np.ndarray) -> np.ndarray:
        """(len(users), T) decayed weights."""
        block = np.zeros((len(users), len(self.space)))
        for r, u in enumerate(users.tolist()):
            for item, weight in self._users[u].weights.items():
                block[r, item] = weight
        return block

    def _item_knn(self) -> np.ndarray:
        """Item × item cosine over the binary user × item matrix, top NEIGHBOURS per item."""
        n_items = len(self.space)
        binary = np.zeros((len(self._users), n_items), dtype=np.float32)
        for u, user in enumerate(self._users):
            if user.weights:
                binary[u, list(user.weights)] = 1.0
        return item_knn_matrix(binary, neighbours=NEIGHBOURS)

    # -- reading -------------------------------------------------------------------------

    def interacted(self, user: int) -> dict[int, set[str]]:
        """Item id -> actions, for one user id (empty for an unknown user)."""
        u = self.index_of.get(int(user))
        if u is None:
            return {}
        return {int(self.space.ids[i]): set(a) for i, a in self._users[u].actions.items()}

    def item_indices_with(self, user: int, actions: Collection[str]) -> np.ndarray:
        """Item indices this user id did one of ``actions`` on (not-interested ones included
        when ``"not_interested"`` is asked)."""
        u = self.index_of.get(int(user))
        if u is None:
            return np.zeros(0, dtype=np.int64)
        record = self._users[u]
        wanted = set(actions)
        found = [i for i, done in record.actions.items() if done & wanted]
        if NOT_INTERESTED in wanted:
            found.extend(record.not_interested)
        return np.asarray(found, dtype=np.int64)

    def not_interested(self, user: int) -> set[int]:
        u = self.index_of.get(int(user))
        if u is None:
            return set()
        return {int(self.space.ids[i]) for i in self._users[u].not_interested}

    # -- scoring -------------------------------------------------------------------------

    def components(
        self, users: np.ndarray, cols: np.ndarray, *, ablate: Collection[str] = ()
    ) -> dict[str, np.ndarray]:
        """Quantised points per history component, each (len(users), len(cols)).

        ``users`` are row indices of this model (-1: a user with no history), ``cols`` item
        indices of the space.
        """
        space = self.space
        known = users >= 0
        u_idx = np.where(known, users, 0)
        out: dict[str, np.ndarray] = {}
        shape = (len(users), len(cols))

        def on(code: str) -> bool:
            return code not in ablate and self.w.weight(code) != 0.0

        if on("taste"):
            sims = exact_sims(self.taste_fixed[u_idx], space.fixed[cols])
            mask = (known & self.has_taste[u_idx])[:, None] & space.has_vector[cols][None, :]
            out["taste"] = np.where(mask, quantise(self.w.taste * space.closeness(sims)), 0.0)
        if on("history_genre"):
            # the heaviest of the item's genres in the user's history: gather, then max
            padded = np.hstack([self.genre_w[u_idx], np.zeros((len(users), 1))])
            best = padded[:, space.genre_index[cols]].max(axis=2) if len(cols) else np.zeros(shape)
            points = quantise(self.w.history_genre * np.minimum(1.0, best / GENRE_FULL))
            out["history_genre"] = np.where(known[:, None], points, 0.0)
        if on("history_kind"):
            weight = self.kind_w[u_idx][:, space.kinds[cols]]
            points = quantise(self.w.history_kind * np.minimum(1.0, weight / KIND_FULL))
            out["history_kind"] = np.where(known[:, None], points, 0.0)
        if on("co_interest") and self.neighbours is not None:
            raw = self._co_interest_raw(u_idx, known, cols)
            points = quantise(self.w.co_interest * raw / (raw + CO_HALF))
            out["co_interest"] = np.where(known[:, None], points, 0.0)
        if on("popular"):
            points = quantise(self.w.popular * np.log1p(self.popularity[cols]) / self.pop_scale)
            out["popular"] = np.broadcast_to(points[None, :], shape).copy()
        if on("more_like_this"):
            sets = [
                self.more_sets[u] if k else np.zeros(0, np.int64)
                for u, k in zip(u_idx, known, strict=True)
            ]
            best, _ = _max_over_sets(sets, space.fixed, cols)
            points = quantise(
                self.w.more_like_this * space.closeness(np.where(np.isinf(best), -1.0, best))
            )
            out["more_like_this"] = np.where(np.isinf(best), 0.0, points)
        if on("not_interested_similar"):
            sets = [
                self.not_sets[u] if k else np.zeros(0, np.int64)
                for u, k in zip(u_idx, known, strict=True)
            ]
            best, _ = _max_over_sets(sets, space.fixed, cols)
            points = -quantise(
                self.w.not_interested_similar
                * space.closeness(np.where(np.isinf(best), -1.0, best))
            )
            out["not_interested_similar"] = np.where(np.isinf(best), 0.0, points) + 0.0
        return out

    @staticmethod
    def _item_arrays(record: _User) -> tuple[np.ndarray, np.ndarray]:
        """The record's item indices in order and their weights."""
        order = sorted(record.weights)
        weights = np.asarray([record.weights[i] for i in order], dtype=np.float64)
        return np.asarray(order, dtype=np.int64), weights

    @classmethod
    def _items_of(cls, record: _User) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`_item_arrays`, cached on the record (explanations read them per pick)."""
        if record.items is None:
            record.items, record.item_weights = cls._item_arrays(record)
        assert record.item_weights is not None
        return record.items, record.item_weights

    def reasons(self, user: int, col: int, points: dict[str, float]) -> list[Reason]:
        """The history reasons of one (user index, item index) with their cited facts."""
        return self.reasons_many(user, [col], [points])[0]

    def reasons_many(
        self, user: int, cols: Sequence[int], points: Sequence[dict[str, float]]
    ) -> list[list[Reason]]:
        """The history reasons of one user index with each item index of ``cols`` (points of
        each pair in ``points``); what is cited is computed once for all of them."""
        space = self.space
        record = self._users[user] if user >= 0 else _User()
        # in item order, so ties cite the same titles however the record was built
        items, weights = self._items_of(record)
        col_array = np.asarray(cols, dtype=np.int64)
        wanted = {code for p in points for code, value in p.items() if value != 0.0}
        taste_top = contrib = contrib_top = None
        if "taste" in wanted and len(items):
            # exact (fixed point): the same order whatever the number of columns
            sims = exact_sims(space.fixed[items], space.fixed[col_array])  # (items, cols)
            taste_top = np.argsort(-sims, axis=0, kind="stable")[:3].T.tolist()
        if "co_interest" in wanted and self.neighbours is not None and len(items):
            contrib = weights[:, None] * self.neighbours[items][:, col_array]
            contrib_top = np.argsort(-contrib, axis=0, kind="stable")[:3].T.tolist()
        item_list = items.tolist()
        user_genres = self.genre_w[user].tolist() if user >= 0 else []
        by_genre: dict[int, dict[str, object]] = {}  # genre column -> its params
        by_kind: dict[int, dict[str, object]] = {}
        out: list[list[Reason]] = []
        for n, (col, values) in enumerate(zip(col_array.tolist(), points, strict=True)):
            reasons: list[Reason] = []
            for code, value in values.items():
                if value == 0.0:
                    continue
                params: dict[str, object] = {}
                if code == "taste" and taste_top is not None:
                    params = {"titles": [int(space.ids[item_list[o]]) for o in taste_top[n]]}
                elif code == "history_genre":
                    shared = [g for g in space.genre_index[col].tolist() if g < len(user_genres)]
                    shared = [g for g in shared if user_genres[g] > 0]
                    g = max(shared, key=lambda j: (user_genres[j], -j))
                    if g not in by_genre:
                        with_genre = items[space.genres[items, g] > 0].tolist()
                        by_genre[g] = {
                            "genre": space.genre_names[g],
                            "count": len(with_genre),
                            "actions": sorted(
                                set().union(*(record.actions[i] for i in with_genre))
                            ),
                        }
                    params = dict(by_genre[g])
                elif code == "history_kind":
                    kind = int(space.kinds[col])
                    if kind not in by_kind:
                        same = int(np.count_nonzero(space.kinds[items] == kind))
                        by_kind[kind] = {"kind": space.kind_names[kind], "count": same}
                    params = dict(by_kind[kind])
                elif code == "co_interest" and contrib is not None and contrib_top is not None:
                    params = {
                        "titles": [
                            int(space.ids[item_list[o]])
                            for o in contrib_top[n]
                            if contrib[o, n] > 0
                        ]
                    }
                elif code == "popular":
                    params = {"users": int(self.popularity[col])}
                elif code in ("more_like_this", "not_interested_similar"):
                    marked = record.more if code == "more_like_this" else record.not_interested
                    sims = space.vectors[np.asarray(marked, dtype=np.int64)] @ space.vectors[col]
                    params = {"title": int(space.ids[marked[int(np.argmax(sims))]])}
                reasons.append(Reason(code, value, params))
            out.append(reasons)
        return out


def item_knn_matrix(binary: np.ndarray, *, neighbours: int = NEIGHBOURS) -> np.ndarray:
    """Cosine similarity of item columns of a binary (users × items) matrix, diagonal 0,
    keeping each item's ``neighbours`` most similar items (as rows: sim[j, t] is how much
    having j points to t)."""
    binary = np.asarray(binary, dtype=np.float32)
    counts = binary.sum(axis=0).astype(np.float64)
    co = (binary.T @ binary).astype(np.float64)
    norms = np.sqrt(counts)
    norms[norms == 0] = 1.0
    sim = co / norms[:, None] / norms[None, :]
    np.fill_diagonal(sim, 0.0)
    n = sim.shape[0]
    if neighbours < n - 1:
        # keep, for each target column t, its top neighbours j
        cut = np.partition(sim, n - neighbours, axis=0)[n - neighbours]
        sim = np.where(sim >= cut[None, :], sim, 0.0)
    return sim


__all__ = [
    "ACTIONS",
    "ACTION_WEIGHTS",
    "DEAL",
    "HISTORY_CODES",
    "MORE_LIKE_THIS",
    "NOT_INTERESTED",
    "REQUEST",
    "SAVE",
    "VIEW",
    "HistoryModel",
    "HistoryWeights",
    "Interaction",
    "item_knn_matrix",
]

"""Titles ↔ buyers: the explainable score, batch recompute, buyers to meet (Django-free).

``score = profile components + history components`` (see :mod:`.history`), each a
:class:`Reason`. Profile components (maximum points):

==========================  ======  ====================================================
``rights_available``        ≤ 25    the buyer buys (territory, media) pairs still available
                                    for the title: 2/3 of the points for one pair, all
                                    for two or more
``rights_open``             12.5    the buyer states no rights, or the title's avails are
                                    unknown (``available=None``)
``kind`` / ``kind_open``    10 / 5  the title's kind is one the buyer buys / states none
``genre`` / ``genre_open``  ≤ 15/7.5 shared genres (full for two, or all of a one-genre
                                    title) / the buyer states no genre
``language`` / ``_open``    5 / 2.5 a title language the buyer buys / states none
``budget`` / ``_open``      5 / 2.5 the title's budget tier is one the buyer buys / none
``interest``                ≤ 15    the synopsis is close to one of the buyer's stated
                                    interests (text → vector by the caller's embedder)
==========================  ======  ====================================================

Hard filter: a buyer who states rights and shares none with a title whose avails are
known gets total 0 and the single reason ``rights_unavailable`` (0 points). A title the
buyer marked "not interested" gets total 0 and the reason ``not_interested``.

The buyer's view has every component; the exhibitor's view (:meth:`TitleMatcher.seller_view`,
"buyers to meet") has the profile components only: a buyer's history is not the seller's
to see, and a reason only cites facts passed in.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import numpy as np

from reelmarket.matchmaking.core.explain import Match, Reason, make_match, q, quantise
from reelmarket.matchmaking.core.history import (
    DEAL,
    HISTORY_CODES,
    REQUEST,
    SAVE,
    HistoryModel,
    HistoryWeights,
    Interaction,
)
from reelmarket.matchmaking.core.items import (
    ItemSpace,
    TopLists,
    exact_sims,
    fixed,
    one_hot,
    one_hot_shared,
    vocabulary_of,
)

W_RIGHTS = 25.0
W_KIND = 10.0
W_GENRE = 15.0
W_LANGUAGE = 5.0
W_BUDGET = 5.0
W_INTEREST = 15.0
OPEN_SHARE = 0.5
RIGHTS_FULL = 2  # matching (territory, media) pairs for full rights points
GENRES_FULL = 2

PROFILE_CODES = ("rights_available", "kind", "genre", "language", "budget", "interest")
OPEN_CODES = ("rights_open", "kind_open", "genre_open", "language_open", "budget_open")
_REASON_CODES = (*PROFILE_CODES, *OPEN_CODES)  # the order profile reasons are listed in
EXCLUSION_CODES = frozenset({"rights_unavailable", "not_interested"})
# Excluded from a buyer's suggestions by default: titles already saved, requested or bought.
DONE_ACTIONS = frozenset({SAVE, REQUEST, DEAL})

BUDGET_TIERS = ("micro", "low", "mid", "high", "tentpole")


def budget_tier(budget_usd: float | None) -> str:
    """The tier of a budget in USD.

    micro < 0.5 m ≤ low < 2 m ≤ mid < 10 m ≤ high < 50 m ≤ tentpole; unknown: "".
    """
    if budget_usd is None or budget_usd <= 0:
        return ""
    for limit, tier in ((0.5e6, "micro"), (2e6, "low"), (10e6, "mid"), (50e6, "high")):
        if budget_usd < limit:
            return tier
    return "tentpole"


@dataclass(frozen=True)
class ProfileWeights:
    """Maximum points of each profile component (an "open" one earns ``OPEN_SHARE`` of it)."""

    rights_available: float = W_RIGHTS
    kind: float = W_KIND
    genre: float = W_GENRE
    language: float = W_LANGUAGE
    budget: float = W_BUDGET
    interest: float = W_INTEREST

    def scaled(self, factors: dict[str, float]) -> ProfileWeights:
        return ProfileWeights(**{k: q(v * factors.get(k, 1.0)) for k, v in self.__dict__.items()})

    @property
    def maximum(self) -> float:
        return float(sum(self.__dict__.values()))


@dataclass(frozen=True, slots=True)
class TitleFeatures:
    id: int
    kind: str
    genres: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    countries: frozenset[str] = frozenset()
    budget_tier: str = ""  # one of BUDGET_TIERS or "" (unknown)
    year: int | None = None
    # (territory, media) pairs still available, already resolved by the avails algebra for
    # the territories buyers name; None: unknown (no avails given), counts as open.
    available: frozenset[tuple[str, str]] | None = None
    vector: np.ndarray | None = field(default=None, compare=False, repr=False)
    seller: int | None = None  # the exhibitor (company) selling it, for meeting suggestions


@dataclass(frozen=True, slots=True)
class Interest:
    text: str
    vector: np.ndarray = field(compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class BuyerProfile:
    id: int
    kinds: frozenset[str] = frozenset()
    genres: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    rights: frozenset[tuple[str, str]] = frozenset()  # (territory, media) they buy
    budget_tiers: frozenset[str] = frozenset()
    interests: tuple[Interest, ...] = ()


@dataclass(frozen=True)
class Suggestion:
    item: int  # title id (or buyer id in buyers_for_title)
    match: Match

    @property
    def total(self) -> float:
        return self.match.total


def _pairs(values: Iterable[tuple[str, str]]) -> list[str]:
    return [f"{t}|{m}" for t, m in values]


PROFILE_ALL = frozenset((*PROFILE_CODES, *OPEN_CODES))


@dataclass
class ScoreBlock:
    """The components of a block of buyers × titles, computed once (``TitleMatcher.block``).

    ``totals`` gives either view's scores; ``explain`` gives any pair's :class:`Match` from
    the same numbers, so a batch explains its picks without scoring them again, and the
    one-pair ``TitleMatcher.score`` is a 1 × 1 block: both paths agree by construction.
    """

    matcher: TitleMatcher
    rows: np.ndarray
    cols: np.ndarray
    comps: dict[str, np.ndarray]
    rights_excluded: np.ndarray  # the buyer states rights and shares none (both views)
    refused: np.ndarray  # marked "not interested" (the buyer's view only)
    interest_arg: np.ndarray | None
    history_rows: np.ndarray  # the rows' indices in the history model (-1: none)
    history: bool = True
    _totals: dict[bool, np.ndarray] = field(default_factory=dict, repr=False)
    _position: dict[int, int] | None = field(default=None, repr=False)

    def position(self, col: int) -> int:
        """The block column holding matcher column ``col``."""
        if self._position is None:
            self._position = {int(c): j for j, c in enumerate(self.cols.tolist())}
        return self._position[col]

    def totals(self, *, seller_view: bool = False) -> np.ndarray:
        """(len(rows), len(cols)) totals; ``seller_view``: the profile components only."""
        seller_view = seller_view or not self.history
        if seller_view not in self._totals:
            self._totals[seller_view] = self._sum(seller_view)
        return self._totals[seller_view]

    def _sum(self, seller_view: bool) -> np.ndarray:
        total = np.zeros((len(self.rows), len(self.cols)))
        for code, value in self.comps.items():
            if not seller_view or code in PROFILE_ALL:
                total = total + value
        excluded = self.rights_excluded if seller_view else self.rights_excluded | self.refused
        return np.where(excluded, 0.0, total)

    def explain(self, i: int, j: int, *, seller_view: bool = False) -> Match:
        """The :class:`Match` of the block's pair (row ``i``, column ``j``)."""
        return self.explain_many(i, [j], seller_view=seller_view)[0]

    def explain_many(self, i: int, js: Sequence[int], *, seller_view: bool = False) -> list[Match]:
        """The :class:`Match` of row ``i`` with each column of ``js``."""
        m = self.matcher
        buyer_view = self.history and not seller_view
        cols = np.asarray(js, dtype=np.int64)
        table = {
            code: v[i, cols].tolist()
            for code, v in self.comps.items()
            if buyer_view or code in PROFILE_ALL
        }
        refused = self.refused[i, cols].tolist()
        rights_excluded = self.rights_excluded[i, cols].tolist()
        interests = (
            self.interest_arg[i, cols].tolist()
            if self.interest_arg is not None
            else [-1] * len(cols)
        )
        b, user = int(self.rows[i]), int(self.history_rows[i])
        out: list[Match | None] = []
        explained: list[tuple[int, list[Reason], dict[str, float]]] = []  # (position, ...)
        for n, t in enumerate(self.cols[cols].tolist()):
            if buyer_view and refused[n]:
                reason = Reason("not_interested", 0.0, {"title": m.titles[t].id})
                out.append(Match(0.0, (reason,)))
                continue
            if rights_excluded[n]:
                rights = sorted([list(p) for p in m.buyers[b].rights])[:5]
                out.append(Match(0.0, (Reason("rights_unavailable", 0.0, {"rights": rights}),)))
                continue
            values = {code: column[n] for code, column in table.items() if column[n] != 0.0}
            explained.append((n, m._profile_reasons(b, t, values, int(interests[n])), values))
            out.append(None)
        if buyer_view and explained:
            history = m.history.reasons_many(
                user,
                [int(self.cols[cols[n]]) for n, _r, _v in explained],
                [{c: v[c] for c in HISTORY_CODES if c in v} for _n, _r, v in explained],
            )
            for (_n, reasons, _v), more in zip(explained, history, strict=True):
                reasons += more
        for n, reasons, _values in explained:
            out[n] = make_match(reasons)
        return [match for match in out if match is not None]


class TitleMatcher:
    """Every buyer against every title; build once per recompute, query many times.

    ``interactions`` are the buyers' behaviour and feedback over these titles; ``now`` the
    moment recency is measured from (default: the latest interaction).
    """

    def __init__(
        self,
        *,
        titles: Sequence[TitleFeatures],
        buyers: Sequence[BuyerProfile],
        interactions: Iterable[Interaction] = (),
        now: datetime | date | None = None,
        history_weights: HistoryWeights | None = None,
        profile_weights: ProfileWeights | None = None,
    ) -> None:
        self.pw = profile_weights or ProfileWeights()
        self.titles = list(titles)
        self.buyers = list(buyers)
        self.buyer_index = {b.id: n for n, b in enumerate(self.buyers)}
        if len(self.buyer_index) != len(self.buyers):
            raise ValueError("duplicate buyer ids")
        dims = {len(t.vector) for t in self.titles if t.vector is not None}
        dims |= {len(i.vector) for b in self.buyers for i in b.interests}
        if len(dims) > 1:
            raise ValueError(f"vectors of different dimensions: {sorted(dims)}")
        dim = dims.pop() if dims else 1
        vectors = np.zeros((len(self.titles), dim))
        for n, t in enumerate(self.titles):
            if t.vector is not None:
                vectors[n] = t.vector
        self.space = ItemSpace(
            ids=[t.id for t in self.titles],
            genres=[t.genres for t in self.titles],
            kinds=[t.kind for t in self.titles],
            vectors=vectors,
        )
        self.history = HistoryModel(
            space=self.space,
            interactions=interactions,
            users=[b.id for b in self.buyers],
            now=now,
            weights=history_weights,
        )
        self._build_profiles(dim)

    # -- features ------------------------------------------------------------------------

    def _build_profiles(self, dim: int) -> None:
        titles, buyers = self.titles, self.buyers
        kinds = vocabulary_of([[t.kind] for t in titles])
        genres = vocabulary_of([t.genres for t in titles])
        languages = vocabulary_of([t.languages for t in titles])
        tiers = {tier: n for n, tier in enumerate(BUDGET_TIERS)}
        rights = vocabulary_of([_pairs(b.rights) for b in buyers])
        self._vocab = {
            "kind": kinds,
            "genre": genres,
            "language": languages,
            "tier": tiers,
            "rights": rights,
        }
        small = np.uint8  # title-side one-hots: a million titles stay small
        self.t_kind = one_hot([[t.kind] for t in titles], kinds, small)
        self.t_genre = one_hot_shared([t.genres for t in titles], genres, dtype=small)
        self.t_lang = one_hot_shared([t.languages for t in titles], languages, dtype=small)
        self.t_tier = one_hot(
            [[t.budget_tier] if t.budget_tier else [] for t in titles], tiers, small
        )
        self.t_rights = one_hot_shared(
            [t.available or () for t in titles], rights, _pairs, dtype=small
        )
        self.t_avails_known = np.array([t.available is not None for t in titles], dtype=bool)
        self.t_genre_count = np.array([len(t.genres) for t in titles], dtype=np.float64)
        self.t_tier_known = np.array([bool(t.budget_tier) for t in titles], dtype=bool)
        side = self._buyer_side(buyers)
        self.b_kind, self.b_genre, self.b_lang = side["kind"], side["genre"], side["language"]
        self.b_tier, self.b_rights = side["tier"], side["rights"]
        self.b_open = side["open"]
        owners = [n for n, b in enumerate(buyers) for _ in b.interests]
        self.interest_owner = np.asarray(owners, dtype=np.int64)
        self.interest_vectors = self._interest_vectors(buyers, dim)
        self.interest_text = [i.text for b in buyers for i in b.interests]
        self.interest_fixed = fixed(self.interest_vectors)

    def _buyer_side(self, buyers: Sequence[BuyerProfile]) -> dict[str, Any]:
        """The buyer-side one-hots of ``buyers`` over the current vocabularies, and under
        ``"open"`` which of their criteria each leaves open (states nothing about)."""
        vocab = self._vocab
        return {
            "kind": one_hot([b.kinds for b in buyers], vocab["kind"]),
            "genre": one_hot([b.genres for b in buyers], vocab["genre"]),
            "language": one_hot([b.languages for b in buyers], vocab["language"]),
            "tier": one_hot([b.budget_tiers for b in buyers], vocab["tier"]),
            "rights": one_hot([_pairs(b.rights) for b in buyers], vocab["rights"]),
            "open": {
                "rights": np.array([not b.rights for b in buyers], dtype=bool),
                "kind": np.array([not b.kinds for b in buyers], dtype=bool),
                "genre": np.array([not b.genres for b in buyers], dtype=bool),
                "language": np.array([not b.languages for b in buyers], dtype=bool),
                "budget": np.array([not b.budget_tiers for b in buyers], dtype=bool),
            },
        }

    @staticmethod
    def _interest_vectors(buyers: Sequence[BuyerProfile], dim: int) -> np.ndarray:
        """The buyers' stated interests, one unit row each, in buyer then interest order."""
        vectors = np.zeros((sum(len(b.interests) for b in buyers), dim))
        row = 0
        for b in buyers:
            for interest in b.interests:
                vec = np.asarray(interest.vector, dtype=np.float64)
                norm = np.linalg.norm(vec)
                vectors[row] = vec / norm if norm else vec
                row += 1
        return vectors

    # -- components ----------------------------------------------------------------------

    def _profile(
        self, rows: np.ndarray, cols: np.ndarray, ablate: Collection[str] = ()
    ) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray | None]:
        """(points per profile component, excluded mask, the best interest of each pair or
        None), each (len(rows), len(cols))."""
        out: dict[str, np.ndarray] = {}
        shape = (len(rows), len(cols))

        def overlap(b: np.ndarray, t: np.ndarray) -> np.ndarray:
            return b[rows] @ t[cols].astype(np.float32).T  # small integers: exact

        def open_or(name: str, real: np.ndarray, weight: float) -> None:
            is_open = self.b_open[name][rows][:, None]
            out[name if name not in ("rights",) else "rights_available"] = np.where(
                is_open, 0.0, real
            )
            out[f"{name}_open"] = np.where(is_open, q(weight * OPEN_SHARE), 0.0) * np.ones(shape)

        pw = self.pw
        n_rights = overlap(self.b_rights, self.t_rights)
        known = self.t_avails_known[cols][None, :]
        rights_open = self.b_open["rights"][rows][:, None] | ~known
        rights_pts = quantise(
            pw.rights_available * np.minimum(1.0, (n_rights + 1.0) / (RIGHTS_FULL + 1.0))
        )
        out["rights_available"] = np.where(~rights_open & (n_rights > 0), rights_pts, 0.0)
        out["rights_open"] = np.where(rights_open, q(pw.rights_available * OPEN_SHARE), 0.0)
        excluded = ~rights_open & (n_rights == 0)

        open_or("kind", np.where(overlap(self.b_kind, self.t_kind) > 0, pw.kind, 0.0), pw.kind)
        shared = overlap(self.b_genre, self.t_genre)
        wanted = np.maximum(np.minimum(self.t_genre_count[cols], GENRES_FULL), 1.0)[None, :]
        genre = np.where(shared > 0, quantise(pw.genre * np.minimum(1.0, shared / wanted)), 0.0)
        open_or("genre", genre, pw.genre)
        lang = np.where(overlap(self.b_lang, self.t_lang) > 0, pw.language, 0.0)
        open_or("language", lang, pw.language)
        tier = np.where(overlap(self.b_tier, self.t_tier) > 0, pw.budget, 0.0)
        open_or("budget", tier, pw.budget)
        unknown_tier = ~self.t_tier_known[cols][None, :] & ~self.b_open["budget"][rows][:, None]
        out["budget_open"] = np.where(unknown_tier, q(pw.budget * OPEN_SHARE), out["budget_open"])

        interest = np.zeros(shape)
        interest_arg = None
        if len(self.interest_owner) and pw.interest:
            best, interest_arg = self._interest_best(rows, cols)
            has = ~np.isinf(best)
            closeness = self.space.closeness(np.where(has, best, -1.0))
            interest = np.where(has, quantise(pw.interest * closeness), 0.0)
        out["interest"] = interest
        for code in ablate:
            if code in out:
                out[code] = np.zeros(shape)
        comps = {k: np.broadcast_to(v, shape) for k, v in out.items()}
        return comps, excluded, interest_arg

    def _interest_best(self, rows: np.ndarray, cols: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        best = np.full((len(rows), len(cols)), -np.inf)
        arg = np.full((len(rows), len(cols)), -1, dtype=np.int64)
        position = {int(b): r for r, b in enumerate(rows.tolist())}
        picked = np.flatnonzero(np.isin(self.interest_owner, rows))
        if not len(picked):
            return best, arg
        sims = exact_sims(self.interest_fixed[picked], self.space.fixed[cols])
        sims = np.where(self.space.has_vector[cols][None, :], sims, -np.inf)
        for k, i in enumerate(picked.tolist()):
            r = position[int(self.interest_owner[i])]
            better = sims[k] > best[r]
            best[r] = np.where(better, sims[k], best[r])
            arg[r] = np.where(better, i, arg[r])
        return best, arg

    def _history_rows(self, rows: np.ndarray) -> np.ndarray:
        return np.asarray(
            [self.history.index_of.get(self.buyers[r].id, -1) for r in rows.tolist()],
            dtype=np.int64,
        )

    def block(
        self,
        rows: np.ndarray,
        cols: np.ndarray,
        *,
        history: bool = True,
        ablate: Collection[str] = (),
    ) -> ScoreBlock:
        """Every component of ``rows`` × ``cols`` (row and column indices), computed once:
        the totals of both views and the explanation of any pair come from it."""
        comps, rights_excluded, interest_arg = self._profile(rows, cols, ablate)
        refused = np.zeros((len(rows), len(cols)), dtype=bool)
        history_rows = self._history_rows(rows)
        if history:
            comps.update(self.history.components(history_rows, cols, ablate=ablate))
            for r, row in enumerate(rows.tolist()):
                done = self.history.not_sets[self.history.index_of[self.buyers[row].id]]
                if len(done):
                    refused[r] = np.isin(cols, done)
        return ScoreBlock(
            matcher=self,
            rows=rows,
            cols=cols,
            comps=comps,
            rights_excluded=rights_excluded,
            refused=refused,
            interest_arg=interest_arg,
            history_rows=history_rows,
            history=history,
        )

    def _block(
        self,
        rows: np.ndarray,
        cols: np.ndarray,
        *,
        history: bool = True,
        ablate: Collection[str] = (),
    ) -> tuple[dict[str, np.ndarray], np.ndarray]:
        found = self.block(rows, cols, history=history, ablate=ablate)
        return found.comps, found.rights_excluded | found.refused

    def _totals(self, rows: np.ndarray, cols: np.ndarray, *, history: bool = True) -> np.ndarray:
        return self.block(rows, cols, history=history).totals(seller_view=not history)

    # -- public API ----------------------------------------------------------------------

    def score_matrix(
        self,
        *,
        buyers: Sequence[int] | None = None,
        titles: Sequence[int] | None = None,
        seller_view: bool = False,
    ) -> np.ndarray:
        """Totals (len(buyers), len(titles)) == ``score(...).total`` for each pair."""
        rows = self._rows(buyers)
        cols = self._cols(titles)
        return self._totals(rows, cols, history=not seller_view)

    def score(
        self, *, buyer: int, title: int, ablate: Collection[str] = (), seller_view: bool = False
    ) -> Match:
        """The buyer's score of a title with one reason per component, largest first.

        ``ablate``: reason codes whose feature is treated as absent (for the explanation
        property: the total drops by exactly that reason's points). ``seller_view``: the
        exhibitor's view (profile components only).
        """
        rows, cols = self._rows([buyer]), self._cols([title])
        found = self.block(rows, cols, history=not seller_view, ablate=ablate)
        return found.explain(0, 0, seller_view=seller_view)

    def seller_view(self, *, buyer: int, title: int) -> Match:
        """What the title's exhibitor sees: the buyer's profile fit only."""
        return self.score(buyer=buyer, title=title, seller_view=True)

    def recommend(
        self,
        *,
        buyer: int,
        k: int = 20,
        exclude: Collection[int] = (),
        done_actions: Collection[str] = DONE_ACTIONS,
        candidates: Sequence[int] | None = None,
    ) -> list[Suggestion]:
        """The buyer's top ``k`` titles with their explanations (total > 0 only).

        Excluded: ``exclude``, titles marked "not interested", titles the buyer already
        did one of ``done_actions`` on (requested, bought).
        """
        found = self.block(self._rows([buyer]), self._cols(candidates))
        return self.picks(found, 0, k=k, exclude=exclude, done_actions=done_actions)

    def picks(
        self,
        found: ScoreBlock,
        i: int,
        *,
        k: int = 20,
        exclude: Collection[int] = (),
        done_actions: Collection[str] = DONE_ACTIONS,
    ) -> list[Suggestion]:
        """Row ``i`` of a block: that buyer's top ``k`` of the block's titles, explained from
        the block (what ``recommend`` returns when the block holds every title)."""
        row = int(found.rows[i])
        chosen = self._pick(row, found.cols, found.totals()[i], k, exclude, done_actions)
        js = [found.position(self.space.index_of[title]) for title, _total in chosen]
        matches = found.explain_many(i, js)
        return [
            Suggestion(title, match) for (title, _total), match in zip(chosen, matches, strict=True)
        ]

    def recompute(
        self,
        *,
        k: int = 50,
        buyers: Sequence[int] | None = None,
        done_actions: Collection[str] = DONE_ACTIONS,
        chunk: int = 256,
        candidates: Callable[[np.ndarray], list[np.ndarray]] | None = None,
        progress: Callable[[int], object] | None = None,
    ) -> TopLists:
        """Top ``k`` (title id, total) of every buyer (or of ``buyers``), best first.

        Vectorised over blocks of ``chunk`` buyers × all titles; with ``candidates`` (a
        function from buyer row indices to title column indices per buyer, e.g.
        :func:`.candidates.ann_candidates`) only those pairs are scored.
        """
        ids = [b.id for b in self.buyers] if buyers is None else list(buyers)
        out = TopLists()
        for start in range(0, len(ids), chunk):
            part = ids[start : start + chunk]
            self._top(out, part, k, done_actions, candidates)
            if progress is not None:
                progress(len(part))
        return out

    def buyers_for_title(
        self, *, title: int, k: int = 20, exclude: Collection[int] = ()
    ) -> list[Suggestion]:
        """The buyers an exhibitor should meet for ``title`` (seller view), best first."""
        found = self.block(np.arange(len(self.buyers)), self._cols([title]), history=False)
        totals = found.totals()[:, 0]
        refused = set(exclude)
        ids = np.asarray([b.id for b in self.buyers])
        order = np.lexsort((ids, -totals))
        chosen = [int(r) for r in order if totals[r] > 0 and int(ids[r]) not in refused][:k]
        return [
            Suggestion(self.buyers[r].id, found.explain(r, 0, seller_view=True)) for r in chosen
        ]

    def update_buyer(self, *, profile: BuyerProfile, interactions: Iterable[Interaction]) -> None:
        """Replace one buyer's profile and all of their interactions (feedback included).

        Only that buyer's rows are recomputed (the co-interest neighbours of items stay until
        the next full build); the next ``recommend(buyer=...)`` reflects the change.
        """
        if profile.id in self.buyer_index:
            self.buyers[self.buyer_index[profile.id]] = profile
        else:
            self.buyer_index[profile.id] = len(self.buyers)
            self.buyers.append(profile)
        self.history.replace_user(profile.id, interactions)
        dim = self.space.vectors.shape[1]
        r = self.buyer_index[profile.id]
        fits = r < len(self.b_kind) and set(_pairs(profile.rights)) <= self._vocab["rights"].keys()
        if fits and all(len(i.vector) == dim for i in profile.interests):
            self._buyer_row(r)  # the title side is untouched: a million titles are not redone
        else:
            self._build_profiles(dim)  # a new buyer, or rights no buyer had: columns change

    def _buyer_row(self, r: int) -> None:
        """Row ``r`` of every buyer-side array (and its interests) from ``self.buyers[r]``."""
        b = self.buyers[r]
        side = self._buyer_side([b])
        self.b_kind[r], self.b_genre[r] = side["kind"][0], side["genre"][0]
        self.b_lang[r], self.b_tier[r] = side["language"][0], side["tier"][0]
        self.b_rights[r] = side["rights"][0]
        for name, flags in side["open"].items():
            self.b_open[name][r] = flags[0]
        keep = np.flatnonzero(self.interest_owner != r)
        vectors = self._interest_vectors([b], self.interest_vectors.shape[1])
        self.interest_owner = np.concatenate(
            [self.interest_owner[keep], np.full(len(b.interests), r, dtype=np.int64)]
        )
        self.interest_vectors = np.concatenate([self.interest_vectors[keep], vectors])
        self.interest_text = [self.interest_text[i] for i in keep.tolist()]
        self.interest_text += [i.text for i in b.interests]
        self.interest_fixed = np.concatenate([self.interest_fixed[keep], fixed(vectors)])

    # -- helpers -------------------------------------------------------------------------

    def _rows(self, buyers: Sequence[int] | None) -> np.ndarray:
        if buyers is None:
            return np.arange(len(self.buyers))
        try:
            return np.asarray([self.buyer_index[int(b)] for b in buyers], dtype=np.int64)
        except KeyError as exc:
            raise KeyError(f"unknown buyer {exc.args[0]}") from None

    def _cols(self, titles: Sequence[int] | None) -> np.ndarray:
        if titles is None:
            return np.arange(len(self.titles))
        try:
            return self.space.indices(titles)
        except KeyError as exc:
            raise KeyError(f"unknown title {exc.args[0]}") from None

    def _top(
        self,
        out: TopLists,
        buyers: Sequence[int],
        k: int,
        done_actions: Collection[str],
        candidate_fn: Callable[[np.ndarray], list[np.ndarray]] | None,
    ) -> None:
        rows = self._rows(buyers)
        if candidate_fn is not None:
            per_row = candidate_fn(rows)
            for r, cols in zip(rows.tolist(), per_row, strict=True):
                cols = np.asarray(cols, dtype=np.int64)
                totals = self._totals(np.asarray([r]), cols)[0]
                out.put(self.buyers[r].id, *self._pick_arrays(r, cols, totals, k, (), done_actions))
            return
        cols = self._cols(None)
        totals = self._totals(rows, cols)
        for n, r in enumerate(rows.tolist()):
            out.put(self.buyers[r].id, *self._pick_arrays(r, cols, totals[n], k, (), done_actions))

    def _pick(
        self,
        row: int,
        cols: np.ndarray,
        totals: np.ndarray,
        k: int,
        exclude: Collection[int],
        done_actions: Collection[str],
    ) -> list[tuple[int, float]]:
        ids, best = self._pick_arrays(row, cols, totals, k, exclude, done_actions)
        return list(zip(ids.tolist(), best.tolist(), strict=True))

    def _pick_arrays(
        self,
        row: int,
        cols: np.ndarray,
        totals: np.ndarray,
        k: int,
        exclude: Collection[int],
        done_actions: Collection[str],
    ) -> tuple[np.ndarray, np.ndarray]:
        """(title ids, totals) of the row's top ``k`` among ``cols``, best first, ties by id."""
        buyer = self.buyers[row].id
        done = self.history.item_indices_with(buyer, done_actions)
        if exclude:
            extra = [self.space.index_of[int(x)] for x in exclude if int(x) in self.space.index_of]
            done = np.concatenate([done, np.asarray(extra, dtype=np.int64)])
        ids = self.space.ids[cols]
        keep = (totals > 0) & ~np.isin(cols, done) if len(done) else totals > 0
        idx = np.flatnonzero(keep)
        if len(idx) > k:
            kth = -np.partition(-totals[idx], k - 1)[k - 1]
            idx = idx[totals[idx] >= kth]  # ties at the k-th value stay, for the id tie-break
        order = idx[np.lexsort((ids[idx], -totals[idx]))][:k]
        return ids[order], np.asarray(totals[order], dtype=np.float64)

    def _profile_reasons(
        self, b: int, t: int, values: dict[str, float], interest: int
    ) -> list[Reason]:
        buyer, title = self.buyers[b], self.titles[t]
        reasons: list[Reason] = []
        for code in _REASON_CODES:
            value = values.get(code, 0.0)
            if value == 0.0:
                continue
            params: dict[str, object] = {}
            if code == "rights_available":
                pairs = sorted(buyer.rights & (title.available or frozenset()))
                params = {"rights": [list(p) for p in pairs[:5]], "count": len(pairs)}
            elif code == "kind":
                params = {"kind": title.kind}
            elif code == "genre":
                params = {"genres": sorted(buyer.genres & title.genres)}
            elif code == "language":
                params = {"languages": sorted(buyer.languages & title.languages)}
            elif code == "budget":
                params = {"tier": title.budget_tier}
            elif code == "interest":
                params = {"interest": self.interest_text[interest]}
            reasons.append(Reason(code, value, params))
        return reasons


__all__ = [
    "BUDGET_TIERS",
    "DONE_ACTIONS",
    "EXCLUSION_CODES",
    "BuyerProfile",
    "Interaction",
    "Interest",
    "ProfileWeights",
    "ScoreBlock",
    "Suggestion",
    "TitleFeatures",
    "TitleMatcher",
    "TopLists",
    "budget_tier",
]

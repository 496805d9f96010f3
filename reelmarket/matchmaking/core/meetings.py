"""Two-sided meeting suggestions: a pair is suggested when it suits BOTH sides (Django-free).

For a buyer and an exhibitor (the seller of some titles), each side's fit is normalised to
0..1 — the buyer's view of the seller's title (``TitleMatcher.score``) over ``BUYER_MAX``,
the seller's view of the buyer (``seller_view``) over ``SELLER_MAX`` — and the pair's score
is their geometric mean ``sqrt(buyer_fit × seller_fit)``, taken at the seller's title where
it is highest. The geometric mean is 0 when either side has no interest, and a one-sided
enthusiasm cannot carry a pair. A "no thanks" from either side excludes the pair.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np

from reelmarket.matchmaking.core.explain import Match
from reelmarket.matchmaking.core.history import (
    W_CO_INTEREST,
    W_HISTORY_GENRE,
    W_HISTORY_KIND,
    W_MORE_LIKE_THIS,
    W_POPULAR,
    W_TASTE,
)
from reelmarket.matchmaking.core.titles import (
    W_BUDGET,
    W_GENRE,
    W_INTEREST,
    W_KIND,
    W_LANGUAGE,
    W_RIGHTS,
    TitleMatcher,
)

SELLER_MAX = W_RIGHTS + W_KIND + W_GENRE + W_LANGUAGE + W_BUDGET + W_INTEREST
BUYER_MAX = SELLER_MAX + (
    W_TASTE + W_HISTORY_GENRE + W_HISTORY_KIND + W_CO_INTEREST + W_POPULAR + W_MORE_LIKE_THIS
)
CHUNK = 512


@dataclass(frozen=True)
class MeetingSuggestion:
    buyer: int
    seller: int
    title: int  # the seller's title where the pair fits best
    score: float  # 0..1, geometric mean of both sides' normalised fit
    buyer_fit: Match  # the buyer's view of ``title``
    seller_fit: Match  # the seller's view of the buyer


def pair_score(buyer_fit: np.ndarray | float, seller_fit: np.ndarray | float) -> np.ndarray:
    """Geometric mean of the two normalised fits (each clipped to 0..1)."""
    b = np.clip(np.asarray(buyer_fit, dtype=np.float64), 0.0, 1.0)
    s = np.clip(np.asarray(seller_fit, dtype=np.float64), 0.0, 1.0)
    return np.sqrt(b * s)


@dataclass(frozen=True)
class SellerColumns:
    """The matcher's title columns grouped by seller (ascending seller id; within a seller,
    catalogue order): a pair's best title per seller is a reduction over a group."""

    cols: np.ndarray  # matcher column indices, grouped
    sellers: np.ndarray  # the seller id of each group
    starts: np.ndarray  # where each group starts in ``cols``

    def best(self, pair: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(best pair score per seller, the matcher column where it is first reached), each
        (rows, sellers), for ``pair`` given over ``cols`` (rows, len(cols))."""
        best = np.maximum.reduceat(pair, self.starts, axis=1)
        sizes = np.diff(np.r_[self.starts, len(self.cols)])
        hit = pair == np.repeat(best, sizes, axis=1)
        position = np.where(hit, np.arange(len(self.cols))[None, :], len(self.cols))
        first = np.minimum.reduceat(position, self.starts, axis=1)
        return best, self.cols[first]


def seller_columns(
    matcher: TitleMatcher, sellers: Collection[int] | None = None
) -> SellerColumns | None:
    """The columns of titles whose seller is one of ``sellers`` (all sellers: None)."""
    wanted = None if sellers is None else set(sellers)
    cols = [
        n
        for n, t in enumerate(matcher.titles)
        if t.seller is not None and (wanted is None or t.seller in wanted)
    ]
    if not cols:
        return None
    seller_of = np.asarray([matcher.titles[n].seller for n in cols], dtype=np.int64)
    order = np.argsort(seller_of, kind="stable")
    seller_sorted = seller_of[order]
    starts = np.flatnonzero(np.r_[True, seller_sorted[1:] != seller_sorted[:-1]])
    return SellerColumns(
        cols=np.asarray(cols, dtype=np.int64)[order],
        sellers=seller_sorted[starts],
        starts=starts,
    )


def ranked_sellers(scores: np.ndarray, sellers: np.ndarray, k: int) -> list[int]:
    """Group positions of the ``k`` best sellers with a score above 0 (ties: lower id)."""
    return [int(i) for i in np.lexsort((sellers, -scores)) if scores[i] > 0][:k]


def meeting_suggestions(
    *,
    matcher: TitleMatcher,
    no_thanks: Collection[tuple[int, int]] = (),
    buyers: Sequence[int] | None = None,
    sellers: Sequence[int] | None = None,
    k: int = 10,
) -> list[MeetingSuggestion]:
    """Each buyer's ``k`` best sellers to meet (score > 0), best first overall.

    ``no_thanks``: (buyer id, seller id) pairs either side declined — never suggested.
    """
    grouped = seller_columns(matcher, sellers)
    if grouped is None:
        return []
    declined = {(int(b), int(s)) for b, s in no_thanks}
    buyer_ids = [b.id for b in matcher.buyers] if buyers is None else list(buyers)
    buyer_max = matcher.pw.maximum + matcher.history.w.maximum
    out: list[MeetingSuggestion] = []
    for start in range(0, len(buyer_ids), CHUNK):
        part = buyer_ids[start : start + CHUNK]
        found = matcher.block(matcher._rows(part), grouped.cols)
        own = found.totals() / buyer_max
        other = found.totals(seller_view=True) / matcher.pw.maximum
        best, best_col = grouped.best(pair_score(own, other))
        position = {int(c): j for j, c in enumerate(grouped.cols.tolist())}
        for r, buyer in enumerate(part):
            scores = best[r].copy()
            for s_pos, seller in enumerate(grouped.sellers.tolist()):
                if (buyer, seller) in declined:
                    scores[s_pos] = 0.0
            for s_pos in ranked_sellers(scores, grouped.sellers, k):
                col = int(best_col[r, s_pos])
                j = position[col]
                out.append(
                    MeetingSuggestion(
                        buyer=buyer,
                        seller=int(grouped.sellers[s_pos]),
                        title=matcher.titles[col].id,
                        score=float(scores[s_pos]),
                        buyer_fit=found.explain(r, j),
                        seller_fit=found.explain(r, j, seller_view=True),
                    )
                )
    out.sort(key=lambda m: (-m.score, m.buyer, m.seller))
    return out


__all__ = [
    "BUYER_MAX",
    "SELLER_MAX",
    "MeetingSuggestion",
    "SellerColumns",
    "meeting_suggestions",
    "pair_score",
    "ranked_sellers",
    "seller_columns",
]

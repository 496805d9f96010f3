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
    wanted = None if sellers is None else set(sellers)
    cols = [
        n
        for n, t in enumerate(matcher.titles)
        if t.seller is not None and (wanted is None or t.seller in wanted)
    ]
    if not cols:
        return []
    seller_of = np.asarray([matcher.titles[n].seller for n in cols], dtype=np.int64)
    order = np.argsort(seller_of, kind="stable")
    cols_arr = np.asarray(cols, dtype=np.int64)[order]
    seller_sorted = seller_of[order]
    starts = np.flatnonzero(np.r_[True, seller_sorted[1:] != seller_sorted[:-1]])
    seller_ids = seller_sorted[starts]
    title_ids = [matcher.titles[c].id for c in cols_arr.tolist()]
    declined = {(int(b), int(s)) for b, s in no_thanks}
    buyer_ids = [b.id for b in matcher.buyers] if buyers is None else list(buyers)
    out: list[MeetingSuggestion] = []
    for start in range(0, len(buyer_ids), CHUNK):
        part = buyer_ids[start : start + CHUNK]
        buyer_max = matcher.pw.maximum + matcher.history.w.maximum
        own = matcher.score_matrix(buyers=part, titles=title_ids) / buyer_max
        other = (
            matcher.score_matrix(buyers=part, titles=title_ids, seller_view=True)
            / matcher.pw.maximum
        )
        pair = pair_score(own, other)
        best = np.maximum.reduceat(pair, starts, axis=1)
        # argmax within each seller's block: the first column reaching the block's maximum
        hit = pair == np.repeat(best, np.diff(np.r_[starts, len(cols_arr)]), axis=1)
        block_of = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, len(cols_arr)]))
        for r, buyer in enumerate(part):
            scores = best[r].copy()
            for s_pos, seller in enumerate(seller_ids.tolist()):
                if (buyer, seller) in declined:
                    scores[s_pos] = 0.0
            ranked = [int(i) for i in np.lexsort((seller_ids, -scores)) if scores[i] > 0][:k]
            for s_pos in ranked:
                col = int(np.flatnonzero(hit[r] & (block_of == s_pos))[0])
                title = title_ids[col]
                out.append(
                    MeetingSuggestion(
                        buyer=buyer,
                        seller=int(seller_ids[s_pos]),
                        title=title,
                        score=float(scores[s_pos]),
                        buyer_fit=matcher.score(buyer=buyer, title=title),
                        seller_fit=matcher.seller_view(buyer=buyer, title=title),
                    )
                )
    out.sort(key=lambda m: (-m.score, m.buyer, m.seller))
    return out


__all__ = ["BUYER_MAX", "SELLER_MAX", "MeetingSuggestion", "meeting_suggestions", "pair_score"]

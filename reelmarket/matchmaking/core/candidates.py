"""Candidate generation by ANN for catalogues too large to score every pair (Django-free).

Each buyer's candidates are the union of: the titles nearest their taste vector, the titles
nearest each stated interest (``VectorIndex`` from discovery: hnswlib over title vectors),
and the ``popular`` most popular titles. Only those pairs are then scored exactly, so the
reasons and totals are the same as in the exhaustive path; what ANN can cost is recall (a
title the graph walk misses is not suggested), never a wrong score.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from reelmarket.discovery.ann import VectorIndex
from reelmarket.matchmaking.core.titles import TitleMatcher

EXACT_MAX_TITLES = 20_000  # below this, recompute scores every pair (faster than a walk)
PER_QUERY = 200
POPULAR = 100


def build_index(matcher: TitleMatcher, *, threads: int = -1) -> VectorIndex | None:
    """An HNSW index over the titles' vectors (labels = title column indices)."""
    space = matcher.space
    rows = np.flatnonzero(space.has_vector)
    if not len(rows):
        return None
    index = VectorIndex(space.vectors.shape[1], threads=threads, ef=PER_QUERY)
    index.build(rows, rows, space.vectors[rows].astype(np.float32))
    return index


def ann_candidates(
    matcher: TitleMatcher,
    index: VectorIndex | None = None,
    *,
    per_query: int = PER_QUERY,
    popular: int = POPULAR,
) -> Callable[[np.ndarray], list[np.ndarray]]:
    """A ``candidates`` function for :meth:`TitleMatcher.recompute`."""
    index = index if index is not None else build_index(matcher)
    history = matcher.history
    top_popular = np.argsort(-history.popularity, kind="stable")[:popular]

    def candidates(rows: np.ndarray) -> list[np.ndarray]:
        out: list[np.ndarray] = []
        for r in rows.tolist():
            found = [top_popular]
            if index is not None:
                u = history.index_of.get(matcher.buyers[r].id, -1)
                queries = []
                if u >= 0 and history.has_taste[u]:
                    queries.append(history.taste[u])
                queries.extend(matcher.interest_vectors[matcher.interest_owner == r])
                for query in queries:
                    hits = index.search(np.asarray(query, dtype=np.float32), k=per_query)
                    found.append(np.asarray([h[0] for h in hits], dtype=np.int64))
            out.append(np.unique(np.concatenate(found)))
        return out

    return candidates


__all__ = ["EXACT_MAX_TITLES", "ann_candidates", "build_index"]

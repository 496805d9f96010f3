"""Calibrate the component weights on a market's own behaviour (Django-free).

The score stays additive and every reason keeps its exact points; only the maximum points
of each component change. :func:`fit_factors` holds out each user's most recent 20 % of
the *training* interactions (a validation split: the evaluation's test rows are never
seen) and searches, component by component (coordinate ascent, two passes), the factor
in ``GRID`` that maximises NDCG@10 on the validation rows.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

GRID = (0.25, 0.5, 1.0, 2.0, 4.0)  # no 0: every reason stays possible
PASSES = 2
K = 10


def _ndcg_matrix(totals: np.ndarray, relevant: np.ndarray, k: int = K) -> float:
    """Mean binary NDCG@k of each row's ranking (ties by column) against a bool matrix."""
    m = totals.shape[1]
    kk = min(k, m)
    part = np.argpartition(-totals, kk - 1, axis=1)[:, :kk]
    vals = np.take_along_axis(totals, part, axis=1)
    order = np.lexsort((part, -vals), axis=1)
    top = np.take_along_axis(part, order, axis=1)
    gains = np.take_along_axis(relevant, top, axis=1).astype(np.float64)
    discounts = 1.0 / np.log2(np.arange(2, kk + 2))
    dcg = gains @ discounts
    counts = np.minimum(relevant.sum(axis=1), kk)
    ideal = np.cumsum(discounts)[np.maximum(counts - 1, 0)]
    return float(np.mean(np.where(counts > 0, dcg / ideal, 0.0)))


def fit_factors(
    *,
    components: Mapping[str, np.ndarray],
    groups: Mapping[str, Sequence[str]],
    excluded: np.ndarray,
    banned: np.ndarray,
    relevant: np.ndarray,
    grid: Sequence[float] = GRID,
    passes: int = PASSES,
) -> tuple[dict[str, float], float]:
    """(factor per group, validation NDCG@10) by coordinate ascent.

    ``components``: code -> (users, items) points; ``groups``: group -> codes scaled
    together (e.g. ``kind`` and ``kind_open``); ``excluded``: pairs a hard filter removes
    (kept at the bottom whatever the factors); ``banned``: pairs not to rank (training
    items); ``relevant``: bool (users, items) validation truth.
    """
    sums = {
        g: sum(
            (np.asarray(components[c], dtype=np.float32) for c in codes if c in components),
            np.zeros(relevant.shape, dtype=np.float32),
        )
        for g, codes in groups.items()
    }
    floor = np.float32(-1e9)
    blocked = excluded | banned

    def value(f: Mapping[str, float]) -> float:
        total = np.zeros(relevant.shape, dtype=np.float32)
        for g, part in sums.items():
            if f[g]:
                total += np.float32(f[g]) * part
        return _ndcg_matrix(np.where(blocked, floor, total), relevant)

    factors = dict.fromkeys(groups, 1.0)
    best = value(factors)
    for _ in range(passes):
        for g in groups:
            for candidate in grid:
                if candidate == factors[g]:
                    continue
                trial = {**factors, g: candidate}
                score = value(trial)
                if score > best + 1e-9:
                    best, factors = score, trial
    if not any(factors.values()):
        factors = dict.fromkeys(groups, 1.0)
    return factors, best


def log2_factor(value: float) -> float:
    """``value`` rounded to a power of two (0 stays 0): scaled points stay exact."""
    if value <= 0:
        return 0.0
    return float(2.0 ** round(math.log2(value)))


__all__ = ["GRID", "fit_factors", "log2_factor"]

"""The explanation contract shared with ``reelmarket.financing.relevance`` (Django-free).

A score is a sum of components; each non-zero component is a :class:`Reason` whose
``points`` are exactly what it adds, so ``Match.total == sum(r.points for r in reasons)``.
Points are multiples of 1/256 (:func:`quantise`): sums of a few dozen such numbers below
2**15 are exact in float32 and float64 whatever the order of addition, so the batch
matrices and the one-pair explanation agree bit for bit.
"""

from __future__ import annotations

import numpy as np

from reelmarket.financing.relevance import Match, Reason

QUANTUM = 256.0


def quantise(points: np.ndarray | float) -> np.ndarray:
    """Points rounded to the nearest multiple of 1/256 (float64 array)."""
    return np.round(np.asarray(points, dtype=np.float64) * QUANTUM) / QUANTUM


def q(value: float) -> float:
    return float(quantise(value))


def sort_reasons(reasons: list[Reason]) -> tuple[Reason, ...]:
    """Largest contribution first; penalties (negative points) last; ties by code."""
    return tuple(sorted(reasons, key=lambda r: (-r.points, r.code)))


def make_match(reasons: list[Reason]) -> Match:
    kept = [r for r in reasons if r.points != 0.0]
    ordered = sort_reasons(kept)
    return Match(total=float(sum(r.points for r in ordered)), reasons=ordered)


__all__ = ["QUANTUM", "Match", "Reason", "make_match", "q", "quantise", "sort_reasons"]

"""A fingerprint of a generated demo, computed without the database."""

from __future__ import annotations

import hashlib

from reelmarket.market.demo.plan import MarketPlan
from reelmarket.market.demo.titles import iter_titles


def plan_digest(plan: MarketPlan) -> str:
    """SHA-256 over the plan and every title it generates (reprs of frozen dataclasses)."""
    digest = hashlib.sha256(repr(plan).encode())
    for spec in iter_titles(plan):
        digest.update(repr(spec).encode())
    return digest.hexdigest()

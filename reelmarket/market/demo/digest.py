"""A fingerprint of a generated demo, computed without the database."""

from __future__ import annotations

import hashlib

from reelmarket.market.demo.meetings import plan_meetings
from reelmarket.market.demo.plan import MarketPlan
from reelmarket.market.demo.titles import iter_titles


def plan_digest(plan: MarketPlan) -> str:
    """SHA-256 over the plan, every title it generates and its meetings (reprs of frozen
    dataclasses)."""
    digest = hashlib.sha256(repr(plan).encode())
    titles = []
    for spec in iter_titles(plan):
        digest.update(repr(spec).encode())
        titles.append((spec.reference, spec.kind, spec.original_title[:300], spec.owner))
    digest.update(repr(plan_meetings(plan, titles=titles)).encode())
    return digest.hexdigest()

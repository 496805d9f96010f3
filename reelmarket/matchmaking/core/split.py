"""Per-user temporal split of interactions (Django-free); see docs/matchmaking.md."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime

from reelmarket.matchmaking.core.history import NOT_INTERESTED, Interaction

TEST_SHARE = 0.2


def _moment(value: datetime | date | None) -> datetime:
    if value is None:
        return datetime.min.replace(tzinfo=UTC)
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime(value.year, value.month, value.day, tzinfo=UTC)


def temporal_split(
    interactions: Iterable[Interaction], *, test_share: float = TEST_SHARE
) -> tuple[list[Interaction], list[Interaction]]:
    """(train, test): each user's most recent ⌊test_share · n⌋ interactions are held out."""
    by_user: dict[int, list[tuple[int, Interaction]]] = defaultdict(list)
    feedback: list[Interaction] = []
    for n, row in enumerate(interactions):
        if row.action == NOT_INTERESTED:
            feedback.append(row)
        else:
            by_user[row.who].append((n, row))
    train: list[Interaction] = list(feedback)
    test: list[Interaction] = []
    for rows in by_user.values():
        rows.sort(key=lambda pair: (_moment(pair[1].when), pair[0]))
        held = math.floor(test_share * len(rows) + 1e-9)
        cut = len(rows) - held
        train.extend(r for _, r in rows[:cut])
        test.extend(r for _, r in rows[cut:])
    return train, test


def relevant_items(
    train: Iterable[Interaction], test: Iterable[Interaction]
) -> dict[int, set[int]]:
    """User -> held-out items not already in their training rows (users with none dropped)."""
    seen: dict[int, set[int]] = defaultdict(set)
    for row in train:
        seen[row.who].add(row.item)
    out: dict[int, set[int]] = defaultdict(set)
    for row in test:
        if row.item not in seen[row.who]:
            out[row.who].add(row.item)
    return {u: items for u, items in out.items() if items}


__all__ = ["TEST_SHARE", "relevant_items", "temporal_split"]

"""Extension points of the catalogue (never core flows).

``titles_changed`` is sent once the transaction that changed titles has committed, with
``title_ids`` (a tuple). Discovery listens to refresh its indexes; the catalogue does not
know who listens.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.dispatch import Signal

titles_changed = Signal()


def announce_titles_changed(title_ids: Iterable[int]) -> None:
    """Send ``titles_changed`` after the current transaction commits (at once outside one)."""
    ids = tuple(sorted(set(title_ids)))
    if ids:
        transaction.on_commit(lambda: titles_changed.send(sender=None, title_ids=ids))

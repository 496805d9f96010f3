"""What participants do with titles: saving them ("my list") and looking at them.

Writes are keyword-only functions, race safe by the tables' unique constraints: a second
writer that loses the race reads (saves) or updates (views) the row the winner made. The
recommender reads these rows through ``reelmarket.matchmaking.behaviour``; the pages read
them through ``catalogue.selectors`` (``is_saved``, ``saved_titles``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone

from reelmarket.catalogue.models import SavedTitle, Title, TitleView
from reelmarket.catalogue.rules import may_save_title
from reelmarket.market.models import Participant
from reelmarket.market.rules import participant_of


def _saver(actor: Any, title: Title) -> Participant:
    if not may_save_title(actor, title):
        raise PermissionDenied("You may not save this title.")
    participant = participant_of(actor)
    assert participant is not None  # may_save_title requires one
    return participant


def title_save_or_get(*, actor: Any, title: Title) -> tuple[SavedTitle, bool]:
    """Save ``title`` to the actor's list; ``(row, created)``. Idempotent and race safe."""
    participant = _saver(actor, title)
    existing = SavedTitle.objects.filter(participant=participant, title=title).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():  # a savepoint: the loser of a race keeps its transaction
            return SavedTitle.objects.create(participant=participant, title=title), True
    except IntegrityError:
        return SavedTitle.objects.get(participant=participant, title=title), False


def title_save(*, actor: Any, title: Title) -> SavedTitle:
    """Save ``title`` to the actor's list (saving it again changes nothing).

    Raises ``PermissionDenied`` unless ``rules.may_save_title`` allows it.
    """
    return title_save_or_get(actor=actor, title=title)[0]


def title_unsave(*, actor: Any, title: Title) -> None:
    """Remove ``title`` from the actor's list; nothing happens when it is not there.

    Any participant may remove what they saved, even a title they may no longer see.
    """
    participant = participant_of(actor)
    if participant is None:
        raise PermissionDenied("Only participants have saved titles.")
    # One by one, so the post_delete receivers see the row.
    for row in SavedTitle.objects.filter(participant=participant, title=title):
        row.delete()


def title_view_record(
    *, participant: Participant, title: Title, now: datetime | None = None
) -> None:
    """Count one visit of ``participant`` to ``title``'s page on ``now``'s UTC day.

    One row per participant, title and day: the count and the last visit are updated in the
    database (``F()``), so concurrent visits all count. Two first visits racing: the loser
    of the insert (unique constraint) updates the winner's row instead. Never raises on a
    race. Who is recorded is the caller's choice (``rules.records_title_views``).
    """
    now = now or timezone.now()
    day = now.astimezone(UTC).date()
    rows = TitleView.objects.filter(participant=participant, title=title, day=day)
    changes = {"count": F("count") + 1, "last_at": Greatest(F("last_at"), now)}
    if rows.update(**changes):
        return
    try:
        with transaction.atomic():  # a savepoint, see title_save_or_get
            TitleView.objects.create(
                participant=participant, title=title, day=day, count=1, last_at=now
            )
            return
    except IntegrityError:
        pass
    rows.update(**changes)  # the row a concurrent first visit created

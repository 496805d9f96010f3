"""Buyers' behaviour with titles, as recommender interactions: views, saves and deals.

The catalogue records them (``catalogue.behaviour``: saved titles, title views per day;
``RightsWindow.buyer_organisation`` for rights sold to a registered company); this module
reads them as the core's ``Interaction`` (``matchmaking.core.history``). Meeting requests
and feedback are read by ``scoring_adapter._interactions``, which adds these to them.
Views never trigger a recompute (too chatty): the next recompute of the buyer reads them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from django.db import connection
from django.db.models import F, TextField
from django.db.models.functions import Cast

from reelmarket.catalogue.enums import WindowStatus
from reelmarket.catalogue.models import RightsWindow, SavedTitle, TitleView
from reelmarket.market.enums import Role
from reelmarket.market.models import Participant
from reelmarket.matchmaking.core.history import DEAL, SAVE, VIEW, Interaction

MAX_VIEW_STRENGTH = 3


def title_behaviour(*, buyer_ids: Iterable[int] | None = None) -> dict[int, list[Interaction]]:
    """Per participant id, their title interactions (only ``buyer_ids`` when given):

    * ``view`` — one per title and day viewed, strength ``min(count, 3)``, when the last
      visit that day;
    * ``save`` — one per saved title, when saved;
    * ``deal`` — one per title with a sold rights window naming a company as its buyer, for
      each confirmed staff member of that company with the buyer role; when the latest such
      window was last updated.

    Each participant's list is ordered by action (view, save, deal), then title, then time.
    """
    ids = None if buyer_ids is None else sorted(set(buyer_ids))
    out: dict[int, list[Interaction]] = defaultdict(list)

    views = TitleView.objects.order_by("participant_id", "title_id", "day")
    saves = SavedTitle.objects.order_by("participant_id", "title_id")
    buyers = Participant.objects.filter(
        organisation_confirmed=True, organisation__isnull=False, roles__role=Role.BUYER
    )
    if ids is not None:
        views = views.filter(participant_id__in=ids)
        saves = saves.filter(participant_id__in=ids)
        buyers = buyers.filter(pk__in=ids)

    for who, title_id, count, last_at in views.values_list(
        "participant_id", "title_id", "count", _when("last_at")
    ).iterator(chunk_size=5000):
        strength = float(min(count, MAX_VIEW_STRENGTH))
        out[who].append(
            Interaction(
                who=who, item=title_id, action=VIEW, when=_moment(last_at), strength=strength
            )
        )
    for who, title_id, created_at in saves.values_list(
        "participant_id", "title_id", _when("created_at")
    ).iterator(chunk_size=5000):
        out[who].append(Interaction(who=who, item=title_id, action=SAVE, when=_moment(created_at)))

    staff: dict[int, list[int]] = defaultdict(list)  # company -> its confirmed buyers
    for participant_id, organisation_id in buyers.distinct().values_list("pk", "organisation_id"):
        staff[organisation_id].append(participant_id)
    if not staff:
        return dict(out)
    deals: dict[tuple[int, int], datetime] = {}  # (company, title) -> latest sale's update
    sold = RightsWindow.objects.filter(
        status=WindowStatus.SOLD, buyer_organisation_id__in=sorted(staff)
    ).values_list("buyer_organisation_id", "title_id", "updated_at")
    for organisation_id, title_id, updated_at in sold.iterator(chunk_size=5000):
        key = (organisation_id, title_id)
        if key not in deals or updated_at > deals[key]:
            deals[key] = updated_at
    # A participant works for one company (Participant.organisation): one deal per title.
    for (organisation_id, title_id), when in sorted(deals.items()):
        for who in sorted(staff[organisation_id]):
            out[who].append(Interaction(who=who, item=title_id, action=DEAL, when=when))
    return dict(out)


def _when(field: str) -> Any:
    """A datetime column, read the cheapest way: on SQLite as its text (Django's converter
    would parse ~100,000 values one by one, the largest part of reading a season of views;
    :func:`_moment` reads the text far faster), elsewhere as the driver's datetime."""
    if connection.vendor == "sqlite":
        return Cast(field, output_field=TextField())
    return F(field)


def _moment(value: datetime | str | None) -> datetime | None:
    """An aware datetime from what :func:`_when` read (SQLite keeps UTC, naive, as text)."""
    if value is None or isinstance(value, datetime):
        return value if value is None or value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.fromisoformat(value).replace(tzinfo=UTC)

"""Writes to the catalogue: one transaction per call, permission checked inside."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import timedelta
from functools import lru_cache
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext

from reelmarket.catalogue.avails.algebra import Query, Window, check_availability
from reelmarket.catalogue.avails.algebra import WindowStatus as AlgebraStatus
from reelmarket.catalogue.avails.media import Media
from reelmarket.catalogue.avails.territories import expand
from reelmarket.catalogue.inputs import TITLE_SCALAR_FIELDS, RightsInput, TitleInput
from reelmarket.catalogue.models import (
    Credit,
    Recognition,
    RightsWindow,
    Title,
    TitleCountry,
    TitleGenre,
    TitleLanguage,
    TitleText,
)
from reelmarket.catalogue.rules import may_edit_for_organisation
from reelmarket.catalogue.signals import announce_titles_changed
from reelmarket.market.models import Organisation

# An open-ended licence is checked for conflicts over this many years.
OPEN_ENDED_HORIZON = timedelta(days=365 * 99)


class RightsConflict(ValueError):
    """Rights going out (sold / on hold) collide with each other or with no rights held."""

    def __init__(self, messages: Sequence[str], *, index: int | None = None) -> None:
        self.messages = list(messages)
        self.index = index
        super().__init__("; ".join(self.messages))


@lru_cache(maxsize=4096)
def _countries(include: tuple[str, ...], exclude: tuple[str, ...]) -> frozenset[str]:
    # A catalogue reuses a few hundred territory specs ("WW minus CN", "ASEAN", ...).
    return expand(include=include, exclude=exclude)


def build_window(
    *,
    media: str,
    territories: Iterable[str],
    excluded: Iterable[str],
    starts_on: Any,
    ends_on: Any,
    exclusive: bool,
    status: str,
    counterparty: str = "",
    ref: int | str | None = None,
) -> Window:
    return Window(
        media=Media(media),
        countries=_countries(tuple(territories), tuple(excluded)),
        start=starts_on,
        end=ends_on,
        exclusive=exclusive,
        status=AlgebraStatus(status),
        counterparty=counterparty,
        ref=ref,
    )


def window_from_row(row: RightsWindow) -> Window:
    return build_window(
        media=row.media,
        territories=row.territories,
        excluded=row.excluded,
        starts_on=row.starts_on,
        ends_on=row.ends_on,
        exclusive=row.exclusive,
        status=row.status,
        counterparty=row.counterparty,
        ref=row.pk,
    )


def validate_rights(windows: Sequence[RightsInput]) -> None:
    """Every window going out must have been free given all the others.

    Raises RightsConflict naming the first window (0-based ``index``) that collides.
    """
    built = [build_window(**w.model_dump(exclude={"note"}), ref=i) for i, w in enumerate(windows)]
    for i, window in enumerate(built):
        if window.status == AlgebraStatus.AVAILABLE:
            continue
        others = [w for j, w in enumerate(built) if j != i]
        # The window going out is itself a right held; what it must not meet is another
        # window going out over the same media, countries and days.
        held = replace(window, status=AlgebraStatus.AVAILABLE)
        query = Query(
            media=window.media,
            countries=window.countries,
            start=window.start,
            end=window.end or window.start + OPEN_ENDED_HORIZON,
            exclusive=window.exclusive,
        )
        result = check_availability(windows=[*others, held], query=query)
        if not result.available:
            raise RightsConflict([r.message for r in result.reasons], index=i)


def _replace_children(title: Title, data: TitleInput) -> None:
    title.genres.all().delete()
    TitleGenre.objects.bulk_create(
        [TitleGenre(title=title, genre=g) for g in dict.fromkeys(data.genres)]
    )
    title.countries.all().delete()
    TitleCountry.objects.bulk_create(
        [TitleCountry(title=title, country=c) for c in dict.fromkeys(data.countries)]
    )
    title.languages.all().delete()
    TitleLanguage.objects.bulk_create(
        [TitleLanguage(title=title, language=lang) for lang in dict.fromkeys(data.languages)]
    )
    title.texts.all().delete()
    TitleText.objects.bulk_create([TitleText(title=title, **t.model_dump()) for t in data.texts])
    title.credits.all().delete()
    Credit.objects.bulk_create(
        [Credit(title=title, position=i, **c.model_dump()) for i, c in enumerate(data.credits)]
    )
    title.recognitions.all().delete()
    Recognition.objects.bulk_create(
        [Recognition(title=title, **r.model_dump()) for r in data.recognitions]
    )


class UnknownBuyer(ValidationError):
    """A sold window names a buyer company that does not exist or owns the title.

    A validation error on ``buyer_organisation_id`` (the API answers 422); ``index`` is the
    0-based window it concerns, ``reason`` the words."""

    def __init__(self, reason: str, *, index: int) -> None:
        super().__init__({"buyer_organisation_id": [reason]})
        self.reason = reason
        self.index = index


def validate_buyers(title: Title, windows: Sequence[RightsInput]) -> None:
    """Each ``buyer_organisation_id`` names an existing organisation other than the
    title's owner (a company does not buy its own title). Raises :class:`UnknownBuyer`
    naming the first window (0-based) that does not."""
    wanted = {w.buyer_organisation_id for w in windows if w.buyer_organisation_id is not None}
    if not wanted:
        return
    known = set(Organisation.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    for i, window in enumerate(windows):
        buyer = window.buyer_organisation_id
        if buyer is None:
            continue
        if buyer not in known:
            raise UnknownBuyer(gettext("No organisation with this id."), index=i)
        if buyer == title.owner_id:
            raise UnknownBuyer(gettext("The buyer cannot be the title’s own company."), index=i)


def _write_rights(title: Title, windows: Sequence[RightsInput]) -> None:
    validate_rights(windows)
    validate_buyers(title, windows)
    title.rights.all().delete()
    RightsWindow.objects.bulk_create(
        [
            RightsWindow(
                title=title, buyer_organisation_id=w.buyer_organisation_id, **w.model_dump()
            )
            for w in windows
        ]
    )


_SCALARS = (*TITLE_SCALAR_FIELDS, "new_this_market")


def title_save(*, actor: Any, owner: Organisation, data: TitleInput) -> tuple[Title, bool]:
    """Create or update the owner's title with ``data.reference``; returns (title, created).

    Idempotent: saving the same data twice changes nothing the second time. The title row
    is locked for the transaction, so two writers of one title queue.
    """
    if not may_edit_for_organisation(actor, owner.pk):
        raise PermissionDenied("You may only edit your own organisation's titles.")
    with transaction.atomic():
        title, created = _title_save_locked(owner=owner, data=data)
        announce_titles_changed([title.pk])
    return title, created


def _title_save_locked(*, owner: Organisation, data: TitleInput) -> tuple[Title, bool]:
    values = {f: getattr(data, f) for f in _SCALARS}
    values["trailer_url"] = str(data.trailer_url) if data.trailer_url else ""
    values["screener_url"] = str(data.screener_url) if data.screener_url else ""
    title, created = Title.objects.select_for_update().get_or_create(
        owner=owner, reference=data.reference, defaults=values
    )
    if not created:
        for field, value in values.items():
            setattr(title, field, value)
        title.save()
    _replace_children(title, data)
    if data.rights is not None:
        _write_rights(title, data.rights)
    return title, created


def titles_import_batch(*, actor: Any, owner: Organisation, rows: Sequence[TitleInput]) -> int:
    """Save a batch of titles in one transaction (all or nothing); returns how many were new."""
    if not may_edit_for_organisation(actor, owner.pk):
        raise PermissionDenied("You may only import into your own organisation's catalogue.")
    created = 0
    changed: list[int] = []
    with transaction.atomic():
        for data in rows:
            title, is_new = _title_save_locked(owner=owner, data=data)
            created += is_new
            changed.append(title.pk)
        announce_titles_changed(changed)
    return created


def rights_replace(
    *, actor: Any, title: Title, windows: Sequence[RightsInput]
) -> list[RightsWindow]:
    """Replace all rights windows of a title (the avails editor), under a row lock."""
    if not may_edit_for_organisation(actor, title.owner_id):
        raise PermissionDenied("You may only edit your own organisation's titles.")
    with transaction.atomic():
        locked = Title.objects.select_for_update().get(pk=title.pk)
        _write_rights(locked, windows)
        announce_titles_changed([title.pk])
    return list(RightsWindow.objects.filter(title_id=title.pk))


def rights_window_add(*, actor: Any, title: Title, window: RightsInput) -> RightsWindow:
    """Add one window (e.g. put a territory on hold). Two concurrent holds on the same
    rights cannot both succeed: the title row is locked while the conflict check runs."""
    if not may_edit_for_organisation(actor, title.owner_id):
        raise PermissionDenied("You may only edit your own organisation's titles.")
    with transaction.atomic():
        locked = Title.objects.select_for_update().get(pk=title.pk)
        existing = [
            RightsInput.model_validate(r, from_attributes=True) for r in locked.rights.all()
        ]
        # the new window first: a clash is reported as "this hold meets that sale"
        validate_rights([window, *existing])
        validate_buyers(locked, [window])
        announce_titles_changed([title.pk])
        return RightsWindow.objects.create(
            title=locked, buyer_organisation_id=window.buyer_organisation_id, **window.model_dump()
        )


def title_delete(*, actor: Any, title: Title) -> None:
    if not may_edit_for_organisation(actor, title.owner_id):
        raise PermissionDenied("You may only delete your own organisation's titles.")
    with transaction.atomic():
        announce_titles_changed([title.pk])
        title.delete()

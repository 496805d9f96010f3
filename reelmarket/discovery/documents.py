"""Titles -> search documents: the index form of their texts, facet values and avails segments.

``documents_write`` is the one writer of :class:`SearchDocument` / :class:`SearchName` rows.
Every call appends an :class:`IndexChange` per title, which is how the in-process indexes of
every web and worker process learn what to reload.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

from django.db import connection, transaction

from reelmarket.catalogue.avails.algebra import WindowStatus
from reelmarket.catalogue.avails.index import segments_to_json, title_segments
from reelmarket.catalogue.avails.territories import expand
from reelmarket.catalogue.models import (
    Credit,
    RightsWindow,
    Title,
    TitleCountry,
    TitleGenre,
    TitleLanguage,
    TitleText,
)
from reelmarket.catalogue.services import window_from_row
from reelmarket.discovery.models import IndexChange, SearchDocument, SearchName
from reelmarket.discovery.text import exact_key, index_form

CHUNK = 500


def _titles(title_ids: Sequence[int]) -> Iterable[Title]:
    return (
        Title.objects.filter(pk__in=title_ids)
        .select_related("owner")
        .prefetch_related("texts", "genres", "countries", "languages", "credits", "rights")
    )


def facet_values(title: Title) -> dict[str, Any]:
    """The facet values of one title, as stored in ``SearchDocument.facets``."""
    languages = {title.original_language, *(lang.language for lang in title.languages.all())}
    return {
        "kind": title.kind,
        "stage": title.stage,
        "new": title.new_this_market,
        "published": title.is_published,
        "owner": title.owner_id,
        "year": title.year,
        "genres": sorted(g.genre for g in title.genres.all()),
        "countries": sorted(c.country for c in title.countries.all()),
        "languages": sorted(languages),
        "text_languages": sorted(t.language for t in title.texts.all()),
    }


def document_values(title: Title) -> tuple[str, str, set[str]]:
    """``(names, body, exact name keys)`` of a title (prefetched children)."""
    texts = list(title.texts.all())
    names = [title.original_title, *(t.name for t in texts)]
    body_parts: list[str] = []
    for text in texts:
        body_parts.extend((text.logline, text.synopsis))
    body_parts.extend(credit.name for credit in title.credits.all())
    body_parts.append(title.owner.name)
    keys = {key for key in (exact_key(name) for name in names) if key}
    names_form = " ".join(index_form(name) for name in dict.fromkeys(names))
    body_form = " ".join(index_form(part) for part in body_parts if part)
    return names_form, body_form, keys


def avails_values(title: Title) -> dict[str, Any]:
    windows = [window_from_row(row) for row in title.rights.all()]
    return segments_to_json(title_segments(windows))


# --- bulk path: plain values, no model instances ---------------------------------------


@dataclass(slots=True)
class _Values:
    """One title's columns and children, as loaded by :func:`_load` (ordered like the
    prefetches of :func:`_titles`: texts by language, credits by position then id)."""

    pk: int
    original_title: str
    original_language: str
    kind: str
    stage: str
    new: bool
    published: bool
    owner: int
    year: int | None
    owner_name: str
    texts: list[tuple[str, str, str, str]] = field(default_factory=list)
    genres: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    credits: list[str] = field(default_factory=list)
    windows: list[_Window] = field(default_factory=list)


class _Window(NamedTuple):
    """What :func:`title_segments` reads of an algebra ``Window`` (built ~10x faster)."""

    media: str
    countries: frozenset[str]
    start: date
    end: date | None
    exclusive: bool
    status: WindowStatus


@functools.lru_cache(maxsize=8192)
def _countries(territories: str | tuple[str, ...], excluded: str | tuple[str, ...]) -> frozenset:
    include = json.loads(territories) if isinstance(territories, str) else territories
    exclude = json.loads(excluded) if isinstance(excluded, str) else excluded
    return expand(include=tuple(include), exclude=tuple(exclude or ()))


def _day(value: date | str | None) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _windows(title_ids: Sequence[int]) -> Iterator[tuple[int, _Window]]:
    """The rights windows of these titles, from raw rows (JSON text parsed once per
    distinct territory spec; same countries as ``catalogue.services.build_window``)."""
    table = RightsWindow._meta.db_table
    placeholders = ", ".join(["%s"] * len(title_ids))
    columns = "title_id, media, territories, excluded, starts_on, ends_on, exclusive, status"
    sql = f"SELECT {columns} FROM {table} WHERE title_id IN ({placeholders})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, list(title_ids))
        for title_id, media, territories, excluded, starts, ends, exclusive, status in cursor:
            if isinstance(territories, list):  # decoded by the driver
                territories, excluded = tuple(territories), tuple(excluded or ())
            yield (
                title_id,
                _Window(
                    media=str(media),
                    countries=_countries(territories, excluded),
                    start=_day(starts),
                    end=_day(ends),
                    exclusive=bool(exclusive),
                    status=_STATUS[status],
                ),
            )


_STATUS = {status.value: status for status in WindowStatus}


def _load(title_ids: Sequence[int]) -> list[_Values]:
    """Seven ``values_list`` queries for a chunk of titles (no model instances)."""
    rows = (
        Title.objects.filter(pk__in=title_ids)
        .order_by("pk")
        .values_list(
            "pk",
            "original_title",
            "original_language",
            "kind",
            "stage",
            "new_this_market",
            "is_published",
            "owner_id",
            "year",
            "owner__name",
        )
    )
    titles = {row[0]: _Values(*row) for row in rows}
    ids = list(titles)
    if not ids:
        return []
    texts = (
        TitleText.objects.filter(title_id__in=ids)
        .order_by("title_id", "language")
        .values_list("title_id", "language", "name", "logline", "synopsis")
    )
    for title_id, *text in texts:
        titles[title_id].texts.append(tuple(text))
    for model, column, attr in (
        (TitleGenre, "genre", "genres"),
        (TitleCountry, "country", "countries"),
        (TitleLanguage, "language", "languages"),
    ):
        for title_id, value in model.objects.filter(title_id__in=ids).values_list(
            "title_id", column
        ):
            getattr(titles[title_id], attr).append(value)
    credits = (
        Credit.objects.filter(title_id__in=ids)
        .order_by("title_id", "position", "id")
        .values_list("title_id", "name")
    )
    for title_id, name in credits:
        titles[title_id].credits.append(name)
    for title_id, window in _windows(ids):
        titles[title_id].windows.append(window)
    return list(titles.values())


@functools.lru_cache(maxsize=65_536)
def _exact_key(name: str) -> str:
    return exact_key(name)


def _values_document(values: _Values) -> tuple[str, str, set[str], dict[str, Any]]:
    """``(names, body, keys, facets)``: the same as :func:`document_values` and
    :func:`facet_values` of the model instance."""
    names = [values.original_title, *(text[1] for text in values.texts)]
    body_parts: list[str] = []
    for _, _, logline, synopsis in values.texts:
        body_parts.extend((logline, synopsis))
    body_parts.extend(values.credits)
    body_parts.append(values.owner_name)
    keys = {key for key in (_exact_key(name) for name in names) if key}
    names_form = " ".join(index_form(name) for name in dict.fromkeys(names))
    body_form = " ".join(index_form(part) for part in body_parts if part)
    facets = {
        "kind": values.kind,
        "stage": values.stage,
        "new": values.new,
        "published": values.published,
        "owner": values.owner,
        "year": values.year,
        "genres": sorted(values.genres),
        "countries": sorted(values.countries),
        "languages": sorted({values.original_language, *values.languages}),
        "text_languages": sorted(text[0] for text in values.texts),
    }
    return names_form, body_form, keys, facets


def documents_write(*, title_ids: Iterable[int]) -> int:
    """(Re)write the search documents of ``title_ids``; returns how many titles exist.

    Titles that no longer exist lose their documents (the foreign keys cascade) and are
    still logged as changed, so every process drops them from its indexes.

    Throughput: a chunk is loaded with plain ``values_list`` queries (no model instances)
    and the index forms reuse cached per-word results (``text.index_form``), so most of
    the time goes to the database writes (FTS5 triggers on SQLite, the tsvector trigger on
    PostgreSQL).
    """
    ids = sorted(set(title_ids))
    written = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        with transaction.atomic():
            documents = []
            names = []
            for values in _load(chunk):
                names_form, body_form, keys, facets = _values_document(values)
                documents.append(
                    SearchDocument(
                        title_id=values.pk,
                        names=names_form,
                        body=body_form,
                        facets=facets,
                        avails=segments_to_json(title_segments(values.windows)),  # type: ignore[arg-type]
                    )
                )
                names.extend(SearchName(title_id=values.pk, key=key[:300]) for key in sorted(keys))
            SearchName.objects.filter(title_id__in=chunk).delete()
            # delete + insert (not an upsert) so the FTS5 triggers see plain inserts
            SearchDocument.objects.filter(title_id__in=chunk).delete()
            SearchDocument.objects.bulk_create(documents)
            SearchName.objects.bulk_create(names, ignore_conflicts=True)
            IndexChange.objects.bulk_create([IndexChange(title_id=pk) for pk in chunk])
            written += len(documents)
    return written


def changes_log(*, title_ids: Iterable[int]) -> None:
    """Log that something about these titles changed (e.g. their vectors)."""
    IndexChange.objects.bulk_create([IndexChange(title_id=pk) for pk in sorted(set(title_ids))])

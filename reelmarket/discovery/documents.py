"""Titles -> search documents: the index form of their texts, facet values and avails segments.

``documents_write`` is the one writer of :class:`SearchDocument` / :class:`SearchName` rows.
Every call appends an :class:`IndexChange` per title, which is how the in-process indexes of
every web and worker process learn what to reload.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction

from reelmarket.catalogue.avails.index import segments_to_json, title_segments
from reelmarket.catalogue.models import Title
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


def documents_write(*, title_ids: Iterable[int]) -> int:
    """(Re)write the search documents of ``title_ids``; returns how many titles exist.

    Titles that no longer exist lose their documents (the foreign keys cascade) and are
    still logged as changed, so every process drops them from its indexes.
    """
    ids = sorted(set(title_ids))
    written = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        with transaction.atomic():
            titles = list(_titles(chunk))
            documents = []
            names = []
            for title in titles:
                names_form, body_form, keys = document_values(title)
                documents.append(
                    SearchDocument(
                        title=title,
                        names=names_form,
                        body=body_form,
                        facets=facet_values(title),
                        avails=avails_values(title),
                    )
                )
                names.extend(SearchName(title=title, key=key[:300]) for key in sorted(keys))
            SearchName.objects.filter(title_id__in=chunk).delete()
            # delete + insert (not an upsert) so the FTS5 triggers see plain inserts
            SearchDocument.objects.filter(title_id__in=chunk).delete()
            SearchDocument.objects.bulk_create(documents)
            SearchName.objects.bulk_create(names, ignore_conflicts=True)
            IndexChange.objects.bulk_create([IndexChange(title_id=pk) for pk in chunk])
            written += len(titles)
    return written


def changes_log(*, title_ids: Iterable[int]) -> None:
    """Log that something about these titles changed (e.g. their vectors)."""
    IndexChange.objects.bulk_create([IndexChange(title_id=pk) for pk in sorted(set(title_ids))])

"""Reads of the catalogue: filtered lists, title pages, avails tables."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from reelmarket.catalogue.avails.algebra import Availability, Query, check_availability
from reelmarket.catalogue.avails.media import Media
from reelmarket.catalogue.avails.territories import expand
from reelmarket.catalogue.models import (
    RightsWindow,
    SavedTitle,
    Title,
    TitleLanguage,
    TitleText,
)


def catalogue_counts() -> tuple[int, int]:
    published = Title.objects.filter(is_published=True)
    return published.count(), published.filter(new_this_market=True).count()


@dataclass(frozen=True)
class AvailsFilter:
    media: Media
    territory: str
    start: date
    end: date
    exclusive: bool = False

    def query(self) -> Query:
        return Query(
            media=self.media,
            countries=expand(include=[self.territory]),
            start=self.start,
            end=self.end,
            exclusive=self.exclusive,
        )


@dataclass(frozen=True)
class TitleFilters:
    q: str = ""
    kinds: tuple[str, ...] = ()
    genres: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    owner_id: int | None = None
    new_only: bool = False
    avails: AvailsFilter | None = None
    extra: dict[str, str] = field(default_factory=dict)


_WINDOW_COLUMNS = (
    "title_id",
    "id",
    "media",
    "territories",
    "excluded",
    "starts_on",
    "ends_on",
    "exclusive",
    "status",
    "counterparty",
)


def _windows_by_title(title_ids: QuerySet | list[int], media: Media) -> dict[int, list]:
    """The media's rights windows of many titles as algebra values (plain rows, no models)."""
    from reelmarket.catalogue.services import build_window

    grouped: dict[int, list] = defaultdict(list)
    rows = RightsWindow.objects.filter(media=media, title_id__in=title_ids).values_list(
        *_WINDOW_COLUMNS
    )
    for title_id, pk, *values in rows.iterator(chunk_size=5000):
        fields = dict(zip(_WINDOW_COLUMNS[2:], values, strict=True))
        grouped[title_id].append(build_window(**fields, ref=pk))
    return grouped


def available_title_ids(*, titles: QuerySet[Title], avails: AvailsFilter) -> list[int]:
    """Ids of ``titles`` available for the avails filter (the algebra decides)."""
    query = avails.query()
    grouped = _windows_by_title(titles.values("id"), avails.media)
    return [
        title_id
        for title_id, windows in grouped.items()
        if check_availability(windows=windows, query=query).available
    ]


def titles_list(*, filters: TitleFilters, include_unpublished: bool = False) -> QuerySet[Title]:
    qs = Title.objects.select_related("owner")
    if not include_unpublished:
        qs = qs.filter(is_published=True)
    if filters.q:
        q = filters.q
        qs = qs.filter(
            Q(original_title__icontains=q)
            | Q(texts__name__icontains=q)
            | Q(texts__logline__icontains=q)
            | Q(owner__name__icontains=q)
        )
    if filters.kinds:
        qs = qs.filter(kind__in=filters.kinds)
    if filters.stages:
        qs = qs.filter(stage__in=filters.stages)
    if filters.genres:
        qs = qs.filter(genres__genre__in=filters.genres)
    if filters.countries:
        qs = qs.filter(countries__country__in=filters.countries)
    if filters.languages:
        qs = qs.filter(
            Q(original_language__in=filters.languages)
            | Q(languages__language__in=filters.languages)
        )
    if filters.owner_id is not None:
        qs = qs.filter(owner_id=filters.owner_id)
    if filters.new_only:
        qs = qs.filter(new_this_market=True)
    if filters.q or filters.genres or filters.countries or filters.languages:
        qs = qs.distinct()
    if filters.avails is not None:
        qs = qs.filter(id__in=available_title_ids(titles=qs, avails=filters.avails))
    return qs.prefetch_related(
        Prefetch(
            "texts",
            queryset=TitleText.objects.only("id", "title_id", "language", "name", "logline"),
        ),
        "genres",
        "countries",
    ).order_by("-new_this_market", "original_title", "id")


def title_detail(*, pk: int) -> Title:
    return (
        Title.objects.select_related("owner")
        .prefetch_related(
            "texts", "genres", "countries", "languages", "credits", "recognitions", "rights"
        )
        .get(pk=pk)
    )


def title_availability(*, title: Title, avails: AvailsFilter) -> Availability:
    from reelmarket.catalogue.services import window_from_row

    windows = [window_from_row(r) for r in title.rights.all() if r.media == avails.media]
    return check_availability(windows=windows, query=avails.query())


def text_for_language(title: Title, language: str) -> TitleText | None:
    """The title's text in the viewer's language, else English, else the first one."""
    texts = list(title.texts.all())
    wanted = _language_candidates(language)
    for tag in wanted:
        for text in texts:
            if text.language.lower() == tag:
                return text
    return texts[0] if texts else None


def _language_candidates(language: str) -> list[str]:
    lang = (language or "en").lower()
    if lang in ("zh-hant", "zh-tw", "zh-hk"):
        return ["zh-hant", "zh-hans", "en"]
    if lang in ("zh-hans", "zh-cn", "zh"):
        return ["zh-hans", "zh-hant", "en"]
    return [lang, "en"]


# Public browsing (catalogue/views_browse.py) ----------------------------------------------


def title_owner_choices() -> list[tuple[int, str, str]]:
    """``(id, slug, name)`` of the organisations with published titles, by name."""
    from reelmarket.market.models import Organisation

    return list(
        Organisation.objects.filter(titles__is_published=True)
        .distinct()
        .order_by("name", "id")
        .values_list("id", "slug", "name")
    )


def title_language_tags() -> list[str]:
    """Original language tags of published titles (main and additional), sorted."""
    main = Title.objects.filter(is_published=True).order_by().values_list("original_language")
    more = TitleLanguage.objects.filter(title__is_published=True).order_by().values_list("language")
    return sorted({tag for (tag,) in main.union(more)})


# The avails editor (catalogue/views_editor.py) --------------------------------------------


def buyer_organisation_choices(
    *, edition: Any | None, title: Title | None = None
) -> list[tuple[int, str]]:
    """``(id, name)`` of the companies a sold window can name as its buyer, by name.

    The organisations with confirmed staff registered for ``edition`` (every organisation
    with confirmed staff when there is no current edition), without the title's owner,
    plus the buyers the title's windows name already (so editing keeps them).
    """
    from reelmarket.market.models import Organisation

    staff = Q(staff__organisation_confirmed=True)
    if edition is not None:
        staff &= Q(staff__registrations__edition=edition)
    wanted = Q(pk__in=Organisation.objects.filter(staff).values("pk"))
    if title is not None:
        current = title.rights.exclude(buyer_organisation=None).values("buyer_organisation")
        wanted |= Q(pk__in=current)
    rows = Organisation.objects.filter(wanted)
    if title is not None:
        rows = rows.exclude(pk=title.owner_id)
    return list(rows.order_by("name", "id").values_list("id", "name"))


# Saved titles (catalogue/views_saved.py, the API) -------------------------------------------


def is_saved(*, participant: Any | None, title: Title) -> bool:
    if participant is None:
        return False
    return SavedTitle.objects.filter(participant=participant, title=title).exists()


def saved_titles(*, participant: Any) -> QuerySet[SavedTitle]:
    """The participant's saved titles, newest first, with what a title card shows."""
    return (
        SavedTitle.objects.filter(participant=participant)
        .select_related("title", "title__owner")
        .prefetch_related("title__texts", "title__genres", "title__countries")
        .order_by("-created_at", "-id")
    )

"""Search in the browser: the search page, the header box's suggestions, "More like this".

The views are thin: the catalogue's own filter form validates the query string, the
discovery selectors search, the catalogue rules decide who sees a title. Everything here is
as public as the catalogue list (anyone, signed in or not).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.core.paginator import Page, Paginator
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from reelmarket.catalogue.forms_browse import AVAILS_FIELDS, TitleFilterForm
from reelmarket.catalogue.models import Title
from reelmarket.catalogue.rules import may_view_title
from reelmarket.catalogue.selectors import text_for_language
from reelmarket.catalogue.views_browse import page_range, title_cards
from reelmarket.discovery.selectors import (
    SearchError,
    SearchHit,
    SearchQuery,
    SearchResult,
    search,
    similar_titles,
)
from reelmarket.discovery.text import MAX_QUERY_CHARS

PAGE_SIZE = 24
SUGGEST_SIZE = 8
SIMILAR_SIZE = 6


class SearchForm(TitleFilterForm):
    """The catalogue's filter sidebar, with room for a query as long as the engine takes."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=MAX_QUERY_CHARS,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("Titles, stories, people, companies — in any language"),
                "autocomplete": "off",
            }
        ),
    )


# --------------------------------------------------------------------------------------
# Facet counts for the sidebar.


@dataclass(frozen=True)
class FacetChoice:
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class FacetGroup:
    field: str  # the form field (and query parameter)
    facet: str  # the key in SearchResult.facets
    label: str
    blank: str  # the "any" choice of a select
    choices: list[FacetChoice]
    selected_count: int


def _selected(form: SearchForm, name: str) -> set[str]:
    """The values the viewer asked for, valid or not (so a ticked box stays ticked)."""
    return {str(v) for v in form.data.getlist(name)} if hasattr(form.data, "getlist") else set()


def facet_groups(form: SearchForm, facets: dict[str, dict[str, int]]) -> dict[str, FacetGroup]:
    """The sidebar's choices with their counts; selects list only values with titles."""
    groups: dict[str, FacetGroup] = {}
    for field, facet, is_select in (
        ("kind", "kind", False),
        ("genre", "genre", False),
        ("stage", "stage", False),
        ("country", "country", True),
        ("language", "language", True),
    ):
        counts = facets.get(facet, {})
        selected = _selected(form, field)
        choices = []
        blank = ""
        for value, label in form.fields[field].choices:
            if not value:
                blank = str(label)
                continue
            count = int(counts.get(value, 0))
            if is_select and not count and value not in selected:
                continue
            choices.append(FacetChoice(str(value), str(label), count, str(value) in selected))
        groups[field] = FacetGroup(
            field=field,
            facet=facet,
            label=str(form.fields[field].label),
            blank=blank,
            choices=choices,
            selected_count=sum(c.selected for c in choices),
        )
    return groups


def new_count(facets: dict[str, dict[str, int]]) -> int:
    """How many results are new this market (the "new" facet's true bucket)."""
    counts = facets.get("new", {})
    for key in ("true", "True", "1", True, 1):
        if key in counts:
            return int(counts[key])
    return 0


# --------------------------------------------------------------------------------------
# The search page.


# Labels of the concepts that are not catalogue genres (see discovery/concepts.py).
_CONCEPT_LABELS = {
    "series": _("Series"),
    "format": _("Formats"),
    "book": _("Book IP"),
    "comic": _("Comic IP"),
    "game": _("Game IP"),
}


def understood_labels(result: SearchResult | None) -> list[str]:
    """What ranking read from the query, as chips: genres and formats, then countries."""
    from reelmarket.catalogue.enums import Genre
    from reelmarket.web.formatting import country_name

    if result is None:
        return []
    genres = dict(Genre.choices)
    labels = [
        str(genres.get(code) or _CONCEPT_LABELS.get(code, code))
        for code in result.understood_concepts
    ]
    return labels + [country_name(code) for code in result.understood_countries]


def _page_number(raw: str | None) -> int:
    try:
        number = int(raw or 1)
    except ValueError:
        return 1
    return max(1, min(number, 10_000))


def _query(form: SearchForm, *, page: int, page_size: int) -> SearchQuery:
    filters = form.filters()
    return SearchQuery(
        text=filters.q,
        kinds=filters.kinds,
        genres=filters.genres,
        countries=filters.countries,
        languages=filters.languages,
        stages=filters.stages,
        new_only=filters.new_only,
        owner_id=filters.owner_id,
        avails=filters.avails,
        page=page,
        page_size=page_size,
    )


def _run(form: SearchForm, *, page: int) -> SearchResult:
    language = get_language() or "en"
    result = search(query=_query(form, page=page, page_size=PAGE_SIZE), language=language)
    if not result.hits and page > result.pages:  # past the end: show the last page
        result = search(
            query=_query(form, page=result.pages, page_size=PAGE_SIZE), language=language
        )
    return result


def _pager(result: SearchResult) -> Page:
    """A paginator page over the result count, for the shared pagination template."""
    paginator = Paginator(range(result.total), result.query.page_size)
    return paginator.page(min(result.query.page, paginator.num_pages))


def _partial(request: HttpRequest) -> bool:
    """htmx swaps only the results; history restores and boosted links need the page."""
    return bool(request.htmx) and not (request.htmx.boosted or request.htmx.history_restore_request)


def _avails_query(request: HttpRequest, form: SearchForm) -> str:
    """The avails part of the query, carried to title pages so they answer at once."""
    if form.avails() is None:
        return ""
    return urlencode([(k, v) for k in AVAILS_FIELDS for v in request.GET.getlist(k) if v])


def search_page(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    form.is_valid()  # invalid filters show their errors; the valid ones still apply
    result: SearchResult | None = None
    error = ""
    status = 200
    if "q" in form.errors:
        error = " ".join(form.errors["q"])
        status = 400
    else:
        try:
            result = _run(form, page=_page_number(request.GET.get("page")))
        except SearchError as exc:
            error = str(exc)
            status = 400
    facets = result.facets if result is not None else {}
    query_text = form.cleaned_data.get("q", "") if hasattr(form, "cleaned_data") else ""
    context: dict[str, Any] = {
        "form": form,
        "result": result,
        "error": error,
        "query_text": query_text,
        "groups": facet_groups(form, facets),
        "new_count": new_count(facets),
        "filter_errors": [
            (form[name], errors) for name, errors in form.errors.items() if name not in ("q",)
        ],
        "understood": understood_labels(result),
        "htmx_target": "#search-body",
        "avails_query": _avails_query(request, form),
    }
    if result is not None:
        page = _pager(result)
        context.update(page=page, page_range=page_range(page))
    partial = _partial(request)
    template = "discovery/_search_body.html" if partial else "discovery/search.html"
    # htmx does not swap an error response: the message must arrive as a 200 there.
    response = render(request, template, context, status=200 if partial else status)
    patch_vary_headers(response, ["HX-Request"])
    return response


# --------------------------------------------------------------------------------------
# The header box, as you type.


def suggest(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "").strip()
    context: dict[str, Any] = {"query_text": text, "hits": [], "error": "", "total": 0}
    if len(text) > MAX_QUERY_CHARS:
        context["error"] = gettext("The search text is too long (at most %(max)s characters).") % {
            "max": MAX_QUERY_CHARS
        }
    elif text:
        try:
            result = search(
                query=SearchQuery(text=text, page_size=SUGGEST_SIZE),
                language=get_language() or "en",
            )
        except SearchError as exc:
            context["error"] = str(exc)
        else:
            context.update(hits=result.hits, total=result.total)
    response = render(request, "discovery/_suggest.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


# --------------------------------------------------------------------------------------
# More like this.


def visible_hits(request: HttpRequest, hits: Iterable[SearchHit]) -> list[SearchHit]:
    return [h for h in hits if h.title.is_published and may_view_title(request.user, h.title)]


def similar(request: HttpRequest, title_id: int) -> HttpResponse:
    title = Title.objects.filter(pk=title_id).select_related("owner").first()
    if title is None or not may_view_title(request.user, title):
        raise Http404
    hits = similar_titles(title_id=title.pk, limit=SIMILAR_SIZE, language=get_language() or "en")
    shown = text_for_language(title, get_language() or "en")
    titles = [hit.title for hit in visible_hits(request, hits)]
    prefetch_related_objects(titles, "countries", "genres")
    context = {
        "title": title,
        "name": shown.name if shown else title.original_title,
        "cards": title_cards(titles),
    }
    template = "discovery/_similar.html" if request.htmx else "discovery/similar.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response

"""``GET /api/v1/search``: the search page's search, as JSON (router mounted in api/api.py)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from reelmarket.api.auth import viewer
from reelmarket.api.errors import ApiError, invalid, responses
from reelmarket.catalogue.api import AvailsQuery, avails_filter
from reelmarket.catalogue.enums import Genre, Stage, TitleKind
from reelmarket.catalogue.inputs import Country, LanguageTag
from reelmarket.catalogue.rules import may_view_title
from reelmarket.discovery.selectors import (
    MODES,
    SearchError,
    SearchQuery,
    search,
    similar_titles,
)
from reelmarket.discovery.text import MAX_QUERY_CHARS

router = Router(tags=["search"])


class SearchParams(AvailsQuery):
    q: str = Field("", max_length=MAX_QUERY_CHARS, description="Words in any language.")
    kind: list[TitleKind] = Field(default_factory=list)
    genre: list[Genre] = Field(default_factory=list)
    country: list[Country] = Field(default_factory=list, description="Country of origin.")
    language: list[LanguageTag] = Field(default_factory=list, description="Original language.")
    stage: list[Stage] = Field(default_factory=list)
    new_only: bool = False
    mode: str = Field("hybrid", description="hybrid, keyword or semantic.")
    page: int = Field(1, ge=1, le=10_000)
    page_size: int = Field(24, ge=1, le=100)
    lang: str = Field("en", max_length=20, description="Language for names and snippets.")


class Segment(Schema):
    text: str
    match: bool


class SearchHitOut(Schema):
    rank: int
    id: int
    name: str
    original_title: str
    kind: str
    year: int | None
    owner: str
    matched_language: str
    exact: bool
    keyword_rank: int | None
    semantic_rank: int | None
    similarity: float | None
    name_marks: list[Segment]
    snippet: list[Segment]


class SearchOut(Schema):
    total: int
    page: int
    pages: int
    took_ms: float
    semantic_ready: bool
    understood_countries: list[str] = Field(
        description="ISO codes of the countries the query names (ranking boosts their titles)"
    )
    understood_concepts: list[str] = Field(
        description="Genres and formats the query names (genre codes, or series / format / "
        "book / comic / game); ranking boosts titles that fit them"
    )
    hits: list[SearchHitOut]
    facets: dict[str, dict[str, int]]


def _segments(marks: list[tuple[str, bool]]) -> list[dict[str, Any]]:
    return [{"text": text, "match": match} for text, match in marks]


def hit_out(hit: Any) -> dict[str, Any]:
    return {
        "rank": hit.rank,
        "id": hit.title_id,
        "name": hit.name,
        "original_title": hit.title.original_title,
        "kind": hit.title.kind,
        "year": hit.title.year,
        "owner": hit.title.owner.name,
        "matched_language": hit.matched_language,
        "exact": hit.exact,
        "keyword_rank": hit.keyword_rank,
        "semantic_rank": hit.semantic_rank,
        "similarity": None if hit.similarity is None else round(hit.similarity, 4),
        "name_marks": _segments(hit.name_marks),
        "snippet": _segments(hit.snippet),
    }


@router.get("/search", response=responses({200: SearchOut}, 401), summary="Search titles")
def search_titles(request: HttpRequest, params: Query[SearchParams]) -> dict[str, Any]:
    """Keyword and cross-lingual semantic search over published titles, fused by rank, with
    the catalogue's filters (incl. rights availability: ``media`` + ``territory`` [+ ``start``,
    ``end``, ``exclusive``]) and facet counts (each facet counted without its own filter)."""
    viewer(request)
    if params.mode not in MODES:
        raise invalid("query.mode", f"Use one of: {', '.join(MODES)}.")
    query = SearchQuery(
        text=params.q,
        kinds=tuple(k.value for k in params.kind),
        genres=tuple(g.value for g in params.genre),
        countries=tuple(params.country),
        languages=tuple(params.language),
        stages=tuple(s.value for s in params.stage),
        new_only=params.new_only,
        avails=avails_filter(params, required=False),
        mode=params.mode,  # type: ignore[arg-type]
        page=params.page,
        page_size=params.page_size,
    )
    try:
        result = search(query=query, language=params.lang)
    except SearchError as exc:
        raise invalid(f"query.{exc.field}", str(exc)) from exc
    return {
        "total": result.total,
        "page": query.page,
        "pages": result.pages,
        "took_ms": round(result.took_ms, 2),
        "semantic_ready": result.semantic_ready,
        "understood_countries": list(result.understood_countries),
        "understood_concepts": list(result.understood_concepts),
        "hits": [hit_out(hit) for hit in result.hits],
        "facets": result.facets,
    }


@router.get(
    "/titles/{title_id}/similar",
    response=responses({200: list[SearchHitOut]}, 401, 404),
    summary="More like this",
)
def similar(request: HttpRequest, title_id: int, limit: int = Query(6, ge=1, le=24)) -> Any:
    """Published titles closest in meaning to this one."""
    from reelmarket.catalogue.models import Title

    user = viewer(request)
    title = Title.objects.filter(pk=title_id).select_related("owner").first()
    if title is None or not may_view_title(user, title):
        raise ApiError(404, "No such title.")
    return [hit_out(hit) for hit in similar_titles(title_id=title_id, limit=limit)]

"""Search: keyword and semantic hits fused by reciprocal rank, then filters and facet counts.

One function, :func:`search`, serves the header box (as you type), the search page, the API
and the CLI.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from reelmarket.catalogue.avails.index import country_mask
from reelmarket.catalogue.avails.territories import UnknownTerritory, expand
from reelmarket.catalogue.models import Title
from reelmarket.catalogue.selectors import AvailsFilter, text_for_language
from reelmarket.discovery.engine import Engine, engine
from reelmarket.discovery.facets import AvailsQuery, FacetFilters
from reelmarket.discovery.models import TextEmbedding
from reelmarket.discovery.text import (
    MAX_QUERY_CHARS,
    QueryTooLong,
    highlight,
    normalize,
    parse_query,
    snippet,
)

Mode = Literal["hybrid", "keyword", "semantic"]
MODES: tuple[str, ...] = ("hybrid", "keyword", "semantic")
FACETS: tuple[str, ...] = ("kind", "genre", "country", "language", "stage", "new")

RRF_K = 60
KEYWORD_DEPTH = 200
# Totals and facet counts of a very common word are counted over its first 50,000 matches
# (fetching every id of a word in most of a 1M catalogue costs more than the whole budget).
KEYWORD_MAX_MATCHES = 50_000
SEMANTIC_DEPTH = 100
# Cosine similarity (after removing the language bias) below which a vector neighbour is
# not shown: nearest neighbours always exist, relevant ones do not. Calibrated with
# benchmarks/search_relevance.py: correct titles score 0.01-0.43 (p5 0.13, median 0.28),
# wrong titles that reach a top 5 score 0.10-0.36 (median 0.18). No floor separates them;
# 0.15 (the first value) dropped ~15 % of correct hits, 0.05 drops ~2 %.
SEMANTIC_FLOOR = 0.05
# Added to the similarity of a semantic hit from a country the query names ("polar coréen",
# "phim ... Hồng Kông"; see centroids.query_countries) before the semantic list is ordered.
# A buyer naming an origin means it; the boost reorders, it never filters.
COUNTRY_BOOST = 0.15
# Added to the similarity of a title that fits every kind of content the query names (genres,
# formats: concepts.query_concepts), in proportion for some; see ``_metadata_boosts``.
# Measured on the relevance set (benchmarks/search_relevance.py), hybrid recall@1 / worst
# language recall@5: no boosts 0.78 / 0.88; country 0.1 only 0.79; country 0.1 + concepts
# 0.1 0.89 / 0.88; 0.15 + 0.2 0.93 / 1.00; 0.15 + 0.25 0.93 / 1.00; 0.1 + 0.2 0.90.
CONCEPT_BOOST = 0.2
MAX_PAGE_SIZE = 100


class SearchError(ValueError):
    """Bad search input; ``field`` names the parameter."""

    def __init__(self, message: str, *, field: str = "q") -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class SearchQuery:
    text: str = ""
    kinds: tuple[str, ...] = ()
    genres: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    new_only: bool = False
    owner_id: int | None = None
    avails: AvailsFilter | None = None
    mode: Mode = "hybrid"
    page: int = 1
    page_size: int = 24


@dataclass
class SearchHit:
    title: Title
    rank: int
    score: float
    exact: bool = False
    keyword_rank: int | None = None
    semantic_rank: int | None = None
    similarity: float | None = None
    matched_language: str = ""
    name: str = ""
    name_marks: list[tuple[str, bool]] = field(default_factory=list)
    snippet: list[tuple[str, bool]] = field(default_factory=list)

    @property
    def title_id(self) -> int:
        return self.title.pk


@dataclass
class SearchResult:
    query: SearchQuery
    total: int
    hits: list[SearchHit]
    facets: dict[str, dict[str, int]]
    took_ms: float
    semantic_ready: bool
    # How the query was read: countries it names, kinds of content (genre / format codes).
    understood_countries: tuple[str, ...] = ()
    understood_concepts: tuple[str, ...] = ()

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.query.page_size))


def validate(query: SearchQuery) -> None:
    if len(query.text) > MAX_QUERY_CHARS:
        raise SearchError(f"The search text is too long (at most {MAX_QUERY_CHARS} characters).")
    if "\x00" in query.text:
        raise SearchError("The search text contains a NUL character.")
    if query.mode not in MODES:
        raise SearchError(
            f"Unknown mode {query.mode!r}; use one of {', '.join(MODES)}.", field="mode"
        )
    if query.page < 1:
        raise SearchError("Pages start at 1.", field="page")
    if not 1 <= query.page_size <= MAX_PAGE_SIZE:
        raise SearchError(f"Page size must be 1 to {MAX_PAGE_SIZE}.", field="page_size")


def facet_filters(query: SearchQuery) -> FacetFilters:
    avails = None
    if query.avails is not None:
        try:
            countries = expand(include=[query.avails.territory])
        except UnknownTerritory as exc:
            raise SearchError(str(exc), field="territory") from exc
        avails = AvailsQuery(
            media=str(query.avails.media),
            countries_mask=country_mask(countries),
            start=query.avails.start,
            end=query.avails.end,
            exclusive=query.avails.exclusive,
        )
    return FacetFilters(
        kinds=query.kinds,
        genres=query.genres,
        countries=query.countries,
        languages=query.languages,
        stages=query.stages,
        new_only=query.new_only,
        owner_id=query.owner_id,
        avails=avails,
    )


@dataclass
class _Ranked:
    order: list[int]
    keyword_rank: dict[int, int]
    semantic: dict[int, tuple[int, float, str]]
    exact: frozenset[int]
    matched: np.ndarray


def _keyword(text: str) -> tuple[list[int], np.ndarray, frozenset[int]]:
    from reelmarket.discovery.keyword import keyword_search

    try:
        result = keyword_search(query=text, limit=KEYWORD_DEPTH, max_matches=KEYWORD_MAX_MATCHES)
    except QueryTooLong as exc:
        raise SearchError(str(exc)) from exc
    return list(result.ranked), np.asarray(result.matched, dtype=np.int64), result.exact


def _semantic(eng: Engine, text: str, allowed: np.ndarray | None) -> list[tuple[int, float, str]]:
    """``(title_id, similarity, language)`` of the nearest texts, best first, above the floor."""
    if eng.vectors is None or not text.strip():
        return []
    from reelmarket.discovery.centroids import centre_query
    from reelmarket.discovery.embedding import get_embedder

    vector = get_embedder().embed_queries([text])[0]
    vector, _language = centre_query(text, vector, eng.centroids)
    hits = [
        (int(title_id), int(label), float(similarity))
        for title_id, label, similarity in eng.vectors.search(
            vector, k=SEMANTIC_DEPTH, allowed_titles=allowed
        )
    ]
    # The floor applies to the boosted similarity: a title of the genre and country the
    # buyer named is relevant even when its synopsis is worded far from the query.
    boosts = _metadata_boosts(eng, text, [title_id for title_id, _l, _s in hits])
    hits = [hit for hit in hits if hit[2] + boosts.get(hit[0], 0.0) >= SEMANTIC_FLOOR]
    hits.sort(key=lambda hit: -(hit[2] + boosts.get(hit[0], 0.0)))
    labels = [label for _t, label, _s in hits]
    languages = dict(TextEmbedding.objects.filter(id__in=labels).values_list("id", "language"))
    return [(title_id, sim, languages.get(label, "")) for title_id, label, sim in hits]


def _metadata_boosts(eng: Engine, text: str, title_ids: list[int]) -> dict[int, float]:
    """Similarity bonus of those of ``title_ids`` whose metadata fits what ``text`` names.

    A country of origin the query names adds ``COUNTRY_BOOST``; the kinds of content it
    names (genres, formats: ``concepts.query_concepts``) add up to ``CONCEPT_BOOST``, in
    proportion to how many of them the title fits. Soft signals: they reorder, never filter.
    """
    from reelmarket.discovery.centroids import query_countries
    from reelmarket.discovery.concepts import query_concepts

    if not title_ids or eng.facets is None:
        return {}
    facets = eng.facets
    base = facets.mask_of(title_ids)
    boosts: dict[int, float] = {}
    countries = tuple(sorted(query_countries(text)))
    if countries:
        mask = facets.mask(FacetFilters(countries=countries), base=base)
        for pk in facets.title_ids(mask):
            boosts[int(pk)] = COUNTRY_BOOST
    concepts = query_concepts(text)
    for concept in concepts:
        mask = np.zeros_like(base)
        if concept.genres:
            mask |= facets.mask(FacetFilters(genres=tuple(sorted(concept.genres))), base=base)
        if concept.kinds:
            mask |= facets.mask(FacetFilters(kinds=tuple(sorted(concept.kinds))), base=base)
        for pk in facets.title_ids(mask):
            boosts[int(pk)] = boosts.get(int(pk), 0.0) + CONCEPT_BOOST / len(concepts)
    return boosts


def _rank(eng: Engine, query: SearchQuery, allowed_ids: np.ndarray | None) -> _Ranked:
    ranked: list[int] = []
    matched = np.empty(0, dtype=np.int64)
    exact: frozenset[int] = frozenset()
    if query.mode != "semantic":
        ranked, matched, exact = _keyword(query.text)
    semantic = _semantic(eng, query.text, allowed_ids) if query.mode != "keyword" else []
    scores: dict[int, float] = {}
    for position, title_id in enumerate(ranked, start=1):
        scores[title_id] = scores.get(title_id, 0.0) + 1.0 / (RRF_K + position)
    for position, (title_id, _sim, _lang) in enumerate(semantic, start=1):
        scores[title_id] = scores.get(title_id, 0.0) + 1.0 / (RRF_K + position)
    # An exact title is what the buyer typed: first, whatever else (+1 beats any fusion
    # score). Exact titles nothing else ranked all score exactly 1: they follow those that
    # have more, by id, without a score each (a generated catalogue repeats names thousands
    # of times).
    for title_id in exact.intersection(scores):
        scores[title_id] += 1.0
    order = sorted(scores, key=lambda pk: (-scores[pk], pk))
    boosted = sum(1 for pk in order if scores[pk] > 1.0)
    order[boosted:boosted] = sorted(exact.difference(scores))
    semantic_ids = np.asarray([pk for pk, _s, _l in semantic], dtype=np.int64)
    return _Ranked(
        order=order,
        keyword_rank={pk: i for i, pk in enumerate(ranked, start=1)},
        semantic={pk: (i, sim, lang) for i, (pk, sim, lang) in enumerate(semantic, start=1)},
        exact=exact,
        # keyword ids are already unique; np.union1d would sort ~50,000 of them again
        matched=np.union1d(matched, semantic_ids) if len(semantic_ids) else matched,
    )


def search(*, query: SearchQuery, language: str = "en") -> SearchResult:
    """Published titles for ``query``: ranked hits of the requested page, facet counts."""
    started = time.perf_counter()
    validate(query)
    filters = facet_filters(query)
    eng = engine()
    facets = eng.facets
    assert facets is not None
    text = query.text.strip()
    ranked: _Ranked | None = None
    first = (query.page - 1) * query.page_size
    stop = first + query.page_size
    if text:
        allowed_ids = None  # the semantic side searches only within the filters
        if query.mode != "keyword" and eng.vectors is not None:
            allowed_ids = facets.title_ids(facets.mask(filters))
            if len(allowed_ids) >= facets.size:
                allowed_ids = None
        ranked = _rank(eng, query, allowed_ids)
        base = facets.mask_of(ranked.matched)
        keep_mask, counts = facets.evaluate(filters, base=base)
        total = int(np.count_nonzero(keep_mask))
        ranked_ids = np.asarray(ranked.order, dtype=np.int64)
        positions = facets.positions_of(ranked_ids)
        kept = positions >= 0
        kept[kept] = keep_mask[positions[kept]]
        head = ranked_ids[kept]
        order = head
        if stop > len(head):  # matches beyond the ranked depth follow, newest first
            rest = keep_mask.copy()
            rest[positions[kept]] = False
            order = np.concatenate([head, _newest(facets.title_ids(rest), stop - len(head))])
    else:
        allowed, counts = facets.evaluate(filters)
        total = int(np.count_nonzero(allowed))
        fresh_mask = allowed & facets.mask(FacetFilters(new_only=True))
        fresh = _newest(facets.title_ids(fresh_mask), stop)
        order = fresh
        if stop > len(fresh):
            rest = _newest(facets.title_ids(allowed & ~fresh_mask), stop - len(fresh))
            order = np.concatenate([fresh, rest])
    page_ids = [int(pk) for pk in order[first:stop]]
    hits = _hits(page_ids, ranked, query.text, language, first)
    return SearchResult(
        query=query,
        total=total,
        hits=hits,
        facets=counts,
        took_ms=(time.perf_counter() - started) * 1000,
        semantic_ready=eng.vectors is not None,
        **_understood(query),
    )


def _newest(ids: np.ndarray, count: int) -> np.ndarray:
    """The ``count`` highest of ``ids``, highest first, without sorting them all (a browse of
    a million titles needs only its page)."""
    if count <= 0:
        return ids[:0]
    if count < len(ids):
        ids = np.partition(ids, len(ids) - count)[len(ids) - count :]
    return np.sort(ids)[::-1]


def _understood(query: SearchQuery) -> dict[str, tuple[str, ...]]:
    """What ranking read from the query (shown to the buyer so the boosts are not magic)."""
    from reelmarket.discovery.centroids import query_countries
    from reelmarket.discovery.concepts import query_concepts

    if query.mode == "keyword" or not query.text.strip():
        return {}
    return {
        "understood_countries": tuple(sorted(query_countries(query.text))),
        "understood_concepts": tuple(concept.code for concept in query_concepts(query.text)),
    }


def _hits(
    page_ids: list[int], ranked: _Ranked | None, text: str, language: str, first: int
) -> list[SearchHit]:
    titles = Title.objects.select_related("owner").prefetch_related("texts").in_bulk(page_ids)
    hits = []
    for offset, pk in enumerate(page_ids):
        title = titles.get(pk)
        if title is None:  # deleted since the index was read
            continue
        hit = SearchHit(title=title, rank=first + offset + 1, score=0.0)
        shown = text_for_language(title, language)
        hit.name = shown.name if shown else title.original_title
        if ranked is not None:
            hit.exact = pk in ranked.exact
            hit.keyword_rank = ranked.keyword_rank.get(pk)
            if pk in ranked.semantic:
                hit.semantic_rank, hit.similarity, hit.matched_language = ranked.semantic[pk]
            _mark(hit, title, text, shown)
        hits.append(hit)
    return hits


def _terms(text: str) -> list[str]:
    """The query's index tokens (normalised): every match contains one of them."""
    try:
        parsed = parse_query(text)
    except QueryTooLong:
        return []
    return [token for phrase in parsed.phrases for token in phrase.tokens]


def _may_contain(part: str, terms: list[str]) -> bool:
    if not terms:
        return False
    folded = normalize(part)
    return any(term in folded for term in terms)


def _mark(hit: SearchHit, title: Title, text: str, shown: object) -> None:
    """Highlight the name and pick the snippet from the text where the words matched."""
    hit.name_marks = highlight(hit.name, text)
    terms = _terms(text)
    texts = list(title.texts.all())
    if shown in texts:  # the viewer's language first
        texts.remove(shown)  # type: ignore[arg-type]
        texts.insert(0, shown)  # type: ignore[arg-type]
    for candidate in texts:
        for part in (candidate.logline, candidate.synopsis, candidate.name):
            # a cheap substring test first: highlighting a whole synopsis is what costs
            marks = snippet(part, text) if part and _may_contain(part, terms) else []
            if any(is_match for _s, is_match in marks):
                hit.matched_language = hit.matched_language or candidate.language
                if part == candidate.name:  # the name matched: show it, and the logline
                    if candidate.name != hit.name:
                        hit.name_marks = marks
                    hit.snippet = [(candidate.logline, False)] if candidate.logline else []
                else:
                    hit.snippet = marks
                return
    # a semantic-only hit: show the logline of the text that was nearest
    nearest = next((t for t in texts if t.language == hit.matched_language), shown)
    if nearest is not None:
        hit.snippet = [(nearest.logline or nearest.synopsis[:160], False)]  # type: ignore[attr-defined]


def similar_titles(*, title_id: int, limit: int = 6, language: str = "en") -> list[SearchHit]:
    """Published titles nearest in meaning to ``title_id`` ("More like this")."""
    from reelmarket.discovery.vectors import vectors_load

    eng = engine()
    if eng.vectors is None or eng.facets is None:
        return []
    _labels, _ids, _languages, centred = vectors_load(
        model=eng.model, title_ids=[title_id], centroids=eng.centroids
    )
    if not len(centred):
        return []
    allowed = eng.facets.title_ids(eng.facets.mask(FacetFilters()))
    best: dict[int, float] = {}
    for vector in centred:
        for other_id, _label, similarity in eng.vectors.search(
            vector, k=limit + 1, allowed_titles=allowed
        ):
            other_id = int(other_id)
            if other_id != title_id and similarity > best.get(other_id, -1.0):
                best[other_id] = float(similarity)
    order = sorted(best, key=lambda pk: (-best[pk], pk))[:limit]
    hits = _hits(order, None, "", language, 0)
    for hit in hits:
        hit.similarity = best[hit.title_id]
    return hits

"""Keyword search over the search documents: SQLite FTS5 or a PostgreSQL tsvector.

:func:`keyword_search` returns the ranked title ids (exact-name hits first, then titles
whose names match, then the rest by relevance) and every matching id, for the facet and
availability filters to narrow down. Relevance is bm25 on SQLite (names weigh 4x the body)
and ``ts_rank`` on PostgreSQL (names weight A, body weight B).

Cost is bounded for very common terms: ranking reads at most ``limit`` rows per step with
``LIMIT`` in SQL, and the full match set is fetched as one string of ids, not row by row.
When the query matches more than ``RANK_ALL_BELOW`` documents, the body step ranks only the
first such slice of matches (in index order), and the names step ranks at most
``NAME_WINDOW`` name matches, so a word that hits half the catalogue still answers in
milliseconds. Such queries are poor keyword queries anyway; the hybrid ranking (semantic
hits, facets) is what orders them usefully.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from django.db import connection

from reelmarket.discovery.models import SearchName
from reelmarket.discovery.text import (
    ParsedQuery,
    exact_key,
    fts5_match,
    parse_query,
    tsquery,
)

# bm25 / ts_rank cost ~1 us per matching row. Above this many matches, the body step ranks
# only this many candidates; the names step ranks at most NAME_WINDOW name matches.
RANK_ALL_BELOW = 5_000
NAME_WINDOW = 20_000


@dataclass(frozen=True)
class KeywordResult:
    """Title ids: ``ranked`` best first (at most ``limit``), all ``matched``, ``exact`` hits."""

    ranked: list[int] = field(default_factory=list)
    matched: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    exact: frozenset[int] = frozenset()


def keyword_available() -> bool:
    """True when the keyword index exists (migration 0002 ran on this database)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'discovery_fts'"
            )
            return cursor.fetchone() is not None
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT 1 FROM information_schema.columns "
                "WHERE table_name = 'discovery_searchdocument' AND column_name = 'tsv' "
                "AND table_schema = current_schema()"
            )
            return cursor.fetchone() is not None
    return False


def _ids(text: str | None) -> np.ndarray:
    if not text:
        return np.empty(0, dtype=np.int64)
    # Parsed in C: 200,000 ids take ~3 ms (``str.split`` + ``np.array``: ~50 ms).
    return np.fromstring(text, dtype=np.int64, sep=",")


class _Backend:
    """The three queries keyword search needs, in one vendor's SQL."""

    def __init__(self, cursor, parsed: ParsedQuery) -> None:
        self.cursor = cursor
        self.parsed = parsed

    def names(self, limit: int) -> list[int]:
        raise NotImplementedError

    def ranked(self, limit: int, *, window: int | None) -> list[int]:
        raise NotImplementedError

    def matched(self, limit: int) -> np.ndarray:
        raise NotImplementedError


class _SQLite(_Backend):
    def _rows(self, sql: str, params: list) -> list[int]:
        self.cursor.execute(sql, params)
        return [row[0] for row in self.cursor.fetchall()]

    def names(self, limit: int) -> list[int]:
        expression = fts5_match(self.parsed, column="names")
        return self._rows(
            "SELECT rowid FROM (SELECT rowid, rank FROM discovery_fts "
            "WHERE discovery_fts MATCH %s LIMIT %s) ORDER BY rank LIMIT %s",
            [expression, NAME_WINDOW, limit],
        )

    def ranked(self, limit: int, *, window: int | None) -> list[int]:
        expression = fts5_match(self.parsed)
        if window is None:
            return self._rows(
                "SELECT rowid FROM discovery_fts WHERE discovery_fts MATCH %s "
                "ORDER BY rank LIMIT %s",
                [expression, limit],
            )
        return self._rows(
            "SELECT rowid FROM (SELECT rowid, rank FROM discovery_fts "
            "WHERE discovery_fts MATCH %s LIMIT %s) ORDER BY rank LIMIT %s",
            [expression, window, limit],
        )

    def matched(self, limit: int) -> np.ndarray:
        self.cursor.execute(
            "SELECT group_concat(rowid) FROM (SELECT rowid FROM discovery_fts "
            "WHERE discovery_fts MATCH %s LIMIT %s)",
            [fts5_match(self.parsed), limit],
        )
        return _ids(self.cursor.fetchone()[0])


class _Postgres(_Backend):
    def _rows(self, sql: str, params: list) -> list[int]:
        self.cursor.execute(sql, params)
        return [row[0] for row in self.cursor.fetchall()]

    def names(self, limit: int) -> list[int]:
        return self._rows(
            "SELECT title_id FROM (SELECT title_id, ts_rank(tsv, q) AS score "
            "FROM discovery_searchdocument, to_tsquery('simple', %s) q "
            "WHERE tsv @@ q LIMIT %s) hits ORDER BY score DESC, title_id LIMIT %s",
            [tsquery(self.parsed, weights="A"), NAME_WINDOW, limit],
        )

    def ranked(self, limit: int, *, window: int | None) -> list[int]:
        text = tsquery(self.parsed)
        if window is None:
            return self._rows(
                "SELECT title_id FROM discovery_searchdocument, to_tsquery('simple', %s) q "
                "WHERE tsv @@ q ORDER BY ts_rank(tsv, q) DESC, title_id LIMIT %s",
                [text, limit],
            )
        return self._rows(
            "SELECT title_id FROM (SELECT title_id, ts_rank(tsv, q) AS score "
            "FROM discovery_searchdocument, to_tsquery('simple', %s) q "
            "WHERE tsv @@ q LIMIT %s) hits ORDER BY score DESC, title_id LIMIT %s",
            [text, window, limit],
        )

    def matched(self, limit: int) -> np.ndarray:
        self.cursor.execute(
            "SELECT string_agg(title_id::text, ',') FROM (SELECT title_id "
            "FROM discovery_searchdocument WHERE tsv @@ to_tsquery('simple', %s) LIMIT %s) m",
            [tsquery(self.parsed), limit],
        )
        return _ids(self.cursor.fetchone()[0])


_BACKENDS = {"sqlite": _SQLite, "postgresql": _Postgres}


def keyword_search(*, query: str, limit: int = 200, max_matches: int = 200_000) -> KeywordResult:
    """Titles matching every phrase of ``query``.

    Raises :class:`~reelmarket.discovery.text.QueryTooLong` past 500 characters; any other
    input (empty, punctuation only, FTS or tsquery syntax) gives a result, maybe empty.
    """
    parsed = parse_query(query)
    backend_class = _BACKENDS.get(connection.vendor)
    if not parsed or backend_class is None or limit <= 0 or max_matches <= 0:
        return KeywordResult()
    key = exact_key(query)
    exact = (
        sorted(set(SearchName.objects.filter(key=key).values_list("title_id", flat=True)))
        if key
        else []
    )
    with connection.cursor() as cursor:
        backend = backend_class(cursor, parsed)
        matched = backend.matched(max_matches)
        if exact:
            matched = np.union1d(matched, np.asarray(exact, dtype=np.int64))
        ranked = list(exact)
        seen = set(exact)
        for title_id in backend.names(limit):
            if title_id not in seen:
                seen.add(title_id)
                ranked.append(title_id)
        if len(ranked) < limit:
            window = RANK_ALL_BELOW if len(matched) > RANK_ALL_BELOW else None
            for title_id in backend.ranked(limit + len(seen), window=window):
                if title_id not in seen:
                    seen.add(title_id)
                    ranked.append(title_id)
    return KeywordResult(ranked=ranked[:limit], matched=matched, exact=frozenset(exact))


__all__ = ["KeywordResult", "keyword_available", "keyword_search"]

"""Keyword search over the search documents: SQLite FTS5 or PostgreSQL tsvector tables.

:func:`keyword_search` returns the ranked title ids (exact-name hits first, then titles
whose names match, then the rest by relevance) and every matching id, for the facet and
availability filters to narrow down. Relevance is bm25 on SQLite (names weigh 4x the body)
and ``ts_rank`` on PostgreSQL. The names tier reads a names-only index (migration 0003:
FTS5 table ``discovery_ftsname`` / tsvector table ``discovery_kwname``), so a common word's
huge body doclist is never walked to find name matches.

Cost is bounded for very common terms: ranking reads at most ``limit`` rows per step with
``LIMIT`` in SQL, and the full match set is fetched as one string of ids, not row by row.
When the query matches more than ``RANK_WINDOW`` documents, the body step ranks only the
first such slice of matches (in index order), and the names step ranks at most
``NAME_WINDOW`` name matches, so a word that hits half the catalogue still answers in
milliseconds. Such queries are poor keyword queries anyway; the hybrid ranking (semantic
hits, facets) is what orders them usefully.

PostgreSQL ``matched`` semantics: see :class:`_Postgres` (phrase-exact below
``PG_PHRASE_CHECK_BELOW`` candidates, AND of the phrase's tokens above).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
from django.db import connection, transaction

from reelmarket.discovery.models import SearchName
from reelmarket.discovery.text import (
    ParsedQuery,
    exact_key,
    fts5_match,
    parse_query,
    tsquery,
)

# Ranking cost is bounded. bm25 costs ~5-40 us per matching row on SQLite (a docsize lookup
# each); on PostgreSQL ts_rank or a phrase recheck de-TOASTs the row's ~5 KB tsvector
# (~10-30 us). Above RANK_WINDOW matches the body step ranks only the first RANK_WINDOW
# (index order), the names step at most NAME_WINDOW name matches; PostgreSQL keeps
# phrase-exact ``matched`` only below PG_PHRASE_CHECK_BELOW AND-candidates.
RANK_WINDOW = 300
NAME_WINDOW = 2_000
PG_RANK_WINDOW = 300
# SQLite: a phrase in this many rows makes bm25's IDF count too slow (see _SQLite._common).
COMMON_DF = 20_000
MAX_PROBES = 6
PG_NAME_WINDOW = 2_000
PG_PHRASE_CHECK_BELOW = 1_000


@dataclass(frozen=True)
class KeywordResult:
    """Title ids: ``ranked`` best first (at most ``limit``), all ``matched``, ``exact`` hits."""

    ranked: list[int] = field(default_factory=list)
    matched: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    exact: frozenset[int] = frozenset()


def keyword_available() -> bool:
    """True when the keyword index exists (migrations 0002 and 0003 ran on this database)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'discovery_ftsname'"
            )
            return cursor.fetchone() is not None
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT 1 FROM information_schema.tables "
                "WHERE table_name = 'discovery_kwtext' AND table_schema = current_schema()"
            )
            return cursor.fetchone() is not None
    return False


def _ids(text: str | None) -> np.ndarray:
    if not text:
        return np.empty(0, dtype=np.int64)
    # Parsed in C: 200,000 ids take ~3 ms (``str.split`` + ``np.array``: ~50 ms).
    return np.fromstring(text, dtype=np.int64, sep=",")


class _Backend:
    """The queries keyword search needs, in one vendor's SQL."""

    # the aggregate that returns a column's values as one comma-separated text (see _ids)
    ID_LIST = ""

    def __init__(self, cursor, parsed: ParsedQuery) -> None:
        self.cursor = cursor
        self.parsed = parsed

    @contextmanager
    def session(self) -> Iterator[None]:
        yield

    def names(self, limit: int) -> list[int]:
        raise NotImplementedError

    def exact(self, key: str) -> np.ndarray:
        """Ids of the titles one of whose names is exactly ``key`` (normalised), ascending.

        One aggregated row rather than a row per title: a generated catalogue of a million
        titles repeats names thousands of times, and the ORM's per-row cost was most of such
        a query's time."""
        if not key:
            return np.empty(0, dtype=np.int64)
        self.cursor.execute(
            f"SELECT {self.ID_LIST.format('title_id')} "  # noqa: S608 (fixed names)
            f"FROM {SearchName._meta.db_table} WHERE key = %s",
            [key],
        )
        return np.unique(_ids(self.cursor.fetchone()[0]))

    def ranked(self, limit: int, *, matches: int) -> list[int]:
        raise NotImplementedError

    def matched(self, limit: int) -> np.ndarray:
        raise NotImplementedError


class _SQLite(_Backend):
    ID_LIST = "group_concat({})"

    def _rows(self, sql: str, params: list) -> list[int]:
        self.cursor.execute(sql, params)
        return [row[0] for row in self.cursor.fetchall()]

    def _common(self, table: str) -> bool:
        """True when a phrase of the query is in at least ``COMMON_DF`` rows of ``table``.

        bm25 first counts the rows of every phrase (for its IDF) by walking the phrase's
        whole doclist, whatever the ``LIMIT``: ~90 ms for "the" at 1M titles. Such queries
        skip bm25 (their matches come in index order); probing costs ~1 ms per phrase.
        """
        for phrase in self.parsed.phrases[:MAX_PROBES]:
            self.cursor.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM {table} "  # noqa: S608 (fixed names)
                f"WHERE {table} MATCH %s LIMIT %s)",
                [fts5_match(ParsedQuery((phrase,))), COMMON_DF],
            )
            if self.cursor.fetchone()[0] >= COMMON_DF:
                return True
        return len(self.parsed.phrases) > MAX_PROBES

    def names(self, limit: int) -> list[int]:
        # The names-only table of migration 0003: small doclists even for common words.
        expression = fts5_match(self.parsed)
        if self._common("discovery_ftsname"):
            return self._rows(
                "SELECT rowid FROM discovery_ftsname WHERE discovery_ftsname MATCH %s LIMIT %s",
                [expression, limit],
            )
        return self._rows(
            "SELECT rowid FROM (SELECT rowid, rank FROM discovery_ftsname "
            "WHERE discovery_ftsname MATCH %s LIMIT %s) ORDER BY rank LIMIT %s",
            [expression, NAME_WINDOW, limit],
        )

    def ranked(self, limit: int, *, matches: int) -> list[int]:
        expression = fts5_match(self.parsed)
        if self._common("discovery_fts"):
            return self._rows(
                "SELECT rowid FROM discovery_fts WHERE discovery_fts MATCH %s LIMIT %s",
                [expression, limit],
            )
        if matches <= RANK_WINDOW:
            return self._rows(
                "SELECT rowid FROM discovery_fts WHERE discovery_fts MATCH %s "
                "ORDER BY rank LIMIT %s",
                [expression, limit],
            )
        return self._rows(
            "SELECT rowid FROM (SELECT rowid, rank FROM discovery_fts "
            "WHERE discovery_fts MATCH %s LIMIT %s) ORDER BY rank LIMIT %s",
            [expression, RANK_WINDOW, limit],
        )

    def matched(self, limit: int) -> np.ndarray:
        self.cursor.execute(
            f"SELECT {self.ID_LIST.format('rowid')} FROM (SELECT rowid "  # noqa: S608 (fixed)
            "FROM discovery_fts WHERE discovery_fts MATCH %s LIMIT %s)",
            [fts5_match(self.parsed), limit],
        )
        return _ids(self.cursor.fetchone()[0])


class _Postgres(_Backend):
    """tsvector side tables of migration 0003: ``discovery_kwtext`` and ``discovery_kwname``.

    ``matched`` asks GIN for the AND of every token (prefix on the last one where typed so):
    exact in the index, no heap recheck. When the query has multi-token phrases (bigrams of a
    CJK word, "polar bear") and at most ``PG_PHRASE_CHECK_BELOW`` titles hold all the tokens,
    the phrase query (``<->``, rechecked row by row) replaces it, so small result sets are
    exact; above that, ``matched`` keeps the AND superset (measured: adjacency rarely
    changes a large set; facet counts are then approximate by those few titles). ``names``
    and ``ranked`` always use the phrase query, so every ranked id is a true phrase match.
    """

    ID_LIST = "string_agg({}::text, ',')"

    def __init__(self, cursor, parsed: ParsedQuery) -> None:
        super().__init__(cursor, parsed)
        self.phrase = tsquery(parsed)
        self.loose = tsquery(parsed, phrases=False)

    def _rows(self, sql: str, params: list) -> list[int]:
        self.cursor.execute(sql, params)
        return [row[0] for row in self.cursor.fetchall()]

    def names(self, limit: int) -> list[int]:
        return self._rows(
            "SELECT title_id FROM (SELECT title_id, ts_rank(tsv, q) AS score "
            "FROM discovery_kwname, to_tsquery('simple', %s) q "
            "WHERE tsv @@ q LIMIT %s) hits ORDER BY score DESC, title_id LIMIT %s",
            [self.phrase, PG_NAME_WINDOW, limit],
        )

    @contextmanager
    def session(self) -> Iterator[None]:
        # The planner prices ``tsv @@ q`` as cheap and picks a sequential scan for a word in
        # most rows, which de-TOASTs every tsvector (1.6 s at 100k titles); the bitmap scan
        # of the GIN index needs no recheck for such a query (0.1 s cold, far less warm).
        with transaction.atomic():
            self.cursor.execute(
                "SELECT current_setting('enable_seqscan'), "
                "set_config('enable_seqscan', 'off', true)"
            )
            previous = self.cursor.fetchone()[0]
            yield
            self.cursor.execute("SELECT set_config('enable_seqscan', %s, true)", [previous])

    def ranked(self, limit: int, *, matches: int) -> list[int]:
        return self._rows(
            "SELECT title_id FROM (SELECT title_id, ts_rank(tsv, q) AS score "
            "FROM discovery_kwtext, to_tsquery('simple', %s) q "
            "WHERE tsv @@ q LIMIT %s) hits ORDER BY score DESC, title_id LIMIT %s",
            [self.phrase, PG_RANK_WINDOW, limit],
        )

    def _matched(self, text: str, limit: int) -> np.ndarray:
        self.cursor.execute(
            f"SELECT {self.ID_LIST.format('title_id')} FROM (SELECT title_id "  # noqa: S608 (fixed)
            "FROM discovery_kwtext WHERE tsv @@ to_tsquery('simple', %s) LIMIT %s) m",
            [text, limit],
        )
        return _ids(self.cursor.fetchone()[0])

    def matched(self, limit: int) -> np.ndarray:
        ids = self._matched(self.loose, limit)
        if self.phrase != self.loose and len(ids) <= PG_PHRASE_CHECK_BELOW:
            ids = self._matched(self.phrase, limit)
        return ids


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
    with connection.cursor() as cursor:
        backend = backend_class(cursor, parsed)
        exact = backend.exact(key)
        with backend.session():
            matched = backend.matched(max_matches)
            if len(exact):
                matched = np.union1d(matched, exact)
            ranked = exact[:limit].tolist()
            seen = set(exact.tolist())
            for title_id in backend.names(limit):
                if title_id not in seen:
                    seen.add(title_id)
                    ranked.append(title_id)
            if len(ranked) < limit:
                for title_id in backend.ranked(limit + len(seen), matches=len(matched)):
                    if title_id not in seen:
                        seen.add(title_id)
                        ranked.append(title_id)
    return KeywordResult(ranked=ranked[:limit], matched=matched, exact=frozenset(exact.tolist()))


__all__ = ["KeywordResult", "keyword_available", "keyword_search"]

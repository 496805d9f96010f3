"""Facet filters and disjunctive counts over the whole catalogue, in numpy.

Pure (no Django). One :class:`FacetIndex` holds, per title *position*, a few columns
(title id, published, owner, year, cell) and an :class:`AvailsIndex` for the availability
filter.

Cells
-----
Titles are dictionary-encoded by their facet values: a *cell* is one distinct combination
of (kind, stage, new this market, genres, origin countries, languages), and each title
stores its cell id. Catalogues have far fewer cells than titles, and every facet filter
(OR inside a facet, AND across facets) depends on the cell only, so filters are evaluated
once per cell and mapped to titles with one gather. Disjunctive counts (facet F counted
with every filter except F's own) need one histogram of cells over the candidate set
(base & published & owner/year/avails filters): each facet's counts are then a weighted
sum over cells that pass the *other* facets' filters. No Python loop over titles at query
time; new values (a new language tag) just grow the vocabularies.

Positions of removed titles go to a free list and are reused by later upserts; the
title-id lookup is a sorted numpy array kept up to date incrementally.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from reelmarket.catalogue.avails.index import AvailsIndex, Segment, country_mask
from reelmarket.catalogue.avails.territories import expand

__all__ = [
    "FACETS",
    "AvailsQuery",
    "FacetFilters",
    "FacetIndex",
    "FacetRecord",
]

FACETS: tuple[str, ...] = ("kind", "genre", "country", "language", "stage", "new")
"""Facet names, as used by ``skip=`` and as keys of :meth:`FacetIndex.counts`."""

_NO_YEAR = 0


@dataclass(frozen=True)
class FacetRecord:
    """One title's facet values and availability segments (per media value)."""

    title_id: int
    kind: str
    stage: str
    new_this_market: bool
    published: bool
    owner_id: int | None
    year: int | None
    genres: Sequence[str] = ()
    countries: Sequence[str] = ()
    languages: Sequence[str] = ()
    avails: Mapping[str, Sequence[Segment]] = field(default_factory=dict)


@dataclass(frozen=True)
class AvailsQuery:
    """Available for ``media`` in the countries (a mask, or a territory code to expand) on
    ``start``..``end``, exclusively or not."""

    media: str
    start: date
    end: date
    exclusive: bool
    countries_mask: int | None = None
    territory: str | None = None

    def mask(self) -> int:
        if self.countries_mask is not None:
            return self.countries_mask
        if self.territory is None:
            raise ValueError("AvailsQuery needs countries_mask or territory")
        return country_mask(expand(include=[self.territory]))


@dataclass(frozen=True)
class FacetFilters:
    """OR inside a facet, AND across facets; empty tuples / ``None`` filter nothing."""

    kinds: tuple[str, ...] = ()
    genres: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    new_only: bool = False
    owner_id: int | None = None
    year_min: int | None = None
    year_max: int | None = None
    avails: AvailsQuery | None = None


class _Column:
    """A growable numpy column."""

    __slots__ = ("data", "size")

    def __init__(self, dtype: type, fill: object = 0) -> None:
        self.data = np.full(16, fill, dtype=dtype)
        self.size = 0

    def append(self, values: Sequence[object] | np.ndarray) -> None:
        need = self.size + len(values)
        if need > len(self.data):
            grown = np.zeros(max(need, 2 * len(self.data)), dtype=self.data.dtype)
            grown[: self.size] = self.data[: self.size]
            self.data = grown
        self.data[self.size : need] = values
        self.size = need

    @property
    def view(self) -> np.ndarray:
        return self.data[: self.size]


class _Vocab:
    """Values of one facet <-> dense codes; grows when a new value shows up."""

    def __init__(self) -> None:
        self.codes: dict[str, int] = {}
        self.values: list[str] = []

    def code(self, value: str) -> int:
        found = self.codes.get(value)
        if found is None:
            found = self.codes[value] = len(self.values)
            self.values.append(value)
        return found

    def known(self, values: Iterable[str]) -> np.ndarray:
        return np.array([self.codes[v] for v in values if v in self.codes], dtype=np.int32)


_Key = tuple[int, int, bool, tuple[int, ...], tuple[int, ...], tuple[int, ...]]


class _Cells:
    """Distinct facet-value combinations and their per-facet codes."""

    def __init__(self) -> None:
        self.vocab = {name: _Vocab() for name in ("kind", "stage", "genre", "country", "language")}
        self.ids: dict[_Key, int] = {}
        self.kind = _Column(np.int32)
        self.stage = _Column(np.int32)
        self.new = _Column(np.bool_)
        # multi-valued facets: (cell, value code) pairs
        self.pairs = {name: (_Column(np.int32), _Column(np.int32)) for name in FACETS[1:4]}

    def __len__(self) -> int:
        return len(self.ids)

    def cell(self, record: FacetRecord) -> int:
        vocab = self.vocab
        multi = {
            "genre": tuple(sorted({vocab["genre"].code(v) for v in record.genres})),
            "country": tuple(sorted({vocab["country"].code(v) for v in record.countries})),
            "language": tuple(sorted({vocab["language"].code(v) for v in record.languages})),
        }
        key: _Key = (
            vocab["kind"].code(record.kind),
            vocab["stage"].code(record.stage),
            bool(record.new_this_market),
            multi["genre"],
            multi["country"],
            multi["language"],
        )
        found = self.ids.get(key)
        if found is not None:
            return found
        cell = self.ids[key] = len(self.ids)
        self.kind.append([key[0]])
        self.stage.append([key[1]])
        self.new.append([key[2]])
        for name, codes in multi.items():
            cells, values = self.pairs[name]
            cells.append([cell] * len(codes))
            values.append(codes)
        return cell

    def ok(self, filters: FacetFilters) -> dict[str, np.ndarray]:
        """Per active facet filter: which cells pass it."""
        result: dict[str, np.ndarray] = {}
        single = (("kind", filters.kinds, self.kind), ("stage", filters.stages, self.stage))
        for name, wanted, column in single:
            if wanted:
                result[name] = np.isin(column.view, self.vocab[name].known(wanted))
        multi = (
            ("genre", filters.genres),
            ("country", filters.countries),
            ("language", filters.languages),
        )
        for name, wanted in multi:
            if wanted:
                cells, values = self.pairs[name]
                ok = np.zeros(len(self), dtype=bool)
                ok[cells.view[np.isin(values.view, self.vocab[name].known(wanted))]] = True
                result[name] = ok
        if filters.new_only:
            result["new"] = self.new.view.copy()
        return result

    def counts(self, name: str, weights: np.ndarray) -> np.ndarray:
        """Per value code of facet ``name``: the sum of ``weights`` (per cell)."""
        if name == "new":
            new = self.new.view
            return np.array([weights[~new].sum(), weights[new].sum()])
        if name in ("kind", "stage"):
            column = (self.kind if name == "kind" else self.stage).view
            return np.bincount(column, weights=weights, minlength=len(self.vocab[name].values))
        cells, values = self.pairs[name]
        return np.bincount(
            values.view, weights=weights[cells.view], minlength=len(self.vocab[name].values)
        )


class FacetIndex:
    """Facet columns of every title, by position; see the module docstring."""

    def __init__(self) -> None:
        self._cells = _Cells()
        self._title_id = _Column(np.int64, -1)
        self._cell = _Column(np.int32)
        self._owner = _Column(np.int64)
        self._year = _Column(np.int32)
        self._published = _Column(np.bool_)
        self._avails = AvailsIndex()
        self._free: list[int] = []
        self._ids_sorted = np.zeros(0, dtype=np.int64)
        self._pos_sorted = np.zeros(0, dtype=np.int64)
        self._version = 0
        self._avails_cache: tuple[tuple[object, ...], np.ndarray, np.ndarray] | None = None

    # ---------------------------------------------------------------- building / updating

    @classmethod
    def build(cls, records: Iterable[FacetRecord]) -> FacetIndex:
        index = cls()
        index.upsert(records)
        return index

    @property
    def size(self) -> int:
        """Number of titles held (removed ones not counted)."""
        return len(self._ids_sorted)

    @property
    def positions(self) -> int:
        """Length of every per-position array (titles plus free positions)."""
        return self._title_id.size

    @property
    def avails(self) -> AvailsIndex:
        return self._avails

    @property
    def nbytes(self) -> int:
        columns = (self._title_id, self._cell, self._owner, self._year, self._published)
        total = sum(c.data.nbytes for c in columns)
        total += self._ids_sorted.nbytes + self._pos_sorted.nbytes + self._avails.nbytes
        cells = self._cells
        total += cells.kind.data.nbytes + cells.stage.data.nbytes + cells.new.data.nbytes
        for a, b in cells.pairs.values():
            total += a.data.nbytes + b.data.nbytes
        return total

    def upsert(self, records: Iterable[FacetRecord]) -> None:
        """Add or replace titles (by ``title_id``)."""
        batch = list({r.title_id: r for r in records}.values())
        if not batch:
            return
        ids = np.fromiter((r.title_id for r in batch), dtype=np.int64, count=len(batch))
        existing = self.positions_of(ids)
        positions = existing.copy()
        new = np.flatnonzero(existing < 0)
        reused = min(len(new), len(self._free))
        for i in range(reused):
            positions[new[i]] = self._free.pop()
        appended = len(new) - reused
        first = self._title_id.size
        positions[new[reused:]] = np.arange(first, first + appended)
        if appended:
            for column, fill in (
                (self._title_id, -1),
                (self._cell, 0),
                (self._owner, 0),
                (self._year, _NO_YEAR),
                (self._published, False),
            ):
                column.append(np.full(appended, fill, dtype=column.data.dtype))
        cells = np.fromiter((self._cells.cell(r) for r in batch), dtype=np.int32, count=len(batch))
        self._title_id.view[positions] = ids
        self._cell.view[positions] = cells
        self._owner.view[positions] = [r.owner_id or 0 for r in batch]
        self._year.view[positions] = [_NO_YEAR if r.year is None else r.year for r in batch]
        self._published.view[positions] = [bool(r.published) for r in batch]
        for position, record in zip(positions.tolist(), batch, strict=True):
            self._avails.update(position, record.avails)
        if len(new):
            self._index_ids(ids[new], positions[new])
        self._changed()

    def remove(self, title_ids: np.ndarray | Sequence[int]) -> None:
        """Forget titles (unknown ids are ignored); their positions are reused later."""
        positions = self.positions_of(np.asarray(title_ids, dtype=np.int64))
        positions = np.unique(positions[positions >= 0])
        if not len(positions):
            return
        self._title_id.view[positions] = -1
        self._published.view[positions] = False
        for position in positions.tolist():
            self._avails.remove(position)
        self._free.extend(positions.tolist())
        gone = np.isin(self._pos_sorted, positions)
        self._ids_sorted = self._ids_sorted[~gone]
        self._pos_sorted = self._pos_sorted[~gone]
        self._changed()

    def _index_ids(self, ids: np.ndarray, positions: np.ndarray) -> None:
        order = np.argsort(ids, kind="stable")
        ids, positions = ids[order], positions[order]
        at = np.searchsorted(self._ids_sorted, ids)
        self._ids_sorted = np.insert(self._ids_sorted, at, ids)
        self._pos_sorted = np.insert(self._pos_sorted, at, positions)

    def _changed(self) -> None:
        self._version += 1
        self._avails_cache = None

    # ---------------------------------------------------------------- lookups

    def positions_of(self, title_ids: np.ndarray) -> np.ndarray:
        """Positions of ``title_ids`` (int64 array), ``-1`` for ids not in the index."""
        title_ids = np.asarray(title_ids, dtype=np.int64)
        if not len(self._ids_sorted):
            return np.full(len(title_ids), -1, dtype=np.int64)
        at = np.searchsorted(self._ids_sorted, title_ids)
        at = np.minimum(at, len(self._ids_sorted) - 1)
        found = self._ids_sorted[at] == title_ids
        return np.where(found, self._pos_sorted[at], -1)

    def mask_of(self, title_ids: np.ndarray | Sequence[int]) -> np.ndarray:
        """Bool array over positions, True at the positions of ``title_ids``."""
        mask = np.zeros(self.positions, dtype=bool)
        positions = self.positions_of(np.asarray(title_ids, dtype=np.int64))
        mask[positions[positions >= 0]] = True
        return mask

    def title_ids(self, mask: np.ndarray) -> np.ndarray:
        """Title ids where ``mask`` (over positions) is True, in position order."""
        return self._title_id.view[mask]

    def browse_order(self, mask: np.ndarray) -> np.ndarray:
        """Title ids where ``mask`` is True, newest (highest id) first."""
        return np.sort(self.title_ids(mask))[::-1]

    # ---------------------------------------------------------------- queries

    def _candidates(self, filters: FacetFilters, base: np.ndarray | None) -> np.ndarray:
        """Published & base & owner, year and availability filters (no facet filters)."""
        pre = self._published.view.copy()
        if base is not None:
            pre &= base
        if filters.owner_id is not None:
            pre &= self._owner.view == filters.owner_id
        if filters.year_min is not None or filters.year_max is not None:
            year = self._year.view
            pre &= year != _NO_YEAR
            if filters.year_min is not None:
                pre &= year >= filters.year_min
            if filters.year_max is not None:
                pre &= year <= filters.year_max
        if filters.avails is not None:
            pre &= self._available(filters.avails, pre)
        return pre

    def _available(self, query: AvailsQuery, within: np.ndarray) -> np.ndarray:
        """Availability at the positions of ``within`` (False elsewhere). The last answer
        is reused for the same question on the same or a smaller ``within`` (as when
        mask() and then counts() with a keyword base ask it)."""
        key = (query.media, query.mask(), query.start, query.end, query.exclusive)
        cached = self._avails_cache
        if cached is not None and cached[0] == key and not (within & ~cached[1]).any():
            return cached[2] & within
        result = np.zeros(self.positions, dtype=bool)
        available = self._avails.available(
            media=query.media,
            countries_mask=key[1],
            start=query.start,
            end=query.end,
            exclusive=query.exclusive,
            within=within,
        )
        result[: len(available)] = available
        self._avails_cache = (key, within.copy(), result)
        return result

    def _cells_ok(self, oks: Mapping[str, np.ndarray], skip: str | None) -> np.ndarray | None:
        ok: np.ndarray | None = None
        for name, passed in oks.items():
            if name != skip:
                ok = passed.copy() if ok is None else ok & passed
        return ok

    def mask(
        self,
        filters: FacetFilters,
        *,
        base: np.ndarray | None = None,
        skip: str | None = None,
    ) -> np.ndarray:
        """Bool array over positions: published titles passing every filter (but the
        facet ``skip``'s own), inside ``base`` when given."""
        if skip is not None and skip not in FACETS:
            raise ValueError(f"Unknown facet {skip!r}; use one of {', '.join(FACETS)}")
        pre = self._candidates(filters, base)
        ok = self._cells_ok(self._cells.ok(filters), skip)
        if ok is not None:
            pre &= np.take(ok, self._cell.view)
        return pre

    def counts(
        self, filters: FacetFilters, *, base: np.ndarray | None = None
    ) -> dict[str, dict[str, int]]:
        """Disjunctive counts per facet: value -> number of titles passing every filter
        except the facet's own. Zero counts are left out, except for selected values.
        ``new`` counts titles new (``"true"``) or not (``"false"``) this market."""
        pre = self._candidates(filters, base)
        return self._counts(pre, self._cells.ok(filters), filters)

    def evaluate(
        self, filters: FacetFilters, *, base: np.ndarray | None = None
    ) -> tuple[np.ndarray, dict[str, dict[str, int]]]:
        """``(mask(filters, base=base), counts(filters, base=base))`` sharing the work."""
        pre = self._candidates(filters, base)
        oks = self._cells.ok(filters)
        counts = self._counts(pre, oks, filters)
        ok = self._cells_ok(oks, None)
        if ok is not None:
            pre &= np.take(ok, self._cell.view)
        return pre, counts

    def _counts(
        self, pre: np.ndarray, oks: Mapping[str, np.ndarray], filters: FacetFilters
    ) -> dict[str, dict[str, int]]:
        n_cells = len(self._cells)
        hist = np.bincount(self._cell.view[pre], minlength=n_cells).astype(np.float64)
        selected = {
            "kind": filters.kinds,
            "genre": filters.genres,
            "country": filters.countries,
            "language": filters.languages,
            "stage": filters.stages,
            "new": ("true",) if filters.new_only else (),
        }
        result: dict[str, dict[str, int]] = {}
        for name in FACETS:
            ok = self._cells_ok(oks, name)
            weights = hist if ok is None else hist * ok
            totals = self._cells.counts(name, weights)
            values = ["false", "true"] if name == "new" else self._cells.vocab[name].values
            counted = {v: int(c) for v, c in zip(values, totals.tolist(), strict=True) if c}
            for value in selected[name]:
                counted.setdefault(value, 0)
            result[name] = dict(sorted(counted.items(), key=lambda item: (-item[1], item[0])))
        return result

"""Availability segments and a vectorised evaluator over many titles.

Pure (numpy, no Django). Gives exactly the answers of
:func:`reelmarket.catalogue.avails.algebra.check_availability` (``.available``), for a
whole catalogue at once.

Segments
--------
For one title and one media, the timeline is cut into elementary intervals on which, for
every country, four facts are constant: *held* (some window covers the day), *held
exclusively* (some exclusive window does), *out* (some on-hold / sold window does) and *out
exclusively*. The algebra's rules (a)(b)(c) then reduce to two country masks per segment:

* ``nonexcl = held & ~out_exclusive`` - countries where a non-exclusive query is fine
  (held, and no exclusive out window; a non-exclusive out window does not conflict);
* ``excl = held_exclusive & ~out_any`` - countries where an exclusive query is fine
  (held exclusively, and no out window of any kind).

A query (media, countries Q, [start, end], exclusive) is available iff the segments of that
media cover every day of [start, end] and each of them has Q inside its mask. Segments where
both masks are empty are dropped (they can never serve a query: same as a gap), and adjacent
segments with equal masks are merged, so the representation is canonical.

Countries are bits in the fixed order ``sorted(COUNTRY_CODES)`` (bit 0 = "AD"); masks are
Python ints (256 bits) or 4 x uint64 words in arrays. Days are ordinals
(``date.toordinal()``); the open end is ``OPEN_END`` (``date.max``), inclusive.

Index
-----
:class:`AvailsIndex` holds, per media, a table of distinct *profiles* (a title's segment
list for that media; titles with identical rights share one) and, per title position, the
profile id. A query evaluates every profile with a handful of numpy passes (clipped
lengths of the segments whose mask contains Q, summed per profile with ``add.reduceat``,
compared with the term length) and maps the answer to titles with one gather. Updates
replace a title's profile id; unused profiles are dropped by :meth:`AvailsIndex.compact`,
which runs by itself when more than half of the rows are dead.
"""

from __future__ import annotations

import functools
from array import array
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

import numpy as np

from reelmarket.catalogue.avails.algebra import Window, WindowStatus
from reelmarket.catalogue.avails.territories import COUNTRY_CODES, UnknownTerritory

__all__ = [
    "COUNTRY_ORDER",
    "OPEN_END",
    "AvailsIndex",
    "Segment",
    "country_mask",
    "mask_countries",
    "mask_words",
    "segments_from_json",
    "segments_to_json",
    "title_segments",
]

OPEN_END: int = date.max.toordinal()
"""Ordinal standing for "open-ended" (the algebra uses the same value)."""

COUNTRY_ORDER: tuple[str, ...] = tuple(sorted(COUNTRY_CODES))
"""Bit ``i`` of a country mask is ``COUNTRY_ORDER[i]``."""

_BIT: dict[str, int] = {code: i for i, code in enumerate(COUNTRY_ORDER)}
_WORDS = 4
_WORD = (1 << 64) - 1
assert len(COUNTRY_ORDER) <= 64 * _WORDS

Segments = Mapping[str, Sequence["Segment"]]
"""Per media value (``"svod"``), a title's segments sorted by start."""


@dataclass(frozen=True, slots=True)
class Segment:
    """Days ``start``..``end`` (inclusive ordinals) with constant availability masks."""

    start: int
    end: int
    nonexcl: int
    excl: int


def country_mask(codes: Iterable[str]) -> int:
    """The bit mask of country codes. Raises :class:`UnknownTerritory` for any other code
    (group codes must be expanded first)."""
    if isinstance(codes, str):
        raise TypeError(f"codes must be a collection of country codes, not {codes!r}")
    mask = 0
    for code in codes:
        bit = _BIT.get(code)
        if bit is None:
            raise UnknownTerritory(code)
        mask |= 1 << bit
    return mask


@functools.lru_cache(maxsize=65_536)
def _cached_mask(codes: frozenset[str]) -> int:
    """:func:`country_mask` of a frozen set, memoised (titles reuse a few territory sets)."""
    return country_mask(codes)


def mask_countries(mask: int) -> frozenset[str]:
    """The country codes of a mask (inverse of :func:`country_mask`)."""
    return frozenset(code for i, code in enumerate(COUNTRY_ORDER) if mask >> i & 1)


def mask_words(mask: int) -> tuple[int, int, int, int]:
    """A mask as 4 x 64-bit words, least significant first."""
    return tuple((mask >> (64 * w)) & _WORD for w in range(_WORDS))  # type: ignore[return-value]


# --------------------------------------------------------------------------------------
# Windows -> segments


def _media_segments(windows: list[tuple[int, int, int, bool, bool]]) -> list[Segment]:
    """Segments of one media from (first, last, mask, exclusive, out) windows."""
    cuts = sorted({w[0] for w in windows} | {w[1] + 1 for w in windows})
    segments: list[Segment] = []
    for lo, nxt in pairwise(cuts):
        hi = nxt - 1
        held = held_x = out = out_x = 0
        for first, last, mask, exclusive, is_out in windows:
            if first <= lo and hi <= last:
                held |= mask
                if exclusive:
                    held_x |= mask
                if is_out:
                    out |= mask
                    if exclusive:
                        out_x |= mask
        nonexcl, excl = held & ~out_x, held_x & ~out
        if not nonexcl and not excl:
            continue
        if segments:
            prev = segments[-1]
            if prev.end + 1 == lo and prev.nonexcl == nonexcl and prev.excl == excl:
                segments[-1] = Segment(prev.start, hi, nonexcl, excl)
                continue
        segments.append(Segment(lo, hi, nonexcl, excl))
    return segments


def title_segments(windows: Iterable[Window]) -> dict[str, list[Segment]]:
    """A title's availability segments per media value (media without any usable day are
    left out)."""
    by_media: dict[str, list[tuple[int, int, int, bool, bool]]] = defaultdict(list)
    for w in windows:
        if not w.countries:
            continue
        last = OPEN_END if w.end is None else w.end.toordinal()
        by_media[str(w.media)].append(
            (
                w.start.toordinal(),
                last,
                _cached_mask(frozenset(w.countries)),
                w.exclusive,
                w.status is not WindowStatus.AVAILABLE,
            )
        )
    result: dict[str, list[Segment]] = {}
    for media in sorted(by_media):
        segments = _media_segments(by_media[media])
        if segments:
            result[media] = segments
    return result


def segments_to_json(segments: Segments) -> dict[str, object]:
    """Compact JSON form: ``{"masks": [hex, ...], "media": {media: [[start, end, i, j]]}}``
    where ``i`` / ``j`` index the non-exclusive / exclusive mask in ``masks``."""
    masks: dict[int, int] = {}

    def ref(mask: int) -> int:
        return masks.setdefault(mask, len(masks))

    media = {
        name: [[s.start, s.end, ref(s.nonexcl), ref(s.excl)] for s in segs]
        for name, segs in sorted(segments.items())
        if segs
    }
    return {"masks": [format(m, "x") for m in masks], "media": media}


def segments_from_json(data: Mapping[str, object] | None) -> dict[str, list[Segment]]:
    """Inverse of :func:`segments_to_json` (an empty mapping gives no segments)."""
    if not data:
        return {}
    masks = [int(m, 16) for m in data["masks"]]  # type: ignore[union-attr]
    media: Mapping[str, list[list[int]]] = data["media"]  # type: ignore[assignment]
    return {
        name: [Segment(s, e, masks[i], masks[j]) for s, e, i, j in rows]
        for name, rows in media.items()
    }


# --------------------------------------------------------------------------------------
# The vectorised index


class _Grow:
    """An append-only numpy column with amortised growth."""

    __slots__ = ("data", "size")

    def __init__(self, dtype: type | np.dtype, width: int = 0) -> None:
        shape = (16, width) if width else (16,)
        self.data = np.zeros(shape, dtype=dtype)
        self.size = 0

    def extend(self, values: np.ndarray) -> None:
        need = self.size + len(values)
        if need > len(self.data):
            shape = (max(need, 2 * len(self.data)), *self.data.shape[1:])
            grown = np.zeros(shape, dtype=self.data.dtype)
            grown[: self.size] = self.data[: self.size]
            self.data = grown
        self.data[self.size : need] = values
        self.size = need

    @property
    def view(self) -> np.ndarray:
        return self.data[: self.size]


class _Pairs:
    """Distinct (nonexcl, excl) mask pairs, as 4 x uint64 word arrays."""

    def __init__(self) -> None:
        self.ids: dict[tuple[int, int], int] = {}
        self.nonexcl = _Grow(np.uint64, _WORDS)
        self.excl = _Grow(np.uint64, _WORDS)

    def id(self, nonexcl: int, excl: int) -> int:
        key = (nonexcl, excl)
        found = self.ids.get(key)
        if found is None:
            found = self.ids[key] = len(self.ids)
            self.nonexcl.extend(np.array([mask_words(nonexcl)], dtype=np.uint64))
            self.excl.extend(np.array([mask_words(excl)], dtype=np.uint64))
        return found

    def ok(self, mask: int, exclusive: bool) -> np.ndarray:
        """Per pair: does the relevant mask contain ``mask``?"""
        table = (self.excl if exclusive else self.nonexcl).view
        ok = np.ones(len(table), dtype=bool)
        for w, word in enumerate(mask_words(mask)):
            if word:
                q = np.uint64(word)
                ok &= (table[:, w] & q) == q
        return ok


_ProfileKey = bytes
"""A profile's rows (start, end, pair id) packed as int32 values."""


class _MediaTable:
    """Distinct profiles of one media (CSR rows) and each title's profile id."""

    def __init__(self, pairs: _Pairs) -> None:
        self.pairs = pairs
        self.ids: dict[_ProfileKey, int] = {b"": 0}  # profile 0: no rights
        self.rows: list[int] = [0]  # rows per profile
        self.refs: list[int] = [0]
        self.indptr = _Grow(np.int64)
        self.indptr.extend(np.zeros(2, dtype=np.int64))
        self.start = _Grow(np.int32)
        self.end = _Grow(np.int32)
        self.pair = _Grow(np.int32)
        self.of_title = np.zeros(0, dtype=np.int32)
        self.dead_rows = 0
        self.pending = array("i")
        self.pending_indptr: list[int] = []
        self.pending_rows = 0

    def profile(self, segments: Sequence[Segment]) -> int:
        """The id of the profile made of ``segments`` (added when new)."""
        pair_id = self.pairs.id
        values = array("i")
        for s in segments:
            values.extend((s.start, s.end, pair_id(s.nonexcl, s.excl)))
        key = values.tobytes()
        found = self.ids.get(key)
        return self.add(key, values) if found is None else found

    def add(self, key: _ProfileKey, values: array[int]) -> int:
        profile = self.ids[key] = len(self.rows)
        count = len(values) // 3
        self.rows.append(count)
        self.refs.append(0)
        self.dead_rows += count  # unused until assigned
        self.pending.extend(values)
        self.pending_rows += count
        self.pending_indptr.append(self.pending_rows)
        return profile

    def flush(self) -> None:
        """Move profiles added since the last flush into the numpy arrays."""
        if not self.pending_indptr:
            return
        rows = np.frombuffer(self.pending, dtype=np.int32).reshape(-1, 3)
        self.start.extend(rows[:, 0])
        self.end.extend(rows[:, 1])
        self.pair.extend(rows[:, 2])
        self.indptr.extend(np.array(self.pending_indptr, dtype=np.int64))
        self.pending, self.pending_indptr = array("i"), []
        self.pending_rows = self.start.size

    def assign(self, position: int, profile: int) -> None:
        old = int(self.of_title[position])
        if old == profile:
            return
        self.refs[old] -= 1
        if not self.refs[old]:
            self.dead_rows += self.rows[old]
        if not self.refs[profile]:
            self.dead_rows -= self.rows[profile]
        self.refs[profile] += 1
        self.of_title[position] = profile

    def compacted(self) -> _MediaTable:
        """A copy without the profiles no title uses."""
        self.flush()
        refs = np.array(self.refs, dtype=np.int64)
        live = refs > 0
        live[0] = True
        remap = np.cumsum(live) - 1
        table = _MediaTable(self.pairs)
        lengths = np.array(self.rows, dtype=np.int64)
        keep = np.repeat(live, lengths)
        table.start.extend(self.start.view[keep])
        table.end.extend(self.end.view[keep])
        table.pair.extend(self.pair.view[keep])
        table.indptr.extend(np.cumsum(lengths[live][1:]))
        table.rows = lengths[live].tolist()
        table.refs = refs[live].tolist()
        table.ids = {key: int(remap[old]) for key, old in self.ids.items() if live[old]}
        table.pending_rows = table.start.size
        table.of_title = remap.astype(np.int32)[self.of_title]
        return table

    def resize(self, capacity: int) -> None:
        grown = np.zeros(capacity, dtype=np.int32)
        grown[: len(self.of_title)] = self.of_title
        self.refs[0] += capacity - len(self.of_title)
        self.of_title = grown

    def evaluate(
        self,
        mask: int,
        lo: int,
        hi: int,
        exclusive: bool,
        profiles: np.ndarray | None = None,
    ) -> np.ndarray:
        """Per profile: available for ``mask`` on ``lo``..``hi``? With ``profiles``, only
        those are evaluated (the others read False)."""
        self.flush()
        ok = np.zeros(len(self.rows), dtype=bool)
        if len(self.rows) == 1:
            return ok
        pair_ok = self.pairs.ok(mask, exclusive)
        indptr = self.indptr.view
        if profiles is None:
            start, end, pair = self.start.view, self.end.view, self.pair.view
            firsts = indptr[1:-1]
            targets: np.ndarray | slice = slice(1, None)
        else:
            profiles = profiles[profiles > 0]
            if not len(profiles):
                return ok
            firsts = indptr[profiles]
            counts = indptr[profiles + 1] - firsts
            offsets = np.cumsum(counts) - counts
            rows = np.repeat(firsts - offsets, counts) + np.arange(int(counts.sum()))
            start, end, pair = self.start.view[rows], self.end.view[rows], self.pair.view[rows]
            firsts, targets = offsets, profiles
        length = np.minimum(end, hi)
        length -= np.maximum(start, lo)
        length += 1
        np.maximum(length, 0, out=length)
        length *= np.take(pair_ok, pair)
        ok[targets] = np.add.reduceat(length, firsts) == hi - lo + 1
        return ok


class AvailsIndex:
    """Availability of titles at positions ``0..size-1``, for vectorised queries."""

    def __init__(self) -> None:
        self._pairs = _Pairs()
        self._media: dict[str, _MediaTable] = {}
        self._size = 0
        self._capacity = 0

    @classmethod
    def build(cls, titles: Sequence[Segments | None]) -> AvailsIndex:
        """An index of ``titles[i]`` at position ``i`` (``None``: no rights)."""
        index = cls()
        index._ensure(len(titles))
        for position, segments in enumerate(titles):
            for media, segs in (segments or {}).items():
                table = index._table(media)
                table.assign(position, table.profile(segs))
        return index

    @property
    def size(self) -> int:
        """Number of positions (titles), including empty ones."""
        return self._size

    @property
    def nbytes(self) -> int:
        """Memory held by the numpy arrays (Python dicts of profiles not included)."""
        total = self._pairs.nonexcl.data.nbytes + self._pairs.excl.data.nbytes
        for table in self._media.values():
            table.flush()
            total += table.of_title.nbytes + table.indptr.data.nbytes
            total += table.start.data.nbytes + table.end.data.nbytes + table.pair.data.nbytes
        return total

    def _ensure(self, size: int) -> None:
        if size > self._capacity:
            self._capacity = max(size, 2 * self._capacity, 16)
            for table in self._media.values():
                table.resize(self._capacity)
        self._size = max(self._size, size)

    def _table(self, media: str) -> _MediaTable:
        table = self._media.get(media)
        if table is None:
            table = self._media[media] = _MediaTable(self._pairs)
            table.resize(self._capacity)
        return table

    def update(self, position: int, segments: Segments | None) -> None:
        """Set (or replace) the segments of the title at ``position``."""
        self._ensure(position + 1)
        segments = segments or {}
        for media in segments.keys() - self._media.keys():
            self._table(media)
        for media, table in self._media.items():
            segs = segments.get(media)
            if segs:
                table.assign(position, table.profile(segs))
            elif table.of_title[position]:
                table.assign(position, 0)
        self._maybe_compact()

    def remove(self, position: int) -> None:
        """Forget the title at ``position`` (it becomes available nowhere)."""
        if position < self._size:
            self.update(position, None)

    def _maybe_compact(self) -> None:
        for table in self._media.values():
            if table.dead_rows > 10_000 and table.dead_rows * 2 > table.pending_rows:
                self.compact()
                return

    def compact(self) -> None:
        """Drop profiles no title uses any more."""
        for media, table in list(self._media.items()):
            self._media[media] = table.compacted()

    def available(
        self,
        *,
        media: str,
        countries_mask: int,
        start: date,
        end: date,
        exclusive: bool,
        within: np.ndarray | None = None,
    ) -> np.ndarray:
        """Bool array of length :attr:`size`: is each title available for the query?

        Same answer as ``check_availability(...).available`` on the title's windows.
        With ``within`` (bool array over positions), the answer is only computed there
        (False elsewhere) - much faster for a small candidate set.
        Raises ``ValueError`` for an empty mask or a term that ends before it starts.
        """
        if countries_mask <= 0:
            raise ValueError("Query has no countries")
        if start > end:
            raise ValueError(
                f"Query ends ({end.isoformat()}) before it starts ({start.isoformat()})"
            )
        table = self._media.get(str(media))
        if table is None:
            return np.zeros(self._size, dtype=bool)
        of_title = table.of_title[: self._size]
        profiles = None
        if within is not None:
            within = within[: self._size]
            if np.count_nonzero(within) * 8 < self._size:  # under 12.5 %: gather
                profiles = np.unique(of_title[within])
        ok = table.evaluate(countries_mask, start.toordinal(), end.toordinal(), exclusive, profiles)
        result = np.take(ok, of_title)
        if within is not None:
            result[: len(within)] &= within
            result[len(within) :] = False
        return result

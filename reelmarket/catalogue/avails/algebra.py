"""Rights & avails algebra: is a title available for media M in territory T from D1 to D2?

Pure Python (no Django). The Django side turns ``RightsWindow`` rows into :class:`Window`
values (territories already expanded to country codes) and asks :func:`check_availability`
or :func:`available_countries`.

Model
-----
* Every window, whatever its status, is a right the owner **holds** ("rights in") for its
  media x countries x term. ``exclusive=False`` means the owner holds only non-exclusive
  rights there. Terms are inclusive; ``end=None`` is open-ended (perpetual).
* ``ON_HOLD`` and ``SOLD`` windows are also rights **out**: licensed or reserved to a
  counterparty on top of being held. Their ``exclusive`` flag says whether the licence or
  hold is exclusive.
* A query is available iff for **every** requested country and **every** day of its term:

  (a) the day is covered by the union of held windows for that media and country (windows
      chain: 2024-2026 plus 2027-2030 covers 2025-2028);
  (b) for an exclusive query, the day is covered by an exclusive held window;
  (c) no out window for that media and country overlaps the day in a conflicting way: an
      exclusive query conflicts with any out window, a non-exclusive query only with an
      exclusive out window.

Reasons
-------
When a query is not available, :class:`Availability` carries :class:`Reason` values:

* ``NO_RIGHTS``: no window at all for the media in those countries (any term).
* ``OUTSIDE_WINDOW``: rights held there, but not on ``start``..``end`` (one reason per
  uncovered range).
* ``NON_EXCLUSIVE_ONLY``: exclusive query, but only non-exclusive rights held on
  ``start``..``end``.
* ``SOLD`` / ``ON_HOLD``: a conflicting out window overlaps the query on ``start``..``end``
  (the overlap), with its counterparty and ``ref``.

Countries sharing the same cause are grouped into one reason, so a worldwide query yields a
handful of reasons, not hundreds. Everything works on date intervals (day ordinals), never
day by day, and countries are evaluated once per distinct set of windows that touch them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from reelmarket.catalogue.avails.media import MEDIA_LABELS, Media
from reelmarket.catalogue.avails.territories import summarize

__all__ = [
    "Availability",
    "Query",
    "Reason",
    "ReasonCode",
    "Ref",
    "Window",
    "WindowStatus",
    "available_countries",
    "check_availability",
]


Ref = int | str | None
"""Identifier of a window's source row, echoed in reasons."""


class WindowStatus(StrEnum):
    AVAILABLE = "available"
    ON_HOLD = "on_hold"
    SOLD = "sold"


class ReasonCode(StrEnum):
    NO_RIGHTS = "no_rights"
    OUTSIDE_WINDOW = "outside_window"
    NON_EXCLUSIVE_ONLY = "non_exclusive_only"
    SOLD = "sold"
    ON_HOLD = "on_hold"


def _as_frozenset(value: Iterable[str]) -> frozenset[str]:
    if isinstance(value, str):
        raise TypeError(f"countries must be a collection of country codes, not {value!r}")
    return value if isinstance(value, frozenset) else frozenset(value)


@dataclass(frozen=True)
class Window:
    """One rights window of a title, countries already expanded.

    ``end`` is inclusive; ``None`` means open-ended. ``ref`` (the source row id) is echoed
    in reasons.
    """

    media: Media
    countries: frozenset[str]
    start: date
    end: date | None
    exclusive: bool
    status: WindowStatus
    counterparty: str = ""
    ref: Ref = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "countries", _as_frozenset(self.countries))
        object.__setattr__(self, "media", Media(self.media))
        object.__setattr__(self, "status", WindowStatus(self.status))
        if self.end is not None and self.end < self.start:
            raise ValueError(
                f"Window ends ({self.end.isoformat()}) before it starts ({self.start.isoformat()})"
            )


def _validate_term(start: date, end: date) -> None:
    if start > end:
        raise ValueError(f"Query ends ({end.isoformat()}) before it starts ({start.isoformat()})")


@dataclass(frozen=True)
class Query:
    """Media x countries (expanded) x inclusive term, exclusively or not."""

    media: Media
    countries: frozenset[str]
    start: date
    end: date
    exclusive: bool

    def __post_init__(self) -> None:
        object.__setattr__(self, "countries", _as_frozenset(self.countries))
        object.__setattr__(self, "media", Media(self.media))
        _validate_term(self.start, self.end)
        if not self.countries:
            raise ValueError("Query has no countries")


def _iso(day: date | None) -> str:
    return day.isoformat() if day is not None else "open-ended"


@dataclass(frozen=True)
class Reason:
    """Why (part of) a query is not available.

    ``countries`` is the subset of the query's countries the reason applies to. ``start`` /
    ``end`` is the affected part of the query term (``None`` for ``NO_RIGHTS``). For
    ``SOLD`` / ``ON_HOLD``, ``counterparty``, ``ref`` and ``exclusive`` describe the out
    window. For ``OUTSIDE_WINDOW``, ``held_until`` is the last held day right before the
    uncovered range and ``held_from`` the first held day right after it, when there is one.
    """

    code: ReasonCode
    media: Media
    countries: frozenset[str]
    start: date | None
    end: date | None
    counterparty: str = ""
    ref: Ref = None
    exclusive: bool = False
    held_until: date | None = None
    held_from: date | None = None

    @property
    def message(self) -> str:
        media = MEDIA_LABELS.get(self.media, str(self.media))
        where = summarize(codes=self.countries)
        term = f"from {_iso(self.start)} to {_iso(self.end)}"
        code = self.code
        if code == ReasonCode.NO_RIGHTS:
            return f"No {media} rights held in {where}"
        if code == ReasonCode.OUTSIDE_WINDOW:
            if self.held_until is not None and self.held_from is None:
                return f"{media} rights in {where} end on {_iso(self.held_until)}"
            if self.held_from is not None and self.held_until is None:
                return f"{media} rights in {where} start on {_iso(self.held_from)}"
            return f"No {media} rights held in {where} {term}"
        if code == ReasonCode.NON_EXCLUSIVE_ONLY:
            return f"Only non-exclusive {media} rights held in {where} {term}"
        who = f" {self.counterparty}" if self.counterparty else ""
        if code == ReasonCode.SOLD:
            how = "Sold" if self.exclusive else "Sold non-exclusively"
            to = f" to{who}" if who else ""
        else:
            how = "On hold" if self.exclusive else "On non-exclusive hold"
            to = f" for{who}" if who else ""
        return f"{how}{to} for {media} in {where} {term}"


@dataclass(frozen=True)
class Availability:
    """The answer: ``reasons`` is empty iff ``available``."""

    available: bool
    reasons: tuple[Reason, ...] = field(default=())

    def __bool__(self) -> bool:
        return self.available


# --------------------------------------------------------------------------------------
# Interval helpers. Intervals are inclusive (first, last) pairs of day ordinals.

_OPEN_END = date.max.toordinal()

_Interval = tuple[int, int]


def _merge(intervals: list[_Interval]) -> list[_Interval]:
    """Sorted union; touching intervals (last + 1 == next first) are joined."""
    if len(intervals) <= 1:
        return intervals
    intervals = sorted(intervals)
    merged = [intervals[0]]
    for first, last in intervals[1:]:
        prev_first, prev_last = merged[-1]
        if first <= prev_last + 1:
            if last > prev_last:
                merged[-1] = (prev_first, last)
        else:
            merged.append((first, last))
    return merged


def _gaps(merged: list[_Interval], lo: int, hi: int) -> list[_Interval]:
    """Maximal sub-ranges of [lo, hi] not covered by the sorted, merged intervals."""
    gaps: list[_Interval] = []
    cursor = lo
    for first, last in merged:
        if last < cursor:
            continue
        if first > hi:
            break
        if first > cursor:
            gaps.append((cursor, first - 1))
        cursor = last + 1
        if cursor > hi:
            return gaps
    if cursor <= hi:
        gaps.append((cursor, hi))
    return gaps


def _covers(merged: list[_Interval], day: int) -> bool:
    return any(first <= day <= last for first, last in merged)


def _subtract(ranges: list[_Interval], merged: list[_Interval]) -> list[_Interval]:
    """Parts of ``ranges`` not covered by the sorted, merged intervals."""
    out: list[_Interval] = []
    for lo, hi in ranges:
        out.extend(_gaps(merged, lo, hi))
    return out


def _day_or_none(ordinal: int | None) -> date | None:
    return None if ordinal is None else date.fromordinal(ordinal)


# --------------------------------------------------------------------------------------
# Evaluation.

# A fragment is a reason minus its countries and media:
# (code, start, end, counterparty, ref, exclusive, held_until, held_from), dates as ordinals.
_Fragment = tuple[ReasonCode, int | None, int | None, str, Ref, bool, int | None, int | None]

_NO_RIGHTS: _Fragment = (ReasonCode.NO_RIGHTS, None, None, "", None, False, None, None)


@dataclass(frozen=True, slots=True)
class _W:
    """A window reduced to what evaluation needs, with ordinal dates."""

    first: int
    last: int
    exclusive: bool
    out: bool
    code: ReasonCode
    counterparty: str
    ref: Ref


def _prepare(windows: Iterable[Window], media: Media) -> list[tuple[_W, frozenset[str]]]:
    prepared = []
    for w in windows:
        if w.media != media or not w.countries:
            continue
        status = w.status
        out = status is not WindowStatus.AVAILABLE
        # ``code`` only matters for out windows.
        code = ReasonCode.ON_HOLD if status is WindowStatus.ON_HOLD else ReasonCode.SOLD
        slim = _W(
            first=w.start.toordinal(),
            last=_OPEN_END if w.end is None else w.end.toordinal(),
            exclusive=w.exclusive,
            out=out,
            code=code,
            counterparty=w.counterparty,
            ref=w.ref,
        )
        prepared.append((slim, w.countries))
    return prepared


def _evaluate(ws: list[_W], lo: int, hi: int, exclusive: bool, *, stop: bool) -> list[_Fragment]:
    """Fragments for one country touched by exactly the windows ``ws`` (media already
    filtered). With ``stop=True``, returns as soon as one fragment is found."""
    if not ws:
        return [_NO_RIGHTS]
    fragments: list[_Fragment] = []
    held = _merge([(w.first, w.last) for w in ws])
    gaps = _gaps(held, lo, hi)
    for first, last in gaps:
        before, after = first - 1, last + 1
        held_until = before if _covers(held, before) else None
        held_from = after if _covers(held, after) else None
        fragments.append(
            (ReasonCode.OUTSIDE_WINDOW, first, last, "", None, False, held_until, held_from)
        )
        if stop:
            return fragments
    if exclusive:
        covered = _subtract([(lo, hi)], gaps) if gaps else [(lo, hi)]
        exclusive_held = _merge([(w.first, w.last) for w in ws if w.exclusive])
        for first, last in _subtract(covered, exclusive_held):
            fragments.append(
                (ReasonCode.NON_EXCLUSIVE_ONLY, first, last, "", None, False, None, None)
            )
            if stop:
                return fragments
    for w in ws:
        if not w.out or not (exclusive or w.exclusive) or w.first > hi or w.last < lo:
            continue
        first, last = max(w.first, lo), min(w.last, hi)
        fragments.append((w.code, first, last, w.counterparty, w.ref, w.exclusive, None, None))
        if stop:
            return fragments
    return fragments


def _signatures(
    prepared: list[tuple[_W, frozenset[str]]], countries: frozenset[str]
) -> dict[tuple[int, ...], set[str]]:
    """Group ``countries`` by the indices of the prepared windows that touch them."""
    touching: dict[str, list[int]] = defaultdict(list)
    for index, (_, window_countries) in enumerate(prepared):
        for country in window_countries & countries:
            touching[country].append(index)
    groups: dict[tuple[int, ...], set[str]] = defaultdict(set)
    for country, indices in touching.items():
        groups[tuple(indices)].add(country)
    untouched = countries.difference(touching)
    if untouched:
        groups[()].update(untouched)
    return groups


def _reason(fragment: _Fragment, media: Media, countries: set[str]) -> Reason:
    code, first, last, counterparty, ref, exclusive, held_until, held_from = fragment
    return Reason(
        code=code,
        media=media,
        countries=frozenset(countries),
        start=_day_or_none(first),
        end=_day_or_none(last),
        counterparty=counterparty,
        ref=ref,
        exclusive=exclusive,
        held_until=_day_or_none(held_until),
        held_from=_day_or_none(held_from),
    )


_CODE_ORDER = {code: rank for rank, code in enumerate(ReasonCode)}


def _reason_sort_key(reason: Reason) -> tuple[object, ...]:
    return (
        _CODE_ORDER[reason.code],
        reason.start or date.min,
        reason.end or date.min,
        reason.counterparty,
        str(reason.ref),
        sorted(reason.countries),
    )


def check_availability(*, windows: Iterable[Window], query: Query) -> Availability:
    """Whether ``query`` is available given a title's ``windows``, and why not."""
    _validate_term(query.start, query.end)
    if not query.countries:
        raise ValueError("Query has no countries")
    lo, hi = query.start.toordinal(), query.end.toordinal()
    prepared = _prepare(windows, query.media)
    slim = [w for w, _ in prepared]
    by_fragment: dict[_Fragment, set[str]] = defaultdict(set)
    for indices, countries in _signatures(prepared, query.countries).items():
        for fragment in _evaluate([slim[i] for i in indices], lo, hi, query.exclusive, stop=False):
            by_fragment[fragment].update(countries)
    if not by_fragment:
        return Availability(available=True, reasons=())
    reasons = [
        _reason(fragment, query.media, countries) for fragment, countries in by_fragment.items()
    ]
    reasons.sort(key=_reason_sort_key)
    return Availability(available=False, reasons=tuple(reasons))


def available_countries(
    *,
    windows: Iterable[Window],
    media: Media,
    start: date,
    end: date,
    exclusive: bool,
) -> frozenset[str]:
    """Countries where a single-country query for ``media`` on ``start``..``end`` (exclusive
    or not) would be available."""
    _validate_term(start, end)
    lo, hi = start.toordinal(), end.toordinal()
    prepared = _prepare(windows, Media(media))
    if not prepared:
        return frozenset()
    slim = [w for w, _ in prepared]
    candidates = frozenset().union(*(countries for _, countries in prepared))
    result: set[str] = set()
    for indices, countries in _signatures(prepared, candidates).items():
        if not _evaluate([slim[i] for i in indices], lo, hi, exclusive, stop=True):
            result |= countries
    return frozenset(result)

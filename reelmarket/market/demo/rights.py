"""Rights windows of a demo title: what the owner holds, and what is sold or on hold.

Pure Python. Every title gets 3-12 windows. For each media it holds rights over a footprint
("Worldwide", "Worldwide excluding the home country", "Asia", ...) for a term; windows going
out (sold / on hold) are carved from the held ones on **pairwise disjoint** territories per
media and inside the held term, so they can never conflict with each other — which
``catalogue.services.validate_rights`` confirms (the tests check every title).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from reelmarket.catalogue.avails.territories import expand

# Media each kind of work licenses, most traded first.
MEDIA_BY_KIND: dict[str, tuple[str, ...]] = {
    "feature": (
        "svod",
        "free_tv",
        "theatrical",
        "pay_tv",
        "tvod_est",
        "avod",
        "airline",
        "non_theatrical",
        "remake",
    ),
    "animation_feature": (
        "svod",
        "theatrical",
        "free_tv",
        "pay_tv",
        "tvod_est",
        "avod",
        "airline",
        "non_theatrical",
    ),
    "documentary": (
        "svod",
        "free_tv",
        "pay_tv",
        "avod",
        "tvod_est",
        "non_theatrical",
        "airline",
        "theatrical",
    ),
    "short": ("svod", "avod", "free_tv", "non_theatrical", "airline"),
    "series": ("svod", "free_tv", "pay_tv", "avod", "tvod_est", "remake"),
    "animation_series": ("svod", "free_tv", "pay_tv", "avod", "tvod_est"),
    "format_unscripted": ("format", "free_tv", "svod"),
    "format_scripted": ("remake", "format", "svod", "free_tv"),
    "book": ("derivative", "remake"),
    "comic": ("derivative", "remake"),
    "game": ("derivative",),
}
# Media usually licensed non-exclusively.
_NON_EXCLUSIVE = frozenset({"avod", "airline", "non_theatrical"})
# Media whose rights often run with no end date.
_PERPETUAL = frozenset({"remake", "format", "derivative"})

# Held footprints: (include, exclude); "HOME" is the title's home country.
_FOOTPRINTS: tuple[tuple[tuple[str, ...], tuple[str, ...], int], ...] = (
    (("WW",), (), 35),
    (("WW",), ("HOME",), 20),
    (("WW",), ("NORTH_AMERICA",), 8),
    (("WW",), ("GREATER_CHINA",), 5),
    (("ASIA",), (), 15),
    (("ASIA", "OCEANIA"), (), 5),
    (("ASEAN", "GREATER_CHINA"), (), 7),
    (("EUROPE", "LATAM"), (), 5),
)

# Territories sold or held one at a time: markets with buyers, and groups sold together.
_CHUNKS: tuple[str, ...] = (
    "JP",
    "KR",
    "TW",
    "HK",
    "CN",
    "SG",
    "MY",
    "TH",
    "VN",
    "ID",
    "PH",
    "IN",
    "AU",
    "NZ",
    "FR",
    "DE",
    "GB",
    "IT",
    "ES",
    "US",
    "CA",
    "MX",
    "BR",
    "TR",
    "SA",
    "AE",
    "KH",
    "MN",
    "KZ",
    "ANZ",
    "NORDICS",
    "DACH",
    "BENELUX",
    "LATAM",
    "MENA",
    "GREATER_CHINA",
    "NORTH_AMERICA",
)
_CHUNK_MEMBERS: dict[str, frozenset[str]] = {c: expand(include=[c]) for c in _CHUNKS}
_HOLD_NOTES = (
    "Hold pending contract",
    "First negotiation until 30 April 2025",
    "Option for two weeks after the market",
)


@dataclass(frozen=True)
class WindowSpec:
    media: str
    territories: tuple[str, ...]
    excluded: tuple[str, ...]
    starts_on: date
    ends_on: date | None
    exclusive: bool
    status: str  # available / on_hold / sold
    counterparty: str = ""
    note: str = ""


def _years_later(day: date, years: int) -> date:
    return day.replace(year=day.year + years) - timedelta(days=1)


def _footprint(rng: random.Random, home: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    total = sum(w for *_, w in _FOOTPRINTS)
    point = rng.random() * total
    include, exclude = _FOOTPRINTS[-1][:2]
    for candidate_include, candidate_exclude, weight in _FOOTPRINTS:
        point -= weight
        if point < 0:
            include, exclude = candidate_include, candidate_exclude
            break
    excluded = tuple(home if code == "HOME" else code for code in exclude)
    if not expand(include=include, exclude=excluded):  # pragma: no cover - never empty
        excluded = ()
    return include, excluded


def plan_windows(
    *,
    rng: random.Random,
    kind: str,
    home: str,
    first_year: int,
    pre_sale: bool,
    buyers_by_country: dict[str, tuple[str, ...]],
    seller_template: bool = False,
) -> list[WindowSpec]:
    """3-12 windows for a title of ``kind`` from ``home`` whose rights start in ``first_year``.

    ``pre_sale`` marks sold windows of unfinished titles as pre-sales. ``seller_template``
    gives the printed seller's titles the user journey's avails: SVOD held for Asia, sold
    in Japan and Korea, the rest of Asia open.
    """
    pool = MEDIA_BY_KIND[kind]
    target = rng.choice((3, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 10, 11, 12))
    first, rest = pool[0], list(pool[1:])
    rng.shuffle(rest)
    media = [first, *rest][: max(1, min(len(pool), rng.randint(2, 5), target))]
    include, exclude = _footprint(rng, home)
    start = date(first_year, rng.choice((1, 1, 4, 7)), 1)
    years = rng.choice((5, 7, 7, 10, 10, 15))

    held: list[WindowSpec] = []
    for m in media:
        non_exclusive = m in _NON_EXCLUSIVE and rng.random() < 0.7
        inc, exc = (("WW",), ()) if non_exclusive or m in _PERPETUAL else (include, exclude)
        if seller_template and m == "svod":
            inc, exc = ("ASIA",), ()
        perpetual = m in _PERPETUAL and rng.random() < 0.3
        held.append(
            WindowSpec(
                media=m,
                territories=inc,
                excluded=exc,
                starts_on=start,
                ends_on=None if perpetual else _years_later(start, years),
                exclusive=not non_exclusive,
                status="available",
            )
        )

    outs_left = max(target - len(held), 0)
    windows = list(held)
    used: dict[str, set[str]] = {w.media: set() for w in held}
    if seller_template and "svod" in used:
        svod = next(w for w in held if w.media == "svod")
        for code in ("JP", "KR"):
            windows.append(_out(rng, svod, code, "sold", buyers_by_country, pre_sale))
            used["svod"] |= _CHUNK_MEMBERS[code]
        outs_left = max(outs_left - 2, 0)

    attempts = 0
    while outs_left and attempts < 60:
        attempts += 1
        window = held[attempts % len(held)] if attempts > len(held) else rng.choice(held)
        countries = expand(include=window.territories, exclude=window.excluded)
        chunk = rng.choice(_CHUNKS)
        members = _CHUNK_MEMBERS[chunk]
        if not members <= countries or members & used[window.media]:
            continue
        status = "sold" if rng.random() < 0.65 else "on_hold"
        windows.append(_out(rng, window, chunk, status, buyers_by_country, pre_sale))
        used[window.media] |= members
        outs_left -= 1
    return windows


def _out(
    rng: random.Random,
    held: WindowSpec,
    chunk: str,
    status: str,
    buyers_by_country: dict[str, tuple[str, ...]],
    pre_sale: bool,
) -> WindowSpec:
    """A sold / on-hold window on ``chunk``, inside ``held``'s term."""
    start = held.starts_on + timedelta(days=30 * rng.randint(0, 12))
    end = _years_later(start, rng.randint(2, 5))
    if held.ends_on is not None:
        start = min(start, held.ends_on)
        end = min(end, held.ends_on)
    note = rng.choice(_HOLD_NOTES) if status == "on_hold" else ("Pre-sale" if pre_sale else "")
    return WindowSpec(
        media=held.media,
        territories=(chunk,),
        excluded=(),
        starts_on=start,
        ends_on=end,
        exclusive=held.exclusive,
        status=status,
        counterparty=_counterparty(rng, chunk, buyers_by_country),
        note=note,
    )


def _counterparty(rng: random.Random, chunk: str, buyers: dict[str, tuple[str, ...]]) -> str:
    """A buyer organisation from the territory (or, failing that, from anywhere)."""
    for code in sorted(_CHUNK_MEMBERS[chunk]):
        if code in buyers:
            candidates = [name for c in sorted(_CHUNK_MEMBERS[chunk]) for name in buyers.get(c, ())]
            return rng.choice(candidates)
    everyone = [name for names in buyers.values() for name in names]
    return rng.choice(everyone) if everyone else "Regional distributor"

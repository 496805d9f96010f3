"""Phrase banks of the demo catalogue: per genre, in en, zh-Hant, zh-Hans, ja, ko, th, vi, id.

``BANKS`` maps a genre value of ``catalogue.enums.Genre`` to its bank. Story genres (action
... youth) tell a story; ``documentary`` and the unscripted formats (``reality``,
``game_show``, ``lifestyle``) have their own banks. ``animation`` is a treatment, not a
story: animated titles take the bank of their story genre.
"""

from __future__ import annotations

from reelmarket.market.demo.banks.base import LANGUAGES, Bank, Phrase
from reelmarket.market.demo.banks.formats import GAME_SHOW, LIFESTYLE
from reelmarket.market.demo.banks.frames import FRAMES, TITLE_WITH_CITY
from reelmarket.market.demo.banks.nonfiction import DOCUMENTARY, REALITY
from reelmarket.market.demo.banks.stories_a import ACTION, ADVENTURE, COMEDY
from reelmarket.market.demo.banks.stories_b import CRIME, DRAMA, FAMILY
from reelmarket.market.demo.banks.stories_c import FANTASY, HISTORICAL, HORROR
from reelmarket.market.demo.banks.stories_d import MARTIAL_ARTS, MUSICAL, MYSTERY
from reelmarket.market.demo.banks.stories_e import ROMANCE, SCI_FI, THRILLER
from reelmarket.market.demo.banks.stories_f import WAR, YOUTH
from reelmarket.market.demo.banks.world import CITIES, GENRE_SETTINGS, SETTINGS

BANKS: dict[str, Bank] = {
    "action": ACTION,
    "adventure": ADVENTURE,
    "comedy": COMEDY,
    "crime": CRIME,
    "drama": DRAMA,
    "family": FAMILY,
    "fantasy": FANTASY,
    "historical": HISTORICAL,
    "horror": HORROR,
    "martial_arts": MARTIAL_ARTS,
    "musical": MUSICAL,
    "mystery": MYSTERY,
    "romance": ROMANCE,
    "sci_fi": SCI_FI,
    "thriller": THRILLER,
    "war": WAR,
    "youth": YOUTH,
    "documentary": DOCUMENTARY,
    "reality": REALITY,
    "game_show": GAME_SHOW,
    "lifestyle": LIFESTYLE,
}

__all__ = [
    "BANKS",
    "CITIES",
    "FRAMES",
    "GENRE_SETTINGS",
    "LANGUAGES",
    "SETTINGS",
    "TITLE_WITH_CITY",
    "Bank",
    "Phrase",
]

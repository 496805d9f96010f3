"""Locale-aware formatting for the viewer's language (Babel), used by templates and views."""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_datetime, format_time
from babel.numbers import format_compact_currency, format_currency, format_decimal
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_lazy

from reelmarket.catalogue.avails.territories import GROUPS, territory_name

# The market is in Hong Kong: Traditional Chinese follows Hong Kong usage (尼日利亞, 老撾),
# not Babel's default for zh_Hant, which is Taiwan's (奈及利亞, 寮國).
_REGIONAL = {"zh_Hant": "zh_Hant_HK"}


@lru_cache(maxsize=16)
def _locale(language: str) -> Locale:
    name = translation.to_locale(language or "en")
    return Locale.parse(_REGIONAL.get(name, name))


def viewer_locale() -> Locale:
    return _locale(translation.get_language() or "en")


def money(amount: Decimal | int | float | None, currency: str, *, compact: bool = False) -> str:
    if amount is None:
        return ""
    if compact:
        return format_compact_currency(amount, currency, locale=viewer_locale())
    return format_currency(amount, currency, locale=viewer_locale())


def number(value: int | float | Decimal | None) -> str:
    return "" if value is None else format_decimal(value, locale=viewer_locale())


# CLDR's names for these two read "Hong Kong SAR China"; the market says "Hong Kong".
_SHORT_NAMES = {"HK": gettext_lazy("Hong Kong"), "MO": gettext_lazy("Macao")}


def country_name(code: str) -> str:
    """Country or territory group, in the viewer's language where Babel knows it."""
    if code in GROUPS:
        return gettext(territory_name(code))
    if code in _SHORT_NAMES:
        return str(_SHORT_NAMES[code])
    return viewer_locale().territories.get(code) or territory_name(code)


@lru_cache(maxsize=512)
def _language_name(tag: str, viewer: str) -> str:
    try:
        loc = Locale.parse(tag.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return tag
    return loc.get_display_name(_locale(viewer)) or tag


def language_name(tag: str) -> str:
    return _language_name(tag, translation.get_language() or "en")


def day(value: date) -> str:
    return format_date(value, format="medium", locale=viewer_locale())


def zone_abbreviation(moment: datetime) -> str:
    return moment.tzname() or ""


def dual_time(moment: datetime, *, venue_zone: str) -> dict[str, str]:
    """A moment in the viewer's zone and the venue's, for ``<time>`` elements."""
    loc = viewer_locale()
    venue = moment.astimezone(zoneinfo.ZoneInfo(venue_zone))
    viewer = timezone.localtime(moment)
    same = viewer.utcoffset() == venue.utcoffset()
    return {
        "iso": moment.astimezone(zoneinfo.ZoneInfo("UTC")).isoformat(),
        "venue": f"{format_datetime(venue, 'medium', locale=loc)} {zone_abbreviation(venue)}",
        "viewer": ""
        if same
        else f"{format_time(viewer, 'short', locale=loc)} "
        f"{zone_abbreviation(viewer)} ({timezone.get_current_timezone_name()})",
    }

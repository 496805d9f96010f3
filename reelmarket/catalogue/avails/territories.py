"""Territory vocabulary: ISO 3166-1 alpha-2 countries plus named groups.

Pure Python (no Django): used by models and forms (choices), the algebra, importers and
exporters. A *territory code* is either a country code (``"HK"``, ``"JP"``) or a group code
(``"WW"``, ``"ASEAN"``, ``"GREATER_CHINA"``). Codes are case-sensitive upper case.

Rights are stored as "include minus exclude" lists of territory codes ("Worldwide excluding
China" is ``include=["WW"], exclude=["CN"]``); :func:`expand` resolves such a pair to the set
of country codes the algebra works with.

Group memberships are written out explicitly below (see docs/avails.md for the sources and
conventions). Hong Kong (HK), Macao (MO) and Taiwan (TW) are territories of their own, as
they are in ISO 3166-1 and in film & TV licensing practice.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pycountry

__all__ = [
    "COUNTRY_CODES",
    "GROUPS",
    "WORLDWIDE",
    "TerritoryGroup",
    "UnknownTerritory",
    "country_choices",
    "describe",
    "expand",
    "from_ema_territory",
    "is_territory_code",
    "summarize",
    "territory_choices",
    "territory_name",
    "to_ema_territories",
]


class UnknownTerritory(ValueError):
    """A code that is neither an ISO 3166-1 alpha-2 country code nor a group code."""

    def __init__(self, code: object) -> None:
        self.code = code
        super().__init__(f"Unknown territory code: {code!r}")


@dataclass(frozen=True)
class TerritoryGroup:
    code: str
    name: str
    members: frozenset[str]


# --------------------------------------------------------------------------------------
# Countries

# Short English names where ISO's reference name is in the inverted "X, Y of" form or
# otherwise awkward in a sentence ("Sold to ... in Viet Nam"). pycountry's ``common_name``
# covers most of them (Taiwan, South Korea, Vietnam, Iran, ...); these fill the rest.
_NAME_OVERRIDES: dict[str, str] = {
    "BQ": "Caribbean Netherlands",
    "CD": "Democratic Republic of the Congo",
    "CG": "Republic of the Congo",
    "FK": "Falkland Islands",
    "FM": "Micronesia",
    "MF": "Saint Martin",
    "PS": "Palestine",
    "RU": "Russia",
    "SH": "Saint Helena",
    "SX": "Sint Maarten",
    "VA": "Vatican City",
    "VG": "British Virgin Islands",
    "VI": "U.S. Virgin Islands",
}


def _load_countries() -> dict[str, str]:
    names: dict[str, str] = {}
    for country in pycountry.countries:
        code = country.alpha_2
        name = _NAME_OVERRIDES.get(code) or getattr(country, "common_name", None) or country.name
        names[code] = name
    return names


_COUNTRY_NAMES: dict[str, str] = _load_countries()

COUNTRY_CODES: frozenset[str] = frozenset(_COUNTRY_NAMES)
"""Every ISO 3166-1 alpha-2 code (as shipped by pycountry), e.g. ``"HK"``, ``"MO"``, ``"TW"``."""


# --------------------------------------------------------------------------------------
# Groups. Member lists are explicit; a test checks that every member is an ISO code.

WORLDWIDE = "WW"

_EU = "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE"
# UN M49 "Europe" (Eastern, Northern, Southern, Western Europe) plus Cyprus, which M49 puts
# in Western Asia but which is an EU member and is licensed with Europe.
_EUROPE = (
    # Eastern Europe
    "BY BG CZ HU MD PL RO RU SK UA "
    # Northern Europe
    "AX DK EE FO FI GG IS IE IM JE LV LT NO SJ SE GB "
    # Southern Europe
    "AL AD BA HR GI GR VA IT MT ME MK PT SM RS SI ES "
    # Western Europe
    "AT BE FR DE LI LU MC NL CH "
    # EU member placed in Western Asia by M49
    "CY"
)
_EAST_ASIA = "CN HK MO TW JP KR KP MN"  # UN M49 Eastern Asia (TW listed on its own)
# ASEAN: the ten founding/enlargement members plus Timor-Leste, admitted as the 11th member
# on 26 October 2025.
_ASEAN = "BN KH ID LA MY MM PH SG TH TL VN"
_SOUTH_ASIA = "AF BD BT IN MV NP PK LK"  # the eight SAARC member states
_CENTRAL_ASIA = "KZ KG TJ TM UZ"  # UN M49 Central Asia
_WESTERN_ASIA = "AM AZ BH CY GE IQ IL JO KW LB OM PS QA SA SY TR AE YE"  # UN M49
# UN M49 "Asia": Eastern, South-eastern, Southern (which also includes Iran), Central and
# Western Asia.
_ASIA = " ".join((_EAST_ASIA, _ASEAN, _SOUTH_ASIA, "IR", _CENTRAL_ASIA, _WESTERN_ASIA))
# World Bank "Middle East & North Africa" region, less Malta (an EU member, sold with
# Europe).
_MENA = "DZ BH DJ EG IR IQ IL JO KW LB LY MA OM QA SA SY TN AE PS YE"
# UN M49 Africa: Northern, Eastern, Middle, Southern and Western Africa.
_AFRICA = (
    "DZ EG LY MA SD TN EH "
    "IO BI KM DJ ER ET TF KE MG MW MU YT MZ RE RW SC SO SS UG TZ ZM ZW "
    "AO CM CF TD CG CD GQ GA ST "
    "BW SZ LS NA ZA "
    "BJ BF CV CI GM GH GN GW LR ML MR NE NG SH SN SL TG"
)
# UN M49 "Latin America and the Caribbean": Caribbean, Central America, South America.
_LATAM = (
    "AI AG AW BS BB BQ VG KY CU CW DM DO GD GP HT JM MQ MS PR BL KN LC MF VC SX TT TC VI "
    "BZ CR SV GT HN MX NI PA "
    "AR BO BV BR CL CO EC FK GF GY PY PE GS SR UY VE"
)
_NORTH_AMERICA = "BM CA GL PM US"  # UN M49 Northern America (Mexico is in LATAM)
# UN M49 Oceania: Australia and New Zealand, Melanesia, Micronesia, Polynesia.
_OCEANIA = "AU NZ CX CC HM NF FJ NC PG SB VU GU KI MH FM NR MP PW UM AS CK PF NU PN WS TK TO TV WF"

# (code, English name, members); order is the display order in territory_choices().
_GROUP_SPECS: tuple[tuple[str, str, str | None], ...] = (
    (WORLDWIDE, "Worldwide", None),
    ("ASIA", "Asia", _ASIA),
    ("EAST_ASIA", "East Asia", _EAST_ASIA),
    ("GREATER_CHINA", "Greater China", "CN HK MO TW"),
    ("ASEAN", "ASEAN", _ASEAN),
    ("SOUTH_ASIA", "South Asia", _SOUTH_ASIA),
    ("EUROPE", "Europe", _EUROPE),
    ("EU", "European Union", _EU),
    ("DACH", "Germany, Austria & Switzerland", "DE AT CH"),
    ("BENELUX", "Benelux", "BE NL LU"),
    ("NORDICS", "Nordic countries", "DK FI IS NO SE"),
    ("MENA", "Middle East & North Africa", _MENA),
    ("AFRICA", "Africa", _AFRICA),
    ("NORTH_AMERICA", "North America", _NORTH_AMERICA),
    ("LATAM", "Latin America & Caribbean", _LATAM),
    ("OCEANIA", "Oceania", _OCEANIA),
    ("ANZ", "Australia & New Zealand", "AU NZ"),
)


def _build_groups() -> dict[str, TerritoryGroup]:
    groups: dict[str, TerritoryGroup] = {}
    for code, name, spec in _GROUP_SPECS:
        members = COUNTRY_CODES if spec is None else frozenset(spec.split())
        groups[code] = TerritoryGroup(code=code, name=name, members=members)
    return groups


GROUPS: dict[str, TerritoryGroup] = _build_groups()


# --------------------------------------------------------------------------------------
# Lookups


def is_territory_code(code: str) -> bool:
    """True for an ISO 3166-1 alpha-2 code or a group code (case-sensitive, upper case)."""
    return code in _COUNTRY_NAMES or code in GROUPS


def territory_name(code: str) -> str:
    """English name of a country or group: ``"Hong Kong"``, ``"ASEAN"``, ``"Worldwide"``.

    Raises :class:`UnknownTerritory` for any other code.
    """
    name = _COUNTRY_NAMES.get(code)
    if name is not None:
        return name
    group = GROUPS.get(code)
    if group is not None:
        return group.name
    raise UnknownTerritory(code)


def _members(code: str) -> frozenset[str]:
    if code in _COUNTRY_NAMES:
        return frozenset((code,))
    group = GROUPS.get(code)
    if group is None:
        raise UnknownTerritory(code)
    return group.members


def _check_not_str(value: object, arg: str) -> None:
    # A bare string is iterable too: expand(include="WW") would try "W", "W".
    if isinstance(value, str):
        raise TypeError(f"{arg} must be a list of territory codes, not a string: {value!r}")


def expand(*, include: Iterable[str], exclude: Iterable[str] = ()) -> frozenset[str]:
    """Resolve territory codes (countries or groups) to country codes: include minus exclude.

    ``expand(include=["WW"], exclude=["CN"])`` is every country but China. Raises
    :class:`UnknownTerritory` (a ``ValueError``) naming the first unknown code.
    """
    _check_not_str(include, "include")
    _check_not_str(exclude, "exclude")
    included: set[str] = set()
    for code in include:
        included |= _members(code)
    excluded: set[str] = set()
    for code in exclude:
        excluded |= _members(code)
    return frozenset(included - excluded)


def _unique(codes: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(codes))


def describe(*, include: Sequence[str], exclude: Sequence[str] = ()) -> str:
    """English description of include-minus-exclude, in the order given.

    ``describe(include=["WW"], exclude=["CN", "HK"])`` is
    ``"Worldwide excluding China, Hong Kong"``. Returns ``""`` when ``include`` is empty.
    """
    _check_not_str(include, "include")
    _check_not_str(exclude, "exclude")
    included = ", ".join(territory_name(code) for code in _unique(include))
    excluded = ", ".join(territory_name(code) for code in _unique(exclude))
    if not included:
        return ""
    return f"{included} excluding {excluded}" if excluded else included


def _sort_key(name: str) -> str:
    # "Åland Islands" sorts with the As, "Côte d'Ivoire" with the Cs.
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


_SORT_KEYS: dict[str, tuple[str, str]] = {
    code: (_sort_key(name), code) for code, name in _COUNTRY_NAMES.items()
}


def _sorted_codes(codes: Iterable[str]) -> list[str]:
    return sorted(
        codes,
        key=lambda code: _SORT_KEYS.get(code) or (_sort_key(territory_name(code)), code),
    )


def summarize(*, codes: Iterable[str], limit: int = 5) -> str:
    """Short English list of territory names, for messages.

    Names are sorted; a set exactly equal to a group (other than Worldwide) is given the
    group's name; more than ``limit`` names become ``"Japan, South Korea and 12 more"``.
    Unknown codes are shown as they are.
    """
    _check_not_str(codes, "codes")
    unique = frozenset(codes)
    if len(unique) > 1:
        for group in GROUPS.values():
            if group.code != WORLDWIDE and group.members == unique:
                return group.name
    known = [code for code in unique if is_territory_code(code)]
    names = [territory_name(code) for code in _sorted_codes(known)]
    names += sorted(code for code in unique if not is_territory_code(code))
    if len(names) > limit:
        return f"{names[0]}, {names[1]} and {len(names) - 2} more"
    return ", ".join(names)


def country_choices() -> list[tuple[str, str]]:
    """``(code, English name)`` for every country, sorted by name, for form choices."""
    return [(code, _COUNTRY_NAMES[code]) for code in _sorted_codes(_COUNTRY_NAMES)]


def territory_choices() -> list[tuple[str, str]]:
    """Groups first (Worldwide, then regions), then countries sorted by name."""
    return [(g.code, g.name) for g in GROUPS.values()] + country_choices()


# --------------------------------------------------------------------------------------
# EMA Avails interchange. EMA Avails identifies territories by ISO 3166-1 alpha-2 code; a
# worldwide avail is written "WW" or "Worldwide" depending on the spreadsheet version. Our
# groups are not EMA vocabulary, so exports always expand them to countries.


def to_ema_territories(
    *,
    include: Iterable[str],
    exclude: Iterable[str] = (),
    collapse_worldwide: bool = False,
) -> list[str]:
    """Sorted ISO alpha-2 codes for an include-minus-exclude pair, groups expanded.

    With ``collapse_worldwide=True``, a set covering every country is returned as ``["WW"]``
    for recipients that accept it.
    """
    countries = expand(include=include, exclude=exclude)
    if collapse_worldwide and countries == COUNTRY_CODES:
        return [WORLDWIDE]
    return sorted(countries)


def from_ema_territory(code: str) -> str:
    """Our territory code for an EMA Avails territory value.

    Accepts an ISO 3166-1 alpha-2 code in any case (surrounding blanks ignored) or
    ``"WW"`` / ``"Worldwide"`` (any case), which become ``"WW"``. Raises
    :class:`UnknownTerritory` for anything else.
    """
    if not isinstance(code, str):
        raise UnknownTerritory(code)
    value = code.strip()
    if value.casefold() in ("ww", "worldwide"):
        return WORLDWIDE
    upper = value.upper()
    if len(upper) == 2 and upper in _COUNTRY_NAMES:
        return upper
    raise UnknownTerritory(code)

"""Territory vocabulary and EMA Avails mappings (pure Python, no database)."""

from __future__ import annotations

import pytest

from reelmarket.catalogue.avails.media import (
    EMA_IMPORT_LICENSE_TYPES,
    EMA_LICENSE_TYPES,
    Media,
    media_from_ema,
    media_to_ema,
)
from reelmarket.catalogue.avails.territories import (
    COUNTRY_CODES,
    GROUPS,
    TerritoryGroup,
    UnknownTerritory,
    country_choices,
    describe,
    expand,
    from_ema_territory,
    is_territory_code,
    summarize,
    territory_choices,
    territory_name,
    to_ema_territories,
)

# --------------------------------------------------------------------------------------
# Countries


def test_country_codes_are_iso_alpha2_including_hk_mo_tw():
    assert len(COUNTRY_CODES) == 249
    assert {"HK", "MO", "TW", "CN", "JP", "KR", "US", "GB"} <= COUNTRY_CODES
    assert all(len(code) == 2 and code.isupper() for code in COUNTRY_CODES)
    assert "EU" not in COUNTRY_CODES
    assert "WW" not in COUNTRY_CODES
    assert "UK" not in COUNTRY_CODES


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("HK", "Hong Kong"),
        ("MO", "Macao"),
        ("TW", "Taiwan"),
        ("CN", "China"),
        ("KR", "South Korea"),
        ("KP", "North Korea"),
        ("VN", "Vietnam"),
        ("LA", "Laos"),
        ("RU", "Russia"),
        ("CD", "Democratic Republic of the Congo"),
        ("WW", "Worldwide"),
        ("ASEAN", "ASEAN"),
        ("GREATER_CHINA", "Greater China"),
    ],
)
def test_territory_name(code, name):
    assert territory_name(code) == name


def test_no_country_name_is_in_inverted_iso_form():
    # "Korea, Republic of" reads badly in "Sold to X in ..." messages.
    assert [code for code, name in country_choices() if ", " in name] == []


def test_territory_name_unknown_raises_naming_the_code():
    with pytest.raises(UnknownTerritory, match="'XX'"):
        territory_name("XX")


def test_is_territory_code_is_case_sensitive():
    assert is_territory_code("HK")
    assert is_territory_code("WW")
    assert is_territory_code("GREATER_CHINA")
    assert not is_territory_code("hk")
    assert not is_territory_code("asean")
    assert not is_territory_code("XX")
    assert not is_territory_code("")


# --------------------------------------------------------------------------------------
# Groups


def test_asean_members_exact():
    # Ten members plus Timor-Leste, admitted on 26 October 2025.
    assert GROUPS["ASEAN"].members == frozenset(
        {"BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "VN", "TL"}
    )


def test_greater_china_members_exact():
    assert GROUPS["GREATER_CHINA"] == TerritoryGroup(
        code="GREATER_CHINA", name="Greater China", members=frozenset({"CN", "HK", "MO", "TW"})
    )


def test_small_groups_exact():
    assert GROUPS["EU"].members == {
        "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
        "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
    }  # fmt: skip
    assert GROUPS["ANZ"].members == {"AU", "NZ"}
    assert GROUPS["DACH"].members == {"DE", "AT", "CH"}
    assert GROUPS["BENELUX"].members == {"BE", "NL", "LU"}
    assert GROUPS["NORDICS"].members == {"DK", "FI", "IS", "NO", "SE"}
    assert GROUPS["NORTH_AMERICA"].members == {"US", "CA", "BM", "GL", "PM"}
    assert GROUPS["SOUTH_ASIA"].members == {"AF", "BD", "BT", "IN", "MV", "NP", "PK", "LK"}
    assert GROUPS["EAST_ASIA"].members == {"CN", "HK", "MO", "TW", "JP", "KR", "KP", "MN"}


def test_expected_group_codes_exist():
    expected = {
        "WW", "ASIA", "EAST_ASIA", "GREATER_CHINA", "ASEAN", "SOUTH_ASIA", "EUROPE", "EU",
        "MENA", "AFRICA", "NORTH_AMERICA", "LATAM", "OCEANIA",
    }  # fmt: skip
    assert expected <= set(GROUPS)


def test_every_group_member_is_an_iso_code_and_codes_do_not_clash():
    for code, group in GROUPS.items():
        assert group.code == code
        assert code.isupper()
        assert code not in COUNTRY_CODES
        assert group.members, code
        assert group.members <= COUNTRY_CODES, (code, group.members - COUNTRY_CODES)


def test_worldwide_is_every_country():
    assert GROUPS["WW"].members == COUNTRY_CODES


def test_group_nesting():
    members = {code: group.members for code, group in GROUPS.items()}
    assert members["GREATER_CHINA"] <= members["EAST_ASIA"] <= members["ASIA"]
    assert members["ASEAN"] <= members["ASIA"]
    assert members["SOUTH_ASIA"] <= members["ASIA"]
    assert members["EU"] <= members["EUROPE"]
    assert members["DACH"] <= members["EUROPE"]
    assert members["BENELUX"] <= members["EU"]
    assert members["NORDICS"] <= members["EUROPE"]
    assert members["ANZ"] <= members["OCEANIA"]
    assert members["MENA"] <= members["ASIA"] | members["AFRICA"]


def test_continents_cover_the_world_except_antarctica():
    continents = ["ASIA", "EUROPE", "AFRICA", "NORTH_AMERICA", "LATAM", "OCEANIA"]
    union = frozenset().union(*(GROUPS[c].members for c in continents))
    assert COUNTRY_CODES - union == {"AQ"}
    # Only Cyprus (M49 Western Asia, EU member) is on two continents.
    seen: dict[str, list[str]] = {}
    for continent in continents:
        for country in GROUPS[continent].members:
            seen.setdefault(country, []).append(continent)
    assert {c: where for c, where in seen.items() if len(where) > 1} == {"CY": ["ASIA", "EUROPE"]}


# --------------------------------------------------------------------------------------
# expand / describe


def test_worldwide_minus_china():
    result = expand(include=["WW"], exclude=["CN"])
    assert result == COUNTRY_CODES - {"CN"}
    assert len(result) == 248
    assert "HK" in result


def test_expand_groups_and_countries():
    assert expand(include=["GREATER_CHINA", "JP"]) == {"CN", "HK", "MO", "TW", "JP"}
    assert expand(include=["GREATER_CHINA"], exclude=["CN"]) == {"HK", "MO", "TW"}
    assert expand(include=["WW"], exclude=["ASIA", "EUROPE"]) == (
        COUNTRY_CODES - GROUPS["ASIA"].members - GROUPS["EUROPE"].members
    )
    assert expand(include=["JP"], exclude=["KR"]) == {"JP"}
    assert expand(include=[]) == frozenset()
    assert expand(include=["JP"], exclude=["WW"]) == frozenset()


@pytest.mark.parametrize(
    ("include", "exclude", "bad"),
    [
        (["XX"], [], "XX"),
        (["WW"], ["ZZ"], "ZZ"),
        (["jp"], [], "jp"),
        (["ASEAN", "Asia"], [], "Asia"),
        (["UK"], [], "UK"),
    ],
)
def test_expand_unknown_code_raises_naming_it(include, exclude, bad):
    with pytest.raises(UnknownTerritory) as info:
        expand(include=include, exclude=exclude)
    assert isinstance(info.value, ValueError)
    assert info.value.code == bad
    assert repr(bad) in str(info.value)


def test_expand_rejects_a_bare_string():
    with pytest.raises(TypeError, match="not a string"):
        expand(include="WW")
    with pytest.raises(TypeError, match="not a string"):
        expand(include=["WW"], exclude="CN")


def test_describe():
    assert describe(include=["WW"], exclude=["CN", "HK"]) == "Worldwide excluding China, Hong Kong"
    assert describe(include=["WW"]) == "Worldwide"
    assert describe(include=["ASEAN", "HK", "ASEAN"]) == "ASEAN, Hong Kong"
    assert describe(include=[]) == ""
    with pytest.raises(UnknownTerritory, match="'XX'"):
        describe(include=["WW"], exclude=["XX"])


def test_summarize():
    assert summarize(codes=["KR", "JP"]) == "Japan, South Korea"
    assert summarize(codes=["TW", "MO", "HK", "CN"]) == "Greater China"
    assert summarize(codes=["JP"]) == "Japan"
    assert summarize(codes=[]) == ""
    six = ["JP", "KR", "TH", "VN", "HK", "SG"]
    assert summarize(codes=six) == "Hong Kong, Japan and 4 more"
    assert (
        summarize(codes=six, limit=6)
        == "Hong Kong, Japan, Singapore, South Korea, Thailand, Vietnam"
    )
    assert summarize(codes=COUNTRY_CODES) == "Afghanistan, Åland Islands and 247 more"
    assert summarize(codes=["JP", "QQ"]) == "Japan, QQ"


# --------------------------------------------------------------------------------------
# Choices


def test_country_choices_sorted_by_name():
    choices = country_choices()
    assert len(choices) == 249
    assert {code for code, _ in choices} == COUNTRY_CODES
    assert ("HK", "Hong Kong") in choices
    assert choices[0] == ("AF", "Afghanistan")
    assert choices[1] == ("AX", "Åland Islands")  # accents do not sort after Z
    names = [name.casefold() for _, name in choices]
    assert names.index("côte d'ivoire") < names.index("croatia")


def test_territory_choices_groups_first():
    choices = territory_choices()
    assert choices[0] == ("WW", "Worldwide")
    assert [code for code, _ in choices[: len(GROUPS)]] == list(GROUPS)
    assert choices[len(GROUPS) :] == country_choices()


# --------------------------------------------------------------------------------------
# EMA Avails: territories


def test_to_ema_territories_expands_groups():
    assert to_ema_territories(include=["GREATER_CHINA"]) == ["CN", "HK", "MO", "TW"]
    assert to_ema_territories(include=["ASEAN"], exclude=["MM"]) == [
        "BN", "ID", "KH", "LA", "MY", "PH", "SG", "TH", "TL", "VN",
    ]  # fmt: skip
    ww_minus_cn = to_ema_territories(include=["WW"], exclude=["CN"])
    assert len(ww_minus_cn) == 248
    assert ww_minus_cn == sorted(COUNTRY_CODES - {"CN"})


def test_to_ema_territories_collapse_worldwide():
    assert to_ema_territories(include=["WW"], collapse_worldwide=True) == ["WW"]
    assert len(to_ema_territories(include=["WW"])) == 249
    assert len(to_ema_territories(include=["WW"], exclude=["CN"], collapse_worldwide=True)) == 248


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("HK", "HK"),
        ("hk", "HK"),
        (" tw ", "TW"),
        ("Mo", "MO"),
        ("WW", "WW"),
        ("ww", "WW"),
        ("Worldwide", "WW"),
        ("WORLDWIDE", "WW"),
    ],
)
def test_from_ema_territory(value, code):
    assert from_ema_territory(value) == code


@pytest.mark.parametrize("value", ["XX", "EU", "ASEAN", "GREATER_CHINA", "HKG", "", "World"])
def test_from_ema_territory_rejects(value):
    with pytest.raises(UnknownTerritory) as info:
        from_ema_territory(value)
    assert repr(value) in str(info.value)


def test_ema_territory_round_trip_every_country():
    for code in COUNTRY_CODES:
        assert from_ema_territory(code.lower()) == code
        assert to_ema_territories(include=[from_ema_territory(code)]) == [code]
    exported = to_ema_territories(include=["WW"], exclude=["CN"])
    assert expand(include=[from_ema_territory(c) for c in exported]) == expand(
        include=["WW"], exclude=["CN"]
    )
    assert to_ema_territories(include=[from_ema_territory("Worldwide")]) == sorted(COUNTRY_CODES)


# --------------------------------------------------------------------------------------
# EMA Avails: license types


def test_ema_license_types_cover_every_media():
    assert set(EMA_LICENSE_TYPES) == set(Media)


def test_media_to_ema():
    assert media_to_ema(Media.TVOD_EST) == "EST"
    assert media_to_ema(Media.SVOD) == "SVOD"
    assert media_to_ema(Media.AVOD) == "AVOD"
    for media in (
        Media.THEATRICAL, Media.FREE_TV, Media.PAY_TV, Media.AIRLINE, Media.NON_THEATRICAL,
        Media.REMAKE, Media.FORMAT, Media.DERIVATIVE,
    ):  # fmt: skip
        assert media_to_ema(media) is None


@pytest.mark.parametrize(
    ("value", "media"),
    [
        ("EST", Media.TVOD_EST),
        ("VOD", Media.TVOD_EST),
        ("POEST", Media.TVOD_EST),
        ("est", Media.TVOD_EST),
        ("SVOD", Media.SVOD),
        (" svod ", Media.SVOD),
        ("AVOD", Media.AVOD),
        ("FVOD", Media.AVOD),
    ],
)
def test_media_from_ema(value, media):
    assert media_from_ema(value) is media


@pytest.mark.parametrize("value", ["FreeTV", "PayTV", "TVOD", "", "Theatrical"])
def test_media_from_ema_rejects(value):
    with pytest.raises(ValueError, match="EMA Avails LicenseType") as info:
        media_from_ema(value)
    assert repr(value) in str(info.value)
    assert "EST, VOD, POEST, SVOD, AVOD, FVOD" in str(info.value)


def test_media_ema_round_trip():
    for media, license_type in EMA_LICENSE_TYPES.items():
        if license_type is not None:
            assert media_from_ema(license_type) is media
    for license_type, media in EMA_IMPORT_LICENSE_TYPES.items():
        assert media_to_ema(media) is not None
        assert media_from_ema(media_to_ema(media)) is media
        assert media_from_ema(license_type) is media


def test_media_enum_values_unchanged():
    assert [m.value for m in Media] == [
        "theatrical", "free_tv", "pay_tv", "svod", "avod", "tvod_est", "airline",
        "non_theatrical", "remake", "format", "derivative",
    ]  # fmt: skip

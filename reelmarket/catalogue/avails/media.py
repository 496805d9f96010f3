"""Media rights vocabulary and its mapping to EMA Avails license types.

Pure Python: imported by models (for choices), the API, importers and the algebra.
"""

from __future__ import annotations

from enum import StrEnum


class Media(StrEnum):
    THEATRICAL = "theatrical"
    FREE_TV = "free_tv"
    PAY_TV = "pay_tv"
    SVOD = "svod"
    AVOD = "avod"
    TVOD_EST = "tvod_est"
    AIRLINE = "airline"
    NON_THEATRICAL = "non_theatrical"
    REMAKE = "remake"
    FORMAT = "format"
    DERIVATIVE = "derivative"


# English labels; the Django side wraps them for translation.
MEDIA_LABELS: dict[Media, str] = {
    Media.THEATRICAL: "Theatrical",
    Media.FREE_TV: "Free TV",
    Media.PAY_TV: "Pay TV",
    Media.SVOD: "SVOD",
    Media.AVOD: "AVOD",
    Media.TVOD_EST: "TVOD / EST",
    Media.AIRLINE: "Airline",
    Media.NON_THEATRICAL: "Non-theatrical",
    Media.REMAKE: "Remake",
    Media.FORMAT: "Format",
    Media.DERIVATIVE: "Derivative",
}


# --------------------------------------------------------------------------------------
# EMA Avails interchange.
#
# EMA Avails (MovieLabs/EMA, Excel and XML) describes digital retail and subscription
# windows; its ``LicenseType`` values are EST (electronic sell-through), VOD (transactional
# rental), POEST (pre-order EST), SVOD, AVOD and FVOD (free VOD). It has no license type for
# linear television, theatrical, airline, non-theatrical or adaptation rights, so those media
# map to ``None`` and are left out of EMA exports.
#
# Convention: TVOD_EST covers both rental and sell-through. It exports as "EST"; on import,
# "EST", "VOD" and "POEST" all become TVOD_EST. "FVOD" imports as AVOD (free, ad-supported
# or not, VOD). Import is case-insensitive and ignores surrounding blanks.

EMA_LICENSE_TYPES: dict[Media, str | None] = {
    Media.THEATRICAL: None,
    Media.FREE_TV: None,
    Media.PAY_TV: None,
    Media.SVOD: "SVOD",
    Media.AVOD: "AVOD",
    Media.TVOD_EST: "EST",
    Media.AIRLINE: None,
    Media.NON_THEATRICAL: None,
    Media.REMAKE: None,
    Media.FORMAT: None,
    Media.DERIVATIVE: None,
}

# Every EMA LicenseType we accept on import (upper case) and the media it becomes.
EMA_IMPORT_LICENSE_TYPES: dict[str, Media] = {
    "EST": Media.TVOD_EST,
    "VOD": Media.TVOD_EST,
    "POEST": Media.TVOD_EST,
    "SVOD": Media.SVOD,
    "AVOD": Media.AVOD,
    "FVOD": Media.AVOD,
}


def media_to_ema(media: Media) -> str | None:
    """EMA Avails ``LicenseType`` for a media, or ``None`` when EMA has no such type."""
    return EMA_LICENSE_TYPES[Media(media)]


def media_from_ema(license_type: str) -> Media:
    """The media for an EMA Avails ``LicenseType`` (case-insensitive).

    Raises ``ValueError`` naming the value and listing the accepted ones.
    """
    key = license_type.strip().upper() if isinstance(license_type, str) else None
    media = EMA_IMPORT_LICENSE_TYPES.get(key) if key else None
    if media is None:
        accepted = ", ".join(EMA_IMPORT_LICENSE_TYPES)
        raise ValueError(
            f"Unsupported EMA Avails LicenseType {license_type!r}; expected one of {accepted}"
        )
    return media

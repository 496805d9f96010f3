"""Field validators shared by market and catalogue models, forms and the API."""

from __future__ import annotations

import re
import zoneinfo

from babel.numbers import list_currencies
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from reelmarket.catalogue.avails.territories import COUNTRY_CODES

_ZONES = zoneinfo.available_timezones()
_CURRENCIES = frozenset(list_currencies())


def validate_time_zone(value: str) -> None:
    if value not in _ZONES:
        raise ValidationError(
            _("“%(value)s” is not a known time zone (use a name like Asia/Hong_Kong)."),
            params={"value": value},
            code="time_zone",
        )


def validate_country(value: str) -> None:
    if value not in COUNTRY_CODES:
        raise ValidationError(
            _("“%(value)s” is not an ISO 3166-1 country code (use two letters like HK)."),
            params={"value": value},
            code="country",
        )


def validate_image_size(file) -> None:
    limit = settings.MAX_IMAGE_UPLOAD_BYTES
    if file.size > limit:
        raise ValidationError(
            _("The image is %(size)s MB; the limit is %(limit)s MB."),
            params={"size": round(file.size / 1_048_576, 1), "limit": round(limit / 1_048_576, 1)},
            code="image_size",
        )


_LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|\d{3}))?$")


def validate_language_tag(value: str) -> None:
    """A BCP 47 tag in canonical case: ``en``, ``zh-Hant``, ``pt-BR``, ``zh-Hans-CN``."""
    if not _LANGUAGE_TAG.match(value):
        raise ValidationError(
            _("“%(value)s” is not a language tag (use BCP 47 like en, zh-Hant, ja, pt-BR)."),
            params={"value": value},
            code="language",
        )


def validate_currency(value: str) -> None:
    if value not in _CURRENCIES:
        raise ValidationError(
            _("“%(value)s” is not an ISO 4217 currency code (use three letters like USD)."),
            params={"value": value},
            code="currency",
        )

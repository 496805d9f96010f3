"""Validated input for writing a title: one definition shared by the API, the import
command and the HTML editor, so a rule is checked the same way everywhere.

Pydantic models; field errors carry the field path, which the API returns as JSON and the
importer reports with the line number.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from django.core.exceptions import ValidationError as DjangoValidationError
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    HttpUrl,
    field_validator,
    model_validator,
)

from reelmarket.catalogue.avails.territories import UnknownTerritory, expand
from reelmarket.catalogue.enums import (
    CreditRole,
    Genre,
    MediaChoices,
    RecognitionKind,
    Stage,
    TitleKind,
    WindowStatus,
)
from reelmarket.market.validators import validate_country, validate_currency, validate_language_tag


def _django(validator):
    def check(value: str) -> str:
        try:
            validator(value)
        except DjangoValidationError as exc:
            raise ValueError(" ".join(str(m) for m in exc.messages)) from None
        return value

    return check


def _choice(choices: type) -> AfterValidator:
    allowed = list(choices.values)

    def check(value: str) -> str:
        if value not in allowed:
            raise ValueError(f"“{value}” is not one of: {', '.join(allowed)}")
        return value

    return AfterValidator(check)


def _upper(value: str) -> str:
    return value.strip().upper()


Country = Annotated[str, AfterValidator(_upper), AfterValidator(_django(validate_country))]
LanguageTag = Annotated[str, AfterValidator(_django(validate_language_tag))]
Currency = Annotated[str, AfterValidator(_upper), AfterValidator(_django(validate_currency))]
Url = Annotated[HttpUrl, Field()]


# The plain (non-list) fields of a title, in the order the import columns document them.
TITLE_SCALAR_FIELDS = (
    "kind",
    "original_title",
    "original_language",
    "year",
    "runtime_minutes",
    "episodes",
    "episode_minutes",
    "stage",
    "budget_amount",
    "budget_currency",
    "financing_secured",
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class TextInput(_Strict):
    language: LanguageTag
    name: str = Field(min_length=1, max_length=300)
    logline: str = Field(default="", max_length=500)
    synopsis: str = Field(default="", max_length=10_000)


class CreditInput(_Strict):
    role: Annotated[str, _choice(CreditRole)]
    name: str = Field(min_length=1, max_length=200)


class RecognitionInput(_Strict):
    festival: str = Field(min_length=1, max_length=200)
    year: int = Field(ge=1888, le=2100)
    kind: Annotated[str, _choice(RecognitionKind)]
    award: str = Field(default="", max_length=200)


class RightsInput(_Strict):
    media: Annotated[str, _choice(MediaChoices)]
    territories: list[str] = Field(min_length=1)
    excluded: list[str] = Field(default_factory=list)
    starts_on: date
    ends_on: date | None = None
    exclusive: bool = True
    status: Annotated[str, _choice(WindowStatus)] = WindowStatus.AVAILABLE
    counterparty: str = Field(default="", max_length=200)
    # Not in model_dump(): the avails algebra does not use it; services write it by name.
    buyer_organisation_id: int | None = Field(
        default=None,
        ge=1,
        exclude=True,
        description="Sold rights only: the id of the buyer's organisation on ReelMarket.",
    )
    note: str = Field(default="", max_length=300)

    @field_validator("territories", "excluded")
    @classmethod
    def _codes(cls, value: list[str]) -> list[str]:
        codes = [c.strip().upper() for c in value if c.strip()]
        try:
            expand(include=codes)
        except UnknownTerritory as exc:
            raise ValueError(str(exc)) from None
        return codes

    @model_validator(mode="after")
    def _consistent(self) -> RightsInput:
        if self.ends_on is not None and self.ends_on < self.starts_on:
            raise ValueError("ends_on is before starts_on")
        if not expand(include=self.territories, exclude=self.excluded):
            raise ValueError("the exclusions leave no territory")
        if self.status != WindowStatus.AVAILABLE and not self.counterparty:
            raise ValueError("say who the rights are sold to or held for (counterparty)")
        if self.buyer_organisation_id is not None and self.status != WindowStatus.SOLD:
            raise ValueError("a buyer company is only for sold rights (buyer_organisation_id)")
        return self


class TitleInput(_Strict):
    reference: str = Field(min_length=1, max_length=64)
    kind: Annotated[str, _choice(TitleKind)]
    original_title: str = Field(min_length=1, max_length=300)
    original_language: LanguageTag
    year: int | None = Field(default=None, ge=1888, le=2100)
    runtime_minutes: int | None = Field(default=None, ge=1, le=32_767)
    episodes: int | None = Field(default=None, ge=1, le=32_767)
    episode_minutes: int | None = Field(default=None, ge=1, le=32_767)
    stage: Annotated[str, _choice(Stage)] = Stage.COMPLETED
    budget_amount: Decimal | None = Field(default=None, ge=0, max_digits=14, decimal_places=2)
    budget_currency: Currency = "USD"
    financing_secured: Decimal | None = Field(default=None, ge=0, max_digits=14, decimal_places=2)
    genres: list[Annotated[str, _choice(Genre)]] = Field(default_factory=list)
    countries: list[Country] = Field(default_factory=list)
    languages: list[LanguageTag] = Field(default_factory=list)
    texts: list[TextInput] = Field(default_factory=list)
    credits: list[CreditInput] = Field(default_factory=list)
    recognitions: list[RecognitionInput] = Field(default_factory=list)
    trailer_url: Url | None = None
    screener_url: Url | None = None
    new_this_market: bool = False
    rights: list[RightsInput] | None = Field(
        default=None, description="When given, replaces all rights windows of the title."
    )

    @model_validator(mode="after")
    def _consistent(self) -> TitleInput:
        if (
            self.budget_amount is not None
            and self.financing_secured is not None
            and self.financing_secured > self.budget_amount
        ):
            raise ValueError("financing_secured is larger than budget_amount")
        if self.financing_secured is not None and self.budget_amount is None:
            raise ValueError("financing_secured needs budget_amount")
        languages = [t.language for t in self.texts]
        if len(languages) != len(set(languages)):
            raise ValueError("two texts have the same language")
        return self

"""Forms of the public catalogue: the list's filter sidebar and the title page's avails check.

Both are GET forms. A bad value never fails the page: the field shows its error and the
list is simply not filtered on that field.
"""

from __future__ import annotations

import unicodedata
from datetime import date
from functools import lru_cache
from typing import Any

from django import forms
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from reelmarket.catalogue.avails.media import Media
from reelmarket.catalogue.avails.territories import COUNTRY_CODES, GROUPS
from reelmarket.catalogue.enums import Genre, MediaChoices, Stage, TitleKind
from reelmarket.catalogue.selectors import (
    AvailsFilter,
    TitleFilters,
    title_language_tags,
    title_owner_choices,
)
from reelmarket.web.formatting import country_name, language_name

# Group names come from the pure-Python territory vocabulary; listing them here lets
# ``makemessages`` collect them (formatting.country_name translates them with gettext).
GROUP_NAMES_FOR_TRANSLATION = (
    gettext_noop("Worldwide"),
    gettext_noop("Asia"),
    gettext_noop("East Asia"),
    gettext_noop("Greater China"),
    gettext_noop("ASEAN"),
    gettext_noop("South Asia"),
    gettext_noop("Europe"),
    gettext_noop("European Union"),
    gettext_noop("Germany, Austria & Switzerland"),
    gettext_noop("Benelux"),
    gettext_noop("Nordic countries"),
    gettext_noop("Middle East & North Africa"),
    gettext_noop("Africa"),
    gettext_noop("North America"),
    gettext_noop("Latin America & Caribbean"),
    gettext_noop("Oceania"),
    gettext_noop("Australia & New Zealand"),
)

AVAILS_FIELDS = ("media", "territory", "start", "end", "exclusive")
# Dates outside these years are typing mistakes, not licence terms.
FIRST_YEAR, LAST_YEAR = 1900, 2199


def _sort_key(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


@lru_cache(maxsize=16)
def _country_choices(language: str) -> tuple[tuple[str, str], ...]:
    with translation.override(language):
        named = [(code, country_name(code)) for code in COUNTRY_CODES]
    return tuple(sorted(named, key=lambda pair: (_sort_key(pair[1]), pair[0])))


@lru_cache(maxsize=16)
def _group_choices(language: str) -> tuple[tuple[str, str], ...]:
    with translation.override(language):
        return tuple((code, country_name(code)) for code in GROUPS)


def country_choices() -> list[tuple[str, str]]:
    """Countries in the viewer's language, sorted by their localised name."""
    return list(_country_choices(translation.get_language() or "en"))


def territory_choices() -> list[tuple[str, Any]]:
    """Groups (Worldwide, regions) then countries, as two option groups."""
    language = translation.get_language() or "en"
    return [
        (_("Regions"), list(_group_choices(language))),
        (_("Countries and territories"), list(_country_choices(language))),
    ]


def media_choices() -> list[tuple[str, str]]:
    return list(MediaChoices.choices)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class AvailsFieldsMixin(forms.Form):
    """Media × territory × term, exclusively or not; shared by both forms."""

    media = forms.ChoiceField(label=_("Media rights"), required=False)
    territory = forms.ChoiceField(label=_("Territory"), required=False)
    start = forms.DateField(label=_("From"), required=False, widget=DateInput())
    end = forms.DateField(label=_("To"), required=False, widget=DateInput())
    exclusive = forms.BooleanField(label=_("Exclusive rights"), required=False)

    def _init_avails_choices(self, *, required: bool) -> None:
        blank = [("", _("Any media") if not required else _("Choose media"))]
        self.fields["media"].choices = blank + media_choices()
        self.fields["territory"].choices = [
            ("", _("Any territory") if not required else _("Choose a territory")),
            *territory_choices(),
        ]
        self.fields["media"].required = required
        self.fields["territory"].required = required
        self.fields["start"].help_text = _("Empty means today.")
        self.fields["end"].help_text = _("Empty means the “From” day only.")

    def clean_start(self) -> date | None:
        return self._check_year(self.cleaned_data.get("start"))

    def clean_end(self) -> date | None:
        return self._check_year(self.cleaned_data.get("end"))

    @staticmethod
    def _check_year(value: date | None) -> date | None:
        if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
            raise forms.ValidationError(
                _("Enter a date between the years %(first)s and %(last)s."),
                params={"first": FIRST_YEAR, "last": LAST_YEAR},
                code="year_range",
            )
        return value

    def _clean_avails(self) -> None:
        """Cross-field checks; the resulting filter (or None) goes to ``cleaned_data``."""
        data = self.cleaned_data
        data["avails"] = None
        if any(name in self.errors for name in AVAILS_FIELDS):
            return
        media, territory = data.get("media"), data.get("territory")
        start, end = data.get("start"), data.get("end")
        if not media and not territory:
            if start or end:
                self.add_error(
                    "media", _("Choose media rights and a territory to search by availability.")
                )
            return
        if not territory:
            self.add_error("territory", _("Choose a territory to search by availability."))
            return
        if not media:
            self.add_error("media", _("Choose media rights to search by availability."))
            return
        today = timezone.localdate()
        if start is None:
            start = today if end is None or end >= today else end
        if end is None:
            end = start
        if end < start:
            self.add_error("end", _("“To” is before “From”."))
            return
        data["avails"] = AvailsFilter(
            media=Media(media),
            territory=territory,
            start=start,
            end=end,
            exclusive=bool(data.get("exclusive")),
        )

    def avails(self) -> AvailsFilter | None:
        """The valid avails filter, or None (call after ``is_valid()``)."""
        return getattr(self, "cleaned_data", {}).get("avails")


class TitleFilterForm(AvailsFieldsMixin):
    """The catalogue list's sidebar."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Title, logline or company")}
        ),
    )
    kind = forms.MultipleChoiceField(
        label=_("Type"),
        required=False,
        choices=TitleKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    genre = forms.MultipleChoiceField(
        label=_("Genre"), required=False, choices=Genre.choices, widget=forms.CheckboxSelectMultiple
    )
    country = forms.ChoiceField(label=_("Country of origin"), required=False)
    language = forms.ChoiceField(label=_("Original language"), required=False)
    stage = forms.MultipleChoiceField(
        label=_("Stage"), required=False, choices=Stage.choices, widget=forms.CheckboxSelectMultiple
    )
    new = forms.BooleanField(label=_("New this market only"), required=False)
    owner = forms.ChoiceField(label=_("Company"), required=False)

    field_order = ["q", "new", "kind", "genre", "country", "language", "stage", "owner"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("Any country")), *country_choices()]
        self.fields["language"].choices = [
            ("", _("Any language")),
            *sorted(
                ((tag, language_name(tag)) for tag in title_language_tags()),
                key=lambda pair: _sort_key(pair[1]),
            ),
        ]
        self._owners = {slug: (pk, name) for pk, slug, name in title_owner_choices()}
        self.fields["owner"].choices = [
            ("", _("Any company")),
            *((slug, name) for slug, (_pk, name) in self._owners.items()),
        ]
        self._init_avails_choices(required=False)

    def clean(self) -> dict[str, Any]:
        super().clean()
        self._clean_avails()
        return self.cleaned_data

    def owner_name(self) -> str:
        slug = getattr(self, "cleaned_data", {}).get("owner")
        return self._owners[slug][1] if slug else ""

    def filters(self) -> TitleFilters:
        """The filters built from the valid fields (call after ``is_valid()``)."""
        data = getattr(self, "cleaned_data", {})
        owner = data.get("owner")
        return TitleFilters(
            q=data.get("q", ""),
            kinds=tuple(data.get("kind", ())),
            genres=tuple(data.get("genre", ())),
            countries=(data["country"],) if data.get("country") else (),
            languages=(data["language"],) if data.get("language") else (),
            stages=tuple(data.get("stage", ())),
            owner_id=self._owners[owner][0] if owner else None,
            new_only=bool(data.get("new")),
            avails=data.get("avails"),
        )


class AvailsCheckForm(AvailsFieldsMixin):
    """The title page's "check availability" mini-form: media and territory required."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._init_avails_choices(required=True)

    def clean(self) -> dict[str, Any]:
        super().clean()
        self._clean_avails()
        return self.cleaned_data

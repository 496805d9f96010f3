"""Forms of the exhibitor's catalogue editor.

They only present fields and parse what the browser sends. What a title must be is
decided by ``catalogue.inputs.TitleInput`` / ``RightsInput`` (the same rules the API and
the importer use): ``title_input_from_forms`` and ``rights_inputs_from_formset`` build
those inputs and put pydantic's complaints back on the form fields and rows they concern.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from babel.numbers import get_currency_name, list_currencies
from django import forms
from django.conf import settings
from django.forms.formsets import BaseFormSet, formset_factory
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from reelmarket.accounts.forms import (
    TagListField,
    localized_country_choices,
    localized_territory_choices,
)
from reelmarket.catalogue.enums import (
    CreditRole,
    Genre,
    MediaChoices,
    RecognitionKind,
    Stage,
    TitleKind,
    WindowStatus,
)
from reelmarket.catalogue.inputs import (
    TITLE_SCALAR_FIELDS,
    CreditInput,
    RecognitionInput,
    RightsInput,
    TextInput,
    TitleInput,
)
from reelmarket.catalogue.models import Title
from reelmarket.catalogue.selectors import buyer_organisation_choices
from reelmarket.market.models import Organisation
from reelmarket.market.selectors import current_edition
from reelmarket.web import formatting

# Suggested in the language fields (any BCP 47 tag is accepted).
LANGUAGE_SUGGESTIONS = [
    "en",
    "zh",
    "zh-Hant",
    "zh-Hans",
    "yue",
    "ja",
    "ko",
    "th",
    "vi",
    "id",
    "ms",
    "fil",
    "hi",
    "ta",
    "te",
    "ml",
    "bn",
    "ur",
    "fa",
    "ar",
    "tr",
    "he",
    "fr",
    "de",
    "es",
    "pt",
    "pt-BR",
    "it",
    "nl",
    "sv",
    "da",
    "nb",
    "fi",
    "pl",
    "ru",
    "uk",
]


def language_suggestions() -> list[tuple[str, str]]:
    return [(tag, formatting.language_name(tag)) for tag in LANGUAGE_SUGGESTIONS]


@lru_cache(maxsize=8)
def _currency_choices(locale: str) -> tuple[tuple[str, str], ...]:
    return tuple(
        (code, f"{code} — {get_currency_name(code, locale=locale)}")
        for code in sorted(list_currencies())
    )


CURRENCIES: frozenset[str] = frozenset(list_currencies())

# What Pillow may find in a poster, and the file extension it is stored under.
POSTER_FORMATS: dict[str, str] = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


def currency_choices() -> list[tuple[str, str]]:
    """ISO 4217 currencies, named in the viewer's language."""
    return list(_currency_choices(str(formatting.viewer_locale())))


def _blank(label: Any = None) -> list[tuple[str, Any]]:
    return [("", label or _("— choose —"))]


def _language_input(**attrs: Any) -> forms.TextInput:
    return forms.TextInput(
        attrs={"list": "language-tags", "autocomplete": "off", "size": 10, **attrs}
    )


# --- the title form and its rows ----------------------------------------------------------


class TitleForm(forms.Form):
    owner = forms.ModelChoiceField(
        label=_("Owner organisation"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        help_text=_("Organisers choose whose catalogue the new title joins."),
    )
    reference = forms.CharField(
        label=_("Your reference"),
        max_length=64,
        required=False,
        help_text=_("Your own catalogue number, unique in your catalogue; it cannot change."),
        widget=forms.TextInput(attrs={"required": True}),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=TitleKind.choices)
    original_title = forms.CharField(
        label=_("Original title"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"required": True}),
    )
    original_language = forms.CharField(
        label=_("Original language"),
        max_length=20,
        required=False,
        help_text=_("A language tag such as ja, ko, zh-Hant, en."),
        widget=_language_input(required=True),
    )
    year = forms.IntegerField(label=_("Year"), required=False)
    runtime_minutes = forms.IntegerField(label=_("Runtime (minutes)"), required=False)
    episodes = forms.IntegerField(label=_("Episodes"), required=False)
    episode_minutes = forms.IntegerField(label=_("Episode length (minutes)"), required=False)
    stage = forms.ChoiceField(
        label=_("Production stage"), choices=Stage.choices, initial=Stage.COMPLETED
    )
    budget_amount = forms.DecimalField(label=_("Budget"), required=False)
    budget_currency = forms.ChoiceField(label=_("Currency"), initial="USD")
    financing_secured = forms.DecimalField(
        label=_("Financing secured"),
        required=False,
        help_text=_("The gap (budget minus secured) is worked out for you."),
    )
    genres = forms.MultipleChoiceField(
        label=_("Genres"),
        choices=Genre.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    countries = forms.MultipleChoiceField(
        label=_("Countries of origin"),
        required=False,
        help_text=_("Hold Ctrl (⌘ on a Mac) to choose several."),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    languages = TagListField(
        label=_("Languages"),
        required=False,
        help_text=_("Spoken languages, separated by commas: ja, en."),
    )
    trailer_url = forms.URLField(label=_("Trailer link"), required=False, assume_scheme="https")
    screener_url = forms.URLField(
        label=_("Screener link"),
        required=False,
        assume_scheme="https",
        help_text=_("Shown only to buyers the organisers have vetted."),
    )
    poster = forms.ImageField(
        label=_("Poster"),
        required=False,
        validators=list(Title._meta.get_field("poster").validators),
        help_text=_("JPEG, PNG or WebP."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    new_this_market = forms.BooleanField(label=_("New this market"), required=False)
    is_published = forms.BooleanField(
        label=_("Published"),
        required=False,
        initial=True,
        help_text=_("Unpublished titles are seen only by your organisation and the organisers."),
    )

    def __init__(self, *args: Any, creating: bool, choose_owner: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.creating = creating
        self.fields["countries"].choices = localized_country_choices()
        self.fields["budget_currency"].choices = currency_choices()
        if not creating:
            self.fields["reference"].disabled = True
        if not choose_owner:
            del self.fields["owner"]
        else:
            self.fields["owner"].widget.attrs["required"] = True
        # Poster limits are told before the upload, not only after.
        limit_mb = round(settings.MAX_IMAGE_UPLOAD_BYTES / 1_048_576, 1)
        self.fields["poster"].help_text = _("JPEG, PNG or WebP, at most %(limit)s MB.") % {
            "limit": limit_mb
        }

    def clean_poster(self) -> Any:
        poster = self.cleaned_data.get("poster")
        image = getattr(poster, "image", None)
        if image is not None and image.format not in POSTER_FORMATS:
            raise forms.ValidationError(_("Upload a JPEG, PNG or WebP image."), code="format")
        return poster

    def clean_owner(self) -> Organisation | None:
        owner = self.cleaned_data.get("owner")
        if "owner" in self.fields and owner is None:
            raise forms.ValidationError(_("Choose the organisation that owns the title."))
        return owner


class RowFormSet(BaseFormSet):
    """Rows the editor may leave blank: a blank row is ignored, a ticked "remove" dropped.

    Every bound row is treated as an extra row (``empty_permitted``), so rows added in the
    browser or cleared by the user never block saving.
    """

    def initial_form_count(self) -> int:
        return 0 if self.is_bound else super().initial_form_count()

    def rows(self) -> list[forms.Form]:
        """The rows that take part in the save, in order (after ``is_valid()``)."""
        return [
            form
            for form in self.forms
            if form.has_changed() and not (self.can_delete and self._should_delete_form(form))
        ]


class TextForm(forms.Form):
    language = forms.CharField(
        label=_("Language"), max_length=20, required=False, widget=_language_input()
    )
    name = forms.CharField(label=_("Title in this language"), max_length=300, required=False)
    logline = forms.CharField(label=_("Logline"), max_length=500, required=False)
    synopsis = forms.CharField(
        label=_("Synopsis"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class CreditForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Role"), choices=_blank() + list(CreditRole.choices), required=False
    )
    name = forms.CharField(label=_("Name"), max_length=200, required=False)


class RecognitionForm(forms.Form):
    festival = forms.CharField(label=_("Festival or awards"), max_length=200, required=False)
    year = forms.IntegerField(
        label=_("Year"), required=False, widget=forms.NumberInput(attrs={"size": 5})
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=_blank() + list(RecognitionKind.choices), required=False
    )
    award = forms.CharField(label=_("Award or section"), max_length=200, required=False)


TextFormSet = formset_factory(TextForm, formset=RowFormSet, extra=1, can_delete=True)
CreditFormSet = formset_factory(CreditForm, formset=RowFormSet, extra=3, can_delete=True)
RecognitionFormSet = formset_factory(RecognitionForm, formset=RowFormSet, extra=1, can_delete=True)


# --- rights windows -----------------------------------------------------------------------


class RightsWindowForm(forms.Form):
    media = forms.ChoiceField(
        label=_("Media"), choices=_blank() + list(MediaChoices.choices), required=False
    )
    territories = forms.MultipleChoiceField(
        label=_("Territories"), required=False, widget=forms.SelectMultiple(attrs={"size": 5})
    )
    excluded = forms.MultipleChoiceField(
        label=_("Excluding"), required=False, widget=forms.SelectMultiple(attrs={"size": 5})
    )
    starts_on = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=_("Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Blank: open-ended."),
    )
    exclusive = forms.BooleanField(label=_("Exclusive"), required=False, initial=True)
    status = forms.ChoiceField(
        label=_("Status"), choices=WindowStatus.choices, initial=WindowStatus.AVAILABLE
    )
    counterparty = forms.CharField(label=_("Sold to / held for"), max_length=200, required=False)
    buyer_organisation = forms.TypedChoiceField(
        label=_("Sold to (registered company)"),
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("Only for sold rights: the buyer's company, when it is on ReelMarket."),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(
        self, *args: Any, buyer_choices: Sequence[tuple[int, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].required = False
        choices = localized_territory_choices()
        self.fields["territories"].choices = choices
        self.fields["excluded"].choices = choices
        if buyer_choices is None:  # a row added in the browser: the edition's companies
            buyer_choices = buyer_organisation_choices(edition=current_edition())
        self.buyer_names = dict(buyer_choices)
        self.fields["buyer_organisation"].choices = _blank() + list(buyer_choices)


RightsFormSet = formset_factory(RightsWindowForm, formset=RowFormSet, extra=2, can_delete=True)

ROW_FORMSETS: dict[str, type[RowFormSet]] = {
    "texts": TextFormSet,
    "credits": CreditFormSet,
    "recognitions": RecognitionFormSet,
    "rights": RightsFormSet,
}


# --- pydantic errors back onto the forms ---------------------------------------------------

# Messages of the cross-field rules in catalogue.inputs: which field they belong to and the
# words shown to people (pydantic's own are English developer messages).
_RULE_MESSAGES: dict[str, tuple[str | None, Any]] = {
    "financing_secured is larger than budget_amount": (
        "financing_secured",
        _("The financing secured cannot be larger than the budget."),
    ),
    "financing_secured needs budget_amount": (
        "budget_amount",
        _("Give the budget when you give the financing secured."),
    ),
    "two texts have the same language": (
        None,
        _("Two texts have the same language; keep one text per language."),
    ),
    "ends_on is before starts_on": ("ends_on", _("The end date is before the start date.")),
    "the exclusions leave no territory": ("excluded", _("The exclusions leave no territory.")),
    "say who the rights are sold to or held for (counterparty)": (
        "counterparty",
        _("Say who the rights are sold to or held for."),
    ),
    "a buyer company is only for sold rights (buyer_organisation_id)": (
        "buyer_organisation",
        _("Choose a buyer company only when the rights are sold."),
    ),
}


def _raw_value_error(error: dict[str, Any]) -> str:
    ctx = error.get("ctx") or {}
    if "error" in ctx:
        return str(ctx["error"])
    msg = str(error.get("msg", ""))
    return msg.removeprefix("Value error, ")


def pydantic_message(error: dict[str, Any]) -> str:
    """Words for one pydantic error, in the viewer's language where we know the rule."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind in ("missing", "string_too_short", "too_short"):
        return str(_("This field is required."))
    if kind == "string_too_long":
        limit = ctx.get("max_length", 0)
        return ngettext(
            "Use at most %(limit)d character.", "Use at most %(limit)d characters.", limit
        ) % {"limit": limit}
    if kind in ("greater_than_equal", "greater_than"):
        return str(_("Enter a value of at least %(limit)s.")) % {
            "limit": ctx.get("ge", ctx.get("gt"))
        }
    if kind in ("less_than_equal", "less_than"):
        return str(_("Enter a value of at most %(limit)s.")) % {
            "limit": ctx.get("le", ctx.get("lt"))
        }
    if kind.startswith("url"):
        return str(_("Enter a web address starting with https://"))
    if kind in ("int_parsing", "int_type", "int_from_float", "decimal_parsing", "decimal_type"):
        return str(_("Enter a number."))
    if kind in ("decimal_max_digits", "decimal_whole_digits"):
        return str(_("This number is too large."))
    if kind == "decimal_max_places":
        return str(_("Use at most %(places)s decimal places.")) % {
            "places": ctx.get("decimal_places")
        }
    if kind.startswith("date"):
        return str(_("Enter a valid date."))
    if kind == "value_error":
        raw = _raw_value_error(error)
        known = _RULE_MESSAGES.get(raw)
        return str(known[1]) if known else raw
    return str(error.get("msg", ""))


def _without_blanks(model: type[BaseModel], data: dict[str, Any]) -> dict[str, Any]:
    """Leave out blank values of required fields, so pydantic says "required"."""
    fields = model.model_fields
    return {
        key: value
        for key, value in data.items()
        if not (fields[key].is_required() and value in (None, "", []))
    }


def _add(form: forms.Form, field: str | None, message: str) -> None:
    if field is not None and field not in form.fields:
        field = None
    form.add_error(field, message)


def _apply_errors(
    exc: PydanticValidationError,
    *,
    form: forms.Form,
    rows: dict[str, Sequence[forms.Form]],
) -> None:
    for error in exc.errors():
        loc = error["loc"]
        message = pydantic_message(error)
        if not loc:
            known = _RULE_MESSAGES.get(_raw_value_error(error))
            _add(form, known[0] if known else None, message)
        elif loc[0] in rows and len(loc) >= 2 and isinstance(loc[1], int):
            row_forms = rows[str(loc[0])]
            target = row_forms[loc[1]]
            _add(target, str(loc[2]) if len(loc) > 2 else None, message)
        else:
            _add(form, str(loc[0]), message)


_ROW_FIELDS = {
    "texts": ("language", "name", "logline", "synopsis"),
    "credits": ("role", "name"),
    "recognitions": ("festival", "year", "kind", "award"),
}


def _row_data(kind: str, form: forms.Form) -> dict[str, Any]:
    return {f: form.cleaned_data.get(f) for f in _ROW_FIELDS[kind]}


_TITLE_FIELDS = (
    *TITLE_SCALAR_FIELDS,
    "genres",
    "countries",
    "languages",
    "trailer_url",
    "screener_url",
    "new_this_market",
)


def title_input_from_forms(
    *,
    form: TitleForm,
    formsets: dict[str, RowFormSet],
    reference: str,
) -> TitleInput | None:
    """The TitleInput for valid forms, or None after putting every complaint on the forms.

    ``reference`` is the title's reference (the form's on create, the stored one on edit).
    """
    data: dict[str, Any] = {f: form.cleaned_data.get(f) for f in _TITLE_FIELDS}
    data["reference"] = reference
    for key in ("trailer_url", "screener_url"):
        data[key] = data[key] or None
    rows = {kind: formsets[kind].rows() for kind in _ROW_FIELDS}
    for kind, row_forms in rows.items():
        data[kind] = [_without_blanks(_ROW_MODELS[kind], _row_data(kind, f)) for f in row_forms]
    try:
        return TitleInput.model_validate(_without_blanks(TitleInput, data))
    except PydanticValidationError as exc:
        _apply_errors(exc, form=form, rows=rows)
        _mark_duplicate_languages(rows["texts"])
        return None


def _mark_duplicate_languages(text_rows: Sequence[forms.Form]) -> None:
    counts = Counter(f.cleaned_data.get("language") for f in text_rows)
    seen: set[str] = set()
    for f in text_rows:
        language = f.cleaned_data.get("language")
        if counts[language] > 1 and language in seen and "language" not in f.errors:
            f.add_error("language", str(_("This language has a text already.")))
        seen.add(language)


_ROW_MODELS: dict[str, type[BaseModel]] = {
    "texts": TextInput,
    "credits": CreditInput,
    "recognitions": RecognitionInput,
}

_RIGHTS_FIELDS = (
    "media",
    "territories",
    "excluded",
    "starts_on",
    "ends_on",
    "exclusive",
    "status",
    "counterparty",
    "buyer_organisation",
    "note",
)


def rights_inputs_from_formset(
    formset: RowFormSet,
) -> tuple[list[RightsInput], list[forms.Form]] | None:
    """``(windows, their rows)`` for a valid formset, else None with errors on the rows."""
    inputs: list[RightsInput] = []
    row_forms = formset.rows()
    ok = True
    for row in row_forms:
        data = {f: row.cleaned_data.get(f) for f in _RIGHTS_FIELDS}
        data["status"] = data["status"] or WindowStatus.AVAILABLE
        data["buyer_organisation_id"] = buyer = data.pop("buyer_organisation")
        if buyer is not None and not data["counterparty"]:  # "sold to" defaults to the company
            data["counterparty"] = row.buyer_names.get(buyer, "")
        try:
            inputs.append(RightsInput.model_validate(_without_blanks(RightsInput, data)))
        except PydanticValidationError as exc:
            ok = False
            for error in exc.errors():
                loc = error["loc"]
                field = str(loc[0]) if loc else None
                if field == "buyer_organisation_id":
                    field = "buyer_organisation"
                if field is None:
                    known = _RULE_MESSAGES.get(_raw_value_error(error))
                    field = known[0] if known else None
                _add(row, field, pydantic_message(error))
    return (inputs, row_forms) if ok else None


# --- initial data for editing -------------------------------------------------------------


def title_initial(title: Title) -> dict[str, Any]:
    initial: dict[str, Any] = {
        f: getattr(title, f) for f in _TITLE_FIELDS if f not in ("genres", "countries", "languages")
    }
    initial.update(
        reference=title.reference,
        genres=[g.genre for g in title.genres.all()],
        countries=[c.country for c in title.countries.all()],
        languages=[lang.language for lang in title.languages.all()],
        poster=title.poster,
        is_published=title.is_published,
    )
    return initial


def rows_initial(title: Title) -> dict[str, list[dict[str, Any]]]:
    return {
        "texts": [
            {"language": t.language, "name": t.name, "logline": t.logline, "synopsis": t.synopsis}
            for t in title.texts.all()
        ],
        "credits": [{"role": c.role, "name": c.name} for c in title.credits.all()],
        "recognitions": [
            {"festival": r.festival, "year": r.year, "kind": r.kind, "award": r.award}
            for r in title.recognitions.all()
        ],
    }


def rights_initial(title: Title) -> list[dict[str, Any]]:
    fields = [f for f in _RIGHTS_FIELDS if f != "buyer_organisation"]
    return [
        {**{f: getattr(w, f) for f in fields}, "buyer_organisation": w.buyer_organisation_id}
        for w in title.rights.all()
    ]

"""HTML forms of the Producers Connect pages. They parse input; the services decide.

``apply_errors`` puts a service's ``ValidationError`` next to the fields it names.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from babel.numbers import get_currency_name
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from reelmarket.accounts.forms import TagListField, localized_country_choices
from reelmarket.catalogue.enums import Genre
from reelmarket.financing import documents
from reelmarket.financing.enums import (
    DocumentKind,
    InvestorKind,
    PartnerKind,
    ProjectKind,
    ProjectStage,
    SourceKind,
    SourceStatus,
)
from reelmarket.financing.money import SUPPORTED_CURRENCIES
from reelmarket.financing.selectors import InvestorFilters, ProjectFilters
from reelmarket.financing.services import InvestorData, PartnerData, ProjectData, SourceData
from reelmarket.web import formatting

MULTI = {"size": 6}
AMOUNT = {"max_digits": 14, "decimal_places": 2, "min_value": Decimal("0")}


def currency_choices() -> list[tuple[str, str]]:
    """The market's currencies (those with an indicative USD rate), named for the viewer."""
    locale = formatting.viewer_locale()
    return [
        (c, f"{c} — {get_currency_name(c, locale=locale)}") for c in sorted(SUPPORTED_CURRENCIES)
    ]


def apply_errors(form: forms.Form, exc: ValidationError) -> None:
    """Attach a service's errors to ``form`` (unknown field names go to the top)."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _countries_field(label: Any, help_text: Any = "") -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        required=False,
        help_text=help_text or _("Hold Ctrl (⌘ on a Mac) to choose several."),
        widget=forms.SelectMultiple(attrs=MULTI),
    )


# ---- projects -------------------------------------------------------------------------------


class ProjectForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    original_title = forms.CharField(label=_("Original title"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=ProjectKind.choices)
    stage = forms.ChoiceField(label=_("Stage"), choices=ProjectStage.choices)
    genres = forms.MultipleChoiceField(
        label=_("Genres"),
        choices=Genre.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    logline = forms.CharField(label=_("Logline"), max_length=300, required=False)
    synopsis = forms.CharField(
        label=_("Synopsis"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    runtime_minutes = forms.IntegerField(
        label=_("Running time (minutes)"), required=False, min_value=1, max_value=1000
    )
    episodes = forms.IntegerField(
        label=_("Episodes (series)"), required=False, min_value=1, max_value=1000
    )
    countries = _countries_field(_("Production countries"))
    target_markets = _countries_field(_("Target markets"))
    language = forms.CharField(
        label=_("Language of these texts"),
        max_length=16,
        initial="en",
        help_text=_("A language tag: en, zh-Hant, ja …"),
    )
    shooting_languages = TagListField(
        label=_("Spoken languages"),
        required=False,
        help_text=_("Language tags separated by commas: yue, en."),
    )
    budget = forms.DecimalField(label=_("Total budget"), **AMOUNT)
    currency = forms.ChoiceField(label=_("Currency"))
    expected_completion = forms.DateField(
        label=_("Expected completion"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    seeking_financing = forms.BooleanField(
        label=_("Looking for financing: list the project in the directory"),
        required=False,
        initial=True,
    )
    documents_for_investors = forms.BooleanField(
        label=_("Approved investors may open the documents"),
        required=False,
        help_text=_(
            "Investors, funds and foundations the organisers approved for this edition. "
            "Otherwise only your team, the organisers and the people you choose."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        countries = localized_country_choices()
        self.fields["countries"].choices = countries
        self.fields["target_markets"].choices = countries
        self.fields["currency"].choices = currency_choices()

    def data_out(self) -> ProjectData:
        d = self.cleaned_data
        return ProjectData(
            title=d["title"],
            original_title=d["original_title"],
            kind=d["kind"],
            stage=d["stage"],
            genres=d["genres"],
            logline=d["logline"],
            synopsis=d["synopsis"],
            runtime_minutes=d["runtime_minutes"],
            episodes=d["episodes"],
            countries=d["countries"],
            target_markets=d["target_markets"],
            language=d["language"],
            shooting_languages=d["shooting_languages"],
            budget=d["budget"],
            currency=d["currency"],
            expected_completion=d["expected_completion"],
            seeking_financing=d["seeking_financing"],
            documents_for_investors=d["documents_for_investors"],
        )


def project_initial(project: Any) -> dict[str, Any]:
    return {name: getattr(project, name) for name in ProjectData.__dataclass_fields__}


class SourceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=SourceKind.choices)
    name = forms.CharField(label=_("Source"), max_length=200)
    amount = forms.DecimalField(label=_("Amount"), **AMOUNT)
    status = forms.ChoiceField(
        label=_("Status"), choices=SourceStatus.choices, initial=SourceStatus.SECURED
    )
    country = forms.ChoiceField(label=_("Country"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", "—"), *localized_country_choices()]

    def data_out(self) -> SourceData:
        d = self.cleaned_data
        return SourceData(
            kind=d["kind"],
            name=d["name"],
            amount=d["amount"],
            status=d["status"],
            country=d["country"],
        )


class TeamMemberForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    role = forms.CharField(
        label=_("Role"), max_length=80, help_text=_("Director, producer, writer …")
    )
    bio = forms.CharField(
        label=_("Short biography"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class PartnerForm(forms.Form):
    kind = forms.ChoiceField(label=_("Partner"), choices=[("", "—"), *PartnerKind.choices])
    country = forms.ChoiceField(label=_("From country"), required=False)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].required = False
        self.fields["country"].choices = [("", _("Any country")), *localized_country_choices()]


PartnerFormSet = forms.formset_factory(PartnerForm, extra=3, max_num=30, validate_max=True)


def partners_out(formset: Any) -> list[PartnerData]:
    return [
        PartnerData(
            kind=f.cleaned_data["kind"],
            country=f.cleaned_data["country"],
            note=f.cleaned_data["note"],
        )
        for f in formset.forms
        if f.cleaned_data.get("kind")
    ]


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document"), choices=DocumentKind.choices)
    file = forms.FileField(
        label=_("File"),
        widget=forms.ClearableFileInput(attrs={"accept": documents.ACCEPT}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit = round(documents.max_bytes() / 1_048_576, 1)
        self.fields["file"].help_text = _("PDF, JPEG, PNG or WebP, at most %(limit)s MB.") % {
            "limit": limit
        }


class GrantSearchForm(forms.Form):
    person = forms.CharField(
        label=_("Find a person by name or company"), max_length=100, required=False
    )


# ---- directories ----------------------------------------------------------------------------


class ProjectFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    stage = forms.MultipleChoiceField(
        label=_("Stage"),
        choices=ProjectStage.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    kind = forms.MultipleChoiceField(
        label=_("Kind"),
        choices=ProjectKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    genre = forms.MultipleChoiceField(
        label=_("Genre"), choices=Genre.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    country = forms.ChoiceField(label=_("Production country"), required=False)
    gap_min = forms.DecimalField(
        label=_("Gap from (USD)"),
        required=False,
        min_value=Decimal("0"),
        max_digits=14,
        decimal_places=2,
    )
    gap_max = forms.DecimalField(
        label=_("Gap up to (USD)"),
        required=False,
        min_value=Decimal("0"),
        max_digits=14,
        decimal_places=2,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("Any country")), *localized_country_choices()]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        low, high = data.get("gap_min"), data.get("gap_max")
        if low is not None and high is not None and low > high:
            self.add_error("gap_max", _("The upper end must be at least the lower end."))
        return data

    def filters(self) -> ProjectFilters:
        if not self.is_valid():
            return ProjectFilters()
        d = self.cleaned_data
        return ProjectFilters(
            q=d["q"].strip(),
            stages=d["stage"],
            kinds=d["kind"],
            genres=d["genre"],
            country=d["country"],
            gap_min_usd=d["gap_min"],
            gap_max_usd=d["gap_max"],
        )


class InvestorFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    kind = forms.MultipleChoiceField(
        label=_("Kind"),
        choices=InvestorKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    country = forms.ChoiceField(label=_("Based in"), required=False)
    all = forms.BooleanField(
        label=_("Also show profiles that rule this project out"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("Any country")), *localized_country_choices()]

    def filters(self) -> InvestorFilters:
        if not self.is_valid():
            return InvestorFilters()
        d = self.cleaned_data
        return InvestorFilters(
            q=d["q"].strip(), kinds=d["kind"], country=d["country"], include_excluded=d["all"]
        )


# ---- investor profile -----------------------------------------------------------------------


class InvestorProfileForm(forms.Form):
    kind = forms.ChoiceField(label=_("We are a"), choices=InvestorKind.choices)
    ticket_min = forms.DecimalField(label=_("Smallest ticket"), **AMOUNT)
    ticket_max = forms.DecimalField(label=_("Largest ticket"), **AMOUNT)
    currency = forms.ChoiceField(label=_("Currency"), initial="USD")
    kinds = forms.MultipleChoiceField(
        label=_("Kinds of project"),
        choices=ProjectKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: any kind."),
    )
    stages = forms.MultipleChoiceField(
        label=_("Stages"),
        choices=ProjectStage.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: any stage."),
    )
    genres = forms.MultipleChoiceField(
        label=_("Genres"),
        choices=Genre.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    regions = _countries_field(_("Countries we invest in"))
    treaties = _countries_field(_("Co-production treaties we can use (with these countries)"))
    impact_focus = forms.CharField(
        label=_("Impact focus"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: independent and non-mainstream film, women directors."),
    )
    statement = forms.CharField(
        label=_("What we look for"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        countries = localized_country_choices()
        self.fields["regions"].choices = countries
        self.fields["treaties"].choices = countries
        self.fields["currency"].choices = currency_choices()

    def data_out(self) -> InvestorData:
        d = self.cleaned_data
        return InvestorData(
            kind=d["kind"],
            ticket_min=d["ticket_min"],
            ticket_max=d["ticket_max"],
            currency=d["currency"],
            genres=d["genres"],
            kinds=d["kinds"],
            regions=d["regions"],
            stages=d["stages"],
            treaties=d["treaties"],
            impact_focus=d["impact_focus"],
            statement=d["statement"],
        )


def investor_initial(profile: Any) -> dict[str, Any]:
    return {name: getattr(profile, name) for name in InvestorData.__dataclass_fields__}

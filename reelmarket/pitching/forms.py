"""HTML forms of the application pages. They validate input only; services decide."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import FileExtensionValidator, MinValueValidator
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from reelmarket.catalogue.enums import Genre
from reelmarket.financing.enums import ProjectKind, ProjectStage, SourceKind, SourceStatus
from reelmarket.market.validators import validate_country, validate_image_size
from reelmarket.pitching.enums import WORD_LIMITS, SubmissionState, TextField, TextLanguage
from reelmarket.pitching.models import IMAGE_EXTENSIONS, Section
from reelmarket.pitching.services import UNCHANGED, ProjectData, SourceData
from reelmarket.pitching.texts import LANGUAGES

# The market's currencies (``financing.money`` has a rate for each).
CURRENCIES = (
    "USD HKD CNY TWD JPY KRW THB VND IDR SGD MYR PHP EUR GBP AUD CAD INR".split()  # noqa: SIM905
)
NEW_PROJECT = "new"
MAX_SOURCES = 12


class SectionChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Section) -> str:
        return obj.name


def _text_field(field: TextField, language: str) -> forms.CharField:
    limit = WORD_LIMITS[field][language]
    unit = _("characters") if language == TextLanguage.ZH else _("words")
    return forms.CharField(
        label=format_lazy("{} ({})", field.label, TextLanguage(language).label),
        required=False,
        strip=True,
        widget=forms.Textarea(
            attrs={
                "rows": 2 if field == TextField.LOGLINE else 6,
                "data-count-language": language,
                "data-limit": str(limit),
                "lang": "zh" if language == TextLanguage.ZH else "en",
                "data-unit": unit,
            }
        ),
        help_text=format_lazy("{} {} {}", _("Up to"), limit, unit),
    )


class SubmissionForm(forms.Form):
    """The application: section, project (one of mine, or a new one), texts, media.

    ``submission`` given: editing that draft (the project is fixed and its fields edit it).
    """

    section = SectionChoice(
        label=_("Section"), queryset=Section.objects.none(), widget=forms.RadioSelect
    )
    project = forms.ChoiceField(label=_("Project"), required=False)
    # The project (new, or the draft's own).
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=ProjectKind.choices, required=False)
    stage = forms.ChoiceField(label=_("Stage"), choices=ProjectStage.choices, required=False)
    genres = forms.MultipleChoiceField(
        label=_("Genres"),
        choices=Genre.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    runtime_minutes = forms.IntegerField(
        label=_("Running time (minutes)"), min_value=1, max_value=10_000, required=False
    )
    budget = forms.DecimalField(
        label=_("Total budget"),
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0"),
        required=False,
    )
    currency = forms.ChoiceField(
        label=_("Currency"), choices=[(c, c) for c in CURRENCIES], initial="USD", required=False
    )
    poster = forms.ImageField(
        label=_("Poster (optional)"),
        required=False,
        validators=[FileExtensionValidator(IMAGE_EXTENSIONS), validate_image_size],
        help_text=_("JPEG, PNG or WebP."),
    )
    remove_poster = forms.BooleanField(label=_("Remove the poster"), required=False)
    screener_1 = forms.URLField(label=_("Screener link"), required=False, assume_scheme="https")
    screener_2 = forms.URLField(
        label=_("Second screener link"), required=False, assume_scheme="https"
    )

    PROJECT_FIELDS = ("title", "kind", "stage", "budget", "currency")

    def __init__(
        self,
        *args: Any,
        call: Any,
        projects: Any = (),
        submission: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.call = call
        self.submission = submission
        self.fields["section"].queryset = Section.objects.filter(call=call).order_by(
            "position", "id"
        )
        self.projects = {str(p.pk): p for p in projects}
        if submission is None:
            self.fields["project"].choices = [(NEW_PROJECT, _("A new project"))] + [
                (key, p.title) for key, p in self.projects.items()
            ]
            self.fields["project"].initial = NEW_PROJECT
            del self.fields["remove_poster"]
        else:
            del self.fields["project"]
        for field in TextField:
            for language in LANGUAGES:
                self.fields[f"{field}_{language}"] = _text_field(field, language)

    # -- groups for the template ------------------------------------------------------------

    @property
    def text_rows(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        return [(str(f.label), self[f"{f}_en"], self[f"{f}_zh"]) for f in TextField]

    @property
    def project_fields(self) -> list[forms.BoundField]:
        return [
            self[n]
            for n in ("title", "kind", "stage", "runtime_minutes", "budget", "currency", "genres")
        ]

    # -- validation -------------------------------------------------------------------------

    def new_project(self) -> bool:
        return self.submission is None and self.cleaned_data.get("project") == NEW_PROJECT

    def edits_project(self) -> bool:
        return self.submission is not None or self.new_project()

    def clean_project(self) -> str:
        value = self.cleaned_data.get("project") or NEW_PROJECT
        if value != NEW_PROJECT and value not in self.projects:
            raise forms.ValidationError(_("Choose one of your projects."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.edits_project():
            for name in self.PROJECT_FIELDS:
                if data.get(name) in (None, ""):
                    self.add_error(name, _("This field is required."))
        return data

    def chosen_project(self) -> Any:
        """The existing project picked on the new-submission page (None: a new one)."""
        if self.submission is not None or self.new_project():
            return None
        return self.projects[self.cleaned_data["project"]]

    def project_data(self, sources: list[SourceData]) -> ProjectData | None:
        if not self.edits_project():
            return None
        d = self.cleaned_data
        return ProjectData(
            title=d["title"],
            kind=d["kind"],
            stage=d["stage"],
            budget=d["budget"],
            currency=d["currency"],
            genres=list(d.get("genres") or []),
            runtime_minutes=d.get("runtime_minutes"),
            sources=sources,
        )

    def text_values(self) -> dict[str, str]:
        return {
            f"{f}_{lang}": self.cleaned_data.get(f"{f}_{lang}", "")
            for f in TextField
            for lang in LANGUAGES
        }

    def screeners(self) -> list[str]:
        return [self.cleaned_data.get("screener_1", ""), self.cleaned_data.get("screener_2", "")]

    def poster_change(self) -> Any:
        """The new poster, None to remove it, or ``services.UNCHANGED``."""
        if self.cleaned_data.get("poster"):
            return self.cleaned_data["poster"]
        if self.cleaned_data.get("remove_poster"):
            return None
        return UNCHANGED


class SourceForm(forms.Form):
    """One line of the financing plan; a row left empty is ignored."""

    kind = forms.ChoiceField(
        label=_("Type"), choices=[("", "—"), *SourceKind.choices], required=False
    )
    name = forms.CharField(label=_("Source"), max_length=200, required=False)
    amount = forms.DecimalField(
        label=_("Amount"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
        required=False,
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=SourceStatus.choices, initial=SourceStatus.SECURED
    )
    country = forms.CharField(label=_("Country"), max_length=2, required=False)

    def clean_country(self) -> str:
        country = (self.cleaned_data.get("country") or "").upper()
        if country:
            validate_country(country)
        return country

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("name") and data.get("amount") is None:
            return data
        if not data.get("name"):
            self.add_error("name", _("Name the source."))
        if data.get("amount") is None:
            self.add_error("amount", _("Give the amount."))
        if not data.get("kind"):
            self.add_error("kind", _("Choose the type."))
        return data

    def source(self) -> SourceData | None:
        d = self.cleaned_data
        if not d or not d.get("name"):
            return None
        return SourceData(
            kind=d["kind"],
            name=d["name"],
            amount=d["amount"],
            status=d.get("status") or SourceStatus.SECURED,
            country=d.get("country", ""),
        )


SourceFormSet = forms.formset_factory(
    SourceForm, extra=3, max_num=MAX_SOURCES, validate_max=True, absolute_max=MAX_SOURCES
)


def sources_of(formset: Any) -> list[SourceData]:
    return [s for s in (f.source() for f in formset.forms) if s is not None]


class MoveForm(forms.Form):
    """An organiser's move on a submission (shortlist, select, reject)."""

    to_state = forms.ChoiceField(choices=SubmissionState.choices)
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=2000)


class WithdrawForm(forms.Form):
    note = forms.CharField(label=_("Why (optional)"), required=False, max_length=2000)

"""Organiser back office for the catalogue (Django admin)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from pydantic import ValidationError as PydanticValidationError

from reelmarket.catalogue.inputs import RightsInput
from reelmarket.catalogue.models import (
    Credit,
    ImportJob,
    Recognition,
    RightsWindow,
    SavedTitle,
    Title,
    TitleCountry,
    TitleGenre,
    TitleLanguage,
    TitleText,
    TitleView,
)
from reelmarket.catalogue.services import RightsConflict, validate_rights
from reelmarket.catalogue.signals import announce_titles_changed


class TextInline(admin.StackedInline):
    model = TitleText
    extra = 0


class GenreInline(admin.TabularInline):
    model = TitleGenre
    extra = 0


class CountryInline(admin.TabularInline):
    model = TitleCountry
    extra = 0


class LanguageInline(admin.TabularInline):
    model = TitleLanguage
    extra = 0


class CreditInline(admin.TabularInline):
    model = Credit
    extra = 0


class RecognitionInline(admin.TabularInline):
    model = Recognition
    extra = 0


class RightsFormSet(BaseInlineFormSet):
    """The back office checks rights going out with the same algebra as everyone else."""

    def clean(self) -> None:
        super().clean()
        windows = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE"):
                continue
            values = {k: data.get(k) for k in RightsInput.model_fields if k in data}
            buyer = data.get("buyer_organisation")
            values["buyer_organisation_id"] = buyer.pk if buyer is not None else None
            try:
                windows.append(RightsInput.model_validate(values))
            except PydanticValidationError as exc:
                raise ValidationError(str(exc)) from None
        try:
            validate_rights(windows)
        except RightsConflict as conflict:
            raise ValidationError(conflict.messages) from None


class RightsInline(admin.TabularInline):
    model = RightsWindow
    formset = RightsFormSet
    extra = 0
    autocomplete_fields = ["buyer_organisation"]


@admin.register(Title)
class TitleAdmin(admin.ModelAdmin):
    list_display = [
        "original_title",
        "kind",
        "owner",
        "year",
        "stage",
        "new_this_market",
        "is_published",
    ]
    list_filter = ["kind", "stage", "new_this_market", "is_published"]
    search_fields = ["original_title", "reference", "owner__name", "texts__name"]
    autocomplete_fields = ["owner"]
    inlines = [
        TextInline,
        GenreInline,
        CountryInline,
        LanguageInline,
        CreditInline,
        RecognitionInline,
        RightsInline,
    ]

    def save_related(self, request: Any, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        announce_titles_changed([form.instance.pk])  # after the inlines: texts, rights

    def delete_model(self, request: Any, obj: Title) -> None:
        announce_titles_changed([obj.pk])
        super().delete_model(request, obj)

    def delete_queryset(self, request: Any, queryset: Any) -> None:
        announce_titles_changed(list(queryset.values_list("pk", flat=True)))
        super().delete_queryset(request, queryset)


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ["file_name", "owner", "status", "rows_done", "total_rows", "started_at"]
    list_filter = ["status"]
    readonly_fields = [f.name for f in ImportJob._meta.fields]


class _ReadOnlyAdmin(admin.ModelAdmin):
    """Behaviour rows are written by the site; the back office looks and may delete."""

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(SavedTitle)
class SavedTitleAdmin(_ReadOnlyAdmin):
    list_display = ["participant", "title", "created_at"]
    list_select_related = ["participant", "title"]
    search_fields = ["participant__display_name", "title__original_title"]
    date_hierarchy = "created_at"


@admin.register(TitleView)
class TitleViewAdmin(_ReadOnlyAdmin):
    list_display = ["participant", "title", "day", "count", "last_at"]
    list_select_related = ["participant", "title"]
    search_fields = ["participant__display_name", "title__original_title"]
    date_hierarchy = "day"

"""Organiser back office for calls: the call with its sections (eligibility rules) and
rubric, dates entered in the edition's time zone; submissions read-mostly (state changes go
through ``services.submission_transition``, as admin actions, so the audit log and the
e-mail follow)."""

from __future__ import annotations

import importlib.util
from datetime import datetime
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reelmarket.financing.enums import ProjectKind, ProjectStage
from reelmarket.pitching import services
from reelmarket.pitching.enums import SubmissionState
from reelmarket.pitching.errors import PitchError
from reelmarket.pitching.models import Call, Criterion, Section, Submission, SubmissionEvent

S = SubmissionState
ZONED_FIELDS = ("opens_at", "deadline")


class CallForm(forms.ModelForm):
    """The call's dates are typed and shown in the edition's time zone (stored in UTC)."""

    class Meta:
        model = Call
        fields = (
            "edition",
            "name",
            "slug",
            "description",
            "opens_at",
            "deadline",
            "currency",
            "reviewers_per_submission",
            "anonymised_review",
        )
        help_texts = {
            "opens_at": _("In the edition's time zone."),
            "deadline": _("In the edition's time zone, e.g. 23:59 on the last day."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instance = self.instance
        if instance.pk and instance.edition_id:
            zone = instance.edition.zone
            for name in ZONED_FIELDS:
                value = getattr(instance, name)
                if value is not None:
                    # Naive local time: the widget shows it as it is.
                    self.initial[name] = timezone.make_naive(value, zone)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        edition = data.get("edition")
        if edition is None:
            return data
        for name in ZONED_FIELDS:
            value: datetime | None = data.get(name)
            if value is not None:
                # The form read the typed time in the current zone; re-read it in the edition's.
                naive = timezone.make_naive(value, timezone.get_current_timezone())
                data[name] = timezone.make_aware(naive, edition.zone)
        if data.get("opens_at") and data.get("deadline") and data["deadline"] <= data["opens_at"]:
            self.add_error("deadline", _("The deadline must come after the opening."))
        return data


class SectionForm(forms.ModelForm):
    allowed_kinds = forms.MultipleChoiceField(
        label=_("project kinds accepted"),
        choices=ProjectKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every kind."),
    )
    allowed_stages = forms.MultipleChoiceField(
        label=_("stages accepted"),
        choices=ProjectStage.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every stage."),
    )

    class Meta:
        model = Section
        fields = (
            "code",
            "name",
            "kind",
            "position",
            "description",
            "max_selected",
            "allowed_kinds",
            "allowed_stages",
            "min_runtime_minutes",
            "max_runtime_minutes",
            "budget_min",
            "budget_max",
            "min_secured_share",
            "must_not_be_fully_financed",
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        low, high = data.get("min_runtime_minutes"), data.get("max_runtime_minutes")
        if low is not None and high is not None and low > high:
            self.add_error("max_runtime_minutes", _("The longest running time is too short."))
        low, high = data.get("budget_min"), data.get("budget_max")
        if low is not None and high is not None and low > high:
            self.add_error("budget_max", _("The largest budget is below the smallest."))
        return data


class SectionInline(admin.StackedInline):
    model = Section
    form = SectionForm
    extra = 0
    fieldsets = (
        (None, {"fields": (("code", "name", "kind", "position"), "description", "max_selected")}),
        (
            _("Eligibility rules (budgets in the call's currency)"),
            {
                "fields": (
                    "allowed_kinds",
                    "allowed_stages",
                    ("min_runtime_minutes", "max_runtime_minutes"),
                    ("budget_min", "budget_max"),
                    ("min_secured_share", "must_not_be_fully_financed"),
                )
            },
        ),
    )


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0
    fields = ("position", "name", "description", "weight", "scale_max")


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    form = CallForm
    list_display = ("name", "edition", "opens_at", "deadline", "reviewers_per_submission")
    list_filter = ("edition",)
    prepopulated_fields = {"slug": ("name",)}
    inlines = [SectionInline, CriterionInline]


class SubmissionEventInline(admin.TabularInline):
    model = SubmissionEvent
    extra = 0
    can_delete = False
    readonly_fields = ("created_at", "actor", "from_state", "to_state", "note")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _move_action(to_state: str, label: Any) -> Any:
    def action(modeladmin: SubmissionAdmin, request: HttpRequest, queryset: QuerySet) -> None:
        moved = 0
        for submission in queryset.order_by("section_id", "id"):
            try:
                services.submission_transition(
                    actor=request.user, submission=submission, to_state=to_state
                )
                moved += 1
            except PitchError as exc:
                modeladmin.message_user(
                    request, f"{submission.project}: {exc.message}", level=messages.ERROR
                )
        if moved:
            modeladmin.message_user(
                request,
                gettext("%(n)d submission(s) moved to: %(state)s.")
                % {"n": moved, "state": S(to_state).label},
            )

    action.__name__ = f"move_to_{to_state}"
    return admin.action(description=label)(action)


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ("project", "call", "section", "applicant", "state", "submitted_at")
    list_filter = ("call", "section", "state")
    search_fields = ("project__title", "applicant__display_name")
    raw_id_fields = ("project", "applicant", "organisation")
    readonly_fields = ("state", "snapshot", "submitted_at", "decided_at")
    inlines = [SubmissionEventInline]
    actions = [
        _move_action(S.SHORTLISTED, _("Shortlist")),
        _move_action(S.SELECTED, _("Select")),
        _move_action(S.REJECTED, _("Reject (not selected)")),
    ]


# The jury and after-selection parts register their models in their own modules.
for _module in ("admin_review", "admin_after"):
    if importlib.util.find_spec(f"reelmarket.pitching.{_module}") is not None:
        importlib.import_module(f"reelmarket.pitching.{_module}")

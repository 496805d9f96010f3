"""Organiser back office for the market (Django admin)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from reelmarket.market.models import (
    Booth,
    Edition,
    Exhibitor,
    Hall,
    Organisation,
    Participant,
    ParticipantRole,
    Pavilion,
    Registration,
)
from reelmarket.market.services import participants_confirm_organisation, registrations_vet


class HallInline(admin.TabularInline):
    model = Hall
    extra = 0


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    list_display = ["name", "starts_on", "ends_on", "venue", "time_zone", "is_current"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [HallInline]


class BoothInline(admin.TabularInline):
    model = Booth
    extra = 0


@admin.register(Hall)
class HallAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "edition"]
    list_filter = ["edition"]
    inlines = [BoothInline]


@admin.register(Booth)
class BoothAdmin(admin.ModelAdmin):
    list_display = ["number", "hall", "tables"]
    list_filter = ["hall__edition", "hall"]
    search_fields = ["number"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country", "website"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class ExhibitorInline(admin.TabularInline):
    model = Exhibitor
    extra = 0
    autocomplete_fields = ["organisation", "booth"]


@admin.register(Pavilion)
class PavilionAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country", "lead_agency", "is_new", "edition"]
    list_filter = ["edition", "kind", "is_new"]
    search_fields = ["name"]
    autocomplete_fields = ["lead_agency"]
    inlines = [ExhibitorInline]


@admin.register(Exhibitor)
class ExhibitorAdmin(admin.ModelAdmin):
    list_display = ["organisation", "edition", "booth", "pavilion"]
    list_filter = ["edition", "pavilion"]
    search_fields = ["organisation__name", "booth__number"]
    autocomplete_fields = ["organisation", "booth", "pavilion"]


class RoleInline(admin.TabularInline):
    model = ParticipantRole
    extra = 0


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = [
        "display_name",
        "organisation",
        "organisation_confirmed",
        "country",
        "profile_visibility",
    ]
    list_filter = ["organisation_confirmed", "roles__role", "country"]
    actions = ["confirm_organisation"]
    search_fields = ["display_name", "user__email", "organisation__name"]
    autocomplete_fields = ["organisation"]
    raw_id_fields = ["user"]
    inlines = [RoleInline]

    @admin.action(description=_("Confirm they work for their organisation"))
    def confirm_organisation(self, request: HttpRequest, queryset: QuerySet[Participant]) -> None:
        count = participants_confirm_organisation(
            actor=request.user, participant_ids=list(queryset.values_list("pk", flat=True))
        )
        self.message_user(
            request,
            ngettext("%(count)d participant confirmed.", "%(count)d participants confirmed.", count)
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["participant", "edition", "attendance", "vetting", "created_at"]
    list_filter = ["edition", "vetting", "attendance", "participant__roles__role"]
    search_fields = ["participant__display_name", "participant__user__email"]
    raw_id_fields = ["participant"]
    actions = ["approve", "reject"]

    @admin.action(description=_("Approve selected registrations"))
    def approve(self, request: HttpRequest, queryset: QuerySet[Registration]) -> None:
        self._vet(request, queryset, approve=True)

    @admin.action(description=_("Reject selected registrations"))
    def reject(self, request: HttpRequest, queryset: QuerySet[Registration]) -> None:
        self._vet(request, queryset, approve=False)

    def _vet(
        self, request: HttpRequest, queryset: QuerySet[Registration], *, approve: bool
    ) -> None:
        count = registrations_vet(
            actor=request.user,
            registration_ids=list(queryset.values_list("pk", flat=True)),
            approve=approve,
        )
        self.message_user(
            request,
            ngettext("%(count)d registration updated.", "%(count)d registrations updated.", count)
            % {"count": count},
            messages.SUCCESS,
        )

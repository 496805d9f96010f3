"""Organiser back office for the meeting grid, requests and meetings (read-mostly: state
changes go through the services, so the admin shows them but does not edit states)."""

from __future__ import annotations

from django.contrib import admin

from reelmarket.meetings.models import (
    AvailabilityDay,
    CalendarFeed,
    Meeting,
    MeetingGrid,
    MeetingRequest,
    MeetingSeat,
    PairBlock,
    RequestEvent,
    RequestQuota,
    WorkingHours,
)


class RequestQuotaInline(admin.TabularInline):
    model = RequestQuota
    extra = 0


@admin.register(MeetingGrid)
class MeetingGridAdmin(admin.ModelAdmin):
    list_display = ("edition", "mode", "slot_minutes", "day_start", "day_end", "shared_tables")
    inlines = [RequestQuotaInline]


class RequestEventInline(admin.TabularInline):
    model = RequestEvent
    extra = 0
    can_delete = False
    readonly_fields = ("created_at", "actor", "from_state", "to_state", "note")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(MeetingRequest)
class MeetingRequestAdmin(admin.ModelAdmin):
    list_display = ("requester", "target_person", "target_organisation", "state", "created_at")
    list_filter = ("edition", "state")
    search_fields = ("requester__display_name", "target_person__display_name")
    raw_id_fields = ("requester", "target_person", "target_organisation", "counterpart")
    readonly_fields = ("state", "expires_at")
    filter_horizontal = ("titles",)
    inlines = [RequestEventInline]


class MeetingSeatInline(admin.TabularInline):
    model = MeetingSeat
    extra = 0
    can_delete = False
    readonly_fields = ("participant", "starts_at", "released")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("request", "starts_at", "location_kind", "booth", "table_number", "status")
    list_filter = ("edition", "status", "location_kind")
    readonly_fields = (
        "request",
        "starts_at",
        "ends_at",
        "location_kind",
        "booth",
        "table_number",
        "status",
        "sequence",
        "published_at",
    )
    inlines = [MeetingSeatInline]


@admin.register(PairBlock)
class PairBlockAdmin(admin.ModelAdmin):
    list_display = ("edition", "low", "high", "blocked_by", "created_at")
    raw_id_fields = ("low", "high", "blocked_by")


@admin.register(AvailabilityDay)
class AvailabilityDayAdmin(admin.ModelAdmin):
    list_display = ("participant", "edition", "day", "busy_mask")
    raw_id_fields = ("participant",)


@admin.register(WorkingHours)
class WorkingHoursAdmin(admin.ModelAdmin):
    list_display = ("participant", "edition", "time_zone", "start", "end")
    raw_id_fields = ("participant",)


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ("participant", "created_at")
    exclude = ("token",)
    raw_id_fields = ("participant",)

"""Back office for the Producers Connect sessions (imported by ``financing.admin``).

The session pages (/connect/sessions/) are where organisers work: state changes, the build
and publication go through the services there. The back office is for looking things up
and fixing a session's text; seats, "no thanks" and feedback are read-only here, since only
the build writes seats.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from reelmarket.financing.models import (
    ConnectFeedback,
    ConnectNoThanks,
    ConnectRegistration,
    ConnectSeat,
    ConnectSession,
)


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ConnectSession)
class ConnectSessionAdmin(admin.ModelAdmin):
    list_display = ("name", "edition", "starts_at", "rounds", "round_minutes", "tables", "state")
    list_filter = ("edition", "state")
    search_fields = ("name", "room")
    readonly_fields = (
        "edition",
        "starts_at",
        "rounds",
        "round_minutes",
        "break_minutes",
        "tables",
        "table_labels",
        "state",
        "seed",
        "built_at",
        "total_score",
        "build_notes",
        "published_at",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # the session pages check the shape against the edition


@admin.register(ConnectRegistration)
class ConnectRegistrationAdmin(ReadOnly):
    list_display = ("participant", "session", "side", "project", "created_at")
    list_filter = ("session", "side")
    search_fields = ("participant__display_name", "project__title")
    list_select_related = ("participant", "session", "project")


@admin.register(ConnectSeat)
class ConnectSeatAdmin(ReadOnly):
    list_display = ("session", "round", "table", "producer", "partner", "score")
    list_filter = ("session",)
    list_select_related = ("session", "producer__participant", "partner__participant")


@admin.register(ConnectNoThanks)
class ConnectNoThanksAdmin(ReadOnly):
    list_display = ("session", "by", "other", "created_at")
    list_filter = ("session",)


@admin.register(ConnectFeedback)
class ConnectFeedbackAdmin(ReadOnly):
    list_display = ("seat", "participant", "verdict", "note", "updated_at")
    list_filter = ("verdict", "seat__session")
    list_select_related = ("seat", "participant")

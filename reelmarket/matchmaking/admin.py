"""Organiser back office for matchmaking: read-only views of stored suggestions, feedback
and recompute runs (they are written by the services, never edited by hand)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from reelmarket.matchmaking.models import Feedback, RecomputeRun, Suggestion


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Suggestion)
class SuggestionAdmin(ReadOnly):
    list_display = ("viewer", "kind", "rank", "key", "score", "computed_at")
    list_filter = ("kind",)
    search_fields = ("viewer__display_name", "key")
    raw_id_fields = ("viewer", "title", "person", "project")
    list_select_related = ("viewer",)


@admin.register(Feedback)
class FeedbackAdmin(ReadOnly):
    list_display = ("viewer", "kind", "key", "verdict", "updated_at")
    list_filter = ("verdict", "kind")
    search_fields = ("viewer__display_name", "key")
    raw_id_fields = ("viewer", "title", "person", "project")
    list_select_related = ("viewer",)


@admin.register(RecomputeRun)
class RecomputeRunAdmin(ReadOnly):
    list_display = (
        "pk",
        "status",
        "viewers_done",
        "viewers_total",
        "suggestions",
        "created_at",
        "finished_at",
    )
    list_filter = ("status",)

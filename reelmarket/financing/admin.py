"""Organiser back office for Producers Connect: projects with their plan, team, partners
and documents, and investor profiles.

Documents are listed with a link to the permission-checked view, never to a file URL;
uploads go through the producer's pages (where the content is checked), so the admin
does not add or replace files.
"""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from reelmarket.financing import selectors
from reelmarket.financing.models import (
    FinancingSource,
    InvestorProfile,
    PartnerSought,
    Project,
    ProjectDocument,
    ProjectMember,
)


class ProjectMemberInline(admin.TabularInline):
    model = ProjectMember
    extra = 0
    raw_id_fields = ("participant",)


class FinancingSourceInline(admin.TabularInline):
    model = FinancingSource
    extra = 0


class PartnerSoughtInline(admin.TabularInline):
    model = PartnerSought
    extra = 0


class ProjectDocumentInline(admin.TabularInline):
    model = ProjectDocument
    extra = 0
    fields = ("kind", "link", "content_type", "size", "uploaded_at")
    readonly_fields = ("link", "content_type", "size", "uploaded_at")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("file"))
    def link(self, obj: ProjectDocument) -> str:
        url = reverse("financing:document", args=[obj.project_id, obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.original_name)


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ("title", "owner", "organisation", "kind", "stage", "budget_shown", "gap_shown")
    list_filter = ("stage", "kind", "seeking_financing", "documents_for_investors")
    search_fields = ("title", "original_title", "owner__display_name", "organisation__name")
    raw_id_fields = ("owner", "organisation")
    filter_horizontal = ("document_viewers",)
    inlines = [
        FinancingSourceInline,
        PartnerSoughtInline,
        ProjectMemberInline,
        ProjectDocumentInline,
    ]
    list_select_related = ("owner", "organisation")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("sources")

    @admin.display(description=_("budget"))
    def budget_shown(self, obj: Project) -> str:
        return f"{obj.budget:,.0f} {obj.currency}"

    @admin.display(description=_("gap"))
    def gap_shown(self, obj: Project) -> str:
        plan = selectors.plan_summary(obj)
        return f"{plan.gap:,.0f} {obj.currency} ({plan.secured_percent} % secured)"


@admin.register(InvestorProfile)
class InvestorProfileAdmin(admin.ModelAdmin):
    list_display = ("participant", "kind", "ticket_min", "ticket_max", "currency", "updated_at")
    list_filter = ("kind", "currency")
    search_fields = ("participant__display_name", "participant__organisation__name", "statement")
    raw_id_fields = ("participant",)
    list_select_related = ("participant",)


# The Producers Connect session models register themselves in their own module.
from reelmarket.financing import admin_connect  # noqa: E402, F401

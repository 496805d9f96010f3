"""Producers Connect pages: the project directory, a producer's projects and their editing
pages (details, financing plan, team, partners sought), investor profiles and the
investor directory for a project. Documents and who sees them are in ``views_documents``.

Thin: forms parse, services write, selectors read, rules decide. Everything needs a
signed-in account; a project the viewer may not see is a 404 (its existence is not
revealed), a page they see but may not change is a 403.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from reelmarket.catalogue.enums import Genre
from reelmarket.financing import rules, selectors, services
from reelmarket.financing.enums import ProjectKind, ProjectStage
from reelmarket.financing.forms import (
    InvestorFilterForm,
    InvestorProfileForm,
    PartnerFormSet,
    ProjectFilterForm,
    ProjectForm,
    SourceForm,
    TeamMemberForm,
    apply_errors,
    investor_initial,
    partners_out,
    project_initial,
)
from reelmarket.financing.models import FinancingSource, InvestorProfile, Project, ProjectMember
from reelmarket.market.rules import participant_of
from reelmarket.market.selectors import current_edition

PER_PAGE = 20


def labels(choices: Any, values: list[str]) -> list[str]:
    """The translated labels of stored choice values (unknown values as they are)."""
    named = dict(choices.choices)
    return [str(named.get(v, v)) for v in values]


def connect_context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    """What the Producers Connect layout needs (its sub-navigation)."""
    me = participant_of(request.user)
    return {
        "me": me,
        "is_producer": rules.is_producer(request.user),
        "is_investor": rules.is_investor(me),
        **extra,
    }


def _page(request: HttpRequest, rows: list[Any]) -> dict[str, Any]:
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return {
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2),
    }


ProjectView = Callable[..., HttpResponse]


def project_page(*, edit: bool) -> Callable[[ProjectView], ProjectView]:
    """Load the project of ``pk``: 404 unless the viewer may see it; with ``edit``, 403
    unless they may edit it. The view receives the project after the request."""

    def decorate(view: ProjectView) -> ProjectView:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, pk: int, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                project = selectors.project_detail(pk=pk)
            except Project.DoesNotExist:
                raise Http404(_("No such project.")) from None
            if not rules.may_see_project(request.user, project):
                raise Http404(_("No such project."))
            if edit and not rules.may_edit_project(request.user, project):
                raise PermissionDenied(
                    _("Only the producer's team and the organisers edit this project.")
                )
            return view(request, project, *args, **kwargs)

        return wrapped

    return decorate


def project_context(request: HttpRequest, project: Project, **extra: Any) -> dict[str, Any]:
    edition = current_edition()
    return connect_context(
        request,
        project=project,
        plan=selectors.plan_summary(project),
        may_edit=rules.may_edit_project(request.user, project),
        may_delete=rules.may_delete_project(request.user, project),
        may_see_documents=rules.may_see_documents(request.user, project, edition=edition),
        genre_labels=labels(Genre, project.genres),
        **extra,
    )


# ---- directory and my projects --------------------------------------------------------------


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    """Projects looking for financing; ranked for investors, with reasons."""
    if not rules.may_browse_projects(request.user):
        raise PermissionDenied(_("The project directory is for participants of the market."))
    form = ProjectFilterForm(request.GET or None)
    rows = selectors.project_directory(viewer=request.user, filters=form.filters())
    profile = selectors.viewer_investor_profile(request.user)
    context = connect_context(
        request, form=form, profile=profile, count=len(rows), **_page(request, rows)
    )
    template = "financing/_project_results.html" if request.htmx else "financing/projects.html"
    return render(request, template, context)


@login_required
def my_projects(request: HttpRequest) -> HttpResponse:
    projects = list(selectors.projects_of(viewer=request.user))
    rows = [(p, selectors.plan_summary(p)) for p in projects]
    return render(
        request,
        "financing/my_projects.html",
        connect_context(request, rows=rows, may_create=rules.may_create_project(request.user)),
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_new(request: HttpRequest) -> HttpResponse:
    if not rules.may_create_project(request.user):
        raise PermissionDenied(_("Only producers list projects."))
    form = ProjectForm(request.POST or None, initial={"currency": "USD", "seeking_financing": True})
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_save(actor=request.user, data=form.data_out())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Project created. Now add its financing plan."))
            return redirect("financing:project_plan", pk=project.pk)
    return render(request, "financing/project_form.html", connect_context(request, form=form))


# ---- one project ----------------------------------------------------------------------------


@project_page(edit=False)
def project_detail(request: HttpRequest, project: Project) -> HttpResponse:
    match = selectors.project_match(viewer=request.user, project=project)
    context = project_context(request, project, match=match)
    if context["may_see_documents"]:
        context["documents"] = selectors.documents_of(project)
    return render(request, "financing/project_detail.html", context)


@project_page(edit=True)
@require_http_methods(["GET", "POST"])
def project_edit(request: HttpRequest, project: Project) -> HttpResponse:
    form = ProjectForm(request.POST or None, initial=project_initial(project))
    if request.method == "POST" and form.is_valid():
        try:
            services.project_save(actor=request.user, project=project, data=form.data_out())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Project saved."))
            return redirect("financing:project", pk=project.pk)
    return render(
        request, "financing/project_form.html", project_context(request, project, form=form)
    )


@project_page(edit=False)
@require_POST
def project_delete(request: HttpRequest, project: Project) -> HttpResponse:
    services.project_delete(actor=request.user, project=project)
    messages.success(request, _("The project “%(title)s” was deleted.") % {"title": project.title})
    return redirect("financing:my_projects")


# ---- financing plan -------------------------------------------------------------------------


@project_page(edit=True)
@require_http_methods(["GET", "POST"])
def project_plan(request: HttpRequest, project: Project) -> HttpResponse:
    form = SourceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.source_add(actor=request.user, project=project, data=form.data_out())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Financing source added."))
            return redirect("financing:project_plan", pk=project.pk)
    project = selectors.project_detail(pk=project.pk)
    return render(
        request, "financing/project_plan.html", project_context(request, project, form=form)
    )


@project_page(edit=True)
@require_POST
def source_delete(request: HttpRequest, project: Project, source_id: int) -> HttpResponse:
    source = FinancingSource.objects.filter(pk=source_id, project=project).first()
    if source is None:
        raise Http404(_("No such financing source."))
    services.source_remove(actor=request.user, source=source)
    messages.success(request, _("Financing source removed."))
    return redirect("financing:project_plan", pk=project.pk)


# ---- team and partners ----------------------------------------------------------------------


@project_page(edit=True)
@require_http_methods(["GET", "POST"])
def project_team(request: HttpRequest, project: Project) -> HttpResponse:
    form = TeamMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.team_member_add(actor=request.user, project=project, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Team member added."))
            return redirect("financing:project_team", pk=project.pk)
    return render(
        request, "financing/project_team.html", project_context(request, project, form=form)
    )


@project_page(edit=True)
@require_POST
def team_member_delete(request: HttpRequest, project: Project, member_id: int) -> HttpResponse:
    member = ProjectMember.objects.filter(pk=member_id, project=project).first()
    if member is None:
        raise Http404(_("No such team member."))
    services.team_member_remove(actor=request.user, member=member)
    messages.success(request, _("Team member removed."))
    return redirect("financing:project_team", pk=project.pk)


@project_page(edit=True)
@require_http_methods(["GET", "POST"])
def project_partners(request: HttpRequest, project: Project) -> HttpResponse:
    initial = [
        {"kind": p.kind, "country": p.country, "note": p.note}
        for p in project.partners_sought.all()
    ]
    formset = PartnerFormSet(request.POST or None, initial=initial, prefix="partners")
    error = None
    if request.method == "POST" and formset.is_valid():
        try:
            services.partner_sought_set(
                actor=request.user, project=project, partners=partners_out(formset)
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("Partners sought saved."))
            return redirect("financing:project", pk=project.pk)
    return render(
        request,
        "financing/project_partners.html",
        project_context(request, project, formset=formset, error=error),
    )


# ---- investors ------------------------------------------------------------------------------


@project_page(edit=True)
def project_investors(request: HttpRequest, project: Project) -> HttpResponse:
    """Investor profiles ranked for this project, with the reasons."""
    form = InvestorFilterForm(request.GET or None)
    rows = selectors.investor_directory(
        viewer=request.user, project=project, filters=form.filters()
    )
    granted = set(project.document_viewers.values_list("pk", flat=True))
    context = project_context(
        request, project, form=form, count=len(rows), granted=granted, **_page(request, rows)
    )
    return render(request, "financing/project_investors.html", context)


@login_required
def investor_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        profile = selectors.investor_profile_of(viewer=request.user, pk=pk)
    except InvestorProfile.DoesNotExist:
        raise Http404(_("No such investor profile.")) from None
    mine = list(selectors.projects_of(viewer=request.user))
    return render(
        request,
        "financing/investor_detail.html",
        connect_context(
            request,
            profile=profile,
            my_projects=mine,
            kind_labels=labels(ProjectKind, profile.kinds),
            stage_labels=labels(ProjectStage, profile.stages),
            genre_labels=labels(Genre, profile.genres),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def investor_profile_edit(request: HttpRequest) -> HttpResponse:
    """The signed-in investor's own profile."""
    me = participant_of(request.user)
    if me is None or not rules.may_keep_investor_profile(me):
        raise PermissionDenied(
            _("Investor profiles are for investors and for staff of financiers and foundations.")
        )
    profile = InvestorProfile.objects.filter(participant=me).first()
    initial = investor_initial(profile) if profile else {"currency": "USD", "ticket_min": 0}
    form = InvestorProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.investor_profile_save(actor=request.user, participant=me, data=form.data_out())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Investor profile saved. Projects are now ranked for you."))
            return redirect("financing:projects")
    return render(
        request,
        "financing/investor_profile_form.html",
        connect_context(request, form=form, profile=profile),
    )


def back_to(request: HttpRequest, default: str) -> HttpResponse:
    target = request.POST.get("next") or ""
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect(default)

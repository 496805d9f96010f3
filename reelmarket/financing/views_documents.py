"""Project documents: upload, remove, download (permission-checked), and who may see them.

Documents never have a public URL: ``document_file`` checks ``rules.may_see_documents`` on
every request and streams the file from private storage.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from reelmarket.financing import rules, selectors, services
from reelmarket.financing.forms import DocumentForm, GrantSearchForm, apply_errors
from reelmarket.financing.models import Project, ProjectDocument
from reelmarket.financing.views import back_to, project_context, project_page
from reelmarket.market.models import Participant
from reelmarket.market.selectors import current_edition


@project_page(edit=True)
@require_http_methods(["GET", "POST"])
def project_documents(request: HttpRequest, project: Project) -> HttpResponse:
    """The documents, the upload form, and the people who may see them."""
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_add(
                actor=request.user,
                project=project,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Document uploaded."))
            return redirect("financing:project_documents", pk=project.pk)
    search = GrantSearchForm(request.GET or None)
    q = search.cleaned_data["person"] if search.is_valid() else ""
    context = project_context(
        request,
        project,
        form=form,
        search=search,
        documents=selectors.documents_of(project),
        viewers=selectors.document_viewers(project),
        candidates=selectors.grant_candidates(viewer=request.user, project=project, q=q),
        person_query=q,
    )
    return render(request, "financing/project_documents.html", context)


@project_page(edit=True)
@require_POST
def document_delete(request: HttpRequest, project: Project, document_id: int) -> HttpResponse:
    document = ProjectDocument.objects.filter(pk=document_id, project=project).first()
    if document is None:
        raise Http404(_("No such document."))
    services.document_remove(actor=request.user, document=document)
    messages.success(request, _("Document “%(name)s” removed.") % {"name": document.original_name})
    return redirect("financing:project_documents", pk=project.pk)


@login_required
def document_file(request: HttpRequest, pk: int, document_id: int) -> HttpResponse:
    """The file itself, to those who may see the project's documents."""
    document = (
        ProjectDocument.objects.select_related("project")
        .filter(pk=document_id, project_id=pk)
        .first()
    )
    if document is None or not rules.may_see_project(request.user, document.project):
        raise Http404(_("No such document."))
    if not rules.may_see_documents(request.user, document.project, edition=current_edition()):
        raise PermissionDenied(_("The producer has not shared this project's documents with you."))
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404(_("The file is missing; ask the producer to upload it again.")) from None
    response = FileResponse(
        handle,
        content_type=document.content_type,
        as_attachment=request.GET.get("download") == "1",
        filename=document.original_name,
    )
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = (
        "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _participant(request: HttpRequest) -> Participant:
    try:
        pk = int(request.POST.get("participant", ""))
    except ValueError:
        raise Http404(_("No such person.")) from None
    found = Participant.objects.filter(pk=pk).first()
    if found is None:
        raise Http404(_("No such person."))
    return found


@project_page(edit=True)
@require_POST
def access_grant(request: HttpRequest, project: Project) -> HttpResponse:
    person = _participant(request)
    try:
        services.document_access_grant(actor=request.user, project=project, participant=person)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("%(name)s may now see the documents.") % {"name": person.display_name}
        )
    return back_to(request, reverse("financing:project_documents", args=[project.pk]))


@project_page(edit=True)
@require_POST
def access_revoke(request: HttpRequest, project: Project) -> HttpResponse:
    person = _participant(request)
    services.document_access_revoke(actor=request.user, project=project, participant=person)
    messages.success(
        request, _("%(name)s no longer sees the documents.") % {"name": person.display_name}
    )
    return back_to(request, reverse("financing:project_documents", args=[project.pk]))

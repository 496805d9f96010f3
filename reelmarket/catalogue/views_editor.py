"""The exhibitor's self-service catalogue editor: own titles, title form, avails editor.

Thin views: forms present fields, ``forms_editor`` turns them into ``TitleInput`` /
``RightsInput`` and the services in ``catalogue.services`` check permission and write.
Sellers edit their own organisation's titles only; organisers edit any.
"""

from __future__ import annotations

import secrets
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from reelmarket.catalogue import services
from reelmarket.catalogue.forms_editor import (
    CURRENCIES,
    POSTER_FORMATS,
    ROW_FORMSETS,
    RightsFormSet,
    RowFormSet,
    TitleForm,
    language_suggestions,
    rights_initial,
    rights_inputs_from_formset,
    rows_initial,
    title_initial,
    title_input_from_forms,
)
from reelmarket.catalogue.inputs import RightsInput, TitleInput
from reelmarket.catalogue.models import Title
from reelmarket.catalogue.rules import editable_organisation_id, may_edit_title
from reelmarket.catalogue.selectors import (
    TitleFilters,
    buyer_organisation_choices,
    text_for_language,
    titles_list,
)
from reelmarket.market.models import Organisation
from reelmarket.market.rules import is_organiser, participant_of
from reelmarket.market.selectors import current_edition

MINE_PAGE_SIZE = 50
ROW_KINDS = ("texts", "credits", "recognitions")


class ReferenceTaken(Exception):
    """On create: the organisation has a title with this reference already."""


# --- permission helpers -------------------------------------------------------------------


def _editable_title(request: HttpRequest, pk: int) -> Title:
    title = get_object_or_404(Title.objects.select_related("owner"), pk=pk)
    if not may_edit_title(request.user, title):
        raise PermissionDenied
    return title


def _may_use_editor(user: Any) -> bool:
    return is_organiser(user) or editable_organisation_id(user) is not None


def _refuse(request: HttpRequest) -> HttpResponse:
    """403; a seller whose organisation the organisers have not confirmed yet is told so."""
    participant = participant_of(request.user)
    if (
        participant is not None
        and participant.organisation_id is not None
        and not participant.organisation_confirmed
    ):
        return render(
            request,
            "catalogue/editor/not_confirmed.html",
            {"organisation": participant.organisation},
            status=403,
        )
    raise PermissionDenied


# --- my titles ------------------------------------------------------------------------------


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """The seller's organisation's titles, published or not; organisers pick any catalogue."""
    organiser = is_organiser(request.user)
    org_id = editable_organisation_id(request.user)
    if organiser:
        wanted = request.GET.get("organisation", "")
        if wanted.isdigit():
            org_id = int(wanted)
    elif org_id is None:
        return _refuse(request)
    organisation = get_object_or_404(Organisation, pk=org_id) if org_id is not None else None
    page = None
    if organisation is not None:
        titles = titles_list(
            filters=TitleFilters(owner_id=organisation.pk), include_unpublished=True
        ).annotate(rights_count=Count("rights", distinct=True))
        page = Paginator(titles, MINE_PAGE_SIZE).get_page(request.GET.get("page"))
        language = request.LANGUAGE_CODE
        for title in page.object_list:
            title.display_text = text_for_language(title, language)
    return render(
        request,
        "catalogue/editor/mine.html",
        {
            "organisation": organisation,
            "page": page,
            "organiser": organiser,
            "organisations": Organisation.objects.order_by("name").only("id", "name")
            if organiser
            else (),
        },
    )


# --- title form -----------------------------------------------------------------------------


def _formsets(
    request: HttpRequest, initial: dict[str, list[dict[str, Any]]] | None = None
) -> dict[str, RowFormSet]:
    data = request.POST if request.method == "POST" else None
    return {
        kind: ROW_FORMSETS[kind](data, prefix=kind, initial=(initial or {}).get(kind))
        for kind in ROW_KINDS
    }


def _save_title(
    *,
    request: HttpRequest,
    owner: Organisation,
    data: TitleInput,
    creating: bool,
    form: TitleForm,
) -> Title:
    """Service call plus what TitleInput does not carry (published flag, poster), all in one
    transaction: on create an existing reference is refused, not silently updated."""
    with transaction.atomic():
        title, created = services.title_save(actor=request.user, owner=owner, data=data)
        if creating and not created:
            raise ReferenceTaken
        title.is_published = form.cleaned_data["is_published"]
        poster = form.cleaned_data.get("poster")
        old_poster = title.poster.name
        if isinstance(poster, UploadedFile):
            # The name comes from what Pillow found in the file, never from the upload.
            extension = POSTER_FORMATS[poster.image.format]
            name = f"title-{title.pk}-{secrets.token_hex(4)}.{extension}"
            title.poster.save(name, poster, save=False)
        elif poster is False:  # "clear" ticked
            title.poster = ""
        title.save(update_fields=["is_published", "poster", "updated_at"])
        if old_poster and old_poster != title.poster.name:
            storage = title.poster.storage
            transaction.on_commit(lambda: storage.delete(old_poster))
    return title


def _title_form_view(request: HttpRequest, *, title: Title | None) -> HttpResponse:
    creating = title is None
    choose_owner = creating and is_organiser(request.user)
    own_org_id = editable_organisation_id(request.user)
    if request.method == "POST":
        form = TitleForm(
            request.POST,
            request.FILES,
            creating=creating,
            choose_owner=choose_owner,
            initial=title_initial(title) if title is not None else None,
        )
        formsets = _formsets(request)
        if form.is_valid() and all(fs.is_valid() for fs in formsets.values()):
            if title is not None:
                owner, reference = title.owner, title.reference
            else:
                owner = form.cleaned_data.get("owner") or Organisation.objects.get(pk=own_org_id)
                reference = form.cleaned_data["reference"]
            data = title_input_from_forms(form=form, formsets=formsets, reference=reference)
            if data is not None:
                try:
                    saved = _save_title(
                        request=request, owner=owner, data=data, creating=creating, form=form
                    )
                except ReferenceTaken:
                    form.add_error(
                        "reference",
                        _(
                            "Your catalogue has a title with this reference already; "
                            "choose another or edit that title."
                        ),
                    )
                else:
                    messages.success(
                        request,
                        _("“%(title)s” is saved.") % {"title": saved.original_title},
                    )
                    return redirect(reverse("catalogue:detail", args=[saved.pk]))
    else:
        initial: dict[str, Any] = {}
        if title is not None:
            initial = title_initial(title)
        elif choose_owner:
            wanted = request.GET.get("organisation", "")
            initial = {"owner": int(wanted) if wanted.isdigit() else own_org_id}
        form = TitleForm(initial=initial or None, creating=creating, choose_owner=choose_owner)
        formsets = _formsets(request, rows_initial(title) if title is not None else None)
    return render(
        request,
        "catalogue/editor/title_form.html",
        {
            "form": form,
            "formsets": formsets,
            "title": title,
            "creating": creating,
            "language_suggestions": language_suggestions(),
            "gap": title.financing_gap if title is not None else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def title_create(request: HttpRequest) -> HttpResponse:
    if not _may_use_editor(request.user):
        return _refuse(request)
    return _title_form_view(request, title=None)


@login_required
@require_http_methods(["GET", "POST"])
def title_edit(request: HttpRequest, pk: int) -> HttpResponse:
    title = _editable_title(request, pk)
    return _title_form_view(request, title=title)


# --- avails editor ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def title_rights(request: HttpRequest, pk: int) -> HttpResponse:
    title = _editable_title(request, pk)
    conflict: services.RightsConflict | None = None
    buyers = {"buyer_choices": buyer_organisation_choices(edition=current_edition(), title=title)}
    if request.method == "POST":
        formset = RightsFormSet(request.POST, prefix="rights", form_kwargs=buyers)
        if formset.is_valid():
            built = rights_inputs_from_formset(formset)
            if built is not None:
                windows, rows = built
                try:
                    services.rights_replace(actor=request.user, title=title, windows=windows)
                except services.RightsConflict as exc:
                    conflict = exc
                    _show_conflict(exc, windows=windows, rows=rows)
                except services.UnknownBuyer as exc:
                    rows[exc.index].add_error("buyer_organisation", exc.reason)
                else:
                    messages.success(
                        request,
                        _("The avails of “%(title)s” are saved.") % {"title": title.original_title},
                    )
                    return redirect(reverse("catalogue:detail", args=[title.pk]))
    else:
        formset = RightsFormSet(prefix="rights", initial=rights_initial(title), form_kwargs=buyers)
    return render(
        request,
        "catalogue/editor/rights.html",
        {"title": title, "formset": formset, "conflict": conflict, "windows": title.rights.all()},
    )


def _show_conflict(
    conflict: services.RightsConflict, *, windows: list[RightsInput], rows: list[Any]
) -> None:
    """The reasons on the row the service named, and on each row it collides with (asked
    of the same rule, pair by pair), so both sides of a clash are marked."""
    intro = _("This window conflicts with another one:")
    if conflict.index is None:
        return
    rows[conflict.index].add_error(None, [intro, *conflict.messages])
    named = windows[conflict.index]
    for j, window in enumerate(windows):
        if j == conflict.index:
            continue
        try:
            services.validate_rights([window, named])
        except services.RightsConflict as pair:
            if pair.index == 0:
                rows[j].add_error(None, [intro, *pair.messages])


# --- delete ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def title_delete(request: HttpRequest, pk: int) -> HttpResponse:
    title = _editable_title(request, pk)
    if request.method == "POST":
        name, owner_id = title.original_title, title.owner_id
        services.title_delete(actor=request.user, title=title)
        messages.success(request, _("“%(title)s” is deleted.") % {"title": name})
        url = reverse("catalogue:mine")
        if is_organiser(request.user) and editable_organisation_id(request.user) != owner_id:
            url += f"?organisation={owner_id}"
        return redirect(url)
    return render(request, "catalogue/editor/delete.html", {"title": title})


# --- htmx helpers ----------------------------------------------------------------------------


@login_required
@require_GET
def editor_row(request: HttpRequest, kind: str) -> HttpResponse:
    """One more empty row of a formset (htmx "add row"), with the new form count and the
    next "add" button swapped in out of band."""
    if kind not in ROW_FORMSETS:
        raise Http404
    if not _may_use_editor(request.user):
        raise PermissionDenied
    try:
        index = int(request.GET.get("index", ""))
    except ValueError:
        raise Http404 from None
    formset_class = ROW_FORMSETS[kind]
    if not 0 <= index < formset_class.absolute_max:
        raise Http404
    formset = formset_class(prefix=kind)
    form = formset.form(
        auto_id=formset.auto_id,
        prefix=formset.add_prefix(index),
        empty_permitted=True,
        use_required_attribute=False,
    )
    formset.add_fields(form, index)  # the "remove" box, as on the rows rendered with the page
    return render(
        request,
        "catalogue/editor/_add_row.html",
        {
            "form": form,
            "kind": kind,
            "next_index": index + 1,
            "row_template": f"catalogue/editor/_{kind}_row.html",
        },
    )


@login_required
@require_GET
def editor_gap(request: HttpRequest) -> HttpResponse:
    """The financing gap for the figures being typed (derived the way the title does)."""
    if not _may_use_editor(request.user):
        raise PermissionDenied

    def amount(name: str) -> Decimal | None:
        try:
            value = Decimal(request.GET.get(name, "").strip())
        except InvalidOperation:
            return None
        return value if value.is_finite() else None

    currency = request.GET.get("budget_currency", "")
    preview = Title(
        budget_amount=amount("budget_amount"),
        financing_secured=amount("financing_secured"),
        budget_currency=currency if currency in CURRENCIES else "USD",
    )
    return render(
        request,
        "catalogue/editor/_gap.html",
        {"gap": preview.financing_gap, "currency": preview.budget_currency},
    )

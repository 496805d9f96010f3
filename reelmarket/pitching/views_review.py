"""Pages of the jury review, under /pitch/review/.

Reviewers: their calls, their list with progress, one review page per submission (the
dossier, anonymised when the call says so, and the rubric). Organisers: the jury and the
assignment, conflicts of interest, the ranking with its decisions and the lock.
Thin: ``selectors_review`` reads, ``services_review`` writes, ``rules_review`` decides.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from reelmarket.market.rules import participant_of
from reelmarket.market.selectors import current_edition
from reelmarket.pitching import selectors_review as selectors
from reelmarket.pitching import services_review as services
from reelmarket.pitching.enums import SubmissionState
from reelmarket.pitching.errors import PitchError
from reelmarket.pitching.forms_review import (
    AssignForm,
    CapacityForm,
    ConflictForm,
    DecideForm,
    DeclareConflictForm,
    LockForm,
    ReviewerAddForm,
    ReviewForm,
    SelectTopForm,
)
from reelmarket.pitching.models import (
    Call,
    Conflict,
    ReviewAssignment,
    Reviewer,
    Section,
    Submission,
)
from reelmarket.pitching.rules_review import (
    is_assigned_reviewer,
    may_change_review,
    may_manage_review,
    may_read_review,
    reads_anonymised,
    reviewer_seat,
)

S = SubmissionState


def organiser_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not may_manage_review(request.user):
            raise PermissionDenied(_("Only the organisers run the jury review."))
        return view(request, *args, **kwargs)

    return wrapped


def _refused(request: HttpRequest, exc: PitchError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _onto_form(form: forms.Form, exc: PitchError) -> None:
    """A service's refusal shown on the form: on its fields where it names them."""
    placed = False
    for name, msgs in exc.fields.items():
        if name in form.fields:
            for message in msgs:
                form.add_error(name, message)
            placed = True
    if not placed:
        form.add_error(None, exc.message)


def _context(call: Call, **extra: Any) -> dict[str, Any]:
    return {"call": call, "edition": call.edition, **extra}


# ---- landing: my calls as a reviewer, every call for the organisers ----------------------------


@login_required
def review_home(request: HttpRequest) -> HttpResponse:
    me = participant_of(request.user)
    seats = selectors.reviewer_calls(participant=me) if me is not None else []
    organiser = may_manage_review(request.user)
    calls: list[Any] = []
    if organiser:
        edition = current_edition()
        qs = Call.objects.select_related("edition").order_by("-deadline")
        if edition is not None:
            qs = qs.filter(edition=edition)
        calls = [(c, selectors.call_progress(call=c)) for c in qs]
    return render(
        request,
        "pitching/review/home.html",
        {"seats": seats, "calls": calls, "organiser": organiser, "edition": current_edition()},
    )


# ---- the reviewer's pages ---------------------------------------------------------------------


@login_required
def review_mine(request: HttpRequest, call_id: int) -> HttpResponse:
    call = get_object_or_404(Call.objects.select_related("edition"), pk=call_id)
    seat = reviewer_seat(request.user, call)
    if seat is None:
        if may_manage_review(request.user):
            return redirect("pitching:review_manage", call_id=call.pk)
        raise PermissionDenied(_("You are not a reviewer of this call."))
    return render(
        request,
        "pitching/review/mine.html",
        _context(call, seat=seat, mine=selectors.my_reviews(reviewer=seat)),
    )


def _assignment(pk: int) -> ReviewAssignment:
    return get_object_or_404(
        ReviewAssignment.objects.select_related(
            "reviewer__participant", "submission__call__edition", "submission__section"
        ),
        pk=pk,
    )


@login_required
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _assignment(pk)
    if not may_read_review(request.user, assignment):
        raise PermissionDenied(_("This review is not assigned to you."))
    call = assignment.submission.call
    editable = (
        may_change_review(request.user, assignment)
        and assignment.completed_at is None
        and call.review_locked_at is None
        and assignment.submission.state in selectors.REVIEWED_STATES
    )
    criteria = selectors.rubric(call=call)
    saved = selectors.scores_of(assignment=assignment)
    initial = {"comment": assignment.comment} | {f"score_{c}": v for c, v in saved.items()}
    form = ReviewForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        criteria=criteria,
        disabled=not editable,
    )
    if request.method == "POST":
        if not may_change_review(request.user, assignment):
            raise PermissionDenied(_("Only the assigned reviewer may change this review."))
        complete = "complete" in request.POST
        if form.is_valid():
            try:
                services.review_save(
                    actor=request.user,
                    assignment=assignment,
                    scores=form.scores(),
                    comment=form.cleaned_data["comment"],
                    complete=complete,
                )
            except PitchError as exc:
                _onto_form(form, exc)
            else:
                if complete:
                    messages.success(request, _("Review completed. Thank you."))
                    return redirect("pitching:review_mine", call_id=call.pk)
                messages.success(request, _("Draft saved."))
                return redirect("pitching:review_detail", pk=assignment.pk)
    is_reviewer = may_change_review(request.user, assignment)
    return render(
        request,
        "pitching/review/detail.html",
        _context(
            call,
            assignment=assignment,
            dossier=selectors.review_dossier(
                assignment=assignment,
                anonymised=reads_anonymised(request.user, assignment),
            ),
            form=form,
            editable=editable,
            is_reviewer=is_reviewer,
            seat=assignment.reviewer if is_assigned_reviewer(request.user, assignment) else None,
            may_reopen=is_reviewer
            and assignment.completed_at is not None
            and call.review_locked_at is None,
            declare_form=DeclareConflictForm(),
        ),
        status=422 if request.method == "POST" else 200,
    )


@require_POST
@login_required
def review_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _assignment(pk)
    if not may_change_review(request.user, assignment):
        raise PermissionDenied(_("Only the assigned reviewer may reopen this review."))
    try:
        services.review_reopen(actor=request.user, assignment=assignment)
    except PitchError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("The review is open again: change it and complete it."))
    return redirect("pitching:review_detail", pk=assignment.pk)


@require_POST
@login_required
def review_declare_conflict(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _assignment(pk)
    if not may_change_review(request.user, assignment):
        raise PermissionDenied(_("This review is not assigned to you."))
    form = DeclareConflictForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.conflict_declare(
            actor=request.user,
            reviewer=assignment.reviewer,
            submission=assignment.submission,
            note=note,
        )
    except PitchError as exc:
        _refused(request, exc)
        return redirect("pitching:review_detail", pk=assignment.pk)
    messages.success(
        request,
        _("Conflict of interest recorded: the submission was taken off your list."),
    )
    return redirect("pitching:review_mine", call_id=assignment.submission.call_id)


# ---- the organisers: jury and assignment ------------------------------------------------------


def _manage_context(call: Call, **forms_: Any) -> dict[str, Any]:
    loads = selectors.reviewer_loads(call=call)
    top = max((x.assigned for x in loads), default=0)
    return _context(
        call,
        loads=loads,
        top_load=top,
        progress=selectors.call_progress(call=call),
        rubric=selectors.rubric(call=call),
        add_form=forms_.get("add_form") or ReviewerAddForm(),
        assign_form=AssignForm(),
        lock_form=LockForm(),
    )


@organiser_page
def review_manage(request: HttpRequest, call_id: int) -> HttpResponse:
    call = get_object_or_404(Call.objects.select_related("edition"), pk=call_id)
    return render(request, "pitching/review/manage.html", _manage_context(call))


@require_POST
@organiser_page
def review_reviewer_add(request: HttpRequest, call_id: int) -> HttpResponse:
    call = get_object_or_404(Call.objects.select_related("edition"), pk=call_id)
    form = ReviewerAddForm(request.POST)
    if form.is_valid():
        try:
            seat = services.reviewer_add(
                actor=request.user,
                call=call,
                participant=form.cleaned_data["email"],
                capacity=form.cleaned_data["capacity"],
            )
        except PitchError as exc:
            _onto_form(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s joined the jury.") % {"name": seat.participant.display_name},
            )
            return redirect("pitching:review_manage", call_id=call.pk)
    return render(
        request, "pitching/review/manage.html", _manage_context(call, add_form=form), status=422
    )


@require_POST
@organiser_page
def review_reviewer_update(request: HttpRequest, pk: int) -> HttpResponse:
    seat = get_object_or_404(Reviewer.objects.select_related("participant"), pk=pk)
    form = CapacityForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(m for msgs in form.errors.values() for m in msgs))
    else:
        try:
            services.reviewer_update(
                actor=request.user, reviewer=seat, capacity=form.cleaned_data["capacity"]
            )
        except PitchError as exc:
            _refused(request, exc)
        else:
            messages.success(
                request,
                _("Capacity of %(name)s saved.") % {"name": seat.participant.display_name},
            )
    return redirect("pitching:review_manage", call_id=seat.call_id)


@require_POST
@organiser_page
def review_reviewer_remove(request: HttpRequest, pk: int) -> HttpResponse:
    seat = get_object_or_404(Reviewer.objects.select_related("participant"), pk=pk)
    try:
        outcome = services.reviewer_remove(actor=request.user, reviewer=seat)
    except PitchError as exc:
        _refused(request, exc)
    else:
        name = seat.participant.display_name
        if outcome.deleted:
            text = _("%(name)s left the jury.") % {"name": name}
        else:
            text = _("%(name)s left the jury; the reviews they started still count.") % {
                "name": name
            }
        if outcome.released:
            text += " " + ngettext(
                "%(n)d unstarted review was released: run the assignment to refill it.",
                "%(n)d unstarted reviews were released: run the assignment to refill them.",
                outcome.released,
            ) % {"n": outcome.released}
        messages.success(request, text)
    return redirect("pitching:review_manage", call_id=seat.call_id)


@require_POST
@organiser_page
def review_assign(request: HttpRequest, call_id: int) -> HttpResponse:
    call = get_object_or_404(Call, pk=call_id)
    form = AssignForm(request.POST)
    rebalance = form.is_valid() and form.cleaned_data["rebalance"]
    try:
        outcome = services.review_assign(actor=request.user, call=call, rebalance=rebalance)
    except services.AssignmentImpossible as exc:
        messages.error(request, exc.message)
        for reason in exc.reasons.values():
            messages.error(request, reason)
    except PitchError as exc:
        _refused(request, exc)
    else:
        if not outcome.submissions:
            messages.info(request, _("No submitted or shortlisted submissions to assign yet."))
        else:
            messages.success(
                request,
                _(
                    "Assignment done: %(created)d new, %(kept)d kept, %(removed)d taken away "
                    "(%(subs)d submissions)."
                )
                % {
                    "created": outcome.created,
                    "kept": outcome.kept,
                    "removed": outcome.removed,
                    "subs": outcome.submissions,
                },
            )
    return redirect("pitching:review_manage", call_id=call.pk)


@require_POST
@organiser_page
def review_lock(request: HttpRequest, call_id: int) -> HttpResponse:
    call = get_object_or_404(Call, pk=call_id)
    form = LockForm(request.POST)
    locked = form.is_valid() and form.cleaned_data["locked"]
    services.ranking_lock(actor=request.user, call=call, locked=locked)
    if locked:
        messages.success(request, _("The ranking is locked: reviews can no longer change."))
    else:
        messages.success(request, _("The ranking is unlocked: reviewers can change reviews."))
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect("pitching:review_ranking", call_id=call.pk)


# ---- conflicts ----------------------------------------------------------------------------------


@organiser_page
def review_conflicts(request: HttpRequest, call_id: int) -> HttpResponse:
    call = get_object_or_404(Call.objects.select_related("edition"), pk=call_id)
    form = ConflictForm(request.POST or None, call=call)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                outcome = services.conflict_declare(
                    actor=request.user,
                    reviewer=data["reviewer"],
                    submission=data["submission"],
                    organisation=data["organisation"],
                    note=data["note"],
                )
            except PitchError as exc:
                _onto_form(form, exc)
            else:
                text = _("Conflict of interest recorded.")
                if outcome.removed:
                    text += " " + ngettext(
                        "%(n)d assignment was taken away: run the assignment to refill it.",
                        "%(n)d assignments were taken away: run the assignment to refill them.",
                        outcome.removed,
                    ) % {"n": outcome.removed}
                messages.success(request, text)
                return redirect("pitching:review_conflicts", call_id=call.pk)
        status = 422
    declared, pairs = selectors.conflicts_overview(call=call)
    return render(
        request,
        "pitching/review/conflicts.html",
        _context(call, form=form, declared=declared, pairs=pairs),
        status=status,
    )


@require_POST
@organiser_page
def review_conflict_remove(request: HttpRequest, pk: int) -> HttpResponse:
    conflict = get_object_or_404(Conflict.objects.select_related("reviewer"), pk=pk)
    services.conflict_remove(actor=request.user, conflict=conflict)
    messages.success(request, _("Conflict of interest removed."))
    return redirect("pitching:review_conflicts", call_id=conflict.reviewer.call_id)


# ---- the ranking and the decisions ------------------------------------------------------------


@organiser_page
def review_ranking(request: HttpRequest, call_id: int) -> HttpResponse:
    call = get_object_or_404(Call.objects.select_related("edition"), pk=call_id)
    normalise = request.GET.get("normalise", "1") != "0"
    loads = selectors.reviewer_loads(call=call)
    return render(
        request,
        "pitching/review/ranking.html",
        _context(
            call,
            ranking=selectors.ranking(call=call, normalise=normalise),
            normalise=normalise,
            loads=loads,
            top_load=max((x.assigned for x in loads), default=0),
            select_form=SelectTopForm(),
        ),
    )


@require_POST
@organiser_page
def review_decide(request: HttpRequest, pk: int) -> HttpResponse:
    submission = get_object_or_404(Submission.objects.select_related("project"), pk=pk)
    form = DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose shortlist, select or reject."))
    else:
        to_state = form.cleaned_data["to_state"]
        try:
            services.submission_decide(
                actor=request.user,
                submission=submission,
                to_state=to_state,
                note=form.cleaned_data["note"],
            )
        except PitchError as exc:
            _refused(request, exc)
        else:
            messages.success(
                request,
                _("“%(title)s” is now %(state)s.")
                % {"title": submission.project.title, "state": S(to_state).label.lower()},
            )
    url = reverse("pitching:review_ranking", kwargs={"call_id": submission.call_id})
    return redirect(f"{url}#section-{submission.section_id}")


@require_POST
@organiser_page
def review_select_top(request: HttpRequest, pk: int) -> HttpResponse:
    section = get_object_or_404(Section, pk=pk)
    form = SelectTopForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter how many submissions to select (at least 1)."))
    else:
        try:
            chosen = services.section_select_top(
                actor=request.user, section=section, count=form.cleaned_data["count"]
            )
        except PitchError as exc:
            _refused(request, exc)
        else:
            messages.success(
                request,
                ngettext(
                    "%(n)d submission of %(section)s selected.",
                    "%(n)d submissions of %(section)s selected.",
                    len(chosen),
                )
                % {"n": len(chosen), "section": section.name},
            )
    url = reverse("pitching:review_ranking", kwargs={"call_id": section.call_id})
    return redirect(f"{url}#section-{section.pk}")

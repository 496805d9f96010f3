"""The pitch forum's application pages: calls (public), applying, an applicant's
submissions and their status, and the organisers' overview of a call.

Thin: ``selectors`` read, ``services`` write (and queue the e-mail), ``rules`` decide who may
see what. Someone who may not see a submission gets a 404, not a 403, so ids do not reveal
that a project applied.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reelmarket.financing.enums import SourceKind, SourceStatus
from reelmarket.market.rules import participant_of
from reelmarket.pitching import eligibility, selectors, services
from reelmarket.pitching.enums import (
    APPLICANT_MOVES,
    ORGANISER_MOVES,
    TRANSITIONS,
    SubmissionState,
    TextField,
)
from reelmarket.pitching.errors import PitchError
from reelmarket.pitching.forms import (
    MoveForm,
    SourceFormSet,
    SubmissionForm,
    WithdrawForm,
    sources_of,
)
from reelmarket.pitching.models import Call, Submission
from reelmarket.pitching.rules import (
    is_applicant,
    is_organiser,
    may_apply,
    may_edit_submission,
    may_see_submission,
)
from reelmarket.pitching.texts import LANGUAGES

S = SubmissionState


def _call(call_id: int) -> Call:
    try:
        return selectors.call_get(call_id=call_id)
    except Call.DoesNotExist:
        raise Http404 from None


def _visible(request: HttpRequest, submission_id: int) -> Submission:
    try:
        submission = selectors.submission_get(submission_id=submission_id)
    except Submission.DoesNotExist:
        raise Http404 from None
    if not may_see_submission(request.user, submission):
        raise Http404
    return submission


def _no_profile(request: HttpRequest) -> HttpResponse:
    return render(request, "pitching/no_profile.html", status=403)


def _sections(call: Call) -> list[dict[str, Any]]:
    return [{"section": s, "rules": eligibility.rules_summary(s)} for s in call.sections.all()]


# ---- public: calls ---------------------------------------------------------------------------


def calls_page(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    calls = [
        {"call": c, "open": selectors.call_is_open(c, at=now), "upcoming": now < c.opens_at}
        for c in selectors.calls_listed()
    ]
    return render(request, "pitching/calls.html", {"calls": calls})


def call_page(request: HttpRequest, call_id: int) -> HttpResponse:
    call = _call(call_id)
    now = timezone.now()
    me = participant_of(request.user)
    mine = list(selectors.submissions_of(me).filter(call=call)) if me is not None else []
    context = {
        "call": call,
        "sections": _sections(call),
        "open": selectors.call_is_open(call, at=now),
        "upcoming": now < call.opens_at,
        "mine": mine,
    }
    return render(request, "pitching/call.html", context)


# ---- applying --------------------------------------------------------------------------------


def _form_context(call: Call, form: SubmissionForm, sources: Any, **extra: Any) -> dict:
    return {
        "call": call,
        "sections": _sections(call),
        "form": form,
        "sources": sources,
        "languages": LANGUAGES,
        **extra,
    }


def _show_refusal(form: SubmissionForm, exc: PitchError) -> None:
    for name, problems in exc.fields.items():
        for problem in problems:
            form.add_error(name if name in form.fields else None, problem)
    shown = {p for problems in exc.fields.values() for p in problems}
    for message in exc.messages:
        if message not in shown:
            form.add_error(None, message)


def _submit_after_save(request: HttpRequest, form: SubmissionForm, draft: Submission) -> bool:
    """ "Save and submit": the draft is saved; True when it is also submitted."""
    try:
        services.submission_submit(actor=request.user, submission=draft)
    except PitchError as exc:
        _show_refusal(form, exc)
        return False
    return True


@login_required
def apply_page(request: HttpRequest, call_id: int) -> HttpResponse:
    call = _call(call_id)
    if not may_apply(request.user):
        return _no_profile(request)
    me = participant_of(request.user)
    projects = list(selectors.projects_of(me))
    initial = {"section": request.GET.get("section")} if request.method == "GET" else None
    form = SubmissionForm(
        request.POST or None, request.FILES or None, call=call, projects=projects, initial=initial
    )
    sources = SourceFormSet(request.POST or None, prefix="src")
    if request.method == "POST" and form.is_valid() and sources.is_valid():
        try:
            draft = services.submission_create(
                actor=request.user,
                section=form.cleaned_data["section"],
                project=form.chosen_project(),
                project_data=form.project_data(sources_of(sources)),
                values=form.text_values(),
                screeners=form.screeners(),
                poster=form.cleaned_data.get("poster"),
            )
        except PitchError as exc:
            _show_refusal(form, exc)
        else:
            if "submit" not in request.POST:
                messages.success(request, _("Your draft is saved."))
                return redirect("pitching:submission_edit", submission_id=draft.pk)
            if _submit_after_save(request, form, draft):
                messages.success(request, _("Your project is submitted."))
                return redirect("pitching:submission", submission_id=draft.pk)
            messages.warning(
                request, _("Your draft is saved but not submitted yet: see what is missing.")
            )
            return redirect("pitching:submission_edit", submission_id=draft.pk)
    return render(
        request,
        "pitching/apply.html",
        _form_context(call, form, sources, open=selectors.call_is_open(call, at=timezone.now())),
    )


def _initial(submission: Submission) -> dict[str, Any]:
    project = submission.project
    initial: dict[str, Any] = {
        "section": submission.section_id,
        "title": project.title,
        "kind": project.kind,
        "stage": project.stage,
        "genres": project.genres,
        "runtime_minutes": project.runtime_minutes,
        "budget": project.budget,
        "currency": project.currency,
        "screener_1": submission.screener_1,
        "screener_2": submission.screener_2,
    }
    for field in TextField:
        for language in LANGUAGES:
            initial[f"{field}_{language}"] = getattr(submission, f"{field}_{language}")
    return initial


def _source_initial(submission: Submission) -> list[dict[str, Any]]:
    return [
        {
            "kind": s.kind,
            "name": s.name,
            "amount": s.amount,
            "status": s.status,
            "country": s.country,
        }
        for s in submission.project.sources.all()
    ]


def _edit_response(
    request: HttpRequest,
    submission: Submission,
    *,
    form: SubmissionForm | None,
    sources: Any = None,
) -> HttpResponse:
    """The edit page: the saved draft, or the posted ``form`` with its errors."""
    submission = selectors.submission_get(submission_id=submission.pk)
    if form is None:
        form = SubmissionForm(
            call=submission.call, submission=submission, initial=_initial(submission)
        )
    if sources is None:
        sources = SourceFormSet(prefix="src", initial=_source_initial(submission))
    _code, problems, _fields = services.submit_problems(submission=submission, at=timezone.now())
    context = _form_context(
        submission.call,
        form,
        sources,
        submission=submission,
        problems=problems,
        open=selectors.call_is_open(submission.call, at=timezone.now()),
    )
    return render(request, "pitching/apply.html", context)


@login_required
def submission_edit(request: HttpRequest, submission_id: int) -> HttpResponse:
    submission = _visible(request, submission_id)
    if not may_edit_submission(request.user, submission):
        if is_applicant(request.user, submission):
            messages.info(request, _("This submission is no longer a draft; it cannot change."))
            return redirect("pitching:submission", submission_id=submission.pk)
        raise PermissionDenied
    if request.method != "POST":
        return _edit_response(request, submission, form=None)
    form = SubmissionForm(
        request.POST, request.FILES or None, call=submission.call, submission=submission
    )
    sources = SourceFormSet(request.POST, prefix="src")
    if not (form.is_valid() and sources.is_valid()):
        return _edit_response(request, submission, form=form, sources=sources)
    try:
        draft = services.submission_update(
            actor=request.user,
            submission=submission,
            section=form.cleaned_data["section"],
            project_data=form.project_data(sources_of(sources)),
            values=form.text_values(),
            screeners=form.screeners(),
            poster=form.poster_change(),
        )
    except PitchError as exc:
        _show_refusal(form, exc)
        return _edit_response(request, submission, form=form, sources=sources)
    if "submit" not in request.POST:
        messages.success(request, _("Your draft is saved."))
        return redirect("pitching:submission_edit", submission_id=draft.pk)
    if _submit_after_save(request, form, draft):
        messages.success(request, _("Your project is submitted."))
        return redirect("pitching:submission", submission_id=draft.pk)
    messages.warning(request, _("Your draft is saved but not submitted yet: see what is missing."))
    return _edit_response(request, draft, form=form, sources=sources)


# ---- an applicant's submissions --------------------------------------------------------------


@login_required
def my_submissions(request: HttpRequest) -> HttpResponse:
    me = participant_of(request.user)
    if me is None:
        return _no_profile(request)
    return render(
        request, "pitching/my_submissions.html", {"submissions": selectors.submissions_of(me)}
    )


def _moves(request: HttpRequest, submission: Submission) -> dict[str, Any]:
    state = submission.state
    targets = TRANSITIONS[S(state)]
    organiser_moves = []
    if is_organiser(request.user):
        organiser_moves = [
            (t, S(t).label) for t in S.values if t in targets and (state, t) in ORGANISER_MOVES
        ]
    applicant = is_applicant(request.user, submission)
    return {
        "organiser_moves": organiser_moves,
        "can_withdraw": applicant and (state, S.WITHDRAWN) in APPLICANT_MOVES,
        "can_edit": may_edit_submission(request.user, submission),
        "can_submit": applicant and state == S.DRAFT,
    }


@login_required
def submission_page(request: HttpRequest, submission_id: int) -> HttpResponse:
    submission = _visible(request, submission_id)
    problems: list[str] = []
    if submission.state == S.DRAFT:
        _code, problems, _fields = services.submit_problems(
            submission=submission, at=timezone.now()
        )
    texts = [
        (f.label, [(lang, getattr(submission, f"{f}_{lang}")) for lang in LANGUAGES])
        for f in TextField
    ]
    organiser = is_organiser(request.user)
    # Organisers' notes on their moves are internal; the applicant sees their own notes.
    events = [
        (e, bool(e.note) and (organiser or e.actor_id == request.user.pk))
        for e in submission.events.all()
    ]
    snapshot_sources = [
        {
            **s,
            "kind_label": SourceKind(s["kind"]).label if s["kind"] in SourceKind.values else "",
            "status_label": SourceStatus(s["status"]).label
            if s["status"] in SourceStatus.values
            else "",
        }
        for s in (submission.snapshot or {}).get("sources", [])
    ]
    context = {
        "submission": submission,
        "call": submission.call,
        "project": submission.project,
        "snapshot": submission.snapshot,
        "snapshot_sources": snapshot_sources,
        "events": events,
        "texts": texts,
        "problems": problems,
        "withdraw_form": WithdrawForm(),
        "move_form": MoveForm(),
        **_moves(request, submission),
    }
    return render(request, "pitching/submission.html", context)


def _act(request: HttpRequest, submission_id: int, act: Any, done: str) -> HttpResponse:
    submission = _visible(request, submission_id)
    try:
        act(submission)
    except PitchError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect("pitching:submission", submission_id=submission.pk)


@require_POST
@login_required
def submission_submit(request: HttpRequest, submission_id: int) -> HttpResponse:
    return _act(
        request,
        submission_id,
        lambda s: services.submission_submit(actor=request.user, submission=s),
        _("Your project is submitted."),
    )


@require_POST
@login_required
def submission_withdraw(request: HttpRequest, submission_id: int) -> HttpResponse:
    form = WithdrawForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    return _act(
        request,
        submission_id,
        lambda s: services.submission_withdraw(actor=request.user, submission=s, note=note),
        _("Your submission is withdrawn."),
    )


@require_POST
@login_required
def submission_delete(request: HttpRequest, submission_id: int) -> HttpResponse:
    submission = _visible(request, submission_id)
    try:
        services.submission_delete(actor=request.user, submission=submission)
    except PitchError as exc:
        messages.error(request, exc.message)
        return redirect("pitching:submission", submission_id=submission.pk)
    messages.success(request, _("The draft is deleted."))
    return redirect("pitching:my_submissions")


@require_POST
@login_required
def submission_move(request: HttpRequest, submission_id: int) -> HttpResponse:
    """An organiser shortlists, selects or rejects (the jury's tools are in ``review``)."""
    submission = _visible(request, submission_id)
    if not is_organiser(request.user):
        raise PermissionDenied
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a status."))
        return redirect("pitching:submission", submission_id=submission.pk)
    to_state = form.cleaned_data["to_state"]
    return _act(
        request,
        submission_id,
        lambda s: services.submission_transition(
            actor=request.user, submission=s, to_state=to_state, note=form.cleaned_data["note"]
        ),
        _("The submission is now: %(state)s.") % {"state": S(to_state).label},
    )


# ---- organisers ------------------------------------------------------------------------------


@login_required
def call_overview(request: HttpRequest, call_id: int) -> HttpResponse:
    if not is_organiser(request.user):
        raise PermissionDenied
    call = _call(call_id)
    state = request.GET.get("state", "")
    if state not in S.values:
        state = ""
    section_param = request.GET.get("section", "")
    section_id = int(section_param) if section_param.isdigit() else None
    overview = selectors.call_overview(call=call, state=state, section_id=section_id)
    context = {
        "call": call,
        "overview": overview,
        "states": S.choices,
        "state": state,
        "section_id": section_id,
        "open": selectors.call_is_open(call, at=timezone.now()),
    }
    return render(request, "pitching/organiser/call_overview.html", context)

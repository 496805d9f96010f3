"""Pages after selection: the public programme and dossiers, financiers' meeting wishes,
and the organisers' sessions, one-on-one grid and awards. Thin: ``selectors_after`` reads,
``services_after`` writes, ``rules_after`` decides who sees what.

Every page is under ``/pitch/<call slug>/`` of the current edition.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC
from functools import wraps
from typing import Any

import icalendar
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reelmarket.market.rules import participant_of
from reelmarket.market.selectors import current_edition
from reelmarket.meetings.enums import RequestState
from reelmarket.pitching import selectors_after as selectors
from reelmarket.pitching import services_after as services
from reelmarket.pitching.errors import PitchError
from reelmarket.pitching.forms_after import (
    AddProjectForm,
    AwardForm,
    MoveForm,
    ProjectFilterForm,
    SessionForm,
    WinnerForm,
    WishForm,
)
from reelmarket.pitching.models import Award, Call, PitchSession, Submission
from reelmarket.pitching.rules_after import (
    is_financier,
    is_project_side,
    may_manage_after,
    may_see_dossier,
    may_wish,
)
from reelmarket.pitching.tasks_after import build_one_on_ones_queue

# ---- shared -----------------------------------------------------------------------------------


def call_or_404(slug: str) -> Call:
    edition = current_edition()
    if edition is None:
        raise Http404(_("There is no edition yet."))
    try:
        return selectors.call_of(edition=edition, slug=slug)
    except Call.DoesNotExist:
        raise Http404(_("No such call.")) from None


def _context(request: HttpRequest, call: Call, **extra: Any) -> dict[str, Any]:
    return {
        "call": call,
        "edition": call.edition,
        "is_financier": is_financier(request.user),
        "manages": may_manage_after(request.user),
        **extra,
    }


def organiser_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Login required, organisers only (403 otherwise); the view receives the call."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, call: str, *args: Any, **kwargs: Any) -> HttpResponse:
        if not may_manage_after(request.user):
            raise PermissionDenied
        return view(request, call_or_404(call), *args, **kwargs)

    return wrapped


def refused(request: HttpRequest, exc: PitchError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _same_site(request: HttpRequest, default: str) -> HttpResponse:
    target = request.POST.get("next") or ""
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect(default)


# ---- the public programme ---------------------------------------------------------------------


def programme(request: HttpRequest, call: str) -> HttpResponse:
    the_call = call_or_404(call)
    sessions = selectors.programme(call=the_call)
    awards = list(selectors.awards_of(call=the_call))
    return render(
        request,
        "pitching/after/programme.html",
        _context(request, the_call, sessions=sessions, awards=awards),
    )


def session_ics(request: HttpRequest, call: str, pk: int) -> HttpResponse:
    """One pitch session with its running order, as a calendar file."""
    the_call = call_or_404(call)
    session = get_object_or_404(selectors.sessions_of(call=the_call), pk=pk)
    view = selectors.session_view(session)
    cal = icalendar.Calendar()
    cal.add("prodid", "-//ReelMarket//Pitch forum//EN")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    event = icalendar.Event()
    event.add("uid", f"pitch-session-{session.pk}@reelmarket")
    event.add("dtstamp", session.starts_at.astimezone(UTC))
    event.add("dtstart", session.starts_at.astimezone(UTC))
    event.add("dtend", view.ends_at.astimezone(UTC))
    event.add("summary", f"{the_call.name}: {session.title}")
    event.add("location", ", ".join(x for x in (session.room, the_call.edition.venue) if x))
    zone = the_call.edition.zone
    lines = [
        f"{s.time.starts_at.astimezone(zone):%H:%M} {s.submission.project.title}"
        for s in view.slots
    ]
    event.add("description", "\n".join(lines))
    cal.add_component(event)
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="pitch-session-{session.pk}.ics"'
    return response


# ---- the catalogue of selected projects -------------------------------------------------------


def projects(request: HttpRequest, call: str) -> HttpResponse:
    the_call = call_or_404(call)
    form = ProjectFilterForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    filters = selectors.ProjectFilters(
        section=data.get("section", ""),
        country=(data.get("country") or "").upper(),
        genre=data.get("genre", ""),
    )
    listing = selectors.selected_projects(call=the_call, filters=filters)
    counts = selectors.wish_counts(call=the_call) if may_manage_after(request.user) else {}
    for item in listing.items:
        item.wish_count = counts.get(item.pk, 0)  # type: ignore[attr-defined]
    return render(
        request,
        "pitching/after/projects.html",
        _context(
            request,
            the_call,
            listing=listing,
            filters=filters,
        ),
    )


def _submission(call: Call, pk: int) -> Submission:
    return get_object_or_404(selectors.dossier_queryset(call=call), pk=pk)


def dossier(request: HttpRequest, call: str, pk: int) -> HttpResponse:
    """A project's public page. Only selected projects are public; the applicant and the
    organisers may preview the others (the page says so). Everyone else gets a 404, so a
    project's existence is not revealed."""
    the_call = call_or_404(call)
    submission = _submission(the_call, pk)
    if not may_see_dossier(request.user, submission):
        raise Http404
    language = selectors.preferred_text_language(submission, request.GET.get("lang", ""))
    me = participant_of(request.user)
    wish = selectors.wish_of(submission=submission, participant=me)
    can_wish = may_wish(request.user, submission)
    own = is_project_side(request.user, submission)
    wishes_received = submission.wishes.count() if own else None
    form = WishForm(initial={"priority": wish.priority, "note": wish.note} if wish else None)
    return render(
        request,
        "pitching/after/dossier.html",
        _context(
            request,
            the_call,
            s=submission,
            project=submission.project,
            language=language,
            languages=selectors.text_languages(submission),
            texts=selectors.dossier_texts(submission, language),
            money=selectors.financing_of(submission),
            slot=selectors.pitch_slot_of(submission=submission),
            wish=wish,
            can_wish=can_wish,
            own=own,
            wishes_received=wishes_received,
            form=form,
        ),
    )


# ---- financiers' wishes -----------------------------------------------------------------------


@login_required
@require_POST
def wish_set(request: HttpRequest, call: str, pk: int) -> HttpResponse:
    the_call = call_or_404(call)
    submission = _submission(the_call, pk)
    if not may_see_dossier(request.user, submission):
        raise Http404
    form = WishForm(request.POST)
    default = reverse("pitching:dossier", args=[the_call.slug, submission.pk])
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _same_site(request, default)
    try:
        services.wish_set(
            actor=request.user,
            submission=submission,
            priority=form.cleaned_data["priority"],
            note=form.cleaned_data["note"],
        )
    except PitchError as exc:
        if isinstance(exc, PermissionDenied):
            raise
        refused(request, exc)
    else:
        messages.success(
            request,
            _(
                "Noted: you want to meet the team of “%(title)s”. The organisers build the "
                "meetings from these wishes."
            )
            % {"title": submission.project.title},
        )
    return _same_site(request, default)


@login_required
@require_POST
def wish_withdraw(request: HttpRequest, call: str, pk: int) -> HttpResponse:
    the_call = call_or_404(call)
    submission = _submission(the_call, pk)
    default = reverse("pitching:dossier", args=[the_call.slug, submission.pk])
    try:
        services.wish_withdraw(actor=request.user, submission=submission)
    except PitchError as exc:
        if isinstance(exc, PermissionDenied):
            raise
        refused(request, exc)
    else:
        messages.success(request, _("Your meeting wish is withdrawn."))
    return _same_site(request, default)


@login_required
def my_wishes(request: HttpRequest, call: str) -> HttpResponse:
    """The financier's own wish list for the call, with what became of each."""
    the_call = call_or_404(call)
    me = participant_of(request.user)
    if me is None or not is_financier(request.user):
        raise PermissionDenied
    wishes = list(selectors.wishes_of(call=the_call, participant=me))
    return render(
        request,
        "pitching/after/my_wishes.html",
        _context(request, the_call, wishes=wishes, states=RequestState),
    )


# ---- organisers: pitch sessions ---------------------------------------------------------------


@organiser_page
def sessions(request: HttpRequest, call: Call) -> HttpResponse:
    form = SessionForm(request.POST or None, call=call)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(
                actor=request.user, call=call, data=form.data_object()
            )
        except PitchError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Session “%(title)s” added.") % {"title": session.title})
            return redirect("pitching:session", call.slug, session.pk)
    return render(
        request,
        "pitching/after/sessions.html",
        _context(
            request,
            call,
            sessions=selectors.programme(call=call),
            unscheduled=list(selectors.unscheduled_selected(call=call)),
            form=form,
        ),
        status=422 if form.errors else 200,
    )


def _session(call: Call, pk: int) -> PitchSession:
    return get_object_or_404(selectors.sessions_of(call=call), pk=pk)


@organiser_page
def session_detail(request: HttpRequest, call: Call, pk: int) -> HttpResponse:
    session = _session(call, pk)
    if request.method == "POST":
        form = SessionForm(request.POST, call=call)
        if form.is_valid():
            try:
                services.session_update(
                    actor=request.user, session=session, data=form.data_object()
                )
            except PitchError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Session saved."))
                return redirect("pitching:session", call.slug, session.pk)
    else:
        form = SessionForm(initial=SessionForm.initial_for(session), call=call)
    choices = _add_choices(call, session)
    return render(
        request,
        "pitching/after/session.html",
        _context(
            request,
            call,
            view=selectors.session_view(session),
            form=form,
            add_form=AddProjectForm(choices=choices),
            can_add=choices.exists(),
        ),
        status=422 if form.errors else 200,
    )


def _add_choices(call: Call, session: PitchSession) -> QuerySet[Submission]:
    choices = selectors.unscheduled_selected(call=call)
    if session.section_id:
        choices = choices.filter(section_id=session.section_id)
    return choices


@organiser_page
@require_POST
def session_add(request: HttpRequest, call: Call, pk: int) -> HttpResponse:
    session = _session(call, pk)
    form = AddProjectForm(request.POST, choices=_add_choices(call, session))
    if not form.is_valid():
        messages.error(request, _("Choose a selected project that is not in a session yet."))
    else:
        try:
            services.session_add(
                actor=request.user, session=session, submission=form.cleaned_data["submission"]
            )
        except PitchError as exc:
            refused(request, exc)
    return redirect("pitching:session", call.slug, session.pk)


@organiser_page
@require_POST
def session_fill(request: HttpRequest, call: Call, pk: int) -> HttpResponse:
    session = _session(call, pk)
    outcome = services.session_fill(actor=request.user, session=session)
    messages.success(
        request,
        _("%(n)d projects added to the running order.") % {"n": outcome.added},
    )
    if outcome.refusal is not None:
        messages.warning(
            request,
            _("%(left)d more do not fit: %(why)s")
            % {"left": outcome.left, "why": outcome.refusal.message},
        )
    return redirect("pitching:session", call.slug, session.pk)


def _slot_submission(session: PitchSession, pk: int | None) -> Submission:
    submission = Submission.objects.filter(pk=pk, pitch_slot__session=session).first()
    if submission is None:
        raise Http404
    return submission


@organiser_page
@require_POST
def session_move(request: HttpRequest, call: Call, pk: int) -> HttpResponse:
    session = _session(call, pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        raise Http404
    submission = _slot_submission(session, form.cleaned_data["submission"])
    try:
        services.session_move(
            actor=request.user,
            session=session,
            submission=submission,
            delta=form.cleaned_data["delta"],
        )
    except PitchError as exc:
        refused(request, exc)
    return redirect("pitching:session", call.slug, session.pk)


@organiser_page
@require_POST
def session_remove(request: HttpRequest, call: Call, pk: int) -> HttpResponse:
    session = _session(call, pk)
    raw = request.POST.get("submission", "")
    submission = _slot_submission(session, int(raw) if raw.isdigit() else None)
    try:
        services.session_remove(actor=request.user, session=session, submission=submission)
    except PitchError as exc:
        refused(request, exc)
    return redirect("pitching:session", call.slug, session.pk)


@organiser_page
@require_POST
def session_delete(request: HttpRequest, call: Call, pk: int) -> HttpResponse:
    session = _session(call, pk)
    services.session_delete(actor=request.user, session=session)
    messages.success(request, _("Session “%(title)s” removed.") % {"title": session.title})
    return redirect("pitching:sessions", call.slug)


# ---- organisers: wishes and the one-on-one grid -----------------------------------------------


@organiser_page
def wishes_overview(request: HttpRequest, call: Call) -> HttpResponse:
    by_project, by_person = selectors.wishes_overview(call=call)
    pending = sum(g.pending for g in by_project)
    return render(
        request,
        "pitching/after/wishes_overview.html",
        _context(
            request,
            call,
            by_project=by_project,
            by_person=by_person,
            pending=pending,
            total=sum(len(g.wishes) for g in by_project),
        ),
    )


# Up to this many new wishes are turned into requests during the request (about 30 ms
# each); more go to the background task, and the overview shows how far it got.
SYNC_WISHES = 150


@organiser_page
@require_POST
def grid_build(request: HttpRequest, call: Call) -> HttpResponse:
    pending = selectors.pending_wishes(call=call).count()
    if pending > SYNC_WISHES:
        if not may_manage_after(request.user):  # the service checks again in the task
            raise PermissionDenied
        build_one_on_ones_queue(call_id=call.pk, actor_id=request.user.pk)
        messages.info(
            request,
            _(
                "%(n)d wishes are being turned into meeting requests in the background; "
                "reload this page to follow. Wishes that cannot become a request show why."
            )
            % {"n": pending},
        )
        return redirect("pitching:wishes_overview", call.slug)
    try:
        outcome = services.grid_from_wishes(actor=request.user, call=call)
    except PitchError as exc:
        refused(request, exc)
        return redirect("pitching:wishes_overview", call.slug)
    made = len(outcome.created) + len(outcome.linked)
    messages.success(
        request,
        _(
            "%(made)d meeting wishes became accepted meeting requests (%(new)d new, "
            "%(linked)d already asked); %(skipped)d left aside."
        )
        % {
            "made": made,
            "new": len(outcome.created),
            "linked": len(outcome.linked),
            "skipped": len(outcome.skipped),
        },
    )
    for skipped in outcome.skipped:
        messages.warning(
            request,
            f"{skipped.wish.participant.display_name} → {skipped.wish.submission.project.title}: "
            f"{skipped.message}",
        )
    return redirect("pitching:wishes_overview", call.slug)


# ---- organisers: awards -----------------------------------------------------------------------


@organiser_page
def awards(request: HttpRequest, call: Call) -> HttpResponse:
    form = AwardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            award = services.award_create(actor=request.user, call=call, data=form.data_object())
        except PitchError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Award “%(name)s” added.") % {"name": award.name})
            return redirect("pitching:awards", call.slug)
    choices = selectors.public_submissions(call=call).select_related("project", "section")
    rows = [
        (a, WinnerForm(initial={"winner": a.winner_id}, choices=choices, prefix=f"a{a.pk}"))
        for a in selectors.awards_of(call=call)
    ]
    return render(
        request,
        "pitching/after/awards.html",
        _context(request, call, form=form, rows=rows),
        status=422 if form.errors else 200,
    )


@organiser_page
@require_POST
def award_winner(request: HttpRequest, call: Call, pk: int) -> HttpResponse:
    award = get_object_or_404(Award, call=call, pk=pk)
    # Any project of the call is offered to the form: the service says why a non-selected
    # one cannot win.
    form = WinnerForm(
        request.POST,
        choices=Submission.objects.filter(call=call).select_related("project", "section"),
        prefix=f"a{award.pk}",
    )
    if not form.is_valid():
        messages.error(request, _("Choose one of the selected projects."))
        return redirect("pitching:awards", call.slug)
    try:
        services.award_set_winner(
            actor=request.user, award=award, winner=form.cleaned_data["winner"]
        )
    except PitchError as exc:
        refused(request, exc)
    else:
        messages.success(request, _("Award “%(name)s” saved.") % {"name": award.name})
    return redirect("pitching:awards", call.slug)


@organiser_page
@require_POST
def award_delete(request: HttpRequest, call: Call, pk: int) -> HttpResponse:
    award = get_object_or_404(Award, call=call, pk=pk)
    services.award_delete(actor=request.user, award=award)
    messages.success(request, _("Award “%(name)s” removed.") % {"name": award.name})
    return redirect("pitching:awards", call.slug)

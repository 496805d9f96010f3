"""Producers Connect session pages: the list, a session (register, no thanks), my rounds
with feedback, the round sheets, and the organisers' set-up, registrations, rotation review
(utilisation per round drawn as SVG) and feedback summary. Thin: ``selectors_connect``
reads, ``services_connect`` writes, ``rules_connect`` decides who sees what.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reelmarket.financing import selectors_connect as selectors
from reelmarket.financing import services_connect as services
from reelmarket.financing.enums_connect import TRANSITIONS, SessionState, Side
from reelmarket.financing.errors_connect import ConnectError
from reelmarket.financing.forms_connect import (
    BuildForm,
    FeedbackForm,
    RegisterForm,
    SessionForm,
    apply_error,
)
from reelmarket.financing.models import ConnectRegistration, ConnectSeat, ConnectSession
from reelmarket.financing.rules_connect import (
    may_manage_sessions,
    may_see_sheets,
)
from reelmarket.market.models import Edition, Participant
from reelmarket.market.rules import participant_of
from reelmarket.market.selectors import current_edition

# utilisation chart geometry (SVG user units)
BAR_W, BAR_GAP, CHART_H, TOP, LEFT, BOTTOM = 28, 10, 160, 12, 40, 30


@dataclass
class Viewer:
    edition: Edition
    me: Participant | None
    organiser: bool


def connect_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in, with a participant profile (or an organiser); the current edition."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        edition = current_edition()
        if edition is None:
            raise Http404(_("There is no edition yet."))
        viewer = Viewer(
            edition=edition,
            me=participant_of(request.user),
            organiser=may_manage_sessions(request.user),
        )
        if viewer.me is None and not viewer.organiser:
            raise PermissionDenied(_("Producers Connect is for participants of the market."))
        return view(request, viewer, *args, **kwargs)

    return wrapped


def organiser_only(viewer: Viewer) -> None:
    if not viewer.organiser:
        raise PermissionDenied(_("Only organisers may do this."))


def _session(request: HttpRequest, pk: int) -> ConnectSession:
    session = selectors.session_get(user=request.user, pk=pk)
    if session is None:
        raise Http404(_("No such session."))
    return session


def _render(
    request: HttpRequest, template: str, *, status: int = 200, **context: Any
) -> HttpResponse:
    return render(request, f"financing/connect/{template}", context, status=status)


# ---- list, set-up ---------------------------------------------------------------------------


@connect_page
def session_list(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    sessions = list(selectors.sessions_visible(user=request.user, edition=viewer.edition))
    mine = {}
    if viewer.me is not None:
        mine = {
            r.session_id: r
            for r in ConnectRegistration.objects.filter(participant=viewer.me, session__in=sessions)
        }
    rows = [(s, mine.get(s.pk)) for s in sessions]
    return _render(request, "list.html", rows=rows, viewer=viewer)


@connect_page
def session_new(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    organiser_only(viewer)
    form = SessionForm(request.POST or None, edition=viewer.edition, initial={"rounds": 8})
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(
                actor=request.user, edition=viewer.edition, **form.service_kwargs()
            )
        except ConnectError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Session created. Open registration when ready."))
            return redirect("financing:connect_session", session.pk)
    status = 422 if request.method == "POST" else 200
    return _render(request, "form.html", status=status, form=form, session=None, viewer=viewer)


@connect_page
def session_edit(request: HttpRequest, viewer: Viewer, pk: int) -> HttpResponse:
    organiser_only(viewer)
    session = _session(request, pk)
    if session.is_published:
        messages.error(request, _("The rotation is published; the session can no longer change."))
        return redirect("financing:connect_session", session.pk)
    form = SessionForm(
        request.POST or None, edition=session.edition, initial=SessionForm.initial_for(session)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.session_update(actor=request.user, session=session, **form.service_kwargs())
        except ConnectError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Session saved."))
            return redirect("financing:connect_session", session.pk)
    status = 422 if request.method == "POST" else 200
    return _render(request, "form.html", status=status, form=form, session=session, viewer=viewer)


@require_POST
@connect_page
def session_state(request: HttpRequest, viewer: Viewer, pk: int) -> HttpResponse:
    organiser_only(viewer)
    session = _session(request, pk)
    to_state = request.POST.get("to", "")
    try:
        services.session_set_state(actor=request.user, session=session, to_state=to_state)
    except ConnectError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("The session is now “%(state)s”.") % {"state": SessionState(to_state).label},
        )
    return redirect("financing:connect_session", session.pk)


# ---- a session: registration and no thanks --------------------------------------------------


@connect_page
def session_detail(request: HttpRequest, viewer: Viewer, pk: int) -> HttpResponse:
    session = _session(request, pk)
    registration = selectors.registration_for(session=session, participant=viewer.me)
    context: dict[str, Any] = {
        "session": session,
        "viewer": viewer,
        "registration": registration,
        "counts": {side: session.registrations.filter(side=side).count() for side in Side.values},
        "seats": session.seats.count(),
        # organisers who do not take part see no "your place" box once registration closed
        "show_place": viewer.me is not None
        and (registration is not None or not viewer.organiser or session.registration_open),
    }
    if viewer.organiser:
        context["transitions"] = [
            SessionState(s)
            for s in (SessionState.OPEN, SessionState.CLOSED, SessionState.DRAFT)
            if s in TRANSITIONS[session.state]
        ]
    if viewer.me is not None and registration is None and session.registration_open:
        context["form"] = _register_form(viewer.me)
    if registration is not None and session.registration_open:
        context["counterparts"] = selectors.counterparts(registration=registration)
    return _render(request, "detail.html", **context)


def _register_form(me: Participant, data: Any = None) -> RegisterForm:
    return RegisterForm(
        data,
        projects=selectors.projects_to_bring(participant=me),
        can_partner=selectors.has_investor_profile(me),
    )


@require_POST
@connect_page
def session_register(request: HttpRequest, viewer: Viewer, pk: int) -> HttpResponse:
    session = _session(request, pk)
    if viewer.me is None:
        raise PermissionDenied(_("Only participants register."))
    form = _register_form(viewer.me, request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("financing:connect_session", session.pk)
    try:
        services.session_register(
            actor=request.user,
            session=session,
            participant=viewer.me,
            side=form.cleaned_data["side"],
            project=form.cleaned_data.get("project"),
        )
    except ConnectError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("You are registered for %(session)s.") % {"session": session})
    return redirect("financing:connect_session", session.pk)


def _my_registration(request: HttpRequest, viewer: Viewer, session: ConnectSession) -> Any:
    registration = selectors.registration_for(session=session, participant=viewer.me)
    if registration is None:
        raise PermissionDenied(_("You are not registered for this session."))
    return registration


@require_POST
@connect_page
def session_withdraw(request: HttpRequest, viewer: Viewer, pk: int) -> HttpResponse:
    session = _session(request, pk)
    registration = _my_registration(request, viewer, session)
    try:
        services.session_withdraw(actor=request.user, registration=registration)
    except ConnectError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("You have withdrawn from the session."))
    return redirect("financing:connect_session", session.pk)


@require_POST
@connect_page
def no_thanks(request: HttpRequest, viewer: Viewer, pk: int) -> HttpResponse:
    session = _session(request, pk)
    registration = _my_registration(request, viewer, session)
    other_id = request.POST.get("other", "")
    other = (
        ConnectRegistration.objects.filter(session=session, pk=other_id).first()
        if other_id.isdigit()
        else None
    )
    if other is None:
        messages.error(request, _("That person is not registered for this session."))
        return redirect("financing:connect_session", session.pk)
    try:
        services.no_thanks_set(
            actor=request.user,
            by=registration,
            other=other,
            declined=request.POST.get("declined") == "1",
        )
    except ConnectError as exc:
        messages.error(request, exc.message)
    if request.htmx:
        return _render(
            request,
            "_counterparts.html",
            session=session,
            counterparts=selectors.counterparts(registration=registration),
        )
    return redirect("financing:connect_session", session.pk)


@connect_page
def registrations(request: HttpRequest, viewer: Viewer, pk: int) -> HttpResponse:
    organiser_only(viewer)
    session = _session(request, pk)
    return _render(
        request,
        "registrations.html",
        session=session,
        viewer=viewer,
        producers=list(selectors.registrations(session=session, side=Side.PRODUCER)),
        partners=list(selectors.registrations(session=session, side=Side.PARTNER)),
    )


# ---- the rotation: build, review, publish ---------------------------------------------------


@dataclass
class Bar:
    number: int
    label: str
    x: int
    y: int
    height: int
    meetings: int
    title: str


@dataclass
class Chart:
    bars: list[Bar] = field(default_factory=list)
    ticks: list[tuple[int, int]] = field(default_factory=list)  # (value, y)
    width: int = 0
    height: int = CHART_H + TOP + BOTTOM
    base: int = CHART_H + TOP
    capacity_y: int = TOP


def utilisation_chart(review: selectors.Review, session: ConnectSession) -> Chart:
    """One bar per round (meetings held), a line at the tables available. Geometry here,
    drawing in the template (like the meetings optimiser's review)."""
    chart = Chart()
    top = max(session.tables, 1)
    scale = CHART_H / top
    x = LEFT
    zone = session.edition.zone
    for r in review.rounds:
        h = round(r.meetings * scale)
        label = f"{r.starts_at.astimezone(zone):%H:%M}"
        chart.bars.append(
            Bar(
                number=r.number,
                label=label,
                x=x,
                y=chart.base - h,
                height=h,
                meetings=r.meetings,
                title=_("Round %(n)d, %(when)s: %(m)d of %(t)d tables (%(p)d %%)")
                % {"n": r.number, "when": label, "m": r.meetings, "t": r.tables, "p": r.percent},
            )
        )
        x += BAR_W + BAR_GAP
    chart.width = x + 10
    step = max(1, top // 4)
    chart.ticks = [(v, chart.base - round(v * scale)) for v in range(0, top + 1, step)]
    return chart


@connect_page
def rotation(request: HttpRequest, viewer: Viewer, pk: int) -> HttpResponse:
    organiser_only(viewer)
    session = _session(request, pk)
    review = selectors.review(session=session)
    return _render(
        request,
        "review.html",
        session=session,
        viewer=viewer,
        review=review,
        chart=utilisation_chart(review, session),
        form=BuildForm(initial={"seed": session.seed}),
    )


@require_POST
@connect_page
def build(request: HttpRequest, viewer: Viewer, pk: int) -> HttpResponse:
    organiser_only(viewer)
    session = _session(request, pk)
    form = BuildForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a seed of 0 or more."))
        return redirect("financing:connect_rotation", session.pk)
    try:
        built = services.session_build(
            actor=request.user, session=session, seed=form.cleaned_data["seed"]
        )
    except ConnectError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Rotation built: %(n)d meetings. Review it, then publish.")
            % {"n": built.seats.count()},
        )
    return redirect("financing:connect_rotation", session.pk)


@require_POST
@connect_page
def publish(request: HttpRequest, viewer: Viewer, pk: int) -> HttpResponse:
    organiser_only(viewer)
    session = _session(request, pk)
    try:
        count = services.session_publish(actor=request.user, session=session)
    except ConnectError as exc:
        messages.error(request, exc.message)
        return redirect("financing:connect_rotation", session.pk)
    messages.success(
        request,
        _("%(n)d meetings published; everyone registered is told by e-mail.") % {"n": count},
    )
    return redirect("financing:connect_session", session.pk)


# ---- round sheets, my rounds, feedback ------------------------------------------------------


@connect_page
def sheets(request: HttpRequest, viewer: Viewer, pk: int) -> HttpResponse:
    session = _session(request, pk)
    if not may_see_sheets(request.user, session):
        raise PermissionDenied(_("The round sheets are shown once the rotation is published."))
    by_table = request.GET.get("by") == "table"
    context: dict[str, Any] = {"session": session, "viewer": viewer, "by_table": by_table}
    if by_table:
        context["tables"] = selectors.sheet_tables(session=session)
    else:
        context["rounds"] = selectors.sheet_rounds(session=session)
    return _render(request, "sheets.html", **context)


@connect_page
def mine(request: HttpRequest, viewer: Viewer, pk: int) -> HttpResponse:
    session = _session(request, pk)
    registration = _my_registration(request, viewer, session)
    rows = selectors.my_rounds(user=request.user, registration=registration, now=timezone.now())
    return _render(
        request,
        "mine.html",
        session=session,
        viewer=viewer,
        registration=registration,
        rows=rows,
        feedback_form=FeedbackForm(),
    )


@require_POST
@connect_page
def feedback(request: HttpRequest, viewer: Viewer, pk: int, seat_id: int) -> HttpResponse:
    session = _session(request, pk)
    seat = ConnectSeat.objects.filter(session=session, pk=seat_id).first()
    if seat is None:
        raise Http404(_("No such meeting."))
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("financing:connect_mine", session.pk)
    try:
        services.feedback_leave(
            actor=request.user,
            seat=seat,
            verdict=form.cleaned_data["verdict"],
            note=form.cleaned_data["note"],
        )
    except ConnectError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Thank you: your feedback on round %(n)d is saved.") % {"n": seat.round}
        )
    return redirect(reverse("financing:connect_mine", args=[session.pk]) + f"#round-{seat.round}")


@connect_page
def feedback_summary(request: HttpRequest, viewer: Viewer, pk: int) -> HttpResponse:
    organiser_only(viewer)
    session = _session(request, pk)
    return _render(
        request,
        "feedback.html",
        session=session,
        viewer=viewer,
        summary=selectors.feedback_summary(session=session),
    )

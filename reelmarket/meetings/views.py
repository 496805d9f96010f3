"""Participants' meeting pages: requests in and out, asking for a meeting, answering,
picking a slot. Thin: selectors read, ``services_web`` writes (and queues the e-mail),
``rules`` decide who may see what. Agenda, availability and feeds are in
``views_agenda``, the organisers' pages in ``views_organiser``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import wraps
from itertools import groupby
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reelmarket.catalogue.models import Title
from reelmarket.catalogue.selectors import TitleFilters, titles_list
from reelmarket.market.models import Booth, Edition, Organisation, Participant
from reelmarket.market.rules import participant_of
from reelmarket.market.selectors import current_edition
from reelmarket.meetings import selectors, services, services_web
from reelmarket.meetings.enums import (
    OPEN_STATES,
    LocationKind,
    Place,
    RequestState,
    SchedulingMode,
)
from reelmarket.meetings.errors import MeetingError
from reelmarket.meetings.forms import (
    AcceptForm,
    BookForm,
    CancelForm,
    DeclineForm,
    RequestForm,
    place_key,
)
from reelmarket.meetings.models import MeetingGrid, MeetingRequest
from reelmarket.meetings.rules import (
    is_recipient_side,
    is_requester_side,
    may_act_on_request,
    may_answer_request,
    may_view_request,
)

S = RequestState


# ---- shared by the meetings views -----------------------------------------------------------


@dataclass
class Market:
    """What every meetings page needs: the edition, its grid (None: not open), the viewer."""

    edition: Edition
    grid: MeetingGrid | None
    me: Participant | None

    @property
    def self_booking(self) -> bool:
        return self.grid is not None and self.grid.mode == SchedulingMode.SELF_BOOKING

    def context(self, **extra: Any) -> dict[str, Any]:
        return {"edition": self.edition, "grid": self.grid, "me": self.me, **extra}


def market_of(request: HttpRequest) -> Market:
    edition = current_edition()
    if edition is None:
        raise Http404(_("There is no edition yet."))
    try:
        grid = selectors.grid_for(edition)
    except MeetingError:
        grid = None
    return Market(edition=edition, grid=grid, me=participant_of(request.user))


ParticipantView = Callable[..., HttpResponse]


def participant_page(view: ParticipantView) -> Callable[..., HttpResponse]:
    """Login required; a participant profile and an open grid required (else a page that
    says so). The view receives the ``Market`` after the request."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        market = market_of(request)
        if market.me is None:
            return render(request, "meetings/no_profile.html", market.context(), status=403)
        if market.grid is None:
            return render(request, "meetings/closed.html", market.context())
        return view(request, market, *args, **kwargs)

    return wrapped


def refused(request: HttpRequest, exc: MeetingError) -> None:
    messages.error(request, exc.message)


def back(request: HttpRequest, default: str) -> HttpResponse:
    """Redirect to a same-site ``next`` (forms send it), else ``default``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect(default)


def place_label(place: Place, booths: dict[int, Booth]) -> str:
    if place.kind == LocationKind.BOOTH:
        booth = booths.get(place.booth_id or 0)
        if booth is None:
            return _("Booth")
        return _("Booth %(booth)s (hall %(hall)s)") % {
            "booth": booth.number,
            "hall": booth.hall.code,
        }
    if place.kind == LocationKind.SHARED:
        return _("Shared meeting area")
    return _("Online")


# ---- requests list --------------------------------------------------------------------------


@dataclass
class RequestRow:
    request: MeetingRequest
    incoming: bool
    can_answer: bool = False
    can_cancel: bool = False
    can_book: bool = False
    other: str = ""
    titles: list[Title] = field(default_factory=list)


def _rows(requests: Any, *, incoming: bool, market: Market) -> list[RequestRow]:
    rows = []
    for r in requests:
        if incoming:
            other = r.requester.display_name
        elif r.counterpart is not None:
            other = r.counterpart.display_name
        elif r.target_person is not None:
            other = r.target_person.display_name
        else:
            other = _("Anyone from %(company)s") % {"company": r.target_organisation.name}
        rows.append(
            RequestRow(
                request=r,
                incoming=incoming,
                # the incoming list holds exactly the requests the viewer's side receives
                can_answer=incoming and r.state == S.REQUESTED,
                can_cancel=r.state in OPEN_STATES,
                can_book=market.self_booking
                and (r.state == S.ACCEPTED or (incoming and r.state == S.REQUESTED)),
                other=other,
                titles=list(r.titles.all()),
            )
        )
    return rows


@participant_page
def requests_page(request: HttpRequest, market: Market) -> HttpResponse:
    me = market.me
    incoming = (
        selectors.requests_incoming(participant=me, edition=market.edition)
        .select_related("meeting")
        .prefetch_related("titles")
    )
    outgoing = (
        selectors.requests_outgoing(participant=me, edition=market.edition)
        .select_related("meeting")
        .prefetch_related("titles")
    )
    context = market.context(
        incoming=_rows(incoming, incoming=True, market=market),
        outgoing=_rows(outgoing, incoming=False, market=market),
        quota_used=selectors.quota_used(edition=market.edition, participant=me),
        quota_limit=selectors.quota_limit(grid=market.grid, participant=me),
        decline_form=DeclineForm(),
    )
    return render(request, "meetings/requests.html", context)


# ---- asking for a meeting -------------------------------------------------------------------


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@dataclass
class Target:
    person: Participant | None = None
    organisation: Organisation | None = None

    @property
    def organisation_for_titles(self) -> Organisation | None:
        if self.organisation is not None:
            return self.organisation
        person = self.person
        if person is not None and person.organisation_confirmed:
            return person.organisation
        return None


def _target(request: HttpRequest) -> Target:
    params = request.POST if request.method == "POST" else request.GET
    person_id = _int(params.get("person"))
    if person_id is not None:
        person = Participant.objects.select_related("organisation").filter(pk=person_id).first()
        if person is None:
            raise Http404
        return Target(person=person)
    org = params.get("organisation", "")
    if org:
        found = Organisation.objects.filter(slug=org).first()
        if found is None and org.isdigit():
            found = Organisation.objects.filter(pk=int(org)).first()
        if found is None:
            raise Http404
        return Target(organisation=found)
    return Target()


@participant_page
def request_new(request: HttpRequest, market: Market) -> HttpResponse:
    target = _target(request)
    if target.person is None and target.organisation is None:
        return render(request, "meetings/request_pick.html", market.context())
    org = target.organisation_for_titles
    titles = (
        titles_list(filters=TitleFilters(owner_id=org.pk)).order_by("original_title")
        if org is not None
        else Title.objects.none()
    )
    wanted = [i for i in (_int(v) for v in request.GET.getlist("title")) if i is not None]
    form = RequestForm(
        request.POST or None,
        titles=titles,
        initial={"titles": [t for t in titles if t.pk in wanted]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services_web.request_create(
                actor=request.user,
                edition=market.edition,
                target_person=target.person,
                target_organisation=target.organisation,
                message=form.cleaned_data["message"],
                titles=form.cleaned_data["titles"],
                priority=form.cleaned_data["priority"],
            )
        except MeetingError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Your meeting request is sent."))
            return redirect("meetings:requests")
    context = market.context(
        form=form,
        target=target,
        company=org if target.person is not None else None,
        quota_used=selectors.quota_used(edition=market.edition, participant=market.me),
        quota_limit=selectors.quota_limit(grid=market.grid, participant=market.me),
    )
    return render(request, "meetings/request_new.html", context)


# ---- one request: detail, answer, cancel ----------------------------------------------------


def _visible(request: HttpRequest, pk: int) -> MeetingRequest:
    found = (
        MeetingRequest.objects.select_related(
            "edition", "requester", "target_person", "target_organisation", "counterpart"
        )
        .prefetch_related("titles", "events")
        .filter(pk=pk)
        .first()
    )
    if found is None or not may_view_request(request.user, found):
        raise Http404
    return found


@participant_page
def request_detail(request: HttpRequest, market: Market, pk: int) -> HttpResponse:
    req = _visible(request, pk)
    meeting = getattr(req, "meeting", None)
    recipient = is_recipient_side(request.user, req)
    context = market.context(
        req=req,
        meeting=meeting,
        titles=list(req.titles.all()),
        events=list(req.events.all()),
        can_answer=req.state == S.REQUESTED and may_answer_request(request.user, req),
        # the recipient of an open request declines rather than cancels
        can_cancel=req.state in OPEN_STATES
        and may_act_on_request(request.user, req)
        and not (req.state == S.REQUESTED and recipient),
        can_book=market.self_booking
        and (req.state == S.ACCEPTED or (req.state == S.REQUESTED and recipient)),
        is_requester=is_requester_side(request.user, req),
        accept_form=AcceptForm(),
        decline_form=DeclineForm(),
        cancel_form=CancelForm(),
        colleagues=list(req.colleagues.all()),
        colleague_choices=(
            selectors.colleague_choices(request=req)
            if req.state in (S.REQUESTED, S.ACCEPTED, S.SCHEDULED)
            and may_act_on_request(request.user, req)
            else []
        ),
    )
    return render(request, "meetings/request_detail.html", context)


@require_POST
@participant_page
def request_colleagues(request: HttpRequest, market: Market, pk: int) -> HttpResponse:
    """Who else joins the meeting: confirmed staff of either company (checkboxes)."""
    req = _visible(request, pk)
    allowed = {p.pk: p for p in selectors.colleague_choices(request=req)}
    picked = [allowed[i] for i in map(_int, request.POST.getlist("colleague")) if i in allowed]
    try:
        services.request_colleagues_set(actor=request.user, request=req, colleagues=picked)
        messages.success(request, _("Colleagues updated."))
    except MeetingError as exc:
        refused(request, exc)
    return redirect("meetings:request", pk=req.pk)


def _answer(request: HttpRequest, pk: int, act: Callable[[MeetingRequest], str]) -> HttpResponse:
    req = _visible(request, pk)
    try:
        messages.success(request, act(req))
    except MeetingError as exc:
        refused(request, exc)
    return back(request, reverse("meetings:requests"))


@require_POST
@participant_page
def request_accept(request: HttpRequest, market: Market, pk: int) -> HttpResponse:
    form = AcceptForm(request.POST)
    priority = form.cleaned_data["priority"] if form.is_valid() else "meet"

    def act(req: MeetingRequest) -> str:
        services_web.request_accept(actor=request.user, request=req, priority=priority)
        return _("Accepted.")

    return _answer(request, pk, act)


@require_POST
@participant_page
def request_decline(request: HttpRequest, market: Market, pk: int) -> HttpResponse:
    form = DeclineForm(request.POST)
    form.is_valid()
    data = form.cleaned_data

    def act(req: MeetingRequest) -> str:
        services_web.request_decline(
            actor=request.user,
            request=req,
            note=data.get("note", ""),
            no_thanks=bool(data.get("no_thanks")),
        )
        return _("Declined.")

    return _answer(request, pk, act)


@require_POST
@participant_page
def request_cancel(request: HttpRequest, market: Market, pk: int) -> HttpResponse:
    form = CancelForm(request.POST)
    form.is_valid()
    note = form.cleaned_data.get("note", "")

    def act(req: MeetingRequest) -> str:
        services_web.request_cancel(actor=request.user, request=req, note=note)
        return _("Cancelled.")

    return _answer(request, pk, act)


# ---- picking a slot (self-booking) ----------------------------------------------------------


@dataclass
class SlotChoice:
    start: Any  # aware datetime (UTC)
    choices: list[tuple[str, str]]  # (form value, label)


@dataclass
class DayChoices:
    day: date
    slots: list[SlotChoice]


def _slot_choices(market: Market, req: MeetingRequest, me: Participant) -> list[DayChoices]:
    counterpart = None
    if req.is_company_request and req.counterpart_id is None:
        counterpart = me  # the staff member answering takes the meeting
    options = selectors.free_slots_for(request=req, counterpart=counterpart)
    booth_ids = {p.booth_id for o in options for p in o.places if p.booth_id}
    booths = Booth.objects.select_related("hall").in_bulk(booth_ids)
    venue = ZoneInfo(market.edition.time_zone)
    out = []
    for day, group in groupby(options, key=lambda o: o.slot.start.astimezone(venue).date()):
        slots = [
            SlotChoice(
                start=o.slot.start,
                choices=[
                    (f"{o.slot.start.isoformat()}|{place_key(p)}", place_label(p, booths))
                    for p in o.places
                ],
            )
            for o in group
        ]
        out.append(DayChoices(day=day, slots=slots))
    return out


@participant_page
def request_book(request: HttpRequest, market: Market, pk: int) -> HttpResponse:
    req = _visible(request, pk)
    if not may_act_on_request(request.user, req):
        raise PermissionDenied
    form = BookForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        slot, place = form.cleaned_data["choice"]
        try:
            services_web.request_book(
                actor=request.user,
                request=req,
                slot=slot,
                place=place,
                priority=form.cleaned_data.get("priority") or "meet",
                online_link=form.cleaned_data.get("online_link") or "",
            )
        except MeetingError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The meeting is in both agendas."))
            return redirect("meetings:agenda")
    req.refresh_from_db()
    bookable = market.self_booking and (
        req.state == S.ACCEPTED
        or (req.state == S.REQUESTED and is_recipient_side(request.user, req))
    )
    context = market.context(
        req=req,
        form=form,
        bookable=bookable,
        accepting=req.state == S.REQUESTED,
        days=_slot_choices(market, req, market.me) if bookable else [],
        titles=list(req.titles.all()),
    )
    return render(request, "meetings/book.html", context)

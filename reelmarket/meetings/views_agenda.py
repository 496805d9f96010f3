"""A participant's availability grid, agenda, printable day sheet and calendar files."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import groupby
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from reelmarket.market.enums import Attendance
from reelmarket.market.rules import participant_of
from reelmarket.meetings import ical, selectors, services
from reelmarket.meetings.errors import MeetingError
from reelmarket.meetings.forms import WorkingHoursForm
from reelmarket.meetings.models import AvailabilityDay, Meeting, WorkingHours
from reelmarket.meetings.rules import may_view_request
from reelmarket.meetings.slots import Slot, day_slots, slot_at
from reelmarket.meetings.views import Market, participant_page, refused

# ---- availability ---------------------------------------------------------------------------

FREE, BUSY, MEETING, OFF = "free", "busy", "meeting", "off"


@dataclass
class Cell:
    slot: Slot
    state: str  # free / busy (marked) / meeting (booked) / off (outside working hours)

    @property
    def key(self) -> str:
        return self.slot.start.isoformat()


@dataclass
class DayGrid:
    day: date
    cells: list[Cell] = field(default_factory=list)


def _cell_state(bit: int, *, offered: int, busy: int, booked: int) -> str:
    if booked & bit:
        return MEETING
    if busy & bit:
        return BUSY
    return FREE if offered & bit else OFF


def _grid_of(market: Market) -> list[DayGrid]:
    grid, me = market.grid, market.me
    offered = selectors.availability_masks(grid=grid, participant_ids=[me.pk])[me.pk]
    booked = selectors.booked_masks(grid=grid, participant_ids=[me.pk]).get(me.pk, {})
    busy = dict(
        AvailabilityDay.objects.filter(edition=market.edition, participant=me).values_list(
            "day", "busy_mask"
        )
    )
    days = []
    for day in grid.spec.days:
        cells = [
            Cell(
                slot=slot,
                state=_cell_state(
                    1 << slot.index,
                    offered=offered.get(day, 0),
                    busy=busy.get(day, 0),
                    booked=booked.get(day, 0),
                ),
            )
            for slot in day_slots(grid.spec, day)
        ]
        days.append(DayGrid(day=day, cells=cells))
    return days


def _is_online(market: Market) -> bool:
    attendance = selectors.attendance_of(edition=market.edition, participant_ids=[market.me.pk])
    return attendance[market.me.pk] == Attendance.ONLINE


@participant_page
def availability(request: HttpRequest, market: Market) -> HttpResponse:
    online = _is_online(market)
    hours_form = None
    if online:
        hours = WorkingHours.objects.filter(edition=market.edition, participant=market.me).first()
        initial = (
            {"time_zone": hours.time_zone, "start": hours.start, "end": hours.end}
            if hours
            else {
                "time_zone": market.me.time_zone,
                "start": selectors.DEFAULT_WORKING_HOURS[0],
                "end": selectors.DEFAULT_WORKING_HOURS[1],
            }
        )
        hours_form = WorkingHoursForm(initial=initial)
    context = market.context(days=_grid_of(market), online=online, hours_form=hours_form)
    return render(request, "meetings/availability.html", context)


@require_POST
@participant_page
def availability_toggle(request: HttpRequest, market: Market) -> HttpResponse:
    """Mark one slot busy (``busy=1``) or free again (``busy=0``); htmx gets the cell back."""
    try:
        start = datetime.fromisoformat(request.POST.get("slot", ""))
        if start.tzinfo is None:
            raise ValueError
    except ValueError:
        return HttpResponse(_("Not a slot."), status=400)
    try:
        services.availability_mark(
            actor=request.user,
            participant=market.me,
            edition=market.edition,
            slots=[start],
            busy=request.POST.get("busy") == "1",
        )
    except MeetingError as exc:
        if request.htmx:
            return HttpResponse(exc.message, status=422)
        refused(request, exc)
        return redirect("meetings:availability")
    if not request.htmx:
        return redirect("meetings:availability")
    slot = slot_at(market.grid.spec, start)
    day = next(d for d in _grid_of(market) if d.day == slot.day)
    cell = next(c for c in day.cells if c.slot.index == slot.index)
    return render(request, "meetings/_availability_cell.html", market.context(cell=cell))


@require_POST
@participant_page
def working_hours(request: HttpRequest, market: Market) -> HttpResponse:
    form = WorkingHoursForm(request.POST)
    if form.is_valid():
        try:
            services.working_hours_set(
                actor=request.user,
                participant=market.me,
                edition=market.edition,
                **form.cleaned_data,
            )
        except MeetingError as exc:
            refused(request, exc)
        else:
            messages.success(request, _("Your working hours are saved."))
    else:
        messages.error(request, _("Please give a time zone and two times."))
    return redirect("meetings:availability")


# ---- agenda ---------------------------------------------------------------------------------


@dataclass
class AgendaItem:
    meeting: Meeting
    others: list[Any]
    titles: list[Any]
    location: str


@dataclass
class AgendaDay:
    day: date
    items: list[AgendaItem]


def agenda_days(market: Market, *, day: date | None = None) -> list[AgendaDay]:
    meetings = selectors.agenda_for(participant=market.me, edition=market.edition)
    venue = ZoneInfo(market.edition.time_zone)
    items = []
    for m in meetings:
        if day is not None and m.starts_at.astimezone(venue).date() != day:
            continue
        others = [s.participant for s in m.seats.all() if s.participant_id != market.me.pk]
        items.append(
            AgendaItem(
                meeting=m,
                others=others,
                titles=list(m.request.titles.all()),
                location=ical.location_text(m),
            )
        )
    return [
        AgendaDay(day=d, items=list(group))
        for d, group in groupby(items, key=lambda i: i.meeting.starts_at.astimezone(venue).date())
    ]


@participant_page
def agenda(request: HttpRequest, market: Market) -> HttpResponse:
    token = selectors.feed_token_of(market.me)
    feed_url = request.build_absolute_uri(reverse("meetings:feed", args=[token])) if token else ""
    context = market.context(
        days=agenda_days(market),
        feed_url=feed_url,
        webcal_url=feed_url.replace("https://", "webcal://").replace("http://", "webcal://"),
    )
    return render(request, "meetings/agenda.html", context)


@participant_page
def day_sheet(request: HttpRequest, market: Market, day: str) -> HttpResponse:
    try:
        the_day = date.fromisoformat(day)
    except ValueError:
        raise Http404 from None
    if the_day not in market.grid.spec.days:
        raise Http404
    context = market.context(day=the_day, days=agenda_days(market, day=the_day))
    return render(request, "meetings/day_sheet.html", context)


@require_POST
@participant_page
def feed_manage(request: HttpRequest, market: Market) -> HttpResponse:
    action = request.POST.get("action")
    if action == "issue":
        services.feed_token_issue(actor=request.user, participant=market.me)
        messages.success(request, _("Your calendar feed is ready: subscribe to the address."))
    elif action == "regenerate":
        services.feed_token_regenerate(actor=request.user, participant=market.me)
        messages.success(request, _("A new feed address is ready; the old one no longer works."))
    elif action == "revoke":
        services.feed_token_revoke(actor=request.user, participant=market.me)
        messages.success(request, _("Your calendar feed is switched off."))
    else:
        return HttpResponse(_("Unknown action."), status=400)
    return redirect("meetings:agenda")


# ---- calendar files -------------------------------------------------------------------------


def _ics(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The personal feed: no login, the secret address is the credential."""
    participant = selectors.participant_for_feed_token(token)
    if participant is None:
        raise Http404
    body = ical.calendar_for_participant(participant=participant)
    response = _ics(body, "reelmarket.ics")
    response["Content-Disposition"] = 'inline; filename="reelmarket.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
@login_required
def meeting_ics(request: HttpRequest, pk: int) -> HttpResponse:
    """One meeting as a file, for its two sides and the organisers."""
    meeting = (
        Meeting.objects.select_related(
            "request__requester", "request__counterpart", "edition", "booth__hall"
        )
        .filter(pk=pk)
        .first()
    )
    if meeting is None or not may_view_request(request.user, meeting.request):
        raise Http404
    body = ical.calendar_for_meeting(meeting=meeting, viewer=participant_of(request.user))
    return _ics(body, f"meeting-{meeting.pk}.ics")

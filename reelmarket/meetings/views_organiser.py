"""Organisers' meeting pages: grid settings, the occupancy chart, check-in per slot."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import wraps
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reelmarket.market.models import Booth
from reelmarket.meetings import ical, services
from reelmarket.meetings.enums import LocationKind, MeetingStatus
from reelmarket.meetings.errors import MeetingError
from reelmarket.meetings.forms import GridForm
from reelmarket.meetings.models import Meeting, MeetingGrid, TableSlot
from reelmarket.meetings.rules import may_manage_grid
from reelmarket.meetings.services_web import meeting_check_in
from reelmarket.meetings.slots import Slot, all_slots, day_slots
from reelmarket.meetings.views import Market, back, market_of, refused


def organiser_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not may_manage_grid(request.user):
            raise PermissionDenied
        return view(request, market_of(request), *args, **kwargs)

    return wrapped


# ---- grid settings --------------------------------------------------------------------------


def _initial(grid: MeetingGrid | None) -> dict[str, Any]:
    if grid is None:
        grid = MeetingGrid()
        quotas: dict[str, int] = {}
    else:
        quotas = dict(grid.quotas.values_list("role", "limit"))
    return {
        "mode": grid.mode,
        "slot_minutes": grid.slot_minutes,
        "day_start": grid.day_start,
        "day_end": grid.day_end,
        "days": list(grid.days),
        "request_expiry_hours": grid.request_expiry_hours,
        "shared_tables": grid.shared_tables,
        "shared_reserve": grid.shared_reserve,
        **{f"quota_{role}": limit for role, limit in quotas.items()},
    }


@organiser_page
def grid_settings(request: HttpRequest, market: Market) -> HttpResponse:
    form = GridForm(
        request.POST or None,
        initial=_initial(market.grid),
        edition_days=list(market.edition.days),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.grid_configure(
                actor=request.user,
                edition=market.edition,
                mode=data["mode"],
                slot_minutes=data["slot_minutes"],
                day_start=data["day_start"],
                day_end=data["day_end"],
                days=form.chosen_days(),
                request_expiry_hours=data["request_expiry_hours"],
                shared_tables=data["shared_tables"],
                shared_reserve=data["shared_reserve"],
                quotas=form.quotas(),
            )
        except MeetingError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The meeting grid is saved."))
            return redirect("meetings:grid")
    return render(request, "meetings/organiser/grid.html", market.context(form=form))


# ---- occupancy chart ------------------------------------------------------------------------

HEAT_STEPS = 5
# The chart's geometry (SVG user units): a label column, then one cell per slot.
CELL_W, CELL_H, LABEL_W, HEAD_H = 30, 24, 170, 44


@dataclass
class HeatCell:
    used: int
    capacity: int | None  # None: no limit (online)
    x: int = 0
    y: int = 0

    @property
    def level(self) -> int:
        """0 (empty) .. HEAT_STEPS (full); online cells by their count, capped."""
        if self.used == 0:
            return 0
        if not self.capacity:
            return min(HEAT_STEPS, self.used)
        return max(1, min(HEAT_STEPS, round(HEAT_STEPS * self.used / self.capacity)))

    @property
    def percent(self) -> int | None:
        return round(100 * self.used / self.capacity) if self.capacity else None


@dataclass
class HeatRow:
    label: str
    capacity: int | None
    cells: list[HeatCell]
    link: str = ""
    y: int = 0

    @property
    def used(self) -> int:
        return sum(c.used for c in self.cells)


@dataclass
class SlotMark:
    slot: Slot
    label: str  # venue wall clock, "10:30"
    x: int
    total: int


@dataclass
class HeatDay:
    day: date
    slots: list[Slot]
    rows: list[HeatRow] = field(default_factory=list)
    marks: list[SlotMark] = field(default_factory=list)
    width: int = 0
    height: int = 0

    def lay_out(self, zone: str, per_slot: dict[datetime, int]) -> None:
        """Place every cell: x by slot, y by row (computed here, drawn by the template)."""
        venue = ZoneInfo(zone)
        self.marks = [
            SlotMark(
                slot=s,
                label=s.start.astimezone(venue).strftime("%H:%M"),
                x=LABEL_W + i * CELL_W,
                total=per_slot.get(s.start, 0),
            )
            for i, s in enumerate(self.slots)
        ]
        for r, row in enumerate(self.rows):
            row.y = HEAD_H + r * CELL_H
            for i, cell in enumerate(row.cells):
                cell.x, cell.y = LABEL_W + i * CELL_W, row.y
        self.width = LABEL_W + len(self.slots) * CELL_W
        self.height = HEAD_H + len(self.rows) * CELL_H


def _occupancy(market: Market, hall: str | None) -> list[HeatDay]:
    """Meetings per location and slot: the shared area, each hall (or each booth of one
    hall), online. Provisional and published meetings both hold their tables."""
    grid, edition = market.grid, market.edition
    tables = TableSlot.objects.filter(edition=edition)
    booths = Booth.objects.filter(hall__edition=edition, tables__gt=0)
    if hall:
        booths = booths.filter(hall__code=hall)
        capacity = {f"b{b.pk}": (str(b.number), b.tables) for b in booths.order_by("number")}
        used_rows = (
            tables.filter(booth__hall__code=hall)
            .values_list("booth_id", "starts_at")
            .annotate(n=Count("id"))
        )
        used = {(f"b{key}", start): n for key, start, n in used_rows}
    else:
        capacity = {
            f"h{code}": (_("Hall %(hall)s") % {"hall": code}, total)
            for code, total in booths.values_list("hall__code")
            .annotate(total=Sum("tables"))
            .order_by("hall__code")
        }
        used_rows = (
            tables.filter(booth__isnull=False)
            .values_list("booth__hall__code", "starts_at")
            .annotate(n=Count("id"))
        )
        used = {(f"h{key}", start): n for key, start, n in used_rows}
    shared_rows = tables.filter(booth__isnull=True).values_list("starts_at").annotate(n=Count("id"))
    shared = dict(shared_rows)
    online = dict(
        Meeting.objects.filter(edition=edition, location_kind=LocationKind.ONLINE)
        .exclude(status=MeetingStatus.CANCELLED)
        .values_list("starts_at")
        .annotate(n=Count("id"))
    )
    per_slot: dict[datetime, int] = defaultdict(int)
    for (_key, start), n in used.items():
        per_slot[start] += n
    for source in (shared, online):
        for start, n in source.items():
            per_slot[start] += n
    out = []
    for day in grid.spec.days:
        slots = day_slots(grid.spec, day)
        heat = HeatDay(day=day, slots=slots)
        if not hall and grid.shared_tables:
            heat.rows.append(
                HeatRow(
                    label=_("Shared area"),
                    capacity=grid.shared_tables,
                    cells=[HeatCell(shared.get(s.start, 0), grid.shared_tables) for s in slots],
                )
            )
        for key, (label, cap) in capacity.items():
            link = ""
            if not hall:
                link = reverse("meetings:occupancy") + f"?hall={key[1:]}"
            heat.rows.append(
                HeatRow(
                    label=str(label),
                    capacity=cap,
                    cells=[HeatCell(used.get((key, s.start), 0), cap) for s in slots],
                    link=link,
                )
            )
        if not hall:
            heat.rows.append(
                HeatRow(
                    label=_("Online"),
                    capacity=None,
                    cells=[HeatCell(online.get(s.start, 0), None) for s in slots],
                )
            )
        heat.lay_out(edition.time_zone, per_slot)
        out.append(heat)
    return out


@organiser_page
def occupancy(request: HttpRequest, market: Market) -> HttpResponse:
    if market.grid is None:
        return render(request, "meetings/closed.html", market.context())
    hall = request.GET.get("hall") or None
    context = market.context(
        days=_occupancy(market, hall),
        hall=hall,
        steps=range(HEAT_STEPS + 1),
        cell_w=CELL_W - 2,
        cell_h=CELL_H - 2,
    )
    return render(request, "meetings/organiser/occupancy.html", context)


# ---- check-in -------------------------------------------------------------------------------


def _chosen_slot(market: Market, value: str | None) -> Slot:
    slots = all_slots(market.grid.spec)
    if value:
        value = value.replace(" ", "+")  # a '+' in an unencoded query string
        for s in slots:
            if s.start.isoformat() == value:
                return s
        raise Http404
    now = timezone.now()
    started = [s for s in slots if s.start <= now]
    return started[-1] if started else slots[0]


@organiser_page
def check_in(request: HttpRequest, market: Market) -> HttpResponse:
    if market.grid is None:
        return render(request, "meetings/closed.html", market.context())
    slot = _chosen_slot(market, request.GET.get("slot"))
    meetings = (
        Meeting.objects.filter(
            edition=market.edition, starts_at=slot.start, status=MeetingStatus.PUBLISHED
        )
        .select_related(
            "request__requester__organisation",
            "request__counterpart__organisation",
            "booth__hall",
            "edition",
        )
        .order_by("location_kind", "booth__number", "table_number", "id")
    )
    rows = [(m, ical.location_text(m)) for m in meetings]
    context = market.context(
        slot=slot,
        slots=all_slots(market.grid.spec),
        rows=rows,
        started=slot.start <= timezone.now(),
    )
    return render(request, "meetings/organiser/check_in.html", context)


@require_POST
@organiser_page
def check_in_mark(request: HttpRequest, market: Market, pk: int) -> HttpResponse:
    meeting = Meeting.objects.select_related("request").filter(pk=pk).first()
    if meeting is None:
        raise Http404
    held = request.POST.get("held") == "1"
    try:
        meeting_check_in(actor=request.user, meeting=meeting, held=held)
    except MeetingError as exc:
        refused(request, exc)
    else:
        messages.success(request, _("Held.") if held else _("Marked as no-show."))
    default = (
        reverse("meetings:check_in") + "?" + urlencode({"slot": meeting.starts_at.isoformat()})
    )
    return back(request, default)

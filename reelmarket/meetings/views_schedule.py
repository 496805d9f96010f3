"""Organisers' optimiser pages: start a run (a background task), watch it, review the
provisional grid (objective, bound and gap, utilisation per slot drawn as bars, people with
empty days, requests left out and why) and publish it. Thin: ``optimiser`` does the work.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from reelmarket.market.models import Participant
from reelmarket.meetings import optimiser
from reelmarket.meetings.errors import MeetingError
from reelmarket.meetings.models import MeetingRequest, ScheduleRun
from reelmarket.meetings.slots import all_slots
from reelmarket.meetings.tasks_schedule import optimise_queue
from reelmarket.meetings.views import Market
from reelmarket.meetings.views_organiser import organiser_page

SHOW_NAMES = 60  # names listed per reason / per day; the rest is counted

# bar chart geometry (SVG user units)
BAR_W, BAR_GAP, DAY_GAP, CHART_H, TOP, LEFT, BOTTOM = 12, 2, 18, 160, 12, 40, 34


class RunForm(forms.Form):
    time_limit = forms.FloatField(
        label=gettext_lazy("Time limit (seconds)"), min_value=1, max_value=600, initial=30
    )
    seed = forms.IntegerField(label=gettext_lazy("Seed"), min_value=0, initial=0)


@dataclass
class Bar:
    slot: int
    label: str
    x: int
    parts: list[tuple[str, int, int, int]]  # (css class, value, y, height)
    capacity_y: int | None
    total: int
    tables: int
    title: str
    row: dict[str, Any]


@dataclass
class Chart:
    bars: list[Bar] = field(default_factory=list)
    days: list[tuple[str, int]] = field(default_factory=list)  # (label, x of its middle)
    ticks: list[tuple[int, int]] = field(default_factory=list)  # (value, y)
    width: int = 0
    height: int = CHART_H + TOP + BOTTOM
    base: int = CHART_H + TOP


def utilisation_chart(run: ScheduleRun, market: Market) -> Chart:
    """Stacked bars per slot: meetings at booths, in the shared area, online; a tick marks
    the tables available (booth + shared). Geometry computed here, drawn by the template."""
    rows = run.utilisation or []
    chart = Chart()
    if not rows or market.grid is None:
        return chart
    spec = market.grid.spec
    slots = all_slots(spec)
    venue = ZoneInfo(market.edition.time_zone)
    top = max(
        max(r["meetings"] for r in rows),
        max(r["booth_tables"] + r["shared_tables"] for r in rows),
        1,
    )
    scale = CHART_H / top
    x = LEFT
    day_start = x
    for t, row in enumerate(rows):
        if t and row["day"] != rows[t - 1]["day"]:
            chart.days.append((f"{spec.days[rows[t - 1]['day']]:%a %d %b}", (day_start + x) // 2))
            x += DAY_GAP
            day_start = x
        parts, y = [], chart.base
        for css, value in (
            ("bar-booth", row["booth_tables_used"]),
            ("bar-shared", row["shared_tables_used"]),
            ("bar-online", row["online"]),
        ):
            h = round(value * scale)
            y -= h
            parts.append((css, value, y, h))
        tables = row["booth_tables"] + row["shared_tables"]
        when = slots[t].start.astimezone(venue) if t < len(slots) else None
        label = f"{when:%H:%M}" if when else str(t)
        chart.bars.append(
            Bar(
                slot=t,
                label=label,
                x=x,
                parts=parts,
                capacity_y=chart.base - round(tables * scale) if tables else None,
                total=row["meetings"],
                tables=tables,
                title=_(
                    "%(when)s: %(n)d meetings (booths %(b)d, shared %(s)d, online %(o)d); "
                    "%(t)d tables"
                )
                % {
                    "when": label,
                    "n": row["meetings"],
                    "b": row["booth_tables_used"],
                    "s": row["shared_tables_used"],
                    "o": row["online"],
                    "t": tables,
                },
                row=row,
            )
        )
        x += BAR_W + BAR_GAP
    chart.days.append((f"{spec.days[rows[-1]['day']]:%a %d %b}", (day_start + x) // 2))
    chart.width = x + 10
    step = max(1, top // 4)
    chart.ticks = [(v, chart.base - round(v * scale)) for v in range(0, top + 1, step)]
    return chart


@dataclass
class ReasonGroup:
    reason: str
    label: str
    count: int
    weight: int
    rows: list[tuple[MeetingRequest, int]]

    @property
    def more(self) -> int:
        return self.count - len(self.rows)


def left_out_groups(run: ScheduleRun) -> list[ReasonGroup]:
    by_reason: dict[str, list[tuple[int, int]]] = {}
    for pk, weight, reason in run.left_out or []:
        by_reason.setdefault(reason, []).append((pk, weight))
    shown = {pk for items in by_reason.values() for pk, _w in items[:SHOW_NAMES]}
    requests = MeetingRequest.objects.select_related("requester", "counterpart").in_bulk(shown)
    groups = []
    for reason in optimiser.REASON_LABELS:
        items = by_reason.get(reason, [])
        if not items:
            continue
        rows = [(requests[pk], w) for pk, w in items[:SHOW_NAMES] if pk in requests]
        groups.append(
            ReasonGroup(
                reason=reason,
                label=str(optimiser.REASON_LABELS[reason]),
                count=len(items),
                weight=sum(w for _pk, w in items),
                rows=rows,
            )
        )
    return groups


@dataclass
class EmptyDay:
    day: date
    count: int
    people: list[Participant]

    @property
    def more(self) -> int:
        return self.count - len(self.people)


def empty_days(run: ScheduleRun, market: Market) -> list[EmptyDay]:
    if market.grid is None:
        return []
    days = market.grid.spec.days
    per_day: dict[int, list[int]] = {}
    for pid, d in run.empty_days or []:
        per_day.setdefault(d, []).append(pid)
    shown = {pid for ids in per_day.values() for pid in ids[:SHOW_NAMES]}
    people = Participant.objects.in_bulk(shown)
    return [
        EmptyDay(
            day=days[d] if d < len(days) else date.min,
            count=len(ids),
            people=[people[p] for p in ids[:SHOW_NAMES] if p in people],
        )
        for d, ids in sorted(per_day.items())
    ]


@organiser_page
def schedule_page(request: HttpRequest, market: Market) -> HttpResponse:
    runs = list(ScheduleRun.objects.filter(edition=market.edition)[:10])
    run = runs[0] if runs else None
    if request.GET.get("run", "").isdigit():
        run = ScheduleRun.objects.filter(edition=market.edition, pk=request.GET["run"]).first()
    context: dict[str, Any] = {"runs": runs, "run": run, "form": RunForm(), "names": SHOW_NAMES}
    if run is not None and run.status in (ScheduleRun.Status.DONE, ScheduleRun.Status.PUBLISHED):
        context.update(
            chart=utilisation_chart(run, market),
            groups=left_out_groups(run),
            empty=empty_days(run, market),
            latest=run.pk == (runs[0].pk if runs else None),
        )
    return render(request, "meetings/schedule/page.html", market.context(**context))


@require_POST
@organiser_page
def schedule_start(request: HttpRequest, market: Market) -> HttpResponse:
    form = RunForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a time limit of 1 to 600 seconds and a seed of 0 or more."))
        return redirect("meetings_schedule:page")
    try:
        with transaction.atomic():
            run = optimiser.schedule_run_start(
                actor=request.user,
                edition=market.edition,
                time_limit=form.cleaned_data["time_limit"],
                seed=form.cleaned_data["seed"],
            )
            optimise_queue(run_id=run.pk)
    except MeetingError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The optimiser is running."))
    return redirect("meetings_schedule:page")


@require_POST
@organiser_page
def schedule_publish(request: HttpRequest, market: Market) -> HttpResponse:
    count = optimiser.schedule_publish(actor=request.user, edition=market.edition)
    messages.success(
        request,
        _("%(n)d meetings published; both sides are told by e-mail.") % {"n": count},
    )
    return redirect("meetings_schedule:page")

"""The organisers' dashboard of a call: submissions by country and section, selection
rate per section, reviewer progress, meeting wishes per selected project. Figures come
from ``selectors_after.dashboard_figures``; this module only lays out the SVG bars."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from reelmarket.pitching import selectors_dashboard as selectors
from reelmarket.pitching.models import Call
from reelmarket.pitching.views_after import _context, organiser_page
from reelmarket.web import formatting

BAR_HEIGHT = 18
BAR_GAP = 6
LABEL_WIDTH = 190
PLOT_WIDTH = 360
VALUE_WIDTH = 60


@dataclass(frozen=True)
class DrawnBar:
    label: str
    value: int
    note: str
    y: int
    width: int
    text_x: int


@dataclass(frozen=True)
class Chart:
    bars: list[DrawnBar]
    width: int
    height: int
    label_width: int


def bar_chart(rows: Sequence[tuple[str, int, str]]) -> Chart:
    """Horizontal bars (label, value, note), scaled to the largest value."""
    top = max((v for _, v, _ in rows), default=0) or 1
    bars = []
    for i, (label, value, note) in enumerate(rows):
        width = round(PLOT_WIDTH * value / top)
        bars.append(
            DrawnBar(
                label=label,
                value=value,
                note=note,
                y=i * (BAR_HEIGHT + BAR_GAP),
                width=width,
                text_x=LABEL_WIDTH + width + 6,
            )
        )
    return Chart(
        bars=bars,
        width=LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH,
        height=max(1, len(rows)) * (BAR_HEIGHT + BAR_GAP),
        label_width=LABEL_WIDTH,
    )


def _percent(rate: float | None) -> str:
    return "–" if rate is None else f"{round(100 * rate)} %"


@organiser_page
def dashboard(request: HttpRequest, call: Call) -> HttpResponse:
    figures = selectors.dashboard_figures(call=call)
    countries = bar_chart(
        [(formatting.country_name(b.label) or "?", b.value, "") for b in figures.by_country]
    )
    sections = bar_chart([(r.name, r.sent, "") for r in figures.by_section])
    rates = bar_chart(
        [
            (r.name, round(100 * (r.selection_rate or 0)), f"{r.selected}/{r.sent}")
            for r in figures.by_section
        ]
    )
    reviewers = bar_chart(
        [
            (r.participant.display_name, r.percent, f"{r.completed}/{r.assigned}")
            for r in figures.reviewers
        ]
    )
    wishes = bar_chart([(b.label, b.value, "") for b in figures.wishes])
    return render(
        request,
        "pitching/after/dashboard.html",
        _context(
            request,
            call,
            figures=figures,
            charts={
                "countries": countries,
                "sections": sections,
                "rates": rates,
                "reviewers": reviewers,
                "wishes": wishes,
            },
            rates=[(r, _percent(r.selection_rate)) for r in figures.by_section],
        ),
    )

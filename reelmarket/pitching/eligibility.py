"""Eligibility of a project for a section of a call: every rule with its own message.

``check`` reads the section's rules (all optional) and plain facts about the project, and
returns one specific, translated message per broken rule (empty: eligible). It is what the
submit step runs (``services.submission_transition`` to "submitted") and what the form
shows before submitting. Budgets are compared in US dollars through
``financing.money.to_usd`` and shown in the call's currency.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_DOWN, Decimal
from typing import Any

from babel.dates import format_skeleton, get_timezone_name
from django.utils.translation import gettext as _

from reelmarket.financing.enums import ProjectKind, ProjectStage, SourceStatus
from reelmarket.financing.money import UnknownCurrency, to_usd
from reelmarket.web.formatting import viewer_locale

# Running-time rules are about feature length; a series' episodes are not measured by them.
SERIES_KINDS = frozenset({ProjectKind.SERIES, ProjectKind.ANIMATION_SERIES})


@dataclass(frozen=True)
class ProjectFacts:
    """What the rules look at, in the project's own currency."""

    kind: str
    stage: str
    runtime_minutes: int | None
    budget: Decimal
    currency: str
    secured: Decimal

    @property
    def secured_share(self) -> Decimal:
        if self.budget <= 0:
            return Decimal("0")
        return min(self.secured / self.budget, Decimal("1"))


def facts_of(project: Any) -> ProjectFacts:
    """The facts of a saved ``financing.Project`` (one query for its sources)."""
    secured = sum(
        (s.amount for s in project.sources.all() if s.status == SourceStatus.SECURED),
        Decimal("0"),
    )
    return ProjectFacts(
        kind=project.kind,
        stage=project.stage,
        runtime_minutes=project.runtime_minutes,
        budget=project.budget,
        currency=project.currency,
        secured=secured,
    )


# ---- formatting -------------------------------------------------------------------------


def amount(value: Decimal | float, currency: str, *, whole: bool = False) -> str:
    """``HKD 3,900,000`` (cents only when there are some, ``USD 599,999.99``; ``whole``
    rounds them away), grouped the same way in every language of the site."""
    number = Decimal(str(value))
    if whole or number == number.to_integral_value():
        return f"{currency} {number.quantize(Decimal('1')):,}"
    return f"{currency} {number.quantize(Decimal('0.01')):,}"


def amount_range(low: Decimal, high: Decimal, currency: str) -> str:
    """``USD 600,000–3,000,000``."""
    return f"{amount(low, currency)}–{amount(high, currency).removeprefix(currency + ' ')}"


def percent(share: Decimal) -> str:
    """``18 %``; one decimal, rounded down, when it is not whole (``29.9 %``, never ``30 %``
    for a share that fails a 30 % rule)."""
    value = (share * 100).quantize(Decimal("0.1"), rounding=ROUND_DOWN)
    text = f"{value:f}".removesuffix(".0")
    return f"{text} %"


def moment_in_zone(moment: datetime, zone_name: str) -> dict[str, str]:
    """Time, date and the zone's name of ``moment`` in ``zone_name``, in the viewer's
    language: ``{"time": "23:59", "date": "Dec 1, 2026", "zone": "Hong Kong Time"}``."""
    zone = zoneinfo.ZoneInfo(zone_name)
    local = moment.astimezone(zone)
    locale = viewer_locale()
    return {
        "time": format_skeleton("Hm", local, locale=locale),
        "date": format_skeleton("yMMMd", local, locale=locale),
        "zone": get_timezone_name(zone, width="long", locale=locale),
    }


def _labels(values: list[str], choices: type) -> str:
    names = dict(choices.choices)
    return ", ".join(str(names.get(v, v)) for v in values)


def _in_call_currency(facts: ProjectFacts, currency: str) -> Decimal:
    """The project's budget converted to ``currency`` (cents), through USD."""
    if facts.currency == currency:
        return facts.budget
    usd = Decimal(str(to_usd(facts.budget, facts.currency)))
    per_unit = Decimal(str(to_usd(Decimal("1"), currency)))
    return (usd / per_unit).quantize(Decimal("0.01"))


# ---- the rules --------------------------------------------------------------------------


def deadline_messages(*, call: Any, at: datetime) -> list[str]:
    zone = call.edition.time_zone
    if at < call.opens_at:
        return [
            _("The call opens at %(time)s on %(date)s (%(zone)s).")
            % moment_in_zone(call.opens_at, zone)
        ]
    if at > call.deadline:
        return [
            _("The deadline passed at %(time)s on %(date)s (%(zone)s).")
            % moment_in_zone(call.deadline, zone)
        ]
    return []


def _kind_and_stage(section: Any, facts: ProjectFacts) -> list[str]:
    out = []
    if section.allowed_kinds and facts.kind not in section.allowed_kinds:
        out.append(
            _("This section accepts only these kinds of project: %(kinds)s. Yours is: %(kind)s.")
            % {
                "kinds": _labels(section.allowed_kinds, ProjectKind),
                "kind": _labels([facts.kind], ProjectKind),
            }
        )
    if section.allowed_stages and facts.stage not in section.allowed_stages:
        out.append(
            _(
                "This section accepts only projects at these stages: %(stages)s. "
                "Yours is: %(stage)s."
            )
            % {
                "stages": _labels(section.allowed_stages, ProjectStage),
                "stage": _labels([facts.stage], ProjectStage),
            }
        )
    return out


def _runtime(section: Any, facts: ProjectFacts) -> list[str]:
    low, high = section.min_runtime_minutes, section.max_runtime_minutes
    if (low is None and high is None) or facts.kind in SERIES_KINDS:
        return []
    runtime = facts.runtime_minutes
    if runtime is None:
        return [_("Give the project's running time: this section has rules about it.")]
    if low is not None and runtime < low:
        return [
            _(
                "Feature projects in this section must run at least %(min)d minutes; "
                "yours runs %(runtime)d."
            )
            % {"min": low, "runtime": runtime}
        ]
    if high is not None and runtime > high:
        return [
            _(
                "Feature projects in this section may run at most %(max)d minutes; "
                "yours runs %(runtime)d."
            )
            % {"max": high, "runtime": runtime}
        ]
    return []


def _budget(section: Any, facts: ProjectFacts) -> list[str]:
    low, high = section.budget_min, section.budget_max
    if low is None and high is None:
        return []
    currency = section.call.currency
    try:
        converted = _in_call_currency(facts, currency)
    except UnknownCurrency:
        return [
            _(
                "The budget's currency %(currency)s cannot be compared with this section's "
                "range in %(call_currency)s."
            )
            % {"currency": facts.currency, "call_currency": currency}
        ]
    if (low is None or converted >= low) and (high is None or converted <= high):
        return []
    budget = amount(facts.budget, facts.currency)
    if facts.currency != currency:
        budget = f"{budget} ≈ {amount(converted, currency, whole=True)}"
    params = {
        "budget": budget,
        "min": amount(low, currency) if low is not None else "",
        "max": amount(high, currency) if high is not None else "",
        "range": amount_range(low, high, currency) if low is not None and high is not None else "",
    }
    if low is not None and high is not None:
        message = _("The budget (%(budget)s) is outside this section's range %(range)s.")
    elif low is not None:
        message = _("The budget (%(budget)s) is below this section's minimum of %(min)s.")
    else:
        message = _("The budget (%(budget)s) is above this section's maximum of %(max)s.")
    return [message % params]


def _financing(section: Any, facts: ProjectFacts) -> list[str]:
    out = []
    share = facts.secured_share
    if section.min_secured_share is not None and share < section.min_secured_share:
        out.append(
            _("At least %(required)s of the financing must be secured; %(secured)s is.")
            % {"required": percent(section.min_secured_share), "secured": percent(share)}
        )
    if section.must_not_be_fully_financed and facts.budget > 0 and facts.secured >= facts.budget:
        out.append(_("This section is for projects not yet fully financed."))
    return out


def check(*, section: Any, facts: ProjectFacts, at: datetime) -> list[str]:
    """Every broken rule of ``section`` for a project with ``facts`` at moment ``at``.

    Order: the call's dates, then kind, stage, running time, budget, financing.
    """
    return [
        *deadline_messages(call=section.call, at=at),
        *_kind_and_stage(section, facts),
        *_runtime(section, facts),
        *_budget(section, facts),
        *_financing(section, facts),
    ]


def rules_summary(section: Any) -> list[str]:
    """The section's rules in words, for the call page (empty: no rules)."""
    out = []
    if section.allowed_kinds:
        out.append(_("Kinds: %(kinds)s") % {"kinds": _labels(section.allowed_kinds, ProjectKind)})
    if section.allowed_stages:
        out.append(
            _("Stages: %(stages)s") % {"stages": _labels(section.allowed_stages, ProjectStage)}
        )
    low, high = section.min_runtime_minutes, section.max_runtime_minutes
    if low is not None and high is not None:
        out.append(_("Features run %(min)d–%(max)d minutes") % {"min": low, "max": high})
    elif low is not None:
        out.append(_("Features run at least %(min)d minutes") % {"min": low})
    elif high is not None:
        out.append(_("Features run at most %(max)d minutes") % {"max": high})
    currency = section.call.currency
    if section.budget_min is not None and section.budget_max is not None:
        out.append(
            _("Budget %(range)s")
            % {"range": amount_range(section.budget_min, section.budget_max, currency)}
        )
    elif section.budget_min is not None:
        out.append(_("Budget at least %(min)s") % {"min": amount(section.budget_min, currency)})
    elif section.budget_max is not None:
        out.append(_("Budget at most %(max)s") % {"max": amount(section.budget_max, currency)})
    if section.min_secured_share is not None:
        out.append(
            _("At least %(share)s of the financing secured")
            % {"share": percent(section.min_secured_share)}
        )
    if section.must_not_be_fully_financed:
        out.append(_("Not yet fully financed"))
    return out

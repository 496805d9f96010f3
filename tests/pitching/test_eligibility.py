"""The eligibility rules of a section, each passing and failing at its boundary, with the
exact message the applicant reads (budgets converted through financing.money)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import translation

from reelmarket.pitching.eligibility import ProjectFacts, check, facts_of, rules_summary
from tests.financing.factories import FinancingSourceFactory, ProjectFactory
from tests.pitching.factories import SectionFactory

pytestmark = pytest.mark.django_db

DEADLINE = datetime(2026, 12, 1, 15, 59, tzinfo=UTC)  # 23:59 in Hong Kong
AT = datetime(2026, 11, 1, tzinfo=UTC)


def facts(**changes) -> ProjectFacts:
    base = {
        "kind": "feature",
        "stage": "development",
        "runtime_minutes": 95,
        "budget": Decimal("1000000"),
        "currency": "USD",
        "secured": Decimal("400000"),
    }
    return ProjectFacts(**{**base, **changes})


def section(**rules):
    return SectionFactory(call__deadline=DEADLINE, **rules)


def test_a_section_without_rules_takes_any_project_in_time() -> None:
    assert (
        check(section=section(), facts=facts(budget=Decimal("0"), runtime_minutes=None), at=AT)
        == []
    )


# ---- running time -------------------------------------------------------------------------


@pytest.mark.parametrize(("runtime", "messages"), [
    (60, []),
    (59, ["Feature projects in this section must run at least 60 minutes; yours runs 59."]),
    (52, ["Feature projects in this section must run at least 60 minutes; yours runs 52."]),
    (120, []),
    (121, ["Feature projects in this section may run at most 120 minutes; yours runs 121."]),
    (None, ["Give the project's running time: this section has rules about it."]),
])  # fmt: skip
def test_running_time(runtime, messages) -> None:
    s = section(min_runtime_minutes=60, max_runtime_minutes=120)
    assert check(section=s, facts=facts(runtime_minutes=runtime), at=AT) == messages


@pytest.mark.parametrize("kind", ["series", "animation_series"])
def test_running_time_rules_do_not_measure_series(kind) -> None:
    s = section(min_runtime_minutes=60)
    assert check(section=s, facts=facts(kind=kind, runtime_minutes=24), at=AT) == []


def test_running_time_rules_measure_documentaries_and_animated_features() -> None:
    s = section(min_runtime_minutes=60)
    for kind in ("documentary", "animation_feature"):
        assert check(section=s, facts=facts(kind=kind, runtime_minutes=45), at=AT) == [
            "Feature projects in this section must run at least 60 minutes; yours runs 45."
        ]


# ---- budget -------------------------------------------------------------------------------

RANGE = {"budget_min": Decimal("600000"), "budget_max": Decimal("3000000")}


@pytest.mark.parametrize(("budget", "currency", "messages"), [
    (Decimal("600000"), "USD", []),
    (Decimal("3000000"), "USD", []),
    (Decimal("599999.99"), "USD", [
        "The budget (USD 599,999.99) is outside this section's range USD 600,000–3,000,000."
    ]),
    (Decimal("3000000.01"), "USD", [
        "The budget (USD 3,000,000.01) is outside this section's range "
        "USD 600,000–3,000,000."
    ]),
    # HKD 7.85 to the dollar (financing.money): HKD 3,900,000 is about USD 496,815.
    (Decimal("3900000"), "HKD", [
        "The budget (HKD 3,900,000 ≈ USD 496,815) is outside this section's range "
        "USD 600,000–3,000,000."
    ]),
    # HKD 4,710,000 is USD 600,000 exactly: on the boundary, inside.
    (Decimal("4710000"), "HKD", []),
    (Decimal("4709999"), "HKD", [
        "The budget (HKD 4,709,999 ≈ USD 600,000) is outside this section's range "
        "USD 600,000–3,000,000."
    ]),
    (Decimal("86700000"), "JPY", []),
])  # fmt: skip
def test_budget_range_in_the_calls_currency(budget, currency, messages) -> None:
    s = section(**RANGE)
    assert check(section=s, facts=facts(budget=budget, currency=currency), at=AT) == messages


def test_a_call_in_another_currency_shows_the_budget_in_it() -> None:
    s = section(call__currency="HKD", budget_min=Decimal("4710000"))
    assert check(section=s, facts=facts(budget=Decimal("600000")), at=AT) == []
    assert check(section=s, facts=facts(budget=Decimal("500000")), at=AT) == [
        "The budget (USD 500,000 ≈ HKD 3,925,000) is below this section's minimum of HKD 4,710,000."
    ]


def test_only_a_minimum_or_only_a_maximum() -> None:
    low = section(budget_min=Decimal("600000"))
    high = section(budget_max=Decimal("500000"))
    assert check(section=low, facts=facts(budget=Decimal("500000")), at=AT) == [
        "The budget (USD 500,000) is below this section's minimum of USD 600,000."
    ]
    assert check(section=high, facts=facts(budget=Decimal("500000")), at=AT) == []
    assert check(section=high, facts=facts(budget=Decimal("600000")), at=AT) == [
        "The budget (USD 600,000) is above this section's maximum of USD 500,000."
    ]


def test_a_currency_without_a_rate_is_named() -> None:
    s = section(**RANGE)
    assert check(section=s, facts=facts(currency="XAF"), at=AT) == [
        "The budget's currency XAF cannot be compared with this section's range in USD."
    ]


# ---- financing ----------------------------------------------------------------------------


@pytest.mark.parametrize(("secured", "messages"), [
    (Decimal("300000"), []),
    (Decimal("299999"), ["At least 30 % of the financing must be secured; 29.9 % is."]),
    (Decimal("180000"), ["At least 30 % of the financing must be secured; 18 % is."]),
    (Decimal("0"), ["At least 30 % of the financing must be secured; 0 % is."]),
])  # fmt: skip
def test_share_secured(secured, messages) -> None:
    s = section(min_secured_share=Decimal("0.3"))
    assert check(section=s, facts=facts(secured=secured), at=AT) == messages


@pytest.mark.parametrize(("secured", "messages"), [
    (Decimal("999999.99"), []),
    (Decimal("1000000"), ["This section is for projects not yet fully financed."]),
    (Decimal("1200000"), ["This section is for projects not yet fully financed."]),
])  # fmt: skip
def test_not_fully_financed(secured, messages) -> None:
    s = section(must_not_be_fully_financed=True)
    assert check(section=s, facts=facts(secured=secured), at=AT) == messages


# ---- kinds and stages ---------------------------------------------------------------------


def test_kinds_and_stages() -> None:
    s = section(
        allowed_kinds=["animation_feature", "animation_series"],
        allowed_stages=["development", "financing"],
    )
    assert check(section=s, facts=facts(kind="animation_feature", stage="financing"), at=AT) == []
    assert check(section=s, facts=facts(kind="feature", stage="production"), at=AT) == [
        "This section accepts only these kinds of project: Animated feature, Animated series. "
        "Yours is: Feature film.",
        "This section accepts only projects at these stages: In development, Financing. "
        "Yours is: In production.",
    ]


# ---- dates --------------------------------------------------------------------------------


def test_the_deadline_is_inclusive_and_told_in_the_editions_time() -> None:
    s = section()
    assert check(section=s, facts=facts(), at=DEADLINE) == []
    assert check(section=s, facts=facts(), at=DEADLINE + timedelta(seconds=1)) == [
        "The deadline passed at 23:59 on Dec 1, 2026 (Hong Kong Time)."
    ]


def test_before_the_call_opens() -> None:
    s = section(call__opens_at=datetime(2026, 9, 30, 16, 0, tzinfo=UTC))
    assert check(section=s, facts=facts(), at=datetime(2026, 9, 30, 15, 0, tzinfo=UTC)) == [
        "The call opens at 00:00 on Oct 1, 2026 (Hong Kong Time)."
    ]


def test_the_deadline_follows_the_editions_zone_and_the_readers_language() -> None:
    s = section(call__edition__time_zone="Europe/Berlin")
    late = DEADLINE + timedelta(minutes=1)
    assert check(section=s, facts=facts(), at=late) == [
        "The deadline passed at 16:59 on Dec 1, 2026 (Central European Time)."
    ]
    hk = section()
    with translation.override("zh-hant"):
        (message,) = check(section=hk, facts=facts(), at=late)
    assert "23:59" in message and "2026年12月1日" in message and "香港時間" in message


def test_every_broken_rule_is_listed_in_order() -> None:
    s = section(
        min_runtime_minutes=60,
        min_secured_share=Decimal("0.3"),
        must_not_be_fully_financed=True,
        **RANGE,
    )
    late = DEADLINE + timedelta(days=1)
    assert check(
        section=s,
        facts=facts(
            runtime_minutes=52, budget=Decimal("3900000"), currency="HKD", secured=Decimal("0")
        ),
        at=late,
    ) == [
        "The deadline passed at 23:59 on Dec 1, 2026 (Hong Kong Time).",
        "Feature projects in this section must run at least 60 minutes; yours runs 52.",
        "The budget (HKD 3,900,000 ≈ USD 496,815) is outside this section's range "
        "USD 600,000–3,000,000.",
        "At least 30 % of the financing must be secured; 0 % is.",
    ]


# ---- facts and summary --------------------------------------------------------------------


def test_facts_of_a_project_count_only_secured_sources() -> None:
    project = ProjectFactory(budget=Decimal("1000000"), currency="HKD", runtime_minutes=88)
    FinancingSourceFactory(project=project, amount=Decimal("250000"))
    FinancingSourceFactory(project=project, amount=Decimal("100000"), status="pending")
    f = facts_of(project)
    assert f == ProjectFacts(
        kind="feature",
        stage="development",
        runtime_minutes=88,
        budget=Decimal("1000000"),
        currency="HKD",
        secured=Decimal("250000"),
    )
    assert f.secured_share == Decimal("0.25")


def test_rules_in_words_for_the_call_page() -> None:
    s = section(
        allowed_kinds=["animation_feature"],
        min_runtime_minutes=60,
        min_secured_share=Decimal("0.2"),
        must_not_be_fully_financed=True,
        **RANGE,
    )
    assert rules_summary(s) == [
        "Kinds: Animated feature",
        "Features run at least 60 minutes",
        "Budget USD 600,000–3,000,000",
        "At least 20 % of the financing secured",
        "Not yet fully financed",
    ]
    assert rules_summary(section()) == []

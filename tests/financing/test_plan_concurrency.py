"""Racing writers on one financing plan (PostgreSQL): the project row lock keeps secured
sources within the budget however many people add lines at once."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from reelmarket.financing import selectors, services
from reelmarket.financing.inputs import SourceData
from reelmarket.financing.models import FinancingSource, Project
from tests.concurrency import require_postgres, run_concurrently
from tests.financing.projects_world import World

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_secured_lines_never_exceed_the_budget():
    require_postgres()
    world = World()  # budget 1,200,000; 420,000 secured; gap 780,000
    actors = [world.arjun.user, world.colleague.user, world.mei.user] * 3

    def add(i: int) -> object:
        project = Project.objects.get(pk=world.project.pk)
        return services.source_add(
            actor=actors[i],
            project=project,
            data=SourceData(kind="equity", name=f"Investor {i}", amount=Decimal("300000")),
        )

    results = run_concurrently(add, threads=len(actors))
    added = [r for r in results if isinstance(r, FinancingSource)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert (len(added), len(refused)) == (2, len(actors) - 2), results
    plan = selectors.plan_summary(Project.objects.get(pk=world.project.pk))
    assert (plan.secured, plan.gap) == (Decimal("1020000.00"), Decimal("180000.00"))

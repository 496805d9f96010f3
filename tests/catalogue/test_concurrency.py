"""Writers racing on one title, on PostgreSQL."""

from __future__ import annotations

import pytest

from reelmarket.catalogue import services
from reelmarket.catalogue.inputs import TitleInput
from reelmarket.catalogue.models import Title, TitleText
from reelmarket.market.enums import Role
from tests.concurrency import require_postgres, run_concurrently
from tests.factories import make_user_with_roles

THREADS = 8


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_imports_of_one_reference_make_one_title(owner_org):
    require_postgres()
    seller = make_user_with_roles(Role.SELLER, organisation=owner_org)

    def save(i: int) -> bool:
        data = TitleInput(
            reference="RACE-7",
            kind="feature",
            original_title=f"Version {i}",
            original_language="ja",
            texts=[{"language": "en", "name": f"Version {i}"}],
        )
        return services.title_save(actor=seller, owner=owner_org, data=data)[1]

    results = run_concurrently(save, threads=THREADS)
    assert [r for r in results if isinstance(r, BaseException)] == []
    assert sorted(results) == [False] * (THREADS - 1) + [True]
    title = Title.objects.get(owner=owner_org, reference="RACE-7")
    # the last writer's data is whole: its title and its one text, nothing mixed
    assert TitleText.objects.filter(title=title).count() == 1
    assert TitleText.objects.get(title=title).name == title.original_title

"""Title views: one row per participant, title and UTC day, counted by the title page."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from reelmarket.catalogue.behaviour import title_view_record
from reelmarket.catalogue.models import TitleView
from reelmarket.market.enums import Role
from reelmarket.market.models import Participant
from tests.concurrency import require_postgres, run_concurrently
from tests.factories import TitleFactory, make_user_with_roles

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "participant", "other_exhibitor", "owner_exhibitor", "organiser"]
RECORDED = {"participant", "other_exhibitor"}

T0 = datetime(2026, 3, 16, 23, 0, tzinfo=UTC)


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def rows() -> list[tuple[int, int, date, int, datetime]]:
    return list(
        TitleView.objects.order_by("participant_id", "title_id", "day").values_list(
            "participant_id", "title_id", "day", "count", "last_at"
        )
    )


def test_views_of_one_day_share_a_row(users, title):
    me = users["participant"].participant
    title_view_record(participant=me, title=title, now=T0)
    title_view_record(participant=me, title=title, now=T0 + timedelta(minutes=30))
    title_view_record(participant=me, title=title, now=T0 + timedelta(minutes=10))
    # 23:00, 23:30 and 23:10 UTC on the 16th; then 01:00 UTC on the 17th is a new day
    title_view_record(participant=me, title=title, now=T0 + timedelta(hours=2))
    assert rows() == [
        (me.pk, title.pk, date(2026, 3, 16), 3, T0 + timedelta(minutes=30)),
        (me.pk, title.pk, date(2026, 3, 17), 1, T0 + timedelta(hours=2)),
    ]


def test_the_day_is_the_utc_day(users, title):
    me = users["participant"].participant
    in_hong_kong = datetime(2026, 3, 17, 7, 0, tzinfo=ZoneInfo("Asia/Hong_Kong"))  # 23:00 UTC
    title_view_record(participant=me, title=title, now=in_hong_kong)
    assert rows() == [(me.pk, title.pk, date(2026, 3, 16), 1, T0)]


def test_participants_and_titles_are_counted_apart(users, title, owner_org):
    me, other = users["participant"].participant, users["other_exhibitor"].participant
    second = TitleFactory(owner=owner_org)
    title_view_record(participant=me, title=title, now=T0)
    title_view_record(participant=me, title=second, now=T0)
    title_view_record(participant=other, title=title, now=T0)
    assert [(p, t, c) for p, t, _d, c, _at in rows()] == sorted(
        [(me.pk, title.pk, 1), (me.pk, second.pk, 1), (other.pk, title.pk, 1)]
    )


@pytest.mark.parametrize("role", ROLES)
def test_the_title_page_records_views_per_role(users, role, title):
    client = client_for(users[role])
    for _ in range(2):
        assert client.get(reverse("catalogue:detail", args=[title.pk])).status_code == 200
    if role in RECORDED:
        me = Participant.objects.get(user=users[role])
        assert [(p, t, c) for p, t, _d, c, _at in rows()] == [(me.pk, title.pk, 2)]
    else:  # visitors, the title's own company and the organisers are not recorded
        assert rows() == []


def test_the_avails_check_partial_is_not_a_view(users, title):
    client = client_for(users["participant"])
    url = reverse("catalogue:detail", args=[title.pk])
    params = {"media": "svod", "territory": "VN", "start": "2026-01-01", "end": "2026-12-31"}
    response = client.get(url, params, headers={"HX-Request": "true", "HX-Target": "avails-check"})
    assert response.status_code == 200
    assert rows() == []


def test_an_unpublished_title_page_is_not_recorded(users, title):
    title.is_published = False
    title.save()
    response = client_for(users["participant"]).get(reverse("catalogue:detail", args=[title.pk]))
    assert response.status_code == 404
    assert rows() == []


def test_deleting_a_title_or_participant_deletes_its_views(users, title, owner_org):
    me = users["participant"].participant
    title_view_record(participant=me, title=title, now=T0)
    other = TitleFactory(owner=owner_org)
    title_view_record(participant=me, title=other, now=T0)
    title.delete()
    assert [t for _p, t, _d, _c, _at in rows()] == [other.pk]
    me.delete()
    assert rows() == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_eight_concurrent_first_views_make_one_row_counting_eight(owner_org):
    require_postgres()
    title = TitleFactory(owner=owner_org)
    viewer = make_user_with_roles(Role.BUYER).participant

    def view(i: int) -> None:
        title_view_record(participant=viewer, title=title, now=T0 + timedelta(seconds=i))

    results = run_concurrently(view, threads=8)
    assert [r for r in results if isinstance(r, BaseException)] == []
    assert rows() == [(viewer.pk, title.pk, date(2026, 3, 16), 8, T0 + timedelta(seconds=7))]

"""Races after selection (PostgreSQL): organisers building the one-on-one grid at once,
and sessions placed in one room at once."""

from __future__ import annotations

import pytest

from reelmarket.market.enums import Role
from reelmarket.meetings.models import MeetingRequest
from reelmarket.pitching import services_after as services
from reelmarket.pitching.errors import PitchError
from reelmarket.pitching.models import MeetingWish, PitchSession
from reelmarket.pitching.services_after import SessionData
from tests.concurrency import require_postgres, run_concurrently
from tests.factories import make_user_with_roles
from tests.meetings.factories import person
from tests.pitching.after_world import World, at

THREADS = 6


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_grid_builds_make_one_request_per_wish():
    require_postgres()
    world = World()
    financiers = [person(world.edition, Role.INVESTOR) for _ in range(8)]
    for f in financiers:
        services.wish_set(actor=f.user, submission=world.selected)
        services.wish_set(actor=f.user, submission=world.wip_selected, priority="must_meet")
    organisers = [make_user_with_roles(Role.ORGANISER) for _ in range(THREADS)]

    def build(i: int):
        return services.grid_from_wishes(actor=organisers[i], call=world.call)

    results = run_concurrently(build, threads=THREADS)
    assert not [r for r in results if isinstance(r, BaseException)]
    created = sum(len(r.created) for r in results)
    assert created == 16
    assert MeetingRequest.objects.filter(state="accepted").count() == 16
    assert MeetingWish.objects.filter(request__isnull=True).count() == 0
    assert MeetingWish.objects.values("request").distinct().count() == 16


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_sessions_in_one_room_only_one_wins():
    require_postgres()
    world = World()

    def create(i: int):
        return services.session_create(
            actor=world.organiser,
            call=world.call,
            data=SessionData(title=f"S{i}", starts_at=at(18, 10, i), room="Room S421"),
        )

    results = run_concurrently(create, threads=THREADS)
    wins = [r for r in results if isinstance(r, PitchSession)]
    refusals = sorted(r.code for r in results if isinstance(r, PitchError))
    assert (len(wins), refusals) == (1, ["room_busy"] * (THREADS - 1))
    assert PitchSession.objects.count() == 1

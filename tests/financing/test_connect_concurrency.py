"""Races on PostgreSQL: the database constraints settle them, whatever the timing."""

from __future__ import annotations

import pytest

from reelmarket.financing import services_connect as services
from reelmarket.financing.enums_connect import Side, Verdict
from reelmarket.financing.errors_connect import ConnectError
from reelmarket.financing.models import ConnectFeedback, ConnectRegistration, ConnectSeat
from tests.concurrency import require_postgres, run_concurrently
from tests.financing.connect_world import ConnectWorld

THREADS = 8


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_eight_registrations_of_one_person_leave_one():
    require_postgres()
    world = ConnectWorld()
    world.open()

    def register(i: int):
        return services.session_register(
            actor=world.mei.user,
            session=world.session,
            participant=world.mei,
            side=Side.PRODUCER,
            project=world.mei_project,
        )

    results = run_concurrently(register, threads=THREADS)
    wins = [r for r in results if isinstance(r, ConnectRegistration)]
    codes = sorted(
        r.code if isinstance(r, ConnectError) else repr(r) for r in results if r not in wins
    )
    assert (len(wins), codes) == (1, ["already_registered"] * (THREADS - 1))
    assert ConnectRegistration.objects.filter(participant=world.mei).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_eight_feedbacks_on_one_seat_leave_one_row():
    require_postgres()
    world = ConnectWorld()
    world.register_all()
    world.build()
    world.publish()
    seat = ConnectSeat.objects.get(producer=world.reg(world.mei), partner=world.reg(world.copro))
    verdicts = [Verdict.FOLLOW_UP, Verdict.PASS] * (THREADS // 2)

    def leave(i: int):
        return services.feedback_leave(
            actor=world.mei.user, seat=seat, verdict=verdicts[i], note=f"take {i}"
        )

    results = run_concurrently(leave, threads=THREADS)
    assert all(isinstance(r, ConnectFeedback) for r in results), results
    row = ConnectFeedback.objects.get(seat=seat)  # exactly one
    assert (row.participant_id, row.verdict, row.note) in {
        (world.mei.pk, verdicts[i], f"take {i}") for i in range(THREADS)
    }


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_registrations_of_different_people_run_side_by_side():
    require_postgres()
    world = ConnectWorld()
    world.open()
    people = [
        (world.mei, world.mei_project),
        (world.arjun, world.arjun_project),
        (world.lena, world.lena_project),
    ]

    def register(i: int):
        who, project = people[i]
        return services.session_register(
            actor=who.user,
            session=world.session,
            participant=who,
            side=Side.PRODUCER,
            project=project,
        )

    results = run_concurrently(register, threads=len(people))
    assert all(isinstance(r, ConnectRegistration) for r in results), results
    assert ConnectRegistration.objects.count() == 3

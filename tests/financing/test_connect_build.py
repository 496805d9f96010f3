"""Producers Connect sessions, the build: exact seats of tiny sessions, no pair repeated,
nobody double-seated, both sides' "no thanks" and the edition's blocks respected, the review
figures; hypothesis over random small sessions, checked in the database."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reelmarket.financing import relevance, rotation
from reelmarket.financing import services_connect as services
from reelmarket.financing.enums import InvestorKind
from reelmarket.financing.enums_connect import SessionState, Side
from reelmarket.financing.errors_connect import ConnectError
from reelmarket.financing.models import (
    ConnectSeat,
)
from reelmarket.financing.selectors_connect import fair_share, relevance_inputs, review
from reelmarket.market.enums import Role
from reelmarket.meetings.models import PairBlock
from tests.factories import OrganisationFactory
from tests.financing.connect_world import ConnectWorld
from tests.financing.factories import InvestorProfileFactory, ProjectFactory
from tests.meetings.factories import person

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> ConnectWorld:
    return ConnectWorld()


def refused(code: str, call, *args, **kwargs) -> ConnectError:
    with pytest.raises(ConnectError) as info:
        call(*args, **kwargs)
    assert info.value.code == code, info.value.message
    return info.value


def seats_of(session) -> set[tuple[int, int, str, str]]:
    return {
        (s.round, s.table, s.producer.participant.display_name, s.partner.participant.display_name)
        for s in ConnectSeat.objects.filter(session=session).select_related(
            "producer__participant", "partner__participant"
        )
    }


def move(world, to):
    world.session = services.session_set_state(
        actor=world.organiser, session=world.session, to_state=to
    )
    return world.session.state


# ---- the build ------------------------------------------------------------------------------


def test_one_table_one_round_seats_the_most_relevant_pair(world):
    world.session.rounds, world.session.tables = 1, 1
    world.session.save()
    world.register_all(lena=True)
    world.build()
    assert seats_of(world.session) == {(1, 1, "Mei", "Louis (Paris Copro)")}
    seat = ConnectSeat.objects.get()
    inputs = relevance_inputs(session=world.session)
    expected = relevance.score(project=inputs.project_facts[0], investor=inputs.partner_facts[1])
    assert seat.score == expected.total == 82.5
    assert [r["code"] for r in seat.reasons] == [r.code for r in expected.reasons][:8]
    assert world.session.total_score == 82.5


def test_two_rounds_two_tables_seat_every_pair_once(world):
    world.register_all()
    world.build()
    seats = seats_of(world.session)
    assert {(p, f) for _r, _t, p, f in seats} == {
        ("Mei", "Grace (Lantern Fund)"),
        ("Mei", "Louis (Paris Copro)"),
        ("Arjun", "Grace (Lantern Fund)"),
        ("Arjun", "Louis (Paris Copro)"),
    }
    for rnd in (1, 2):  # each round: both producers, both partners, tables 1 and 2
        in_round = [s for s in seats if s[0] == rnd]
        assert sorted(s[1] for s in in_round) == [1, 2]
        assert sorted(s[2] for s in in_round) == ["Arjun", "Mei"]
    assert world.session.total_score == sum(ConnectSeat.objects.values_list("score", flat=True))


def test_no_thanks_from_either_side_and_meeting_blocks_are_respected(world):
    world.register_all(lena=True)
    mei, arjun, lena = world.reg(world.mei), world.reg(world.arjun), world.reg(world.lena)
    fund, copro = world.reg(world.fund), world.reg(world.copro)
    services.no_thanks_set(actor=world.mei.user, by=mei, other=copro, declined=True)
    services.no_thanks_set(actor=world.fund.user, by=fund, other=arjun, declined=True)
    low, high = sorted([world.lena.pk, world.copro.pk])
    PairBlock.objects.create(edition=world.edition, low_id=low, high_id=high, blocked_by=world.lena)
    world.build()
    pairs = {(s.producer_id, s.partner_id) for s in ConnectSeat.objects.all()}
    assert pairs == {(mei.pk, fund.pk), (arjun.pk, copro.pk), (lena.pk, fund.pk)}


def test_colleagues_of_one_company_are_never_seated_together(world):
    company = OrganisationFactory(name="Lantern Group", slug="lantern")
    world.mei.organisation, world.mei.organisation_confirmed = company, True
    world.mei.save()
    world.fund.organisation, world.fund.organisation_confirmed = company, True
    world.fund.save()
    world.register_all()
    world.build()
    assert ("Mei", "Grace (Lantern Fund)") not in {
        (p, f) for _r, _t, p, f in seats_of(world.session)
    }


def test_build_refusals(world):
    refused(
        "registration_not_closed",
        services.session_build,
        actor=world.organiser,
        session=world.session,
    )
    world.open()
    move(world, SessionState.CLOSED)
    refused("nobody_to_seat", services.session_build, actor=world.organiser, session=world.session)
    with pytest.raises(PermissionDenied):
        services.session_build(actor=world.mei.user, session=world.session)


def test_a_rebuild_replaces_the_seats_and_keeps_the_seed(world):
    world.register_all(lena=True)
    world.build(seed=0)
    first = seats_of(world.session)
    world.build(seed=7)
    assert world.session.seed == 7
    assert ConnectSeat.objects.count() == len(first) == 4
    assert {(p, f) for _r, _t, p, f in seats_of(world.session)} == {
        (p, f) for _r, _t, p, f in first
    }


def test_an_unknown_currency_is_noted_not_fatal(world):
    world.lena_project.currency = "CHF"
    world.lena_project.save()
    world.register_all(lena=True)
    world.build()
    assert world.session.build_notes == [
        "Cold Harbour is in CHF, which has no indicative rate: counted as 0."
    ]


def test_review_figures(world):
    world.register_all(lena=True)
    world.build()
    figures = review(session=world.session)
    assert [(r.number, r.meetings, r.tables, r.percent) for r in figures.rounds] == [
        (1, 2, 2, 100),
        (2, 2, 2, 100),
    ]
    assert (figures.meetings, figures.producers, figures.partners, figures.fair_share) == (
        4,
        3,
        2,
        1,
    )
    assert figures.under_served == []
    assert figures.total_score == world.session.total_score


@pytest.mark.parametrize(
    ("rounds", "tables", "producers", "partners", "share"),
    [(8, 40, 60, 50, 5), (8, 40, 30, 50, 8), (2, 2, 3, 2, 1), (3, 10, 2, 1, 1), (8, 40, 0, 5, 0)],
)
def test_fair_share(rounds, tables, producers, partners, share):
    assert fair_share(rounds=rounds, tables=tables, producers=producers, partners=partners) == share


# ---- hypothesis: random small sessions ------------------------------------------------------


class _Rollback(Exception):
    pass


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    n_producers=st.integers(1, 5),
    n_partners=st.integers(1, 4),
    rounds=st.integers(1, 4),
    tables=st.integers(1, 3),
    declines=st.lists(st.tuples(st.integers(0, 4), st.integers(0, 3), st.booleans()), max_size=6),
    seed=st.integers(0, 3),
)
def test_any_built_rotation_is_valid_in_the_database(
    n_producers, n_partners, rounds, tables, declines, seed
):
    try:
        with transaction.atomic():
            world = ConnectWorld(rounds=rounds, tables=tables)
            world.open()
            producers, partners = [], []
            for i in range(n_producers):
                who = person(world.edition, Role.PRODUCER)
                project = ProjectFactory(owner=who, genres=["drama", "animation"][: 1 + i % 2])
                producers.append(
                    services.session_register(
                        actor=who.user,
                        session=world.session,
                        participant=who,
                        side=Side.PRODUCER,
                        project=project,
                    )
                )
            for j in range(n_partners):
                who = person(world.edition, Role.INVESTOR)
                InvestorProfileFactory(
                    participant=who,
                    kind=[InvestorKind.FUND, InvestorKind.COPRODUCER][j % 2],
                    ticket_min=Decimal("50000"),
                    ticket_max=Decimal(100000 * (j + 1)),
                    stages=[],
                )
                partners.append(
                    services.session_register(
                        actor=who.user, session=world.session, participant=who, side=Side.PARTNER
                    )
                )
            blocked = set()
            for i, j, from_producer in declines:
                if i < n_producers and j < n_partners:
                    by, other = (
                        (producers[i], partners[j])
                        if from_producer
                        else (partners[j], producers[i])
                    )
                    services.no_thanks_set(
                        actor=by.participant.user, by=by, other=other, declined=True
                    )
                    blocked.add((producers[i].pk, partners[j].pk))
            world.build(seed=seed)
            seats = list(ConnectSeat.objects.filter(session=world.session))
            stored = rotation.Rotation(
                seats=tuple(
                    rotation.Seat(
                        round=s.round - 1,
                        table=s.table - 1,
                        producer=s.producer_id,
                        partner=s.partner_id,
                        score=s.score,
                    )
                    for s in seats
                ),
                total_score=sum(s.score for s in seats),
                unmet_producers=(),
            )
            assert (
                rotation.check_rotation(
                    rotation=stored, rounds=rounds, tables=tables, blocked=blocked
                )
                == []
            )
            pairs = [(s.producer_id, s.partner_id) for s in seats]
            assert len(pairs) == len(set(pairs))
            assert not blocked & set(pairs)
            for r in range(1, rounds + 1):
                in_round = [s for s in seats if s.round == r]
                assert len(in_round) <= tables
                assert len({s.producer_id for s in in_round}) == len(in_round)
                assert len({s.partner_id for s in in_round}) == len(in_round)
                assert all(1 <= s.table <= tables for s in in_round)
            raise _Rollback
    except _Rollback:
        pass

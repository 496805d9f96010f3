"""Producers Connect sessions, the services: set-up with its bad inputs, the state machine,
registration, no thanks, the build (exact seats, no repeat, no double seat, blocks), publish
and feedback. Exact outcomes; hypothesis for the build over random small sessions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from reelmarket.financing import services_connect as services
from reelmarket.financing.enums_connect import SessionState, Side, Verdict
from reelmarket.financing.errors_connect import ConnectError
from reelmarket.financing.models import (
    ConnectFeedback,
    ConnectNoThanks,
    ConnectRegistration,
    ConnectSeat,
)
from reelmarket.market.enums import Role, Vetting
from tests.factories import OrganisationFactory
from tests.financing.connect_world import ConnectWorld, hk
from tests.financing.factories import ProjectFactory
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


def shape(world: ConnectWorld, **changes):
    values = {
        "actor": world.organiser,
        "edition": world.edition,
        "name": "Producers Connect — Day 3",
        "starts_at": hk(19, 10),
        "rounds": 8,
        "round_minutes": 20,
        "tables": 40,
    }
    values.update(changes)
    return values


# ---- set-up ---------------------------------------------------------------------------------


def test_a_session_is_created_in_draft_with_its_times(world):
    session = world.session
    assert session.state == SessionState.DRAFT
    assert session.round_starts_at(1) == hk(18, 14, 0)
    assert session.round_starts_at(2) == hk(18, 14, 25)
    assert session.ends_at == hk(18, 14, 45)
    assert [session.table_label(1), session.table_label(2)] == ["1", "2"]


@pytest.mark.parametrize(
    ("changes", "code", "field", "message"),
    [
        ({"rounds": 0}, "bad_rounds", "rounds", "A session has 1 to 30 rounds."),
        ({"rounds": 31}, "bad_rounds", "rounds", "A session has 1 to 30 rounds."),
        ({"tables": 0}, "bad_tables", "tables", "A session has 1 to 500 tables."),
        ({"round_minutes": 3}, "bad_round_minutes", "round_minutes",
         "A round lasts 5 to 120 minutes."),
        ({"break_minutes": -1}, "bad_break_minutes", "break_minutes",
         "A break lasts 0 to 60 minutes."),
        ({"name": "  "}, "bad_name", "name", "Give the session a name."),
        (
            {"starts_at": hk(25, 10)},
            "bad_start",
            "starts_at",
            "The session must start on a day of FILMART 2025 (2025-03-17 to 2025-03-20).",
        ),
        (
            {"starts_at": hk(19, 22), "rounds": 8},
            "bad_start",
            "starts_at",
            "The last round would end past midnight (2025-03-20 01:15); start earlier.",
        ),
        (
            {"starts_at": hk(19, 10).replace(tzinfo=None)},
            "bad_start",
            "starts_at",
            "Give the start time with its time zone.",
        ),
        (
            {"tables": 3, "table_labels": ["A1", "A2"]},
            "bad_table_labels",
            "table_labels",
            "Give one label per table (3), or none to number them.",
        ),
        (
            {"tables": 2, "table_labels": ["A1", "A1"]},
            "bad_table_labels",
            "table_labels",
            "Table labels must be distinct and 1 to 20 characters long.",
        ),
    ],
)  # fmt: skip
def test_bad_session_input_is_refused_with_a_clear_message(world, changes, code, field, message):
    error = refused(code, services.session_create, **shape(world, **changes))
    assert (error.field, error.message) == (field, message)
    assert world.edition.connect_sessions.count() == 1  # nothing half-written


def test_a_start_in_another_zone_counts_in_venue_time(world):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    # 16:30 on the 16th in London is 00:30 on the 17th in Hong Kong: a day of the edition
    start = datetime(2025, 3, 16, 16, 30, tzinfo=ZoneInfo("Europe/London"))
    session = services.session_create(**shape(world, starts_at=start, rounds=2))
    assert session.local_start().date().isoformat() == "2025-03-17"


def test_only_organisers_set_up_sessions_and_names_are_unique(world):
    with pytest.raises(PermissionDenied):
        services.session_create(**shape(world, actor=world.mei.user))
    error = refused("name_taken", services.session_create, **shape(world, name=world.session.name))
    assert error.field == "name"


def test_table_labels_are_kept(world):
    session = services.session_create(**shape(world, tables=2, table_labels=["A1", " B2 "]))
    assert [session.table_label(1), session.table_label(2)] == ["A1", "B2"]


# ---- the state machine ----------------------------------------------------------------------


def move(world, to):
    world.session = services.session_set_state(
        actor=world.organiser, session=world.session, to_state=to
    )
    return world.session.state


def test_every_allowed_transition(world):
    assert move(world, SessionState.OPEN) == "open"
    assert move(world, SessionState.DRAFT) == "draft"
    assert move(world, SessionState.OPEN) == "open"
    assert move(world, SessionState.CLOSED) == "closed"
    assert move(world, SessionState.OPEN) == "open"
    world.register_all()
    world.build()
    assert move(world, SessionState.PUBLISHED) == "published"


@pytest.mark.parametrize(
    ("start", "to"),
    [
        ("draft", "closed"),
        ("draft", "draft"),
        ("open", "open"),
        ("closed", "draft"),
        ("closed", "closed"),
        ("published", "open"),
        ("published", "closed"),
        ("published", "draft"),
    ],
)
def test_every_refused_transition(world, start, to):
    if start != "draft":
        world.register_all()
        if start in ("closed", "published"):
            world.build()
        if start == "published":
            world.publish()
    assert world.session.state == start
    code = "bad_transition"
    refused(
        code, services.session_set_state, actor=world.organiser, session=world.session, to_state=to
    )
    world.session.refresh_from_db()
    assert world.session.state == start


def test_publishing_needs_a_built_rotation_and_happens_once(world):
    world.register_all()
    move(world, SessionState.CLOSED)
    refused("not_built", services.session_publish, actor=world.organiser, session=world.session)
    world.build()
    with pytest.raises(PermissionDenied):
        services.session_publish(actor=world.mei.user, session=world.session)
    assert world.publish() == 4
    refused("published", services.session_publish, actor=world.organiser, session=world.session)
    refused("published", services.session_build, actor=world.organiser, session=world.session)


def test_state_changes_are_for_organisers_and_unknown_states_refused(world):
    with pytest.raises(PermissionDenied):
        services.session_set_state(actor=world.mei.user, session=world.session, to_state="open")
    refused(
        "bad_state",
        services.session_set_state,
        actor=world.organiser,
        session=world.session,
        to_state="x",
    )


def test_reopening_drops_the_unpublished_rotation(world):
    world.register_all()
    world.build()
    assert ConnectSeat.objects.count() == 4
    move(world, SessionState.OPEN)
    assert ConnectSeat.objects.count() == 0
    assert (world.session.built_at, world.session.total_score) == (None, None)


def test_editing_the_shape_drops_seats_and_a_published_session_is_fixed(world):
    world.register_all()
    world.build()
    kwargs = {
        "actor": world.organiser,
        "session": world.session,
        "name": "Renamed",
        "starts_at": hk(18, 15),
        "round_minutes": 15,
    }
    services.session_update(**kwargs, rounds=2, tables=2)
    assert ConnectSeat.objects.count() == 4  # same shape: the seats stay
    services.session_update(**kwargs, rounds=3, tables=2)
    assert ConnectSeat.objects.count() == 0
    world.session.refresh_from_db()
    assert (world.session.name, world.session.rounds, world.session.round_minutes) == (
        "Renamed",
        3,
        15,
    )
    world.build()
    world.publish()
    refused("published", services.session_update, **kwargs, rounds=3, tables=2)


# ---- registration ---------------------------------------------------------------------------


def test_producers_bring_a_project_partners_a_profile(world):
    world.register_all()
    regs = ConnectRegistration.objects.filter(session=world.session).order_by("pk")
    assert [(r.participant.display_name, r.side, r.project_id) for r in regs] == [
        ("Mei", Side.PRODUCER, world.mei_project.pk),
        ("Arjun", Side.PRODUCER, world.arjun_project.pk),
        ("Grace (Lantern Fund)", Side.PARTNER, None),
        ("Louis (Paris Copro)", Side.PARTNER, None),
    ]


def test_registration_refusals(world):
    session = world.session
    reg = services.session_register
    refused(
        "registration_closed",
        reg,
        actor=world.mei.user,
        session=session,
        participant=world.mei,
        side="producer",
        project=world.mei_project,
    )
    world.open()
    refused(
        "bad_side", reg, actor=world.mei.user, session=session, participant=world.mei, side="judge"
    )
    refused(
        "bad_project",
        reg,
        actor=world.mei.user,
        session=session,
        participant=world.mei,
        side="producer",
    )
    refused(
        "bad_project",
        reg,
        actor=world.mei.user,
        session=session,
        participant=world.mei,
        side="producer",
        project=world.arjun_project,
    )
    refused(
        "no_investor_profile",
        reg,
        actor=world.mei.user,
        session=session,
        participant=world.mei,
        side="partner",
    )
    with pytest.raises(PermissionDenied):
        reg(
            actor=world.arjun.user,
            session=session,
            participant=world.mei,
            side="producer",
            project=world.mei_project,
        )
    pending = person(world.edition, Role.PRODUCER, vetting=Vetting.PENDING)
    refused(
        "not_registered_for_edition",
        reg,
        actor=pending.user,
        session=session,
        participant=pending,
        side="producer",
        project=ProjectFactory(owner=pending),
    )
    reg(
        actor=world.mei.user,
        session=session,
        participant=world.mei,
        side="producer",
        project=world.mei_project,
    )
    refused(
        "already_registered",
        reg,
        actor=world.mei.user,
        session=session,
        participant=world.mei,
        side="producer",
        project=world.mei_project,
    )
    assert ConnectRegistration.objects.count() == 1
    assert pending.connect_registrations.count() == 0


def test_a_colleague_may_bring_the_company_project_but_only_once(world):
    company = OrganisationFactory(name="Harbour Films", slug="harbour")
    owner = person(world.edition, Role.PRODUCER, organisation=company)
    colleague = person(world.edition, Role.PRODUCER, organisation=company)
    project = ProjectFactory(owner=owner, organisation=company)
    world.open()
    services.session_register(
        actor=colleague.user,
        session=world.session,
        participant=colleague,
        side=Side.PRODUCER,
        project=project,
    )
    error = refused(
        "project_taken",
        services.session_register,
        actor=owner.user,
        session=world.session,
        participant=owner,
        side=Side.PRODUCER,
        project=project,
    )
    assert error.field == "project"


def test_organisers_register_others_and_partner_registrations_carry_no_project(world):
    world.open()
    reg = services.session_register(
        actor=world.organiser,
        session=world.session,
        participant=world.fund,
        side=Side.PARTNER,
        project=world.mei_project,
    )
    assert (reg.participant, reg.project) == (world.fund, None)


def test_withdrawing_while_open_only(world):
    world.register_all()
    mei = world.reg(world.mei)
    with pytest.raises(PermissionDenied):
        services.session_withdraw(actor=world.arjun.user, registration=mei)
    move(world, SessionState.CLOSED)
    refused(
        "registration_closed", services.session_withdraw, actor=world.mei.user, registration=mei
    )
    move(world, SessionState.OPEN)
    services.session_withdraw(actor=world.mei.user, registration=mei)
    assert not ConnectRegistration.objects.filter(pk=mei.pk).exists()


# ---- no thanks ------------------------------------------------------------------------------


def test_no_thanks_is_set_and_taken_back(world):
    world.register_all()
    mei, copro = world.reg(world.mei), world.reg(world.copro)
    assert services.no_thanks_set(actor=world.mei.user, by=mei, other=copro, declined=True)
    services.no_thanks_set(actor=world.mei.user, by=mei, other=copro, declined=True)  # idempotent
    assert list(ConnectNoThanks.objects.values_list("by", "other")) == [(mei.pk, copro.pk)]
    assert not services.no_thanks_set(actor=world.mei.user, by=mei, other=copro, declined=False)
    assert ConnectNoThanks.objects.count() == 0


def test_no_thanks_refusals(world):
    world.register_all()
    mei, arjun, copro = world.reg(world.mei), world.reg(world.arjun), world.reg(world.copro)
    refused(
        "bad_counterpart",
        services.no_thanks_set,
        actor=world.mei.user,
        by=mei,
        other=arjun,
        declined=True,
    )
    with pytest.raises(PermissionDenied):
        services.no_thanks_set(actor=world.arjun.user, by=mei, other=copro, declined=True)
    move(world, SessionState.CLOSED)
    refused(
        "registration_closed",
        services.no_thanks_set,
        actor=world.mei.user,
        by=mei,
        other=copro,
        declined=True,
    )


# ---- publish and feedback -------------------------------------------------------------------


def test_publishing_mails_everyone_their_rounds(world, django_capture_on_commit_callbacks):
    world.register_all(lena=True)
    world.build()
    with django_capture_on_commit_callbacks(execute=True):
        assert world.publish() == 4
    assert world.session.state == SessionState.PUBLISHED and world.session.published_at
    by_name = {m.to[0]: m for m in mail.outbox}
    assert len(mail.outbox) == 5
    assert all(
        m.subject == "Your Producers Connect rounds: Producers Connect — Day 2" for m in mail.outbox
    )
    times = {1: "Mar 18, 2025, 2:00:00\u202fPM HKT", 2: "Mar 18, 2025, 2:25:00\u202fPM HKT"}
    for who in (world.mei, world.arjun, world.lena):
        seats = ConnectSeat.objects.filter(producer=world.reg(who)).order_by("round")
        lines = "".join(
            f"Round {s.round}, {times[s.round]}, table {s.table}: "
            f"{s.partner.participant.display_name} · {s.producer.project.title}\n"
            for s in seats
        )
        closing = (
            "After each meeting, tell us whether you will follow up; only the organisers see it."
            if lines
            else "The rotation has no meeting for you this time; the organisers will look for "
            "a table for you on the day."
        )
        assert by_name[who.user.email].body == (
            f"Hello {who.display_name},\n\n"
            "The rotation of Producers Connect — Day 2 is published. Room: Room S421.\n"
            + (f"\n{lines}\n{closing}\n" if lines else f"\n{closing}\n")
            + f"\nYour rounds: /connect/sessions/{world.session.pk}/mine/\n"
        )


def published(world) -> ConnectSeat:
    world.register_all()
    world.build()
    world.publish()
    return ConnectSeat.objects.select_related("producer", "partner").get(
        producer=world.reg(world.mei), partner=world.reg(world.copro)
    )


def test_feedback_once_the_round_has_started_replacing_the_earlier_word(world):
    seat = published(world)
    start = seat.starts_at
    leave = services.feedback_leave
    refused(
        "too_early",
        leave,
        actor=world.mei.user,
        seat=seat,
        verdict=Verdict.FOLLOW_UP,
        now=start - timedelta(seconds=1),
    )
    leave(actor=world.mei.user, seat=seat, verdict=Verdict.PASS, note="  Not for us ", now=start)
    leave(
        actor=world.mei.user,
        seat=seat,
        verdict=Verdict.FOLLOW_UP,
        note="Send the lookbook",
        now=start,
    )
    leave(actor=world.copro.user, seat=seat, verdict=Verdict.FOLLOW_UP, now=start)
    rows = ConnectFeedback.objects.order_by("pk").values_list(
        "participant__display_name", "verdict", "note"
    )
    assert list(rows) == [
        ("Mei", "follow_up", "Send the lookbook"),
        ("Louis (Paris Copro)", "follow_up", ""),
    ]


def test_feedback_refusals(world):
    world.register_all()
    world.build()
    seat = ConnectSeat.objects.filter(producer=world.reg(world.mei)).first()
    late = seat.starts_at + timedelta(hours=1)
    leave = services.feedback_leave
    refused("not_published", leave, actor=world.mei.user, seat=seat, verdict="pass", now=late)
    world.publish()
    with pytest.raises(PermissionDenied):
        leave(actor=world.arjun.user, seat=seat, verdict="pass", now=late)
    with pytest.raises(PermissionDenied):
        leave(actor=world.organiser, seat=seat, verdict="pass", now=late)
    refused("bad_verdict", leave, actor=world.mei.user, seat=seat, verdict="maybe", now=late)
    refused(
        "bad_note", leave, actor=world.mei.user, seat=seat, verdict="pass", note="x" * 501, now=late
    )
    assert ConnectFeedback.objects.count() == 0

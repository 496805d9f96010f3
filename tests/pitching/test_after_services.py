"""After selection, the services: slot timing, session validation with its messages,
meeting wishes, the one-on-one grid from wishes (idempotent, "no thanks" respected),
awards."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from itertools import pairwise

import pytest
from django.core.exceptions import PermissionDenied
from hypothesis import given
from hypothesis import strategies as st

from reelmarket.market.enums import Role
from reelmarket.meetings import services as meeting_services
from reelmarket.meetings.enums import Priority, RequestState
from reelmarket.meetings.models import MeetingRequest, PairBlock, RequestEvent, RequestQuota
from reelmarket.pitching import selectors_after as selectors
from reelmarket.pitching import services_after as services
from reelmarket.pitching.errors import PitchError
from reelmarket.pitching.models import MeetingWish, PitchSlot
from reelmarket.pitching.services_after import AwardData, SessionData
from tests.financing.factories import ProjectFactory
from tests.meetings.factories import person
from tests.pitching.after_world import S, World, at
from tests.pitching.factories import SubmissionFactory


@pytest.fixture
def world(db) -> World:
    return World()


def session(world: World, **changes):
    data = {"title": "Animation pitches", "starts_at": at(18, 10), "room": "Room S421"}
    data.update(changes)
    return services.session_create(actor=world.organiser, call=world.call, data=SessionData(**data))


# ---- slot timing ------------------------------------------------------------------------------


def test_slot_times_add_footage_only_for_works_in_progress_and_changeover_between():
    times = selectors.slot_times(
        starts_at=at(18, 10),
        pitch_minutes=15,
        footage_minutes=5,
        changeover_minutes=5,
        wip=[False, True, False],
    )
    assert [(t.order, t.starts_at, t.ends_at, t.footage_minutes) for t in times] == [
        (1, at(18, 10, 0), at(18, 10, 15), 0),
        (2, at(18, 10, 20), at(18, 10, 40), 5),
        (3, at(18, 10, 45), at(18, 11, 0), 0),
    ]
    end = selectors.session_end(
        starts_at=at(18, 10),
        pitch_minutes=15,
        footage_minutes=5,
        changeover_minutes=5,
        wip=[False, True, False],
    )
    assert end == at(18, 11, 0)


@given(
    pitch=st.integers(1, 20),
    footage=st.integers(0, 5),
    changeover=st.integers(0, 30),
    wip=st.lists(st.booleans(), max_size=30),
)
def test_slot_times_chain_without_overlap(pitch, footage, changeover, wip):
    start = at(18, 10)
    times = selectors.slot_times(
        starts_at=start,
        pitch_minutes=pitch,
        footage_minutes=footage,
        changeover_minutes=changeover,
        wip=wip,
    )
    assert [t.order for t in times] == list(range(1, len(wip) + 1))
    for t, with_footage in zip(times, wip, strict=True):
        assert t.ends_at - t.starts_at == timedelta(
            minutes=pitch + (footage if with_footage else 0)
        )
    for before, after in pairwise(times):
        assert after.starts_at - before.ends_at == timedelta(minutes=changeover)
    total = sum(pitch + (footage if w else 0) for w in wip) + changeover * max(len(wip) - 1, 0)
    end = selectors.session_end(
        starts_at=start,
        pitch_minutes=pitch,
        footage_minutes=footage,
        changeover_minutes=changeover,
        wip=wip,
    )
    assert end - start == timedelta(minutes=total if wip else pitch)


def test_an_empty_session_holds_its_room_for_one_pitch():
    end = selectors.session_end(
        starts_at=at(18, 10), pitch_minutes=20, footage_minutes=5, changeover_minutes=5, wip=[]
    )
    assert end == at(18, 10, 20)


def test_programme_times_each_slot(world):
    s = session(world, footage_minutes=5)
    services.session_set_order(
        actor=world.organiser, session=s, submissions=[world.wip_selected, world.selected]
    )
    [view] = selectors.programme(call=world.call)
    assert [(v.submission.pk, v.time.starts_at, v.time.ends_at) for v in view.slots] == [
        (world.wip_selected.pk, at(18, 10, 0), at(18, 10, 20)),  # 15 + 5 footage (post-production)
        (world.selected.pk, at(18, 10, 25), at(18, 10, 40)),
    ]
    assert view.ends_at == at(18, 10, 40)


# ---- session validation -----------------------------------------------------------------------


def test_only_organisers_plan_sessions(world):
    with pytest.raises(PermissionDenied):
        services.session_create(
            actor=world.wei.user,
            call=world.call,
            data=SessionData(title="Mine", starts_at=at(18, 10)),
        )


@pytest.mark.parametrize(
    ("changes", "code", "message"),
    [
        ({"pitch_minutes": 21}, "bad_minutes", "A pitch lasts between 1 and 20 minutes."),
        (
            {"footage_minutes": 6},
            "bad_minutes",
            "Footage of a work in progress runs at most 5 minutes.",
        ),
        ({"title": "  "}, "bad_title", "Give the session a title."),
        (
            {"starts_at": at(25, 10)},
            "outside_edition",
            "The session starts on Mar 25, 2025, which is not a day of FILMART 2025 "
            "(Mar 17, 2025 – Mar 20, 2025).",
        ),
    ],
)  # fmt: skip
def test_session_data_is_checked(world, changes, code, message):
    with pytest.raises(PitchError) as exc:
        session(world, **changes)
    assert (exc.value.code, exc.value.message) == (code, message)


def test_a_non_selected_project_cannot_pitch(world):
    s = session(world)
    with pytest.raises(PitchError) as exc:
        services.session_add(actor=world.organiser, session=s, submission=world.shortlisted)
    assert exc.value.code == "not_selected"
    assert exc.value.message == (
        "“Secret Garden” is not selected (its status is Shortlisted); only selected projects pitch."
    )
    assert PitchSlot.objects.count() == 0


def test_a_session_for_one_section_refuses_another_sections_project(world):
    s = session(world, section=world.animation)
    with pytest.raises(PitchError) as exc:
        services.session_add(actor=world.organiser, session=s, submission=world.wip_selected)
    assert exc.value.message == (
        "“Harbour Lights” is in the section Works in progress; this session is for Animation."
    )


def test_a_project_pitches_in_one_session_only(world):
    first = session(world)
    second = session(world, title="Second", starts_at=at(19, 10))
    services.session_add(actor=world.organiser, session=first, submission=world.selected)
    with pytest.raises(PitchError) as exc:
        services.session_add(actor=world.organiser, session=second, submission=world.selected)
    assert exc.value.code == "already_scheduled"
    assert exc.value.message == (
        "“The Paper Tiger” already pitches in the session “Animation pitches”; "
        "take it out there first."
    )


def test_a_session_may_not_run_past_its_day(world):
    s = session(world, starts_at=at(18, 23, 30), pitch_minutes=20, changeover_minutes=5)
    services.session_add(actor=world.organiser, session=s, submission=world.selected)
    with pytest.raises(PitchError) as exc:
        services.session_add(actor=world.organiser, session=s, submission=world.wip_selected)
    assert exc.value.code == "past_day"
    assert exc.value.message == (
        "The session would end at 00:15 on Mar 19, 2025 (venue time), past the end of its day; "
        "start earlier, shorten the pitches or move projects to another session."
    )
    assert list(s.slots.values_list("submission_id", flat=True)) == [world.selected.pk]


def test_sessions_in_the_same_room_may_not_overlap(world):
    first = session(world, starts_at=at(18, 10))
    services.session_set_order(
        actor=world.organiser, session=first, submissions=[world.selected, world.wip_selected]
    )  # 10:00-10:35
    with pytest.raises(PitchError) as exc:
        session(world, title="Late", starts_at=at(18, 10, 30), room="room s421 ")
    assert exc.value.code == "room_busy"
    assert exc.value.message == (
        "room s421 is taken by “Animation pitches” from 10:00 to 10:35 (venue time)."
    )
    # Another room, or the same room once the first has ended, is fine.
    session(world, title="Elsewhere", starts_at=at(18, 10, 30), room="Room S422")
    session(world, title="After", starts_at=at(18, 10, 35))


def test_a_session_that_grows_into_the_next_one_is_refused(world):
    first = session(world, starts_at=at(18, 10))
    session(world, title="Next", starts_at=at(18, 10, 30))
    services.session_add(actor=world.organiser, session=first, submission=world.selected)
    with pytest.raises(PitchError) as exc:
        services.session_add(actor=world.organiser, session=first, submission=world.wip_selected)
    assert exc.value.code == "room_busy"


def test_moving_and_removing_in_the_running_order(world):
    s = session(world)
    services.session_set_order(
        actor=world.organiser, session=s, submissions=[world.selected, world.wip_selected]
    )
    services.session_move(actor=world.organiser, session=s, submission=world.wip_selected, delta=-1)
    assert list(s.slots.order_by("order").values_list("submission_id", "order")) == [
        (world.wip_selected.pk, 1),
        (world.selected.pk, 2),
    ]
    services.session_remove(actor=world.organiser, session=s, submission=world.wip_selected)
    assert list(s.slots.values_list("submission_id", "order")) == [(world.selected.pk, 1)]


def test_update_rechecks_the_running_order(world):
    s = session(world)
    services.session_add(actor=world.organiser, session=s, submission=world.wip_selected)
    data = SessionData(title="Animation only", starts_at=at(18, 10), section=world.animation)
    with pytest.raises(PitchError) as exc:
        services.session_update(actor=world.organiser, session=s, data=data)
    assert exc.value.code == "wrong_section"
    s.refresh_from_db()
    assert s.section is None and s.title == "Animation pitches"


def test_fill_adds_the_remaining_projects_while_they_fit(world):
    extra = SubmissionFactory(
        section=world.animation, project=ProjectFactory(title="Another Tiger"), state=S.SELECTED
    )
    s = session(world, starts_at=at(18, 23, 20), pitch_minutes=15, changeover_minutes=5)
    outcome = services.session_fill(actor=world.organiser, session=s)
    # By title: Another Tiger 23:20-23:35, Harbour Lights 23:40-23:55, The Paper Tiger would
    # end at 00:15.
    assert (outcome.added, outcome.left, outcome.refusal.code) == (2, 1, "past_day")
    assert list(s.slots.order_by("order").values_list("submission_id", flat=True)) == [
        extra.pk,
        world.wip_selected.pk,
    ]
    section_only = session(world, title="Animation", starts_at=at(19, 10), section=world.animation)
    done = services.session_fill(actor=world.organiser, session=section_only)
    assert (done.added, done.left, done.refusal) == (1, 0, None)
    assert list(section_only.slots.values_list("submission_id", flat=True)) == [world.selected.pk]


# ---- wishes -----------------------------------------------------------------------------------


def test_an_investor_sets_and_changes_a_wish(world):
    wish = services.wish_set(
        actor=world.sofia.user, submission=world.selected, priority=Priority.MUST_MEET, note="Hi"
    )
    assert (wish.participant, wish.priority, wish.note) == (world.sofia, "must_meet", "Hi")
    services.wish_set(actor=world.sofia.user, submission=world.selected, priority=Priority.MEET)
    assert list(MeetingWish.objects.values_list("participant_id", "priority", "note")) == [
        (world.sofia.pk, "meet", "")
    ]


def test_an_investor_profile_without_the_role_may_wish(world):
    wish = services.wish_set(actor=world.ravi.user, submission=world.selected)
    assert wish.participant == world.ravi


@pytest.mark.parametrize(
    ("who", "target", "error", "code"),
    [
        ("buyer", "selected", PermissionDenied, None),
        ("wei", "selected", PitchError, "own_project"),
        ("sofia", "shortlisted", PitchError, "not_selected"),
    ],
)
def test_wishes_are_refused(world, who, target, error, code):
    with pytest.raises(error) as exc:
        services.wish_set(actor=getattr(world, who).user, submission=getattr(world, target))
    if code:
        assert exc.value.code == code
    assert MeetingWish.objects.count() == 0


def test_a_colleague_of_the_applicant_may_not_wish(world):
    colleague = person(world.edition, Role.PRODUCER, organisation=world.studio)
    with pytest.raises(PitchError) as exc:
        services.wish_set(actor=colleague.user, submission=world.selected)
    assert exc.value.code == "own_project"


def test_an_unapproved_investor_is_told_why(world):
    pending = person(world.edition, Role.INVESTOR, vetting="pending")
    with pytest.raises(PitchError) as exc:
        services.wish_set(actor=pending.user, submission=world.selected)
    assert exc.value.message == (
        "Your registration for FILMART 2025 is not approved yet; meetings are for approved "
        "participants."
    )


def test_no_wish_across_a_no_thanks(world):
    meeting_services.pair_block(actor=world.wei.user, edition=world.edition, other=world.sofia)
    with pytest.raises(PitchError) as exc:
        services.wish_set(actor=world.sofia.user, submission=world.selected)
    assert exc.value.code == "blocked"


def test_withdrawing_a_wish_cancels_its_request(world):
    services.wish_set(actor=world.sofia.user, submission=world.selected)
    services.grid_from_wishes(actor=world.organiser, call=world.call)
    request = MeetingRequest.objects.get()
    services.wish_withdraw(actor=world.sofia.user, submission=world.selected)
    request.refresh_from_db()
    assert request.state == RequestState.CANCELLED
    assert MeetingWish.objects.count() == 0
    with pytest.raises(PitchError) as exc:
        services.wish_withdraw(actor=world.sofia.user, submission=world.selected)
    assert exc.value.code == "no_wish"


# ---- the one-on-one grid ----------------------------------------------------------------------


def test_grid_turns_wishes_into_accepted_requests_once(world):
    services.wish_set(actor=world.sofia.user, submission=world.selected, priority="must_meet")
    services.wish_set(actor=world.ravi.user, submission=world.wip_selected, priority="nice_to_meet")
    outcome = services.grid_from_wishes(actor=world.organiser, call=world.call)
    assert (len(outcome.created), len(outcome.linked), outcome.skipped) == (2, 0, [])
    rows = sorted(
        MeetingRequest.objects.values_list(
            "requester_id", "target_person_id", "counterpart_id", "state",
            "requester_priority", "counterpart_priority",
        )
    )  # fmt: skip
    assert rows == sorted(
        [
            (world.sofia.pk, world.wei.pk, world.wei.pk, "accepted", "must_meet", "meet"),
            (world.ravi.pk, world.other_producer.pk, world.other_producer.pk, "accepted",
             "nice_to_meet", "meet"),
        ]
    )  # fmt: skip
    wish = MeetingWish.objects.get(participant=world.sofia)
    assert wish.request.requester == world.sofia
    events = list(
        RequestEvent.objects.filter(request=wish.request).values_list("to_state", "actor_id")
    )
    assert events == [("requested", world.sofia.user.pk), ("accepted", world.organiser.pk)]

    again = services.grid_from_wishes(actor=world.organiser, call=world.call)
    assert (again.created, again.linked, again.skipped) == ([], [], [])
    assert MeetingRequest.objects.count() == 2

    # A new wish: only that one is added.
    services.wish_set(actor=world.sofia.user, submission=world.wip_selected)
    third = services.grid_from_wishes(actor=world.organiser, call=world.call)
    assert [w.participant_id for w in third.created] == [world.sofia.pk]
    assert MeetingRequest.objects.count() == 3


def test_grid_respects_no_thanks_on_either_side(world):
    services.wish_set(actor=world.sofia.user, submission=world.selected)
    services.wish_set(actor=world.ravi.user, submission=world.selected)
    # After the wishes: the producer says no thanks to Sofia, Ravi to the producer.
    meeting_services.pair_block(actor=world.wei.user, edition=world.edition, other=world.sofia)
    meeting_services.pair_block(actor=world.ravi.user, edition=world.edition, other=world.wei)
    outcome = services.grid_from_wishes(actor=world.organiser, call=world.call)
    assert outcome.created == []
    assert sorted((s.wish.participant_id, s.code) for s in outcome.skipped) == sorted(
        [(world.sofia.pk, "blocked"), (world.ravi.pk, "blocked")]
    )
    assert MeetingRequest.objects.count() == 0
    assert PairBlock.objects.count() == 2
    assert MeetingWish.objects.filter(request__isnull=False).count() == 0


def test_grid_links_an_open_request_between_the_two(world):
    pending = meeting_services.request_create(
        actor=world.wei.user, edition=world.edition, target_person=world.sofia
    )
    services.wish_set(actor=world.sofia.user, submission=world.selected, priority="must_meet")
    outcome = services.grid_from_wishes(actor=world.organiser, call=world.call)
    assert ([w.pk for w in outcome.linked], outcome.created) == (
        [MeetingWish.objects.get().pk],
        [],
    )
    pending.refresh_from_db()
    assert (pending.state, pending.counterpart_priority) == ("accepted", "must_meet")
    assert MeetingWish.objects.get().request == pending


def test_two_projects_of_one_producer_share_one_meeting(world):
    second = SubmissionFactory(
        section=world.animation,
        project=ProjectFactory(owner=world.wei, title="Paper Tiger 2"),
        state=S.SELECTED,
    )
    services.wish_set(actor=world.sofia.user, submission=world.selected, priority="must_meet")
    services.wish_set(actor=world.sofia.user, submission=second)
    outcome = services.grid_from_wishes(actor=world.organiser, call=world.call)
    assert len(outcome.created) == 1
    [skipped] = outcome.skipped
    assert (skipped.code, skipped.message) == (
        "same_pair",
        "Covered by the meeting already planned about “The Paper Tiger”.",
    )
    assert MeetingRequest.objects.count() == 1


def test_a_refused_wish_leaves_nothing_half_written(world):
    RequestQuota.objects.create(grid=world.grid, role=Role.INVESTOR, limit=1)
    services.wish_set(actor=world.sofia.user, submission=world.selected, priority="must_meet")
    services.wish_set(actor=world.sofia.user, submission=world.wip_selected)
    outcome = services.grid_from_wishes(actor=world.organiser, call=world.call)
    assert [w.submission_id for w in outcome.created] == [world.selected.pk]
    [skipped] = outcome.skipped
    assert (skipped.wish.submission_id, skipped.code) == (world.wip_selected.pk, "quota_exhausted")
    assert MeetingRequest.objects.count() == 1


def test_grid_needs_an_organiser_and_a_meeting_grid(world):
    with pytest.raises(PermissionDenied):
        services.grid_from_wishes(actor=world.sofia.user, call=world.call)
    world.grid.delete()
    with pytest.raises(PitchError) as exc:
        services.grid_from_wishes(actor=world.organiser, call=world.call)
    assert exc.value.code == "no_grid"


def test_grid_then_optimiser_puts_the_meeting_in_both_agendas(world):
    from reelmarket.meetings.optimiser import schedule_optimise, schedule_publish
    from reelmarket.meetings.selectors import agenda_for

    services.wish_set(actor=world.sofia.user, submission=world.selected)
    services.grid_from_wishes(actor=world.organiser, call=world.call)
    schedule_optimise(actor=world.organiser, edition=world.edition, time_limit=5)
    assert schedule_publish(actor=world.organiser, edition=world.edition) == 1
    for who in (world.wei, world.sofia):
        [meeting] = list(agenda_for(participant=who, edition=world.edition))
        assert meeting.request.requester == world.sofia
        assert meeting.starts_at - meeting.ends_at == -timedelta(minutes=30)


# ---- awards -----------------------------------------------------------------------------------


def test_awards_go_to_selected_projects_only(world):
    award = services.award_create(
        actor=world.organiser,
        call=world.call,
        data=AwardData(name="HAF Animation Award", sponsor="Ink Fund", cash=Decimal("10000")),
    )
    with pytest.raises(PitchError) as exc:
        services.award_set_winner(actor=world.organiser, award=award, winner=world.shortlisted)
    assert exc.value.message == "“Secret Garden” is not selected; awards go to selected projects."
    services.award_set_winner(actor=world.organiser, award=award, winner=world.selected)
    award.refresh_from_db()
    assert award.winner == world.selected
    with pytest.raises(PermissionDenied):
        services.award_set_winner(actor=world.wei.user, award=award, winner=None)


def test_award_needs_a_name(world):
    with pytest.raises(PitchError) as exc:
        services.award_create(actor=world.organiser, call=world.call, data=AwardData(name=" "))
    assert exc.value.message == "Name the award."


def test_the_background_build_task_is_idempotent(world):
    from reelmarket.pitching.tasks_after import build_one_on_ones

    services.wish_set(actor=world.sofia.user, submission=world.selected)
    build_one_on_ones(call_id=world.call.pk, actor_id=world.organiser.pk)
    build_one_on_ones(call_id=world.call.pk, actor_id=world.organiser.pk)
    assert MeetingRequest.objects.count() == 1
    build_one_on_ones(call_id=999_999, actor_id=world.organiser.pk)  # gone: nothing to do
    with pytest.raises(PermissionDenied):  # the service still checks who asked
        build_one_on_ones(call_id=world.call.pk, actor_id=world.sofia.user.pk)

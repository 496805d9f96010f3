"""Colleagues joining a meeting: who may be added, seats for everyone when it is booked or
while it is live, and the optimiser (bulk and late) seating every participant."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core.exceptions import PermissionDenied

from reelmarket.market.enums import Role
from reelmarket.meetings import optimiser, services
from reelmarket.meetings.enums import MeetingStatus, Place, RequestState
from reelmarket.meetings.errors import MeetingError
from reelmarket.meetings.models import Meeting, MeetingGrid, MeetingSeat, RequestEvent
from reelmarket.meetings.services_booking import request_colleagues_set
from reelmarket.meetings.slots import all_slots
from reelmarket.meetings.solver.check import check_schedule
from tests.factories import OrganisationFactory
from tests.meetings.factories import World, person, slot_start

S = RequestState
NOW = datetime(2025, 3, 1, tzinfo=UTC)
ALL_DAY = (1 << 16) - 1


class Team(World):
    """The small market, one meeting day, plus Tuan and Nora of Saigon Stream (in person)."""

    def __init__(self) -> None:
        super().__init__()
        MeetingGrid.objects.filter(pk=self.grid.pk).update(days=["2025-03-17"])
        self.grid.refresh_from_db()
        self.tuan = person(
            self.edition, Role.BUYER, organisation=self.buyer_org, display_name="Tuan"
        )
        self.nora = person(
            self.edition, Role.BUYER, organisation=self.buyer_org, display_name="Nora"
        )


@pytest.fixture
def team(db):
    return Team()


def accepted(team, requester, counterpart):
    request = services.request_create(
        actor=requester.user, edition=team.edition, target_person=counterpart, now=NOW
    )
    return services.request_accept(actor=counterpart.user, request=request, now=NOW)


def book(team, request, index, *, actor=None):
    return services.meeting_book(
        actor=actor or team.organiser,
        request=request,
        slot=slot_start(team.grid, 0, index),
        place=Place.booth(team.booth.pk),
        now=NOW,
    )


def refused(call) -> tuple[str, str]:
    with pytest.raises(MeetingError) as caught:
        call()
    return caught.value.code, str(caught.value)


def names(request) -> list[str]:
    return sorted(request.colleagues.values_list("display_name", flat=True))


def seated(meeting) -> list[tuple[str, bool]]:
    return sorted(meeting.seats.values_list("participant__display_name", "released"))


def free_only(team, participant, *indices: int) -> None:
    busy = ALL_DAY
    for i in indices:
        busy &= ~(1 << i)
    services.availability_set_day(
        actor=participant.user,
        participant=participant,
        edition=team.edition,
        day=team.grid.spec.days[0],
        busy_mask=busy,
    )


# ---- setting colleagues ---------------------------------------------------------------------


def test_either_side_or_an_organiser_sets_colleagues(team):
    request = accepted(team, team.tuan, team.kenji)
    done = request_colleagues_set(actor=team.kenji.user, request=request, colleagues=[team.aiko])
    assert names(done) == ["Aiko"]
    done = request_colleagues_set(
        actor=team.tuan.user, request=request, colleagues=[team.aiko, team.nora, team.kenji]
    )
    assert names(done) == ["Aiko", "Nora"]  # the counterpart is no colleague of himself
    event = RequestEvent.objects.filter(request=request).last()
    assert (event.from_state, event.to_state, event.note) == (
        S.ACCEPTED,
        S.ACCEPTED,
        "Colleagues: Aiko, Nora",
    )
    request_colleagues_set(actor=team.organiser, request=request, colleagues=[])
    assert names(request) == []
    with pytest.raises(PermissionDenied):
        request_colleagues_set(actor=team.sofia.user, request=request, colleagues=[team.aiko])
    assert names(request) == []


def test_only_confirmed_staff_of_either_company_may_join(team):
    request = accepted(team, team.tuan, team.kenji)
    request_colleagues_set(actor=team.tuan.user, request=request, colleagues=[team.nora])
    outsider = person(
        team.edition, Role.SELLER, organisation=OrganisationFactory(), display_name="Olga"
    )
    unconfirmed = person(
        team.edition,
        Role.SELLER,
        organisation=team.seller_org,
        organisation_confirmed=False,
        display_name="Ugo",
    )
    for who in (team.sofia, outsider, unconfirmed):
        code, message = refused(
            lambda who=who: request_colleagues_set(
                actor=team.tuan.user, request=request, colleagues=[team.aiko, who]
            )
        )
        assert (code, message) == (
            "not_staff",
            f"{who.display_name} is not confirmed staff of either company.",
        )
    assert names(request) == ["Nora"]


def test_a_company_request_takes_colleagues_before_anyone_accepts(team):
    request = services.request_create(
        actor=team.tuan.user, edition=team.edition, target_organisation=team.seller_org, now=NOW
    )
    request_colleagues_set(actor=team.tuan.user, request=request, colleagues=[team.aiko])
    services.request_accept(actor=team.aiko.user, request=request, now=NOW)
    request.refresh_from_db()
    assert request.counterpart == team.aiko
    meeting = book(team, request, 2)
    assert seated(meeting) == [("Aiko", False), ("Tuan", False)]  # Aiko once


def test_a_closed_request_takes_no_colleagues(team):
    request = services.request_create(
        actor=team.tuan.user, edition=team.edition, target_person=team.kenji, now=NOW
    )
    services.request_decline(actor=team.kenji.user, request=request)
    code, _message = refused(
        lambda: request_colleagues_set(
            actor=team.organiser, request=request, colleagues=[team.aiko]
        )
    )
    assert code == "invalid_transition"
    assert names(request) == []


def test_a_scheduled_meeting_seats_new_colleagues_only_when_free(team):
    other = book(team, accepted(team, team.sofia, team.aiko), 0)
    request = accepted(team, team.tuan, team.kenji)
    meeting = book(team, request, 0)
    code, message = refused(
        lambda: request_colleagues_set(
            actor=team.tuan.user, request=request, colleagues=[team.nora, team.aiko]
        )
    )
    assert (code, message) == (
        "busy",
        "Aiko already has a meeting at 2025-03-17 10:00 (Asia/Hong_Kong).",
    )
    assert (names(request), seated(meeting)) == ([], [("Kenji", False), ("Tuan", False)])
    services.meeting_cancel(actor=team.organiser, meeting=other)
    request_colleagues_set(actor=team.tuan.user, request=request, colleagues=[team.nora, team.aiko])
    assert seated(meeting) == [("Aiko", False), ("Kenji", False), ("Nora", False), ("Tuan", False)]
    request_colleagues_set(actor=team.kenji.user, request=request, colleagues=[team.nora])
    assert seated(meeting) == [("Kenji", False), ("Nora", False), ("Tuan", False)]
    services.request_cancel(actor=team.tuan.user, request=request)
    assert seated(meeting) == [("Kenji", True), ("Nora", True), ("Tuan", True)]


# ---- booking --------------------------------------------------------------------------------


def test_booking_refuses_a_slot_where_a_colleague_is_busy(team):
    book(team, accepted(team, team.sofia, team.aiko), 0)
    request = accepted(team, team.tuan, team.kenji)
    request_colleagues_set(actor=team.tuan.user, request=request, colleagues=[team.aiko, team.nora])
    code, message = refused(lambda: book(team, request, 0, actor=team.tuan.user))
    assert (code, message) == (
        "busy",
        "Aiko already has a meeting at 2025-03-17 10:00 (Asia/Hong_Kong).",
    )
    assert not Meeting.objects.filter(request=request).exists()
    free_only(team, team.nora, 0, 2)
    code, _message = refused(lambda: book(team, request, 1, actor=team.tuan.user))
    assert code == "unavailable"
    meeting = book(team, request, 2, actor=team.tuan.user)
    request.refresh_from_db()
    assert request.state == S.SCHEDULED
    assert seated(meeting) == [("Aiko", False), ("Kenji", False), ("Nora", False), ("Tuan", False)]
    assert set(MeetingSeat.objects.filter(meeting=meeting).values_list("starts_at", flat=True)) == {
        slot_start(team.grid, 0, 2)
    }
    code, _message = refused(  # moving it checks the colleagues too
        lambda: services.meeting_reschedule(
            actor=team.tuan.user, meeting=meeting, slot=slot_start(team.grid, 0, 0)
        )
    )
    assert code == "busy"
    assert set(meeting.seats.values_list("starts_at", flat=True)) == {slot_start(team.grid, 0, 2)}


# ---- the optimiser --------------------------------------------------------------------------


def optimiser_mode(team) -> None:
    MeetingGrid.objects.filter(pk=team.grid.pk).update(mode="optimiser")
    team.grid.refresh_from_db()


def schedule_from_db(team) -> dict:
    slot_of = {s.start: t for t, s in enumerate(all_slots(team.grid.spec))}
    assignments = [
        {
            "request": f"r{m.request_id}",
            "slot": slot_of[m.starts_at],
            "location": f"booth-{m.booth_id}",
        }
        for m in Meeting.objects.filter(edition=team.edition)
    ]
    return {"assignments": assignments, "left_out": []}


def test_problem_build_lists_every_participant_on_their_side(team):
    optimiser_mode(team)
    request = accepted(team, team.tuan, team.kenji)
    request_colleagues_set(actor=team.tuan.user, request=request, colleagues=[team.aiko, team.nora])
    doc = optimiser.problem_build(edition=team.edition)
    pid = {x: f"p{x.pk}" for x in (team.tuan, team.nora, team.kenji, team.aiko)}
    assert doc["requests"] == [
        {
            "id": f"r{request.pk}",
            "side_a": [pid[team.tuan], pid[team.nora]],
            "side_b": [pid[team.kenji], pid[team.aiko]],
            "priority_a": "meet",
            "priority_b": "meet",
            "locations": [f"booth-{team.booth.pk}", "shared"],
        }
    ]
    assert sorted(p["id"] for p in doc["people"]) == sorted(pid.values())


def test_an_online_colleague_makes_the_meeting_online(team):
    optimiser_mode(team)
    request = accepted(team, team.nora, team.kenji)
    request_colleagues_set(actor=team.nora.user, request=request, colleagues=[team.linh])
    (only,) = optimiser.problem_build(edition=team.edition)["requests"]
    assert (only["side_a"], only["locations"]) == (
        [f"p{team.nora.pk}", f"p{team.linh.pk}"],
        ["online"],
    )


def test_the_optimiser_seats_everyone_and_the_checker_agrees(team):
    optimiser_mode(team)
    free_only(team, team.kenji, 0)
    free_only(team, team.aiko, 0, 1)
    r1 = accepted(team, team.tuan, team.kenji)
    request_colleagues_set(actor=team.tuan.user, request=r1, colleagues=[team.aiko, team.nora])
    r2 = accepted(team, team.mei_buyer, team.aiko)
    problem = optimiser.problem_build(edition=team.edition)
    run = optimiser.schedule_optimise(actor=team.organiser, edition=team.edition, time_limit=5)
    assert (run.status, run.error, run.left_out) == ("done", "", [])
    assert (run.objective, run.upper_bound, run.proven_optimal) == (8, 8, True)
    m1, m2 = Meeting.objects.get(request=r1), Meeting.objects.get(request=r2)
    assert (m1.starts_at, m2.starts_at) == (
        slot_start(team.grid, 0, 0),
        slot_start(team.grid, 0, 1),
    )
    assert (m1.status, m2.status) == (MeetingStatus.PROVISIONAL, MeetingStatus.PROVISIONAL)
    assert seated(m1) == [("Aiko", False), ("Kenji", False), ("Nora", False), ("Tuan", False)]
    assert seated(m2) == [("Aiko", False), ("Mei", False)]
    assert check_schedule(problem, schedule_from_db(team)) == []


def test_a_late_placement_waits_for_a_busy_colleague(team):
    optimiser_mode(team)
    free_only(team, team.kenji, 0, 1)
    book(team, accepted(team, team.mei_buyer, team.aiko), 0)
    optimiser.late_cache_clear()
    request = accepted(team, team.tuan, team.kenji)
    request_colleagues_set(actor=team.tuan.user, request=request, colleagues=[team.aiko])
    meeting = optimiser.request_place_late(actor=team.organiser, request=request, now=NOW)
    assert meeting.starts_at == slot_start(team.grid, 0, 1)
    assert seated(meeting) == [("Aiko", False), ("Kenji", False), ("Tuan", False)]
    optimiser.late_cache_clear()


# ---- the request page ------------------------------------------------------------------------


def test_a_side_adds_a_colleague_on_the_request_page(team, client):
    request = accepted(team, team.linh, team.kenji)
    client.force_login(team.kenji.user)
    page = client.get(f"/meetings/requests/{request.pk}/")
    assert page.status_code == 200
    assert f'name="colleague" value="{team.aiko.pk}"' in page.content.decode()
    response = client.post(
        f"/meetings/requests/{request.pk}/colleagues/", {"colleague": [str(team.aiko.pk)]}
    )
    assert response.status_code == 302
    assert list(request.colleagues.all()) == [team.aiko]


def test_a_stranger_cannot_add_colleagues(team, client):
    request = accepted(team, team.linh, team.kenji)
    client.force_login(team.sofia.user)
    response = client.post(
        f"/meetings/requests/{request.pk}/colleagues/", {"colleague": [str(team.aiko.pk)]}
    )
    assert response.status_code == 404
    assert list(request.colleagues.all()) == []


def test_only_staff_of_either_company_are_offered(team, client):
    request = accepted(team, team.linh, team.kenji)
    client.force_login(team.kenji.user)
    client.post(f"/meetings/requests/{request.pk}/colleagues/", {"colleague": [str(team.sofia.pk)]})
    assert list(request.colleagues.all()) == []  # not offered, so ignored

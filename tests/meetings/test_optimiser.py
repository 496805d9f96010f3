"""The organiser-run optimiser through the database: the solver's input built from an edition,
provisional meetings written in bulk and re-checked by the independent checker, publishing,
re-runs limited to unpublished meetings, late placements, and the organiser pages per role."""

from __future__ import annotations

from datetime import time

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from reelmarket.market.enums import Role
from reelmarket.meetings import optimiser, services
from reelmarket.meetings.enums import MeetingStatus, Place, Priority, RequestState
from reelmarket.meetings.errors import MeetingError
from reelmarket.meetings.models import (
    Meeting,
    MeetingGrid,
    MeetingRequest,
    MeetingSeat,
    RequestEvent,
    ScheduleRun,
    TableSlot,
)
from reelmarket.meetings.slots import all_slots
from reelmarket.meetings.solver.check import check_schedule
from tests.factories import make_user_with_roles
from tests.meetings.factories import World, person, slot_start

S = RequestState
Run = ScheduleRun.Status


def accepted(market, requester, target, *, ask=Priority.MEET, answer=Priority.MEET):
    request = services.request_create(
        actor=requester.user, edition=market.edition, target_person=target, priority=ask
    )
    return services.request_accept(actor=target.user, request=request, priority=answer)


class Market(World):
    """One meeting day (16 slots, 10:00-18:00 Hong Kong), optimiser mode, and six requests:

    r1 Mei -> Kenji (must meet / meet)      free
    r2 Linh (online) -> Aiko (nice / must)  free, online only, Linh works slots 0-5
    r3 Sofia -> Kenji                       booked and published at slot 3, booth D12
    r4 Mei -> Aiko                          booked by hand, provisional, slot 5, shared area
    r5 Sofia -> Aiko                        accepted, then Aiko says "no thanks"
    r6 Linh -> Kenji                        Kenji is busy 0-5 except his booked slot 3
    plus Omar -> Kenji still unanswered (not in the problem).
    """

    def __init__(self) -> None:
        super().__init__()
        self.edition.is_current = True
        self.edition.save()
        MeetingGrid.objects.filter(pk=self.grid.pk).update(days=["2025-03-17"], mode="optimiser")
        self.grid.refresh_from_db()
        services.working_hours_set(
            actor=self.linh.user,
            participant=self.linh,
            edition=self.edition,
            time_zone="Asia/Ho_Chi_Minh",
            start=time(9, 0),
            end=time(12, 0),
        )
        mei, kenji, aiko, sofia, linh = self.mei_buyer, self.kenji, self.aiko, self.sofia, self.linh
        self.r1 = accepted(self, mei, kenji, ask=Priority.MUST_MEET)
        self.r2 = accepted(self, linh, aiko, ask=Priority.NICE_TO_MEET, answer=Priority.MUST_MEET)
        self.r3 = accepted(self, sofia, kenji)
        self.m3 = services.meeting_book(
            actor=self.organiser,
            request=self.r3,
            slot=slot_start(self.grid, 0, 3),
            place=Place.booth(self.booth.pk),
        )
        self.r4 = accepted(self, mei, aiko)
        self.m4 = services.meeting_book(
            actor=self.organiser,
            request=self.r4,
            slot=slot_start(self.grid, 0, 5),
            place=Place.shared(),
            provisional=True,
        )
        self.r5 = accepted(self, sofia, aiko)
        services.pair_block(actor=aiko.user, edition=self.edition, other=sofia)
        self.r6 = accepted(self, linh, kenji)
        services.availability_set_day(
            actor=kenji.user,
            participant=kenji,
            edition=self.edition,
            day=self.grid.spec.days[0],
            busy_mask=0b111111,
        )
        self.omar = person(self.edition, Role.BUYER, display_name="Omar")
        services.request_create(actor=self.omar.user, edition=self.edition, target_person=kenji)


@pytest.fixture
def market(db):
    return Market()


def p(participant) -> str:
    return f"p{participant.pk}"


def r(request) -> str:
    return f"r{request.pk}"


def schedule_from_db(market, run: ScheduleRun | None = None) -> dict:
    """The live meetings as a solver output document, for the independent checker."""
    slot_of = {s.start: t for t, s in enumerate(all_slots(market.grid.spec))}
    assignments = []
    for m in Meeting.objects.filter(edition=market.edition).exclude(status=MeetingStatus.CANCELLED):
        if m.location_kind == "booth":
            loc = f"booth-{m.booth_id}"
        elif m.location_kind == "shared":
            loc = "shared" if m.table_number <= market.grid.bookable_shared_tables else "reserve"
        else:
            loc = "online"
        assignments.append(
            {"request": f"r{m.request_id}", "slot": slot_of[m.starts_at], "location": loc}
        )
    left = [{"request": f"r{pk}"} for pk, _w, _why in (run.left_out if run else [])]
    return {"assignments": assignments, "left_out": left}


def where(meeting: Meeting) -> tuple:
    meeting.refresh_from_db()
    return (meeting.starts_at, meeting.location_kind, meeting.booth_id, meeting.table_number,
            meeting.status)  # fmt: skip


# ---- problem_build --------------------------------------------------------------------------


def test_problem_build_is_exact(market):
    doc = optimiser.problem_build(edition=market.edition)
    booth = f"booth-{market.booth.pk}"
    every = list(range(16))
    assert doc == {
        "format": "reelmarket-schedule-input",
        "version": 1,
        "edition": "filmart-2025",
        "grid": {"days": 1, "slots_per_day": 16},
        "people": [
            {"id": p(market.kenji), "available": [3, *range(6, 16)], "online": False,
             "time_zone": None},
            {"id": p(market.aiko), "available": every, "online": False, "time_zone": None},
            {"id": p(market.mei_buyer), "available": every, "online": False, "time_zone": None},
            {"id": p(market.sofia), "available": every, "online": False, "time_zone": None},
            {"id": p(market.linh), "available": [0, 1, 2, 3, 4, 5], "online": True,
             "time_zone": "Asia/Ho_Chi_Minh"},
        ],
        "locations": [
            {"id": booth, "kind": "booth", "tables": 2},
            {"id": "shared", "kind": "shared", "tables": 3, "reserve": 1},
            {"id": "online", "kind": "online"},
        ],
        "requests": [
            {"id": r(market.r1), "side_a": [p(market.mei_buyer)], "side_b": [p(market.kenji)],
             "priority_a": "must_meet", "priority_b": "meet", "locations": [booth, "shared"]},
            {"id": r(market.r2), "side_a": [p(market.linh)], "side_b": [p(market.aiko)],
             "priority_a": "nice_to_meet", "priority_b": "must_meet", "locations": ["online"]},
            {"id": r(market.r3), "side_a": [p(market.sofia)], "side_b": [p(market.kenji)],
             "priority_a": "meet", "priority_b": "meet", "locations": [booth, "shared"]},
            {"id": r(market.r4), "side_a": [p(market.mei_buyer)], "side_b": [p(market.aiko)],
             "priority_a": "meet", "priority_b": "meet", "locations": [booth, "shared"]},
            {"id": r(market.r5), "side_a": [p(market.sofia)], "side_b": [p(market.aiko)],
             "priority_a": "meet", "priority_b": "meet", "locations": [booth, "shared"]},
            {"id": r(market.r6), "side_a": [p(market.linh)], "side_b": [p(market.kenji)],
             "priority_a": "meet", "priority_b": "meet", "locations": ["online"]},
        ],
        "fixed": [{"request": r(market.r4), "slot": 5, "location": "shared"}],
        "published": [{"request": r(market.r3), "slot": 3, "location": booth}],
        "no_thanks": [[p(market.aiko), p(market.sofia)]],
    }  # fmt: skip


def test_problem_build_for_the_whole_grid_frees_published_meetings(market):
    doc = optimiser.problem_build(edition=market.edition, only_unpublished=False)
    assert doc["published"] == []
    assert doc["fixed"] == [{"request": r(market.r4), "slot": 5, "location": "shared"}]
    assert [q["id"] for q in doc["requests"]] == [
        r(x) for x in (market.r1, market.r2, market.r3, market.r4, market.r5, market.r6)
    ]
    kenji = next(x for x in doc["people"] if x["id"] == p(market.kenji))
    assert kenji["available"] == list(range(6, 16))  # his booked slot is no longer his


# ---- optimise -------------------------------------------------------------------------------


def test_optimise_writes_provisional_meetings_that_pass_the_checker(market):
    before = {m.pk: where(m) for m in (market.m3, market.m4)}
    problem = optimiser.problem_build(edition=market.edition)
    run = optimiser.schedule_optimise(actor=market.organiser, edition=market.edition, time_limit=5)
    assert (run.status, run.error) == (Run.DONE, "")
    assert (run.objective, run.upper_bound, run.gap, run.proven_optimal) == (19, 19, 0.0, True)
    assert sorted(run.left_out) == sorted(
        [[market.r5.pk, 4, "no_thanks"], [market.r6.pk, 4, "no_common_free_slot"]]
    )
    assert {k: run.counts[k] for k in ("requests", "pinned", "placed", "meetings_written")} == {
        "requests": 6, "pinned": 2, "placed": 2, "meetings_written": 2,
    }  # fmt: skip
    assert len(run.utilisation) == 16
    assert sum(u["meetings"] for u in run.utilisation) == 4
    assert check_schedule(problem, schedule_from_db(market, run)) == []
    drafts = Meeting.objects.filter(request__in=[market.r1, market.r2]).order_by("request_id")
    assert [(m.status, m.request.state) for m in drafts] == [
        (MeetingStatus.PROVISIONAL, S.ACCEPTED)
    ] * 2
    r2 = drafts[1]
    assert (r2.location_kind, r2.table_number, r2.starts_at < slot_start(market.grid, 0, 6)) == (
        "online", None, True,
    )  # fmt: skip
    assert MeetingSeat.objects.filter(meeting__in=drafts).count() == 4
    assert TableSlot.objects.filter(meeting=drafts[0]).count() == 1
    assert {m.pk: where(m) for m in (market.m3, market.m4)} == before
    assert run.empty_days == []  # everyone in the problem meets someone on the day


def test_a_rerun_replaces_the_drafts(market):
    first = optimiser.schedule_optimise(
        actor=market.organiser, edition=market.edition, time_limit=5
    )
    second = optimiser.schedule_optimise(
        actor=market.organiser, edition=market.edition, time_limit=5, seed=1
    )
    first.refresh_from_db()
    assert (first.status, second.status) == (Run.SUPERSEDED, Run.DONE)
    assert Meeting.objects.filter(edition=market.edition).count() == 4
    assert MeetingSeat.objects.filter(released=False).count() == 8
    problem = optimiser.problem_build(edition=market.edition)
    assert check_schedule(problem, schedule_from_db(market, second)) == []


def test_only_organisers_optimise_and_one_run_at_a_time(market):
    with pytest.raises(PermissionDenied):
        optimiser.schedule_optimise(actor=market.kenji.user, edition=market.edition)
    queued = optimiser.schedule_run_start(actor=market.organiser, edition=market.edition)
    with pytest.raises(MeetingError) as refused:
        optimiser.schedule_run_start(actor=market.organiser, edition=market.edition)
    assert refused.value.code == "run_active"
    done = optimiser.schedule_run_execute(run_id=queued.pk)
    assert done.status == Run.DONE
    again = optimiser.schedule_run_execute(run_id=queued.pk)  # idempotent
    assert (again.status, again.finished_at) == (Run.DONE, done.finished_at)


# ---- publish, re-run limited to unpublished, late placement ---------------------------------


def publish(market) -> int:
    optimiser.schedule_optimise(actor=market.organiser, edition=market.edition, time_limit=5)
    mail.outbox.clear()
    return optimiser.schedule_publish(actor=market.organiser, edition=market.edition)


def test_publish_schedules_the_drafts_and_tells_both_sides(
    market, django_capture_on_commit_callbacks
):
    with pytest.raises(PermissionDenied):
        optimiser.schedule_publish(actor=market.mei_buyer.user, edition=market.edition)
    with django_capture_on_commit_callbacks(execute=True):
        assert publish(market) == 3  # r1, r2 and the hand-booked provisional r4
    states = dict(MeetingRequest.objects.values_list("pk", "state"))
    assert [states[x.pk] for x in (market.r1, market.r2, market.r4, market.r5, market.r6)] == [
        S.SCHEDULED, S.SCHEDULED, S.SCHEDULED, S.ACCEPTED, S.ACCEPTED,
    ]  # fmt: skip
    assert (
        RequestEvent.objects.filter(
            request__in=[market.r1, market.r2], from_state=S.ACCEPTED, to_state=S.SCHEDULED
        ).count()
        == 2
    )
    assert not Meeting.objects.filter(status=MeetingStatus.PROVISIONAL).exists()
    assert ScheduleRun.objects.get().status == Run.PUBLISHED
    assert len(mail.outbox) == 6
    assert all("scheduled" in m.subject for m in mail.outbox)


def test_a_rerun_after_publishing_places_only_the_new_request(market):
    publish(market)
    live = {m.pk: where(m) for m in Meeting.objects.all()}
    late = accepted(market, market.mei_buyer, market.sofia)
    run = optimiser.schedule_optimise(actor=market.organiser, edition=market.edition, time_limit=5)
    assert (run.counts["pinned"], run.counts["placed"]) == (4, 1)
    assert {m.pk: where(m) for m in Meeting.objects.exclude(request=late)} == live
    assert Meeting.objects.get(request=late).status == MeetingStatus.PROVISIONAL
    problem = optimiser.problem_build(edition=market.edition)
    assert check_schedule(problem, schedule_from_db(market, run)) == []


def test_late_placement_moves_nothing(market, django_capture_on_commit_callbacks):
    publish(market)
    live = {m.pk: where(m) for m in Meeting.objects.all()}
    late = accepted(market, market.mei_buyer, market.sofia)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        meeting = optimiser.request_place_late(actor=market.sofia.user, request=late)
    late.refresh_from_db()
    assert (late.state, meeting.status, meeting.location_kind) == (
        S.SCHEDULED, MeetingStatus.PUBLISHED, "shared",
    )  # fmt: skip
    assert {m.pk: where(m) for m in Meeting.objects.exclude(pk=meeting.pk)} == live
    seats = MeetingSeat.objects.filter(meeting=meeting).values_list("participant", flat=True)
    assert sorted(seats) == sorted([market.mei_buyer.pk, market.sofia.pk])
    assert len(mail.outbox) == 2
    problem = optimiser.problem_build(edition=market.edition)
    doc = schedule_from_db(market)
    doc["left_out"] = [{"request": r(market.r5)}, {"request": r(market.r6)}]
    assert check_schedule(problem, doc) == []
    # a second late acceptance uses the cached grid and still sees the first one
    other = accepted(market, market.kenji, market.aiko)  # same company: the shared area
    second = optimiser.request_place_late(actor=market.organiser, request=other)
    assert second.starts_at != slot_start(market.grid, 0, 3)  # Kenji's published meeting
    assert check_schedule(optimiser.problem_build(edition=market.edition), {
        **schedule_from_db(market), "left_out": doc["left_out"]}) == []  # fmt: skip


def test_late_placement_refuses_what_does_not_fit_with_the_reason(market):
    publish(market)
    count = Meeting.objects.count()
    with pytest.raises(MeetingError) as no_slot:
        optimiser.request_place_late(actor=market.organiser, request=market.r6)
    with pytest.raises(MeetingError) as blocked:
        optimiser.request_place_late(actor=market.organiser, request=market.r5)
    assert (no_slot.value.code, blocked.value.code) == ("no_common_free_slot", "no_thanks")
    assert no_slot.value.message == "No common free slot"
    assert Meeting.objects.count() == count
    assert MeetingRequest.objects.get(pk=market.r6.pk).state == S.ACCEPTED
    with pytest.raises(MeetingError) as done:
        optimiser.request_place_late(actor=market.organiser, request=market.r1)
    assert done.value.code == "not_placeable"
    with pytest.raises(PermissionDenied):
        optimiser.request_place_late(actor=make_user_with_roles(Role.BUYER), request=market.r6)


# ---- organiser pages ------------------------------------------------------------------------

PAGE = "meetings_schedule:page"


def client_for(market, who: str) -> Client:
    client = Client()
    users = {
        "participant": market.mei_buyer.user,
        "exhibitor": market.kenji.user,
        "organiser": market.organiser,
    }
    if who != "anonymous":
        client.force_login(users[who])
    return client


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("participant", 403), ("exhibitor", 403), ("organiser", 200)],
)
def test_the_page_is_for_organisers(market, who, status):
    client = client_for(market, who)
    assert client.get(reverse(PAGE)).status_code == status
    posted = client.post(reverse("meetings_schedule:run"), {"time_limit": 5, "seed": 0})
    published = client.post(reverse("meetings_schedule:publish"))
    expected = 302 if who in ("anonymous", "organiser") else 403
    assert (posted.status_code, published.status_code) == (expected, expected)
    assert ScheduleRun.objects.exists() == (who == "organiser")


def test_run_review_and_publish_from_the_page(market, django_capture_on_commit_callbacks):
    client = client_for(market, "organiser")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("meetings_schedule:run"), {"time_limit": 5, "seed": 0})
    assert response.status_code == 302
    run = ScheduleRun.objects.get()
    assert run.status == Run.DONE  # the task ran at commit
    page = client.get(reverse(PAGE)).content.decode()
    assert 'data-figure="objective">19<' in page
    assert 'data-figure="gap">0.00 %<' in page
    assert page.count("<g data-slot=") == 16
    assert 'data-reason="no_thanks"' in page and 'data-reason="no_common_free_slot"' in page
    assert "Sofia · Aiko" in page and "Linh · Kenji" in page
    assert "Publish 2 meetings" in page
    assert client.post(reverse("meetings_schedule:publish")).status_code == 302
    run.refresh_from_db()
    assert run.status == Run.PUBLISHED
    assert Meeting.objects.filter(status=MeetingStatus.PUBLISHED).count() == 4


def test_a_queued_run_shows_its_status(market):
    optimiser.schedule_run_start(actor=market.organiser, edition=market.edition)
    page = client_for(market, "organiser").get(reverse(PAGE)).content.decode()
    assert 'http-equiv="refresh"' in page
    assert 'data-run-status="queued"' in page
    assert "Run the optimiser</button>" not in page


def test_posts_need_the_csrf_token(market):
    client = Client(enforce_csrf_checks=True)
    client.force_login(market.organiser)
    assert client.post(reverse("meetings_schedule:run"), {"time_limit": 5}).status_code == 403
    assert not ScheduleRun.objects.exists()


def test_booking_a_request_the_draft_grid_already_places_is_refused_cleanly(market):
    """An organiser booking by hand a request the optimiser's draft already holds gets a
    clear MeetingError, not an integrity error, and nothing changes."""
    from reelmarket.meetings.enums import Place
    from reelmarket.meetings.errors import MeetingError
    from reelmarket.meetings.services import meeting_book

    optimiser.schedule_optimise(actor=market.organiser, edition=market.edition, time_limit=5)
    draft = Meeting.objects.get(request=market.r1)
    before = where(draft)
    with pytest.raises(MeetingError) as error:
        meeting_book(
            actor=market.organiser,
            request=market.r1,
            slot=draft.starts_at,
            place=Place.shared(),
            provisional=True,
        )
    assert error.value.code == "already_placed"
    assert where(draft) == before
    assert Meeting.objects.filter(request=market.r1).count() == 1


def test_accepting_after_the_grid_is_published_places_the_meeting_at_once(market):
    from reelmarket.meetings import services_web

    request = services.request_create(
        actor=market.mei_buyer.user, edition=market.edition, target_person=market.sofia
    )
    before_publish = services_web.request_accept(actor=market.sofia.user, request=request)
    assert before_publish.state == S.ACCEPTED  # no published grid yet: waits for the run
    request2 = services.request_create(
        actor=market.kenji.user, edition=market.edition, target_person=market.aiko
    )
    publish(market)
    live = {m.pk: where(m) for m in Meeting.objects.all()}
    placed = services_web.request_accept(actor=market.aiko.user, request=request2)
    assert placed.state == S.SCHEDULED
    assert placed.meeting.status == MeetingStatus.PUBLISHED
    assert {m.pk: where(m) for m in Meeting.objects.exclude(pk=placed.meeting.pk)} == live

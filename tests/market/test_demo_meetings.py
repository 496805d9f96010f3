"""The meetings part of the demo, built at a small scale: grid, requests, pre-booked
meetings and the invariants the meeting services keep."""

from __future__ import annotations

from collections import Counter
from datetime import date, time
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Count

from reelmarket.catalogue.models import Title
from reelmarket.market.demo.build import demo_build
from reelmarket.market.demo.meetings import plan_meetings
from reelmarket.market.demo.plan import DemoScale, plan_market
from reelmarket.market.models import Participant, Registration
from reelmarket.meetings import selectors, services
from reelmarket.meetings.enums import OPEN_STATES, RequestState, may_transition
from reelmarket.meetings.models import (
    Meeting,
    MeetingGrid,
    MeetingRequest,
    MeetingSeat,
    PairBlock,
    QuotaUsage,
    RequestEvent,
    TableSlot,
    WorkingHours,
)
from reelmarket.meetings.slots import working_hours_mask

SMALL = DemoScale(exhibitors=40, participants=200, titles=120)
STATES = {"accepted": 87, "requested": 27, "declined": 16, "expired": 9, "cancelled": 6}


@pytest.fixture
def demo(db):
    demo_build(seed=2025, scale=SMALL, password="demo-pass-2025")
    return MeetingGrid.objects.select_related("edition").get(edition__slug="filmart-2025")


def _person(email: str) -> Participant:
    return Participant.objects.get(user__username=email)


def _summary() -> tuple:
    states = Counter(MeetingRequest.objects.values_list("state", flat=True))
    meetings = sorted(
        Meeting.objects.values_list(
            "request__requester__user__username",
            "request__counterpart__user__username",
            "starts_at",
            "location_kind",
            "booth__number",
            "table_number",
        )
    )
    return sorted(states.items()), meetings, PairBlock.objects.count()


def test_grid_is_filmart_with_an_optimiser_and_quotas(demo):
    grid = demo
    assert (grid.slot_minutes, grid.day_start, grid.day_end) == (30, time(10), time(18))
    assert grid.days == ["2025-03-17", "2025-03-18", "2025-03-19", "2025-03-20"]
    assert grid.meeting_days == tuple(date(2025, 3, d) for d in (17, 18, 19, 20))
    assert (grid.mode, grid.shared_tables, grid.shared_reserve) == ("optimiser", 60, 6)
    assert grid.request_expiry_hours == 168
    assert dict(grid.quotas.values_list("role", "limit")) == {
        "buyer": 40,
        "seller": 60,
        "producer": 30,
        "investor": 30,
        "press": 10,
    }
    assert grid.spec.slots_per_day == 16


def test_counts_by_state_are_the_plans(demo):
    plan = plan_market(seed=2025, scale=SMALL)
    rows = Title.objects.values_list("reference", "kind", "original_title", "owner__slug")
    counts = plan_meetings(plan, titles=list(rows)).counts()
    states = Counter(MeetingRequest.objects.values_list("state", flat=True))
    scheduled = states.pop("scheduled")
    assert dict(states) == STATES
    assert MeetingRequest.objects.count() == counts["requests"] == 160
    assert scheduled == counts["requests_scheduled"] == Meeting.objects.count()
    assert Meeting.objects.filter(status="published", published_at__isnull=False).count() == (
        scheduled
    )
    assert (
        MeetingRequest.objects.filter(target_organisation__isnull=False).count()
        == (counts["company_requests"])
    )
    assert PairBlock.objects.count() == counts["no_thanks"]
    assert WorkingHours.objects.count() == counts["working_hours"]
    assert (
        Registration.objects.filter(attendance="online", vetting="approved")
        .exclude(participant__roles__role__in=["organiser", "press"])
        .distinct()
        .count()
        == counts["working_hours"]
    )


def test_every_meeting_has_unique_seats_free_slots_and_a_place(demo):
    grid = demo
    meetings = list(Meeting.objects.select_related("request", "booth"))
    seats = list(MeetingSeat.objects.filter(released=False).values_list("participant", "starts_at"))
    assert len(seats) == 2 * len(meetings) == len(set(seats))
    people = {p for p, _ in seats}
    offered = selectors.availability_masks(grid=grid, participant_ids=people)
    attendance = selectors.attendance_of(edition=grid.edition, participant_ids=people)
    venue = ZoneInfo("Asia/Hong_Kong")
    for meeting in meetings:
        request = meeting.request
        assert request.state == RequestState.SCHEDULED
        two = {request.requester_id, request.counterpart_id}
        assert set(meeting.seats.values_list("participant", flat=True)) == two
        assert set(meeting.seats.values_list("starts_at", flat=True)) == {meeting.starts_at}
        local = meeting.starts_at.astimezone(venue)
        slot = (local.hour * 60 + local.minute - 600) // 30
        assert 0 <= slot < 16 and (meeting.ends_at - meeting.starts_at).seconds == 1800
        for pid in two:
            assert offered[pid][local.date()] >> slot & 1, (meeting.pk, pid)
        online = any(attendance[pid] == "online" for pid in two)
        assert (meeting.location_kind == "online") == online
        assert bool(meeting.online_link) == online
        if meeting.location_kind == "booth":
            orgs = {request.requester.organisation_id, request.counterpart.organisation_id}
            assert meeting.booth.exhibitor_set.get().organisation_id in orgs
    assert Counter(m.location_kind for m in meetings)["online"] > 0


def test_tables_stay_within_capacity(demo):
    grid = demo
    rows = TableSlot.objects.values("booth", "booth__tables", "starts_at").annotate(n=Count("id"))
    for row in rows:
        capacity = row["booth__tables"] or grid.bookable_shared_tables
        assert row["n"] <= capacity
    for slot in TableSlot.objects.select_related("meeting", "booth"):
        assert slot.meeting.table_number == slot.table and slot.starts_at == slot.meeting.starts_at
        assert 1 <= slot.table <= (slot.booth.tables if slot.booth else grid.shared_tables)
        assert slot.booth_id == slot.meeting.booth_id
    located = Meeting.objects.exclude(location_kind="online").count()
    assert TableSlot.objects.count() == located


def test_linh_asks_three_sellers_and_meets_one_online_in_her_working_hours(demo):
    grid = demo
    linh = _person("linh@demo.example")
    outgoing = list(selectors.requests_outgoing(participant=linh, edition=grid.edition))
    assert sorted(r.state for r in outgoing) == ["accepted", "requested", "scheduled"]
    assert all("seller" in r.target_person.roles.values_list("role", flat=True) for r in outgoing)
    assert len({r.target_person.organisation_id for r in outgoing}) == 3
    hours = WorkingHours.objects.get(participant=linh)
    assert (hours.time_zone, hours.start, hours.end) == ("Asia/Ho_Chi_Minh", time(8), time(16))
    meeting = selectors.agenda_for(participant=linh, edition=grid.edition).get()
    assert meeting.location_kind == "online"
    assert meeting.online_link.startswith("https://video.example.com/filmart-2025/")
    local = meeting.starts_at.astimezone(ZoneInfo("Asia/Ho_Chi_Minh"))
    assert time(8) <= local.time() and meeting.ends_at.astimezone(local.tzinfo).time() <= time(16)
    mask = working_hours_mask(
        grid.spec, local.date(), zone="Asia/Ho_Chi_Minh", start=time(8), end=time(16)
    )
    assert mask == 0b0011111111111111  # 09:00-17:00 at the venue: not the last two slots


def test_kenji_has_requests_to_answer_and_booth_meetings_with_his_colleagues(demo):
    grid = demo
    kenji, linh = _person("kenji@demo.example"), _person("linh@demo.example")
    incoming = selectors.requests_incoming(participant=kenji, edition=grid.edition)
    waiting = incoming.filter(state="requested")
    assert waiting.count() == 5 and waiting.filter(target_organisation__isnull=False).count() == 1
    from_linh = waiting.get(requester=linh)
    assert [t.owner_id for t in from_linh.titles.all()] == [kenji.organisation_id]
    booth = Meeting.objects.filter(booth__number="1C-D12")
    hosts = Counter(
        MeetingSeat.objects.filter(
            meeting__in=booth, participant__organisation=kenji.organisation
        ).values_list("participant__user__username", flat=True)
    )
    assert hosts["kenji@demo.example"] == 4 and len(hosts) >= 2
    per_slot = Counter(booth.values_list("starts_at", flat=True))
    assert max(per_slot.values()) == 2  # the two tables are shared
    # Kenji accepts Linh's request through the service: the data is usable as built.
    services.request_accept(actor=kenji.user, request=from_linh, priority="must_meet")
    assert MeetingRequest.objects.get(pk=from_linh.pk).state == "accepted"


def test_mei_sees_accepted_requests_waiting_for_the_optimiser(demo):
    waiting = MeetingRequest.objects.filter(state="accepted", meeting__isnull=True)
    assert waiting.count() == STATES["accepted"]
    assert not waiting.filter(counterpart__isnull=True).exists()
    assert not waiting.filter(counterpart_priority="").exists()


def test_quotas_audit_and_pair_rules_hold(demo):
    grid = demo
    usage = dict(QuotaUsage.objects.values_list("participant", "used"))
    requesters = set(MeetingRequest.objects.values_list("requester", flat=True))
    assert set(usage) == requesters
    for person in Participant.objects.filter(pk__in=requesters):
        used = selectors.quota_used_by_states(edition=grid.edition, participant=person)
        assert usage[person.pk] == used <= selectors.quota_limit(grid=grid, participant=person)
    approved = set(
        Registration.objects.filter(vetting="approved").values_list("participant", flat=True)
    )
    events: dict[int, list[tuple[str, str]]] = {}
    for request_id, before, after in RequestEvent.objects.order_by("created_at", "id").values_list(
        "request", "from_state", "to_state"
    ):
        events.setdefault(request_id, []).append((before, after))
    blocked = set(PairBlock.objects.values_list("low", "high"))
    for request in MeetingRequest.objects.all():
        chain = events[request.pk]
        assert chain[0] == ("", "requested") and chain[-1][1] == request.state
        assert all(may_transition(a, b) for a, b in chain[1:])
        assert all(chain[k][1] == chain[k + 1][0] for k in range(len(chain) - 1))
        assert request.requester_id in approved
        assert request.target_person_id in approved | {None}
        if request.state in OPEN_STATES:
            pair = tuple(sorted((request.requester_id, request.counterpart_id or 0)))
            assert pair not in blocked
        if request.state == "requested":
            assert request.expires_at > request.created_at
        if request.state in ("accepted", "scheduled"):
            assert request.counterpart.organisation_confirmed
            assert request.counterpart_priority
            if request.target_organisation_id:
                assert request.counterpart.organisation_id == request.target_organisation_id
    assert PairBlock.objects.count() >= 1


def test_same_seed_gives_the_same_meetings_after_a_reset(demo):
    first = _summary()
    demo_build(seed=2025, scale=SMALL, password="demo-pass-2025", reset=True)
    assert _summary() == first
    assert MeetingGrid.objects.count() == 1

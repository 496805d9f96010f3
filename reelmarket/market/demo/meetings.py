"""The meetings part of the demo: FILMART's meeting grid, availability, requests and a few
pre-booked meetings, planned from the seed and written in bulk.

:func:`plan_meetings` is plain Python over the market plan and the catalogue's
(reference, kind, name, owner) rows; the same seed always gives the same plan.
:func:`write_meetings` writes it without calling the per-request services, but every row
keeps what those services keep: approved people only, one open request per pair, no
request across a "no thanks", quota counters equal to the requests counted from their
states, an audit row per state change, one live seat per person and slot, tables within
capacity, online meetings whenever one side is online and only inside everyone's
offered slots (working hours mapped onto the venue grid, minus busy marks).
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import accumulate
from typing import TypeVar
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from reelmarket.catalogue.models import Title
from reelmarket.market.demo.markers import Progress, Silent, demo_users_q
from reelmarket.market.demo.specs import MarketPlan, PersonSpec
from reelmarket.market.demo.writer import _Rows
from reelmarket.market.models import Booth, Edition, Organisation, Participant
from reelmarket.meetings.models import (
    AvailabilityDay,
    Meeting,
    MeetingGrid,
    MeetingRequest,
    MeetingSeat,
    PairBlock,
    QuotaUsage,
    RequestEvent,
    RequestQuota,
    TableSlot,
    WorkingHours,
)
from reelmarket.meetings.slots import GridSpec, day_slots, working_hours_mask

SLOT_MINUTES = 30
DAY_START, DAY_END = time(10, 0), time(18, 0)
SHARED_TABLES, SHARED_RESERVE = 60, 6
EXPIRY_HOURS = 168
QUOTAS = {"buyer": 40, "seller": 60, "producer": 30, "investor": 30, "press": 10}
REQUESTS_PER_PERSON = 0.8  # 6,080 requests for 7,600 people
LINH_HOURS = (time(8, 0), time(16, 0))  # Ho Chi Minh City; 09:00-17:00 at the venue
EXPIRED = "No answer in time."
VIDEO = "https://video.example.com/filmart-2025/"
KINDS = (  # (requester role, target): weight
    (("buyer", "seller"), 30),
    (("buyer", "company"), 15),
    (("seller", "buyer"), 27),
    (("producer", "investor"), 12),
    (("investor", "producer"), 8),
    (("producer", "company"), 4),
    (("producer", "buyer"), 4),
)
STATES = (
    ("accepted", 61),
    ("requested", 14),
    ("declined", 10),
    ("expired", 7),
    ("cancelled", 4),
    ("scheduled", 4),
)
PRIORITY = (("must_meet", 20), ("meet", 55), ("nice_to_meet", 25))
ANSWER_PRIORITY = (("must_meet", 15), ("meet", 55), ("nice_to_meet", 30))
ROLE_ORDER = ("seller", "buyer", "investor", "producer")

TitleInfo = tuple[str, str, str, str]  # reference, kind, original title, owner slug
T = TypeVar("T")


@dataclass(frozen=True)
class RequestPlan:
    requester: int  # index into plan.people
    target_person: int | None
    target_org: str | None  # organisation slug (a request to the company's team)
    counterpart: int | None
    state: str
    requester_priority: str
    counterpart_priority: str
    titles: tuple[str, ...]  # references
    message: str
    age_hours: int  # how long ago it was sent
    answerer: int | None = None  # who accepted or declined
    via_accepted: bool = False  # cancelled after being accepted
    no_thanks: bool = False  # declined with "no thanks"


@dataclass(frozen=True)
class MeetingPlan:
    request: int  # index into requests
    day: int
    slot: int
    kind: str  # booth / shared / online
    booth: str | None  # booth number
    table: int | None
    link: str


@dataclass(frozen=True)
class MeetingsPlan:
    grid: GridSpec
    busy: tuple[tuple[int, int, int], ...]  # (person, day index, busy mask)
    hours: tuple[tuple[int, str, time, time], ...]  # online people's working hours
    requests: tuple[RequestPlan, ...]
    meetings: tuple[MeetingPlan, ...]

    def counts(self) -> dict[str, int]:
        states = Counter(r.state for r in self.requests)
        return {
            "requests": len(self.requests),
            **{f"requests_{s}": states[s] for s, _ in STATES},
            "company_requests": sum(r.target_org is not None for r in self.requests),
            "no_thanks": sum(r.no_thanks for r in self.requests),
            "meetings": len(self.meetings),
            "online_meetings": sum(m.kind == "online" for m in self.meetings),
            "busy_days": len(self.busy),
            "working_hours": len(self.hours),
        }


def grid_spec(plan: MarketPlan) -> GridSpec:
    first = date(*plan.edition["starts_on"])
    last = date(*plan.edition["ends_on"])
    days = tuple(first + timedelta(days=i) for i in range((last - first).days + 1))
    return GridSpec(plan.edition["time_zone"], days, DAY_START, DAY_END, SLOT_MINUTES)


def _pick(rng: random.Random, pairs: Sequence[tuple[T, float]]) -> T:
    return rng.choices([v for v, _ in pairs], weights=[w for _, w in pairs])[0]


class _Planner:
    def __init__(self, plan: MarketPlan, titles: Sequence[TitleInfo]) -> None:
        self.plan = plan
        self.rng = random.Random(f"reelmarket-demo:{plan.seed}:meetings")
        self.spec = grid_spec(plan)
        people = plan.people
        self.people = people
        self.index = {p.email: i for i, p in enumerate(people)}
        booths = {b.number: b.tables for b in plan.booths}
        self.booth_of = {e.organisation: e.booth for e in plan.exhibitors}
        self.tables = {e.booth: booths[e.booth] for e in plan.exhibitors}
        self.titles: dict[str, list[TitleInfo]] = defaultdict(list)
        for title in titles:
            self.titles[title[3]].append(title)
        live = [
            i
            for i, p in enumerate(people)
            if p.vetting == "approved" and p.login != "organiser" and self.role(p)
        ]
        self.pool: dict[str, list[int]] = {role: [] for role in ROLE_ORDER}
        for i in live:
            self.pool[self.role(people[i])].append(i)
        self.staff: dict[str, list[int]] = defaultdict(list)
        for i in self.pool["seller"]:
            self.staff[people[i].organisation].append(i)
        self.companies = sorted(o for o in self.staff if o in self.booth_of)
        self.company_weights = list(accumulate(1 + len(self.titles[o]) for o in self.companies))
        # Busier people ask more: a heavy-tailed activity per person, fixed by the seed.
        self.activity = {
            role: list(accumulate(min(self.rng.paretovariate(1.5), 8.0) for _ in pool))
            for role, pool in self.pool.items()
        }
        self.kenji = next(i for i, p in enumerate(people) if p.login == "exhibitor")
        self.linh = next(i for i, p in enumerate(people) if p.login == "buyer")
        self.requests: list[RequestPlan] = []
        self.pairs: set[tuple[int, int]] = set()
        self.org_keys: set[tuple[int, str | None]] = set()
        self.spent: Counter[int] = Counter()
        self.seats: set[tuple[int, int, int]] = set()  # person, day, slot
        self.taken: Counter[tuple[str, int, int]] = Counter()  # place, day, slot
        self.clocks: dict[str, tuple] = {}

    @staticmethod
    def role(person: PersonSpec) -> str:
        return next((r for r in ROLE_ORDER if r in person.roles), "")

    def online(self, i: int) -> bool:
        return self.people[i].attendance == "online"

    # ---- availability -----------------------------------------------------------------

    def availability(self) -> None:
        rng, spec = self.rng, self.spec
        self.hours: list[tuple[int, str, time, time]] = []
        self.busy: dict[tuple[int, int], int] = {}
        for i in sorted(i for pool in self.pool.values() for i in pool):
            person = self.people[i]
            if i == self.linh:
                self.hours.append((i, person.time_zone, *LINH_HOURS))
            elif self.online(i):
                start = rng.choice((8, 9, 9, 10))
                self.hours.append((i, person.time_zone, time(start), time(start + 9)))
            elif i != self.kenji and rng.random() < 0.3:
                for day in rng.sample(range(len(spec.days)), rng.randint(1, 2)):
                    length = rng.randint(2, 4)
                    first = rng.randrange(spec.slots_per_day - length + 1)
                    self.busy[i, day] = ((1 << length) - 1) << first
        self.busy[self.kenji, 1] = 0b11 << 5  # a screening over lunch, 12:30-13:30
        zones: dict[tuple[tuple, time, time, int], int] = {}
        self.offered: dict[int, list[int]] = {}
        hours = {h[0]: h[1:] for h in self.hours}
        for i in sorted(i for pool in self.pool.values() for i in pool):
            masks = []
            for d, day in enumerate(spec.days):
                base = spec.full_mask
                if i in hours:
                    zone, start, end = hours[i]
                    key = (self.clock(zone), start, end, d)
                    if key not in zones:
                        zones[key] = working_hours_mask(spec, day, zone=zone, start=start, end=end)
                    base = zones[key]
                masks.append(base & ~self.busy.get((i, d), 0))
            self.offered[i] = masks

    def clock(self, zone: str) -> tuple:
        """The zone's UTC offsets every 15 minutes around the fair: zones that agree on all
        of them map working hours onto the grid alike (saves most of the mapping work)."""
        if zone not in self.clocks:
            first = datetime.combine(self.spec.days[0], time(0), tzinfo=UTC) - timedelta(days=2)
            probes = (len(self.spec.days) + 5) * 96
            info = ZoneInfo(zone)
            self.clocks[zone] = tuple(
                info.utcoffset(first + timedelta(minutes=15 * k)) for k in range(probes)
            )
        return self.clocks[zone]

    # ---- requests ---------------------------------------------------------------------

    def limit(self, i: int) -> int:
        return max(QUOTAS.get(r, 0) for r in self.people[i].roles)

    def free_pair(self, a: int, b: int | None, org: str | None) -> bool:
        if b is not None and (a == b or (min(a, b), max(a, b)) in self.pairs):
            return False
        keys = self._keys(a, b, org)
        return not keys & self.org_keys and self.spent[a] < self.limit(a)

    def _keys(self, a: int, b: int | None, org: str | None) -> set[tuple[int, str | None]]:
        keys = {(a, org)} if org else set()
        if b is not None:
            keys |= {(a, self.people[b].organisation), (b, self.people[a].organisation)}
        return keys

    def add(
        self,
        a: int,
        *,
        person: int | None = None,
        org: str | None = None,
        counterpart: int | None = None,
        state: str,
        titles: tuple[TitleInfo, ...] = (),
        via_accepted: bool = False,
        no_thanks: bool = False,
    ) -> int:
        rng = self.rng
        counterpart = person if person is not None else counterpart
        answered = state in ("accepted", "scheduled") or via_accepted
        if state == "requested":
            age = rng.randint(1, 40)
        elif state == "expired":
            age = rng.randint(EXPIRY_HOURS + 1, EXPIRY_HOURS + 200)
        else:
            age = rng.randint(41, EXPIRY_HOURS)
        names = ", ".join(f"“{t[2]}”" for t in titles)
        message = (
            f"I would like to talk about {names} for {self.people[a].country}."
            if titles
            else rng.choice(
                (
                    "Could we meet at FILMART?",
                    "I would like to introduce our line-up and hear what you are looking for.",
                    "We are looking for partners in your territory; do you have half an hour?",
                )
            )
        )
        self.requests.append(
            RequestPlan(
                requester=a,
                target_person=person,
                target_org=org,
                counterpart=counterpart if (person is not None or answered) else None,
                state=state,
                requester_priority=_pick(rng, PRIORITY),
                counterpart_priority=_pick(rng, ANSWER_PRIORITY) if answered else "",
                titles=tuple(t[0] for t in titles),
                message=message,
                age_hours=age,
                answerer=counterpart,
                via_accepted=via_accepted,
                no_thanks=no_thanks,
            )
        )
        if counterpart is not None:
            self.pairs.add((min(a, counterpart), max(a, counterpart)))
        self.org_keys |= self._keys(a, counterpart, org)
        if state not in ("declined", "expired", "cancelled"):
            self.spent[a] += 1
        return len(self.requests) - 1

    def titles_of(self, org: str, person: int, k: int) -> tuple[TitleInfo, ...]:
        own = self.titles.get(org, [])
        liked = [t for t in own if t[1] in self.people[person].content_kinds] or own
        return tuple(self.rng.sample(liked, min(len(liked), k)))

    def choose(self, role: str) -> int:
        return self.rng.choices(self.pool[role], cum_weights=self.activity[role])[0]

    def company(self) -> str:
        return self.rng.choices(self.companies, cum_weights=self.company_weights)[0]

    def random_request(self, state: str) -> bool:
        rng = self.rng
        who, what = _pick(rng, KINDS)
        if not self.pool[who] or (what not in ("company",) and not self.pool.get(what)):
            return False
        a = self.choose(who)
        titles: tuple[TitleInfo, ...] = ()
        person = org = counterpart = None
        if what == "company":
            org = self.company()
            if org == self.people[a].organisation:
                return False
            staff = [s for s in self.staff[org] if (min(a, s), max(a, s)) not in self.pairs]
            if not staff:
                return False
            counterpart = rng.choice(staff)
            if who == "buyer":
                titles = self.titles_of(org, a, rng.randint(1, 2))
        elif what == "seller":
            org = self.company()
            person = rng.choice(self.staff[org])
            titles = self.titles_of(org, a, rng.randint(1, 3))
            org = None
        else:
            person = self.choose(what)
            if who == "seller":
                titles = self.titles_of(self.people[a].organisation or "", person, 1)
        if not self.free_pair(a, person, org):
            return False
        if org and not self.free_pair(a, counterpart, None):
            return False
        via = state == "cancelled" and rng.random() < 0.5
        no_thanks = (
            state == "declined"
            and person is not None
            and (rng.random() < 0.02 or not self.nt)
            and self.nt < 12
        )
        self.nt += no_thanks
        index = self.add(
            a,
            person=person,
            org=org,
            counterpart=counterpart,
            state=state,
            titles=titles,
            via_accepted=via,
            no_thanks=no_thanks,
        )
        if state == "scheduled" and not self.place(index, self.shuffled_slots()):
            self.requests[index] = _with_state(self.requests[index], "accepted")
        return True

    # ---- placing pre-booked meetings ----------------------------------------------------

    def shuffled_slots(self) -> list[tuple[int, int]]:
        slots = [(d, s) for d in range(len(self.spec.days)) for s in range(self.spec.slots_per_day)]
        self.rng.shuffle(slots)
        return slots

    def place(self, index: int, slots: Sequence[tuple[int, int]]) -> bool:
        request = self.requests[index]
        people = (request.requester, request.counterpart)
        assert people[1] is not None
        places: list[tuple[str, str | None]]
        if any(self.online(p) for p in people):
            places = [("online", None)]
        else:
            orgs = [self.people[p].organisation for p in (people[1], people[0])]
            places = [("booth", self.booth_of[o]) for o in orgs if o in self.booth_of]
            places.append(("shared", None))
        for d, s in slots:
            if any((p, d, s) in self.seats or not self.offered[p][d] >> s & 1 for p in people):
                continue
            for kind, booth in places:
                capacity = {"online": 1 << 30, "shared": SHARED_TABLES - SHARED_RESERVE}.get(
                    kind, self.tables.get(booth or "", 0)
                )
                key = (booth or kind, d, s)
                if self.taken[key] >= capacity:
                    continue
                self.taken[key] += 1
                self.seats |= {(p, d, s) for p in people}
                table = None if kind == "online" else self.taken[key]
                link = f"{VIDEO}{index + 1:05d}" if kind == "online" else ""
                self.meetings.append(MeetingPlan(index, d, s, kind, booth, table, link))
                return True
        return False

    # ---- the printed logins -----------------------------------------------------------

    def logins(self) -> None:
        rng, kenji, linh = self.rng, self.kenji, self.linh
        seller_org = self.people[kenji].organisation or ""
        colleagues = [i for i in self.staff[seller_org] if i != kenji]
        sellers = [
            c
            for c in self.companies
            if c != seller_org
            and self.titles.get(c)
            and any(not self.online(s) for s in self.staff[c])
        ]
        in_person = [b for b in self.pool["buyer"] if not self.online(b) and b != linh]
        rng.shuffle(in_person)
        # Linh asks Kenji about one of his titles; two other sellers: one published online
        # meeting inside her working hours, one accepted and waiting for the optimiser.
        self.add(linh, person=kenji, state="requested", titles=self.titles_of(seller_org, linh, 1))
        for n, org in enumerate(rng.sample(sellers, 2)):
            seller = next(s for s in self.staff[org] if not self.online(s))
            titles = self.titles_of(org, linh, 1)
            state = "scheduled" if n == 0 else "accepted"
            index = self.add(linh, person=seller, state=state, titles=titles)
            if n == 0:
                slots = [(d, s) for d in (0, 1) for s in (2, 4, 6, 8, 3, 5, 7)]
                assert self.place(index, slots)
        # Kenji: four buyers waiting for his answer (one asks the whole team); he and his
        # colleagues already have meetings at the booth's two tables.
        for buyer in in_person[:3]:
            self.add(buyer, person=kenji, state="requested")
        self.add(
            in_person[3],
            org=seller_org,
            state="requested",
            titles=self.titles_of(seller_org, in_person[3], 2),
        )
        booth_slots = [(d, s) for d in (0, 1) for s in range(self.spec.slots_per_day)]
        guests = iter(in_person[4:])
        for host, count in ((kenji, 4), *((c, 3) for c in colleagues)):
            for _ in range(count):
                buyer = next(guests)
                titles = self.titles_of(seller_org, buyer, 1)
                if host == kenji:
                    index = self.add(buyer, person=kenji, state="scheduled", titles=titles)
                else:
                    index = self.add(
                        buyer, org=seller_org, counterpart=host, state="scheduled", titles=titles
                    )
                assert self.place(index, booth_slots)
        for _ in range(3):  # accepted, for the optimiser
            self.add(next(guests), person=kenji, state="accepted")

    def build(self) -> MeetingsPlan:
        self.meetings: list[MeetingPlan] = []
        self.nt = 0
        self.availability()
        self.logins()
        total = round(len(self.people) * REQUESTS_PER_PERSON)
        attempts = 0
        while len(self.requests) < total and attempts < total * 20:
            attempts += 1
            self.random_request(_pick(self.rng, STATES))
        return MeetingsPlan(
            grid=self.spec,
            busy=tuple((i, d, m) for (i, d), m in sorted(self.busy.items())),
            hours=tuple(self.hours),
            requests=tuple(self.requests),
            meetings=tuple(self.meetings),
        )


def _with_state(request: RequestPlan, state: str) -> RequestPlan:
    values = dict(request.__dict__)
    values["state"] = state
    return RequestPlan(**values)


def plan_meetings(plan: MarketPlan, *, titles: Sequence[TitleInfo]) -> MeetingsPlan:
    """The meetings of the demo from the market plan and its catalogue rows (sorted)."""
    return _Planner(plan, sorted(titles)).build()


# --------------------------------------------------------------------------------------
# Writing


REQUEST_FIELDS = (
    "edition",
    "requester",
    "target_person",
    "target_organisation",
    "counterpart",
    "message",
    "requester_priority",
    "counterpart_priority",
    "state",
    "expires_at",
    "created_at",
    "updated_at",
)


def _events(request: RequestPlan) -> list[tuple[str, str, int | None, int]]:
    """(from, to, actor person or None, minutes after sending) for each state change."""
    steps = [("", "requested", request.requester, 0)]
    if request.state in ("accepted", "scheduled") or request.via_accepted:
        steps.append(("requested", "accepted", request.answerer, 60))
    if request.state == "scheduled":
        steps.append(("accepted", "scheduled", -1, 120))  # by the organisers
    elif request.state == "declined":
        steps.append(("requested", "declined", request.answerer, 60))
    elif request.state == "expired":
        steps.append(("requested", "expired", None, EXPIRY_HOURS * 60))
    elif request.state == "cancelled":
        steps.append((steps[-1][1], "cancelled", request.requester, 90))
    return steps


def write_meetings(
    plan: MarketPlan, *, progress: Progress | None = None, now: datetime | None = None
) -> MeetingsPlan:
    """Write the demo's meeting grid, availability, requests and pre-booked meetings."""
    progress = progress or Silent()
    now = now or timezone.now()
    edition = Edition.objects.get(slug=plan.edition["slug"])
    title_rows = Title.objects.filter(owner__slug__in=[o.slug for o in plan.organisations])
    rows = list(title_rows.values_list("pk", "reference", "kind", "original_title", "owner__slug"))
    title_ids = {r[1]: r[0] for r in rows}
    demo = plan_meetings(plan, titles=[r[1:] for r in rows])
    users = get_user_model().objects.filter(demo_users_q())
    ids = dict(users.values_list("username", "pk"))
    pids = dict(Participant.objects.filter(user__in=users).values_list("user__username", "pk"))
    person = [pids[p.email] for p in plan.people]
    user = [ids[p.email] for p in plan.people]
    organiser_user = next(ids[p.email] for p in plan.people if p.login == "organiser")
    org_ids = dict(Organisation.objects.filter(slug__startswith="demo-").values_list("slug", "pk"))
    booth_ids = dict(Booth.objects.filter(hall__edition=edition).values_list("number", "pk"))
    ops = connection.ops
    progress.begin("Meetings", len(demo.requests))
    with transaction.atomic():
        grid = MeetingGrid(
            edition=edition,
            slot_minutes=SLOT_MINUTES,
            day_start=DAY_START,
            day_end=DAY_END,
            days=[d.isoformat() for d in demo.grid.days],
            mode="optimiser",
            request_expiry_hours=EXPIRY_HOURS,
            shared_tables=SHARED_TABLES,
            shared_reserve=SHARED_RESERVE,
        )
        grid.full_clean()
        grid.save()
        RequestQuota.objects.bulk_create(
            [RequestQuota(grid=grid, role=r, limit=n) for r, n in QUOTAS.items()]
        )
        AvailabilityDay.objects.bulk_create(
            [
                AvailabilityDay(
                    edition=edition, participant_id=person[i], day=demo.grid.days[d], busy_mask=m
                )
                for i, d, m in demo.busy
            ],
            batch_size=1000,
        )
        WorkingHours.objects.bulk_create(
            [
                WorkingHours(edition=edition, participant_id=person[i], time_zone=z, start=s, end=e)
                for i, z, s, e in demo.hours
            ],
            batch_size=1000,
        )
        request_rows = []
        for r in demo.requests:
            sent = now - timedelta(hours=r.age_hours)
            request_rows.append(
                (
                    edition.pk,
                    person[r.requester],
                    None if r.target_person is None else person[r.target_person],
                    org_ids[r.target_org] if r.target_org else None,
                    None if r.counterpart is None else person[r.counterpart],
                    r.message,
                    r.requester_priority,
                    r.counterpart_priority,
                    r.state,
                    ops.adapt_datetimefield_value(sent + timedelta(hours=EXPIRY_HOURS)),
                    ops.adapt_datetimefield_value(sent),
                    ops.adapt_datetimefield_value(now),
                )
            )
        _Rows(MeetingRequest, REQUEST_FIELDS).write(request_rows)
        # Each (requester, target) is unique in the plan: it finds the new rows' ids.
        found = {
            row[1:]: row[0]
            for row in MeetingRequest.objects.filter(edition=edition).values_list(
                "pk", "requester", "target_person", "target_organisation"
            )
        }
        request_ids = [found[row[1:4]] for row in request_rows]
        _Rows(MeetingRequest.titles.through, ("meetingrequest", "title")).write(
            [
                (pk, title_ids[t])
                for pk, r in zip(request_ids, demo.requests, strict=True)
                for t in r.titles
            ]
        )
        placed = {m.request: m for m in demo.meetings}
        slots = [day_slots(demo.grid, day) for day in demo.grid.days]
        zone = ZoneInfo(demo.grid.zone)
        events = []
        for n, (pk, r) in enumerate(zip(request_ids, demo.requests, strict=True)):
            sent = now - timedelta(hours=r.age_hours)
            for before, after, actor, minutes in _events(r):
                who = organiser_user if actor == -1 else (None if actor is None else user[actor])
                note = {"requested": r.message[:200], "expired": "No answer in time."}.get(
                    after, ""
                )
                if after == "scheduled":
                    start = slots[placed[n].day][placed[n].slot].start
                    note = f"{start.astimezone(zone):%Y-%m-%d %H:%M} ({demo.grid.zone})"
                when = ops.adapt_datetimefield_value(sent + timedelta(minutes=minutes))
                events.append((pk, who, before, after, note, when))
        _Rows(
            RequestEvent, ("request", "actor", "from_state", "to_state", "note", "created_at")
        ).write(events)
        progress.advance(len(demo.requests) // 2)
        usage = Counter(
            r.requester
            for r in demo.requests
            if r.state not in ("declined", "expired", "cancelled")
        )
        QuotaUsage.objects.bulk_create(
            [
                QuotaUsage(edition=edition, participant_id=person[i], used=usage[i])
                for i in sorted({r.requester for r in demo.requests})
            ],
            batch_size=1000,
        )
        PairBlock.objects.bulk_create(
            [
                PairBlock(
                    edition=edition,
                    low_id=min(person[r.requester], person[r.counterpart]),
                    high_id=max(person[r.requester], person[r.counterpart]),
                    blocked_by_id=person[r.counterpart],
                )
                for r in demo.requests
                if r.no_thanks and r.counterpart is not None
            ]
        )
        _write_meetings(demo, edition, request_ids, person, booth_ids, now)
        progress.advance(len(demo.requests) - len(demo.requests) // 2)
    progress.end()
    return demo


def _write_meetings(
    demo: MeetingsPlan,
    edition: Edition,
    request_ids: list[int],
    person: list[int],
    booth_ids: dict[str, int],
    now: datetime,
) -> None:
    slots = [day_slots(demo.grid, day) for day in demo.grid.days]
    meetings = Meeting.objects.bulk_create(
        [
            Meeting(
                request_id=request_ids[m.request],
                edition=edition,
                starts_at=slots[m.day][m.slot].start,
                ends_at=slots[m.day][m.slot].end,
                location_kind=m.kind,
                booth_id=booth_ids[m.booth] if m.booth else None,
                table_number=m.table,
                online_link=m.link,
                status="published",
                published_at=now,
            )
            for m in demo.meetings
        ],
        batch_size=1000,
    )
    ops = connection.ops
    seats, tables = [], []
    for row, m in zip(meetings, demo.meetings, strict=True):
        request = demo.requests[m.request]
        start = ops.adapt_datetimefield_value(slots[m.day][m.slot].start)
        for p in (request.requester, request.counterpart):
            assert p is not None
            seats.append((row.pk, person[p], start, False))
        if m.table is not None:
            booth = booth_ids[m.booth] if m.booth else None
            tables.append((row.pk, edition.pk, booth, m.table, start))
    _Rows(MeetingSeat, ("meeting", "participant", "starts_at", "released")).write(seats)
    _Rows(TableSlot, ("meeting", "edition", "booth", "table", "starts_at")).write(tables)


def remove_demo_meetings(*, edition: Edition) -> None:
    """Delete the edition's meetings before the edition itself: a meeting protects its
    booth (``on_delete=PROTECT``), so deleting the edition's halls would otherwise fail."""
    TableSlot.objects.filter(edition=edition).delete()
    MeetingSeat.objects.filter(meeting__edition=edition).delete()
    Meeting.objects.filter(edition=edition).delete()

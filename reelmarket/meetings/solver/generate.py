"""Seeded generator of FILMART-like scheduling problems (an input document, as a dict).

The defaults give the benchmark size: 7,500 people, 50,000 accepted requests, 4 days x 16
half-hour slots (09:30-17:30 Hong Kong time), ~720 exhibitor booths with 1-3 tables, a shared
meeting area that binds, 5 % of people online from other time zones (their availability is
their working hours, 08:00-20:00 on weekdays in their own zone, mapped onto the venue grid),
2 % pre-booked (fixed) meetings, company meetings (a seller's sales team, or two buyers from
one company, on one side) and a few "no thanks" pairs. Seller popularity is skewed, so popular
sellers are over-subscribed, as at a real market.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from .model import FORMAT_IN, VERSION

VENUE_ZONE = "Asia/Hong_Kong"
FIRST_DAY = date(2025, 3, 17)
DAY_START = (9, 30)
SLOT_MINUTES = 30
ONLINE_ZONES = [
    ("Europe/London", 3),
    ("Europe/Paris", 5),
    ("America/Los_Angeles", 3),
    ("America/New_York", 2),
    ("Australia/Sydney", 2),
    ("Asia/Tokyo", 3),
    ("Asia/Seoul", 2),
    ("Asia/Kolkata", 2),
    ("Asia/Singapore", 2),
    ("Asia/Dubai", 1),
]
PRIORITIES = (("must_meet", 0.15), ("meet", 0.5), ("nice_to_meet", 0.35))


def _priority(rng: random.Random) -> str:
    x = rng.random()
    for name, p in PRIORITIES:
        if x < p:
            return name
        x -= p
    return PRIORITIES[-1][0]


def online_slots(zone: str, days: int, slots_per_day: int) -> list[int]:
    """Venue slots that fall in 08:00-20:00 on a weekday in ``zone``."""
    venue = ZoneInfo(VENUE_ZONE)
    local = ZoneInfo(zone)
    out = []
    for d in range(days):
        day = FIRST_DAY + timedelta(days=d)
        for i in range(slots_per_day):
            start = datetime(day.year, day.month, day.day, *DAY_START, tzinfo=venue)
            start += timedelta(minutes=SLOT_MINUTES * i)
            there = start.astimezone(local)
            end = there + timedelta(minutes=SLOT_MINUTES)
            weekday_hours = there.weekday() < 5 and there.hour >= 8
            if weekday_hours and (end.hour, end.minute) <= (20, 0) and end.date() == there.date():
                out.append(d * slots_per_day + i)
    return out


def _onsite_slots(rng: random.Random, days: int, spd: int) -> list[int]:
    free = []
    first, last = 0, days - 1
    x = rng.random()
    if x < 0.08:
        first = 1  # arrives on day 2
    elif x < 0.16:
        last = days - 2  # leaves before the last day
    for d in range(first, last + 1):
        day = [True] * spd
        for _ in range(rng.choice((1, 1, 2, 2, 3))):  # lunch, seminars, screenings
            length = rng.randint(1, 4)
            start = rng.randrange(0, spd - length + 1)
            for i in range(start, start + length):
                day[i] = False
        out = [d * spd + i for i in range(spd) if day[i]]
        free.extend(out)
    return free


def generate(
    *,
    seed: int = 1,
    people: int = 7500,
    requests: int = 50000,
    days: int = 4,
    slots_per_day: int = 16,
    booths: int = 720,
    shared_tables: int = 130,
    shared_reserve: int = 6,
    online_share: float = 0.05,
    fixed_share: float = 0.02,
    company_share: float = 0.05,
) -> dict[str, Any]:
    rng = random.Random(seed)
    n_slots = days * slots_per_day
    # Exhibitor companies (one booth each) and their sellers; booth-less sales agents.
    person_ids: list[str] = []
    company_of: list[int] = []
    booth_of_company: list[int | None] = []
    members: list[list[int]] = []
    locations: list[dict[str, Any]] = []
    for b in range(booths):
        tables = rng.choices((1, 2, 3), weights=(50, 35, 15))[0]
        locations.append({"id": f"booth-{b + 1}", "kind": "booth", "tables": tables})
        booth_of_company.append(b)
        members.append([])
        for _ in range(rng.choices((1, 2, 3, 4), weights=(30, 35, 25, 10))[0]):
            members[-1].append(len(person_ids))
            company_of.append(len(members) - 1)
            person_ids.append(f"s{len(person_ids) + 1}")
    sellers = len(person_ids)
    while len(person_ids) < sellers + max(1, people // 25):  # sales agents without a booth
        booth_of_company.append(None)
        members.append([len(person_ids)])
        company_of.append(len(members) - 1)
        person_ids.append(f"s{len(person_ids) + 1}")
    n_sellers = len(person_ids)
    while len(person_ids) < people:  # buyers, in companies of 1-3
        members.append([])
        booth_of_company.append(None)
        for _ in range(rng.choices((1, 2, 3), weights=(60, 30, 10))[0]):
            if len(person_ids) >= people:
                break
            members[-1].append(len(person_ids))
            company_of.append(len(members) - 1)
            person_ids.append(f"b{len(person_ids) - n_sellers + 1}")
    n_people = len(person_ids)
    locations.append(
        {
            "id": "shared",
            "kind": "shared",
            "tables": shared_tables,
            "reserve": min(shared_reserve, shared_tables // 10),
        }
    )
    locations.append({"id": "online", "kind": "online"})

    # Online people (buyers and booth-less agents) in other time zones.
    candidates = [p for p in range(n_people) if booth_of_company[company_of[p]] is None]
    online = set(rng.sample(candidates, min(len(candidates), round(online_share * n_people))))
    zones = [z for z, w in ONLINE_ZONES for _ in range(w)]
    zone_slots = {z: online_slots(z, days, slots_per_day) for z, _ in ONLINE_ZONES}
    people_doc = []
    for p, pid in enumerate(person_ids):
        if p in online:
            zone = rng.choice(zones)
            people_doc.append(
                {"id": pid, "available": zone_slots[zone], "online": True, "time_zone": zone}
            )
        else:
            people_doc.append({"id": pid, "available": _onsite_slots(rng, days, slots_per_day)})

    # Requests: skewed seller popularity and buyer activity.
    popularity = [rng.lognormvariate(0.0, 0.9) for _ in range(n_sellers)]
    activity = [rng.lognormvariate(0.0, 0.6) for _ in range(n_sellers, n_people)]
    buyer_ids = list(range(n_sellers, n_people))
    pairs: set[tuple[int, int]] = set()
    req_docs: list[dict[str, Any]] = []
    batch = 4096
    while len(req_docs) < requests:
        ss = rng.choices(range(n_sellers), weights=popularity, k=batch)
        bs = rng.choices(buyer_ids, weights=activity, k=batch)
        for s, b in zip(ss, bs, strict=False):
            if len(req_docs) >= requests or (s, b) in pairs:
                continue
            pairs.add((s, b))
            side_a, side_b = [b], [s]
            company = members[company_of[s]]
            if rng.random() < company_share:
                if len(company) >= 2 and rng.random() < 0.6:
                    side_b = [s, *rng.sample([m for m in company if m != s], 1)]
                elif len(members[company_of[b]]) >= 2:
                    side_a = [b, *rng.sample([m for m in members[company_of[b]] if m != b], 1)]
            everyone = side_a + side_b
            booth = booth_of_company[company_of[s]]
            if any(p in online for p in everyone):
                allowed = ["online"]
            elif booth is not None:
                allowed = [f"booth-{booth + 1}", "shared"]
            else:
                allowed = ["shared"]
            req_docs.append(
                {
                    "id": f"r{len(req_docs) + 1}",
                    "side_a": [person_ids[p] for p in side_a],
                    "side_b": [person_ids[p] for p in side_b],
                    "priority_a": _priority(rng),
                    "priority_b": _priority(rng),
                    "locations": allowed,
                }
            )

    # Pre-booked meetings: placed one by one where they fit.
    avail = [set(d["available"]) for d in people_doc]
    busy: list[set[int]] = [set() for _ in range(n_people)]
    index = {pid: i for i, pid in enumerate(person_ids)}
    cap = {loc["id"]: loc.get("tables", 0) - loc.get("reserve", 0) for loc in locations}
    used: dict[tuple[str, int], int] = {}
    fixed = []
    for req in rng.sample(req_docs, round(fixed_share * len(req_docs))):
        everyone = [index[p] for p in req["side_a"] + req["side_b"]]
        slots = [
            t for t in range(n_slots) if all(t in avail[p] and t not in busy[p] for p in everyone)
        ]
        rng.shuffle(slots)
        for t in slots:
            loc = next(
                (
                    lid
                    for lid in req["locations"]
                    if lid == "online" or used.get((lid, t), 0) < cap[lid]
                ),
                None,
            )
            if loc is None:
                continue
            used[(loc, t)] = used.get((loc, t), 0) + 1
            for p in everyone:
                busy[p].add(t)
            fixed.append({"request": req["id"], "slot": t, "location": loc})
            break

    # A few "no thanks" pairs, some of them across an accepted request (left out as such).
    no_thanks = []
    for req in rng.sample(req_docs, max(1, len(req_docs) // 2000)):
        if not any(f["request"] == req["id"] for f in fixed):
            no_thanks.append([req["side_a"][0], req["side_b"][0]])
    for _ in range(max(1, n_people // 50)):
        a, b = rng.sample(person_ids, 2)
        no_thanks.append([a, b])
    # a no-thanks pair must not sit across a fixed meeting
    fixed_pairs = set()
    for f in fixed:
        req = req_docs[int(f["request"][1:]) - 1]
        for a in req["side_a"]:
            for b in req["side_b"]:
                fixed_pairs.add(frozenset((a, b)))
    no_thanks = [pair for pair in no_thanks if frozenset(pair) not in fixed_pairs]

    return {
        "format": FORMAT_IN,
        "version": VERSION,
        "name": f"filmart-like seed={seed}",
        "grid": {
            "days": days,
            "slots_per_day": slots_per_day,
            "zone": VENUE_ZONE,
            "first_day": FIRST_DAY.isoformat(),
            "day_start": f"{DAY_START[0]:02d}:{DAY_START[1]:02d}",
            "slot_minutes": SLOT_MINUTES,
        },
        "people": people_doc,
        "locations": locations,
        "requests": req_docs,
        "fixed": fixed,
        "no_thanks": no_thanks,
    }

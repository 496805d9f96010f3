"""Benchmark: the optimiser and late placements through Django at FILMART scale.

Builds a market into a fresh SQLite file in a temporary directory (or the empty database
given with ``--database-url``): 7,500 people (two sellers per exhibiting company with a
1-3 table booth, 5 % online buyers with working hours in their own zone, 30 % with busy
marks), 50,000 accepted requests, a 4 x 16 slot grid with a shared area of 130 tables (6
held back). Then times ``schedule_optimise`` (load, solve, check, bulk write),
``schedule_publish``, and ``request_place_late`` for late acceptances one by one (the first
call builds the cached grid and is reported apart; no mails are sent). Prints the figures
and writes benchmarks/results/schedule_incremental_django.json.

    .venv/bin/python benchmarks/schedule_incremental_django.py [--people 7500]
        [--requests 50000] [--late 200] [--time-limit 30] [--database-url postgres://...]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
ZONES = ["Europe/Paris", "America/Los_Angeles", "Asia/Tokyo", "Australia/Sydney", "Asia/Dubai"]


def build_market(people: int, requests: int, seed: int):
    from django.contrib.auth import get_user_model

    from reelmarket.market.enums import Attendance, OrganisationKind, Vetting
    from reelmarket.market.models import (
        Booth,
        Edition,
        Exhibitor,
        Hall,
        Organisation,
        Participant,
        Registration,
    )  # fmt: skip
    from reelmarket.meetings.enums import Priority, RequestState
    from reelmarket.meetings.models import (
        AvailabilityDay,
        MeetingGrid,
        MeetingRequest,
        WorkingHours,
    )  # fmt: skip

    rng = random.Random(seed)
    edition = Edition.objects.create(
        name="FILMART 2025", slug="filmart-2025", starts_on=datetime(2025, 3, 17).date(),
        ends_on=datetime(2025, 3, 20).date(), venue="HKCEC", time_zone="Asia/Hong_Kong",
        is_current=True,
    )  # fmt: skip
    grid = MeetingGrid.objects.create(
        edition=edition, day_start=clock(10), day_end=clock(18), slot_minutes=30,
        mode="optimiser", shared_tables=130, shared_reserve=6,
    )  # fmt: skip
    companies = max(1, people * 96 // 1000)  # ~720 for 7,500 people
    orgs = Organisation.objects.bulk_create(
        [
            Organisation(name=f"Sales {i}", slug=f"sales-{i}", kind=OrganisationKind.choices[0][0],
                         country="HK")
            for i in range(companies)
        ]
    )  # fmt: skip
    halls = Hall.objects.bulk_create([Hall(edition=edition, code=f"{h + 1}") for h in range(6)])
    booths = Booth.objects.bulk_create(
        [
            Booth(hall=halls[i % 6], number=f"{chr(65 + i % 6)}{i}", tables=rng.choice((1, 2, 3)))
            for i in range(companies)
        ]
    )
    Exhibitor.objects.bulk_create(
        [
            Exhibitor(edition=edition, organisation=o, booth=b)
            for o, b in zip(orgs, booths, strict=True)
        ]
    )
    User = get_user_model()
    users = User.objects.bulk_create(
        [User(username=f"u{i}@example.com", email=f"u{i}@example.com") for i in range(people)],
        batch_size=2000,
    )
    sellers_n = 2 * companies
    parts = Participant.objects.bulk_create(
        [
            Participant(
                user=u, display_name=f"Person {i}", country="HK", time_zone="Asia/Hong_Kong",
                organisation=orgs[i // 2] if i < sellers_n else None,
                organisation_confirmed=i < sellers_n,
            )
            for i, u in enumerate(users)
        ],
        batch_size=2000,
    )  # fmt: skip
    sellers, buyers = parts[:sellers_n], parts[sellers_n:]
    online = set(rng.sample(range(len(buyers)), len(buyers) // 19))  # 5 % of everyone
    Registration.objects.bulk_create(
        [
            Registration(edition=edition, participant=p, vetting=Vetting.APPROVED,
                         attendance=Attendance.ONLINE if i - sellers_n in online else
                         Attendance.IN_PERSON)
            for i, p in enumerate(parts)
        ],
        batch_size=5000,
    )  # fmt: skip
    WorkingHours.objects.bulk_create(
        [
            WorkingHours(edition=edition, participant=buyers[i], time_zone=rng.choice(ZONES),
                         start=clock(8), end=clock(20))
            for i in online
        ]
    )  # fmt: skip
    days = grid.spec.days
    AvailabilityDay.objects.bulk_create(
        [
            AvailabilityDay(edition=edition, participant=p, day=rng.choice(days),
                            busy_mask=rng.getrandbits(16) & rng.getrandbits(16))
            for p in rng.sample(parts, len(parts) * 3 // 10)
        ],
        batch_size=5000,
    )  # fmt: skip
    prios = [Priority.MUST_MEET, Priority.MEET, Priority.MEET, Priority.NICE_TO_MEET]
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < requests:
        pairs.add((rng.randrange(len(buyers)), rng.randrange(len(sellers))))
    expires = datetime.now(UTC) + timedelta(days=30)
    MeetingRequest.objects.bulk_create(
        [
            MeetingRequest(edition=edition, requester=buyers[b], target_person=sellers[s],
                           counterpart=sellers[s], requester_priority=rng.choice(prios),
                           counterpart_priority=rng.choice(prios), state=RequestState.ACCEPTED,
                           expires_at=expires)
            for b, s in sorted(pairs)
        ],
        batch_size=5000,
    )  # fmt: skip
    return edition, buyers, sellers, pairs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=7500)
    parser.add_argument("--requests", type=int, default=50000)
    parser.add_argument("--late", type=int, default=200)
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--out", type=Path, default=RESULTS / "schedule_incremental_django.json")
    args = parser.parse_args()

    os.environ["REELMARKET_VAR_DIR"] = tempfile.mkdtemp(prefix="reelmarket-sched-bench-")
    if args.database_url:
        os.environ["REELMARKET_DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reelmarket.config.settings")
    os.environ.setdefault("REELMARKET_TASKS_MODE", "immediate")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS_MODE = "immediate"
    from django.contrib.auth import get_user_model

    from reelmarket.meetings import optimiser, optimiser_late, tasks_schedule
    from reelmarket.meetings.enums import Priority, RequestState
    from reelmarket.meetings.errors import MeetingError
    from reelmarket.meetings.models import MeetingRequest

    # The mails go to the "mail" queue in production; here they would be rendered in-line
    # (immediate mode) and swamp the figures, so they are not sent at all.
    tasks_schedule.announce_published = lambda **kwargs: None
    optimiser_late.announce = lambda **kwargs: None
    call_command("migrate", verbosity=0)
    figures: dict = {"database": connection.vendor, "people": args.people,
                     "requests": args.requests}  # fmt: skip
    t = time.perf_counter()
    edition, buyers, sellers, pairs = build_market(args.people, args.requests, args.seed)
    figures["build_market_s"] = round(time.perf_counter() - t, 2)
    organiser = get_user_model().objects.create(username="organiser", is_staff=True)

    t = time.perf_counter()
    doc = optimiser.problem_build(edition=edition)
    figures["problem_build_s"] = round(time.perf_counter() - t, 2)
    figures["locations"] = len(doc["locations"])
    t = time.perf_counter()
    run = optimiser.schedule_optimise(actor=organiser, edition=edition, time_limit=args.time_limit)
    figures["optimise_s"] = round(time.perf_counter() - t, 2)
    figures["run"] = {"status": run.status, "error": run.error, "objective": run.objective,
                      "upper_bound": run.upper_bound, "gap": run.gap, "counts": run.counts,
                      "timings": run.timings}  # fmt: skip
    t = time.perf_counter()
    figures["published"] = optimiser.schedule_publish(actor=organiser, edition=edition)
    figures["publish_s"] = round(time.perf_counter() - t, 2)

    rng = random.Random(args.seed + 1)
    late = []
    while len(late) < args.late:
        b, s = rng.randrange(len(buyers)), rng.randrange(len(sellers))
        if (b, s) in pairs:
            continue
        pairs.add((b, s))
        late.append(
            MeetingRequest.objects.create(
                edition=edition, requester=buyers[b], target_person=sellers[s],
                counterpart=sellers[s], requester_priority=Priority.MEET,
                counterpart_priority=Priority.MUST_MEET, state=RequestState.ACCEPTED,
            )
        )  # fmt: skip
    latencies, reasons, placed = [], {}, 0
    first = None
    for i, request in enumerate(late):
        t = time.perf_counter()
        try:
            optimiser.request_place_late(actor=organiser, request=request)
            placed += 1
        except MeetingError as exc:
            reasons[exc.code] = reasons.get(exc.code, 0) + 1
        ms = (time.perf_counter() - t) * 1000
        if i == 0:
            first = ms
        else:
            latencies.append(ms)
    latencies.sort()
    figures["late"] = {
        "requests": len(late), "placed": placed, "refused": reasons,
        "first_call_with_cache_build_ms": round(first or 0, 1),
        "median_ms": round(statistics.median(latencies), 2),
        "p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))], 2),
        "max_ms": round(latencies[-1], 2),
    }  # fmt: skip
    figures["machine"] = {"python": platform.python_version(), "cpus": os.cpu_count()}
    figures["when"] = datetime.now(UTC).isoformat(timespec="seconds")
    print(json.dumps(figures, indent=2))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

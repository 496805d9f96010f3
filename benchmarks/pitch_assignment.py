"""Benchmark: automatic reviewer assignment at HAF scale (``pitching/assignment.py``).

300 submissions, 30 reviewers, k = 3. Conflicts: ~5 % random declared conflicts plus
same-organisation conflicts (reviewers and applicants drawn from a pool of organisations).
Times ``assign_reviewers`` (median of several runs), then a re-run after the panel changed
(kept assignments, two reviewers added, one capped). Prints figures and writes
benchmarks/results/pitch_assignment.json.

    .venv/bin/python benchmarks/pitch_assignment.py [--submissions 300] [--reviewers 30] [--k 3]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from collections import Counter
from itertools import combinations
from pathlib import Path

from reelmarket.pitching import assignment
from reelmarket.pitching.assignment import ReviewerSeat, ReviewTask, assign_reviewers


def instance(
    rng: random.Random, submissions: int, reviewers: int, organisations: int, conflict_rate: float
) -> tuple[list[ReviewTask], list[ReviewerSeat], int]:
    organisation_of = {r: rng.randrange(organisations) for r in range(reviewers)}
    tasks: list[ReviewTask] = []
    same_org = 0
    for s in range(submissions):
        organisation = rng.randrange(organisations)
        by_org = {r for r in range(reviewers) if organisation_of[r] == organisation}
        same_org += len(by_org)
        declared = {r for r in range(reviewers) if rng.random() < conflict_rate}
        tasks.append(ReviewTask(submission=s, conflicts=frozenset(by_org | declared)))
    return tasks, [ReviewerSeat(reviewer=r) for r in range(reviewers)], same_org


def summary(
    tasks: list[ReviewTask], seats: list[ReviewerSeat], result: dict[int, tuple[int, ...]]
) -> dict[str, object]:
    loads = Counter(r for panel in result.values() for r in panel)
    per_reviewer = [loads[s.reviewer] for s in seats]
    violations = sum(len(set(result[t.submission]) & t.conflicts) for t in tasks)
    together = Counter(p for panel in result.values() for p in combinations(sorted(panel), 2))
    possible = len(seats) * (len(seats) - 1) // 2
    return {
        "load_min": min(per_reviewer),
        "load_max": max(per_reviewer),
        "conflicts_assigned": violations,
        "kept_lost": sum(1 for t in tasks if not t.keep <= set(result[t.submission])),
        "reviewer_pairs_used": len(together),
        "reviewer_pairs_possible": possible,
        "co_reviews_max": max(together.values()) if together else 0,
        "co_reviews_histogram": dict(sorted(Counter(together.values()).items())),
    }


def timed(tasks, seats, k, seed, repeat):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = assign_reviewers(tasks=tasks, reviewers=seats, k=k, seed=seed)
        times.append(time.perf_counter() - t0)
    return result, times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--submissions", type=int, default=300)
    parser.add_argument("--reviewers", type=int, default=30)
    parser.add_argument("--k", type=int, default=3)
    parser.add_argument("--organisations", type=int, default=150)
    parser.add_argument("--conflict-rate", type=float, default=0.05)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    tasks, seats, same_org = instance(
        rng, args.submissions, args.reviewers, args.organisations, args.conflict_rate
    )
    conflicts = sum(len(t.conflicts) for t in tasks)
    print(
        f"{args.submissions} submissions, {args.reviewers} reviewers, k={args.k}: "
        f"{conflicts} conflicting pairs ({same_org} same organisation)"
    )
    result, times = timed(tasks, seats, args.k, args.seed, args.repeat)
    first = {
        "seconds_median": round(statistics.median(times), 3),
        "seconds_max": round(max(times), 3),
        **summary(tasks, seats, result),
    }
    print(
        f"first assignment  median {first['seconds_median']:.3f} s (max {first['seconds_max']:.3f}"
        f" s over {args.repeat}); loads {first['load_min']}-{first['load_max']}; "
        f"conflicts assigned {first['conflicts_assigned']}; reviewer pairs "
        f"{first['reviewer_pairs_used']}/{first['reviewer_pairs_possible']}, "
        f"at most {first['co_reviews_max']} shared submissions"
    )

    # The same without the co-review local search: the flow alone, and what the search buys.
    budget = assignment.SWAP_ATTEMPTS_PER_REVIEW
    assignment.SWAP_ATTEMPTS_PER_REVIEW = 0
    plain, times = timed(tasks, seats, args.k, args.seed, args.repeat)
    assignment.SWAP_ATTEMPTS_PER_REVIEW = budget
    flow_only = {
        "seconds_median": round(statistics.median(times), 3),
        **summary(tasks, seats, plain),
    }
    print(
        f"flow only         median {flow_only['seconds_median']:.3f} s; loads "
        f"{flow_only['load_min']}-{flow_only['load_max']}; reviewer pairs "
        f"{flow_only['reviewer_pairs_used']}/{flow_only['reviewer_pairs_possible']}, at most "
        f"{flow_only['co_reviews_max']} shared submissions"
    )

    # The panel changes after a third of the reviews are in: those assignments are kept,
    # two reviewers join, one reviewer can do at most 20 in total.
    kept_tasks = [
        ReviewTask(
            submission=t.submission,
            conflicts=t.conflicts,
            keep=frozenset(result[t.submission][:1]) if t.submission % 3 == 0 else frozenset(),
        )
        for t in tasks
    ]
    new_seats = [
        ReviewerSeat(reviewer=s.reviewer, capacity=20 if s.reviewer == 0 else None) for s in seats
    ]
    new_seats += [ReviewerSeat(reviewer=args.reviewers + i) for i in range(2)]
    again, times = timed(kept_tasks, new_seats, args.k, args.seed, args.repeat)
    second = {
        "seconds_median": round(statistics.median(times), 3),
        **summary(kept_tasks, new_seats, again),
        "capped_reviewer_load": sum(1 for p in again.values() if 0 in p),
    }
    uncapped = Counter(r for p in again.values() for r in p if r != 0)
    second["load_min_uncapped"] = min(uncapped[s.reviewer] for s in new_seats if s.reviewer != 0)
    second["load_max_uncapped"] = max(uncapped.values())
    print(
        f"re-run with kept  median {second['seconds_median']:.3f} s; capped reviewer "
        f"{second['capped_reviewer_load']}/20; others {second['load_min_uncapped']}-"
        f"{second['load_max_uncapped']}; kept lost {second['kept_lost']}; conflicts "
        f"{second['conflicts_assigned']}"
    )
    out = Path(__file__).parent / "results" / "pitch_assignment.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "benchmark": "pitch_assignment",
                "args": vars(args),
                "conflicting_pairs": conflicts,
                "same_organisation_pairs": same_org,
                "first": first,
                "flow_only": flow_only,
                "rerun_with_kept": second,
            },
            indent=2,
        )
    )
    print(f"wrote {out}")


if __name__ == "__main__":
    main()

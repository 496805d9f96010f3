"""Benchmark: a Producers Connect rotation at market scale (``financing/rotation.py``).

300 producers (projects) × 200 financiers / funds / foundations / co-producers / sales
agents, 8 rounds, at 100 and 150 tables. Relevance comes from
``relevance.score_matrix`` on generated profiles; ~2 % of the pairs said "no thanks".
For each table count: build time (median of runs), the independent checker, meetings and
their spread over producers, total relevance, compared with

* a round-by-round greedy (each round, producers with the fewest meetings first pick their
  best free partner) — what an organiser's spreadsheet does;
* the score-only optimum with the same number of meetings (no fairness): the price of
  fairness.

Prints figures and writes benchmarks/results/connect_rotation.json.

    .venv/bin/python benchmarks/connect_rotation.py [--producers 300] [--partners 200] [--rounds 8]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from collections import Counter
from pathlib import Path

import numpy as np
from ortools.graph.python import min_cost_flow

from reelmarket.financing.relevance import InvestorFacts, ProjectFacts, score_matrix
from reelmarket.financing.rotation import build_rotation, check_rotation

GENRES = [
    "drama", "comedy", "thriller", "horror", "action", "romance", "crime", "fantasy",
    "science_fiction", "family", "animation", "documentary", "historical", "martial_arts",
]  # fmt: skip
ASIA = ["HK", "CN", "TW", "JP", "KR", "TH", "VN", "ID", "SG", "MY", "PH", "IN"]
WEST = ["FR", "DE", "GB", "IT", "ES", "US", "CA", "AU", "NL", "BE"]
KINDS = ["feature", "documentary", "animation_feature", "series", "animation_series"]
KIND_WEIGHTS = [45, 20, 10, 15, 10]
STAGES = ["development", "financing", "pre_production", "production", "post_production"]
STAGE_WEIGHTS = [35, 25, 15, 10, 15]
INVESTOR_KINDS = ["financier", "fund", "foundation", "coproducer", "sales_agent", "distributor"]
INVESTOR_WEIGHTS = [25, 20, 10, 25, 12, 8]
PARTNER_OF = {
    "financier": "financier",
    "fund": "financier",
    "foundation": "foundation",
    "coproducer": "coproducer",
    "sales_agent": "sales_agent",
    "distributor": "distributor",
}


def country(rng: random.Random) -> str:
    return rng.choice(ASIA) if rng.random() < 0.7 else rng.choice(WEST)


def countries(rng: random.Random, low: int, high: int) -> frozenset[str]:
    return frozenset(country(rng) for _ in range(rng.randint(low, high)))


def projects(rng: random.Random, n: int) -> list[ProjectFacts]:
    out = []
    for i in range(n):
        kind = rng.choices(KINDS, KIND_WEIGHTS)[0]
        genres = set(rng.sample(GENRES, rng.randint(1, 3)))
        if kind.startswith("animation"):
            genres.add("animation")
        budget = 10 ** rng.uniform(5.5, 7.2)  # USD 0.3 M to 16 M
        gap = budget * (1 - rng.uniform(0.1, 0.8))
        home = countries(rng, 1, 3)
        sought = {
            (rng.choice(list(PARTNER_OF.values())), rng.choice(["", "", country(rng)]))
            for _ in range(rng.randint(1, 3))
        }
        out.append(
            ProjectFacts(
                id=i,
                kind=kind,
                genres=frozenset(genres),
                stage=rng.choices(STAGES, STAGE_WEIGHTS)[0],
                countries=home,
                target_markets=countries(rng, 2, 6),
                budget_usd=budget,
                gap_usd=gap,
                partners_sought=frozenset(sought),
            )
        )
    return out


def investors(rng: random.Random, n: int) -> list[InvestorFacts]:
    tickets = {
        "financier": (250_000, 5_000_000),
        "fund": (50_000, 500_000),
        "foundation": (10_000, 100_000),
        "coproducer": (100_000, 2_000_000),
        "sales_agent": (50_000, 500_000),
        "distributor": (20_000, 300_000),
    }
    out = []
    for j in range(n):
        kind = rng.choices(INVESTOR_KINDS, INVESTOR_WEIGHTS)[0]
        low, high = tickets[kind]
        if kind in ("coproducer", "sales_agent", "distributor") and rng.random() < 0.4:
            t_min = t_max = 0.0  # no ticket stated
        else:
            t_min = low * rng.uniform(1, 3)
            t_max = min(high, t_min * rng.uniform(2, 10))
        home = country(rng)
        out.append(
            InvestorFacts(
                id=j,
                kind=kind,
                ticket_min_usd=t_min,
                ticket_max_usd=t_max,
                genres=frozenset(rng.sample(GENRES, rng.choice([0, 2, 3, 4, 5]))),
                kinds=frozenset(rng.sample(KINDS, rng.choice([0, 0, 2, 3, 4]))),
                regions=countries(rng, 0, 6) | ({home} if rng.random() < 0.5 else set()),
                stages=frozenset(rng.sample(STAGES, rng.choice([0, 0, 2, 3, 4]))),
                treaties=countries(rng, 2, 6) if kind in ("coproducer", "fund") else frozenset(),
                country=home,
            )
        )
    return out


def greedy(score: np.ndarray, allowed: np.ndarray, rounds: int, tables: int) -> np.ndarray:
    """Round by round, producers with the fewest meetings first take their best free partner."""
    n_p, _ = score.shape
    met = np.zeros_like(allowed)
    count = np.zeros(n_p, dtype=int)
    order_rng = np.random.default_rng(0)
    for _ in range(rounds):
        busy = np.zeros(score.shape[1], dtype=bool)
        seated = 0
        for i in np.lexsort((order_rng.random(n_p), count)):
            if seated == tables:
                break
            options = np.where(allowed[i] & ~met[i] & ~busy, score[i], -np.inf)
            j = int(np.argmax(options))
            if options[j] == -np.inf:
                continue
            met[i, j] = busy[j] = True
            count[i] += 1
            seated += 1
    return met


def score_only_optimum(score: np.ndarray, allowed: np.ndarray, rounds: int, meetings: int) -> float:
    """Largest total relevance with `meetings` meetings, degrees ≤ rounds, no fairness."""
    rows, cols = np.nonzero(allowed)
    n_p, n_f = score.shape
    source, sink = n_p + n_f, n_p + n_f + 1
    flow = min_cost_flow.SimpleMinCostFlow()
    weights = np.rint(score[rows, cols] * 1000).astype(np.int64)
    tails = np.concatenate([np.full(n_p, source), rows, n_p + np.arange(n_f)])
    heads = np.concatenate([np.arange(n_p), n_p + cols, np.full(n_f, sink)])
    caps = np.concatenate([np.full(n_p, rounds), np.ones(len(rows)), np.full(n_f, rounds)])
    costs = np.concatenate([np.zeros(n_p), weights.max() - weights, np.zeros(n_f)])
    flow.add_arcs_with_capacity_and_unit_cost(
        tails.astype(np.int32),
        heads.astype(np.int32),
        caps.astype(np.int64),
        costs.astype(np.int64),
    )
    flow.set_node_supply(source, meetings)
    flow.set_node_supply(sink, -meetings)
    assert flow.solve() == flow.OPTIMAL
    used = flow.flows(np.arange(n_p, n_p + len(rows))) > 0
    return float(score[rows[used], cols[used]].sum())


def spread(counts: list[int]) -> dict[str, int]:
    return {str(k): v for k, v in sorted(Counter(counts).items())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--producers", type=int, default=300)
    parser.add_argument("--partners", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--tables", type=int, nargs="+", default=[100, 150])
    parser.add_argument("--no-thanks", type=float, default=0.02)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    project_facts = projects(rng, args.producers)
    investor_facts = investors(rng, args.partners)

    times = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        score = score_matrix(projects=project_facts, investors=investor_facts)
        times.append(time.perf_counter() - t0)
    matrix_s = statistics.median(times)
    producer_ids = [p.id for p in project_facts]
    partner_ids = [10_000 + i.id for i in investor_facts]
    blocked = [(p, f) for p in producer_ids for f in partner_ids if rng.random() < args.no_thanks]
    allowed = score > 0
    blocked_mask = np.zeros_like(allowed)
    for p, f in blocked:
        blocked_mask[p, f - 10_000] = True
    allowed &= ~blocked_mask
    print(
        f"{args.producers} producers × {args.partners} partners: score_matrix "
        f"{matrix_s * 1000:.1f} ms; {allowed.mean():.1%} of pairs allowed "
        f"(score > 0, not among {len(blocked)} 'no thanks')"
    )
    results: dict[str, object] = {
        "benchmark": "connect_rotation",
        "args": vars(args),
        "score_matrix_seconds": round(matrix_s, 4),
        "allowed_share": round(float(allowed.mean()), 4),
        "blocked_pairs": len(blocked),
        "by_tables": {},
    }
    for tables in args.tables:
        times = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            rotation = build_rotation(
                producers=producer_ids,
                partners=partner_ids,
                score=score,
                rounds=args.rounds,
                tables=tables,
                blocked=blocked,
                seed=args.seed,
            )
            times.append(time.perf_counter() - t0)
        problems = check_rotation(
            rotation=rotation, rounds=args.rounds, tables=tables, blocked=blocked
        )
        per_producer = Counter(s.producer for s in rotation.seats)
        counts = [per_producer[p] for p in producer_ids]
        per_partner = Counter(s.partner for s in rotation.seats)
        meetings = len(rotation.seats)
        base = greedy(score, allowed, args.rounds, tables)
        base_counts = base.sum(axis=1).tolist()
        base_total = float(score[base].sum())
        best_total = score_only_optimum(score, allowed, args.rounds, meetings)
        row = {
            "build_seconds_median": round(statistics.median(times), 4),
            "build_seconds_max": round(max(times), 4),
            "checker_violations": len(problems),
            "meetings": meetings,
            "capacity": args.rounds * tables,
            "unmet_producers": len(rotation.unmet_producers),
            "meetings_per_producer": spread(counts),
            "meetings_per_partner_max": max(per_partner.values()),
            "partners_met": len(per_partner),
            "total_score": round(rotation.total_score, 1),
            "mean_score": round(rotation.total_score / max(meetings, 1), 2),
            "greedy_meetings": int(base.sum()),
            "greedy_total_score": round(base_total, 1),
            "greedy_meetings_per_producer": spread([int(c) for c in base_counts]),
            "greedy_partners_met": int(base.any(axis=0).sum()),
            "score_only_optimum": round(best_total, 1),
            "price_of_fairness_pct": round(100 * (1 - rotation.total_score / best_total), 2),
        }
        results["by_tables"][str(tables)] = row  # type: ignore[index]
        print(
            f"T={tables}: build median {row['build_seconds_median']:.3f} s "
            f"(max {row['build_seconds_max']:.3f}); checker {len(problems)} violations; "
            f"{meetings}/{row['capacity']} meetings; per producer {row['meetings_per_producer']}; "
            f"unmet {row['unmet_producers']}; partners met {row['partners_met']}/"
            f"{args.partners}; total relevance {row['total_score']:.0f} "
            f"(mean {row['mean_score']}); greedy {row['greedy_total_score']:.0f} with "
            f"{row['greedy_meetings']} meetings {row['greedy_meetings_per_producer']}, "
            f"{row['greedy_partners_met']} partners met; "
            f"score-only optimum {row['score_only_optimum']:.0f} "
            f"(price of fairness {row['price_of_fairness_pct']} %)"
        )
    out = Path(__file__).parent / "results" / "connect_rotation.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()

"""Producers Connect speed rounds: who meets whom, in which round, at which table.

Django-free. ``build_rotation`` seats producers with partners (financiers, funds,
co-producers ...) over ``rounds`` rounds of at most ``tables`` simultaneous meetings.

Hard rules (``check_rotation`` verifies them independently):

* a pair meets at most once; nobody sits twice in one round; at most ``tables`` meetings
  per round, each at its own table;
* a pair whose score is ≤ 0 or that is ``blocked`` (either side said "no thanks") is never
  seated.

Objective, lexicographic, solved **exactly**:

1. the most meetings: ``N = min(rounds × tables, the largest set of allowed pairs in which
   nobody has more than `rounds` meetings)``;
2. among those, the fairest spread over producers: the vector of meetings per producer
   minimises ``Σ d_i²``. This is the same as the *decreasingly minimal* (leximin-most-even)
   vector: no producer can get one more meeting by taking one from a producer who has at
   least two more. When the allowed pairs permit, every producer gets ``⌊N/P⌋`` or
   ``⌈N/P⌉`` meetings;
3. among those, the most partners with at least one meeting (no financier goes home
   empty-handed when some allowed pair could seat them);
4. among those, the largest total relevance (scores rounded to 1/10,000 of the largest
   score for the solver — coarser only for sessions so large that the costs would leave
   64-bit integers; the reported total uses the given scores).

How: (1)–(4) is one min-cost maximum flow — source → producer arcs with convex costs
``M·(2k−1)`` for the producer's k-th meeting, producer → partner arcs of capacity 1
costing ``max_score − score``, partner → sink arcs: the first meeting free, the next
``rounds − 1`` costing ``E`` (convex), total capacity ``rounds × tables``; ``E`` exceeds
any possible score difference and ``M`` any change of partners met and score together.
The chosen pairs form a bipartite graph of maximum degree ≤ ``rounds``; König's theorem
colours its edges with ``rounds`` colours (rounds) by alternating-path recolouring, and
alternating-path swaps then make round sizes differ by at most one (de Werra's equitable
colouring), so every round holds ≤ ``⌈N/rounds⌉`` ≤ ``tables`` meetings. Tables: a
partner keeps the table they had in the previous round when it is free, so financiers
move as little as possible.

Producer ids and partner ids are two separate id spaces (a producer and a partner with the
same number are different people). ``seed`` only breaks ties between equally good
rotations (which round a meeting lands in); it never changes the objective.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow

SCORE_RESOLUTION = 10_000  # the largest score is mapped to this integer for the solver
COST_LIMIT = 2**60  # keep the solver's costs (times its node count) inside int64


@dataclass(frozen=True)
class Seat:
    round: int
    table: int
    producer: int
    partner: int
    score: float


@dataclass(frozen=True)
class Rotation:
    seats: tuple[Seat, ...]
    total_score: float
    unmet_producers: tuple[int, ...]

    def meetings_of(self, producer: int) -> list[Seat]:
        return [s for s in self.seats if s.producer == producer]


def _validate(
    producers: Sequence[int],
    partners: Sequence[int],
    score: np.ndarray,
    rounds: int,
    tables: int,
) -> np.ndarray:
    if rounds < 0 or tables < 0:
        raise ValueError("rounds and tables must not be negative.")
    if len(set(producers)) != len(producers):
        raise ValueError("A producer is listed twice.")
    if len(set(partners)) != len(partners):
        raise ValueError("A partner is listed twice.")
    matrix = np.asarray(score, dtype=np.float64)
    if matrix.shape != (len(producers), len(partners)):
        raise ValueError(
            f"score has shape {matrix.shape}; expected ({len(producers)}, {len(partners)})."
        )
    if not np.isfinite(matrix).all():
        raise ValueError("score must be finite (no NaN or infinity).")
    return matrix


def _choose_pairs(
    allowed: np.ndarray, matrix: np.ndarray, rounds: int, tables: int
) -> list[tuple[int, int]]:
    """The pairs (producer index, partner index) of the lexicographic optimum (see module)."""
    rows, cols = np.nonzero(allowed)
    n_edges = len(rows)
    n_p, n_f = allowed.shape
    if n_edges == 0 or rounds == 0 or tables == 0:
        return []
    capacity_total = rounds * tables
    most = min(capacity_total, n_edges)
    resolution = SCORE_RESOLUTION
    while True:
        # Lexicographic weights: one more partner met outweighs every score difference, one
        # step of Σd² outweighs every change in partners met and score together.
        extra = resolution * most + 1
        big = extra * (n_f + 1)
        if resolution == 1 or big * 2 * rounds * (n_p + n_f + 4) < COST_LIMIT:
            break
        resolution //= 10
    values = matrix[rows, cols]
    top = float(values.max())
    weights = np.maximum(1, np.rint(values / top * resolution)).astype(np.int64)
    edge_cost = resolution - weights  # ≥ 0; a fixed number of units, so same optimum

    super_source, source = 0, 1
    producer_node = 2  # producers: 2 .. 2+n_p-1
    partner_node = 2 + n_p
    sink = partner_node + n_f
    degree = np.bincount(rows, minlength=n_p)

    tails: list[np.ndarray] = [np.array([super_source])]
    heads: list[np.ndarray] = [np.array([source])]
    caps: list[np.ndarray] = [np.array([capacity_total])]
    costs: list[np.ndarray] = [np.array([0])]
    for k in range(1, rounds + 1):  # the k-th meeting of a producer
        who = np.nonzero(degree >= k)[0]
        if len(who) == 0:
            break
        tails.append(np.full(len(who), source))
        heads.append(producer_node + who)
        caps.append(np.ones(len(who), dtype=np.int64))
        costs.append(np.full(len(who), big * (2 * k - 1), dtype=np.int64))
    first_edge_arc = sum(len(t) for t in tails)
    tails.append(producer_node + rows)
    heads.append(partner_node + cols)
    caps.append(np.ones(n_edges, dtype=np.int64))
    costs.append(edge_cost)
    # A partner's first meeting is free, the others cost `extra` (convex: 0, e, e, ...).
    tails.append(np.repeat(partner_node + np.arange(n_f), 2))
    heads.append(np.full(2 * n_f, sink))
    caps.append(np.tile(np.array([1, rounds - 1], dtype=np.int64), n_f))
    costs.append(np.tile(np.array([0, extra], dtype=np.int64), n_f))

    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        np.concatenate(tails).astype(np.int32),
        np.concatenate(heads).astype(np.int32),
        np.concatenate(caps).astype(np.int64),
        np.concatenate(costs).astype(np.int64),
    )
    flow.set_node_supply(super_source, capacity_total)
    flow.set_node_supply(sink, -capacity_total)
    status = flow.solve_max_flow_with_min_cost()
    if status != flow.OPTIMAL:  # pragma: no cover - the network is always feasible
        raise RuntimeError(f"min-cost flow failed with status {status}")
    arcs = np.arange(first_edge_arc, first_edge_arc + n_edges)
    used = flow.flows(arcs) > 0
    return list(zip(rows[used].tolist(), cols[used].tolist(), strict=True))


def _colour_edges(edges: list[tuple[int, int]], colours: int) -> list[int]:
    """A proper edge colouring of a bipartite graph of max degree ≤ colours (König)."""
    at: dict[tuple[str, int], dict[int, tuple[str, int]]] = defaultdict(dict)
    colour_of: dict[tuple[tuple[str, int], tuple[str, int]], int] = {}

    def key(x: tuple[str, int], y: tuple[str, int]) -> tuple[tuple[str, int], tuple[str, int]]:
        return (x, y) if x[0] == "p" else (y, x)

    for u_index, v_index in edges:
        u, v = ("p", u_index), ("f", v_index)
        a = next(c for c in range(colours) if c not in at[u])
        b = next(c for c in range(colours) if c not in at[v])
        if a in at[v]:
            # Flip the a/b alternating path that starts at v with its a-edge; it cannot
            # reach u (bipartite), and afterwards a is free at v.
            path = []
            x, c = v, a
            while c in at[x]:
                y = at[x][c]
                path.append((x, y, c))
                x, c = y, (b if c == a else a)
            for x, y, c in path:
                del at[x][c]
                del at[y][c]
            for x, y, c in path:
                d = b if c == a else a
                at[x][d] = y
                at[y][d] = x
                colour_of[key(x, y)] = d
        at[u][a] = v
        at[v][a] = u
        colour_of[key(u, v)] = a
    return [colour_of[(("p", u), ("f", v))] for u, v in edges]


def _equalise(edges: list[tuple[int, int]], colour: list[int], colours: int) -> None:
    """Swap alternating paths until colour classes differ in size by at most one."""
    at: dict[tuple[str, int], dict[int, int]] = defaultdict(dict)  # node -> colour -> edge
    for e, (u, v) in enumerate(edges):
        at[("p", u)][colour[e]] = e
        at[("f", v)][colour[e]] = e
    size = [0] * colours
    for c in colour:
        size[c] += 1

    def other_end(e: int, node: tuple[str, int]) -> tuple[str, int]:
        u, v = edges[e]
        return ("f", v) if node == ("p", u) else ("p", u)

    while True:
        big = max(range(colours), key=lambda c: size[c])
        small = min(range(colours), key=lambda c: size[c])
        if size[big] - size[small] <= 1:
            return
        for node, slots in list(at.items()):
            if big not in slots or small in slots:
                continue
            path, x, c = [], node, big
            while c in at[x]:
                e = at[x][c]
                path.append(e)
                x = other_end(e, x)
                c = small if c == big else big
            if len(path) % 2 == 1:  # starts and ends with a `big` edge: swap it
                for e in path:
                    u, v = edges[e]
                    for end in (("p", u), ("f", v)):
                        del at[end][colour[e]]
                for e in path:
                    colour[e] = small if colour[e] == big else big
                    u, v = edges[e]
                    at[("p", u)][colour[e]] = e
                    at[("f", v)][colour[e]] = e
                size[big] -= 1
                size[small] += 1
                break
        else:  # pragma: no cover - impossible by counting
            raise RuntimeError("no alternating path to balance rounds")


def _seat_tables(
    by_round: list[list[tuple[int, int]]], tables: int
) -> dict[tuple[int, int, int], int]:
    """Table numbers: a partner keeps the previous round's table when it is free."""
    last_table: dict[int, int] = {}
    table_of: dict[tuple[int, int, int], int] = {}
    for r, pairs in enumerate(by_round):
        taken: set[int] = set()
        rest = []
        for u, v in sorted(pairs, key=lambda p: p[1]):
            t = last_table.get(v)
            if t is not None and t not in taken:
                taken.add(t)
                table_of[(r, u, v)] = t
            else:
                rest.append((u, v))
        free = (t for t in range(tables) if t not in taken)
        for u, v in rest:
            t = next(free)
            table_of[(r, u, v)] = t
        for u, v in pairs:
            last_table[v] = table_of[(r, u, v)]
    return table_of


def build_rotation(
    *,
    producers: Sequence[int],
    partners: Sequence[int],
    score: np.ndarray,
    rounds: int,
    tables: int,
    blocked: Collection[tuple[int, int]] = (),
    seed: int = 0,
) -> Rotation:
    """Seat producers with partners over the rounds (see the module for the objective).

    ``score[i, j]`` is the relevance of ``producers[i]`` × ``partners[j]``; ``blocked``
    holds (producer id, partner id) pairs never to seat.
    """
    matrix = _validate(producers, partners, score, rounds, tables)
    allowed = matrix > 0
    if blocked:
        p_index = {p: i for i, p in enumerate(producers)}
        f_index = {f: j for j, f in enumerate(partners)}
        for producer, partner in blocked:
            i, j = p_index.get(producer), f_index.get(partner)
            if i is not None and j is not None:
                allowed[i, j] = False

    pairs = _choose_pairs(allowed, matrix, rounds, tables)
    rng = random.Random(seed)
    rng.shuffle(pairs)
    colour = _colour_edges(pairs, rounds) if pairs else []
    if pairs:
        _equalise(pairs, colour, rounds)
    by_round: list[list[tuple[int, int]]] = [[] for _ in range(rounds)]
    for (u, v), c in zip(pairs, colour, strict=True):
        by_round[c].append((u, v))
    table_of = _seat_tables(by_round, tables)

    seats = sorted(
        (
            Seat(
                round=r,
                table=table_of[(r, u, v)],
                producer=producers[u],
                partner=partners[v],
                score=float(matrix[u, v]),
            )
            for r, round_pairs in enumerate(by_round)
            for u, v in round_pairs
        ),
        key=lambda s: (s.round, s.table),
    )
    met = {s.producer for s in seats}
    return Rotation(
        seats=tuple(seats),
        total_score=float(sum(s.score for s in seats)),
        unmet_producers=tuple(p for p in producers if p not in met),
    )


def check_rotation(
    *,
    rotation: Rotation,
    rounds: int,
    tables: int,
    blocked: Collection[tuple[int, int]] = (),
) -> list[str]:
    """Every rule the rotation breaks, as readable sentences; empty when it is valid."""
    problems: list[str] = []
    blocked_set = set(blocked)
    pairs_seen: set[tuple[int, int]] = set()
    per_round: dict[int, list[Seat]] = defaultdict(list)
    for seat in rotation.seats:
        where = (
            f"Round {seat.round}, table {seat.table} "
            f"(producer {seat.producer}, partner {seat.partner})"
        )
        if not 0 <= seat.round < rounds:
            problems.append(f"{where}: the round is outside 0..{rounds - 1}.")
        if not 0 <= seat.table < tables:
            problems.append(f"{where}: the table is outside 0..{tables - 1}.")
        pair = (seat.producer, seat.partner)
        if pair in pairs_seen:
            problems.append(f"{where}: this pair already met.")
        pairs_seen.add(pair)
        if pair in blocked_set:
            problems.append(f"{where}: the pair is blocked.")
        if not seat.score > 0:
            problems.append(f"{where}: score {seat.score} is not above 0.")
        per_round[seat.round].append(seat)
    for r, seats in sorted(per_round.items()):
        if len(seats) > tables:
            problems.append(f"Round {r} has {len(seats)} meetings for {tables} tables.")
        for label, values in (
            ("Producer", [s.producer for s in seats]),
            ("Partner", [s.partner for s in seats]),
            ("Table", [s.table for s in seats]),
        ):
            counts: dict[int, int] = defaultdict(int)
            for value in values:
                counts[value] += 1
            problems.extend(
                f"{label} {value} is used {n} times in round {r}."
                for value, n in sorted(counts.items())
                if n > 1
            )
    seated = {s.producer for s in rotation.seats}
    problems.extend(
        f"Producer {p} is listed as unmet but has meetings."
        for p in rotation.unmet_producers
        if p in seated
    )
    total = sum(s.score for s in rotation.seats)
    if abs(total - rotation.total_score) > 1e-6 * max(1.0, abs(total)):
        problems.append(f"total_score {rotation.total_score} differs from the seats' sum {total}.")
    return problems


__all__ = ["Rotation", "Seat", "build_rotation", "check_rotation"]

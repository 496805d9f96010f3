"""Every viewer's suggestions in one pass (the batch behind ``services.recompute_all``).

It returns exactly what ``scoring_adapter.score_viewers`` returns viewer by viewer (a test
compares them), but computes each thing once for everybody instead of once per viewer:

- the buyers × titles block of components is computed a chunk of buyers at a time; from it
  come both views' totals (kept whole: buyers × titles, two float matrices) and the
  explanations of each buyer viewer's picks, without scoring a pair twice;
- a buyer's meetings are the best title of each seller's group in the pair matrix of that
  chunk (``core.meetings.SellerColumns``);
- the exhibitor side ("buyers to meet" per title, two-sided meetings) is computed once per
  company from the whole matrices and shared by its colleagues; each colleague's own "no
  thanks" only filters the shared ranking;
- declines, blocks and roles are read in a handful of queries, not per viewer.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

from reelmarket.market.enums import Role
from reelmarket.market.models import Participant
from reelmarket.matchmaking import scoring_adapter as sa
from reelmarket.matchmaking.core import TitleMatcher
from reelmarket.matchmaking.core.explain import Match
from reelmarket.matchmaking.core.meetings import (
    SellerColumns,
    pair_score,
    ranked_sellers,
    seller_columns,
)
from reelmarket.matchmaking.core.titles import ScoreBlock
from reelmarket.matchmaking.enums import TargetKind

CHUNK = 256  # buyers per block of components


@dataclass
class _Whole:
    """Both views' totals of every buyer × every title (rows and columns of the matcher)."""

    own: np.ndarray  # the buyer's view (history included), over its maximum
    other: np.ndarray  # the exhibitor's view (profile only), over its maximum


class _SellerExplanations:
    """The seller view's explanations of a company's block, each computed once."""

    def __init__(self, found: ScoreBlock, rows: list[int]) -> None:
        self.found = found
        self.at = {r: i for i, r in enumerate(rows)}
        self.done: dict[tuple[int, int], Match] = {}

    def of(self, row: int, j: int) -> Match:
        if (row, j) not in self.done:
            self.done[row, j] = self.found.explain(self.at[row], j, seller_view=True)
        return self.done[row, j]


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while the batch builds its ~150,000 small objects:
    each full collection would walk all of them again (measured: 13.4 s → 8.4 s for the
    demo market). Reference counting still frees everything; collection resumes after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def score_all(*, viewer_ids: Sequence[int]) -> Iterator[tuple[int, list[sa.Scored]]]:
    """Every suggestion of each viewer (all kinds), in ``viewer_ids`` order, from a freshly
    loaded world."""
    ids = list(viewer_ids)
    out: dict[int, list[sa.Scored]] = defaultdict(list)
    with gc_paused():
        sa.world_reset()
        w = sa.world()
        m = w.matcher
        assert m is not None
        participants = {
            p.pk: p
            for p in Participant.objects.filter(pk__in=ids)
            .select_related("organisation")
            .prefetch_related("roles")
        }
        roles = {pk: {r.role for r in p.roles.all()} for pk, p in participants.items()}
        blocks = sa._blocks(None)
        blocked = sa._blocked_by(blocks)
        financing = sa._score_financing(list(participants.values()), blocks)
        with w.lock:
            whole = _buyer_side(w, m, participants, roles, blocked, out)
            _seller_side(w, m, participants, roles, blocked, whole, out)
    for viewer_id in ids:
        if viewer_id not in participants:
            yield viewer_id, []
            continue
        yield viewer_id, sa._dedupe(out[viewer_id] + financing.get(viewer_id, []))


def _buyer_side(
    w: sa.World,
    m: TitleMatcher,
    participants: dict[int, Participant],
    roles: dict[int, set[str]],
    blocked: dict[int, set[int]],
    out: dict[int, list[sa.Scored]],
) -> _Whole:
    """Titles and meetings for every buyer viewer; returns the whole matrices."""
    n_buyers, n_titles = len(m.buyers), len(m.titles)
    buyer_max = m.pw.maximum + m.history.w.maximum
    whole = _Whole(own=np.zeros((n_buyers, n_titles)), other=np.zeros((n_buyers, n_titles)))
    grouped = seller_columns(m, list(w.staff))
    org_of_staff = {p: org for org, people in w.staff.items() for p in people}
    declined = sa._declined(TargetKind.MEETING)
    all_cols = np.arange(n_titles)
    for start in range(0, n_buyers, CHUNK):
        rows = np.arange(start, min(start + CHUNK, n_buyers))
        found = m.block(rows, all_cols)
        whole.own[rows] = found.totals() / buyer_max
        whole.other[rows] = found.totals(seller_view=True) / m.pw.maximum
        pair = None
        if grouped is not None:
            pair = grouped.best(
                pair_score(whole.own[rows][:, grouped.cols], whole.other[rows][:, grouped.cols])
            )
        for i, row in enumerate(rows.tolist()):
            viewer = participants.get(m.buyers[row].id)
            if viewer is None or Role.BUYER not in roles[viewer.pk]:
                continue
            own_org = viewer.organisation_id if viewer.organisation_confirmed else None
            for s in m.picks(found, i, k=sa.K_TITLES, exclude=sa._own_titles(w, own_org)):
                out[viewer.pk].append(
                    sa.Scored(
                        kind=TargetKind.TITLE,
                        score=s.total,
                        reasons=s.match.reasons,
                        title_id=s.item,
                    )
                )
            if pair is not None and grouped is not None:
                out[viewer.pk].extend(
                    _buyer_meetings(
                        w, viewer, found, i, pair, grouped, blocked, org_of_staff, declined
                    )
                )
    return whole


def _buyer_meetings(
    w: sa.World,
    viewer: Participant,
    found: ScoreBlock,
    i: int,
    pair: tuple[np.ndarray, np.ndarray],
    grouped: SellerColumns,
    blocked: dict[int, set[int]],
    org_of_staff: dict[int, int],
    declined: dict[int, set[str]],
) -> list[sa.Scored]:
    best, best_col = pair
    scores = best[i].copy()
    refused = {org_of_staff[p] for p in blocked.get(viewer.pk, ()) if p in org_of_staff}
    refused.add(viewer.organisation_id)  # not one's own company
    for s_pos, seller in enumerate(grouped.sellers.tolist()):
        if seller in refused:
            scores[s_pos] = 0.0
    mine = declined.get(viewer.pk, set())
    chosen: list[tuple[int, int, int]] = []  # (group position, person, column)
    for s_pos in ranked_sellers(scores, grouped.sellers, sa.K_MEETINGS + 2):
        seller = int(grouped.sellers[s_pos])
        person = sa._contact(w, seller, mine)
        if person is not None:
            chosen.append((s_pos, person, int(best_col[i, s_pos])))
    matches = found.explain_many(i, [col for _s, _p, col in chosen])
    return [
        sa.Scored(
            kind=TargetKind.MEETING,
            score=float(scores[s_pos]),
            reasons=match.reasons,
            person_id=person,
            title_ids=(w.titles[col].id,),
        )
        for (s_pos, person, col), match in zip(chosen, matches, strict=True)
    ]


def _seller_side(
    w: sa.World,
    m: TitleMatcher,
    participants: dict[int, Participant],
    roles: dict[int, set[str]],
    blocked: dict[int, set[int]],
    whole: _Whole,
    out: dict[int, list[sa.Scored]],
) -> None:
    """Buyers to meet per title and two-sided meetings, per company, for seller viewers."""
    by_org: dict[int, list[Participant]] = defaultdict(list)
    for pk, viewer in participants.items():
        if Role.SELLER in roles[pk] and viewer.organisation_confirmed and viewer.organisation_id:
            by_org[viewer.organisation_id].append(viewer)
    buyer_ids = np.asarray([b.id for b in m.buyers], dtype=np.int64)
    shown = np.asarray([b in w.buyer_shown for b in buyer_ids.tolist()], dtype=bool)
    for org, viewers in sorted(by_org.items()):
        titles = sa._own_titles(w, org)
        if not titles:
            continue
        cols = m._cols(titles)
        hidden = {
            v.pk: {v.pk} | {b for b in blocked.get(v.pk, ()) if b in m.buyer_index} for v in viewers
        }
        spare = max(len(h) for h in hidden.values())
        sell = np.where(shown[:, None], whole.other[:, cols] * m.pw.maximum, 0.0)
        # "buyers to meet": per title, the ranking of every shown buyer, best first
        per_title = []
        for j in range(len(cols)):
            order = np.lexsort((buyer_ids, -sell[:, j]))
            per_title.append([int(r) for r in order[: sa.K_BUYERS + spare] if sell[r, j] > 0])
        # meetings: each buyer's best title of the company, pair score over both views
        pair = np.where(shown[:, None], pair_score(whole.own[:, cols], whole.other[:, cols]), 0)
        best_col = np.argmax(pair, axis=1)
        best = pair[np.arange(len(buyer_ids)), best_col]
        order = np.lexsort((buyer_ids, -best))
        meet = [int(r) for r in order[: sa.K_MEETINGS + spare] if best[r] > 0]
        rows = sorted({r for ranked in per_title for r in ranked} | set(meet))
        found = m.block(np.asarray(rows, dtype=np.int64), cols, history=False)
        explain = _SellerExplanations(found, rows)  # shared by the company's colleagues
        for viewer in viewers:
            skip = hidden[viewer.pk]
            for j, title_id in enumerate(titles):
                chosen = [r for r in per_title[j] if int(buyer_ids[r]) not in skip][: sa.K_BUYERS]
                for r in chosen:
                    match = explain.of(r, j)
                    out[viewer.pk].append(
                        sa.Scored(
                            kind=TargetKind.BUYER,
                            score=match.total,
                            reasons=match.reasons,
                            title_id=title_id,
                            person_id=int(buyer_ids[r]),
                            about_other=True,
                        )
                    )
            for r in [r for r in meet if int(buyer_ids[r]) not in skip][: sa.K_MEETINGS]:
                j = int(best_col[r])
                out[viewer.pk].append(
                    sa.Scored(
                        kind=TargetKind.MEETING,
                        score=float(best[r]),
                        reasons=explain.of(r, j).reasons,
                        person_id=int(buyer_ids[r]),
                        title_ids=(titles[j],),
                        about_other=True,
                    )
                )


__all__ = ["gc_paused", "score_all"]

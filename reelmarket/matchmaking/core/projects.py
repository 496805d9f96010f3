"""Projects ↔ financiers, foundations and co-producers (Django-free).

The profile side is ``reelmarket.financing.relevance`` (ticket vs gap, genres, stage,
countries, partner sought, treaties; maximum 100), whose reasons come through unchanged.
An investor's own view adds the history components of :mod:`.history` over the projects
they viewed, saved, requested a meeting with or funded (their history is theirs: the
producer's view has the relevance reasons only).

Two-sided: a (project, investor) pair scores ``sqrt(producer_fit/100 × investor_fit/INVESTOR_MAX)``;
a "no thanks" from either side excludes it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

import numpy as np

from reelmarket.financing import relevance
from reelmarket.financing.relevance import InvestorFacts, ProjectFacts
from reelmarket.matchmaking.core.explain import Match, Reason, make_match
from reelmarket.matchmaking.core.history import (
    HistoryModel,
    HistoryWeights,
    Interaction,
)
from reelmarket.matchmaking.core.items import ItemSpace, TopLists
from reelmarket.matchmaking.core.meetings import pair_score
from reelmarket.matchmaking.core.titles import Suggestion
from reelmarket.matchmaking.core.tuning import log2_factor

RELEVANCE_MAX = 100.0


@dataclass(frozen=True)
class ProjectItem:
    facts: ProjectFacts
    vector: np.ndarray | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class ProjectMeetingSuggestion:
    project: int
    investor: int
    score: float  # 0..1
    producer_fit: Match  # the producer's view of the investor (relevance)
    investor_fit: Match  # the investor's view of the project (relevance + their history)


class FinancierMatcher:
    """Every investor against every project; ``Interaction.who`` is an investor id."""

    def __init__(
        self,
        *,
        projects: Sequence[ProjectItem],
        investors: Sequence[InvestorFacts],
        interactions: Iterable[Interaction] = (),
        now: datetime | date | None = None,
        history_weights: HistoryWeights | None = None,
        relevance_scale: float = 1.0,
    ) -> None:
        if relevance_scale < 0 or (
            relevance_scale and log2_factor(relevance_scale) != relevance_scale
        ):
            raise ValueError("relevance_scale must be 0 or a power of two (points stay exact)")
        self.relevance_scale = float(relevance_scale)
        self.projects = list(projects)
        self.investors = list(investors)
        self.investor_index = {i.id: n for n, i in enumerate(self.investors)}
        dims = {len(p.vector) for p in self.projects if p.vector is not None}
        if len(dims) > 1:
            raise ValueError(f"vectors of different dimensions: {sorted(dims)}")
        dim = dims.pop() if dims else 1
        vectors = np.zeros((len(self.projects), dim))
        for n, p in enumerate(self.projects):
            if p.vector is not None:
                vectors[n] = p.vector
        self.space = ItemSpace(
            ids=[p.facts.id for p in self.projects],
            genres=[p.facts.genres for p in self.projects],
            kinds=[p.facts.kind for p in self.projects],
            vectors=vectors,
        )
        self.weights = history_weights or HistoryWeights()
        self.history = HistoryModel(
            space=self.space,
            interactions=interactions,
            users=[i.id for i in self.investors],
            now=now,
            weights=self.weights,
        )
        self.investor_max = RELEVANCE_MAX * self.relevance_scale + self.weights.maximum
        self._producer = relevance.score_matrix(
            projects=[p.facts for p in self.projects], investors=self.investors
        ).T  # (I, P), the producer's view
        self._relevance = self._producer * self.relevance_scale  # exact: a power of two

    def _rows(self, investors: Sequence[int] | None) -> np.ndarray:
        if investors is None:
            return np.arange(len(self.investors))
        return np.asarray([self.investor_index[int(i)] for i in investors], dtype=np.int64)

    def _cols(self, projects: Sequence[int] | None) -> np.ndarray:
        if projects is None:
            return np.arange(len(self.projects))
        return self.space.indices(projects)

    def score_matrix(
        self,
        *,
        investors: Sequence[int] | None = None,
        projects: Sequence[int] | None = None,
        producer_view: bool = False,
    ) -> np.ndarray:
        """(investors, projects) totals == ``score(...).total`` (or ``producer_view``)."""
        rows, cols = self._rows(investors), self._cols(projects)
        if producer_view:
            return self._producer[np.ix_(rows, cols)].copy()
        rel = self._relevance[np.ix_(rows, cols)]
        hist_rows = np.asarray(
            [self.history.index_of[self.investors[r].id] for r in rows.tolist()], dtype=np.int64
        )
        total = rel.copy()
        for value in self.history.components(hist_rows, cols).values():
            total = total + value
        excluded = np.zeros(rel.shape, dtype=bool)
        for n, u in enumerate(hist_rows.tolist()):
            if len(self.history.not_sets[u]):
                excluded[n] |= np.isin(cols, self.history.not_sets[u])
        return np.where(excluded, 0.0, total)

    def producer_view(self, *, project: int, investor: int) -> Match:
        """What the project's producer sees: the investor's public profile fit."""
        col, row = self._cols([project])[0], self._rows([investor])[0]
        return relevance.score(project=self.projects[col].facts, investor=self.investors[row])

    def score(self, *, investor: int, project: int, ablate: Collection[str] = ()) -> Match:
        """The investor's view: relevance reasons (times ``relevance_scale``) + history reasons.

        A relevance hard filter (kind, stage, ticket) zeroes the relevance part and its
        0-point reasons stay listed; the investor's own history still counts (their
        behaviour says more than a partial profile).
        """
        col, row = int(self._cols([project])[0]), int(self._rows([investor])[0])
        base = relevance.score(project=self.projects[col].facts, investor=self.investors[row])
        u = self.history.index_of[self.investors[row].id]
        if col in set(self.history.not_sets[u].tolist()):
            return Match(0.0, (Reason("not_interested", 0.0, {"project": project}),))
        comps = self.history.components(np.asarray([u]), np.asarray([col]), ablate=ablate)
        values = {code: float(v[0, 0]) for code, v in comps.items()}
        scale = self.relevance_scale
        reasons = [
            Reason(r.code, r.points * scale, r.params) for r in base.reasons if r.code not in ablate
        ]
        reasons += self.history.reasons(u, col, values)
        filters = [r for r in reasons if r.code in relevance.EXCLUSION_CODES]
        match = make_match([r for r in reasons if r.code not in relevance.EXCLUSION_CODES])
        return Match(match.total, match.reasons + tuple(filters))

    def recommend(
        self, *, investor: int, k: int = 20, exclude: Collection[int] = ()
    ) -> list[Suggestion]:
        """The investor's top ``k`` projects (not already requested/funded/declined)."""
        totals = self.score_matrix(investors=[investor])[0]
        done = {p for p, a in self.history.interacted(investor).items() if a & {"request", "deal"}}
        banned = np.isin(self.space.ids, list(done | set(exclude)))
        order = np.lexsort((self.space.ids, -totals))
        chosen = [int(i) for i in order if totals[i] > 0 and not banned[i]][:k]
        return [
            Suggestion(
                int(self.space.ids[i]),
                self.score(investor=investor, project=int(self.space.ids[i])),
            )
            for i in chosen
        ]

    def financiers_for_project(
        self, *, project: int, k: int = 20, exclude: Collection[int] = ()
    ) -> list[Suggestion]:
        """The investors a producer should meet for ``project`` (producer view), best first."""
        col = int(self._cols([project])[0])
        totals = self._producer[:, col]
        ids = np.asarray([i.id for i in self.investors], dtype=np.int64)
        banned = np.isin(ids, list(exclude))
        order = np.lexsort((ids, -totals))
        chosen = [int(i) for i in order if totals[i] > 0 and not banned[i]][:k]
        return [
            Suggestion(int(ids[i]), self.producer_view(project=project, investor=int(ids[i])))
            for i in chosen
        ]

    def recompute(self, *, k: int = 50, chunk: int = 512, progress=None) -> TopLists:
        """Top ``k`` (project id, total) of every investor, best first."""
        out = TopLists()
        ids = [i.id for i in self.investors]
        for start in range(0, len(ids), chunk):
            part = ids[start : start + chunk]
            totals = self.score_matrix(investors=part)
            for n, inv in enumerate(part):
                order = np.lexsort((self.space.ids, -totals[n]))[:k]
                order = order[totals[n, order] > 0]
                out.put(inv, self.space.ids[order], np.asarray(totals[n, order], dtype=np.float64))
            if progress is not None:
                progress(len(part))
        return out


def project_meeting_suggestions(
    *,
    matcher: FinancierMatcher,
    no_thanks: Collection[tuple[int, int]] = (),
    projects: Sequence[int] | None = None,
    k: int = 10,
) -> list[ProjectMeetingSuggestion]:
    """Each project's ``k`` best investors on both sides' fit; (project, investor) pairs in
    ``no_thanks`` (declined by either side) are never suggested."""
    cols = matcher._cols(projects)
    declined = {(int(p), int(i)) for p, i in no_thanks}
    producer = matcher._producer[:, cols] / RELEVANCE_MAX  # (I, P)
    investor = (
        matcher.score_matrix(projects=[int(matcher.space.ids[c]) for c in cols])
        / matcher.investor_max
    )
    pair = pair_score(producer, investor)
    inv_ids = np.asarray([i.id for i in matcher.investors], dtype=np.int64)
    out: list[ProjectMeetingSuggestion] = []
    for n, col in enumerate(cols.tolist()):
        project = int(matcher.space.ids[col])
        scores = pair[:, n].copy()
        for r, inv in enumerate(inv_ids.tolist()):
            if (project, inv) in declined:
                scores[r] = 0.0
        order = [int(r) for r in np.lexsort((inv_ids, -scores)) if scores[r] > 0][:k]
        for r in order:
            inv = int(inv_ids[r])
            out.append(
                ProjectMeetingSuggestion(
                    project=project,
                    investor=inv,
                    score=float(scores[r]),
                    producer_fit=matcher.producer_view(project=project, investor=inv),
                    investor_fit=matcher.score(investor=inv, project=project),
                )
            )
    out.sort(key=lambda m: (-m.score, m.project, m.investor))
    return out


__all__ = [
    "FinancierMatcher",
    "ProjectItem",
    "ProjectMeetingSuggestion",
    "project_meeting_suggestions",
]

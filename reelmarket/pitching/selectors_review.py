"""Reads of the jury review: conflicts of interest, loads, a reviewer's list, the dossier a
reviewer sees (anonymised when the call says so), and the organisers' ranking.

Conflicts of interest are partly automatic and partly declared. A reviewer never reviews a
submission when

* they are the applicant, the project's producer or a member of its team (``own_project``);
* their organisation is the submission's, the project's, the producer's or the applicant's
  organisation (``same_organisation``) — a claimed, unconfirmed organisation counts too;
* they (or an organiser for them) declared a conflict with that submission (``declared``)
  or with one of those organisations (``declared_organisation``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from reelmarket.financing.enums import SourceKind, SourceStatus
from reelmarket.financing.models import ProjectMember
from reelmarket.pitching import scoring
from reelmarket.pitching.enums import SubmissionState, TextField
from reelmarket.pitching.models import (
    Call,
    Conflict,
    Criterion,
    ReviewAssignment,
    Reviewer,
    Score,
    Section,
    Submission,
)

S = SubmissionState

ASSIGNABLE_STATES = frozenset({S.SUBMITTED, S.SHORTLISTED})
"""Submissions that get reviewers when the organiser runs the assignment."""

REVIEWED_STATES = frozenset({S.SUBMITTED, S.SHORTLISTED, S.SELECTED, S.REJECTED})
"""Submissions shown on the reviewers' lists and in the ranking (not drafts, not withdrawn)."""

CONFLICT_LABELS = {
    "own_project": _("their own project"),
    "same_organisation": _("same organisation"),
    "declared": _("declared conflict"),
    "declared_organisation": _("declared conflict with the company"),
}

# Texts that name people or the company: hidden from an anonymised review.
IDENTIFYING_TEXTS = frozenset({TextField.BIOS, TextField.COMPANY_PROFILE})


# ---- conflicts of interest ------------------------------------------------------------------


def assignable_submissions(*, call: Call) -> QuerySet[Submission]:
    return Submission.objects.filter(call=call, state__in=ASSIGNABLE_STATES).order_by("pk")


def _with_parties(submissions: QuerySet[Submission]) -> QuerySet[Submission]:
    return submissions.select_related(
        "section", "applicant", "project", "project__owner"
    ).prefetch_related(
        Prefetch(
            "project__team",
            queryset=ProjectMember.objects.exclude(participant=None).only(
                "project_id", "participant_id"
            ),
            to_attr="linked_team",
        )
    )


def _parties(submission: Submission) -> tuple[set[int], set[int]]:
    """(participant ids, organisation ids) of the people behind a submission."""
    project = submission.project
    people = {submission.applicant_id, project.owner_id}
    people |= {m.participant_id for m in getattr(project, "linked_team", ())}
    organisations = {
        submission.organisation_id,
        project.organisation_id,
        project.owner.organisation_id,
        submission.applicant.organisation_id,
    }
    return people, {o for o in organisations if o is not None}


def conflict_matrix(
    *, call: Call, submissions: Iterable[Submission] | None = None
) -> dict[tuple[int, int], str]:
    """``(submission id, reviewer id) -> reason code`` for every conflicting pair of the
    call (all its reviewers, active or not; ``submissions`` defaults to the reviewed ones)."""
    if submissions is None:
        subs = list(_with_parties(Submission.objects.filter(call=call, state__in=REVIEWED_STATES)))
    else:
        subs = list(_with_parties(Submission.objects.filter(pk__in=[s.pk for s in submissions])))
    reviewers = list(Reviewer.objects.filter(call=call).select_related("participant"))
    declared_subs: dict[int, set[int]] = defaultdict(set)
    declared_orgs: dict[int, set[int]] = defaultdict(set)
    for reviewer_id, submission_id, organisation_id in Conflict.objects.filter(
        reviewer__call=call
    ).values_list("reviewer_id", "submission_id", "organisation_id"):
        if submission_id is not None:
            declared_subs[reviewer_id].add(submission_id)
        if organisation_id is not None:
            declared_orgs[reviewer_id].add(organisation_id)
    out: dict[tuple[int, int], str] = {}
    for submission in subs:
        people, organisations = _parties(submission)
        for reviewer in reviewers:
            reason = None
            if reviewer.participant_id in people:
                reason = "own_project"
            elif submission.pk in declared_subs[reviewer.pk]:
                reason = "declared"
            elif reviewer.participant.organisation_id in organisations:
                reason = "same_organisation"
            elif declared_orgs[reviewer.pk] & organisations:
                reason = "declared_organisation"
            if reason:
                out[(submission.pk, reviewer.pk)] = reason
    return out


@dataclass(frozen=True)
class ConflictRow:
    reviewer: Reviewer
    submission: Submission
    reason: str
    declared: Conflict | None = None

    @property
    def reason_label(self) -> str:
        return str(CONFLICT_LABELS[self.reason])


def conflicts_overview(*, call: Call) -> tuple[list[Conflict], list[ConflictRow]]:
    """The declared conflicts (with a submission or a company) and every conflicting pair
    they and the automatic rules produce, for the organisers' page."""
    declared = list(
        Conflict.objects.filter(reviewer__call=call)
        .select_related("reviewer__participant", "submission__project", "organisation")
        .order_by("reviewer__participant__display_name", "pk")
    )
    subs = {
        s.pk: s
        for s in Submission.objects.filter(call=call, state__in=REVIEWED_STATES).select_related(
            "project", "section"
        )
    }
    reviewers = {r.pk: r for r in Reviewer.objects.filter(call=call).select_related("participant")}
    rows = [
        ConflictRow(reviewer=reviewers[r], submission=subs[s], reason=reason)
        for (s, r), reason in conflict_matrix(call=call, submissions=subs.values()).items()
    ]
    rows.sort(key=lambda row: (row.reviewer.participant.display_name, row.submission.pk))
    return declared, rows


# ---- loads and progress ---------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewerLoad:
    reviewer: Reviewer
    assigned: int
    completed: int

    @property
    def remaining(self) -> int:
        return self.assigned - self.completed

    @property
    def percent(self) -> int:
        return round(100 * self.completed / self.assigned) if self.assigned else 0


def reviewer_loads(*, call: Call) -> list[ReviewerLoad]:
    """Every reviewer of the call with their assignments and completed reviews (withdrawn
    submissions do not count), most work left first."""
    visible = Q(assignments__submission__state__in=REVIEWED_STATES)
    reviewers = (
        Reviewer.objects.filter(call=call)
        .select_related("participant__organisation")
        .annotate(
            n_assigned=Count("assignments", filter=visible),
            n_completed=Count(
                "assignments", filter=visible & Q(assignments__completed_at__isnull=False)
            ),
        )
    )
    loads = [
        ReviewerLoad(reviewer=r, assigned=r.n_assigned, completed=r.n_completed) for r in reviewers
    ]
    loads.sort(
        key=lambda x: (not x.reviewer.active, -x.remaining, x.reviewer.participant.display_name)
    )
    return loads


@dataclass(frozen=True)
class CallProgress:
    submissions: int
    expected: int  # reviews wanted: k per assignable submission (or more where assigned)
    assigned: int
    completed: int
    missing: dict[int, int]  # submission id -> reviewers still to assign

    @property
    def percent(self) -> int:
        return round(100 * self.completed / self.assigned) if self.assigned else 0


def call_progress(*, call: Call) -> CallProgress:
    k = call.reviewers_per_submission
    counts = dict(
        assignable_submissions(call=call).annotate(n=Count("assignments")).values_list("pk", "n")
    )
    visible = ReviewAssignment.objects.filter(
        submission__call=call, submission__state__in=REVIEWED_STATES
    )
    return CallProgress(
        submissions=len(counts),
        expected=sum(max(k, n) for n in counts.values()),
        assigned=visible.count(),
        completed=visible.filter(completed_at__isnull=False).count(),
        missing={pk: k - n for pk, n in counts.items() if n < k},
    )


# ---- a reviewer's list ----------------------------------------------------------------------


@dataclass(frozen=True)
class MyReview:
    assignment: ReviewAssignment
    scored: int  # criteria scored so far
    criteria: int

    @property
    def status(self) -> str:
        if self.assignment.completed_at:
            return "completed"
        return "in_progress" if self.scored else "not_started"


@dataclass(frozen=True)
class MyReviews:
    reviewer: Reviewer
    rows: list[MyReview]

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def done(self) -> int:
        return sum(1 for row in self.rows if row.assignment.completed_at)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def my_reviews(*, reviewer: Reviewer) -> MyReviews:
    """The reviewer's assignments (not withdrawn), unfinished first, in section order."""
    criteria = Criterion.objects.filter(call_id=reviewer.call_id).count()
    assignments = (
        ReviewAssignment.objects.filter(reviewer=reviewer, submission__state__in=REVIEWED_STATES)
        .select_related("submission__project", "submission__section")
        .annotate(n_scores=Count("scores"))
        .order_by(
            "completed_at",
            "submission__section__position",
            "submission__section_id",
            "submission_id",
        )
    )
    rows = [MyReview(assignment=a, scored=a.n_scores, criteria=criteria) for a in assignments]
    rows.sort(key=lambda row: row.assignment.completed_at is not None)  # stable: open first
    return MyReviews(reviewer=reviewer, rows=rows)


def reviewer_calls(*, participant: Any) -> list[tuple[Reviewer, MyReviews]]:
    """Every call the participant reviews, with their progress, newest call first."""
    seats = Reviewer.objects.filter(participant=participant).select_related("call__edition")
    return [(seat, my_reviews(reviewer=seat)) for seat in seats.order_by("-call__deadline")]


# ---- the dossier a reviewer reads -----------------------------------------------------------


@dataclass(frozen=True)
class TextPair:
    field: str
    label: str
    en: str
    zh: str

    @property
    def both(self) -> bool:
        return bool(self.en and self.zh)


@dataclass(frozen=True)
class SourceLine:
    kind: str
    name: str | None  # None in an anonymised review (a source's name can name the company)
    amount: Decimal | None
    secured: bool
    status: str


@dataclass(frozen=True)
class Money:
    budget: Decimal | None
    currency: str
    sources: list[SourceLine]
    secured: Decimal | None
    gap: Decimal | None


@dataclass(frozen=True)
class Dossier:
    submission_id: int
    title: str
    section: str
    kind: str
    stage: str
    genres: list[str]
    runtime_minutes: int | None
    episodes: int | None
    countries: list[str]
    anonymised: bool
    texts: list[TextPair]
    money: Money
    screeners: list[str]
    poster_url: str
    hidden_texts: list[str] = field(default_factory=list)
    # Only when not anonymised:
    applicant: str | None = None
    company: str | None = None
    producer: str | None = None
    team: list[tuple[str, str]] = field(default_factory=list)


def _decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _money(submission: Submission, anonymised: bool) -> Money:
    """The financing as submitted (``snapshot``), else the project as it is now."""
    snap = submission.snapshot or {}
    project = submission.project
    if snap.get("budget") is not None:
        raw_sources = snap.get("sources") or []
        currency = str(snap.get("currency") or project.currency)
        budget = _decimal(snap.get("budget"))
    else:
        raw_sources = [
            {"kind": s.kind, "name": s.name, "amount": s.amount, "status": s.status}
            for s in project.sources.all()
        ]
        currency, budget = project.currency, project.budget
    kinds, statuses = dict(SourceKind.choices), dict(SourceStatus.choices)
    sources = []
    for item in raw_sources:
        status = str(item.get("status") or SourceStatus.SECURED)
        sources.append(
            SourceLine(
                kind=str(kinds.get(item.get("kind"), item.get("kind") or "")),
                name=None if anonymised else str(item.get("name") or ""),
                amount=_decimal(item.get("amount")),
                secured=status == SourceStatus.SECURED,
                status=str(statuses.get(status, status)),
            )
        )
    secured = _decimal(snap.get("secured"))
    if secured is None:
        secured = sum((s.amount or Decimal(0) for s in sources if s.secured), Decimal(0))
    gap = _decimal(snap.get("gap"))
    if gap is None and budget is not None:
        gap = max(budget - secured, Decimal(0))
    return Money(budget=budget, currency=currency, sources=sources, secured=secured, gap=gap)


def review_dossier(*, assignment: ReviewAssignment, anonymised: bool | None = None) -> Dossier:
    """What the reviewer reads. In an anonymised call it carries no applicant, company,
    producer or team name: not even in the texts that are about them (biographies,
    company profile), nor the names of financing sources."""
    submission = (
        Submission.objects.select_related(
            "call",
            "section",
            "project__owner",
            "project__organisation",
            "applicant",
            "organisation",
        )
        .prefetch_related("project__sources", "project__team")
        .get(pk=assignment.submission_id)
    )
    if anonymised is None:
        anonymised = submission.call.anonymised_review
    project = submission.project
    texts, hidden = [], []
    for text_field in TextField:
        pair = TextPair(
            field=text_field.value,
            label=str(text_field.label),
            en=submission.text(text_field.value, "en"),
            zh=submission.text(text_field.value, "zh"),
        )
        if not (pair.en or pair.zh):
            continue
        if anonymised and text_field in IDENTIFYING_TEXTS:
            hidden.append(pair.label)
            continue
        texts.append(pair)
    dossier = Dossier(
        submission_id=submission.pk,
        title=project.title,
        section=submission.section.name,
        kind=project.get_kind_display(),
        stage=project.get_stage_display(),
        genres=list(project.genres or []),
        runtime_minutes=project.runtime_minutes,
        episodes=project.episodes,
        countries=list(project.countries or []),
        anonymised=anonymised,
        texts=texts,
        hidden_texts=hidden,
        money=_money(submission, anonymised),
        screeners=[u for u in (submission.screener_1, submission.screener_2) if u],
        poster_url=submission.poster.url if submission.poster else "",
    )
    if anonymised:
        return dossier
    company = submission.organisation or project.organisation
    return replace(
        dossier,
        applicant=submission.applicant.display_name,
        company=company.name if company else None,
        producer=project.owner.display_name,
        team=[(m.name, m.role) for m in project.team.all()],
    )


def rubric(*, call: Call) -> list[Criterion]:
    return list(Criterion.objects.filter(call=call).order_by("position", "pk"))


def scores_of(*, assignment: ReviewAssignment) -> dict[int, int]:
    return dict(Score.objects.filter(assignment=assignment).values_list("criterion_id", "value"))


# ---- the ranking ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewTotal:
    assignment_id: int
    reviewer_id: int
    reviewer: str
    total: float


@dataclass
class RankRow:
    submission: Submission
    reviews_done: int
    reviews_expected: int
    totals: list[ReviewTotal]
    raw: float | None = None
    normalised: float | None = None
    rank: int | None = None

    @property
    def spread(self) -> float | None:
        """Highest minus lowest weighted total (points out of 100)."""
        if len(self.totals) < 2:
            return None
        values = [t.total for t in self.totals]
        return max(values) - min(values)


@dataclass
class SectionRanking:
    section: Section
    rows: list[RankRow]
    selected: int

    @property
    def places(self) -> int | None:
        return self.section.max_selected

    @property
    def places_left(self) -> int | None:
        if self.section.max_selected is None:
            return None
        return max(self.section.max_selected - self.selected, 0)


@dataclass
class Ranking:
    call: Call
    sections: list[SectionRanking]
    normalised: bool
    reviews: int


def review_totals(*, call: Call) -> dict[int, list[ReviewTotal]]:
    """``submission id -> weighted totals (0..100)`` of its completed reviews.

    A review is weighed over the criteria it scored: a criterion added to the rubric after
    a review was completed does not count against that review.
    """
    criteria = {c.pk: c for c in Criterion.objects.filter(call=call)}
    scores: dict[int, dict[int, int]] = defaultdict(dict)
    for assignment_id, criterion_id, value in Score.objects.filter(
        assignment__submission__call=call, assignment__completed_at__isnull=False
    ).values_list("assignment_id", "criterion_id", "value"):
        scores[assignment_id][criterion_id] = value
    out: dict[int, list[ReviewTotal]] = defaultdict(list)
    done = (
        ReviewAssignment.objects.filter(
            submission__call=call,
            submission__state__in=REVIEWED_STATES,
            completed_at__isnull=False,
        )
        .select_related("reviewer__participant")
        .order_by("submission_id", "reviewer__participant__display_name")
    )
    for assignment in done:
        given = {c: v for c, v in scores[assignment.pk].items() if c in criteria}
        if not given:
            continue
        total = scoring.weighted_total(
            scores=given,
            weights={c: float(criteria[c].weight) for c in given},
            scale_max={c: criteria[c].scale_max for c in given},
        )
        out[assignment.submission_id].append(
            ReviewTotal(
                assignment_id=assignment.pk,
                reviewer_id=assignment.reviewer_id,
                reviewer=assignment.reviewer.participant.display_name,
                total=total,
            )
        )
    return out


def _section_ranks(rows: Sequence[RankRow]) -> None:
    """Rank within the section by the normalised score (the raw mean without
    normalisation), ties sharing a rank (1, 2, 2, 4) as in ``scoring.rank_submissions``;
    unreviewed submissions stay unranked."""
    scored = [r for r in rows if r.normalised is not None]
    scored.sort(key=lambda r: (-round(r.normalised or 0.0, scoring.TIE_DIGITS), r.submission.pk))
    previous: float | None = None
    rank = 0
    for position, row in enumerate(scored, start=1):
        key = round(row.normalised or 0.0, scoring.TIE_DIGITS)
        if key != previous:
            rank, previous = position, key
        row.rank = rank


def ranking(*, call: Call, normalise: bool = True) -> Ranking:
    """Per section: every reviewed submission with its weighted totals, raw mean,
    normalised score and rank. Normalisation removes each reviewer's bias using all their
    reviews in the call (``scoring.rank_submissions``); the rank is within the section."""
    k = call.reviewers_per_submission
    totals = review_totals(call=call)
    ranked = scoring.rank_submissions(
        reviews=[(t.reviewer_id, sub, t.total) for sub, ts in totals.items() for t in ts],
        normalise=normalise,
    )
    by_submission = {r.submission: r for r in ranked}
    submissions = (
        Submission.objects.filter(call=call, state__in=REVIEWED_STATES)
        .select_related("project", "applicant", "organisation", "section")
        .annotate(n_assigned=Count("assignments"))
        .order_by("section__position", "section_id", "pk")
    )
    rows_by_section: dict[int, list[RankRow]] = defaultdict(list)
    for submission in submissions:
        result = by_submission.get(submission.pk)
        rows_by_section[submission.section_id].append(
            RankRow(
                submission=submission,
                reviews_done=len(totals.get(submission.pk, [])),
                reviews_expected=max(k, submission.n_assigned),
                totals=totals.get(submission.pk, []),
                raw=result.raw if result else None,
                normalised=result.normalised if result else None,
            )
        )
    selected = dict(
        Submission.objects.filter(call=call, state=S.SELECTED)
        .values_list("section_id")
        .annotate(n=Count("pk"))
    )
    sections = []
    for section in Section.objects.filter(call=call).order_by("position", "pk"):
        rows = rows_by_section.get(section.pk, [])
        _section_ranks(rows)
        rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.submission.pk))
        sections.append(
            SectionRanking(section=section, rows=rows, selected=selected.get(section.pk, 0))
        )
    return Ranking(
        call=call,
        sections=sections,
        normalised=normalise,
        reviews=sum(len(ts) for ts in totals.values()),
    )

"""Reads for the organisers' dashboard of a call: submissions by country and section,
selection rate per section, reviewer progress (``ReviewAssignment.completed_at`` counted
directly), meeting wishes per selected project. A handful of aggregate queries whatever
the call's size."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q

from reelmarket.market.models import Participant
from reelmarket.pitching.enums import SubmissionState
from reelmarket.pitching.models import Call, ReviewAssignment, Reviewer, Submission
from reelmarket.pitching.selectors_after import public_submissions, wish_counts

S = SubmissionState

# States a submission passes through once it has been sent in.
SENT = (S.SUBMITTED, S.SHORTLISTED, S.SELECTED, S.REJECTED)


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    note: str = ""  # e.g. "12 of 40"
    key: str = ""


@dataclass(frozen=True)
class SectionRow:
    code: str
    name: str
    drafts: int
    sent: int  # submitted, shortlisted, selected or rejected
    shortlisted: int
    selected: int
    rejected: int
    withdrawn: int
    places: int | None

    @property
    def selection_rate(self) -> float | None:
        """Selected as a share of the submissions sent in (None when nothing was sent)."""
        return self.selected / self.sent if self.sent else None


@dataclass(frozen=True)
class ReviewerRow:
    participant: Participant
    assigned: int
    completed: int

    @property
    def percent(self) -> int:
        return round(100 * self.completed / self.assigned) if self.assigned else 0


@dataclass
class Dashboard:
    by_country: list[Bar]
    by_section: list[SectionRow]
    reviewers: list[ReviewerRow]
    wishes: list[Bar]
    totals: dict[str, int]


def _country_of(project_countries: list[str] | None, applicant_country: str) -> str:
    return (project_countries or [""])[0] or applicant_country


def dashboard_figures(*, call: Call) -> Dashboard:
    """The organiser's figures for one call, from a handful of aggregate queries.

    Submissions by country count the sent-in submissions (drafts and withdrawals left out)
    by the project's first production country (else the applicant's). Reviewer progress
    counts the assignments with ``completed_at`` set.
    """
    country_counts: dict[str, int] = defaultdict(int)
    for countries, applicant_country in Submission.objects.filter(
        call=call, state__in=SENT
    ).values_list("project__countries", "applicant__country"):
        country_counts[_country_of(countries, applicant_country)] += 1
    by_country = [
        Bar(label=code, value=n, key=code)
        for code, n in sorted(country_counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]

    rows = []
    for section in call.sections.order_by("position", "id").annotate(
        drafts=Count("submissions", filter=Q(submissions__state=S.DRAFT)),
        sent=Count("submissions", filter=Q(submissions__state__in=SENT)),
        shortlisted=Count("submissions", filter=Q(submissions__state=S.SHORTLISTED)),
        selected=Count("submissions", filter=Q(submissions__state=S.SELECTED)),
        rejected=Count("submissions", filter=Q(submissions__state=S.REJECTED)),
        withdrawn=Count("submissions", filter=Q(submissions__state=S.WITHDRAWN)),
    ):
        rows.append(
            SectionRow(
                code=section.code,
                name=section.name,
                drafts=section.drafts,
                sent=section.sent,
                shortlisted=section.shortlisted,
                selected=section.selected,
                rejected=section.rejected,
                withdrawn=section.withdrawn,
                places=section.max_selected,
            )
        )

    reviewers = [
        ReviewerRow(participant=r.participant, assigned=r.assigned, completed=r.completed)
        for r in Reviewer.objects.filter(call=call)
        .select_related("participant")
        .annotate(
            assigned=Count("assignments"),
            completed=Count("assignments", filter=Q(assignments__completed_at__isnull=False)),
        )
        .order_by("participant__display_name", "id")
    ]
    counts = wish_counts(call=call)
    titles = dict(
        public_submissions(call=call).values_list("id", "project__title").order_by("project__title")
    )
    wishes = sorted(
        (Bar(label=title, value=counts.get(pk, 0), key=str(pk)) for pk, title in titles.items()),
        key=lambda b: (-b.value, b.label),
    )
    assignments = ReviewAssignment.objects.filter(reviewer__call=call)
    totals = {
        "sent": sum(r.sent for r in rows),
        "drafts": sum(r.drafts for r in rows),
        "selected": sum(r.selected for r in rows),
        "assignments": assignments.count(),
        "completed": assignments.filter(completed_at__isnull=False).count(),
        "wishes": sum(counts.values()),
    }
    return Dashboard(
        by_country=by_country, by_section=rows, reviewers=reviewers, wishes=wishes, totals=totals
    )

"""Reads of the pitch forum's application side: calls, sections, an applicant's
submissions and projects, one submission with its history, the organisers' overview."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Prefetch, QuerySet

from reelmarket.financing.models import Project
from reelmarket.pitching.enums import SubmissionState
from reelmarket.pitching.models import Call, Section, Submission, SubmissionEvent

S = SubmissionState


def calls_listed() -> QuerySet[Call]:
    """Every call with its edition and sections, the latest deadline first."""
    return Call.objects.select_related("edition").prefetch_related(
        Prefetch("sections", queryset=Section.objects.order_by("position", "id"))
    )


def call_is_open(call: Call, *, at: datetime) -> bool:
    return call.opens_at <= at <= call.deadline


def call_get(*, call_id: int) -> Call:
    """Raises ``Call.DoesNotExist``."""
    return calls_listed().get(pk=call_id)


def sections_of(call: Call) -> QuerySet[Section]:
    return (
        Section.objects.filter(call=call).select_related("call__edition").order_by("position", "id")
    )


def projects_of(participant: Any) -> QuerySet[Project]:
    return Project.objects.filter(owner=participant).order_by("title", "id")


def submissions_of(participant: Any) -> QuerySet[Submission]:
    """The participant's own submissions, newest call first."""
    return (
        Submission.objects.filter(applicant=participant)
        .select_related("call__edition", "section", "project")
        .order_by("-call__deadline", "-created_at", "-id")
    )


def submission_get(*, submission_id: int) -> Submission:
    """One submission with what its page shows; raises ``Submission.DoesNotExist``."""
    return submissions_detailed().get(pk=submission_id)


def submissions_detailed() -> QuerySet[Submission]:
    """Submissions with everything their page or API record shows (a fixed number of
    queries for any number of rows)."""
    return Submission.objects.select_related(
        "call__edition", "section__call", "project", "applicant__user", "organisation"
    ).prefetch_related(
        "project__sources",
        Prefetch(
            "events",
            queryset=SubmissionEvent.objects.select_related("actor__participant").order_by(
                "created_at", "id"
            ),
        ),
    )


@dataclass
class Overview:
    """The organisers' view of one call: counts by section and status, and the rows."""

    call: Call
    sections: list[Section]
    counts: dict[tuple[int, str], int] = field(default_factory=dict)
    rows: list[Submission] = field(default_factory=list)

    def count(self, section_id: int, state: str) -> int:
        return self.counts.get((section_id, state), 0)

    @property
    def table(self) -> list[tuple[Section, list[int], int]]:
        """(section, count per state in ``S`` order, total) per section."""
        out = []
        for section in self.sections:
            counts = [self.count(section.pk, state) for state in S.values]
            out.append((section, counts, sum(counts)))
        return out

    @property
    def grand_total(self) -> int:
        return sum(self.counts.values())

    @property
    def totals(self) -> list[int]:
        return [sum(self.count(s.pk, state) for s in self.sections) for state in S.values]


def call_overview(*, call: Call, state: str = "", section_id: int | None = None) -> Overview:
    """Counts for the whole call; rows filtered by ``state`` and ``section_id`` when given.
    Drafts are counted but listed only when asked for (``state="draft"``)."""
    sections = list(sections_of(call))
    counts = Counter(
        Submission.objects.filter(call=call).values_list("section_id", "state").iterator()
    )
    rows = Submission.objects.filter(call=call).select_related(
        "section", "project", "applicant", "organisation"
    )
    rows = rows.filter(state=state) if state else rows.exclude(state=S.DRAFT)
    if section_id is not None:
        rows = rows.filter(section_id=section_id)
    return Overview(
        call=call,
        sections=sections,
        counts=dict(counts),
        rows=list(rows.order_by(*OVERVIEW_ORDER)),
    )


OVERVIEW_ORDER = ("section__position", "section_id", "project__title", "id")


def call_submissions(
    *, call: Call, state: str = "", section_id: int | None = None
) -> QuerySet[Submission]:
    """The call's submissions as full records (the API's organiser list): drafts only
    when ``state="draft"`` is asked for."""
    rows = submissions_detailed().filter(call=call)
    rows = rows.filter(state=state) if state else rows.exclude(state=S.DRAFT)
    if section_id is not None:
        rows = rows.filter(section_id=section_id)
    return rows.order_by(*OVERVIEW_ORDER)

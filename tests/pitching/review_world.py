"""A small jury-review world shared by the review tests: one call with two sections, a
two-line rubric, an organiser, four reviewers from different companies, and submitted
projects whose producers belong to known companies."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from reelmarket.market.enums import Role
from reelmarket.pitching import services_review as services
from reelmarket.pitching.enums import SectionKind, SubmissionState
from reelmarket.pitching.models import ReviewAssignment, Reviewer, Submission
from tests.factories import OrganisationFactory, ParticipantFactory, make_user_with_roles
from tests.financing.factories import FinancingSourceFactory, ProjectFactory
from tests.pitching.factories import (
    CallFactory,
    CriterionFactory,
    ReviewerFactory,
    SectionFactory,
    SubmissionFactory,
)

S = SubmissionState


class ReviewWorld:
    def __init__(self, *, k: int = 2, anonymised: bool = False, submissions: int = 4) -> None:
        self.call = CallFactory(
            name="HAF 2026", reviewers_per_submission=k, anonymised_review=anonymised
        )
        self.call.edition.is_current = True
        self.call.edition.save()
        self.animation = SectionFactory(
            call=self.call, name="Animation", kind=SectionKind.ANIMATION, position=1
        )
        self.development = SectionFactory(
            call=self.call, name="In development", position=0, max_selected=2
        )
        # Story: weight 2 on 0..10; Team: weight 1 on 0..5.
        self.story = CriterionFactory(
            call=self.call, name="Story", weight=Decimal("2"), scale_max=10, position=0
        )
        self.team = CriterionFactory(
            call=self.call, name="Team", weight=Decimal("1"), scale_max=5, position=1
        )
        self.organiser = make_user_with_roles(Role.ORGANISER)
        self.outsider = make_user_with_roles(Role.BUYER)
        self.companies = [OrganisationFactory(name=f"Studio {c}") for c in "ABCDE"]
        self.reviewers: list[Reviewer] = [
            ReviewerFactory(
                call=self.call,
                participant=ParticipantFactory(
                    display_name=f"Reviewer {i}", organisation=self.companies[i]
                ),
            )
            for i in range(4)
        ]
        self.submissions = [self.submission(i) for i in range(submissions)]

    def submission(
        self, i: int, *, company: Any = None, section: Any = None, **kwargs: Any
    ) -> Submission:
        """Submission ``i``: its producer works for company ``i % 4`` unless told."""
        owner = ParticipantFactory(
            display_name=f"Producer {i}",
            organisation=company if company is not None else self.companies[i % 4],
        )
        project = ProjectFactory(owner=owner, title=f"Project {i}")
        FinancingSourceFactory(project=project, name=f"Fund {i}", amount=Decimal("250000"))
        return SubmissionFactory(
            call=self.call,
            section=section or (self.development if i % 2 == 0 else self.animation),
            project=project,
            state=kwargs.pop("state", S.SUBMITTED),
            **kwargs,
        )

    def assign(self, **kwargs: Any) -> services.AssignOutcome:
        return services.review_assign(actor=self.organiser, call=self.call, **kwargs)

    def assignment(self, reviewer: Reviewer, submission: Submission) -> ReviewAssignment:
        return ReviewAssignment.objects.get(reviewer=reviewer, submission=submission)

    def score(
        self, assignment: ReviewAssignment, story: int, team: int, *, complete: bool = True
    ) -> ReviewAssignment:
        return services.review_save(
            actor=assignment.reviewer.participant.user,
            assignment=assignment,
            scores={self.story.pk: story, self.team.pk: team},
            comment="",
            complete=complete,
        )


class World(ReviewWorld):
    """Submission 1 (Animation) reviewed by reviewer 2; reviewer 3 has other work."""

    def __init__(self, **kwargs) -> None:
        super().__init__(k=1, submissions=2, **kwargs)
        self.sub = self.submissions[1]
        self.mine = ReviewAssignment.objects.create(submission=self.sub, reviewer=self.reviewers[2])
        self.other = ReviewAssignment.objects.create(
            submission=self.submissions[0], reviewer=self.reviewers[3]
        )
        self.applicant = self.sub.applicant.user
        self.assigned = self.reviewers[2].participant.user
        self.unassigned = self.reviewers[3].participant.user

    def users(self) -> dict[str, object]:
        return {
            "outsider": self.outsider,
            "applicant": self.applicant,
            "assigned": self.assigned,
            "unassigned": self.unassigned,
            "organiser": self.organiser,
        }


def identified_submission(world: ReviewWorld) -> Submission:
    """A submission whose people and company have names the anonymised page must hide."""
    company = OrganisationFactory(name="Dragon Pictures")
    owner = ParticipantFactory(display_name="Wei Zhang", organisation=company)
    project = ProjectFactory(owner=owner, title="Paper Tigers")
    project.team.create(name="Lin Mei", role="Director")
    FinancingSourceFactory(project=project, name="Dragon Pictures equity")
    return SubmissionFactory(
        call=world.call,
        section=world.animation,
        project=project,
        state=S.SUBMITTED,
        logline_en="Two paper tigers learn to roar.",
        logline_zh="兩隻紙老虎學會咆哮。",
        bios_en="Wei Zhang directed three shorts.",
        company_profile_en="Dragon Pictures is a Shanghai studio.",
        screener_1="https://vimeo.com/123",
    )


IDENTITY = ["Wei Zhang", "Dragon Pictures", "Lin Mei"]


def pairs() -> set[tuple[int, int]]:
    return set(ReviewAssignment.objects.values_list("submission_id", "reviewer_id"))


def loads(world: ReviewWorld) -> dict[int, int]:
    out = dict.fromkeys((r.pk for r in world.reviewers), 0)
    for _s, r in pairs():
        out[r] = out.get(r, 0) + 1
    return out

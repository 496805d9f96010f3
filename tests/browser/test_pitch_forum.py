"""The pitch forum's whole path in headless Chromium: Wei (Shanghai) submits his animated
feature to the animation section in Chinese; the organiser assigns the jury and two
reviewers score it; the organiser shortlists and selects it; Sofia (foundation, Paris)
asks to meet the project on its dossier; the organiser turns the wishes into meeting
requests, runs the meeting optimiser and publishes; Wei finds the meeting in his agenda."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from reelmarket.financing.enums import ProjectKind, ProjectStage
from reelmarket.market.enums import Role
from reelmarket.meetings.enums import SchedulingMode
from reelmarket.meetings.models import Meeting, MeetingRequest
from reelmarket.pitching.enums import SectionKind, SubmissionState
from reelmarket.pitching.models import MeetingWish, ReviewAssignment, Submission
from tests.browser.test_journeys import log_in
from tests.factories import EditionFactory, OrganisationFactory
from tests.financing.factories import FinancingSourceFactory, ProjectFactory
from tests.meetings.factories import MeetingGridFactory, person
from tests.pitching.factories import (
    CallFactory,
    CriterionFactory,
    ReviewerFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


class Forum:
    def __init__(self) -> None:
        self.edition = EditionFactory(is_current=True, name="FILMART 2025", slug="filmart-2025")
        MeetingGridFactory(
            edition=self.edition, mode=SchedulingMode.OPTIMISER, shared_tables=4, shared_reserve=0
        )
        self.call = CallFactory(
            edition=self.edition, name="HAF 2025", slug="haf-2025", reviewers_per_submission=2
        )
        SectionFactory(call=self.call, code="wip", name="Works in progress",
                       kind=SectionKind.WORK_IN_PROGRESS, position=0)  # fmt: skip
        self.animation = SectionFactory(
            call=self.call, code="animation", name="Animation", kind=SectionKind.ANIMATION,
            position=1,
        )  # fmt: skip
        self.story = CriterionFactory(call=self.call, name="Story", weight=Decimal("2"))
        self.team = CriterionFactory(call=self.call, name="Team", weight=Decimal("1"))
        studio = OrganisationFactory(name="Shanghai Ink Studio", slug="ink", country="CN")
        self.wei = person(
            self.edition, Role.PRODUCER, organisation=studio, display_name="Wei Zhang",
            country="CN", time_zone="Asia/Shanghai",
        )  # fmt: skip
        self.project = ProjectFactory(
            owner=self.wei, title="The Paper Tiger", kind=ProjectKind.ANIMATION_FEATURE,
            genres=["animation"], stage=ProjectStage.DEVELOPMENT, countries=["CN"],
            budget=Decimal("1200000"),
        )  # fmt: skip
        FinancingSourceFactory(project=self.project, amount=Decimal("400000"))
        self.reviewers = [
            ReviewerFactory(
                call=self.call,
                participant=person(self.edition, Role.BUYER, display_name=name),
            )
            for name in ("Ada Jury", "Ben Jury")
        ]
        self.sofia = person(
            self.edition, Role.INVESTOR, display_name="Sofia Martin", country="FR",
            time_zone="Europe/Paris",
        )  # fmt: skip
        self.mei = person(self.edition, Role.ORGANISER, display_name="Mei Organiser")


@pytest.fixture
def forum(live_server) -> Forum:
    return Forum()


def as_(browser, live_server, email: str):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(30_000)
    page = context.new_page()
    log_in(page, email)
    return context, page


def test_submit_review_select_wish_grid_agenda(browser, page, live_server, forum):
    # 1. Wei submits The Paper Tiger to the animation section, in Chinese.
    log_in(page, forum.wei.user.email)
    page.goto(f"/pitch/calls/{forum.call.pk}/apply/?section={forum.animation.pk}")
    page.get_by_role("radio", name="Animation").check()
    page.locator("select[name=project]").select_option(label="The Paper Tiger")
    page.get_by_label("One-sentence synopsis: Chinese").fill("一隻紙老虎在上海活了過來。")
    page.get_by_label("Synopsis: Chinese", exact=True).fill(
        "一位年輕動畫師畫的紙老虎活了過來，帶她走遍老上海。"
    )
    page.get_by_label("Director's statement: Chinese").fill("我在弄堂裡長大，這是寫給那裡的情書。")
    page.get_by_role("button", name="Save and submit").click()
    submission = Submission.objects.get(project=forum.project)
    expect(page.get_by_text("Submitted").first).to_be_visible()
    assert submission.state == SubmissionState.SUBMITTED

    # 2. The organiser assigns the jury; both reviewers score the project.
    organiser, mei = as_(browser, live_server, forum.mei.user.email)
    mei.goto(f"/pitch/review/calls/{forum.call.pk}/")
    mei.get_by_role("button", name="Assign reviewers").click()
    expect(mei.locator(".message.success, .messages .success").first).to_be_visible()
    assignments = list(ReviewAssignment.objects.filter(submission=submission))
    assert sorted(a.reviewer_id for a in assignments) == sorted(r.pk for r in forum.reviewers)
    for assignment, (story, team) in zip(
        sorted(assignments, key=lambda a: a.reviewer_id), [("9", "8"), ("8", "7")], strict=True
    ):
        context, jury = as_(browser, live_server, assignment.reviewer.participant.user.email)
        jury.goto(f"/pitch/review/reviews/{assignment.pk}/")
        jury.get_by_label("Story").fill(story)
        jury.get_by_label("Team").fill(team)
        jury.get_by_role("button", name="Complete review").click()
        expect(jury.locator(".messages").first).to_be_visible()
        context.close()
    assert (
        ReviewAssignment.objects.filter(submission=submission, completed_at__isnull=False).count()
        == 2
    )

    # 3. The organiser shortlists, then selects it from the ranked list.
    mei.goto(f"/pitch/review/calls/{forum.call.pk}/ranking/")
    row = mei.locator("tr", has_text="The Paper Tiger")
    row.get_by_role("button", name="Shortlist").click()
    row = mei.locator("tr", has_text="The Paper Tiger")
    row.get_by_role("button", name="Select", exact=True).click()
    expect(mei.get_by_text("“The Paper Tiger” is now selected.")).to_be_visible()
    submission.refresh_from_db()
    assert submission.state == SubmissionState.SELECTED

    # 4. Sofia finds it among the selected projects and asks to meet its team.
    investor, sofia = as_(browser, live_server, forum.sofia.user.email)
    sofia.goto("/pitch/haf-2025/projects/?section=animation")
    sofia.get_by_role("link", name="The Paper Tiger").click()
    expect(sofia.get_by_role("heading", name="The Paper Tiger")).to_be_visible()
    expect(sofia.get_by_text("一隻紙老虎在上海活了過來。")).to_be_visible()
    expect(sofia.locator('[data-figure="gap"]')).to_contain_text("800,000")
    sofia.get_by_label("How much it matters").select_option("must_meet")
    sofia.get_by_role("button", name="I want to meet").click()
    expect(
        sofia.get_by_text("Noted: you want to meet the team of “The Paper Tiger”.")
    ).to_be_visible()
    assert MeetingWish.objects.get().participant == forum.sofia

    # 5. The organiser builds the one-on-one grid, runs the optimiser and publishes.
    mei.goto("/pitch/haf-2025/wishes/overview/")
    expect(mei.get_by_text("1 wish waits to become a meeting request.")).to_be_visible()
    mei.get_by_role("button", name="Turn the new wishes into meeting requests").click()
    expect(mei.get_by_text("(1 new, 0 already asked); 0 left aside.")).to_be_visible()
    request = MeetingRequest.objects.get()
    assert (request.requester, request.counterpart, request.state) == (
        forum.sofia, forum.wei, "accepted",
    )  # fmt: skip
    mei.get_by_role("link", name="run the meeting optimiser and publish the grid").click()
    mei.get_by_role("button", name="Run the optimiser").click()
    mei.get_by_role("button", name=re.compile(r"^Publish 1 meeting")).click()
    meeting = Meeting.objects.get()
    assert meeting.status == "published"

    # 6. Wei sees the meeting in his agenda, in venue time and Shanghai time.
    page.goto("/meetings/agenda/")
    item = page.locator(".agenda-item")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("Sofia Martin")
    expect(item).to_contain_text("HKT")
    for context in (organiser, investor):
        context.close()

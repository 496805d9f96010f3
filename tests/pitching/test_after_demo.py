"""The pitch-forum part of the demo at a small scale: HAF 2025 with its invariants, the
same every time, and removed by the demo reset."""

from __future__ import annotations

from collections import Counter

import pytest

from reelmarket.market.demo.build import demo_build
from reelmarket.market.demo.plan import DemoScale
from reelmarket.market.demo.reset import demo_reset
from reelmarket.pitching.enums import TRANSITIONS, SubmissionState
from reelmarket.pitching.models import (
    Award,
    Call,
    Conflict,
    MeetingWish,
    PitchSession,
    PitchSlot,
    ReviewAssignment,
    Score,
    Submission,
    SubmissionEvent,
)
from reelmarket.pitching.selectors_after import programme

S = SubmissionState
SMALL = DemoScale(exhibitors=40, participants=200, titles=20)


@pytest.fixture
def haf(db) -> Call:
    demo_build(seed=2025, scale=SMALL, password="demo-pass-2025")
    return Call.objects.get(slug="haf-2025")


def _fingerprint() -> tuple:
    return (
        sorted(Counter(Submission.objects.values_list("section__code", "state")).items()),
        sorted(Submission.objects.values_list("project__title", "applicant__user__username")),
        ReviewAssignment.objects.filter(completed_at__isnull=False).count(),
        Score.objects.count(),
        sorted(MeetingWish.objects.values_list("participant__user__username", "priority")),
        sorted(Award.objects.values_list("name", "winner__project__title")),
    )


def test_haf_is_built_with_sections_jury_selection_and_programme(haf):
    assert haf.edition.slug == "filmart-2025"
    assert list(haf.sections.values_list("code", flat=True)) == [
        "development", "wip", "animation", "genre",
    ]  # fmt: skip
    assert haf.criteria.count() == 5
    subs = list(haf.submissions.select_related("section"))
    states = Counter(s.state for s in subs)
    assert len(subs) >= 12
    assert states[S.SELECTED] >= 4 and states[S.REJECTED] > 0 and states[S.SHORTLISTED] > 0
    # k = 3 reviewers per submitted project, none from the applicant's company.
    for s in subs:
        reviews = list(s.assignments.select_related("reviewer__participant"))
        assert len(reviews) == (0 if s.state == S.DRAFT else 3)
        assert all(
            r.reviewer.participant.organisation_id is None
            or r.reviewer.participant.organisation_id != s.organisation_id
            for r in reviews
        )
    loads = Counter(
        ReviewAssignment.objects.filter(reviewer__call=haf).values_list("reviewer", flat=True)
    )
    assert max(loads.values()) - min(loads.values()) <= 2  # drafts' reviews were removed
    done = ReviewAssignment.objects.filter(reviewer__call=haf, completed_at__isnull=False)
    assert done.count() > 0.8 * ReviewAssignment.objects.filter(reviewer__call=haf).count()
    assert Score.objects.filter(assignment__in=done).count() == 5 * done.count()
    assert not Conflict.objects.exists()


def test_every_state_was_reached_by_allowed_moves(haf):
    for s in haf.submissions.all():
        path = list(s.events.order_by("id").values_list("from_state", "to_state"))
        state = S.DRAFT
        for before, after in path:
            assert before == state and after in TRANSITIONS[before]
            state = after
        assert state == s.state


def test_only_selected_projects_pitch_wish_or_win(haf):
    assert PitchSession.objects.filter(call=haf).count() >= 3
    assert set(PitchSlot.objects.values_list("submission__state", flat=True)) == {S.SELECTED}
    assert PitchSlot.objects.count() == haf.submissions.filter(state=S.SELECTED).count()
    assert set(MeetingWish.objects.values_list("submission__state", flat=True)) <= {S.SELECTED}
    assert MeetingWish.objects.count() > 0
    assert not MeetingWish.objects.filter(participant=models_f("submission__applicant")).exists()
    assert Award.objects.filter(call=haf).count() == 3
    assert set(Award.objects.values_list("winner__state", flat=True)) == {S.SELECTED}
    # The programme's sessions end on their day and never share a room at the same time.
    views = programme(call=haf)
    zone = haf.edition.zone
    for view in views:
        start, end = view.session.starts_at, view.ends_at
        assert start.astimezone(zone).date() == end.astimezone(zone).date()
        for other in views:
            if other is not view and other.session.room == view.session.room:
                assert other.ends_at <= start or end <= other.session.starts_at


def models_f(name: str):
    from django.db.models import F

    return F(name)


def test_the_same_seed_builds_the_same_forum_and_reset_removes_it(haf):
    first = _fingerprint()
    demo_build(seed=2025, scale=SMALL, password="x", reset=True)
    assert _fingerprint() == first
    demo_reset()
    assert (Call.objects.count(), Submission.objects.count(), SubmissionEvent.objects.count()) == (
        0,
        0,
        0,
    )
    assert MeetingWish.objects.count() == 0

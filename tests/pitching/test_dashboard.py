"""The organisers' dashboard: exact figures on a factory-built call."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from django.test import Client
from django.urls import reverse

from reelmarket.pitching.models import MeetingWish, ReviewAssignment
from reelmarket.pitching.selectors_dashboard import dashboard_figures
from reelmarket.pitching.views_dashboard import bar_chart
from tests.factories import ParticipantFactory
from tests.financing.factories import ProjectFactory
from tests.pitching.after_world import World
from tests.pitching.factories import ReviewerFactory, SubmissionFactory

DONE = datetime(2025, 1, 10, tzinfo=UTC)


@pytest.fixture
def world(db) -> World:
    """The after-selection World (2 selected, 1 shortlisted) plus, in animation: 2 submitted
    (KR, and one with no production country from an applicant in TH), 1 rejected (CN),
    1 draft (CN), 1 withdrawn (JP); in WIP: 1 rejected (HK). Two reviewers: 3 of 4 and
    0 of 1 done. Wishes: 2 on The Paper Tiger, 1 on Harbour Lights."""
    w = World()
    a, wip = w.animation, w.wip
    SubmissionFactory(section=a, project=ProjectFactory(countries=["KR"]), state="submitted")
    thai = ParticipantFactory(country="TH")
    SubmissionFactory(
        section=a, project=ProjectFactory(owner=thai, countries=[]), state="submitted"
    )
    SubmissionFactory(section=a, project=ProjectFactory(countries=["CN"]), state="rejected")
    SubmissionFactory(section=a, project=ProjectFactory(countries=["CN"]), state="draft")
    SubmissionFactory(section=a, project=ProjectFactory(countries=["JP"]), state="withdrawn")
    SubmissionFactory(section=wip, project=ProjectFactory(countries=["HK"]), state="rejected")
    a.max_selected = 4
    a.save()
    w.jury_a = ReviewerFactory(call=w.call, participant__display_name="Alice Jury")
    w.jury_b = ReviewerFactory(call=w.call, participant__display_name="Bob Jury")
    subs = list(w.call.submissions.exclude(state__in=["draft", "withdrawn"])[:4])
    for i, s in enumerate(subs):
        ReviewAssignment.objects.create(
            submission=s, reviewer=w.jury_a, completed_at=DONE if i < 3 else None
        )
    ReviewAssignment.objects.create(submission=subs[0], reviewer=w.jury_b)
    MeetingWish.objects.create(submission=w.selected, participant=w.sofia)
    MeetingWish.objects.create(submission=w.selected, participant=w.ravi)
    MeetingWish.objects.create(submission=w.wip_selected, participant=w.sofia)
    return w


def test_figures_are_exact(world):
    f = dashboard_figures(call=world.call)
    # Sent in = submitted, shortlisted, selected, rejected (drafts and withdrawals left out):
    # CN: selected + rejected; HK: selected + rejected; JP: shortlisted; KR; TH (applicant's).
    assert [(b.key, b.value) for b in f.by_country] == [
        ("CN", 2), ("HK", 2), ("JP", 1), ("KR", 1), ("TH", 1),
    ]  # fmt: skip
    rows = {r.code: r for r in f.by_section}
    a, wip = rows["animation"], rows["wip"]
    assert (a.sent, a.drafts, a.shortlisted, a.selected, a.rejected, a.withdrawn) == (
        5, 1, 1, 1, 1, 1,
    )  # fmt: skip
    assert (wip.sent, wip.selected, wip.rejected) == (2, 1, 1)
    assert a.selection_rate == pytest.approx(1 / 5)
    assert wip.selection_rate == pytest.approx(1 / 2)
    assert a.places == 4
    assert [
        (r.participant.display_name, r.completed, r.assigned, r.percent) for r in f.reviewers
    ] == [
        ("Alice Jury", 3, 4, 75),
        ("Bob Jury", 0, 1, 0),
    ]
    assert [(b.label, b.value) for b in f.wishes] == [("The Paper Tiger", 2), ("Harbour Lights", 1)]
    assert f.totals == {
        "sent": 7, "drafts": 1, "selected": 2, "assignments": 5, "completed": 3, "wishes": 3,
    }  # fmt: skip


def test_an_empty_call_has_no_rate(db):
    from tests.pitching.factories import SectionFactory

    section = SectionFactory()
    f = dashboard_figures(call=section.call)
    assert [(r.sent, r.selection_rate) for r in f.by_section] == [(0, None)]
    assert (f.by_country, f.reviewers, f.wishes) == ([], [], [])


def test_bar_chart_scales_to_the_largest_value():
    chart = bar_chart([("a", 10, ""), ("b", 5, ""), ("c", 0, "")])
    assert [(b.width, b.y) for b in chart.bars] == [(360, 0), (180, 24), (0, 48)]
    assert chart.height == 72
    assert bar_chart([]).bars == []


def test_dashboard_page_shows_the_figures(world):
    client = Client()
    client.force_login(world.organiser)
    response = client.get(reverse("pitching:dashboard", args=[world.call.slug]))
    body = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'data-figure="sent">7<', body)
    assert re.search(r'data-figure="reviews">3 / 5<', body)
    assert re.search(r'<tr data-section="animation">.*?data-rate>20 %<', body)
    assert re.search(r'<tr data-section="wip">.*?data-rate>50 %<', body)
    assert re.search(r'<tr data-country="CN"><th scope="row">China</th><td class="num">2<', body)
    assert 'data-bar="Alice Jury" data-value="75"' in body
    assert body.count('<svg class="bar-chart"') == 5


@pytest.mark.parametrize("role", ["unrelated", "applicant", "investor"])
def test_dashboard_is_for_organisers(world, role):
    client = Client()
    client.force_login(world.users[role])
    assert client.get(reverse("pitching:dashboard", args=[world.call.slug])).status_code == 403

"""The jury review pages, per role: anonymous, an unrelated participant, the applicant, the
assigned reviewer, a reviewer not assigned to the submission, an organiser. Plus the
reviewer's flow (draft, complete, bad scores, reopen, conflict), the anonymised dossier and
the organisers' assignment, ranking and selection."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reelmarket.pitching import services_review as services
from reelmarket.pitching.enums import SubmissionState
from reelmarket.pitching.models import Conflict, ReviewAssignment, Reviewer, Score, Submission
from tests.factories import ParticipantFactory
from tests.pitching.review_world import IDENTITY, ReviewWorld, World, identified_submission, pairs

S = SubmissionState

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return World()


def as_(client: Client, user) -> Client:
    client.force_login(user)
    return client


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


# ---- who may open which page ----------------------------------------------------------------

ROLES = ["outsider", "applicant", "assigned", "unassigned", "organiser"]


def pages(world: World) -> dict[str, tuple[str, dict[str, int]]]:
    """url -> expected status per role (302 for the organiser's own list: their work is
    on the management page)."""
    call = world.call.pk
    reviewer_only = {"outsider": 403, "applicant": 403, "assigned": 200, "unassigned": 200}
    organiser_only = dict.fromkeys(ROLES, 403) | {"organiser": 200}
    return {
        "home": (reverse("pitching:review_home"), dict.fromkeys(ROLES, 200)),
        "mine": (reverse("pitching:review_mine", args=[call]), reviewer_only | {"organiser": 302}),
        "detail": (
            reverse("pitching:review_detail", args=[world.mine.pk]),
            {
                "outsider": 403,
                "applicant": 403,
                "assigned": 200,
                "unassigned": 403,
                "organiser": 200,
            },
        ),
        "manage": (reverse("pitching:review_manage", args=[call]), organiser_only),
        "conflicts": (reverse("pitching:review_conflicts", args=[call]), organiser_only),
        "ranking": (reverse("pitching:review_ranking", args=[call]), organiser_only),
    }


@pytest.mark.parametrize("page", ["home", "mine", "detail", "manage", "conflicts", "ranking"])
def test_anonymous_is_sent_to_log_in(client, world, page):
    url, _expected = pages(world)[page]
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", ["home", "mine", "detail", "manage", "conflicts", "ranking"])
def test_each_role_gets_exactly_its_pages(client, world, page, role):
    url, expected = pages(world)[page]
    response = as_(client, world.users()[role]).get(url)
    assert response.status_code == expected[role], (page, role)


def posts(world: World) -> list[tuple[str, dict[str, str]]]:
    call = world.call.pk
    return [
        (reverse("pitching:review_reviewer_add", args=[call]), {"email": "x@example.com"}),
        (
            reverse("pitching:review_reviewer_update", args=[world.reviewers[0].pk]),
            {"capacity": "2"},
        ),
        (reverse("pitching:review_reviewer_remove", args=[world.reviewers[0].pk]), {}),
        (reverse("pitching:review_assign", args=[call]), {}),
        (reverse("pitching:review_lock", args=[call]), {"locked": "on"}),
        (
            reverse("pitching:review_conflicts", args=[call]),
            {"reviewer": str(world.reviewers[0].pk), "submission": str(world.sub.pk)},
        ),
        (reverse("pitching:review_decide", args=[world.sub.pk]), {"to_state": "rejected"}),
        (reverse("pitching:review_select_top", args=[world.development.pk]), {"count": "1"}),
    ]


def _state(world: World) -> tuple:
    return (
        sorted(pairs()),
        list(Reviewer.objects.order_by("pk").values_list("pk", "active", "capacity")),
        Conflict.objects.count(),
        list(Submission.objects.order_by("pk").values_list("state", flat=True)),
        world.call.__class__.objects.get(pk=world.call.pk).review_locked_at,
    )


@pytest.mark.parametrize("role", ["anonymous", "outsider", "applicant", "assigned", "unassigned"])
def test_organiser_actions_are_refused_to_everyone_else(client, world, role):
    before = _state(world)
    if role != "anonymous":
        as_(client, world.users()[role])
    for url, data in posts(world):
        response = client.post(url, data)
        assert response.status_code == (302 if role == "anonymous" else 403), url
        if role == "anonymous":
            assert response["Location"].startswith("/accounts/login/")
    assert _state(world) == before


@pytest.mark.parametrize("role", ["anonymous", "outsider", "applicant", "unassigned", "organiser"])
def test_only_the_assigned_reviewer_scores_reopens_or_declares(client, world, role):
    if role != "anonymous":
        as_(client, world.users()[role])
    data = {f"score_{world.story.pk}": "5", f"score_{world.team.pk}": "3", "complete": "1"}
    for name in ("pitching:review_detail", "pitching:review_reopen", "pitching:review_conflict"):
        response = client.post(reverse(name, args=[world.mine.pk]), data)
        assert response.status_code == (302 if role == "anonymous" else 403), name
    assert not Score.objects.exists()
    assert ReviewAssignment.objects.filter(pk=world.mine.pk, completed_at=None).exists()
    assert not Conflict.objects.exists()


# ---- the reviewer's flow --------------------------------------------------------------------


def test_my_list_shows_progress(client, world):
    extra = ReviewAssignment.objects.create(
        submission=world.submissions[0], reviewer=world.reviewers[2]
    )
    world.score(extra, 5, 5)
    response = as_(client, world.assigned).get(
        reverse("pitching:review_mine", args=[world.call.pk])
    )
    page = text(response)
    assert "1 of 2 done" in page
    assert 'aria-valuenow="50"' in response.content.decode()
    assert "Project 1" in page and "Project 0" in page
    assert "Completed" in page and "Not started" in page


def test_save_draft_then_complete(client, world):
    as_(client, world.assigned)
    url = reverse("pitching:review_detail", args=[world.mine.pk])
    response = client.post(
        url, {f"score_{world.story.pk}": "6", "comment": "Strong pitch", "save": "1"}
    )
    assert response.status_code == 302 and response["Location"] == url
    world.mine.refresh_from_db()
    assert world.mine.completed_at is None and world.mine.comment == "Strong pitch"
    assert dict(Score.objects.values_list("criterion_id", "value")) == {world.story.pk: 6}
    response = client.post(
        url, {f"score_{world.story.pk}": "6", f"score_{world.team.pk}": "4", "complete": "1"}
    )
    assert response["Location"] == reverse("pitching:review_mine", args=[world.call.pk])
    world.mine.refresh_from_db()
    assert world.mine.completed_at is not None
    page = text(client.get(url))
    assert "Reopen to change" in page and "Complete review" not in page
    assert client.post(reverse("pitching:review_reopen", args=[world.mine.pk])).status_code == 302
    world.mine.refresh_from_db()
    assert world.mine.completed_at is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("11", "Enter a whole number from 0 to 10."),
        ("-1", "Enter a whole number from 0 to 10."),
        ("abc", "Enter a whole number from 0 to 10."),
        ("7.5", "Enter a whole number from 0 to 10."),
    ],
)
def test_bad_scores_are_shown_on_the_form(client, world, value, message):
    as_(client, world.assigned)
    url = reverse("pitching:review_detail", args=[world.mine.pk])
    response = client.post(url, {f"score_{world.story.pk}": value, f"score_{world.team.pk}": "3"})
    assert response.status_code == 422
    assert message in text(response)
    assert not Score.objects.exists()


def test_completing_with_a_missing_score_says_which(client, world):
    as_(client, world.assigned)
    url = reverse("pitching:review_detail", args=[world.mine.pk])
    response = client.post(url, {f"score_{world.story.pk}": "4", "complete": "1"})
    assert response.status_code == 422
    assert "Team: a score is needed to complete the review." in text(response)
    assert not Score.objects.exists()


def test_a_locked_ranking_makes_the_review_read_only(client, world):
    services.ranking_lock(actor=world.organiser, call=world.call, locked=True)
    as_(client, world.assigned)
    url = reverse("pitching:review_detail", args=[world.mine.pk])
    page = client.get(url).content.decode()
    assert "Complete review" not in page and "disabled" in page
    response = client.post(url, {f"score_{world.story.pk}": "4", f"score_{world.team.pk}": "1"})
    assert response.status_code == 422
    assert "is locked: reviews can no longer change" in text(response)
    assert not Score.objects.exists()


def test_the_reviewer_declares_a_conflict_from_the_review_page(client, world):
    as_(client, world.assigned)
    response = client.post(
        reverse("pitching:review_conflict", args=[world.mine.pk]), {"note": "I co-produce it"}
    )
    assert response["Location"] == reverse("pitching:review_mine", args=[world.call.pk])
    assert not ReviewAssignment.objects.filter(pk=world.mine.pk).exists()
    conflict = Conflict.objects.get()
    assert (conflict.reviewer, conflict.submission, conflict.note) == (
        world.reviewers[2],
        world.sub,
        "I co-produce it",
    )


# ---- the dossier: both languages, anonymised ------------------------------------------------


def test_an_anonymised_review_page_names_nobody(client):
    world = World(anonymised=True)
    submission = identified_submission(world)
    a = ReviewAssignment.objects.create(submission=submission, reviewer=world.reviewers[0])
    response = as_(client, world.reviewers[0].participant.user).get(
        reverse("pitching:review_detail", args=[a.pk])
    )
    html = response.content.decode()
    assert response.status_code == 200
    for name in IDENTITY:
        assert name not in html, name
    assert "Paper Tigers" in html and "Two paper tigers learn to roar." in html
    assert "Anonymised review" in html
    assert (
        "Hidden in an anonymised review: Biographies (director and producers), Company profile."
        in text(response)
    )
    assert "https://vimeo.com/123" in html
    # The same page in a call that is not anonymised names them (the test means something).
    world.call.anonymised_review = False
    world.call.save()
    html = client.get(reverse("pitching:review_detail", args=[a.pk])).content.decode()
    for name in IDENTITY:
        assert name in html, name


def test_an_organiser_reading_a_review_sees_the_names(client):
    world = World(anonymised=True)
    a = ReviewAssignment.objects.create(
        submission=identified_submission(world), reviewer=world.reviewers[0]
    )
    html = (
        as_(client, world.organiser)
        .get(reverse("pitching:review_detail", args=[a.pk]))
        .content.decode()
    )
    assert "Wei Zhang" in html and "Dragon Pictures" in html
    assert "Complete review" not in html  # read-only for the organiser


def test_texts_in_both_languages_are_side_by_side(client):
    world = World()
    a = ReviewAssignment.objects.create(
        submission=identified_submission(world), reviewer=world.reviewers[0]
    )
    html = (
        as_(client, world.reviewers[0].participant.user)
        .get(reverse("pitching:review_detail", args=[a.pk]))
        .content.decode()
    )
    assert 'class="rv-pair both"' in html
    assert '<div class="text prose" lang="zh">兩隻紙老虎學會咆哮。</div>' in html
    page = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "Budget $1,000,000.00 Secured $300,000.00 Gap $700,000.00" in page
    assert "Public fund Dragon Pictures equity Secured $300,000.00" in page


def test_user_content_is_escaped(client, world):
    Submission.objects.filter(pk=world.sub.pk).update(logline_en="<script>alert(1)</script>")
    html = (
        as_(client, world.assigned)
        .get(reverse("pitching:review_detail", args=[world.mine.pk]))
        .content.decode()
    )
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# ---- the organisers -------------------------------------------------------------------------


def test_organiser_adds_a_reviewer_by_email_and_sees_errors(client, world):
    as_(client, world.organiser)
    newcomer = ParticipantFactory(display_name="Ana Ruiz")
    url = reverse("pitching:review_reviewer_add", args=[world.call.pk])
    response = client.post(url, {"email": newcomer.user.email.upper(), "capacity": "5"})
    assert response.status_code == 302
    assert Reviewer.objects.get(participant=newcomer).capacity == 5
    response = client.post(url, {"email": "nobody@example.com"})
    assert response.status_code == 422
    assert "No participant signs in with nobody@example.com." in text(response)
    response = client.post(url, {"email": newcomer.user.email})
    assert response.status_code == 422
    assert "Already a reviewer of this call." in text(response)
    response = client.post(url, {"email": ParticipantFactory().user.email, "capacity": "0"})
    assert response.status_code == 422
    assert Reviewer.objects.filter(call=world.call).count() == 5


def test_organiser_runs_the_assignment_and_sees_loads(client):
    world = ReviewWorld(k=2, submissions=4)
    as_(client, world.organiser)
    response = client.post(reverse("pitching:review_assign", args=[world.call.pk]), follow=True)
    page = text(response)
    assert "Assignment done: 8 new, 0 kept, 0 taken away (4 submissions)." in page
    assert len(pairs()) == 8
    assert page.count("0 / 2 · 2 left") == 4
    assert "Rubric Criterion Weight Scale Story 2.00 0–10 Team 1.00 0–5" in page


def test_an_impossible_assignment_lists_the_submissions(client):
    world = ReviewWorld(k=4, submissions=1)
    as_(client, world.organiser)
    response = client.post(reverse("pitching:review_assign", args=[world.call.pk]), follow=True)
    page = text(response)
    assert "1 submission cannot get 4 reviewers; nothing was assigned." in page
    assert (
        "“Project 0” (In development): only 3 reviewers have no conflict of interest with it "
        "(4 needed)" in page
    )
    assert not pairs()


def test_organiser_records_and_removes_a_conflict(client, world):
    as_(client, world.organiser)
    url = reverse("pitching:review_conflicts", args=[world.call.pk])
    response = client.post(
        url, {"reviewer": world.reviewers[2].pk, "submission": world.sub.pk, "note": "friend"}
    )
    assert response.status_code == 302
    assert not ReviewAssignment.objects.filter(pk=world.mine.pk).exists()
    page = text(client.get(url))
    assert "friend" in page and "declared conflict" in page and "same organisation" in page
    response = client.post(url, {"reviewer": world.reviewers[2].pk})
    assert response.status_code == 422
    assert "Choose either a submission or a company." in text(response)
    conflict = Conflict.objects.get()
    client.post(reverse("pitching:review_conflict_remove", args=[conflict.pk]))
    assert not Conflict.objects.exists()


def test_ranking_page_decisions_and_bulk_selection(client):
    world = ReviewWorld(k=1, submissions=0)
    dev = [
        world.submission(i, company=world.companies[4], section=world.development) for i in range(3)
    ]
    for s, story in zip(dev, (4, 10, 7), strict=True):
        world.score(
            ReviewAssignment.objects.create(submission=s, reviewer=world.reviewers[0]), story, 5
        )
    as_(client, world.organiser)
    url = reverse("pitching:review_ranking", args=[world.call.pk])
    page = text(client.get(url))
    assert "0 of 2 places taken" in page
    # Project 1 (10/10, 5/5) = 100.0; Project 2 (7, 5) = 80.0; Project 0 (4, 5) = 60.0.
    assert re.search(
        r"1 Project 1 .*? 100\.0 .*? 2 Project 2 .*? 80\.0 .*? 3 Project 0 .*? 60\.0", page
    )
    top = reverse("pitching:review_select_top", args=[world.development.pk])
    page = text(client.post(top, {"count": "1"}, follow=True))
    assert "Lock the ranking first, so that it cannot change while you select." in page
    client.post(reverse("pitching:review_lock", args=[world.call.pk]), {"locked": "on"})
    page = text(client.post(top, {"count": "1"}, follow=True))
    assert "1 submission of In development selected." in page
    response = client.post(
        reverse("pitching:review_decide", args=[dev[0].pk]), {"to_state": "rejected"}, follow=True
    )
    assert "“Project 0” is now not selected." in text(response)
    assert [Submission.objects.get(pk=s.pk).state for s in dev] == [
        S.REJECTED,
        S.SELECTED,
        S.SUBMITTED,
    ]
    response = client.post(
        reverse("pitching:review_decide", args=[dev[2].pk]), {"to_state": "withdrawn"}, follow=True
    )
    assert "Choose shortlist, select or reject." in text(response)
    client.post(reverse("pitching:review_lock", args=[world.call.pk]), {})
    world.call.refresh_from_db()
    assert world.call.review_locked_at is None


def test_the_dossier_shows_the_financing_as_submitted(client, world):
    Submission.objects.filter(pk=world.sub.pk).update(
        snapshot={
            "currency": "HKD",
            "budget": "8000000.00",
            "secured": "2000000.00",
            "gap": "6000000.00",
            "sources": [
                {
                    "kind": "public_fund",
                    "name": "CreateHK",
                    "amount": "2000000.00",
                    "status": "secured",
                },
                {
                    "kind": "pre_sales",
                    "name": "Golden Scene",
                    "amount": "500000.00",
                    "status": "pending",
                },
            ],
        }
    )
    page = text(
        as_(client, world.assigned).get(reverse("pitching:review_detail", args=[world.mine.pk]))
    )
    assert "Budget HK$8,000,000.00 Secured HK$2,000,000.00 Gap HK$6,000,000.00" in page
    assert "Public fund CreateHK Secured HK$2,000,000.00" in page
    assert "Pre-sales Golden Scene Pending / in negotiation HK$500,000.00" in page


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_list_pages_make_the_same_number_of_queries_for_more_submissions(client):
    world = ReviewWorld(k=2, submissions=2)
    world.assign()
    for a in ReviewAssignment.objects.all():
        world.score(a, 5, 3)
    reviewer = world.reviewers[1].participant.user
    urls = {
        world.organiser: [
            reverse(name, args=[world.call.pk])
            for name in (
                "pitching:review_manage",
                "pitching:review_conflicts",
                "pitching:review_ranking",
            )
        ],
        reviewer: [reverse("pitching:review_mine", args=[world.call.pk])],
    }
    before = {
        (u.pk, url): _queries(as_(client, u), url) for u, list_ in urls.items() for url in list_
    }
    world.submissions += [world.submission(i) for i in range(2, 8)]
    world.assign()
    for a in ReviewAssignment.objects.filter(completed_at=None):
        world.score(a, 7, 2)
    after = {
        (u.pk, url): _queries(as_(client, u), url) for u, list_ in urls.items() for url in list_
    }
    assert after == before

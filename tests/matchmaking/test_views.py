"""The "For you" pages per role: anonymous, a buyer, a seller, a producer, an investor, an
organiser and a back-office account without a profile. Exact outcomes: what each page
lists (and never lists), feedback through htmx, meeting requests, the batch page."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import reverse

from reelmarket.matchmaking import services
from reelmarket.matchmaking.enums import RunStatus, TargetKind, Verdict
from reelmarket.matchmaking.models import Feedback, RecomputeRun, Suggestion
from reelmarket.meetings.models import MeetingRequest, PairBlock
from tests.factories import TitleFactory
from tests.matchmaking.web_world import MatchWorld, fresh_world, genres

pytestmark = pytest.mark.urls("tests.matchmaking.urls")
T = TargetKind
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def world(db) -> Iterator[MatchWorld]:
    yield from fresh_world()


def as_(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def section(response, kind: str) -> str:
    page = response.content.decode()
    return page.split(f'data-kind="{kind}"')[1].split("</section>")[0]


# ---- anonymous ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "name", "args"),
    [
        ("get", "matchmaking:for_you", []),
        ("post", "matchmaking:feedback", []),
        ("post", "matchmaking:request_meeting", [1]),
        ("post", "matchmaking:recompute", []),
        ("get", "matchmaking:runs", []),
    ],
)
def test_anonymous_is_sent_to_log_in(client, world, method, name, args):
    url = reverse(name, args=args)
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"
    assert not Feedback.objects.exists() and not RecomputeRun.objects.exists()


def test_anonymous_sees_no_buyers_to_meet(client, world):
    url = reverse("matchmaking:buyers_for_title", args=[world.jungle.pk])
    assert client.get(url).status_code == 403
    assert client.get(url, **HTMX).status_code == 204


# ---- buyer ----------------------------------------------------------------------------------


def test_a_buyer_sees_titles_with_reasons_and_buttons(world):
    response = as_(world.linh.user).get(reverse("matchmaking:for_you"))
    titles = section(response, T.TITLE)
    names = re.findall(r'<h3><a href="/catalogue/\d+/">([^<]+)</a></h3>', titles)
    assert names == ["Jungle Friends", "Haunted School", "Night Ferry"]
    assert "Paper Lanterns" not in response.content.decode()
    assert "Secret Draft" not in response.content.decode()
    page = text(response)
    assert "You buy SVOD in Vietnam — the right is available there" in page
    assert "Animation, Family, a genre you buy" in page
    for label in ("Request a meeting", "Not interested", "More like this"):
        assert label in titles
    people = section(response, T.MEETING)
    assert "Kenji" in people and "No thanks" in people
    assert 'hx-post="/for-you/feedback/"' in titles


def test_not_interested_through_htmx_returns_the_next_ranking(world):
    client = as_(world.linh.user)
    client.get(reverse("matchmaking:for_you"))
    response = client.post(
        reverse("matchmaking:feedback"),
        {"kind": T.TITLE, "verdict": Verdict.NOT_INTERESTED, "title": world.school.pk},
        **HTMX,
    )
    fragment = response.content.decode()
    assert response.status_code == 200
    assert fragment.lstrip().startswith('<section class="section mm-section" id="section-title"')
    assert re.findall(r'<h3><a href="/catalogue/\d+/">([^<]+)</a></h3>', fragment) == [
        "Jungle Friends",
        "Night Ferry",
    ]
    assert Feedback.objects.get().verdict == Verdict.NOT_INTERESTED


def test_feedback_without_htmx_redirects_back_with_a_message(world):
    client = as_(world.linh.user)
    response = client.post(
        reverse("matchmaking:feedback"),
        {
            "kind": T.MEETING,
            "verdict": Verdict.NO_THANKS,
            "person": world.kenji.pk,
            "next": "/for-you/",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/for-you/"
    assert PairBlock.objects.count() == 1
    page = client.get("/for-you/")
    assert "Kenji" not in section(page, T.MEETING)


@pytest.mark.parametrize(
    ("data", "status"),
    [
        ({"kind": "title", "verdict": "maybe", "title": 1}, 400),
        ({"kind": "nonsense", "verdict": "not_interested"}, 400),
        ({"kind": "title", "verdict": "not_interested", "title": 999999}, 404),
    ],
)
def test_bad_feedback_is_refused_without_writing(world, data, status):
    response = as_(world.linh.user).post(reverse("matchmaking:feedback"), data, **HTMX)
    assert response.status_code == status
    assert not Feedback.objects.exists()


def test_feedback_on_an_unpublished_title_is_a_404(world):
    response = as_(world.linh.user).post(
        reverse("matchmaking:feedback"),
        {"kind": T.TITLE, "verdict": Verdict.NOT_INTERESTED, "title": world.draft.pk},
        **HTMX,
    )
    assert response.status_code == 404
    assert not Feedback.objects.exists()


def test_request_a_meeting_in_one_click(world):
    client = as_(world.linh.user)
    client.get(reverse("matchmaking:for_you"))
    top = Suggestion.objects.get(viewer=world.linh, kind=T.TITLE, rank=1)
    response = client.post(reverse("matchmaking:request_meeting", args=[top.pk]), **HTMX)
    assert "Request sent." in text(response)
    request = MeetingRequest.objects.get()
    assert (request.requester_id, request.target_organisation_id) == (
        world.linh.pk,
        world.seller_org.pk,
    )
    assert [t.pk for t in request.titles.all()] == [world.jungle.pk]
    # The same again: the meetings rule answers, nothing new is written.
    again = client.post(reverse("matchmaking:request_meeting", args=[top.pk]), **HTMX)
    assert again.status_code == 409
    assert "You already have an open request with them." in again.content.decode()
    assert MeetingRequest.objects.count() == 1


def test_request_without_htmx_goes_to_the_request_page(world):
    client = as_(world.linh.user)
    client.get(reverse("matchmaking:for_you"))
    top = Suggestion.objects.get(viewer=world.linh, kind=T.TITLE, rank=1)
    response = client.post(
        reverse("matchmaking:request_meeting", args=[top.pk]), {"message": "Hello"}
    )
    request = MeetingRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:request", args=[request.pk])
    assert request.message == "Hello"


def test_someone_elses_suggestion_is_a_404(world):
    services.recompute_for(participant=world.linh)
    top = Suggestion.objects.get(viewer=world.linh, kind=T.TITLE, rank=1)
    response = as_(world.sofia.user).post(reverse("matchmaking:request_meeting", args=[top.pk]))
    assert response.status_code == 404
    assert not MeetingRequest.objects.exists()


def test_user_text_is_escaped(world):
    nasty = TitleFactory(owner=world.seller_org, original_title="<script>alert(1)</script>")
    genres(nasty, "animation", "family")
    from tests.factories import RightsWindowFactory

    RightsWindowFactory(title=nasty, media="svod", territories=["VN"])
    page = as_(world.linh.user).get(reverse("matchmaking:for_you")).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_feedback_needs_the_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.linh.user)
    response = client.post(
        reverse("matchmaking:feedback"),
        {"kind": T.TITLE, "verdict": Verdict.NOT_INTERESTED, "title": world.school.pk},
    )
    assert response.status_code == 403
    assert not Feedback.objects.exists()


# ---- seller ---------------------------------------------------------------------------------


def test_a_seller_sees_buyers_per_title_and_meeting_pairs(world):
    response = as_(world.kenji.user).get(reverse("matchmaking:for_you"))
    buyers = section(response, T.BUYER)
    assert "Linh" in buyers and "Buys SVOD in Vietnam — your right is available there" in text(
        response
    )
    assert "Hidden Hana" not in response.content.decode()
    assert "Titles to look at" not in response.content.decode()
    assert "Linh" in section(response, T.MEETING)


def test_buyers_to_meet_fragment_for_the_titles_seller(world):
    url = reverse("matchmaking:buyers_for_title", args=[world.jungle.pk])
    response = as_(world.kenji.user).get(url, **HTMX)
    fragment = text(response)
    names = re.findall(
        r'<h3><a href="/participants/\d+/">([^<]+)</a></h3>', response.content.decode()
    )
    assert names[0] == "Linh"
    assert set(names) == {"Linh", "Quiet Quan", "Mei"}
    # Quiet Quan hides their interests: the card says only that they fit.
    quiet = response.content.decode().split("Quiet Quan")[1].split("</li>")[0]
    assert "Fits what they look for" in quiet and "Vietnam" not in quiet
    assert "Request a meeting" in fragment


def test_buyers_to_meet_is_nothing_for_a_buyer_and_404_for_a_draft(world):
    url = reverse("matchmaking:buyers_for_title", args=[world.jungle.pk])
    client = as_(world.linh.user)
    assert client.get(url, **HTMX).status_code == 204
    assert client.get(url).status_code == 403
    draft = reverse("matchmaking:buyers_for_title", args=[world.draft.pk])
    assert client.get(draft).status_code == 404
    assert as_(world.kenji.user).get(draft, **HTMX).status_code == 200


def test_organiser_reads_buyers_to_meet_without_buttons(world):
    services.recompute_for(participant=world.kenji)
    url = reverse("matchmaking:buyers_for_title", args=[world.jungle.pk])
    response = as_(world.organiser).get(url, **HTMX)
    page = response.content.decode()
    assert "Linh" in page
    assert "Request a meeting" not in page and "Not interested" not in page


# ---- producer, investor ---------------------------------------------------------------------


def test_a_producer_sees_financiers_for_their_projects(world):
    response = as_(world.arjun.user).get(reverse("matchmaking:for_you"))
    financiers = section(response, T.FINANCIER)
    assert "Claire" in financiers and "Monsoon Letters" in financiers
    assert "Looks for drama" in text(response)


def test_an_investor_sees_projects(world):
    response = as_(world.fund.user).get(reverse("matchmaking:for_you"))
    projects = section(response, T.PROJECT)
    assert "Monsoon Letters" in projects
    assert "Drama, like your focus" in text(response)
    assert "More like this" in projects and "No thanks" in projects


# ---- organiser, back office -----------------------------------------------------------------


def test_organiser_starts_a_recompute_and_follows_it(world):
    client = as_(world.organiser)
    page = text(client.get(reverse("matchmaking:for_you")))
    assert "Add one of these roles to your profile" in page
    response = client.post(reverse("matchmaking:recompute"))
    assert response.status_code == 302 and response["Location"] == reverse("matchmaking:runs")
    run = RecomputeRun.objects.get()
    assert run.status == RunStatus.QUEUED and run.requested_by == world.organiser
    runs = client.get(reverse("matchmaking:runs"))
    assert f'data-run="{run.pk}"' in runs.content.decode()
    assert 'hx-trigger="every 2s"' in runs.content.decode()
    services.recompute_all(run=run)
    done = client.get(reverse("matchmaking:runs"), **HTMX).content.decode()
    assert "Done" in done and "every 2s" not in done


def test_others_may_not_recompute_or_see_runs(world):
    client = as_(world.linh.user)
    assert client.post(reverse("matchmaking:recompute")).status_code == 403
    assert client.get(reverse("matchmaking:runs")).status_code == 403
    assert not RecomputeRun.objects.exists()


def test_back_office_account_without_a_profile(world):
    client = as_(world.admin)
    response = client.get(reverse("matchmaking:for_you"))
    assert "your account has no participant profile" in text(response)
    assert (
        client.post(
            reverse("matchmaking:feedback"),
            {"kind": T.TITLE, "verdict": Verdict.NOT_INTERESTED, "title": world.ferry.pk},
        ).status_code
        == 403
    )


def test_a_participant_without_a_profile_is_403(world):
    from tests.factories import UserFactory

    response = as_(UserFactory()).get(reverse("matchmaking:for_you"))
    assert response.status_code == 403


def test_feedback_from_the_title_page_returns_the_title_fragment(world):
    client = as_(world.kenji.user)
    url = reverse("matchmaking:buyers_for_title", args=[world.jungle.pk])
    assert 'name="fragment" value="title"' in client.get(url, **HTMX).content.decode()
    response = client.post(
        reverse("matchmaking:feedback"),
        {
            "kind": T.BUYER,
            "verdict": Verdict.NOT_INTERESTED,
            "person": world.mei_buyer.pk,
            "title": world.jungle.pk,
            "fragment": "title",
        },
        **HTMX,
    )
    page = response.content.decode()
    assert page.lstrip().startswith('<section class="section mm-buyers" id="buyers-to-meet"')
    names = re.findall(r'<h3><a href="/participants/\d+/">([^<]+)</a></h3>', page)
    assert set(names) == {"Linh", "Quiet Quan"}


def test_feedback_on_the_for_you_page_returns_the_section(world):
    client = as_(world.kenji.user)
    client.get(reverse("matchmaking:for_you"))
    response = client.post(
        reverse("matchmaking:feedback"),
        {
            "kind": T.BUYER,
            "verdict": Verdict.NO_THANKS,
            "person": world.linh.pk,
            "title": world.jungle.pk,
        },
        **HTMX,
    )
    page = response.content.decode()
    assert page.lstrip().startswith('<section class="section mm-section" id="section-buyer"')
    assert "Linh" not in page
    assert PairBlock.objects.count() == 1


def test_an_investor_says_not_interested_to_a_project(world):
    client = as_(world.fund.user)
    client.get(reverse("matchmaking:for_you"))
    response = client.post(
        reverse("matchmaking:feedback"),
        {"kind": T.PROJECT, "verdict": Verdict.NOT_INTERESTED, "project": world.project.pk},
        **HTMX,
    )
    assert "Monsoon Letters" not in response.content.decode()
    assert not Suggestion.objects.filter(viewer=world.fund, project=world.project).exists()


def test_a_buyer_states_and_removes_an_interest(world):
    client = as_(world.linh.user)
    page = client.get(reverse("matchmaking:for_you")).content.decode()
    assert "Your interests in your own words" in page
    response = client.post(reverse("matchmaking:interest_add"), {"text": "<b>coming-of-age</b>"})
    assert response.status_code == 302 and response["Location"] == reverse("matchmaking:for_you")
    interest = world.linh.stated_interests.get()
    page = client.get(reverse("matchmaking:for_you")).content.decode()
    assert "&lt;b&gt;coming-of-age&lt;/b&gt;" in page and "<b>coming-of-age</b>" not in page
    assert (
        as_(world.sofia.user)
        .post(reverse("matchmaking:interest_remove", args=[interest.pk]))
        .status_code
        == 404
    )
    client.post(reverse("matchmaking:interest_remove", args=[interest.pk]))
    assert not world.linh.stated_interests.exists()


def test_interest_panel_is_for_buyers_only(world):
    page = as_(world.kenji.user).get(reverse("matchmaking:for_you")).content.decode()
    assert "Your interests in your own words" not in page
    response = as_(world.kenji.user).post(reverse("matchmaking:interest_add"), {"text": ""})
    assert response.status_code == 302
    assert not world.kenji.stated_interests.exists()


def test_the_page_reads_a_bounded_number_of_queries(world, django_assert_max_num_queries):
    from tests.factories import RightsWindowFactory

    for n in range(15):
        title = TitleFactory(owner=world.seller_org, original_title=f"Extra {n}")
        genres(title, "animation")
        RightsWindowFactory(title=title, media="svod", territories=["VN"])
    client = as_(world.linh.user)
    client.get(reverse("matchmaking:for_you"))  # computes and stores
    with django_assert_max_num_queries(30):  # constant: not per card
        response = client.get(reverse("matchmaking:for_you"))
    assert len(re.findall(r'class="mm-card"', response.content.decode())) == 12 + 1


def test_a_sellers_page_reads_as_many_queries_for_many_buyers(world, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.meetings.factories import person

    client = as_(world.kenji.user)
    client.get(reverse("matchmaking:for_you"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("matchmaking:for_you"))
    for n in range(12):
        person(
            world.edition,
            "buyer",
            display_name=f"Buyer {n}",
            genres=["animation"],
            territories=["VN"],
        )
    services.recompute_for(participant=world.kenji)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(reverse("matchmaking:for_you"))
    assert "Buyer 0" in section(response, T.BUYER)

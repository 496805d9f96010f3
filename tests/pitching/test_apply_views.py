"""The application pages per role: anonymous, a participant who is not the applicant, the
applicant, an organiser. Exact outcomes: states, rows written, messages, escaping, CSRF."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from reelmarket.financing.models import Project
from reelmarket.market.enums import Role
from reelmarket.pitching.enums import SubmissionState
from reelmarket.pitching.models import Submission, SubmissionEvent
from tests.factories import UserFactory, make_user_with_roles
from tests.financing.factories import FinancingSourceFactory, ProjectFactory
from tests.pitching.factories import CallFactory, SectionFactory, SubmissionFactory

pytestmark = pytest.mark.django_db
S = SubmissionState


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html(response)))


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


class World:
    def __init__(self) -> None:
        self.call = CallFactory(name="HAF 2026")
        self.animation = SectionFactory(
            call=self.call, name="Animation", kind="animation", min_runtime_minutes=60
        )
        self.wip = SectionFactory(call=self.call, name="Works in progress", kind="wip")
        self.submission = SubmissionFactory(section=self.animation, project__title="Last Crossing")
        self.applicant = self.submission.applicant.user
        self.stranger = make_user_with_roles(Role.PRODUCER)
        self.organiser = make_user_with_roles(Role.ORGANISER)


@pytest.fixture
def world() -> World:
    return World()


SUBMISSION_PAGES = ["submission", "submission_edit"]
SUBMISSION_POSTS = [
    "submission_submit",
    "submission_withdraw",
    "submission_delete",
    "submission_move",
]


# ---- anonymous ----------------------------------------------------------------------------


def test_the_calls_are_public(world) -> None:
    page = text(Client().get(reverse("pitching:calls")))
    assert "HAF 2026" in page and "Animation, Works in progress" in page
    assert "Submissions overview" not in page
    call = text(Client().get(reverse("pitching:call", args=[world.call.pk])))
    assert "Features run at least 60 minutes" in call
    assert "Apply to this section" in call
    assert Client().get(reverse("pitching:call", args=[999999])).status_code == 404


@pytest.mark.parametrize("name", ["apply", "call_overview"])
def test_anonymous_is_sent_to_log_in_from_call_pages(world, name) -> None:
    url = reverse(f"pitching:{name}", args=[world.call.pk])
    response = Client().get(url)
    assert (response.status_code, response["Location"]) == (302, f"/accounts/login/?next={url}")


@pytest.mark.parametrize("name", SUBMISSION_PAGES)
def test_anonymous_is_sent_to_log_in_from_submission_pages(world, name) -> None:
    url = reverse(f"pitching:{name}", args=[world.submission.pk])
    response = Client().get(url)
    assert (response.status_code, response["Location"]) == (302, f"/accounts/login/?next={url}")
    mine = reverse("pitching:my_submissions")
    assert Client().get(mine)["Location"] == f"/accounts/login/?next={mine}"


@pytest.mark.parametrize("name", SUBMISSION_POSTS)
def test_anonymous_cannot_act(world, name) -> None:
    response = Client().post(reverse(f"pitching:{name}", args=[world.submission.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert Submission.objects.get(pk=world.submission.pk).state == S.DRAFT


# ---- a participant who is not the applicant -----------------------------------------------


@pytest.mark.parametrize("name", SUBMISSION_PAGES + SUBMISSION_POSTS)
def test_someone_else_sees_no_submission(world, name) -> None:
    client = logged_in(world.stranger)
    url = reverse(f"pitching:{name}", args=[world.submission.pk])
    response = client.post(url) if name in SUBMISSION_POSTS else client.get(url)
    assert response.status_code == 404
    assert Submission.objects.get(pk=world.submission.pk).state == S.DRAFT


def test_someone_elses_list_is_their_own(world) -> None:
    page = text(logged_in(world.stranger).get(reverse("pitching:my_submissions")))
    assert "Last Crossing" not in page
    assert "You have not applied yet." in page


def test_a_participant_may_not_see_the_overview(world) -> None:
    response = logged_in(world.stranger).get(
        reverse("pitching:call_overview", args=[world.call.pk])
    )
    assert response.status_code == 403


def test_an_account_without_a_profile_is_told_so(world) -> None:
    client = logged_in(UserFactory())
    response = client.get(reverse("pitching:apply", args=[world.call.pk]))
    assert response.status_code == 403
    assert "has no participant profile" in response.content.decode()


# ---- the applicant ------------------------------------------------------------------------


def _form(section, **changes) -> dict[str, str]:
    data = {
        "section": str(section.pk),
        "project": "new",
        "title": "Paper Tigers",
        "kind": "animation_feature",
        "stage": "development",
        "runtime_minutes": "88",
        "budget": "1500000",
        "currency": "HKD",
        "genres": ["animation"],
        "logline_zh": "紙老虎的故事。",
        "synopsis_zh": "一隻紙老虎在香港街頭找家。",
        "director_statement_zh": "我畫了十年老虎。",
        "screener_1": "https://vimeo.com/123",
        "src-TOTAL_FORMS": "2",
        "src-INITIAL_FORMS": "0",
        "src-MIN_NUM_FORMS": "0",
        "src-MAX_NUM_FORMS": "12",
        "src-0-kind": "public_fund",
        "src-0-name": "CreateHK",
        "src-0-amount": "500000",
        "src-0-status": "secured",
        "src-0-country": "hk",
        "src-1-kind": "",
        "src-1-name": "",
        "src-1-amount": "",
        "src-1-status": "secured",
        "src-1-country": "",
    }
    data.update(changes)
    return data


def test_the_applicant_saves_a_draft_with_a_new_project(world) -> None:
    wei = make_user_with_roles(Role.PRODUCER, languages=["zh-Hans"])
    client = logged_in(wei)
    page = text(client.get(reverse("pitching:apply", args=[world.call.pk])))
    assert "Up to 50 words" in page and "Up to 80 characters" in page
    response = client.post(reverse("pitching:apply", args=[world.call.pk]), _form(world.animation))
    draft = Submission.objects.get(applicant__user=wei)
    assert response.status_code == 302
    assert response["Location"] == reverse("pitching:submission_edit", args=[draft.pk])
    assert (draft.state, draft.section, draft.logline_zh) == (
        S.DRAFT,
        world.animation,
        "紙老虎的故事。",
    )
    assert draft.project.title == "Paper Tigers"
    assert list(draft.project.sources.values_list("name", "amount", "country")) == [
        ("CreateHK", Decimal("500000.00"), "HK")
    ]
    edit = text(client.get(response["Location"]))
    assert "Draft: Paper Tigers" in edit
    assert "Before you can submit" not in edit  # eligible and complete


def test_save_and_submit_in_one_go(world) -> None:
    wei = make_user_with_roles(Role.PRODUCER)
    client = logged_in(wei)
    response = client.post(
        reverse("pitching:apply", args=[world.call.pk]), _form(world.animation, submit="1")
    )
    submission = Submission.objects.get(applicant__user=wei)
    assert response["Location"] == reverse("pitching:submission", args=[submission.pk])
    assert submission.state == S.SUBMITTED
    assert submission.snapshot["sources"][0]["name"] == "CreateHK"
    page = text(client.get(response["Location"]))
    assert "Your project is submitted." in page
    assert "Draft → Submitted" in page


def test_an_ineligible_submit_keeps_the_draft_and_says_why(world) -> None:
    wei = make_user_with_roles(Role.PRODUCER)
    client = logged_in(wei)
    response = client.post(
        reverse("pitching:apply", args=[world.call.pk]),
        _form(world.animation, runtime_minutes="52", submit="1"),
        follow=True,
    )
    page = text(response)
    assert "Your draft is saved but not submitted yet: see what is missing." in page
    assert "Feature projects in this section must run at least 60 minutes; yours runs 52." in page
    assert Submission.objects.get(applicant__user=wei).state == S.DRAFT


def test_an_invalid_form_writes_nothing(world) -> None:
    wei = make_user_with_roles(Role.PRODUCER)
    client = logged_in(wei)
    projects = Project.objects.count()
    page = text(
        client.post(
            reverse("pitching:apply", args=[world.call.pk]),
            _form(world.animation, budget="", **{"src-0-amount": "-5", "screener_2": "nope"}),
        )
    )
    assert "This field is required." in page
    assert "Enter a valid URL." in page
    assert "Ensure this value is greater than or equal to 0." in page
    assert Project.objects.count() == projects
    assert not Submission.objects.filter(applicant__user=wei).exists()


def test_the_applicant_edits_the_draft_and_over_long_text_is_refused_on_submit(world) -> None:
    client = logged_in(world.applicant)
    url = reverse("pitching:submission_edit", args=[world.submission.pk])
    page = text(client.get(url))
    assert "Draft: Last Crossing" in page
    data = _form(
        world.animation,
        title="Last Crossing",
        currency="USD",
        logline_en="word " * 51,
        submit="1",
    )
    del data["project"]
    page = text(client.post(url, data))
    assert "One-sentence synopsis (English) has 51 words; the limit is 50." in page
    fresh = Submission.objects.get(pk=world.submission.pk)
    assert fresh.state == S.DRAFT
    assert fresh.logline_en == ("word " * 51).strip()  # the draft keeps the text


def test_the_applicant_submits_and_withdraws_from_the_status_page(world) -> None:
    client = logged_in(world.applicant)
    page = text(client.get(reverse("pitching:submission", args=[world.submission.pk])))
    assert "Everything is in place: you can submit." in page
    client.post(reverse("pitching:submission_submit", args=[world.submission.pk]))
    assert Submission.objects.get(pk=world.submission.pk).state == S.SUBMITTED
    edit = client.get(reverse("pitching:submission_edit", args=[world.submission.pk]))
    assert edit["Location"] == reverse("pitching:submission", args=[world.submission.pk])
    client.post(
        reverse("pitching:submission_withdraw", args=[world.submission.pk]),
        {"note": "Found a co-producer"},
    )
    assert Submission.objects.get(pk=world.submission.pk).state == S.WITHDRAWN
    page = text(client.get(reverse("pitching:submission", args=[world.submission.pk])))
    assert "Submitted → Withdrawn · Found a co-producer" in page


def test_the_applicant_cannot_make_the_organisers_moves(world) -> None:
    world.submission.state = S.SUBMITTED
    world.submission.save()
    response = logged_in(world.applicant).post(
        reverse("pitching:submission_move", args=[world.submission.pk]), {"to_state": "selected"}
    )
    assert response.status_code == 403
    assert Submission.objects.get(pk=world.submission.pk).state == S.SUBMITTED


def test_the_applicant_deletes_a_draft(world) -> None:
    client = logged_in(world.applicant)
    response = client.post(reverse("pitching:submission_delete", args=[world.submission.pk]))
    assert response["Location"] == reverse("pitching:my_submissions")
    assert not Submission.objects.filter(pk=world.submission.pk).exists()


def test_the_applicants_list(world) -> None:
    page = text(logged_in(world.applicant).get(reverse("pitching:my_submissions")))
    assert "Last Crossing" in page and "HAF 2026" in page and "Draft" in page


# ---- organisers ---------------------------------------------------------------------------


def test_an_organiser_sees_but_does_not_edit_a_draft(world) -> None:
    client = logged_in(world.organiser)
    assert "Last Crossing" in text(
        client.get(reverse("pitching:submission", args=[world.submission.pk]))
    )
    assert (
        client.get(reverse("pitching:submission_edit", args=[world.submission.pk])).status_code
        == 403
    )
    client.post(reverse("pitching:submission_submit", args=[world.submission.pk]))
    client.post(reverse("pitching:submission_withdraw", args=[world.submission.pk]))
    client.post(reverse("pitching:submission_delete", args=[world.submission.pk]))
    assert Submission.objects.get(pk=world.submission.pk).state == S.DRAFT


def test_an_organiser_shortlists_and_selects_and_the_applicant_is_mailed(
    world, django_capture_on_commit_callbacks
) -> None:
    world.submission.state = S.SUBMITTED
    world.submission.save()
    client = logged_in(world.organiser)
    url = reverse("pitching:submission_move", args=[world.submission.pk])
    client.post(url, {"to_state": "shortlisted"})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"to_state": "selected", "note": "Strong team"}, follow=True)
    assert "The submission is now: Selected." in text(response)
    assert Submission.objects.get(pk=world.submission.pk).state == S.SELECTED
    assert [m.to for m in mail.outbox] == [[world.applicant.email]]
    # An impossible move is refused with the rule's words.
    response = client.post(url, {"to_state": "shortlisted"}, follow=True)
    assert "A submission that is selected cannot become shortlisted." in text(response)


def test_the_applicant_does_not_read_the_organisers_notes(world) -> None:
    world.submission.state = S.SUBMITTED
    world.submission.save()
    logged_in(world.organiser).post(
        reverse("pitching:submission_move", args=[world.submission.pk]),
        {"to_state": "rejected", "note": "Weak script"},
    )
    url = reverse("pitching:submission", args=[world.submission.pk])
    assert "Weak script" in text(logged_in(world.organiser).get(url))
    page = text(logged_in(world.applicant).get(url))
    assert "Submitted → Not selected" in page and "Weak script" not in page


def test_the_organisers_overview_counts_by_section_and_status(world) -> None:
    SubmissionFactory(section=world.wip, state=S.SUBMITTED, project__title="Harbour Lights")
    SubmissionFactory(section=world.animation, state=S.SELECTED, project__title="Paper Moon")
    client = logged_in(world.organiser)
    url = reverse("pitching:call_overview", args=[world.call.pk])
    page = text(client.get(url))
    assert "Animation 1 0 0 1 0 0 2" in page
    assert "Works in progress 0 1 0 0 0 0 1" in page
    assert "All sections 1 1 0 1 0 0 3" in page
    # Drafts are not listed unless asked for.
    assert "Harbour Lights" in page and "Paper Moon" in page and "Last Crossing" not in page
    assert "Last Crossing" in text(client.get(url, {"state": "draft"}))
    only_wip = text(client.get(url, {"section": world.wip.pk}))
    assert "Harbour Lights" in only_wip and "Paper Moon" not in only_wip
    assert client.get(url, {"state": "bogus", "section": "x"}).status_code == 200


# ---- escaping and CSRF --------------------------------------------------------------------


def test_user_content_is_escaped(world) -> None:
    evil = "<script>alert(1)</script>"
    project = world.submission.project
    project.title = evil
    project.save()
    world.submission.synopsis_en = evil
    world.submission.state = S.SUBMITTED
    world.submission.save()
    FinancingSourceFactory(project=project, name=evil)
    for user, url in (
        (world.applicant, reverse("pitching:submission", args=[world.submission.pk])),
        (world.organiser, reverse("pitching:call_overview", args=[world.call.pk])),
        (world.applicant, reverse("pitching:my_submissions")),
    ):
        body = html(logged_in(user).get(url))
        assert evil not in body
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_posts_need_the_csrf_token(world) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.applicant)
    response = client.post(reverse("pitching:submission_submit", args=[world.submission.pk]))
    assert response.status_code == 403
    assert Submission.objects.get(pk=world.submission.pk).state == S.DRAFT
    assert not SubmissionEvent.objects.filter(submission=world.submission).exists()


def test_a_get_does_not_act(world) -> None:
    response = logged_in(world.applicant).get(
        reverse("pitching:submission_submit", args=[world.submission.pk])
    )
    assert response.status_code == 405


def test_another_producers_project_is_not_offered(world) -> None:
    theirs = ProjectFactory(title="Not Yours")
    mine = ProjectFactory(owner=world.stranger.participant, title="Mine")
    client = logged_in(world.stranger)
    page = html(client.get(reverse("pitching:apply", args=[world.call.pk])))
    assert "Mine" in page and "Not Yours" not in page
    response = client.post(
        reverse("pitching:apply", args=[world.call.pk]),
        _form(world.animation, project=str(theirs.pk)),
    )
    assert f"Select a valid choice. {theirs.pk} is not one of the available choices." in text(
        response
    )
    assert not Submission.objects.filter(project=theirs).exists()
    client.post(
        reverse("pitching:apply", args=[world.call.pk]),
        _form(world.animation, project=str(mine.pk)),
    )
    assert Submission.objects.get(applicant=world.stranger.participant).project == mine


# ---- organiser set-up in the back office --------------------------------------------------


def test_the_call_is_set_up_with_dates_in_the_editions_time_zone(world) -> None:
    from tests.factories import EditionFactory

    edition = EditionFactory(time_zone="Asia/Hong_Kong")
    admin = UserFactory(is_staff=True, is_superuser=True)
    client = logged_in(admin)
    inline = {}
    for prefix in ("sections", "criteria"):
        inline.update({
            f"{prefix}-TOTAL_FORMS": "1", f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000",
        })  # fmt: skip
    response = client.post(
        reverse("admin:pitching_call_add"),
        {
            "edition": edition.pk, "name": "HAF 2027", "slug": "haf-2027",
            "opens_at_0": "2026-10-01", "opens_at_1": "00:00",
            "deadline_0": "2026-12-01", "deadline_1": "23:59",
            "currency": "USD", "reviewers_per_submission": "3",
            **inline,
            "sections-0-code": "animation", "sections-0-name": "Animation",
            "sections-0-kind": "animation", "sections-0-position": "0",
            "sections-0-allowed_kinds": ["animation_feature", "animation_series"],
            "sections-0-min_runtime_minutes": "60",
            "sections-0-budget_min": "600000", "sections-0-budget_max": "3000000",
            "sections-0-min_secured_share": "0.3",
            "criteria-0-name": "Story", "criteria-0-weight": "2", "criteria-0-scale_max": "10",
            "criteria-0-position": "0",
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    call = world.call.__class__.objects.get(slug="haf-2027")
    assert call.deadline.isoformat() == "2026-12-01T15:59:00+00:00"
    assert call.opens_at.isoformat() == "2026-09-30T16:00:00+00:00"
    section = call.sections.get()
    assert section.allowed_kinds == ["animation_feature", "animation_series"]
    assert section.min_secured_share == Decimal("0.300")
    assert call.criteria.get().weight == Decimal("2.00")
    # Shown again in the edition's time.
    page = client.get(reverse("admin:pitching_call_change", args=[call.pk])).content.decode()
    assert 'value="23:59:00"' in page and 'value="2026-12-01"' in page


def test_a_section_with_crossed_limits_is_refused_in_the_back_office(world) -> None:
    from reelmarket.pitching.admin import SectionForm

    form = SectionForm(
        data={"code": "x", "name": "X", "kind": "genre", "position": "0",
              "min_runtime_minutes": "90", "max_runtime_minutes": "60",
              "budget_min": "5", "budget_max": "1"},
    )  # fmt: skip
    assert not form.is_valid()
    assert form.errors == {
        "max_runtime_minutes": ["The longest running time is too short."],
        "budget_max": ["The largest budget is below the smallest."],
    }


def test_admin_actions_move_through_the_state_machine(world) -> None:
    world.submission.state = S.SUBMITTED
    world.submission.save()
    admin = UserFactory(is_staff=True, is_superuser=True)
    client = logged_in(admin)
    changelist = reverse("admin:pitching_submission_changelist")
    client.post(
        changelist,
        {"action": "move_to_shortlisted", "_selected_action": [world.submission.pk]},
    )
    assert Submission.objects.get(pk=world.submission.pk).state == S.SHORTLISTED
    response = client.post(
        changelist,
        {"action": "move_to_shortlisted", "_selected_action": [world.submission.pk]},
        follow=True,
    )
    assert "A submission that is shortlisted cannot become shortlisted." in text(response)
    assert SubmissionEvent.objects.filter(submission=world.submission).count() == 1


# ---- poster and dates through the pages ---------------------------------------------------


def _png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (20, 30), "red").save(buffer, format="PNG")
    return buffer.getvalue()


def test_a_poster_is_uploaded_checked_and_removed(world, settings, tmp_path) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    wei = make_user_with_roles(Role.PRODUCER)
    client = logged_in(wei)
    bad = SimpleUploadedFile("poster.png", b"not an image", content_type="image/png")
    page = text(
        client.post(
            reverse("pitching:apply", args=[world.call.pk]),
            {**_form(world.animation), "poster": bad},
        )
    )
    assert "Upload a valid image." in page
    assert not Submission.objects.filter(applicant__user=wei).exists()
    good = SimpleUploadedFile("poster.png", _png(), content_type="image/png")
    client.post(
        reverse("pitching:apply", args=[world.call.pk]), {**_form(world.animation), "poster": good}
    )
    draft = Submission.objects.get(applicant__user=wei)
    assert draft.poster.name.startswith("posters/pitching/")
    data = _form(world.animation, title="Paper Tigers", remove_poster="on")
    del data["project"]
    client.post(reverse("pitching:submission_edit", args=[draft.pk]), data)
    assert Submission.objects.get(pk=draft.pk).poster.name == ""


def test_a_closed_call_refuses_new_drafts_with_the_deadline_in_venue_time(world) -> None:
    from datetime import UTC, datetime

    closed = CallFactory(
        opens_at=datetime(2025, 1, 1, tzinfo=UTC),
        deadline=datetime(2025, 12, 1, 15, 59, tzinfo=UTC),
    )
    section = SectionFactory(call=closed)
    client = logged_in(world.stranger)
    page = text(client.get(reverse("pitching:apply", args=[closed.pk])))
    assert "This call is not open for submissions." in page
    assert "Save and submit" not in page
    page = text(client.post(reverse("pitching:apply", args=[closed.pk]), _form(section)))
    assert "The deadline passed at 23:59 on Dec 1, 2025 (Hong Kong Time)." in page
    assert not Submission.objects.filter(call=closed).exists()
    assert not Project.objects.filter(owner=world.stranger.participant).exists()

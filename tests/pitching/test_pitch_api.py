"""The pitch-forum API per role: anonymous, a participant who is not the applicant, the
applicant, an organiser. Exact bodies and database outcomes; refusals in the one error
shape with the rule's code and every reason."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.test import Client

from reelmarket.financing.models import Project
from reelmarket.market.enums import Role
from reelmarket.pitching.enums import SubmissionState
from reelmarket.pitching.models import Submission, SubmissionEvent
from tests.api.conftest import BASE, Api, assert_error
from tests.factories import make_user_with_roles
from tests.financing.factories import FinancingSourceFactory
from tests.pitching.factories import CallFactory, SectionFactory, SubmissionFactory

pytestmark = pytest.mark.django_db
S = SubmissionState


class PitchApi(Api):
    def patch(self, path: str, body, *, as_=None):
        return self._send("patch", path, body, as_)


@pytest.fixture
def api(client) -> PitchApi:
    return PitchApi(client)


def body(response, status: int = 200):
    assert response.status_code == status, response.content
    return json.loads(response.content)


class World:
    def __init__(self) -> None:
        self.call = CallFactory(name="HAF 2026", deadline=datetime(2099, 12, 1, 15, 59, tzinfo=UTC))
        self.animation = SectionFactory(
            call=self.call, code="animation", name="Animation", kind="animation",
            min_runtime_minutes=60, budget_min=Decimal("600000"), budget_max=Decimal("3000000"),
        )  # fmt: skip
        self.submission = SubmissionFactory(section=self.animation, project__title="Last Crossing")
        self.applicant = self.submission.applicant.user
        self.stranger = make_user_with_roles(Role.PRODUCER)
        self.organiser = make_user_with_roles(Role.ORGANISER)


@pytest.fixture
def world() -> World:
    return World()


PERSONAL = [
    ("get", "/pitch/submissions"),
    ("post", "/pitch/submissions"),
    ("get", "/pitch/submissions/1"),
    ("patch", "/pitch/submissions/1"),
    ("delete", "/pitch/submissions/1"),
    ("post", "/pitch/submissions/1/submit"),
    ("post", "/pitch/submissions/1/withdraw"),
    ("post", "/pitch/submissions/1/transition"),
    ("get", "/pitch/calls/1/submissions"),
]


@pytest.mark.parametrize(("method", "path"), PERSONAL)
def test_anonymous_gets_401(api, world, method, path) -> None:
    call = getattr(api, method)
    response = call(path) if method in ("get", "delete") else call(path, {})
    assert_error(response, 401, "unauthorized")


def test_calls_and_sections_are_public(api, world) -> None:
    calls = body(api.get("/pitch/calls"))
    assert [c["name"] for c in calls] == ["HAF 2026"]
    call = body(api.get(f"/pitch/calls/{world.call.pk}"))
    assert (call["time_zone"], call["currency"], call["is_open"]) == ("Asia/Hong_Kong", "USD", True)
    assert call["deadline"] == "2099-12-01T15:59:00Z"
    (section,) = call["sections"]
    assert section["rules"] == [
        "Features run at least 60 minutes",
        "Budget USD 600,000–3,000,000",
    ]
    assert (section["budget_min"], section["min_runtime_minutes"]) == ("600000.00", 60)
    assert_error(api.get("/pitch/calls/999999"), 404, "not_found")


def test_a_stranger_sees_no_submission_and_changes_nothing(api, world) -> None:
    pk = world.submission.pk
    assert body(api.get("/pitch/submissions", as_=world.stranger)) == []
    assert_error(api.get(f"/pitch/submissions/{pk}", as_=world.stranger), 404, "not_found")
    assert_error(
        api.patch(f"/pitch/submissions/{pk}", {"texts": {"logline_en": "x"}}, as_=world.stranger),
        404,
        "not_found",
    )
    assert_error(api.delete(f"/pitch/submissions/{pk}", as_=world.stranger), 404, "not_found")
    assert_error(
        api.post(f"/pitch/submissions/{pk}/submit", {}, as_=world.stranger), 404, "not_found"
    )
    assert_error(
        api.post(f"/pitch/submissions/{pk}/withdraw", {}, as_=world.stranger), 404, "not_found"
    )
    assert_error(
        api.post(
            f"/pitch/submissions/{pk}/transition", {"to_state": "submitted"}, as_=world.stranger
        ),
        404,
        "not_found",
    )
    assert_error(
        api.get(f"/pitch/calls/{world.call.pk}/submissions", as_=world.stranger),
        403,
        "permission_denied",
    )
    fresh = Submission.objects.get(pk=pk)
    assert (fresh.state, fresh.logline_en) == (S.DRAFT, world.submission.logline_en)


NEW = {
    "title": "Paper Tigers",
    "kind": "animation_feature",
    "stage": "development",
    "budget": "3900000",
    "currency": "HKD",
    "genres": ["animation"],
    "runtime_minutes": 88,
    "sources": [{"kind": "public_fund", "name": "CreateHK", "amount": "1000000"}],
}


def test_the_applicant_creates_changes_and_submits_a_draft(api, world) -> None:
    wei = make_user_with_roles(Role.PRODUCER)
    created = body(
        api.post(
            "/pitch/submissions",
            {"section_id": world.animation.pk, "project": NEW,
             "texts": {"logline_zh": "紙老虎。", "synopsis_zh": "紙老虎找家。"},
             "screeners": ["https://vimeo.com/1"]},
            as_=wei,
        ),
        201,
    )  # fmt: skip
    pk = created["id"]
    assert (created["state"], created["project"]["title"], created["screeners"]) == (
        "draft", "Paper Tigers", ["https://vimeo.com/1"],
    )  # fmt: skip
    assert created["problems"] == [
        "The budget (HKD 3,900,000 ≈ USD 496,815) is outside this section's range "
        "USD 600,000–3,000,000.",
        "Complete the required texts in English or in Chinese. Missing in English: "
        "One-sentence synopsis, Synopsis, Director's statement. Missing in Chinese: "
        "Director's statement.",
    ]
    refused = assert_error(
        api.post(f"/pitch/submissions/{pk}/submit", {}, as_=wei), 422, "not_eligible"
    )
    assert refused["message"] == created["problems"][0]
    assert refused["fields"] == {"body": created["problems"]}
    changed = body(
        api.patch(
            f"/pitch/submissions/{pk}",
            {
                "project": {**NEW, "budget": "5000000"},
                "texts": {"director_statement_zh": "我畫老虎。"},
            },
            as_=wei,
        )
    )
    assert changed["problems"] == []
    assert changed["texts"]["logline_zh"] == "紙老虎。"  # untouched keys stay
    submitted = body(api.post(f"/pitch/submissions/{pk}/submit", {}, as_=wei))
    assert submitted["state"] == "submitted"
    assert submitted["snapshot"]["budget"] == "5000000.00"
    assert [(h["from_state"], h["to_state"], h["by_applicant"]) for h in submitted["history"]] == [
        ("", "draft", True),
        ("draft", "submitted", True),
    ]
    locked = assert_error(
        api.patch(f"/pitch/submissions/{pk}", {"texts": {"logline_en": "x"}}, as_=wei),
        409,
        "locked",
    )
    assert locked["message"] == "This submission is submitted; its texts can no longer change."
    mine = body(api.get("/pitch/submissions", as_=wei))
    assert [m["id"] for m in mine] == [pk]


def test_input_that_cannot_work_says_where(api, world) -> None:
    wei = make_user_with_roles(Role.PRODUCER)
    assert_error(
        api.post("/pitch/submissions", {"section_id": 999999, "project": NEW}, as_=wei),
        422, "validation_error", {"body.section_id": ["Unknown section."]},
    )  # fmt: skip
    assert_error(
        api.post("/pitch/submissions", {"section_id": world.animation.pk}, as_=wei),
        422, "project_required",
        {"body.project_id": ["Choose one of your projects or describe a new one."]},
    )  # fmt: skip
    assert_error(
        api.post(
            "/pitch/submissions",
            {"section_id": world.animation.pk, "project": {**NEW, "budget": "100"}},
            as_=wei,
        ),
        422, "invalid",
        {"body.project.sources": [
            "The secured sources add up to HKD 1,000,000, more than the budget of HKD 100. "
            "Raise the budget, or mark a source as pending."]},
    )  # fmt: skip
    response = api.post(
        "/pitch/submissions",
        {"section_id": world.animation.pk, "project": NEW, "screeners": ["a", "b", "c"]},
        as_=wei,
    )
    assert_error(response, 422, "validation_error")
    theirs = assert_error(
        api.post(
            "/pitch/submissions",
            {"section_id": world.animation.pk, "project_id": world.submission.project_id},
            as_=wei,
        ),
        403, "permission_denied",
    )  # fmt: skip
    assert theirs["message"] == "You can only submit your own projects."
    assert not Project.objects.filter(owner__user=wei).exists()
    assert not Submission.objects.filter(applicant__user=wei).exists()


def test_a_late_submission_is_refused_with_the_editions_time(api, world) -> None:
    late = SectionFactory(
        call__deadline=datetime(2026, 1, 31, 15, 59, tzinfo=UTC),
        call__opens_at=datetime(2025, 1, 1, tzinfo=UTC),
    )
    draft = SubmissionFactory(section=late)
    error = assert_error(
        api.post(f"/pitch/submissions/{draft.pk}/submit", {}, as_=draft.applicant.user),
        409,
        "deadline_passed",
    )
    assert error["message"] == "The deadline passed at 23:59 on Jan 31, 2026 (Hong Kong Time)."


def test_withdraw_and_delete(api, world) -> None:
    pk = world.submission.pk
    other = SubmissionFactory(state=S.SUBMITTED)
    withdrawn = body(
        api.post(
            f"/pitch/submissions/{other.pk}/withdraw",
            {"note": "Financed"},
            as_=other.applicant.user,
        )
    )
    assert (withdrawn["state"], withdrawn["history"][-1]["note"]) == ("withdrawn", "Financed")
    assert_error(
        api.delete(f"/pitch/submissions/{other.pk}", as_=other.applicant.user), 409, "locked"
    )
    assert api.delete(f"/pitch/submissions/{pk}", as_=world.applicant).status_code == 204
    assert not Submission.objects.filter(pk=pk).exists()


def test_organisers_list_and_move_and_the_applicant_may_not(api, world) -> None:
    submitted = SubmissionFactory(section=world.animation, state=S.SUBMITTED)
    FinancingSourceFactory(project=submitted.project)
    listed = body(api.get(f"/pitch/calls/{world.call.pk}/submissions", as_=world.organiser))
    assert [s["id"] for s in listed] == [submitted.pk]  # drafts only when asked
    drafts = body(
        api.get(f"/pitch/calls/{world.call.pk}/submissions", as_=world.organiser, state="draft")
    )
    assert [s["id"] for s in drafts] == [world.submission.pk]
    url = f"/pitch/submissions/{submitted.pk}/transition"
    denied = assert_error(
        api.post(url, {"to_state": "shortlisted"}, as_=submitted.applicant.user),
        403,
        "permission_denied",
    )
    assert denied["message"] == "Only the organisers may shortlist, select or reject."
    moved = body(api.post(url, {"to_state": "shortlisted", "note": "Strong"}, as_=world.organiser))
    assert moved["state"] == "shortlisted"
    assert moved["history"][-1] == {
        "from_state": "submitted", "to_state": "shortlisted",
        "at": moved["history"][-1]["at"], "by_applicant": False, "note": "Strong",
    }  # fmt: skip
    # The applicant reads the history without the organisers' notes.
    seen = body(api.get(f"/pitch/submissions/{submitted.pk}", as_=submitted.applicant.user))
    assert seen["history"][-1]["note"] == ""
    assert_error(
        api.post(url, {"to_state": "submitted"}, as_=world.organiser), 409, "invalid_transition"
    )
    assert_error(api.post(url, {"to_state": "won"}, as_=world.organiser), 422, "validation_error")
    assert SubmissionEvent.objects.filter(submission=submitted).count() == 1


def test_session_writes_need_csrf(world) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.applicant)
    assert client.get(f"{BASE}/pitch/submissions").status_code == 200
    response = client.post(
        f"{BASE}/pitch/submissions/{world.submission.pk}/submit",
        "{}",
        content_type="application/json",
    )
    assert_error(response, 403, "permission_denied")
    assert Submission.objects.get(pk=world.submission.pk).state == S.DRAFT


def test_the_organisers_list_costs_a_fixed_number_of_queries(api, world) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    api.headers(world.organiser)  # the token exists before counting
    counts = []
    for _ in range(2):
        for _ in range(3):
            s = SubmissionFactory(section=world.animation, state=S.SUBMITTED)
            FinancingSourceFactory(project=s.project)
        with CaptureQueriesContext(connection) as queries:
            body(api.get(f"/pitch/calls/{world.call.pk}/submissions", as_=world.organiser))
        counts.append(len(queries))
    assert counts[0] == counts[1]

"""Drafts and submitting through the services: the project made with the submission, the
texts in two languages with their limits, refusals that leave nothing half-written."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reelmarket.financing.models import FinancingSource, Project
from reelmarket.market.enums import Role
from reelmarket.pitching import services, texts
from reelmarket.pitching.enums import WORD_LIMITS, SubmissionState, TextField
from reelmarket.pitching.errors import PitchError, PitchForbidden
from reelmarket.pitching.models import Submission, SubmissionEvent
from reelmarket.pitching.services import ProjectData, SourceData
from reelmarket.pitching.wordcount import count
from tests.factories import OrganisationFactory, ParticipantFactory, make_user_with_roles
from tests.financing.factories import ProjectFactory
from tests.pitching.factories import SectionFactory, SubmissionFactory

S = SubmissionState
REQUIRED_EN = {
    "logline_en": "A ferry captain's last crossing.",
    "synopsis_en": "A ferry captain on her last crossing between Hong Kong and Macau.",
    "director_statement_en": "I grew up on those ferries.",
}
REQUIRED_ZH = {
    "logline_zh": "渡輪船長的最後一程。",
    "synopsis_zh": "一位渡輪船長在港澳之間的最後一次航行。",
    "director_statement_zh": "我在這些渡輪上長大。",
}


def new_project(**changes) -> ProjectData:
    base = {
        "title": "Last Crossing",
        "kind": "animation_feature",
        "stage": "development",
        "budget": Decimal("2000000"),
        "currency": "USD",
        "genres": ["animation", "family"],
        "runtime_minutes": 90,
        "sources": [
            SourceData(kind="public_fund", name="Film Development Fund", amount=Decimal("600000")),
            SourceData(
                kind="pre_sales", name="Taiwan pre-sale", amount=Decimal("100000"), status="pending"
            ),
        ],
    }
    return ProjectData(**{**base, **changes})


# ---- word counting (no database) ----------------------------------------------------------


@pytest.mark.parametrize(("text", "language", "expected"), [
    ("", "en", 0),
    ("A ferry captain's   last\ncrossing.", "en", 5),
    ("渡輪船長的最後一程。", "zh", 10),
    ("在 IMAX 2026 上映", "zh", 5),  # 在, IMAX, 2026, 上, 映
    ("“港澳”渡輪", "zh", 6),  # full-width quotes count
    ("Hong Kong 香港", "en", 3),
])  # fmt: skip
def test_counting_words_and_characters(text, language, expected) -> None:
    assert count(text, language) == expected


@given(st.lists(st.text(alphabet="abcdefghij'", min_size=1, max_size=8), max_size=60))
def test_english_counts_every_word_whatever_the_spacing(words) -> None:
    assert count("  \n ".join(words), "en") == len(words)


@given(st.text(alphabet="渡輪船長的最後一程港澳", max_size=200))
def test_chinese_counts_every_character(text) -> None:
    assert count(text, "zh") == len(text)


@pytest.mark.parametrize("field", list(TextField))
def test_every_limit_holds_at_the_limit_and_breaks_one_past_it(field) -> None:
    en_limit, zh_limit = WORD_LIMITS[field]["en"], WORD_LIMITS[field]["zh"]
    at_limit = {f"{field}_en": "word " * en_limit, f"{field}_zh": "字" * zh_limit}
    assert texts.limit_errors(at_limit) == {}
    over = {f"{field}_en": "word " * (en_limit + 1), f"{field}_zh": "字" * (zh_limit + 1)}
    label = TextField(field).label
    assert texts.limit_errors(over) == {
        f"{field}_en": f"{label} (English) has {en_limit + 1} words; the limit is {en_limit}.",
        f"{field}_zh": f"{label} (Chinese) has {zh_limit + 1} characters; the limit is {zh_limit}.",
    }


def test_one_complete_language_is_enough() -> None:
    assert texts.missing_message(REQUIRED_EN) is None
    assert texts.missing_message(REQUIRED_ZH) is None
    mixed = {"logline_en": "x", "synopsis_zh": "y", "director_statement_en": "z"}
    assert texts.missing_message(mixed) == (
        "Complete the required texts in English or in Chinese. Missing in English: Synopsis. "
        "Missing in Chinese: One-sentence synopsis, Director's statement."
    )
    assert texts.missing_message({"logline_en": "   "}) == (
        "Complete the required texts in English or in Chinese. Missing in English: "
        "One-sentence synopsis, Synopsis, Director's statement. Missing in Chinese: "
        "One-sentence synopsis, Synopsis, Director's statement."
    )


# ---- drafts -------------------------------------------------------------------------------

with_db = pytest.mark.django_db


@with_db
def test_a_draft_with_a_new_project_and_its_financing_plan() -> None:
    company = OrganisationFactory()
    wei = ParticipantFactory(organisation=company, languages=["zh-Hans"])
    section = SectionFactory()
    draft = services.submission_create(
        actor=wei.user,
        section=section,
        project_data=new_project(),
        values=REQUIRED_ZH,
        screeners=["https://vimeo.com/1", " "],
    )
    assert (draft.state, draft.applicant, draft.call, draft.organisation) == (
        S.DRAFT, wei, section.call, company,
    )  # fmt: skip
    project = draft.project
    assert (project.owner, project.organisation, project.title, project.genres) == (
        wei, company, "Last Crossing", ["animation", "family"],
    )  # fmt: skip
    assert sorted(project.sources.values_list("name", "amount", "status")) == [
        ("Film Development Fund", Decimal("600000.00"), "secured"),
        ("Taiwan pre-sale", Decimal("100000.00"), "pending"),
    ]
    assert (draft.logline_zh, draft.logline_en) == ("渡輪船長的最後一程。", "")
    assert (draft.screener_1, draft.screener_2) == ("https://vimeo.com/1", "")
    assert list(
        SubmissionEvent.objects.filter(submission=draft).values_list("from_state", "to_state")
    ) == [("", "draft")]


@with_db
def test_an_existing_project_must_be_the_applicants_own() -> None:
    wei = ParticipantFactory()
    theirs = ProjectFactory()
    with pytest.raises(PitchForbidden) as caught:
        services.submission_create(actor=wei.user, section=SectionFactory(), project=theirs)
    assert caught.value.message == "You can only submit your own projects."
    assert not Submission.objects.exists()


@with_db
def test_a_project_goes_once_to_a_call() -> None:
    first = SubmissionFactory()
    other_section = SectionFactory(call=first.call)
    with pytest.raises(PitchError) as caught:
        services.submission_create(
            actor=first.applicant.user, section=other_section, project=first.project
        )
    assert caught.value.code == "duplicate"
    assert (
        caught.value.message
        == f"“{first.project.title}” is already submitted to {first.call.name}."
    )


@with_db
def test_a_refused_draft_leaves_no_project_behind() -> None:
    wei = ParticipantFactory()
    projects, sources = Project.objects.count(), FinancingSource.objects.count()
    with pytest.raises(PitchError) as caught:
        services.submission_create(
            actor=wei.user,
            section=SectionFactory(),
            project_data=new_project(),
            screeners=["https://a.example", "https://b.example", "https://c.example"],
        )
    assert caught.value.message == "Give at most two screener links."
    with pytest.raises(PitchError) as caught:
        services.submission_create(
            actor=wei.user, section=SectionFactory(), project_data=new_project(),
            screeners=["not a link"],
        )  # fmt: skip
    assert caught.value.fields == {"screener_1": ["Enter a valid URL."]}
    assert (Project.objects.count(), FinancingSource.objects.count()) == (projects, sources)
    assert not Submission.objects.exists()


@with_db
@pytest.mark.parametrize(("changes", "fields"), [
    ({"budget": Decimal("0")}, {"budget": ["Give the project's total budget."]}),
    ({"currency": "XAF"}, {"currency": [
        "Choose one of the market's currencies: AUD, CAD, CNY, EUR, GBP, HKD, IDR, INR, JPY, "
        "KRW, MYR, PHP, SGD, THB, TWD, USD, VND."]}),
    ({"genres": ["polka"]}, {"genres": ["Unknown genre: polka."]}),
    ({"budget": Decimal("500000")}, {"sources": [
        "The secured sources add up to USD 600,000, more than the budget of USD 500,000. "
        "Raise the budget, or mark a source as pending."]}),
])  # fmt: skip
def test_a_new_projects_facts_are_checked(changes, fields) -> None:
    wei = ParticipantFactory()
    with pytest.raises(PitchError) as caught:
        services.submission_create(
            actor=wei.user, section=SectionFactory(), project_data=new_project(**changes)
        )
    assert caught.value.fields == fields
    assert not Project.objects.filter(owner=wei).exists()


@with_db
def test_no_draft_after_the_deadline() -> None:
    section = SectionFactory(call__deadline=datetime(2026, 12, 1, 15, 59, tzinfo=UTC))
    with pytest.raises(PitchError) as caught:
        services.submission_create(
            actor=ParticipantFactory().user,
            section=section,
            project_data=new_project(),
            now=datetime(2026, 12, 2, tzinfo=UTC),
        )
    assert (caught.value.code, caught.value.message) == (
        "deadline_passed",
        "The deadline passed at 23:59 on Dec 1, 2026 (Hong Kong Time).",
    )
    assert not Project.objects.exists()


@with_db
def test_anyone_without_a_participant_profile_cannot_apply() -> None:
    from tests.factories import UserFactory

    with pytest.raises(PitchForbidden):
        services.submission_create(
            actor=UserFactory(), section=SectionFactory(), project_data=new_project()
        )


@with_db
def test_updating_a_draft_changes_only_what_is_given() -> None:
    draft = SubmissionFactory(synopsis_zh="舊的")
    section = SectionFactory(call=draft.call)
    services.submission_update(
        actor=draft.applicant.user,
        submission=draft,
        section=section,
        values={"synopsis_zh": "新的簡介"},
        screeners=["https://vimeo.com/2"],
        project_data=new_project(title="Renamed", sources=[]),
    )
    fresh = Submission.objects.get(pk=draft.pk)
    assert (fresh.section, fresh.synopsis_zh, fresh.synopsis_en, fresh.screener_1) == (
        section, "新的簡介", draft.synopsis_en, "https://vimeo.com/2",
    )  # fmt: skip
    assert (fresh.project.title, fresh.project.sources.count()) == ("Renamed", 0)


@with_db
def test_a_section_of_another_call_is_refused() -> None:
    draft = SubmissionFactory()
    with pytest.raises(PitchError) as caught:
        services.submission_update(
            actor=draft.applicant.user, submission=draft, section=SectionFactory()
        )
    assert caught.value.code == "bad_section"


@with_db
@pytest.mark.parametrize("state", [s for s in S.values if s != S.DRAFT])
def test_texts_are_locked_once_submitted(state) -> None:
    submission = SubmissionFactory(state=state)
    with pytest.raises(PitchError) as caught:
        services.submission_update(
            actor=submission.applicant.user, submission=submission, values={"logline_en": "New"}
        )
    assert caught.value.code == "locked"
    assert Submission.objects.get(pk=submission.pk).logline_en == submission.logline_en


@with_db
def test_only_the_applicant_changes_or_deletes_a_draft() -> None:
    draft = SubmissionFactory()
    for actor in (make_user_with_roles(Role.PRODUCER), make_user_with_roles(Role.ORGANISER)):
        with pytest.raises(PitchForbidden):
            services.submission_update(actor=actor, submission=draft, values={"logline_en": "x"})
        with pytest.raises(PitchForbidden):
            services.submission_delete(actor=actor, submission=draft)
    services.submission_delete(actor=draft.applicant.user, submission=draft)
    assert not Submission.objects.filter(pk=draft.pk).exists()
    assert Project.objects.filter(pk=draft.project_id).exists()


@with_db
def test_a_submitted_project_cannot_be_deleted() -> None:
    submission = SubmissionFactory(state=S.SUBMITTED)
    with pytest.raises(PitchError) as caught:
        services.submission_delete(actor=submission.applicant.user, submission=submission)
    assert caught.value.message == (
        "Only a draft can be deleted; withdraw a submitted project instead."
    )


# ---- submitting ---------------------------------------------------------------------------


@with_db
def test_submitting_in_chinese_only() -> None:
    draft = SubmissionFactory(
        logline_en="", synopsis_en="", director_statement_en="", **REQUIRED_ZH
    )
    services.submission_submit(actor=draft.applicant.user, submission=draft)
    assert Submission.objects.get(pk=draft.pk).state == S.SUBMITTED


@with_db
def test_over_long_texts_are_refused_at_submission_with_their_counts() -> None:
    limit = WORD_LIMITS[TextField.LOGLINE]
    draft = SubmissionFactory(
        logline_en="word " * (limit["en"] + 1), logline_zh="字" * (limit["zh"] + 5)
    )
    with pytest.raises(PitchError) as caught:
        services.submission_submit(actor=draft.applicant.user, submission=draft)
    assert caught.value.code == "incomplete"
    assert caught.value.fields == {
        "logline_en": ["One-sentence synopsis (English) has 51 words; the limit is 50."],
        "logline_zh": ["One-sentence synopsis (Chinese) has 85 characters; the limit is 80."],
    }
    assert Submission.objects.get(pk=draft.pk).state == S.DRAFT


@with_db
def test_the_problems_before_submitting_are_what_submit_refuses() -> None:
    section = SectionFactory(budget_min=Decimal("2000000"))
    draft = SubmissionFactory(section=section, director_statement_en="")
    code, messages, fields = services.submit_problems(
        submission=draft, at=datetime(2026, 11, 1, tzinfo=UTC)
    )
    assert code == "not_eligible"
    assert messages == [
        "The budget (USD 1,000,000) is below this section's minimum of USD 2,000,000.",
        "Complete the required texts in English or in Chinese. Missing in English: "
        "Director's statement. Missing in Chinese: One-sentence synopsis, Synopsis, "
        "Director's statement.",
    ]
    assert fields == {}

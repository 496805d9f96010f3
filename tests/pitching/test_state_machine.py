"""The submission state machine: every move in both directions for both actor kinds,
the guards on submitting and selecting, the audit rows and the dates it sets."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.core import mail
from hypothesis import given, settings
from hypothesis import strategies as st

from reelmarket.market.enums import Role
from reelmarket.pitching import services
from reelmarket.pitching.enums import (
    APPLICANT_MOVES,
    ORGANISER_MOVES,
    TRANSITIONS,
    SubmissionState,
)
from reelmarket.pitching.errors import PitchError, PitchForbidden
from reelmarket.pitching.models import Submission, SubmissionEvent
from tests.factories import make_user_with_roles
from tests.financing.factories import FinancingSourceFactory
from tests.pitching.factories import SectionFactory, SubmissionFactory

pytestmark = pytest.mark.django_db

S = SubmissionState
ALL_MOVES = [(a, b) for a in S.values for b in S.values]
NOW = datetime(2026, 11, 1, 4, 0, tzinfo=UTC)


def in_state(state: str, **kwargs) -> Submission:
    submitted = None if state == S.DRAFT else datetime(2026, 10, 1, tzinfo=UTC)
    return SubmissionFactory(state=state, submitted_at=submitted, **kwargs)


def expected(actor_kind: str, move: tuple[str, str]) -> str:
    """ "ok", "forbidden" or "invalid" for an actor of ``actor_kind`` making ``move``."""
    own = APPLICANT_MOVES if actor_kind == "applicant" else ORGANISER_MOVES
    if move in own:
        return "ok"
    if move[1] in TRANSITIONS[move[0]]:
        return "forbidden"
    return "invalid"


@pytest.mark.parametrize(("from_state", "to_state"), ALL_MOVES)
@pytest.mark.parametrize("actor_kind", ["applicant", "organiser"])
def test_every_move_for_both_actor_kinds(actor_kind, from_state, to_state) -> None:
    submission = in_state(from_state)
    actor = (
        submission.applicant.user
        if actor_kind == "applicant"
        else make_user_with_roles(Role.ORGANISER)
    )
    outcome = expected(actor_kind, (from_state, to_state))
    events_before = SubmissionEvent.objects.count()
    if outcome == "ok":
        moved = services.submission_transition(
            actor=actor, submission=submission, to_state=to_state, note="n", now=NOW
        )
        fresh = Submission.objects.get(pk=submission.pk)
        assert moved.state == fresh.state == to_state
        event = SubmissionEvent.objects.get(submission=submission)
        assert (event.from_state, event.to_state, event.actor, event.note) == (
            from_state,
            to_state,
            actor,
            "n",
        )
        if to_state == S.SUBMITTED:
            assert fresh.submitted_at == NOW
        if to_state in (S.SELECTED, S.REJECTED):
            assert fresh.decided_at == NOW
        else:
            assert fresh.decided_at is None
        return
    error = PitchForbidden if outcome == "forbidden" else PitchError
    with pytest.raises(error) as caught:
        services.submission_transition(
            actor=actor, submission=submission, to_state=to_state, now=NOW
        )
    assert caught.value.code == (
        "permission_denied" if outcome == "forbidden" else "invalid_transition"
    )
    assert Submission.objects.get(pk=submission.pk).state == from_state
    assert SubmissionEvent.objects.count() == events_before


def test_the_refusal_messages_name_the_states_and_the_side() -> None:
    submission = in_state(S.REJECTED)
    organiser = make_user_with_roles(Role.ORGANISER)
    with pytest.raises(PitchError) as caught:
        services.submission_transition(actor=organiser, submission=submission, to_state=S.SELECTED)
    assert caught.value.message == "A submission that is not selected cannot become selected."
    submitted = in_state(S.SUBMITTED)
    with pytest.raises(PitchForbidden) as caught:
        services.submission_transition(
            actor=submitted.applicant.user, submission=submitted, to_state=S.SHORTLISTED
        )
    assert caught.value.message == "Only the organisers may shortlist, select or reject."
    with pytest.raises(PitchForbidden) as caught:
        services.submission_transition(actor=organiser, submission=submitted, to_state=S.WITHDRAWN)
    assert caught.value.message == "Only the applicant may submit or withdraw a submission."


@pytest.mark.parametrize("state", S.values)
def test_an_unrelated_participant_may_make_no_move(state) -> None:
    submission = in_state(state)
    stranger = make_user_with_roles(Role.PRODUCER)
    for to_state in S.values:
        with pytest.raises(PitchForbidden) as caught:
            services.submission_transition(actor=stranger, submission=submission, to_state=to_state)
        assert caught.value.message == "You may not change this submission."
    assert Submission.objects.get(pk=submission.pk).state == state


def test_an_unknown_status_is_refused() -> None:
    submission = in_state(S.SUBMITTED)
    with pytest.raises(PitchError) as caught:
        services.submission_transition(
            actor=make_user_with_roles(Role.ORGANISER), submission=submission, to_state="won"
        )
    assert (caught.value.code, caught.value.message) == ("invalid_state", "“won” is not a status.")


def test_submitting_snapshots_the_financing_plan() -> None:
    submission = in_state(S.DRAFT)
    project = submission.project
    FinancingSourceFactory(project=project, amount=Decimal("300000"), country="HK")
    FinancingSourceFactory(
        project=project, kind="pre_sales", name="Pre-sale TW", amount=Decimal("50000"),
        status="pending",
    )  # fmt: skip
    services.submission_submit(actor=submission.applicant.user, submission=submission, now=NOW)
    submission.refresh_from_db()
    assert submission.snapshot == {
        "taken_at": "2026-11-01T04:00:00+00:00",
        "title": project.title,
        "kind": "feature",
        "stage": "development",
        "genres": ["drama"],
        "runtime_minutes": 95,
        "currency": "USD",
        "budget": "1000000.00",
        "secured": "300000.00",
        "gap": "700000.00",
        "secured_share": "0.300",
        "sources": [
            {"kind": "public_fund", "name": "Film Development Fund", "country": "HK",
             "amount": "300000.00", "status": "secured"},
            {"kind": "pre_sales", "name": "Pre-sale TW", "country": "", "amount": "50000.00",
             "status": "pending"},
        ],
    }  # fmt: skip
    # Later changes to the project do not reach the snapshot.
    project.budget = Decimal("2000000")
    project.save()
    submission.refresh_from_db()
    assert submission.snapshot["budget"] == "1000000.00"


def test_submitting_an_ineligible_or_incomplete_draft_changes_nothing() -> None:
    section = SectionFactory(min_runtime_minutes=60)
    submission = in_state(S.DRAFT, section=section, project__runtime_minutes=52, logline_en="")
    with pytest.raises(PitchError) as caught:
        services.submission_submit(actor=submission.applicant.user, submission=submission)
    assert caught.value.code == "not_eligible"
    assert caught.value.messages == [
        "Feature projects in this section must run at least 60 minutes; yours runs 52.",
        "Complete the required texts in English or in Chinese. Missing in English: "
        "One-sentence synopsis. Missing in Chinese: One-sentence synopsis, Synopsis, "
        "Director's statement.",
    ]
    fresh = Submission.objects.get(pk=submission.pk)
    assert (fresh.state, fresh.snapshot, fresh.submitted_at) == (S.DRAFT, {}, None)
    assert not SubmissionEvent.objects.filter(submission=submission).exists()
    assert mail.outbox == []


def test_submitting_after_the_deadline_is_refused_in_the_editions_time() -> None:
    section = SectionFactory(call__deadline=datetime(2026, 12, 1, 15, 59, tzinfo=UTC))
    submission = in_state(S.DRAFT, section=section)
    with pytest.raises(PitchError) as caught:
        services.submission_submit(
            actor=submission.applicant.user,
            submission=submission,
            now=datetime(2026, 12, 1, 16, 0, tzinfo=UTC),
        )
    assert caught.value.code == "deadline_passed"
    assert caught.value.message == ("The deadline passed at 23:59 on Dec 1, 2026 (Hong Kong Time).")
    # At the deadline itself it is still on time.
    services.submission_submit(
        actor=submission.applicant.user,
        submission=submission,
        now=datetime(2026, 12, 1, 15, 59, tzinfo=UTC),
    )
    assert Submission.objects.get(pk=submission.pk).state == S.SUBMITTED


def test_a_full_section_refuses_one_more_selection() -> None:
    section = SectionFactory(max_selected=1)
    organiser = make_user_with_roles(Role.ORGANISER)
    first, second = (
        in_state(S.SHORTLISTED, section=section),
        in_state(S.SHORTLISTED, section=section),
    )
    services.submission_transition(actor=organiser, submission=first, to_state=S.SELECTED)
    with pytest.raises(PitchError) as caught:
        services.submission_transition(actor=organiser, submission=second, to_state=S.SELECTED)
    assert (caught.value.code, caught.value.message) == (
        "section_full",
        f"All 1 places in {section.name} are taken.",
    )
    assert Submission.objects.get(pk=second.pk).state == S.SHORTLISTED
    # A selected project that withdraws frees its place.
    services.submission_withdraw(actor=first.applicant.user, submission=first)
    services.submission_transition(actor=organiser, submission=second, to_state=S.SELECTED)
    assert Submission.objects.get(pk=second.pk).state == S.SELECTED


def test_the_whole_path_leaves_one_audit_row_per_move() -> None:
    submission = SubmissionFactory()
    applicant = submission.applicant.user
    organiser = make_user_with_roles(Role.ORGANISER)
    services.submission_submit(actor=applicant, submission=submission)
    services.submission_transition(actor=organiser, submission=submission, to_state=S.SHORTLISTED)
    services.submission_transition(actor=organiser, submission=submission, to_state=S.SELECTED)
    services.submission_withdraw(actor=applicant, submission=submission, note="Fully financed")
    rows = list(
        SubmissionEvent.objects.filter(submission=submission).values_list(
            "from_state", "to_state", "actor", "note"
        )
    )
    assert rows == [
        ("draft", "submitted", applicant.pk, ""),
        ("submitted", "shortlisted", organiser.pk, ""),
        ("shortlisted", "selected", organiser.pk, ""),
        ("selected", "withdrawn", applicant.pk, "Fully financed"),
    ]


# ---- random walks (hypothesis) ------------------------------------------------------------

ACTORS = ("applicant", "organiser", "stranger")


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(ACTORS), st.sampled_from(S.values)), max_size=8))
def test_random_walks_follow_the_table(walk) -> None:
    """Any sequence of attempted moves by anyone ends where the table says, with one audit
    row per move that happened and the dates set by the moves that set them."""
    submission = SubmissionFactory()
    users = {
        "applicant": submission.applicant.user,
        "organiser": make_user_with_roles(Role.ORGANISER),
        "stranger": make_user_with_roles(Role.PRODUCER),
    }
    state, moves = S.DRAFT, []
    for actor, to_state in walk:
        allowed = (
            (APPLICANT_MOVES if actor == "applicant" else ORGANISER_MOVES)
            if actor != "stranger"
            else frozenset()
        )
        try:
            services.submission_transition(
                actor=users[actor], submission=submission, to_state=to_state, now=NOW
            )
        except PitchError:
            assert (state, to_state) not in allowed
        else:
            assert (state, to_state) in allowed
            moves.append((state, to_state))
            state = to_state
    fresh = Submission.objects.get(pk=submission.pk)
    assert fresh.state == state
    assert (
        list(
            SubmissionEvent.objects.filter(submission=submission).values_list(
                "from_state", "to_state"
            )
        )
        == moves
    )
    decided = any(b in (S.SELECTED, S.REJECTED) for _a, b in moves)
    assert (fresh.decided_at is not None) == decided
    assert (fresh.submitted_at is not None) == any(b == S.SUBMITTED for _a, b in moves)
    assert bool(fresh.snapshot) == (fresh.submitted_at is not None)

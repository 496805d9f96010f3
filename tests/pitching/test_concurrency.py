"""Parallel moves of submissions on PostgreSQL: the row lock lets exactly one win."""

from __future__ import annotations

import pytest
from django.core import mail

from reelmarket.market.enums import Role
from reelmarket.pitching import services
from reelmarket.pitching.enums import SubmissionState
from reelmarket.pitching.errors import PitchError
from reelmarket.pitching.models import Submission, SubmissionEvent
from tests.concurrency import require_postgres, run_concurrently
from tests.factories import make_user_with_roles
from tests.pitching.factories import SectionFactory, SubmissionFactory

THREADS = 8
S = SubmissionState


def outcome(results) -> tuple[int, list[str]]:
    wins = [r for r in results if isinstance(r, Submission)]
    codes = sorted(
        r.code if isinstance(r, PitchError) else repr(r)
        for r in results
        if not isinstance(r, Submission)
    )
    return len(wins), codes


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_eight_submits_of_one_draft_one_wins() -> None:
    require_postgres()
    draft = SubmissionFactory()
    applicant = draft.applicant.user

    def submit(i: int):
        return services.submission_submit(
            actor=applicant, submission=Submission.objects.get(pk=draft.pk)
        )

    results = run_concurrently(submit, threads=THREADS)
    assert outcome(results) == (1, ["invalid_transition"] * (THREADS - 1))
    assert Submission.objects.get(pk=draft.pk).state == S.SUBMITTED
    assert list(
        SubmissionEvent.objects.filter(submission=draft).values_list("from_state", "to_state")
    ) == [("draft", "submitted")]
    assert len(mail.outbox) == 1  # one receipt


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_organisers_selecting_and_rejecting_at_once_one_wins() -> None:
    require_postgres()
    submission = SubmissionFactory(state=S.SHORTLISTED)
    organisers = [make_user_with_roles(Role.ORGANISER) for _ in range(THREADS)]

    def decide(i: int):
        return services.submission_transition(
            actor=organisers[i],
            submission=Submission.objects.get(pk=submission.pk),
            to_state=S.SELECTED if i % 2 else S.REJECTED,
        )

    results = run_concurrently(decide, threads=THREADS)
    assert outcome(results) == (1, ["invalid_transition"] * (THREADS - 1))
    final = Submission.objects.get(pk=submission.pk)
    (event,) = SubmissionEvent.objects.filter(submission=submission)
    assert (event.from_state, event.to_state) == (S.SHORTLISTED, final.state)
    assert final.decided_at is not None
    assert len(mail.outbox) == 1  # one decision mailed


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_last_place_in_a_section_goes_to_one_project() -> None:
    require_postgres()
    section = SectionFactory(max_selected=1)
    shortlisted = [SubmissionFactory(section=section, state=S.SHORTLISTED) for _ in range(THREADS)]
    organiser = make_user_with_roles(Role.ORGANISER)

    def select(i: int):
        return services.submission_transition(
            actor=organiser, submission=shortlisted[i], to_state=S.SELECTED
        )

    results = run_concurrently(select, threads=THREADS)
    assert outcome(results) == (1, ["section_full"] * (THREADS - 1))
    assert Submission.objects.filter(section=section, state=S.SELECTED).count() == 1
    assert SubmissionEvent.objects.filter(submission__section=section).count() == 1

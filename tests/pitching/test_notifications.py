"""E-mail to the applicant: on submission (receipt), selection and rejection, in the
applicant's language, queued for when the transaction commits."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core import mail
from django.db import transaction

from reelmarket.market.enums import Role
from reelmarket.pitching import notifications, services
from reelmarket.pitching.enums import SubmissionState
from tests.factories import make_user_with_roles
from tests.pitching.factories import SubmissionFactory

pytestmark = pytest.mark.django_db
S = SubmissionState


@pytest.fixture
def organiser():
    return make_user_with_roles(Role.ORGANISER)


def decided(organiser, to_state: str, capture, **kwargs):
    submission = SubmissionFactory(
        state=S.SHORTLISTED, project__title="Last Crossing", section__call__name="HAF 2026",
        section__name="Animation", **kwargs,
    )  # fmt: skip
    with capture(execute=True):
        services.submission_transition(actor=organiser, submission=submission, to_state=to_state)
    return submission


def test_selection_mail(organiser, django_capture_on_commit_callbacks, settings) -> None:
    settings.SITE_URL = "https://market.example"
    submission = decided(organiser, S.SELECTED, django_capture_on_commit_callbacks)
    (message,) = mail.outbox
    assert message.to == [submission.applicant.user.email]
    assert message.subject == "“Last Crossing” is selected for HAF 2026"
    assert "Congratulations: “Last Crossing” is selected for HAF 2026 (Animation)." in message.body
    assert f"https://market.example/pitch/submissions/{submission.pk}/" in message.body


def test_rejection_mail(organiser, django_capture_on_commit_callbacks) -> None:
    decided(organiser, S.REJECTED, django_capture_on_commit_callbacks)
    (message,) = mail.outbox
    assert message.subject == "Your submission of “Last Crossing” to HAF 2026"
    assert "yours is not among those selected this time" in message.body


def test_receipt_on_submission_with_the_time_in_the_editions_zone(
    django_capture_on_commit_callbacks,
) -> None:
    submission = SubmissionFactory(project__title="Last Crossing", section__call__name="HAF 2026")
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_submit(
            actor=submission.applicant.user,
            submission=submission,
            now=datetime(2026, 11, 30, 16, 30, tzinfo=UTC),
        )
    (message,) = mail.outbox
    assert message.subject == "We received “Last Crossing” for HAF 2026"
    assert "Submitted at 00:30 on Dec 1, 2026 (Hong Kong Time)." in message.body


@pytest.mark.parametrize(("languages", "expected"), [
    ([], "en"),
    (["zh-Hant"], "zh-hant"),
    (["zh-HK", "en"], "zh-hant"),
    (["zh-CN"], "zh-hans"),
    (["fr", "en"], "en"),
])  # fmt: skip
def test_the_mail_is_in_the_applicants_language(languages, expected) -> None:
    submission = SubmissionFactory(state=S.SELECTED, applicant__languages=languages)
    submission.applicant.languages = languages
    submission.applicant.save()
    mail_ = notifications.compose(submission, "selected")
    assert mail_.language == expected


def test_the_zone_name_follows_the_applicants_language() -> None:
    submission = SubmissionFactory(
        state=S.SUBMITTED, submitted_at=datetime(2026, 11, 30, 16, 30, tzinfo=UTC)
    )
    submission.applicant.languages = ["zh-Hant"]
    submission.applicant.save()
    body = notifications.compose(submission, "submitted").body
    assert "香港時間" in body


@pytest.mark.parametrize("to_state", [S.SHORTLISTED, S.WITHDRAWN])
def test_no_mail_for_other_moves(organiser, to_state, django_capture_on_commit_callbacks) -> None:
    submission = SubmissionFactory(state=S.SUBMITTED)
    actor = organiser if to_state == S.SHORTLISTED else submission.applicant.user
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_transition(actor=actor, submission=submission, to_state=to_state)
    assert mail.outbox == []


def test_nothing_is_sent_when_the_transaction_rolls_back(
    organiser, django_capture_on_commit_callbacks
) -> None:
    submission = SubmissionFactory(state=S.SHORTLISTED)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.submission_transition(actor=organiser, submission=submission, to_state=S.SELECTED)
        raise RuntimeError("later failure")
    assert callbacks == []
    assert mail.outbox == []


def test_an_applicant_without_an_address_and_a_deleted_submission_send_nothing() -> None:
    submission = SubmissionFactory(state=S.SELECTED)
    user = submission.applicant.user
    user.email = ""
    user.save()
    assert notifications.send_submission_event(submission_id=submission.pk, event="selected") == 0
    assert notifications.send_submission_event(submission_id=999999, event="selected") == 0
    assert mail.outbox == []

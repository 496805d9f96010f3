"""The pitch forum's schema: the constraints the workflows rely on."""

from __future__ import annotations

import pytest
from django.db import IntegrityError

from reelmarket.pitching.enums import APPLICANT_MOVES, ORGANISER_MOVES, TRANSITIONS
from tests.pitching.factories import ReviewerFactory, SubmissionFactory

pytestmark = pytest.mark.django_db


def test_a_project_is_submitted_once_per_call() -> None:
    first = SubmissionFactory()
    with pytest.raises(IntegrityError):
        SubmissionFactory(section=first.section, project=first.project)


def test_a_reviewer_sits_once_per_call() -> None:
    reviewer = ReviewerFactory()
    with pytest.raises(IntegrityError):
        ReviewerFactory(call=reviewer.call, participant=reviewer.participant)


def test_every_transition_belongs_to_exactly_one_side() -> None:
    moves = {(a, b) for a, targets in TRANSITIONS.items() for b in targets}
    assert moves == APPLICANT_MOVES | ORGANISER_MOVES
    assert not APPLICANT_MOVES & ORGANISER_MOVES

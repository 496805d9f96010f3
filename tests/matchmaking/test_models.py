"""Matchmaking models: target keys, one row per (viewer, kind, target), run progress."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from reelmarket.matchmaking.enums import RunStatus, TargetKind, Verdict
from reelmarket.matchmaking.models import Feedback, RecomputeRun, Suggestion, target_key
from tests.factories import ParticipantFactory, TitleFactory

T = TargetKind


@pytest.mark.parametrize(
    ("kwargs", "key"),
    [
        ({"kind": T.TITLE, "title_id": 12}, "t12"),
        ({"kind": T.BUYER, "person_id": 34, "title_id": 12}, "b34:t12"),
        ({"kind": T.MEETING, "person_id": 34}, "p34"),
        ({"kind": T.PROJECT, "project_id": 7}, "j7"),
        ({"kind": T.FINANCIER, "person_id": 34, "project_id": 7}, "f34:j7"),
    ],
)
def test_target_keys(kwargs, key):
    assert target_key(**kwargs) == key


@pytest.mark.parametrize(
    "kwargs",
    [
        {"kind": T.TITLE},
        {"kind": T.TITLE, "title_id": 1, "person_id": 2},
        {"kind": T.BUYER, "title_id": 1},
        {"kind": T.MEETING, "project_id": 1},
        {"kind": "song", "title_id": 1},
    ],
)
def test_wrong_target_shapes_are_refused(kwargs):
    with pytest.raises(ValueError):
        target_key(**kwargs)


def test_one_feedback_row_per_target(db):
    viewer = ParticipantFactory()
    title = TitleFactory()
    Feedback.objects.create(
        viewer=viewer, kind=T.TITLE, key=f"t{title.pk}", title=title, verdict=Verdict.NOT_INTERESTED
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Feedback.objects.create(
            viewer=viewer,
            kind=T.TITLE,
            key=f"t{title.pk}",
            title=title,
            verdict=Verdict.MORE_LIKE_THIS,
        )
    assert Feedback.objects.count() == 1


def test_one_suggestion_row_per_target(db):
    viewer = ParticipantFactory()
    title = TitleFactory()
    row = {"viewer": viewer, "kind": T.TITLE, "key": f"t{title.pk}", "title": title, "score": 1.0}
    Suggestion.objects.create(rank=1, computed_at=timezone.now(), **row)
    with pytest.raises(IntegrityError), transaction.atomic():
        Suggestion.objects.create(rank=2, computed_at=timezone.now(), **row)


def test_run_progress(db):
    run = RecomputeRun.objects.create()
    assert (run.percent, run.seconds) == (0, None)
    run.viewers_total, run.viewers_done = 8, 2
    assert run.percent == 25
    now = timezone.now()
    run.started_at, run.finished_at = now, now + timedelta(seconds=3)
    assert run.seconds == 3.0
    assert RecomputeRun(status=RunStatus.DONE).percent == 100

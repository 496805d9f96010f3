"""Vocabularies of the Producers Connect sessions (speed rounds): session states, sides,
feedback verdicts, and the session's state machine."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SessionState(models.TextChoices):
    """draft -> open (registration) <-> closed (build, rebuild) -> published (fixed)."""

    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Registration open")
    CLOSED = "closed", _("Registration closed")
    PUBLISHED = "published", _("Published")


# Allowed moves of the organiser's state switch; publishing has its own service (it needs a
# built rotation). Re-opening a closed session drops its unpublished seats.
TRANSITIONS: dict[str, frozenset[str]] = {
    SessionState.DRAFT: frozenset({SessionState.OPEN}),
    SessionState.OPEN: frozenset({SessionState.CLOSED, SessionState.DRAFT}),
    SessionState.CLOSED: frozenset({SessionState.OPEN, SessionState.PUBLISHED}),
    SessionState.PUBLISHED: frozenset(),
}


class Side(models.TextChoices):
    PRODUCER = "producer", _("Producer with a project")
    PARTNER = "partner", _("Financier, co-producer or foundation")


class Verdict(models.TextChoices):
    FOLLOW_UP = "follow_up", _("Follow up")
    PASS = "pass", _("Pass")


# Bounds of a session's shape (forms, API and services say the same).
MAX_ROUNDS = 30
MAX_TABLES = 500
MIN_ROUND_MINUTES, MAX_ROUND_MINUTES = 5, 120
MAX_BREAK_MINUTES = 60
FEEDBACK_NOTE_MAX = 500

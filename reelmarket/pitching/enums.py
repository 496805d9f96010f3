"""Vocabularies and the submission state machine of the pitch forum.

``TRANSITIONS`` is the single source of truth for which submission states may follow
which; ``services.submission_transition`` is the one function that moves a submission and
writes the audit row.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SectionKind(models.TextChoices):
    IN_DEVELOPMENT = "in_development", _("Projects in development")
    WORK_IN_PROGRESS = "wip", _("Works in progress")
    ANIMATION = "animation", _("Animation")
    GENRE = "genre", _("Genre")


class SubmissionState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    SHORTLISTED = "shortlisted", _("Shortlisted")
    SELECTED = "selected", _("Selected")
    REJECTED = "rejected", _("Not selected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


S = SubmissionState

# from-state -> states it may move to. Anything not listed is refused.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.SUBMITTED, S.WITHDRAWN}),
    S.SUBMITTED: frozenset({S.SHORTLISTED, S.REJECTED, S.WITHDRAWN}),
    S.SHORTLISTED: frozenset({S.SELECTED, S.REJECTED, S.WITHDRAWN}),
    S.SELECTED: frozenset({S.WITHDRAWN}),
    S.REJECTED: frozenset(),
    S.WITHDRAWN: frozenset(),
}

# Who may make a move: the applicant or the organisers.
APPLICANT_MOVES = frozenset({(S.DRAFT, S.SUBMITTED), (S.DRAFT, S.WITHDRAWN),
                             (S.SUBMITTED, S.WITHDRAWN), (S.SHORTLISTED, S.WITHDRAWN),
                             (S.SELECTED, S.WITHDRAWN)})  # fmt: skip
ORGANISER_MOVES = frozenset(
    (a, b) for a, targets in TRANSITIONS.items() for b in targets if (a, b) not in APPLICANT_MOVES
)

# A submission's text fields can no longer change once it has left the draft state.
LOCKED_STATES = frozenset(set(S) - {S.DRAFT})


class TextLanguage(models.TextChoices):
    EN = "en", _("English")
    ZH = "zh", _("Chinese")


class TextField(models.TextChoices):
    """The bilingual texts of a submission (each has an ``_en`` and a ``_zh`` column)."""

    LOGLINE = "logline", _("One-sentence synopsis")
    SYNOPSIS = "synopsis", _("Synopsis")
    DIRECTOR_STATEMENT = "director_statement", _("Director's statement")
    BIOS = "bios", _("Biographies (director and producers)")
    COMPANY_PROFILE = "company_profile", _("Company profile")
    TREATMENT = "treatment", _("Treatment")


# Limits per language: English counts words, Chinese counts characters (CJK has no spaces;
# one Chinese character carries about as much as an English word's worth of a syllable,
# festivals set Chinese limits at roughly 1.5-2x the English word count).
WORD_LIMITS: dict[str, dict[str, int]] = {
    TextField.LOGLINE: {"en": 50, "zh": 80},
    TextField.SYNOPSIS: {"en": 500, "zh": 800},
    TextField.DIRECTOR_STATEMENT: {"en": 300, "zh": 500},
    TextField.BIOS: {"en": 400, "zh": 600},
    TextField.COMPANY_PROFILE: {"en": 200, "zh": 300},
    TextField.TREATMENT: {"en": 3000, "zh": 5000},
}

REQUIRED_TEXTS = frozenset({TextField.LOGLINE, TextField.SYNOPSIS, TextField.DIRECTOR_STATEMENT})

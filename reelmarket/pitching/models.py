"""The pitch forum: calls with sections and rubrics, submissions, jury review, selection,
and what follows selection (pitch sessions, financiers' meeting wishes, awards).

A submission points at a ``financing.Project`` (budget, financing plan, team) so that the
same project is used in Producers Connect; on submission its financing is copied into
``snapshot`` so the jury reviews what was submitted even if the project changes later.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from reelmarket.market.validators import validate_currency, validate_image_size
from reelmarket.pitching.enums import SectionKind, SubmissionState

IMAGE_EXTENSIONS = ["jpg", "jpeg", "png", "webp"]
MONEY = {"max_digits": 14, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}


class Call(models.Model):
    """A call for projects in one edition (e.g. "HAF 2026")."""

    edition = models.ForeignKey("market.Edition", on_delete=models.CASCADE, related_name="calls")
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=60)
    description = models.TextField(_("description"), blank=True)
    opens_at = models.DateTimeField(_("opens"))
    deadline = models.DateTimeField(
        _("deadline"), help_text=_("Entered in the edition's time zone.")
    )
    currency = models.CharField(
        _("currency of the budget rules"),
        max_length=3,
        default="USD",
        validators=[validate_currency],
    )
    reviewers_per_submission = models.PositiveSmallIntegerField(
        _("reviewers per submission"), default=3, validators=[MinValueValidator(1)]
    )
    anonymised_review = models.BooleanField(
        _("anonymised review"),
        default=False,
        help_text=_("Reviewers do not see the applicant's name, company or team."),
    )
    results_published_at = models.DateTimeField(null=True, blank=True)
    review_locked_at = models.DateTimeField(
        _("ranking locked"),
        null=True,
        blank=True,
        help_text=_("Set when the organisers lock the ranking: reviews can no longer change."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-deadline"]
        verbose_name = _("call for projects")
        verbose_name_plural = _("calls for projects")
        constraints = [
            models.UniqueConstraint(fields=["edition", "slug"], name="call_slug_unique"),
            models.CheckConstraint(
                condition=Q(deadline__gt=models.F("opens_at")), name="call_dates_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Section(models.Model):
    """A section of a call with its eligibility rules (every rule is optional)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="sections")
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=SectionKind.choices)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    # Eligibility rules, checked at submission (``eligibility.check``).
    allowed_kinds = models.JSONField(_("project kinds accepted"), default=list, blank=True)
    allowed_stages = models.JSONField(_("stages accepted"), default=list, blank=True)
    min_runtime_minutes = models.PositiveIntegerField(
        _("shortest running time"), null=True, blank=True
    )
    max_runtime_minutes = models.PositiveIntegerField(
        _("longest running time"), null=True, blank=True
    )
    budget_min = models.DecimalField(_("smallest budget"), null=True, blank=True, **MONEY)
    budget_max = models.DecimalField(_("largest budget"), null=True, blank=True, **MONEY)
    min_secured_share = models.DecimalField(
        _("share of the budget already secured (at least)"),
        max_digits=4,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
    )
    must_not_be_fully_financed = models.BooleanField(_("must not be fully financed"), default=False)
    max_selected = models.PositiveSmallIntegerField(_("places"), null=True, blank=True)

    class Meta:
        ordering = ["call", "position", "id"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        constraints = [models.UniqueConstraint(fields=["call", "code"], name="section_code_unique")]

    def __str__(self) -> str:
        return self.name


class Criterion(models.Model):
    """One line of the call's rubric: scored 0..scale_max, weighted."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("criterion"), max_length=120)
    description = models.TextField(_("what to look for"), blank=True)
    weight = models.DecimalField(
        _("weight"), max_digits=5, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    scale_max = models.PositiveSmallIntegerField(_("highest score"), default=10)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["call", "position", "id"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self) -> str:
        return self.name


def _text(name: Any) -> tuple[models.TextField, models.TextField]:
    return (
        models.TextField(format_lazy("{} ({})", name, _("English")), blank=True),
        models.TextField(format_lazy("{} ({})", name, _("Chinese")), blank=True),
    )


class Submission(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="submissions")
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="submissions")
    project = models.ForeignKey(
        "financing.Project", on_delete=models.PROTECT, related_name="submissions"
    )
    applicant = models.ForeignKey(
        "market.Participant", on_delete=models.CASCADE, related_name="submissions"
    )
    organisation = models.ForeignKey(
        "market.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    state = models.CharField(
        _("status"), max_length=12, choices=SubmissionState.choices, default=SubmissionState.DRAFT
    )
    # Bilingual texts: see enums.TextField and enums.WORD_LIMITS.
    logline_en, logline_zh = _text(_("One-sentence synopsis"))
    synopsis_en, synopsis_zh = _text(_("Synopsis"))
    director_statement_en, director_statement_zh = _text(_("Director's statement"))
    bios_en, bios_zh = _text(_("Biographies"))
    company_profile_en, company_profile_zh = _text(_("Company profile"))
    treatment_en, treatment_zh = _text(_("Treatment"))
    poster = models.ImageField(
        _("poster"),
        upload_to="posters/pitching/",
        blank=True,
        validators=[FileExtensionValidator(IMAGE_EXTENSIONS), validate_image_size],
    )
    screener_1 = models.URLField(_("screener link"), blank=True)
    screener_2 = models.URLField(_("second screener link"), blank=True)
    snapshot = models.JSONField(
        default=dict, blank=True, help_text="Budget and financing plan as submitted."
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["call", "section", "id"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        constraints = [
            models.UniqueConstraint(fields=["call", "project"], name="submission_project_once")
        ]
        indexes = [models.Index(fields=["call", "state"])]

    def __str__(self) -> str:
        return f"{self.project} → {self.section}"

    def text(self, field: str, language: str) -> str:
        return getattr(self, f"{field}_{language}")


class SubmissionEvent(models.Model):
    """Audit row for every state change of a submission."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    from_state = models.CharField(max_length=12, choices=SubmissionState.choices, blank=True)
    to_state = models.CharField(max_length=12, choices=SubmissionState.choices)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["submission", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_state} → {self.to_state}"


class Reviewer(models.Model):
    """A jury member for one call."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="reviewers")
    participant = models.ForeignKey(
        "market.Participant", on_delete=models.CASCADE, related_name="reviewer_seats"
    )
    capacity = models.PositiveSmallIntegerField(
        _("most submissions"), null=True, blank=True, help_text=_("Empty: an even share.")
    )
    active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("reviewer")
        verbose_name_plural = _("reviewers")
        constraints = [
            models.UniqueConstraint(fields=["call", "participant"], name="reviewer_once")
        ]

    def __str__(self) -> str:
        return str(self.participant)


class Conflict(models.Model):
    """A declared conflict of interest: with one submission or a whole organisation."""

    reviewer = models.ForeignKey(Reviewer, on_delete=models.CASCADE, related_name="conflicts")
    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey(
        "market.Organisation", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [
            models.CheckConstraint(
                condition=Q(submission__isnull=False) | Q(organisation__isnull=False),
                name="conflict_has_target",
            )
        ]

    def __str__(self) -> str:
        return self.note or str(self.organisation or self.submission)


class ReviewAssignment(models.Model):
    """A reviewer's work on one submission: scores per criterion and a comment."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="assignments")
    reviewer = models.ForeignKey(Reviewer, on_delete=models.CASCADE, related_name="assignments")
    comment = models.TextField(_("comment"), blank=True)
    assigned_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["submission", "reviewer"], name="assignment_once")
        ]
        indexes = [models.Index(fields=["reviewer", "completed_at"])]

    def __str__(self) -> str:
        return f"{self.reviewer} · {self.submission}"


class Score(models.Model):
    assignment = models.ForeignKey(
        ReviewAssignment, on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="+")
    value = models.PositiveSmallIntegerField(_("score"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assignment", "criterion"], name="score_once")
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"


class PitchSession(models.Model):
    """An open pitch session in the programme: selected projects pitch in turn."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="sessions")
    section = models.ForeignKey(
        Section, on_delete=models.SET_NULL, null=True, blank=True, related_name="sessions"
    )
    title = models.CharField(_("title"), max_length=150)
    room = models.CharField(_("room"), max_length=100, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    pitch_minutes = models.PositiveSmallIntegerField(
        _("pitch (minutes)"), default=15, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    footage_minutes = models.PositiveSmallIntegerField(
        _("footage (minutes, works in progress)"), default=0, validators=[MaxValueValidator(5)]
    )
    changeover_minutes = models.PositiveSmallIntegerField(_("changeover (minutes)"), default=5)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("pitch session")
        verbose_name_plural = _("pitch sessions")

    def __str__(self) -> str:
        return self.title


class PitchSlot(models.Model):
    session = models.ForeignKey(PitchSession, on_delete=models.CASCADE, related_name="slots")
    submission = models.OneToOneField(
        Submission, on_delete=models.CASCADE, related_name="pitch_slot"
    )
    order = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["session", "order"]
        constraints = [
            models.UniqueConstraint(fields=["session", "order"], name="pitch_slot_order_unique")
        ]

    def __str__(self) -> str:
        return f"{self.session} #{self.order}"


class MeetingWish(models.Model):
    """A financier or co-producer wants to meet a selected project (CineMart style).

    The organiser turns wishes into accepted meeting requests and places them with the
    meeting scheduler; ``request`` links the wish to that request.
    """

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="wishes")
    participant = models.ForeignKey(
        "market.Participant", on_delete=models.CASCADE, related_name="pitch_wishes"
    )
    priority = models.CharField(_("priority"), max_length=14, default="meet")
    note = models.CharField(_("note"), max_length=300, blank=True)
    request = models.OneToOneField(
        "meetings.MeetingRequest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["submission", "participant"], name="wish_once")
        ]

    def __str__(self) -> str:
        return f"{self.participant} → {self.submission}"


class Award(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="awards")
    name = models.CharField(_("award"), max_length=150)
    sponsor = models.CharField(_("sponsor"), max_length=150, blank=True)
    sponsor_organisation = models.ForeignKey(
        "market.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    prize = models.CharField(_("prize"), max_length=200, blank=True)
    cash = models.DecimalField(_("cash prize"), null=True, blank=True, **MONEY)
    currency = models.CharField(
        _("currency"), max_length=3, default="USD", validators=[validate_currency]
    )
    winner = models.ForeignKey(
        Submission, on_delete=models.SET_NULL, null=True, blank=True, related_name="awards"
    )

    class Meta:
        ordering = ["call", "name"]
        verbose_name = _("award")
        verbose_name_plural = _("awards")

    def __str__(self) -> str:
        return self.name


__all__ = [
    "Award",
    "Call",
    "Conflict",
    "Criterion",
    "MeetingWish",
    "PitchSession",
    "PitchSlot",
    "ReviewAssignment",
    "Reviewer",
    "Score",
    "Section",
    "Submission",
    "SubmissionEvent",
]

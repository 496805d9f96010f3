"""Producers Connect: projects seeking co-producers and financing, and investor profiles.

A project's financing gap is derived (budget minus secured sources), never stored. The
Producers Connect session models (rounds, seats, feedback) live below the profiles.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from reelmarket.financing.enums import (
    DocumentKind,
    InvestorKind,
    PartnerKind,
    ProjectKind,
    ProjectStage,
    SourceKind,
    SourceStatus,
)
from reelmarket.financing.storage import private_storage
from reelmarket.market.validators import validate_country, validate_currency

MONEY = {"max_digits": 14, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}


class Project(models.Model):
    """A film or series in development or production, owned by a producer."""

    owner = models.ForeignKey(
        "market.Participant",
        verbose_name=_("producer"),
        on_delete=models.CASCADE,
        related_name="projects",
    )
    organisation = models.ForeignKey(
        "market.Organisation",
        verbose_name=_("production company"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="projects",
    )
    title = models.CharField(_("title"), max_length=200)
    original_title = models.CharField(_("original title"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ProjectKind.choices)
    genres = models.JSONField(_("genres"), default=list, blank=True)
    stage = models.CharField(_("stage"), max_length=20, choices=ProjectStage.choices)
    runtime_minutes = models.PositiveIntegerField(
        _("running time (minutes)"), null=True, blank=True
    )
    episodes = models.PositiveIntegerField(_("episodes"), null=True, blank=True)
    logline = models.CharField(_("logline"), max_length=300, blank=True)
    synopsis = models.TextField(_("synopsis"), blank=True)
    language = models.CharField(_("language of the texts"), max_length=16, default="en")
    countries = models.JSONField(_("production countries"), default=list, blank=True)
    shooting_languages = models.JSONField(_("spoken languages"), default=list, blank=True)
    target_markets = models.JSONField(_("target markets (countries)"), default=list, blank=True)
    budget = models.DecimalField(_("total budget"), **MONEY)
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency])
    expected_completion = models.DateField(_("expected completion"), null=True, blank=True)
    seeking_financing = models.BooleanField(_("looking for financing"), default=True)
    documents_for_investors = models.BooleanField(
        _("approved investors may see the documents"),
        default=False,
        help_text=_(
            "Investors, funds and foundations approved for the current edition may open the "
            "treatment, lookbook and budget top-sheet."
        ),
    )
    document_viewers = models.ManyToManyField(
        "market.Participant",
        verbose_name=_("people who may see the documents"),
        related_name="+",
        blank=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        indexes = [models.Index(fields=["stage", "kind"])]

    def __str__(self) -> str:
        return self.title

    def secured_amount(self) -> Decimal:
        return sum(
            (s.amount for s in self.sources.all() if s.status == SourceStatus.SECURED),
            Decimal("0"),
        )

    def gap(self) -> Decimal:
        """What is still to be found: budget minus secured sources (never below zero)."""
        return max(self.budget - self.secured_amount(), Decimal("0"))

    def secured_share(self) -> Decimal:
        """Secured sources as a fraction of the budget, 0..1 (0 for a zero budget)."""
        if not self.budget:
            return Decimal("0")
        return min(self.secured_amount() / self.budget, Decimal("1"))


class ProjectMember(models.Model):
    """The team: director, producers, writer ... (a participant account is optional)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="team")
    name = models.CharField(_("name"), max_length=150)
    role = models.CharField(_("role"), max_length=80)
    participant = models.ForeignKey(
        "market.Participant", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    bio = models.TextField(_("biography"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["project", "position", "id"]
        verbose_name = _("team member")
        verbose_name_plural = _("team members")

    def __str__(self) -> str:
        return f"{self.name} ({self.role})"


class FinancingSource(models.Model):
    """One line of the financing plan, in the project's currency."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="sources")
    kind = models.CharField(_("type"), max_length=20, choices=SourceKind.choices)
    name = models.CharField(_("source"), max_length=200)
    country = models.CharField(
        _("country"), max_length=2, blank=True, validators=[validate_country]
    )
    amount = models.DecimalField(_("amount"), **MONEY)
    status = models.CharField(
        _("status"), max_length=10, choices=SourceStatus.choices, default=SourceStatus.SECURED
    )

    class Meta:
        ordering = ["project", "-status", "kind", "id"]
        verbose_name = _("financing source")
        verbose_name_plural = _("financing sources")

    def __str__(self) -> str:
        return f"{self.name}: {self.amount}"


class PartnerSought(models.Model):
    """What the producer is looking for: a co-producer from country X, a sales agent ..."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="partners_sought")
    kind = models.CharField(_("partner"), max_length=20, choices=PartnerKind.choices)
    country = models.CharField(
        _("from country"), max_length=2, blank=True, validators=[validate_country]
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["project", "kind", "country"]
        verbose_name = _("partner sought")
        verbose_name_plural = _("partners sought")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "kind", "country"], name="partner_sought_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.country}".strip()


class ProjectDocument(models.Model):
    """Treatment, lookbook, budget top-sheet: PDF or image, validated on upload.

    Served only through a view that checks ``rules.may_see_documents`` — never from MEDIA_URL.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("document"), max_length=20, choices=DocumentKind.choices)
    file = models.FileField(_("file"), upload_to="projects/", storage=private_storage)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["project", "kind", "-uploaded_at"]
        verbose_name = _("project document")
        verbose_name_plural = _("project documents")

    def __str__(self) -> str:
        return self.original_name


class InvestorProfile(models.Model):
    """What a financier, fund, foundation or co-producer looks for."""

    participant = models.OneToOneField(
        "market.Participant", on_delete=models.CASCADE, related_name="investor_profile"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=InvestorKind.choices)
    ticket_min = models.DecimalField(_("smallest ticket"), **MONEY)
    ticket_max = models.DecimalField(_("largest ticket"), **MONEY)
    currency = models.CharField(
        _("currency"), max_length=3, default="USD", validators=[validate_currency]
    )
    genres = models.JSONField(_("genres"), default=list, blank=True)
    kinds = models.JSONField(_("project kinds"), default=list, blank=True)
    regions = models.JSONField(_("countries invested in"), default=list, blank=True)
    stages = models.JSONField(_("stages"), default=list, blank=True)
    impact_focus = models.TextField(_("impact focus"), blank=True)
    treaties = models.JSONField(
        _("co-production treaties usable (countries)"), default=list, blank=True
    )
    statement = models.TextField(_("what we look for"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("investor profile")
        verbose_name_plural = _("investor profiles")
        constraints = [
            models.CheckConstraint(
                condition=Q(ticket_max__gte=models.F("ticket_min")),
                name="investor_ticket_ordered",
            )
        ]

    def __str__(self) -> str:
        return str(self.participant)


__all__ = [
    "FinancingSource",
    "InvestorProfile",
    "PartnerSought",
    "Project",
    "ProjectDocument",
    "ProjectMember",
]

# The session models live in their own module; Django finds them through this import.
from reelmarket.financing.models_connect import *  # noqa: E402, F403

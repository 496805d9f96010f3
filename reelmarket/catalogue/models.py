"""Titles / IPs, their texts in several languages, credits, recognitions and rights windows.

The catalogue outlives editions: it stays online after the fair.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from reelmarket.catalogue.enums import (
    CreditRole,
    Genre,
    MediaChoices,
    RecognitionKind,
    Stage,
    TitleKind,
    WindowStatus,
)
from reelmarket.market.models import IMAGE_EXTENSIONS, Organisation, Participant
from reelmarket.market.validators import (
    validate_country,
    validate_currency,
    validate_image_size,
    validate_language_tag,
)


class Title(models.Model):
    owner = models.ForeignKey(
        Organisation,
        verbose_name=_("owner organisation"),
        on_delete=models.PROTECT,
        related_name="titles",
    )
    reference = models.CharField(
        _("your reference"),
        max_length=64,
        help_text=_("Your own catalogue number; re-imports update the title with this reference."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=TitleKind.choices)
    original_title = models.CharField(_("original title"), max_length=300)
    original_language = models.CharField(
        _("original language"), max_length=20, validators=[validate_language_tag]
    )
    year = models.PositiveSmallIntegerField(
        _("year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1888), MaxValueValidator(2100)],
    )
    runtime_minutes = models.PositiveSmallIntegerField(
        _("runtime (minutes)"), null=True, blank=True
    )
    episodes = models.PositiveSmallIntegerField(_("episodes"), null=True, blank=True)
    episode_minutes = models.PositiveSmallIntegerField(
        _("episode length (minutes)"), null=True, blank=True
    )
    stage = models.CharField(
        _("production stage"), max_length=20, choices=Stage.choices, default=Stage.COMPLETED
    )
    budget_amount = models.DecimalField(
        _("budget"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    budget_currency = models.CharField(
        _("currency"), max_length=3, default="USD", validators=[validate_currency]
    )
    financing_secured = models.DecimalField(
        _("financing secured"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    trailer_url = models.URLField(_("trailer link"), blank=True)
    screener_url = models.URLField(
        _("screener link"), blank=True, help_text=_("Shown only to vetted buyers.")
    )
    poster = models.ImageField(
        _("poster"),
        upload_to="posters/",
        blank=True,
        validators=[FileExtensionValidator(IMAGE_EXTENSIONS), validate_image_size],
    )
    new_this_market = models.BooleanField(_("new this market"), default=False)
    is_published = models.BooleanField(_("published"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["original_title", "id"]
        verbose_name = _("title")
        verbose_name_plural = _("titles")
        constraints = [
            models.UniqueConstraint(fields=["owner", "reference"], name="title_reference_unique"),
            models.CheckConstraint(
                condition=Q(financing_secured__isnull=True)
                | Q(budget_amount__isnull=True)
                | Q(financing_secured__lte=F("budget_amount")),
                name="secured_within_budget",
            ),
        ]
        indexes = [
            models.Index(fields=["kind"]),
            models.Index(fields=["stage"]),
            models.Index(fields=["original_language"]),
            models.Index(fields=["new_this_market"]),
            models.Index(fields=["year"]),
        ]

    def __str__(self) -> str:
        return self.original_title

    @property
    def financing_gap(self) -> Decimal | None:
        """What is still to be financed; derived, never stored."""
        if self.budget_amount is None:
            return None
        return max(self.budget_amount - (self.financing_secured or Decimal(0)), Decimal(0))


class TitleText(models.Model):
    """The title, logline and synopsis in one language."""

    title = models.ForeignKey(Title, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(_("language"), max_length=20, validators=[validate_language_tag])
    name = models.CharField(_("title in this language"), max_length=300)
    logline = models.CharField(_("logline"), max_length=500, blank=True)
    synopsis = models.TextField(_("synopsis"), blank=True)

    class Meta:
        ordering = ["language"]
        verbose_name = _("title text")
        verbose_name_plural = _("title texts")
        constraints = [
            models.UniqueConstraint(fields=["title", "language"], name="title_text_language_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} [{self.language}]"


class TitleGenre(models.Model):
    title = models.ForeignKey(Title, on_delete=models.CASCADE, related_name="genres")
    genre = models.CharField(_("genre"), max_length=20, choices=Genre.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["title", "genre"], name="title_genre_unique")
        ]
        indexes = [models.Index(fields=["genre", "title"])]

    def __str__(self) -> str:
        return self.get_genre_display()


class TitleCountry(models.Model):
    """A country of origin."""

    title = models.ForeignKey(Title, on_delete=models.CASCADE, related_name="countries")
    country = models.CharField(_("country"), max_length=2, validators=[validate_country])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["title", "country"], name="title_country_unique")
        ]
        indexes = [models.Index(fields=["country", "title"])]

    def __str__(self) -> str:
        return self.country


class TitleLanguage(models.Model):
    """An original (spoken / written) language."""

    title = models.ForeignKey(Title, on_delete=models.CASCADE, related_name="languages")
    language = models.CharField(_("language"), max_length=20, validators=[validate_language_tag])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["title", "language"], name="title_language_unique")
        ]
        indexes = [models.Index(fields=["language", "title"])]

    def __str__(self) -> str:
        return self.language


class Credit(models.Model):
    title = models.ForeignKey(Title, on_delete=models.CASCADE, related_name="credits")
    role = models.CharField(_("role"), max_length=20, choices=CreditRole.choices)
    name = models.CharField(_("name"), max_length=200)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("credit")
        verbose_name_plural = _("credits")

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.name}"


class Recognition(models.Model):
    """A festival selection, nomination or award."""

    title = models.ForeignKey(Title, on_delete=models.CASCADE, related_name="recognitions")
    festival = models.CharField(_("festival or awards"), max_length=200)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1888), MaxValueValidator(2100)]
    )
    kind = models.CharField(_("kind"), max_length=12, choices=RecognitionKind.choices)
    award = models.CharField(_("award or section"), max_length=200, blank=True)

    class Meta:
        ordering = ["-year", "festival"]
        verbose_name = _("festival or award")
        verbose_name_plural = _("festivals and awards")

    def __str__(self) -> str:
        return f"{self.festival} {self.year}"


class RightsWindow(models.Model):
    """Rights in one media over a territory for a term: available, on hold or sold.

    Territories are codes (ISO countries or groups such as ASEAN) in ``territories`` minus
    those in ``excluded`` — "Worldwide excluding China" is ``["WW"]`` minus ``["CN"]``.
    """

    title = models.ForeignKey(Title, on_delete=models.CASCADE, related_name="rights")
    media = models.CharField(_("media"), max_length=20, choices=MediaChoices.choices)
    territories = models.JSONField(_("territories"))
    excluded = models.JSONField(_("excluding"), default=list, blank=True)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    exclusive = models.BooleanField(_("exclusive"), default=True)
    status = models.CharField(
        _("status"), max_length=10, choices=WindowStatus.choices, default=WindowStatus.AVAILABLE
    )
    counterparty = models.CharField(_("sold to / held for"), max_length=200, blank=True)
    buyer_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("sold to (registered company)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rights_bought",
        help_text=_("Only for sold rights: the buyer's company, when it is on ReelMarket."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["media", "starts_on", "id"]
        verbose_name = _("rights window")
        verbose_name_plural = _("rights windows")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="rights_window_dates_ordered",
            ),
        ]
        indexes = [models.Index(fields=["media", "status"])]

    def __str__(self) -> str:
        return f"{self.title_id} {self.media} {self.status}"


class SavedTitle(models.Model):
    """A title a participant saved ("my list"); one row per participant and title."""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="saved_titles"
    )
    title = models.ForeignKey(Title, on_delete=models.CASCADE, related_name="saves")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("saved title")
        verbose_name_plural = _("saved titles")
        constraints = [
            models.UniqueConstraint(fields=["participant", "title"], name="saved_title_once")
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} saved {self.title_id}"


class TitleView(models.Model):
    """How often a participant opened a title's page on one (UTC) day."""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="title_views"
    )
    title = models.ForeignKey(Title, on_delete=models.CASCADE, related_name="views")
    day = models.DateField(_("day"))
    count = models.PositiveIntegerField(_("views"), default=1)
    last_at = models.DateTimeField(_("last viewed"))

    class Meta:
        ordering = ["-last_at", "-id"]
        verbose_name = _("title view")
        verbose_name_plural = _("title views")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "title", "day"], name="title_view_per_day"
            )
        ]
        indexes = [models.Index(fields=["participant", "-last_at"], name="title_view_recent")]

    def __str__(self) -> str:
        return f"{self.participant_id} viewed {self.title_id} on {self.day} ×{self.count}"


class ImportJob(models.Model):
    """One import of a titles file into an organisation's catalogue.

    Batches commit one by one; ``batches_done`` lets a run that stopped resume where it
    stopped when the same file (same SHA-256) is imported again.
    """

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        REJECTED = "rejected", _("Rejected")
        FAILED = "failed", _("Stopped before the end")

    owner = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="imports")
    file_name = models.CharField(max_length=255)
    file_sha256 = models.CharField(max_length=64)
    total_rows = models.PositiveIntegerField(default=0)
    batch_size = models.PositiveIntegerField(default=200)
    batches_done = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    errors = models.JSONField(default=list, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        indexes = [models.Index(fields=["owner", "file_sha256"])]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

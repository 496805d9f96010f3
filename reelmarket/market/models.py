"""Editions, venue, pavilions, organisations and participants.

Organisations and participants outlive editions; halls, booths, pavilions, exhibitors and
registrations belong to one edition.
"""

from __future__ import annotations

import zoneinfo
from datetime import date

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from reelmarket.market.enums import (
    Attendance,
    BudgetRange,
    OrganisationKind,
    PavilionKind,
    Role,
    Vetting,
    Visibility,
)
from reelmarket.market.validators import validate_country, validate_image_size, validate_time_zone

IMAGE_EXTENSIONS = ["jpg", "jpeg", "png", "webp"]


class Edition(models.Model):
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    venue = models.CharField(_("venue"), max_length=200)
    city = models.CharField(_("city"), max_length=100, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, validators=[validate_time_zone])
    is_current = models.BooleanField(_("current edition"), default=False)

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("edition")
        verbose_name_plural = _("editions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="edition_dates_ordered"
            ),
            models.UniqueConstraint(
                fields=["is_current"], condition=Q(is_current=True), name="one_current_edition"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def days(self) -> list[date]:
        from datetime import timedelta

        return [
            self.starts_on + timedelta(days=i)
            for i in range((self.ends_on - self.starts_on).days + 1)
        ]


class Hall(models.Model):
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="halls")
    code = models.CharField(_("code"), max_length=10)
    name = models.CharField(_("name"), max_length=100, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("hall")
        verbose_name_plural = _("halls")
        constraints = [models.UniqueConstraint(fields=["edition", "code"], name="hall_code_unique")]

    def __str__(self) -> str:
        return self.name or self.code


class Booth(models.Model):
    hall = models.ForeignKey(Hall, on_delete=models.CASCADE, related_name="booths")
    number = models.CharField(_("booth number"), max_length=20)
    tables = models.PositiveSmallIntegerField(_("meeting tables"), default=1)

    class Meta:
        ordering = ["hall__code", "number"]
        verbose_name = _("booth")
        verbose_name_plural = _("booths")
        constraints = [
            models.UniqueConstraint(fields=["hall", "number"], name="booth_number_unique")
        ]

    def __str__(self) -> str:
        return self.number


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=OrganisationKind.choices)
    country = models.CharField(_("country"), max_length=2, validators=[validate_country])
    city = models.CharField(_("city"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    logo = models.ImageField(
        _("logo"),
        upload_to="logos/",
        blank=True,
        validators=[FileExtensionValidator(IMAGE_EXTENSIONS), validate_image_size],
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        indexes = [models.Index(fields=["country", "kind"])]

    def __str__(self) -> str:
        return self.name


class Pavilion(models.Model):
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="pavilions")
    name = models.CharField(_("name"), max_length=160)
    slug = models.SlugField(_("slug"), max_length=80)
    kind = models.CharField(_("kind"), max_length=10, choices=PavilionKind.choices)
    country = models.CharField(
        _("country"), max_length=2, blank=True, validators=[validate_country]
    )
    lead_agency = models.ForeignKey(
        Organisation,
        verbose_name=_("leading agency"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_pavilions",
    )
    hall = models.ForeignKey(
        Hall, verbose_name=_("hall"), on_delete=models.SET_NULL, null=True, blank=True
    )
    is_new = models.BooleanField(_("new this edition"), default=False)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("pavilion")
        verbose_name_plural = _("pavilions")
        constraints = [
            models.UniqueConstraint(fields=["edition", "slug"], name="pavilion_slug_unique"),
            models.CheckConstraint(
                condition=Q(kind=PavilionKind.HUB) | ~Q(country=""),
                name="country_pavilion_has_country",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Exhibitor(models.Model):
    """An organisation exhibiting at one edition, at a booth, possibly in a pavilion."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="exhibitors")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="exhibitions"
    )
    booth = models.ForeignKey(
        Booth, verbose_name=_("booth"), on_delete=models.SET_NULL, null=True, blank=True
    )
    pavilion = models.ForeignKey(
        Pavilion,
        verbose_name=_("pavilion"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
    )

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("exhibitor")
        verbose_name_plural = _("exhibitors")
        constraints = [
            models.UniqueConstraint(fields=["edition", "organisation"], name="exhibitor_unique"),
            models.UniqueConstraint(
                fields=["booth"], condition=Q(booth__isnull=False), name="one_exhibitor_per_booth"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} @ {self.edition}"


class Participant(models.Model):
    """A person's market profile (one per user account)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="participant"
    )
    display_name = models.CharField(_("name"), max_length=150)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff",
    )
    organisation_confirmed = models.BooleanField(
        _("works for this organisation (confirmed)"),
        default=False,
        help_text=_(
            "Set by the organisers. Only confirmed staff act for the organisation, "
            "e.g. edit its catalogue."
        ),
    )
    job_title = models.CharField(_("job title"), max_length=120, blank=True)
    country = models.CharField(_("country"), max_length=2, validators=[validate_country])
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_time_zone]
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    bio = models.TextField(_("about"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    # Interests (what matchmaking and buyers' search read later).
    content_kinds = models.JSONField(_("content types"), default=list, blank=True)
    genres = models.JSONField(_("genres"), default=list, blank=True)
    territories = models.JSONField(_("territories bought for"), default=list, blank=True)
    # Media rights bought (``catalogue.avails.media.Media`` values); empty: read from the
    # kind of company (matchmaking).
    media = models.JSONField(_("media bought"), default=list, blank=True)
    budget_range = models.CharField(
        _("budget range"), max_length=10, choices=BudgetRange.choices, blank=True
    )
    # What other people may see.
    profile_visibility = models.CharField(
        _("who sees my profile in the directory"),
        max_length=12,
        choices=Visibility.choices,
        default=Visibility.PARTICIPANTS,
    )
    contact_visibility = models.CharField(
        _("who sees my e-mail and phone"),
        max_length=12,
        choices=Visibility.choices,
        default=Visibility.HIDDEN,
    )
    interests_visibility = models.CharField(
        _("who sees my interests"),
        max_length=12,
        choices=Visibility.choices,
        default=Visibility.PARTICIPANTS,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["display_name"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        indexes = [models.Index(fields=["country"]), models.Index(fields=["profile_visibility"])]

    def __str__(self) -> str:
        return self.display_name

    @property
    def role_set(self) -> set[str]:
        return {r.role for r in self.roles.all()}


class ParticipantRole(models.Model):
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(fields=["participant", "role"], name="participant_role_unique")
        ]
        indexes = [models.Index(fields=["role"])]

    def __str__(self) -> str:
        return self.get_role_display()


class Registration(models.Model):
    """A participant's registration for one edition, vetted by the organisers."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="registrations")
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="registrations"
    )
    attendance = models.CharField(
        _("attendance"), max_length=10, choices=Attendance.choices, default=Attendance.IN_PERSON
    )
    vetting = models.CharField(
        _("vetting"), max_length=10, choices=Vetting.choices, default=Vetting.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(fields=["edition", "participant"], name="registration_unique")
        ]
        indexes = [models.Index(fields=["edition", "vetting"])]

    def __str__(self) -> str:
        return f"{self.participant} @ {self.edition}"


__all__ = [
    "Booth",
    "Edition",
    "Exhibitor",
    "Hall",
    "Organisation",
    "Participant",
    "ParticipantRole",
    "Pavilion",
    "Registration",
]

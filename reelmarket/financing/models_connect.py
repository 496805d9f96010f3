"""Producers Connect sessions: registration, rounds, seats, feedback.

A session is N rounds of M minutes at T tables. Producers register with one of their
projects, financiers / funds / foundations / co-producers (participants with an investor
profile) register as partners. The rotation is built by ``financing.rotation`` and stored as
seats. The database makes a bad rotation impossible, whatever code path writes it: a seat is
unique per (session, round, table), a producer and a partner sit at most once per round,
and a pair meets at most once per session.

"No thanks" is per session and per pair of registrations (``ConnectNoThanks``): declining a
financier for the speed rounds does not stop meeting requests elsewhere in the market. The
edition's meetings blocks (``meetings.PairBlock``) are respected by the build as well.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from reelmarket.financing.enums_connect import FEEDBACK_NOTE_MAX, SessionState, Side, Verdict


class ConnectSession(models.Model):
    """One Producers Connect session of an edition (e.g. "Producers Connect — Day 2")."""

    edition = models.ForeignKey(
        "market.Edition", on_delete=models.CASCADE, related_name="connect_sessions"
    )
    name = models.CharField(_("name"), max_length=160)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("first round starts"))
    rounds = models.PositiveSmallIntegerField(_("rounds"))
    round_minutes = models.PositiveSmallIntegerField(_("minutes per round"))
    break_minutes = models.PositiveSmallIntegerField(_("break between rounds (minutes)"), default=5)
    tables = models.PositiveSmallIntegerField(_("tables"))
    room = models.CharField(_("room"), max_length=160, blank=True)
    table_labels = models.JSONField(
        _("table labels"),
        default=list,
        blank=True,
        help_text=_("One label per table (e.g. A1, A2 …); empty means numbers 1 … T."),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=SessionState.choices, default=SessionState.DRAFT
    )
    seed = models.PositiveIntegerField(_("seed of the last build"), default=0)
    built_at = models.DateTimeField(_("rotation built"), null=True, blank=True)
    total_score = models.FloatField(_("total relevance"), null=True, blank=True)
    build_notes = models.JSONField(_("build notes"), default=list, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("Producers Connect session")
        verbose_name_plural = _("Producers Connect sessions")
        constraints = [
            models.UniqueConstraint(fields=["edition", "name"], name="connect_session_name_unique"),
            models.CheckConstraint(condition=Q(rounds__gt=0), name="connect_session_rounds"),
            models.CheckConstraint(condition=Q(tables__gt=0), name="connect_session_tables"),
            models.CheckConstraint(
                condition=Q(round_minutes__gt=0), name="connect_session_round_minutes"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_published(self) -> bool:
        return self.state == SessionState.PUBLISHED

    @property
    def registration_open(self) -> bool:
        return self.state == SessionState.OPEN

    @property
    def step(self) -> timedelta:
        return timedelta(minutes=self.round_minutes + self.break_minutes)

    def round_starts_at(self, number: int) -> datetime:
        """Start of round ``number`` (1-based)."""
        return self.starts_at + (number - 1) * self.step

    def round_ends_at(self, number: int) -> datetime:
        return self.round_starts_at(number) + timedelta(minutes=self.round_minutes)

    @property
    def ends_at(self) -> datetime:
        return self.round_ends_at(self.rounds)

    @property
    def round_numbers(self) -> range:
        return range(1, self.rounds + 1)

    def table_label(self, number: int) -> str:
        """The label of table ``number`` (1-based): the organiser's, else the number."""
        labels = self.table_labels or []
        if 0 < number <= len(labels) and labels[number - 1]:
            return str(labels[number - 1])
        return str(number)

    def local_start(self) -> datetime:
        return self.starts_at.astimezone(ZoneInfo(self.edition.time_zone))


class ConnectRegistration(models.Model):
    """A participant in a session: a producer with a project, or a partner."""

    session = models.ForeignKey(
        ConnectSession, on_delete=models.CASCADE, related_name="registrations"
    )
    participant = models.ForeignKey(
        "market.Participant", on_delete=models.CASCADE, related_name="connect_registrations"
    )
    side = models.CharField(_("side"), max_length=10, choices=Side.choices)
    project = models.ForeignKey(
        "financing.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="connect_registrations",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["session", "side", "pk"]
        verbose_name = _("session registration")
        verbose_name_plural = _("session registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "participant"], name="connect_registration_unique"
            ),
            models.UniqueConstraint(
                fields=["session", "project"],
                condition=Q(project__isnull=False),
                name="connect_registration_project_once",
            ),
            models.CheckConstraint(
                condition=(Q(side=Side.PRODUCER) & Q(project__isnull=False))
                | (Q(side=Side.PARTNER) & Q(project__isnull=True)),
                name="connect_registration_project_iff_producer",
            ),
        ]
        indexes = [models.Index(fields=["session", "side"])]

    def __str__(self) -> str:
        return f"{self.participant} ({self.side})"


class ConnectNoThanks(models.Model):
    """``by`` does not want to meet ``other`` in this session (checked in both directions)."""

    session = models.ForeignKey(ConnectSession, on_delete=models.CASCADE, related_name="+")
    by = models.ForeignKey(ConnectRegistration, on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey(ConnectRegistration, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("no thanks")
        verbose_name_plural = _("no thanks")
        constraints = [
            models.UniqueConstraint(fields=["by", "other"], name="connect_no_thanks_unique"),
            models.CheckConstraint(
                condition=~Q(by=models.F("other")), name="connect_no_thanks_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.by_id} x {self.other_id}"


class ConnectSeat(models.Model):
    """One meeting of the rotation: round and table (1-based), the two registrations."""

    session = models.ForeignKey(ConnectSession, on_delete=models.CASCADE, related_name="seats")
    round = models.PositiveSmallIntegerField(_("round"))
    table = models.PositiveSmallIntegerField(_("table"))
    producer = models.ForeignKey(
        ConnectRegistration, on_delete=models.CASCADE, related_name="producer_seats"
    )
    partner = models.ForeignKey(
        ConnectRegistration, on_delete=models.CASCADE, related_name="partner_seats"
    )
    score = models.FloatField(_("relevance"))
    reasons = models.JSONField(
        _("reasons"),
        default=list,
        blank=True,
        help_text=_("The relevance reasons at build time: code, points, params."),
    )

    class Meta:
        ordering = ["session", "round", "table"]
        verbose_name = _("seat")
        verbose_name_plural = _("seats")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "round", "table"], name="connect_seat_table_unique"
            ),
            models.UniqueConstraint(
                fields=["session", "round", "producer"], name="connect_seat_producer_once"
            ),
            models.UniqueConstraint(
                fields=["session", "round", "partner"], name="connect_seat_partner_once"
            ),
            models.UniqueConstraint(
                fields=["session", "producer", "partner"], name="connect_seat_pair_once"
            ),
            models.CheckConstraint(
                condition=Q(round__gte=1) & Q(table__gte=1), name="connect_seat_numbers"
            ),
        ]

    def __str__(self) -> str:
        return f"R{self.round} T{self.table}"

    @property
    def starts_at(self) -> datetime:
        return self.session.round_starts_at(self.round)

    @property
    def ends_at(self) -> datetime:
        return self.session.round_ends_at(self.round)


class ConnectFeedback(models.Model):
    """One side's word after a meeting: follow up or pass, and an optional note."""

    seat = models.ForeignKey(ConnectSeat, on_delete=models.CASCADE, related_name="feedback")
    participant = models.ForeignKey(
        "market.Participant", on_delete=models.CASCADE, related_name="connect_feedback"
    )
    verdict = models.CharField(_("verdict"), max_length=10, choices=Verdict.choices)
    note = models.CharField(_("note"), max_length=FEEDBACK_NOTE_MAX, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["seat", "pk"]
        verbose_name = _("meeting feedback")
        verbose_name_plural = _("meeting feedback")
        constraints = [
            models.UniqueConstraint(fields=["seat", "participant"], name="connect_feedback_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.seat_id}: {self.verdict}"


__all__ = [
    "ConnectFeedback",
    "ConnectNoThanks",
    "ConnectRegistration",
    "ConnectSeat",
    "ConnectSession",
]

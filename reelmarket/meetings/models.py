"""Meeting grid, availability, requests (with their audit log), meetings and their seats.

No double-booking is enforced by the database, not by code paths: a live ``MeetingSeat`` is
unique per (participant, slot start) and a ``TableSlot`` is unique per (booth or shared
area, table, slot start). Two parallel bookings of the same person or the same last table
cannot both commit.
"""

from __future__ import annotations

from datetime import date, time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from reelmarket.market.enums import Role
from reelmarket.meetings.enums import (
    OPEN_STATES,
    LocationKind,
    MeetingStatus,
    Priority,
    RequestState,
    SchedulingMode,
)
from reelmarket.meetings.slots import MAX_SLOTS_PER_DAY, GridSpec, slots_per_day


class MeetingGrid(models.Model):
    """The organiser's meeting grid for one edition: days, hours, slot length, mode."""

    edition = models.OneToOneField(
        "market.Edition", on_delete=models.CASCADE, related_name="meeting_grid"
    )
    slot_minutes = models.PositiveSmallIntegerField(_("slot length (minutes)"), default=30)
    day_start = models.TimeField(_("first slot starts (venue time)"), default=time(10, 0))
    day_end = models.TimeField(_("last slot ends (venue time)"), default=time(18, 0))
    days = models.JSONField(
        _("meeting days"),
        default=list,
        blank=True,
        help_text=_("ISO dates (YYYY-MM-DD); empty means every day of the edition."),
    )
    mode = models.CharField(
        _("scheduling mode"),
        max_length=20,
        choices=SchedulingMode.choices,
        default=SchedulingMode.SELF_BOOKING,
    )
    request_expiry_hours = models.PositiveIntegerField(
        _("pending requests expire after (hours)"), default=72
    )
    shared_tables = models.PositiveSmallIntegerField(_("tables in the shared area"), default=0)
    shared_reserve = models.PositiveSmallIntegerField(
        _("shared tables held back by the organisers"), default=0
    )

    class Meta:
        verbose_name = _("meeting grid")
        verbose_name_plural = _("meeting grids")
        constraints = [
            models.CheckConstraint(
                condition=Q(shared_reserve__lte=models.F("shared_tables")),
                name="grid_reserve_within_tables",
            ),
            models.CheckConstraint(
                condition=Q(day_end__gt=models.F("day_start")), name="grid_hours_ordered"
            ),
            models.CheckConstraint(condition=Q(slot_minutes__gt=0), name="grid_slot_positive"),
        ]

    def __str__(self) -> str:
        return str(self.edition)

    def clean(self) -> None:
        try:
            count = slots_per_day(self.day_start, self.day_end, self.slot_minutes)
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc
        if count > MAX_SLOTS_PER_DAY:
            raise ValidationError(_("At most %(n)d slots a day.") % {"n": MAX_SLOTS_PER_DAY})
        edition_days = {d.isoformat() for d in self.edition.days}
        outside = [d for d in self.days if d not in edition_days]
        if outside:
            raise ValidationError(
                _("Not days of the edition: %(days)s") % {"days": ", ".join(outside)}
            )

    @property
    def meeting_days(self) -> tuple[date, ...]:
        if self.days:
            return tuple(sorted(date.fromisoformat(d) for d in self.days))
        return tuple(self.edition.days)

    @property
    def spec(self) -> GridSpec:
        return GridSpec(
            zone=self.edition.time_zone,
            days=self.meeting_days,
            day_start=self.day_start,
            day_end=self.day_end,
            slot_minutes=self.slot_minutes,
        )

    @property
    def bookable_shared_tables(self) -> int:
        """Shared tables participants may book themselves (the reserve is the organisers')."""
        return self.shared_tables - self.shared_reserve


class RequestQuota(models.Model):
    """How many meeting requests a participant with ``role`` may have outstanding or used."""

    grid = models.ForeignKey(MeetingGrid, on_delete=models.CASCADE, related_name="quotas")
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    limit = models.PositiveIntegerField(_("requests"))

    class Meta:
        verbose_name = _("request quota")
        verbose_name_plural = _("request quotas")
        constraints = [models.UniqueConstraint(fields=["grid", "role"], name="quota_role_unique")]

    def __str__(self) -> str:
        return f"{self.role}: {self.limit}"


class QuotaUsage(models.Model):
    """Requests a participant has spent in an edition; moved only with F() updates."""

    edition = models.ForeignKey("market.Edition", on_delete=models.CASCADE, related_name="+")
    participant = models.ForeignKey(
        "market.Participant", on_delete=models.CASCADE, related_name="quota_usages"
    )
    used = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["edition", "participant"], name="quota_usage_unique"),
            models.CheckConstraint(condition=Q(used__gte=0), name="quota_usage_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id}: {self.used}"


class AvailabilityDay(models.Model):
    """Slots a participant marked busy on one venue day (bit i = slot i of the day).

    One row per person per day that has marks (7,500 people x 4 days = 30,000 rows at most,
    against up to 480,000 rows for one row per busy slot); the mask is what the scheduler
    consumes. No row means no marks: free at every slot of the person's base window.
    """

    edition = models.ForeignKey("market.Edition", on_delete=models.CASCADE, related_name="+")
    participant = models.ForeignKey(
        "market.Participant", on_delete=models.CASCADE, related_name="availability_days"
    )
    day = models.DateField(_("day"))
    busy_mask = models.BigIntegerField(_("busy slots"), default=0)

    class Meta:
        verbose_name = _("availability")
        verbose_name_plural = _("availability")
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "participant", "day"], name="availability_day_unique"
            ),
            models.CheckConstraint(condition=Q(busy_mask__gte=0), name="busy_mask_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} {self.day}: {self.busy_mask:b}"


class WorkingHours(models.Model):
    """An online participant's daily working hours, wall clock in their own time zone."""

    edition = models.ForeignKey("market.Edition", on_delete=models.CASCADE, related_name="+")
    participant = models.ForeignKey(
        "market.Participant", on_delete=models.CASCADE, related_name="working_hours"
    )
    time_zone = models.CharField(_("time zone"), max_length=64)
    start = models.TimeField(_("from"))
    end = models.TimeField(_("until"))

    class Meta:
        verbose_name = _("working hours")
        verbose_name_plural = _("working hours")
        constraints = [
            models.UniqueConstraint(fields=["edition", "participant"], name="working_hours_unique")
        ]

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M} {self.time_zone}"


class PairBlock(models.Model):
    """'No thanks': the two people (stored in id order) may not request each other."""

    edition = models.ForeignKey("market.Edition", on_delete=models.CASCADE, related_name="+")
    low = models.ForeignKey("market.Participant", on_delete=models.CASCADE, related_name="+")
    high = models.ForeignKey("market.Participant", on_delete=models.CASCADE, related_name="+")
    blocked_by = models.ForeignKey("market.Participant", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("no-thanks block")
        verbose_name_plural = _("no-thanks blocks")
        constraints = [
            models.UniqueConstraint(fields=["edition", "low", "high"], name="pair_block_unique"),
            models.CheckConstraint(condition=Q(low__lt=models.F("high")), name="pair_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.low_id} x {self.high_id}"


class MeetingRequest(models.Model):
    """A request from one person to another person or to a company's team."""

    edition = models.ForeignKey(
        "market.Edition", on_delete=models.CASCADE, related_name="meeting_requests"
    )
    requester = models.ForeignKey(
        "market.Participant", on_delete=models.CASCADE, related_name="requests_sent"
    )
    target_person = models.ForeignKey(
        "market.Participant",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="requests_received",
    )
    target_organisation = models.ForeignKey(
        "market.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="requests_received",
    )
    # The person meeting the requester: the target person, or the staff member who accepted
    # a company request.
    counterpart = models.ForeignKey(
        "market.Participant",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="requests_as_counterpart",
    )
    message = models.TextField(_("message"), blank=True)
    titles = models.ManyToManyField(
        "catalogue.Title", blank=True, related_name="meeting_requests", verbose_name=_("titles")
    )
    # Colleagues joining the meeting, on either side: confirmed staff of the requester's or
    # the counterpart's organisation. Every one of them gets a seat when it is booked.
    colleagues = models.ManyToManyField(
        "market.Participant", blank=True, related_name="+", verbose_name=_("colleagues")
    )
    requester_priority = models.CharField(
        _("requester's priority"), max_length=14, choices=Priority.choices, default=Priority.MEET
    )
    counterpart_priority = models.CharField(
        _("counterpart's priority"), max_length=14, choices=Priority.choices, blank=True
    )
    state = models.CharField(
        _("state"), max_length=12, choices=RequestState.choices, default=RequestState.REQUESTED
    )
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("meeting request")
        verbose_name_plural = _("meeting requests")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(target_person__isnull=False, target_organisation__isnull=True)
                    | Q(target_person__isnull=True, target_organisation__isnull=False)
                ),
                name="request_one_target",
            ),
            models.UniqueConstraint(
                fields=["edition", "requester", "target_person"],
                condition=Q(state__in=sorted(OPEN_STATES), target_person__isnull=False),
                name="one_open_request_per_person",
            ),
            models.UniqueConstraint(
                fields=["edition", "requester", "target_organisation"],
                condition=Q(state__in=sorted(OPEN_STATES), target_organisation__isnull=False),
                name="one_open_request_per_company",
            ),
        ]
        indexes = [
            models.Index(fields=["edition", "state"]),
            models.Index(fields=["state", "expires_at"]),
        ]

    def __str__(self) -> str:
        target = self.target_person or self.target_organisation
        return f"{self.requester} -> {target} ({self.state})"

    @property
    def is_company_request(self) -> bool:
        return self.target_organisation_id is not None


class RequestEvent(models.Model):
    """Audit log: one row per state change of a request (and per move of its meeting)."""

    request = models.ForeignKey(MeetingRequest, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    from_state = models.CharField(max_length=12, choices=RequestState.choices, blank=True)
    to_state = models.CharField(max_length=12, choices=RequestState.choices)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("request event")
        verbose_name_plural = _("request events")

    def __str__(self) -> str:
        return f"{self.from_state} -> {self.to_state}"


class Meeting(models.Model):
    """A request placed in a slot and a location. Cancelled meetings keep their row."""

    request = models.OneToOneField(MeetingRequest, on_delete=models.CASCADE, related_name="meeting")
    edition = models.ForeignKey("market.Edition", on_delete=models.CASCADE, related_name="+")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    location_kind = models.CharField(_("location"), max_length=10, choices=LocationKind.choices)
    booth = models.ForeignKey(
        "market.Booth", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    table_number = models.PositiveSmallIntegerField(_("table"), null=True, blank=True)
    online_link = models.URLField(_("video link"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=MeetingStatus.choices,
        default=MeetingStatus.PROVISIONAL,
    )
    sequence = models.PositiveIntegerField(default=0)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                condition=Q(location_kind=LocationKind.BOOTH, booth__isnull=False)
                | (~Q(location_kind=LocationKind.BOOTH) & Q(booth__isnull=True)),
                name="meeting_booth_iff_booth_kind",
            ),
            models.CheckConstraint(
                condition=Q(location_kind=LocationKind.ONLINE, table_number__isnull=True)
                | (~Q(location_kind=LocationKind.ONLINE) & Q(table_number__isnull=False)),
                name="meeting_table_unless_online",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["edition", "status", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.request} @ {self.starts_at:%Y-%m-%d %H:%M}"


class MeetingSeat(models.Model):
    """A person taking part in a meeting. A live seat holds the person's slot."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="seats")
    participant = models.ForeignKey(
        "market.Participant", on_delete=models.CASCADE, related_name="meeting_seats"
    )
    starts_at = models.DateTimeField()
    released = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "participant"], name="seat_unique"),
            models.UniqueConstraint(
                fields=["participant", "starts_at"],
                condition=Q(released=False),
                name="one_meeting_per_person_per_slot",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} @ {self.starts_at:%Y-%m-%d %H:%M}"


class TableSlot(models.Model):
    """One table of a booth or of the shared area, taken by a meeting in one slot."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="table_slot")
    edition = models.ForeignKey("market.Edition", on_delete=models.CASCADE, related_name="+")
    booth = models.ForeignKey(
        "market.Booth", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    table = models.PositiveSmallIntegerField()
    starts_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["booth", "table", "starts_at"],
                condition=Q(booth__isnull=False),
                name="one_meeting_per_booth_table_slot",
            ),
            models.UniqueConstraint(
                fields=["edition", "table", "starts_at"],
                condition=Q(booth__isnull=True),
                name="one_meeting_per_shared_table_slot",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.booth_id or 'shared'} #{self.table} @ {self.starts_at:%Y-%m-%d %H:%M}"


class CalendarFeed(models.Model):
    """A participant's secret calendar-feed token (the URL is the credential)."""

    participant = models.OneToOneField(
        "market.Participant", on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"feed of {self.participant_id}"


class ScheduleRun(models.Model):
    """One run of the organiser's optimiser: what it was asked, what it found, and why it
    left requests out. The meetings it placed are provisional until the run is published."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Ready for review")
        FAILED = "failed", _("Failed")
        PUBLISHED = "published", _("Published")
        SUPERSEDED = "superseded", _("Superseded")

    edition = models.ForeignKey("market.Edition", on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.QUEUED
    )
    time_limit = models.FloatField(_("time limit (seconds)"), default=30.0)
    seed = models.IntegerField(_("seed"), default=0)
    objective = models.PositiveIntegerField(_("weight placed"), null=True, blank=True)
    upper_bound = models.PositiveIntegerField(_("upper bound"), null=True, blank=True)
    gap = models.FloatField(_("gap to the bound"), null=True, blank=True)
    proven_optimal = models.BooleanField(default=False)
    # requests, people, placed, pinned, left_out, meetings_written, ... (see optimiser.py)
    counts = models.JSONField(default=dict, blank=True)
    utilisation = models.JSONField(default=list, blank=True)  # one row per grid slot
    left_out = models.JSONField(default=list, blank=True)  # [[request id, weight, reason]]
    empty_days = models.JSONField(default=list, blank=True)  # [[participant id, day index]]
    timings = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("optimiser run")
        verbose_name_plural = _("optimiser runs")
        indexes = [models.Index(fields=["edition", "status"])]

    def __str__(self) -> str:
        return f"run {self.pk} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def gap_percent(self) -> str:
        return "" if self.gap is None else f"{100 * self.gap:.2f}"

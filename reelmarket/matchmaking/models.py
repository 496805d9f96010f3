"""Stored suggestions per viewer, the viewers' feedback on them, and batch recompute runs.

A suggestion row is a cache of what the scoring core computed for one viewer; the batch
task and the one-profile path rewrite a viewer's rows in one transaction. ``key`` names the
target uniquely within (viewer, kind) — ``t12`` (title 12), ``b34:t12`` (buyer 34 for title
12), ``p34`` (person 34), ``j7`` (project 7), ``f34:j7`` (financier 34 for project 7) — so
the unique constraints hold without relying on how a database treats NULLs.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from reelmarket.matchmaking.enums import RunStatus, TargetKind, Verdict


def target_key(
    *,
    kind: str,
    title_id: int | None = None,
    person_id: int | None = None,
    project_id: int | None = None,
) -> str:
    """The ``key`` of a target (see the module docstring); ValueError for a wrong shape."""
    shapes = {
        TargetKind.TITLE: (title_id is not None and person_id is None and project_id is None),
        TargetKind.BUYER: (title_id is not None and person_id is not None and project_id is None),
        TargetKind.MEETING: (person_id is not None and title_id is None and project_id is None),
        TargetKind.PROJECT: (project_id is not None and title_id is None and person_id is None),
        TargetKind.FINANCIER: (
            project_id is not None and person_id is not None and title_id is None
        ),
    }
    if kind not in shapes or not shapes[TargetKind(kind)]:
        raise ValueError(f"target of kind {kind!r} cannot have these references")
    if kind == TargetKind.TITLE:
        return f"t{title_id}"
    if kind == TargetKind.BUYER:
        return f"b{person_id}:t{title_id}"
    if kind == TargetKind.MEETING:
        return f"p{person_id}"
    if kind == TargetKind.PROJECT:
        return f"j{project_id}"
    return f"f{person_id}:j{project_id}"


class Target(models.Model):
    """What suggestions and feedback share: the viewer and what they look at."""

    # No index of its own: the unique (viewer, kind, key) index starts with it (one index
    # fewer to write on every stored suggestion).
    viewer = models.ForeignKey(
        "market.Participant",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("viewer"),
        db_index=False,
    )
    kind = models.CharField(_("kind"), max_length=10, choices=TargetKind.choices)
    key = models.CharField(max_length=48)
    title = models.ForeignKey(
        "catalogue.Title", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    person = models.ForeignKey(
        "market.Participant", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    project = models.ForeignKey(
        "financing.Project", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True


class Suggestion(Target):
    """One ranked suggestion for ``viewer``; ``reasons`` are the score's largest parts.

    ``reasons`` is a list of ``{"code", "points", "params"}`` (largest first); the points of
    all components sum to ``score``. Only what the viewer may see is cited (``params`` of a
    reason about something hidden are dropped and ``"private": true`` is set).
    """

    rank = models.PositiveIntegerField(_("rank"))
    score = models.FloatField(_("score"))
    reasons = models.JSONField(_("reasons"), default=list)
    # The titles a meeting request from this suggestion names (meeting pairs: the title
    # where the pair fits best; title and buyer suggestions: their title).
    title_ids = models.JSONField(_("titles to talk about"), default=list, blank=True)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        ordering = ["viewer", "kind", "rank"]
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        constraints = [
            models.UniqueConstraint(
                fields=["viewer", "kind", "key"], name="matchmaking_suggestion_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["viewer", "kind", "rank"], name="mm_suggestion_rank"),
        ]  # ``title`` is indexed as a foreign key

    def __str__(self) -> str:
        return f"{self.viewer_id} {self.kind} {self.key} #{self.rank}"


class Feedback(Target):
    """What a viewer said about a target; the latest verdict counts (one row per target)."""

    verdict = models.CharField(_("verdict"), max_length=16, choices=Verdict.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        constraints = [
            models.UniqueConstraint(
                fields=["viewer", "kind", "key"], name="matchmaking_feedback_unique"
            ),
        ]
        indexes = [models.Index(fields=["viewer", "verdict"], name="mm_feedback_verdict")]

    def __str__(self) -> str:
        return f"{self.viewer_id} {self.key}: {self.verdict}"


class StatedInterest(models.Model):
    """A buyer's interest in their own words ("coming-of-age", "family animation set in
    the sea"); its query vector makes synopses close to it score ("interest" reasons)."""

    viewer = models.ForeignKey(
        "market.Participant", on_delete=models.CASCADE, related_name="stated_interests"
    )
    text = models.CharField(_("what you are looking for"), max_length=120)
    model = models.CharField(max_length=80, blank=True)
    vector = models.BinaryField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["viewer", "created_at", "id"]
        verbose_name = _("stated interest")
        verbose_name_plural = _("stated interests")
        constraints = [
            models.UniqueConstraint(fields=["viewer", "text"], name="stated_interest_unique"),
        ]

    def __str__(self) -> str:
        return self.text


class RecomputeRun(models.Model):
    """One batch recompute of every viewer's suggestions; its progress is visible."""

    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    # True while queued or running: at most one such run (a database constraint).
    is_active = models.BooleanField(default=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    viewers_total = models.PositiveIntegerField(_("viewers"), default=0)
    viewers_done = models.PositiveIntegerField(_("viewers done"), default=0)
    suggestions = models.PositiveIntegerField(_("suggestions written"), default=0)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("recompute run")
        verbose_name_plural = _("recompute runs")
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"], condition=Q(is_active=True), name="one_active_recompute"
            ),
        ]

    def __str__(self) -> str:
        return f"run {self.pk} ({self.status})"

    @property
    def percent(self) -> int:
        if not self.viewers_total:
            return 100 if self.status == RunStatus.DONE else 0
        return int(100 * self.viewers_done / self.viewers_total)

    @property
    def seconds(self) -> float | None:
        if self.started_at is None or self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()


__all__ = ["Feedback", "RecomputeRun", "StatedInterest", "Suggestion", "target_key"]

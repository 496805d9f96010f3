"""Extension points matchmaking listens to (never core flows): a participant's profile or
roles saved, an investor profile or a project saved, catalogue titles changed. Each queues
a recompute of just what it touches, after the transaction commits."""

from __future__ import annotations

from typing import Any

from django.conf import settings


def _enabled() -> bool:
    """On by default, except where tasks run synchronously (the test suite), so another
    app's tests never run a recompute; ``MATCHMAKING_AUTO_RECOMPUTE`` overrides."""
    default = settings.TASKS_MODE != "immediate"
    return bool(getattr(settings, "MATCHMAKING_AUTO_RECOMPUTE", default))


def on_participant_saved(sender: Any, instance: Any, created: bool = False, **kwargs: Any) -> None:
    if _enabled() and not kwargs.get("raw"):
        from reelmarket.matchmaking.services import queue_for_participant

        queue_for_participant(participant_id=instance.pk)


def on_role_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    if _enabled() and not kwargs.get("raw"):
        from reelmarket.matchmaking.services import queue_for_participant

        queue_for_participant(participant_id=instance.participant_id)


def on_investor_profile_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    if _enabled() and not kwargs.get("raw"):
        from reelmarket.matchmaking.services import queue_for_participant

        queue_for_participant(participant_id=instance.participant_id)


def on_project_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A project changed: its producer (financiers for it) and the investors who have it
    among their suggestions."""
    if not _enabled() or kwargs.get("raw"):
        return
    from reelmarket.matchmaking.models import Suggestion
    from reelmarket.matchmaking.services import queue_for_participant

    queue_for_participant(participant_id=instance.owner_id)
    viewers = Suggestion.objects.filter(project_id=instance.pk).values_list("viewer_id", flat=True)
    for viewer_id in sorted(set(viewers)):
        queue_for_participant(participant_id=viewer_id)


def on_titles_changed(sender: Any, *, title_ids: tuple[int, ...], **kwargs: Any) -> None:
    if _enabled():
        from reelmarket.matchmaking.services import queue_for_titles

        queue_for_titles(title_ids=title_ids)


def connect() -> None:
    from django.db.models.signals import post_delete, post_save

    from reelmarket.catalogue.signals import titles_changed
    from reelmarket.financing.models import InvestorProfile, Project
    from reelmarket.market.models import Participant, ParticipantRole

    post_save.connect(on_participant_saved, sender=Participant, dispatch_uid="mm.participant")
    post_save.connect(on_role_changed, sender=ParticipantRole, dispatch_uid="mm.role_saved")
    post_delete.connect(on_role_changed, sender=ParticipantRole, dispatch_uid="mm.role_deleted")
    post_save.connect(on_investor_profile_saved, sender=InvestorProfile, dispatch_uid="mm.investor")
    post_save.connect(on_project_saved, sender=Project, dispatch_uid="mm.project")
    titles_changed.connect(on_titles_changed, dispatch_uid="matchmaking.recompute_on_change")

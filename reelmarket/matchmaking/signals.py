"""Extension points matchmaking listens to (never core flows): a participant's profile or
roles saved, an investor profile or a project saved, catalogue titles changed, a title saved
or unsaved, rights sold to a registered company. Each queues a recompute of just what it
touches, after the transaction commits. Title views queue nothing (one per page view would
be too chatty): the next recompute of the viewer reads them."""

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


def _buyers_of(organisation_ids: set[int]) -> list[int]:
    """Confirmed staff with the buyer role of these companies (who a deal is about)."""
    from reelmarket.market.enums import Role
    from reelmarket.market.models import Participant

    if not organisation_ids:
        return []
    rows = Participant.objects.filter(
        organisation_id__in=sorted(organisation_ids),
        organisation_confirmed=True,
        roles__role=Role.BUYER,
    )
    return sorted(set(rows.values_list("pk", flat=True)))


def on_saved_title_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A title saved or unsaved: that participant's suggestions (views are not announced:
    too chatty; the next recompute reads them)."""
    if not _enabled() or kwargs.get("raw"):
        return
    if kwargs.get("created") is False:
        return  # a saved row saved again changes nothing
    from reelmarket.matchmaking.services import queue_for_participant

    queue_for_participant(participant_id=instance.participant_id)


def on_rights_window_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A window saved one by one (``rights_window_add``, the back office) that names a buyer
    company: that company's buyers (it is a deal in their history)."""
    if not _enabled() or kwargs.get("raw") or instance.buyer_organisation_id is None:
        return
    from reelmarket.matchmaking.services import queue_for_participant

    for participant_id in _buyers_of({instance.buyer_organisation_id}):
        queue_for_participant(participant_id=participant_id)


def on_titles_sold_to(sender: Any, *, title_ids: tuple[int, ...], **kwargs: Any) -> None:
    """Titles changed (the avails editor and imports write windows in bulk, without
    ``post_save``): the buyers of the companies their sold windows name."""
    if not _enabled():
        return
    from reelmarket.catalogue.enums import WindowStatus
    from reelmarket.catalogue.models import RightsWindow
    from reelmarket.matchmaking.services import queue_for_participant

    companies = RightsWindow.objects.filter(
        title_id__in=title_ids, status=WindowStatus.SOLD, buyer_organisation__isnull=False
    ).values_list("buyer_organisation_id", flat=True)
    for participant_id in _buyers_of(set(companies)):
        queue_for_participant(participant_id=participant_id)


def connect() -> None:
    from django.db.models.signals import post_delete, post_save

    from reelmarket.catalogue.models import RightsWindow, SavedTitle
    from reelmarket.catalogue.signals import titles_changed
    from reelmarket.financing.models import InvestorProfile, Project
    from reelmarket.market.models import Participant, ParticipantRole

    post_save.connect(on_participant_saved, sender=Participant, dispatch_uid="mm.participant")
    post_save.connect(on_role_changed, sender=ParticipantRole, dispatch_uid="mm.role_saved")
    post_delete.connect(on_role_changed, sender=ParticipantRole, dispatch_uid="mm.role_deleted")
    post_save.connect(on_investor_profile_saved, sender=InvestorProfile, dispatch_uid="mm.investor")
    post_save.connect(on_project_saved, sender=Project, dispatch_uid="mm.project")
    titles_changed.connect(on_titles_changed, dispatch_uid="matchmaking.recompute_on_change")
    post_save.connect(on_saved_title_changed, sender=SavedTitle, dispatch_uid="mm.saved_title")
    post_delete.connect(
        on_saved_title_changed, sender=SavedTitle, dispatch_uid="mm.saved_title_deleted"
    )
    post_save.connect(on_rights_window_saved, sender=RightsWindow, dispatch_uid="mm.deal_saved")
    titles_changed.connect(on_titles_sold_to, dispatch_uid="mm.deals_on_titles_changed")

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def on_titles_changed(sender: object, *, title_ids: tuple[int, ...], **kwargs: object) -> None:
    """Catalogue extension point: reindex changed titles in the background."""
    from django.conf import settings

    if not settings.SEARCH_AUTO_INDEX:
        return
    from reelmarket.config.tasks import enqueue
    from reelmarket.discovery.tasks import index_titles

    enqueue(index_titles, title_ids=list(title_ids))


class DiscoveryConfig(AppConfig):
    name = "reelmarket.discovery"
    label = "discovery"
    verbose_name = _("Discovery")

    def ready(self) -> None:
        from reelmarket.catalogue.signals import titles_changed

        titles_changed.connect(on_titles_changed, dispatch_uid="discovery.index_on_change")

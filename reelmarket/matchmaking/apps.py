from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchmakingConfig(AppConfig):
    name = "reelmarket.matchmaking"
    label = "matchmaking"
    verbose_name = _("Matchmaking")

    def ready(self) -> None:
        from reelmarket.matchmaking.signals import connect

        connect()

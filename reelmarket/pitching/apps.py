from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PitchingConfig(AppConfig):
    name = "reelmarket.pitching"
    label = "pitching"
    verbose_name = _("Pitch forum")

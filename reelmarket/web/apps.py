from django.apps import AppConfig


class WebConfig(AppConfig):
    """Presentation shared by every app: layout, locale formatting, time zones."""

    name = "reelmarket.web"
    label = "web"

"""JSON API: Pitch forum (api_after). Routes are added by the app's owners."""

from ninja import Router

router = Router(tags=["Pitch forum"])

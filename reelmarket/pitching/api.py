"""JSON API: Pitch forum (api). Routes are added by the app's owners."""

from ninja import Router

router = Router(tags=["Pitch forum"])

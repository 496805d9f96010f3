"""JSON API: Producers Connect (api). Routes are added by the app's owners."""

from ninja import Router

router = Router(tags=["Producers Connect"])

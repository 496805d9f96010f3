"""Activate the viewer's time zone for every request."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

TZ_COOKIE = "rm_tz"
_ZONES = zoneinfo.available_timezones()


def viewer_time_zone(request: HttpRequest) -> str | None:
    """The profile's zone for a signed-in participant, else the browser's (cookie)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        participant = getattr(user, "participant", None)
        if participant is not None and participant.time_zone in _ZONES:
            return participant.time_zone
    cookie = request.COOKIES.get(TZ_COOKIE, "")
    return cookie if cookie in _ZONES else None


class ViewerTimezoneMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        zone = viewer_time_zone(request)
        request.viewer_time_zone = zone
        if zone:
            timezone.activate(zoneinfo.ZoneInfo(zone))
        else:
            timezone.deactivate()
        return self.get_response(request)

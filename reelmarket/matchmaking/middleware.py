"""Load the matchmaking world in the background at a process's first request."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from reelmarket.matchmaking import scoring_adapter


class WarmMatchmakingMiddleware:
    """The first request a process serves queues the loading of its matchmaking world (on
    the embedded default, where tasks run in this process), so the first profile change
    finds it loaded. Costs nothing afterwards."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.started = False

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self.started:
            self.started = True
            scoring_adapter.warm_soon()
        return self.get_response(request)

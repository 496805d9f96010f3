from __future__ import annotations

from django.http import HttpRequest

from reelmarket.market.rules import is_organiser
from reelmarket.market.selectors import current_edition


def market(request: HttpRequest) -> dict[str, object]:
    return {
        "edition": current_edition(),
        "is_organiser": is_organiser(request.user),
    }

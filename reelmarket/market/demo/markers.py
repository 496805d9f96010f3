"""How the demo recognises its own rows, and how it reports progress.

Markers: organisations whose slug starts with ``demo-``; user accounts whose e-mail ends
in ``demo.example`` (a reserved domain, RFC 2606); the edition with slug ``filmart-2025``
whose exhibitors are demo organisations.
"""

from __future__ import annotations

from typing import Protocol

from django.db import models
from django.db.models import Q

from reelmarket.market.demo.plan import EMAIL_DOMAIN, ORG_PREFIX
from reelmarket.market.models import Edition, Organisation


class Progress(Protocol):
    """What the builder reports; the command shows it as tqdm bars."""

    def begin(self, label: str, total: int) -> None: ...

    def advance(self, n: int = 1) -> None: ...

    def end(self) -> None: ...


class Silent:
    def begin(self, label: str, total: int) -> None:
        pass

    def advance(self, n: int = 1) -> None:
        pass

    def end(self) -> None:
        pass


# --------------------------------------------------------------------------------------
# Markers


def demo_users_q(prefix: str = "") -> Q:
    field = f"{prefix}username__endswith"
    return Q(**{field: "@" + EMAIL_DOMAIN}) | Q(**{field: "." + EMAIL_DOMAIN})


def demo_organisations() -> models.QuerySet[Organisation]:
    return Organisation.objects.filter(slug__startswith=ORG_PREFIX)


def demo_edition() -> Edition | None:
    """The edition the demo built (slug ``filmart-2025`` exhibiting demo organisations)."""
    from reelmarket.market.demo.pavilions import EDITION

    return (
        Edition.objects.filter(
            slug=EDITION["slug"], exhibitors__organisation__slug__startswith=ORG_PREFIX
        )
        .distinct()
        .first()
    )

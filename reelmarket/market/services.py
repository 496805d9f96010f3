"""Writes to the market domain."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from reelmarket.market.enums import Vetting
from reelmarket.market.models import Registration
from reelmarket.market.rules import is_organiser


def registrations_vet(*, actor: Any, registration_ids: Sequence[int], approve: bool) -> int:
    """Approve or reject registrations (organisers only); returns how many changed."""
    if not is_organiser(actor):
        raise PermissionDenied("Only organisers vet participants.")
    status = Vetting.APPROVED if approve else Vetting.REJECTED
    with transaction.atomic():
        return (
            Registration.objects.filter(pk__in=registration_ids)
            .exclude(vetting=status)
            .update(vetting=status)
        )

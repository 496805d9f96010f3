"""Writes to the market domain."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from reelmarket.market.enums import Vetting
from reelmarket.market.models import Participant, Registration
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


def participants_confirm_organisation(*, actor: Any, participant_ids: Sequence[int]) -> int:
    """Confirm that participants work for the organisation they named (organisers only)."""
    if not is_organiser(actor):
        raise PermissionDenied("Only organisers confirm organisation staff.")
    with transaction.atomic():
        return Participant.objects.filter(
            pk__in=participant_ids, organisation__isnull=False, organisation_confirmed=False
        ).update(organisation_confirmed=True)

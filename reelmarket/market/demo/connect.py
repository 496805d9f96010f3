"""The Producers Connect session of the demo: "Producers Connect — Day 2", 8 rounds of 20
minutes at 40 tables, with about 60 producers (their demo projects) and 50 partners (demo
financiers, funds, foundations and co-producers with an investor profile) registered, a
few "no thanks", and the rotation built and published.

Unlike the bulk writers, this goes through ``financing.services_connect`` (registration,
no thanks, build, publish): about 110 registrations are cheap, and the demo then shows
exactly what the services produce. Run it after the financing demo, which writes the
projects and investor profiles it registers. Deterministic: the people are taken in id
order and the "no thanks" follow the seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q

from reelmarket.financing import services_connect as services
from reelmarket.financing.enums_connect import SessionState, Side
from reelmarket.financing.models import ConnectSession, InvestorProfile, Project
from reelmarket.market.demo.markers import Progress, Silent, demo_users_q
from reelmarket.market.enums import Role, Vetting
from reelmarket.market.models import Edition

SESSION_NAME = "Producers Connect — Day 2"
DESCRIPTION = (
    "Eight speed rounds between producers with a project in development or production and "
    "the financiers, funds, foundations and co-producers most relevant to it."
)
ROOM = "Meeting Room S421, Level 4"
NO_THANKS_SHARE = 0.08  # producers who decline one partner, and partners one producer


@dataclass(frozen=True)
class ConnectCounts:
    session_id: int
    producers: int
    partners: int
    no_thanks: int
    meetings: int
    total_score: float


def _organiser() -> Any | None:
    users = get_user_model().objects
    organisers = users.filter(participant__roles__role=Role.ORGANISER).order_by("pk")
    return (
        organisers.filter(demo_users_q()).first()
        or organisers.first()
        or users.filter(is_staff=True).order_by("pk").first()
    )


def _approved_q(edition: Edition, prefix: str) -> Q:
    return Q(
        **{
            f"{prefix}registrations__edition": edition,
            f"{prefix}registrations__vetting": Vetting.APPROVED,
        }
    )


def write_demo_connect(
    edition: Edition,
    *,
    producers: int = 60,
    partners: int = 50,
    rounds: int = 8,
    round_minutes: int = 20,
    tables: int = 40,
    day: int = 1,
    seed: int = 0,
    actor: Any | None = None,
    progress: Progress | None = None,
) -> ConnectCounts | None:
    """Create, fill, build and publish the demo session of ``edition`` (0-based ``day``,
    10:00 venue time). Replaces an earlier demo session of the same name; returns None when
    there is no organiser account or nobody to seat."""
    progress = progress or Silent()
    actor = actor or _organiser()
    if actor is None:
        return None
    projects = list(
        Project.objects.filter(_approved_q(edition, "owner__"))
        .select_related("owner")
        .distinct()
        .order_by("owner_id", "pk")
    )
    chosen: dict[int, Project] = {}
    for project in projects:  # one project per producer, the producer's first
        if len(chosen) < producers:
            chosen.setdefault(project.owner_id, project)
    profiles = list(
        InvestorProfile.objects.filter(_approved_q(edition, "participant__"))
        .exclude(participant_id__in=chosen)
        .select_related("participant")
        .distinct()
        .order_by("participant_id")[:partners]
    )
    if not chosen or not profiles:
        return None
    rng = random.Random(f"reelmarket-demo:{seed}:connect")
    day_date = edition.days[min(day, len(edition.days) - 1)]
    starts_at = datetime.combine(day_date, time(10, 0), tzinfo=edition.zone)
    progress.begin("Producers Connect session", 4)
    with transaction.atomic():
        ConnectSession.objects.filter(edition=edition, name=SESSION_NAME).delete()
        session = services.session_create(
            actor=actor,
            edition=edition,
            name=SESSION_NAME,
            description=DESCRIPTION,
            starts_at=starts_at,
            rounds=rounds,
            round_minutes=round_minutes,
            break_minutes=5,
            tables=tables,
            room=ROOM,
        )
        session = services.session_set_state(
            actor=actor, session=session, to_state=SessionState.OPEN
        )
        producer_regs = [
            services.session_register(
                actor=actor,
                session=session,
                participant=project.owner,
                side=Side.PRODUCER,
                project=project,
            )
            for project in chosen.values()
        ]
        partner_regs = [
            services.session_register(
                actor=actor, session=session, participant=p.participant, side=Side.PARTNER
            )
            for p in profiles
        ]
        progress.advance()
        declined = 0
        for by, others in ((producer_regs, partner_regs), (partner_regs, producer_regs)):
            for registration in by:
                if rng.random() < NO_THANKS_SHARE:
                    services.no_thanks_set(
                        actor=actor, by=registration, other=rng.choice(others), declined=True
                    )
                    declined += 1
        progress.advance()
        session = services.session_set_state(
            actor=actor, session=session, to_state=SessionState.CLOSED
        )
        session = services.session_build(actor=actor, session=session, seed=seed)
        progress.advance()
        meetings = services.session_publish(actor=actor, session=session, notify=False)
        progress.advance()
    progress.end()
    return ConnectCounts(
        session_id=session.pk,
        producers=len(producer_regs),
        partners=len(partner_regs),
        no_thanks=declined,
        meetings=meetings,
        total_score=session.total_score or 0.0,
    )


def remove_demo_connect(*, edition: Edition) -> None:
    """Delete the edition's sessions (registrations, seats and feedback go with them)."""
    ConnectSession.objects.filter(edition=edition).delete()


__all__ = ["SESSION_NAME", "ConnectCounts", "remove_demo_connect", "write_demo_connect"]

"""Logins for the journeys beyond the three built-in ones: a producer (Arjun's role), a
foundation officer (Sofia's), a pitch-forum applicant (Wei's) and a juror.

The financing and pitching demos give these roles their story (``financing.py``,
``pitching.py``); this module finds the people who play them in the built database — in id
order, so the same seed always gives the same people — and gives them the demo password.
Only these four accounts get a password besides the plan's three (hashing thousands of
passwords would take minutes).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model

from reelmarket.financing.enums import InvestorKind
from reelmarket.financing.models import InvestorProfile, Project
from reelmarket.market.demo.markers import demo_users_q
from reelmarket.market.models import Participant
from reelmarket.pitching.enums import SectionKind, SubmissionState
from reelmarket.pitching.models import Reviewer, Submission

# The financing demo's producer from India lists this project (Arjun's story).
ARJUN_PROJECT = "Monsoon Ledger"


@dataclass(frozen=True)
class Persona:
    role: str
    participant: Participant
    detail: str


def personas() -> list[Persona]:
    """The stand-ins present in the database (a part of the demo that is missing is skipped)."""
    demo = Participant.objects.filter(user__in=get_user_model().objects.filter(demo_users_q()))
    found: list[Persona] = []
    project = (
        Project.objects.filter(title=ARJUN_PROJECT, owner__in=demo)
        .select_related("owner__organisation")
        .order_by("id")
        .first()
    )
    if project is not None:
        found.append(
            Persona(
                "producer",
                project.owner,
                f"{project.owner.organisation or ''}; lists “{project.title}” in Producers "
                "Connect, sits the speed-meeting session",
            )
        )
    profile = (
        InvestorProfile.objects.filter(
            kind=InvestorKind.FOUNDATION, participant__country="FR", participant__in=demo
        )
        .select_related("participant__organisation")
        .order_by("id")
        .first()
    )
    if profile is not None:
        found.append(
            Persona(
                "foundation",
                profile.participant,
                f"{profile.participant.organisation or ''}; funds independent cinema, "
                "wants to meet HAF projects",
            )
        )
    submission = (
        Submission.objects.filter(
            section__kind=SectionKind.ANIMATION,
            state=SubmissionState.SELECTED,
            applicant__in=demo,
        )
        .select_related("applicant", "project", "call")
        .order_by("id")
        .first()
    )
    if submission is not None:
        found.append(
            Persona(
                "applicant",
                submission.applicant,
                f"“{submission.project.title}”, selected for the {submission.call} "
                "animation section",
            )
        )
    reviewer = (
        Reviewer.objects.filter(participant__in=demo, active=True)
        .select_related("participant", "call")
        .order_by("id")
        .first()
    )
    if reviewer is not None:
        found.append(
            Persona("juror", reviewer.participant, f"reviews submissions to {reviewer.call}")
        )
    return found


def personas_set_password(*, password: str) -> list[Persona]:
    """Give the stand-ins ``password``; returns them."""
    found = personas()
    for persona in found:
        user = persona.participant.user
        user.set_password(password)
        user.save(update_fields=["password"])
    return found

"""Reads of the market domain for views, the API and exports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from reelmarket.market.enums import Visibility
from reelmarket.market.models import (
    Edition,
    Exhibitor,
    Organisation,
    Participant,
    Pavilion,
)
from reelmarket.market.rules import is_organiser, participant_of


def current_edition() -> Edition | None:
    return Edition.objects.filter(is_current=True).first() or Edition.objects.first()


@dataclass(frozen=True)
class MarketFigures:
    exhibitors: int
    exhibitor_countries: int
    pavilions: int
    pavilion_countries: int
    participants: int
    participant_countries: int
    titles: int
    new_titles: int


def market_figures(*, edition: Edition) -> MarketFigures:
    from reelmarket.catalogue.selectors import catalogue_counts

    exhibitors = Exhibitor.objects.filter(edition=edition)
    pavilions = Pavilion.objects.filter(edition=edition)
    participants = Participant.objects.filter(registrations__edition=edition)
    titles, new_titles = catalogue_counts()
    return MarketFigures(
        exhibitors=exhibitors.count(),
        exhibitor_countries=exhibitors.values("organisation__country").distinct().count(),
        pavilions=pavilions.count(),
        pavilion_countries=pavilions.exclude(country="").values("country").distinct().count(),
        participants=participants.count(),
        participant_countries=participants.values("country").distinct().count(),
        titles=titles,
        new_titles=new_titles,
    )


def exhibitors_for(
    *, edition: Edition, country: str = "", pavilion: Pavilion | None = None, q: str = ""
) -> QuerySet[Exhibitor]:
    qs = (
        Exhibitor.objects.filter(edition=edition)
        .select_related("organisation", "booth__hall", "pavilion")
        .annotate(
            title_count=Count(
                "organisation__titles", filter=Q(organisation__titles__is_published=True)
            )
        )
        .order_by("organisation__name")
    )
    if country:
        qs = qs.filter(organisation__country=country)
    if pavilion is not None:
        qs = qs.filter(pavilion=pavilion)
    if q:
        qs = qs.filter(organisation__name__icontains=q)
    return qs


def pavilions_for(*, edition: Edition) -> QuerySet[Pavilion]:
    return (
        Pavilion.objects.filter(edition=edition)
        .select_related("lead_agency", "hall")
        .annotate(member_count=Count("members"))
        .order_by("name")
    )


def organisation_detail(*, slug: str) -> Organisation:
    return Organisation.objects.get(slug=slug)


def visible_participants(*, viewer: Any, edition: Edition | None = None) -> QuerySet[Participant]:
    """The directory as ``viewer`` may see it: profile visibility is enforced in the query."""
    qs = Participant.objects.select_related("organisation").prefetch_related(Prefetch("roles"))
    if edition is not None:
        qs = qs.filter(registrations__edition=edition)
    if is_organiser(viewer):
        return qs
    allowed = [Visibility.PUBLIC]
    if participant_of(viewer) is not None:
        allowed.append(Visibility.PARTICIPANTS)
    condition = Q(profile_visibility__in=allowed)
    if viewer is not None and viewer.is_authenticated:
        condition |= Q(user_id=viewer.pk)
    return qs.filter(condition)


# Public directory pages (market/views.py) -------------------------------------------------


def pavilion_detail(*, edition: Edition, slug: str) -> Pavilion:
    """One pavilion of ``edition``; raises Pavilion.DoesNotExist."""
    return Pavilion.objects.select_related("lead_agency", "hall").get(edition=edition, slug=slug)


def participant_directory(
    *, viewer: Any, edition: Edition | None, role: str = "", country: str = "", q: str = ""
) -> QuerySet[Participant]:
    """The participant directory as ``viewer`` may see it, filtered."""
    qs = visible_participants(viewer=viewer, edition=edition)
    if role:
        qs = qs.filter(roles__role=role)
    if country:
        qs = qs.filter(country=country)
    if q:
        qs = qs.filter(Q(display_name__icontains=q) | Q(organisation__name__icontains=q))
    return qs.order_by("display_name", "pk")


def participant_profile(*, viewer: Any, pk: int) -> Participant:
    """A profile ``viewer`` may see; raises Participant.DoesNotExist otherwise."""
    return visible_participants(viewer=viewer).select_related("user").get(pk=pk)


def organisations_list(*, country: str = "", kind: str = "", q: str = "") -> QuerySet[Organisation]:
    """The organisation directory (the API's /organisations), filtered."""
    qs = Organisation.objects.all().order_by("name", "id")
    if country:
        qs = qs.filter(country=country)
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(city__icontains=q))
    return qs


def exhibitor_of(*, edition: Edition, organisation: Organisation) -> Exhibitor | None:
    """The organisation's stand at ``edition`` (booth, hall, pavilion), if it exhibits."""
    return (
        Exhibitor.objects.filter(edition=edition, organisation=organisation)
        .select_related("booth__hall", "pavilion")
        .first()
    )

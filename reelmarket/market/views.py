"""The public, browsable market: home, exhibitor and participant directories, pavilions,
organisation pages. Thin views: forms validate the query, selectors read, rules decide.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import groupby

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext

from reelmarket.catalogue.enums import Genre, MediaChoices, TitleKind
from reelmarket.catalogue.selectors import TitleFilters, titles_list
from reelmarket.catalogue.views_browse import page_range, title_cards
from reelmarket.market.enums import BudgetRange
from reelmarket.market.forms_browse import ExhibitorFilterForm, ParticipantFilterForm
from reelmarket.market.models import Edition, Exhibitor, Organisation, Participant, Pavilion
from reelmarket.market.rules import may_see
from reelmarket.market.selectors import (
    current_edition,
    exhibitor_of,
    exhibitors_for,
    market_figures,
    organisation_detail,
    participant_directory,
    participant_profile,
    pavilion_detail,
    pavilions_for,
)
from reelmarket.web.formatting import country_name

NEW_TITLES_ON_HOME = 8
PAVILIONS_ON_HOME = 6
ORGANISATION_TITLES = 24
PARTICIPANTS_PER_PAGE = 30


def _no_edition(request: HttpRequest, template: str) -> HttpResponse:
    return render(request, template, {"edition": None})


def home(request: HttpRequest) -> HttpResponse:
    edition = current_edition()
    viewer_zone = getattr(request, "viewer_time_zone", None)
    if edition is not None and viewer_zone is None:
        # Until the browser has told us its zone, show the venue's alone rather than UTC.
        timezone.activate(edition.zone)
    context: dict[str, object] = {
        "edition": edition,
        "figures": market_figures(edition=edition) if edition else None,
        "new_cards": title_cards(
            titles_list(filters=TitleFilters(new_only=True))[:NEW_TITLES_ON_HOME]
        ),
        "pavilions": list(pavilions_for(edition=edition)[:PAVILIONS_ON_HOME]) if edition else [],
        "genres": Genre.choices,
        "kinds": TitleKind.choices,
        "now": timezone.now(),
        "viewer_zone": viewer_zone,
    }
    return render(request, "market/home.html", context)


# --------------------------------------------------------------------------------------
# Exhibitors


@dataclass
class ExhibitorGroup:
    anchor: str
    heading: str
    exhibitors: list[Exhibitor]
    pavilion: Pavilion | None = None
    country: str = ""


def group_by_pavilion(
    exhibitors: Iterable[Exhibitor], pavilions: Iterable[Pavilion]
) -> list[ExhibitorGroup]:
    """Pavilions in name order, each with its members; independents last."""
    members: dict[int | None, list[Exhibitor]] = {}
    for exhibitor in exhibitors:
        members.setdefault(exhibitor.pavilion_id, []).append(exhibitor)
    groups = [
        ExhibitorGroup(
            anchor=f"pavilion-{p.slug}", heading=p.name, exhibitors=members[p.pk], pavilion=p
        )
        for p in pavilions
        if members.get(p.pk)
    ]
    if members.get(None):
        groups.append(
            ExhibitorGroup(
                anchor="independents",
                heading=gettext("Independent exhibitors"),
                exhibitors=members[None],
            )
        )
    return groups


def group_by_country(exhibitors: Iterable[Exhibitor]) -> list[ExhibitorGroup]:
    """Countries by their name in the viewer's language; companies by name within."""
    keyed = sorted(
        exhibitors,
        key=lambda e: (country_name(e.organisation.country).casefold(), e.organisation.name),
    )
    return [
        ExhibitorGroup(
            anchor=f"country-{code.lower()}",
            heading=country_name(code),
            exhibitors=list(rows),
            country=code,
        )
        for code, rows in groupby(keyed, key=lambda e: e.organisation.country)
    ]


def exhibitors(request: HttpRequest) -> HttpResponse:
    edition = current_edition()
    if edition is None:
        return _no_edition(request, "market/exhibitors.html")
    form = ExhibitorFilterForm(request.GET)
    form.is_valid()
    by_country = form.value("group") == ExhibitorFilterForm.GROUP_COUNTRY
    rows = list(exhibitors_for(edition=edition, country=form.value("country"), q=form.value("q")))
    if by_country:
        groups = group_by_country(rows)
    else:
        groups = group_by_pavilion(rows, pavilions_for(edition=edition))
    context = {
        "edition": edition,
        "form": form,
        "groups": groups,
        "total": len(rows),
        "by_country": by_country,
    }
    return render(request, "market/exhibitors.html", context)


# --------------------------------------------------------------------------------------
# Pavilions


def pavilions(request: HttpRequest) -> HttpResponse:
    edition = current_edition()
    if edition is None:
        return _no_edition(request, "market/pavilions.html")
    items = list(pavilions_for(edition=edition))
    context = {
        "edition": edition,
        "pavilions": items,
        "new_count": sum(1 for p in items if p.is_new),
    }
    return render(request, "market/pavilions.html", context)


def pavilion(request: HttpRequest, slug: str) -> HttpResponse:
    edition = current_edition()
    if edition is None:
        raise Http404
    try:
        item = pavilion_detail(edition=edition, slug=slug)
    except Pavilion.DoesNotExist:
        raise Http404 from None
    members = list(exhibitors_for(edition=edition, pavilion=item))
    context = {"edition": edition, "pavilion": item, "members": members}
    return render(request, "market/pavilion.html", context)


# --------------------------------------------------------------------------------------
# Organisations


def organisation(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        org = organisation_detail(slug=slug)
    except Organisation.DoesNotExist:
        raise Http404 from None
    edition: Edition | None = current_edition()
    titles = titles_list(filters=TitleFilters(owner_id=org.pk))
    total = titles.count()
    context = {
        "organisation": org,
        "edition": edition,
        "exhibition": exhibitor_of(edition=edition, organisation=org) if edition else None,
        "cards": title_cards(titles[:ORGANISATION_TITLES]),
        "title_total": total,
        "more_titles": total > ORGANISATION_TITLES,
    }
    return render(request, "market/organisation.html", context)


# --------------------------------------------------------------------------------------
# Participants


def participants(request: HttpRequest) -> HttpResponse:
    edition = current_edition()
    form = ParticipantFilterForm(request.GET)
    form.is_valid()
    people = participant_directory(
        viewer=request.user,
        edition=edition,
        role=form.value("role"),
        country=form.value("country"),
        q=form.value("q"),
    )
    page = Paginator(people, PARTICIPANTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"edition": edition, "form": form, "page": page, "page_range": page_range(page)}
    return render(request, "market/participants.html", context)


def _label(choices: type, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


@dataclass
class Interests:
    kinds: list[str] = field(default_factory=list)
    genres: list[str] = field(default_factory=list)
    territories: list[str] = field(default_factory=list)
    media: list[str] = field(default_factory=list)
    budget: str = ""

    def __bool__(self) -> bool:
        return bool(self.kinds or self.genres or self.territories or self.media or self.budget)


def interests_of(participant: Participant) -> Interests:
    return Interests(
        kinds=[_label(TitleKind, v) for v in participant.content_kinds],
        genres=[_label(Genre, v) for v in participant.genres],
        territories=[country_name(code) for code in participant.territories],
        media=[_label(MediaChoices, v) for v in participant.media],
        budget=_label(BudgetRange, participant.budget_range) if participant.budget_range else "",
    )


def participant(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        person = participant_profile(viewer=request.user, pk=pk)
    except Participant.DoesNotExist:
        raise Http404 from None
    show_contact = may_see(request.user, owner=person, level=person.contact_visibility)
    show_interests = may_see(request.user, owner=person, level=person.interests_visibility)
    context = {
        "person": person,
        "roles": [r.get_role_display() for r in person.roles.all()],
        "show_contact": show_contact,
        "interests": interests_of(person) if show_interests else None,
    }
    return render(request, "market/participant.html", context)

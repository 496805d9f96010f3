"""Market endpoints of the JSON API: the current edition, organisations, pavilions.

All public reads through ``market.selectors``.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema

from reelmarket.api.auth import viewer
from reelmarket.api.errors import ApiError, responses
from reelmarket.api.pagination import Page, PageParams, paginate
from reelmarket.catalogue.inputs import Country
from reelmarket.market import selectors
from reelmarket.market.enums import OrganisationKind
from reelmarket.market.models import Edition, Exhibitor, Organisation, Pavilion

router = Router(tags=["market"])

Slug = Annotated[str, Path(min_length=1, max_length=220)]


# --- response schemas ----------------------------------------------------------------------


class HallOut(Schema):
    code: str
    name: str


class EditionOut(Schema):
    name: str
    slug: str
    starts_on: date
    ends_on: date
    days: list[date]
    venue: str
    city: str
    time_zone: str = Field(description="IANA name of the venue's time zone.")
    halls: list[HallOut]


class OrganisationRefOut(Schema):
    slug: str
    name: str


class OrganisationOut(Schema):
    slug: str
    name: str
    kind: str
    country: str
    city: str
    website: str
    description: str
    logo_url: str | None


class StandOut(Schema):
    edition: str = Field(description="Edition slug.")
    booth: str | None
    hall: str | None
    pavilion: OrganisationRefOut | None


class OrganisationDetailOut(OrganisationOut):
    exhibiting: StandOut | None = Field(description="The stand at the current edition.")


class PavilionOut(Schema):
    slug: str
    name: str
    kind: str
    country: str
    is_new: bool
    description: str
    hall: str | None
    lead_agency: OrganisationRefOut | None
    members_count: int


class MemberOut(Schema):
    organisation: OrganisationRefOut
    country: str
    booth: str | None
    hall: str | None
    published_titles: int


class PavilionDetailOut(PavilionOut):
    members: list[MemberOut]


class OrganisationQuery(Schema):
    country: Country | None = None
    kind: OrganisationKind | None = None
    q: str = Field("", max_length=200)


# --- helpers -------------------------------------------------------------------------------


def _edition() -> Edition:
    edition = selectors.current_edition()
    if edition is None:
        raise ApiError(404, "No edition is set up yet.")
    return edition


def _ref(organisation: Organisation | None) -> dict[str, str] | None:
    if organisation is None:
        return None
    return {"slug": organisation.slug, "name": organisation.name}


def _organisation_out(request: HttpRequest, org: Organisation) -> dict[str, Any]:
    return {
        "slug": org.slug,
        "name": org.name,
        "kind": org.kind,
        "country": org.country,
        "city": org.city,
        "website": org.website,
        "description": org.description,
        "logo_url": request.build_absolute_uri(org.logo.url) if org.logo else None,
    }


def _stand_out(exhibitor: Exhibitor | None, edition: Edition) -> dict[str, Any] | None:
    if exhibitor is None:
        return None
    booth = exhibitor.booth
    return {
        "edition": edition.slug,
        "booth": booth.number if booth else None,
        "hall": booth.hall.code if booth else None,
        "pavilion": _ref(exhibitor.pavilion),  # type: ignore[arg-type]
    }


def _pavilion_out(pavilion: Pavilion) -> dict[str, Any]:
    return {
        "slug": pavilion.slug,
        "name": pavilion.name,
        "kind": pavilion.kind,
        "country": pavilion.country,
        "is_new": pavilion.is_new,
        "description": pavilion.description,
        "hall": pavilion.hall.code if pavilion.hall else None,
        "lead_agency": _ref(pavilion.lead_agency),
        "members_count": pavilion.member_count,  # type: ignore[attr-defined]
    }


# --- endpoints -----------------------------------------------------------------------------


@router.get("/edition", response=responses({200: EditionOut}, 401, 404), summary="This edition")
def get_edition(request: HttpRequest) -> dict[str, Any]:
    """The current edition: dates, venue, its time zone and halls."""
    viewer(request)
    edition = _edition()
    return {
        "name": edition.name,
        "slug": edition.slug,
        "starts_on": edition.starts_on,
        "ends_on": edition.ends_on,
        "days": edition.days,
        "venue": edition.venue,
        "city": edition.city,
        "time_zone": edition.time_zone,
        "halls": [{"code": h.code, "name": h.name} for h in edition.halls.all()],
    }


@router.get(
    "/organisations",
    response=responses({200: Page[OrganisationOut]}, 401),
    summary="Organisations",
)
def list_organisations(
    request: HttpRequest, filters: Query[OrganisationQuery], paging: Query[PageParams]
) -> dict[str, Any]:
    viewer(request)
    rows = selectors.organisations_list(
        country=filters.country or "",
        kind=filters.kind.value if filters.kind else "",
        q=filters.q.strip(),
    )
    return paginate(rows, paging, lambda o: _organisation_out(request, o))


@router.get(
    "/organisations/{slug}",
    response=responses({200: OrganisationDetailOut}, 401, 404),
    summary="Organisation",
)
def get_organisation(request: HttpRequest, slug: Slug) -> dict[str, Any]:
    viewer(request)
    try:
        org = selectors.organisation_detail(slug=slug)
    except Organisation.DoesNotExist:
        raise ApiError(404, "No organisation with this slug.") from None
    edition = selectors.current_edition()
    stand = (
        selectors.exhibitor_of(edition=edition, organisation=org) if edition is not None else None
    )
    return {**_organisation_out(request, org), "exhibiting": _stand_out(stand, edition)}


@router.get(
    "/pavilions", response=responses({200: list[PavilionOut]}, 401, 404), summary="Pavilions"
)
def list_pavilions(request: HttpRequest) -> list[dict[str, Any]]:
    """The pavilions of the current edition (a few dozen: not paginated)."""
    viewer(request)
    return [_pavilion_out(p) for p in selectors.pavilions_for(edition=_edition())]


@router.get(
    "/pavilions/{slug}",
    response=responses({200: PavilionDetailOut}, 401, 404),
    summary="Pavilion",
)
def get_pavilion(request: HttpRequest, slug: Slug) -> dict[str, Any]:
    """A pavilion of the current edition with its members and their booths."""
    viewer(request)
    edition = _edition()
    try:
        pavilion = selectors.pavilions_for(edition=edition).get(slug=slug)
    except Pavilion.DoesNotExist:
        raise ApiError(404, "No pavilion with this slug at the current edition.") from None
    members = [
        {
            "organisation": _ref(e.organisation),
            "country": e.organisation.country,
            "booth": e.booth.number if e.booth else None,
            "hall": e.booth.hall.code if e.booth else None,
            "published_titles": e.title_count,  # type: ignore[attr-defined]
        }
        for e in selectors.exhibitors_for(edition=edition, pavilion=pavilion)
    ]
    return {**_pavilion_out(pavilion), "members": members}

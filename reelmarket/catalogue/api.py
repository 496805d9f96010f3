"""Catalogue endpoints of the JSON API: titles, their rights windows and availability.

Thin: parameters are validated here (request schemas are ``catalogue.inputs``, shared with
the importer and the HTML editor), reads go through ``catalogue.selectors``, writes through
``catalogue.services`` (which check permissions), and visibility through
``catalogue.rules``.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema, Status
from pydantic import AfterValidator

from reelmarket.api.auth import WRITE_AUTH, viewer, write_throttle
from reelmarket.api.errors import ApiError, invalid, responses
from reelmarket.api.pagination import Page, PageParams, paginate
from reelmarket.catalogue import behaviour, selectors, services
from reelmarket.catalogue.avails.algebra import Availability, Reason
from reelmarket.catalogue.avails.media import Media
from reelmarket.catalogue.avails.territories import UnknownTerritory, describe, expand
from reelmarket.catalogue.enums import Genre, Stage, TitleKind
from reelmarket.catalogue.inputs import Country, LanguageTag, RightsInput, TitleInput
from reelmarket.catalogue.models import RightsWindow, SavedTitle, Title
from reelmarket.catalogue.rules import may_see_rights_details, may_see_screener, may_view_title
from reelmarket.market.models import Organisation
from reelmarket.market.rules import is_organiser, participant_of
from reelmarket.market.selectors import current_edition, organisation_detail

router = Router(tags=["catalogue"])

MAX_ID = 2**63 - 1
TitleId = Annotated[int, Path(ge=1, le=MAX_ID, description="The title's id.")]
Reference = Annotated[str, Path(min_length=1, max_length=64, description="Your reference.")]


# --- response schemas ----------------------------------------------------------------------


class OrganisationRef(Schema):
    slug: str
    name: str


class TextSummaryOut(Schema):
    language: str
    name: str
    logline: str


class TextOut(TextSummaryOut):
    synopsis: str


class CreditOut(Schema):
    role: str
    name: str


class RecognitionOut(Schema):
    festival: str
    year: int
    kind: str
    award: str


class RightsWindowOut(Schema):
    id: int
    media: str
    territories: list[str]
    excluded: list[str]
    territories_label: str = Field(description='e.g. "Worldwide excluding China".')
    starts_on: date
    ends_on: date | None = Field(description="null: open-ended.")
    exclusive: bool
    status: str
    counterparty: str | None = Field(
        description="Who it is sold to / held for; null when you may not see it."
    )
    buyer_organisation_id: int | None = Field(
        description="The registered company a sold window went to (the deal recorded for "
        "recommendations); null when none is named or you may not see it."
    )
    note: str | None = Field(description="null when you may not see it.")


class TitleSummaryOut(Schema):
    id: int
    reference: str
    owner: OrganisationRef
    kind: str
    original_title: str
    original_language: str
    year: int | None
    stage: str
    new_this_market: bool
    is_published: bool
    genres: list[str]
    countries: list[str]
    texts: list[TextSummaryOut]
    poster_url: str | None


class SavedTitleOut(Schema):
    title: TitleSummaryOut
    saved_at: datetime


class TitleOut(Schema):
    id: int
    reference: str
    owner: OrganisationRef
    kind: str
    original_title: str
    original_language: str
    year: int | None
    runtime_minutes: int | None
    episodes: int | None
    episode_minutes: int | None
    stage: str
    budget_amount: Decimal | None
    budget_currency: str
    financing_secured: Decimal | None
    financing_gap: Decimal | None = Field(description="budget - secured; derived.")
    new_this_market: bool
    is_published: bool
    genres: list[str]
    countries: list[str]
    languages: list[str]
    texts: list[TextOut]
    credits: list[CreditOut]
    recognitions: list[RecognitionOut]
    rights: list[RightsWindowOut]
    trailer_url: str | None
    screener_url: str | None = Field(description="null unless you may see the screener.")
    poster_url: str | None
    created_at: datetime
    updated_at: datetime


class ReasonOut(Schema):
    code: str
    message: str
    media: str
    countries: list[str]
    start: date | None
    end: date | None


class AvailabilityOut(Schema):
    available: bool
    reasons: list[ReasonOut]


# --- request schemas -----------------------------------------------------------------------


def _territory(value: str) -> str:
    code = value.strip().upper()
    try:
        expand(include=[code])
    except UnknownTerritory as exc:
        raise ValueError(str(exc)) from None
    return code


Territory = Annotated[str, AfterValidator(_territory)]


def _plausible(day: date) -> date:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValueError(f"Give a date between the years {FIRST_YEAR} and {LAST_YEAR}.")
    return day


# Dates outside these years are typing mistakes, not licence terms (as on the HTML page).
FIRST_YEAR, LAST_YEAR = 1900, 2199
Day = Annotated[date, AfterValidator(_plausible)]


class AvailsQuery(Schema):
    media: Media | None = Field(None, description="Media rights; goes with territory.")
    territory: Territory | None = Field(None, description="A country or group code: HK, ASEAN…")
    start: Day | None = Field(None, description="First day; default today (or end if earlier).")
    end: Day | None = Field(None, description="Last day (inclusive); default: start.")
    exclusive: bool = False


class TitleListQuery(AvailsQuery):
    q: str = Field("", max_length=200)
    kind: list[TitleKind] = Field(default_factory=list)
    genre: list[Genre] = Field(default_factory=list)
    country: list[Country] = Field(default_factory=list)
    language: list[LanguageTag] = Field(default_factory=list)
    stage: list[Stage] = Field(default_factory=list)
    new_only: bool = False
    owner: str = Field("", max_length=220, description="Organisation slug.")


class TitleWriteIn(TitleInput):
    """A title as written by POST /titles and PUT /titles/by-reference/{reference}."""

    organisation: str | None = Field(
        None,
        max_length=220,
        description="Owner's slug; organisers must give it, exhibitors default to their own.",
    )


# --- helpers -------------------------------------------------------------------------------


def avails_filter(params: AvailsQuery, *, required: bool) -> selectors.AvailsFilter | None:
    """The avails filter, read as the catalogue page reads it: media and territory go
    together; ``start`` defaults to today (or to ``end`` when that is earlier), ``end`` to
    ``start``."""
    media, territory, start, end = params.media, params.territory, params.start, params.end
    if media is None and territory is None and not required:
        if start is not None or end is not None:
            raise invalid("query.media", "Give media and territory to filter by availability.")
        return None
    missing = [name for name, v in (("media", media), ("territory", territory)) if v is None]
    if missing:
        message = "Needed for availability (with media / territory)."
        raise ApiError(
            422,
            "The request is not valid.",
            fields={f"query.{name}": [message] for name in missing},
        )
    today = timezone.localdate()
    if start is None:
        start = today if end is None or end >= today else end
    if end is None:
        end = start
    if end < start:
        raise invalid("query.end", "end is before start.")
    return selectors.AvailsFilter(
        media=media,  # type: ignore[arg-type]
        territory=territory,  # type: ignore[arg-type]
        start=start,
        end=end,
        exclusive=params.exclusive,
    )


def _absolute(request: HttpRequest, field: Any) -> str | None:
    return request.build_absolute_uri(field.url) if field else None


def _owner_ref(organisation: Organisation) -> dict[str, str]:
    return {"slug": organisation.slug, "name": organisation.name}


def _window_out(window: RightsWindow, *, details: bool) -> dict[str, Any]:
    return {
        "id": window.pk,
        "media": window.media,
        "territories": list(window.territories),
        "excluded": list(window.excluded),
        "territories_label": describe(include=window.territories, exclude=window.excluded),
        "starts_on": window.starts_on,
        "ends_on": window.ends_on,
        "exclusive": window.exclusive,
        "status": window.status,
        "counterparty": window.counterparty if details else None,
        "buyer_organisation_id": window.buyer_organisation_id if details else None,
        "note": window.note if details else None,
    }


def _summary_out(request: HttpRequest, title: Title) -> dict[str, Any]:
    return {
        "id": title.pk,
        "reference": title.reference,
        "owner": _owner_ref(title.owner),
        "kind": title.kind,
        "original_title": title.original_title,
        "original_language": title.original_language,
        "year": title.year,
        "stage": title.stage,
        "new_this_market": title.new_this_market,
        "is_published": title.is_published,
        "genres": sorted(g.genre for g in title.genres.all()),
        "countries": sorted(c.country for c in title.countries.all()),
        "texts": [
            {"language": t.language, "name": t.name, "logline": t.logline}
            for t in title.texts.all()
        ],
        "poster_url": _absolute(request, title.poster),
    }


def _title_out(request: HttpRequest, title: Title, user: Any) -> dict[str, Any]:
    details = may_see_rights_details(user, title)
    screener = may_see_screener(user, title, current_edition())
    return {
        "id": title.pk,
        "reference": title.reference,
        "owner": _owner_ref(title.owner),
        "kind": title.kind,
        "original_title": title.original_title,
        "original_language": title.original_language,
        "year": title.year,
        "runtime_minutes": title.runtime_minutes,
        "episodes": title.episodes,
        "episode_minutes": title.episode_minutes,
        "stage": title.stage,
        "budget_amount": title.budget_amount,
        "budget_currency": title.budget_currency,
        "financing_secured": title.financing_secured,
        "financing_gap": title.financing_gap,
        "new_this_market": title.new_this_market,
        "is_published": title.is_published,
        "genres": sorted(g.genre for g in title.genres.all()),
        "countries": sorted(c.country for c in title.countries.all()),
        "languages": sorted(lang.language for lang in title.languages.all()),
        "texts": [
            {"language": t.language, "name": t.name, "logline": t.logline, "synopsis": t.synopsis}
            for t in title.texts.all()
        ],
        "credits": [{"role": c.role, "name": c.name} for c in title.credits.all()],
        "recognitions": [
            {"festival": r.festival, "year": r.year, "kind": r.kind, "award": r.award}
            for r in title.recognitions.all()
        ],
        "rights": [_window_out(w, details=details) for w in title.rights.all()],
        "trailer_url": title.trailer_url or None,
        "screener_url": (title.screener_url or None) if screener else None,
        "poster_url": _absolute(request, title.poster),
        "created_at": title.created_at,
        "updated_at": title.updated_at,
    }


def _reason_out(reason: Reason, *, details: bool) -> dict[str, Any]:
    if not details:  # the message names the counterparty
        reason = replace(reason, counterparty="")
    return {
        "code": str(reason.code),
        "message": reason.message,
        "media": str(reason.media),
        "countries": sorted(reason.countries),
        "start": reason.start,
        "end": reason.end,
    }


def _visible_title(user: Any, title_id: int) -> Title:
    """The title, or 404 when it does not exist or the caller may not see it."""
    try:
        title = selectors.title_detail(pk=title_id)
    except Title.DoesNotExist:
        raise ApiError(404, "No title with this id.") from None
    if not may_view_title(user, title):
        raise ApiError(404, "No title with this id.")
    return title


def _owner_for(user: Any, slug: str | None) -> Organisation:
    """The organisation a new title belongs to: the one named, else the caller's."""
    if slug:
        try:
            return organisation_detail(slug=slug)
        except Organisation.DoesNotExist:
            raise invalid("body.organisation", "No organisation with this slug.") from None
    participant = participant_of(user)
    if participant is not None and participant.organisation is not None:
        return participant.organisation
    if is_organiser(user):
        raise invalid("body.organisation", "Say which organisation the title belongs to.")
    raise PermissionDenied("You do not work for an organisation with a catalogue.")


def _saved(request: HttpRequest, title: Title, user: Any) -> dict[str, Any]:
    return _title_out(request, selectors.title_detail(pk=title.pk), user)


# --- reads ---------------------------------------------------------------------------------


@router.get("/titles", response=responses({200: Page[TitleSummaryOut]}, 401), summary="Titles")
def list_titles(
    request: HttpRequest, filters: Query[TitleListQuery], paging: Query[PageParams]
) -> dict[str, Any]:
    """The catalogue with the same filters as its HTML page. With ``media`` and
    ``territory`` (and optionally ``start``, ``end``, ``exclusive``) only titles whose rights
    are available for them are listed."""
    user = viewer(request)
    owner_id = None
    if filters.owner:
        try:
            owner_id = organisation_detail(slug=filters.owner).pk
        except Organisation.DoesNotExist:
            raise invalid("query.owner", "No organisation with this slug.") from None
    title_filters = selectors.TitleFilters(
        q=filters.q.strip(),
        kinds=tuple(k.value for k in filters.kind),
        genres=tuple(g.value for g in filters.genre),
        countries=tuple(filters.country),
        languages=tuple(filters.language),
        stages=tuple(s.value for s in filters.stage),
        owner_id=owner_id,
        new_only=filters.new_only,
        avails=avails_filter(filters, required=False),
    )
    organiser = is_organiser(user)
    participant = participant_of(user)
    own_org = participant.organisation_id if participant is not None else None
    titles = selectors.titles_list(
        filters=title_filters, include_unpublished=organiser or own_org is not None
    )
    if not organiser and own_org is not None:  # their own drafts, nobody else's
        titles = titles.filter(Q(is_published=True) | Q(owner_id=own_org))
    return paginate(titles, paging, lambda t: _summary_out(request, t))


@router.get("/titles/{title_id}", response=responses({200: TitleOut}, 401, 404), summary="Title")
def get_title(request: HttpRequest, title_id: TitleId) -> dict[str, Any]:
    """A title with texts, credits, recognitions and rights windows."""
    user = viewer(request)
    return _title_out(request, _visible_title(user, title_id), user)


@router.get(
    "/titles/{title_id}/availability",
    response=responses({200: AvailabilityOut}, 401, 404),
    summary="Are these rights available?",
)
def get_availability(
    request: HttpRequest, title_id: TitleId, params: Query[AvailsQuery]
) -> dict[str, Any]:
    """Whether the title's ``media`` rights are free in ``territory`` from ``start`` to
    ``end`` (inclusive), and if not, why — for which countries and days."""
    user = viewer(request)
    title = _visible_title(user, title_id)
    avails = avails_filter(params, required=True)
    result: Availability = selectors.title_availability(title=title, avails=avails)
    details = may_see_rights_details(user, title)
    return {
        "available": result.available,
        "reasons": [_reason_out(r, details=details) for r in result.reasons],
    }


# --- writes --------------------------------------------------------------------------------

_WRITE = {"auth": WRITE_AUTH, "throttle": [write_throttle]}


@router.post(
    "/titles",
    response=responses({201: TitleOut}, 401, 403, 409, 429),
    summary="Create a title",
    **_WRITE,
)
def create_title(request: HttpRequest, payload: TitleWriteIn) -> Status:
    """Creates a title; 409 when the organisation has a title with this ``reference``
    already (``PUT /titles/by-reference/{reference}`` creates or updates)."""
    user = request.auth
    owner = _owner_for(user, payload.organisation)
    with transaction.atomic():
        title, created = services.title_save(actor=user, owner=owner, data=payload)
        if not created:  # roll the update back: POST only creates
            raise ApiError(
                409,
                "A title with this reference exists already.",
                fields={"body.reference": [f"{owner.name} has a title with this reference."]},
            )
    return Status(201, _saved(request, title, user))


@router.put(
    "/titles/by-reference/{reference}",
    response=responses({200: TitleOut, 201: TitleOut}, 401, 403, 409, 429),
    summary="Create or update a title by your reference",
    **_WRITE,
)
def upsert_title(request: HttpRequest, reference: Reference, payload: TitleWriteIn) -> Status:
    """Idempotent: 201 when the title was created, 200 when it existed (and now holds
    exactly this data). ``reference`` in the body must be the one in the path."""
    if payload.reference != reference:
        raise invalid("body.reference", "Must be the reference in the path.")
    user = request.auth
    owner = _owner_for(user, payload.organisation)
    title, created = services.title_save(actor=user, owner=owner, data=payload)
    return Status(201 if created else 200, _saved(request, title, user))


@router.put(
    "/titles/{title_id}",
    response=responses({200: TitleOut}, 401, 403, 404, 409, 429),
    summary="Replace a title",
    **_WRITE,
)
def replace_title(request: HttpRequest, title_id: TitleId, payload: TitleInput) -> dict[str, Any]:
    """Full replace of the title's fields, texts, credits, recognitions; its rights windows
    too when ``rights`` is given (left as they are when it is absent or null)."""
    user = request.auth
    title = _visible_title(user, title_id)
    if payload.reference != title.reference:
        raise invalid("body.reference", "The reference of a title cannot be changed.")
    services.title_save(actor=user, owner=title.owner, data=payload)
    return _saved(request, title, user)


@router.delete(
    "/titles/{title_id}",
    response=responses({204: None}, 401, 403, 404, 429),
    summary="Delete a title",
    **_WRITE,
)
def delete_title(request: HttpRequest, title_id: TitleId) -> HttpResponse:
    user = request.auth
    services.title_delete(actor=user, title=_visible_title(user, title_id))
    return HttpResponse(status=204)


@router.put(
    "/titles/{title_id}/rights",
    response=responses({200: list[RightsWindowOut]}, 401, 403, 404, 409, 429),
    summary="Replace all rights windows",
    **_WRITE,
)
def replace_rights(
    request: HttpRequest, title_id: TitleId, payload: list[RightsInput]
) -> list[dict[str, Any]]:
    """409 when windows going out (sold, on hold) collide; ``fields`` names the window:
    ``rights.2`` is the third window of the request."""
    user = request.auth
    title = _visible_title(user, title_id)
    services.rights_replace(actor=user, title=title, windows=payload)
    # Read back fresh: ``title`` holds the windows prefetched before the write.
    windows = selectors.title_detail(pk=title.pk).rights.all()
    return [_window_out(w, details=True) for w in windows]


@router.post(
    "/titles/{title_id}/rights",
    response=responses({201: RightsWindowOut}, 401, 403, 404, 409, 429),
    summary="Add a rights window",
    **_WRITE,
)
def add_rights_window(request: HttpRequest, title_id: TitleId, payload: RightsInput) -> Status:
    """E.g. put a territory on hold. 409 when it collides with a window going out."""
    user = request.auth
    title = _visible_title(user, title_id)
    try:
        window = services.rights_window_add(actor=user, title=title, window=payload)
    except services.RightsConflict as exc:
        message = "The window conflicts: " + "; ".join(exc.messages)
        raise ApiError(409, message, fields={"body": exc.messages}) from None
    return Status(201, _window_out(window, details=True))


# --- saved titles (the caller's list) ---------------------------------------------------------


def _saved_out(request: HttpRequest, row: SavedTitle) -> dict[str, Any]:
    return {"title": _summary_out(request, row.title), "saved_at": row.created_at}


@router.post(
    "/titles/{title_id}/save",
    response=responses({200: SavedTitleOut, 201: SavedTitleOut}, 401, 403, 404, 429),
    summary="Save a title to your list",
    **_WRITE,
)
def save_title(request: HttpRequest, title_id: TitleId) -> Status:
    """Idempotent: 201 when the title was saved now, 200 when it was saved already. 403 for
    the title's own company and for organisers (their saves would say nothing about a
    buyer's taste)."""
    user = request.auth
    title = _visible_title(user, title_id)
    row, created = behaviour.title_save_or_get(actor=user, title=title)
    return Status(201 if created else 200, _saved_out(request, row))


@router.delete(
    "/titles/{title_id}/save",
    response=responses({204: None}, 401, 403, 404, 429),
    summary="Remove a title from your list",
    **_WRITE,
)
def unsave_title(request: HttpRequest, title_id: TitleId) -> HttpResponse:
    """Idempotent: 204 whether or not the title was on your list. A title you saved that is
    no longer published can still be removed."""
    user = request.auth
    participant = participant_of(user)
    title = Title.objects.filter(pk=title_id).first()
    saved = (
        participant is not None
        and title is not None
        and selectors.is_saved(participant=participant, title=title)
    )
    if title is None or not (saved or may_view_title(user, title)):
        raise ApiError(404, "No title with this id.")
    behaviour.title_unsave(actor=user, title=title)
    return HttpResponse(status=204)


@router.get(
    "/me/saved-titles",
    response=responses({200: Page[SavedTitleOut]}, 401, 403),
    summary="Your saved titles",
    auth=WRITE_AUTH,
)
def list_saved_titles(request: HttpRequest, paging: Query[PageParams]) -> dict[str, Any]:
    """The titles you saved, most recently saved first (published titles only)."""
    participant = participant_of(request.auth)
    if participant is None:
        raise PermissionDenied("Only participants have saved titles.")
    rows = selectors.saved_titles(participant=participant).filter(title__is_published=True)
    return paginate(rows, paging, lambda row: _saved_out(request, row))

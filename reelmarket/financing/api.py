"""Producers Connect endpoints of the JSON API: projects and their financing plans,
investor profiles, and the relevance matches both ways.

Everything here is for participants of the market, so every endpoint needs a token (or
the session with its CSRF token). Thin: reads through ``selectors``, writes through
``services`` (the functions the pages call). A project the caller may not see is a 404;
one they see but may not change is a 403; a refused value is a 422 naming the field
(``body.budget``). Amounts are decimal strings in the project's (or profile's) currency.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Path, Query, Router, Status

from reelmarket.api.auth import WRITE_AUTH, write_throttle
from reelmarket.api.errors import ApiError, responses
from reelmarket.api.pagination import Page, PageParams, paginate
from reelmarket.financing import rules, selectors, services
from reelmarket.financing.api_schemas import (
    InvestorMatchOut,
    InvestorProfileIn,
    InvestorProfileOut,
    InvestorQuery,
    PartnerIn,
    PartnerOut,
    ProjectIn,
    ProjectOut,
    ProjectPatch,
    ProjectQuery,
    ProjectRowOut,
    SourceIn,
    SourceOut,
)
from reelmarket.financing.models import FinancingSource, InvestorProfile, Project
from reelmarket.financing.selectors import InvestorFilters, ProjectFilters, Ranked
from reelmarket.market.rules import participant_of
from reelmarket.market.selectors import current_edition

router = Router(tags=["Producers Connect"], auth=WRITE_AUTH)

MAX_ID = 2**63 - 1
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
_WRITE: dict[str, Any] = {"throttle": [write_throttle]}


# --- helpers ---------------------------------------------------------------------------------


def _person(p: Any) -> dict[str, Any]:
    org = p.organisation.name if p.organisation_id and p.organisation_confirmed else None
    return {"id": p.pk, "name": p.display_name, "organisation": org}


def _plan(plan: selectors.PlanSummary) -> dict[str, Any]:
    return {
        "budget": plan.budget,
        "currency": plan.currency,
        "secured": plan.secured,
        "pending": plan.pending,
        "gap": plan.gap,
        "secured_share": plan.secured_share.quantize(Decimal("0.0001")),
        "secured_percent": plan.secured_percent,
    }


def _match(ranked: Ranked | None) -> dict[str, Any] | None:
    if ranked is None:
        return None
    return {
        "score": round(ranked.total, 2),
        "excluded": ranked.excluded,
        "reasons": list(ranked.reasons),
    }


def _source(s: FinancingSource) -> dict[str, Any]:
    return {
        "id": s.pk,
        "kind": s.kind,
        "name": s.name,
        "country": s.country,
        "amount": s.amount,
        "status": s.status,
    }


def _project_out(request: HttpRequest, project: Project) -> dict[str, Any]:
    user = request.auth
    plan = selectors.plan_summary(project)
    documents = None
    if rules.may_see_documents(user, project, edition=current_edition()):
        documents = [
            {
                "id": d.pk,
                "kind": d.kind,
                "name": d.original_name,
                "content_type": d.content_type,
                "size": d.size,
                "uploaded_at": d.uploaded_at,
                "url": reverse("financing:document", args=[project.pk, d.pk]),
            }
            for d in project.documents.all()
        ]
    return {
        "id": project.pk,
        "title": project.title,
        "original_title": project.original_title,
        "kind": project.kind,
        "stage": project.stage,
        "genres": project.genres,
        "logline": project.logline,
        "synopsis": project.synopsis,
        "language": project.language,
        "countries": project.countries,
        "target_markets": project.target_markets,
        "shooting_languages": project.shooting_languages,
        "runtime_minutes": project.runtime_minutes,
        "episodes": project.episodes,
        "expected_completion": project.expected_completion,
        "seeking_financing": project.seeking_financing,
        "documents_for_investors": project.documents_for_investors,
        "producer": _person(project.owner),
        "company": project.organisation.name if project.organisation_id else None,
        "plan": _plan(plan),
        "sources": [_source(s) for s in plan.lines],
        "partners_sought": [
            {"kind": p.kind, "country": p.country, "note": p.note}
            for p in project.partners_sought.all()
        ],
        "team": [{"name": m.name, "role": m.role, "bio": m.bio} for m in project.team.all()],
        "documents": documents,
        "may_edit": rules.may_edit_project(user, project),
        "match": _match(selectors.project_match(viewer=user, project=project)),
        "updated_at": project.updated_at,
    }


def _visible(request: HttpRequest, pk: int, *, edit: bool = False) -> Project:
    try:
        project = selectors.project_detail(pk=pk)
    except Project.DoesNotExist:
        raise ApiError(404, "No such project.") from None
    if not rules.may_see_project(request.auth, project):
        raise ApiError(404, "No such project.")
    if edit and not rules.may_edit_project(request.auth, project):
        raise ApiError(403, "Only the producer's team and the organisers edit this project.")
    return project


def _fresh(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _project_out(request, selectors.project_detail(pk=pk))


def _participant(request: HttpRequest) -> Any:
    me = participant_of(request.auth)
    if me is None:
        raise ApiError(403, "Producers Connect is for participants of the market.")
    return me


def _profile_out(profile: InvestorProfile) -> dict[str, Any]:
    person = profile.participant
    return {
        "id": profile.pk,
        "person": _person(person),
        "country": person.country,
        "kind": profile.kind,
        "ticket_min": profile.ticket_min,
        "ticket_max": profile.ticket_max,
        "currency": profile.currency,
        "genres": profile.genres,
        "kinds": profile.kinds,
        "regions": profile.regions,
        "stages": profile.stages,
        "treaties": profile.treaties,
        "impact_focus": profile.impact_focus,
        "statement": profile.statement,
        "updated_at": profile.updated_at,
    }


# --- projects --------------------------------------------------------------------------------


def _row_out(row: selectors.ProjectRow) -> dict[str, Any]:
    p = row.project
    return {
        "id": p.pk,
        "title": p.title,
        "kind": p.kind,
        "stage": p.stage,
        "genres": p.genres,
        "countries": p.countries,
        "logline": p.logline,
        "company": p.organisation.name if p.organisation_id else None,
        "plan": _plan(row.plan),
        "gap_usd": round(row.gap_usd, 2),
        "match": _match(row.match),
    }


@router.get(
    "/connect/projects",
    response=responses({200: Page[ProjectRowOut]}, 401, 403),
    summary="Projects seeking financing",
)
def list_projects(
    request: HttpRequest, filters: Query[ProjectQuery], page: Query[PageParams]
) -> dict[str, Any]:
    """Ranked by relevance to your investor profile when you have one (best first, with the
    reasons), else the most recently updated first. Gap bounds are in US dollars."""
    _participant(request)
    rows = selectors.project_directory(
        viewer=request.auth,
        filters=ProjectFilters(
            q=filters.q.strip(),
            stages=filters.stage,
            kinds=filters.kind,
            genres=filters.genre,
            country=filters.country.upper(),
            gap_min_usd=filters.gap_min_usd,
            gap_max_usd=filters.gap_max_usd,
        ),
    )

    return paginate(rows, page, _row_out)


@router.get(
    "/connect/projects/mine",
    response=responses({200: list[ProjectOut]}, 401, 403),
    summary="My projects (and my company's)",
)
def list_my_projects(request: HttpRequest) -> list[dict[str, Any]]:
    _participant(request)
    projects = selectors.projects_of(viewer=request.auth).prefetch_related("team", "documents")
    return [_project_out(request, p) for p in projects]


@router.post(
    "/connect/projects",
    response=responses({201: ProjectOut}, 401, 403, 429),
    summary="List a project",
    **_WRITE,
)
def create_project(request: HttpRequest, payload: ProjectIn) -> Status:
    """You own the project; your confirmed company is its production company."""
    project = services.project_save(actor=request.auth, data=services.ProjectData(**payload.dict()))
    return Status(201, _fresh(request, project.pk))


@router.get(
    "/connect/projects/{project_id}",
    response=responses({200: ProjectOut}, 401, 404),
    summary="One project",
)
def get_project(request: HttpRequest, project_id: Id) -> dict[str, Any]:
    return _project_out(request, _visible(request, project_id))


@router.patch(
    "/connect/projects/{project_id}",
    response=responses({200: ProjectOut}, 401, 403, 404, 429),
    summary="Change a project",
    **_WRITE,
)
def update_project(request: HttpRequest, project_id: Id, payload: ProjectPatch) -> dict[str, Any]:
    project = _visible(request, project_id, edit=True)
    current = {name: getattr(project, name) for name in services.ProjectData.__dataclass_fields__}
    changes = payload.dict(exclude_unset=True)
    services.project_save(
        actor=request.auth, project=project, data=services.ProjectData(**{**current, **changes})
    )
    return _fresh(request, project.pk)


@router.delete(
    "/connect/projects/{project_id}",
    response=responses({204: None}, 401, 403, 404, 429),
    summary="Delete a project",
    **_WRITE,
)
def delete_project(request: HttpRequest, project_id: Id) -> Status:
    project = _visible(request, project_id)
    services.project_delete(actor=request.auth, project=project)
    return Status(204, None)


# --- financing plan --------------------------------------------------------------------------


@router.get(
    "/connect/projects/{project_id}/sources",
    response=responses({200: list[SourceOut]}, 401, 404),
    summary="A project's financing plan",
)
def list_sources(request: HttpRequest, project_id: Id) -> list[dict[str, Any]]:
    return [_source(s) for s in _visible(request, project_id).sources.all()]


@router.post(
    "/connect/projects/{project_id}/sources",
    response=responses({201: SourceOut}, 401, 403, 404, 429),
    summary="Add a financing source",
    **_WRITE,
)
def create_source(request: HttpRequest, project_id: Id, payload: SourceIn) -> Status:
    """In the project's currency. Secured sources may not add up to more than the budget."""
    project = _visible(request, project_id, edit=True)
    source = services.source_add(
        actor=request.auth, project=project, data=services.SourceData(**payload.dict())
    )
    return Status(201, _source(source))


def _source_of(project: Project, source_id: int) -> FinancingSource:
    source = (
        FinancingSource.objects.filter(pk=source_id, project=project)
        .select_related("project")
        .first()
    )
    if source is None:
        raise ApiError(404, "No such financing source.")
    return source


@router.put(
    "/connect/projects/{project_id}/sources/{source_id}",
    response=responses({200: SourceOut}, 401, 403, 404, 429),
    summary="Change a financing source",
    **_WRITE,
)
def update_source(
    request: HttpRequest, project_id: Id, source_id: Id, payload: SourceIn
) -> dict[str, Any]:
    project = _visible(request, project_id, edit=True)
    source = services.source_update(
        actor=request.auth,
        source=_source_of(project, source_id),
        data=services.SourceData(**payload.dict()),
    )
    return _source(source)


@router.delete(
    "/connect/projects/{project_id}/sources/{source_id}",
    response=responses({204: None}, 401, 403, 404, 429),
    summary="Remove a financing source",
    **_WRITE,
)
def delete_source(request: HttpRequest, project_id: Id, source_id: Id) -> Status:
    project = _visible(request, project_id, edit=True)
    services.source_remove(actor=request.auth, source=_source_of(project, source_id))
    return Status(204, None)


@router.put(
    "/connect/projects/{project_id}/partners",
    response=responses({200: list[PartnerOut]}, 401, 403, 404, 429),
    summary="Replace the partners sought",
    **_WRITE,
)
def set_partners(
    request: HttpRequest, project_id: Id, payload: list[PartnerIn]
) -> list[dict[str, Any]]:
    project = _visible(request, project_id, edit=True)
    services.partner_sought_set(
        actor=request.auth,
        project=project,
        partners=[services.PartnerData(**p.dict()) for p in payload],
    )
    return [
        {"kind": p.kind, "country": p.country, "note": p.note}
        for p in project.partners_sought.all()
    ]


# --- matches ---------------------------------------------------------------------------------


@router.get(
    "/connect/projects/{project_id}/investors",
    response=responses({200: Page[InvestorMatchOut]}, 401, 403, 404),
    summary="Investor profiles ranked for a project",
)
def list_project_investors(
    request: HttpRequest, project_id: Id, filters: Query[InvestorQuery], page: Query[PageParams]
) -> dict[str, Any]:
    """For the project's team: profiles you may see, best first, with reasons."""
    project = _visible(request, project_id, edit=True)
    rows = selectors.investor_directory(
        viewer=request.auth,
        project=project,
        filters=InvestorFilters(
            q=filters.q.strip(),
            kinds=filters.kind,
            country=filters.country.upper(),
            include_excluded=filters.include_excluded,
        ),
    )
    return paginate(
        rows, page, lambda r: {"profile": _profile_out(r.profile), "match": _match(r.match)}
    )


# --- investor profile ------------------------------------------------------------------------


@router.get(
    "/connect/investor-profile",
    response=responses({200: InvestorProfileOut}, 401, 403, 404),
    summary="My investor profile",
)
def get_investor_profile(request: HttpRequest) -> dict[str, Any]:
    me = _participant(request)
    profile = (
        InvestorProfile.objects.select_related("participant__organisation")
        .filter(participant=me)
        .first()
    )
    if profile is None:
        raise ApiError(404, "You have no investor profile yet; PUT one.")
    return _profile_out(profile)


@router.put(
    "/connect/investor-profile",
    response=responses({200: InvestorProfileOut}, 401, 403, 429),
    summary="Create or replace my investor profile",
    **_WRITE,
)
def put_investor_profile(request: HttpRequest, payload: InvestorProfileIn) -> dict[str, Any]:
    me = _participant(request)
    profile = services.investor_profile_save(
        actor=request.auth, participant=me, data=services.InvestorData(**payload.dict())
    )
    return _profile_out(
        InvestorProfile.objects.select_related("participant__organisation").get(pk=profile.pk)
    )


@router.get(
    "/connect/investor-profile/matches",
    response=responses({200: Page[ProjectRowOut]}, 401, 403, 404),
    summary="Projects matching my investor profile",
)
def list_investor_matches(request: HttpRequest, page: Query[PageParams]) -> dict[str, Any]:
    """Projects seeking financing, best match first, without those your profile rules out."""
    me = _participant(request)
    if not InvestorProfile.objects.filter(participant=me).exists():
        raise ApiError(404, "You have no investor profile yet; PUT one.")
    rows = selectors.project_directory(viewer=request.auth, filters=ProjectFilters())
    rows = [r for r in rows if r.match is not None and not r.match.excluded]
    return paginate(rows, page, _row_out)


@router.get(
    "/connect/investors/{profile_id}",
    response=responses({200: InvestorProfileOut}, 401, 404),
    summary="One investor profile",
)
def get_investor(request: HttpRequest, profile_id: Id) -> dict[str, Any]:
    try:
        return _profile_out(selectors.investor_profile_of(viewer=request.auth, pk=profile_id))
    except InvestorProfile.DoesNotExist:
        raise ApiError(404, "No such investor profile.") from None

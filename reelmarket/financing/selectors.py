"""Reads of Producers Connect: financing-plan figures, the project and investor
directories ranked by relevance (with reasons), a producer's projects, document access.

Visibility is enforced here, before scoring: a directory only scores what its viewer may
see, so the reasons never cite anything hidden from them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from reelmarket.financing import relevance, rules
from reelmarket.financing.enums import SourceStatus
from reelmarket.financing.models import (
    FinancingSource,
    InvestorProfile,
    Project,
    ProjectDocument,
)
from reelmarket.financing.money import UnknownCurrency, to_usd
from reelmarket.financing.reasons import Viewer, reason_texts
from reelmarket.market.enums import Visibility
from reelmarket.market.models import Participant
from reelmarket.market.rules import is_organiser, participant_of
from reelmarket.market.selectors import visible_participants

ZERO = Decimal("0")


# ---- the financing plan ---------------------------------------------------------------------


@dataclass(frozen=True)
class PlanSummary:
    """The plan's figures in the project's currency. ``secured_share`` is 0..1."""

    budget: Decimal
    currency: str
    secured: Decimal
    pending: Decimal
    gap: Decimal
    secured_share: Decimal
    lines: tuple[FinancingSource, ...]
    secured_by_kind: tuple[tuple[str, Decimal], ...]

    @property
    def secured_percent(self) -> Decimal:
        """Secured share in per cent, one decimal (35.0)."""
        return (self.secured_share * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def open_after_pending(self) -> Decimal:
        """What remains if every pending source comes through."""
        return max(self.gap - self.pending, ZERO)


def plan_summary(project: Project) -> PlanSummary:
    """Figures of ``project``'s plan (uses ``project.sources.all()``: prefetch it for lists)."""
    lines = tuple(project.sources.all())
    secured = sum((s.amount for s in lines if s.status == SourceStatus.SECURED), ZERO)
    pending = sum((s.amount for s in lines if s.status == SourceStatus.PENDING), ZERO)
    budget = project.budget
    share = min(secured / budget, Decimal("1")) if budget else ZERO
    by_kind: dict[str, Decimal] = {}
    for s in lines:
        if s.status == SourceStatus.SECURED:
            by_kind[s.kind] = by_kind.get(s.kind, ZERO) + s.amount
    return PlanSummary(
        budget=budget,
        currency=project.currency,
        secured=secured,
        pending=pending,
        gap=max(budget - secured, ZERO),
        secured_share=share,
        lines=lines,
        secured_by_kind=tuple(sorted(by_kind.items(), key=lambda kv: -kv[1])),
    )


def _usd(amount: Decimal, currency: str) -> float:
    try:
        return to_usd(amount, currency)
    except UnknownCurrency:
        return 0.0


# ---- facts for relevance --------------------------------------------------------------------


def project_facts(project: Project, plan: PlanSummary | None = None) -> relevance.ProjectFacts:
    plan = plan or plan_summary(project)
    return relevance.ProjectFacts(
        id=project.pk,
        kind=project.kind,
        genres=frozenset(project.genres),
        stage=project.stage,
        countries=frozenset(project.countries),
        target_markets=frozenset(project.target_markets),
        budget_usd=_usd(plan.budget, plan.currency),
        gap_usd=_usd(plan.gap, plan.currency),
        partners_sought=frozenset((p.kind, p.country) for p in project.partners_sought.all()),
    )


def investor_facts(profile: InvestorProfile) -> relevance.InvestorFacts:
    return relevance.InvestorFacts(
        id=profile.pk,
        kind=profile.kind,
        ticket_min_usd=_usd(profile.ticket_min, profile.currency),
        ticket_max_usd=_usd(profile.ticket_max, profile.currency),
        genres=frozenset(profile.genres),
        kinds=frozenset(profile.kinds),
        regions=frozenset(profile.regions),
        stages=frozenset(profile.stages),
        treaties=frozenset(profile.treaties),
        country=profile.participant.country,
    )


@dataclass(frozen=True)
class Ranked:
    total: float
    excluded: bool
    reasons: tuple[str, ...]


def _rank(match: relevance.Match, viewer: Viewer) -> Ranked:
    return Ranked(
        total=match.total,
        excluded=match.excluded,
        reasons=tuple(reason_texts(match, viewer=viewer)),
    )


# ---- projects -------------------------------------------------------------------------------


def projects_with_plan() -> QuerySet[Project]:
    return Project.objects.select_related("owner", "organisation").prefetch_related(
        Prefetch("sources", queryset=FinancingSource.objects.order_by("-status", "kind", "id")),
        "partners_sought",
    )


def project_detail(*, pk: int) -> Project:
    """One project with what its page shows; raises ``Project.DoesNotExist``."""
    return projects_with_plan().prefetch_related("team", "documents").get(pk=pk)


def projects_of(*, viewer: Any) -> QuerySet[Project]:
    """The projects ``viewer`` edits: their own and their company's."""
    me = participant_of(viewer)
    if me is None:
        return Project.objects.none()
    condition = Q(owner=me)
    if me.organisation_id and me.organisation_confirmed:
        condition |= Q(organisation_id=me.organisation_id)
    return projects_with_plan().filter(condition).order_by("-updated_at", "pk")


@dataclass(frozen=True)
class ProjectFilters:
    q: str = ""
    stages: Sequence[str] = ()
    kinds: Sequence[str] = ()
    genres: Sequence[str] = ()
    country: str = ""
    gap_min_usd: Decimal | None = None
    gap_max_usd: Decimal | None = None


@dataclass(frozen=True)
class ProjectRow:
    project: Project
    plan: PlanSummary
    gap_usd: float
    match: Ranked | None


def viewer_investor_profile(viewer: Any) -> InvestorProfile | None:
    me = participant_of(viewer)
    if me is None:
        return None
    return InvestorProfile.objects.select_related("participant").filter(participant=me).first()


def project_directory(*, viewer: Any, filters: ProjectFilters) -> list[ProjectRow]:
    """Projects looking for financing, filtered; ranked by relevance to the viewer's
    investor profile when they have one (best first), else the most recently updated."""
    if not rules.may_browse_projects(viewer):
        return []
    qs = projects_with_plan().filter(seeking_financing=True)
    if filters.q:
        qs = qs.filter(
            Q(title__icontains=filters.q)
            | Q(original_title__icontains=filters.q)
            | Q(logline__icontains=filters.q)
        )
    if filters.stages:
        qs = qs.filter(stage__in=list(filters.stages))
    if filters.kinds:
        qs = qs.filter(kind__in=list(filters.kinds))
    genres, country = set(filters.genres), filters.country
    low = float(filters.gap_min_usd) if filters.gap_min_usd is not None else None
    high = float(filters.gap_max_usd) if filters.gap_max_usd is not None else None
    profile = viewer_investor_profile(viewer)
    investor = investor_facts(profile) if profile is not None else None
    rows: list[ProjectRow] = []
    for project in qs.order_by("-updated_at", "pk"):
        if genres and not genres.intersection(project.genres):
            continue
        if country and country not in project.countries:
            continue
        plan = plan_summary(project)
        gap_usd = _usd(plan.gap, plan.currency)
        if (low is not None and gap_usd < low) or (high is not None and gap_usd > high):
            continue
        match = None
        if investor is not None:
            facts = project_facts(project, plan)
            match = _rank(relevance.score(project=facts, investor=investor), "investor")
        rows.append(ProjectRow(project=project, plan=plan, gap_usd=gap_usd, match=match))
    if investor is not None:
        rows.sort(key=lambda r: -(r.match.total if r.match else 0.0))  # stable: recent first
    return rows


def project_match(*, viewer: Any, project: Project) -> Ranked | None:
    """Relevance of one project to the viewer's investor profile (None without one)."""
    profile = viewer_investor_profile(viewer)
    if profile is None:
        return None
    return _rank(
        relevance.score(project=project_facts(project), investor=investor_facts(profile)),
        "investor",
    )


# ---- investors ------------------------------------------------------------------------------


def visible_investor_profiles(*, viewer: Any) -> QuerySet[InvestorProfile]:
    """Profiles whose owner shows both profile and interests to ``viewer``."""
    qs = InvestorProfile.objects.select_related("participant", "participant__organisation")
    if is_organiser(viewer):
        return qs
    if participant_of(viewer) is None:
        return qs.none()
    allowed = [Visibility.PUBLIC, Visibility.PARTICIPANTS]
    return qs.filter(
        Q(
            participant__profile_visibility__in=allowed,
            participant__interests_visibility__in=allowed,
        )
        | Q(participant__user_id=viewer.pk)
    )


@dataclass(frozen=True)
class InvestorFilters:
    q: str = ""
    kinds: Sequence[str] = ()
    country: str = ""
    include_excluded: bool = False


@dataclass(frozen=True)
class InvestorRow:
    profile: InvestorProfile
    match: Ranked


def investor_directory(
    *, viewer: Any, project: Project, filters: InvestorFilters
) -> list[InvestorRow]:
    """Investor profiles the viewer may see, ranked for ``project`` (best first).

    Profiles whose stated kinds, stages or tickets rule the project out come last, or not
    at all unless ``include_excluded``."""
    if not rules.may_browse_investors(viewer, project):
        return []
    qs = visible_investor_profiles(viewer=viewer).exclude(participant_id=project.owner_id)
    if filters.q:
        qs = qs.filter(
            Q(participant__display_name__icontains=filters.q)
            | Q(participant__organisation__name__icontains=filters.q)
            | Q(statement__icontains=filters.q)
            | Q(impact_focus__icontains=filters.q)
        )
    if filters.kinds:
        qs = qs.filter(kind__in=list(filters.kinds))
    if filters.country:
        qs = qs.filter(participant__country=filters.country)
    facts = project_facts(project)
    rows = []
    for profile in qs.order_by("participant__display_name", "pk"):
        ranked = _rank(relevance.score(project=facts, investor=investor_facts(profile)), "producer")
        if ranked.excluded and not filters.include_excluded:
            continue
        rows.append(InvestorRow(profile=profile, match=ranked))
    rows.sort(key=lambda r: (r.match.excluded, -r.match.total))
    return rows


def investor_profile_of(*, viewer: Any, pk: int) -> InvestorProfile:
    """One profile the viewer may see; raises ``InvestorProfile.DoesNotExist``."""
    return visible_investor_profiles(viewer=viewer).get(pk=pk)


# ---- documents and who sees them ------------------------------------------------------------


def documents_of(project: Project) -> list[ProjectDocument]:
    return list(project.documents.all())


def document_viewers(project: Project) -> list[Participant]:
    return list(
        project.document_viewers.select_related("organisation").order_by("display_name", "pk")
    )


def grant_candidates(
    *, viewer: Any, project: Project, q: str, limit: int = 20
) -> list[Participant]:
    """People the producer may let see the documents: found by name or company among the
    participants whose profile the producer may see (not the owner, not already granted)."""
    q = q.strip()
    if len(q) < 2:
        return []
    granted = project.document_viewers.values_list("pk", flat=True)
    return list(
        visible_participants(viewer=viewer)
        .filter(Q(display_name__icontains=q) | Q(organisation__name__icontains=q))
        .exclude(pk=project.owner_id)
        .exclude(pk__in=granted)
        .order_by("display_name", "pk")[:limit]
    )

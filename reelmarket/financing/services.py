"""Writes of Producers Connect: projects, financing plans, partners sought, documents and
who sees them, investor profiles. Keyword-only, one transaction each, permission inside.

Refusals are Django ``ValidationError`` (with the field it is about, so forms put the
message next to the field and the API answers 422 with ``body.<field>``) or
``PermissionDenied``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from reelmarket.catalogue.enums import Genre
from reelmarket.financing import documents, rules
from reelmarket.financing.enums import (
    DocumentKind,
    InvestorKind,
    PartnerKind,
    ProjectKind,
    ProjectStage,
    SourceKind,
    SourceStatus,
)
from reelmarket.financing.inputs import InvestorData, PartnerData, ProjectData, SourceData
from reelmarket.financing.models import (
    FinancingSource,
    InvestorProfile,
    PartnerSought,
    Project,
    ProjectDocument,
    ProjectMember,
)
from reelmarket.financing.money import UnknownCurrency, to_usd
from reelmarket.financing.storage import private_storage
from reelmarket.market.models import Participant
from reelmarket.market.rules import participant_of
from reelmarket.market.validators import validate_country, validate_language_tag
from reelmarket.web.formatting import money

logger = logging.getLogger(__name__)

MAX_AMOUNT = Decimal("999999999999.99")  # 14 digits, 2 decimals
MAX_LIST = 30


@dataclass
class _Errors:
    """Collects field errors, raises them together."""

    found: dict[str, list[str]] = field(default_factory=dict)

    def add(self, name: str, message: str) -> None:
        self.found.setdefault(name, []).append(message)

    def raise_any(self) -> None:
        if self.found:
            raise ValidationError(self.found)


# ---- checks ---------------------------------------------------------------------------------


def _choice(errors: _Errors, name: str, value: str, choices: Any, label: str) -> None:
    if value not in choices.values:
        errors.add(
            name, _("“%(value)s” is not a known %(what)s.") % {"value": value, "what": label}
        )


def _choices(errors: _Errors, name: str, values: Sequence[str], choices: Any, label: str) -> None:
    if len(values) > MAX_LIST:
        errors.add(name, _("At most %(n)d values.") % {"n": MAX_LIST})
    for value in values:
        _choice(errors, name, value, choices, label)


def _countries(errors: _Errors, name: str, values: Sequence[str]) -> None:
    if len(values) > MAX_LIST:
        errors.add(name, _("At most %(n)d countries.") % {"n": MAX_LIST})
    for value in values:
        try:
            validate_country(value)
        except ValidationError as exc:
            errors.add(name, " ".join(exc.messages))


def _currency(errors: _Errors, name: str, value: str) -> None:
    try:
        to_usd(Decimal("1"), value)
    except (UnknownCurrency, ValueError):
        errors.add(
            name,
            _("“%(value)s” is not a currency of the market (use USD, HKD, CNY, EUR …).")
            % {"value": value},
        )


def _amount(errors: _Errors, name: str, value: Decimal, *, positive: bool) -> None:
    if value is None or not Decimal(value).is_finite():
        errors.add(name, _("Enter an amount."))
    elif value < 0 or (positive and value == 0):
        errors.add(
            name,
            _("The amount must be more than zero.")
            if positive
            else _("The amount cannot be negative."),
        )
    elif value > MAX_AMOUNT:
        errors.add(name, _("The amount is too large."))
    elif Decimal(value).as_tuple().exponent < -2:  # type: ignore[operator]
        errors.add(name, _("Use at most two decimals."))


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(v.strip() for v in values if v and v.strip()))


def _upper(values: Iterable[str]) -> list[str]:
    return _unique(v.upper() for v in values)


def _secured_total(project: Project) -> Decimal:
    total = project.sources.filter(status=SourceStatus.SECURED).aggregate(s=Sum("amount"))["s"]
    return total or Decimal("0")


def _editable(actor: Any, project: Project) -> None:
    if not rules.may_edit_project(actor, project):
        raise PermissionDenied(
            _("Only the producer, their colleagues and the organisers edit this project.")
        )


def _locked(project: Project) -> Project:
    return Project.objects.select_for_update().get(pk=project.pk)


# ---- projects -------------------------------------------------------------------------------


def _check_project(data: ProjectData) -> ProjectData:
    errors = _Errors()
    title = data.title.strip()
    if not title:
        errors.add("title", _("Give the project a title."))
    elif len(title) > 200:
        errors.add("title", _("At most 200 characters."))
    _choice(errors, "kind", data.kind, ProjectKind, _("kind of project"))
    _choice(errors, "stage", data.stage, ProjectStage, _("stage"))
    _amount(errors, "budget", data.budget, positive=True)
    currency = (data.currency or "").strip().upper()
    _currency(errors, "currency", currency)
    genres = _unique(data.genres)
    _choices(errors, "genres", genres, Genre, _("genre"))
    countries, markets = _upper(data.countries), _upper(data.target_markets)
    _countries(errors, "countries", countries)
    _countries(errors, "target_markets", markets)
    languages = _unique(data.shooting_languages)
    for name, values in (("language", [data.language or "en"]), ("shooting_languages", languages)):
        for value in values:
            try:
                validate_language_tag(value)
            except ValidationError as exc:
                errors.add(name, " ".join(exc.messages))
    for name, value, high in (
        ("runtime_minutes", data.runtime_minutes, 1000),
        ("episodes", data.episodes, 1000),
    ):
        if value is not None and not 1 <= value <= high:
            errors.add(name, _("Enter a number from 1 to %(high)d.") % {"high": high})
    if len(data.logline) > 300:
        errors.add("logline", _("At most 300 characters."))
    if len(data.original_title) > 200:
        errors.add("original_title", _("At most 200 characters."))
    errors.raise_any()
    return ProjectData(
        **{
            **data.__dict__,
            "title": title,
            "currency": currency,
            "genres": genres,
            "countries": countries,
            "target_markets": markets,
            "shooting_languages": languages,
            "original_title": data.original_title.strip(),
            "logline": data.logline.strip(),
            "synopsis": data.synopsis.strip(),
        }
    )


def project_save(*, actor: Any, data: ProjectData, project: Project | None = None) -> Project:
    """Create a project (the actor, a producer, owns it) or update ``project``.

    The production company is the owner's confirmed organisation (never chosen freely, so
    nobody can file a project under someone else's company). A budget below the secured
    financing is refused; so is a change of currency while the plan has lines.
    """
    data = _check_project(data)
    with transaction.atomic():
        if project is None:
            if not rules.may_create_project(actor):
                raise PermissionDenied(_("Only producers list projects."))
            owner = participant_of(actor)
            project = Project(
                owner=owner,
                organisation_id=owner.organisation_id if owner.organisation_confirmed else None,
            )
        else:
            _editable(actor, project)
            project = _locked(project)
            errors = _Errors()
            secured = _secured_total(project)
            if data.budget < secured:
                errors.add(
                    "budget",
                    _("The budget cannot be below the financing already secured (%(amount)s).")
                    % {"amount": money(secured, project.currency)},
                )
            if data.currency != project.currency and project.sources.exists():
                errors.add(
                    "currency",
                    _(
                        "Remove the financing plan's lines before changing the currency: "
                        "they are in %(currency)s."
                    )
                    % {"currency": project.currency},
                )
            errors.raise_any()
        for name, value in data.__dict__.items():
            setattr(project, name, list(value) if isinstance(value, list | tuple) else value)
        project.full_clean(exclude=["owner", "organisation"])
        project.save()
    return project


def project_delete(*, actor: Any, project: Project) -> None:
    """Delete the project with its plan, team, partners and documents (files included)."""
    if not rules.may_delete_project(actor, project):
        raise PermissionDenied(_("Only the producer and the organisers delete a project."))
    with transaction.atomic():
        names = list(project.documents.values_list("file", flat=True))
        project.delete()
        transaction.on_commit(lambda: _delete_files(names))


# ---- team -----------------------------------------------------------------------------------


def team_member_add(
    *,
    actor: Any,
    project: Project,
    name: str,
    role: str,
    bio: str = "",
    participant: Participant | None = None,
) -> ProjectMember:
    _editable(actor, project)
    errors = _Errors()
    name, role = name.strip(), role.strip()
    if not name:
        errors.add("name", _("Enter the person's name."))
    elif len(name) > 150:
        errors.add("name", _("At most 150 characters."))
    if not role:
        errors.add("role", _("Enter the person's role (director, producer, writer …)."))
    elif len(role) > 80:
        errors.add("role", _("At most 80 characters."))
    errors.raise_any()
    with transaction.atomic():
        _locked(project)
        position = project.team.count()
        return ProjectMember.objects.create(
            project=project,
            name=name,
            role=role,
            bio=bio.strip(),
            participant=participant,
            position=position,
        )


def team_member_remove(*, actor: Any, member: ProjectMember) -> None:
    _editable(actor, member.project)
    with transaction.atomic():
        member.delete()


# ---- financing plan -------------------------------------------------------------------------


def _check_source(data: SourceData) -> SourceData:
    errors = _Errors()
    _choice(errors, "kind", data.kind, SourceKind, _("type of financing"))
    _choice(errors, "status", data.status, SourceStatus, _("status"))
    name = data.name.strip()
    if not name:
        errors.add("name", _("Name the source (e.g. the fund, the distributor)."))
    elif len(name) > 200:
        errors.add("name", _("At most 200 characters."))
    _amount(errors, "amount", data.amount, positive=True)
    country = data.country.strip().upper()
    if country:
        _countries(errors, "country", [country])
    errors.raise_any()
    return SourceData(
        kind=data.kind, name=name, amount=data.amount, status=data.status, country=country
    )


def _check_fits_budget(project: Project, *, secured: Decimal) -> None:
    if secured > project.budget:
        raise ValidationError(
            {
                "amount": [
                    _(
                        "The secured sources would add up to %(secured)s, more than the budget "
                        "of %(budget)s. Raise the budget first, or mark the source as pending."
                    )
                    % {
                        "secured": money(secured, project.currency),
                        "budget": money(project.budget, project.currency),
                    }
                ]
            }
        )


def source_add(*, actor: Any, project: Project, data: SourceData) -> FinancingSource:
    """Add a line to the financing plan (in the project's currency)."""
    _editable(actor, project)
    data = _check_source(data)
    with transaction.atomic():
        project = _locked(project)
        if data.status == SourceStatus.SECURED:
            _check_fits_budget(project, secured=_secured_total(project) + data.amount)
        return FinancingSource.objects.create(project=project, **data.__dict__)


def source_update(*, actor: Any, source: FinancingSource, data: SourceData) -> FinancingSource:
    _editable(actor, source.project)
    data = _check_source(data)
    with transaction.atomic():
        project = _locked(source.project)
        source = FinancingSource.objects.select_for_update().get(pk=source.pk, project=project)
        others = _secured_total(project) - (
            source.amount if source.status == SourceStatus.SECURED else 0
        )
        if data.status == SourceStatus.SECURED:
            _check_fits_budget(project, secured=others + data.amount)
        for name, value in data.__dict__.items():
            setattr(source, name, value)
        source.save()
    return source


def source_remove(*, actor: Any, source: FinancingSource) -> None:
    _editable(actor, source.project)
    with transaction.atomic():
        _locked(source.project)
        FinancingSource.objects.filter(pk=source.pk).delete()


# ---- partners sought ------------------------------------------------------------------------


def partner_sought_set(
    *, actor: Any, project: Project, partners: Iterable[PartnerData]
) -> list[PartnerSought]:
    """Replace what the project looks for: co-producer from country X, sales agent …"""
    _editable(actor, project)
    errors = _Errors()
    rows: dict[tuple[str, str], PartnerData] = {}
    for partner in partners:
        _choice(errors, "partners", partner.kind, PartnerKind, _("kind of partner"))
        country = partner.country.strip().upper()
        if country:
            _countries(errors, "partners", [country])
        if len(partner.note) > 200:
            errors.add("partners", _("A note has at most 200 characters."))
        rows.setdefault(
            (partner.kind, country), PartnerData(partner.kind, country, partner.note.strip())
        )
    if len(rows) > MAX_LIST:
        errors.add("partners", _("At most %(n)d partners.") % {"n": MAX_LIST})
    errors.raise_any()
    with transaction.atomic():
        _locked(project)
        project.partners_sought.all().delete()
        return PartnerSought.objects.bulk_create(
            [
                PartnerSought(project=project, kind=p.kind, country=p.country, note=p.note)
                for p in rows.values()
            ]
        )


# ---- documents ------------------------------------------------------------------------------


def _delete_files(names: Iterable[str]) -> None:
    storage = private_storage()
    for name in names:
        try:
            storage.delete(name)
        except OSError:  # already gone; nothing to undo
            logger.warning("Could not delete project document %s", name)


def document_add(*, actor: Any, project: Project, kind: str, upload: Any) -> ProjectDocument:
    """Check the file (type by content, size) and keep it in private storage.

    Nothing is written when a check fails; the file is removed again if the transaction
    rolls back.
    """
    _editable(actor, project)
    errors = _Errors()
    _choice(errors, "kind", kind, DocumentKind, _("kind of document"))
    errors.raise_any()
    try:
        found = documents.check_upload(upload)
    except ValidationError as exc:
        raise ValidationError({"file": exc.error_list}) from None
    stored: str | None = None
    try:
        with transaction.atomic():
            project = _locked(project)
            document = ProjectDocument(
                project=project,
                kind=kind,
                original_name=documents.clean_name(upload.name),
                content_type=found.content_type,
                size=upload.size,
            )
            upload.seek(0)
            name = documents.storage_name(project_id=project.pk, document_type=found)
            document.file.save(name, upload, save=False)
            stored = document.file.name
            document.save()
    except Exception:
        if stored:
            _delete_files([stored])
        raise
    return document


def document_remove(*, actor: Any, document: ProjectDocument) -> None:
    _editable(actor, document.project)
    with transaction.atomic():
        name = document.file.name
        ProjectDocument.objects.filter(pk=document.pk).delete()
        transaction.on_commit(lambda: _delete_files([name]))


def document_access_grant(*, actor: Any, project: Project, participant: Participant) -> None:
    """Let ``participant`` open the project's documents."""
    _editable(actor, project)
    if participant.pk == project.owner_id:
        raise ValidationError({"participant": [_("The producer sees the documents already.")]})
    with transaction.atomic():
        project.document_viewers.add(participant)


def document_access_revoke(*, actor: Any, project: Project, participant: Participant) -> None:
    _editable(actor, project)
    with transaction.atomic():
        project.document_viewers.remove(participant)


# ---- investor profiles ----------------------------------------------------------------------


def investor_profile_save(
    *, actor: Any, participant: Participant, data: InvestorData
) -> InvestorProfile:
    """Create or update ``participant``'s investor profile."""
    if not rules.may_edit_investor_profile(actor, participant):
        raise PermissionDenied(
            _("Only the investor themselves and the organisers edit this profile.")
        )
    if not rules.may_keep_investor_profile(participant):
        raise PermissionDenied(
            _("Investor profiles are for investors and for staff of financiers and foundations.")
        )
    errors = _Errors()
    _choice(errors, "kind", data.kind, InvestorKind, _("kind of investor"))
    _amount(errors, "ticket_min", data.ticket_min, positive=False)
    _amount(errors, "ticket_max", data.ticket_max, positive=True)
    if (
        "ticket_min" not in errors.found
        and "ticket_max" not in errors.found
        and data.ticket_min > data.ticket_max
    ):
        errors.add("ticket_max", _("The largest ticket must be at least the smallest."))
    currency = (data.currency or "").strip().upper()
    _currency(errors, "currency", currency)
    genres, kinds, stages = _unique(data.genres), _unique(data.kinds), _unique(data.stages)
    _choices(errors, "genres", genres, Genre, _("genre"))
    _choices(errors, "kinds", kinds, ProjectKind, _("kind of project"))
    _choices(errors, "stages", stages, ProjectStage, _("stage"))
    regions, treaties = _upper(data.regions), _upper(data.treaties)
    _countries(errors, "regions", regions)
    _countries(errors, "treaties", treaties)
    if len(data.impact_focus) > 2000:
        errors.add("impact_focus", _("At most 2,000 characters."))
    if len(data.statement) > 4000:
        errors.add("statement", _("At most 4,000 characters."))
    errors.raise_any()
    with transaction.atomic():
        profile, _created = InvestorProfile.objects.select_for_update().get_or_create(
            participant=participant,
            defaults={
                "kind": data.kind,
                "ticket_min": data.ticket_min,
                "ticket_max": data.ticket_max,
            },
        )
        profile.kind = data.kind
        profile.ticket_min, profile.ticket_max, profile.currency = (
            data.ticket_min,
            data.ticket_max,
            currency,
        )
        profile.genres, profile.kinds, profile.stages = genres, kinds, stages
        profile.regions, profile.treaties = regions, treaties
        profile.impact_focus, profile.statement = data.impact_focus.strip(), data.statement.strip()
        profile.save()
    return profile


__all__ = [
    "InvestorData",
    "PartnerData",
    "ProjectData",
    "SourceData",
    "document_access_grant",
    "document_access_revoke",
    "document_add",
    "document_remove",
    "investor_profile_save",
    "partner_sought_set",
    "project_delete",
    "project_save",
    "source_add",
    "source_remove",
    "source_update",
    "team_member_add",
    "team_member_remove",
]

"""Writes of the pitch forum's application side: drafts, the project behind them, and the
submission state machine.

``submission_transition`` is the one place a submission changes state: it locks the row,
checks ``enums.TRANSITIONS`` and who may make the move, runs the move's guards (submitting:
the deadline, the texts and the section's eligibility rules; selecting: the section's
places), writes the change and its ``SubmissionEvent`` and queues the applicant's e-mail for
when the transaction commits. Every public function here is one transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reelmarket.catalogue.enums import Genre
from reelmarket.financing.enums import SourceStatus
from reelmarket.financing.models import FinancingSource, Project
from reelmarket.financing.money import SUPPORTED_CURRENCIES
from reelmarket.market.rules import participant_of
from reelmarket.pitching import eligibility, tasks, texts
from reelmarket.pitching.enums import (
    APPLICANT_MOVES,
    LOCKED_STATES,
    ORGANISER_MOVES,
    TRANSITIONS,
    SubmissionState,
)
from reelmarket.pitching.errors import PitchError, PitchForbidden
from reelmarket.pitching.models import Section, Submission, SubmissionEvent
from reelmarket.pitching.rules import is_applicant, is_organiser

S = SubmissionState

# Moves that mail the applicant (see ``notifications``).
ANNOUNCED = frozenset({S.SUBMITTED, S.SELECTED, S.REJECTED})
DECISIONS = frozenset({S.SELECTED, S.REJECTED})


def _user(actor: Any) -> Any | None:
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def _applicant(actor: Any) -> Any:
    participant = participant_of(actor)
    if participant is None:
        raise PitchForbidden(_("Sign in with a participant profile to apply."))
    return participant


# ---- the project behind a submission -----------------------------------------------------


@dataclass(frozen=True)
class SourceData:
    """One line of the financing plan, in the project's currency."""

    kind: str
    name: str
    amount: Decimal
    status: str = SourceStatus.SECURED
    country: str = ""


@dataclass(frozen=True)
class ProjectData:
    """What the submission form asks about a project created or edited with it."""

    title: str
    kind: str
    stage: str
    budget: Decimal
    currency: str
    genres: Sequence[str] = ()
    runtime_minutes: int | None = None
    sources: Sequence[SourceData] = field(default_factory=tuple)


_PROJECT_FIELDS = ("title", "kind", "stage", "budget", "currency", "runtime_minutes")


def _validated(obj: Any, *, exclude: Sequence[str] = ()) -> None:
    """Model validation as a ``PitchError`` listing every message, fields kept."""
    try:
        obj.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        fields = {name: [str(m) for m in msgs] for name, msgs in exc.message_dict.items()}
        messages = [m for msgs in fields.values() for m in msgs]
        raise PitchError("invalid", messages[0], messages=messages, fields=fields) from None


def _check_project_data(data: ProjectData) -> None:
    """The rules Producers Connect applies to a project, in the pitch form's words."""
    fields: dict[str, list[str]] = {}
    if data.budget <= 0:
        fields["budget"] = [_("Give the project's total budget.")]
    if data.currency not in SUPPORTED_CURRENCIES:
        fields["currency"] = [
            _("Choose one of the market's currencies: %(list)s.")
            % {"list": ", ".join(sorted(SUPPORTED_CURRENCIES))}
        ]
    unknown = [g for g in data.genres if g not in Genre.values]
    if unknown:
        fields["genres"] = [_("Unknown genre: %(genres)s.") % {"genres": ", ".join(unknown)}]
    secured = sum(
        (s.amount for s in data.sources if s.status == SourceStatus.SECURED), Decimal("0")
    )
    if "budget" not in fields and secured > data.budget:
        fields["sources"] = [
            _(
                "The secured sources add up to %(secured)s, more than the budget of "
                "%(budget)s. Raise the budget, or mark a source as pending."
            )
            % {
                "secured": eligibility.amount(secured, data.currency),
                "budget": eligibility.amount(data.budget, data.currency),
            }
        ]
    if fields:
        messages = [m for ms in fields.values() for m in ms]
        raise PitchError("invalid", messages[0], messages=messages, fields=fields)


def _write_project(*, project: Project, data: ProjectData) -> Project:
    _check_project_data(data)
    for name in _PROJECT_FIELDS:
        setattr(project, name, getattr(data, name))
    project.title = data.title.strip()
    project.genres = [g for g in dict.fromkeys(data.genres) if g]
    _validated(project, exclude=["owner", "organisation"])
    project.save()
    project.sources.all().delete()
    sources = [
        FinancingSource(
            project=project,
            kind=s.kind,
            name=s.name,
            amount=s.amount,
            status=s.status,
            country=s.country,
        )
        for s in data.sources
    ]
    for index, source in enumerate(sources):
        try:
            source.full_clean(exclude=["project"])
        except ValidationError as exc:
            messages = [str(m) for msgs in exc.message_dict.values() for m in msgs]
            message = _("Financing source %(n)d: %(problem)s") % {
                "n": index + 1,
                "problem": " ".join(messages),
            }
            raise PitchError("invalid", message, fields={"sources": [message]}) from None
    FinancingSource.objects.bulk_create(sources)
    return project


def _company(participant: Any, project: Project) -> Any:
    """The submission's company, which the jury's conflicts of interest are checked
    against: the project's production company, else the one the applicant names (even
    unconfirmed: for conflicts, more caution is better)."""
    return project.organisation or participant.organisation


def _own_project(participant: Any, project: Project) -> Project:
    if project.owner_id != participant.pk:
        raise PitchForbidden(_("You can only submit your own projects."))
    return project


# ---- drafts ------------------------------------------------------------------------------


def _check_call_open(section: Section, now: datetime) -> None:
    problems = eligibility.deadline_messages(call=section.call, at=now)
    if problems:
        raise PitchError("deadline_passed", problems[0], fields={"section": problems})


def _set_texts(submission: Submission, values: Mapping[str, str]) -> None:
    for column in texts.TEXT_COLUMNS:
        if column in values:
            text = (values[column] or "").strip()
            if len(text) > texts.MAX_DRAFT_CHARS:
                raise PitchError(
                    "too_long",
                    _("This text is far too long to save (%(n)d characters).") % {"n": len(text)},
                    fields={column: [_("This text is far too long to save.")]},
                )
            setattr(submission, column, text)


# ``poster=UNCHANGED`` leaves the poster as it is (``None`` removes it).
UNCHANGED: Any = object()


def _set_media(
    submission: Submission, *, screeners: Sequence[str] | None, poster: UploadedFile | Any | None
) -> None:
    if screeners is not None:
        links = [s.strip() for s in screeners if s and s.strip()]
        if len(links) > 2:
            raise PitchError(
                "too_many_screeners",
                _("Give at most two screener links."),
                fields={"screener_2": [_("Give at most two screener links.")]},
            )
        links += ["", ""]
        submission.screener_1, submission.screener_2 = links[0], links[1]
    if poster is not UNCHANGED:
        submission.poster = poster or ""


def _save_draft(submission: Submission) -> Submission:
    _validated(submission, exclude=["call", "section", "project", "applicant", "organisation"])
    try:
        with transaction.atomic():
            submission.save()
    except IntegrityError:
        raise PitchError(
            "duplicate",
            _("“%(title)s” is already submitted to %(call)s.")
            % {"title": submission.project.title, "call": submission.call.name},
            fields={"project": [_("This project already has a submission to this call.")]},
        ) from None
    return submission


def submission_create(
    *,
    actor: Any,
    section: Section,
    project: Project | None = None,
    project_data: ProjectData | None = None,
    values: Mapping[str, str] | None = None,
    screeners: Sequence[str] = (),
    poster: UploadedFile | None = None,
    now: datetime | None = None,
) -> Submission:
    """Start a draft in ``section`` for one of the actor's projects, or a new project made
    from ``project_data``. Refused outside the call's dates."""
    participant = _applicant(actor)
    now = now or timezone.now()
    _check_call_open(section, now)
    if (project is None) == (project_data is None):
        raise PitchError(
            "project_required",
            _("Choose one of your projects or describe a new one."),
            fields={"project": [_("Choose one of your projects or describe a new one.")]},
        )
    with transaction.atomic():
        if project is None:
            assert project_data is not None
            # As in Producers Connect: the company is the owner's confirmed organisation.
            company = participant.organisation if participant.organisation_confirmed else None
            project = _write_project(
                project=Project(owner=participant, organisation=company), data=project_data
            )
        else:
            _own_project(participant, project)
        submission = Submission(
            call=section.call,
            section=section,
            project=project,
            applicant=participant,
            organisation=_company(participant, project),
        )
        _set_texts(submission, values or {})
        _set_media(submission, screeners=screeners, poster=poster)
        _save_draft(submission)
        SubmissionEvent.objects.create(
            submission=submission, actor=_user(actor), from_state="", to_state=S.DRAFT
        )
        return submission


def _lock(submission: Submission) -> Submission:
    return (
        Submission.objects.select_for_update(of=("self",))
        .select_related("call__edition", "section", "project", "applicant__user")
        .get(pk=submission.pk)
    )


def submission_update(
    *,
    actor: Any,
    submission: Submission,
    section: Section | None = None,
    project: Project | None = None,
    project_data: ProjectData | None = None,
    values: Mapping[str, str] | None = None,
    screeners: Sequence[str] | None = None,
    poster: UploadedFile | Any | None = UNCHANGED,
) -> Submission:
    """Change a draft: section (same call), project (another of the actor's, or edit the
    current one with ``project_data``), texts (only the columns given), screeners, poster
    (``None`` removes it). Submitted texts are locked."""
    with transaction.atomic():
        locked = _lock(submission)
        if not is_applicant(actor, locked):
            raise PitchForbidden(_("Only the applicant may change this submission."))
        if locked.state in LOCKED_STATES:
            raise PitchError(
                "locked",
                _("This submission is %(state)s; its texts can no longer change.")
                % {"state": S(locked.state).label.lower()},
            )
        participant = locked.applicant
        if section is not None and section.pk != locked.section_id:
            if section.call_id != locked.call_id:
                raise PitchError(
                    "bad_section",
                    _("Choose a section of %(call)s.") % {"call": locked.call.name},
                    fields={"section": [_("Choose a section of this call.")]},
                )
            locked.section = section
        if project is not None and project.pk != locked.project_id:
            locked.project = _own_project(participant, project)
            locked.organisation = _company(participant, project)
        if project_data is not None:
            _write_project(project=_own_project(participant, locked.project), data=project_data)
        _set_texts(locked, values or {})
        _set_media(locked, screeners=screeners, poster=poster)
        return _save_draft(locked)


def submission_delete(*, actor: Any, submission: Submission) -> None:
    """Discard a draft that was never submitted (its project stays)."""
    with transaction.atomic():
        locked = _lock(submission)
        if not is_applicant(actor, locked):
            raise PitchForbidden(_("Only the applicant may delete this submission."))
        if locked.state != S.DRAFT:
            raise PitchError(
                "locked", _("Only a draft can be deleted; withdraw a submitted project instead.")
            )
        locked.delete()


# ---- submitting --------------------------------------------------------------------------


def submit_problems(*, submission: Submission, at: datetime) -> tuple[str, list[str], dict]:
    """Why ``submission`` cannot be submitted at ``at``: (code, messages, per-field messages).

    Empty messages: it can. The form shows these before the applicant presses submit."""
    values = texts.values_of(submission)
    fields: dict[str, list[str]] = {}
    deadline = eligibility.deadline_messages(call=submission.call, at=at)
    rules = eligibility.check(
        section=submission.section, facts=eligibility.facts_of(submission.project), at=at
    )[len(deadline) :]
    completeness = []
    if submission.project.budget <= 0:
        completeness.append(_("Give the project's total budget."))
    missing = texts.missing_message(values)
    if missing:
        completeness.append(missing)
    for column, message in texts.limit_errors(values).items():
        completeness.append(message)
        fields[column] = [message]
    messages = [*deadline, *rules, *completeness]
    if deadline:
        code = "deadline_passed"
    elif rules:
        code = "not_eligible"
    elif completeness:
        code = "incomplete"
    else:
        code = ""
    return code, messages, fields


def financing_snapshot(project: Project, *, at: datetime) -> dict[str, Any]:
    """The budget and financing plan as submitted (JSON: amounts as strings)."""
    sources = list(project.sources.all())
    secured = sum((s.amount for s in sources if s.status == SourceStatus.SECURED), Decimal("0"))
    budget = project.budget
    return {
        "taken_at": at.isoformat(),
        "title": project.title,
        "kind": project.kind,
        "stage": project.stage,
        "genres": list(project.genres or []),
        "runtime_minutes": project.runtime_minutes,
        "currency": project.currency,
        "budget": str(budget),
        "secured": str(secured),
        "gap": str(max(budget - secured, Decimal("0"))),
        "secured_share": str(
            (min(secured / budget, Decimal("1")) if budget else Decimal("0")).quantize(
                Decimal("0.001")
            )
        ),
        "sources": [
            {
                "kind": s.kind,
                "name": s.name,
                "country": s.country,
                "amount": str(s.amount),
                "status": s.status,
            }
            for s in sources
        ],
    }


def _guard_submit(locked: Submission, now: datetime) -> None:
    # The project row is locked too, so the snapshot and the checks see one financing plan.
    locked.project = Project.objects.select_for_update().get(pk=locked.project_id)
    code, messages, fields = submit_problems(submission=locked, at=now)
    if messages:
        raise PitchError(code, messages[0], messages=messages, fields=fields)
    locked.snapshot = financing_snapshot(locked.project, at=now)
    locked.submitted_at = now


def _guard_select(locked: Submission) -> None:
    section = Section.objects.select_for_update().get(pk=locked.section_id)
    if section.max_selected is None:
        return
    taken = Submission.objects.filter(section=section, state=S.SELECTED).count()
    if taken >= section.max_selected:
        raise PitchError(
            "section_full",
            _("All %(places)d places in %(section)s are taken.")
            % {"places": section.max_selected, "section": section.name},
        )


def _check_move(actor: Any, locked: Submission, to_state: str) -> None:
    applicant, organiser = is_applicant(actor, locked), is_organiser(actor)
    if not (applicant or organiser):
        raise PitchForbidden(_("You may not change this submission."))
    move = (locked.state, to_state)
    if to_state not in TRANSITIONS[S(locked.state)]:
        raise PitchError(
            "invalid_transition",
            _("A submission that is %(from)s cannot become %(to)s.")
            % {"from": S(locked.state).label.lower(), "to": S(to_state).label.lower()},
        )
    if move in APPLICANT_MOVES and not applicant:
        raise PitchForbidden(_("Only the applicant may submit or withdraw a submission."))
    if move in ORGANISER_MOVES and not organiser:
        raise PitchForbidden(_("Only the organisers may shortlist, select or reject."))


def submission_transition(
    *,
    actor: Any,
    submission: Submission,
    to_state: str,
    note: str = "",
    now: datetime | None = None,
) -> Submission:
    """Move ``submission`` to ``to_state`` (see the module docstring). Returns the fresh,
    moved row; raises ``PitchError`` (``PitchForbidden`` for the wrong person)."""
    if to_state not in S.values:
        raise PitchError("invalid_state", _("“%(state)s” is not a status.") % {"state": to_state})
    to_state = S(to_state)
    now = now or timezone.now()
    with transaction.atomic():
        if to_state == S.SELECTED:
            # Section first, then the submission: concurrent selections in one section
            # queue on the section row in the same order, never deadlock.
            Section.objects.select_for_update().filter(pk=submission.section_id).first()
        locked = _lock(submission)
        _check_move(actor, locked, to_state)
        from_state = locked.state
        if to_state == S.SUBMITTED:
            _guard_submit(locked, now)
        elif to_state == S.SELECTED:
            _guard_select(locked)
        if to_state in DECISIONS:
            locked.decided_at = now
        locked.state = to_state
        # Conditional write: with the row locked it always matches; the belt to the braces.
        changed = Submission.objects.filter(pk=locked.pk, state=from_state).update(
            state=to_state,
            snapshot=locked.snapshot,
            submitted_at=locked.submitted_at,
            decided_at=locked.decided_at,
            updated_at=now,
        )
        if changed != 1:
            raise PitchError("conflict", _("The submission changed meanwhile; please reload."))
        SubmissionEvent.objects.create(
            submission=locked,
            actor=_user(actor),
            from_state=from_state,
            to_state=to_state,
            note=note[:2000],
        )
        if to_state in ANNOUNCED:
            tasks.announce(submission_id=locked.pk, event=to_state)
    return locked


def submission_submit(
    *, actor: Any, submission: Submission, now: datetime | None = None
) -> Submission:
    return submission_transition(actor=actor, submission=submission, to_state=S.SUBMITTED, now=now)


def submission_withdraw(*, actor: Any, submission: Submission, note: str = "") -> Submission:
    return submission_transition(
        actor=actor, submission=submission, to_state=S.WITHDRAWN, note=note
    )

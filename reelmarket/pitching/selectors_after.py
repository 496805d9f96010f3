"""Reads of the pitch forum after selection: the programme of pitch sessions with each
slot's time, the public dossiers of selected projects, the financiers' meeting wishes.

Only *selected* submissions are ever public: every public read here starts from
``public_submissions``. The dashboard's figures are in ``selectors_dashboard``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Count, Prefetch, QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from reelmarket.financing.enums import ProjectStage
from reelmarket.market.enums import Vetting
from reelmarket.market.models import Edition, Participant, Registration
from reelmarket.meetings.enums import Priority
from reelmarket.pitching.enums import SectionKind, SubmissionState, TextField
from reelmarket.pitching.models import (
    Award,
    Call,
    MeetingWish,
    PitchSession,
    PitchSlot,
    Submission,
)

S = SubmissionState

# Project stages whose pitch may add footage (works in progress), besides the WIP section.
FOOTAGE_STAGES = frozenset({ProjectStage.PRODUCTION, ProjectStage.POST_PRODUCTION})


# ---- calls ------------------------------------------------------------------------------------


def call_of(*, edition: Edition, slug: str) -> Call:
    """The edition's call with ``slug``; raises ``Call.DoesNotExist``."""
    return Call.objects.select_related("edition").get(edition=edition, slug=slug)


# ---- slot timing (pure) -----------------------------------------------------------------------


def is_work_in_progress(submission: Submission) -> bool:
    """A work in progress may show footage after its pitch: the WIP section, or a project
    already shooting or in post-production."""
    return (
        submission.section.kind == SectionKind.WORK_IN_PROGRESS
        or submission.project.stage in FOOTAGE_STAGES
    )


@dataclass(frozen=True)
class SlotTime:
    order: int  # 1-based position in the running order
    starts_at: datetime
    ends_at: datetime  # end of the pitch and its footage (the changeover follows)
    footage_minutes: int


def slot_times(
    *,
    starts_at: datetime,
    pitch_minutes: int,
    footage_minutes: int,
    changeover_minutes: int,
    wip: Sequence[bool],
) -> list[SlotTime]:
    """The running order's times: each pitch takes ``pitch_minutes`` plus, for works in
    progress, ``footage_minutes``; a changeover separates two pitches (none after the last)."""
    times: list[SlotTime] = []
    at = starts_at
    for i, with_footage in enumerate(wip):
        footage = footage_minutes if with_footage else 0
        end = at + timedelta(minutes=pitch_minutes + footage)
        times.append(SlotTime(order=i + 1, starts_at=at, ends_at=end, footage_minutes=footage))
        at = end + timedelta(minutes=changeover_minutes)
    return times


def session_end(
    *,
    starts_at: datetime,
    pitch_minutes: int,
    footage_minutes: int,
    changeover_minutes: int,
    wip: Sequence[bool],
) -> datetime:
    """When the session ends. An empty session counts as one pitch, so that it holds its
    room from the start (the programme shows it before projects are placed)."""
    times = slot_times(
        starts_at=starts_at,
        pitch_minutes=pitch_minutes,
        footage_minutes=footage_minutes,
        changeover_minutes=changeover_minutes,
        wip=list(wip) or [False],
    )
    return times[-1].ends_at


# ---- the programme ----------------------------------------------------------------------------


@dataclass
class SlotView:
    slot: PitchSlot
    submission: Submission
    time: SlotTime


@dataclass
class SessionView:
    session: PitchSession
    slots: list[SlotView] = field(default_factory=list)
    ends_at: datetime | None = None


def _slot_submissions() -> QuerySet[Submission]:
    return Submission.objects.select_related("section", "project", "applicant", "organisation")


def session_view(session: PitchSession) -> SessionView:
    """One session with its running order and times (slots prefetched or queried)."""
    slots = list(session.slots.all())
    slots.sort(key=lambda s: s.order)
    times = slot_times(
        starts_at=session.starts_at,
        pitch_minutes=session.pitch_minutes,
        footage_minutes=session.footage_minutes,
        changeover_minutes=session.changeover_minutes,
        wip=[is_work_in_progress(s.submission) for s in slots],
    )
    view = SessionView(session=session)
    view.slots = [
        SlotView(slot=s, submission=s.submission, time=t) for s, t in zip(slots, times, strict=True)
    ]
    view.ends_at = session_end(
        starts_at=session.starts_at,
        pitch_minutes=session.pitch_minutes,
        footage_minutes=session.footage_minutes,
        changeover_minutes=session.changeover_minutes,
        wip=[is_work_in_progress(s.submission) for s in slots],
    )
    return view


def sessions_of(*, call: Call) -> QuerySet[PitchSession]:
    return (
        PitchSession.objects.filter(call=call)
        .select_related("section", "call__edition")
        .prefetch_related(
            Prefetch(
                "slots",
                queryset=PitchSlot.objects.select_related(
                    "submission__section",
                    "submission__project",
                    "submission__applicant",
                    "submission__organisation",
                ).order_by("order"),
            )
        )
        .order_by("starts_at", "id")
    )


def programme(*, call: Call) -> list[SessionView]:
    """Every pitch session of the call in time order, with slot times."""
    return [session_view(s) for s in sessions_of(call=call)]


def pitch_slot_of(*, submission: Submission) -> SlotView | None:
    """The submission's slot in the programme (for its dossier and the applicant)."""
    slot = PitchSlot.objects.filter(submission=submission).select_related("session").first()
    if slot is None:
        return None
    session = sessions_of(call=submission.call).get(pk=slot.session_id)
    view = session_view(session)
    return next((s for s in view.slots if s.submission.pk == submission.pk), None)


def unscheduled_selected(*, call: Call) -> QuerySet[Submission]:
    """Selected projects not yet in any pitch session (the organiser's pick list)."""
    return (
        public_submissions(call=call)
        .filter(pitch_slot__isnull=True)
        .select_related("section", "project")
        .order_by("section__position", "project__title")
    )


# ---- public dossiers --------------------------------------------------------------------------


def public_submissions(*, call: Call) -> QuerySet[Submission]:
    """The only submissions ever shown to the public: the selected ones."""
    return Submission.objects.filter(call=call, state=S.SELECTED)


def dossier_queryset(*, call: Call) -> QuerySet[Submission]:
    return (
        Submission.objects.filter(call=call)
        .select_related("section", "project", "applicant", "organisation", "call__edition")
        .prefetch_related(
            "project__team",
            "project__sources",
            "project__partners_sought",
            Prefetch("awards", queryset=Award.objects.order_by("name")),
        )
    )


@dataclass(frozen=True)
class ProjectFilters:
    section: str = ""  # section code
    country: str = ""  # ISO code of a production country
    genre: str = ""


@dataclass
class ProjectList:
    items: list[Submission]
    sections: list[tuple[str, str]]  # (code, name) of the call's sections with projects
    countries: list[str]
    genres: list[str]
    total: int


def selected_projects(*, call: Call, filters: ProjectFilters) -> ProjectList:
    """Selected projects of the call with the filter's facets (at most a few dozen rows, so
    the JSON list fields are filtered in Python on every database)."""
    rows = list(
        dossier_queryset(call=call)
        .filter(state=S.SELECTED)
        .order_by("section__position", "section__id", "project__title", "id")
    )
    sections: dict[str, str] = {}
    countries: set[str] = set()
    genres: set[str] = set()
    for s in rows:
        sections.setdefault(s.section.code, s.section.name)
        countries.update(s.project.countries or [])
        genres.update(s.project.genres or [])
    items = [
        s
        for s in rows
        if (not filters.section or s.section.code == filters.section)
        and (not filters.country or filters.country in (s.project.countries or []))
        and (not filters.genre or filters.genre in (s.project.genres or []))
    ]
    return ProjectList(
        items=items,
        sections=list(sections.items()),
        countries=sorted(countries),
        genres=sorted(genres),
        total=len(rows),
    )


def text_languages(submission: Submission) -> list[str]:
    """The languages ("en", "zh") in which the submission has any text."""
    return [
        lang
        for lang in ("en", "zh")
        if any(submission.text(f, lang).strip() for f in TextField.values)
    ]


def preferred_text_language(submission: Submission, asked: str = "") -> str:
    """The language to show: the one asked for when it has texts, else the viewer's
    (any Chinese interface language prefers the Chinese texts), else the first present."""
    present = text_languages(submission) or ["en"]
    if asked in present:
        return asked
    viewer = (translation.get_language() or "en").lower()
    wanted = "zh" if viewer.startswith("zh") else "en"
    return wanted if wanted in present else present[0]


def dossier_texts(submission: Submission, language: str) -> list[tuple[str, str, str]]:
    """(field, label, text) of the texts present in ``language``, in the form's order."""
    return [
        (f.value, str(f.label), submission.text(f.value, language))
        for f in TextField
        if submission.text(f.value, language).strip()
    ]


@dataclass(frozen=True)
class Money:
    budget: Decimal
    secured: Decimal
    gap: Decimal
    currency: str
    secured_percent: int


def financing_of(submission: Submission) -> Money:
    project = submission.project
    secured = project.secured_amount()
    share = project.secured_share()
    return Money(
        budget=project.budget,
        secured=secured,
        gap=project.gap(),
        currency=project.currency,
        secured_percent=int((share * 100).to_integral_value()),
    )


# ---- wishes -----------------------------------------------------------------------------------


def priority_label(wish: MeetingWish) -> str:
    """The wish's priority in words (the column stores a ``meetings.Priority`` value)."""
    try:
        return str(Priority(wish.priority).label)
    except ValueError:
        return wish.priority


def _labelled(wishes: Iterable[MeetingWish]) -> list[MeetingWish]:
    out = list(wishes)
    for wish in out:
        wish.priority_label = priority_label(wish)  # type: ignore[attr-defined]
    return out


def wish_of(*, submission: Submission, participant: Participant | None) -> MeetingWish | None:
    if participant is None:
        return None
    found = MeetingWish.objects.filter(submission=submission, participant=participant)
    return next(iter(_labelled(found)), None)


def wishes_of(*, call: Call, participant: Participant) -> list[MeetingWish]:
    return _labelled(
        MeetingWish.objects.filter(submission__call=call, participant=participant)
        .select_related("submission__project", "submission__section", "request")
        .order_by("submission__project__title")
    )


def wishes_for_call(*, call: Call) -> list[MeetingWish]:
    return _labelled(
        MeetingWish.objects.filter(submission__call=call)
        .select_related(
            "participant__organisation",
            "submission__project",
            "submission__section",
            "submission__applicant",
            "request",
        )
        .order_by("submission__project__title", "participant__display_name", "id")
    )


def pending_wishes(*, call: Call) -> QuerySet[MeetingWish]:
    """Wishes not yet turned into a meeting request."""
    return MeetingWish.objects.filter(submission__call=call, request__isnull=True)


def pending_reasons(*, call: Call, wishes: Iterable[MeetingWish]) -> dict[int, str]:
    """Why pending wishes cannot become meeting requests (wish id -> reason), from a few
    queries: the project is no longer selected, a "no thanks" stands between the two, or
    one of them is not an approved participant of the edition. Wishes absent from the
    result are simply waiting for the next build."""
    from reelmarket.meetings.models import PairBlock

    waiting = [w for w in wishes if w.request_id is None]
    if not waiting:
        return {}
    edition = call.edition
    people = {w.participant_id for w in waiting} | {w.submission.applicant_id for w in waiting}
    approved = set(
        Registration.objects.filter(
            edition=edition, participant_id__in=people, vetting=Vetting.APPROVED
        ).values_list("participant_id", flat=True)
    )
    blocked = set(
        PairBlock.objects.filter(
            edition=edition, low_id__in=people, high_id__in=people
        ).values_list("low_id", "high_id")
    )
    reasons = {}
    for w in waiting:
        producer = w.submission.applicant
        if w.submission.state != S.SELECTED:
            reasons[w.pk] = _("The project is no longer selected.")
        elif tuple(sorted((w.participant_id, producer.pk))) in blocked:
            reasons[w.pk] = _("A “no thanks” stands between them.")
        elif producer.pk not in approved:
            reasons[w.pk] = _("%(name)s is not an approved participant of the edition.") % {
                "name": producer.display_name
            }
        elif w.participant_id not in approved:
            reasons[w.pk] = _("%(name)s is not an approved participant of the edition.") % {
                "name": w.participant.display_name
            }
    return reasons


@dataclass
class WishGroup:
    key: object  # the Submission or the Participant
    wishes: list[MeetingWish]

    @property
    def pending(self) -> int:
        return sum(1 for w in self.wishes if w.request_id is None)


def wishes_overview(*, call: Call) -> tuple[list[WishGroup], list[WishGroup]]:
    """Wishes grouped per project and per financier; pending ones say what stops them."""
    by_project: dict[int, WishGroup] = {}
    by_person: dict[int, WishGroup] = {}
    wishes = wishes_for_call(call=call)
    reasons = pending_reasons(call=call, wishes=wishes)
    for wish in wishes:
        wish.blocker = reasons.get(wish.pk, "")  # type: ignore[attr-defined]
        by_project.setdefault(wish.submission_id, WishGroup(wish.submission, [])).wishes.append(
            wish
        )
        by_person.setdefault(wish.participant_id, WishGroup(wish.participant, [])).wishes.append(
            wish
        )
    people = sorted(by_person.values(), key=lambda g: g.key.display_name.lower())  # type: ignore[attr-defined]
    return list(by_project.values()), people


def wish_counts(*, call: Call) -> dict[int, int]:
    """Wishes per selected submission id."""
    return dict(
        MeetingWish.objects.filter(submission__call=call)
        .values_list("submission_id")
        .annotate(n=Count("id"))
        .values_list("submission_id", "n")
    )


# ---- awards -----------------------------------------------------------------------------------


def awards_of(*, call: Call) -> QuerySet[Award]:
    return Award.objects.filter(call=call).select_related(
        "winner__project", "winner__section", "sponsor_organisation"
    )

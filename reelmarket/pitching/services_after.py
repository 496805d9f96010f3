"""Writes of the pitch forum after selection: pitch sessions and their running order,
awards, and (from ``services_wishes``, re-exported here) financiers' meeting wishes and
the one-on-one grid built from them.

Keyword-only functions, one transaction each, permission checked inside. Refusals raise
``PitchError`` (a stable ``code`` and a message for people) or ``PitchForbidden``.

Session writes lock the edition's row: rooms are shared by every call of the edition,
and two organisers placing sessions in the same room at once must not both pass the
overlap check. They are rare organiser actions, so the lock costs nothing in practice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from reelmarket.market.models import Edition, Organisation
from reelmarket.pitching.enums import SubmissionState
from reelmarket.pitching.errors import PitchError, PitchForbidden
from reelmarket.pitching.models import (
    Award,
    Call,
    PitchSession,
    PitchSlot,
    Section,
    Submission,
)
from reelmarket.pitching.rules_after import (
    may_manage_after,
)
from reelmarket.pitching.selectors_after import is_work_in_progress, session_end
from reelmarket.pitching.services_wishes import (
    MAX_NOTE,
    GridOutcome,
    Skipped,
    grid_from_wishes,
    wish_set,
    wish_withdraw,
)
from reelmarket.web import formatting

MAX_PITCH_MINUTES = 20
MAX_FOOTAGE_MINUTES = 5
MAX_CHANGEOVER_MINUTES = 30


def _organiser(actor: Any, message: str) -> None:
    if not may_manage_after(actor):
        raise PitchForbidden(message)


def _title(submission: Submission) -> str:
    return submission.project.title


# ---- pitch sessions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionData:
    """What the organiser sets on a session (the running order is set separately)."""

    title: str
    starts_at: datetime
    room: str = ""
    section: Section | None = None
    pitch_minutes: int = 15
    footage_minutes: int = 0
    changeover_minutes: int = 5


def _check_minutes(data: SessionData) -> None:
    if not 1 <= data.pitch_minutes <= MAX_PITCH_MINUTES:
        raise PitchError(
            "bad_minutes",
            _("A pitch lasts between 1 and %(max)d minutes.") % {"max": MAX_PITCH_MINUTES},
        )
    if not 0 <= data.footage_minutes <= MAX_FOOTAGE_MINUTES:
        raise PitchError(
            "bad_minutes",
            _("Footage of a work in progress runs at most %(max)d minutes.")
            % {"max": MAX_FOOTAGE_MINUTES},
        )
    if not 0 <= data.changeover_minutes <= MAX_CHANGEOVER_MINUTES:
        raise PitchError(
            "bad_minutes",
            _("A changeover lasts at most %(max)d minutes.") % {"max": MAX_CHANGEOVER_MINUTES},
        )
    if not data.title.strip():
        raise PitchError("bad_title", _("Give the session a title."))


def _venue(moment: datetime, edition: Edition) -> datetime:
    return moment.astimezone(edition.zone)


def _check_order(
    *, call: Call, section: Section | None, submissions: Sequence[Submission], session_pk: int
) -> None:
    seen: set[int] = set()
    for s in submissions:
        if s.pk in seen:
            raise PitchError(
                "duplicate", _("“%(title)s” is twice in the running order.") % {"title": _title(s)}
            )
        seen.add(s.pk)
        if s.call_id != call.pk:
            raise PitchError(
                "wrong_call",
                _("“%(title)s” was submitted to another call.") % {"title": _title(s)},
            )
        if s.state != SubmissionState.SELECTED:
            raise PitchError(
                "not_selected",
                _(
                    "“%(title)s” is not selected (its status is %(state)s); "
                    "only selected projects pitch."
                )
                % {"title": _title(s), "state": SubmissionState(s.state).label},
            )
        if section is not None and s.section_id != section.pk:
            raise PitchError(
                "wrong_section",
                _("“%(title)s” is in the section %(section)s; this session is for %(mine)s.")
                % {"title": _title(s), "section": s.section.name, "mine": section.name},
            )
    taken = (
        PitchSlot.objects.filter(submission__in=list(seen))
        .exclude(session_id=session_pk)
        .select_related("session", "submission__project")
        .first()
    )
    if taken is not None:
        raise PitchError(
            "already_scheduled",
            _("“%(title)s” already pitches in the session “%(session)s”; take it out there first.")
            % {"title": _title(taken.submission), "session": taken.session.title},
        )


def _check_time(
    *,
    edition: Edition,
    data: SessionData,
    submissions: Sequence[Submission],
    session_pk: int | None,
) -> None:
    """The session fits in one of the edition's days and its room is free meanwhile."""
    end = session_end(
        starts_at=data.starts_at,
        pitch_minutes=data.pitch_minutes,
        footage_minutes=data.footage_minutes,
        changeover_minutes=data.changeover_minutes,
        wip=[is_work_in_progress(s) for s in submissions],
    )
    start_local = _venue(data.starts_at, edition)
    end_local = _venue(end, edition)
    if start_local.date() not in edition.days:
        raise PitchError(
            "outside_edition",
            _(
                "The session starts on %(day)s, which is not a day of %(edition)s "
                "(%(first)s – %(last)s)."
            )
            % {
                "day": formatting.day(start_local.date()),
                "edition": edition.name,
                "first": formatting.day(edition.starts_on),
                "last": formatting.day(edition.ends_on),
            },
        )
    midnight = datetime.combine(
        start_local.date() + timedelta(days=1), datetime.min.time(), tzinfo=edition.zone
    )
    if end_local > midnight:
        raise PitchError(
            "past_day",
            _(
                "The session would end at %(end)s on %(day)s (venue time), past the end of "
                "its day; start earlier, shorten the pitches or move projects to another "
                "session."
            )
            % {"end": f"{end_local:%H:%M}", "day": formatting.day(end_local.date())},
        )
    room = data.room.strip()
    if not room:
        return
    others = (
        PitchSession.objects.filter(call__edition=edition, room__iexact=room)
        .exclude(pk=session_pk)
        .select_related("call")
        .prefetch_related("slots__submission__section", "slots__submission__project")
    )
    for other in others:
        other_slots = sorted(other.slots.all(), key=lambda x: x.order)
        other_end = session_end(
            starts_at=other.starts_at,
            pitch_minutes=other.pitch_minutes,
            footage_minutes=other.footage_minutes,
            changeover_minutes=other.changeover_minutes,
            wip=[is_work_in_progress(x.submission) for x in other_slots],
        )
        if other.starts_at < end and data.starts_at < other_end:
            raise PitchError(
                "room_busy",
                _("%(room)s is taken by “%(other)s” from %(start)s to %(end)s (venue time).")
                % {
                    "room": room,
                    "other": other.title,
                    "start": f"{_venue(other.starts_at, edition):%H:%M}",
                    "end": f"{_venue(other_end, edition):%H:%M}",
                },
            )


def _lock_edition(edition_id: int) -> Edition:
    return Edition.objects.select_for_update().get(pk=edition_id)


def _data_of(session: PitchSession) -> SessionData:
    return SessionData(
        title=session.title,
        starts_at=session.starts_at,
        room=session.room,
        section=session.section,
        pitch_minutes=session.pitch_minutes,
        footage_minutes=session.footage_minutes,
        changeover_minutes=session.changeover_minutes,
    )


def _current_order(session: PitchSession) -> list[Submission]:
    return [
        slot.submission
        for slot in PitchSlot.objects.filter(session=session)
        .select_related("submission__section", "submission__project")
        .order_by("order")
    ]


def _apply(session: PitchSession, data: SessionData) -> None:
    session.title = data.title.strip()
    session.starts_at = data.starts_at
    session.room = data.room.strip()
    session.section = data.section
    session.pitch_minutes = data.pitch_minutes
    session.footage_minutes = data.footage_minutes
    session.changeover_minutes = data.changeover_minutes


def session_create(*, actor: Any, call: Call, data: SessionData) -> PitchSession:
    """A new, empty pitch session in the programme."""
    _organiser(actor, _("Only organisers plan pitch sessions."))
    _check_minutes(data)
    if data.section is not None and data.section.call_id != call.pk:
        raise PitchError("wrong_call", _("That section belongs to another call."))
    with transaction.atomic():
        edition = _lock_edition(call.edition_id)
        _check_time(edition=edition, data=data, submissions=[], session_pk=None)
        session = PitchSession(call=call)
        _apply(session, data)
        session.save()
    return session


def session_update(*, actor: Any, session: PitchSession, data: SessionData) -> PitchSession:
    """Change a session's time, room, section or minutes; its running order must still fit."""
    _organiser(actor, _("Only organisers plan pitch sessions."))
    _check_minutes(data)
    with transaction.atomic():
        edition = _lock_edition(session.call.edition_id)
        locked = PitchSession.objects.select_related("call").get(pk=session.pk)
        if data.section is not None and data.section.call_id != locked.call_id:
            raise PitchError("wrong_call", _("That section belongs to another call."))
        order = _current_order(locked)
        _check_order(
            call=locked.call, section=data.section, submissions=order, session_pk=locked.pk
        )
        _check_time(edition=edition, data=data, submissions=order, session_pk=locked.pk)
        _apply(locked, data)
        locked.save()
    return locked


def session_delete(*, actor: Any, session: PitchSession) -> None:
    """Remove a session; its projects go back to the unscheduled list."""
    _organiser(actor, _("Only organisers plan pitch sessions."))
    with transaction.atomic():
        PitchSession.objects.filter(pk=session.pk).delete()


def session_set_order(
    *, actor: Any, session: PitchSession, submissions: Sequence[Submission]
) -> list[PitchSlot]:
    """Replace the session's running order (first pitches first). Every project must be
    selected, of this call (and of the session's section when it has one), in no other
    session; the session must still end the same day and not overlap its room's others."""
    _organiser(actor, _("Only organisers plan pitch sessions."))
    with transaction.atomic():
        edition = _lock_edition(session.call.edition_id)
        locked = PitchSession.objects.select_related("call", "section").get(pk=session.pk)
        fresh = list(
            Submission.objects.filter(pk__in=[s.pk for s in submissions]).select_related(
                "section", "project"
            )
        )
        by_pk = {s.pk: s for s in fresh}
        ordered = [by_pk[s.pk] for s in submissions if s.pk in by_pk]
        if len(ordered) != len(submissions):
            raise PitchError("not_found", _("A project of the running order no longer exists."))
        _check_order(
            call=locked.call, section=locked.section, submissions=ordered, session_pk=locked.pk
        )
        _check_time(
            edition=edition, data=_data_of(locked), submissions=ordered, session_pk=locked.pk
        )
        PitchSlot.objects.filter(session=locked).delete()
        slots = PitchSlot.objects.bulk_create(
            [PitchSlot(session=locked, submission=s, order=i + 1) for i, s in enumerate(ordered)]
        )
    return slots


def session_add(*, actor: Any, session: PitchSession, submission: Submission) -> list[PitchSlot]:
    """Append a project to the end of the running order."""
    return session_set_order(
        actor=actor, session=session, submissions=[*_current_order(session), submission]
    )


def session_remove(*, actor: Any, session: PitchSession, submission: Submission) -> list[PitchSlot]:
    order = [s for s in _current_order(session) if s.pk != submission.pk]
    return session_set_order(actor=actor, session=session, submissions=order)


def session_move(
    *, actor: Any, session: PitchSession, submission: Submission, delta: int
) -> list[PitchSlot]:
    """Move a project ``delta`` places earlier (negative) or later (positive)."""
    order = _current_order(session)
    pks = [s.pk for s in order]
    if submission.pk not in pks:
        raise PitchError("not_in_session", _("That project is not in this session."))
    i = pks.index(submission.pk)
    j = max(0, min(len(order) - 1, i + delta))
    order.insert(j, order.pop(i))
    return session_set_order(actor=actor, session=session, submissions=order)


@dataclass(frozen=True)
class FillOutcome:
    added: int
    left: int  # selected projects that would not fit
    refusal: PitchError | None  # why the next one did not fit


def session_fill(*, actor: Any, session: PitchSession) -> FillOutcome:
    """Append the selected projects not yet in any session (of the session's section when
    it has one, by title) for as long as they fit: each one is added through
    ``session_set_order``, so every rule holds; the first that does not fit stops the fill
    and says why."""
    from reelmarket.pitching.selectors_after import unscheduled_selected

    _organiser(actor, _("Only organisers plan pitch sessions."))
    candidates = unscheduled_selected(call=session.call).order_by("project__title", "id")
    if session.section_id:
        candidates = candidates.filter(section_id=session.section_id)
    waiting = list(candidates)
    order = _current_order(session)
    for i, submission in enumerate(waiting):
        try:
            session_set_order(actor=actor, session=session, submissions=[*order, submission])
        except PitchError as exc:
            return FillOutcome(added=i, left=len(waiting) - i, refusal=exc)
        order.append(submission)
    return FillOutcome(added=len(waiting), left=0, refusal=None)


# ---- awards -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AwardData:
    name: str
    sponsor: str = ""
    sponsor_organisation: Organisation | None = None
    prize: str = ""
    cash: Decimal | None = None
    currency: str = "USD"


def _check_award(data: AwardData) -> None:
    if not data.name.strip():
        raise PitchError("bad_award", _("Name the award."))
    if data.cash is not None and data.cash < 0:
        raise PitchError("bad_award", _("A cash prize cannot be negative."))


def award_create(*, actor: Any, call: Call, data: AwardData) -> Award:
    _organiser(actor, _("Only organisers manage awards."))
    _check_award(data)
    with transaction.atomic():
        return Award.objects.create(
            call=call,
            name=data.name.strip(),
            sponsor=data.sponsor.strip(),
            sponsor_organisation=data.sponsor_organisation,
            prize=data.prize.strip(),
            cash=data.cash,
            currency=data.currency,
        )


def award_update(*, actor: Any, award: Award, data: AwardData) -> Award:
    _organiser(actor, _("Only organisers manage awards."))
    _check_award(data)
    with transaction.atomic():
        locked = Award.objects.select_for_update().get(pk=award.pk)
        locked.name = data.name.strip()
        locked.sponsor = data.sponsor.strip()
        locked.sponsor_organisation = data.sponsor_organisation
        locked.prize = data.prize.strip()
        locked.cash = data.cash
        locked.currency = data.currency
        locked.save()
    return locked


def award_set_winner(*, actor: Any, award: Award, winner: Submission | None) -> Award:
    """Pick the winner among the call's selected projects (None: no winner yet)."""
    _organiser(actor, _("Only organisers manage awards."))
    with transaction.atomic():
        locked = Award.objects.select_for_update().get(pk=award.pk)
        if winner is not None:
            winner = Submission.objects.select_related("project").get(pk=winner.pk)
            if winner.call_id != locked.call_id:
                raise PitchError("wrong_call", _("That project was submitted to another call."))
            if winner.state != SubmissionState.SELECTED:
                raise PitchError(
                    "not_selected",
                    _("“%(title)s” is not selected; awards go to selected projects.")
                    % {"title": _title(winner)},
                )
        locked.winner = winner
        locked.save(update_fields=["winner"])
    return locked


def award_delete(*, actor: Any, award: Award) -> None:
    _organiser(actor, _("Only organisers manage awards."))
    with transaction.atomic():
        Award.objects.filter(pk=award.pk).delete()


__all__ = [
    "MAX_NOTE",
    "AwardData",
    "FillOutcome",
    "GridOutcome",
    "SessionData",
    "Skipped",
    "award_create",
    "award_delete",
    "award_set_winner",
    "award_update",
    "grid_from_wishes",
    "session_add",
    "session_create",
    "session_delete",
    "session_fill",
    "session_move",
    "session_remove",
    "session_set_order",
    "session_update",
    "wish_set",
    "wish_withdraw",
]

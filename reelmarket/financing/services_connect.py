"""Writes of the Producers Connect sessions: keyword-only, one transaction each, permission
inside. Views, the API, tasks and the demo builder call these and nothing else.

The session's life: ``draft`` (set-up) -> ``open`` (people register, withdraw, say no
thanks) -> ``closed`` (the organiser builds and rebuilds the rotation) -> ``published``
(fixed; people see their rounds and leave feedback once a round has started). Re-opening a
closed session drops its unpublished seats, so a rotation never goes out of date silently.

Races are settled by the database: a person registers once per session, a project once, a
seat, a pair and a person-in-a-round are unique, feedback is one row per seat and person.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from reelmarket.financing import relevance, rotation, selectors_connect
from reelmarket.financing.enums_connect import (
    FEEDBACK_NOTE_MAX,
    MAX_BREAK_MINUTES,
    MAX_ROUND_MINUTES,
    MAX_ROUNDS,
    MAX_TABLES,
    MIN_ROUND_MINUTES,
    TRANSITIONS,
    SessionState,
    Side,
    Verdict,
)
from reelmarket.financing.errors_connect import ConnectError
from reelmarket.financing.models import (
    ConnectFeedback,
    ConnectNoThanks,
    ConnectRegistration,
    ConnectSeat,
    ConnectSession,
    Project,
)
from reelmarket.financing.rules_connect import (
    may_act_for,
    may_manage_sessions,
    may_register_with,
)
from reelmarket.financing.tasks_connect import announce_published
from reelmarket.market.enums import Vetting
from reelmarket.market.models import Edition, Participant
from reelmarket.market.rules import participant_of

MAX_REASONS = 8  # reasons kept per seat (the largest contributions)


# ---- session set-up -------------------------------------------------------------------------


def _check_shape(
    *,
    edition: Edition,
    name: str,
    starts_at: datetime,
    rounds: int,
    round_minutes: int,
    break_minutes: int,
    tables: int,
    table_labels: Sequence[str],
) -> list[str]:
    """Raise ``ConnectError`` for the first bad value; return the cleaned labels."""
    if not name.strip():
        raise ConnectError("bad_name", _("Give the session a name."), field="name")
    if not 1 <= rounds <= MAX_ROUNDS:
        raise ConnectError(
            "bad_rounds",
            _("A session has 1 to %(max)d rounds.") % {"max": MAX_ROUNDS},
            field="rounds",
        )
    if not 1 <= tables <= MAX_TABLES:
        raise ConnectError(
            "bad_tables",
            _("A session has 1 to %(max)d tables.") % {"max": MAX_TABLES},
            field="tables",
        )
    if not MIN_ROUND_MINUTES <= round_minutes <= MAX_ROUND_MINUTES:
        raise ConnectError(
            "bad_round_minutes",
            _("A round lasts %(min)d to %(max)d minutes.")
            % {"min": MIN_ROUND_MINUTES, "max": MAX_ROUND_MINUTES},
            field="round_minutes",
        )
    if not 0 <= break_minutes <= MAX_BREAK_MINUTES:
        raise ConnectError(
            "bad_break_minutes",
            _("A break lasts 0 to %(max)d minutes.") % {"max": MAX_BREAK_MINUTES},
            field="break_minutes",
        )
    if timezone.is_naive(starts_at):
        raise ConnectError(
            "bad_start", _("Give the start time with its time zone."), field="starts_at"
        )
    zone = ZoneInfo(edition.time_zone)
    local_start = starts_at.astimezone(zone)
    if local_start.date() not in edition.days:
        raise ConnectError(
            "bad_start",
            _("The session must start on a day of %(edition)s (%(first)s to %(last)s).")
            % {
                "edition": edition.name,
                "first": edition.starts_on.isoformat(),
                "last": edition.ends_on.isoformat(),
            },
            field="starts_at",
        )
    step = timedelta(minutes=round_minutes + break_minutes)
    local_end = (starts_at + (rounds - 1) * step + timedelta(minutes=round_minutes)).astimezone(
        zone
    )
    if local_end.date() != local_start.date():
        raise ConnectError(
            "bad_start",
            _("The last round would end past midnight (%(end)s); start earlier.")
            % {"end": f"{local_end:%Y-%m-%d %H:%M}"},
            field="starts_at",
        )
    labels = [str(label).strip() for label in table_labels]
    if labels and len(labels) != tables:
        raise ConnectError(
            "bad_table_labels",
            _("Give one label per table (%(tables)d), or none to number them.")
            % {"tables": tables},
            field="table_labels",
        )
    if any(not label or len(label) > 20 for label in labels) or len(set(labels)) != len(labels):
        raise ConnectError(
            "bad_table_labels",
            _("Table labels must be distinct and 1 to 20 characters long."),
            field="table_labels",
        )
    return labels


def session_create(
    *,
    actor: Any,
    edition: Edition,
    name: str,
    starts_at: datetime,
    rounds: int,
    round_minutes: int,
    tables: int,
    break_minutes: int = 5,
    room: str = "",
    table_labels: Sequence[str] = (),
    description: str = "",
) -> ConnectSession:
    """A new session in the ``draft`` state (registration not yet open)."""
    if not may_manage_sessions(actor):
        raise PermissionDenied(_("Only organisers set up Producers Connect sessions."))
    labels = _check_shape(
        edition=edition,
        name=name,
        starts_at=starts_at,
        rounds=rounds,
        round_minutes=round_minutes,
        break_minutes=break_minutes,
        tables=tables,
        table_labels=table_labels,
    )
    try:
        with transaction.atomic():
            return ConnectSession.objects.create(
                edition=edition,
                name=name.strip(),
                description=description.strip(),
                starts_at=starts_at,
                rounds=rounds,
                round_minutes=round_minutes,
                break_minutes=break_minutes,
                tables=tables,
                room=room.strip(),
                table_labels=labels,
            )
    except IntegrityError:
        raise ConnectError(
            "name_taken", _("This edition already has a session of that name."), field="name"
        ) from None


def session_update(
    *,
    actor: Any,
    session: ConnectSession,
    name: str,
    starts_at: datetime,
    rounds: int,
    round_minutes: int,
    tables: int,
    break_minutes: int = 5,
    room: str = "",
    table_labels: Sequence[str] = (),
    description: str = "",
) -> ConnectSession:
    """Change a session that is not published; a new shape (rounds, tables) drops the
    unpublished seats (they may no longer fit)."""
    if not may_manage_sessions(actor):
        raise PermissionDenied(_("Only organisers change Producers Connect sessions."))
    labels = _check_shape(
        edition=session.edition,
        name=name,
        starts_at=starts_at,
        rounds=rounds,
        round_minutes=round_minutes,
        break_minutes=break_minutes,
        tables=tables,
        table_labels=table_labels,
    )
    try:
        with transaction.atomic():
            locked = _locked(session)
            if locked.state == SessionState.PUBLISHED:
                raise ConnectError(
                    "published", _("The rotation is published; the session can no longer change.")
                )
            if (locked.rounds, locked.tables) != (rounds, tables):
                _drop_seats(locked)
            locked.name, locked.description = name.strip(), description.strip()
            locked.starts_at, locked.rounds, locked.tables = starts_at, rounds, tables
            locked.round_minutes, locked.break_minutes = round_minutes, break_minutes
            locked.room, locked.table_labels = room.strip(), labels
            locked.save()
    except IntegrityError:
        raise ConnectError(
            "name_taken", _("This edition already has a session of that name."), field="name"
        ) from None
    return locked


def session_set_state(*, actor: Any, session: ConnectSession, to_state: str) -> ConnectSession:
    """Open or close registration (or take an open session back to draft). Publishing is
    ``session_publish``. Re-opening drops the unpublished seats."""
    if not may_manage_sessions(actor):
        raise PermissionDenied(_("Only organisers open and close registration."))
    if to_state not in SessionState.values:
        raise ConnectError("bad_state", _("Unknown session state."))
    if to_state == SessionState.PUBLISHED:
        session_publish(actor=actor, session=session)
        return ConnectSession.objects.select_related("edition").get(pk=session.pk)
    with transaction.atomic():
        locked = _locked(session)
        if to_state not in TRANSITIONS[locked.state]:
            raise ConnectError(
                "bad_transition",
                _("A session that is “%(from)s” cannot become “%(to)s”.")
                % {
                    "from": SessionState(locked.state).label,
                    "to": SessionState(to_state).label,
                },
            )
        if to_state == SessionState.OPEN:
            _drop_seats(locked)
        locked.state = to_state
        locked.save(update_fields=["state", "built_at", "total_score", "build_notes"])
    return locked


def _locked(session: ConnectSession) -> ConnectSession:
    return ConnectSession.objects.select_for_update().select_related("edition").get(pk=session.pk)


def _drop_seats(session: ConnectSession) -> None:
    """Unpublished seats go (callers hold the session lock)."""
    session.seats.all().delete()
    session.built_at = None
    session.total_score = None
    session.build_notes = []


# ---- registration ---------------------------------------------------------------------------


def _open_session(session: ConnectSession) -> ConnectSession:
    """The session row locked FOR SHARE (registrations of one session run side by side; the
    organiser's state change, FOR UPDATE, waits for them and they for it); refuse unless
    registration is open. Duplicates are settled by the unique constraints."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT 1 FROM {ConnectSession._meta.db_table} WHERE id = %s FOR SHARE",  # noqa: S608
                [session.pk],
            )
    locked = ConnectSession.objects.get(pk=session.pk)
    if locked.state != SessionState.OPEN:
        raise ConnectError("registration_closed", _("Registration for this session is closed."))
    return locked


def session_register(
    *,
    actor: Any,
    session: ConnectSession,
    participant: Participant,
    side: str,
    project: Project | None = None,
) -> ConnectRegistration:
    """Register ``participant`` (yourself, or anyone when an organiser acts)."""
    if not may_act_for(actor, participant):
        raise PermissionDenied(_("You may only register yourself."))
    if side not in Side.values:
        raise ConnectError("bad_side", _("Register as a producer or as a partner."), field="side")
    if not participant.registrations.filter(
        edition_id=session.edition_id, vetting=Vetting.APPROVED
    ).exists():
        raise ConnectError(
            "not_registered_for_edition",
            _("Only participants approved for the edition take part in Producers Connect."),
        )
    if side == Side.PRODUCER:
        if project is None:
            raise ConnectError(
                "bad_project", _("Choose the project you bring to the session."), field="project"
            )
        if not may_register_with(participant, project):
            raise ConnectError(
                "bad_project",
                _("You may only bring a project you own or work on."),
                field="project",
            )
    else:
        project = None
        if not selectors_connect.has_investor_profile(participant):
            raise ConnectError(
                "no_investor_profile",
                _("Partners need an investor profile (what you look for) before registering."),
            )
    with transaction.atomic():
        _open_session(session)
        _check_not_taken(session, participant, project)
        try:
            with transaction.atomic():
                return ConnectRegistration.objects.create(
                    session=session, participant=participant, side=side, project=project
                )
        except IntegrityError:  # a parallel registration won: say which rule it hit
            _check_not_taken(session, participant, project)
            raise


def _check_not_taken(
    session: ConnectSession, participant: Participant, project: Project | None
) -> None:
    """One read for both rules, so a racing registration is named consistently."""
    query = Q(participant=participant)
    if project is not None:
        query |= Q(project=project)
    holders = set(session.registrations.filter(query).values_list("participant_id", flat=True))
    if participant.pk in holders:
        raise ConnectError("already_registered", _("You are already registered."))
    if holders:
        raise ConnectError(
            "project_taken",
            _("This project is already registered for the session."),
            field="project",
        )


def session_withdraw(*, actor: Any, registration: ConnectRegistration) -> None:
    """Leave a session while registration is open (your no-thanks go with you)."""
    if not may_act_for(actor, registration.participant):
        raise PermissionDenied(_("You may only withdraw yourself."))
    with transaction.atomic():
        _open_session(registration.session)
        ConnectRegistration.objects.filter(pk=registration.pk).delete()


def no_thanks_set(
    *, actor: Any, by: ConnectRegistration, other: ConnectRegistration, declined: bool
) -> bool:
    """``by`` says no thanks to ``other`` (or takes it back); returns whether it is set.
    The build never seats a pair that either side declined."""
    if not may_act_for(actor, by.participant):
        raise PermissionDenied(_("You may only answer for yourself."))
    if other.session_id != by.session_id or other.side == by.side:
        raise ConnectError(
            "bad_counterpart", _("Say no thanks only to people on the other side of the table.")
        )
    with transaction.atomic():
        _open_session(by.session)
        if declined:
            ConnectNoThanks.objects.get_or_create(session_id=by.session_id, by=by, other=other)
        else:
            ConnectNoThanks.objects.filter(by=by, other=other).delete()
    return declined


# ---- the rotation ---------------------------------------------------------------------------


def _json_value(value: Any) -> Any:
    if isinstance(value, (set, frozenset)):
        return sorted(_json_value(v) for v in value)
    if isinstance(value, (list, tuple)):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def _reasons(match: relevance.Match) -> list[dict[str, Any]]:
    return [
        {"code": r.code, "points": round(float(r.points), 3), "params": _json_value(r.params)}
        for r in match.reasons[:MAX_REASONS]
        if r.points > 0
    ]


def session_build(*, actor: Any, session: ConnectSession, seed: int = 0) -> ConnectSession:
    """Build the rotation from the relevance of every registered project to every partner
    and store it as seats in one transaction (replacing the unpublished ones).

    Never seated: a pair either side declined (session no-thanks, the edition's meetings
    blocks), colleagues of one company, a pair of no relevance. The independent checker of
    ``rotation`` vets the result before anything is written.
    """
    if not may_manage_sessions(actor):
        raise PermissionDenied(_("Only organisers build the rotation."))
    with transaction.atomic():
        locked = _locked(session)
        if locked.state == SessionState.PUBLISHED:
            raise ConnectError("published", _("The rotation is published; it is fixed now."))
        if locked.state != SessionState.CLOSED:
            raise ConnectError(
                "registration_not_closed",
                _("Close registration before building, so nobody changes the list under it."),
            )
        inputs = selectors_connect.relevance_inputs(session=locked)
        if not inputs.producers or not inputs.partners:
            raise ConnectError(
                "nobody_to_seat",
                _("The rotation needs at least one producer and one partner registered."),
            )
        matrix = relevance.score_matrix(
            projects=inputs.project_facts, investors=inputs.partner_facts
        )
        producer_ids = [r.pk for r in inputs.producers]
        partner_ids = [r.pk for r in inputs.partners]
        result = rotation.build_rotation(
            producers=producer_ids,
            partners=partner_ids,
            score=matrix,
            rounds=locked.rounds,
            tables=locked.tables,
            blocked=inputs.blocked,
            seed=seed,
        )
        problems = rotation.check_rotation(
            rotation=result, rounds=locked.rounds, tables=locked.tables, blocked=inputs.blocked
        )
        if problems:  # never store a bad rotation; the constraints would refuse it anyway
            raise ConnectError("bad_rotation", "; ".join(problems[:5]))
        p_index = {pk: i for i, pk in enumerate(producer_ids)}
        i_index = {pk: j for j, pk in enumerate(partner_ids)}
        seats = []
        for seat in result.seats:
            match = relevance.score(
                project=inputs.project_facts[p_index[seat.producer]],
                investor=inputs.partner_facts[i_index[seat.partner]],
            )
            seats.append(
                ConnectSeat(
                    session=locked,
                    round=seat.round + 1,
                    table=seat.table + 1,
                    producer_id=seat.producer,
                    partner_id=seat.partner,
                    score=round(float(seat.score), 3),
                    reasons=_reasons(match),
                )
            )
        locked.seats.all().delete()
        ConnectSeat.objects.bulk_create(seats, batch_size=1000)
        locked.seed = seed
        locked.built_at = timezone.now()
        locked.total_score = round(float(result.total_score), 3)
        locked.build_notes = inputs.notes
        locked.save(update_fields=["seed", "built_at", "total_score", "build_notes"])
    return locked


def session_publish(*, actor: Any, session: ConnectSession, notify: bool = True) -> int:
    """Fix the rotation and show everyone their rounds; returns the number of meetings.
    Each registered person is told by e-mail (queued at commit) unless ``notify`` is off
    (the demo builder)."""
    if not may_manage_sessions(actor):
        raise PermissionDenied(_("Only organisers publish the rotation."))
    with transaction.atomic():
        locked = _locked(session)
        if locked.state == SessionState.PUBLISHED:
            raise ConnectError("published", _("The rotation is already published."))
        if locked.state != SessionState.CLOSED or locked.built_at is None:
            raise ConnectError("not_built", _("Build the rotation before publishing it."))
        count = locked.seats.count()
        if count == 0:
            raise ConnectError("not_built", _("The rotation has no meetings to publish."))
        locked.state = SessionState.PUBLISHED
        locked.published_at = timezone.now()
        locked.save(update_fields=["state", "published_at"])
        if notify:
            announce_published(session_id=locked.pk)
    return count


# ---- feedback -------------------------------------------------------------------------------


def feedback_leave(
    *,
    actor: Any,
    seat: ConnectSeat,
    verdict: str,
    note: str = "",
    now: datetime | None = None,
) -> ConnectFeedback:
    """Your word on a meeting you sat in, once its round has started; saying it again
    replaces it. One row per seat and person, however many requests race."""
    me = participant_of(actor)
    seat = ConnectSeat.objects.select_related("session", "producer", "partner").get(pk=seat.pk)
    if me is None or me.pk not in (seat.producer.participant_id, seat.partner.participant_id):
        raise PermissionDenied(_("Only the two people at the table leave feedback."))
    if verdict not in Verdict.values:
        raise ConnectError("bad_verdict", _("Answer “follow up” or “pass”."), field="verdict")
    note = note.strip()
    if len(note) > FEEDBACK_NOTE_MAX:
        raise ConnectError(
            "bad_note",
            _("Keep the note under %(n)d characters.") % {"n": FEEDBACK_NOTE_MAX},
            field="note",
        )
    if seat.session.state != SessionState.PUBLISHED:
        raise ConnectError("not_published", _("The rotation is not published yet."))
    if (now or timezone.now()) < seat.starts_at:
        raise ConnectError("too_early", _("Feedback opens when the meeting's round starts."))
    with transaction.atomic():
        feedback, _created = ConnectFeedback.objects.update_or_create(
            seat=seat, participant=me, defaults={"verdict": verdict, "note": note}
        )
    return feedback


__all__ = [
    "feedback_leave",
    "no_thanks_set",
    "session_build",
    "session_create",
    "session_publish",
    "session_register",
    "session_set_state",
    "session_update",
    "session_withdraw",
]

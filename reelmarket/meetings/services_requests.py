"""Meeting requests: create, answer, cancel, expire, 'no thanks', and the state machine.

``_transition`` is the one place a request changes state: it checks the state table and
the guards, writes the change, releases a cancelled meeting, refunds the quota and writes
the audit row. Every public service locks the request row first, so two people answering
the same request queue instead of both winning.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from reelmarket.catalogue.models import Title
from reelmarket.market.models import Edition, Organisation, Participant
from reelmarket.market.rules import is_organiser, participant_of
from reelmarket.meetings import selectors
from reelmarket.meetings.enums import (
    CONSUMING_STATES,
    REFUNDING_STATES,
    MeetingStatus,
    Priority,
    RequestState,
    may_transition,
)
from reelmarket.meetings.errors import MeetingError
from reelmarket.meetings.models import (
    MeetingGrid,
    MeetingRequest,
    PairBlock,
    QuotaUsage,
    RequestEvent,
    TableSlot,
)
from reelmarket.meetings.rules import may_act_on_request, may_answer_request

S = RequestState


def _user(actor: Any) -> Any | None:
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def _log(request: MeetingRequest, *, actor: Any, from_state: str, to_state: str, note: str) -> None:
    RequestEvent.objects.create(
        request=request, actor=_user(actor), from_state=from_state, to_state=to_state, note=note
    )


# ---- quotas ---------------------------------------------------------------------------------


def _quota_consume(*, grid: MeetingGrid, participant: Participant) -> None:
    """Spend one request; refused when the person's quota is used up. Race-safe: the
    conditional UPDATE re-checks the limit against the committed value."""
    usage, _created = QuotaUsage.objects.get_or_create(
        edition_id=grid.edition_id, participant=participant
    )
    limit = selectors.quota_limit(grid=grid, participant=participant)
    rows = QuotaUsage.objects.filter(pk=usage.pk)
    if limit is not None:
        rows = rows.filter(used__lt=limit)
    if rows.update(used=F("used") + 1) == 0:
        raise MeetingError(
            "quota_exhausted",
            _("You have used all %(limit)d of your meeting requests for this edition.")
            % {"limit": limit},
        )


def _quota_refund(request: MeetingRequest) -> None:
    QuotaUsage.objects.filter(
        edition_id=request.edition_id, participant_id=request.requester_id, used__gt=0
    ).update(used=F("used") - 1)


# ---- the state machine ----------------------------------------------------------------------


def _release_meeting(request: MeetingRequest) -> None:
    meeting = getattr(request, "meeting", None)
    if meeting is None or meeting.status == MeetingStatus.CANCELLED:
        return
    meeting.seats.update(released=True)
    TableSlot.objects.filter(meeting=meeting).delete()
    meeting.status = MeetingStatus.CANCELLED
    meeting.sequence += 1
    meeting.save(update_fields=["status", "sequence", "updated_at"])


def _transition(locked: MeetingRequest, to_state: str, *, actor: Any, note: str = "") -> None:
    """Move a locked request to ``to_state``; the caller has checked permission."""
    from_state = locked.state
    if not may_transition(from_state, to_state):
        raise MeetingError(
            "invalid_transition",
            _("A request that is %(from)s cannot become %(to)s.")
            % {"from": S(from_state).label, "to": S(to_state).label},
        )
    if to_state == S.ACCEPTED and locked.counterpart_id is None:
        raise MeetingError(
            "counterpart_required", _("Someone from the company must take the meeting.")
        )
    meeting = getattr(locked, "meeting", None)
    if to_state == S.SCHEDULED and (meeting is None or meeting.status == MeetingStatus.CANCELLED):
        raise MeetingError("no_meeting", _("The request has no meeting to schedule."))
    if to_state in (S.HELD, S.NO_SHOW) and (
        meeting is None or meeting.status != MeetingStatus.PUBLISHED
    ):
        raise MeetingError("not_published", _("Only a published meeting can be checked in."))
    # Conditional write: with the row locked this always matches; it is the belt to the
    # braces should a caller ever forget the lock.
    if (
        MeetingRequest.objects.filter(pk=locked.pk, state=from_state).update(
            state=to_state, updated_at=timezone.now()
        )
        != 1
    ):
        raise MeetingError("conflict", _("The request changed meanwhile; please reload."))
    locked.state = to_state
    if to_state == S.CANCELLED and from_state == S.SCHEDULED:
        _release_meeting(locked)
    if to_state in REFUNDING_STATES and from_state in CONSUMING_STATES:
        _quota_refund(locked)
    _log(locked, actor=actor, from_state=from_state, to_state=to_state, note=note)


_PERMISSION = {
    S.ACCEPTED: may_answer_request,
    S.DECLINED: may_answer_request,
    S.CANCELLED: may_act_on_request,
    S.SCHEDULED: may_act_on_request,
    S.HELD: may_act_on_request,
    S.NO_SHOW: may_act_on_request,
    S.EXPIRED: lambda user, request: is_organiser(user),
    S.REQUESTED: lambda user, request: is_organiser(user),
}


def _lock(request: MeetingRequest) -> MeetingRequest:
    return (
        MeetingRequest.objects.select_for_update(of=("self",))
        .select_related("edition", "requester", "counterpart")
        .get(pk=request.pk)
    )


def request_transition(
    *, actor: Any, request: MeetingRequest, to_state: str, note: str = ""
) -> MeetingRequest:
    """The generic state change (the organiser back office uses it; the specific services
    below add their own checks and side effects). Raises MeetingError or PermissionDenied."""
    with transaction.atomic():
        locked = _lock(request)
        if not _PERMISSION[S(to_state)](actor, locked):
            raise PermissionDenied(_("You may not change this request."))
        _transition(locked, to_state, actor=actor, note=note)
    return locked


# ---- create ---------------------------------------------------------------------------------


def _check_target(
    *,
    edition: Edition,
    requester: Participant,
    target_person: Participant | None,
    target_organisation: Organisation | None,
) -> None:
    if (target_person is None) == (target_organisation is None):
        raise MeetingError("bad_target", _("Ask either one person or one company."))
    if target_person is not None:
        if target_person.pk == requester.pk:
            raise MeetingError("bad_target", _("You cannot request a meeting with yourself."))
        if not selectors.is_registered(edition=edition, participant=target_person):
            raise MeetingError(
                "target_not_registered",
                _("%(name)s is not taking part in this edition.")
                % {"name": target_person.display_name},
            )
        if selectors.blocked_between(edition=edition, a_id=requester.pk, b_id=target_person.pk):
            raise MeetingError(
                "blocked",
                _("A 'no thanks' stands between you and %(name)s; no new requests.")
                % {"name": target_person.display_name},
            )
        reverse = selectors.open_request_between(
            edition=edition, a_id=requester.pk, b_id=target_person.pk
        )
        if reverse is not None and reverse.requester_id == target_person.pk:
            raise MeetingError(
                "reverse_open",
                _("%(name)s has already asked you for a meeting; answer that request instead.")
                % {"name": target_person.display_name},
            )
        return
    assert target_organisation is not None
    if requester.organisation_confirmed and requester.organisation_id == target_organisation.pk:
        raise MeetingError("bad_target", _("You cannot request a meeting with your own company."))
    attending = Participant.objects.filter(
        organisation=target_organisation,
        organisation_confirmed=True,
        registrations__edition=edition,
        registrations__vetting="approved",
    ).exists()
    if not attending:
        raise MeetingError(
            "company_not_attending",
            _("Nobody from %(name)s is taking part in this edition.")
            % {"name": target_organisation.name},
        )
    if selectors.blocked_with_organisation(
        edition=edition, person_id=requester.pk, organisation_id=target_organisation.pk
    ):
        raise MeetingError(
            "blocked",
            _("A 'no thanks' stands between you and %(name)s; no new requests.")
            % {"name": target_organisation.name},
        )


def request_create(
    *,
    actor: Any,
    edition: Edition,
    target_person: Participant | None = None,
    target_organisation: Organisation | None = None,
    message: str = "",
    titles: Iterable[Title] = (),
    priority: str = Priority.MEET,
    now: datetime | None = None,
) -> MeetingRequest:
    """The actor asks a person, or a company's team, for a meeting; spends one request."""
    requester = participant_of(actor)
    if requester is None:
        raise PermissionDenied(_("Only participants may request meetings."))
    now = now or timezone.now()
    grid = selectors.grid_for(edition)
    if not selectors.is_registered(edition=edition, participant=requester):
        raise MeetingError(
            "not_registered", _("Your registration for this edition is not approved yet.")
        )
    _check_target(
        edition=edition,
        requester=requester,
        target_person=target_person,
        target_organisation=target_organisation,
    )
    with transaction.atomic():
        _quota_consume(grid=grid, participant=requester)
        try:
            with transaction.atomic():
                request = MeetingRequest.objects.create(
                    edition=edition,
                    requester=requester,
                    target_person=target_person,
                    target_organisation=target_organisation,
                    counterpart=target_person,
                    message=message,
                    requester_priority=Priority(priority),
                    expires_at=now + timedelta(hours=grid.request_expiry_hours),
                )
        except IntegrityError:
            raise MeetingError(
                "duplicate", _("You already have an open request with them.")
            ) from None
        request.titles.set(list(titles))
        _log(request, actor=actor, from_state="", to_state=S.REQUESTED, note=message[:200])
    return request


# ---- answer, cancel, expire -----------------------------------------------------------------


def request_accept(
    *,
    actor: Any,
    request: MeetingRequest,
    priority: str = Priority.MEET,
    counterpart: Participant | None = None,
    note: str = "",
    now: datetime | None = None,
) -> MeetingRequest:
    """The recipient accepts. For a company request the accepting staff member becomes the
    counterpart (an organiser accepting on the company's behalf names one)."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(request)
        if not may_answer_request(actor, locked):
            raise PermissionDenied(
                _("Only the person asked, their team or the organisers may answer.")
            )
        _accept_locked(locked, actor=actor, priority=priority, counterpart=counterpart, now=now)
        _transition(locked, S.ACCEPTED, actor=actor, note=note)
    return locked


def _accept_locked(
    locked: MeetingRequest,
    *,
    actor: Any,
    priority: str,
    counterpart: Participant | None,
    now: datetime,
) -> None:
    if locked.state == S.REQUESTED and locked.expires_at and locked.expires_at <= now:
        raise MeetingError("expired", _("This request has expired."))
    if locked.is_company_request and locked.state == S.REQUESTED:
        me = participant_of(actor)
        chosen = counterpart or me
        if chosen is None or not (
            chosen.organisation_id == locked.target_organisation_id
            and chosen.organisation_confirmed
        ):
            raise MeetingError(
                "not_staff", _("The meeting must be taken by confirmed staff of the company.")
            )
        if chosen.pk != (me.pk if me else None) and not is_organiser(actor):
            raise PermissionDenied(_("Only organisers may accept for a colleague."))
        if selectors.blocked_between(
            edition=locked.edition, a_id=chosen.pk, b_id=locked.requester_id
        ):
            raise MeetingError("blocked", _("A 'no thanks' stands between you and the requester."))
        locked.counterpart = chosen
    locked.counterpart_priority = Priority(priority)
    locked.save(update_fields=["counterpart", "counterpart_priority", "updated_at"])


def request_decline(
    *, actor: Any, request: MeetingRequest, note: str = "", no_thanks: bool = False
) -> MeetingRequest:
    """The recipient declines; ``no_thanks`` also blocks the pair from new requests."""
    with transaction.atomic():
        locked = _lock(request)
        if not may_answer_request(actor, locked):
            raise PermissionDenied(
                _("Only the person asked, their team or the organisers may answer.")
            )
        _transition(locked, S.DECLINED, actor=actor, note=note)
        if no_thanks:
            me = participant_of(actor)
            blocker = me if me is not None and me.pk != locked.requester_id else None
            blocker = blocker or locked.counterpart
            if blocker is not None:
                _block(edition=locked.edition, blocker=blocker, other_id=locked.requester_id)
    return locked


def request_cancel(*, actor: Any, request: MeetingRequest, note: str = "") -> MeetingRequest:
    """Either side (or an organiser) withdraws; a scheduled meeting is cancelled with it."""
    with transaction.atomic():
        locked = _lock(request)
        if not may_act_on_request(actor, locked):
            raise PermissionDenied(_("Only the two sides or the organisers may cancel."))
        _transition(locked, S.CANCELLED, actor=actor, note=note)
    return locked


def requests_expire(*, now: datetime | None = None) -> int:
    """Expire pending requests past their time (periodic task); returns how many."""
    now = now or timezone.now()
    ids = list(
        MeetingRequest.objects.filter(state=S.REQUESTED, expires_at__lte=now).values_list(
            "pk", flat=True
        )
    )
    done = 0
    with transaction.atomic():
        for locked in MeetingRequest.objects.select_for_update(skip_locked=True).filter(
            pk__in=ids, state=S.REQUESTED
        ):
            _transition(locked, S.EXPIRED, actor=None, note=_("No answer in time."))
            done += 1
    return done


# ---- no thanks ------------------------------------------------------------------------------


def _block(*, edition: Edition, blocker: Participant, other_id: int) -> PairBlock:
    low, high = sorted((blocker.pk, other_id))
    block, _created = PairBlock.objects.get_or_create(
        edition=edition, low_id=low, high_id=high, defaults={"blocked_by": blocker}
    )
    return block


def pair_block(*, actor: Any, edition: Edition, other: Participant) -> PairBlock:
    """'No thanks' to a person: neither may send the other a new request this edition."""
    me = participant_of(actor)
    if me is None:
        raise PermissionDenied(_("Only participants may say no thanks."))
    if me.pk == other.pk:
        raise MeetingError("bad_target", _("You cannot block yourself."))
    with transaction.atomic():
        return _block(edition=edition, blocker=me, other_id=other.pk)

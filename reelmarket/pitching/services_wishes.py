"""Writes of the financiers' meeting wishes and of the one-on-one grid built from them
(CineMart style): keyword-only functions, one transaction each, permission inside.
``services_after`` re-exports them, so callers import from there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reelmarket.market.rules import is_vetted_for, participant_of
from reelmarket.meetings import selectors as meeting_selectors
from reelmarket.meetings import services as meeting_services
from reelmarket.meetings.enums import PRIORITY_WEIGHT, Priority, RequestState
from reelmarket.meetings.errors import MeetingError
from reelmarket.meetings.models import MeetingRequest
from reelmarket.pitching.enums import SubmissionState
from reelmarket.pitching.errors import PitchError, PitchForbidden
from reelmarket.pitching.models import Call, MeetingWish, Submission
from reelmarket.pitching.rules_after import is_financier, is_project_side, may_manage_after

MAX_NOTE = 300


def _title(submission: Submission) -> str:
    return submission.project.title


def _organiser(actor: Any, message: str) -> None:
    if not may_manage_after(actor):
        raise PitchForbidden(message)


def wish_set(
    *, actor: Any, submission: Submission, priority: str = Priority.MEET, note: str = ""
) -> MeetingWish:
    """The actor wants to meet the project's producer ("I want to meet", with a priority).
    Setting it again changes the priority and note."""
    me = participant_of(actor)
    if me is None:
        raise PitchForbidden(_("Sign in with a participant profile to ask for meetings."))
    if submission.state != SubmissionState.SELECTED:
        raise PitchError("not_selected", _("Only selected projects take meeting wishes."))
    if is_project_side(actor, submission):
        raise PitchError("own_project", _("This is your own project."))
    if not is_financier(actor):
        raise PitchForbidden(
            _("Meeting wishes are for financiers, funds, co-producers and producers.")
        )
    if priority not in Priority.values:
        raise PitchError("bad_priority", _("Choose a priority."))
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise PitchError(
            "note_too_long", _("Keep the note under %(n)d characters.") % {"n": MAX_NOTE}
        )
    edition = submission.call.edition
    if not is_vetted_for(actor, edition):
        raise PitchError(
            "not_registered",
            _(
                "Your registration for %(edition)s is not approved yet; meetings are for "
                "approved participants."
            )
            % {"edition": edition.name},
        )
    if meeting_selectors.blocked_between(edition=edition, a_id=me.pk, b_id=submission.applicant_id):
        raise PitchError(
            "blocked",
            _("A “no thanks” stands between you and the producer of “%(title)s”.")
            % {"title": _title(submission)},
        )
    with transaction.atomic():
        wish, _created = MeetingWish.objects.update_or_create(
            submission=submission, participant=me, defaults={"priority": priority, "note": note}
        )
    return wish


def wish_withdraw(*, actor: Any, submission: Submission) -> None:
    """Take a wish back. A meeting request already made from it is cancelled with it; a
    meeting already in the agendas is cancelled from the agenda instead."""
    me = participant_of(actor)
    if me is None:
        raise PitchForbidden(_("Sign in with a participant profile to ask for meetings."))
    with transaction.atomic():
        wish = (
            MeetingWish.objects.select_for_update(of=("self",))
            .filter(submission=submission, participant=me)
            .select_related("request")
            .first()
        )
        if wish is None:
            raise PitchError("no_wish", _("You had not asked to meet this project."))
        request = wish.request
        if request is not None and request.state == RequestState.SCHEDULED:
            raise PitchError(
                "scheduled",
                _("Your meeting is already in the agendas; cancel it from your agenda."),
            )
        if request is not None and request.state in (RequestState.REQUESTED, RequestState.ACCEPTED):
            meeting_services.request_cancel(
                actor=actor, request=request, note=_("Meeting wish withdrawn.")
            )
        wish.delete()


@dataclass
class Skipped:
    wish: MeetingWish
    code: str
    message: str


@dataclass
class GridOutcome:
    """What building the one-on-one grid did: requests created, existing ones linked,
    wishes left aside with the reason."""

    created: list[MeetingWish] = field(default_factory=list)
    linked: list[MeetingWish] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def _skip(wish: MeetingWish, code: str, message: str) -> Skipped:
    return Skipped(wish=wish, code=code, message=str(message))


def _wish_request(*, actor: Any, wish: MeetingWish, now: datetime) -> tuple[MeetingRequest, bool]:
    """The accepted request for the wish: an open one between the two (accepted if it was
    still pending), else a new one from the financier, accepted for the producer.
    Returns (request, created). Raises MeetingError when the meetings rules refuse."""
    submission = wish.submission
    edition = submission.call.edition
    financier, producer = wish.participant, submission.applicant
    existing = meeting_selectors.open_request_between(
        edition=edition, a_id=financier.pk, b_id=producer.pk
    )
    if existing is not None:
        other = (
            MeetingWish.objects.filter(request=existing)
            .select_related("submission__project")
            .first()
        )
        if other is not None:  # the two already meet about another project of the producer
            raise PitchError(
                "same_pair",
                _("Covered by the meeting already planned about “%(title)s”.")
                % {"title": _title(other.submission)},
            )
        if existing.state == RequestState.REQUESTED:
            # The side answering keeps its own priority: the wish's when the financier
            # is the one asked, "meet" for the producer.
            answer = wish.priority if existing.requester_id == producer.pk else Priority.MEET
            meeting_services.request_accept(
                actor=actor, request=existing, priority=answer, now=now,
                note=_("Accepted from the pitch forum's meeting wishes."),
            )  # fmt: skip
        return existing, False
    message = _("Pitch forum %(call)s: I would like to meet about “%(title)s”.") % {
        "call": submission.call.name,
        "title": _title(submission),
    }
    if wish.note:
        message = f"{message}\n{wish.note}"
    # The wish is the financier's own request; the organiser only confirms it for the
    # producer. The request therefore comes from the financier (their quota, their
    # registration), and the acceptance is recorded as the organiser's.
    request = meeting_services.request_create(
        actor=financier.user,
        edition=edition,
        target_person=producer,
        message=message,
        priority=wish.priority,
        now=now,
    )
    meeting_services.request_accept(
        actor=actor,
        request=request,
        priority=Priority.MEET,
        note=_("Accepted from the pitch forum's meeting wishes."),
        now=now,
    )
    return request, True


def grid_from_wishes(*, actor: Any, call: Call, now: datetime | None = None) -> GridOutcome:
    """Turn the call's new meeting wishes into accepted meeting requests between each
    financier and the project's producer, ready for the meeting optimiser.

    Idempotent: wishes already linked to a request are left alone, so a re-run only adds
    the wishes made since. Must-meets go first (a financier's quota then runs out on the
    lesser wishes). Each wish is its own transaction: one refused by the meetings rules
    (a "no thanks" on either side, a producer not registered, a used-up quota) is reported
    and the others go ahead.
    """
    _organiser(actor, _("Only organisers build the one-on-one grid."))
    now = now or timezone.now()
    edition = call.edition
    try:
        meeting_selectors.grid_for(edition)
    except MeetingError as exc:
        raise PitchError("no_grid", exc.message) from None
    outcome = GridOutcome()
    wishes = sorted(
        MeetingWish.objects.filter(submission__call=call, request__isnull=True).select_related(
            "participant__user", "submission__project", "submission__applicant", "submission__call"
        ),
        key=lambda w: (-PRIORITY_WEIGHT.get(w.priority, 0), w.created_at, w.pk),
    )
    for wish in wishes:
        submission = wish.submission
        if submission.state != SubmissionState.SELECTED:
            outcome.skipped.append(
                _skip(wish, "not_selected", _("The project is no longer selected."))
            )
            continue
        if meeting_selectors.blocked_between(
            edition=edition, a_id=wish.participant_id, b_id=submission.applicant_id
        ):
            outcome.skipped.append(
                _skip(
                    wish,
                    "blocked",
                    _("%(a)s and %(b)s: a “no thanks” stands between them.")
                    % {"a": wish.participant.display_name, "b": submission.applicant.display_name},
                )
            )
            continue
        with transaction.atomic():
            locked = (
                MeetingWish.objects.select_for_update(skip_locked=True)
                .filter(pk=wish.pk, request__isnull=True)
                .first()
            )
            if locked is None:  # another organiser's run took it meanwhile
                continue
            try:
                with transaction.atomic():  # a refusal rolls back this wish only
                    request, created = _wish_request(actor=actor, wish=wish, now=now)
            except (MeetingError, PitchError) as exc:
                outcome.skipped.append(_skip(wish, exc.code, exc.message))
                continue
            locked.request = request
            locked.save(update_fields=["request"])
            wish.request = request
            (outcome.created if created else outcome.linked).append(wish)
    return outcome

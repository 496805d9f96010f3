"""Writes of matchmaking: recompute suggestions, give feedback, turn a suggestion into a
meeting request. Keyword-only, typed, one transaction each; permission checks inside.

The scoring itself happens in the Django-free core behind ``scoring_adapter``; this module
stores what it returns. ``recompute_for`` is the one-profile path (only that viewer's rows);
``recompute_all`` is the batch (every viewer, vectorised in the core, progress in a
``RecomputeRun``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reelmarket.catalogue.models import Title
from reelmarket.financing.models import Project
from reelmarket.market.models import Participant
from reelmarket.market.rules import is_organiser, participant_of
from reelmarket.market.selectors import current_edition
from reelmarket.matchmaking import scoring_adapter, scoring_batch, selectors
from reelmarket.matchmaking.enums import PERSON_KINDS, RunStatus, TargetKind, Verdict
from reelmarket.matchmaking.errors import MatchError
from reelmarket.matchmaking.models import (
    Feedback,
    RecomputeRun,
    StatedInterest,
    Suggestion,
    target_key,
)
from reelmarket.matchmaking.rules import may_recompute_all
from reelmarket.meetings.models import MeetingRequest

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]

# Rows written per executemany in the batch, and viewers replaced per transaction.
WRITE_CHUNK = 5000
FLUSH_VIEWERS = 1000
# A run still active after this long is taken to have died with its worker.
STALE_RUN = timedelta(hours=2)


# ---- storing what the core computed ---------------------------------------------------------


_COLUMNS = (
    "viewer_id",
    "kind",
    "key",
    "title_id",
    "person_id",
    "project_id",
    "rank",
    "score",
    "reasons",
    "title_ids",
    "computed_at",
)
_JSON_COLUMNS = frozenset({"reasons", "title_ids"})


def _rows(
    viewer_id: int, scored: Sequence[scoring_adapter.Scored], now: datetime
) -> list[tuple[Any, ...]]:
    """The stored rows of one viewer's suggestions of one kind, ranked 1, 2, ... (values in
    the order of ``_COLUMNS``, ready for the database)."""
    ops = connection.ops
    at = ops.adapt_datetimefield_value(now)
    rows = []
    for rank, item in enumerate(scored, start=1):
        rows.append(
            (
                viewer_id,
                item.kind,
                target_key(
                    kind=item.kind,
                    title_id=item.title_id,
                    person_id=item.person_id,
                    project_id=item.project_id,
                ),
                item.title_id,
                item.person_id,
                item.project_id,
                rank,
                item.score,
                scoring_adapter.reasons_json(item),
                _id_list(item.title_ids or ((item.title_id,) if item.title_id else ())),
                at,
            )
        )
    return rows


def _id_list(ids: Sequence[int]) -> str:
    """A JSON list of ids (what ``json.dumps`` writes, without its per-call set-up)."""
    return "[" + ", ".join(str(int(pk)) for pk in ids) + "]"


def _insert(rows: list[tuple[Any, ...]]) -> None:
    """Insert suggestion rows with one prepared statement (``bulk_create`` would split them
    into statements of 999 parameters on SQLite: 76 rows each)."""
    if not rows:
        return
    qn = connection.ops.quote_name
    # JSON arrives as text: PostgreSQL casts it to jsonb, SQLite stores it as it is.
    json_value = "%s::jsonb" if connection.vendor == "postgresql" else "%s"
    values = [json_value if c in _JSON_COLUMNS else "%s" for c in _COLUMNS]
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 (model names, no input)
        qn(Suggestion._meta.db_table), ", ".join(qn(c) for c in _COLUMNS), ", ".join(values)
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), WRITE_CHUNK):
            cursor.executemany(sql, rows[start : start + WRITE_CHUNK])


def _ranked_per_kind(scored: Sequence[scoring_adapter.Scored]) -> list[scoring_adapter.Scored]:
    """Best first within each kind (rank restarts at 1 per kind when stored)."""
    return sorted(
        scored,
        key=lambda s: (s.kind, -s.score, s.title_id or 0, s.person_id or 0, s.project_id or 0),
    )


def _lock_viewers(viewer_ids: Sequence[int]) -> None:
    """Serialise writers of the same viewers' rows (two recomputes of one viewer queue, they
    never interleave their delete and insert); locks in id order, so no deadlock."""
    list(
        Participant.objects.select_for_update()
        .filter(pk__in=list(viewer_ids))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _write(viewer_id: int, scored: Sequence[scoring_adapter.Scored], now: datetime) -> int:
    """Replace one viewer's rows (inside the caller's transaction)."""
    _lock_viewers([viewer_id])
    Suggestion.objects.filter(viewer_id=viewer_id).delete()
    rows = _viewer_rows(viewer_id, scored, now)
    _insert(rows)
    return len(rows)


def _viewer_rows(
    viewer_id: int, scored: Sequence[scoring_adapter.Scored], now: datetime
) -> list[tuple[Any, ...]]:
    ranked = _ranked_per_kind(scored)
    rows: list[tuple[Any, ...]] = []
    for kind in sorted({s.kind for s in scored}):
        rows.extend(_rows(viewer_id, [s for s in ranked if s.kind == kind], now))
    return rows


def recompute_for(*, participant: Participant, now: datetime | None = None) -> int:
    """Recompute ``participant``'s suggestions now; touches only their rows. Returns how
    many suggestions they have."""
    now = now or timezone.now()
    ((viewer_id, scored),) = list(scoring_adapter.score_viewers(viewer_ids=[participant.pk]))
    with transaction.atomic():
        return _write(viewer_id, scored, now)


def recompute_many(*, participant_ids: Sequence[int], now: datetime | None = None) -> int:
    """Recompute a few viewers (after a title changed); one scoring pass for all of them."""
    ids = sorted(set(participant_ids))
    if not ids:
        return 0
    now = now or timezone.now()
    written = 0
    for viewer_id, scored in scoring_adapter.score_viewers(viewer_ids=ids):
        with transaction.atomic():
            written += _write(viewer_id, scored, now)
    return written


def recompute_run_start(*, actor: Any) -> RecomputeRun:
    """An organiser queues a full recompute; its progress shows on the run."""
    if not may_recompute_all(actor):
        raise PermissionDenied(_("Only organisers recompute every suggestion."))
    from reelmarket.config.tasks import enqueue
    from reelmarket.matchmaking.tasks import recompute_all_task

    # A run left active by a worker that died long ago does not block the next one.
    RecomputeRun.objects.filter(is_active=True, created_at__lt=timezone.now() - STALE_RUN).update(
        is_active=False, status=RunStatus.FAILED, error="stale: no progress"
    )
    try:
        with transaction.atomic():
            run = RecomputeRun.objects.create(
                requested_by=actor if actor.is_authenticated else None
            )
            enqueue(recompute_all_task, run_id=run.pk)
    except IntegrityError:
        raise MatchError("run_active", _("A recompute is already under way.")) from None
    return run


def recompute_all(
    *, run: RecomputeRun | None = None, progress: Progress | None = None
) -> RecomputeRun:
    """Recompute every viewer's suggestions (batch, vectorised in the core).

    Each viewer's rows are replaced in their own short transaction, so pages keep working
    while the batch runs; ``run`` records progress every chunk of viewers.
    """
    run = run or RecomputeRun.objects.create(is_active=False)  # a direct call: not queued
    now = timezone.now()
    viewer_ids = selectors.viewer_ids()
    RecomputeRun.objects.filter(pk=run.pk).update(
        status=RunStatus.RUNNING, started_at=now, viewers_total=len(viewer_ids), error=""
    )
    done = written = 0
    try:
        pending: list[tuple[int, Sequence[scoring_adapter.Scored]]] = []
        # no cyclic collection while the batch's objects are alive: each one would walk them
        # all again (it had cost ~2 s of the demo batch between flushes)
        with scoring_batch.gc_paused():
            for viewer_id, scored in scoring_batch.score_all(viewer_ids=viewer_ids):
                pending.append((viewer_id, scored))
                if len(pending) >= FLUSH_VIEWERS:
                    written += _flush(pending, now)
                    done += len(pending)
                    pending = []
                    RecomputeRun.objects.filter(pk=run.pk).update(
                        viewers_done=done, suggestions=written
                    )
                    if progress:
                        progress(done, len(viewer_ids))
            written += _flush(pending, now)
            done += len(pending)
    except Exception as exc:
        RecomputeRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED,
            is_active=False,
            error=str(exc)[:2000],
            finished_at=timezone.now(),
            viewers_done=done,
            suggestions=written,
        )
        raise
    RecomputeRun.objects.filter(pk=run.pk).update(
        status=RunStatus.DONE,
        is_active=False,
        viewers_done=done,
        suggestions=written,
        finished_at=timezone.now(),
    )
    if progress:
        progress(done, len(viewer_ids))
    run.refresh_from_db()
    return run


def _flush(pending: list[tuple[int, Sequence[scoring_adapter.Scored]]], now: datetime) -> int:
    if not pending:
        return 0
    rows: list[tuple[Any, ...]] = []
    for viewer_id, scored in pending:
        rows.extend(_viewer_rows(viewer_id, scored, now))
    with transaction.atomic():
        _lock_viewers([v for v, _s in pending])
        Suggestion.objects.filter(viewer_id__in=[v for v, _s in pending]).delete()
        _insert(rows)
    return len(rows)


# ---- triggers -------------------------------------------------------------------------------


def queue_for_participant(*, participant_id: int) -> None:
    """A profile changed: recompute that one viewer when the transaction commits."""
    from reelmarket.config.tasks import enqueue
    from reelmarket.matchmaking.tasks import recompute_for_task

    enqueue(recompute_for_task, participant_id=participant_id)


def queue_for_titles(*, title_ids: Iterable[int]) -> None:
    """Titles changed: recompute the viewers those titles concern (see
    ``selectors.viewers_touched_by_titles``)."""
    from reelmarket.config.tasks import enqueue
    from reelmarket.matchmaking.tasks import recompute_titles_task

    ids = sorted(set(title_ids))
    if ids:
        enqueue(recompute_titles_task, title_ids=ids)


# ---- feedback -------------------------------------------------------------------------------


def _target_person(
    kind: str, person: Participant | None, project: Project | None
) -> Participant | None:
    """The person a "no thanks" is said to: the suggested person, or a project's producer."""
    if kind in PERSON_KINDS:
        return person
    if kind == TargetKind.PROJECT and project is not None:
        return project.owner
    return None


def feedback_give(
    *,
    actor: Any,
    kind: str,
    verdict: str,
    title: Title | None = None,
    person: Participant | None = None,
    project: Project | None = None,
    recompute: bool = True,
) -> Feedback:
    """The actor says "not interested", "more like this" or "no thanks" about a target.

    The verdict applies at once: the actor's suggestions are recomputed before this returns.
    "No thanks" to a person (or a project's producer) also blocks the pair for meetings
    this edition (``meetings.services.pair_block``), so the pair leaves both sides'
    meeting suggestions. Saying it again replaces the earlier verdict (one row per target).
    """
    me = participant_of(actor)
    if me is None:
        raise PermissionDenied(_("Only participants give feedback on suggestions."))
    if verdict not in Verdict.values:
        raise MatchError("bad_verdict", _("Unknown answer: %(value)s") % {"value": verdict})
    try:
        key = target_key(
            kind=kind,
            title_id=title.pk if title else None,
            person_id=person.pk if person else None,
            project_id=project.pk if project else None,
        )
    except ValueError:
        raise MatchError("bad_target", _("This is not something you can answer.")) from None
    if not selectors.target_visible(
        viewer=me, user=actor, kind=kind, title=title, person=person, project=project
    ):
        raise MatchError("not_found", _("This suggestion does not exist."))
    other = _target_person(kind, person, project)
    if verdict == Verdict.NO_THANKS:
        if other is None:
            raise MatchError(
                "bad_verdict",
                _("'No thanks' is said to a person; for a title say 'Not interested'."),
            )
        if other.pk == me.pk:
            raise MatchError("bad_target", _("You cannot say no thanks to yourself."))
    with transaction.atomic():
        feedback = _upsert(me, kind, key, verdict, title, person, project)
        if verdict == Verdict.NO_THANKS:
            assert other is not None
            _no_thanks(actor=actor, me=me, other=other)
    if recompute:
        recompute_for(participant=me)
        if verdict == Verdict.NO_THANKS and other is not None:
            queue_for_participant(participant_id=other.pk)
    return feedback


def _upsert(
    me: Participant,
    kind: str,
    key: str,
    verdict: str,
    title: Title | None,
    person: Participant | None,
    project: Project | None,
) -> Feedback:
    """One row per (viewer, kind, key) even when the same answer arrives twice at once."""
    for _attempt in range(3):
        updated = Feedback.objects.filter(viewer=me, kind=kind, key=key).update(
            verdict=verdict, updated_at=timezone.now()
        )
        if updated:
            return Feedback.objects.get(viewer=me, kind=kind, key=key)
        try:
            with transaction.atomic():
                return Feedback.objects.create(
                    viewer=me,
                    kind=kind,
                    key=key,
                    verdict=verdict,
                    title=title,
                    person=person,
                    project=project,
                )
        except IntegrityError:
            continue  # another request created it meanwhile: update that one
    raise MatchError("busy", _("Please try again."))


def _no_thanks(*, actor: Any, me: Participant, other: Participant) -> None:
    """Block the pair for meetings and drop it from both sides' stored person suggestions."""
    from reelmarket.meetings import services as meeting_services

    edition = current_edition()
    if edition is not None:
        meeting_services.pair_block(actor=actor, edition=edition, other=other)
    Suggestion.objects.filter(viewer=other, kind__in=PERSON_KINDS, person=me).delete()
    Suggestion.objects.filter(viewer=other, kind=TargetKind.PROJECT, project__owner=me).delete()
    Suggestion.objects.filter(viewer=me, kind__in=PERSON_KINDS, person=other).delete()
    Suggestion.objects.filter(viewer=me, kind=TargetKind.PROJECT, project__owner=other).delete()


def feedback_withdraw(*, actor: Any, feedback: Feedback) -> None:
    """Take back "not interested" / "more like this" (a "no thanks" block stays: the other
    side may rely on it)."""
    me = participant_of(actor)
    if me is None or (feedback.viewer_id != me.pk and not is_organiser(actor)):
        raise PermissionDenied(_("This is not your answer."))
    with transaction.atomic():
        feedback.delete()
    recompute_for(participant=feedback.viewer)


# ---- stated interests -----------------------------------------------------------------------

MAX_INTERESTS = 5


def interest_add(*, actor: Any, text: str) -> StatedInterest:
    """A buyer states an interest in their own words; synopses close to it score from now
    on (their suggestions are recomputed before this returns)."""
    from reelmarket.matchmaking.scoring_adapter import embed_interest

    me = participant_of(actor)
    if me is None:
        raise PermissionDenied(_("Only participants state interests."))
    clean = " ".join(str(text).split())
    if not clean:
        raise MatchError("bad_interest", _("Say in a few words what you are looking for."))
    if len(clean) > 120:
        raise MatchError("bad_interest", _("Keep it under 120 characters."))
    model, vector = embed_interest(clean)
    with transaction.atomic():
        _lock_viewers([me.pk])
        if StatedInterest.objects.filter(viewer=me).count() >= MAX_INTERESTS:
            raise MatchError(
                "too_many_interests",
                _("You can state up to %(count)s interests; remove one first.")
                % {"count": MAX_INTERESTS},
            )
        interest, _created = StatedInterest.objects.update_or_create(
            viewer=me, text=clean, defaults={"model": model, "vector": vector}
        )
    recompute_for(participant=me)
    return interest


def interest_remove(*, actor: Any, interest: StatedInterest) -> None:
    me = participant_of(actor)
    if me is None or interest.viewer_id != me.pk:
        raise PermissionDenied(_("This is not your interest."))
    with transaction.atomic():
        interest.delete()
    recompute_for(participant=me)


# ---- suggestion -> meeting request ----------------------------------------------------------


def suggestion_request_meeting(
    *, actor: Any, suggestion: Suggestion, message: str = ""
) -> MeetingRequest:
    """One click: ask the suggested person (or a title's company) for a meeting about the
    suggested titles. Meeting rules (quota, blocks, registration) apply as for any request
    and raise ``MeetingError``."""
    from reelmarket.meetings import services_web

    me = participant_of(actor)
    if me is None or suggestion.viewer_id != me.pk:
        raise PermissionDenied(_("This is not your suggestion."))
    edition = current_edition()
    if edition is None:
        raise MatchError("no_edition", _("There is no edition to meet at."))
    titles = selectors.titles_for_request(suggestion)
    if suggestion.kind == TargetKind.TITLE:
        assert suggestion.title is not None
        return services_web.request_create(
            actor=actor,
            edition=edition,
            target_organisation=suggestion.title.owner,
            message=message,
            titles=titles,
        )
    person = _target_person(suggestion.kind, suggestion.person, suggestion.project)
    if person is None:
        raise MatchError("bad_target", _("There is nobody to meet for this suggestion."))
    return services_web.request_create(
        actor=actor, edition=edition, target_person=person, message=message, titles=titles
    )

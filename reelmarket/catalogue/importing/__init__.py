"""Import titles from a CSV, XLSX or JSON Lines file (an exhibitor's sales spreadsheet).

:func:`import_titles` is the one entry point; the CLI (``reelmarket import-titles``) and the
web upload call it. It works in three steps:

1. a reader turns the file's bytes into rows of ``{column: value}``, each with its line
   (CSV: physical line, header = 1; XLSX: sheet row; JSONL: line);
2. :func:`row_to_title_input` turns a row into a :class:`TitleInput`, the one validation of a
   title, and names every problem by line and column; rights are checked for conflicts;
3. a file without problems is saved in batches (``services.titles_import_batch``, one
   transaction each), recorded in an :class:`ImportJob` so a run that stopped resumes at the
   first batch not done. A file with any problem is rejected whole: no title is written.

The column set and value syntax are documented for exhibitors in docs/import-format.md.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from reelmarket.catalogue import services
from reelmarket.catalogue.importing.readers import (
    COLUMNS,
    DEFAULT_BATCH_SIZE,
    FORMATS,
    REQUIRED_COLUMNS,
    ImportProblem,
    ImportRejected,
    format_for,
)
from reelmarket.catalogue.importing.rows import ParsedFile, parse_titles, row_to_title_input
from reelmarket.catalogue.models import ImportJob, Title
from reelmarket.catalogue.rules import may_edit_for_organisation
from reelmarket.market.models import Organisation

__all__ = [
    "COLUMNS",
    "CONSOLE_OPERATOR",
    "DEFAULT_BATCH_SIZE",
    "FORMATS",
    "REQUIRED_COLUMNS",
    "ConsoleOperator",
    "ImportProblem",
    "ImportRejected",
    "ImportResult",
    "ImportStopped",
    "ParsedFile",
    "format_for",
    "import_titles",
    "parse_titles",
    "row_to_title_input",
]

# --------------------------------------------------------------------------------------
# Who runs it, what comes out


@dataclass(frozen=True)
class ConsoleOperator:
    """Whoever runs a management command at the server console without naming a user.

    Shell access to the server already is full access to the database, so the console acts
    with an organiser's rights (``is_staff``), the trust Django's own ``createsuperuser``
    assumes. Imports it runs are recorded with no ``started_by`` user.
    """

    pk: None = None
    is_authenticated: bool = True
    is_active: bool = True
    is_staff: bool = True

    def __str__(self) -> str:
        return "console operator"


CONSOLE_OPERATOR = ConsoleOperator()


class ImportStopped(RuntimeError):
    """A batch failed after earlier batches were saved; importing the file again resumes."""

    def __init__(
        self, *, job_id: int, batch: int, batches: int, saved: int, total: int, cause: Exception
    ) -> None:
        self.job_id, self.batch, self.batches, self.saved, self.total = (
            job_id,
            batch,
            batches,
            saved,
            total,
        )
        self.cause = cause
        reason = str(cause) or type(cause).__name__
        super().__init__(
            f"The import stopped in batch {batch} of {batches}: {reason}. {saved} of {total} "
            f"titles are saved; import the same file again to resume at batch {batch}."
        )


@dataclass(frozen=True)
class ImportResult:
    total: int
    created: int
    updated: int
    dry_run: bool = False
    batches: int = 0
    resumed_batches: int = 0
    """Batches an earlier, interrupted run of the same file had saved (skipped this time)."""
    job_id: int | None = None

    def summary(self) -> str:
        titles = f"{self.total} title{'' if self.total == 1 else 's'}"
        if self.dry_run:
            return (
                f"{titles} valid: {self.created} would be created, {self.updated} updated "
                "(dry run, nothing saved)"
            )
        text = f"{titles}: {self.created} created, {self.updated} updated"
        if self.resumed_batches:
            text += (
                f" (resumed an interrupted import: {self.resumed_batches} of {self.batches}"
                " batches were already saved)"
            )
        return text


# --------------------------------------------------------------------------------------
# The run

Progress = Callable[[int, int], None]
"""Called with (titles saved so far, titles in the file) before the first and after each
batch."""


def _user_id(actor: Any) -> int | None:
    pk = getattr(actor, "pk", None)
    return pk if isinstance(pk, int) else None


def _mark_failed(job: ImportJob, *, line: int, batch: int, exc: BaseException) -> None:
    """Record why a run stopped; when even that fails (the database is gone), the job stays
    ``running``, which resumes just the same."""
    message = str(exc) or type(exc).__name__
    with contextlib.suppress(Exception):
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.FAILED,
            updated_at=timezone.now(),
            errors=[
                {
                    "line": line,
                    "column": None,
                    "message": message,
                    "text": f"batch {batch}: {message}",
                }
            ],
        )


def import_titles(
    *,
    actor: Any,
    owner: Organisation,
    path: str | Path | None = None,
    stream: IO[bytes] | None = None,
    file_name: str = "",
    fmt: str | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    dry_run: bool = False,
    resume: bool = True,
    progress: Progress | None = None,
) -> ImportResult:
    """Import a titles file (``path`` or a binary ``stream``) into ``owner``'s catalogue.

    Raises PermissionDenied (actor may not edit the owner's titles), ImportRejected (the
    file has problems; nothing is written, the rejection is recorded unless ``dry_run``)
    or ImportStopped (a batch failed; earlier batches stay saved and importing the same
    file again resumes after them, unless ``resume=False``). Re-importing a file that was
    fully imported runs again: titles are keyed by reference, so it updates, never
    duplicates.
    """
    if not may_edit_for_organisation(actor, owner.pk):
        raise PermissionDenied("You may only import into your own organisation's catalogue.")
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    if (path is None) == (stream is None):
        raise TypeError("give exactly one of path and stream")
    if path is not None:
        content = Path(path).read_bytes()
        file_name = file_name or Path(path).name
    else:
        content = stream.read()
        file_name = file_name or Path(str(getattr(stream, "name", "") or "upload")).name
    sha256 = hashlib.sha256(content).hexdigest()
    try:
        parsed = parse_titles(content, fmt=fmt or format_for(file_name))
    except ImportRejected as exc:
        if not dry_run:
            ImportJob.objects.create(
                owner=owner,
                file_name=file_name[:255],
                file_sha256=sha256,
                batch_size=batch_size,
                status=ImportJob.Status.REJECTED,
                errors=[p.as_dict() for p in exc.problems],
                started_by_id=_user_id(actor),
            )
        raise
    titles, total = parsed.titles, len(parsed.titles)
    if dry_run:
        existing = set(Title.objects.filter(owner=owner).values_list("reference", flat=True))
        known = sum(t.reference in existing for t in titles)
        return ImportResult(total=total, created=total - known, updated=known, dry_run=True)

    job = None
    if resume:
        job = (
            ImportJob.objects.filter(
                owner=owner,
                file_sha256=sha256,
                status__in=[ImportJob.Status.RUNNING, ImportJob.Status.FAILED],
            )
            .order_by("-started_at", "-id")
            .first()
        )
    if job is None:
        job = ImportJob.objects.create(
            owner=owner,
            file_name=file_name[:255],
            file_sha256=sha256,
            total_rows=total,
            batch_size=batch_size,
            started_by_id=_user_id(actor),
        )
    else:  # the same bytes: same rows, batched as before
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.RUNNING, errors=[], updated_at=timezone.now()
        )
    size = job.batch_size
    batches = [titles[i : i + size] for i in range(0, total, size)]
    resumed = job.batches_done
    if progress:
        progress(job.rows_done, total)
    for number in range(resumed, len(batches)):
        batch = batches[number]
        try:
            with transaction.atomic():
                done = (
                    ImportJob.objects.select_for_update()
                    .values_list("batches_done", flat=True)
                    .get(pk=job.pk)
                )
                if done <= number:  # else another run of the same file saved it meanwhile
                    created = services.titles_import_batch(actor=actor, owner=owner, rows=batch)
                    ImportJob.objects.filter(pk=job.pk).update(
                        batches_done=number + 1,
                        rows_done=F("rows_done") + len(batch),
                        created=F("created") + created,
                        updated_at=timezone.now(),
                    )
        except BaseException as exc:
            _mark_failed(job, line=parsed.lines[number * size], batch=number + 1, exc=exc)
            if not isinstance(exc, Exception):  # Ctrl-C, SystemExit: the job stays resumable
                raise
            raise ImportStopped(
                job_id=job.pk,
                batch=number + 1,
                batches=len(batches),
                saved=number * size,
                total=total,
                cause=exc,
            ) from exc
        if progress:
            progress(min((number + 1) * size, total), total)
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.DONE, updated_at=timezone.now()
    )
    job.refresh_from_db()
    return ImportResult(
        total=total,
        created=job.created,
        updated=total - job.created,
        batches=len(batches),
        resumed_batches=resumed,
        job_id=job.pk,
    )

"""``reelmarket import-titles FILE --organisation SLUG``: thin wrapper of importing.import_titles.

The file format is documented in docs/import-format.md.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from reelmarket.catalogue.importing import (
    CONSOLE_OPERATOR,
    DEFAULT_BATCH_SIZE,
    FORMATS,
    ImportRejected,
    ImportStopped,
    import_titles,
)
from reelmarket.market.models import Organisation


class Command(BaseCommand):
    help = (
        "Import titles from a CSV, XLSX or JSON Lines file into an organisation's catalogue. "
        "A file with any problem is rejected whole, with every problem listed by line; "
        "titles are matched by reference, so importing again updates them. "
        "See docs/import-format.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the .csv, .xlsx, .jsonl or .ndjson file")
        parser.add_argument(
            "--organisation", required=True, metavar="SLUG", help="whose catalogue to import into"
        )
        parser.add_argument(
            "--as",
            dest="as_user",
            metavar="USER_EMAIL",
            help="act as this user (a seller of the organisation or an organiser); "
            "without it the console operator imports with organiser rights",
        )
        parser.add_argument("--format", choices=FORMATS, help="instead of the file's extension")
        parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE, metavar="N")
        parser.add_argument("--dry-run", action="store_true", help="check the file, save nothing")
        parser.add_argument(
            "--no-resume",
            action="store_true",
            help="start again from the first batch instead of resuming a stopped import",
        )
        parser.add_argument("--quiet", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        owner = Organisation.objects.filter(slug=options["organisation"]).first()
        if owner is None:
            raise CommandError(f"No organisation with the slug “{options['organisation']}”.")
        actor = self._actor(options["as_user"])
        show_bar = not options["quiet"] and sys.stderr.isatty()
        bars: list[tqdm] = []

        def progress(done: int, total: int) -> None:
            if not show_bar:
                return
            if not bars:
                bars.append(tqdm(total=total, initial=done, unit="title", desc=path.name))
            bars[0].update(done - bars[0].n)

        try:
            result = import_titles(
                actor=actor,
                owner=owner,
                path=path,
                fmt=options["format"],
                batch_size=options["batch_size"],
                dry_run=options["dry_run"],
                resume=not options["no_resume"],
                progress=progress,
            )
        except PermissionDenied:
            raise CommandError(
                f"{options['as_user']} may not import titles into {owner.name} ({owner.slug}): "
                "only the organisation's sellers and market organisers may."
            ) from None
        except ImportRejected as exc:
            problems = "\n".join(f"  {message}" for message in exc.messages)
            count = len(exc.problems)
            raise CommandError(
                f"{path.name} was rejected and nothing was imported. "
                f"Fix {'this problem' if count == 1 else f'these {count} problems'} "
                f"and import it again:\n{problems}"
            ) from None
        except (ImportStopped, OSError) as exc:
            raise CommandError(str(exc)) from None
        except KeyboardInterrupt:
            raise CommandError(
                "Interrupted. The batches saved so far stay saved; import the same file again "
                "to resume after them."
            ) from None
        finally:
            for bar in bars:
                bar.close()
        self.stdout.write(result.summary())

    def _actor(self, email: str | None) -> Any:
        if not email:
            return CONSOLE_OPERATOR
        users = list(get_user_model().objects.filter(email__iexact=email.strip())[:2])
        if not users:
            raise CommandError(f"No user with the e-mail address {email}.")
        if len(users) > 1:
            raise CommandError(f"Several users have the e-mail address {email}.")
        if not users[0].is_active:
            raise CommandError(f"The account {email} is deactivated.")
        return users[0]

"""``reelmarket worker``: a Celery worker for this project's background tasks.

Thin: checks that a broker is configured, imports the tasks modules, hands the options to
Celery's own worker (``reelmarket.config.celery.app``).
"""

from __future__ import annotations

import argparse
import importlib
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from reelmarket.config import tasks

POOLS = ("prefork", "solo", "threads")


def _csv(value: str) -> list[str]:
    items = [item.strip() for item in value.split(",") if item.strip()]
    if not items:
        raise argparse.ArgumentTypeError(_("expected a comma-separated list"))
    return items


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("“%(value)s” is not a whole number") % {"value": value}
        ) from None
    if number < 1:
        raise argparse.ArgumentTypeError(_("%(number)d is not positive") % {"number": number})
    return number


class Command(BaseCommand):
    help = _(
        "Run a background worker (Celery) for the queues given, e.g. "
        "`reelmarket worker --queues search --concurrency 2`. Needs REELMARKET_BROKER_URL."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--queues",
            "-Q",
            type=_csv,
            default=None,
            help=_("comma-separated queues to consume (default: every registered queue)"),
        )
        parser.add_argument(
            "--concurrency",
            "-c",
            type=_positive,
            default=None,
            help=_("worker processes (default: one per CPU)"),
        )
        parser.add_argument(
            "--pool", choices=POOLS, default="prefork", help=_("execution pool (default prefork)")
        )
        parser.add_argument(
            "--include",
            "-I",
            type=_csv,
            default=[],
            help=_("extra comma-separated modules that register tasks"),
        )
        parser.add_argument("--loglevel", "-l", default="INFO", help=_("log level (INFO)"))
        parser.add_argument("--hostname", "-n", default="reelmarket@%h", help=_("worker node name"))

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.TASKS_BROKER_URL:
            raise CommandError(
                _(
                    "No broker configured: set REELMARKET_BROKER_URL (for example "
                    "redis://127.0.0.1:6379/0 or amqp://guest:guest@127.0.0.1:5672//). "
                    "Without one, background tasks run inside the web process and no worker "
                    "is needed."
                )
            )
        from reelmarket.config.celery import app

        tasks.autodiscover()
        for module in options["include"]:
            try:
                importlib.import_module(module)
            except ImportError as exc:
                raise CommandError(
                    _("Cannot import %(module)s: %(error)s") % {"module": module, "error": exc}
                ) from exc
        known = tasks.task_queues()
        queues = options["queues"] or known
        unknown = [q for q in queues if q not in known]
        if unknown:
            self.stderr.write(
                _("Warning: no registered task uses the queue(s) %(queues)s (known: %(known)s)")
                % {"queues": ", ".join(unknown), "known": ", ".join(known)}
            )
        self.stdout.write(
            _("Worker for queues %(queues)s on %(broker)s")
            % {"queues": ", ".join(queues), "broker": _redacted(settings.TASKS_BROKER_URL)}
        )
        argv = [
            "worker",
            f"--queues={','.join(queues)}",
            f"--pool={options['pool']}",
            f"--loglevel={options['loglevel']}",
            f"--hostname={options['hostname']}",
            "--without-gossip",
            "--without-mingle",
        ]
        if options["concurrency"]:
            argv.append(f"--concurrency={options['concurrency']}")
        app.worker_main(argv)


def _redacted(url: str) -> str:
    """The broker URL without its password."""
    from kombu.utils.url import maybe_sanitize_url

    return maybe_sanitize_url(url)

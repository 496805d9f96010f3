"""``reelmarket meetings expire``: the periodic housekeeping of meeting requests (cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from reelmarket.config.tasks import wait_idle
from reelmarket.meetings.services_web import requests_expire_and_notify


class Command(BaseCommand):
    help = "Meeting housekeeping. 'expire': expire overdue requests and mail the requesters."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("expire", help="Expire pending requests past their time (run from cron).")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "expire":
            count = requests_expire_and_notify()
            # Mail runs on the in-process queue when there is no broker; let it finish.
            wait_idle(timeout=120)
            self.stdout.write(f"Expired {count} request(s).")

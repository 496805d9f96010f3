"""``reelmarket schedule solve|generate|check``: the meeting solver on JSON files."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reelmarket.meetings.solver.cli import check_files, generate_file, solve_file
from reelmarket.meetings.solver.model import SolverInputError


class Command(BaseCommand):
    help = "Schedule meetings from a JSON problem file (see docs/scheduler.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        s = sub.add_parser("solve", help="solve INPUT.json into OUTPUT.json")
        s.add_argument("input")
        s.add_argument("-o", "--output", required=True)
        s.add_argument("--time-limit", type=float, default=30.0, help="seconds (default 30)")
        s.add_argument("--seed", type=int, default=0)
        g = sub.add_parser("generate", help="write a seeded FILMART-like problem")
        g.add_argument("-o", "--output", required=True)
        g.add_argument("--seed", type=int, default=1)
        g.add_argument("--people", type=int, default=7500)
        g.add_argument("--requests", type=int, default=50000)
        g.add_argument("--booths", type=int, default=720)
        g.add_argument("--shared-tables", type=int, default=130)
        c = sub.add_parser("check", help="verify OUTPUT.json against INPUT.json")
        c.add_argument("input")
        c.add_argument("output")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "solve":
                doc = solve_file(
                    options["input"],
                    options["output"],
                    time_limit=options["time_limit"],
                    seed=options["seed"],
                )
                self.stdout.write(
                    f"objective {doc['objective']}, upper bound {doc['upper_bound']},"
                    f" gap {100 * doc['gap']:.3f} %, {len(doc['assignments'])} meetings,"
                    f" {len(doc['left_out'])} left out, {doc['timings']['total']:.1f} s"
                )
            elif options["action"] == "generate":
                doc = generate_file(
                    options["output"],
                    seed=options["seed"],
                    people=options["people"],
                    requests=options["requests"],
                    booths=options["booths"],
                    shared_tables=options["shared_tables"],
                )
                self.stdout.write(
                    f"{len(doc['people'])} people, {len(doc['requests'])} requests,"
                    f" {len(doc['fixed'])} fixed -> {options['output']}"
                )
            else:
                errors = check_files(options["input"], options["output"])
                if errors:
                    shown = "\n".join(errors[:20])
                    raise CommandError(f"{len(errors)} violations:\n{shown}")
                self.stdout.write("schedule is valid")
        except SolverInputError as exc:
            raise CommandError(str(exc)) from exc

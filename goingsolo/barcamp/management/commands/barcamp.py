"""`goingsolo barcamp ACTION …`: the barcamp scheduler from the command line.

goingsolo barcamp schedule PATH.json [--seconds N] [--seed N]
    reads a problem (rooms, slots, sessions, interests: docs/barcamp.md, "Scheduler"),
    prints the schedule as JSON on standard output; on invalid input, prints why on
    standard error and exits with status 2
"""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils.translation import gettext

from goingsolo.barcamp.scheduling import (
    SOLVE_SECONDS,
    ProblemError,
    problem_from_json,
    schedule_to_json,
    solve,
)

EXIT_INVALID = 2


class Command(BaseCommand):
    help = "The barcamp scheduler: schedule reads a problem as JSON and prints a schedule."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        schedule = actions.add_parser(
            "schedule", help="print the best schedule found for the problem in PATH (JSON)"
        )
        schedule.add_argument("path", type=Path, help="the problem, as JSON")
        schedule.add_argument(
            "--seconds",
            type=float,
            default=SOLVE_SECONDS,
            help=f"the most time the search may take (default {SOLVE_SECONDS:g})",
        )
        schedule.add_argument(
            "--seed", type=int, default=0, help="the same seed gives the same schedule"
        )

    def handle(self, *args, action, **options):
        getattr(self, "handle_" + action)(**options)

    def handle_schedule(self, *, path, seconds, seed, **options):
        if not seconds > 0:
            self._fail(gettext("--seconds must be more than 0."))
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            self._fail(
                gettext("Cannot read %(path)s: %(error)s")
                % {"path": path, "error": getattr(error, "strerror", None) or error}
            )
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            self._fail(
                gettext("%(path)s is not valid JSON (line %(line)s, column %(column)s): %(error)s.")
                % {"path": path, "line": error.lineno, "column": error.colno, "error": error.msg}
            )
        try:
            schedule = solve(problem_from_json(data), seconds=seconds, seed=seed)
        except ProblemError as error:
            self._fail(str(error))
        self.stdout.write(json.dumps(schedule_to_json(schedule), ensure_ascii=False, indent=2))

    def _fail(self, message):
        self.stderr.write(message)
        sys.exit(EXIT_INVALID)

"""``nearer loop fit DIARY.csv [--out ESTIMATES.csv]``: fit the loop for every person in a diary file."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from nearer.analysis.csvio import run_loop_fit


class Command(BaseCommand):
    help = ("Fit the closeness-and-mood loop for every person in a diary CSV "
            "(columns person_id,date,mood,closeness). See docs/loop-fit.md.")
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", choices=["fit"], help="What to do (only 'fit' for now).")
        parser.add_argument("diary", help="The diary CSV file.")
        parser.add_argument("--out", default=None, help="Write the estimates here (atomically) instead of printing them.")

    def handle(self, *args: Any, **opts: Any) -> None:
        code = run_loop_fit(opts["diary"], opts["out"], stdout=self.stdout, stderr=self.stderr)  # type: ignore[arg-type]
        if code != 0:
            raise CommandError("The loop fit did not run; see the messages above.", returncode=code)

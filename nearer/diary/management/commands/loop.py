"""``nearer loop fit DIARY.csv [--out ESTIMATES.csv]`` and ``nearer loop refit``.

``fit`` fits the loop for every person in a diary file (``nearer loop fit`` runs it without
starting Django: :func:`nearer.analysis.csvio.loop_main`).  ``refit`` refits the population
prior from everyone's check-ins now, as the nightly job does; pages never refit it themselves.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = ("fit: fit the closeness-and-mood loop for every person in a diary CSV "
            "(columns person_id,date,mood,closeness; see docs/loop-fit.md). "
            "refit: refit the population prior from every check-in now (the nightly job does it too).")
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", choices=["fit", "refit"], help="fit a diary file, or refit the population prior")
        parser.add_argument("diary", nargs="?", help="The diary CSV file (fit only).")
        parser.add_argument("--out", default=None, help="Write the estimates here (atomically) instead of printing them.")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["action"] == "refit":
            from nearer.diary.tasks import refit_loops

            t0 = time.perf_counter()
            row = refit_loops()
            prior = "fitted" if row.data else "too few people: the built-in prior stays in use"
            self.stdout.write(f"Refitted the loop population from {row.n_people} people's check-ins "
                              f"({prior}) in {time.perf_counter() - t0:.1f} s.")
            return
        if not opts["diary"]:
            raise CommandError("nearer loop fit needs a diary file: nearer loop fit DIARY.csv [--out ESTIMATES.csv]")
        from nearer.analysis.csvio import run_loop_fit

        code = run_loop_fit(opts["diary"], opts["out"], stdout=self.stdout, stderr=self.stderr)  # type: ignore[arg-type]
        if code != 0:
            raise CommandError("The loop fit did not run; see the messages above.", returncode=code)

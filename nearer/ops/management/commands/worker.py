from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = ("Run background work. With NEARER_REDIS_URL: a Celery worker with beat (every periodic job). "
            "--embedded runs the built-in scheduler instead (no Redis); --once runs what is due and exits.")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--embedded", action="store_true", help="Use the built-in scheduler (no Redis needed).")
        parser.add_argument("--once", action="store_true", help="Run every job that is due now, then exit.")
        parser.add_argument("--concurrency", type=int, default=2)
        parser.add_argument("--no-beat", action="store_true", help="Celery worker only (beat runs elsewhere).")

    def handle(self, *args: Any, **opts: Any) -> None:
        from nearer.ops.scheduler import EmbeddedScheduler, run_due

        if opts["once"]:
            for name, summary in run_due().items():
                self.stdout.write(f"{name}: {summary}")
            return
        if opts["embedded"]:
            self.stdout.write("Running the embedded scheduler (Ctrl+C stops it).")
            sched = EmbeddedScheduler()
            sched.start()
            try:
                while sched.is_alive():
                    time.sleep(1)
            except KeyboardInterrupt:
                sched.stop()
            return
        if not settings.REDIS_URL:
            raise CommandError("Set NEARER_REDIS_URL for the Celery worker, or use `nearer worker --embedded`.")
        from nearer.celery import app

        argv = ["worker", "--loglevel=INFO", f"--concurrency={opts['concurrency']}"]
        if not opts["no_beat"]:
            from pathlib import Path

            schedule = Path(settings.CELERY_BEAT_SCHEDULE_FILENAME)  # in var/, not the current directory
            schedule.parent.mkdir(parents=True, exist_ok=True)
            argv += ["--beat", f"--schedule={schedule}"]
        app.worker_main(argv)

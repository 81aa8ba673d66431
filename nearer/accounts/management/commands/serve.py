from __future__ import annotations

import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Nearer at http://127.0.0.1:8000 on the configured database (migrating first)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--no-migrate", action="store_true")

    def handle(self, *args: Any, **opts: Any) -> None:
        if not opts["no_migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
        from django.conf import settings

        if settings.NEARER_EMBEDDED_SCHEDULER:
            import atexit
            import subprocess

            # Reminders, alert escalation, due questionnaires and the nightly refit, with no extra
            # services: a separate process, because gunicorn forks its workers from this one.
            scheduler = subprocess.Popen([sys.executable, "-m", "nearer.cli", "worker", "--embedded"])
            atexit.register(scheduler.terminate)
        from gunicorn.app.wsgiapp import run

        self.stdout.write(f"Nearer is at http://{opts['host']}:{opts['port']}/ (Ctrl+C stops it)")
        sys.argv = [
            "gunicorn",
            "nearer.wsgi:application",
            "--bind", f"{opts['host']}:{opts['port']}",
            "--workers", str(opts["workers"]),
            "--threads", "4",
            "--access-logformat", '%(h)s "%(m)s %(U)s" %(s)s %(L)ss',
            "--access-logfile", "-",
            "--timeout", "60",
            # preload the app once in the master and warm each worker after fork (nearer/gunicorn_conf.py)
            "--config", "python:nearer.gunicorn_conf",
        ]
        run()

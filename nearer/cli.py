"""The ``nearer`` console command: one front door for everything a user or operator runs.

``nearer <command> [args]`` runs the Django management command of the same name with Nearer's
settings. ``nearer --help`` lists the commands Nearer adds, with a line on each.
"""

from __future__ import annotations

import os
import sys

COMMANDS = {
    "serve": "Serve Nearer at http://127.0.0.1:8000 (migrates first; background tasks run inside).",
    "demo": "Create the demo people (Sam, Alex, Dr. Rivera) and their history; print the logins.",
    "demo-code": "Print the current sign-in code for a demo therapist's authenticator.",
    "migrate": "Create or update the database tables.",
    "createsuperuser": "Create an operator account for the admin site.",
    "export": "Write everything one person owns to a zip of JSON and CSV.",
    "rotate-keys": "Re-encrypt all stored text under the newest key in NEARER_ENCRYPTION_KEYS.",
    "loop": "Fit the closeness-and-mood loop: nearer loop fit DIARY.csv [--out ESTIMATES.csv]; "
            "nearer loop refit refits the population prior now.",
    "measures": "Manage questionnaires: nearer measures add FILE.json | list.",
    "backup": "Write an encrypted backup of the database (rekey FILE...: make old backups outlive key rotation).",
    "restore": "Restore an encrypted backup archive (--check FILE verifies one without restoring).",
    "worker": "Run background work: Celery worker + beat with Redis, or --embedded without it.",
    "vapid-keys": "Print a new VAPID key pair for Web Push notifications.",
    "escalate-alerts": "Send urgent safety alerts not acknowledged in time to the clinic's on-call contact.",
    "check": "Check the configuration (add --deploy for production checks).",
}


def _help() -> str:
    width = max(len(c) for c in COMMANDS)
    lines = ["usage: nearer <command> [options]", "", "Commands:"]
    lines += [f"  {name.ljust(width)}  {text}" for name, text in COMMANDS.items()]
    lines += ["", "Any other Django management command also works, e.g. `nearer shell`.",
              "Run `nearer <command> --help` for a command's options."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help", "help"}:
        print(_help())
        return
    if args[0] == "loop" and args[1:2] != ["refit"] and "--traceback" not in args:
        # A file in, a file out: no settings, apps or database, so Django is not started.
        from nearer.analysis.csvio import loop_main

        code = loop_main(args[1:])
        if argv is None:
            _end_process(code)
        raise SystemExit(code)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nearer.settings")
    if "--traceback" not in args:
        problem = _settings_problem()
        if problem:
            # One plain line instead of a 20-line traceback ending in the same message.
            print(f"nearer: the configuration is not valid: {problem}\n"
                  "Every variable is described in .env.example and docs/operating.md (Environment variables).",
                  file=sys.stderr)
            raise SystemExit(2)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["nearer", *args])


def _end_process(code: int) -> None:
    """End the process now, once what was printed is flushed: the console command's last step.

    Only for the process entry point (``main()`` without arguments): the estimates are written and
    renamed into place, and nothing is left to clean up, so the interpreter's own teardown (freeing
    every object of numpy and pyarrow one by one: 20-35 ms, a tenth of ``nearer loop fit``) is
    skipped.  When a flush fails (a closed pipe), the ordinary exit reports it as it always did.
    """
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except Exception:
        raise SystemExit(code) from None
    os._exit(code)


def _settings_problem() -> str | None:
    """The message of a settings error (a missing secret, a malformed value), or None when they load.

    Messages name the variable and, for numbers and switches, the value; never a secret or a key.
    """
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        settings.INSTALLED_APPS  # noqa: B018 - reading one setting imports the settings module
    except ImproperlyConfigured as exc:
        return str(exc)
    except ValueError as exc:  # dj-database-url: an unknown scheme in DATABASE_URL (names only the scheme)
        return f"DATABASE_URL: {exc}"
    return None


if __name__ == "__main__":
    main()

"""``nearer check --deploy``: what an operator must fix before (and while) people rely on the site.

Registered as deployment checks, so they run with ``--deploy`` only: a stale or never-seen worker,
a backup folder Nearer cannot use, backups that will not open, and unsafe defaults left in place.
Messages name settings and files, never personal data or keys.
"""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning

# The suite's fixed key ring (nearer/settings_test.py): published in the repository, so never secret.
_TEST_KEY_IDS_AND_KEYS = {
    "dGVzdC1rZXktdHdvLXRlc3Qta2V5LXR3by10ZXN0LWs=",
    "dGVzdC1rZXktb25lLXRlc3Qta2V5LW9uZS10ZXN0LWs=",
}


def check_worker(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    from nearer.ops.health import STALE_AFTER, database_status, worker_status

    if database_status() != "ok":
        return [Error("The database does not answer; cannot tell whether the worker runs.", id="nearer.E110")]
    try:
        worker = worker_status()
    except Exception:  # noqa: BLE001 - an unmigrated database: `nearer migrate` first
        return [Error("The worker's heartbeat table is missing.", hint="Run `nearer migrate`.", id="nearer.E111")]
    how = ("`nearer worker` (Celery and beat, with NEARER_REDIS_URL)" if settings.REDIS_URL
           else "`nearer serve` (its embedded scheduler) or `nearer worker --embedded`")
    minutes = int(STALE_AFTER.total_seconds() // 60)
    if worker["status"] == "never":
        return [Warning("No scheduled job has run yet: reminders, safety-alert escalation and due "
                        "questionnaires are not being handled.", hint=f"Start {how}.", id="nearer.W110")]
    if worker["status"] == "stale":
        return [Warning(f"The worker is stale: the last scheduled job finished {worker['last_run_seconds_ago']} s "
                        f"ago (more than {minutes} minutes). Safety alerts are not being escalated.",
                        hint=f"Check that {how} is running.", id="nearer.W111")]
    if worker["last_run_ok"] is False:
        return [Warning("The last scheduled job failed.", hint="Read the worker's log.", id="nearer.W112")]
    return []


def check_backups(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    from nearer.ops.backup import BackupError, backup_dir, backups_needing_keys, read_header, sealing

    out: list[CheckMessage] = []
    folder = backup_dir()
    if not folder.exists():
        out.append(Warning(f"The backup folder {folder} does not exist.",
                           hint="Create it (mode 700) or set NEARER_BACKUP_DIR, and schedule `nearer backup`.",
                           id="nearer.W120"))
    elif not folder.is_dir() or not os.access(folder, os.R_OK | os.W_OK | os.X_OK):
        out.append(Error(f"The backup folder {folder} cannot be read and written by this user.",
                         hint="Fix its owner or mode (700), or point NEARER_BACKUP_DIR elsewhere.", id="nearer.E120"))
        return out
    else:
        unreadable = []
        for path in sorted(folder.glob("*.backup")):
            try:
                with path.open("rb") as fh:
                    read_header(fh.read(8192))
            except (OSError, BackupError):
                unreadable.append(path.name)
        if unreadable:
            out.append(Error(f"Backups that cannot be read: {', '.join(unreadable[:5])}"
                             + (" …" if len(unreadable) > 5 else ""),
                             hint="Check their mode and owner; `nearer restore --check FILE` says more.",
                             id="nearer.E121"))
        at_risk = backups_needing_keys()
        if at_risk:
            out.append(Warning(f"{len(at_risk)} backups need encryption keys that key rotation will retire "
                               f"(e.g. {at_risk[0][0].name}: {at_risk[0][1]}).",
                               hint="Set NEARER_BACKUP_KEY and run `nearer backup rekey FILE...`.", id="nearer.W121"))
    if sealing() == "key-ring":
        out.append(Warning("Backups are sealed with the encryption key ring: neither NEARER_BACKUP_KEY nor "
                           "NEARER_BACKUP_PASSPHRASE is set, so a backup stops opening once its key is retired.",
                           hint="`nearer backup --generate-key` prints a NEARER_BACKUP_KEY; keep it apart from "
                                "the backups.", id="nearer.W122"))
    return out


def check_unsafe_defaults(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    out: list[CheckMessage] = []
    spec = settings.NEARER_ENCRYPTION_KEYS or ""
    if any(part.split(":", 1)[-1].strip() in _TEST_KEY_IDS_AND_KEYS for part in spec.split(",")):
        out.append(Error("NEARER_ENCRYPTION_KEYS holds the test suite's published key.",
                         hint="Generate keys with `nearer rotate-keys --generate`.", id="nearer.E130"))
    if not settings.PRODUCTION:
        out.append(Warning(f"NEARER_ENV is {settings.NEARER_ENV!r}, not 'production': development defaults "
                           "(no HTTPS redirect, insecure cookies, a generated key ring in var/) are in force.",
                           hint="Set NEARER_ENV=production.", id="nearer.W130"))
    if settings.EMAIL_BACKEND.endswith(("console.EmailBackend", "locmem.EmailBackend", "dummy.EmailBackend")):
        out.append(Warning("Email goes nowhere (console backend): therapists get no safety-alert mails and "
                           "people no sign-in or reminder mails.",
                           hint="Set NEARER_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and the "
                                "NEARER_EMAIL_* settings.", id="nearer.W131"))
    if not settings.SITE_URL.startswith("https://"):
        out.append(Warning(f"NEARER_SITE_URL is {settings.SITE_URL}: links in emails would not use HTTPS.",
                           hint="Set it to the public https:// address.", id="nearer.W132"))
    db = settings.DATABASES["default"]
    if "sqlite" in db["ENGINE"] and "synchronous=FULL" not in db.get("OPTIONS", {}).get("init_command", ""):
        out.append(Warning("SQLite is not in synchronous=FULL mode: a power cut can lose acknowledged writes.",
                           id="nearer.W133"))
    if settings.REDIS_URL and settings.NEARER_EMBEDDED_SCHEDULER:
        out.append(Warning("NEARER_REDIS_URL is set and the embedded scheduler is on: jobs run in two places.",
                           hint="Set NEARER_EMBEDDED_SCHEDULER=false on app servers and run `nearer worker`.",
                           id="nearer.W134"))
    return out

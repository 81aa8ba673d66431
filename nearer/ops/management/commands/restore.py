from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from nearer.ops.backup import BackupError, check_backup, restore_backup


class Command(BaseCommand):
    help = ("Restore an encrypted backup into an empty database migrated to the same version; every table's "
            "digest is checked afterwards. --check verifies a backup without restoring it.")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file")
        parser.add_argument("--force", action="store_true", help="Replace the rows of a database that is not empty.")
        parser.add_argument("--check", action="store_true",
                            help="Only verify: open it, check every table's digest and decrypt every encrypted "
                                 "value; exit 1 if anything fails.")

    def handle(self, *args: Any, **opts: Any) -> None:
        path = Path(opts["file"])
        if not path.exists():
            raise CommandError(f"No such file: {path}")
        try:
            blob = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from None
        if opts["check"]:
            self._check(path, blob)
            return
        try:
            summary = restore_backup(blob, force=opts["force"])
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        line = f"Restored {summary['tables']} tables, {summary['rows']} rows; every table checked."
        if summary["rewrapped"]:
            line += (f" {summary['rewrapped']} values written with keys since retired were re-encrypted "
                     "under today's active key.")
        self.stdout.write(line)

    def _check(self, path: Path, blob: bytes) -> None:
        try:
            report = check_backup(blob)
        except BackupError as exc:
            raise CommandError(f"{path}: {exc}") from None
        self.stdout.write(
            f"{path}: made {report['created_at']} on {report['vendor']}; {report['tables']} tables, "
            f"{report['rows']} rows, {report['encrypted_values']} encrypted values; sealed with the "
            f"{report['sealed_with'].replace('-', ' ')}; data keys used: {', '.join(report['data_keys_used']) or '(none)'}."
        )
        if report["self_contained"]:
            self.stdout.write("It carries every data key it needs: it stays readable after key rotation.")
        else:
            self.stdout.write("It depends on keys in NEARER_ENCRYPTION_KEYS: re-key it (`nearer backup rekey "
                              f"{path}`) before retiring them.")
        if not report["same_migrations"]:
            self.stdout.write("It was made by another version (migrations differ): restore it with that version.")
        if not report["ok"]:
            for problem in report["problems"]:
                self.stderr.write(f"Problem: {problem}")
            raise CommandError("The backup failed its check.")
        self.stdout.write("Check passed: every table matches its digest and every encrypted value decrypts.")

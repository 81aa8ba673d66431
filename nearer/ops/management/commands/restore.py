from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from nearer.ops.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = ("Restore an encrypted backup into an empty database migrated to the same version; "
            "every table's digest is checked afterwards.")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file")
        parser.add_argument("--force", action="store_true", help="Replace the rows of a database that is not empty.")

    def handle(self, *args: Any, **opts: Any) -> None:
        path = Path(opts["file"])
        if not path.exists():
            raise CommandError(f"No such file: {path}")
        try:
            summary = restore_backup(path.read_bytes(), force=opts["force"])
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Restored {summary['tables']} tables, {summary['rows']} rows; every table checked.")

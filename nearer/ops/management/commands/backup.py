from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from nearer.ops.backup import BackupError, make_backup


class Command(BaseCommand):
    help = ("Write an encrypted backup (AES-256-GCM) of every table. The key comes from "
            "NEARER_BACKUP_PASSPHRASE, or from the encryption key ring when that is unset.")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--out", required=True, help="File to write (created with mode 600).")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            blob, summary = make_backup()
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        out = Path(opts["out"])
        tmp = out.with_name(out.name + ".partial")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(blob)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, out)
        self.stdout.write(f"Wrote {out} ({len(blob)} bytes): {summary['tables']} tables, {summary['rows']} rows.")

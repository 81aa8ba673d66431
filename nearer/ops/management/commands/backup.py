from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from nearer.ops.backup import BackupError, backup_dir, make_backup, rekey_backup, sealing


def write_private(out: Path, blob: bytes) -> None:
    """Write ``blob`` to ``out`` (mode 600) through a temporary file, so a crash never leaves half a backup."""
    tmp = out.with_name(out.name + ".partial")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(blob)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, out)


class Command(BaseCommand):
    help = ("Write an encrypted backup (AES-256-GCM) of every table but sessions and other ephemeral ones, "
            "from one consistent snapshot. It carries the data keys its values were written with, sealed "
            "with NEARER_BACKUP_PASSPHRASE or NEARER_BACKUP_KEY, so it outlives key rotation. "
            "`nearer backup rekey FILE...` re-seals older backups that do not.")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", nargs="?", choices=["rekey"],
                            help="rekey: make the named backups carry their data keys and seal them with the "
                                 "backup key or passphrase (run before retiring old keys).")
        parser.add_argument("files", nargs="*", help="Backups to re-key (with `rekey`).")
        parser.add_argument("--out", help="File to write (mode 600); default: NEARER_BACKUP_DIR/nearer-<time>.backup.")
        parser.add_argument("--generate-key", action="store_true",
                            help="Print a new value for NEARER_BACKUP_KEY and stop.")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["generate_key"]:
            from nearer.privacy.crypto import generate_key_spec

            self.stdout.write(generate_key_spec("bk" + dt.datetime.now(dt.UTC).strftime("%Y%m%d")))
            return
        if opts["action"] == "rekey":
            self._rekey([Path(f) for f in opts["files"]])
            return
        if opts["files"]:
            raise CommandError("Unexpected arguments; did you mean `nearer backup rekey FILE...`?")
        try:
            blob, summary = make_backup()
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        if opts["out"]:
            out = Path(opts["out"])
        else:
            folder = backup_dir()
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            out = folder / f"nearer-{dt.datetime.now(dt.UTC):%Y%m%d-%H%M%S}.backup"
        write_private(out, blob)
        self.stdout.write(f"Wrote {out} ({len(blob)} bytes): {summary['tables']} tables, {summary['rows']} rows.")
        if summary["sealing"] == "key-ring":
            self.stderr.write("Warning: sealed with the encryption key ring (neither NEARER_BACKUP_KEY nor "
                              "NEARER_BACKUP_PASSPHRASE is set); it becomes unreadable once key "
                              "rotation retires today's key. `nearer backup --generate-key` prints a backup key.")
        if summary["missing_keys"]:
            self.stderr.write("Warning: some values were written with keys not in NEARER_ENCRYPTION_KEYS "
                              f"({', '.join(summary['missing_keys'])}); they cannot be read from this backup.")

    def _rekey(self, files: list[Path]) -> None:
        if not files:
            raise CommandError("Name the backups to re-key: nearer backup rekey FILE...")
        if sealing() == "key-ring":
            raise CommandError("Set NEARER_BACKUP_KEY (`nearer backup --generate-key` prints one) or "
                               "NEARER_BACKUP_PASSPHRASE first: re-keying seals backups with one of them.")
        failed = 0
        for path in files:
            try:
                blob, info = rekey_backup(path.read_bytes())
            except (OSError, BackupError) as exc:
                failed += 1
                self.stderr.write(f"{path}: {exc}")
                continue
            write_private(path, blob)
            self.stdout.write(f"{path}: re-keyed; carries data keys {', '.join(info['data_keys']) or '(none)'}, "
                              f"sealed with the {info['sealing'].replace('-', ' ')}.")
        if failed:
            raise CommandError(f"{failed} of {len(files)} backups could not be re-keyed.")

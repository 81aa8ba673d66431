from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from nearer.privacy.crypto import generate_key_spec
from nearer.privacy.rotation import rotate_all


class Command(BaseCommand):
    help = (
        "Re-encrypt every stored encrypted value under the first key in NEARER_ENCRYPTION_KEYS. "
        "Put a new key first (keep the old ones after it), run this, then remove old keys. "
        "Warns about backups in NEARER_BACKUP_DIR that would become unreadable without the old keys."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--generate", action="store_true", help="Print a new key to add to NEARER_ENCRYPTION_KEYS and stop.")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["generate"]:
            self.stdout.write(generate_key_spec())
            return
        report = rotate_all()
        self.stdout.write(
            f"Re-encrypted {report.rewritten} values in {report.fields} fields under key {report.active_id!r}; "
            f"{report.already_current} were already current; failures: {report.failures}."
        )
        self._warn_about_backups()
        if report.failures:
            raise SystemExit(1)

    def _warn_about_backups(self) -> None:
        from nearer.ops.backup import backup_dir, backups_needing_keys

        at_risk = backups_needing_keys()
        if not at_risk:
            return
        self.stderr.write(
            f"Warning: {len(at_risk)} backups in {backup_dir()} become unreadable once the old keys leave "
            "NEARER_ENCRYPTION_KEYS:"
        )
        for path, reason in at_risk:
            self.stderr.write(f"  {path.name}: {reason}")
        files = " ".join(str(p) for p, _r in at_risk)
        self.stderr.write(
            "Before removing the old keys, set NEARER_BACKUP_KEY (`nearer backup --generate-key`) or "
            f"NEARER_BACKUP_PASSPHRASE and run: nearer backup rekey {files}"
        )

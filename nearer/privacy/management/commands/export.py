from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from nearer.privacy.services import export_zip


class Command(BaseCommand):
    help = "Write everything one person owns to a zip of JSON and CSV: nearer export EMAIL --out FILE.zip"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("email")
        parser.add_argument("--out", required=True, help="Where to write the zip file.")

    def handle(self, *args: Any, **opts: Any) -> None:
        user = get_user_model().objects.filter(email__iexact=opts["email"]).first()
        if user is None:
            raise CommandError("No account with that email address.")
        out = Path(opts["out"])
        out.write_bytes(export_zip(user))
        out.chmod(0o600)
        self.stdout.write(f"Wrote {out} ({out.stat().st_size} bytes).")

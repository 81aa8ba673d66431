from __future__ import annotations

import time
from typing import Any

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.management.base import BaseCommand, CommandError

from nearer import demo
from nearer.accounts.adapter import MFAAdapter


class Command(BaseCommand):
    help = "Print the current authenticator code for a demo account (demo accounts only)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("email", nargs="?", default=demo.RIVERA)

    def handle(self, *args: Any, **opts: Any) -> None:
        email = opts["email"].lower()
        if not email.endswith("@demo.nearer.test"):
            raise CommandError("Codes are printed only for demo accounts.")
        auth = Authenticator.objects.filter(user__email=email, type=Authenticator.Type.TOTP).first()
        if auth is None:
            raise CommandError("That demo account has no authenticator. Run `nearer demo` first.")
        secret = MFAAdapter().decrypt(auth.data["secret"])
        from allauth.mfa import app_settings

        counter = int(time.time()) // app_settings.TOTP_PERIOD
        self.stdout.write(format_hotp_value(hotp_value(secret, counter)))

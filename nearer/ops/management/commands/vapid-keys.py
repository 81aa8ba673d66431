from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from nearer.ops.push import generate_vapid_keys


class Command(BaseCommand):
    help = "Print a new VAPID key pair for Web Push (put both in the environment)."

    def handle(self, *args: Any, **opts: Any) -> None:
        public, private = generate_vapid_keys()
        self.stdout.write(f"NEARER_VAPID_PUBLIC_KEY={public}\nNEARER_VAPID_PRIVATE_KEY={private}")

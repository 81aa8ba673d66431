from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from nearer.ops.push import generate_vapid_keys


class Command(BaseCommand):
    help = ("Print a new VAPID key pair for Web Push (put both in the environment), or with --store keep a new "
            "pair in the database (a fresh install already has one; the environment's pair always wins).")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--store", action="store_true", help="Replace the stored key pair with a new one.")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["store"]:
            from django.db import transaction

            from nearer.ops.models import VapidKeys
            from nearer.ops.push import ensure_vapid_keys, vapid_keys

            with transaction.atomic():
                VapidKeys.objects.all().delete()
                ensure_vapid_keys()
            self.stdout.write(f"Stored a new key pair. Public key: {vapid_keys()[0]}")
            self.stdout.write("Devices that turned on notifications before need to turn them on again.")
            return
        public, private = generate_vapid_keys()
        self.stdout.write(f"NEARER_VAPID_PUBLIC_KEY={public}\nNEARER_VAPID_PRIVATE_KEY={private}")

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from nearer import demo
from nearer.accounts import services
from nearer.accounts.models import Clinic, InvitationKind, Role, User
from nearer.clinic import demo as clinic_demo
from nearer.diary import demo as diary_demo
from nearer.learn import demo as learn_demo
from nearer.measures import demo as measures_demo
from nearer.practice import demo as practice_demo
from nearer.relsafety import demo as relsafety_demo
from nearer.safety import demo as safety_demo
from nearer.together import demo as together_demo

#: Each app adds its own history through ``nearer.<app>.demo.populate(world)``, in this order.
POPULATE: list[Callable[[demo.DemoWorld], None]] = [
    safety_demo.populate, diary_demo.populate, measures_demo.populate, practice_demo.populate,
    together_demo.populate, clinic_demo.populate, learn_demo.populate, relsafety_demo.populate,
]


def _user(email: str, name: str, role: str, clinic: Clinic | None = None, tz: str = "America/New_York") -> User:
    user = User.objects.create_user(email, demo.DEMO_PASSWORD, display_name=name, role=role, clinic=clinic, timezone=tz)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


class Command(BaseCommand):
    help = "Create the demo people (Sam, Alex, Dr. Rivera at a clinic in Atlanta) with history, and print the logins."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--reset", action="store_true", help="Erase the demo people first and build them again.")
        parser.add_argument("--quiet", action="store_true")

    def handle(self, *args: Any, **opts: Any) -> None:
        from django.conf import settings
        from django.core.management.base import CommandError

        if settings.PRODUCTION:
            # The demo people share a password printed in the README: never on a real server.
            raise CommandError("nearer demo is refused in production: its people sign in with a published password.",
                               returncode=2)
        call_command("migrate", interactive=False, verbosity=0)
        existing = User.objects.filter(email__in=[demo.SAM, demo.ALEX, demo.RIVERA, demo.CLINIC_ADMIN])
        if existing.exists():
            if not opts["reset"]:
                self._print_logins()
                return
            from nearer.privacy.services import erase_account

            for user in existing:
                erase_account(user)
            Clinic.objects.filter(name="Peachtree Counseling Collective").delete()
        with transaction.atomic():
            world = self._build()
            for populate in POPULATE:
                populate(world)
        self._print_logins()

    def _build(self) -> demo.DemoWorld:
        clinic = services.create_clinic(
            "Peachtree Counseling Collective", city="Atlanta", state="GA", on_call_email="oncall@demo.nearer.test"
        )
        sam = _user(demo.SAM, "Sam", Role.PERSON)
        alex = _user(demo.ALEX, "Alex", Role.PERSON)
        rivera = _user(demo.RIVERA, "Dr. Rivera", Role.THERAPIST, clinic=clinic)
        admin = _user(demo.CLINIC_ADMIN, "Morgan (clinic admin)", Role.CLINIC_ADMIN, clinic=clinic)
        for person in (rivera, admin):
            TOTP.activate(person, generate_totp_secret())
            RecoveryCodes.activate(person)
        partner = services.create_invitation(sam, InvitationKind.PARTNER)
        services.accept_invitation(partner.token, alex)
        therapist = services.create_invitation(sam, InvitationKind.THERAPIST)
        services.accept_invitation(therapist.token, rivera)
        return demo.DemoWorld(sam=sam, alex=alex, rivera=rivera, clinic_admin=admin, clinic=clinic, now=timezone.now())

    def _print_logins(self) -> None:
        w = self.stdout.write
        w("")
        w("Nearer demo is ready. Sign in at http://127.0.0.1:8000/accounts/login/ with:")
        w(f"  Sam (the person)           {demo.SAM}")
        w(f"  Alex (Sam's partner)       {demo.ALEX}")
        w(f"  Dr. Rivera (therapist)     {demo.RIVERA}")
        w(f"  Morgan (clinic admin)      {demo.CLINIC_ADMIN}")
        w(f"  Password for all of them:  {demo.DEMO_PASSWORD}")
        w("Dr. Rivera and Morgan have two-step sign-in. When asked for a code, run in another terminal:")
        w(f"  .venv/bin/nearer demo-code {demo.RIVERA}")
        w("")

"""Demo: Dr. Rivera's caseload of about 12 clients, her verified profile, and colleagues for the directory."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import numpy as np

from nearer.clinic import fixtures, services
from nearer.clinic.models import ClientReference, Session, SessionNote, TherapistProfile
from nearer.diary.models import local_today

# (name, PHQ-9 series every two weeks, mood start, mood end, alert)
CLIENTS = [
    ("Reese Ellis", [19, 20, 21, 22], 4, 3, "urgent"),      # open alert
    ("Riley Park", [8, 10, 13, 16], 6, 3, ""),               # reliable deterioration
    ("Casey Nguyen", [18, 14, 9, 4], 3, 8, ""),              # recovered
    ("Taylor Brooks", [12, 11, 11, 10], 5, 5, ""),
    ("Jamie Ortiz", [15, 13, 12, 12], 4, 5, ""),
    ("Avery Chen", [9, 8, 8, 7], 6, 6, ""),
    ("Quinn Davis", [14, 15, 13, 14], 4, 4, "concern"),
    ("Drew Patel", [11, 9, 8, 6], 5, 7, ""),
    ("Rowan Silva", [17, 16, 14, 11], 3, 5, ""),
    ("Sky Romero", [7, 7, 6, 6], 7, 7, ""),
    ("Emery Walsh", [13, 12, 12, 13], 5, 5, ""),
]
COLLEAGUES = [
    ("dr.okafor@demo.nearer.test", "Dr. Okafor", ["couples", "intimacy"], ["en"], "in_person", "GA-PSY-20418"),
    ("dr.herrera@demo.nearer.test", "Dr. Herrera", ["depression", "couples"], ["en", "es"], "both", "GA-LPC-11872"),
    ("dr.kim@demo.nearer.test", "Dr. Kim", ["depression"], ["en"], "online", "GA-LCSW-30551"),
]


def populate(world: Any) -> None:
    from allauth.account.models import EmailAddress

    from nearer.accounts.models import User

    rng = np.random.default_rng(world.seed + 8)
    today = world.now.date()
    TherapistProfile.objects.update_or_create(user=world.rivera, defaults={
        "licence_number": "GA-PSY-10293", "licence_state": "GA", "verified": True, "verified_at": world.now,
        "verified_by": world.clinic_admin, "focus_areas": ["depression", "couples", "intimacy"], "languages": ["en", "es"],
        "modality": "both", "city": "Atlanta",
        "bio": "I work with people whose low mood and distance in their relationship feed each other, alone or as a couple."})
    for i, (name, phq, m0, m1, alert) in enumerate(CLIENTS, start=1):
        client = fixtures.make_client(f"client{i:02d}@demo.nearer.test", name, world.rivera)
        client.set_password(world.extra.get("password", "nearer-demo-2026"))
        client.save(update_fields=["password"])
        EmailAddress.objects.create(user=client, email=client.email, verified=True, primary=True)
        # Each client's own calendar day (their time zone), so no check-in is dated "tomorrow" for them.
        fixtures.add_history(client, days=56, end=local_today(client, world.now), phq9=[float(x) for x in phq], rng=rng, mood_start=m0, mood_end=m1,
                             gap_every=7 if i % 3 == 0 else 0)
        session = Session.objects.create(therapist=world.rivera, client=client, held_on=today - timedelta(days=14),
                                         duration_minutes=50, modality="in_person" if i % 2 else "video",
                                         measures_reviewed=["phq9"])
        if i == 1:
            SessionNote.objects.create(session=session, therapist=world.rivera,
                                       text="Reviewed the PHQ-9 together; agreed one small step with her partner.")
        ClientReference.objects.create(client=client, clinic=world.clinic, therapist=world.rivera, reference=f"ATL-{1000 + i}")
        if alert:
            fixtures.add_alert(client, world.rivera, level=alert, when=world.now - timedelta(hours=5))
    for email, name, focus, langs, modality, licence in COLLEAGUES:
        user = User.objects.create_user(email, world.extra.get("password", "nearer-demo-2026"), display_name=name,
                                        role="therapist", clinic=world.clinic)
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        TherapistProfile.objects.create(user=user, licence_number=licence, licence_state="GA", verified=True,
                                        verified_at=world.now, focus_areas=focus, languages=langs, modality=modality,
                                        city="Atlanta", bio="")
    # Someone without a therapist found a colleague in the directory and is waiting for an answer.
    colleague = User.objects.get(email=COLLEAGUES[0][0])
    seeker = User.objects.create_user("jordan@demo.nearer.test", world.extra.get("password", "nearer-demo-2026"),
                                      display_name="Jordan", role="person")
    EmailAddress.objects.create(user=seeker, email=seeker.email, verified=True, primary=True)
    services.create_request(seeker, colleague, "We've been drifting apart for a year and I'd like help with it.", None)

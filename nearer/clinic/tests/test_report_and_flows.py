from __future__ import annotations

import subprocess
import tempfile
from datetime import timedelta
from typing import Any

import numpy as np
import pytest
from django.urls import reverse
from django.utils import timezone

from nearer.accounts.models import Link
from nearer.clinic import fixtures, services
from nearer.clinic.models import Assignment, ClientNotice, Session, TherapistProfile, TherapistRequest
from nearer.privacy.models import AccessLog


def _pdf_text(pdf: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        return subprocess.run(["pdftotext", "-layout", f.name, "-"], capture_output=True, check=True, text=True).stdout


def _fixture_client(world: Any, scopes: list[str] | None = None) -> Any:
    c = fixtures.make_client("fixture@example.test", "Jordan Lee", world.therapist, scopes=scopes)
    today = fixtures.today_for(c)
    fixtures.add_history(c, days=60, end=today, phq9=[18, 15, 11, 7], rng=np.random.default_rng(11),
                         mood_start=3, mood_end=7)
    Session.objects.create(therapist=world.therapist, client=c, held_on=today - timedelta(days=20))
    fixtures.add_alert(c, world.therapist, level="concern", state="acknowledged", when=timezone.now() - timedelta(days=3))
    return c


@pytest.mark.django_db
def test_report_pdf_contains_expected_numbers(world: Any, client_as: Any) -> None:
    c = _fixture_client(world)
    response = client_as("therapist").get(reverse("clinic:client-report", args=[c.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    assert "Confidential — contains health information about J.L." in text
    flat = " ".join(text.split())
    assert "PHQ-9" in text
    # 18 -> 7 is a reliable improvement by the measures app's Jacobson-Truax rule, and out of the clinical range
    assert "Latest PHQ-9 total 7 (mild), against 18 at the start. Compared with the first score: reliable improvement." in flat
    assert "Reliable improvement" in text
    assert "out of the clinical range" in flat
    # the period is since the last session (20 days ago): 21 days of check-ins
    assert "21 check-ins in 21 days" in " ".join(text.split())
    assert "Concern" in text
    assert AccessLog.objects.filter(owner=c, what="clinic:client-report").count() == 5


@pytest.mark.django_db
def test_narrowed_scopes_absent_from_page_and_pdf(world: Any, client_as: Any) -> None:
    c = _fixture_client(world, scopes=["checkins"])
    page = client_as("therapist").get(reverse("clinic:client-detail", args=[c.pk])).content.decode()
    assert "Latest PHQ-9" not in page and "PHQ-9 " not in page
    assert page.count("Hidden by the client") >= 4
    text = " ".join(_pdf_text(client_as("therapist").get(reverse("clinic:client-report", args=[c.pk])).content).split())
    assert "Latest PHQ-9" not in text and "Reliable improvement" not in text
    assert "21 check-ins in 21 days" in text
    assert set(AccessLog.objects.filter(owner=c).values_list("scope", flat=True)) == {"checkins"}


@pytest.mark.django_db
def test_other_therapist_admin_partner_denied_client_page(world: Any, client_as: Any) -> None:
    for persona in ("other_therapist", "clinic_admin", "partner", "therapist_no_mfa"):
        assert client_as(persona).get(reverse("clinic:client-detail", args=[world.owner.pk])).status_code in (403, 404)
    assert AccessLog.objects.count() == 0


@pytest.mark.django_db
def test_move_caseload_keeps_scopes_moves_alerts_and_tells_clients(world: Any, client_as: Any) -> None:
    second = world.therapist_no_mfa  # same clinic
    Link.objects.filter(owner=world.owner, viewer=second).update(revoked_at=timezone.now())
    services.set_licence(world.clinic_admin, world.therapist, licence_number="GA-9", licence_state="ga", verified=True)
    narrow = fixtures.make_client("n@example.test", "Nia", world.therapist, scopes=["measures"])
    alert = fixtures.add_alert(narrow, world.therapist)
    response = client_as("clinic_admin").post(reverse("clinic:admin-move-caseload"), {
        "from_therapist": world.therapist.pk, "to_therapist": second.pk, "confirm": "on"})
    assert response.status_code == 302
    assert not Link.objects.active().filter(viewer=world.therapist).exists()
    assert Link.objects.active().get(owner=narrow, viewer=second).scopes == ["measures"]
    alert.refresh_from_db()
    assert alert.therapist_id == second.pk
    assert ClientNotice.objects.filter(person=narrow, new_therapist=second).count() == 1
    home = client_as("owner").get("/").content.decode()
    assert "moved your care" in home
    admin_page = client_as("clinic_admin").get(reverse("clinic:admin-therapists")).content.decode()
    assert "Nia" not in admin_page and "Sam" not in admin_page
    assert TherapistProfile.objects.get(user=world.therapist).licence_state == "GA"


@pytest.mark.django_db
def test_directory_request_accepted_creates_link(world: Any, client_as: Any) -> None:
    TherapistProfile.objects.create(user=world.therapist, licence_number="GA-1", licence_state="GA", verified=True,
                                    focus_areas=["couples"], languages=["es"], modality="online", city="Atlanta")
    listing = client_as("unlinked").get(reverse("clinic:directory"), {"focus": "couples", "language": "es"}).content.decode()
    assert "Dr. Rivera" in listing and "Verified by the clinic" in listing
    none = client_as("unlinked").get(reverse("clinic:directory"), {"modality": "in_person"}).content.decode()
    assert "Dr. Rivera" not in none
    r = client_as("unlinked").post(reverse("clinic:request-create", args=[world.therapist.pk]),
                                   {"message": "Hoping to work on closeness.", "scopes": ["checkins", "measures"]})
    assert r.status_code == 302
    req = TherapistRequest.objects.get(person=world.unlinked)
    assert req.message == "Hoping to work on closeness."
    client_as("therapist").post(reverse("clinic:request-respond", args=[req.pk]), {"action": "accept"})
    link = Link.objects.active().get(owner=world.unlinked, viewer=world.therapist)
    assert link.scopes == ["checkins", "measures"]


@pytest.mark.django_db
def test_assignment_accept_creates_schedule(world: Any, client_as: Any) -> None:
    r = client_as("therapist").post(reverse("clinic:assign", args=[world.owner.pk]),
                                    {"kind": "measure_cadence", "instrument_id": "phq9", "cadence_days": "14"})
    assert r.status_code == 302
    a = Assignment.objects.get(client=world.owner)
    assert a.state == "pending"
    client_as("owner").post(reverse("clinic:assignment-respond", args=[a.pk]), {"action": "accept"})
    a.refresh_from_db()
    assert a.state == "accepted"
    from nearer.measures.models import Schedule

    assert a.applied.startswith("measures.schedule:")
    sched = Schedule.objects.get(person=world.owner, instrument_id="phq9", cadence_days=14, active=True)
    assert (sched.status, sched.set_by_id) == ("accepted", world.therapist.pk)
    # The client's schedule history shows both steps (issue 16 item 3).
    from nearer.measures.queries import schedule_history

    assert [(h["who"], h["action"]) for h in schedule_history(world.owner)] == [("You", "accepted"), ("Dr. Rivera", "proposed")]
    bad = client_as("therapist").post(reverse("clinic:assign", args=[world.owner.pk]),
                                      {"kind": "conversation_depth", "depth": "9"})
    assert bad.status_code == 400


@pytest.mark.django_db
def test_reflections_link_only_when_shared_and_directory_links_to_learn(world: Any, client_as: Any) -> None:
    from django.urls import reverse as url

    target = url("learn:client-reflections", kwargs={"client_id": world.owner.pk})
    page = client_as("therapist").get(reverse("clinic:client-detail", args=[world.owner.pk])).content.decode()
    assert target not in page  # the default therapist scopes leave reflections out
    link = world.objects["link_owner_therapist"]
    link.scopes = [*link.scopes, "reflections"]
    link.save(update_fields=["scopes"])
    page = client_as("therapist").get(reverse("clinic:client-detail", args=[world.owner.pk])).content.decode()
    assert target in page
    assert client_as("therapist").get(target).status_code == 200
    directory = client_as("unlinked").get(reverse("clinic:directory")).content.decode()
    assert 'class="learn-link"' in directory


@pytest.mark.django_db
def test_shared_safety_plan_shows_part_titles(world: Any, client_as: Any) -> None:
    from nearer.safety.services import save_plan

    save_plan(world.owner, world.owner, {"reasons_for_living": "My sister's wedding in June"})
    link = world.objects["link_owner_therapist"]
    link.scopes = [*link.scopes, "safety_plan"]
    link.save(update_fields=["scopes"])
    page = client_as("therapist").get(reverse("clinic:client-detail", args=[world.owner.pk])).content.decode()
    section = page[page.index('id="safety-plan"'):]
    assert "reasons_for_living" not in section
    assert "My sister&#x27;s wedding in June" in section
    assert AccessLog.objects.filter(owner=world.owner, scope="safety_plan").count() == 1


@pytest.mark.django_db
def test_report_check_in_charts_match_their_sentence_and_stay_whole(world: Any, client_as: Any) -> None:
    import re

    from nearer.clinic.queries import checkin_section

    c = _fixture_client(world)
    end = fixtures.today_for(c)
    section = checkin_section(c, end - timedelta(days=13), end)
    assert section["count"] == 14 and section["trends"]["weeks"] == 4  # the "last 4 weeks" the sentence speaks of
    for chart in section["trends"]["charts"]:
        geom = chart["geometry"]
        assert geom["points"] and all(p["x"] >= geom["left"] for p in geom["points"])  # no dots left of the axis

    # In the PDF each chart's title, sentence and drawing share a page: the x-axis date follows the title.
    Session.objects.create(therapist=world.therapist, client=c, held_on=end - timedelta(days=13))
    pages = _pdf_text(client_as("therapist").get(reverse("clinic:client-report", args=[c.pk])).content).split("\f")
    for title in ("Mood", "Closeness to their partner"):
        page = next(p for p in pages if re.search(rf"^\s*{title}\s*$", p, flags=re.M))
        after = page[re.search(rf"^\s*{title}\s*$", page, flags=re.M).end():]
        assert re.search(r"\b\d{1,2} [A-Z][a-z]{2}\b", after), title  # "20 Nov": the one date format


@pytest.mark.django_db
def test_a_therapist_with_clients_is_not_deactivated_until_the_caseload_moves(world: Any, client_as: Any) -> None:
    admin = client_as("clinic_admin")
    url = reverse("clinic:admin-therapists")
    response = admin.post(url, {"action": "deactivate", "therapist": world.therapist.pk}, follow=True)
    world.therapist.refresh_from_db()
    assert world.therapist.is_active  # their client's alerts would otherwise go to an account nobody can open
    page = response.content.decode()
    assert "Dr. Rivera still has 1 client. Move the caseload to another therapist first" in page
    assert "Sam" not in page  # a count, never who
    second = world.therapist_no_mfa
    Link.objects.filter(owner=world.owner, viewer=second).update(revoked_at=timezone.now())
    admin.post(reverse("clinic:admin-move-caseload"), {"from_therapist": world.therapist.pk, "to_therapist": second.pk,
                                                       "confirm": "on"})
    admin.post(url, {"action": "deactivate", "therapist": world.therapist.pk})
    world.therapist.refresh_from_db()
    assert not world.therapist.is_active


def test_report_pdf_does_not_narrate_its_steps_in_the_log(world: Any, client_as: Any, captured_logs: list[str]) -> None:
    c = _fixture_client(world)
    response = client_as("therapist").get(reverse("clinic:client-report", args=[c.pk]))
    assert response.status_code == 200
    assert not [line for line in captured_logs if "weasyprint" in line.lower() or "Step " in line]

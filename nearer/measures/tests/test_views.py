"""Measures pages: answering, the result, charts, the client page, uploads."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from nearer.measures import services as svc
from nearer.measures.models import Administration, ClinicInstrument
from nearer.privacy.models import AccessLog

from .test_services import phq9

EXAMPLE = Path(__file__).resolve().parents[3] / "docs" / "examples" / "clinic-instrument-example.json"
CODES = ["LA6568-5", "LA6569-3", "LA6570-1", "LA6571-9"]


def form_for(answers: dict[str, int]) -> dict[str, str]:
    return {f"q_{lid}": CODES[w] for lid, w in answers.items()}


def history(person, totals, item9=0):
    t0 = timezone.now() - timedelta(days=14 * len(totals))
    for k, total in enumerate(totals):
        svc.submit_administration(person, "phq9", phq9(total, item9=item9 if k == len(totals) - 1 else 0),
                                  completed_at=t0 + timedelta(days=14 * k))


def test_answer_page_uses_the_instruments_own_wording_and_copyright(world, client_as):
    page = client_as("owner").get("/measures/answer/phq9/").content.decode()
    assert "Over the last 2 weeks, how often have you been bothered by any of the following problems?" in page
    assert "Little interest or pleasure in doing things" in page and "Nearly every day" in page
    assert "No permission required to reproduce, translate, display or distribute" in page
    assert page.count('type="radio"') == 9 * 4 + 4  # nine items and the difficulty question


def test_missing_answer_shows_the_question_error(world, client_as):
    data = form_for(phq9(4))
    del data["q_44252-5"]
    r = client_as("owner").post("/measures/answer/phq9/", data)
    assert r.status_code == 400
    assert "Please choose an answer for this question." in r.content.decode()
    assert not Administration.objects.exists()


def test_result_shows_band_meaning_and_change_label(world, client_as):
    history(world.owner, [17, 15])
    r = client_as("owner").post("/measures/answer/phq9/", form_for(phq9(10)))
    page = r.content.decode()
    assert r.status_code == 200
    assert "Score 10: Moderate" in page
    assert "Reliable improvement" in page  # 17 -> 10
    assert "Your first score was 17" in page
    assert 'id="crisis-card"' not in page
    adm = Administration.objects.order_by("-completed_at").first()
    again = client_as("owner").get(f"/measures/results/{adm.pk}/").content.decode()
    assert "Score 10: Moderate" in again and "Reliable improvement" in again


def test_item9_shows_the_crisis_card_in_the_same_response_and_alerts_the_therapist(world, client_as):
    from nearer.safety.models import Alert, RiskEvent

    r = client_as("owner").post("/measures/answer/phq9/", form_for(phq9(3, item9=1)))
    page = r.content.decode()
    assert r.status_code == 200 and 'id="crisis-card"' in page and 'data-risk-level="concern"' in page
    assert "Score 3: Minimal" in page  # the card shows whatever the total
    assert RiskEvent.objects.get(person=world.owner).source == "measures.phq9_item9"
    assert Alert.objects.filter(person=world.owner, therapist=world.therapist).count() == 1
    assert not Alert.objects.filter(therapist=world.partner).exists()


def test_double_submission_with_the_same_key_saves_once(world, client_as):
    c = client_as("owner")
    data = {**form_for({"44250-9": 1, "44255-8": 1}), "idempotency_key": "abc"}
    c.post("/measures/answer/phq2/", data)
    r = c.post("/measures/answer/phq2/", data)
    assert r.status_code == 302 and Administration.objects.count() == 1


def test_positive_phq2_offers_the_phq9(world, client_as):
    page = client_as("owner").post("/measures/answer/phq2/", form_for({"44250-9": 2, "44255-8": 1})).content.decode()
    assert "/measures/answer/phq9/" in page and "Answer the PHQ-9" in page
    page = client_as("owner").post("/measures/answer/phq2/", form_for({"44250-9": 1, "44255-8": 1})).content.decode()
    assert "Answer the PHQ-9" not in page


def test_chart_is_svg_with_band_shading_labels_and_summary(world, client_as):
    history(world.owner, [17, 15, 16, 11, 12])
    page = client_as("owner").get("/measures/").content.decode()
    svg = re.search(r"<svg class=\"chart\".*?</svg>", page, re.S).group(0)
    assert 'role="img"' in svg and "<title>" in svg
    assert svg.count("<rect") >= 5  # five PHQ-9 bands shaded
    assert "Moderately severe" in svg
    # Each score: its total written beside it and a titled marker with its label.
    for total in ("17", "15", "16", "11", "12"):
        assert f">{total}</text>" in svg
    titles = re.findall(r"<g>.*?<title>(.*?)</title></g>", svg)
    assert len(titles) == 5
    assert "first score (the baseline)" in titles[0]
    assert "Reliable improvement" in titles[3] and "No reliable change" in titles[4]
    assert "Your PHQ-9 scores went from 17" in page and "to 12" in page
    assert "style=" not in svg and "<script" not in svg


def test_therapist_sees_client_results_and_item9_and_it_is_logged(world, client_as):
    history(world.owner, [12, 14], item9=1)
    before = AccessLog.objects.count()
    page = client_as("therapist").get(f"/measures/clients/{world.owner.pk}/").content.decode()
    assert "Item 9" in page and "follow up" in page and "<svg" in page
    assert AccessLog.objects.count() == before + 1
    assert AccessLog.objects.latest("pk").scope == "measures"


def test_partner_never_sees_item9_even_when_sharing_measures(world, client_as):
    history(world.owner, [12, 14], item9=2)
    link = world.objects["link_owner_partner"]
    assert client_as("partner").get(f"/measures/clients/{world.owner.pk}/").status_code in (403, 404)
    link.scopes = [*link.scopes, "measures"]
    link.save()
    page = client_as("partner").get(f"/measures/clients/{world.owner.pk}/").content.decode()
    assert "14" in page  # totals, if Sam chooses to share them
    assert "Item 9" not in page and "follow up" not in page and "44260-8" not in page
    assert "Save schedule" not in page
    r = client_as("partner").get(f"/api/measures/people/{world.owner.pk}/administrations")
    assert r.status_code == 200
    assert all(row["answers"] is None and row["flags"] is None for row in r.json())


def test_therapist_sets_a_clients_schedule(world, client_as):
    r = client_as("therapist").post(f"/measures/clients/{world.owner.pk}/schedule/",
                                    {"instrument_id": "phq9", "cadence_days": 14, "window_days": 4})
    assert r.status_code == 302
    sched = world.owner.measure_schedules.get()
    assert (sched.instrument_id, sched.set_by_role, sched.set_by_id) == ("phq9", "therapist", world.therapist.pk)
    # A proposal until the client accepts it.
    assert (sched.status, sched.active) == ("proposed", False)
    client_as("owner").post(f"/measures/proposals/{sched.pk}/respond/", {"action": "accept"})
    page = client_as("owner").get("/measures/schedules/").content.decode()
    assert "proposed by Dr. Rivera, accepted by you" in page


def test_schedule_form_errors(world, client_as):
    r = client_as("owner").post("/measures/schedules/", {"action": "set", "instrument_id": "phq9",
                                                         "cadence_days": 7, "window_days": 9})
    assert r.status_code == 400
    assert "The window cannot be longer than the time between measures." in r.content.decode()


def test_clinic_admin_uploads_a_definition(world, client_as):
    c = client_as("clinic_admin")
    definition = json.loads(EXAMPLE.read_text())
    broken = json.loads(EXAMPLE.read_text())
    broken["scoring"]["reverse_keyed"] = ["nope"]
    r = c.post("/measures/clinic/instruments/add/", {"text": json.dumps(broken)})
    assert r.status_code == 400 and "nope" in r.content.decode() and not ClinicInstrument.objects.exists()
    r = c.post("/measures/clinic/instruments/add/", {"text": json.dumps(definition)})
    assert r.status_code == 302
    row = ClinicInstrument.objects.get()
    assert row.clinic == world.clinic and row.added_by == world.clinic_admin
    # Sam's therapist is at this clinic: the instrument shows up for Sam.
    assert f"/measures/answer/{row.instrument_id}/" in client_as("owner").get("/measures/").content.decode()


def test_fhir_export_download_and_web_import(world, client_as):
    history(world.owner, [9, 7])
    r = client_as("owner").get("/measures/fhir/export/")
    assert r["Content-Type"] == "application/fhir+json" and "attachment" in r["Content-Disposition"]
    bundle = json.loads(r.content)
    r = client_as("unlinked").post("/measures/fhir/import/", {"text": json.dumps(bundle)})
    assert r.status_code == 302
    assert sorted(Administration.objects.filter(person=world.unlinked).values_list("total", flat=True)) == [7.0, 9.0]
    bad = client_as("unlinked").post("/measures/fhir/import/", {"text": json.dumps({"resourceType": "Patient"})})
    assert bad.status_code == 400 and "expected a Bundle or a QuestionnaireResponse" in bad.content.decode()


def test_spanish_pages_translate_our_words(world, client_as):
    c = client_as("owner")
    c.cookies["django_language"] = "es"
    page = c.get("/measures/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Tus cuestionarios" in page
    page = c.get("/measures/answer/phq9/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    # The official Spanish for the USA version (issue 14): no "shown in English" note any more.
    assert "traducciones oficiales" not in page
    assert "Poco interés o placer en hacer cosas" in page and "Ningún día" in page
    assert "Little interest or pleasure in doing things" not in page


"""Measurement-based care in a browser: critical answers first, a session report to file, sessions,
outcomes and the clinician export for a therapist (with a second factor), and clinic outcomes for
a clinic admin (counts only). The PDF is checked by text (pdftotext) and as rendered pages (pdftoppm)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from django.utils import timezone

from tests.browser.conftest import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHQ9_ITEMS = ["44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2", "44252-5", "44253-3", "44260-8"]
SHOTS = Path(tempfile.gettempdir()) / "nearer-screenshots"  # looked at by hand; never committed


def _open(new_page: Any, user: Any, live_server: Any, *, phone: bool) -> Any:
    page = new_page(phone=phone)
    page.context.route("**/ops/sw.js", lambda route: route.fulfill(status=404, body=""))
    return signed_in(page, user, live_server.url)


def _phq9(person: Any, per_item: int, item9: int, days_ago: int) -> None:
    from nearer.measures.services import submit_administration

    answers = {lid: per_item for lid in PHQ9_ITEMS}
    answers["44260-8"] = item9
    submit_administration(person, "phq9", answers, completed_at=timezone.now() - timedelta(days=days_ago))


def _setup() -> tuple[Any, Any, Any]:
    from conftest import make_user
    from nearer.accounts.models import Clinic
    from nearer.clinic import fixtures

    clinic = Clinic.objects.create(name="Atlanta Practice", city="Atlanta", state="GA")
    therapist = make_user("rivera@clinic.test", "therapist", "Dr. Rivera", clinic, mfa=True)
    therapist.timezone = "America/New_York"
    therapist.save(update_fields=["timezone"])
    admin = make_user("admin@clinic.test", "clinic_admin", "Morgan Admin", clinic, mfa=True)
    reese = fixtures.make_client("reese@example.test", "Reese Ellis", therapist)
    fixtures.add_history(reese, days=30, end=fixtures.today_for(reese), phq9=[], rng=np.random.default_rng(5),
                         mood_start=5, mood_end=3)
    _phq9(reese, 2, 0, 40)
    _phq9(reese, 2, 2, 2)  # item 9 "more than half the days": an urgent alert
    calm = fixtures.make_client("calm@example.test", "Casey Calm", therapist)
    _phq9(calm, 2, 0, 30)
    _phq9(calm, 0, 0, 1)
    return therapist, admin, reese


def test_therapist_critical_answers_report_session_outcomes_export(new_page: Any, live_server: Any, tmp_path: Path) -> None:
    from nearer.clinic.models import Session, SessionNote
    from nearer.privacy.models import AccessLog

    therapist, _admin, reese = _setup()
    page = _open(new_page, therapist, live_server, phone=False)
    page.goto(live_server.url + "/clinic/caseload/")
    first = page.locator("table.caseload tbody tr").first
    assert "Reese Ellis" in first.inner_text()
    critical = first.locator("td.critical").inner_text()
    assert "PHQ-9 item 9: 2" in critical and "alert raised (urgent)" in critical

    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "clinic-caseload-1280.png"))
    first.get_by_role("link", name="Reese Ellis").click()
    # The first card under the name is the critical answers.
    cards = page.locator("main section.card")
    assert cards.first.get_attribute("id") == "critical"
    assert "PHQ-9 item 9: 2 (More than half the days)" in cards.first.inner_text()
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "clinic-client-critical-1280.png"))

    page.get_by_label("Client reference (your clinic's record number)").fill("ATL-1042")
    page.get_by_role("button", name="Save the reference").click()
    assert "Client reference saved." in page.locator("body").inner_text()

    page.get_by_label("Session date").fill(timezone.localdate().isoformat())
    page.get_by_label("Duration in minutes").fill("50")
    page.get_by_label("How you met").select_option("video")
    page.get_by_role("checkbox", name="PHQ-9", exact=True).check()
    page.get_by_label("Private note (only you see it; never the client or their partner)").fill("Safety plan reviewed.")
    page.get_by_role("button", name="Record a session").click()
    assert "Session recorded." in page.locator("body").inner_text()
    session = Session.objects.get(client=reese)
    assert (session.duration_minutes, session.modality, session.measures_reviewed) == (50, "video", ["phq9"])
    assert SessionNote.objects.get(session=session).text == "Safety plan reviewed."
    assert "Safety plan reviewed." in page.locator("#sessions").inner_text()

    page.get_by_label("Report period").select_option("28")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Make the PDF report").click()
    download = download_info.value
    assert download.suggested_filename.startswith("nearer-ATL-1042-") and download.suggested_filename.endswith(".pdf")
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    text = " ".join(subprocess.run(["pdftotext", "-layout", str(target), "-"], capture_output=True, check=True,
                                   text=True).stdout.split())
    assert "Session report · R.E. · ATL-1042" in text
    assert "PHQ-9 item 9: 2 (More than half the days)" in text
    assert "trigger: PHQ-9 item 9 answer" in text and ("EST" in text or "EDT" in text)
    assert "Safety plan reviewed." not in text  # the private note never leaves the therapist's page
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(target), str(SHOTS / "clinic-report")], check=True)
    pages = sorted(SHOTS.glob("clinic-report-*.png"))  # pdftoppm names them -1, -2 ...
    assert pages and all(p.stat().st_size > 5000 for p in pages)  # drawn pages, not blank ones

    page.goto(live_server.url + "/clinic/outcomes/")
    table = page.locator("table.outcomes").inner_text()
    assert "PHQ-9" in table and "Reese" not in table and "Casey" not in table
    with page.expect_download() as dl:
        page.get_by_role("link", name="Download as CSV").click()
    rows = list(csv.DictReader(io.StringIO(Path(dl.value.path()).read_text())))
    phq = next(r for r in rows if r["measure"] == "phq9" and r["period"] == "90")
    assert phq["clients"] == "2"

    page.goto(live_server.url + "/clinic/export/")
    with page.expect_download() as dl:
        page.get_by_role("link", name="Download as a FHIR R4 Bundle (QuestionnaireResponse and LOINC-coded Observations)").click()
    bundle = json.loads(Path(dl.value.path()).read_text())
    assert sum(1 for e in bundle["entry"] if e["resource"]["resourceType"] == "QuestionnaireResponse") == 4
    assert AccessLog.objects.filter(owner=reese, what="clinic:measures-export-fhir").count() == 1
    page.context.close()

    phone = _open(new_page, therapist, live_server, phone=True)
    phone.goto(f"{live_server.url}/clinic/clients/{reese.pk}/")
    assert "PHQ-9 item 9: 2" in phone.locator("#critical").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.screenshot(path=str(SHOTS / "clinic-client-390.png"), full_page=True)
    phone.goto(f"{live_server.url}/clinic/caseload/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.screenshot(path=str(SHOTS / "clinic-caseload-390.png"))


def test_clinic_admin_sees_outcomes_as_counts_only(new_page: Any, live_server: Any) -> None:
    from nearer.privacy.models import AccessLog

    _therapist, admin, _reese = _setup()
    page = _open(new_page, admin, live_server, phone=True)
    page.goto(live_server.url + "/clinic/admin/therapists/")
    with page.expect_navigation():
        page.get_by_role("link", name="Clinic outcomes (counts only)").click()
    body = page.locator("main").inner_text()
    assert "Fewer than 5 clients" in body and "Reese" not in body and "Casey" not in body
    # Measured before the stylesheet applied, the unstyled table was 534 px wide (seen only when the whole
    # suite loads the machine). Wait for the phone layout (each row a card); if it never applies, this fails.
    page.wait_for_function("getComputedStyle(document.querySelector('table.outcomes tbody tr')).display === 'block'",
                           timeout=10_000)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "clinic-admin-outcomes-390.png"), full_page=True)
    # The admin still cannot open any client's page.
    response = page.goto(f"{live_server.url}/clinic/clients/{_reese.pk}/")
    assert response is not None and response.status in (403, 404)
    assert not AccessLog.objects.filter(viewer=admin).exists()

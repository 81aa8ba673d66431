"""Clinic in a browser: triage from an alert, the session report PDF, and a directory request.

The therapist works on a desktop-sized window (with a second factor, as every therapist must);
the person asking for a therapist uses a phone-sized one.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _open(new_page: Any, user: Any, live_server: Any, *, phone: bool) -> Any:
    """A signed-in page without the service worker.

    The test database is an in-memory SQLite shared by the live server's threads; the service
    worker's background fetch of the offline page can meet a page's transaction there and fail
    with "database table is locked". The clinic pages do not need it.
    """
    page = new_page(phone=phone)
    page.context.route("**/ops/sw.js", lambda route: route.fulfill(status=404, body=""))
    return signed_in(page, user, live_server.url)


def _therapist(email: str = "rivera@clinic.test") -> Any:
    from conftest import make_user
    from nearer.accounts.models import Clinic

    clinic = Clinic.objects.create(name="Atlanta Practice", city="Atlanta", state="GA")
    return make_user(email, "therapist", "Dr. Rivera", clinic, mfa=True)


def _client_with_history(therapist: Any, name: str, email: str, phq9: list[float], seed: int) -> Any:
    from nearer.clinic import fixtures

    c = fixtures.make_client(email, name, therapist)
    fixtures.add_history(c, days=42, end=fixtures.today_for(c), phq9=phq9, rng=np.random.default_rng(seed),
                         mood_start=6, mood_end=4)
    return c


def test_triage_from_an_alert_to_the_client_page_to_acknowledgement(new_page: Any, live_server: Any) -> None:
    from nearer.clinic import fixtures
    from nearer.privacy.models import AccessLog
    from nearer.safety.models import Alert

    therapist = _therapist()
    _client_with_history(therapist, "Casey Calm", "calm@example.test", [12, 9], seed=1)
    morgan = _client_with_history(therapist, "Morgan Ellis", "morgan@example.test", [15, 22], seed=2)
    alert = fixtures.add_alert(morgan, therapist, level="urgent")

    page = _open(new_page, therapist, live_server, phone=False)
    page.goto(live_server.url + "/clinic/caseload/")
    first = page.locator("table.caseload tbody tr").first
    assert "Morgan Ellis" in first.inner_text() and "Urgent alert" in first.inner_text()
    first.get_by_role("link", name="Morgan Ellis").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Morgan Ellis"
    assert "Reliable deterioration" in page.locator("#measures").inner_text()
    page.locator("#alerts").get_by_role("link", name="Open alert").click()

    assert page.url.endswith(f"/safety/alerts/{alert.pk}/")
    page.get_by_role("button", name="Acknowledge").click()
    assert "Alert acknowledged." in page.locator("body").inner_text()
    alert.refresh_from_db()
    assert alert.state == "acknowledged" and alert.acknowledged_by_id == therapist.pk
    # The client page logged one row per scope it showed (the therapist defaults: five scopes).
    assert AccessLog.objects.filter(owner=morgan, what="clinic:client-detail").count() == 5
    assert Alert.objects.get(pk=alert.pk).state == "acknowledged"


def test_caseload_is_a_table_on_a_laptop_and_labelled_cards_on_a_phone(new_page: Any, live_server: Any) -> None:
    therapist = _therapist()
    for i, name in enumerate(["Casey Calm", "Jordan Lee", "Robin Vale"]):
        _client_with_history(therapist, name, f"c{i}@example.test", [12, 9], seed=i)

    page = _open(new_page, therapist, live_server, phone=False)
    page.goto(live_server.url + "/clinic/caseload/")
    headers = [h.strip() for h in page.locator("table.caseload thead th").all_inner_texts()]
    assert headers == ["Client", "Safety", "Critical answers", "Latest PHQ-9", "Check-ins", "Loop, last 4 weeks",
                       "Last activity"]
    row = page.locator("table.caseload tbody tr").first
    tops = {round(cell.bounding_box()["y"]) for cell in row.locator("th, td").all()}
    assert len(tops) == 1  # one line per client: every cell starts at the same height
    main_width = page.locator("main").bounding_box()["width"]
    assert main_width > 1000  # the caseload uses the laptop's width, not the 46rem reading column
    page.context.close()

    phone = _open(new_page, therapist, live_server, phone=True)
    phone.goto(live_server.url + "/clinic/caseload/")
    expect(phone.locator("table.caseload thead")).not_to_be_in_viewport()
    card = phone.locator("table.caseload tbody tr").first
    labels = card.locator("td").evaluate_all(
        "cells => cells.filter(c => getComputedStyle(c).display !== 'none')"
        ".map(c => getComputedStyle(c, '::before').content)")
    # Each value keeps its label; no empty safety line when there is no alert.
    assert labels == ['"Latest PHQ-9"', '"Check-ins"', '"Loop, last 4 weeks"', '"Last activity"']
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


def test_making_a_session_report(new_page: Any, live_server: Any, tmp_path: Path) -> None:
    therapist = _therapist()
    jordan = _client_with_history(therapist, "Jordan Lee", "jordan@example.test", [18, 15, 11, 7], seed=3)

    page = _open(new_page, therapist, live_server, phone=False)
    page.goto(f"{live_server.url}/clinic/clients/{jordan.pk}/")
    with page.expect_response(lambda r: "/report.pdf" in r.url) as response_info, page.expect_download() as download_info:
        page.get_by_role("button", name="Make the PDF report").click()
    response = response_info.value
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    target = tmp_path / "report.pdf"
    download_info.value.save_as(target)
    assert target.read_bytes().startswith(b"%PDF")
    text = " ".join(subprocess.run(["pdftotext", "-layout", str(target), "-"], capture_output=True, check=True,
                                   text=True).stdout.split())
    assert "Confidential — contains health information about J.L." in text
    assert "Latest PHQ-9 total 7 (mild), against 18 at the start." in text


def test_directory_request_accepted(new_page: Any, live_server: Any) -> None:
    from conftest import make_user
    from nearer.accounts.models import Link
    from nearer.clinic.models import TherapistProfile

    therapist = _therapist()
    TherapistProfile.objects.create(user=therapist, licence_number="GA-PSY-10293", licence_state="GA", verified=True,
                                    focus_areas=["depression", "couples"], languages=["en", "es"], modality="both",
                                    city="Atlanta", bio="")
    person = make_user("uma@example.test", name="Uma Reyes")

    phone = _open(new_page, person, live_server, phone=True)
    phone.goto(live_server.url + "/clinic/directory/")
    phone.get_by_label("Focus").select_option("couples")
    # Each click navigates; wait for each page, or a slow machine clicks on the page before (the list
    # also says "Verified by the clinic", so that check alone did not wait for the profile page).
    with phone.expect_navigation():
        phone.get_by_role("button", name="Show").click()
    with phone.expect_navigation():
        phone.get_by_role("link", name="Dr. Rivera").click()
    assert "Verified by the clinic" in phone.locator("main").inner_text()
    with phone.expect_navigation():
        phone.get_by_role("link", name="Ask to work with this therapist").click()
    phone.get_by_label("A few words for the therapist (optional)").fill("We keep drifting apart when I'm low.")
    phone.get_by_role("button", name="Send request").click()
    assert "Waiting for the therapist" in phone.locator("main").inner_text()
    phone.context.close()  # one browser at a time on the shared in-memory test database

    desk = _open(new_page, therapist, live_server, phone=False)
    desk.goto(live_server.url + "/clinic/requests/")
    card = desk.locator("li.card", has_text="Uma Reyes")
    assert "We keep drifting apart when I'm low." in card.inner_text()
    card.get_by_role("button", name="Accept").click()
    assert "This person is now on your caseload." in desk.locator("body").inner_text()

    link = Link.objects.active().get(owner=person, viewer=therapist, kind="therapist")
    assert set(link.scopes) == {"checkins", "loop", "measures", "practice_summaries", "together_ratings"}
    desk.goto(live_server.url + "/clinic/caseload/")
    expect(desk.locator("table.caseload").get_by_role("link", name="Uma Reyes")).to_be_visible()
    desk.context.close()
    phone = _open(new_page, person, live_server, phone=True)
    phone.goto(live_server.url + "/clinic/requests/")
    assert "Accepted" in phone.locator("main").inner_text()


def test_caseload_filters_refresh_the_list_in_place(new_page: Any, live_server: Any) -> None:
    """htmx: choosing a sort order refreshes only the list and the address (Back works), no full page load."""
    therapist = _therapist()
    for i, name in enumerate(["Robin Vale", "Casey Calm", "Jordan Lee"]):
        _client_with_history(therapist, name, f"c{i}@example.test", [12, 9], seed=i)

    page = _open(new_page, therapist, live_server, phone=False)
    page.goto(live_server.url + "/clinic/caseload/")
    page.evaluate("window.__samePage = true")  # gone if the browser loads a new page
    page.select_option("#sort", "name")
    page.wait_for_url("**/clinic/caseload/?*sort=name*")
    expect(page.locator("table.caseload tbody tr th").first).to_contain_text("Casey Calm")
    names = [n.strip() for n in page.locator("table.caseload tbody tr th").all_inner_texts()]
    assert [n.split("\n")[0] for n in names] == ["Casey Calm", "Jordan Lee", "Robin Vale"]
    assert page.evaluate("window.__samePage === true")
    assert page.locator("#caseload-results").count() == 1  # swapped, not nested

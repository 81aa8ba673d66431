"""A therapist proposes a weekly PHQ-9; the client sees who proposed what, and accepts or declines.

Issue 16 item 3: nothing a therapist sets or changes takes effect until the client accepts it.
Screenshots of the client's card and history at 390x844 and 1280x800 go to /tmp/nearer-screenshots
(looked at by hand; never committed).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(tempfile.gettempdir()) / "nearer-screenshots"
DESKTOP = {"width": 1280, "height": 800}


def _open(new_page: Any, user: Any, live_server: Any, *, phone: bool) -> Any:
    page = new_page(phone=phone)
    if not phone:
        page.set_viewport_size(DESKTOP)
    page.context.route("**/ops/sw.js", lambda route: route.fulfill(status=404, body=""))
    return signed_in(page, user, live_server.url)


def _propose(page: Any, live_server: Any, client: Any, instrument: str, every: str, open_days: str) -> None:
    """From the clinic's client page to the schedules form, as a therapist would."""
    page.goto(f"{live_server.url}/clinic/clients/{client.pk}/")
    page.get_by_role("link", name="Propose, change or stop a schedule").click()
    form = page.locator("#schedules form").last
    form.get_by_label("Questionnaire").select_option(label=instrument)
    form.get_by_label("Every how many days").fill(every)
    form.get_by_label("Days it stays open").fill(open_days)
    form.get_by_role("button", name="Send the proposal").click()
    expect(page.locator(".messages")).to_contain_text("It starts when your client accepts it")


def test_weekly_phq9_proposed_accepted_and_the_therapist_sees_accepted(new_page: Any, live_server: Any) -> None:
    from conftest import build_world
    from nearer.measures.models import Schedule

    world = build_world()
    therapist = _open(new_page, world.therapist, live_server, phone=False)
    _propose(therapist, live_server, world.owner, "PHQ-9 (Patient Health Questionnaire-9)", "7", "3")
    row = therapist.locator("ul.schedule-status li").first
    expect(row).to_contain_text("PHQ-9, every week")
    expect(row).to_contain_text("Proposed, waiting for the client")
    assert Schedule.objects.get(person=world.owner).active is False  # nothing in force yet

    client = _open(new_page, world.owner, live_server, phone=True)
    client.goto(live_server.url + "/")
    panel = client.locator("section", has_text="A schedule waits for your answer")
    expect(panel).to_contain_text("Dr. Rivera proposes PHQ-9 every week.")
    panel.get_by_role("link", name="Accept or decline").click()
    card = client.locator("section.schedule-proposal")
    expect(card).to_contain_text("Dr. Rivera proposes a questionnaire schedule")
    expect(card).to_contain_text("PHQ-9, every week (open for 3 days each time)")
    expect(client.locator("main")).not_to_contain_text("Due now")
    SHOTS.mkdir(exist_ok=True)
    card.scroll_into_view_if_needed()
    client.screenshot(path=str(SHOTS / "schedule-proposal-card-390.png"))
    card.get_by_role("button", name="Accept").click()
    expect(client.locator(".messages")).to_contain_text("Accepted: PHQ-9 every week. It starts now.")
    expect(client.locator("#due-heading")).to_be_visible()  # due now, from the accepted schedule
    history = client.locator("#schedule-history")
    expect(history.locator("li").first).to_contain_text("You accepted: PHQ-9, every week")
    expect(history.locator("li").nth(1)).to_contain_text("Dr. Rivera proposed: PHQ-9, every week")
    history.scroll_into_view_if_needed()
    client.screenshot(path=str(SHOTS / "schedule-history-390.png"))

    therapist.reload()
    row = therapist.locator("ul.schedule-status li").first
    expect(row).to_contain_text("Accepted")
    assert row.get_attribute("data-status") == "accepted"
    therapist.goto(f"{live_server.url}/clinic/clients/{world.owner.pk}/")
    expect(therapist.locator("#measure-schedules")).to_contain_text("PHQ-9, every week — Accepted")

    wide = _open(new_page, world.owner, live_server, phone=False)
    wide.goto(live_server.url + "/measures/schedules/")
    expect(wide.locator("#schedule-history li").first).to_contain_text("You accepted")
    wide.screenshot(path=str(SHOTS / "schedule-history-1280.png"), full_page=True)


def test_declined_proposal_changes_nothing_and_the_therapist_sees_declined(new_page: Any, live_server: Any) -> None:
    from conftest import build_world
    from nearer.measures.models import Schedule
    from nearer.measures.services import set_schedule

    world = build_world()
    set_schedule(world.owner, "phq9", 14, 4)  # the client's own two-weekly PHQ-9 stays in force
    therapist = _open(new_page, world.therapist, live_server, phone=False)
    _propose(therapist, live_server, world.owner, "PHQ-9 (Patient Health Questionnaire-9)", "7", "3")

    client = _open(new_page, world.owner, live_server, phone=False)
    client.goto(live_server.url + "/measures/")
    card = client.locator("section.schedule-proposal")
    expect(card).to_contain_text("Now you answer it every 2 weeks; that stays as it is unless you accept.")
    client.screenshot(path=str(SHOTS / "schedule-proposal-card-1280.png"))
    card.get_by_role("button", name="Decline").click()
    expect(client.locator(".messages")).to_contain_text("Declined. Nothing changes")
    expect(client.locator("section.schedule-proposal")).to_have_count(0)
    expect(client.locator("#schedule-history li").first).to_contain_text("You declined: PHQ-9, every week")
    assert Schedule.objects.get(person=world.owner, active=True).cadence_days == 14

    therapist.reload()
    declined = therapist.locator('ul.schedule-status li[data-status="declined"]')
    expect(declined).to_contain_text("PHQ-9, every week")
    expect(declined).to_contain_text("Declined by the client")
    expect(therapist.locator('ul.schedule-status li[data-status="accepted"]')).to_contain_text("every 2 weeks")
    therapist.locator("#schedules").scroll_into_view_if_needed()
    therapist.screenshot(path=str(SHOTS / "schedule-therapist-status-1280.png"), full_page=True)
    # The therapist may propose again; the client sees a fresh card.
    _propose(therapist, live_server, world.owner, "PHQ-9 (Patient Health Questionnaire-9)", "7", "2")
    client.goto(live_server.url + "/measures/")
    expect(client.locator("section.schedule-proposal")).to_contain_text("(open for 2 days each time)")

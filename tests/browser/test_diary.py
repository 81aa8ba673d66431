"""Daily check-in on a phone in under ten interactions; trends; the loop for the person and their therapist."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_check_in_on_a_phone_in_under_ten_interactions_then_see_the_trend(page, live_server, world):
    from nearer.diary.models import CheckIn

    signed_in(page, world.owner, live_server.url)
    interactions = 0
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Check in").first.click()
    interactions += 1
    page.locator("fieldset", has_text="Mood today").get_by_text("6", exact=True).click()
    interactions += 1
    page.locator("fieldset", has_text="How close did you feel").get_by_text("7", exact=True).click()
    interactions += 1
    page.get_by_role("button", name="Save check-in").click()
    interactions += 1
    assert interactions < 10
    page.wait_for_url("**/diary/trends/")
    expect(page.get_by_text("Saved. Thank you for checking in.")).to_be_visible()
    assert page.locator("svg[role=img]").count() == 2
    c = CheckIn.objects.get(person=world.owner)
    assert (c.mood, c.closeness) == (6, 7)
    # Every tap target on the form is at least 44px tall on a phone.
    page.goto(live_server.url + "/diary/")
    box = page.locator("fieldset", has_text="Mood today").locator("label.chip").first.bounding_box()
    assert box["height"] >= 44


def test_loop_with_an_eight_week_diary_for_the_person_and_their_therapist(new_page, live_server, world):
    from nearer.diary.demo import seed_checkins

    seed_checkins(world.owner, 20261121)
    page = signed_in(new_page(), world.owner, live_server.url)
    page.goto(live_server.url + "/diary/loop/")
    expect(page.locator("svg.loop-diagram")).to_be_visible()
    expect(page.get_by_text("On days after feeling closer than usual")).to_be_visible()

    therapist = signed_in(new_page(), world.therapist, live_server.url)
    therapist.goto(live_server.url + f"/diary/clients/{world.owner.pk}/loop/")
    expect(therapist.get_by_role("heading", name="Sam's loop")).to_be_visible()
    expect(therapist.locator("svg.loop-diagram")).to_be_visible()

    partner = signed_in(new_page(), world.partner, live_server.url)
    response = partner.goto(live_server.url + f"/diary/clients/{world.owner.pk}/loop/")
    assert response.status == 404
    assert partner.locator("svg.loop-diagram").count() == 0

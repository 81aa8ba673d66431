"""Closeness practice journeys on a phone-sized screen."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sam(db):
    from conftest import make_user

    return make_user("sam.browser@example.test", name="Sam")


def test_present_or_past_first_reading_visible_to_the_end(page, live_server, sam):
    signed_in(page, sam, live_server.url)
    page.goto(live_server.url + "/practice/present-or-past/new/")
    page.get_by_label("Late reply").check()
    page.get_by_label("What happened?").fill("Alex didn't reply all afternoon")
    page.get_by_role("button", name="Next").click()
    page.get_by_label("Or in your own words").fill("I'm always the one who cares more")
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Next").click()
    box = page.locator(".first-reading")
    steps = [
        lambda: page.get_by_label("Hurt", exact=True).fill("70"),
        lambda: None,  # the pause
        lambda: page.get_by_label("Does this moment echo something older?").fill("Waiting for calls as a kid"),
        lambda: page.get_by_label("What, happening now, fits your first reading?").fill("Hours of silence"),
        lambda: page.get_by_label("What, happening now, doesn't fit it?").fill("Alex said it was a busy day"),
        lambda: page.get_by_label("What's another possible reading?").fill("Alex is swamped"),
        lambda: page.get_by_label("How strong are those feelings now, from 0 to 100?").fill("35"),
        lambda: None,  # anything to do now (optional)
    ]
    for i, fill in enumerate(steps):
        expect(box, f"first reading hidden at step {i + 3}").to_be_visible()
        assert "I'm always the one who cares more" in box.inner_text()
        box_top = box.bounding_box()["y"]
        assert box_top < 844  # inside the phone's screen
        if i == 1:
            assert "Take three slow breaths" in page.content()
        fill()
        # Wait for the next step to finish loading: measuring while its stylesheet is still on
        # the way would see the box where it sits unstyled, below the screen.
        with page.expect_navigation(wait_until="load"):
            page.get_by_role("button", name="Finish" if i == len(steps) - 1 else "Next").click()
    assert box.is_visible() and "I'm always the one who cares more" in box.inner_text()
    assert page.locator(".intensity").inner_text().strip() == "70 → 35"
    page.get_by_role("link", name="See patterns across your records").click()
    assert "35.0 points less intense" in page.locator(".patterns-summary").inner_text()


def test_ladder_experiment_and_home_plan(page, live_server, sam):
    signed_in(page, sam, live_server.url)
    page.goto(live_server.url + "/practice/ladder/")
    assert "Your ladder is empty" in page.locator("#next-step").inner_text()
    page.get_by_label("Pick a suggested step").select_option("one-worry")
    page.get_by_role("button", name="Add to my ladder").click()
    assert "Tell my partner one worry from my day" in page.locator(".next-step-label").inner_text()
    page.get_by_role("link", name="Plan an experiment for this step").click()
    page.get_by_label("What do you fear will happen?").fill("Alex will think I'm needy")
    page.get_by_label("How strongly do you believe it will happen? (0–100%)").fill("80")
    page.get_by_label("How anxious do you expect to feel? (0–100)").fill("60")
    page.get_by_role("button", name="Save my plan").click()
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Tell my partner one worry from my day").click()
    page.get_by_role("link", name="I've tried it: note how it went").click()
    page.get_by_label("What actually happened?").fill("Alex listened and thanked me")
    page.get_by_label("No, it didn't happen").check()
    page.get_by_label("How strongly do you believe it now? (0–100%)").fill("30")
    page.get_by_role("button", name="Save").click()
    assert "This counts as done comfortably" in page.content()
    page.goto(live_server.url + "/practice/ladder/")
    assert page.locator(".experiment-summary").inner_text() == "1 of 1 step you tried did not end the way you feared."
    chart = page.locator("svg.chart")
    assert chart.get_attribute("role") == "img"
    assert chart.bounding_box()["width"] <= 390


def test_worksheet_revision_keeps_history(page, live_server, sam):
    signed_in(page, sam, live_server.url)
    page.goto(live_server.url + "/practice/worksheet/")
    page.get_by_label("Unpredictable").first.check()
    page.get_by_label("What did you come to expect from being close to someone?").fill("That people leave")
    page.get_by_role("button", name="Save this version").click()
    page.get_by_label("What did you come to expect from being close to someone?").fill("That people sometimes leave")
    page.get_by_role("button", name="Save this version").click()
    page.get_by_role("link", name="See all versions").click()
    text = page.locator("main").inner_text()
    assert "Version 2" in text and "Version 1" in text
    assert "That people leave" in text and "That people sometimes leave" in text


def test_therapist_suggestion_answered_by_client(new_page, live_server, sam):
    from conftest import link, make_user
    from nearer.practice import services

    therapist = make_user("rivera.browser@example.test", "therapist", "Dr. Rivera", mfa=True)
    link(sam, therapist, "therapist")
    services.suggest(therapist, sam, kind="ladder_step", suggestion_id="ask-for-a-hug", note="Only if it feels right")
    page = signed_in(new_page(), sam, live_server.url)
    page.goto(live_server.url + "/practice/")
    page.get_by_role("link", name="Ask for a hug when I want one").click()
    page.get_by_label("Your wording").fill("Ask for a hug after work")
    page.get_by_role("button", name="Edit and accept").click()
    assert "Ask for a hug after work" in page.locator(".ladder").inner_text()
    tpage = signed_in(new_page(), therapist, live_server.url)
    tpage.goto(live_server.url + f"/practice/clients/{sam.pk}/suggest/")
    assert tpage.locator(".suggestion-state").first.inner_text() == "Accepted with changes"

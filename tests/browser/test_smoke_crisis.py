"""The crisis control opens from a page in one tap, logged out, on a phone-sized screen."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_crisis_control_opens_in_one_tap_logged_out(page, live_server):
    page.goto(live_server.url + "/")
    page.get_by_text("Need help now?").click()
    panel = page.locator("#crisis-control .crisis-panel")
    expect(panel).to_be_visible()
    assert panel.get_by_role("link", name="Call 988").get_attribute("href") == "tel:988"
    expect(panel.get_by_role("link", name="Text HOME to 741741")).to_be_visible()

"""Read a piece on a phone, write a reflection, share it, and the therapist sees it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The journey is about Learn, not the screener: a sentence the screener leaves alone. (Its model reads
# some everyday couple sentences as risk, e.g. "When I'm tired I go quiet and Alex reads it as
# distance": a known false positive kept visible in nearer/safety/tests/test_screener.py.)
TEXT = "Reading this, I noticed I wait for Alex to ask first. I could start."


def test_read_reflect_share_and_the_therapist_sees_it(new_page, live_server):
    from conftest import build_world
    from nearer.learn.models import Reflection

    world = build_world()
    link = world.objects["link_owner_therapist"]
    link.scopes = [*link.scopes, "reflections"]
    link.save(update_fields=["scopes"])

    page = signed_in(new_page(phone=True), world.owner, live_server.url)
    page.goto(live_server.url + "/learn/")
    page.get_by_role("link", name="How distance and low mood feed each other").click()
    assert page.get_by_role("heading", level=1).inner_text() == "How distance and low mood feed each other"
    expect(page.get_by_role("heading", name="Sources")).to_be_visible()
    # Readable on a phone: nothing wider than the screen.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]

    page.get_by_label("Your reflection").fill(TEXT)
    page.get_by_role("button", name="Save reflection").click()
    expect(page.get_by_text("Saved. Only you can see this.")).to_be_visible()
    expect(page.locator(".learn-reflection").get_by_text("Private")).to_be_visible()
    reflection = Reflection.objects.get(person=world.owner)
    assert reflection.shared is False

    page.get_by_role("button", name="Share with my therapist").click()
    expect(page.get_by_text("Shared with your therapist. You can stop sharing at any time.")).to_be_visible()
    reflection.refresh_from_db()
    assert reflection.shared is True

    therapist = signed_in(new_page(phone=True), world.therapist, live_server.url)
    therapist.goto(f"{live_server.url}/learn/clients/{world.owner.pk}/reflections/")
    assert therapist.get_by_role("heading", level=1).inner_text() == "Shared reflections"
    expect(therapist.get_by_text(TEXT)).to_be_visible()
    assert world.owner.email not in therapist.content()

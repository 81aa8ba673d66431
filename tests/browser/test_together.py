"""Sam and Alex, each in their own browser, have a full talk: prompt, readiness, both rate, reveal."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _ready(page: Any) -> None:
    for q in ("time", "energy", "calm"):
        page.locator(f'input[name="{q}"][value="yes"]').check()
    page.get_by_role("button", name="Send my answers").click()


def _rate(page: Any, heard: str) -> None:
    page.get_by_role("link", name="Rate this talk").click()
    page.get_by_label("I felt heard").select_option(heard)
    page.get_by_label("I felt accepted").select_option("8")
    page.get_by_label("I felt close").select_option("7")
    page.get_by_label("I was defensive").select_option("2")
    page.get_by_role("button", name="Save my ratings").click()


def test_two_partners_full_conversation(new_page: Any, live_server: Any) -> None:
    from conftest import build_world

    world = build_world()
    sam = signed_in(new_page(), world.owner, live_server.url)
    alex = signed_in(new_page(), world.partner, live_server.url)

    sam.goto(live_server.url + "/together/")
    sam.get_by_role("link", name="Choose a prompt").click()
    prompt_text = sam.locator(".prompt-card .prompt").first.inner_text()
    sam.get_by_role("button", name="Talk about this one").first.click()
    assert sam.locator("#prompt-text").inner_text() == prompt_text
    _ready(sam)
    assert "Waiting for Alex" in sam.locator("#readiness").inner_text()

    alex.goto(live_server.url + "/together/")
    alex.get_by_role("link", name="Open it").click()
    assert alex.locator("#prompt-text").inner_text() == prompt_text
    _ready(alex)
    expect(alex.locator("#guidance")).to_be_visible()

    sam.reload()
    _rate(sam, "9")
    assert "private until Alex has rated" in sam.locator("#waiting").inner_text()

    _rate(alex, "4")
    summary = alex.locator("#summary").inner_text()
    assert "You felt less heard than Sam did." in summary

    sam.get_by_role("link", name="Check again").click()
    assert "Alex felt less heard than you did" in sam.locator("#summary").inner_text()
    expect(sam.get_by_role("cell", name="4", exact=True).first).to_be_visible()

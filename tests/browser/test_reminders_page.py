"""Reminders out of the box: the server has its own push keys, so the page offers notifications; every
checkbox sits beside its words (phone and laptop, English and Spanish)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("phone", "locale", "push_label", "allow"), [
    (True, "en-US", "As a notification on my devices", "Allow notifications here"),
    (False, "es-ES", "Como notificación en mis dispositivos", None),
], ids=["phone-en", "laptop-es"])
def test_reminders_page_offers_push_and_lays_out_checkboxes(new_page: Any, live_server: Any, world: Any, phone: bool,
                                                           locale: str, push_label: str, allow: str | None) -> None:
    from nearer.ops.push import ensure_vapid_keys, vapid_keys

    ensure_vapid_keys()  # what the first migrate does on a fresh install (the test database is flushed)
    page = signed_in(new_page(phone=phone, locale=locale), world.owner, live_server.url)
    page.goto("/ops/reminders/")
    if allow:
        expect(page.get_by_role("button", name=allow)).to_have_attribute("data-key", vapid_keys()[0])
    rows = page.locator("label.check-row")
    expect(rows.filter(has_text=push_label)).to_have_count(4)  # one per kind of reminder
    for i in range(rows.count()):
        box = rows.nth(i).locator("input[type=checkbox]").bounding_box()
        words = rows.nth(i).locator("span").bounding_box()
        assert box is not None and words is not None
        assert abs((box["y"] + box["height"] / 2) - (words["y"] + words["height"] / 2)) < 12  # same line
        assert words["x"] > box["x"] + box["width"]  # the words right beside the box
        assert (rows.nth(i).bounding_box() or {"height": 0})["height"] >= 44
    assert axe_violations(page) == []

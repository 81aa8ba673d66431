"""Phone first: a compact header with "Need help now?" and a Menu, the main places in a bottom bar,
big tap targets, and phone numbers in the safety plan as tap-to-call links (EN/ES, phone/laptop)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("locale", "menu", "places"), [
    ("en-US", "Menu", ["Home", "Check in", "Loop", "Together", "My plan"]),
    ("es-ES", "Menú", ["Inicio", "Registro diario", "Círculo", "En pareja", "Mi plan"]),
], ids=["en", "es"])
def test_phone_header_is_compact_with_help_in_view_and_a_bottom_bar(new_page: Any, live_server: Any, world: Any,
                                                                    locale: str, menu: str, places: list[str]) -> None:
    page = signed_in(new_page(phone=True, locale=locale), world.owner, live_server.url)
    for path in ("/", "/diary/", "/safety/plan/"):
        page.goto(path)
        header = page.locator(".site-header").bounding_box()
        assert header is not None and header["height"] <= 80
        crisis = page.locator("#crisis-control summary").bounding_box()
        assert crisis is not None and crisis["y"] + crisis["height"] <= 80
        expect(page.locator("#main-nav")).to_be_hidden()
        bar = page.locator(".bottom-bar")
        expect(bar).to_be_visible()
        expect(bar.get_by_role("link")).to_have_count(len(places))
        for name in places:
            expect(bar.get_by_role("link", name=name, exact=True)).to_be_visible()
        for box in (bar.locator("a").nth(i).bounding_box() for i in range(len(places))):
            assert box is not None and box["height"] >= 44 and box["width"] >= 44
        assert axe_violations(page) == []
    page.get_by_role("button", name=menu).click()
    expect(page.locator("#main-nav")).to_be_visible()
    expect(page.get_by_role("button", name=menu)).to_have_attribute("aria-expanded", "true")
    link = page.locator("#main-nav a").nth(1)
    assert (link.bounding_box() or {"height": 0})["height"] >= 44
    page.keyboard.press("Escape")
    expect(page.locator("#main-nav")).to_be_hidden()


def test_laptop_keeps_the_links_in_the_header(new_page: Any, live_server: Any, world: Any) -> None:
    page = signed_in(new_page(phone=False), world.owner, live_server.url)
    page.goto("/")
    expect(page.locator("#main-nav")).to_be_visible()
    expect(page.locator(".bottom-bar")).to_be_hidden()
    expect(page.locator(".menu-toggle")).to_be_hidden()


@pytest.mark.parametrize("phone", [True, False], ids=["phone", "laptop"])
def test_phone_numbers_in_the_plan_are_tap_to_call(new_page: Any, live_server: Any, world: Any, phone: bool) -> None:
    from nearer.safety.services import save_plan

    save_plan(world.owner, world.owner, {"people_to_ask": "Mum (808) 555-0142", "professionals": "Dr Lee 808 555 0199, or 988"})
    page = signed_in(new_page(phone=phone), world.owner, live_server.url)
    for path in ("/safety/plan/", "/safety/plan/print/"):
        page.goto(path)
        expect(page.locator("a[href='tel:8085550142']")).to_have_text("(808) 555-0142")
        expect(page.locator("a[href='tel:8085550199']")).to_have_count(1)
        expect(page.locator("main a[href='tel:988']").first).to_be_visible()
    page.goto("/ops/offline/")
    expect(page.locator("main a[href='tel:988']")).to_have_count(1)
    expect(page.locator("main a[href='tel:911']")).to_have_count(1)

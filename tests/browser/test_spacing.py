"""Small layout promises people noticed: a button never touches the link beside it, and "Sign out"
(a button in a form) sits on the same line as the other menu links."""

from __future__ import annotations

import pytest

from tests.browser.conftest import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT_BOX = """e => { const r = document.createRange(); r.selectNodeContents(e); const b = r.getBoundingClientRect();
  return [b.top, b.bottom]; }"""


@pytest.mark.parametrize("width", [320, 390, 1200])
@pytest.mark.parametrize("path", ["/diary/trends/", "/diary/loop/"])
def test_check_in_button_keeps_its_distance_and_sign_out_sits_in_line(new_page, live_server, world, width, path):
    page = new_page()
    page.set_viewport_size({"width": width, "height": 800})
    signed_in(page, world.owner, live_server.url)
    page.goto(live_server.url + path)

    button = page.locator("main a.button", has_text="Check in").bounding_box()
    link = page.locator("main p.actions a:not(.button)").bounding_box()
    same_line = link["y"] < button["y"] + button["height"] and button["y"] < link["y"] + link["height"]
    if same_line:
        assert link["x"] - (button["x"] + button["width"]) >= 12
    else:
        assert link["y"] - (button["y"] + button["height"]) >= 4

    if page.locator(".menu-toggle").is_visible():  # phones: the menu folds behind one button
        page.locator(".menu-toggle").click()
    settings_text = page.locator(".nav a", has_text="Settings").evaluate(TEXT_BOX)
    sign_out_text = page.locator(".nav button", has_text="Sign out").evaluate(TEXT_BOX)
    settings_box = page.locator(".nav a", has_text="Settings").bounding_box()
    sign_out_box = page.locator(".nav button", has_text="Sign out").bounding_box()
    if abs(settings_box["y"] - sign_out_box["y"]) < settings_box["height"]:  # the same row of the menu
        assert sign_out_text == pytest.approx(settings_text, abs=1)

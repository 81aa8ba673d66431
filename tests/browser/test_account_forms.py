"""Sign-up and sign-in errors on a phone: shown in the error colour, not as a plain bulleted list that
reads like part of the field above it, and what the person typed stays in the form."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DANGER = "rgb(163, 38, 42)"  # --danger in nearer.css


def test_sign_up_error_is_styled_as_an_error_and_keeps_the_email(page, live_server):
    page.goto(live_server.url + "/accounts/signup/")
    page.get_by_label("Email").first.fill("new.person@example.org")
    page.get_by_label("What should we call you?").fill("Robin")
    page.locator("input[name=password1]").fill("short")
    page.locator("input[name=password2]").fill("short")
    with page.expect_navigation():
        page.get_by_role("button", name="Create my account").click()
    # The error is in the HTML before the stylesheet has applied; measure after the page's load event
    # (under full-suite load the unstyled list was read once: black, with bullets).
    page.wait_for_load_state("load")
    error = page.locator("ul.errorlist li", has_text="too short").first
    error.wait_for()
    style = error.evaluate("e => { const s = getComputedStyle(e.parentElement); return [s.color, s.listStyleType]; }")
    assert style == [DANGER, "none"]
    assert page.get_by_label("Email").first.input_value() == "new.person@example.org"
    assert page.get_by_label("What should we call you?").input_value() == "Robin"

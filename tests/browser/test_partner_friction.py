"""Issue 15 item 10, in the browser: see a waiting invitation link again and copy it; a partner's home
leads with Together at phone size; choose how deep the prompts go; when one account is closed, the
other person sees the notice on their next visit."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = "/tmp/h15a"


def _shot(page: Any, name: str) -> None:
    import os

    if os.path.isdir(SHOTS):
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


@pytest.mark.parametrize(("phone", "locale", "copy", "copied", "withdraw"), [
    (True, "en-US", "Copy link", "Copied.", "Withdraw this link"),
    (False, "es-ES", "Copiar enlace", "Copiado.", "Retirar este enlace"),
], ids=["phone-en", "laptop-es"])
def test_invitation_link_seen_again_copied_and_withdrawn(new_page: Any, live_server: Any, world: Any, phone: bool,
                                                         locale: str, copy: str, copied: str, withdraw: str) -> None:
    page = signed_in(new_page(phone=phone, locale=locale), world.unlinked, live_server.url)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto("/me/sharing/")
    page.locator("input[name=kind][value=partner]").check()
    page.locator("form[action='/me/sharing/invite/'] button[type=submit]").click()
    first = page.locator("#invite-url").input_value()
    # Later: the same link is there to copy again.
    page.goto("/")
    page.goto("/me/sharing/")
    waiting = page.locator(".waiting-invitation")
    expect(waiting).to_have_count(1)
    field = waiting.locator("input.copy-field")
    assert field.input_value() == first
    waiting.get_by_role("button", name=copy).click()
    expect(waiting.locator(".copy-status")).to_have_text(copied)
    assert page.evaluate("() => navigator.clipboard.readText()") == first
    _shot(page, f"sharing-waiting-{'phone' if phone else 'laptop'}-{locale}")
    assert axe_violations(page) == []
    waiting.get_by_role("button", name=withdraw).click()
    expect(page.locator(".waiting-invitation")).to_have_count(0)
    page.goto(first)
    expect(page.locator("main")).to_contain_text("withdrawn" if locale == "en-US" else "la retiró")


def test_partner_home_leads_with_together_and_depth_is_chosen(new_page: Any, live_server: Any, world: Any) -> None:
    page = signed_in(new_page(phone=True), world.partner, live_server.url)
    page.goto("/")
    panel = page.locator("#together-panel")
    expect(panel).to_contain_text("Together with Sam")
    expect(panel).to_contain_text("Light — everyday things")
    # Together is the first app card; the plan comes after it, crisis help stays in the header.
    tops = page.evaluate("""() => ['#together-panel', '#safety-plan-heading', '#diary-panel-h'].map(
        (s) => { const el = document.querySelector(s); return el ? el.getBoundingClientRect().top : null; })""")
    assert tops[0] is not None and all(t is None or tops[0] < t for t in tops[1:]), tops
    expect(page.locator("header .crisis-button")).to_be_visible()
    _shot(page, "partner-home-phone")
    assert axe_violations(page) == []

    page.set_viewport_size({"width": 1280, "height": 800})
    _shot(page, "partner-home-laptop")
    page.set_viewport_size({"width": 390, "height": 844})

    panel.get_by_role("link", name="Open Together").click()
    depth = page.locator("#depth")
    expect(depth.get_by_label("Light — everyday things")).to_be_checked()
    expect(depth.locator("input[name=depth][value='2']")).to_be_disabled()
    _shot(page, "together-depth-phone")
    assert axe_violations(page) == []


def test_choosing_a_depth_is_remembered_for_the_couple(new_page: Any, live_server: Any, world: Any) -> None:
    from nearer.together import services
    from nearer.together.tests.conftest import rate

    couple = services.couple_for(world.owner)
    for _ in range(2):
        conv = services.start_conversation(world.owner, services.offered_prompts(couple)[0].id)
        services.answer_readiness(world.owner, conv, True)
        services.answer_readiness(world.partner, conv, True)
        rate(world.owner, conv)
        rate(world.partner, conv)
    page = signed_in(new_page(phone=False, locale="es-ES"), world.partner, live_server.url)
    page.goto("/together/")
    page.locator("#depth").get_by_text("Más cerca").click()
    page.locator("#depth").get_by_role("button", name="Guardar este nivel").click()
    expect(page.locator(".messages")).to_contain_text("«Más cerca — esperanzas, preocupaciones y lo que extrañas»")
    _shot(page, "together-depth-laptop-es")
    # Sam, on another device, finds the same choice and prompts at that depth.
    other = signed_in(new_page(phone=True), world.owner, live_server.url)
    other.goto("/together/")
    expect(other.locator("#depth input[name=depth][value='2']")).to_be_checked()
    other.get_by_role("link", name="Choose a prompt").click()
    expect(other.locator(".lead")).to_contain_text("Closer — hopes, worries and what you miss")


def test_closing_an_account_tells_the_partner_on_their_next_visit(new_page: Any, live_server: Any, world: Any) -> None:
    sam = signed_in(new_page(phone=True), world.owner, live_server.url)
    sam.goto("/me/delete/")
    expect(sam.locator("main")).to_contain_text("they will be told that the link ended")
    sam.get_by_label("Your password").fill("correct horse battery staple")
    sam.get_by_label("Type DELETE to confirm").fill("DELETE")
    sam.get_by_role("button", name="Delete my account").click()
    expect(sam.locator(".messages")).to_contain_text("erased")

    alex = signed_in(new_page(phone=True), world.partner, live_server.url)
    alex.goto("/")
    notice = alex.locator("#partner-closed-notice")
    expect(notice).to_contain_text("Your partner link has ended")
    expect(notice).not_to_contain_text("Sam")
    expect(alex.locator("#together-panel")).to_have_count(0)
    _shot(alex, "partner-closed-notice-phone")
    assert axe_violations(alex) == []
    notice.get_by_role("button", name="I understand").click()
    expect(alex.locator("#partner-closed-notice")).to_have_count(0)
    alex.reload()
    expect(alex.locator("#partner-closed-notice")).to_have_count(0)

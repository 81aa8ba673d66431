"""Issue 14 journeys, in English and Spanish: the crisis routes follow the language; the private
relationship-safety questions lead to quiet resources and a pause of couple features; quick exit
leaves at once without a way Back; then the partner signs in and finds nothing but a neutral line."""

from __future__ import annotations

import os
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("NEARER_SHOTS", "")

WORDS = {
    "en": {"locale": "en-US", "help": "Need help now?", "offer": "Answer privately", "afraid": "afraid of your partner",
           "yes": "Yes", "no": "No", "done": "Done", "thanks": "Thank you for answering", "paused": "You paused couple features",
           "partner_sees": "Sam has paused couple features.", "exit": "Leave this page now", "call_988": "Call 988",
           "text_741741": "Text HOME to 741741"},
    "es": {"locale": "es-US", "help": "¿Necesitas ayuda ahora?", "offer": "Responder en privado",
           "afraid": "miedo de tu pareja", "yes": "Sí", "no": "No", "done": "Listo", "thanks": "Gracias por responder",
           "paused": "Pusiste en pausa las funciones de pareja",
           "partner_sees": "Sam puso en pausa las funciones de pareja.", "exit": "Salir de esta página ahora",
           "call_988": "Llama al 988 y marca el 2", "text_741741": "Envía AYUDA al 741741"},
}


def _shot(page, name):
    if not SHOTS:
        return
    os.makedirs(SHOTS, exist_ok=True)
    for label, size in (("phone", PHONE), ("desktop", {"width": 1280, "height": 800})):
        page.set_viewport_size(size)
        page.screenshot(path=os.path.join(SHOTS, f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size(PHONE)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_crisis_panel_routes_follow_the_language(new_page, live_server, world, lang):
    w = WORDS[lang]
    page = new_page(locale=w["locale"])
    page.goto(live_server.url + "/help/")
    page.locator("#crisis-control summary").click()
    panel = page.locator("#crisis-control .crisis-panel")
    expect(panel.get_by_role("link", name=w["call_988"])).to_have_attribute("href", "tel:988")
    expect(panel.get_by_role("link", name=w["text_741741"])).to_have_attribute(
        "href", "sms:741741?&body=" + ("AYUDA" if lang == "es" else "HOME"))
    if lang == "es":
        expect(panel.get_by_role("link", name="Envía AYUDA al 988")).to_have_attribute("href", "sms:988?&body=AYUDA")
        expect(panel.get_by_role("link", name="Chatea en español en 988lineadevida.org")).to_have_attribute(
            "href", "https://988lineadevida.org/")
        expect(panel.get_by_role("link", name="WhatsApp al 442-AYUDAME")).to_have_attribute(
            "href", "https://wa.me/14422983263")
        assert "HOME" not in panel.inner_text()
    else:
        expect(panel.get_by_role("link", name="Text 988")).to_have_attribute("href", "sms:988")
        expect(panel.get_by_role("link", name="Chat at 988lifeline.org")).to_have_attribute(
            "href", "https://988lifeline.org/chat/")
    _shot(page, f"crisis-panel-{lang}")


@pytest.mark.parametrize("lang", ["en", "es"])
def test_screen_resources_pause_quick_exit_then_partner_finds_nothing(new_page, live_server, world, settings, lang):
    w = WORDS[lang]
    # The quick exit goes to a neutral page; in the test it stays on the live server (no other origin).
    settings.NEARER_QUICK_EXIT_URL = live_server.url + "/healthz"
    page = new_page(locale=w["locale"])
    signed_in(page, world.owner, live_server.url)

    # The private offer on the home page (Sam has a partner link), then the four questions.
    page.goto(live_server.url + "/")
    page.get_by_role("link", name=w["offer"]).click()
    page.wait_for_url(re.compile(r"/support/questions/$"))
    _shot(page, f"questions-{lang}")
    fieldsets = page.locator("fieldset")
    assert fieldsets.count() == 4
    afraid = fieldsets.filter(has_text=w["afraid"])
    afraid.get_by_label(w["yes"], exact=True).check()
    page.locator("button[data-relsafety=submit]").click()

    # Quiet resources: thanks, the Hotline, and couple features paused.
    page.wait_for_url(re.compile(r"/support/$"))
    expect(page.locator("#screen-thanks")).to_contain_text(w["thanks"])
    expect(page.locator("[data-dv=call]")).to_have_attribute("href", "tel:+18007997233")
    expect(page.locator("[data-dv=tty]")).to_have_attribute("href", "tel:+18007873224")
    expect(page.locator("[data-dv=text]")).to_have_attribute("href", "sms:88788?&body=START")
    expect(page.locator("[data-dv=chat]")).to_have_attribute("href", "https://www.thehotline.org/")
    expect(page.locator("#pause-state")).to_have_attribute("data-paused", "yes")
    _shot(page, f"support-{lang}")

    page.goto(live_server.url + "/together/")
    expect(page.locator("#couple-paused")).to_contain_text(w["paused"])
    _shot(page, f"together-paused-self-{lang}")

    # Quick exit: leaves at once, and Back does not return to the support page.
    page.goto(live_server.url + "/support/")
    page.get_by_role("link", name=w["exit"]).click()
    page.wait_for_url(re.compile(r"/healthz$"))
    page.go_back()
    page.wait_for_load_state()
    assert not page.url.endswith("/support/"), page.url
    assert page.url.endswith("/together/")
    # Esc does the same from the questions page.
    page.goto(live_server.url + "/support/questions/")
    page.keyboard.press("Escape")
    page.wait_for_url(re.compile(r"/healthz$"))

    # The partner signs in and finds nothing: only the neutral sentence on Together.
    partner = new_page(locale=w["locale"])
    signed_in(partner, world.partner, live_server.url)
    partner.goto(live_server.url + "/together/")
    main = partner.locator("main")
    expect(main).to_contain_text(w["partner_sees"])
    text = main.inner_text()
    for word in ("HARK", "support", "apoyo", "question", "pregunta", "answer", "respuesta", "afraid", "miedo"):
        assert word.lower() not in text.lower(), word
    expect(main.get_by_role("button")).to_have_count(0)
    _shot(partner, f"together-paused-partner-{lang}")
    for url in ("/", "/me/", "/me/sharing/", "/me/access-log/"):
        resp = partner.goto(live_server.url + url)
        if resp is None or resp.status >= 400:
            continue
        body = partner.locator("main").inner_text()
        for word in ("HARK", "Sam has answered", "Sam respondió", "Relationship safety questions"):
            assert word not in body, (url, word)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_support_pages_are_accessible_and_fit_a_small_phone(new_page, live_server, world, lang):
    from nearer.relsafety.services import record_screen
    from tests.browser.conftest import axe_violations

    record_screen(world.owner, {"afraid": "yes"}, lang)
    page = new_page(locale=WORDS[lang]["locale"])
    page.set_viewport_size({"width": 320, "height": 720})
    signed_in(page, world.owner, live_server.url)
    for url in ("/support/", "/support/questions/", "/help/", "/together/", "/safety/plan/"):
        page.goto(live_server.url + url)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), url
        assert not axe_violations(page), (url, axe_violations(page))

"""Crisis routes are exactly those in shared/reference/clinical-facts.md, in each language, on every surface.

English: 988 (call or text), chat at 988lifeline.org, press 2 for Spanish or 1 for the Veterans Crisis
Line, text HOME to 741741, 911. Spanish: call 988 and press 2, text AYUDA to 988, chat from the
Lifeline's Spanish site, text AYUDA to 741741 or WhatsApp 442-AYUDAME, 911. HOME never appears as
a Spanish route (it reaches English-speaking counsellors). The former "press 3" option never appears.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from unittest import mock

import pytest
from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from nearer.safety import crisis
from nearer.safety.plan_text import crisis_card, part_text

ERRORS_500 = Path(__file__).resolve().parents[2] / "templates" / "errors" / "500.html"
SW_JS = Path(__file__).resolve().parents[2] / "static" / "nearer" / "sw.js"
PHONE_LIKE = re.compile(r"(?:tel:|sms:)([0-9+]+)")
SMS_LINKS = re.compile(r'href="(sms:[^"]+)"')

# What each language's links must be, exactly.
EXPECTED_LINKS = {
    "en": {
        'href="tel:988"', 'href="sms:988"', 'href="https://988lifeline.org/chat/"',
        'href="sms:741741?&amp;body=HOME"', 'href="tel:911"',
    },
    "es": {
        'href="tel:988"', 'href="sms:988?&amp;body=AYUDA"', 'href="https://988lineadevida.org/"',
        'href="sms:741741?&amp;body=AYUDA"', 'href="https://wa.me/14422983263"', 'href="tel:911"',
    },
}
EXPECTED_SMS = {"en": {"sms:988", "sms:741741?&amp;body=HOME"}, "es": {"sms:988?&amp;body=AYUDA", "sms:741741?&amp;body=AYUDA"}}
EXPECTED_WORDS = {
    "en": ("press 2 for Spanish or 1 for the Veterans Crisis Line", "Text HOME to 741741"),
    "es": ("Llama al 988 y marca el 2", "Envía AYUDA al 988", "Envía AYUDA al 741741", "Chatea en español en 988lineadevida.org",
           "WhatsApp al 442-AYUDAME"),
}


def test_constants_match_the_facts_file():
    assert crisis.LIFELINE_NUMBER == "988"
    assert crisis.LIFELINE_CHAT_LABEL == "988lifeline.org"
    assert crisis.LIFELINE_CHAT_URL.startswith("https://988lifeline.org/")
    assert (crisis.CRISIS_TEXT_WORD, crisis.CRISIS_TEXT_NUMBER) == ("HOME", "741741")
    assert (crisis.LIFELINE_ES_TEXT_WORD, crisis.CRISIS_TEXT_ES_WORD) == ("AYUDA", "AYUDA")
    assert crisis.CRISIS_TEXT_WHATSAPP_LABEL == "442-AYUDAME"
    # 442-AYUDAME on a phone keypad: A=2 Y=9 U=8 D=3 A=2 M=6 E=3.
    keypad = {c: d for d, letters in {"2": "ABC", "3": "DEF", "6": "MNO", "8": "TUV", "9": "WXYZ"}.items() for c in letters}
    assert crisis.CRISIS_TEXT_WHATSAPP_URL == "https://wa.me/1442" + "".join(keypad[c] for c in "AYUDAME")
    assert crisis.EMERGENCY_NUMBER == "911"
    assert (crisis.SPANISH_OPTION, crisis.VETERANS_OPTION) == ("2", "1")
    assert (crisis.DV_HOTLINE_NUMBER, crisis.DV_HOTLINE_TTY) == ("1-800-799-7233", "1-800-787-3224")
    assert (crisis.DV_TEXT_WORD, crisis.DV_TEXT_NUMBER) == ("START", "88788")
    assert (crisis.DV_HOTLINE_TEL, crisis.DV_HOTLINE_TTY_TEL) == ("tel:+18007997233", "tel:+18007873224")


def test_routes_by_language():
    en, es = crisis.routes("en"), crisis.routes("es-MX")
    assert (en["lifeline_tel"], en["lifeline_sms"], en["emergency_tel"]) == ("tel:988", "sms:988", "tel:911")
    assert en["text_sms"] == "sms:741741?&body=HOME" and en["lifeline_press"] == "" and en["whatsapp_url"] == ""
    assert (es["lifeline_tel"], es["lifeline_sms"], es["emergency_tel"]) == ("tel:988", "sms:988?&body=AYUDA", "tel:911")
    assert es["text_sms"] == "sms:741741?&body=AYUDA" and es["lifeline_press"] == "2"
    assert es["lifeline_chat_url"] == "https://988lineadevida.org/"
    assert "HOME" not in " ".join(str(v) for v in es.values())
    assert crisis.routes(None) is crisis.CRISIS["en"] and crisis.routes("fr") is crisis.CRISIS["en"]
    for r in (en, es):
        assert r["dv_tel"] == "tel:+18007997233" and r["dv_text_sms"] == "sms:88788?&body=START"


def _no_wrong_numbers(text: str, lang: str | None = None) -> None:
    low = text.lower()
    assert "press 3" not in low and "marca el 3" not in low and "oprima 3" not in low
    assert set(PHONE_LIKE.findall(text)) <= crisis.ALLOWED_DIAL
    if lang == "es":
        assert "body=HOME" not in text and "HOME al 741741" not in text


def _panel(html: str) -> str:
    return html.split('id="crisis-control"', 1)[1].split("</details>", 1)[0]


def _assert_routes(fragment: str, lang: str) -> None:
    for needle in EXPECTED_LINKS[lang]:
        assert needle in fragment, (lang, needle)
    for needle in EXPECTED_WORDS[lang]:
        assert needle in fragment, (lang, needle)
    assert set(SMS_LINKS.findall(fragment)) == EXPECTED_SMS[lang]
    _no_wrong_numbers(fragment, lang)


PAGES = ["home", "help", "safety:finding-care", "safety:plan-detail", "account_login"]


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("name", PAGES)
def test_rendered_crisis_control(client_as, name, lang):
    c = client_as("owner" if name != "account_login" else "anonymous")
    html = c.get(reverse(name), HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    _assert_routes(_panel(html), lang)
    _no_wrong_numbers(html, lang)


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["en", "es"])
def test_help_page_lines(client_as, lang):
    html = client_as("anonymous").get(reverse("help"), HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    main = html.split('aria-labelledby="lines"', 1)[1]
    _assert_routes(main.split("</section>", 1)[0], lang)


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["en", "es"])
def test_crisis_card_numbers(client_as, lang):
    html = client_as("owner").post(reverse("safety:not-safe"), HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    card = html.split('id="crisis-card"', 1)[1].split("</section>", 1)[0]
    _assert_routes(card, lang)
    _no_wrong_numbers(html, lang)


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["en", "es"])
def test_offline_page(client_as, lang):
    html = client_as("owner").get(reverse("ops:offline"), HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    main = html.split('id="offline-help"', 1)[1].split("</section>", 1)[0]
    _assert_routes(main, lang)


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["en", "es"])
def test_plan_print(client_as, lang):
    html = client_as("owner").get(reverse("safety:plan-print"), HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    part = html.split("plan-crisis", 1)[1].split("</section>", 1)[0]
    if lang == "es":
        for needle in ("Llama al 988 y marca el 2", "Envía AYUDA al 988", "Chatea en español en 988lineadevida.org",
                       "Envía AYUDA al 741741", "WhatsApp al 442-AYUDAME", "911"):
            assert needle in part
        assert "HOME" not in part
    else:
        for needle in ("Call or text 988, or chat at 988lifeline.org", "press 2 for Spanish", "Text HOME to 741741", "911"):
            assert needle in part


@pytest.mark.parametrize("lang", ["en", "es"])
def test_card_texts(lang):
    t = crisis_card(lang)
    joined = " ".join(t.values())
    if lang == "en":
        for needle in ("988", "988lifeline.org", "HOME to 741741", "911"):
            assert needle in joined
        assert "press 2 for Spanish" in t["lifeline"] and "press 1 for the Veterans Crisis Line" in t["lifeline"]
    else:
        assert "Llama al 988 y marca el 2" in t["lifeline"] and "envía AYUDA al 988" in t["lifeline"]
        assert "988lineadevida.org" in t["lifeline"]
        assert t["text_line"].startswith("Envía AYUDA al 741741") and "442-AYUDAME" in t["text_line"]
        assert "HOME" not in joined
    _no_wrong_numbers(joined, lang)


def test_plan_hints_follow_the_language():
    assert "Crisis Text Line: text HOME to 741741" in part_text("professionals", "en").hints
    es = " ".join(part_text("professionals", "es").hints)
    assert "AYUDA al 741741" in es and "marcar el 2" in es and "HOME" not in es


@pytest.mark.parametrize("lang", ["en", "es"])
def test_plain_lines(lang):
    lines = crisis.plain_lines(lang)
    joined = " ".join(lines.values())
    if lang == "es":
        for needle in ("llama al 988 y marca el 2", "envía AYUDA al 988", "AYUDA al 741741", "442-AYUDAME", "911",
                       "988lineadevida.org"):
            assert needle in joined.replace("Envía", "envía").replace("Llama", "llama")
        assert "HOME" not in joined
    else:
        for needle in ("call or text 988", "988lifeline.org", "text HOME to 741741", "911"):
            assert needle in joined.replace("Call", "call").replace("Text", "text")


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["en", "es"])
def test_account_emails(world, client, lang):
    mail.outbox.clear()
    client.post("/accounts/password/reset/", {"email": "owner@example.test"}, HTTP_ACCEPT_LANGUAGE=lang)
    body = mail.outbox[-1].body
    if lang == "es":
        assert "llama al 988 y marca el 2" in body and "AYUDA al 988 o al 741741" in body and "HOME" not in body
    else:
        assert "call or text 988" in body and "text HOME to 741741" in body


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["en", "es"])
def test_reminder_email(world, lang, settings):
    from nearer.ops.models import ReminderPreference
    from nearer.ops.reminders import deliver

    world.owner.language = lang
    world.owner.save(update_fields=["language"])
    pref = ReminderPreference.objects.create(person=world.owner, kind="checkin", by_email=True, local_time=dt.time(9, 0))
    mail.outbox.clear()
    deliver(pref)
    body = mail.outbox[-1].body
    assert crisis.plain_lines(lang)["one_line"] in body
    if lang == "es":
        assert "HOME" not in body


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["en", "es"])
def test_clinician_pdf_shows_the_clients_routes(world, client_as, lang):
    world.owner.language = lang
    world.owner.save(update_fields=["language"])
    captured: dict[str, str] = {}

    class FakeHTML:
        def __init__(self, string: str) -> None:
            captured["html"] = string

        def write_pdf(self) -> bytes:
            return b"%PDF-1.4 test"

    with mock.patch("weasyprint.HTML", FakeHTML):
        r = client_as("therapist").get(reverse("clinic:client-report", args=[world.owner.pk]))
    assert r.status_code == 200
    part = captured["html"].split("crisis-lines", 1)[1]
    for line in crisis.plain_lines(lang)["lifeline"], crisis.plain_lines(lang)["text_line"]:
        assert line.replace("&", "&amp;") in part


def test_server_error_page():
    html = ERRORS_500.read_text(encoding="utf-8")
    for needle in ("988", "988lifeline.org", "HOME to 741741", "911"):
        assert needle in html
    _no_wrong_numbers(html)


def test_service_worker_fallback_has_both_languages():
    js = SW_JS.read_text(encoding="utf-8")
    assert "call or text 988" in js and "llama al 988 y marca el 2" in js and "AYUDA al 988 o al 741741" in js


def test_render_lines_snippet_directly():
    for lang in ("en", "es"):
        with translation.override(lang):
            html = render_to_string("safety/crisis_lines.html", {"crisis": crisis.routes(lang)})
        _assert_routes(html, lang)

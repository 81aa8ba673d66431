"""Crisis numbers are exactly those in shared/reference/clinical-facts.md, everywhere they appear.

988 (call or text), chat at 988lifeline.org, press 2 for Spanish, press 1 for the Veterans Crisis Line,
text HOME to 741741, 911 for immediate danger. The former "press 3" option must never appear.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

from nearer.safety import crisis
from nearer.safety.plan_text import crisis_card

ERRORS_500 = Path(__file__).resolve().parents[2] / "templates" / "errors" / "500.html"
PHONE_LIKE = re.compile(r"(?:tel:|sms:)([0-9+]+)")


def test_constants_match_the_facts_file():
    assert crisis.LIFELINE_NUMBER == "988"
    assert crisis.LIFELINE_CHAT_LABEL == "988lifeline.org"
    assert crisis.LIFELINE_CHAT_URL.startswith("https://988lifeline.org/")
    assert (crisis.CRISIS_TEXT_WORD, crisis.CRISIS_TEXT_NUMBER) == ("HOME", "741741")
    assert crisis.EMERGENCY_NUMBER == "911"
    assert (crisis.SPANISH_OPTION, crisis.VETERANS_OPTION) == ("2", "1")
    for lang in ("en", "es"):
        r = crisis.CRISIS[lang]
        assert (r["lifeline_tel"], r["lifeline_sms"], r["emergency_tel"]) == ("tel:988", "sms:988", "tel:911")
        assert r["text_sms"] == "sms:741741?&body=HOME"


def _no_wrong_numbers(text: str) -> None:
    low = text.lower()
    assert "press 3" not in low and "marca el 3" not in low and "oprima 3" not in low
    assert set(PHONE_LIKE.findall(text)) <= {"988", "911", "741741"}


def _panel(html: str) -> str:
    return html.split('id="crisis-control"', 1)[1].split("</details>", 1)[0]


PAGES = ["home", "help", "safety:finding-care", "safety:plan-detail", "account_login"]


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("name", PAGES)
def test_rendered_crisis_control(client_as, name, lang):
    c = client_as("owner" if name != "account_login" else "anonymous")
    html = c.get(reverse(name), HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    panel = _panel(html)
    for needle in ('href="tel:988"', 'href="sms:988"', 'href="https://988lifeline.org/chat/"', "988lifeline.org",
                   'href="sms:741741?&amp;body=HOME"', 'href="tel:911"'):
        assert needle in panel, (name, lang, needle)
    if lang == "en":
        assert "press 2 for Spanish or 1 for the Veterans Crisis Line" in panel
        assert "Text HOME to 741741" in panel and "Call 911" in panel
    _no_wrong_numbers(html)


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["en", "es"])
def test_crisis_card_numbers(client_as, lang):
    html = client_as("owner").post(reverse("safety:not-safe"), HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    card = html.split('id="crisis-card"', 1)[1].split("</section>", 1)[0]
    for needle in ('href="tel:988"', 'href="sms:988"', "988lifeline.org", 'href="sms:741741?&amp;body=HOME"',
                   'href="tel:911"'):
        assert needle in card
    _no_wrong_numbers(html)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_card_texts(lang):
    t = crisis_card(lang)
    joined = " ".join(t.values())
    for needle in ("988", "988lifeline.org", "741741", "HOME", "911"):
        assert needle in joined
    if lang == "en":
        assert "press 2 for Spanish" in t["lifeline"] and "press 1 for the Veterans Crisis Line" in t["lifeline"]
    else:
        assert "marca el 2" in t["lifeline"] and "el 1 para la" in t["lifeline"]
    _no_wrong_numbers(joined)


def test_server_error_page():
    html = ERRORS_500.read_text(encoding="utf-8")
    for needle in ("988", "988lifeline.org", "HOME to 741741", "911"):
        assert needle in html
    _no_wrong_numbers(html)

"""US crisis routes by language, exactly as in shared/reference/clinical-facts.md (checked by tests).

This is the single source of truth for every crisis number, keyword and link Nearer shows: the
"Need help now?" control, the crisis card, the help and offline pages, the printed safety plan,
the clinician PDF and emails. Routes follow the person's language: in Spanish the 988 Lifeline is
reached by calling 988 and pressing 2, by texting AYUDA to 988 or by chatting from the Lifeline's
Spanish site; the Crisis Text Line by texting AYUDA to 741741 or on WhatsApp at 442-AYUDAME.
(HOME to 741741 reaches English-speaking counsellors, so it is never offered in Spanish.)

The National Domestic Violence Hotline routes are here too, for the relationship-safety resources.
Sources are cited in docs/safety.md.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

LIFELINE_NUMBER = "988"
LIFELINE_CHAT_URL = "https://988lifeline.org/chat/"
LIFELINE_CHAT_LABEL = "988lifeline.org"
#: The Lifeline's Spanish site, from which the Spanish chat starts (cited in docs/safety.md).
LIFELINE_ES_CHAT_URL = "https://988lineadevida.org/"
LIFELINE_ES_CHAT_LABEL = "988lineadevida.org"
LIFELINE_ES_TEXT_WORD = "AYUDA"
CRISIS_TEXT_NUMBER = "741741"
CRISIS_TEXT_WORD = "HOME"
CRISIS_TEXT_ES_WORD = "AYUDA"
#: Crisis Text Line in Spanish on WhatsApp: 442-AYUDAME is +1 442 298 3263 on a phone keypad.
CRISIS_TEXT_WHATSAPP_LABEL = "442-AYUDAME"
CRISIS_TEXT_WHATSAPP_URL = "https://wa.me/14422983263"
EMERGENCY_NUMBER = "911"
SPANISH_OPTION = "2"
VETERANS_OPTION = "1"

# National Domestic Violence Hotline (relationship-safety resources).
DV_HOTLINE_NUMBER = "1-800-799-7233"
DV_HOTLINE_TEL = "tel:+18007997233"
DV_HOTLINE_TTY = "1-800-787-3224"
DV_HOTLINE_TTY_TEL = "tel:+18007873224"
DV_TEXT_NUMBER = "88788"
DV_TEXT_WORD = "START"
DV_CHAT_URL = "https://www.thehotline.org/"
DV_CHAT_LABEL = "thehotline.org"

LANGS = ("en", "es")

#: Every number a tel: or sms: link may dial, in any language (the tests hold every page to this).
ALLOWED_DIAL = frozenset(
    {LIFELINE_NUMBER, EMERGENCY_NUMBER, CRISIS_TEXT_NUMBER, DV_TEXT_NUMBER, "+18007997233", "+18007873224"}
)


def sms(number: str, word: str = "") -> str:
    """An sms: link that opens the messages app with ``word`` already typed (iOS and Android)."""
    return f"sms:{number}?&body={word}" if word else f"sms:{number}"


def _common() -> dict[str, Any]:
    return {
        "lifeline_number": LIFELINE_NUMBER,
        "lifeline_tel": f"tel:{LIFELINE_NUMBER}",
        "text_number": CRISIS_TEXT_NUMBER,
        "emergency_number": EMERGENCY_NUMBER,
        "emergency_tel": f"tel:{EMERGENCY_NUMBER}",
        "spanish_option": SPANISH_OPTION,
        "veterans_option": VETERANS_OPTION,
        "dv_number": DV_HOTLINE_NUMBER,
        "dv_tel": DV_HOTLINE_TEL,
        "dv_tty": DV_HOTLINE_TTY,
        "dv_tty_tel": DV_HOTLINE_TTY_TEL,
        "dv_text_number": DV_TEXT_NUMBER,
        "dv_text_word": DV_TEXT_WORD,
        "dv_text_sms": sms(DV_TEXT_NUMBER, DV_TEXT_WORD),
        "dv_chat_url": DV_CHAT_URL,
        "dv_chat_label": DV_CHAT_LABEL,
    }


def _english() -> dict[str, Any]:
    return _common() | {
        "lang": "en",
        # Calls in English need no option; the note tells people about 2 (Spanish) and 1 (Veterans).
        "lifeline_press": "",
        "lifeline_text_word": "",
        "lifeline_sms": sms(LIFELINE_NUMBER),
        "lifeline_chat_url": LIFELINE_CHAT_URL,
        "lifeline_chat_label": LIFELINE_CHAT_LABEL,
        "text_word": CRISIS_TEXT_WORD,
        "text_sms": sms(CRISIS_TEXT_NUMBER, CRISIS_TEXT_WORD),
        "whatsapp_label": "",
        "whatsapp_url": "",
    }


def _spanish() -> dict[str, Any]:
    return _common() | {
        "lang": "es",
        "lifeline_press": SPANISH_OPTION,
        "lifeline_text_word": LIFELINE_ES_TEXT_WORD,
        "lifeline_sms": sms(LIFELINE_NUMBER, LIFELINE_ES_TEXT_WORD),
        "lifeline_chat_url": LIFELINE_ES_CHAT_URL,
        "lifeline_chat_label": LIFELINE_ES_CHAT_LABEL,
        "text_word": CRISIS_TEXT_ES_WORD,
        "text_sms": sms(CRISIS_TEXT_NUMBER, CRISIS_TEXT_ES_WORD),
        "whatsapp_label": CRISIS_TEXT_WHATSAPP_LABEL,
        "whatsapp_url": CRISIS_TEXT_WHATSAPP_URL,
    }


CRISIS: MappingProxyType[str, MappingProxyType[str, Any]] = MappingProxyType(
    {"en": MappingProxyType(_english()), "es": MappingProxyType(_spanish())}
)


def normalise_lang(lang: str | None) -> str:
    if not lang:
        return "en"
    base = lang.strip().lower().replace("_", "-").split("-", 1)[0]
    return base if base in LANGS else "en"


def routes(lang: str | None) -> MappingProxyType[str, Any]:
    """The crisis routes for ``lang`` ("es…" → Spanish routes; anything else → English)."""
    return CRISIS[normalise_lang(lang)]


def plain_lines(lang: str | None) -> dict[str, str]:
    """The routes as plain sentences, for texts without links (emails, PDFs, printed plans).

    Written here, beside the numbers, so every plain-text surface says exactly the same thing.
    """
    r = routes(lang)
    if r["lang"] == "es":
        return {
            "lifeline": (
                f"Línea 988 de Prevención del Suicidio y Crisis: llama al {LIFELINE_NUMBER} y marca el "
                f"{SPANISH_OPTION} para hablar en español, envía {LIFELINE_ES_TEXT_WORD} al {LIFELINE_NUMBER}, "
                f"o chatea en español desde {LIFELINE_ES_CHAT_LABEL}."
            ),
            "text_line": (
                f"Crisis Text Line en español: envía {CRISIS_TEXT_ES_WORD} al {CRISIS_TEXT_NUMBER}, "
                f"o escribe por WhatsApp al {CRISIS_TEXT_WHATSAPP_LABEL}."
            ),
            "emergency": f"Si estás en peligro inmediato, llama al {EMERGENCY_NUMBER}.",
            "one_line": (
                f"Si necesitas ayuda ahora: llama al {LIFELINE_NUMBER} y marca el {SPANISH_OPTION}, envía "
                f"{LIFELINE_ES_TEXT_WORD} al {LIFELINE_NUMBER} o al {CRISIS_TEXT_NUMBER}, o llama al "
                f"{EMERGENCY_NUMBER} en una emergencia (en EE. UU.)."
            ),
        }
    return {
        "lifeline": (
            f"988 Suicide & Crisis Lifeline: call or text {LIFELINE_NUMBER}, or chat at {LIFELINE_CHAT_LABEL}. "
            f"On the call, press {SPANISH_OPTION} for Spanish or {VETERANS_OPTION} for the Veterans Crisis Line."
        ),
        "text_line": f"Crisis Text Line: text {CRISIS_TEXT_WORD} to {CRISIS_TEXT_NUMBER}.",
        "emergency": f"If you are in immediate danger, call {EMERGENCY_NUMBER}.",
        "one_line": (
            f"If you need help right now: call or text {LIFELINE_NUMBER}, text {CRISIS_TEXT_WORD} to "
            f"{CRISIS_TEXT_NUMBER}, or call {EMERGENCY_NUMBER} in an emergency (in the US)."
        ),
    }


def dv_plain_lines(lang: str | None) -> dict[str, str]:
    """The National Domestic Violence Hotline routes as plain sentences."""
    if normalise_lang(lang) == "es":
        return {
            "hotline": (
                f"Línea Nacional contra la Violencia Doméstica (National Domestic Violence Hotline): llama al "
                f"{DV_HOTLINE_NUMBER} (TTY {DV_HOTLINE_TTY}), envía {DV_TEXT_WORD} al {DV_TEXT_NUMBER}, "
                f"o chatea en {DV_CHAT_LABEL}."
            ),
            "emergency": f"Si estás en peligro inmediato, llama al {EMERGENCY_NUMBER}.",
        }
    return {
        "hotline": (
            f"National Domestic Violence Hotline: call {DV_HOTLINE_NUMBER} (TTY {DV_HOTLINE_TTY}), text "
            f"{DV_TEXT_WORD} to {DV_TEXT_NUMBER}, or chat at {DV_CHAT_LABEL}."
        ),
        "emergency": f"If you are in immediate danger, call {EMERGENCY_NUMBER}.",
    }

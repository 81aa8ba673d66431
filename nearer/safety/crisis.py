"""US crisis resources, exactly as in shared/reference/clinical-facts.md (checked by a test).

This is the single source for every page's "Need help now?" control and the crisis card.
"""

from __future__ import annotations

LIFELINE_NUMBER = "988"
LIFELINE_CHAT_URL = "https://988lifeline.org/chat/"
LIFELINE_CHAT_LABEL = "988lifeline.org"
CRISIS_TEXT_NUMBER = "741741"
CRISIS_TEXT_WORD = "HOME"
EMERGENCY_NUMBER = "911"
SPANISH_OPTION = "2"
VETERANS_OPTION = "1"


def _resources() -> dict[str, object]:
    return {
        "lifeline_number": LIFELINE_NUMBER,
        "lifeline_tel": f"tel:{LIFELINE_NUMBER}",
        "lifeline_sms": f"sms:{LIFELINE_NUMBER}",
        "lifeline_chat_url": LIFELINE_CHAT_URL,
        "lifeline_chat_label": LIFELINE_CHAT_LABEL,
        "text_number": CRISIS_TEXT_NUMBER,
        "text_word": CRISIS_TEXT_WORD,
        "text_sms": f"sms:{CRISIS_TEXT_NUMBER}?&body={CRISIS_TEXT_WORD}",
        "emergency_number": EMERGENCY_NUMBER,
        "emergency_tel": f"tel:{EMERGENCY_NUMBER}",
        "spanish_option": SPANISH_OPTION,
        "veterans_option": VETERANS_OPTION,
    }


# One dict for all languages: the numbers never change with the language; the words around them
# are translated in the templates.
CRISIS = {"en": _resources(), "es": _resources()}

"""Safety plan and crisis card wording: order, completeness and the exact numbers."""

from __future__ import annotations

import re

import pytest

from nearer.safety import plan_text

EXPECTED_ORDER = (
    "warning_signs",
    "cope_alone",
    "distractions",
    "people_to_ask",
    "professionals",
    "safer_surroundings",
    "reasons_for_living",
)


def _all_strings(lang: str) -> list[str]:
    out: list[str] = []
    for part in plan_text.all_parts(lang):
        out += [part.title, part.explanation, *part.hints]
    out += list(plan_text.CRISIS_CARD[lang].values())
    return out


def test_parts_are_in_the_published_order_then_reasons():
    assert plan_text.PLAN_PARTS == EXPECTED_ORDER
    assert [p.key for p in plan_text.all_parts("en")] == list(EXPECTED_ORDER)
    assert [p.key for p in plan_text.all_parts("es")] == list(EXPECTED_ORDER)


@pytest.mark.parametrize("key", EXPECTED_ORDER)
def test_each_part_complete_in_both_languages(key):
    en, es = plan_text.part_text(key, "en"), plan_text.part_text(key, "es")
    for part in (en, es):
        assert part.key == key
        assert part.title.strip() and part.explanation.strip()
        assert 3 <= len(part.hints) <= 4
        assert all(h.strip() for h in part.hints)
    assert len(en.hints) == len(es.hints)
    assert en.title != es.title and en.explanation != es.explanation
    assert all(a != b for a, b in zip(en.hints, es.hints, strict=True))


def test_warning_signs_include_relationship_signs():
    hints = " ".join(plan_text.part_text("warning_signs", "en").hints).lower()
    assert "after a fight" in hints and "long silence" in hints
    assert "invisible next to my partner" in hints
    es = " ".join(plan_text.part_text("warning_signs", "es").hints).lower()
    assert "pelea" in es and "silencio" in es and "invisible" in es


def test_partner_only_appears_if_the_person_adds_them():
    en = plan_text.part_text("people_to_ask", "en").hints
    assert any("partner" in h and "only if I choose" in h for h in en)
    es = plan_text.part_text("people_to_ask", "es").hints
    assert any("pareja" in h and "solo si yo decido" in h for h in es)


def test_professionals_mention_therapist_988_and_911():
    for lang, therapist in (("en", "therapist"), ("es", "terapeuta")):
        hints = " ".join(plan_text.part_text("professionals", lang).hints)
        assert therapist in hints.lower()
        assert re.search(r"\b988\b", hints)
        assert re.search(r"\b911\b", hints)
    assert "call or text" in " ".join(plan_text.part_text("professionals", "en").hints)


def test_crisis_card_same_keys_and_translated():
    en, es = plan_text.CRISIS_CARD["en"], plan_text.CRISIS_CARD["es"]
    assert set(en) == set(es)
    for key in (
        "heading",
        "safe_for_now",
        "need_help_now",
        "lifeline",
        "text_line",
        "emergency",
        "not_monitored",
    ):
        assert en[key].strip() and es[key].strip()
        assert en[key] != es[key]


def test_crisis_card_exact_english_lines():
    en = plan_text.CRISIS_CARD["en"]
    assert en["lifeline"] == (
        "Call or text 988 — the Suicide & Crisis Lifeline. Chat at 988lifeline.org. "
        "On the call, press 2 for Spanish, press 1 for the Veterans Crisis Line."
    )
    assert en["text_line"] == "Text HOME to 741741 (Crisis Text Line)"
    assert en["emergency"] == "If you are in immediate danger, call 911."
    assert en["safe_for_now"] == "I'm safe for now"
    assert en["need_help_now"] == "I need help now"
    assert "around the clock" in en["not_monitored"] and "replace" in en["not_monitored"]


def test_crisis_card_spanish_lines():
    es = plan_text.CRISIS_CARD["es"]
    # Spanish routes (issue 14): call 988 and press 2, AYUDA to 988 and to 741741, the Spanish chat site.
    assert "Llama al 988 y marca el 2" in es["lifeline"] and "envía AYUDA al 988" in es["lifeline"]
    assert "988lineadevida.org" in es["lifeline"] and "el 1 es para" in es["lifeline"]
    assert es["text_line"].startswith("Envía AYUDA al 741741") and "WhatsApp al 442-AYUDAME" in es["text_line"]
    assert es["emergency"] == "Si estás en peligro inmediato, llama al 911."
    assert "reemplaza" in es["not_monitored"]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_only_the_real_numbers_appear(lang):
    text = " ".join(_all_strings(lang))
    numbers = set(re.findall(r"\d{3,}", text))
    # 442 is the area code of the Crisis Text Line's Spanish WhatsApp number, 442-AYUDAME.
    assert numbers == ({"988", "741741", "911", "442"} if lang == "es" else {"988", "741741", "911"})
    # Menu options on the 988 call: only 1 (veterans) and 2 (Spanish); option 3 ended in July 2025.
    options = set(re.findall(r"(?:press|marca el|o el|el)\s+(\d)\b", text))
    assert options == {"1", "2"}
    assert "press 3" not in text.lower() and "marca el 3" not in text.lower()
    assert not re.search(r"\b3\b", text)


def test_lookup_fallback_and_errors():
    assert plan_text.part_text("cope_alone", "es-US") == plan_text.part_text("cope_alone", "es")
    assert plan_text.part_text("cope_alone", "fr") == plan_text.part_text("cope_alone", "en")
    assert plan_text.crisis_card(None) is plan_text.CRISIS_CARD["en"]
    assert plan_text.crisis_card("ES") is plan_text.CRISIS_CARD["es"]
    with pytest.raises(KeyError):
        plan_text.part_text("nope", "en")


def test_crisis_card_is_read_only():
    with pytest.raises(TypeError):
        plan_text.CRISIS_CARD["en"]["heading"] = "changed"  # type: ignore[index]

"""The couple prompt bank: content rules and the accessors around it."""

from __future__ import annotations

import re
import string
from collections import Counter
from importlib import resources

import pytest
import yaml

from nearer.together import prompt_bank as bank

# Openings of widely published question sets we must not reuse (checked loosely, lower case).
_PUBLISHED_OPENINGS = (
    "given the choice of anyone in the world",
    "would you like to be famous",
    "what would constitute a",
    "for what in your life do you feel most grateful",
    "if you could wake up tomorrow having gained",
    "if a crystal ball could tell you",
    "what is the greatest accomplishment of your life",
    "what do you value most in a friendship",
    "what is your most treasured memory",
    "what is your most terrible memory",
    "make three true",
    "share an embarrassing moment",
    "when did you last cry in front of another person",
    "your house, containing everything you own, catches fire",
)


def _all_bilingual_texts() -> list[tuple[str, str, str]]:
    rows = []
    for p in bank.prompts(include_retired=True):
        rows.append((p.id, p.en, p.es))
        if p.follow_up_en:
            rows.append((p.id + ".follow_up", p.follow_up_en, p.follow_up_es or ""))
    return rows


def test_counts_and_depth_balance():
    assert len(bank.prompts()) >= 130
    per_depth = Counter(p.depth for p in bank.prompts())
    assert set(per_depth) == {1, 2, 3}
    for depth in (1, 2, 3):
        assert per_depth[depth] >= 35, depth
    assert [len(bank.prompts(d)) for d in (1, 2, 3)] == [per_depth[1], per_depth[2], per_depth[3]]


def test_ids_unique_stable_format_and_match_theme():
    ids = [p.id for p in bank.prompts(include_retired=True)]
    assert len(ids) == len(set(ids))
    for p in bank.prompts(include_retired=True):
        assert re.fullmatch(r"[a-z][a-z-]*-\d{3}", p.id)
        assert p.id.rsplit("-", 1)[0] == p.theme


def test_both_languages_present_and_spanish_is_not_a_copy():
    for where, en, es in _all_bilingual_texts():
        assert en.strip(), where
        assert es.strip(), where
        assert en.strip() != es.strip(), where
        assert "{" not in en + es and "}" not in en + es, where


def test_spanish_questions_are_punctuated_in_spanish():
    # A Spanish question that ends with "?" opens with "¿" somewhere before it.
    for where, _en, es in _all_bilingual_texts():
        assert es.count("¿") == es.count("?"), where


def test_early_days_and_after_a_hard_week_are_covered():
    themes = Counter(p.theme for p in bank.prompts())
    assert themes["early-days"] >= 5
    assert themes["reconnect"] + themes["repair"] >= 6
    hard_week = [p for p in bank.prompts() if "this week" in p.en.lower() or "week we've had" in p.en.lower()]
    assert len(hard_week) >= 3


def test_no_published_question_set_wording():
    for where, en, _es in _all_bilingual_texts():
        low = en.lower()
        for opening in _PUBLISHED_OPENINGS:
            assert opening not in low, where


def test_get_prompt_and_text_fallback():
    first = bank.prompts(1)[0]
    assert bank.get_prompt(first.id) is first
    assert bank.text(first, "es") == first.es
    assert bank.text(first.id, "es-US") == first.es
    assert bank.text(first, "fr") == first.en  # unknown language falls back to English
    assert bank.text(first, None) == first.en
    with pytest.raises(KeyError):
        bank.get_prompt("nope-999")


def test_follow_up_falls_back_to_english():
    with_follow = next(p for p in bank.prompts() if p.follow_up_en)
    assert bank.follow_up(with_follow, "es") == with_follow.follow_up_es
    assert bank.follow_up(with_follow, "de") == with_follow.follow_up_en
    no_es = bank.Prompt(id="x-001", depth=1, theme="x", en="Hi?", es="", follow_up_en="And?")
    assert no_es.text("es") == "Hi?"
    assert no_es.follow_up("es") == "And?"


def test_next_prompts_respects_depth_and_excludes_used():
    used = [p.id for p in bank.prompts(2)[:10]]
    got = bank.next_prompts(2, exclude_ids=used, n=5, seed=7)
    assert len(got) == 5
    assert all(p.depth == 2 for p in got)
    assert not {p.id for p in got} & set(used)
    assert len({p.id for p in got}) == 5


def test_next_prompts_is_reproducible_with_a_seed():
    a = [p.id for p in bank.next_prompts(1, n=4, seed=123)]
    b = [p.id for p in bank.next_prompts(1, n=4, seed=123)]
    assert a == b
    different = {tuple(p.id for p in bank.next_prompts(1, n=4, seed=s)) for s in range(5)}
    assert len(different) > 1


def test_next_prompts_offers_saved_first_in_order():
    d3 = bank.prompts(3)
    saved = [d3[5].id, bank.prompts(1)[0].id, d3[2].id, d3[9].id]  # one is the wrong depth
    used = [d3[9].id]
    got = [p.id for p in bank.next_prompts(3, exclude_ids=used, saved_ids=saved, n=3, seed=1)]
    assert got[:2] == [d3[5].id, d3[2].id]
    assert d3[9].id not in got
    assert len(got) == 3
    assert bank.get_prompt(got[2]).depth == 3


def test_next_prompts_when_the_depth_runs_out():
    all_ids = [p.id for p in bank.prompts(1)]
    assert bank.next_prompts(1, exclude_ids=all_ids, seed=0) == []
    # With recycle, the longest-ago used come back first.
    recycled = bank.next_prompts(1, exclude_ids=all_ids, n=2, seed=0, recycle=True)
    assert [p.id for p in recycled] == all_ids[:2]
    only_one_left = bank.next_prompts(1, exclude_ids=all_ids[1:], n=3, seed=0)
    assert [p.id for p in only_one_left] == all_ids[:1]
    assert bank.next_prompts(1, n=0) == []


def test_next_prompts_rejects_bad_depth():
    with pytest.raises(ValueError):
        bank.next_prompts(4)
    with pytest.raises(ValueError):
        bank.prompts(0)


def test_readiness_both_languages():
    en, es = bank.readiness("en"), bank.readiness("es")
    assert [q["id"] for q in en["questions"]] == ["time", "energy", "calm"]
    assert en["questions"][0]["text"] == "Do we both have twenty minutes?"
    assert en["questions"][1]["text"] == "Do we both have the energy for this tonight?"
    assert en["questions"][2]["text"] == "Is now a calm enough moment?"
    assert en["answers"]["yes"] == "Yes"
    assert es["answers"]["yes"] == "Sí"
    for key in ("heading", "message", "save_for_later", "lighter_prompt"):
        assert en["not_tonight"][key] and es["not_tonight"][key]
        assert en["not_tonight"][key] != es["not_tonight"][key]
    assert bank.readiness("pt") == en


def test_guidance_for_every_depth_and_role():
    assert bank.guidance(2, "listener", "en") == "Listen to understand, not to fix. Say back what you heard."
    for depth in (1, 2, 3):
        for role in ("speaker", "listener"):
            en, es = bank.guidance(depth, role, "en"), bank.guidance(depth, role, "es")
            assert en and es and en != es
        assert bank.depth_label(depth, "es") != bank.depth_label(depth, "en")
    assert bank.guidance_always("es") != bank.guidance_always("en")
    with pytest.raises(ValueError):
        bank.guidance(2, "judge", "en")


def test_reveal_phrases_format_cleanly_in_both_languages():
    keys = bank.reveal_phrases()
    for key in (
        "both_heard",
        "both_low_heard",
        "one_less_heard",
        "both_accepted",
        "one_less_accepted",
        "both_close",
        "one_less_close",
        "both_defensive",
        "one_more_defensive",
        "differ",
    ):
        assert key in keys
    for key in keys:
        for lang in ("en", "es"):
            out = bank.reveal_phrase(key, lang, name="Sam")
            assert "{" not in out and "}" not in out, (key, lang)
    assert bank.reveal_phrase("one_less_heard", "en", name="Sam") == (
        "Sam felt less heard than you did — a good thing to ask about, gently."
    )
    assert "Sam" in bank.reveal_phrase("one_less_heard", "es", name="Sam")


def test_reveal_phrase_placeholders_are_name_only():
    raw = yaml.safe_load(resources.files("nearer.together.prompts").joinpath("reveal_phrases.yaml").read_text("utf-8"))
    for key, value in raw["phrases"].items():
        for lang in ("en", "es"):
            fields = {f for _, f, _, _ in string.Formatter().parse(value[lang]) if f is not None}
            assert fields <= {"name"}, (key, lang)


def test_reveal_phrase_errors():
    with pytest.raises(KeyError):
        bank.reveal_phrase("nope", "en")
    with pytest.raises(ValueError):
        bank.reveal_phrase("one_less_heard", "en")  # needs a name


@pytest.mark.parametrize(
    ("scale", "own", "partner", "expected"),
    [
        ("heard", 8, 9, "both_heard"),
        ("heard", 2, 4, "both_low_heard"),
        ("heard", 9, 5, "one_less_heard"),
        ("heard", 5, 9, "you_less_heard"),
        ("heard", 6, 5, "similar"),
        ("accepted", 7, 3, "one_less_accepted"),
        ("close", 1, 0, "both_low_close"),
        ("close", 3, 8, "you_less_close"),
        ("defensive", 1, 2, "both_open"),
        ("defensive", 8, 7, "both_defensive"),
        ("defensive", 2, 8, "one_more_defensive"),
        ("defensive", 6, 2, "you_more_defensive"),
        ("defensive", 5, 6, "similar"),
    ],
)
def test_reveal_key(scale, own, partner, expected):
    assert bank.reveal_key(scale, own, partner) == expected
    assert bank.reveal_phrase(expected, "en", name="Sam")


def test_reveal_key_rejects_out_of_range():
    with pytest.raises(ValueError):
        bank.reveal_key("heard", 11, 3)
    with pytest.raises(ValueError):
        bank.reveal_key("mood", 3, 3)


def test_validation_catches_bad_files():
    good = {"id": "day-001", "depth": 1, "theme": "day", "en": "How was it?", "es": "¿Qué tal?"}
    assert bank._validate_prompts({"prompts": [good]})[0].id == "day-001"
    bad_cases = [
        {**good, "es": "How was it?"},  # untranslated
        {**good, "es": ""},
        {**good, "depth": 4},
        {**good, "id": "Day 1"},
        {**good, "follow_up_en": "And?"},  # one language only
        {**good, "en": "How was {day}?"},
    ]
    for case in bad_cases:
        with pytest.raises(bank.PromptDataError):
            bank._validate_prompts({"prompts": [case]})
    with pytest.raises(bank.PromptDataError):
        bank._validate_prompts({"prompts": [good, good]})  # duplicate id


def test_loading_is_cached():
    assert bank.prompts() == bank.prompts()
    assert bank._all_prompts() is bank._all_prompts()
    bank.clear_cache()
    bank.validate_all()


def test_prompts_do_not_blame():
    blaming = ("your fault", "why do you always", "why don't you", "you never", "you always")
    for where, en, _es in _all_bilingual_texts():
        low = en.lower()
        for phrase in blaming:
            assert phrase not in low, (where, phrase)


def test_vulnerable_prompts_leave_room_to_pass():
    # At depth 3 the guidance itself gives permission to share only part of an answer.
    assert "only as much" in bank.guidance(3, "speaker", "en")
    assert "pass" in bank.guidance_always("en")

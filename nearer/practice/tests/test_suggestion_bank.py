"""The practice suggestion bank: content rules and accessors."""

from __future__ import annotations

import pytest

from nearer.practice import suggestion_bank as bank


def _every_text_pair() -> list[tuple[str, str, str]]:
    rows: list[tuple[str, str, str]] = []
    for s in bank.ladder_steps():
        rows.append((f"ladder.{s.id}", s.en, s.es))
    for cat in bank.LADDER_CATEGORIES:
        rows.append(
            (f"category.{cat}", bank.ladder_category_label(cat, "en"), bank.ladder_category_label(cat, "es"))
        )
    for o in (
        bank.past_closeness_options() + bank.moment_kinds() + bank.first_readings() + bank.emotion_words()
    ):
        rows.append((o.id, o.en, o.es))
    for m in bank.protective_moves():
        rows += [
            (m.id, m.en, m.es),
            (m.id + ".job", m.once_job_en, m.once_job_es),
            (m.id + ".cost", m.cost_en, m.cost_es),
        ]
    for name in bank.WORKSHEETS:
        sheet = bank.worksheet(name)
        rows += [
            (name + ".title", sheet.title_en, sheet.title_es),
            (name + ".intro", sheet.intro_en, sheet.intro_es),
        ]
        for st in sheet.steps:
            rows += [(f"{name}.{st.id}", st.en, st.es), (f"{name}.{st.id}.hint", st.hint_en, st.hint_es)]
            if st.instruction_en:
                rows.append((f"{name}.{st.id}.instruction", st.instruction_en, st.instruction_es or ""))
    return rows


def test_all_texts_bilingual_and_not_copies():
    rows = _every_text_pair()
    assert len(rows) > 150
    for where, en, es in rows:
        assert en.strip() and es.strip(), where
        assert en.strip() != es.strip(), where
        assert "{" not in en + es, where
        assert es.count("¿") == es.count("?"), where


def test_ladder_has_the_required_steps_with_sensible_difficulty():
    steps = {s.id: s for s in bank.ladder_steps()}
    assert 12 <= len(steps) <= 20
    expected = {
        "therapist-first": ("share", 25),
        "say-need-directly": ("voice_a_need", 45),
        "stay-in-hard-talk": ("stay_present", 70),
        "let-partner-comfort": ("be_comforted", 60),
    }
    for sid, (category, difficulty) in expected.items():
        assert steps[sid].category == category
        assert steps[sid].typical_difficulty == difficulty
    assert steps["therapist-first"].en == "Share something difficult with my therapist first"
    assert {s.category for s in steps.values()} >= {
        "voice_a_need",
        "stay_present",
        "be_comforted",
        "share",
        "initiate",
    }
    difficulties = [s.typical_difficulty for s in bank.ladder_steps()]
    assert difficulties == sorted(difficulties)  # file lists easiest first
    assert all(0 <= d <= 100 for d in difficulties)


def test_ladder_lookup_and_fallback():
    step = bank.ladder_step("ask-for-a-hug")
    assert step.text("es") == "Pedir un abrazo cuando tengo ganas de uno"
    assert step.text("es-MX") == step.es
    assert step.text("fr") == step.en
    assert bank.ladder_category_label("initiate", "es") == "Dar el primer paso"
    with pytest.raises(KeyError):
        bank.ladder_step("nope")


def test_protective_moves_have_job_and_cost_hints():
    moves = {m.id: m for m in bank.protective_moves()}
    for required in (
        "unavailable-partners",
        "humour",
        "going-cold",
        "not-voicing-needs",
        "managing-alone",
        "keeping-busy",
        "testing",
        "leaving-first",
    ):
        assert required in moves
    m = bank.protective_move("managing-alone")
    assert m.once_job("es") == m.once_job_es and m.once_job("en") == m.once_job_en
    assert m.cost("es-US") == m.cost_es and m.cost(None) == m.cost_en
    past = {o.id for o in bank.past_closeness_options()}
    assert {"unpredictable", "criticised", "lost", "smothering", "absent", "conditional", "other"} <= past


def test_moments_kinds_readings_and_emotions():
    assert [k.id for k in bank.moment_kinds()] == [
        "late_reply",
        "quiet_evening",
        "partner_busy",
        "plans_cancelled",
        "partner_distracted",
        "criticism",
        "other",
    ]
    readings = {o.id for o in bank.first_readings()}
    assert {"dont_care", "too_much", "leaving", "did_wrong"} <= readings
    emotions = {o.id for o in bank.emotion_words()}
    assert {"hurt", "anxious", "lonely", "angry", "ashamed", "sad", "numb"} <= emotions
    assert bank.label("emotions", "lonely", "es") == "Soledad"
    assert bank.label("first_readings", "dont_care", "en") == "They don't care about me"
    with pytest.raises(KeyError):
        bank.label("emotions", "nope")
    with pytest.raises(KeyError):
        bank.choices("nope")


def test_choices_keep_file_order_and_language():
    en = bank.choices("moment_kinds", "en")
    es = bank.choices("moment_kinds", "es")
    assert [i for i, _ in en] == [i for i, _ in es] == list(bank.MOMENT_KINDS)
    assert all(a != b for (_, a), (_, b) in zip(en, es, strict=True))


def test_present_or_past_steps_in_order_with_pause():
    steps = bank.worksheet_steps("present_or_past", "en")
    ids = [s["id"] for s in steps]
    assert ids[: len(bank.PRESENT_OR_PAST_ORDER)] == list(bank.PRESENT_OR_PAST_ORDER)
    pause = next(s for s in steps if s["id"] == "pause")
    assert pause["kind"] == "pause"
    assert "three slow breaths" in pause["instruction"]
    es_pause = next(s for s in bank.worksheet_steps("present_or_past", "es") if s["id"] == "pause")
    assert "tres veces" in es_pause["instruction"]
    feelings = next(s for s in steps if s["id"] == "feelings")
    assert feelings["kind"] == "rated_choices"
    assert ("sad", "Sad") in feelings["options"]
    for s in steps:
        assert s["text"] and s["hint"]
        if s["kind"] != "pause":
            assert s["instruction"] is None


def test_worksheets_cover_formulation_and_experiments():
    assert set(bank.WORKSHEETS) == {"formulation", "experiment_before", "experiment_after", "present_or_past"}
    before = [s.id for s in bank.worksheet("experiment_before").steps]
    after = [s.id for s in bank.worksheet("experiment_after").steps]
    assert "prediction" in before and "prediction_strength" in before
    assert "belief_now" in after and "what_happened" in after
    assert bank.worksheet("experiment_before").step("prediction_strength").kind == "rating"
    formulation = bank.worksheet("formulation")
    assert formulation.step("moves").options == "moves"
    assert formulation.step("past_closeness").options == "past_closeness"
    assert formulation.title("es") == "Dónde la cercanía empezó a sentirse insegura"
    with pytest.raises(KeyError):
        bank.worksheet("nope")
    with pytest.raises(KeyError):
        formulation.step("nope")


def test_validation_rejects_bad_items():
    with pytest.raises(bank.SuggestionDataError):
        bank._options("x", [{"id": "a", "en": "Same", "es": "Same"}])
    with pytest.raises(bank.SuggestionDataError):
        bank._options("x", [{"id": "a", "en": "Hi", "es": ""}])
    with pytest.raises(bank.SuggestionDataError):
        bank._options("x", [{"id": "a", "en": "Hi", "es": "Hola"}, {"id": "a", "en": "Yo", "es": "Eh"}])
    with pytest.raises(bank.SuggestionDataError):
        bank._options("x", [{"id": "Bad Id", "en": "Hi", "es": "Hola"}])
    with pytest.raises(bank.SuggestionDataError):
        bank._options("x", [])
    assert bank._options("x", [{"id": "a", "en": "Hi", "es": "Hola"}])[0].text("es") == "Hola"


def test_cache_and_revalidation():
    assert bank.ladder_steps() is bank.ladder_steps()
    bank.clear_cache()
    bank.validate_all()
    assert len(bank.ladder_steps()) >= 12

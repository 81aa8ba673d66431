"""Tests for the screener's layers: construct rules over lexicons, typo tolerance, fillers, the model.

Sentences here are ours, written for these tests (not copied from the training corpus or any held-out
set). Each construct has English and Spanish examples.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from nearer.safety import lexicons, screen, screening, typos
from nearer.safety import model as model_mod
from nearer.safety.screening import prepare, screen_rules

ROOT = Path(__file__).resolve().parents[3]

@pytest.fixture
def model_off(monkeypatch: pytest.MonkeyPatch) -> None:
    """The trained model unavailable (the screener falls back to the rules and the escalation), so a test
    checks what the rules and the cues do on their own."""
    def unavailable() -> None:
        raise RuntimeError("model switched off for this test")

    monkeypatch.setattr(screening._model, "get_model", unavailable)


# ------------------------------------------------------------------ constructs, both languages (rules alone)

URGENT_BY_CONSTRUCT = {
    "overdose taken": [
        "took like 30 of my sleeping pills",
        "I just swallowed 40 tylenol and some vodka",
        "popped a whole strip of my sertraline an hour ago",
        "me tomé como 30 pastillas de dormir",
        "me empastillé anoche",
        "me bajé el frasco entero de clonazepam",
        "me zampé todas las pastillas de mi mamá",
    ],
    "attempt interrupted or aborted": [
        "I was about to jump when he called",
        "she found me with the pills on the bathroom floor",
        "estuve a punto de tirarme del puente",
        "tenía las pastillas en la mano cuando llegó",
    ],
    "preparatory acts": [
        "I've been saving my lorazepam for weeks",
        "counted out all my quetiapine on the desk",
        "I wrote a note for him to find",
        "Gave my guitar to my brother before I go",
        "estoy guardando el clonazepam desde hace un mes",
        "dejé una carta para que la encuentre mi hermana",
    ],
    "method and place": [
        "I'm standing on the overpass looking down",
        "me voy a aventar del puente",
        "me aviento del puente hoy",
        "me voy a botar del edificio",
        "me tiré a las vías pero me sacaron",
    ],
    "intent and refusing safety": [
        "I can't promise I'll be safe tonight",
        "nobody will be home Friday so no one can stop me",
        "it will all be over by the time he gets home",
        "no te puedo prometer que voy a estar bien",
        "nadie me va a detener esta vez",
    ],
}

CONCERN_BY_CONSTRUCT = {
    "thoughts return": [
        "those thoughts are back",
        "Those dark thoughts came back again today",
        "esos pensamientos volvieron",
    ],
    "indirect wish to be dead": [
        "I wish I could just not exist",
        "I hope I don't wake up tomorrow",
        "I want to disappear",
        "ojalá no despertara mañana",
        "quiero desaparecer",
    ],
}


@pytest.mark.parametrize("text", [t for ts in URGENT_BY_CONSTRUCT.values() for t in ts], ids=lambda t: t[:40])
def test_urgent_constructs_by_rules_alone(text: str) -> None:
    assert screen_rules(text).level == "urgent"
    assert screen(text).level == "urgent"


@pytest.mark.parametrize(
    "text", [t for ts in CONCERN_BY_CONSTRUCT.values() for t in ts], ids=lambda t: t[:40]
)
def test_concern_constructs_by_rules_alone(text: str) -> None:
    assert screen_rules(text).level in ("concern", "urgent")


NONE_LOOKALIKES = [
    "I took the kids to the bridge to feed the ducks",
    "We sat on the rooftop bar with friends",
    "I took 2 advil for my headache",
    "I took all my meds this morning like I should",
    "I just want to disappear for a weekend with him",
    "me tomé las pastillas para la espalda",
    "voy a matarte si te comes mi pastel",
    "me tiré en el sofá toda la tarde",
    "me eché a la cama temprano",
    "I've been saving for a new car",
    "I paid all the bills tonight",
    "nos tiramos a la piscina con los niños",
    "I left a note on the fridge for him",
    "bought charcoal for the barbecue",
]


@pytest.mark.parametrize("text", NONE_LOOKALIKES, ids=lambda t: t[:40])
def test_lookalikes_stay_none_for_the_rules(text: str) -> None:
    assert screen_rules(text).level == "none"


# ------------------------------------------------------------------ typos


@pytest.mark.parametrize(
    ("typo", "word"),
    [
        ("pils", "pills"),
        ("overdoes", "overdose"),
        ("suisidio", "suicidio"),
        ("matarne", "matarme"),
        ("pastiyas", "pastillas"),
        ("sertaline", "sertraline"),
        ("comit", "commit"),
    ],
)
def test_typo_is_read_as_the_risk_word(typo: str, word: str) -> None:
    assert typos.correct(typo) == word


@pytest.mark.parametrize(
    "word",
    ["bills", "been", "arms", "read", "contarme", "moverme", "matarte", "matarlo", "acercarme", "table"],
)
def test_everyday_words_are_not_corrected(word: str) -> None:
    assert typos.correct(word) is None


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("i took 25 pils", "urgent"),
        ("I tried to kil myself", "urgent"),
        ("me tome todas las pastiyas", "urgent"),
        ("i overdoes on my meds", "urgent"),
        ("i want to comit sucide", "concern"),
    ],
)
def test_misspelt_sentences_are_flagged(text: str, level: str) -> None:
    got = screen_rules(text).level
    assert got == level or (level == "concern" and got == "urgent")


def test_corrected_text_still_points_at_the_original() -> None:
    text = "i took 25 pils"
    r = screen(text).reasons[0]
    assert text[r.start : r.end] == r.phrase
    assert r.phrase.endswith("pils")


# ------------------------------------------------------------------ fillers


@pytest.mark.parametrize(
    ("plain", "with_filler"),
    [
        ("I want to die", "I honestly just want to die"),
        ("I'm going to kill myself", "I'm literally going to kill myself"),
        ("I took too many pills", "I actually took too many pills"),
        ("I don't want to live anymore", "I really really don't want to live anymore"),
        ("I want to be dead", "I honestly just want to be dead"),
    ],
)
def test_an_adverb_after_i_does_not_drop_the_level(plain: str, with_filler: str) -> None:
    assert screen_rules(plain).level != "none"
    assert screen_rules(with_filler).level == screen_rules(plain).level


def test_prepare_drops_fillers_after_the_subject_only() -> None:
    assert prepare("I honestly just want to die") == "i want to die"
    assert prepare("just do it honestly") == "just do it honestly"


# ------------------------------------------------------------------ lexicons are data


def test_lexicons_load_and_hold_both_languages() -> None:
    meds = lexicons.load("medications")
    for group in (
        "antidepressants",
        "mood_stabilisers",
        "antipsychotics",
        "sleeping_pills",
        "otc_painkillers",
        "benzodiazepines",
        "opioids",
        "insulin",
        "alcohol",
    ):
        assert meds[group]["en"] and meds[group]["es"], group
    means = lexicons.load("means")
    for group in ("heights", "tracks_vehicles", "firearms", "ligatures", "carbon_monoxide", "cutting"):
        assert means[group]["en"] and means[group]["es"], group
    verbs = " ".join(lexicons.words("verbs_es"))
    for stem in ("empastill", "zamp", "baj", "trag", "avent", "tir", "ech", "lanz", "bot"):
        assert stem in verbs, stem
    for name in lexicons.FILES:
        assert all(w == lexicons.fold(w) for w in lexicons.words(name))


def test_a_new_medicine_in_the_lexicon_needs_no_code() -> None:
    # Every name in the file reaches the rules: pick a few from different groups.
    for name in ("quetiapina", "lamotrigine", "zolpidem", "tramadol", "clonazepam"):
        assert screen_rules(f"took 30 {name}").level == "urgent", name


# ------------------------------------------------------------------ the model


def test_model_reasons_span_the_entry_and_never_lower_a_rule() -> None:
    text = "  I'm going to kill myself tonight  "
    assert screen(text).rules == screen_rules(text).rules  # urgent by rules: the model is not consulted
    for res in (screen(t) for t in ("nada tiene sentido ya, mañana no quiero estar", "I want to die")):
        for r in res.reasons:
            if r.rule.endswith(".model"):
                assert r.construct.endswith("(statistical model)")


def test_negated_mention_is_not_escalated_by_the_model() -> None:
    assert screen("I'm not going to kill myself").rules == frozenset({"concern.negated_mention"})


def test_runtime_inference_matches_sklearn() -> None:
    from nearer.safety import train

    rows = train.load_corpus()[::7]
    prepared = [screening.model_view(prepare(r.text)) for r in rows]
    groups = train.near_duplicate_groups(prepared)
    vec, heads = train.fit(prepared, [r.expected for r in rows], groups)
    data = train.to_file(vec, heads, {"en": {"risk": 0.5, "urgent": 0.5}}, {})
    m = model_mod.Model(json.loads(train.dumps(data)))
    probe = prepared[:200] + [prepare("completely new words: xyzzy"), ""]
    x = vec.transform(probe)
    for key, clf in heads.items():
        want = clf.predict_proba(x)[:, 1]
        got = np.array([m.probabilities(p)[key] for p in probe])
        np.testing.assert_allclose(got, want, rtol=0, atol=1e-9)


def test_shipped_model_is_a_fresh_deterministic_training() -> None:
    """Refit the final model (the thresholds' cross-validation is checked by `--check`) and compare."""
    from nearer.safety import train

    shipped = json.loads(model_mod.MODEL_PATH.read_text(encoding="utf-8"))
    rows = train.load_corpus()
    prepared = [screening.model_view(prepare(r.text)) for r in rows]
    groups = train.near_duplicate_groups(prepared)
    vec, heads = train.fit(prepared, [r.expected for r in rows], groups)
    fresh = json.loads(train.dumps(train.to_file(vec, heads, shipped["thresholds"], shipped["meta"])))
    assert fresh["features"] == shipped["features"]
    assert fresh["meta"]["corpus_sha256"] == shipped["meta"]["corpus_sha256"] == train.corpus_digest(rows)
    np.testing.assert_array_equal(fresh["idf"], shipped["idf"])
    for key in ("risk", "urgent"):
        for part in ("coef", "intercept", "a", "b"):
            np.testing.assert_array_equal(fresh["heads"][key][part], shipped["heads"][key][part])


def test_model_file_is_plain_json_and_small() -> None:
    raw = model_mod.MODEL_PATH.read_bytes()
    assert len(raw) < 4_500_000  # 60,000 features since the ninth pass (3.96 MB; read once per process, 0.2 s)
    data = json.loads(raw)
    assert set(data["heads"]) == {"risk", "urgent"}
    assert set(data["thresholds"]) == {"en", "es"}
    assert len(data["features"]) == len(data["idf"]) == len(data["heads"]["risk"]["coef"])


def test_request_path_does_not_import_sklearn_and_loads_the_model_lazily() -> None:
    code = (
        "import sys, nearer.safety.screening as s, nearer.safety.model as m;"
        "assert m._model is None;"
        "s.screen('a quiet day at home with the kids');"
        "assert m._model is not None;"
        "first = m._model; s.screen('another quiet day at home'); assert m._model is first;"
        "assert 'sklearn' not in sys.modules and 'django' not in sys.modules;"
        "print('ok')"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "ok"


def test_model_failure_falls_back_to_the_rules_without_the_text(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken() -> None:
        raise OSError("model file unreadable")

    monkeypatch.setattr(model_mod, "get_model", broken)
    text = "I want to die, secret words here"
    assert screen(text) == screen_rules(text)
    assert all("secret" not in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("text", ["First thought.", "Second thought.", "No text back", "I'm too much"])
def test_short_everyday_entries_are_left_to_the_rules(text: str) -> None:
    assert len(prepare(text).split()) < screening.MODEL_MIN_WORDS
    assert screen(text) == screen_rules(text)


@pytest.mark.parametrize(
    "text", ["I keep going quiet when Alex reaches for me", "We keep going round in circles about the chores, again"]
)
def test_relationship_withdrawal_is_not_read_as_risk(text: str) -> None:
    assert screen(text).level == "none"


# ------------------------------------------------------------------ composition (constructs by co-occurrence)

@pytest.mark.parametrize(
    ("text", "level", "rule"),
    [
        # an overdose told in any order: a medicine, a count, a verb of taking or a recent time
        ("zoloft, the whole bottle, twenty minutes ago", "urgent", "urgent.recent_attempt"),
        ("me bajé como 25 clonazepames con ron", "urgent", "urgent.recent_attempt"),
        ("5 xanax and 4 ambien with the wine, we'll see", "urgent", "urgent.recent_attempt"),
        # at a place people jump from, now
        ("I'm on the other side of the railing on the Hudson bridge", "urgent", "urgent.plan_method"),
        ("sitting on the roof of the parking garage rn", "urgent", "urgent.plan_method"),
        ("estoy sentada en las vías, ahorita pasa el tren", "urgent", "urgent.plan_method"),
        # hurt myself with a blade or wound care
        ("I hurt myself again with a blade, used half a box of bandages", "urgent", "urgent.self_harm_recent"),
        # interrupted: someone came
        ("me iba a colgar en el baño pero llegó mi hermano y me bajó", "urgent", "urgent.recent_attempt"),
        # two preparatory acts in one entry
        ("gave my stuff to my cousin and wrote letters for my parents", "urgent", "urgent.preparation"),
        # a car running in a closed garage
        ("the car is running in the garage and the door is shut", "urgent", "urgent.plan_method"),
        # envy of the dead: a passive wish
        ("me da envidia la gente que se muere sin darse cuenta", "concern", "concern.wish_dead"),
    ],
)
def test_composition_reads_constructs_in_any_order(text: str, level: str, rule: str) -> None:
    result = screen(text)
    assert result.level == level
    assert rule in result.rules


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        # a wish to die raised by a cue near it (not by a cue in an unrelated sentence)
        ("I want to die. Nobody is home until Monday.", "urgent.intent"),
        ("quiero morirme, mi esposo se fue de viaje y estoy sola en casa", "urgent.intent"),
        ("I wish I could stop existing. The pills are in the drawer, all forty of them.", "urgent.plan_method"),
        # a refusal to promise, even after a denial
        ("My sister made me promise I won't hurt myself and I couldn't", "urgent.intent"),
        ("told him I wouldn't hurt myself but I was lying", "urgent.intent"),
    ],
)
def test_escalation_raises_a_concern_with_a_cue_beside_it(text: str, rule: str, model_off: None) -> None:
    # Without the model, so that the escalation itself is what is tested (the model may also say urgent).
    result = screen(text)
    assert result.level == "urgent"
    assert rule in result.rules


@pytest.mark.parametrize(
    "text",
    [
        # a time in an unrelated sentence of a long entry does not make a wish to die urgent
        "We barely spoke tonight and I went to bed early. Sometimes I wish I could just not wake up.",
    ],
)
def test_escalation_stays_concern_without_a_cue_beside_it(text: str) -> None:
    assert screen(text).level == "concern"


def test_someone_elses_long_ago_overdose_is_never_urgent() -> None:
    # Concern before the model learnt from four held-out rounds that other people's stories are everyday
    # entries; now none. What matters: "anniversary" never makes it urgent.
    assert screen("My brother overdosed years ago and the anniversary is hard.").level != "urgent"


@pytest.mark.parametrize(
    "text",
    [
        "Counted out everyone's pills for the week into the pill organiser",
        "as a nurse I counted the controlled meds at the end of my shift",
        "took 2 tylenol for my headache and slept",
        "me tomé un ibuprofeno de 600 y a dormir",
        "el examen de hoy me mató",
        "estoy que me tiro por la ventana con esta tarea jajaja",
        "wrote her a goodbye letter, we're breaking up after three years",
        pytest.param(
            "standing on the bridge watching the boats with my husband",
            marks=pytest.mark.xfail(strict=True, reason="known false positive of the model since the urgent threshold "
                                    "was lowered for recall (0.72 -> 0.50, seventh pass; docs/dev/screener.md, 'Known "
                                    "false positives'); the composition rules leave it alone"),
        ),
        "Overdosed on cookies at the party, zero regrets",
    ],
)
def test_composition_leaves_everyday_sentences_alone(text: str) -> None:
    assert screen(text).level == "none"


def test_cant_go_on_about_a_thing_is_not_read_by_the_rules() -> None:
    assert screening.screen_rules("I can't do this anymore with this printer, it jammed again").level == "none"
    assert screening.screen_rules("I can't do this anymore.").level == "concern"


def test_composition_cues_are_data_in_both_languages() -> None:
    cues = lexicons.load("cues")
    for group in ("timing", "opportunity", "means", "preparation", "recent_act", "promise", "cannot",
                  "envy_dead", "no_return", "refuse_help"):
        assert cues[group]["en"] and cues[group]["es"], group


# ------------------------------------------------------------------ third pass (after held-out round 8 was retired)
# Our own sentences for the kinds round 8 showed missing; none is copied from a held-out round.

@pytest.mark.parametrize(
    ("text", "rule"),
    [
        # household poison drunk or swallowed: any amount
        ("I drank some of the antifreeze from the garage, my stomach is on fire", "urgent.recent_attempt"),
        ("yo me bebí medio vaso de lejía hace un rato", "urgent.recent_attempt"),
        ("me tomé el veneno para ratas que había en la bodega", "urgent.recent_attempt"),
        # who will find the body (the negation is part of the meaning)
        ("sent the kids to grandma's so they won't be the one to find me", "urgent.preparation"),
        ("que no sea mi hijo quien me encuentre, por eso lo mandé con su papá", "urgent.preparation"),
        # a method tried on oneself just now
        ("I kind of tried to strangle myself with a scarf this morning", "urgent.recent_attempt"),
        ("intenté ahorcarme anoche con el cinturón", "urgent.recent_attempt"),
        # the pill emoji read as the word; "them all", "lost count" read as a count
        ("\U0001F48A\U0001F48A swallowed them all with wine", "urgent.recent_attempt"),
        ("been taking my grandpa's oxycodone since lunch, lost count", "urgent.recent_attempt"),
        # interrupted, the one who came told in the next sentence
        ("me iba a tirar del puente. Llegó un señor y me habló", "urgent.recent_attempt"),
    ],
)
def test_third_pass_urgent_readings(text: str, rule: str) -> None:
    result = screen_rules(text)
    assert result.level == "urgent"
    assert rule in result.rules


@pytest.mark.parametrize(
    "text",
    [
        "work is killing me and honestly some days I wish it would",
        "si me muero mientras duermo, pues mejor",
        "if I died in my sleep tonight, honestly that'd be a relief",
        "my head keeps telling me to kill myself whenever I mess up",
        "una voz me repite 'muérete' cuando estoy sola",
    ],
)
def test_third_pass_passive_wishes_are_concern(text: str) -> None:
    result = screen_rules(text)
    assert result.level == "concern"
    assert result.rules & {"concern.wish_dead", "concern.thoughts_of_death", "concern.burden"}


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        # hanging up on help, refusing the hospital, a promise answered "no"
        ("I keep thinking about ending it. Hung up on the hotline and I'm not calling back.", "urgent.intent"),
        ("quiero morirme. no quiero ir al hospital, no me lleven", "urgent.intent"),
        ("She asked me to promise I'd stay safe and I said no.", "urgent.intent"),
        # finality with a time
        ("I want to disappear. After tonight none of this will matter.", "urgent.intent"),
    ],
)
def test_third_pass_escalation(text: str, rule: str, model_off: None) -> None:
    result = screen(text)
    assert result.level == "urgent"
    assert rule in result.rules


@pytest.mark.parametrize(
    "text",
    [
        # an appliance, Christmas lights: hyperbole without a laugh
        "I swear I'll jump out the window every time the wifi drops",
        "going to hang myself with these fairy lights, half of them are dead",
        # leaving a job or a going-away party is not a farewell
        "said goodbye to everyone at my farewell party, new job starts monday",
        "mi último día en la oficina, adiós a todos, nos vemos en el nuevo trabajo",
        # leftover medicine taken back to be disposed of
        "counted out the leftover hydrocodone and dropped it at the take-back box",
        # an idiom carrying a cue word, and a singular that is not a misspelling
        "took a bullet for my sister and sat through her boyfriend's band",
        # laughter with an exam or a mother-in-law
        "me quiero tirar por la ventana, mañana tengo examen jaja",
        "ay no, me quiero morir, le dije mamá a la maestra",
    ],
)
def test_third_pass_everyday_stays_none_for_the_rules(text: str) -> None:
    assert screen_rules(text).level == "none"


def test_a_singular_is_not_corrected_to_its_plural() -> None:
    assert typos.correct("bullet") is None
    assert typos.correct("pils") == "pills"


# ------------------------------------------------------------------ fourth pass (after held-out round 10 was retired)

@pytest.mark.parametrize(
    ("text", "level"),
    [
        # an attempt told by how it failed or stopped
        ("Last night I tried. The belt didn't hold and I'm sitting on the floor now.", "urgent"),
        ("pulled a bag over my head in the car and tore it off when I couldn't breathe", "urgent"),
        ("i attempted this morning. nobody knows", "urgent"),
        ("the scarf is still tied to the shower rail, I couldn't finish", "urgent"),
        ("anoche lo intenté. la soga no aguantó", "urgent"),
        # high up with a leg over the rail; a last entry addressed to whoever finds it
        ("top of the parking deck, one leg over the railing", "urgent"),
        ("para quien encuentre este celular: la clave es 4455", "urgent"),
        # a decision in the first person, Spanish present tense, a misspelt "commit suicide"
        ("tengo planeado matarme, no le he dicho a nadie", "urgent"),
        ("honestly i want to comitt suicide", "concern"),
        ("the ideation came back this week and I haven't said it out loud", "concern"),
        # the whole month of a medicine, taken
        ("me tomé la sertralina de todo el mes con un vino", "urgent"),
        # head-banging with signs of injury
        ("I banged my head against the wall until I blacked out", "urgent"),
    ],
)
def test_fourth_pass_readings(text: str, level: str) -> None:
    assert screen_rules(text).level == level


def test_a_spanish_present_tense_decision_with_a_day_is_urgent(model_off: None) -> None:
    assert screen_rules("el viernes me suicido, ya no aguanto").level == "concern"
    assert screen("el viernes me suicido, ya no aguanto").level == "urgent"  # the day raises it


@pytest.mark.parametrize(
    "text",
    [
        "if I have to sit through another one of his work dinners I'll throw myself out the window lol",
        "casi me muero, le dije 'mamá' a mi jefa en plena reunión",
        "vi en el noticiero lo del señor del puente; cambiamos de canal",
        "tried again today to talk to him about the weekend, he just shrugged",
        "chao, me voy a dormir, mañana hablamos",
    ],
)
def test_fourth_pass_everyday_stays_none_for_the_rules(text: str) -> None:
    assert screen_rules(text).level == "none"


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("if i have to hear about his fantasy football team again i'm throwing myself off the balcony (jk obviously)", "none"),
        ("I'm not kidding, if I have to hear about this job one more time I'm jumping off the bridge tonight", "urgent"),
        ("no es broma, si vuelvo a ver al jefe me tiro del puente esta noche", "urgent"),
    ],
)
def test_a_joke_marker_sets_hyperbole_aside_but_saying_it_is_no_joke_does_not(text: str, level: str) -> None:
    assert screen(text).level == level

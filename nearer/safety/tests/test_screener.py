"""Tests for the free-text risk screener (``nearer.safety.screening``).

The labelled set (``labelled_phrases.csv``) is ours: every phrase was written for this project.
Gates: every urgent phrase is screened urgent, every concern phrase at least concern, and at most
10% of the "none" phrases are flagged.
"""

from __future__ import annotations

import csv
import logging
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nearer.safety import ScreenResult, screen, screening
from nearer.safety.screening import LEVELS, Reason, screen_rules
from nearer.safety.train import IDIOMS_AND_ACCIDENTS

HERE = Path(__file__).parent
# The labelled set: the original phrases plus held-out round 3, which joined after it was scored (its
# file keeps it recognisable). Round 4 is NOT here: it stays held out, see test_heldout_round4_floor.
LABELLED = (HERE / "labelled_phrases.csv", HERE / "labelled_phrases_round3.csv")
HELDOUT_ROUND4 = HERE / "heldout_round4.csv"
CORPUS = HERE.parent / "corpus" / "train.csv"
RANK = {"none": 0, "concern": 1, "urgent": 2}


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _load() -> list[dict[str, str]]:
    return [row for path in LABELLED for row in _read(path)]


ROWS = _load()


def _rows(level: str) -> list[dict[str, str]]:
    return [r for r in ROWS if r["expected"] == level]


def _id(row: dict[str, str]) -> str:
    return f"{row['language']}:{row['text'][:40]}"


# ------------------------------------------------------------------ the labelled set itself


def test_labelled_set_shape() -> None:
    assert list(ROWS[0].keys()) == ["text", "language", "expected"]
    assert len(ROWS) >= 500
    levels = Counter(r["expected"] for r in ROWS)
    langs = Counter(r["language"] for r in ROWS)
    assert set(levels) == {"none", "concern", "urgent"}
    assert set(langs) == {"en", "es"}
    assert levels["none"] >= len(ROWS) / 3
    # Roughly 70% English, 30% Spanish.
    assert 0.6 <= langs["en"] / len(ROWS) <= 0.8
    texts = [r["text"] for r in ROWS]
    assert len(texts) == len(set(texts)), "duplicate phrases in the labelled set"
    assert all(t.strip() == t and t for t in texts)


def test_labelled_set_covers_hard_cases() -> None:
    texts = [r["text"] for r in ROWS]
    # all caps, no apostrophes, misspellings, slang and long multi-sentence entries
    assert any(t.isupper() for t in texts)
    assert any(" im " in f" {t.lower()} " for t in texts)
    assert any(w in t.lower() for t in texts for w in ("suicde", "sucide", "kil my self"))
    assert any(w in t.lower() for t in texts for w in ("kms", "unalive", "sewerslide", "off myself"))
    assert sum(1 for t in texts if t.count(".") >= 3) >= 5


# ------------------------------------------------------------------ recall and false positives


@pytest.mark.parametrize("row", _rows("urgent"), ids=_id)
def test_urgent_phrases_are_urgent(row: dict[str, str]) -> None:
    result = screen(row["text"])
    assert result.level == "urgent", sorted(result.rules)


@pytest.mark.parametrize("row", _rows("concern"), ids=_id)
def test_concern_phrases_are_flagged(row: dict[str, str]) -> None:
    result = screen(row["text"])
    assert result.level in ("concern", "urgent")
    assert result.reasons


def test_none_phrases_false_positive_rate() -> None:
    none_rows = _rows("none")
    flagged = [r["text"] for r in none_rows if screen(r["text"]).flagged]
    rate = len(flagged) / len(none_rows)
    assert rate <= 0.10, (rate, flagged)


@pytest.mark.parametrize("language", ["en", "es"])
def test_each_language_meets_the_gates_on_its_own(language: str) -> None:
    rows = [r for r in ROWS if r["language"] == language]
    risky = [r for r in rows if r["expected"] != "none"]
    none_rows = [r for r in rows if r["expected"] == "none"]
    assert len(risky) >= 40 and len(none_rows) >= 25
    recall = sum(screen(r["text"]).flagged for r in risky) / len(risky)
    fp = sum(screen(r["text"]).flagged for r in none_rows) / len(none_rows)
    assert recall == 1.0
    assert fp <= 0.10


# ------------------------------------------------------------------ held-out round 4 (NOT part of the labelled set)


def test_heldout_round4_floor() -> None:
    """Round 4 was written after the round-3 tuning and scored once, before any further change.

    It is the honest estimate of how unseen wording fares (docs/dev/screener.md). These are the counts
    measured then, kept as a floor so that a regression fails. Do not tune rules on these sentences:
    if they start passing because rules were fitted to them, the round stops measuring anything.
    """
    rows = _read(HELDOUT_ROUND4)
    assert not {r["text"] for r in rows} & {r["text"] for r in ROWS}, "round 4 must stay out of the labelled set"
    levels = [(r["expected"], screen(r["text"]).level) for r in rows]
    counts = Counter(exp for exp, _ in levels)
    assert counts == {"none": 28, "concern": 18, "urgent": 18}
    none_flagged = sum(lv != "none" for exp, lv in levels if exp == "none")
    concern_flagged = sum(lv != "none" for exp, lv in levels if exp == "concern")
    urgent_urgent = sum(lv == "urgent" for exp, lv in levels if exp == "urgent")
    urgent_flagged = sum(lv != "none" for exp, lv in levels if exp == "urgent")
    # Re-measured after the layered rebuild (issue 13): rules + typo layer + trained model. Before it,
    # rules alone: none 1/28, concern 7/18, urgent 3/18 urgent and 4/18 flagged. The model trades
    # false positives on these deliberately alarming none sentences for recall (docs/dev/screener.md).
    # After the composition layer and the retraining with rounds 5-7 and our everyday couple sentences:
    # none 8/28 (was 7: one more of these alarming-by-design sentences read as concern by the model),
    # concern 17/18 (was 18: one passive sentence the retrained model no longer reads), urgent 17/18 (was 15).
    assert none_flagged <= 8  # measured 8/28
    assert concern_flagged >= 17  # measured 17/18
    assert urgent_urgent >= 17  # measured 17/18
    assert urgent_flagged >= 17  # measured 17/18


# ------------------------------------------------------------------ gates never change a result

_VOCAB = (
    "i im me my he she they you we it the a to and but so not dont never no want wanna going gonna to "
    "kill myself die dead dying wish better off without burden pills took all whole bottle cut again last "
    "night tonight tomorrow goodbye thank you for everything sorry look after the kids love you all forgive "
    "me decided plan ready rope gun bridge jump jumping wake up sleep forever point living alive anymore "
    "quiero morir matarme me corte pastillas todas adios gracias por todo cuiden a mis hijos ya no estare "
    "manana carta despedida nadie sin mi mejor si desapareciera hurt harm on purpose until it bled . , !"
).split()


def _both_ways(text: str) -> tuple[ScreenResult, ScreenResult]:
    gated = screen_rules(text)
    screening._USE_GATES = False
    try:
        ungated = screen_rules(text)
    finally:
        screening._USE_GATES = True
    return gated, ungated


def test_every_rule_has_a_gate() -> None:
    # A rule without a gate still works (it always runs); this keeps the speed-up from silently going.
    assert all(rule.gate for rule in screening._RULES)


def test_gates_do_not_change_results_on_the_phrases() -> None:
    for row in ROWS + _read(HELDOUT_ROUND4) + _read(CORPUS):
        gated, ungated = _both_ways(row["text"])
        assert gated == ungated, row["text"]


@given(st.lists(st.sampled_from(_VOCAB), max_size=40).map(" ".join))
@settings(max_examples=300, deadline=None, derandomize=True)
def test_gates_do_not_change_results_on_word_salad(text: str) -> None:
    gated, ungated = _both_ways(text)
    assert gated == ungated


# ------------------------------------------------------------------ sentence-level checks
#
# These check what the rules read in one sentence (clusters, accidents, idioms, reasons), so they use
# screen_rules(). screen() adds a statistical layer that may raise a level (never lower one); it
# reads wording, not structure, so single-sentence guarantees belong to the rules, and the model's
# false positives are bounded in aggregate instead (test_everyday_idioms_rarely_flagged_by_the_model,
# the labelled none set, and the cross-validated figures in docs/dev/screener.md).


@pytest.mark.parametrize(
    ("text", "level"),
    [
        # two different farewell cues, at least one of them strong
        ("Thank you for trying. Don't blame yourself.", "urgent"),
        ("Perdón por todo. Cuiden a los niños.", "urgent"),
        # weak cues alone close birthday cards and break-up notes
        ("Thank you for everything, love you all!", "none"),
        ("Thank you for everything, I'm sorry it ended like this.", "none"),
        ("Look after the kids, I'm at the gym until 8.", "none"),
        # one cue next to thoughts of death
        ("I feel like such a burden. Look after my cat.", "urgent"),
        # a decision next to thoughts of death, not on its own
        ("I've decided. I want to die.", "urgent"),
        ("I've made up my mind about the holiday.", "none"),
        ("Tonight I'm going to do it. I have the pills.", "urgent"),
    ],
)
def test_clusters(text: str, level: str) -> None:
    assert screen_rules(text).level == level


@pytest.mark.parametrize(
    "text",
    [
        "Me corté con un cuchillo cortando cebolla, nada grave.",
        "I burned my hand on the kettle this morning.",
        "I scratched my arm on the rose bush until it bled, gardening is dangerous.",
    ],
)
def test_everyday_accidents_are_not_self_harm(text: str) -> None:
    assert screen_rules(text).level == "none"


def test_a_negated_accident_is_still_self_harm() -> None:
    assert screen("I cut my arm again and it wasn't by accident.").level == "urgent"


# ------------------------------------------------------------------ reasons


@pytest.mark.parametrize(
    ("text", "rule", "phrase"),
    [
        ("I'm going to kill myself", "urgent.intent", "going to kill myself"),
        ("tonight I'll end it", "urgent.intent", "tonight I'll end it"),
        ("im gonna kms", "urgent.intent", "gonna kms"),
        ("What's the most painless way to die?", "urgent.plan_method", "painless way"),
        ("I've been saving up my pills", "urgent.preparation", "saving up my pills"),
        ("I bought a rope", "urgent.preparation", "bought a rope"),
        ("I took too many pills", "urgent.recent_attempt", "took too many pills"),
        ("I cut myself last night", "urgent.self_harm_recent", "I cut myself"),
        ("this is goodbye", "urgent.goodbye", "this is goodbye"),
        ("you won't have to deal with me anymore", "urgent.goodbye", "you won't have to deal with me anymore"),
        ("I wish I was dead", "concern.wish_dead", "wish I was dead"),
        ("I'm such a burden", "concern.burden", "I'm such a burden"),
        ("there's no reason to live", "concern.no_reason_to_live", "no reason to live"),
        ("I keep thinking about dying", "concern.thoughts_of_death", "keep thinking about dying"),
        ("I want to cut myself", "concern.self_harm_urge", "want to cut myself"),
        ("I'm not going to kill myself", "concern.negated_mention", "going to kill myself"),
        ("a documentary about suicide", "concern.mention", "suicide"),
        ("ya no aguanto más", "concern.cant_go_on", "ya no aguanto más"),
        ("Me voy a quitar la vida", "urgent.intent", "Me voy a quitar la vida"),
        ("me corté", "urgent.self_harm_recent", "me corté"),
        ("Esta es mi despedida", "urgent.goodbye", "Esta es mi despedida"),
        ("soy una carga", "concern.burden", "soy una carga"),
        ("no me voy a hacer daño", "concern.negated_mention", "me voy a hacer daño"),
        ("I tried to kill myself when I was 16", "concern.past_attempt", "I tried to kill myself"),
    ],
)
def test_reason_rule_and_phrase(text: str, rule: str, phrase: str) -> None:
    result = screen_rules(text)
    assert [(r.rule, r.phrase) for r in result.reasons] == [(rule, phrase)]
    r = result.reasons[0]
    assert text[r.start : r.end] == r.phrase
    assert r.level == ("urgent" if rule.startswith("urgent.") else "concern")
    assert result.level == r.level


def test_several_sentences_give_several_reasons_in_order() -> None:
    text = "We fought. I'm such a burden to him. I have the pills saved up. Tonight I'll end it."
    result = screen_rules(text)
    assert result.level == "urgent"
    assert [r.rule for r in result.reasons] == ["concern.burden", "urgent.preparation", "urgent.intent"]
    assert [r.start for r in result.reasons] == sorted(r.start for r in result.reasons)


def test_overlapping_rules_keep_the_most_serious_once() -> None:
    # "kill myself" alone would be concern.thoughts_of_death; inside the intent it must not repeat.
    result = screen("I want to kill myself")
    assert [r.rule for r in result.reasons] == ["urgent.intent"]  # urgent by the rules: no model reason


IDIOMS = [
        "this commute is killing me",
        "I'd die for that cake",
        "I could kill for a coffee",
        "my feet are killing me",
        "dying to see that film",
        "dead tired",
        "I'm dead lol that meme",
        "me muero de risa",
        "me muero de hambre",
        "este tráfico me está matando",
        "killed it at the gym",
        "the deadline is tomorrow",
        "dead battery again",
        "I cut myself some slack",
        "me corté el pelo",
        "Tonight I'll end it with him, I can't keep pretending",
]


@pytest.mark.parametrize("text", IDIOMS)
def test_everyday_idioms_are_not_flagged(text: str) -> None:
    result = screen_rules(text)
    assert result.level == "none"
    assert result.reasons == ()


def test_everyday_idioms_rarely_flagged_by_the_model() -> None:
    texts = IDIOMS + [
        "Me corté con un cuchillo cortando cebolla, nada grave.",
        "I burned my hand on the kettle this morning.",
    ]
    flagged = [t for t in texts if screen(t).flagged]
    assert len(flagged) <= 1, flagged


def test_negation_does_not_cross_into_a_new_clause() -> None:
    assert screen("I can't sleep, I'm going to kill myself tonight").level == "urgent"
    assert screen("I can't sleep I'm going to kill myself").level == "urgent"
    assert screen("I'm not okay and I'm going to kill myself").level == "urgent"
    assert screen("I would never kill myself").rules == frozenset({"concern.negated_mention"})


def test_recent_attempt_stays_urgent_unless_long_ago() -> None:
    assert screen("I tried to kill myself yesterday").level == "urgent"
    assert screen("Years ago I tried to kill myself.").rules == frozenset({"concern.past_attempt"})
    # "years ago" in another sentence does not soften this one.
    assert screen("We met years ago. I tried to kill myself yesterday.").level == "urgent"


# ------------------------------------------------------------------ edges


@pytest.mark.parametrize("text", ["", " ", "\n\t  \n"])
def test_empty_and_blank(text: str) -> None:
    result = screen(text)
    assert result == ScreenResult("none", (), None)
    assert not result.flagged


def test_very_long_text_finds_a_sentence_in_the_middle() -> None:
    filler = "We talked about the shopping and the kids' school run, nothing special. " * 2000
    risk = "I have been saving up my pills."
    text = filler + risk + " " + filler
    result = screen(text)
    assert result.level == "urgent"
    assert len(result.reasons) == 1
    r = result.reasons[0]
    assert r.rule == "urgent.preparation"
    assert r.start == len(filler) + len("I have been ")
    assert text[r.start : r.end] == r.phrase == "saving up my pills"


def test_many_hits_in_long_text() -> None:
    text = "I want to die. " * 3000
    result = screen_rules(text)
    assert result.level == "concern"
    assert len(result.reasons) == 3000
    assert {r.phrase for r in result.reasons} == {"want to die"}


@pytest.mark.parametrize(
    "text",
    ["i am going to" + " just" * 5000, "gonna to " * 5000, "im such " * 5000, "a" * 50_000],
)
def test_repetitive_input_is_screened(text: str) -> None:
    # These once triggered quadratic backtracking (unbounded filler repeats); the timing lives in
    # benchmarks/screener.py, here we check they return a sensible answer. The rules find nothing;
    # the statistical layer may read "gonna to gonna to..." as concern, which is allowed (concern
    # shows help, it never hides it), so screen() is only required to answer.
    assert screen_rules(text).level == "none"
    assert screen(text).level in LEVELS


@pytest.mark.parametrize("value", [None, b"I want to die", 42, ["I want to die"], 3.5])
def test_non_string_raises_type_error_without_the_value(value: object) -> None:
    with pytest.raises(TypeError) as info:
        screen(value)  # type: ignore[arg-type]
    assert "die" not in str(info.value)
    assert type(value).__name__ in str(info.value)


def test_unicode_emoji_and_accents() -> None:
    r = screen("😭😭 I want to die 💔")
    assert r.level == "concern"
    assert r.reasons[0].phrase == "want to die"
    assert r.reasons[0].start == len("😭😭 I ")
    # accents optional both ways
    assert screen("me corte anoche").level == "urgent"
    assert screen("pensé en suicidarme").rules == screen("pense en suicidarme").rules
    assert screen("NO VALE LA PENA VIVIR").level == "concern"
    # full-width letters and curly apostrophes
    assert screen("ｉ ｗａｎｔ ｔｏ ｄｉｅ").level == "concern"
    assert screen("I\u2019m going to kill myself").level == "urgent"
    # elongated letters and hyphens
    assert screen("i want to dieeeee").level == "concern"
    assert screen("thinking about self-harm again").level == "concern"


@given(st.text(max_size=300))
@settings(max_examples=200, deadline=None, derandomize=True)
def test_any_text_gives_a_valid_result(text: str) -> None:
    result = screen(text)
    assert result.level in LEVELS
    assert result.language_hint in (None, "en", "es")
    for r in result.reasons:
        assert isinstance(r, Reason)
        assert text[r.start : r.end] == r.phrase
    assert (result.level == "none") == (not result.reasons)


def test_deterministic() -> None:
    text = "Everyone would be better off without me. Esta es mi despedida."
    assert screen(text) == screen(text)


def test_language_hint() -> None:
    assert screen("I feel so alone next to him and I don't know what to say").language_hint == "en"
    assert screen("Me siento muy sola aunque esté a su lado, no sé qué hacer").language_hint == "es"
    assert screen("ok").language_hint is None


# ------------------------------------------------------------------ privacy and isolation


def test_repr_never_contains_the_text() -> None:
    text = "I'm going to kill myself tonight"
    result = screen(text)
    shown = repr(result) + repr(result.reasons) + str(result)
    assert "kill" not in shown and "tonight" not in shown
    assert "urgent.intent" in shown


def test_screen_does_not_log(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        screen("I'm going to kill myself tonight")
        screen("just a normal day")
    assert caplog.records == []


def test_package_import_does_not_pull_in_django() -> None:
    code = "import sys, nearer.safety; assert 'django' not in sys.modules; print(nearer.safety.screen('x').level)"
    root = Path(__file__).resolve().parents[3]
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "none"


# ------------------------------------------------------------------ held-out round 5 (issue 13; NOT part of the labelled set)

HELDOUT_ROUND5 = HERE / "heldout_round5.csv"


def test_heldout_round5_floor() -> None:
    """Round 5 was written by someone who never saw the rules, and scored once before and once after the
    layered rebuild (docs/dev/screener.md). It has since been retired into the training data (with
    rounds 6 and 7), so it is no longer an estimate of anything: it stays as a regression floor."""
    rows = _read(HELDOUT_ROUND5)
    assert not {r["text"] for r in rows} & {r["text"] for r in ROWS}, "round 5 must stay out of the labelled set"
    levels = [(r["expected"], screen(r["text"]).level) for r in rows]
    assert Counter(exp for exp, _ in levels) == {"none": 122, "concern": 92, "urgent": 128}
    risk_flagged = sum(lv != "none" for exp, lv in levels if exp != "none")
    urgent_urgent = sum(lv == "urgent" for exp, lv in levels if exp == "urgent")
    none_flagged = sum(lv != "none" for exp, lv in levels if exp == "none")
    assert risk_flagged >= 205  # of 220 (93.2%) when it was held out; the rules alone flagged 86
    assert urgent_urgent >= 95  # of 128 (74.2%) when it was held out; the rules alone 28
    assert none_flagged <= 13  # of 122 (10.7%) when it was held out; the rules alone 3


HELDOUT_ROUND8 = HERE / "heldout_round8.csv"
HELDOUT_ROUND9 = HERE / "heldout_round9.csv"


def _scored(path: Path) -> dict[str, int]:
    """How the screener does on one held-out round: sizes and the four figures of docs/dev/screener.md."""
    levels = [(r["expected"], r["construct"], screen(r["text"]).level) for r in _read(path)]
    return {
        "none": sum(exp == "none" for exp, _, _ in levels),
        "concern": sum(exp == "concern" for exp, _, _ in levels),
        "urgent": sum(exp == "urgent" for exp, _, _ in levels),
        "risk_flagged": sum(lv != "none" for exp, _, lv in levels if exp != "none"),
        "urgent_urgent": sum(lv == "urgent" for exp, _, lv in levels if exp == "urgent"),
        "none_flagged": sum(lv != "none" for exp, _, lv in levels if exp == "none"),
        "lookalike_flagged": sum(lv != "none" for _, c, lv in levels if c in IDIOMS_AND_ACCIDENTS),
    }


# Each round by a new author who never saw code, rules, corpus or earlier rounds (docs/dev/screener.md,
# "Honest evaluation"): (round, none, concern, urgent, risk flagged >=, urgent urgent >=, none flagged <=,
# lookalikes flagged <= or None). 18 and 17 arrived before the ninth pass and were scored once before it
# (17: 256, 143, 48, 7; 18: 262, 144, 53, 6) and once after, never read: the figures users and clinicians
# are told. 16 and 15 were scored once after the eighth pass, 14 as each pass landed; all three were then
# retired into training for the ninth pass, and 13 for the seventh, so those floors are no longer
# estimates of anything.
FLOORS = [
    (18, 192, 112, 153, 263, 148, 46, 8),  # of 265 (99.2%), 153 (96.7%), 192 (24.0%), 64 (12.5%)
    (17, 192, 112, 150, 259, 145, 40, 2),  # of 262 (98.9%), 150 (96.7%), 192 (20.8%), 64 (3.1%)
    (16, 184, 106, 148, 242, 124, 42, 3),  # of 254 (95.3%), 148 (83.8%), 184 (22.8%), 65 (4.6%)
    (15, 172, 100, 140, 226, 126, 44, 9),  # of 240 (94.2%), 140 (90.0%), 172 (25.6%), 58 (15.5%)
    (14, 180, 100, 144, 231, 126, 49, 6),  # of 244 (94.7%), 144 (87.5%), 180 (27.2%), 60 (10.0%)
    (13, 174, 100, 140, 232, 127, 43, None),  # of 240 (96.7%), 140 (90.7%), 174 (24.7%)
]


@pytest.mark.parametrize(("n", "none", "concern", "urgent", "risk", "urgent_urgent", "none_flagged", "look"), FLOORS)
def test_heldout_round_floor(
    n: int, none: int, concern: int, urgent: int, risk: int, urgent_urgent: int, none_flagged: int, look: int | None
) -> None:
    got = _scored(HERE / f"heldout_round{n}.csv")
    assert (got["none"], got["concern"], got["urgent"]) == (none, concern, urgent)
    assert got["risk_flagged"] >= risk
    assert got["urgent_urgent"] >= urgent_urgent
    assert got["none_flagged"] <= none_flagged
    assert look is None or got["lookalike_flagged"] <= look


# Rounds never trained on, with how many sentences each holds and how many happen to be word for word ones
# earlier authors wrote (round 17: four short ones such as "those thoughts are back", in round 5 long
# before). Rounds 5 to 16 were retired into training after they had been scored. Sentences of the ninth
# pass's new training files that a held-out author happened to write too were taken out of training.
@pytest.mark.parametrize(("n", "size", "shared"), [(18, 457, 0), (17, 454, 4)])
def test_heldout_round_is_not_trained_on(n: int, size: int, shared: int) -> None:
    from nearer.safety import train

    texts = {r["text"].strip() for r in _read(HERE / f"heldout_round{n}.csv")}
    assert len(texts) == size
    assert len(texts & {r.text for r in train.load_corpus()}) <= shared
    assert f"heldout_round{n}.csv" not in {p.name for p in train.RETIRED}
    assert {p.name for p in train.RETIRED} >= {f"heldout_round{k}.csv" for k in range(5, 17)}


def test_heldout_round12_floor() -> None:
    """Round 12 (404 sentences) was the held-out round of the fourth pass (scored once: 228, 130, 52) and
    was then retired into the training data for the fifth; a floor, no longer an estimate of anything."""
    rows = _read(HERE / "heldout_round12.csv")
    levels = [(r["expected"], screen(r["text"]).level) for r in rows]
    assert Counter(exp for exp, _ in levels) == {"none": 168, "concern": 98, "urgent": 138}
    assert sum(lv != "none" for exp, lv in levels if exp != "none") >= 228
    assert sum(lv == "urgent" for exp, lv in levels if exp == "urgent") >= 130
    assert sum(lv != "none" for exp, lv in levels if exp == "none") <= 52


def test_heldout_round9_floor() -> None:
    """Round 9 (441 sentences, English and Spanish, by an author who never saw the rules, the corpus, the
    code or the earlier rounds) was scored once before and once after the third pass (docs/dev/screener.md,
    "Honest evaluation"). These are the counts measured after it, kept as a floor. Do not tune on these
    sentences: the next estimate needs a round 10 by a new author."""
    rows = _read(HELDOUT_ROUND9)
    levels = [(r["expected"], r["construct"], screen(r["text"]).level) for r in rows]
    assert Counter(exp for exp, _, _ in levels) == {"none": 159, "concern": 113, "urgent": 169}
    risk_flagged = sum(lv != "none" for exp, _, lv in levels if exp != "none")
    urgent_urgent = sum(lv == "urgent" for exp, _, lv in levels if exp == "urgent")
    none_flagged = sum(lv != "none" for exp, _, lv in levels if exp == "none")
    idioms_flagged = sum(lv != "none" for _, c, lv in levels if c in ("idiom", "accident", "cooking_work"))
    assert risk_flagged >= 278  # of 282 (98.6%); before the third pass 276 (97.9%)
    assert urgent_urgent >= 154  # of 169 (91.1%); before 152 (89.9%)
    assert none_flagged <= 45  # of 159 (28.3%); before 47 (29.6%)
    assert idioms_flagged <= 2  # of 63 everyday idioms, accidents and kitchen or work words; before 3


def test_heldout_round8_floor() -> None:
    """Round 8 (431 sentences, English and Spanish, by an author who never saw the rules, the corpus, the
    code or the earlier rounds) was scored once before and once after the composition layer and the
    retraining (docs/dev/screener.md, "Honest evaluation"). These are the counts measured then, kept as a
    floor. Round 8 was retired into the training data after round 9 was scored (2026-12-03); it is no longer an
    estimate of anything."""
    rows = _read(HELDOUT_ROUND8)
    levels = [(r["expected"], screen(r["text"]).level) for r in rows]
    assert Counter(exp for exp, _ in levels) == {"none": 161, "concern": 112, "urgent": 158}
    risk_flagged = sum(lv != "none" for exp, lv in levels if exp != "none")
    urgent_urgent = sum(lv == "urgent" for exp, lv in levels if exp == "urgent")
    none_flagged = sum(lv != "none" for exp, lv in levels if exp == "none")
    # Scored after the composition layer: 259, 139, 33. Scored again, without reading it, after the
    # model was retrained with Nearer's own everyday couple sentences (corpus/everyday_couple.csv, to
    # stop "Hoping to work on closeness." reading as risk): the figures below, which are what ships.
    assert risk_flagged >= 257  # of 270 (95.2%); before this work 252 (93.3%)
    assert urgent_urgent >= 139  # of 158 (88.0%); before 120 (75.9%)
    assert none_flagged <= 28  # of 161 (17.4%); before 36 (22.4%)


@pytest.mark.parametrize("text", [
    # A known false positive of the model until our everyday app sentences joined training (2026-12-04).
    "When I'm tired I go quiet and Alex reads it as distance. I'd like to say so out loud.",
    # A known false positive until the model was retrained with held-out rounds 5 and 6 (2026-12-03).
    "I would like to tell Alex more about my day, even the small parts.",
])
def test_everyday_couple_sentences_are_not_risk(text: str) -> None:
    assert screen(text).level == "none"


def test_our_everyday_relationship_sentences_ceiling() -> None:
    """Our own 240 everyday entries (corpus/everyday_relationship.csv: loneliness next to a partner, grey
    days, grief, conflict, medication as prescribed, work; English and Spanish). Not trained on in the
    fourth pass, when 56 were flagged (23%), 8 urgent; trained on since the fifth (3 flagged; since the
    seventh pass's lower urgent threshold, one urgent: a partner drinking rum again "con la botella").
    Since the ninth pass's lower thresholds (risk 0.18, urgent 0.30, chosen by leaving authors out) 10 are
    flagged, 2 urgent (the rum, and "Hoy le tomé la mano en el cine y la soltó"): the price of 97% recall
    on new writers' risk. A ceiling so that this does not get worse unnoticed; it is no longer an estimate
    (docs/dev/screener.md)."""
    from nearer.safety import train

    rows = _read(train.RELATIONSHIP)
    assert len(rows) == 240 and {r["expected"] for r in rows} == {"none"}
    assert {r["text"].strip() for r in rows} <= {r.text for r in train.load_corpus()}  # trained on
    levels = [screen(r["text"]).level for r in rows]
    assert sum(lv != "none" for lv in levels) <= 10
    assert sum(lv == "urgent" for lv in levels) <= 2


def test_everyday_app_sentences_held_out_ceiling() -> None:
    """120 everyday lines in the app's own places (a check-in note, a ladder step, an experiment's fear and
    outcome, a present-or-past record, a reflection, a plan line), by the writer of corpus/everyday_app.csv,
    kept out of training. Before that corpus was trained on, 32 were flagged (27%), 4 urgent ("Alex listened
    and thanked me" showed the crisis card in the browser journey); after, 14, none urgent. The ninth pass
    (3,150 new risk-and-lookalike sentences, 60,000 features) first made it 26, four urgent; 699 everyday
    lines in the app's own fields (corpus/everyday_app_fields.csv, another writer) brought it to 18 and
    599 worksheet answers to 17, one urgent ("En el metro de vuelta el jueves", an experiment's when);
    the lower thresholds that buy recall on new writers' risk keep it above 14 (docs/dev/screener.md)."""
    from nearer.safety import train

    rows = _read(train.APP_HELDOUT)
    assert len(rows) == 120 and {r["expected"] for r in rows} == {"none"}
    assert not {r["text"] for r in rows} & {r.text for r in train.load_corpus()}
    levels = [screen(r["text"]).level for r in rows]
    assert sum(lv != "none" for lv in levels) <= 17
    assert sum(lv == "urgent" for lv in levels) <= 1

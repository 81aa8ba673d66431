"""Scoring of the built-in and a clinic instrument, with hand-computed vectors."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from nearer.measures import (
    InstrumentError,
    ScoringError,
    get_instrument,
    list_instruments,
    load_definition,
    register_instrument,
    score,
    unregister_instrument,
)

PHQ9 = ["44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2", "44252-5", "44253-3", "44260-8"]
GAD7 = ["69725-0", "68509-9", "69733-4", "69734-2", "69735-9", "69689-8", "69736-7"]
PHQ2 = PHQ9[:2]
LA = {0: "LA6568-5", 1: "LA6569-3", 2: "LA6570-1", 3: "LA6571-9"}
EXAMPLE = Path(__file__).resolve().parents[3] / "docs" / "examples" / "clinic-instrument-example.json"


def answers_for_total(link_ids: list[str], total: int) -> dict[str, int]:
    """Fill items with 3s from the front until the total is reached."""
    out = dict.fromkeys(link_ids, 0)
    remaining = total
    for lid in link_ids:
        take = min(3, remaining)
        out[lid] = take
        remaining -= take
    assert remaining == 0
    return out


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, ("minimal", "Minimal")),
        (4, ("minimal", "Minimal")),
        (5, ("mild", "Mild")),
        (9, ("mild", "Mild")),
        (10, ("moderate", "Moderate")),
        (14, ("moderate", "Moderate")),
        (15, ("moderately_severe", "Moderately severe")),
        (19, ("moderately_severe", "Moderately severe")),
        (20, ("severe", "Severe")),
        (27, ("severe", "Severe")),
    ],
)
def test_phq9_band_edges(total: int, band: tuple[str, str]) -> None:
    result = score("phq9", answers_for_total(PHQ9, total))
    assert result.total == total
    assert result.band == band
    assert result.band.key == band[0]
    assert result.band.label == band[1]
    assert result.in_clinical_range is (total >= 10)


@pytest.mark.parametrize(
    ("total", "key"),
    [(0, "minimal"), (4, "minimal"), (5, "mild"), (9, "mild"), (10, "moderate"), (14, "moderate"),
     (15, "severe"), (21, "severe")],
)
def test_gad7_band_edges(total: int, key: str) -> None:
    result = score("gad7", answers_for_total(GAD7, total))
    assert result.total == total
    assert result.band.key == key
    assert result.in_clinical_range is (total >= 8)


@pytest.mark.parametrize(("total", "key", "suggest"), [(0, "negative", False), (2, "negative", False),
                                                       (3, "positive", True), (6, "positive", True)])
def test_phq2_band_edges_and_suggestion(total: int, key: str, suggest: bool) -> None:
    result = score("phq2", answers_for_total(PHQ2, total))
    assert result.total == total
    assert result.band.key == key
    assert result.flags == {"suggest_phq9": suggest}


def test_phq9_hand_computed_vector_with_codes_weights_and_strings_equivalent() -> None:
    weights = [1, 2, 0, 3, 1, 2, 0, 1, 0]  # 1+2+0+3+1+2+0+1+0 = 10
    as_int = dict(zip(PHQ9, weights, strict=True))
    as_code = {lid: LA[w] for lid, w in as_int.items()}
    as_str = {lid: str(w) for lid, w in as_int.items()}
    mixed = {lid: (LA[w] if i % 2 else float(w)) for i, (lid, w) in enumerate(as_int.items())}
    results = [score("phq9", a) for a in (as_int, as_code, as_str, mixed)]
    for r in results:
        assert r.total == 10
        assert isinstance(r.total, int)
        assert r.band == ("moderate", "Moderate")
        assert r.answered == as_int
        assert r.flags == {"item9_value": 0, "item9_positive": False}
    assert results[0] == results[1] == results[2] == results[3]


@pytest.mark.parametrize(("item9", "positive"), [(0, False), (1, True), (2, True), (3, True)])
def test_item9_flag_whatever_the_total(item9: int, positive: bool) -> None:
    answers = dict.fromkeys(PHQ9, 0)
    answers["44260-8"] = LA[item9]
    result = score("phq9", answers)
    assert result.total == item9
    assert result.band.key == "minimal"
    assert result.flags["item9_positive"] is positive
    assert result.flags["item9_value"] == item9


def test_difficulty_item_is_recorded_but_not_scored() -> None:
    base = dict.fromkeys(PHQ9, 1)
    without = score("phq9", base)
    for code, weight in (("LA6572-7", 0), ("LA6573-5", 1), ("LA6575-0", 2), ("LA6574-3", 3)):
        with_difficulty = score("phq9", base | {"69722-7": code})
        assert with_difficulty.total == without.total == 9
        assert with_difficulty.answered["69722-7"] == weight
    # It is optional: leaving it out or blank is fine.
    assert score("phq9", base | {"69722-7": None}).total == 9
    # Its own answer list: a frequency code is not a valid difficulty answer.
    with pytest.raises(ScoringError, match="69722-7"):
        score("phq9", base | {"69722-7": "LA6571-9"})


def test_unknown_item_is_named() -> None:
    with pytest.raises(ScoringError, match="'q99' is not an item of phq9") as err:
        score("phq9", dict.fromkeys(PHQ9, 0) | {"q99": 1})
    assert err.value.link_id == "q99"


@pytest.mark.parametrize("bad", [4, -1, "4", "LA9999-9", 1.5, "nearly", True, None, float("nan")])
def test_out_of_range_answer_is_named_without_echoing_the_value(bad: object) -> None:
    answers: dict[str, object] = dict.fromkeys(PHQ9, 0)
    answers["44260-8"] = bad
    with pytest.raises(ScoringError) as err:
        score("phq9", answers)
    assert "44260-8" in str(err.value)
    assert err.value.link_id == "44260-8"
    assert isinstance(err.value, ValueError)
    if isinstance(bad, str) and bad not in ("4",):
        assert bad not in str(err.value)


def test_missing_required_items_are_named() -> None:
    answers = dict.fromkeys(PHQ9[:7], 0)
    with pytest.raises(ScoringError, match=r"missing answer\(s\) for required item\(s\): 44253-3, 44260-8"):
        score("phq9", answers)


def test_phq2_items_outside_the_phq2_are_unknown() -> None:
    with pytest.raises(ScoringError, match="'44259-0' is not an item of phq2"):
        score("phq2", {"44250-9": 0, "44255-8": 0, "44259-0": 0})


def test_unknown_instrument() -> None:
    with pytest.raises(InstrumentError, match="unknown instrument 'bdi'"):
        score("bdi", {})


def test_builtins_are_listed_and_no_django_is_imported() -> None:
    assert {i.id for i in list_instruments()} >= {"phq9", "phq2", "gad7"}
    assert get_instrument("phq9").builtin
    import nearer.measures.change as change
    import nearer.measures.definitions as definitions
    import nearer.measures.fhir as fhir
    import nearer.measures.scoring as scoring

    for mod in (change, definitions, fhir, scoring):
        source = Path(mod.__file__ or "").read_text(encoding="utf-8")
        assert "import django" not in source and "from django" not in source


def test_measures_core_imports_without_django(tmp_path: Path) -> None:
    import subprocess

    code = (
        "import sys, nearer.measures as m, nearer.measures.fhir\n"
        f"m.score('phq9', dict.fromkeys({PHQ9!r}, 0))\n"
        "assert not [k for k in sys.modules if k == 'django' or k.startswith('django.')], 'django imported'\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=str(EXAMPLE.parents[2]))
    assert proc.returncode == 0, proc.stderr


# --- the made-up clinic instrument: reverse keys, subscales, mean scoring ---------------------------


@pytest.fixture
def example():
    inst = register_instrument(load_definition(EXAMPLE.read_text(encoding="utf-8")))
    yield inst
    unregister_instrument(inst.id)


def test_example_reverse_keys_and_subscales(example) -> None:
    # q2 and q5 are reversed with min+max = 1+5 = 6.
    answers = {"q1": "sa", "q2": "d", "q3": 4, "q4": "3", "q5": 5, "q6": "a"}
    result = score(example.id, answers)
    # items after reversal: 5, 4, 4, 3, 1, 4
    assert result.total == pytest.approx(21 / 6, abs=1e-12)  # 3.5: edge, belongs to the upper band
    assert result.band == ("high", "High")
    assert result.subscales["warmth"] == pytest.approx(13 / 3, abs=1e-12)
    assert result.subscales["openness"] == pytest.approx(8 / 3, abs=1e-12)
    assert result.answered == {"q1": 5, "q2": 2, "q3": 4, "q4": 3, "q5": 5, "q6": 4}
    # higher is better: 3.5 is above the cutoff 3.375, so not in the clinical range
    assert result.in_clinical_range is False


@pytest.mark.parametrize(
    ("value", "key"),
    [(1, "low"), (2, "middle"), (3, "middle"), (4, "middle"), (5, "high")],
)
def test_example_bands_with_all_items_equal(example, value: int, key: str) -> None:
    # With every answer v, reversed items give 6 - v, so the mean is (4v + 2(6 - v)) / 6.
    result = score(example.id, dict.fromkeys(["q1", "q2", "q3", "q4", "q5", "q6"], value))
    expected = (4 * value + 2 * (6 - value)) / 6
    assert result.total == pytest.approx(expected, abs=1e-12)
    assert result.band.key == key


def test_example_extremes(example) -> None:
    best = {"q1": 5, "q2": 1, "q3": 5, "q4": 5, "q5": 1, "q6": 5}
    worst = {"q1": 1, "q2": 5, "q3": 1, "q4": 1, "q5": 5, "q6": 1}
    assert score(example.id, best).total == 5
    assert score(example.id, worst).total == 1
    assert score(example.id, worst).band.key == "low"
    assert score(example.id, best).subscales == {"warmth": 5, "openness": 5}


def test_example_out_of_range_named(example) -> None:
    with pytest.raises(ScoringError, match="'q3' is out of range"):
        score(example.id, {"q1": 1, "q2": 1, "q3": 0, "q4": 1, "q5": 1, "q6": 1})


def test_registry_rules(example) -> None:
    with pytest.raises(InstrumentError, match="already registered"):
        register_instrument(EXAMPLE.read_text(encoding="utf-8"))
    replaced = register_instrument(EXAMPLE.read_text(encoding="utf-8"), replace=True)
    assert replaced.id == example.id
    doc = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    doc["questionnaire"]["id"] = "phq9"
    doc["questionnaire"]["url"] = "https://clinic.example.org/other"
    with pytest.raises(InstrumentError, match="built-in"):
        register_instrument(doc, replace=True)
    with pytest.raises(InstrumentError, match="built-in"):
        unregister_instrument("phq9")

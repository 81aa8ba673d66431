"""Clinic-supplied definitions: the example loads, broken ones are named precisely."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from nearer.measures import InstrumentError, get_instrument, load_definition

EXAMPLE = Path(__file__).resolve().parents[3] / "docs" / "examples" / "clinic-instrument-example.json"
ORD = "http://hl7.org/fhir/StructureDefinition/ordinalValue"


def example() -> dict[str, Any]:
    return json.loads(EXAMPLE.read_text(encoding="utf-8"))


def test_example_loads() -> None:
    inst = load_definition(example())
    assert inst.id == "evenings-together-example"
    assert inst.method == "mean"
    assert inst.reverse_keyed == frozenset({"q2", "q5"})
    assert inst.subscales == {"warmth": ("q1", "q2", "q3"), "openness": ("q4", "q5", "q6")}
    assert inst.score_range == (1.0, 5.0)
    assert inst.higher_is_better is True
    assert inst.cutoff is not None and inst.cutoff.value == pytest.approx(3.375, abs=1e-12)
    assert inst.change is not None and (inst.change.sd, inst.change.r) == (0.7, 0.8)
    assert not inst.builtin
    # The display item is not an answerable item.
    assert "intro" not in inst.items
    # Loading from a JSON string gives the same result.
    assert load_definition(EXAMPLE.read_text(encoding="utf-8")) == inst


def test_example_ships_no_copyrighted_text() -> None:
    text = EXAMPLE.read_text(encoding="utf-8").lower()
    assert "made-up" in text
    for phrase in ("little interest", "feeling down", "nervous, anxious"):
        assert phrase not in text


def test_builtin_definitions_carry_copyright_and_loinc_notice() -> None:
    for iid in ("phq9", "phq2", "gad7"):
        q = get_instrument(iid).questionnaire
        assert "Pfizer" in q["copyright"]
        assert "No permission required to reproduce, translate, display or distribute" in q["copyright"]
        assert "loinc.org/license" in q["copyright"]
        assert "Regenstrief" in q["copyright"]


def _mutate(fn: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    doc = copy.deepcopy(example())
    fn(doc)
    return doc


def _items(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return doc["questionnaire"]["item"]


BROKEN: list[tuple[str, Callable[[dict[str, Any]], None], str]] = [
    ("subscale names unknown item",
     lambda d: d["scoring"]["subscales"].__setitem__("avoidance", ["q1", "q99"]),
     "subscale 'avoidance' names linkId 'q99', which is not an item"),
    ("reverse key unknown",
     lambda d: d["scoring"].__setitem__("reverse_keyed", ["q2", "q7"]),
     "scoring.reverse_keyed names linkId 'q7', which is not an item"),
    ("scored item list unknown",
     lambda d: d["scoring"]["items"].append("q8"),
     "scoring.items names linkId 'q8', which is not an item"),
    ("missing weight",
     lambda d: _items(d)[3]["answerOption"][2].pop("extension"),
     "scored item 'q3' has answer option(s) without a weight (ordinalValue extension): n"),
    ("band gap",
     lambda d: d["scoring"]["bands"][1].__setitem__("min", 2.7),
     "there is a gap between band 'low' (ends 2.5) and band 'middle' (starts 2.7)"),
    ("band overlap",
     lambda d: d["scoring"]["bands"][1].__setitem__("min", 2.0),
     "band 'low' and band 'middle' overlap"),
    ("bands short of the top",
     lambda d: d["scoring"]["bands"][2].__setitem__("max", 4.5),
     "the bands end at 4.5 but the highest possible score is 5"),
    ("bands start too high",
     lambda d: d["scoring"]["bands"][0].__setitem__("min", 0),
     "the bands start at 0 but the lowest possible score is 1"),
    ("band inverted",
     lambda d: d["scoring"]["bands"][2].update({"min": 5, "max": 3.5}),
     "band 'high' has min 5 above max 3.5"),
    ("sd zero",
     lambda d: d["scoring"]["reliable_change"].__setitem__("sd", 0),
     "reliable_change.sd must be greater than 0"),
    ("r one",
     lambda d: d["scoring"]["reliable_change"].__setitem__("r", 1),
     "reliable_change.r must be between 0 and 1"),
    ("r without source",
     lambda d: d["scoring"]["reliable_change"].__setitem__("r_source", " "),
     "reliable_change.r needs a source"),
    ("sd without source",
     lambda d: d["scoring"]["reliable_change"].pop("sd_source"),
     "reliable_change.sd needs a source"),
    ("cutoff outside range",
     lambda d: d["scoring"].__setitem__("clinical_cutoff", {"value": 9, "source": "x"}),
     "clinical_cutoff 9 lies outside the score range 1–5"),
    ("cutoff without source",
     lambda d: d["scoring"]["clinical_cutoff"].pop("source"),
     "clinical_cutoff needs a source"),
    ("bad method",
     lambda d: d["scoring"].__setitem__("method", "median"),
     "scoring.method must be 'sum' or 'mean', not 'median'"),
    ("higher_is_better not bool",
     lambda d: d["scoring"].__setitem__("higher_is_better", "yes"),
     "scoring.higher_is_better must be true or false"),
    ("unknown scoring key",
     lambda d: d["scoring"].__setitem__("weighting", {}),
     "unknown key(s) in scoring: weighting"),
    ("duplicate linkId",
     lambda d: _items(d)[2].__setitem__("linkId", "q1"),
     "linkId 'q1' is used more than once"),
    ("not a questionnaire",
     lambda d: d["questionnaire"].__setitem__("resourceType", "Observation"),
     "'questionnaire' must have resourceType 'Questionnaire'"),
    ("invalid FHIR",
     lambda d: d["questionnaire"].__setitem__("date", "last tuesday"),
     "the questionnaire is not a valid FHIR R4 Questionnaire: date"),
    ("bad status",
     lambda d: d["questionnaire"].__setitem__("status", "published"),
     "questionnaire.status must be draft, active, retired or unknown"),
    ("bad item type",
     lambda d: _items(d)[2].__setitem__("type", "slider"),
     "item 'q2' has an unknown type 'slider'"),
    ("missing status (FHIR required)",
     lambda d: d["questionnaire"].pop("status"),
     "the questionnaire is not a valid FHIR R4 Questionnaire: status"),
    ("bad id",
     lambda d: d["questionnaire"].__setitem__("id", "Evenings-Together"),
     "questionnaire.id must be a short lowercase id"),
    ("missing url",
     lambda d: d["questionnaire"].pop("url"),
     "questionnaire.url (its canonical URL) is required"),
    ("missing scoring",
     lambda d: d.pop("scoring"),
     "missing 'scoring'"),
    ("extra top-level key",
     lambda d: d.__setitem__("x-nearer-scoring", {}),
     "unexpected top-level key(s): x-nearer-scoring"),
    ("reverse-keyed item not scored",
     lambda d: d["scoring"].update({"items": ["q1", "q3", "q4", "q6"], "subscales": {}}),
     "reverse-keyed item 'q2' is not one of the scored items"),
    ("flag on unknown item",
     lambda d: d["scoring"].__setitem__("flags", [{"name": "alone", "kind": "item", "linkId": "q42", "at_least": 4}]),
     "flag 'alone' names linkId 'q42', which is not an item"),
    ("response with higher is better",
     lambda d: d["scoring"].__setitem__("response", {"min_relative_drop": 0.5}),
     "scoring.response (a relative drop) only applies when higher_is_better is false"),
    ("duplicate answer code",
     lambda d: _items(d)[1]["answerOption"][1]["valueCoding"].__setitem__("code", "sd"),
     "item 'q1' lists the same answer code twice"),
]


@pytest.mark.parametrize(("case", "mutate", "message"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_definitions_are_named(case: str, mutate: Callable[[dict[str, Any]], None], message: str) -> None:
    with pytest.raises(InstrumentError) as err:
        load_definition(_mutate(mutate))
    assert message in str(err.value), f"{case}: {err.value}"


def test_not_json() -> None:
    with pytest.raises(InstrumentError, match="not valid JSON"):
        load_definition("{ not json")


def test_cutoff_from_populations_or_value() -> None:
    doc = _mutate(lambda d: d["scoring"].__setitem__("clinical_cutoff", {"value": 3, "source": "clinic audit 2024"}))
    inst = load_definition(doc)
    assert inst.cutoff is not None and inst.cutoff.value == 3.0
    assert inst.cutoff.source == "clinic audit 2024"


def test_integer_sum_bands_need_consecutive_integers() -> None:
    def to_sum(d: dict[str, Any]) -> None:
        d["scoring"]["method"] = "sum"
        d["scoring"]["bands"] = [
            {"key": "low", "label": "Low", "min": 6, "max": 14},
            {"key": "middle", "label": "Middle", "min": 15, "max": 21},
            {"key": "high", "label": "High", "min": 22, "max": 30},
        ]
        d["scoring"]["clinical_cutoff"] = {"value": 20.5, "source": "made up"}
    inst = load_definition(_mutate(to_sum))
    assert inst.integer_scores
    assert inst.score_range == (6.0, 30.0)

    def gap(d: dict[str, Any]) -> None:
        to_sum(d)
        d["scoring"]["bands"][1]["min"] = 16
    with pytest.raises(InstrumentError, match="gap between band 'low' \\(ends 14\\) and band 'middle' \\(starts 16\\)"):
        load_definition(_mutate(gap))

    def overlap(d: dict[str, Any]) -> None:
        to_sum(d)
        d["scoring"]["bands"][1]["min"] = 14
    with pytest.raises(InstrumentError, match="band 'low' and band 'middle' overlap"):
        load_definition(_mutate(overlap))


def test_item_weight_r5_extension_and_weight_on_coding_are_read() -> None:
    def move(d: dict[str, Any]) -> None:
        for item in _items(d)[1:]:
            for opt in item["answerOption"]:
                ext = opt.pop("extension")
                opt["valueCoding"]["extension"] = [{"url": ORD, "valueDecimal": ext[0]["valueDecimal"]}]
        for opt in _items(d)[1]["answerOption"]:
            opt["valueCoding"]["extension"][0]["url"] = "http://hl7.org/fhir/StructureDefinition/itemWeight"
    inst = load_definition(_mutate(move))
    assert inst.items["q1"].weights == (1.0, 2.0, 3.0, 4.0, 5.0)
    assert inst.items["q2"].weights == (1.0, 2.0, 3.0, 4.0, 5.0)


def test_translation_extension_is_read() -> None:
    def add(d: dict[str, Any]) -> None:
        _items(d)[1]["_text"] = {"extension": [{
            "url": "http://hl7.org/fhir/StructureDefinition/translation",
            "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "Texto de ejemplo."}],
        }]}
    inst = load_definition(_mutate(add))
    assert inst.items["q1"].translations == {"es": "Texto de ejemplo."}

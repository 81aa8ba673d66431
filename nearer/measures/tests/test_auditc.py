"""AUDIT-C: LOINC codes (panel 72109-2, total 75626-2, items 68518-0/68519-8/68520-6 with answer
lists LL2179-1, LL2180-9, LL2181-7), checked against the US Core AUDIT-C example (HL7) and several
independent implementations that agree; scoring and bands."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from nearer.measures.definitions import get_instrument
from nearer.measures.scoring import ScoringError, score

Q1 = [("LA6270-8", 0), ("LA18926-8", 1), ("LA18927-6", 2), ("LA18928-4", 3), ("LA18929-2", 4)]
Q2 = [("LA15694-5", 0), ("LA15695-2", 1), ("LA18930-0", 2), ("LA18931-8", 3), ("LA18932-6", 4)]
Q3 = [("LA6270-8", 0), ("LA18933-4", 1), ("LA18876-5", 2), ("LA18891-4", 3), ("LA18934-2", 4)]


def test_loinc_codes_and_weights() -> None:
    doc = json.loads((resources.files("nearer.measures") / "instruments" / "auditc.json").read_text(encoding="utf-8"))
    q = doc["questionnaire"]
    assert q["code"][0]["code"] == "72109-2"
    assert doc["scoring"]["total_code"]["code"] == "75626-2"
    got = {}
    for item in q["item"]:
        got[item["linkId"]] = [(o["valueCoding"]["code"], o["extension"][0]["valueDecimal"]) for o in item["answerOption"]]
        assert item["code"][0]["code"] == item["linkId"]
    assert got == {"68518-0": Q1, "68519-8": Q2, "68520-6": Q3}
    assert "public domain" in q["copyright"] and "loinc.org/license" in q["copyright"]


@pytest.mark.parametrize(("answers", "total", "band"), [
    ({"68518-0": 0, "68519-8": 0, "68520-6": 0}, 0, "below_cutoff"),
    ({"68518-0": "LA18927-6", "68519-8": "LA15695-2", "68520-6": "LA6270-8"}, 3, "positive_women"),
    ({"68518-0": 4, "68519-8": 4, "68520-6": 4}, 12, "positive_all"),
])
def test_scoring_and_bands(answers: dict, total: int, band: str) -> None:
    result = score("auditc", answers)
    assert result.total == total and result.band.key == band


def test_missing_item_named() -> None:
    with pytest.raises(ScoringError) as exc:
        score("auditc", {"68518-0": 1, "68519-8": 1})
    assert exc.value.link_id == "68520-6"


def test_no_reliable_change_without_checked_reliability() -> None:
    inst = get_instrument("auditc")
    assert inst.change is None and inst.builtin and inst.score_range == (0.0, 12.0)


def test_only_item_flags_can_be_critical() -> None:
    from nearer.measures.definitions import InstrumentError, load_definition

    doc = json.loads((resources.files("nearer.measures") / "instruments" / "phq9.json").read_text(encoding="utf-8"))
    doc["questionnaire"]["id"] = "phq9-copy"
    doc["scoring"]["flags"] = [{"name": "high", "kind": "total", "at_least": 20, "critical": True}]
    with pytest.raises(InstrumentError, match="only an item flag can be critical"):
        load_definition(doc)
    doc["scoring"]["flags"] = [{"name": "item9", "kind": "item", "linkId": "44260-8", "at_least": 1, "critical": "yes"}]
    with pytest.raises(InstrumentError, match="critical must be true or false"):
        load_definition(doc)

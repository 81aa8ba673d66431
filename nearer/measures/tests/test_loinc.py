"""Every LOINC code in the shipped instruments, checked against a table typed from
shared/reference/clinical-facts.md (wrong PHQ/GAD codes circulate in public code).

The PHQ-9 difficulty answers (answer list LL359-1) are not in the facts file; they
were checked against the MII PRO ValueSet for LL359-1 expanded from tx.fhir.org
(LOINC 2.81/2.82): Very difficult is LA6575-0 and Extremely difficult is LA6574-3.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import pytest

LOINC = "http://loinc.org"
ORD = "http://hl7.org/fhir/StructureDefinition/ordinalValue"

FREQUENCY = [("LA6568-5", "Not at all", 0), ("LA6569-3", "Several days", 1),
             ("LA6570-1", "More than half the days", 2), ("LA6571-9", "Nearly every day", 3)]
DIFFICULTY = [("LA6572-7", "Not difficult at all"), ("LA6573-5", "Somewhat difficult"),
              ("LA6575-0", "Very difficult"), ("LA6574-3", "Extremely difficult")]

FACTS: dict[str, dict[str, Any]] = {
    "phq9": {
        "panel": "44249-1",
        "items": ["44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2", "44252-5", "44253-3",
                  "44260-8"],
        "unscored": ["69722-7"],
        "total": "44261-6",
    },
    "phq2": {"panel": "55757-9", "items": ["44250-9", "44255-8"], "unscored": [], "total": "55758-7"},
    "gad7": {
        "panel": "69737-5",
        "items": ["69725-0", "68509-9", "69733-4", "69734-2", "69735-9", "69689-8", "69736-7"],
        "unscored": [],
        "total": "70274-6",
    },
}


def load(iid: str) -> dict[str, Any]:
    text = (resources.files("nearer.measures") / "instruments" / f"{iid}.json").read_text(encoding="utf-8")
    return json.loads(text)


def all_loinc_codes(node: Any) -> set[str]:
    """Every code whose coding says system http://loinc.org, anywhere in the document."""
    found: set[str] = set()
    if isinstance(node, dict):
        if node.get("system") == LOINC and "code" in node:
            found.add(node["code"])
        for value in node.values():
            found |= all_loinc_codes(value)
    elif isinstance(node, list):
        for value in node:
            found |= all_loinc_codes(value)
    return found


@pytest.mark.parametrize("iid", sorted(FACTS))
def test_panel_items_and_total_codes(iid: str) -> None:
    doc = load(iid)
    q, s = doc["questionnaire"], doc["scoring"]
    facts = FACTS[iid]
    assert [c["code"] for c in q["code"]] == [facts["panel"]]
    assert q["code"][0]["system"] == LOINC
    questions = [it for it in q["item"] if it["type"] == "choice"]
    assert [it["linkId"] for it in questions] == facts["items"] + facts["unscored"]
    for it in questions:
        assert it["code"] == [{"system": LOINC, "code": it["linkId"], "display": it["text"]}]
    assert s["items"] == facts["items"]
    assert s["total_code"]["system"] == LOINC
    assert s["total_code"]["code"] == facts["total"]


@pytest.mark.parametrize("iid", sorted(FACTS))
def test_answer_codes_and_weights(iid: str) -> None:
    q = load(iid)["questionnaire"]
    for it in q["item"]:
        if it["type"] != "choice":
            continue
        got = [(o["valueCoding"]["system"], o["valueCoding"]["code"], o["valueCoding"]["display"],
                o["extension"][0]["url"], o["extension"][0]["valueDecimal"]) for o in it["answerOption"]]
        if it["linkId"] == "69722-7":
            expected = [(LOINC, c, d, ORD, w) for w, (c, d) in enumerate(DIFFICULTY)]
        else:
            expected = [(LOINC, c, d, ORD, w) for c, d, w in FREQUENCY]
        assert got == expected, it["linkId"]


@pytest.mark.parametrize("iid", sorted(FACTS))
def test_no_stray_loinc_codes(iid: str) -> None:
    facts = FACTS[iid]
    allowed = {facts["panel"], facts["total"], *facts["items"], *facts["unscored"], *(c for c, _, _ in FREQUENCY)}
    if iid == "phq9":
        allowed |= {c for c, _ in DIFFICULTY}
    assert all_loinc_codes(load(iid)) == allowed


def test_item9_is_flagged_and_observed() -> None:
    s = load("phq9")["scoring"]
    assert s["flags"] == [{"name": "item9", "kind": "item", "linkId": "44260-8", "at_least": 1, "critical": True}]
    assert s["observed_items"] == ["44260-8"]
    assert "44260-8" not in {it["linkId"] for it in load("phq2")["questionnaire"]["item"]}

"""FHIR R4 export/import, validated with fhir.resources' R4B models both ways."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from nearer.measures import load_definition, register_instrument, score, unregister_instrument
from nearer.measures.fhir import Administration, FhirError, build_bundle, parse_responses

PHQ9 = ["44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2", "44252-5", "44253-3", "44260-8"]
GAD7 = ["69725-0", "68509-9", "69733-4", "69734-2", "69735-9", "69689-8", "69736-7"]
EXAMPLE = Path(__file__).resolve().parents[3] / "docs" / "examples" / "clinic-instrument-example.json"
CHICAGO = timezone(timedelta(hours=-6))


def administrations() -> list[Administration]:
    phq9 = dict(zip(PHQ9, [2, 3, 1, 2, 0, 1, 2, 1, 1], strict=True)) | {"69722-7": 2}  # total 13
    gad7 = dict(zip(GAD7, [1, 1, 2, 0, 0, 1, 3], strict=True))  # total 8
    return [
        Administration("phq9", datetime(2025, 3, 4, 20, 15, tzinfo=CHICAGO), phq9, "adm-1"),
        Administration("gad7", datetime(2025, 3, 4, 20, 18, tzinfo=CHICAGO), gad7, "adm-2"),
        Administration("phq2", datetime(2025, 3, 11, 8, 0, tzinfo=UTC), {"44250-9": 1, "44255-8": 2}, "adm-3"),
    ]


def resources_of(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def test_bundle_is_valid_r4_and_has_expected_shape() -> None:
    bundle = build_bundle("Patient/example-1", administrations())
    Bundle.model_validate(bundle)
    assert bundle["type"] == "collection"
    for entry in bundle["entry"]:
        assert entry["fullUrl"] == f"urn:uuid:{entry['resource']['id']}"
    qrs = resources_of(bundle, "QuestionnaireResponse")
    assert [qr["questionnaire"] for qr in qrs] == [
        "urn:nearer:questionnaire:phq9|1.0.0",
        "urn:nearer:questionnaire:gad7|1.0.0",
        "urn:nearer:questionnaire:phq2|1.0.0",
    ]
    assert qrs[0]["authored"] == "2025-03-04T20:15:00-06:00"
    assert all(qr["status"] == "completed" and qr["subject"] == {"reference": "Patient/example-1"} for qr in qrs)
    first = {it["linkId"]: it["answer"][0]["valueCoding"] for it in qrs[0]["item"]}
    assert first["44255-8"] == {"system": "http://loinc.org", "code": "LA6571-9", "display": "Nearly every day"}
    assert first["69722-7"] == {"system": "http://loinc.org", "code": "LA6575-0", "display": "Very difficult"}

    obs = resources_of(bundle, "Observation")
    by_code = {o["code"]["coding"][0]["code"]: o for o in obs}
    assert set(by_code) == {"44261-6", "44260-8", "70274-6", "55758-7"}
    assert by_code["44261-6"]["valueInteger"] == 13
    assert by_code["70274-6"]["valueInteger"] == 8
    assert by_code["55758-7"]["valueInteger"] == 3
    assert by_code["44260-8"]["valueCodeableConcept"]["coding"][0]["code"] == "LA6569-3"
    # every Observation points at the QuestionnaireResponse of the same administration
    qr_url = {qr["id"]: f"urn:uuid:{qr['id']}" for qr in qrs}
    assert by_code["44261-6"]["derivedFrom"] == [{"reference": qr_url[qrs[0]["id"]]}]
    assert by_code["44260-8"]["derivedFrom"] == [{"reference": qr_url[qrs[0]["id"]]}]
    assert by_code["70274-6"]["derivedFrom"] == [{"reference": qr_url[qrs[1]["id"]]}]
    assert by_code["55758-7"]["derivedFrom"] == [{"reference": qr_url[qrs[2]["id"]]}]
    assert by_code["44261-6"]["effectiveDateTime"] == "2025-03-04T20:15:00-06:00"


def test_build_is_deterministic() -> None:
    assert build_bundle("Patient/1", administrations()) == build_bundle("Patient/1", administrations())


def test_round_trip_same_answers_and_scores() -> None:
    original = administrations()
    bundle = build_bundle("Patient/example-1", original)
    # through JSON text and the R4B model and back
    text = Bundle.model_validate(bundle).model_dump_json()
    parsed = parse_responses(text)
    assert [(a.instrument_id, a.id, a.authored, dict(a.answers)) for a in parsed] == [
        (a.instrument_id, a.id, a.authored, dict(a.answers)) for a in original
    ]
    for before, after in zip(original, parsed, strict=True):
        assert score(before.instrument_id, before.answers) == score(after.instrument_id, after.answers)
    assert score("phq9", parsed[0].answers).total == 13


def test_single_questionnaire_response_and_loinc_canonical() -> None:
    bundle = build_bundle("Patient/1", administrations()[:1])
    qr = copy.deepcopy(resources_of(bundle, "QuestionnaireResponse")[0])
    QuestionnaireResponse.model_validate(qr)
    qr["questionnaire"] = "http://loinc.org/q/44249-1"
    del qr["identifier"]
    [adm] = parse_responses(qr)
    assert adm.instrument_id == "phq9"
    assert adm.id == qr["id"]
    assert adm.answers["44255-8"] == 3


def test_builtin_questionnaires_validate_as_r4() -> None:
    from importlib import resources

    for iid in ("phq9", "phq2", "gad7"):
        doc = json.loads((resources.files("nearer.measures") / "instruments" / f"{iid}.json").read_text("utf-8"))
        Questionnaire.model_validate(doc["questionnaire"])


def _qr() -> dict[str, Any]:
    bundle = build_bundle("Patient/1", administrations()[:1])
    return copy.deepcopy(resources_of(bundle, "QuestionnaireResponse")[0])


def test_rejects_unknown_questionnaire() -> None:
    qr = _qr()
    qr["questionnaire"] = "https://elsewhere.example/Questionnaire/bdi-ii"
    with pytest.raises(FhirError, match="response 1: the questionnaire this response answers is not a known"):
        parse_responses(qr)


def test_rejects_unknown_item() -> None:
    qr = _qr()
    qr["item"].append({"linkId": "q99", "answer": [{"valueCoding": {"code": "LA6568-5"}}]})
    with pytest.raises(FhirError, match="response 1: 'q99' is not an item of phq9"):
        parse_responses(qr)


def test_rejects_unknown_answer_code_without_echoing_it() -> None:
    qr = _qr()
    qr["item"][8]["answer"][0]["valueCoding"]["code"] = "LA0000-0"
    with pytest.raises(FhirError, match="the answer for item '44260-8' is not one of its answer codes") as err:
        parse_responses(qr)
    assert "LA0000-0" not in str(err.value)


def test_rejects_missing_item_and_bad_times() -> None:
    qr = _qr()
    qr["item"] = [it for it in qr["item"] if it["linkId"] != "44253-3"]
    with pytest.raises(FhirError, match="44253-3"):
        parse_responses(qr)
    qr = _qr()
    qr["authored"] = "2025-03-04"
    with pytest.raises(FhirError, match="without a time zone"):
        parse_responses(qr)
    qr = _qr()
    qr["status"] = "in-progress"
    with pytest.raises(FhirError, match="not completed"):
        parse_responses(qr)


def test_rejects_invalid_fhir_and_other_resources() -> None:
    qr = _qr()
    qr["authored"] = "not a date"
    with pytest.raises(FhirError, match="not a valid FHIR R4 QuestionnaireResponse"):
        parse_responses(qr)
    with pytest.raises(FhirError, match="expected a Bundle or a QuestionnaireResponse"):
        parse_responses({"resourceType": "Patient"})
    with pytest.raises(FhirError, match="not valid JSON"):
        parse_responses("{")


def test_build_rejects_naive_datetimes_and_bad_answers() -> None:
    adm = administrations()[0]
    naive = Administration(adm.instrument_id, adm.authored.replace(tzinfo=None), adm.answers, adm.id)
    with pytest.raises(FhirError, match="timezone-aware"):
        build_bundle("Patient/1", [naive])
    bad = Administration("phq9", adm.authored, {**adm.answers, "44260-8": 7}, "adm-x")
    with pytest.raises(FhirError, match="administration 'adm-x'.*44260-8"):
        build_bundle("Patient/1", [bad])


def test_clinic_instrument_round_trip_with_mean_score() -> None:
    inst = register_instrument(load_definition(EXAMPLE.read_text(encoding="utf-8")))
    try:
        answers = {"q1": 5, "q2": 2, "q3": 4, "q4": 3, "q5": 5, "q6": 4}
        adm = Administration(inst.id, datetime(2025, 1, 2, 21, 0, tzinfo=UTC), answers, "c-1")
        bundle = build_bundle("Patient/1", [adm])
        Bundle.model_validate(bundle)
        [obs] = resources_of(bundle, "Observation")
        assert "coding" not in obs["code"]
        assert obs["valueQuantity"]["value"] == pytest.approx(3.5, abs=1e-9)
        assert obs["valueQuantity"]["code"] == "{score}"
        [back] = parse_responses(bundle)
        assert dict(back.answers) == answers
        assert score(inst.id, back.answers).total == pytest.approx(3.5, abs=1e-12)
    finally:
        unregister_instrument(inst.id)

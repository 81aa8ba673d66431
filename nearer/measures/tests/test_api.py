"""The measures API: 422 naming the linkId, idempotency, schedules CRUD, FHIR export and import."""

from __future__ import annotations

import json

from django.test import Client

from nearer.measures.models import Administration, Schedule
from nearer.privacy.models import AccessLog

from .test_services import phq9


def api(world, persona: str):
    client = Client()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {world.tokens[persona]}"}

    def call(method: str, path: str, body=None):
        data = json.dumps(body) if body is not None else ""
        return client.generic(method, "/api/measures" + path, data=data, content_type="application/json", **headers)

    return call


def test_instruments_and_questionnaire(world):
    call = api(world, "owner")
    ids = [i["id"] for i in call("GET", "/instruments").json()]
    assert ids == ["auditc", "gad7", "phq2", "phq9"]
    q = call("GET", "/instruments/phq9").json()
    assert q["questionnaire"]["resourceType"] == "Questionnaire" and q["bands"][0] == {
        "key": "minimal", "label": "Minimal", "min": 0, "max": 4}
    assert call("GET", "/instruments/unknown").status_code == 404


def test_submit_names_the_bad_link_id(world):
    call = api(world, "owner")
    r = call("POST", "/administrations", {"instrument_id": "phq9", "answers": {**phq9(5), "44251-7": "LA0000-0"}})
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "answers.44251-7"
    r = call("POST", "/administrations", {"instrument_id": "phq9", "answers": {"nope": 1}})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "answers.nope"
    r = call("POST", "/administrations", {"answers": {}})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "instrument_id"


def test_submit_is_idempotent_and_reports_crisis_help(world):
    call = api(world, "owner")
    body = {"instrument_id": "phq9", "answers": phq9(8, item9=1), "idempotency_key": "x-1"}
    first = call("POST", "/administrations", body)
    again = call("POST", "/administrations", body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"] and Administration.objects.count() == 1
    assert first.json()["show_crisis_help"] is True and first.json()["flags"]["item9_value"] == 1
    from nearer.safety.models import RiskEvent

    assert RiskEvent.objects.filter(person=world.owner).count() == 1  # the retry raised nothing more


def test_results_and_client_results(world):
    api(world, "owner")("POST", "/administrations", {"instrument_id": "phq9", "answers": phq9(12)})
    own = api(world, "owner")("GET", "/administrations").json()
    assert [r["total"] for r in own] == [12.0] and own[0]["answers"] is not None
    before = AccessLog.objects.count()
    rows = api(world, "therapist")("GET", f"/people/{world.owner.pk}/administrations").json()
    assert rows[0]["flags"]["item9_value"] == 0
    assert AccessLog.objects.count() == before + 1
    assert api(world, "partner")("GET", f"/people/{world.owner.pk}/administrations").status_code == 404
    assert api(world, "other_therapist")("GET", f"/people/{world.owner.pk}/administrations").status_code == 404


def test_schedules_crud_for_self_and_by_therapist(world):
    me, therapist = api(world, "owner"), api(world, "therapist")
    r = me("POST", "/schedules", {"instrument_id": "gad7", "cadence_days": 14})
    assert r.status_code == 201 and r.json()["window_days"] == 4
    sid = r.json()["id"]
    r = me("POST", "/schedules", {"instrument_id": "gad7", "cadence_days": 7, "window_days": 10})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "window_days"
    r = therapist("PUT", f"/schedules/{sid}", {"cadence_days": 7, "window_days": 2})
    assert r.status_code == 200 and r.json()["set_by_role"] == "therapist"
    r = therapist("POST", "/schedules", {"instrument_id": "phq9", "cadence_days": 14, "person_id": world.owner.pk})
    assert r.status_code == 201 and r.json()["person_id"] == world.owner.pk
    assert api(world, "partner")("POST", "/schedules", {"instrument_id": "phq9", "cadence_days": 14,
                                                        "person_id": world.owner.pk}).status_code == 404
    listed = therapist("GET", f"/schedules?person_id={world.owner.pk}").json()
    assert sorted(s["instrument_id"] for s in listed) == ["gad7", "phq9"]
    assert me("DELETE", f"/schedules/{sid}").status_code == 204
    assert list(Schedule.objects.filter(active=True).values_list("instrument_id", flat=True)) == ["phq9"]


def test_fhir_export_and_import_over_the_api(world):
    from fhir.resources.R4B.bundle import Bundle

    api(world, "owner")("POST", "/administrations", {"instrument_id": "gad7", "answers": {
        "69725-0": 1, "68509-9": 2, "69733-4": 0, "69734-2": 1, "69735-9": 0, "69689-8": 3, "69736-7": 1}})
    bundle = api(world, "owner")("GET", "/fhir/export").json()
    Bundle.model_validate(bundle)
    obs = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Observation"]
    assert obs[0]["code"]["coding"][0]["code"] == "70274-6" and obs[0]["valueInteger"] == 8
    r = api(world, "unlinked")("POST", "/fhir/import", bundle)
    assert r.status_code == 201 and r.json()["imported"] == 1
    assert Administration.objects.get(person=world.unlinked).total == 8
    bundle["entry"][0]["resource"]["identifier"]["value"] = "other"
    bundle["entry"][0]["resource"]["item"][0]["linkId"] = "12345-6"
    r = api(world, "unlinked")("POST", "/fhir/import", bundle)
    assert r.status_code == 422 and "12345-6" in r.json()["errors"][0]["message"]

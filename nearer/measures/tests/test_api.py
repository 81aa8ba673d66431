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
    assert (r.json()["status"], r.json()["active"]) == ("accepted", True)
    sid = r.json()["id"]
    r = me("POST", "/schedules", {"instrument_id": "gad7", "cadence_days": 7, "window_days": 10})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "window_days"
    # A therapist's change is a proposal (202): the client's 14-day schedule stays in force.
    r = therapist("PUT", f"/schedules/{sid}", {"cadence_days": 7, "window_days": 2})
    assert r.status_code == 202 and r.json()["set_by_role"] == "therapist"
    assert (r.json()["status"], r.json()["active"], r.json()["cadence_days"]) == ("proposed", False, 7)
    assert Schedule.objects.get(pk=sid).cadence_days == 14
    r = therapist("POST", "/schedules", {"instrument_id": "phq9", "cadence_days": 14, "person_id": world.owner.pk})
    assert r.status_code == 201 and r.json()["person_id"] == world.owner.pk and r.json()["status"] == "proposed"
    assert api(world, "partner")("POST", "/schedules", {"instrument_id": "phq9", "cadence_days": 14,
                                                        "person_id": world.owner.pk}).status_code == 404
    listed = therapist("GET", f"/schedules?person_id={world.owner.pk}").json()
    assert sorted((s["instrument_id"], s["status"]) for s in listed) == [
        ("gad7", "accepted"), ("gad7", "proposed"), ("phq9", "proposed")]
    assert me("DELETE", f"/schedules/{sid}").status_code == 204
    assert list(Schedule.objects.filter(active=True).values_list("instrument_id", flat=True)) == []


def test_client_accepts_or_declines_over_the_api_and_only_the_client_can(world):
    me, therapist = api(world, "owner"), api(world, "therapist")
    pid = therapist("POST", "/schedules", {"instrument_id": "phq9", "cadence_days": 7, "window_days": 3,
                                           "person_id": world.owner.pk}).json()["id"]
    for persona in ("partner", "therapist", "other_therapist", "unlinked", "therapist_no_mfa"):
        r = api(world, persona)("POST", f"/schedules/{pid}/respond", {"action": "accept"})
        assert r.status_code == 404, persona
    assert Schedule.objects.get(pk=pid).status == "proposed"
    bad = me("POST", f"/schedules/{pid}/respond", {"action": "maybe"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"].endswith("action")
    # The client cannot edit a proposal; they answer it.
    r = me("PUT", f"/schedules/{pid}", {"cadence_days": 14, "window_days": 4})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "schedule_id"
    r = me("POST", f"/schedules/{pid}/respond", {"action": "accept"})
    assert r.status_code == 200 and (r.json()["status"], r.json()["active"]) == ("accepted", True)
    again = me("POST", f"/schedules/{pid}/respond", {"action": "decline"})
    assert again.status_code == 422 and again.json()["errors"][0]["field"] == "action"
    # A second proposal, declined: the accepted one stays; the therapist sees "declined".
    p2 = therapist("PUT", f"/schedules/{pid}", {"cadence_days": 28, "window_days": 4}).json()["id"]
    assert me("POST", f"/schedules/{p2}/respond", {"action": "decline"}).json()["status"] == "declined"
    listed = therapist("GET", f"/schedules?person_id={world.owner.pk}").json()
    assert sorted((s["cadence_days"], s["status"]) for s in listed) == [(7, "accepted"), (28, "declined")]
    history = me("GET", "/schedules/history").json()
    assert [(h["action"], h["who"]) for h in history] == [
        ("declined", "You"), ("proposed", "Dr. Rivera"), ("accepted", "You"), ("proposed", "Dr. Rivera")]
    before = AccessLog.objects.filter(owner=world.owner).count()
    seen = therapist("GET", f"/schedules/history?person_id={world.owner.pk}").json()
    assert seen[0]["who"] == "Sam" and AccessLog.objects.filter(owner=world.owner).count() == before + 1
    assert api(world, "partner")("GET", f"/schedules/history?person_id={world.owner.pk}").status_code == 404


def test_therapist_stops_at_once_and_withdraws_a_proposal(world):
    me, therapist = api(world, "owner"), api(world, "therapist")
    sid = me("POST", "/schedules", {"instrument_id": "phq9", "cadence_days": 14}).json()["id"]
    pid = therapist("POST", "/schedules", {"instrument_id": "gad7", "cadence_days": 14,
                                           "person_id": world.owner.pk}).json()["id"]
    assert api(world, "other_therapist")("DELETE", f"/schedules/{sid}").status_code == 404
    assert api(world, "partner")("DELETE", f"/schedules/{sid}").status_code == 404
    assert therapist("DELETE", f"/schedules/{sid}").status_code == 204
    assert Schedule.objects.get(pk=sid).status == "stopped" and not Schedule.objects.get(pk=sid).active
    assert therapist("DELETE", f"/schedules/{pid}").status_code == 204
    assert Schedule.objects.get(pk=pid).status == "withdrawn"
    assert me("POST", f"/schedules/{pid}/respond", {"action": "accept"}).status_code == 422
    r = therapist("POST", "/schedules", {"instrument_id": "phq9", "cadence_days": 0, "person_id": world.owner.pk})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "cadence_days"
    r = therapist("POST", "/schedules", {"instrument_id": "nope", "cadence_days": 7, "person_id": world.owner.pk})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "instrument_id"


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

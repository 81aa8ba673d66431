"""The practice API: your own data, bad input named by field, therapist reads through scopes."""

from __future__ import annotations

import json

import pytest

from nearer.practice import services
from nearer.privacy.models import AccessLog

pytestmark = pytest.mark.django_db


def _call(client, world, persona, method, path, body=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {world.tokens[persona]}"}
    data = json.dumps(body) if body is not None else ""
    r = client.generic(method, "/api/practice" + path, data=data, content_type="application/json", **headers)
    return r.status_code, (json.loads(r.content) if r.content else None)


def test_ladder_and_experiment_round_trip(client, world):
    status, body = _call(client, world, "owner", "POST", "/steps", {"suggestion_id": "good-news-first"})
    assert status == 201 and body["step"]["difficulty"] == 15 and body["risk"]["show_crisis_help"] is False
    easy = body["step"]["id"]
    status, body = _call(client, world, "owner", "POST", "/steps", {"text": "Ask Alex about the weekend", "difficulty": 30})
    mid = body["step"]["id"]
    status, body = _call(client, world, "owner", "GET", "/steps")
    assert status == 200 and body["next_step_id"] == easy and body["ceiling"] == 40
    status, body = _call(client, world, "owner", "POST", "/experiments",
                         {"step_id": easy, "fear": "Nobody cares", "belief_before": 70, "expected_anxiety": 50})
    assert status == 201
    exp_id = body["experiment"]["id"]
    status, body = _call(client, world, "owner", "POST", f"/experiments/{exp_id}/outcome",
                         {"what_happened": "Alex was glad", "outcome": "no", "belief_after": 20, "learned": "Say it"})
    assert status == 200 and body["experiment"]["done_comfortably"] is True
    status, body = _call(client, world, "owner", "GET", "/steps")
    assert body["next_step_id"] == mid
    status, body = _call(client, world, "owner", "GET", "/summary")
    assert body["experiments"]["not_feared"] == 1 and body["experiments"]["sentence"].startswith("1 of 1 step ")


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/steps", {"suggestion_id": "one-worry", "difficulty": 140}, "difficulty"),
        ("/steps", {"text": ""}, "text"),
        ("/experiments", {"fear": "x", "belief_before": -1, "expected_anxiety": 10}, "belief_before"),
        ("/experiments", {"belief_before": 10, "expected_anxiety": 10}, "fear"),
        ("/records", {"kind": "nope", "what_happened": "x"}, "kind"),
        ("/formulation", {"moves": ["nope"]}, "moves"),
    ],
)
def test_bad_input_names_the_field(client, world, path, body, field):
    status, out = _call(client, world, "owner", "POST", path, body)
    assert status == 422
    assert field in [e["field"] for e in out["errors"]]


def test_record_steps_via_api(client, world):
    status, body = _call(client, world, "owner", "POST", "/records", {"kind": "partner_busy", "what_happened": "Busy all week"})
    rid = body["record"]["id"]
    steps = [
        {"step": "first_reading", "first_reading_id": "on_my_own"},
        {"step": "feelings", "feelings": [{"id": "lonely", "strength": 75}]},
        {"step": "pause"},
        {"step": "echo", "text": "Old times"},
        {"step": "evidence_for", "text": "No calls"},
        {"step": "evidence_against", "text": "Texted at lunch"},
        {"step": "other_reading", "text": "Deadline stress"},
        {"step": "feelings_now", "intensity_after": 35},
        {"step": "next_step", "text": ""},
    ]
    for s in steps:
        status, body = _call(client, world, "owner", "POST", f"/records/{rid}/steps", s)
        assert status == 200, body
    rec = body["record"]
    assert rec["current_step"] == "done" and rec["intensity_before"] == 75 and rec["intensity_after"] == 35
    assert rec["echo"] == "Old times" and rec["feelings"] == [{"id": "lonely", "strength": 75}]
    status, body = _call(client, world, "owner", "GET", "/patterns")
    assert body["mean_drop"] == 40.0 and body["kinds"][0]["kind"] == "partner_busy"
    status, body = _call(client, world, "owner", "POST", f"/records/{rid}/steps", {"step": "bogus"})
    assert status == 422 and body["errors"][0]["field"] == "step"


def test_others_cannot_touch_my_entries(client, world):
    step, _ = services.add_step(world.owner, suggestion_id="one-worry")
    for persona in ("partner", "therapist"):
        status, _ = _call(client, world, persona, "PATCH", f"/steps/{step.pk}", {"difficulty": 10})
        assert status == 404
    step.refresh_from_db()
    assert step.difficulty == 30


def test_therapist_summary_and_entries_through_scopes(client, world):
    services.save_formulation(world.owner, {"expectation": "Private words"})
    before = AccessLog.objects.count()
    status, body = _call(client, world, "therapist", "GET", f"/clients/{world.owner.pk}/summary")
    assert status == 200 and body["formulation"]["versions"] == 1 and "Private" not in json.dumps(body)
    assert AccessLog.objects.count() == before + 1
    status, _ = _call(client, world, "therapist", "GET", f"/clients/{world.owner.pk}/entries")
    assert status == 404 and AccessLog.objects.count() == before + 1
    link = world.objects["link_owner_therapist"]
    link.scopes = link.scopes + ["practice_entries"]
    link.save()
    status, body = _call(client, world, "therapist", "GET", f"/clients/{world.owner.pk}/entries")
    assert status == 200 and body["formulation"]["expectation"] == "Private words"
    status, _ = _call(client, world, "partner", "GET", f"/clients/{world.owner.pk}/summary")
    assert status == 404


def test_suggestion_flow_via_api(client, world):
    status, body = _call(client, world, "therapist", "POST", f"/clients/{world.owner.pk}/suggestions",
                         {"kind": "ladder_step", "suggestion_id": "say-need-directly", "note": "When ready"})
    assert status == 201 and body["state"] == "pending"
    sid = body["id"]
    status, body = _call(client, world, "owner", "GET", "/suggestions?state=pending")
    assert [s["id"] for s in body] == [sid]
    status, body = _call(client, world, "owner", "POST", f"/suggestions/{sid}/respond",
                         {"action": "edit", "text": "Ask for what I need on Sunday", "difficulty": 40})
    assert status == 200 and body["suggestion"]["state"] == "edited" and body["suggestion"]["step_id"]
    status, body = _call(client, world, "therapist", "GET", f"/clients/{world.owner.pk}/suggestions")
    assert body[0]["state"] == "edited" and body[0]["step_id"] is None
    status, body = _call(client, world, "owner", "POST", f"/suggestions/{sid}/respond", {"action": "decline"})
    assert status == 422 and body["errors"][0]["field"] == "action"
    status, _ = _call(client, world, "therapist_no_mfa", "POST", f"/clients/{world.owner.pk}/suggestions",
                      {"kind": "present_or_past"})
    assert status in (403, 404)


def test_risky_text_via_api_flags_crisis_help(client, world):
    status, body = _call(client, world, "owner", "POST", "/records", {"kind": "other", "what_happened": "I want to end my life"})
    assert status == 201 and body["risk"]["show_crisis_help"] is True

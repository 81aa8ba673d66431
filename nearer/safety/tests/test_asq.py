"""Asking directly: the ASQ's wording, scoring (declined is never "no"), storage, the risk path and the offers."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from nearer.safety import asq
from nearer.safety.models import Alert, AsqScreen, RiskEvent
from nearer.safety.services import submit_asq


def _answers(q1: str = "no", q2: str = "no", q3: str = "no", q4: str = "no", q5: str = "") -> dict[str, str]:
    return {"q1": q1, "q2": q2, "q3": q3, "q4": q4, "q5": q5}


def test_nimh_english_wording_is_exact() -> None:
    assert asq.QUESTIONS_EN == (
        "In the past few weeks, have you wished you were dead?",
        "In the past few weeks, have you felt that you or your family would be better off if you were dead?",
        "In the past week, have you been having thoughts about killing yourself?",
        "Have you ever tried to kill yourself?",
        "Are you having thoughts of killing yourself right now?",
    )


def test_spanish_shows_official_english_until_the_spanish_wording_is_checked() -> None:
    qs = asq.questions("es")
    assert asq.SPANISH_VERIFIED is False
    assert (qs.lang, qs.texts, qs.translated) == ("en", asq.QUESTIONS_EN, False)


@pytest.mark.parametrize(("answers", "result", "level"), [
    (_answers(), "negative", "none"),
    (_answers(q1="yes", q5="no"), "non_acute", "concern"),
    (_answers(q4="yes", q5="no"), "non_acute", "concern"),
    (_answers(q2="yes", q5="yes"), "acute", "urgent"),
    (_answers(q3="yes", q5="declined"), "acute", "urgent"),  # acuity unknown after a yes: treated as acute
    (_answers(q5="yes"), "acute", "urgent"),  # "yes, right now" is acute even after four "no"s
    (_answers(q2="declined"), "non_acute", "concern"),  # NIMH: a refusal is a positive screen
])
def test_scoring(answers: dict[str, str], result: str, level: str) -> None:
    scored = asq.score(answers)
    assert (scored.result, scored.level) == (result, level)


@pytest.mark.django_db
def test_declined_is_stored_as_declined_never_no(world: Any) -> None:
    row, outcome = submit_asq(world.owner, _answers(q1="declined", q2="declined", q3="declined", q4="declined"),
                              trigger="low_mood")
    row.refresh_from_db()
    assert (row.q1, row.q2, row.q3, row.q4, row.q5) == ("declined",) * 4 + ("",)
    assert row.declined_any and row.result == "non_acute" and row.trigger == "low_mood"
    assert outcome.show_card and outcome.level == "concern"
    assert RiskEvent.objects.get().rules == ["asq.declined"]


@pytest.mark.django_db
def test_acute_answer_is_urgent_alert_with_asq_kind(world: Any) -> None:
    row, outcome = submit_asq(world.owner, _answers(q3="yes", q5="yes"), trigger="phq9_item9")
    assert row.result == "acute" and outcome.level == "urgent" and outcome.delivery == "therapist"
    alert = Alert.objects.get(therapist=world.therapist)
    assert alert.level == "urgent" and alert.kinds == ["asq_acute"] and alert.last_source == "safety.asq"
    assert row.__class__.objects.get(pk=row.pk).risk_event == outcome.event


@pytest.mark.django_db
def test_negative_answers_raise_nothing(world: Any) -> None:
    row, outcome = submit_asq(world.owner, _answers(), trigger="screen")
    assert row.result == "negative" and not outcome.show_card
    assert not RiskEvent.objects.exists()


@pytest.mark.django_db
def test_a_yes_needs_the_acuity_question_and_bad_values_name_the_field(world: Any) -> None:
    with pytest.raises(ValidationError) as e:
        submit_asq(world.owner, _answers(q1="yes"))
    assert "q5" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        submit_asq(world.owner, _answers(q2="maybe"))
    assert "q2" in e.value.message_dict
    assert not AsqScreen.objects.exists()


@pytest.mark.django_db
def test_asq_page_and_positive_result_show_card_plan_and_truth(world: Any, client_as: Any) -> None:
    c = client_as("owner")
    page = c.get("/safety/asq/?trigger=not_safe")
    assert page.status_code == 200
    for text in asq.QUESTIONS_EN:
        assert text in page.content.decode()
    assert b"Prefer not to answer" in page.content
    r = c.post("/safety/asq/", {"trigger": "not_safe", **_answers(q1="yes", q5="no")})
    body = r.content.decode()
    assert r.status_code == 200 and 'id="crisis-card"' in body
    assert 'data-delivery="therapist"' in body and "We have sent an alert to your therapist" in body
    assert "working hours" in body and "988" in body and "911" in body
    assert 'data-asq="offer"' not in body  # no second offer straight after answering
    assert AsqScreen.objects.get().trigger == "not_safe"


@pytest.mark.django_db
def test_asq_page_in_spanish_keeps_english_questions_with_a_note(world: Any, client_as: Any) -> None:
    world.owner.language = "es"
    world.owner.save()
    c = client_as("owner")
    page = c.get("/safety/asq/", HTTP_ACCEPT_LANGUAGE="es")
    body = page.content.decode()
    assert asq.QUESTIONS_EN[0] in body and 'lang="en"' in body
    assert "Prefiero no responder" in body and "id=\"asq-lang-note\"" in body


@pytest.mark.django_db
def test_asq_api(world: Any, client: Any) -> None:
    h = {"HTTP_AUTHORIZATION": f"Bearer {world.tokens['owner']}"}
    q = client.get("/api/safety/asq/questions", **h).json()
    assert [x["text"] for x in q["questions"]] == list(asq.QUESTIONS_EN) and q["answers"] == ["yes", "no", "declined"]
    r = client.post("/api/safety/asq", data=json.dumps({"trigger": "self", **_answers(q4="yes", q5="no")}),
                    content_type="application/json", **h)
    assert r.status_code == 201
    out = r.json()
    assert (out["result"], out["level"], out["show_crisis_help"], out["therapist_alerted"]) == (
        "non_acute", "concern", True, True)
    bad = client.post("/api/safety/asq", data=json.dumps({**_answers(q1="yes")}), content_type="application/json", **h)
    assert bad.status_code == 422 and "q5" in json.dumps(bad.json())
    assert [x["result"] for x in client.get("/api/safety/asq", **h).json()] == ["non_acute"]


@pytest.mark.django_db
def test_asq_is_exported_and_erased_with_the_person(world: Any) -> None:
    from nearer.privacy.registry import OWNED

    assert OWNED["safety.asqscreen"].owner_path == "person"
    assert OWNED["safety.pendingriskcheck"].owner_path == "person"


@pytest.mark.django_db
def test_crisis_card_offers_asq_from_each_trigger(world: Any, client_as: Any) -> None:
    c = client_as("owner")
    # "I'm not safe"
    assert "/safety/asq/?trigger=not_safe" in c.post("/safety/not-safe/").content.decode()
    # PHQ-9 item 9 above 0
    codes = ["44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2", "44252-5", "44253-3", "44260-8"]
    data = {f"q_{code}": "LA6568-5" for code in codes}
    data["q_44260-8"] = "LA6569-3"
    assert "/safety/asq/?trigger=phq9_item9" in c.post("/measures/answer/phq9/", data).content.decode()
    # A concern-level screen of something written
    r = c.post("/learn/loop/reflect/", {"text": "Sometimes I wish I was dead."})
    assert "/safety/asq/?trigger=screen" in r.content.decode()

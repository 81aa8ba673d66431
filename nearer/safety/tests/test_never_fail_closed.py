"""Never fail closed: with the database refusing inserts into the risk-event and alert tables, every path
that saves a person's words or answers keeps the entry, answers without a 5xx, shows crisis help (the API
says ``show_crisis_help: true``), logs nothing of the content, and the background retry delivers the alert.

The refusal is a real database trigger (SQLite and PostgreSQL), not a mock, so the savepoint is exercised
exactly as a failing production database would exercise it.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from nearer.safety.models import Alert, PendingRiskCheck, RiskEvent
from nearer.safety.services import retry_pending_risk_checks

URGENT = "I want to kill myself tonight, I have the pills ready. Canary-Quokka-5521"
CANARY = "Canary-Quokka-5521"
TABLES = ("safety_riskevent", "safety_alert")


def _refuse(tables: tuple[str, ...]) -> None:
    with connection.cursor() as c:
        if connection.vendor == "postgresql":
            c.execute("CREATE OR REPLACE FUNCTION nearer_test_refuse() RETURNS trigger AS $$ "
                      "BEGIN RAISE EXCEPTION 'insert refused by test'; END; $$ LANGUAGE plpgsql")
            for t in tables:
                c.execute(f"CREATE TRIGGER nearer_refuse_{t} BEFORE INSERT ON {t} "
                          "FOR EACH ROW EXECUTE FUNCTION nearer_test_refuse()")
        else:
            for t in tables:
                c.execute(f"CREATE TRIGGER nearer_refuse_{t} BEFORE INSERT ON {t} "
                          "BEGIN SELECT RAISE(ABORT, 'insert refused by test'); END")


def _allow(tables: tuple[str, ...]) -> None:
    with connection.cursor() as c:
        for t in tables:
            if connection.vendor == "postgresql":
                c.execute(f"DROP TRIGGER IF EXISTS nearer_refuse_{t} ON {t}")
            else:
                c.execute(f"DROP TRIGGER IF EXISTS nearer_refuse_{t}")


@pytest.fixture
def refused(world: Any) -> Iterator[Callable[[], None]]:
    """Inserts into the risk-event and alert tables fail until the returned function is called."""
    _refuse(TABLES)
    state = {"on": True}

    def lift() -> None:
        if state["on"]:
            _allow(TABLES)
            state["on"] = False

    yield lift
    lift()


def _api(client: Any, w: Any, method: str, url: str, body: dict[str, Any]) -> Any:
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json",
                                   HTTP_AUTHORIZATION=f"Bearer {w.tokens['owner']}")


@dataclass
class Path:
    name: str
    act: Callable[[Any, Any], Any]  # (client, world) -> response
    stored: Callable[[Any], bool]  # world -> the entry exists
    api: bool = False


def _checkin_web(c: Any, w: Any) -> Any:
    return c.post("/diary/", {"mood": "3", "closeness": "4", "note": URGENT})


def _checkin_api(c: Any, w: Any) -> Any:
    return _api(c, w, "post", "/api/diary/checkins", {"mood": 3, "closeness": 4, "note": URGENT})


def _checkin_stored(w: Any) -> bool:
    from nearer.diary.models import CheckIn

    return any(CANARY in c.note for c in CheckIn.objects.filter(person=w.owner))


def _import_web(c: Any, w: Any) -> Any:
    from nearer.diary.models import local_today

    day = (local_today(w.owner) - timezone.timedelta(days=3)).isoformat()
    f = io.BytesIO(f'date,mood,closeness,note\n{day},3,4,"{URGENT}"\n'.encode())
    f.name = "checkins.csv"
    return c.post("/diary/import/", {"file": f, "date_column": "date", "mood_column": "mood",
                                     "closeness_column": "closeness"})


def _record_web(c: Any, w: Any) -> Any:
    return c.post("/practice/present-or-past/new/", {"kind": "late_reply", "what_happened": URGENT})


def _record_api(c: Any, w: Any) -> Any:
    return _api(c, w, "post", "/api/practice/records", {"kind": "late_reply", "what_happened": URGENT})


def _record_stored(w: Any) -> bool:
    from nearer.practice.models import MomentRecord

    return any(CANARY in r.what_happened for r in MomentRecord.objects.filter(owner=w.owner))


def _talk(w: Any) -> Any:
    from nearer.together import services

    conv = services.start_conversation(w.owner, "day-001")
    services.answer_readiness(w.owner, conv, True)
    services.answer_readiness(w.partner, conv, True)
    return conv


def _note_web(c: Any, w: Any) -> Any:
    conv = _talk(w)
    return c.post(f"/together/talks/{conv.pk}/rate/",
                  {"heard": "7", "accepted": "7", "close": "6", "defensive": "2", "note": URGENT})


def _note_api(c: Any, w: Any) -> Any:
    conv = _talk(w)
    return _api(c, w, "post", f"/api/together/conversations/{conv.pk}/rating",
                {"heard": 7, "accepted": 7, "close": 6, "defensive": 2, "note": URGENT})


def _note_stored(w: Any) -> bool:
    from nearer.together.models import Rating

    return any(CANARY in (r.note or "") for r in Rating.objects.all())


def _reflection_web(c: Any, w: Any) -> Any:
    return c.post("/learn/loop/reflect/", {"text": URGENT})


def _reflection_api(c: Any, w: Any) -> Any:
    return _api(c, w, "post", "/api/learn/reflections", {"slug": "loop", "text": URGENT})


def _reflection_stored(w: Any) -> bool:
    from nearer.learn.models import Reflection

    return any(CANARY in r.text for r in Reflection.objects.filter(person=w.owner))


PHQ9 = ["44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2", "44252-5", "44253-3", "44260-8"]


def _phq9_web(c: Any, w: Any) -> Any:
    data = {f"q_{code}": "LA6568-5" for code in PHQ9}
    data["q_44260-8"] = "LA6571-9"  # item 9: nearly every day
    return c.post("/measures/answer/phq9/", data)


def _phq9_api(c: Any, w: Any) -> Any:
    answers = {code: 0 for code in PHQ9}
    answers["44260-8"] = 3
    return _api(c, w, "post", "/api/measures/administrations", {"instrument_id": "phq9", "answers": answers})


def _phq9_stored(w: Any) -> bool:
    from nearer.measures.models import Administration

    return Administration.objects.filter(person=w.owner, instrument_id="phq9").exists()


def _plan_web(c: Any, w: Any) -> Any:
    return c.post("/safety/plan/edit/", {"warning_signs": URGENT})


def _plan_api(c: Any, w: Any) -> Any:
    return _api(c, w, "put", "/api/safety/plan", {"warning_signs": [URGENT]})


def _plan_stored(w: Any) -> bool:
    from nearer.safety.models import SafetyPlan

    plan = SafetyPlan.objects.filter(owner=w.owner).first()
    return plan is not None and CANARY in plan.warning_signs


def _not_safe_web(c: Any, w: Any) -> Any:
    return c.post("/safety/not-safe/")


def _not_safe_api(c: Any, w: Any) -> Any:
    return _api(c, w, "post", "/api/safety/not-safe", {})


def _asq_web(c: Any, w: Any) -> Any:
    return c.post("/safety/asq/", {"trigger": "not_safe", "q1": "yes", "q2": "no", "q3": "yes", "q4": "no", "q5": "yes"})


def _asq_api(c: Any, w: Any) -> Any:
    return _api(c, w, "post", "/api/safety/asq", {"trigger": "not_safe", "q1": "yes", "q2": "no", "q3": "yes",
                                                  "q4": "no", "q5": "yes"})


def _asq_stored(w: Any) -> bool:
    from nearer.safety.models import AsqScreen

    return AsqScreen.objects.filter(person=w.owner, result="acute").exists()


PATHS = [
    Path("checkin-web", _checkin_web, _checkin_stored),
    Path("checkin-api", _checkin_api, _checkin_stored, api=True),
    Path("import-web", _import_web, _checkin_stored),
    Path("record-web", _record_web, _record_stored),
    Path("record-api", _record_api, _record_stored, api=True),
    Path("together-note-web", _note_web, _note_stored),
    Path("together-note-api", _note_api, _note_stored, api=True),
    Path("reflection-web", _reflection_web, _reflection_stored),
    Path("reflection-api", _reflection_api, _reflection_stored, api=True),
    Path("phq9-web", _phq9_web, _phq9_stored),
    Path("phq9-api", _phq9_api, _phq9_stored, api=True),
    Path("plan-web", _plan_web, _plan_stored),
    Path("plan-api", _plan_api, _plan_stored, api=True),
    Path("not-safe-web", _not_safe_web, lambda w: True),
    Path("not-safe-api", _not_safe_api, lambda w: True, api=True),
    Path("asq-web", _asq_web, _asq_stored),
    Path("asq-api", _asq_api, _asq_stored, api=True),
]


def _help_shown(path: Path, response: Any) -> bool:
    if path.api:
        body = response.json()
        nested = body.get("risk") or {}
        return bool(body.get("show_crisis_help") or nested.get("show_crisis_help"))
    return b'id="crisis-card"' in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("path", PATHS, ids=[p.name for p in PATHS])
def test_refused_inserts_keep_the_entry_show_help_and_retry_delivers(
        path: Path, world: Any, client_as: Any, refused: Callable[[], None], captured_logs: list[str],
        django_capture_on_commit_callbacks: Any) -> None:
    w = world
    client = client_as("owner")
    with django_capture_on_commit_callbacks(execute=True):
        response = path.act(client, w)
    assert response.status_code < 500, response.content[:500]
    assert response.status_code in (200, 201), response.content[:500]
    assert path.stored(w), "the person's entry was lost"
    assert _help_shown(path, response), "crisis help was hidden"
    assert not RiskEvent.objects.exists() and not Alert.objects.exists()
    pending = PendingRiskCheck.objects.get()
    assert pending.done_at is None
    for f in pending._meta.concrete_fields:  # the retry record holds no words
        assert CANARY not in str(getattr(pending, f.attname))
    assert not any(CANARY in line for line in captured_logs)
    assert any("retry queued" in line for line in captured_logs)

    # While the database still refuses, the retry fails and is kept for later.
    assert retry_pending_risk_checks(timezone.now())["still_failing"] == 1
    refused()
    mail.outbox.clear()
    later = timezone.now() + timezone.timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        assert retry_pending_risk_checks(later) == {"retried": 1, "still_failing": 0}
    alert = Alert.objects.get(person=w.owner, therapist=w.therapist)
    assert alert.route == "therapist" and alert.kinds
    assert "therapist@example.test" in [to for m in mail.outbox for to in m.to]
    assert not any(CANARY in m.body for m in mail.outbox)
    assert RiskEvent.objects.filter(person=w.owner).exists()
    pending.refresh_from_db()
    assert pending.done_at is not None
    # Idempotent: a second run does nothing more.
    assert retry_pending_risk_checks(later) == {"retried": 0, "still_failing": 0}


@pytest.mark.django_db
def test_only_the_event_table_refusing_rolls_back_the_alert_too(world: Any, client_as: Any) -> None:
    """A half-written signal never stays: the alert made before the failing event insert is rolled back."""
    _refuse(("safety_riskevent",))
    try:
        r = _checkin_api(client_as("owner"), world)
    finally:
        _allow(("safety_riskevent",))
    assert r.status_code == 201 or r.status_code == 200
    assert r.json()["show_crisis_help"] is True
    assert not Alert.objects.exists()
    assert PendingRiskCheck.objects.filter(level="urgent").count() == 1


@pytest.mark.django_db
def test_screener_crash_is_retried_by_screening_the_stored_entry(world: Any, client_as: Any, monkeypatch: Any,
                                                                django_capture_on_commit_callbacks: Any) -> None:
    from nearer.safety import services

    real = services.screen

    def broken(text: str) -> Any:
        raise RuntimeError("model file missing")

    monkeypatch.setattr(services, "screen", broken)
    r = _checkin_api(client_as("owner"), world)
    assert r.json()["show_crisis_help"] is True and _checkin_stored(world)
    pending = PendingRiskCheck.objects.get()
    assert pending.level == "" and pending.ref_type == "diary.checkin"
    monkeypatch.setattr(services, "screen", real)
    with django_capture_on_commit_callbacks(execute=True):
        assert retry_pending_risk_checks(timezone.now())["retried"] == 1
    assert Alert.objects.get(person=world.owner, therapist=world.therapist).level == "urgent"

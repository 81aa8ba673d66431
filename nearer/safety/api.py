"""Safety API: the person's plan, a client's plan for a therapist with scope, alerts, "I'm not safe"."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status

from nearer.accounts.models import User
from nearer.privacy import access
from nearer.safety import queries, services
from nearer.safety.models import Alert, RiskEvent, SafetyPlan
from nearer.safety.plan_text import PLAN_PARTS

router = Router()


class PlanIn(Schema):
    warning_signs: list[str] | None = None
    cope_alone: list[str] | None = None
    distractions: list[str] | None = None
    people_to_ask: list[str] | None = None
    professionals: list[str] | None = None
    safer_surroundings: list[str] | None = None
    reasons_for_living: list[str] | None = None


class PlanOut(Schema):
    owner_id: int
    exists: bool
    parts: dict[str, list[str]]
    updated_at: datetime | None
    version: int
    show_card: bool = False
    show_crisis_help: bool = False
    risk_level: str = "none"
    delivery: str = ""


class AlertOut(Schema):
    id: int
    person_id: int
    level: str
    state: str
    source_kind: str
    signal_count: int
    created_at: datetime
    last_signal_at: datetime
    acknowledged_at: datetime | None
    resolved_at: datetime | None
    escalated_at: datetime | None
    kinds: list[str] = Field([], description="Kinds of signal (construct keys such as attempt_taken, "
                                             "method_timing, mention, phq9_item9, asq_acute, not_safe); never words.")
    route: str = "therapist"


class ResolveIn(Schema):
    note: str


class ChoiceIn(Schema):
    choice: str


class RiskOut(Schema):
    level: str
    show_card: bool
    show_crisis_help: bool
    event_id: int | None
    therapist_alerted: bool
    delivery: str = Field("", description="Who was alerted: therapist, on_call, nobody, no_therapist, "
                                          "pending (recording failed; retried in the background) or empty.")


def _me(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _person(request: HttpRequest) -> User:
    return access.require_person(_me(request))


def _therapist(request: HttpRequest) -> User:
    return access.require_therapist(_me(request))


def _plan_out(owner: User, plan: SafetyPlan | None, outcome: Any = None) -> dict[str, Any]:
    version = plan.versions.order_by("-number").values_list("number", flat=True).first() if plan else None
    return {
        "owner_id": owner.pk,
        "exists": plan is not None,
        "parts": plan.parts() if plan else {k: [] for k in PLAN_PARTS},
        "updated_at": plan.updated_at if plan else None,
        "version": version or 0,
        "show_card": bool(outcome and outcome.show_card),
        "show_crisis_help": bool(outcome and outcome.show_card),
        "risk_level": outcome.level if outcome else "none",
        "delivery": getattr(outcome, "delivery", "") if outcome else "",
    }


def _parts_in(payload: PlanIn) -> dict[str, Any]:
    return {k: v for k, v in payload.dict().items() if v is not None}


@router.get("/plan", response=PlanOut)
def my_plan(request: HttpRequest) -> dict[str, Any]:
    user = _person(request)
    return _plan_out(user, queries.plan_of(user))


@router.put("/plan", response=PlanOut)
def put_my_plan(request: HttpRequest, payload: PlanIn) -> dict[str, Any]:
    user = _person(request)
    plan, outcome = services.save_plan(user, user, _parts_in(payload))
    return _plan_out(user, plan, outcome)


def _owner(person_id: int) -> User:
    owner = User.objects.filter(pk=person_id).first()
    if owner is None:
        raise Http404
    return owner


@router.get("/clients/{person_id}/plan", response=PlanOut)
def client_plan(request: HttpRequest, person_id: int) -> dict[str, Any]:
    viewer = _me(request)
    owner = _owner(person_id)
    if owner.pk == viewer.pk:
        raise Http404
    access.read(viewer, owner, "safety_plan", "safety:plan", via="api")
    return _plan_out(owner, queries.plan_of(owner))


@router.put("/clients/{person_id}/plan", response=PlanOut)
def put_client_plan(request: HttpRequest, person_id: int, payload: PlanIn) -> dict[str, Any]:
    therapist = _therapist(request)
    owner = _owner(person_id)
    grant = access.read(therapist, owner, "safety_plan", "safety:plan-edit", via="api")
    if grant.link is None or grant.link.kind != "therapist":
        raise Http404
    plan, _outcome = services.save_plan(owner, therapist, _parts_in(payload))
    return _plan_out(owner, plan)


def _alert_out(a: Alert) -> dict[str, Any]:
    return {
        "id": a.pk, "person_id": a.person_id, "level": a.level, "state": a.state,
        "source_kind": a.last_source.split(".", 1)[0], "signal_count": a.signal_count,
        "created_at": a.created_at, "last_signal_at": a.last_signal_at, "acknowledged_at": a.acknowledged_at,
        "resolved_at": a.resolved_at, "escalated_at": a.escalated_at, "kinds": list(a.kinds), "route": a.route,
    }


@router.get("/alerts", response=list[AlertOut])
def alerts(request: HttpRequest, open_only: bool = False) -> list[dict[str, Any]]:
    therapist = _therapist(request)
    return [_alert_out(a) for a in queries.therapist_alerts(therapist, open_only=open_only)[:500]]


def _own_alert(request: HttpRequest, alert_id: int) -> tuple[User, Alert]:
    therapist = _therapist(request)
    alert = Alert.objects.filter(pk=alert_id, therapist=therapist).select_related("person").first()
    if alert is None:
        raise Http404
    access.grant(therapist, alert.person)
    return therapist, alert


@router.post("/alerts/{alert_id}/acknowledge", response=AlertOut)
def acknowledge(request: HttpRequest, alert_id: int) -> dict[str, Any]:
    therapist, alert = _own_alert(request, alert_id)
    return _alert_out(services.acknowledge_alert(therapist, alert))


@router.post("/alerts/{alert_id}/resolve", response=AlertOut)
def resolve(request: HttpRequest, alert_id: int, payload: ResolveIn) -> dict[str, Any]:
    therapist, alert = _own_alert(request, alert_id)
    return _alert_out(services.resolve_alert(therapist, alert, payload.note))


def _risk_out(outcome: services.RiskOutcome) -> dict[str, Any]:
    return {"level": outcome.level, "show_card": outcome.show_card, "show_crisis_help": outcome.show_card,
            "event_id": outcome.event.pk if outcome.event else None, "therapist_alerted": outcome.therapist_alerted,
            "delivery": outcome.delivery}


@router.post("/not-safe", response=RiskOut)
def not_safe(request: HttpRequest) -> dict[str, Any]:
    return _risk_out(services.not_safe(_person(request)))


@router.post("/events/{event_id}/choice", response=RiskOut)
def choice(request: HttpRequest, event_id: int, payload: ChoiceIn) -> dict[str, Any]:
    user = _person(request)
    event = RiskEvent.objects.filter(pk=event_id, person=user).first()
    if event is None:
        raise Http404
    services.record_choice(user, event, payload.choice)
    return {"level": event.level, "show_card": True, "show_crisis_help": True, "event_id": event.pk,
            "therapist_alerted": event.delivery == "therapist", "delivery": event.delivery}


# --- Asking directly (ASQ) ------------------------------------------------------------------------


class AsqQuestionOut(Schema):
    id: str
    text: str


class AsqQuestionsOut(Schema):
    language: str = Field(description="The language of the question text (NIMH's official wording only).")
    translated: bool = Field(description="False when the requested language has no checked official wording "
                                         "yet and the English questions are given instead.")
    questions: list[AsqQuestionOut]
    answers: list[str]
    citation: str


class AsqIn(Schema):
    trigger: str = "self"
    q1: str
    q2: str
    q3: str
    q4: str
    q5: str = ""


class AsqOut(Schema):
    id: int
    result: str
    declined_any: bool
    created_at: datetime
    level: str = "none"
    show_crisis_help: bool = False
    therapist_alerted: bool = False
    delivery: str = ""


@router.get("/asq/questions", response=AsqQuestionsOut)
def asq_questions(request: HttpRequest, lang: str = "") -> dict[str, Any]:
    from django.utils.translation import get_language

    from nearer.safety import asq

    _person(request)
    qs = asq.questions(lang or get_language())
    return {"language": qs.lang, "translated": qs.translated,
            "questions": [{"id": q, "text": t} for q, t in zip(asq.QUESTION_IDS, qs.texts, strict=True)],
            "answers": list(asq.ANSWERS), "citation": asq.CITATION}


def _asq_out(row: Any, outcome: Any = None) -> dict[str, Any]:
    return {"id": row.pk, "result": row.result, "declined_any": row.declined_any, "created_at": row.created_at,
            "level": outcome.level if outcome else "none",
            "show_crisis_help": bool(outcome and outcome.show_card),
            "therapist_alerted": bool(outcome and outcome.therapist_alerted),
            "delivery": outcome.delivery if outcome else ""}


@router.post("/asq", response={201: AsqOut})
def asq_submit(request: HttpRequest, payload: AsqIn) -> Status:
    from django.utils.translation import get_language

    user = _person(request)
    row, outcome = services.submit_asq(user, payload.dict(), trigger=payload.trigger, language=get_language())
    return Status(201, _asq_out(row, outcome))


@router.get("/asq", response=list[AsqOut])
def asq_list(request: HttpRequest) -> list[dict[str, Any]]:
    from nearer.safety.models import AsqScreen

    user = _person(request)
    return [_asq_out(r) for r in AsqScreen.objects.filter(person=user).order_by("-created_at")[:200]]

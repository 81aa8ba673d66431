"""Clinic API: caseload and client summary (therapist, scoped and logged), assignments, directory, requests."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema

from nearer.accounts.models import User
from nearer.clinic import queries, services
from nearer.clinic.models import Assignment, TherapistRequest

router = Router()


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _therapist(request: HttpRequest) -> User:
    user = _user(request)
    if not user.is_therapist:
        raise Http404
    return user


@router.get("/caseload")
def caseload(request: HttpRequest, sort: str = "priority", filter: str = "all") -> dict[str, Any]:  # noqa: A002
    data = queries.caseload(_therapist(request), sort=sort, filter_key=filter, via="api")
    rows = []
    for r in data["rows"]:
        rows.append({
            "client_id": r.client.pk,
            "name": r.name,
            "open_alerts": [{"id": a.pk, "level": a.level, "state": a.state} for a in r.alerts],
            "measures": {
                "deteriorating": r.deteriorating, "overdue": r.overdue,
                "phq9": None if r.phq9 is None else {"total": r.phq9.total, "band": r.phq9.band_key,
                                                     "change_label": r.phq9.change_label,
                                                     "completed_at": r.phq9.completed_at.isoformat()},
            } if r.allowed["measures"] else None,
            "checkins": {"streak": r.streak, "last": r.last_checkin.isoformat() if r.last_checkin else None}
            if r.allowed["checkins"] else None,
            "loop": r.loop if r.allowed["loop"] else None,
            "last_activity": r.last_activity.isoformat() if r.last_activity else None,
        })
    return {"total": data["total"], "sort": data["sort"], "filter": data["filter"], "clients": rows}


@router.get("/clients/{client_id}")
def client_summary(request: HttpRequest, client_id: int) -> dict[str, Any]:
    data = queries.client_page(_therapist(request), client_id, via="api", what="api:clinic:client")
    s = data["sections"]
    out: dict[str, Any] = {"client_id": client_id, "hidden": data["hidden"],
                           "alerts": [{"id": a.pk, "level": a.level, "state": a.state,
                                       "last_signal_at": a.last_signal_at.isoformat()} for a in data["alerts"]]}
    if "measures" in s:
        out["measures"] = [{"instrument": m["instrument"], "latest_total": m["latest"].total, "band": m["latest"].band_key,
                            "change_label": m["latest"].change_label, "recovered": m["recovered"],
                            "baseline_total": m["baseline"].total} for m in s["measures"]]
    if data.get("measure_schedules") is not None:
        out["measure_schedules"] = [{k: r[k] for k in ("id", "instrument_id", "status", "cadence_days", "window_days", "active")}
                                    for r in data["measure_schedules"]]
    if "checkins" in s:
        c = s["checkins"]
        out["checkins"] = {k: c.get(k) for k in ("count", "days", "mean_mood", "mean_closeness", "mood_direction")}
    if "loop" in s:
        loop = s["loop"]
        out["loop"] = {"enough": loop["enough"], "n_pairs": loop["n_pairs"], "pairs_needed": loop["pairs_needed"],
                       "level_percent": loop["level_percent"], "direction_last_4_weeks": loop["direction"],
                       "effects": {k: {f: e[f] for f in ("value", "low", "high", "clear")}
                                   for k, e in loop.get("effects", {}).items()}}
    if "practice" in s:
        out["practice"] = s["practice"]
    if "together" in s:
        t = s["together"] or {}
        out["together"] = {k: v for k, v in t.items() if k in ("talks", "depth")}
    return out


class AssignIn(Schema):
    client_id: int
    kind: str
    instrument_id: str = ""
    cadence_days: int | None = None
    text: str = ""
    difficulty: int | None = None
    depth: int | None = None


def _assignment_out(a: Assignment) -> dict[str, Any]:
    return {"id": a.pk, "client_id": a.client_id, "kind": a.kind, "params": a.params, "state": a.state,
            "created_at": a.created_at.isoformat(), "responded_at": a.responded_at.isoformat() if a.responded_at else None}


@router.get("/assignments")
def assignments(request: HttpRequest) -> list[dict[str, Any]]:
    user = _user(request)
    qs = Assignment.objects.filter(therapist=user) if user.is_therapist else Assignment.objects.filter(client=user)
    return [_assignment_out(a) for a in qs[:200]]


@router.post("/assignments")
def assignment_create(request: HttpRequest, payload: AssignIn) -> dict[str, Any]:
    therapist = _therapist(request)
    client, _link = queries.client_link(therapist, payload.client_id)
    made = services.assign(therapist, client, payload.kind, payload.dict(exclude={"client_id", "kind"}, exclude_none=True))
    if isinstance(made, Assignment):
        return _assignment_out(made)
    return {"id": made.pk, "client_id": client.pk, "kind": payload.kind, "state": made.state, "handled_by": "practice"}


class AnswerIn(Schema):
    accept: bool


@router.post("/assignments/{assignment_id}/respond")
def assignment_respond(request: HttpRequest, assignment_id: int, payload: AnswerIn) -> dict[str, Any]:
    user = _user(request)
    a = Assignment.objects.filter(pk=assignment_id, client=user).first()
    if a is None:
        raise Http404
    return _assignment_out(services.respond_assignment(user, a, payload.accept))


@router.get("/directory", auth=None)
def directory_list(request: HttpRequest, focus: str = "", language: str = "", modality: str = "", city: str = "") -> list[dict[str, Any]]:
    return [
        {"therapist_id": p.user.pk, "name": str(p.user.name), "clinic": p.user.clinic.name if p.user.clinic else "",
         "verified": True, "focus_areas": p.focus_areas, "languages": p.languages, "modality": p.modality,
         "city": p.city, "accepting": p.accepting}
        for p in queries.directory(focus=focus, language=language, modality=modality, city=city)
    ]


class RequestIn(Schema):
    therapist_id: int
    message: str = ""
    scopes: list[str] | None = None


def _request_out(r: TherapistRequest, *, for_therapist: bool) -> dict[str, Any]:
    out = {"id": r.pk, "therapist_id": r.therapist_id, "state": r.state, "scopes": r.scopes,
           "created_at": r.created_at.isoformat()}
    if for_therapist:
        out.update(person_id=r.person_id, person_name=str(r.person.name), message=r.message)
    return out


@router.get("/requests")
def requests_list(request: HttpRequest) -> list[dict[str, Any]]:
    user = _user(request)
    if user.is_therapist:
        return [_request_out(r, for_therapist=True) for r in TherapistRequest.objects.filter(therapist=user).select_related("person")[:200]]
    return [_request_out(r, for_therapist=False) for r in TherapistRequest.objects.filter(person=user)[:200]]


@router.post("/requests")
def request_create(request: HttpRequest, payload: RequestIn) -> dict[str, Any]:
    user = _user(request)
    therapist = User.objects.filter(pk=payload.therapist_id).first()
    if therapist is None:
        raise Http404
    req, outcome = services.create_request(user, therapist, payload.message, payload.scopes)
    out = _request_out(req, for_therapist=False)
    out["show_crisis_help"] = outcome is not None and outcome.show_card
    return out


class RespondIn(Schema):
    action: str


@router.post("/requests/{request_id}/respond")
def request_respond(request: HttpRequest, request_id: int, payload: RespondIn) -> dict[str, Any]:
    from django.core.exceptions import ValidationError

    user = _user(request)
    req = TherapistRequest.objects.filter(pk=request_id).select_related("person").first()
    if req is None or user.pk not in (req.person_id, req.therapist_id):
        raise Http404
    if user.pk == req.person_id:
        return _request_out(services.withdraw_request(user, req), for_therapist=False)
    if payload.action not in ("accept", "decline"):
        raise ValidationError({"action": "Choose accept or decline."})
    return _request_out(services.respond_request(user, req, payload.action == "accept"), for_therapist=True)

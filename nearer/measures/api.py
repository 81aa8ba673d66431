"""The measures API: instruments, answering, results, schedules, FHIR export and import.

Answer errors are 422 with ``errors: [{"field": "answers.<linkId>", "message": ...}]``.
Results of another person (a linked therapist with the ``measures`` scope) are read through
``privacy.access`` (one access-log row) and never include item answers for a partner.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status

from nearer.accounts.models import User
from nearer.apitypes import InstantIn
from nearer.measures import InstrumentError, queries, services
from nearer.measures.models import Administration, Schedule, ScheduleStatus, Source
from nearer.privacy import access

router = Router()


def _me(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


class InstrumentOut(Schema):
    id: str
    title: str
    version: str | None
    builtin: bool
    items: list[str]
    score_min: float
    score_max: float


class AnswersIn(Schema):
    instrument_id: str
    answers: dict[str, Any]
    idempotency_key: str = ""
    started_at: InstantIn | None = None
    # The language the questions were shown in ("en" or "es"); it must be one the instrument has.
    language: str = "en"


class ResultOut(Schema):
    id: int
    instrument_id: str
    instrument_version: str
    language: str = "en"
    completed_at: datetime
    total: float
    band_key: str
    band: str
    change_label: str
    rci: float | None
    change_label_previous: str
    recovered: bool
    response: bool | None
    remission: bool | None
    source: str
    answers: dict[str, Any] | None = None
    flags: dict[str, Any] | None = None


class SubmitOut(ResultOut):
    created: bool
    show_crisis_help: bool


class ScheduleIn(Schema):
    instrument_id: str
    cadence_days: int
    window_days: int = 4
    person_id: int | None = None


class ScheduleUpdate(Schema):
    cadence_days: int
    window_days: int = 4


class ScheduleOut(Schema):
    id: int
    person_id: int
    instrument_id: str
    cadence_days: int
    window_days: int
    starts_at: datetime
    set_by_role: str
    # Only "accepted" is in force (``active``); "proposed" waits for the person's answer.
    status: str
    active: bool
    created_at: datetime
    responded_at: datetime | None


class RespondIn(Schema):
    action: Literal["accept", "decline"]


class ScheduleEventOut(Schema):
    at: datetime
    action: str
    actor_role: str
    who: str
    instrument_id: str
    cadence_days: int
    window_days: int


class ImportOut(Schema):
    imported: int
    ids: list[int]
    show_crisis_help: bool


def _inst_out(i: Any) -> dict[str, Any]:
    lo, hi = i.score_range
    return {"id": i.id, "title": i.title, "version": i.version, "builtin": i.builtin,
            "items": list(i.items), "score_min": lo, "score_max": hi}


@router.get("/instruments", response=list[InstrumentOut])
def instruments(request: HttpRequest) -> list[dict[str, Any]]:
    return [_inst_out(i) for i in services.instruments_for(_me(request))]


@router.get("/instruments/{instrument_id}", response=dict[str, Any])
def questionnaire(request: HttpRequest, instrument_id: str) -> dict[str, Any]:
    """The FHIR R4 Questionnaire (with answer weights) and the scoring block's public parts."""
    try:
        inst = services.available_to(_me(request), instrument_id)
    except ValidationError:
        raise Http404 from None
    return {"questionnaire": dict(inst.questionnaire), "bands": [
        {"key": b.key, "label": b.label, "min": b.min, "max": b.max} for b in inst.bands]}


def _row(adm: Administration, include_items: bool) -> dict[str, Any]:
    row = queries.result_row(adm, include_items=include_items)
    row["band"] = adm.band_label
    row.pop("day", None)
    return row


@router.post("/administrations", response={201: SubmitOut, 200: SubmitOut})
def submit(request: HttpRequest, payload: AnswersIn) -> Status:
    user = _me(request)
    key = payload.idempotency_key or request.headers.get("Idempotency-Key", "")
    sub = services.submit_administration(user, payload.instrument_id, payload.answers, source=Source.API,
                                         idempotency_key=key, started_at=payload.started_at,
                                         language=payload.language)
    row = _row(sub.administration, include_items=True)
    row.update(created=sub.created, show_crisis_help=bool(sub.risk is not None or sub.administration.item9_positive))
    return Status(201 if sub.created else 200, row)


@router.get("/administrations", response=list[ResultOut])
def results(request: HttpRequest, instrument_id: str | None = None) -> list[dict[str, Any]]:
    """Your own results, oldest first, with item answers."""
    qs = Administration.objects.filter(person=_me(request)).order_by("completed_at", "pk")
    if instrument_id:
        qs = qs.filter(instrument_id=instrument_id)
    return [_row(a, True) for a in qs]


@router.get("/people/{person_id}/administrations", response=list[ResultOut])
def client_results(request: HttpRequest, person_id: int, instrument_id: str | None = None) -> list[dict[str, Any]]:
    """A client's results, when they share ``measures`` with you. Logged in their access log.

    Item answers and flags are included only for their therapist, never for a partner.
    """
    viewer = _me(request)
    person = User.objects.filter(pk=person_id, is_active=True).first()
    if person is None:
        raise Http404
    grant = access.read(viewer, person, "measures", "api:measures results", via="api")
    include_items = grant.own or (grant.link is not None and grant.link.kind == "therapist")
    qs = Administration.objects.filter(person=person).order_by("completed_at", "pk")
    if instrument_id:
        qs = qs.filter(instrument_id=instrument_id)
    return [_row(a, include_items) for a in qs]


@router.get("/administrations/{administration_id}", response=ResultOut)
def result(request: HttpRequest, administration_id: int) -> dict[str, Any]:
    adm = Administration.objects.filter(pk=administration_id, person=_me(request)).first()
    if adm is None:
        raise Http404
    return _row(adm, include_items=True)


def _sched_out(s: Schedule) -> dict[str, Any]:
    return {"id": s.pk, "person_id": s.person_id, "instrument_id": s.instrument_id, "cadence_days": s.cadence_days,
            "window_days": s.window_days, "starts_at": s.starts_at, "set_by_role": s.set_by_role, "status": s.status,
            "active": s.active, "created_at": s.created_at, "responded_at": s.responded_at}


def _schedule_target(viewer: User, person_id: int | None) -> User:
    """Whose schedules: yourself, or a client whose therapist you are with the measures scope."""
    if person_id is None or person_id == viewer.pk:
        return viewer
    person = User.objects.filter(pk=person_id, is_active=True).first()
    if person is None:
        raise Http404
    grant = access.grant(viewer, person)
    if grant.link is None or grant.link.kind != "therapist" or not grant.allows("measures"):
        raise access.AccessDenied("scope_not_shared")
    return person


def _schedule_reader(request: HttpRequest, person_id: int | None, what: str) -> tuple[Any, Any]:
    """(viewer, whose schedules): the viewer's own, or a linked client's with the read in their access log."""
    viewer = _me(request)
    if person_id is None or person_id == viewer.pk:
        return viewer, viewer
    person = _schedule_target(viewer, person_id)
    access.read(viewer, person, "measures", what, via="api")
    return viewer, person


@router.get("/schedules", response=list[ScheduleOut])
def schedules(request: HttpRequest, person_id: int | None = None) -> list[dict[str, Any]]:
    """Each questionnaire's schedule in force, any proposal waiting, and the latest declined or stopped one."""
    _viewer, person = _schedule_reader(request, person_id, "api:measures schedules")
    return [_sched_out(s) for s in queries.schedule_rows(person)]


@router.get("/schedules/history", response=list[ScheduleEventOut])
def schedule_history(request: HttpRequest, person_id: int | None = None) -> list[dict[str, Any]]:
    """Who changed which schedule and when, newest first (a therapist's read is in the client's access log)."""
    viewer, person = _schedule_reader(request, person_id, "api:measures schedule history")
    return queries.schedule_history(person, for_person=person.pk == viewer.pk, limit=200)


@router.post("/schedules", response={201: ScheduleOut})
def schedule_create(request: HttpRequest, payload: ScheduleIn) -> Status:
    """Your own schedule starts at once; a therapist's (with ``person_id``) is a proposal the client answers."""
    viewer = _me(request)
    person = _schedule_target(viewer, payload.person_id)
    if person.pk == viewer.pk:
        s = services.set_schedule(person, payload.instrument_id, payload.cadence_days, payload.window_days)
    else:
        s = services.propose_schedule(viewer, person, payload.instrument_id, payload.cadence_days, payload.window_days)
    return Status(201, _sched_out(s))


def _own_or_client_schedule(viewer: User, schedule_id: int) -> Schedule:
    s = (Schedule.objects.filter(pk=schedule_id).filter(Q(active=True) | Q(status=ScheduleStatus.PROPOSED))
         .select_related("person").first())
    if s is None:
        raise Http404
    try:
        _schedule_target(viewer, s.person_id)
    except access.AccessDenied:
        raise Http404 from None
    return s


@router.put("/schedules/{schedule_id}", response={200: ScheduleOut, 202: ScheduleOut})
def schedule_update(request: HttpRequest, schedule_id: int, payload: ScheduleUpdate) -> Status:
    """Change a schedule. Yours: at once (200). A client's: a new proposal they answer (202)."""
    viewer = _me(request)
    s = _own_or_client_schedule(viewer, schedule_id)
    if s.person_id != viewer.pk:
        new = services.propose_schedule(viewer, s.person, s.instrument_id, payload.cadence_days, payload.window_days)
        return Status(202, _sched_out(new))
    if s.status == ScheduleStatus.PROPOSED:
        raise ValidationError({"schedule_id": "this is your therapist's proposal: accept or decline it "
                                              "(POST /api/measures/schedules/{schedule_id}/respond)"})
    new = services.set_schedule(viewer, s.instrument_id, payload.cadence_days, payload.window_days)
    return Status(200, _sched_out(new))


@router.delete("/schedules/{schedule_id}", response={204: None})
def schedule_delete(request: HttpRequest, schedule_id: int) -> Status:
    """Stop a schedule at once; on a proposal, the therapist withdraws it and the client declines it."""
    viewer = _me(request)
    s = _own_or_client_schedule(viewer, schedule_id)
    services.stop_schedule(s.person, s.pk, by=viewer)
    return Status(204, None)


@router.post("/schedules/{schedule_id}/respond", response=ScheduleOut)
def schedule_respond(request: HttpRequest, schedule_id: int, payload: RespondIn) -> dict[str, Any]:
    """Accept or decline a schedule your therapist proposed. Only you can; for anyone else it does not exist."""
    viewer = _me(request)
    if not Schedule.objects.filter(pk=schedule_id, person=viewer).exclude(set_by_role="person").exists():
        raise Http404
    return _sched_out(services.respond_to_proposal(viewer, schedule_id, payload.action == "accept"))


@router.get("/fhir/export", response=dict[str, Any])
def fhir_export(request: HttpRequest) -> dict[str, Any]:
    """Your results as a FHIR R4 collection Bundle."""
    return queries.fhir_bundle(_me(request))


@router.post("/fhir/import", response={201: ImportOut}, openapi_extra={"requestBody": {"content": {"application/fhir+json": {"schema": {"type": "object"}}, "application/json": {"schema": {"type": "object"}}}}})
def fhir_import(request: HttpRequest) -> Status:
    """Import a FHIR Bundle or QuestionnaireResponse: the request body is the FHIR JSON itself."""
    try:
        payload = json.loads(request.body or b"")
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise ValidationError({"file": "the body is not valid JSON"}) from None
    try:
        subs = services.import_fhir(_me(request), payload)
    except InstrumentError as exc:
        raise ValidationError({"file": str(exc)}) from None
    return Status(201, {"imported": len(subs), "ids": [s.administration.pk for s in subs],
                 "show_crisis_help": any(s.risk is not None for s in subs)})

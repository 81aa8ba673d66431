"""JSON API for closeness practice: CRUD for your own data, summaries for a therapist with scope,
and therapist suggestions. Mounted at ``/api/practice/``."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from ninja import Field, Router, Schema, Status

from nearer.accounts.models import User
from nearer.apitypes import InstantIn
from nearer.practice import queries, services
from nearer.practice import suggestion_bank as bank
from nearer.practice.models import (
    Experiment,
    FormulationVersion,
    LadderStep,
    MomentRecord,
    SuggestionState,
    TherapistSuggestion,
)
from nearer.privacy import access
from nearer.safety.services import RiskOutcome

router = Router()

Percent = Annotated[int, Field(ge=0, le=100)]


def _me(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _lang() -> str:
    return bank.normalise_lang(get_language())


def _risk(outcome: RiskOutcome) -> dict[str, Any]:
    return {"show_crisis_help": bool(outcome.show_card), "level": outcome.level}


class Risk(Schema):
    show_crisis_help: bool
    level: str


# ------------------------------------------------------------------ worksheet


class FormulationIn(Schema):
    past_closeness: list[str] = []
    past_closeness_own: str = ""
    expectation: str = ""
    moves: list[str] = []
    moves_own: str = ""
    once_job: str = ""
    cost: str = ""
    switch_on: str = ""
    small_step: str = ""


class FormulationOut(FormulationIn):
    id: int
    number: int
    created_at: datetime


class FormulationSaved(Schema):
    version: FormulationOut
    risk: Risk


@router.get("/formulation", response=list[FormulationOut])
def formulation_versions(request: HttpRequest) -> list[FormulationVersion]:
    """Every saved version of your worksheet, newest first."""
    return list(FormulationVersion.objects.filter(owner=_me(request)).order_by("-number"))


@router.post("/formulation", response={201: FormulationSaved})
def formulation_save(request: HttpRequest, payload: FormulationIn) -> Status:
    version, risk = services.save_formulation(_me(request), payload.dict())
    return Status(201, {"version": version, "risk": _risk(risk)})


# ------------------------------------------------------------------ ladder


class StepIn(Schema):
    suggestion_id: str = ""
    text: str = Field("", max_length=300)
    difficulty: int | None = Field(None, ge=0, le=100)


class StepPatch(Schema):
    text: str | None = Field(None, max_length=300)
    difficulty: int | None = Field(None, ge=0, le=100)


class StepOut(Schema):
    id: int
    label: str
    text: str
    suggestion_id: str
    difficulty: int
    source: str
    done_comfortably: bool
    experiments: int


class LadderOut(Schema):
    steps: list[StepOut]
    next_step_id: int | None
    next_reason: str
    ceiling: int
    margin: int


class StepSaved(Schema):
    step: StepOut
    risk: Risk


def _step_out(row: dict[str, Any]) -> dict[str, Any]:
    step: LadderStep = row["step"]
    return {"id": step.pk, "label": row["label"], "text": step.text, "suggestion_id": step.suggestion_id,
            "difficulty": step.difficulty, "source": step.source, "done_comfortably": row["comfortable"],
            "experiments": row["tried"]}


def _one_step(user: User, step_id: int) -> dict[str, Any]:
    lad = queries.ladder(user, _lang())
    return _step_out(next(r for r in lad["rows"] if r["step"].pk == step_id))


@router.get("/steps", response=LadderOut)
def steps_list(request: HttpRequest) -> dict[str, Any]:
    """Your ladder and the suggested next step (see docs/practice.md for the rule)."""
    lad = queries.ladder(_me(request), _lang())
    return {"steps": [_step_out(r) for r in lad["rows"]], "next_step_id": lad["next"].key,
            "next_reason": lad["next"].reason, "ceiling": lad["next"].ceiling, "margin": lad["margin"]}


@router.post("/steps", response={201: StepSaved})
def steps_create(request: HttpRequest, payload: StepIn) -> Status:
    user = _me(request)
    step, risk = services.add_step(user, **payload.dict())
    return Status(201, {"step": _one_step(user, step.pk), "risk": _risk(risk)})


def _own_step(user: User, step_id: int) -> LadderStep:
    return get_object_or_404(LadderStep, pk=step_id, owner=user, archived_at__isnull=True)


@router.patch("/steps/{step_id}", response=StepSaved)
def steps_update(request: HttpRequest, step_id: int, payload: StepPatch) -> dict[str, Any]:
    user = _me(request)
    step, risk = services.update_step(user, _own_step(user, step_id), text=payload.text, difficulty=payload.difficulty)
    return {"step": _one_step(user, step.pk), "risk": _risk(risk)}


@router.delete("/steps/{step_id}", response={204: None})
def steps_delete(request: HttpRequest, step_id: int) -> Status:
    user = _me(request)
    services.archive_step(user, _own_step(user, step_id))
    return Status(204, None)


@router.get("/bank", response=dict[str, Any])
def suggestion_bank(request: HttpRequest) -> dict[str, Any]:
    """The suggested steps and choices, in the request's language."""
    lang = _lang()
    return {
        "ladder_steps": [{"id": s.id, "label": s.text(lang), "typical_difficulty": s.typical_difficulty,
                          "category": s.category} for s in bank.ladder_steps()],
        "past_closeness": [{"id": i, "label": label} for i, label in bank.choices("past_closeness", lang)],
        "moves": [{"id": i, "label": label} for i, label in bank.choices("moves", lang)],
        "moment_kinds": [{"id": i, "label": label} for i, label in bank.choices("moment_kinds", lang)],
        "first_readings": [{"id": i, "label": label} for i, label in bank.choices("first_readings", lang)],
        "emotions": [{"id": i, "label": label} for i, label in bank.choices("emotions", lang)],
    }


# ------------------------------------------------------------------ experiments


class ExperimentIn(Schema):
    step_id: int | None = None
    planned_for: InstantIn | None = None
    when_text: str = Field("", max_length=500)
    fear: str = Field(..., min_length=1, max_length=4000)
    belief_before: Percent
    expected_anxiety: Percent


class OutcomeIn(Schema):
    what_happened: str = Field(..., min_length=1, max_length=4000)
    outcome: Literal["no", "partly", "yes"]
    belief_after: Percent
    actual_anxiety: int | None = Field(None, ge=0, le=100)
    learned: str = Field("", max_length=4000)


class ExperimentOut(Schema):
    id: int
    step_id: int | None
    planned_for: datetime | None
    when_text: str
    fear: str
    belief_before: int
    expected_anxiety: int
    done_at: datetime | None
    what_happened: str
    outcome: str
    belief_after: int | None
    actual_anxiety: int | None
    learned: str
    done_comfortably: bool = Field(..., alias="comfortable")


class ExperimentSaved(Schema):
    experiment: ExperimentOut
    risk: Risk


@router.get("/experiments", response=list[ExperimentOut])
def experiments_list(request: HttpRequest) -> list[Experiment]:
    return list(Experiment.objects.filter(owner=_me(request)))


@router.post("/experiments", response={201: ExperimentSaved})
def experiments_create(request: HttpRequest, payload: ExperimentIn) -> Status:
    user = _me(request)
    step = _own_step(user, payload.step_id) if payload.step_id is not None else None
    data = payload.dict()
    data.pop("step_id")
    exp, risk = services.plan_experiment(user, step=step, **data)
    return Status(201, {"experiment": exp, "risk": _risk(risk)})


def _own_experiment(user: User, experiment_id: int) -> Experiment:
    return get_object_or_404(Experiment, pk=experiment_id, owner=user)


@router.get("/experiments/{experiment_id}", response=ExperimentOut)
def experiments_detail(request: HttpRequest, experiment_id: int) -> Experiment:
    return _own_experiment(_me(request), experiment_id)


@router.post("/experiments/{experiment_id}/outcome", response=ExperimentSaved)
def experiments_outcome(request: HttpRequest, experiment_id: int, payload: OutcomeIn) -> dict[str, Any]:
    user = _me(request)
    exp, risk = services.record_outcome(user, _own_experiment(user, experiment_id), **payload.dict())
    return {"experiment": exp, "risk": _risk(risk)}


@router.delete("/experiments/{experiment_id}", response={204: None})
def experiments_delete(request: HttpRequest, experiment_id: int) -> Status:
    user = _me(request)
    services.delete_experiment(user, _own_experiment(user, experiment_id))
    return Status(204, None)


# ------------------------------------------------------------------ present or past


class RecordIn(Schema):
    kind: str = "other"
    what_happened: str = Field(..., min_length=1, max_length=4000)


class FeelingIn(Schema):
    id: str
    strength: Percent


class RecordStepIn(Schema):
    step: str
    first_reading_id: str = ""
    first_reading_own: str = Field("", max_length=500)
    feelings: list[FeelingIn] = []
    feelings_own: str = Field("", max_length=300)
    feelings_own_strength: int | None = Field(None, ge=0, le=100)
    text: str = Field("", max_length=4000, description="The answer for a text step (echo, evidence_for, ...)")
    intensity_after: int | None = Field(None, ge=0, le=100)


class RecordOut(Schema):
    id: int
    created_at: datetime
    kind: str
    what_happened: str
    first_reading_id: str
    first_reading_own: str
    feelings: list[dict[str, Any]]
    feelings_own: str
    intensity_before: int | None
    echo: str
    evidence_for: str
    evidence_against: str
    other_reading: str
    intensity_after: int | None
    next_step: str
    current_step: str
    completed_at: datetime | None


class RecordSaved(Schema):
    record: RecordOut
    risk: Risk


@router.get("/records", response=list[RecordOut])
def records_list(request: HttpRequest) -> list[MomentRecord]:
    return list(MomentRecord.objects.filter(owner=_me(request)))


@router.post("/records", response={201: RecordSaved})
def records_create(request: HttpRequest, payload: RecordIn) -> Status:
    rec, risk = services.start_record(_me(request), **payload.dict())
    return Status(201, {"record": rec, "risk": _risk(risk)})


def _own_record(user: User, record_id: int) -> MomentRecord:
    return get_object_or_404(MomentRecord, pk=record_id, owner=user)


@router.get("/records/{record_id}", response=RecordOut)
def records_detail(request: HttpRequest, record_id: int) -> MomentRecord:
    return _own_record(_me(request), record_id)


@router.post("/records/{record_id}/steps", response=RecordSaved)
def records_answer(request: HttpRequest, record_id: int, payload: RecordStepIn) -> dict[str, Any]:
    """Answer one step (in order: first_reading, feelings, pause, echo, evidence_for, evidence_against,
    other_reading, feelings_now, next_step)."""
    user = _me(request)
    data = payload.dict()
    data["feelings"] = data["feelings"] or None
    if payload.step in services.RECORD_TEXT_STEPS:
        data[payload.step] = payload.text
    rec, risk = services.answer_record_step(user, _own_record(user, record_id), payload.step, data)
    return {"record": rec, "risk": _risk(risk)}


@router.delete("/records/{record_id}", response={204: None})
def records_delete(request: HttpRequest, record_id: int) -> Status:
    user = _me(request)
    services.delete_record(user, _own_record(user, record_id))
    return Status(204, None)


@router.get("/patterns", response=dict[str, Any])
def patterns(request: HttpRequest) -> dict[str, Any]:
    pat = queries.patterns(_me(request), _lang())
    return {"records": pat["patterns"].total, "rerated": pat["patterns"].rated, "mean_drop": pat["mean_drop"],
            "kinds": pat["kinds"], "sentence": str(pat["sentence"])}


@router.get("/summary", response=dict[str, Any])
def my_summary(request: HttpRequest) -> dict[str, Any]:
    """Your own practice summary (the same numbers a therapist with scope sees)."""
    return queries.practice_summary(_me(request))


# ------------------------------------------------------------------ with a therapist


def _client(client_id: int) -> User:
    client = User.objects.filter(pk=client_id, is_active=True).first()
    if client is None:
        raise Http404
    return client


@router.get("/clients/{client_id}/summary", response=dict[str, Any])
def client_summary(request: HttpRequest, client_id: int) -> dict[str, Any]:
    """Counts and ratings for a client who shares ``practice_summaries`` with you."""
    viewer, client = _me(request), _client(client_id)
    access.read(viewer, client, "practice_summaries", "api:practice:summary", via="api")
    return queries.practice_summary(client)


class EntriesOut(Schema):
    formulation: FormulationOut | None
    steps: list[dict[str, Any]]
    experiments: list[ExperimentOut]
    records: list[RecordOut]


@router.get("/clients/{client_id}/entries", response=EntriesOut)
def client_entries(request: HttpRequest, client_id: int) -> dict[str, Any]:
    """What a client wrote, when they share ``practice_entries`` with you."""
    viewer, client = _me(request), _client(client_id)
    access.read(viewer, client, "practice_entries", "api:practice:entries", via="api")
    entries = queries.practice_entries(client, _lang())
    return {"formulation": entries["formulation"]["version"] if entries["formulation"] else None,
            "steps": entries["steps"], "experiments": entries["experiments"], "records": entries["records"]}


class SuggestionIn(Schema):
    kind: Literal["ladder_step", "present_or_past"]
    suggestion_id: str = ""
    text: str = Field("", max_length=300)
    difficulty: int | None = Field(None, ge=0, le=100)
    note: str = Field("", max_length=1000)


class SuggestionOut(Schema):
    id: int
    client_id: int
    therapist_id: int | None
    kind: str
    suggestion_id: str
    text: str
    difficulty: int | None
    note: str
    state: str
    created_at: datetime
    responded_at: datetime | None
    step_id: int | None


class RespondIn(Schema):
    action: Literal["accept", "edit", "decline"]
    text: str | None = Field(None, max_length=300)
    difficulty: int | None = Field(None, ge=0, le=100)


class SuggestionSaved(Schema):
    suggestion: SuggestionOut
    risk: Risk


def _sugg_out(s: TherapistSuggestion, for_therapist: bool) -> dict[str, Any]:
    # A therapist sees the state of what they suggested, never the client's edited wording.
    return {"id": s.pk, "client_id": s.client_id, "therapist_id": s.therapist_id, "kind": s.kind,
            "suggestion_id": s.suggestion_id, "text": s.text, "difficulty": s.difficulty, "note": s.note,
            "state": s.state, "created_at": s.created_at, "responded_at": s.responded_at,
            "step_id": None if for_therapist else s.step_id}


@router.get("/clients/{client_id}/suggestions", response=list[SuggestionOut])
def client_suggestions(request: HttpRequest, client_id: int) -> list[dict[str, Any]]:
    """The suggestions you made to this client and how they answered."""
    viewer, client = _me(request), _client(client_id)
    if not services.can_suggest(viewer, client):
        raise access.AccessDenied("no_link")
    return [_sugg_out(s, True) for s in queries.suggestions_for(client, viewer)]


@router.post("/clients/{client_id}/suggestions", response={201: SuggestionOut})
def client_suggest(request: HttpRequest, client_id: int, payload: SuggestionIn) -> Status:
    viewer, client = _me(request), _client(client_id)
    sug = services.suggest(viewer, client, **payload.dict())
    return Status(201, _sugg_out(sug, True))


@router.get("/suggestions", response=list[SuggestionOut])
def my_suggestions(request: HttpRequest, state: str = "") -> list[dict[str, Any]]:
    """Suggestions your therapist made to you."""
    qs = TherapistSuggestion.objects.filter(client=_me(request))
    if state in SuggestionState.values:
        qs = qs.filter(state=state)
    return [_sugg_out(s, False) for s in qs]


@router.post("/suggestions/{suggestion_id}/respond", response=SuggestionSaved)
def respond(request: HttpRequest, suggestion_id: int, payload: RespondIn) -> dict[str, Any]:
    user = _me(request)
    sug = get_object_or_404(TherapistSuggestion, pk=suggestion_id, client=user)
    sug, risk = services.respond_to_suggestion(user, sug, payload.action, text=payload.text, difficulty=payload.difficulty)
    return {"suggestion": _sugg_out(sug, False), "risk": _risk(risk)}

"""Every change to practice data goes through one of these functions (atomic).

Each function that stores words a person wrote screens them through the safety service after
saving, in the same transaction, and returns the ``RiskOutcome`` next to the saved object so the
caller can show the crisis card in the same response.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nearer.accounts.models import User
from nearer.practice import suggestion_bank as bank
from nearer.practice.models import (
    Experiment,
    FormulationVersion,
    LadderStep,
    MomentRecord,
    Outcome,
    StepSource,
    SuggestionKind,
    SuggestionState,
    TherapistSuggestion,
)
from nearer.privacy import access
from nearer.safety.services import NO_RISK, RiskOutcome, check_text_and_respond

MAX_TEXT = 4000
MAX_STEP_TEXT = 300

#: The steps of a present-or-past record after "what happened", in order.
RECORD_STEPS: tuple[str, ...] = tuple(s.id for s in bank.worksheet("present_or_past").steps if s.id != "what_happened")
RECORD_TEXT_STEPS = {"echo", "evidence_for", "evidence_against", "other_reading", "next_step"}


# ------------------------------------------------------------------ helpers


def _screen(person: User, tool: str, texts: Iterable[str], ref: Any) -> RiskOutcome:
    text = "\n".join(t for t in texts if t and t.strip())
    if not text:
        return NO_RISK
    return check_text_and_respond(person, f"practice.{tool}", text, ref=ref)


def _text(field: str, value: Any, limit: int = MAX_TEXT, required: bool = False) -> str:
    value = "" if value is None else str(value).strip()
    if required and not value:
        raise ValidationError({field: _("Please write a few words here.")})
    if len(value) > limit:
        raise ValidationError({field: _("Please keep this under %(n)s characters.") % {"n": limit}})
    return value


def _percent(field: str, value: Any, required: bool = True) -> int | None:
    if value is None or value == "":
        if required:
            raise ValidationError({field: _("Choose a number from 0 to 100.")})
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError({field: _("Choose a number from 0 to 100.")})
    if isinstance(value, float) and value != number:
        raise ValidationError({field: _("Choose a whole number from 0 to 100.")})
    if not 0 <= number <= 100:
        raise ValidationError({field: _("Choose a number from 0 to 100.")})
    return number


def _ids(field: str, values: Any, group: str) -> list[str]:
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    allowed = {oid for oid, _label in bank.choices(group)}
    out: list[str] = []
    for v in values:
        if v not in allowed:
            raise ValidationError({field: _("Choose from the list.")})
        if v not in out:
            out.append(v)
    return out


def _own(owner: User, obj: Any, attr: str = "owner_id") -> None:
    if getattr(obj, attr) != owner.pk:
        raise access.AccessDenied("not_owner")


# ------------------------------------------------------------------ the worksheet


@transaction.atomic
def save_formulation(owner: User, data: Mapping[str, Any]) -> tuple[FormulationVersion, RiskOutcome]:
    """Save the worksheet as a new version (the old ones stay as history)."""
    values: dict[str, Any] = {
        "past_closeness": _ids("past_closeness", data.get("past_closeness"), "past_closeness"),
        "moves": _ids("moves", data.get("moves"), "moves"),
    }
    for field in FormulationVersion.TEXT_FIELDS:
        values[field] = _text(field, data.get(field))
    if not any(values.values()):
        raise ValidationError({"past_closeness": _("Answer at least one question before saving.")})
    latest = FormulationVersion.objects.filter(owner=owner).order_by("-number").first()
    if latest is not None and all(getattr(latest, k) == v for k, v in values.items()):
        return latest, NO_RISK
    number = (latest.number if latest else 0) + 1
    version = FormulationVersion.objects.create(owner=owner, number=number, **values)
    return version, _screen(owner, "formulation", (values[f] for f in FormulationVersion.TEXT_FIELDS), version)


# ------------------------------------------------------------------ the ladder


def _step_values(text: Any, suggestion_id: Any, difficulty: Any) -> tuple[str, str, int]:
    suggestion_id = (suggestion_id or "").strip()
    text = _text("text", text, MAX_STEP_TEXT)
    if suggestion_id:
        try:
            suggested = bank.ladder_step(suggestion_id)
        except KeyError:
            raise ValidationError({"suggestion_id": _("Choose a step from the list.")})
        if difficulty in (None, ""):
            difficulty = suggested.typical_difficulty
    elif not text:
        raise ValidationError({"text": _("Pick a suggested step or write your own.")})
    number = _percent("difficulty", difficulty)
    assert number is not None
    return text, suggestion_id, number


@transaction.atomic
def add_step(owner: User, *, text: Any = "", suggestion_id: Any = "", difficulty: Any = None,
             source: str = StepSource.OWN) -> tuple[LadderStep, RiskOutcome]:
    text, suggestion_id, number = _step_values(text, suggestion_id, difficulty)
    if suggestion_id and source == StepSource.OWN and not text:
        source = StepSource.SUGGESTED
    step = LadderStep.objects.create(owner=owner, text=text, suggestion_id=suggestion_id, difficulty=number, source=source)
    return step, _screen(owner, "ladder", [text], step)


@transaction.atomic
def update_step(owner: User, step: LadderStep, *, text: Any = None, difficulty: Any = None) -> tuple[LadderStep, RiskOutcome]:
    _own(owner, step)
    if text is not None:
        cleaned = _text("text", text, MAX_STEP_TEXT)
        if not cleaned and not step.suggestion_id:
            raise ValidationError({"text": _("Please write a few words here.")})
        step.text = cleaned
    if difficulty is not None:
        step.difficulty = _percent("difficulty", difficulty) or 0
    step.save()
    return step, _screen(owner, "ladder", [step.text] if text is not None else [], step)


@transaction.atomic
def archive_step(owner: User, step: LadderStep) -> None:
    _own(owner, step)
    step.archived_at = timezone.now()
    step.save(update_fields=["archived_at"])


# ------------------------------------------------------------------ experiments


@transaction.atomic
def plan_experiment(owner: User, *, step: LadderStep | None, fear: Any, belief_before: Any, expected_anxiety: Any,
                    when_text: Any = "", planned_for: datetime | None = None) -> tuple[Experiment, RiskOutcome]:
    if step is not None:
        _own(owner, step)
        if step.archived_at is not None:
            raise ValidationError({"step": _("Choose a step from your ladder.")})
    exp = Experiment.objects.create(
        owner=owner,
        step=step,
        planned_for=planned_for,
        when_text=_text("when_text", when_text, 500),
        fear=_text("fear", fear, required=True),
        belief_before=_percent("belief_before", belief_before) or 0,
        expected_anxiety=_percent("expected_anxiety", expected_anxiety) or 0,
    )
    return exp, _screen(owner, "experiment", [exp.when_text, exp.fear], exp)


@transaction.atomic
def record_outcome(owner: User, exp: Experiment, *, what_happened: Any, outcome: Any, belief_after: Any,
                   actual_anxiety: Any = None, learned: Any = "") -> tuple[Experiment, RiskOutcome]:
    _own(owner, exp)
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose no, partly or yes.")})
    exp.what_happened = _text("what_happened", what_happened, required=True)
    exp.outcome = outcome
    exp.belief_after = _percent("belief_after", belief_after)
    exp.actual_anxiety = _percent("actual_anxiety", actual_anxiety, required=False)
    exp.learned = _text("learned", learned)
    exp.done_at = exp.done_at or timezone.now()
    exp.save()
    return exp, _screen(owner, "experiment", [exp.what_happened, exp.learned], exp)


@transaction.atomic
def delete_experiment(owner: User, exp: Experiment) -> None:
    _own(owner, exp)
    exp.delete()


# ------------------------------------------------------------------ present or past


@transaction.atomic
def start_record(owner: User, *, kind: Any, what_happened: Any) -> tuple[MomentRecord, RiskOutcome]:
    kind_ids = _ids("kind", kind or "other", "moment_kinds")
    rec = MomentRecord.objects.create(
        owner=owner,
        kind=kind_ids[0] if kind_ids else "other",
        what_happened=_text("what_happened", what_happened, required=True),
        current_step=RECORD_STEPS[0],
    )
    return rec, _screen(owner, "present_or_past", [rec.what_happened], rec)


def _feelings(data: Mapping[str, Any]) -> tuple[list[dict[str, Any]], str, int]:
    """Parse ``feelings`` as ``[{"id", "strength"}]`` or form keys ``feeling_<id>`` = strength."""
    raw = data.get("feelings")
    pairs: list[tuple[Any, Any]] = []
    if isinstance(raw, list):
        for item in raw:
            if not isinstance(item, Mapping):
                raise ValidationError({"feelings": _("Give each feeling a number from 0 to 100.")})
            pairs.append((item.get("id"), item.get("strength")))
    else:
        for oid, _label in bank.choices("emotions"):
            value = data.get(f"feeling_{oid}")
            if value not in (None, ""):
                pairs.append((oid, value))
    allowed = {oid for oid, _label in bank.choices("emotions")}
    out: list[dict[str, Any]] = []
    for oid, strength in pairs:
        if oid not in allowed:
            raise ValidationError({"feelings": _("Choose from the list.")})
        out.append({"id": oid, "strength": _percent("feelings", strength)})
    own = _text("feelings_own", data.get("feelings_own"), 300)
    own_strength = _percent("feelings_own_strength", data.get("feelings_own_strength"), required=False)
    if own and own_strength is not None:
        out.append({"id": "own", "strength": own_strength})
    if not out:
        raise ValidationError({"feelings": _("Give at least one feeling a number from 0 to 100.")})
    return out, own, max(int(f["strength"]) for f in out)


@transaction.atomic
def answer_record_step(owner: User, rec: MomentRecord, step_id: str, data: Mapping[str, Any]) -> tuple[MomentRecord, RiskOutcome]:
    """Save one step of a present-or-past record and move to the next one."""
    _own(owner, rec)
    if step_id not in RECORD_STEPS:
        raise ValidationError({"step": _("That step does not exist.")})
    texts: list[str] = []
    if step_id == "first_reading":
        chosen = _ids("first_reading_id", data.get("first_reading_id") or None, "first_readings")
        own = _text("first_reading_own", data.get("first_reading_own"), 500)
        if not chosen and not own:
            raise ValidationError({"first_reading_id": _("Pick a reading or write your own.")})
        rec.first_reading_id = chosen[0] if chosen else ""
        rec.first_reading_own = own
        texts = [own]
    elif step_id == "feelings":
        rec.feelings, rec.feelings_own, rec.intensity_before = _feelings(data)
        texts = [rec.feelings_own]
    elif step_id == "pause":
        pass
    elif step_id == "feelings_now":
        rec.intensity_after = _percent("intensity_after", data.get("intensity_after"))
    else:
        value = _text(step_id, data.get(step_id))
        setattr(rec, step_id, value)
        texts = [value]
    index = RECORD_STEPS.index(step_id)
    if rec.current_step != "done":
        if index > RECORD_STEPS.index(rec.current_step):
            raise ValidationError({"step": _("Please answer the earlier steps first.")})
        # Answering an earlier step again does not send the person back.
        if index == RECORD_STEPS.index(rec.current_step):
            if index + 1 < len(RECORD_STEPS):
                rec.current_step = RECORD_STEPS[index + 1]
            else:
                rec.current_step = "done"
                rec.completed_at = timezone.now()
    rec.save()
    return rec, _screen(owner, "present_or_past", texts, rec)


@transaction.atomic
def delete_record(owner: User, rec: MomentRecord) -> None:
    _own(owner, rec)
    rec.delete()


# ------------------------------------------------------------------ with a therapist


def can_suggest(therapist: User, client: User) -> bool:
    """A therapist with an active therapist link carrying ``practice_summaries`` (and MFA)."""
    if not therapist.is_authenticated or not getattr(therapist, "is_therapist", False) or therapist.pk == client.pk:
        return False
    link = access.active_link(therapist, client)
    return link is not None and link.kind == "therapist" and access.can_read(therapist, client, "practice_summaries")


@transaction.atomic
def suggest(therapist: User, client: User, *, kind: Any, suggestion_id: Any = "", text: Any = "",
            difficulty: Any = None, note: Any = "") -> TherapistSuggestion:
    if not can_suggest(therapist, client):
        raise access.AccessDenied("no_link")
    if kind not in SuggestionKind.values:
        raise ValidationError({"kind": _("Choose what you are suggesting.")})
    values: dict[str, Any] = {"note": _text("note", note, 1000)}
    if kind == SuggestionKind.LADDER_STEP:
        text, sid, number = _step_values(text, suggestion_id, difficulty)
        values.update(text=text, suggestion_id=sid, difficulty=number)
    # The therapist's own words are not screened: screening looks after the person who writes.
    return TherapistSuggestion.objects.create(client=client, therapist=therapist, kind=kind, **values)


@transaction.atomic
def respond_to_suggestion(owner: User, sug: TherapistSuggestion, action: Any, *, text: Any = None,
                          difficulty: Any = None) -> tuple[TherapistSuggestion, RiskOutcome]:
    """The person accepts, edits (then accepts) or declines a therapist's suggestion."""
    _own(owner, sug, "client_id")
    if sug.state != SuggestionState.PENDING:
        raise ValidationError({"action": _("You have already answered this suggestion.")})
    outcome = NO_RISK
    if action == "decline":
        sug.state = SuggestionState.DECLINED
    elif action in ("accept", "edit"):
        if sug.kind == SuggestionKind.LADDER_STEP:
            if action == "edit":
                step_text = _text("text", text, MAX_STEP_TEXT)
                number = _percent("difficulty", difficulty if difficulty not in (None, "") else sug.difficulty)
                step, outcome = add_step(owner, text=step_text or sug.text, suggestion_id=sug.suggestion_id,
                                         difficulty=number, source=StepSource.THERAPIST)
            else:
                step = LadderStep.objects.create(owner=owner, text=sug.text, suggestion_id=sug.suggestion_id,
                                                 difficulty=sug.difficulty or 0, source=StepSource.THERAPIST)
            sug.step = step
        elif action == "edit":
            raise ValidationError({"action": _("This suggestion can be accepted or declined.")})
        sug.state = SuggestionState.EDITED if action == "edit" else SuggestionState.ACCEPTED
    else:
        raise ValidationError({"action": _("Choose accept, edit or decline.")})
    sug.responded_at = timezone.now()
    sug.save()
    return sug, outcome

"""Every change to measures data: answering, importing, schedules, missed occurrences, clinic instruments.

Each public function is atomic. Errors a person can fix are ``django.core.exceptions.ValidationError``
with the field (for answers: ``answers.<linkId>``) so the web form and the API report them alike.
"""

from __future__ import annotations

import json
import logging
import math
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from nearer.measures import (
    Instrument,
    InstrumentError,
    ScoringError,
    get_instrument,
    list_instruments,
    load_definition,
    register_instrument,
)
from nearer.measures.change import ChangeError, reliable_change_for
from nearer.measures.definitions import BUILTIN_IDS
from nearer.measures.models import (
    Administration,
    ClinicInstrument,
    DueMeasure,
    DueState,
    Schedule,
    ScheduleAction,
    ScheduleEvent,
    ScheduleStatus,
    SetBy,
    Source,
)
from nearer.measures.scoring import ScoreResult, score_instrument
from nearer.safety.services import RiskOutcome, signal_risk

log = logging.getLogger(__name__)

ITEM9_SOURCE = "measures.phq9_item9"
ITEM9_REASON = "phq9.item9"
# Imported PHQ-9s older than the questionnaire's own recall period (two weeks) are history, not a
# signal about now: they are stored, but they do not raise a new alert.
IMPORT_ALERT_DAYS = 14
MAX_CADENCE_DAYS = 365
# Never create more than this many occurrences in one pass (a schedule left for years).
_MAX_NEW_OCCURRENCES = 400


# --------------------------------------------------------------------------
# Clinic instruments: stored in the database, registered with the core on first use
# --------------------------------------------------------------------------

_loaded: dict[str, datetime] = {}
_loaded_lock = threading.Lock()


def ensure_clinic_instruments() -> None:
    """Register every active clinic instrument with the scoring core (cheap when nothing changed)."""
    rows = list(ClinicInstrument.objects.filter(active=True).values_list("instrument_id", "updated_at"))
    with _loaded_lock:
        wanted = dict(rows)
        for iid in [i for i in _loaded if i not in wanted]:
            _forget(iid)
        stale = [iid for iid, at in wanted.items() if _loaded.get(iid) != at]
    for row in ClinicInstrument.objects.filter(instrument_id__in=stale):
        try:
            register_instrument(load_definition(row.definition), replace=True)
        except InstrumentError:
            log.warning("a stored clinic instrument could not be registered", extra={"instrument_id": row.instrument_id})
            continue
        with _loaded_lock:
            _loaded[row.instrument_id] = row.updated_at


def _forget(iid: str) -> None:
    from nearer.measures import unregister_instrument

    _loaded.pop(iid, None)
    try:
        unregister_instrument(iid)
    except InstrumentError:
        pass


def instrument(instrument_id: str) -> Instrument:
    """The instrument with this id (built-in or a registered clinic instrument); InstrumentError if unknown."""
    if instrument_id not in BUILTIN_IDS:
        ensure_clinic_instruments()
    return get_instrument(instrument_id)


def clinics_of(person: Any) -> set[int]:
    """The clinics whose instruments a person may answer: their own (staff) and their linked therapists'."""
    from nearer.accounts.models import Link

    ids = {person.clinic_id} if getattr(person, "clinic_id", None) else set()
    for link in Link.objects.active().filter(owner=person, kind="therapist").select_related("viewer"):
        if link.viewer.clinic_id:
            ids.add(link.viewer.clinic_id)
    return ids


def instruments_for(person: Any) -> list[Instrument]:
    """Instruments a person can answer: the built-ins plus their clinics' (and server-wide) ones."""
    ensure_clinic_instruments()
    allowed = set(
        ClinicInstrument.objects.filter(active=True)
        .filter(Q(clinic__isnull=True) | Q(clinic_id__in=clinics_of(person)))
        .values_list("instrument_id", flat=True)
    )
    return [i for i in list_instruments() if i.builtin or i.id in allowed]


def available_to(person: Any, instrument_id: str) -> Instrument:
    for inst in instruments_for(person):
        if inst.id == instrument_id:
            return inst
    raise ValidationError({"instrument_id": _("That questionnaire is not available to you.")})


@transaction.atomic
def add_clinic_instrument(definition: Any, *, clinic: Any = None, added_by: Any = None,
                          replace: bool = False) -> ClinicInstrument:
    """Validate and store a clinic-supplied definition; raises InstrumentError naming the problem."""
    inst = load_definition(definition)
    if inst.id in BUILTIN_IDS:
        raise InstrumentError(f"'{inst.id}' is a built-in instrument and cannot be replaced")
    raw = dict(definition) if isinstance(definition, Mapping) else json.loads(definition)
    existing = ClinicInstrument.objects.select_for_update().filter(instrument_id=inst.id).first()
    if existing is not None:
        if not replace:
            raise InstrumentError(f"an instrument with id '{inst.id}' already exists; use a new id or replace it")
        if existing.clinic_id != (clinic.pk if clinic else None):
            raise InstrumentError(f"the id '{inst.id}' belongs to another clinic; choose another id")
    for other in list_instruments():
        if other.id != inst.id and set(other.canonical_urls()) & set(inst.canonical_urls()):
            raise InstrumentError(f"instrument '{other.id}' already uses the canonical URL '{inst.url}'")
    now = timezone.now()
    if existing is None:
        row = ClinicInstrument.objects.create(
            clinic=clinic, instrument_id=inst.id, title=inst.title[:200], version=inst.version or "",
            definition=raw, added_by=added_by, created_at=now, updated_at=now,
        )
    else:
        existing.title, existing.version, existing.definition = inst.title[:200], inst.version or "", raw
        existing.added_by, existing.active, existing.updated_at = added_by, True, now
        existing.save()
        row = existing
    register_instrument(inst, replace=True)
    with _loaded_lock:
        _loaded[inst.id] = row.updated_at
    return row


# --------------------------------------------------------------------------
# Answering
# --------------------------------------------------------------------------


@dataclass
class Submitted:
    administration: Administration
    result: ScoreResult
    created: bool
    risk: RiskOutcome | None = None  # the safety outcome when PHQ-9 item 9 was above 0
    extra: dict[str, Any] = field(default_factory=dict)


def item9_level(value: float) -> str:
    """PHQ-9 item 9: 1 ("several days") is concern; 2 or 3 (more than half the days or more) is urgent.

    Any answer above 0 needs follow-up whatever the total, and the crisis card shows for every one
    of them. "Urgent" additionally means an unacknowledged alert is escalated to the clinic's
    on-call contact; frequent thoughts of death or self-harm warrant that.
    """
    return "urgent" if value >= 2 else "concern"


def _raise_item9(person: Any, adm: Administration, value: float) -> RiskOutcome:
    # signal_risk writes in a savepoint, never raises, and queues a retry when recording fails.
    return signal_risk(person, ITEM9_SOURCE, item9_level(value), reasons=(ITEM9_REASON,), ref=adm)


def _score(inst: Instrument, answers: Mapping[str, Any]) -> ScoreResult:
    try:
        return score_instrument(inst, answers)
    except ScoringError as exc:
        key = f"answers.{exc.link_id}" if exc.link_id else "answers"
        raise ValidationError({key: str(exc)}) from None


@transaction.atomic
def submit_administration(person: Any, instrument_id: str, answers: Mapping[str, Any], *,
                          source: str = Source.WEB, started_at: datetime | None = None,
                          completed_at: datetime | None = None, idempotency_key: str = "",
                          external_id: str = "", raise_signals: bool = True, language: str = "en") -> Submitted:
    """Score and save one administration; PHQ-9 item 9 above 0 calls the safety path in this transaction.

    Raises ValidationError naming ``instrument_id`` or ``answers.<linkId>``.
    """
    key = (idempotency_key or "").strip()[:80]
    if key:
        existing = Administration.objects.filter(person=person, idempotency_key=key).first()
        if existing is not None:
            inst = get_instrument(existing.instrument_id)
            return Submitted(existing, score_instrument(inst, existing.answers), created=False)
    inst = available_to(person, instrument_id)
    lang = (language or "en").strip().lower()
    if not inst.has_language(lang):
        raise ValidationError({"language": _("This questionnaire has no official version in that language.")})
    result = _score(inst, answers)
    now = timezone.now()
    adm = Administration(
        person=person, instrument_id=inst.id, instrument_version=inst.version or "", language=lang[:8],
        started_at=started_at, completed_at=completed_at or now, total=float(result.total),
        band_key=result.band.key, band_label=result.band.label, subscales=dict(result.subscales),
        source=source, idempotency_key=key, external_id=external_id[:120], created_at=now,
    )
    adm.answers = dict(result.answered)
    adm.flags = dict(result.flags)
    try:
        with transaction.atomic():
            adm.save()
    except IntegrityError:  # the same key raced us: return the one that won
        existing = Administration.objects.get(person=person, idempotency_key=key)
        return Submitted(existing, score_instrument(inst, existing.answers), created=False)
    recompute_series(person, inst.id, adm.instrument_version)
    _complete_occurrence(adm)
    adm.refresh_from_db()
    risk = None
    if raise_signals and result.flags.get("item9_positive"):
        risk = _raise_item9(person, adm, float(result.flags.get("item9_value") or 0))
    return Submitted(adm, result, created=True, risk=risk)


#: Questionnaires that ask about the last two weeks: change is read only between answers this far apart.
TWO_WEEK_RECALL = frozenset({"phq9", "gad7", "phq2"})
MIN_DAYS_APART = 14


def min_days_apart(instrument_id: str) -> int:
    """How many days apart two answers must be before a change label compares them (0: any)."""
    return MIN_DAYS_APART if instrument_id in TWO_WEEK_RECALL else 0


def too_soon(instrument_id: str, earlier: datetime, later: datetime) -> bool:
    gap = min_days_apart(instrument_id)
    return bool(gap) and (later - earlier) < timedelta(days=gap)


def recent_answer(person: Any, instrument_id: str, now: datetime | None = None) -> Administration | None:
    """The person's last answer to a two-week questionnaire if it is less than two weeks old."""
    gap = min_days_apart(instrument_id)
    if not gap:
        return None
    now = now or timezone.now()
    return (Administration.objects.filter(person=person, instrument_id=instrument_id,
                                          completed_at__gt=now - timedelta(days=gap))
            .order_by("-completed_at", "-pk").first())


def recompute_series(person: Any, instrument_id: str, version: str) -> None:
    """Recompute change labels of one person's series (one instrument, one version) in date order.

    The reference for "reliable change" is the first score of the series (the baseline): that is
    how services report change over a course of care. Change against the previous score is kept too.
    For questionnaires about the last two weeks, a score is compared only with answers at least
    14 days earlier: a retake within two weeks is kept but gets no change label (the two answers
    cover the same days). The "previous" comparison uses the latest answer at least 14 days earlier.
    """
    try:
        inst = get_instrument(instrument_id)
    except InstrumentError:
        return
    if (inst.version or "") != version or inst.change is None:
        return
    series = list(Administration.objects.filter(person=person, instrument_id=instrument_id,
                                                instrument_version=version).order_by("completed_at", "pk"))
    for i, adm in enumerate(series):
        fields: dict[str, Any] = {"rci": None, "change_label": "", "rci_previous": None, "change_label_previous": "",
                  "recovered": False, "response": None, "remission": None}
        first = series[0]
        if i > 0 and not too_soon(instrument_id, first.completed_at, adm.completed_at):
            earlier = [a for a in series[:i] if not too_soon(instrument_id, a.completed_at, adm.completed_at)]
            try:
                base = reliable_change_for(inst, first.total, adm.total)
                prev = reliable_change_for(inst, earlier[-1].total, adm.total)
            except ChangeError:
                continue
            fields.update(rci=base.index, change_label=base.label, rci_previous=prev.index,
                          change_label_previous=prev.label, recovered=base.recovered,
                          response=base.response, remission=base.remission)
        changed = [k for k, v in fields.items() if getattr(adm, k) != v]
        if changed:
            for k in changed:
                setattr(adm, k, fields[k])
            adm.save(update_fields=changed)


# --------------------------------------------------------------------------
# FHIR import
# --------------------------------------------------------------------------


@transaction.atomic
def import_fhir(person: Any, data: Any) -> list[Submitted]:
    """Import QuestionnaireResponses for instruments Nearer knows; validated by the core.

    Raises ValidationError({"file": ...}) naming the response and linkId. Responses already imported
    (same identifier) are skipped. Recent PHQ-9s with item 9 above 0 call the safety path.
    """
    from nearer.measures.fhir import FhirError, parse_responses

    ensure_clinic_instruments()
    try:
        parsed = parse_responses(data)
    except FhirError as exc:
        raise ValidationError({"file": str(exc)}) from None
    if not parsed:
        raise ValidationError({"file": _("The file holds no questionnaire responses.")})
    allowed = {i.id for i in instruments_for(person)}
    out: list[Submitted] = []
    now = timezone.now()
    for position, item in enumerate(parsed, start=1):
        if item.instrument_id not in allowed:
            raise ValidationError({"file": f"response {position}: that questionnaire is not available to you"})
        if item.authored > now + timedelta(minutes=5):
            raise ValidationError({"file": f"response {position} is dated in the future"})
        # Identifier plus instrument and time: two systems may both number their responses "1".
        ext = f"fhir:{item.instrument_id}:{int(item.authored.timestamp())}:{item.id}"[:120]
        existing = Administration.objects.filter(person=person, external_id=ext).first()
        if existing is None:
            # Our own exports carry our administration id: re-importing them is a no-op.
            own = str(item.id)
            if own.isdigit():
                existing = Administration.objects.filter(person=person, pk=int(own), instrument_id=item.instrument_id,
                                                         completed_at=item.authored).first()
        if existing is not None:
            continue
        recent = item.authored >= now - timedelta(days=IMPORT_ALERT_DAYS)
        try:
            sub = submit_administration(person, item.instrument_id, dict(item.answers), source=Source.FHIR,
                                        completed_at=item.authored, external_id=ext, raise_signals=recent,
                                        language=item.language)
        except ValidationError as exc:
            raise ValidationError({"file": f"response {position}: " + " ".join(exc.messages)}) from None
        out.append(sub)
    return out


# --------------------------------------------------------------------------
# Schedules and due occurrences
# --------------------------------------------------------------------------


def _validate_schedule(cadence_days: Any, window_days: Any) -> tuple[int, int]:
    errors: dict[str, str] = {}
    try:
        cadence = int(cadence_days)
    except (TypeError, ValueError):
        cadence = 0
    try:
        window = int(window_days)
    except (TypeError, ValueError):
        window = 0
    if not 1 <= cadence <= MAX_CADENCE_DAYS:
        errors["cadence_days"] = _("Choose how often, between 1 and 365 days.")
    if window < 1:
        errors["window_days"] = _("The window must be at least 1 day.")
    elif cadence and window > cadence:
        errors["window_days"] = _("The window cannot be longer than the time between measures.")
    if errors:
        raise ValidationError(errors)
    return cadence, window


def _role(actor: Any, person: Any) -> str:
    return SetBy.PERSON if actor is None or actor.pk == person.pk else SetBy.THERAPIST


def _record(sched: Schedule, action: str, actor: Any, now: datetime) -> ScheduleEvent:
    return ScheduleEvent.objects.create(
        person_id=sched.person_id, schedule=sched, instrument_id=sched.instrument_id, cadence_days=sched.cadence_days,
        window_days=sched.window_days, action=action, actor=actor, actor_role=_role(actor, sched.person), at=now)


def _start_for(person: Any, instrument_id: str, cadence: int, now: datetime) -> datetime:
    """Due now, or one cadence after the latest answer when that is later (no need to redo yesterday's)."""
    last = Administration.objects.filter(person=person, instrument_id=instrument_id).order_by("-completed_at").first()
    if last is not None and last.completed_at + timedelta(days=cadence) > now:
        return last.completed_at + timedelta(days=cadence)
    return now


def _in_force(person: Any, instrument_id: str) -> Schedule | None:
    return Schedule.objects.select_for_update().filter(person=person, instrument_id=instrument_id, active=True).first()


def _carry_over(old: Schedule, start: datetime, cadence: int, now: datetime) -> datetime:
    """Open occurrences not yet due go away; the one open now keeps its window and pushes the start on."""
    DueMeasure.objects.filter(schedule=old, state=DueState.OPEN, due_at__gt=now).delete()
    open_now = DueMeasure.objects.filter(schedule=old, state=DueState.OPEN).order_by("-due_at").first()
    if open_now is not None:
        start = max(start, open_now.due_at + timedelta(days=cadence))
    return start


@transaction.atomic
def set_schedule(person: Any, instrument_id: str, cadence_days: Any, window_days: Any = 4, *,
                 set_by: Any = None, now: datetime | None = None) -> Schedule:
    """Create or change the person's own schedule for one instrument; in force at once.

    When ``set_by`` is someone else (their therapist) this only proposes it: see :func:`propose_schedule`.
    The first occurrence is due now, or one cadence after the person's latest answer when that is
    later (no need to answer again a measure done yesterday).
    """
    if set_by is not None and set_by.pk != person.pk:
        return propose_schedule(set_by, person, instrument_id, cadence_days, window_days, now=now)
    inst = available_to(person, instrument_id)
    cadence, window = _validate_schedule(cadence_days, window_days)
    now = now or timezone.now()
    start = _start_for(person, inst.id, cadence, now)
    sched = _in_force(person, inst.id)
    if sched is None:
        sched = Schedule.objects.create(person=person, instrument_id=inst.id, cadence_days=cadence, window_days=window,
                                        starts_at=start, set_by=person, set_by_role=SetBy.PERSON,
                                        status=ScheduleStatus.ACCEPTED, active=True, created_at=now, updated_at=now)
        action = ScheduleAction.SET
    else:
        # A new cadence starts afresh.
        start = _carry_over(sched, start, cadence, now)
        sched.cadence_days, sched.window_days, sched.starts_at = cadence, window, start
        sched.set_by, sched.set_by_role, sched.updated_at = person, SetBy.PERSON, now
        sched.save()
        action = ScheduleAction.CHANGED
    _record(sched, action, person, now)
    ensure_occurrences(sched, now)
    return sched


def _require_therapist_of(therapist: Any, person: Any) -> None:
    """Only the person's linked therapist, with the measures scope, may propose a schedule."""
    from nearer.privacy import access

    grant = access.grant(therapist, person)
    if grant.own or grant.link is None or grant.link.kind != "therapist" or not grant.allows("measures"):
        raise access.AccessDenied("scope_not_shared")


@transaction.atomic
def propose_schedule(therapist: Any, person: Any, instrument_id: str, cadence_days: Any, window_days: Any = 4, *,
                     now: datetime | None = None) -> Schedule:
    """A therapist proposes a schedule (new or changed). Nothing changes until the person accepts.

    A newer proposal for the same questionnaire takes the place of one still waiting; the same
    numbers again change nothing. Raises ``AccessDenied`` unless ``therapist`` is the person's
    linked therapist with the measures scope.
    """
    _require_therapist_of(therapist, person)
    inst = available_to(person, instrument_id)
    cadence, window = _validate_schedule(cadence_days, window_days)
    now = now or timezone.now()
    current = Schedule.objects.filter(person=person, instrument_id=inst.id, active=True).first()
    if current is not None and (current.cadence_days, current.window_days) == (cadence, window):
        raise ValidationError({"cadence_days": _("This is already the client's schedule for this questionnaire.")})
    waiting = Schedule.objects.select_for_update().filter(person=person, instrument_id=inst.id,
                                                          status=ScheduleStatus.PROPOSED).first()
    if waiting is not None:
        if (waiting.cadence_days, waiting.window_days, waiting.set_by_id) == (cadence, window, therapist.pk):
            return waiting
        waiting.status, waiting.updated_at = ScheduleStatus.REPLACED, now
        waiting.save(update_fields=["status", "updated_at"])
    sched = Schedule.objects.create(person=person, instrument_id=inst.id, cadence_days=cadence, window_days=window,
                                    starts_at=now, set_by=therapist, set_by_role=SetBy.THERAPIST,
                                    status=ScheduleStatus.PROPOSED, active=False, created_at=now, updated_at=now)
    _record(sched, ScheduleAction.PROPOSED, therapist, now)
    return sched


def _accept(sched: Schedule, person: Any, now: datetime) -> Schedule:
    """Put an accepted proposal in force, taking over from the schedule it changes."""
    start = _start_for(person, sched.instrument_id, sched.cadence_days, now)
    old = _in_force(person, sched.instrument_id)
    if old is not None:
        start = _carry_over(old, start, sched.cadence_days, now)
        old.active, old.status, old.updated_at = False, ScheduleStatus.REPLACED, now
        old.save(update_fields=["active", "status", "updated_at"])
        # The occurrences (done, missed, open now) follow the questionnaire's schedule in force.
        DueMeasure.objects.filter(schedule=old).update(schedule=sched)
    sched.active, sched.status, sched.starts_at = True, ScheduleStatus.ACCEPTED, start
    sched.responded_at = sched.updated_at = now
    sched.save(update_fields=["active", "status", "starts_at", "responded_at", "updated_at"])
    return sched


def proposer_still_linked(sched: Schedule) -> bool:
    """A proposal counts only while its therapist is still linked with the person (no log: not a read)."""
    from nearer.accounts.models import Link

    return sched.set_by_id is not None and Link.objects.active().filter(
        owner_id=sched.person_id, viewer_id=sched.set_by_id, kind="therapist").exists()


@transaction.atomic
def respond_to_proposal(person: Any, schedule_id: Any, accept: bool, *, now: datetime | None = None) -> Schedule:
    """The person accepts (it is in force from now) or declines (nothing changes) a therapist's proposal."""
    now = now or timezone.now()
    try:
        pk = int(schedule_id)
    except (TypeError, ValueError):
        pk = 0
    sched = Schedule.objects.select_for_update().filter(pk=pk, person=person).exclude(set_by_role=SetBy.PERSON).first()
    if sched is None:
        raise ValidationError({"schedule_id": _("That proposal does not exist.")})
    if sched.status != ScheduleStatus.PROPOSED:
        raise ValidationError({"action": _("This proposal has already been answered or replaced.")})
    if accept and not proposer_still_linked(sched):
        raise ValidationError({"action": _("The therapist who proposed this is no longer linked with you, so it "
                                           "cannot start. You can set your own schedule instead.")})
    if accept:
        _accept(sched, person, now)
        _record(sched, ScheduleAction.ACCEPTED, person, now)
        ensure_occurrences(sched, now)
    else:
        sched.status, sched.responded_at, sched.updated_at = ScheduleStatus.DECLINED, now, now
        sched.save(update_fields=["status", "responded_at", "updated_at"])
        _record(sched, ScheduleAction.DECLINED, person, now)
    return sched


@transaction.atomic
def accept_suggested_schedule(person: Any, instrument_id: str, cadence_days: Any, window_days: Any = 4, *,
                              suggested_by: Any = None, now: datetime | None = None) -> Schedule:
    """The person accepted a therapist's suggestion made elsewhere (a clinic assignment): in force now.

    The history shows both steps: proposed by the therapist, accepted by the person.
    """
    inst = available_to(person, instrument_id)
    cadence, window = _validate_schedule(cadence_days, window_days)
    now = now or timezone.now()
    Schedule.objects.filter(person=person, instrument_id=inst.id, status=ScheduleStatus.PROPOSED).update(
        status=ScheduleStatus.REPLACED, updated_at=now)
    sched = Schedule.objects.create(person=person, instrument_id=inst.id, cadence_days=cadence, window_days=window,
                                    starts_at=now, set_by=suggested_by, set_by_role=SetBy.THERAPIST,
                                    status=ScheduleStatus.PROPOSED, active=False, created_at=now, updated_at=now)
    ScheduleEvent.objects.create(person=person, schedule=sched, instrument_id=inst.id, cadence_days=cadence,
                                 window_days=window, action=ScheduleAction.PROPOSED, actor=suggested_by,
                                 actor_role=SetBy.THERAPIST, at=now)
    _accept(sched, person, now)
    _record(sched, ScheduleAction.ACCEPTED, person, now)
    ensure_occurrences(sched, now)
    return sched


@transaction.atomic
def stop_schedule(person: Any, schedule_id: int, *, by: Any = None, now: datetime | None = None) -> Schedule:
    """Stop a schedule at once (it only ever asks less). Open occurrences are withdrawn, not missed.

    On a proposal still waiting: the therapist withdraws it; the person declines it. When a
    therapist stops a schedule in force, the person is told on their measures page.
    """
    now = now or timezone.now()
    sched = (Schedule.objects.select_for_update()
             .filter(pk=schedule_id, person=person).filter(Q(active=True) | Q(status=ScheduleStatus.PROPOSED)).first())
    if sched is None:
        raise ValidationError({"schedule_id": _("That schedule does not exist.")})
    by = by or person
    if sched.status == ScheduleStatus.PROPOSED:
        if by.pk == person.pk:
            return respond_to_proposal(person, sched.pk, False, now=now)
        sched.status, sched.updated_at = ScheduleStatus.WITHDRAWN, now
        sched.save(update_fields=["status", "updated_at"])
        _record(sched, ScheduleAction.WITHDRAWN, by, now)
        return sched
    DueMeasure.objects.filter(schedule=sched, state=DueState.OPEN).delete()
    sched.active, sched.status, sched.updated_at = False, ScheduleStatus.STOPPED, now
    sched.save(update_fields=["active", "status", "updated_at"])
    event = _record(sched, ScheduleAction.STOPPED, by, now)
    if event.actor_role == SetBy.PERSON:
        event.seen_at = now  # nothing to tell: they did it themselves
        event.save(update_fields=["seen_at"])
    return sched


@transaction.atomic
def mark_schedule_notices_seen(person: Any, *, now: datetime | None = None) -> int:
    """The person has read the notices of schedules their therapist stopped."""
    return int(ScheduleEvent.objects.filter(person=person, seen_at__isnull=True, action=ScheduleAction.STOPPED)
               .update(seen_at=now or timezone.now()))


_UNREAD: Any = object()


def ensure_occurrences(sched: Schedule, now: datetime, last: Any = _UNREAD) -> int:
    """Create the schedule's occurrences due up to ``now``; returns how many were created.

    ``last`` is the schedule's latest occurrence (``due_at``, or None when it has none) when the
    caller already read it.
    """
    if not sched.active or sched.status != ScheduleStatus.ACCEPTED:
        return 0  # a proposal, declined or stopped schedule never makes anything due
    step = timedelta(days=sched.cadence_days)
    if last is _UNREAD:
        last = DueMeasure.objects.filter(schedule=sched).order_by("-due_at").values_list("due_at", flat=True).first()
    if last is None:
        k = 0
    else:
        k = int(math.floor((last - sched.starts_at) / step)) + 1 if last >= sched.starts_at else 0
    created = 0
    while created < _MAX_NEW_OCCURRENCES:
        due = sched.starts_at + k * step
        if due > now:
            break
        if last is None or due > last:
            DueMeasure.objects.get_or_create(
                schedule=sched, due_at=due,
                defaults={"person_id": sched.person_id, "instrument_id": sched.instrument_id,
                          "window_ends_at": due + timedelta(days=sched.window_days)},
            )
            created += 1
        k += 1
    return created


def _complete_occurrence(adm: Administration) -> None:
    occ = (DueMeasure.objects.filter(person_id=adm.person_id, instrument_id=adm.instrument_id, state=DueState.OPEN,
                                     due_at__lte=adm.completed_at, window_ends_at__gt=adm.completed_at)
           .order_by("due_at").first())
    if occ is not None:
        occ.state, occ.administration, occ.closed_at = DueState.COMPLETED, adm, adm.completed_at
        occ.save(update_fields=["state", "administration", "closed_at"])


def ensure_person_occurrences(person: Any, now: datetime) -> int:
    """Create the occurrences of all the person's schedules due up to ``now`` (one query to read them)."""
    from django.db.models import Max

    created = 0
    accepted = Schedule.objects.filter(person=person, active=True, status=ScheduleStatus.ACCEPTED)
    for sched in accepted.annotate(last_due=Max("occurrences__due_at")):
        created += ensure_occurrences(sched, now, last=sched.last_due)
    return created


@transaction.atomic
def refresh_person(person: Any, now: datetime | None = None) -> None:
    """Bring one person's occurrences up to date (used before showing what is due)."""
    now = now or timezone.now()
    ensure_person_occurrences(person, now)
    _close_missed(DueMeasure.objects.filter(person=person), now)


def _close_missed(qs: Any, now: datetime) -> int:
    return int(qs.filter(state=DueState.OPEN, window_ends_at__lte=now).update(state=DueState.MISSED, closed_at=now))


@transaction.atomic
def mark_missed(now: datetime | None = None) -> dict[str, int]:
    """Create occurrences due up to ``now`` for every active schedule and record closed windows as missed.

    Safe to run as often as wanted (the production scheduler runs it hourly).
    """
    now = now or timezone.now()
    created = 0
    for sched in Schedule.objects.filter(active=True, status=ScheduleStatus.ACCEPTED):
        created += ensure_occurrences(sched, now)
    missed = _close_missed(DueMeasure.objects.all(), now)
    return {"created": created, "missed": missed}

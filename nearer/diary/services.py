"""Every change to check-ins: one named, atomic function each. Views, the API and the import call these."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from nearer.diary.models import (
    STRESSOR_KEYS,
    YES_NO_FIELDS,
    Answer,
    CheckIn,
    Source,
    local_today,
    validate_edit_allowed,
    validate_entry_date,
)
from nearer.safety import services as safety_services

#: Fields a person fills in (everything except the day and bookkeeping).
ANSWER_FIELDS = [
    "mood", "closeness", *YES_NO_FIELDS, "hours_slept", "stressors", "own_stressors", "exercise_minutes", "note",
]
DEFAULTS: dict[str, Any] = {
    **{f: Answer.NOT_TODAY for f in YES_NO_FIELDS},
    "hours_slept": None, "stressors": [], "own_stressors": "", "exercise_minutes": None, "note": "",
}


@dataclass
class Saved:
    """What a save did: the check-in, whether it was new, and the safety outcome (if text was screened)."""

    checkin: CheckIn
    created: bool
    replayed: bool = False
    safety: Any = None
    outcomes: list[Any] = field(default_factory=list)

    @property
    def show_card(self) -> bool:
        return bool(self.safety is not None and getattr(self.safety, "show_card", False))


def _screen(person: Any, checkin: CheckIn, text: str, source: str = "diary.checkin") -> Any:
    """Send the person's words through the one safety path (after saving, same transaction)."""
    if not text.strip():
        return None
    return safety_services.check_text_and_respond(person, source, text, ref=checkin)


def _free_text(values: dict[str, Any]) -> str:
    return "\n".join(t for t in (values.get("note") or "", values.get("own_stressors") or "") if t.strip())


def _normalise(values: dict[str, Any]) -> dict[str, Any]:
    out = {k: values[k] for k in ANSWER_FIELDS if k in values}
    if "stressors" in out:
        chosen = out["stressors"] or []
        out["stressors"] = [k for k in STRESSOR_KEYS if k in set(chosen)] + [k for k in chosen if k not in STRESSOR_KEYS]
    for text in ("note", "own_stressors"):
        if text in out:
            out[text] = (out[text] or "").strip()
    return out


def _full_clean(checkin: CheckIn) -> None:
    checkin.full_clean(exclude=["person", "idempotency_key"], validate_unique=False, validate_constraints=False)


def _replayed(person: Any, key: str | None) -> Saved | None:
    """The check-in an earlier request with this idempotency key created (a retry changes nothing)."""
    if not key:
        return None
    earlier = CheckIn.objects.filter(person=person, idempotency_key=key).first()
    return Saved(earlier, created=False, replayed=True) if earlier is not None else None


@transaction.atomic
def save_checkin(
    person: Any,
    local_date: date,
    values: dict[str, Any],
    *,
    source: str = Source.WEB,
    idempotency_key: str | None = None,
    today: date | None = None,
) -> Saved:
    """Create the check-in for ``local_date`` or update it when it exists.

    A repeated ``idempotency_key`` returns the check-in it created, unchanged (a retried request
    never creates a duplicate). Raises ``ValidationError`` naming the field on bad input.
    """
    today = today or local_today(person)
    key = (idempotency_key or "").strip()[:80] or None
    replay = _replayed(person, key)
    if replay is not None:
        return replay
    values = _normalise(values)
    existing = CheckIn.objects.select_for_update().filter(person=person, local_date=local_date).first()
    if existing is None:
        validate_entry_date(local_date, today)
        checkin = CheckIn(person=person, local_date=local_date, source=source, idempotency_key=key,
                          is_late=local_date < today, **{**DEFAULTS, **values})
        _full_clean(checkin)
        try:
            with transaction.atomic():
                checkin.save()
        except IntegrityError:
            raise ValidationError({"local_date": _("There is already a check-in for this day.")}) from None
        created, before = True, ""
    else:
        validate_edit_allowed(existing, today)
        before = _free_text({"note": existing.note, "own_stressors": existing.own_stressors})
        for name, value in values.items():
            setattr(existing, name, value)
        _full_clean(existing)
        existing.save()
        checkin, created = existing, False
    text = _free_text({"note": checkin.note, "own_stressors": checkin.own_stressors})
    # Screen new words only: re-screening unchanged text on every edit would repeat alerts.
    outcome = _screen(person, checkin, text) if text and text != before else None
    return Saved(checkin, created=created, safety=outcome)


class CheckInConflict(Exception):
    """An offline save and the saved check-in changed the same answers differently: the person chooses.

    ``fields`` lists ``{"field", "device", "saved"}`` for each answer that differs.
    """

    def __init__(self, checkin: CheckIn, fields: list[dict[str, Any]]) -> None:
        super().__init__("conflict")
        self.checkin = checkin
        self.fields = fields


def _comparable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    return value


@transaction.atomic
def merge_checkin(
    person: Any,
    local_date: date,
    values: dict[str, Any],
    *,
    idempotency_key: str | None = None,
    base: datetime | None = None,
    keep: dict[str, str] | None = None,
    source: str = Source.API,
    today: date | None = None,
) -> Saved:
    """Merge a check-in written on a device (offline) into the day's saved one, field by field.

    Only the answers in ``values`` are written; everything else already saved is kept. An answer
    that differs from the saved one is a conflict when the saved check-in changed since ``base``
    (the version the device last saw; ``None`` means the device saw none) and ``keep`` does not
    say which to keep (``"device"`` or ``"saved"`` per field): then :class:`CheckInConflict` is
    raised and nothing is written. A retry with the same ``idempotency_key`` returns the check-in
    it wrote, unchanged.
    """
    today = today or local_today(person)
    keep = keep or {}
    key = (idempotency_key or "").strip()[:80] or None
    replay = _replayed(person, key)
    if replay is not None:
        return replay
    values = _normalise(values)
    existing = CheckIn.objects.select_for_update().filter(person=person, local_date=local_date).first()
    if existing is None:
        return save_checkin(person, local_date, values, source=source, idempotency_key=key, today=today)
    changed_since = base is None or existing.updated_at > base
    conflicts = [
        {"field": name, "device": value, "saved": getattr(existing, name)}
        for name, value in values.items()
        if changed_since and keep.get(name) not in ("device", "saved")
        and _comparable(getattr(existing, name)) != _comparable(value)
    ]
    if conflicts:
        raise CheckInConflict(existing, conflicts)
    chosen = {k: v for k, v in values.items() if keep.get(k) != "saved"}
    saved = save_checkin(person, local_date, chosen, source=existing.source, today=today)
    if key:
        # The row remembers the last device save it took in, so a retried send of it is a replay.
        CheckIn.objects.filter(pk=saved.checkin.pk).update(idempotency_key=key)
        saved.checkin.idempotency_key = key
    return saved


@transaction.atomic
def update_checkin(person: Any, checkin_id: int, values: dict[str, Any], *, today: date | None = None) -> Saved:
    checkin = CheckIn.objects.filter(person=person, pk=checkin_id).first()
    if checkin is None:
        from django.http import Http404

        raise Http404
    current = {name: getattr(checkin, name) for name in ANSWER_FIELDS}
    return save_checkin(person, checkin.local_date, {**current, **values}, source=checkin.source, today=today)


@transaction.atomic
def delete_checkin(person: Any, checkin_id: int) -> bool:
    """A person can delete any of their own check-ins at any time."""
    deleted, _rows = CheckIn.objects.filter(person=person, pk=checkin_id).delete()
    return bool(deleted)


@dataclass
class ImportResult:
    created: int
    skipped: int
    outcomes: list[Any]

    @property
    def show_card(self) -> bool:
        return any(getattr(o, "show_card", False) for o in self.outcomes if o is not None)


@transaction.atomic
def import_checkins(person: Any, rows: list[dict[str, Any]], *, skip_existing: bool = False) -> ImportResult:
    """Save validated import rows (from :mod:`nearer.diary.csvimport`) all at once, or none.

    Existing days are an error unless ``skip_existing``; then they are left as they were.
    """
    from nearer.diary.csvimport import ImportProblem, ImportRowsError

    existing = set(CheckIn.objects.filter(person=person, local_date__in=[r["local_date"] for r in rows])
                   .values_list("local_date", flat=True))
    problems = [ImportProblem(r["line"], _("you already have a check-in for this day"))
                for r in rows if r["local_date"] in existing]
    if problems and not skip_existing:
        raise ImportRowsError(problems)
    created: list[CheckIn] = []
    for r in rows:
        if r["local_date"] in existing:
            continue
        values = _normalise(r["values"])
        checkin = CheckIn(person=person, local_date=r["local_date"], source=Source.IMPORT, **{**DEFAULTS, **values})
        _full_clean(checkin)
        created.append(checkin)
    CheckIn.objects.bulk_create(created)
    if created:
        from nearer import home_cache

        home_cache.changed({person.pk})  # bulk_create sends no post_save: the home page and caseload are told here
    saved = {c.local_date: c for c in CheckIn.objects.filter(person=person, local_date__in=[c.local_date for c in created])}
    outcomes = []
    for c in created:
        text = _free_text({"note": c.note, "own_stressors": c.own_stressors})
        if text:
            outcomes.append(_screen(person, saved[c.local_date], text, source="diary.import"))
    return ImportResult(created=len(created), skipped=len(rows) - len(created), outcomes=outcomes)

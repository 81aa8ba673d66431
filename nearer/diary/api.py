"""Check-ins over JSON: own list/create/update/delete, own trends and loop, and a client's with scope.

A retried create with the same ``Idempotency-Key`` header (or ``idempotency_key`` field) returns
the check-in the first request made, never a duplicate.
"""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from nearer.accounts.models import User
from nearer.analysis.trends import rolling_median
from nearer.diary import queries, services
from nearer.diary.models import CheckIn, Source, local_today
from nearer.privacy import access

router = Router()


class CheckInIn(Schema):
    local_date: date | None = None
    mood: int
    closeness: int
    shared_personal: str = "not_today"
    held_back: str = "not_today"
    felt_heard: str = "not_today"
    felt_accepted: str = "not_today"
    hours_slept: Decimal | None = None
    stressors: list[str] = []
    own_stressors: str = ""
    exercise_minutes: int | None = None
    note: str = ""
    idempotency_key: str | None = None
    #: Merge into the day's saved check-in (a device's offline save): only the answers sent are written.
    merge: bool = False
    #: The saved check-in's ``updated_at`` the device last saw (none: it saw no check-in for that day).
    base_updated_at: datetime | None = None
    #: For each conflicting answer, which to keep: "device" or "saved".
    keep: dict[str, str] = {}


class CheckInPatch(Schema):
    mood: int | None = None
    closeness: int | None = None
    shared_personal: str | None = None
    held_back: str | None = None
    felt_heard: str | None = None
    felt_accepted: str | None = None
    hours_slept: Decimal | None = None
    stressors: list[str] | None = None
    own_stressors: str | None = None
    exercise_minutes: int | None = None
    note: str | None = None


class CheckInOut(Schema):
    id: int
    local_date: date
    mood: int
    closeness: int
    shared_personal: str
    held_back: str
    felt_heard: str
    felt_accepted: str
    hours_slept: Decimal | None
    stressors: list[str]
    own_stressors: str
    exercise_minutes: int | None
    note: str
    is_late: bool
    source: str
    created_at: datetime
    updated_at: datetime
    show_crisis_help: bool = False


class ConflictFieldOut(Schema):
    field: str
    device: Any
    saved: Any


class ConflictOut(Schema):
    detail: str
    local_date: date
    updated_at: datetime
    conflicts: list[ConflictFieldOut]


class EffectOut(Schema):
    value: float
    low: float
    high: float
    clear: bool


class FactorOut(Schema):
    key: str
    same_day_difference: float
    same_day_low: float
    same_day_high: float
    n_with: int
    n_without: int
    next_day_difference: float | None
    next_day_low: float | None
    next_day_high: float | None


class LoopOut(Schema):
    n_pairs: int
    min_pairs: int
    enough: bool
    pairs_needed: int
    days_needed: int
    level: float
    closeness_to_mood: EffectOut | None = None
    mood_to_closeness: EffectOut | None = None
    mood_inertia: EffectOut | None = None
    closeness_inertia: EffectOut | None = None
    sentences: dict[str, str] = {}
    factors: list[FactorOut] = []


class TrendDayOut(Schema):
    date: date
    value: float | None
    median: float | None
    low: float | None
    high: float | None


class TrendSeriesOut(Schema):
    summary: str
    days: list[TrendDayOut]


class TrendsOut(Schema):
    start: date
    end: date
    mood: TrendSeriesOut
    closeness: TrendSeriesOut


def _me(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _person(request: HttpRequest) -> User:
    user = _me(request)
    return access.require_person(user)


def _out(c: CheckIn, show: bool = False) -> dict[str, Any]:
    data = {f: getattr(c, f) for f in CheckInOut.model_fields if f not in ("id", "show_crisis_help")}
    data["id"] = c.pk
    data["show_crisis_help"] = show
    return data


@router.get("/checkins", response=list[CheckInOut])
def list_checkins(request: HttpRequest, since: date | None = None, until: date | None = None) -> list[dict[str, Any]]:
    qs = CheckIn.objects.filter(person=_me(request))
    if since:
        qs = qs.filter(local_date__gte=since)
    if until:
        qs = qs.filter(local_date__lte=until)
    return [_out(c) for c in qs.order_by("local_date")]


@router.post("/checkins", response={200: CheckInOut, 201: CheckInOut, 409: ConflictOut})
def create_checkin(request: HttpRequest, payload: CheckInIn) -> Status:
    user = _person(request)
    today = local_today(user)
    day = payload.local_date or today
    key = request.headers.get("Idempotency-Key") or payload.idempotency_key
    # Only the answers sent are written: an update never blanks what the request did not mention.
    values = payload.dict(exclude_unset=True, exclude={"local_date", "idempotency_key", "merge", "base_updated_at", "keep"})
    if payload.merge:
        try:
            saved = services.merge_checkin(user, day, values, idempotency_key=key, base=payload.base_updated_at,
                                           keep=payload.keep, today=today)
        except services.CheckInConflict as exc:
            return Status(409, {
                "detail": _("This day already has a check-in with different answers. Choose which to keep."),
                "local_date": exc.checkin.local_date, "updated_at": exc.checkin.updated_at,
                "conflicts": [{"field": c["field"], "device": _plain(c["device"]), "saved": _plain(c["saved"])}
                              for c in exc.fields],
            })
        return Status(201 if saved.created else 200, _out(saved.checkin, saved.show_card))
    if not key and CheckIn.objects.filter(person=user, local_date=day).exists():
        from django.core.exceptions import ValidationError

        raise ValidationError({"local_date": "There is already a check-in for this day; update it instead."})
    saved = services.save_checkin(user, day, values, source=Source.API, idempotency_key=key, today=today)
    return Status(201 if saved.created else 200, _out(saved.checkin, saved.show_card))


def _plain(value: Any) -> Any:
    return float(value) if isinstance(value, Decimal) else value


@router.patch("/checkins/{checkin_id}", response=CheckInOut)
def update_checkin(request: HttpRequest, checkin_id: int, payload: CheckInPatch) -> dict[str, Any]:
    user = _person(request)
    values = {k: v for k, v in payload.dict(exclude_unset=True).items()}
    saved = services.update_checkin(user, checkin_id, values)
    return _out(saved.checkin, saved.show_card)


@router.delete("/checkins/{checkin_id}", response={204: None})
def delete_checkin(request: HttpRequest, checkin_id: int) -> Status:
    if not services.delete_checkin(_me(request), checkin_id):
        raise Http404
    return Status(204, None)


def _f(x: float) -> float | None:
    return None if not math.isfinite(x) else round(float(x), 3)


def _trends(person: User, own: bool) -> dict[str, Any]:
    page = queries.trends_for(person, own=own)
    rows = queries.diary_rows(person, page["start"] - timedelta(days=6))
    out: dict[str, Any] = {"start": page["start"], "end": page["end"]}
    for chart in page["charts"]:
        values = rows.mood if chart["key"] == "mood" else rows.closeness
        days = []
        if rows.n:
            t = rolling_median(rows.day, values)
            for i, d in enumerate(t.day):
                if d < page["start"].toordinal():
                    continue
                days.append({"date": date.fromordinal(int(d)), "value": _f(t.value[i]), "median": _f(t.median[i]),
                             "low": _f(t.low[i]), "high": _f(t.high[i])})
        out[chart["key"]] = {"summary": chart["summary"], "days": days}
    return out


def _loop(person: User) -> dict[str, Any]:
    data = queries.loop_for(person)
    out = {k: data[k] for k in ("n_pairs", "min_pairs", "enough", "pairs_needed", "days_needed")}
    out["level"] = data["fit"].level
    for key, e in (data.get("effects") or {}).items():
        out[key] = {"value": e["value"], "low": e["low"], "high": e["high"], "clear": e["clear"]}
    out["sentences"] = data.get("sentences", {})
    factors = []
    for item in queries.factors_for(person)["items"]:
        s, n = item["same_day"], item["next_day"]
        factors.append({"key": item["key"], "same_day_difference": s.difference, "same_day_low": s.low,
                        "same_day_high": s.high, "n_with": s.n_with, "n_without": s.n_without,
                        "next_day_difference": _f(n.difference), "next_day_low": _f(n.low), "next_day_high": _f(n.high)})
    out["factors"] = factors
    return out


@router.get("/trends", response=TrendsOut)
def my_trends(request: HttpRequest) -> dict[str, Any]:
    return _trends(_me(request), own=True)


@router.get("/loop", response=LoopOut)
def my_loop(request: HttpRequest) -> dict[str, Any]:
    return _loop(_me(request))


def _client(request: HttpRequest, client_id: int, scope: str, what: str) -> User:
    client = User.objects.filter(pk=client_id, is_active=True).first()
    if client is None:
        raise Http404
    access.read(_me(request), client, scope, what, via="api")
    return client


@router.get("/clients/{client_id}/trends", response=TrendsOut)
def client_trends(request: HttpRequest, client_id: int) -> dict[str, Any]:
    client = _client(request, client_id, "checkins", "api diary client trends")
    return _trends(client, own=client.pk == request.user.pk)


@router.get("/clients/{client_id}/loop", response=LoopOut)
def client_loop(request: HttpRequest, client_id: int) -> dict[str, Any]:
    return _loop(_client(request, client_id, "loop", "api diary client loop"))

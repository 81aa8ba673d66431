"""Bulk data for tests, the benchmark and the demo: clients with check-ins, PHQ-9s and alerts.

Check-ins and questionnaires are written with ``bulk_create`` (no screening, no emails): only for
made-up people. Bands and change labels come from the measures app (``band_for`` and the
Jacobson-Truax reliable change in ``nearer.measures.change``), links from
``accounts.services.link_client_to_therapist`` and alerts from ``safety.services.raise_risk``,
so the data look exactly like what the real paths write.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
from django.utils import timezone


def phq9_band(total: float) -> tuple[str, str]:
    from nearer.measures.definitions import get_instrument
    from nearer.measures.scoring import band_for

    band = band_for(get_instrument("phq9"), total)
    return band.key, band.label


def change(first: float, now: float) -> Any:
    """Reliable change (Jacobson & Truax) between two PHQ-9 totals, from the measures app."""
    from nearer.measures.change import reliable_change

    return reliable_change("phq9", first, now)


def change_label(first: float, now: float) -> str:
    return str(change(first, now).label)


def today_for(person: Any) -> date:
    """The person's own calendar day (their time zone), which is what streaks and trends use."""
    from nearer.diary.models import local_today

    return local_today(person)


def make_client(email: str, name: str, therapist: Any, scopes: list[str] | None = None) -> Any:
    from nearer.accounts.models import User
    from nearer.accounts.services import link_client_to_therapist
    from nearer.privacy.scopes import default_scopes

    user = User.objects.create_user(email, None, display_name=name, role="person")
    link_client_to_therapist(user, therapist, default_scopes("therapist") if scopes is None else scopes)
    return user


def add_history(person: Any, *, days: int, end: date, phq9: list[float], rng: np.random.Generator,
                mood_start: float = 5.0, mood_end: float = 5.0, gap_every: int = 0) -> None:
    """Daily check-ins from ``end - days`` to ``end`` (mood drifting from start to end) and PHQ-9s evenly spaced."""
    from nearer.diary.models import CheckIn
    from nearer.measures.definitions import get_instrument
    from nearer.measures.models import Administration

    rows = []
    for i in range(days):
        if gap_every and i % gap_every == gap_every - 1:
            continue
        day = end - timedelta(days=days - 1 - i)
        base = mood_start + (mood_end - mood_start) * i / max(1, days - 1)
        mood = int(np.clip(round(base + rng.normal(0, 1)), 0, 10))
        close = int(np.clip(round(base + rng.normal(0, 1.2)), 0, 10))
        rows.append(CheckIn(person=person, local_date=day, mood=mood, closeness=close,
                            created_at=timezone.make_aware(datetime.combine(day, datetime.min.time())) + timedelta(hours=20)))
    CheckIn.objects.bulk_create(rows, batch_size=1000)
    adms = []
    version = get_instrument("phq9").version or ""
    if phq9:
        step = max(1, days // len(phq9))
        for k, total in enumerate(phq9):
            day = end - timedelta(days=days - 1 - min(days - 1, k * step))
            key, label = phq9_band(total)
            first = change(phq9[0], total) if k else None
            prev = change(phq9[k - 1], total) if k else None
            adms.append(Administration(
                person=person, instrument_id="phq9", instrument_version=version,
                completed_at=timezone.make_aware(datetime.combine(day, datetime.min.time())) + timedelta(hours=9),
                total=total, band_key=key, band_label=label, answers_json="{}", flags_json="{}",
                rci=None if first is None else first.index, change_label="" if first is None else first.label,
                rci_previous=None if prev is None else prev.index,
                change_label_previous="" if prev is None else prev.label,
                recovered=bool(first and first.recovered), response=None if first is None else first.response,
                remission=None if first is None else first.remission))
    Administration.objects.bulk_create(adms, batch_size=1000)


def add_alert(person: Any, therapist: Any, level: str = "concern", state: str = "open", when: datetime | None = None) -> Any:
    """An alert raised through the safety service (as a risky check-in would), then dated and set to ``state``."""
    from nearer.safety.models import Alert
    from nearer.safety.services import raise_risk

    raise_risk(person, "diary.checkin", level)
    alert = Alert.objects.filter(person=person, therapist=therapist).order_by("-pk").first()
    if alert is None:  # the person does not share with this therapist: nothing to alert
        return None
    when = when or timezone.now()
    fields: dict[str, Any] = {"state": state, "created_at": when, "last_signal_at": when}
    if level == "urgent":
        fields["urgent_since"] = when
    if state != "open":
        fields.update(acknowledged_at=when, acknowledged_by=therapist)
    if state == "resolved":
        fields.update(resolved_at=when, resolved_by=therapist)
    Alert.objects.filter(pk=alert.pk).update(**fields)
    alert.refresh_from_db()
    return alert

"""Reminders fire at each person's local time, across time zones, exactly once per local day."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from conftest import make_user
from nearer.ops import reminders, scheduler, services
from nearer.ops.models import ReminderKind, ReminderSent, TaskRun

UTC = dt.UTC


def _person(email: str, tz: str, at: dt.time, kind: str = ReminderKind.CHECKIN, **kw: Any) -> Any:
    p = make_user(email, name="Canary Person Zed")
    p.timezone = tz
    p.save(update_fields=["timezone"])
    services.set_preference(p, kind, local_time=at, enabled=True, by_email=True, by_push=kw.get("by_push", False))
    return p


def _minutes(start: dt.datetime, end: dt.datetime, step: int = 5) -> list[dt.datetime]:
    out, t = [], start
    while t < end:
        out.append(t)
        t += dt.timedelta(minutes=step)
    return out


@pytest.mark.django_db
def test_checkin_reminders_fire_at_local_time_across_time_zones_exactly_once() -> None:
    ny = _person("ny@example.test", "America/New_York", dt.time(20, 0))
    tokyo = _person("tokyo@example.test", "Asia/Tokyo", dt.time(8, 30))
    kolkata = _person("kolkata@example.test", "Asia/Kolkata", dt.time(21, 15))
    # A UTC day in January: New York 20:00 = 01:00 UTC next day; Tokyo 08:30 = 23:30 UTC previous day;
    # Kolkata 21:15 = 15:45 UTC.
    # Start when nobody is inside their catch-up window (Tokyo 13:00, New York 23:00, Kolkata 09:30).
    start = dt.datetime(2025, 1, 14, 4, 0, tzinfo=UTC)
    fired: dict[str, list[dt.datetime]] = {}
    for now in _minutes(start, start + dt.timedelta(days=2)):
        with time_machine.travel(now, tick=False):
            before = {r.pk for r in ReminderSent.objects.all()}
            reminders.send_due_reminders(timezone.now())
            for row in ReminderSent.objects.exclude(pk__in=before).select_related("person"):
                fired.setdefault(row.person.email, []).append(now)
    assert fired["ny@example.test"] == [dt.datetime(2025, 1, 15, 1, 0, tzinfo=UTC), dt.datetime(2025, 1, 16, 1, 0, tzinfo=UTC)]
    assert fired["tokyo@example.test"] == [dt.datetime(2025, 1, 14, 23, 30, tzinfo=UTC), dt.datetime(2025, 1, 15, 23, 30, tzinfo=UTC)]
    assert fired["kolkata@example.test"] == [dt.datetime(2025, 1, 14, 15, 45, tzinfo=UTC), dt.datetime(2025, 1, 15, 15, 45, tzinfo=UTC)]
    # Local dates recorded are the person's own days.
    assert sorted(ReminderSent.objects.filter(person=ny).values_list("local_date", flat=True)) == [dt.date(2025, 1, 14), dt.date(2025, 1, 15)]
    assert sorted(ReminderSent.objects.filter(person=tokyo).values_list("local_date", flat=True)) == [dt.date(2025, 1, 15), dt.date(2025, 1, 16)]
    assert ReminderSent.objects.filter(person=kolkata).count() == 2
    assert len(mail.outbox) == 6


@pytest.mark.django_db
def test_daylight_saving_keeps_the_local_hour() -> None:
    _person("dst@example.test", "America/New_York", dt.time(20, 0))
    # 2025-03-09 is the US spring-forward day: 20:00 EDT = 00:00 UTC (the day before it was 01:00 UTC).
    seen = []
    for now in _minutes(dt.datetime(2025, 3, 8, 0, 0, tzinfo=UTC), dt.datetime(2025, 3, 11, 0, 0, tzinfo=UTC), 15):
        if reminders.send_due_reminders(now)["sent"]:
            seen.append(now)
    assert seen == [dt.datetime(2025, 3, 8, 1, 0, tzinfo=UTC), dt.datetime(2025, 3, 9, 1, 0, tzinfo=UTC),
                    dt.datetime(2025, 3, 10, 0, 0, tzinfo=UTC)]


@pytest.mark.django_db
def test_email_has_no_personal_content_and_links_to_the_page() -> None:
    _person("mail@example.test", "UTC", dt.time(9, 0))
    assert reminders.send_due_reminders(dt.datetime(2025, 5, 1, 9, 1, tzinfo=UTC)) == {"sent": 1, "skipped": 0}
    msg = mail.outbox[0]
    assert msg.subject == "Time for your check-in"
    assert "/diary/" in msg.body and "/ops/reminders/" in msg.body
    assert "Canary" not in msg.body and "Zed" not in msg.body and "mail@example" not in msg.body


@pytest.mark.django_db
def test_spanish_reminder() -> None:
    p = _person("es@example.test", "UTC", dt.time(9, 0))
    p.language = "es"
    p.save(update_fields=["language"])
    reminders.send_due_reminders(dt.datetime(2025, 5, 1, 9, 1, tzinfo=UTC))
    assert mail.outbox[0].subject == "Es hora de tu registro"


@pytest.mark.django_db
def test_no_checkin_reminder_once_checked_in_and_none_when_disabled() -> None:
    from nearer.diary.services import save_checkin

    p = _person("done@example.test", "UTC", dt.time(9, 0))
    save_checkin(p, dt.date(2025, 5, 1), {"mood": 5, "closeness": 5}, today=dt.date(2025, 5, 1))
    assert reminders.send_due_reminders(dt.datetime(2025, 5, 1, 9, 1, tzinfo=UTC)) == {"sent": 0, "skipped": 1}
    services.set_preference(p, ReminderKind.CHECKIN, local_time=dt.time(9, 0), enabled=False, by_email=True, by_push=False)
    assert reminders.send_due_reminders(dt.datetime(2025, 5, 2, 9, 1, tzinfo=UTC))["sent"] == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_missed_window_is_caught_up_within_grace_only() -> None:
    _person("late@example.test", "UTC", dt.time(9, 0))
    assert reminders.send_due_reminders(dt.datetime(2025, 5, 1, 8, 59, tzinfo=UTC))["sent"] == 0
    assert reminders.send_due_reminders(dt.datetime(2025, 5, 1, 12, 30, tzinfo=UTC))["sent"] == 0  # past the 3 h grace
    assert reminders.send_due_reminders(dt.datetime(2025, 5, 2, 11, 0, tzinfo=UTC))["sent"] == 1  # server was down 2 h


@pytest.mark.django_db
def test_other_kinds_fire_only_when_there_is_a_reason(world: Any) -> None:
    from nearer.practice.models import Experiment
    from nearer.together.models import Couple, Rhythm

    owner = world.owner
    owner.timezone = "UTC"
    owner.save(update_fields=["timezone"])
    for kind in (ReminderKind.EXPERIMENT, ReminderKind.COUPLE_TALK, ReminderKind.MEASURES):
        services.set_preference(owner, kind, local_time=dt.time(9, 0), enabled=True, by_email=True, by_push=False)
    day = dt.datetime(2025, 6, 2, 9, 5, tzinfo=UTC)  # a Monday
    assert reminders.send_due_reminders(day) == {"sent": 0, "skipped": 3}
    Experiment.objects.create(owner=owner, planned_for=dt.datetime(2025, 6, 2, 18, 0, tzinfo=UTC), belief_before=60,
                              expected_anxiety=50)
    a, b = sorted([owner.pk, world.partner.pk])
    couple = Couple.objects.create(a_id=a, b_id=b)
    Rhythm.objects.create(couple=couple, weekdays=[0, 3], at=dt.time(20, 0), confirmed_at=day)
    out = reminders.send_due_reminders(day)
    assert out == {"sent": 2, "skipped": 1}
    kinds = set(ReminderSent.objects.values_list("kind", flat=True))
    assert kinds == {"experiment", "couple_talk"}
    assert {m.subject for m in mail.outbox} == {"Your experiment is today", "Your talk together is today"}
    # Tuesday: no talk that day, experiment was Monday.
    assert reminders.send_due_reminders(day + dt.timedelta(days=1))["sent"] == 0


@pytest.mark.django_db
def test_scheduler_claims_each_due_run_once() -> None:
    now = dt.datetime(2025, 5, 1, 9, 0, tzinfo=UTC)
    assert scheduler.claim("reminders", now) is True
    assert scheduler.claim("reminders", now) is False  # leased and not yet due again
    scheduler.finish("reminders", True)
    assert scheduler.claim("reminders", now + dt.timedelta(seconds=30)) is False
    assert scheduler.claim("reminders", now + dt.timedelta(minutes=1)) is True
    scheduler.finish("reminders", True)
    run = TaskRun.objects.get(name="reminders")
    assert run.runs == 2 and run.locked_until is None


@pytest.mark.django_db
def test_run_due_runs_every_job_and_records_it(world: Any) -> None:
    now = dt.datetime(2025, 5, 1, 9, 0, tzinfo=UTC)
    done = scheduler.run_due(now)
    assert set(done) == {"reminders", "safety_escalation", "safety_retry", "measures_due", "loop_refit"}
    assert done["reminders"] == {"sent": 0, "skipped": 0}
    assert done["safety_escalation"] == {"escalated": 0}
    assert scheduler.run_due(now + dt.timedelta(seconds=10)) == {}
    later = scheduler.run_due(now + dt.timedelta(minutes=1, seconds=1))
    assert set(later) == {"reminders", "safety_escalation", "safety_retry"}
    assert TaskRun.objects.get(name="loop_refit").next_due_at == now + dt.timedelta(days=1)


@pytest.mark.django_db
def test_escalation_timer_runs_through_the_scheduler(world: Any) -> None:
    from nearer.safety.models import Alert
    from nearer.safety.services import raise_risk

    t0 = dt.datetime(2025, 5, 1, 9, 0, tzinfo=UTC)
    with time_machine.travel(t0, tick=False):
        raise_risk(world.owner, "safety.not_safe", "urgent")
    # (The alert for the linked therapist without a second factor goes to on-call at once.)
    mine = Alert.objects.filter(therapist=world.therapist)
    assert mine.filter(escalated_at__isnull=True).count() == 1
    scheduler.run_due(t0 + dt.timedelta(minutes=30))
    assert mine.filter(escalated_at__isnull=False).count() == 0
    done = scheduler.run_due(t0 + dt.timedelta(minutes=61))
    assert done["safety_escalation"]["escalated"] >= 1
    assert Alert.objects.filter(escalated_at__isnull=True, level="urgent").count() == 0

"""The single risk path: events, alerts, grouping, emails, acknowledgement, escalation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from nearer.safety import services
from nearer.safety.models import Alert, AlertState, RiskEvent, SafetyPlan, SafetyPlanVersion
from nearer.safety.services import (
    check_text_and_respond,
    escalate_overdue_alerts,
    raise_risk,
)

T0 = datetime(2025, 3, 3, 15, 0, tzinfo=UTC)
RISKY = "I want to kill myself tonight, I have the pills ready"
SECRET = "Tuesday-canary-7731"


@pytest.fixture
def sole(world):
    """The owner with only the MFA therapist linked (the no-MFA therapist link revoked)."""
    link = world.objects["link_owner_nomfa"]
    link.revoked_at = timezone.now()
    link.save()
    return world


@pytest.mark.django_db
def test_none_level_records_nothing(world):
    out = raise_risk(world.owner, "diary.checkin", "none")
    assert (out.level, out.show_card, out.event, out.alert) == ("none", False, None, None)
    assert RiskEvent.objects.count() == 0
    assert check_text_and_respond(world.owner, "diary.checkin", "A long day at work, tired.").show_card is False


@pytest.mark.django_db
def test_unknown_level_is_a_programming_error(world):
    with pytest.raises(ValueError):
        raise_risk(world.owner, "diary.checkin", "high")


@pytest.mark.django_db
def test_urgent_text_records_event_and_alert_without_text(sole):
    w = sole
    out = check_text_and_respond(w.owner, "diary.checkin", RISKY + " " + SECRET, ref=("diary.checkin", 42))
    assert out.level == "urgent" and out.show_card and not out.screening_failed
    ev = RiskEvent.objects.get()
    assert (ev.source, ev.level, ev.ref_type, ev.ref_id) == ("diary.checkin", "urgent", "diary.checkin", "42")
    assert ev.rules and all(r.startswith(("urgent.", "concern.")) for r in ev.rules)
    alert = Alert.objects.get()
    assert out.alert == alert and ev.alert == alert
    assert (alert.person, alert.therapist, alert.level, alert.state) == (w.owner, w.therapist, "urgent", "open")
    assert alert.urgent_since is not None
    # No column anywhere in the safety tables carries the person's words.
    for obj in (ev, alert):
        for f in obj._meta.concrete_fields:
            assert "pills" not in str(getattr(obj, f.attname)) and SECRET not in str(getattr(obj, f.attname))


@pytest.mark.django_db
def test_person_without_therapist_gets_card_but_no_alert(world):
    out = raise_risk(world.unlinked, "diary.checkin", "urgent")
    assert out.show_card and out.event is not None and out.alert is None
    assert Alert.objects.count() == 0


@pytest.mark.django_db
def test_each_linked_therapist_gets_an_alert(world):
    raise_risk(world.owner, "measures.phq9", "concern")
    assert sorted(Alert.objects.values_list("therapist__email", flat=True)) == [
        "nomfa@example.test", "therapist@example.test"]


@pytest.mark.django_db
def test_grouping_within_24_hours_and_urgent_upgrade(sole):
    w = sole
    with time_machine.travel(T0, tick=False):
        a1 = raise_risk(w.owner, "diary.checkin", "concern").alert
    with time_machine.travel(T0 + timedelta(hours=5), tick=False):
        a2 = raise_risk(w.owner, "practice.record", "concern").alert
    assert a1 == a2
    a = Alert.objects.get()
    assert (a.signal_count, a.level, a.first_source, a.last_source) == (2, "concern", "diary.checkin", "practice.record")
    assert a.urgent_since is None
    services.acknowledge_alert(w.therapist, a)
    with time_machine.travel(T0 + timedelta(hours=23), tick=False):
        a3 = raise_risk(w.owner, "safety.not_safe", "urgent").alert
    a.refresh_from_db()
    assert a3 == a and a.signal_count == 3 and a.level == "urgent"
    # An urgent signal reopens an acknowledged alert.
    assert a.state == AlertState.OPEN and a.acknowledged_at is None
    assert a.urgent_since == T0 + timedelta(hours=23)
    # More than 24 hours after the last signal: a new alert.
    with time_machine.travel(T0 + timedelta(hours=47, minutes=1), tick=False):
        a4 = raise_risk(w.owner, "diary.checkin", "concern").alert
    assert a4 != a and Alert.objects.count() == 2
    assert RiskEvent.objects.count() == 4


@pytest.mark.django_db
def test_resolved_alert_is_not_joined(sole):
    w = sole
    a1 = raise_risk(w.owner, "diary.checkin", "concern").alert
    services.resolve_alert(w.therapist, a1, "Spoke on the phone.")
    a2 = raise_risk(w.owner, "diary.checkin", "concern").alert
    assert a2 != a1


@pytest.mark.django_db
def test_alert_committed_in_the_callers_transaction(sole):
    w = sole
    with pytest.raises(RuntimeError), transaction.atomic():
        raise_risk(w.owner, "diary.checkin", "urgent")
        raise RuntimeError("the entry failed to save")
    assert Alert.objects.count() == 0 and RiskEvent.objects.count() == 0


@pytest.mark.django_db
def test_alert_email_says_only_that_there_is_an_alert(sole, django_capture_on_commit_callbacks):
    w = sole
    with django_capture_on_commit_callbacks(execute=True):
        alert = check_text_and_respond(w.owner, "diary.checkin", RISKY + " " + SECRET).alert
    assert len(mail.outbox) == 1
    msg = mail.outbox[0]
    assert msg.to == ["therapist@example.test"]
    assert msg.subject == "Nearer: a safety alert is waiting for you"
    assert f"http://testserver/safety/alerts/{alert.pk}/" in msg.body or f"/safety/alerts/{alert.pk}/" in msg.body
    text = msg.subject + msg.body
    # The kind of signal and where it came from, never the person's name or words.
    assert "Kind of signal:" in msg.body and "Where it came from: Daily check-in" in msg.body
    for forbidden in ("Sam", "owner@example.test", "pills", SECRET, "kill", "tonight"):
        assert forbidden not in text, forbidden
    alert.refresh_from_db()
    assert alert.emailed_at is not None
    # A grouped concern signal sends no second email; an urgent upgrade does.
    with django_capture_on_commit_callbacks(execute=True):
        raise_risk(w.owner, "diary.checkin", "concern")
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_urgent_upgrade_emails_again(sole, django_capture_on_commit_callbacks):
    w = sole
    with django_capture_on_commit_callbacks(execute=True):
        raise_risk(w.owner, "diary.checkin", "concern")
        raise_risk(w.owner, "diary.checkin", "urgent")
        raise_risk(w.owner, "diary.checkin", "urgent")
    assert len(mail.outbox) == 2
    assert {m.to[0] for m in mail.outbox} == {"therapist@example.test"}


@pytest.mark.django_db
def test_spanish_email_for_spanish_speaking_therapist(sole, django_capture_on_commit_callbacks):
    w = sole
    w.therapist.language = "es"
    w.therapist.save()
    with django_capture_on_commit_callbacks(execute=True):
        raise_risk(w.owner, "diary.checkin", "concern")
    assert "alerta" in mail.outbox[0].subject.lower()


@pytest.mark.django_db
def test_acknowledge_and_resolve(sole):
    w = sole
    alert = raise_risk(w.owner, "diary.checkin", "urgent").alert
    services.acknowledge_alert(w.therapist, alert)
    alert.refresh_from_db()
    assert alert.state == "acknowledged" and alert.acknowledged_by == w.therapist
    with pytest.raises(services.ValidationError):
        services.resolve_alert(w.therapist, alert, "   ")
    with pytest.raises(services.ValidationError):
        services.acknowledge_alert(w.other_therapist, alert)
    services.resolve_alert(w.therapist, alert, "Called; made a plan for tonight.")
    alert.refresh_from_db()
    assert alert.state == "resolved" and alert.resolution_note == "Called; made a plan for tonight."
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT resolution_note FROM safety_alert WHERE id = %s", [alert.pk])
        stored = cur.fetchone()[0]
    assert "plan for tonight" not in stored


@pytest.mark.django_db
def test_escalation_with_frozen_time(sole, settings):
    w = sole
    settings.NEARER_ALERT_ESCALATION_MINUTES = 60
    with time_machine.travel(T0, tick=False):
        urgent = raise_risk(w.owner, "safety.not_safe", "urgent").alert
        concern = raise_risk(w.partner, "diary.checkin", "concern").alert  # partner has no therapist: None
    assert concern is None
    mail.outbox.clear()
    assert escalate_overdue_alerts(T0 + timedelta(minutes=59)) == []
    done = escalate_overdue_alerts(T0 + timedelta(minutes=60))
    assert [a.pk for a in done] == [urgent.pk]
    assert len(mail.outbox) == 1
    msg = mail.outbox[0]
    assert msg.to == ["oncall@clinic.test"]
    assert f"Alert reference: {urgent.pk}" in msg.body and "60 minutes" in msg.body
    assert "Sam" not in msg.body and "owner@example.test" not in msg.body
    urgent.refresh_from_db()
    assert urgent.escalated_at == T0 + timedelta(minutes=60) and urgent.escalated_to == "oncall@clinic.test"
    # Idempotent.
    assert escalate_overdue_alerts(T0 + timedelta(minutes=120)) == []
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_acknowledged_or_concern_alerts_are_not_escalated(sole, settings):
    w = sole
    settings.NEARER_ALERT_ESCALATION_MINUTES = 15
    with time_machine.travel(T0, tick=False):
        a = raise_risk(w.owner, "safety.not_safe", "urgent").alert
        services.acknowledge_alert(w.therapist, a)
    assert escalate_overdue_alerts(T0 + timedelta(hours=3)) == []
    services.resolve_alert(w.therapist, a, "ok")
    with time_machine.travel(T0 + timedelta(hours=4), tick=False):
        raise_risk(w.owner, "diary.checkin", "concern")
    assert escalate_overdue_alerts(T0 + timedelta(hours=9)) == []


@pytest.mark.django_db
def test_escalate_command_uses_now(sole, capsys):
    w = sole
    with time_machine.travel(T0, tick=False):
        raise_risk(w.owner, "safety.not_safe", "urgent")
    with time_machine.travel(T0 + timedelta(minutes=61), tick=False):
        call_command("escalate-alerts")
    assert "1 alert(s) overdue after 60 minutes; 1 sent to an on-call contact" in capsys.readouterr().out
    assert mail.outbox[-1].to == ["oncall@clinic.test"]


@pytest.mark.django_db
def test_escalation_without_on_call_contact_is_logged_not_lost(world, captured_logs):
    w = world
    with time_machine.travel(T0, tick=False):
        raise_risk(w.owner, "safety.not_safe", "urgent")
    w.clinic.on_call_email = ""
    w.clinic.save()
    done = escalate_overdue_alerts(T0 + timedelta(minutes=90))
    # The no-second-factor therapist's alert went to on-call at once; the other one escalates now.
    assert len(done) == 1 and all(a.escalated_to == "" for a in done)
    assert any("no on-call contact" in line for line in captured_logs)


# --- A failure inside screening never loses the entry ------------------------------------------------


def _boom(text):
    raise RuntimeError("screener broke on: " + text)


@pytest.mark.django_db
def test_screener_exception_still_saves_the_plan(world, monkeypatch, captured_logs):
    monkeypatch.setattr(services, "screen", _boom)
    plan, outcome = services.save_plan(world.owner, world.owner, {"warning_signs": "When I stop answering " + SECRET})
    assert SafetyPlan.objects.get(owner=world.owner).warning_signs.endswith(SECRET)
    assert SafetyPlanVersion.objects.filter(plan=plan).count() == 1
    assert outcome.show_card and outcome.screening_failed
    ev = RiskEvent.objects.get()
    assert ev.screening_failed and ev.level == "none" and ev.source == "safety.plan"
    assert Alert.objects.count() == 0
    assert not any(SECRET in line for line in captured_logs)
    assert any("screening failed" in line for line in captured_logs)


@pytest.mark.django_db
def test_check_text_never_raises(world, monkeypatch, captured_logs):
    monkeypatch.setattr(services, "screen", _boom)
    from nearer.safety.models import SafetyPlan as Entry  # any saved entry will do as a fake caller

    with transaction.atomic():
        entry = Entry.objects.create(owner=world.owner, cope_alone=SECRET)
        out = check_text_and_respond(world.owner, "fake.entry", entry.cope_alone, ref=entry)
    assert Entry.objects.filter(pk=entry.pk).exists()
    assert (out.show_card, out.screening_failed, out.level) == (True, True, "none")
    assert out.event is not None and out.event.ref_type == "safety.safetyplan"
    assert not any(SECRET in line for line in captured_logs)


# --- The plan ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_plan_versions_record_the_editor(world):
    services.save_plan(world.owner, world.owner, {"cope_alone": "Walk the dog\n\n  Shower  "})
    link = world.objects["link_owner_therapist"]
    link.scopes = [*link.scopes, "safety_plan"]
    link.save()
    plan, _ = services.save_plan(world.owner, world.therapist, {"people_to_ask": "My sister Ana"})
    assert plan.parts()["cope_alone"] == ["Walk the dog", "Shower"]
    versions = list(plan.versions.order_by("number"))
    assert [(v.number, v.edited_by, v.edited_by_role) for v in versions] == [
        (1, world.owner, "person"), (2, world.therapist, "therapist")]
    assert versions[0].parts()["people_to_ask"] == "" and versions[1].parts()["people_to_ask"] == "My sister Ana"


@pytest.mark.django_db
def test_plan_concern_words_are_not_a_new_signal_but_urgent_is(sole):
    w = sole
    _, out = services.save_plan(w.owner, w.owner, {"warning_signs": "Thinking I'd be better off dead\nFeeling like a burden"})
    assert not out.show_card and RiskEvent.objects.count() == 0
    _, out = services.save_plan(w.owner, w.owner, {"warning_signs": "I am going to kill myself tonight"})
    assert out.show_card and out.level == "urgent"
    assert RiskEvent.objects.get().source == "safety.plan"


@pytest.mark.django_db
def test_plan_part_validation(world):
    with pytest.raises(services.ValidationError) as exc:
        services.save_plan(world.owner, world.owner, {"nonsense": "x"})
    assert "nonsense" in exc.value.message_dict
    with pytest.raises(services.ValidationError) as exc:
        services.save_plan(world.owner, world.owner, {"cope_alone": "x" * 4001})
    assert "cope_alone" in exc.value.message_dict


@pytest.mark.django_db
def test_add_partner_only_when_linked(world):
    plan = services.add_partner_to_plan(world.owner)
    assert plan.parts()["people_to_ask"] == ["Alex"]
    services.add_partner_to_plan(world.owner)  # no duplicate
    assert SafetyPlan.objects.get(owner=world.owner).parts()["people_to_ask"] == ["Alex"]
    with pytest.raises(services.ValidationError):
        services.add_partner_to_plan(world.unlinked)


@pytest.mark.django_db
def test_need_help_choice_escalates_alert_to_urgent(sole):
    w = sole
    out = raise_risk(w.owner, "diary.checkin", "concern")
    services.record_choice(w.owner, out.event, "need_help")
    out.event.refresh_from_db()
    assert out.event.choice == "need_help" and out.event.choice_at is not None
    a = Alert.objects.get()
    assert a.level == "urgent" and a.signal_count == 2 and a.urgent_since is not None
    with pytest.raises(services.ValidationError):
        services.record_choice(w.partner, out.event, "safe")
    with pytest.raises(services.ValidationError):
        services.record_choice(w.owner, out.event, "maybe")

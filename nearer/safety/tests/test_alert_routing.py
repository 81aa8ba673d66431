"""Alerts reach someone who can act, carry the kind of signal, and the person is told the truth."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from nearer.safety.kinds import signal_kinds
from nearer.safety.models import Alert, RiskEvent
from nearer.safety.services import check_text_and_respond, raise_risk, signal_risk

RISKY = "I want to kill myself tonight, I have the pills ready"


@pytest.mark.parametrize(("rule", "kind"), [
    ("urgent.recent_attempt", "attempt_taken"),
    ("urgent.plan_method", "method_timing"),
    ("concern.mention", "mention"),
    ("concern.negated_mention", "mention"),
    ("urgent.goodbye", "farewell"),
    ("urgent.some_new_rule", "writing_urgent"),
    ("concern.another_new_rule", "writing_concern"),
])
def test_screener_rules_map_to_plain_kinds(rule: str, kind: str) -> None:
    assert signal_kinds("diary.checkin", [rule]) == [kind]


def test_non_text_sources_have_kinds() -> None:
    assert signal_kinds("measures.phq9_item9", ["phq9.item9"]) == ["phq9_item9"]
    assert signal_kinds("safety.not_safe") == ["not_safe"]
    assert signal_kinds("safety.asq", ["asq.acute"]) == ["asq_acute"]


@pytest.mark.django_db
def test_therapist_without_second_factor_gets_no_alert_email_on_call_and_admin_are_told(
        world: Any, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        out = raise_risk(world.owner, "diary.checkin", "urgent", reasons=["urgent.recent_attempt"])
    assert out.delivery == "therapist"  # the owner also has a reachable therapist
    blocked = Alert.objects.get(therapist=world.therapist_no_mfa)
    assert (blocked.route, blocked.route_reason, blocked.escalated_to) == ("on_call", "no_second_factor",
                                                                            "oncall@clinic.test")
    sent = {tuple(m.to): m for m in mail.outbox}
    assert ("nomfa@example.test",) not in sent  # an account that cannot open alerts gets no alert email
    on_call = sent[("oncall@clinic.test",)]
    assert "nomfa@example.test" in on_call.body and "overdose or attempt taken" in on_call.body
    assert "Daily check-in" in on_call.body
    admin = sent[("admin@example.test",)]
    assert "cannot receive" in admin.subject and "nomfa@example.test" in admin.body
    for m in mail.outbox:
        assert "Sam" not in m.body and "owner@example.test" not in m.body
    reach = sent[("therapist@example.test",)]
    assert "overdose or attempt taken" in reach.body


@pytest.mark.django_db
def test_only_unreachable_therapist_means_the_person_is_told_on_call(world: Any, client_as: Any) -> None:
    world.objects["link_owner_therapist"].revoked_at = timezone.now()
    world.objects["link_owner_therapist"].save()
    out = check_text_and_respond(world.owner, "diary.checkin", RISKY)
    assert out.delivery == "on_call" and RiskEvent.objects.get().delivery == "on_call"
    body = client_as("owner").post("/safety/not-safe/").content.decode()
    assert 'data-delivery="on_call"' in body and "on-call contact" in body


@pytest.mark.django_db
def test_no_on_call_contact_means_nobody_and_the_person_is_told(world: Any) -> None:
    world.objects["link_owner_therapist"].revoked_at = timezone.now()
    world.objects["link_owner_therapist"].save()
    world.clinic.on_call_email = ""
    world.clinic.save()
    out = signal_risk(world.owner, "safety.not_safe", "urgent")
    assert out.delivery == "nobody" and Alert.objects.get().route == "nobody"


@pytest.mark.django_db
def test_person_without_therapist_is_told_no_one_was_alerted(world: Any, client_as: Any) -> None:
    body = client_as("unlinked").post("/safety/not-safe/").content.decode()
    assert 'data-delivery="no_therapist"' in body and "No one has been alerted" in body
    assert "988" in body and "911" in body and not Alert.objects.exists()


@pytest.mark.django_db
def test_deactivated_therapist_is_routed_to_on_call(world: Any) -> None:
    world.therapist.is_active = False
    world.therapist.save()
    signal_risk(world.owner, "safety.not_safe", "urgent")
    assert Alert.objects.get(therapist=world.therapist).route_reason == "inactive"


@pytest.mark.django_db
def test_alert_pages_and_api_show_the_kind_never_words(world: Any, client_as: Any, client: Any) -> None:
    check_text_and_respond(world.owner, "diary.checkin", RISKY)
    alert = Alert.objects.get(therapist=world.therapist)
    t = client_as("therapist")
    page = t.get(f"/safety/alerts/{alert.pk}/").content.decode()
    assert "data-alert-kinds" in page and "pills" not in page
    listing = t.get("/safety/alerts/").content.decode()
    assert "Daily check-in" in listing
    api = client.get("/api/safety/alerts", HTTP_AUTHORIZATION=f"Bearer {world.tokens['therapist']}").json()
    assert api[0]["kinds"] and api[0]["route"] == "therapist"


@pytest.mark.django_db
def test_clinic_admin_sees_who_cannot_receive_alerts(world: Any, client_as: Any) -> None:
    a = client_as("clinic_admin")
    for url in ("/", "/clinic/admin/therapists/", "/clinic/admin/move-caseload/"):
        body = a.get(url).content.decode()
        assert "data-alert-reach" in body and "nomfa@example.test" in body, url
        assert "Sam" not in body, url


@pytest.mark.django_db
def test_therapist_without_second_factor_is_told_on_home(world: Any, client_as: Any) -> None:
    signal_risk(world.owner, "safety.not_safe", "urgent")
    body = client_as("therapist_no_mfa").get("/").content.decode()
    assert "data-alerts-blocked" in body and "1 open alert is waiting for you" in body


@pytest.mark.django_db
def test_moved_caseload_moves_open_alerts_and_emails_the_receiving_therapist(
        world: Any, django_capture_on_commit_callbacks: Any) -> None:
    from conftest import link, make_user
    from nearer.clinic.services import move_caseload

    new = make_user("new.therapist@example.test", "therapist", "Dr. New", world.clinic, mfa=True)
    link(world.unlinked, world.therapist, "therapist")
    signal_risk(world.unlinked, "safety.not_safe", "urgent")
    alert = Alert.objects.get(person=world.unlinked)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        move_caseload(world.clinic_admin, world.therapist, new)
    alert.refresh_from_db()
    assert alert.therapist == new and alert.route == "therapist"
    moved = [m for m in mail.outbox if m.to == ["new.therapist@example.test"]]
    assert len(moved) == 1 and "open safety alert" in moved[0].body
    assert "Uma" not in moved[0].body and "unlinked@example.test" not in moved[0].body


@pytest.mark.django_db
def test_caseload_moved_to_therapist_without_second_factor_goes_on_call(
        world: Any, django_capture_on_commit_callbacks: Any) -> None:
    from conftest import link
    from nearer.clinic.services import move_caseload

    link(world.unlinked, world.therapist, "therapist")
    signal_risk(world.unlinked, "safety.not_safe", "urgent")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        move_caseload(world.clinic_admin, world.therapist, world.therapist_no_mfa)
    alert = Alert.objects.get(person=world.unlinked)
    assert alert.therapist == world.therapist_no_mfa and alert.route == "on_call"
    recipients = [tuple(m.to) for m in mail.outbox]
    assert ("oncall@clinic.test",) in recipients and ("admin@example.test",) in recipients
    assert ("nomfa@example.test",) not in recipients

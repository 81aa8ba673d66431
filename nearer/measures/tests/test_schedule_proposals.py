"""A therapist's schedule is a proposal: the client accepts or declines; stops take effect at once.

Due questionnaires and reminders come only from accepted schedules; the history says who did what.
"""

from __future__ import annotations

import datetime as dt
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError

from nearer.measures import queries
from nearer.measures import services as svc
from nearer.measures.models import DueMeasure, DueState, Schedule, ScheduleEvent
from nearer.privacy import access

T0 = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


def _history(person, for_person=True):
    return [(h["who"], h["action"], h["instrument_id"], h["cadence_days"])
            for h in queries.schedule_history(person, for_person=for_person)]


def test_a_proposal_changes_nothing_until_the_client_accepts(world):
    with time_machine.travel(T0, tick=False):
        prop = svc.propose_schedule(world.therapist, world.owner, "phq9", 7, 3)
        assert (prop.status, prop.active, prop.set_by_role) == ("proposed", False, "therapist")
        assert svc.mark_missed() == {"created": 0, "missed": 0}
        assert queries.due_for(world.owner) == [] and not DueMeasure.objects.exists()
        assert queries.schedules_for(world.owner) == []
        [card] = queries.proposals_for(world.owner)
        assert (card["who"], card["title"], card["how_often"], card["current"]) == ("Dr. Rivera", "PHQ-9", "every week", "")
    with time_machine.travel(T0 + timedelta(hours=2), tick=False):
        svc.respond_to_proposal(world.owner, prop.pk, True)
        prop.refresh_from_db()
        assert (prop.status, prop.active) == ("accepted", True)
        assert [d["instrument_id"] for d in queries.due_for(world.owner)] == ["phq9"]
        assert queries.proposals_for(world.owner) == []
    assert _history(world.owner) == [("You", "accepted", "phq9", 7), ("Dr. Rivera", "proposed", "phq9", 7)]
    assert _history(world.owner, for_person=False)[0][0] == "Sam"


def test_a_changed_schedule_keeps_the_old_one_in_force_until_accepted(world):
    with time_machine.travel(T0, tick=False):
        mine = svc.set_schedule(world.owner, "phq9", 14, 4)
        assert len(queries.due_for(world.owner)) == 1
        prop = svc.propose_schedule(world.therapist, world.owner, "phq9", 7, 2)
        assert queries.proposals_for(world.owner)[0]["current"] == "every 2 weeks"
    # Two weeks on, the 14-day schedule is still the one making things due.
    with time_machine.travel(T0 + timedelta(days=14), tick=False):
        svc.mark_missed()
        mine.refresh_from_db()
        assert (mine.cadence_days, mine.active, mine.status) == (14, True, "accepted")
        assert [o.due_at - T0 for o in DueMeasure.objects.order_by("due_at")] == [timedelta(0), timedelta(days=14)]
        svc.respond_to_proposal(world.owner, prop.pk, True)
        mine.refresh_from_db()
        prop.refresh_from_db()
        assert (mine.active, mine.status) == (False, "replaced")
        assert (prop.active, prop.status, prop.cadence_days) == (True, "accepted", 7)
        # The questionnaire open now keeps its window and moves to the schedule in force.
        assert set(DueMeasure.objects.values_list("schedule_id", flat=True)) == {prop.pk}
        assert len(queries.due_for(world.owner)) == 1
    with time_machine.travel(T0 + timedelta(days=21), tick=False):
        svc.mark_missed()
        assert DueMeasure.objects.filter(due_at=T0 + timedelta(days=21)).exists()  # weekly from now on


def test_decline_keeps_everything_and_the_therapist_can_propose_again(world):
    mine = svc.set_schedule(world.owner, "gad7", 14, 4)
    first = svc.propose_schedule(world.therapist, world.owner, "gad7", 28, 4)
    svc.respond_to_proposal(world.owner, first.pk, False)
    first.refresh_from_db()
    mine.refresh_from_db()
    assert (first.status, first.active) == ("declined", False)
    assert (mine.status, mine.active, mine.cadence_days) == ("accepted", True, 14)
    assert [(r["status"], r["cadence_days"]) for r in queries.schedule_status_for(world.owner)] == [
        ("accepted", 14), ("declined", 28)]
    # Answering twice is refused, naming the field.
    with pytest.raises(ValidationError) as exc:
        svc.respond_to_proposal(world.owner, first.pk, True)
    assert "action" in exc.value.message_dict
    again = svc.propose_schedule(world.therapist, world.owner, "gad7", 21, 4)
    assert again.pk != first.pk and again.status == "proposed"
    assert [r["status"] for r in queries.schedule_status_for(world.owner)] == ["accepted", "proposed"]
    svc.respond_to_proposal(world.owner, again.pk, True)
    assert [(r["status"], r["cadence_days"]) for r in queries.schedule_status_for(world.owner)] == [("accepted", 21)]


def test_a_newer_proposal_replaces_the_waiting_one_and_stale_answers_are_refused(world):
    old = svc.propose_schedule(world.therapist, world.owner, "phq9", 14, 4)
    assert svc.propose_schedule(world.therapist, world.owner, "phq9", 14, 4).pk == old.pk  # same again: no change
    new = svc.propose_schedule(world.therapist, world.owner, "phq9", 7, 4)
    old.refresh_from_db()
    assert old.status == "replaced" and Schedule.objects.filter(status="proposed").get().pk == new.pk
    with pytest.raises(ValidationError):
        svc.respond_to_proposal(world.owner, old.pk, True)  # the client saw the old numbers
    assert not Schedule.objects.filter(active=True).exists()


def test_proposing_what_is_already_in_force_is_refused(world):
    svc.set_schedule(world.owner, "phq9", 14, 4)
    with pytest.raises(ValidationError) as exc:
        svc.propose_schedule(world.therapist, world.owner, "phq9", 14, 4)
    assert "cadence_days" in exc.value.message_dict


@pytest.mark.parametrize("who", ["partner", "other_therapist", "unlinked", "therapist_no_mfa", "clinic_admin"])
def test_only_the_linked_therapist_can_propose(world, who):
    with pytest.raises(access.AccessDenied):
        svc.propose_schedule(getattr(world, who), world.owner, "phq9", 7, 3)
    assert not Schedule.objects.exists()


def test_only_the_client_answers_their_proposal(world):
    prop = svc.propose_schedule(world.therapist, world.owner, "phq9", 7, 3)
    for other in (world.partner, world.therapist, world.unlinked):
        with pytest.raises(ValidationError) as exc:
            svc.respond_to_proposal(other, prop.pk, True)
        assert "schedule_id" in exc.value.message_dict
    # The client's own schedule is not a proposal to answer.
    mine = svc.set_schedule(world.owner, "gad7", 14, 4)
    with pytest.raises(ValidationError):
        svc.respond_to_proposal(world.owner, mine.pk, False)
    assert Schedule.objects.get(pk=prop.pk).status == "proposed"


def test_a_therapist_stop_is_at_once_and_the_client_is_told(world):
    with time_machine.travel(T0, tick=False):
        sched = svc.propose_schedule(world.therapist, world.owner, "phq9", 14, 4)
        svc.respond_to_proposal(world.owner, sched.pk, True)
        assert len(queries.due_for(world.owner)) == 1
    with time_machine.travel(T0 + timedelta(days=1), tick=False):
        svc.stop_schedule(world.owner, sched.pk, by=world.therapist)
        sched.refresh_from_db()
        assert (sched.status, sched.active) == ("stopped", False)
        assert queries.due_for(world.owner) == [] and not DueMeasure.objects.filter(state=DueState.OPEN).exists()
        [notice] = queries.stop_notices(world.owner)
        assert (notice["who"], notice["title"], notice["how_often"]) == ("Dr. Rivera", "PHQ-9", "every 2 weeks")
        assert svc.mark_schedule_notices_seen(world.owner) == 1
        assert queries.stop_notices(world.owner) == []
    assert _history(world.owner)[0] == ("Dr. Rivera", "stopped", "phq9", 14)
    assert [r["status"] for r in queries.schedule_status_for(world.owner)] == ["stopped"]


def test_the_clients_own_stop_needs_no_notice_and_a_withdrawn_proposal_cannot_be_accepted(world):
    mine = svc.set_schedule(world.owner, "phq9", 14, 4)
    svc.stop_schedule(world.owner, mine.pk, by=world.owner)
    assert queries.stop_notices(world.owner) == []
    prop = svc.propose_schedule(world.therapist, world.owner, "gad7", 7, 3)
    svc.stop_schedule(world.owner, prop.pk, by=world.therapist)
    prop.refresh_from_db()
    assert prop.status == "withdrawn"
    with pytest.raises(ValidationError):
        svc.respond_to_proposal(world.owner, prop.pk, True)
    assert [(h["who"], h["action_label"]) for h in queries.schedule_history(world.owner)] == [
        ("Dr. Rivera", "withdrew"), ("Dr. Rivera", "proposed"), ("You", "stopped"), ("You", "set")]


def test_set_schedule_by_someone_else_only_proposes(world):
    """No caller can put a therapist's schedule in force without the client's answer."""
    sched = svc.set_schedule(world.owner, "phq9", 7, 3, set_by=world.therapist)
    assert (sched.status, sched.active) == ("proposed", False)
    with pytest.raises(access.AccessDenied):
        svc.set_schedule(world.owner, "phq9", 7, 3, set_by=world.partner)


def test_a_clinic_assignment_the_client_accepted_is_in_force_with_both_steps_in_history(world):
    sched = svc.accept_suggested_schedule(world.owner, "phq9", 14, 4, suggested_by=world.therapist)
    assert (sched.status, sched.active) == ("accepted", True)
    assert [(h["who"], h["action"]) for h in queries.schedule_history(world.owner)] == [
        ("You", "accepted"), ("Dr. Rivera", "proposed")]


def test_history_survives_the_therapist_account_and_stays_newest_first(world):
    prop = svc.propose_schedule(world.therapist, world.owner, "phq9", 7, 3)
    svc.respond_to_proposal(world.owner, prop.pk, False)
    world.therapist.delete()
    assert [(h["who"], h["action"]) for h in queries.schedule_history(world.owner)] == [
        ("You", "declined"), ("A former therapist", "proposed")]
    assert ScheduleEvent.objects.filter(person=world.owner).count() == 2


def _reminder_for(person):
    from nearer.ops import services as ops_services
    from nearer.ops.models import ReminderKind

    person.timezone = "UTC"
    person.save(update_fields=["timezone"])
    ops_services.set_preference(person, ReminderKind.MEASURES, local_time=dt.time(9, 0), enabled=True,
                                by_email=True, by_push=False)


def test_reminders_come_only_from_accepted_schedules(world):
    from nearer.ops import reminders

    _reminder_for(world.owner)
    day = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    with time_machine.travel(day, tick=False):
        prop = svc.propose_schedule(world.therapist, world.owner, "phq9", 7, 3)
        svc.mark_missed()
    at_nine = day + timedelta(hours=1, minutes=5)
    assert reminders.send_due_reminders(at_nine) == {"sent": 0, "skipped": 1}
    with time_machine.travel(day + timedelta(days=1), tick=False):
        svc.respond_to_proposal(world.owner, prop.pk, True)
        svc.mark_missed()
    assert reminders.send_due_reminders(at_nine + timedelta(days=1)) == {"sent": 1, "skipped": 0}
    assert [m.subject for m in mail.outbox] == ["A questionnaire is ready"]


def test_an_open_occurrence_of_a_schedule_not_in_force_is_never_due_nor_reminded(world):
    """Defence in depth: even a stray open occurrence of a declined schedule makes nothing due."""
    from nearer.ops import reminders

    _reminder_for(world.owner)
    prop = svc.propose_schedule(world.therapist, world.owner, "phq9", 7, 3)
    svc.respond_to_proposal(world.owner, prop.pk, False)
    now = datetime(2026, 3, 2, 9, 5, tzinfo=UTC)
    DueMeasure.objects.create(schedule=prop, person=world.owner, instrument_id="phq9", due_at=now - timedelta(hours=1),
                              window_ends_at=now + timedelta(days=2))
    assert queries.due_for(world.owner, now) == []
    assert reminders.send_due_reminders(now) == {"sent": 0, "skipped": 1}


def test_a_proposal_from_a_therapist_who_unlinked_is_not_shown_and_cannot_start(world):
    from django.utils import timezone

    prop = svc.propose_schedule(world.therapist, world.owner, "phq9", 7, 3)
    link = world.objects["link_owner_therapist"]
    link.revoked_at = timezone.now()
    link.save(update_fields=["revoked_at"])
    assert queries.proposals_for(world.owner) == []
    with pytest.raises(ValidationError) as exc:
        svc.respond_to_proposal(world.owner, prop.pk, True)
    assert "action" in exc.value.message_dict
    assert not Schedule.objects.filter(active=True).exists()
    svc.respond_to_proposal(world.owner, prop.pk, False)  # declining still tidies it away

"""Schedules, due windows and missed measures, with frozen time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command

from nearer.measures import queries
from nearer.measures import services as svc
from nearer.measures.models import DueMeasure, DueState, Schedule

T0 = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
PHQ2 = {"44250-9": 0, "44255-8": 1}


def states(person):
    return [(o.due_at - T0, o.state) for o in DueMeasure.objects.filter(person=person).order_by("due_at")]


def test_due_now_then_open_for_the_window_then_missed(world):
    with time_machine.travel(T0, tick=False):
        svc.set_schedule(world.owner, "phq2", 14, 4)
        assert [d["instrument_id"] for d in queries.due_for(world.owner)] == ["phq2"]
    with time_machine.travel(T0 + timedelta(days=3, hours=23), tick=False):
        assert len(queries.due_for(world.owner)) == 1  # still open on day 4
    with time_machine.travel(T0 + timedelta(days=4), tick=False):
        assert svc.mark_missed() == {"created": 0, "missed": 1}
        assert queries.due_for(world.owner) == []
    assert states(world.owner) == [(timedelta(0), DueState.MISSED)]


def test_answering_in_the_window_completes_it(world):
    with time_machine.travel(T0, tick=False):
        svc.set_schedule(world.owner, "phq2", 7, 2)
    with time_machine.travel(T0 + timedelta(days=1), tick=False):
        adm = svc.submit_administration(world.owner, "phq2", PHQ2).administration
        assert queries.due_for(world.owner) == []
    occ = DueMeasure.objects.get()
    assert occ.state == DueState.COMPLETED and occ.administration_id == adm.pk


def test_mark_missed_creates_every_occurrence_for_people_who_stay_away(world):
    with time_machine.travel(T0, tick=False):
        svc.set_schedule(world.owner, "phq9", 7, 3)
        svc.set_schedule(world.partner, "gad7", 14, 4)
    later = T0 + timedelta(days=22)
    with time_machine.travel(later, tick=False):
        counts = svc.mark_missed()
    # Sam: due days 0, 7, 14, 21 (day 21 is still open); Alex: days 0 and 14 (closed on day 18).
    assert counts == {"created": 4, "missed": 5}
    assert states(world.owner) == [
        (timedelta(days=0), "missed"), (timedelta(days=7), "missed"), (timedelta(days=14), "missed"),
        (timedelta(days=21), "open"),
    ]
    assert states(world.partner) == [(timedelta(days=0), "missed"), (timedelta(days=14), "missed")]
    with time_machine.travel(later, tick=False):
        assert svc.mark_missed() == {"created": 0, "missed": 0}  # running again changes nothing


def test_mark_missed_command(world, capsys):
    with time_machine.travel(T0, tick=False):
        svc.set_schedule(world.owner, "phq2", 7, 2)
    with time_machine.travel(T0 + timedelta(days=3), tick=False):
        call_command("measures", "mark-missed")
    assert "recorded 1 as missed" in capsys.readouterr().out


def test_a_recent_answer_pushes_the_first_due_date(world):
    with time_machine.travel(T0, tick=False):
        svc.submit_administration(world.owner, "phq2", PHQ2)
    with time_machine.travel(T0 + timedelta(days=2), tick=False):
        sched = svc.set_schedule(world.owner, "phq2", 14, 4)
        assert sched.starts_at == T0 + timedelta(days=14)
        assert queries.due_for(world.owner) == []


def test_changing_and_stopping_a_schedule(world):
    with time_machine.travel(T0, tick=False):
        first = svc.set_schedule(world.owner, "phq9", 14, 4)
        second = svc.set_schedule(world.owner, "phq9", 7, 2)
        assert first.pk == second.pk and Schedule.objects.count() == 1
        assert (second.cadence_days, second.window_days, second.set_by_role) == (7, 2, "person")
        svc.stop_schedule(world.owner, second.pk)
        assert not Schedule.objects.filter(active=True).exists()
        assert not DueMeasure.objects.exists()  # withdrawn, not missed
        with pytest.raises(ValidationError):
            svc.stop_schedule(world.owner, second.pk)


@pytest.mark.parametrize(("cadence", "window", "field"), [(0, 1, "cadence_days"), (400, 4, "cadence_days"),
                                                         (7, 8, "window_days"), (7, 0, "window_days")])
def test_schedule_validation_names_the_field(world, cadence, window, field):
    with pytest.raises(ValidationError) as exc:
        svc.set_schedule(world.owner, "phq9", cadence, window)
    assert field in exc.value.message_dict


def test_due_measures_on_the_home_page(world, client_as):
    with time_machine.travel(T0, tick=False):
        svc.set_schedule(world.owner, "gad7", 14, 4)
        page = client_as("owner").get("/").content.decode()
        assert "Questionnaires to answer" in page and "/measures/answer/gad7/" in page
        assert "Questionnaires to answer" not in client_as("partner").get("/").content.decode()

"""Existing schedules migrate as accepted (in force, nothing changes for current users); stopped ones say so."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("measures", "0003_merge_language_and_two_week_rule")]
AFTER = [("measures", "0004_schedule_proposals")]


@pytest.mark.django_db(transaction=True)
def test_existing_schedules_become_accepted_and_stopped_ones_stopped():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    User = old.get_model("accounts", "User")
    Schedule = old.get_model("measures", "Schedule")
    person = User.objects.create(email="old@example.test", role="person")
    running = Schedule.objects.create(person=person, instrument_id="phq9", cadence_days=14, window_days=4, active=True,
                                      set_by_role="therapist")
    stopped = Schedule.objects.create(person=person, instrument_id="gad7", cadence_days=14, window_days=4, active=False)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps.get_model("measures", "Schedule")
    assert new.objects.get(pk=running.pk).status == "accepted" and new.objects.get(pk=running.pk).active
    assert new.objects.get(pk=stopped.pk).status == "stopped" and not new.objects.get(pk=stopped.pk).active

    # Back to the latest state for the rest of the suite.
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

"""One list of periodic jobs: Celery beat's schedule is built from ``PERIODIC``, the same list the
embedded scheduler runs, so the two cannot drift apart."""

from __future__ import annotations

from nearer.celery import app, beat_schedule
from nearer.ops.tasks import PERIODIC


def test_beat_runs_exactly_the_periodic_jobs_at_their_intervals():
    schedule = beat_schedule()
    assert {entry["args"][0] for entry in schedule.values()} == set(PERIODIC)
    for entry in schedule.values():
        job = PERIODIC[entry["args"][0]]
        assert entry["task"] == "nearer.ops.run_periodic"
        assert entry["schedule"] == job.every.total_seconds()


def test_the_finalized_celery_app_carries_that_schedule():
    app.finalize()
    assert app.conf.beat_schedule == beat_schedule()


def test_no_second_definition_in_settings():
    from django.conf import settings

    assert not hasattr(settings, "CELERY_BEAT_SCHEDULE")

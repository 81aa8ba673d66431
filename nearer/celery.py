"""The Celery app (production, with Redis). Configuration comes from Django settings (``CELERY_*``).

Run `nearer worker` (a worker with the beat scheduler embedded) or `celery -A nearer worker -B`.
Without ``NEARER_REDIS_URL`` tasks run eagerly in-process and the embedded scheduler inside
`nearer serve` takes beat's place.
"""

from __future__ import annotations

import os
from typing import Any

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nearer.settings")

app = Celery("nearer")
app.config_from_object("django.conf:settings", namespace="CELERY")


def beat_schedule() -> dict[str, dict[str, Any]]:
    """Beat's schedule, built from the one list of periodic jobs (``nearer.ops.tasks.PERIODIC``)."""
    from nearer.ops.tasks import PERIODIC

    return {
        f"nearer-{name}": {"task": "nearer.ops.run_periodic", "schedule": job.every.total_seconds(), "args": [name]}
        for name, job in PERIODIC.items()
    }


@app.on_after_finalize.connect
def _set_beat_schedule(sender: Celery, **kwargs: Any) -> None:
    sender.conf.beat_schedule = beat_schedule()


@app.task(name="nearer.ops.run_periodic", ignore_result=False)
def run_periodic(name: str, now: str | None = None) -> Any:
    """Run one periodic job by name; ``now`` (ISO 8601) lets tests and operators replay a moment."""
    import datetime as dt

    from nearer.ops.tasks import run_periodic as run

    when = dt.datetime.fromisoformat(now) if now else None
    return run(name, when)


@app.task(name="nearer.ops.ping")
def ping(value: str = "pong") -> str:
    return value

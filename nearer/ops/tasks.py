"""Every periodic job Nearer runs, in one registry used by Celery beat and the embedded scheduler.

Each job is a plain function taking ``now`` and returning a small JSON-able summary (counts only,
never personal data). Jobs are idempotent, so running one twice is harmless; the scheduler's lease
still keeps two processes from running the same one at the same moment.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Periodic:
    name: str
    every: dt.timedelta
    run: Callable[[dt.datetime], Any]
    help: str


def reminders(now: dt.datetime) -> dict[str, int]:
    from nearer.ops.reminders import send_due_reminders

    return send_due_reminders(now)


def safety_escalation(now: dt.datetime) -> dict[str, int]:
    from nearer.safety.services import escalate_overdue_alerts

    return {"escalated": len(escalate_overdue_alerts(now))}


def safety_retry(now: dt.datetime) -> dict[str, int]:
    from nearer.safety.services import retry_pending_risk_checks

    return dict(retry_pending_risk_checks(now))


def measures_due(now: dt.datetime) -> dict[str, int]:
    from nearer.measures.services import mark_missed

    return dict(mark_missed(now))


def loop_refit(now: dt.datetime) -> dict[str, int]:
    from nearer.diary.tasks import refit_loops

    row = refit_loops()
    return {"people": int(getattr(row, "n_people", 0))}


PERIODIC: dict[str, Periodic] = {
    p.name: p
    for p in [
        Periodic("reminders", dt.timedelta(minutes=1), reminders, "Reminders at each person's chosen local time."),
        Periodic("safety_escalation", dt.timedelta(minutes=1), safety_escalation,
                 "Urgent safety alerts not acknowledged in time go to the clinic's on-call contact."),
        Periodic("safety_retry", dt.timedelta(minutes=1), safety_retry,
                 "Risk signals that failed to record (a database error) are recorded and their alerts sent."),
        Periodic("measures_due", dt.timedelta(hours=1), measures_due,
                 "Open questionnaire windows as scheduled; close missed ones."),
        Periodic("loop_refit", dt.timedelta(days=1), loop_refit,
                 "Nightly refit of the population loop with the vectorised engine."),
    ]
}


def run_periodic(name: str, now: dt.datetime | None = None) -> Any:
    """Run one job now (Celery calls this); the worker heartbeat records that it ran."""
    from nearer.ops.health import record_run

    job = PERIODIC[name]
    try:
        result = job.run(now or timezone.now())
    except Exception:
        record_run(False)
        raise
    record_run(True)
    return result

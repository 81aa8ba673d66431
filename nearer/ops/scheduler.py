"""The embedded scheduler: runs the periodic jobs inside `nearer serve` when there is no Redis.

A daemon thread wakes every ``tick`` seconds and runs each job whose ``TaskRun.next_due_at`` has
passed. Claiming a job is a single conditional UPDATE (``next_due_at <= now`` and no live lease), so
with several gunicorn workers, or several machines on one database, each run happens once.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from typing import Any

from django.db import close_old_connections, transaction
from django.db.models import Q
from django.utils import timezone

from nearer.ops.models import TaskRun
from nearer.ops.tasks import PERIODIC

log = logging.getLogger(__name__)
LEASE = dt.timedelta(minutes=10)


def claim(name: str, now: dt.datetime) -> bool:
    """Take the job if it is due and nobody holds it. Exactly one caller wins per due time."""
    job = PERIODIC[name]
    TaskRun.objects.get_or_create(name=name, defaults={"next_due_at": now})
    with transaction.atomic():
        won = TaskRun.objects.filter(
            Q(locked_until__isnull=True) | Q(locked_until__lt=now), name=name, next_due_at__lte=now
        ).update(locked_until=now + LEASE, last_started_at=now, next_due_at=now + job.every)
    return won == 1


def finish(name: str, ok: bool) -> None:
    from django.db.models import F

    from nearer.ops.health import record_run

    TaskRun.objects.filter(name=name).update(
        locked_until=None, last_finished_at=timezone.now(), last_ok=ok, runs=F("runs") + 1
    )
    record_run(ok)


def run_due(now: dt.datetime | None = None) -> dict[str, Any]:
    """Run every job that is due at ``now``; returns {name: summary} for the jobs this caller ran."""
    now = now or timezone.now()
    done: dict[str, Any] = {}
    for name, job in PERIODIC.items():
        if not claim(name, now):
            continue
        ok = True
        try:
            done[name] = job.run(now)
        except Exception:  # noqa: BLE001 - one failing job must not stop the others
            ok = False
            log.exception("periodic job failed", extra={"job": name})
            done[name] = {"error": True}
        finally:
            finish(name, ok)
    return done


class EmbeddedScheduler(threading.Thread):
    def __init__(self, tick: float = 30.0) -> None:
        super().__init__(name="nearer-scheduler", daemon=True)
        self.tick = tick
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            try:
                close_old_connections()
                run_due()
            except Exception:  # noqa: BLE001 - keep ticking; the database may be briefly unavailable
                log.exception("scheduler tick failed")
            finally:
                close_old_connections()
            self.stopping.wait(self.tick)

    def stop(self) -> None:
        self.stopping.set()


_started: EmbeddedScheduler | None = None


def start_embedded(tick: float = 30.0) -> EmbeddedScheduler | None:
    """Start the scheduler thread once per process, unless settings turn it off (Redis configured)."""
    global _started
    from django.conf import settings

    if not getattr(settings, "NEARER_EMBEDDED_SCHEDULER", True):
        return None
    if _started is None or not _started.is_alive():
        _started = EmbeddedScheduler(tick)
        _started.start()
    return _started

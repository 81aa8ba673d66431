"""Liveness of what Nearer depends on, for ``/healthz`` and ``nearer check --deploy``.

Everything here is about the service, never about a person: statuses, ages in seconds, no ids.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.utils import timezone

# The most frequent job (reminders, alert escalation) runs every minute and the embedded scheduler
# wakes every 30 s: five minutes without a finished job means the worker is down or stuck.
STALE_AFTER = dt.timedelta(minutes=5)


def record_run(ok: bool) -> None:
    """Called when a scheduled job finishes (Celery task or the embedded scheduler)."""
    from nearer.ops.models import Heartbeat

    Heartbeat.objects.update_or_create(name="worker", defaults={"at": timezone.now(), "ok": ok})


def worker_status(now: dt.datetime | None = None) -> dict[str, Any]:
    """``{"status": "ok" | "stale" | "never", "last_run_seconds_ago": int | None, "last_run_ok": bool | None}``."""
    from nearer.ops.models import Heartbeat

    beat = Heartbeat.objects.filter(name="worker").first()
    if beat is None:
        return {"status": "never", "last_run_seconds_ago": None, "last_run_ok": None}
    age = (now or timezone.now()) - beat.at
    return {"status": "ok" if age <= STALE_AFTER else "stale",
            "last_run_seconds_ago": max(0, int(age.total_seconds())), "last_run_ok": beat.ok}


@lru_cache(maxsize=1)
def _redis_client() -> Any:
    import redis

    return redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)


def redis_status() -> str:
    if not settings.REDIS_URL:
        return "not configured"
    try:
        return "ok" if _redis_client().ping() else "unavailable"
    except Exception:  # noqa: BLE001 - any failure to answer is "unavailable"; the reason may name the host
        return "unavailable"


def database_status() -> str:
    from django.db import connection

    try:
        with connection.cursor() as cur:
            cur.execute("SELECT 1")
        return "ok"
    except Exception:  # noqa: BLE001 - reported as a status, never as a traceback
        return "unavailable"


def report() -> tuple[dict[str, Any], bool]:
    """The ``/healthz`` body and whether this app server can serve (database and Redis answer).

    A stale worker does not take the app server out of a load balancer (people can still write and
    read; reminders and escalations wait), so it turns ``status`` into ``degraded`` with HTTP 200.
    """
    db = database_status()
    red = redis_status()
    worker = worker_status() if db == "ok" else {"status": "unknown", "last_run_seconds_ago": None,
                                                  "last_run_ok": None}
    serving = db == "ok" and red in {"ok", "not configured"}
    healthy = serving and worker["status"] == "ok" and worker["last_run_ok"] is not False
    status = "ok" if healthy else ("degraded" if serving else "unavailable")
    return {"status": status, "database": db, "redis": red, "worker": worker}, serving

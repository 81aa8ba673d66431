"""A real Celery worker against the local Redis runs the periodic jobs (skipped without Redis)."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
REDIS = ("127.0.0.1", 6379)


def _redis_answers() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=1) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(not _redis_answers(), reason="No Redis answers at 127.0.0.1:6379 (CI machines have one)."),
]

SEED = """
import datetime as dt, django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from conftest import make_user
from nearer.ops.services import set_preference
p = make_user("worker@example.test")
p.timezone = "Asia/Tokyo"; p.save()
set_preference(p, "checkin", local_time=dt.time(8, 30), enabled=True, by_email=True, by_push=False)
"""


def test_real_worker_runs_reminders_once_per_local_day(tmp_path: Path) -> None:
    from celery import Celery

    db = tmp_path / "worker.sqlite3"
    url = "redis://127.0.0.1:6379/14"
    queue = f"nearer-test-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "nearer.settings_test", "NEARER_SQLITE_PATH": str(db),
           "NEARER_REDIS_URL": url, "NEARER_EMBEDDED_SCHEDULER": "false", "PYTHONPATH": str(ROOT)}
    env.pop("DATABASE_URL", None)
    subprocess.run([sys.executable, "-c", SEED], cwd=ROOT, env=env, check=True, timeout=180)
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "nearer.celery", "worker", "--pool=solo", "-Q", queue,
         "--loglevel=WARNING", "--without-heartbeat", "--without-mingle", "--without-gossip"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    client = Celery("nearer-test", broker=url, backend=url)
    try:
        assert client.send_task("nearer.ops.ping", args=["hello"], queue=queue).get(timeout=90) == "hello"
        # 23:29 UTC is 08:29 in Tokyo: not yet. 23:31 is 08:31: the reminder goes, once.
        def run(at: str) -> dict[str, int]:
            result = client.send_task("nearer.ops.run_periodic", args=["reminders", at], queue=queue).get(timeout=60)
            return dict(result)

        assert run("2025-05-01T23:29:00+00:00") == {"sent": 0, "skipped": 0}
        assert run("2025-05-01T23:31:00+00:00") == {"sent": 1, "skipped": 0}
        assert run("2025-05-01T23:45:00+00:00") == {"sent": 0, "skipped": 0}
        assert run("2025-05-02T23:31:00+00:00") == {"sent": 1, "skipped": 0}
        escal = client.send_task("nearer.ops.run_periodic", args=["safety_escalation"], queue=queue).get(timeout=60)
        assert escal == {"escalated": 0}
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
        client.close()
    with sqlite3.connect(db) as con:
        rows = con.execute("SELECT kind, local_date FROM ops_remindersent ORDER BY local_date").fetchall()
    assert rows == [("checkin", "2025-05-02"), ("checkin", "2025-05-03")]

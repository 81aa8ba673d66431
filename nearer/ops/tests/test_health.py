"""/healthz reports the database, Redis and the worker's last scheduled run, without personal data;
`nearer check --deploy` flags a stale worker, an unusable backup folder and unsafe defaults."""

from __future__ import annotations

import datetime as dt
import io
import os
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from nearer.ops import health
from nearer.ops.models import Heartbeat


@pytest.mark.django_db
def test_healthz_reports_each_dependency_and_no_personal_data(client: Any, world: Any) -> None:
    body = client.get("/healthz").json()
    assert body == {"status": "degraded", "database": "ok", "redis": "not configured",
                    "worker": {"status": "never", "last_run_seconds_ago": None, "last_run_ok": None}}
    from nearer.ops.scheduler import run_due

    with time_machine.travel(dt.datetime(2025, 5, 1, 12, 0, tzinfo=dt.UTC), tick=False):
        run_due()  # the embedded scheduler runs what is due; its heartbeat says so
        response = client.get("/healthz")
        assert response.status_code == 200 and response["Cache-Control"] == "no-store"
        assert response.json() == {"status": "ok", "database": "ok", "redis": "not configured",
                                   "worker": {"status": "ok", "last_run_seconds_ago": 0, "last_run_ok": True}}
    with time_machine.travel(dt.datetime(2025, 5, 1, 12, 6, tzinfo=dt.UTC), tick=False):
        body = client.get("/healthz").json()
        # Read at a fixed time: out of it, "seconds ago" is any number and could end in the id.
        text = client.get("/healthz").content.decode()
    assert body["status"] == "degraded" and body["worker"] == {"status": "stale", "last_run_seconds_ago": 360,
                                                               "last_run_ok": True}
    for secret in ("owner@example.test", "@example", str(world.owner.pk) + ","):
        assert secret not in text


@pytest.mark.django_db
def test_healthz_is_503_when_redis_does_not_answer(client: Any, settings: Any) -> None:
    settings.REDIS_URL = "redis://127.0.0.1:9/0"  # nothing listens on the discard port
    health._redis_client.cache_clear()
    try:
        response = client.get("/healthz")
    finally:
        health._redis_client.cache_clear()
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable" and response.json()["redis"] == "unavailable"


@pytest.mark.django_db
def test_a_celery_run_records_the_heartbeat() -> None:
    from nearer.ops.tasks import run_periodic

    run_periodic("safety_escalation")
    beat = Heartbeat.objects.get(name="worker")
    assert beat.ok is True


def _deploy_ids(**kw: Any) -> tuple[set[str], str]:
    err = io.StringIO()
    try:
        call_command("check", "--deploy", stdout=io.StringIO(), stderr=err, **kw)
    except SystemCheckError as exc:
        text = str(exc)
    else:
        text = err.getvalue()
    import re

    return set(re.findall(r"nearer\.[EW]\d+", text)), text


@pytest.mark.django_db
def test_check_deploy_flags_stale_worker_backup_folder_and_unsafe_defaults(settings: Any, tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEARER_BACKUP_KEY", raising=False)
    monkeypatch.delenv("NEARER_BACKUP_PASSPHRASE", raising=False)
    settings.NEARER_BACKUP_DIR = tmp_path / "missing"
    ids, text = _deploy_ids()
    # Never ran; no folder; backups sealed with the key ring; the suite's published key; test defaults.
    assert {"nearer.W110", "nearer.W120", "nearer.W122", "nearer.E130", "nearer.W130", "nearer.W131",
            "nearer.W132"} <= ids, text
    assert "owner@" not in text

    Heartbeat.objects.create(name="worker", at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=20))
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o000)
    settings.NEARER_BACKUP_DIR = locked
    try:
        ids, text = _deploy_ids()
    finally:
        locked.chmod(0o700)
    assert "nearer.W111" in ids and "stale" in text
    if os.geteuid() != 0:  # root reads any folder
        assert "nearer.E120" in ids, text


@pytest.mark.django_db
def test_check_deploy_is_quiet_when_all_is_well(settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from nearer.privacy.crypto import generate_key_spec, reset_key_ring_cache

    monkeypatch.setenv("NEARER_BACKUP_KEY", generate_key_spec("bk1"))
    folder = tmp_path / "backups"
    folder.mkdir(mode=0o700)
    settings.NEARER_BACKUP_DIR = folder
    settings.NEARER_ENCRYPTION_KEYS = generate_key_spec("k1")
    settings.PRODUCTION = True
    settings.NEARER_ENV = "production"
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.SITE_URL = "https://nearer.example.org"
    reset_key_ring_cache()
    try:
        call_command("backup", stdout=io.StringIO(), stderr=io.StringIO())
        health.record_run(True)
        ids, text = _deploy_ids()
    finally:
        reset_key_ring_cache()
    assert not {i for i in ids if i.startswith("nearer.")}, text


"""Crash safety in the suite: the server killed with SIGKILL under write load loses nothing it acknowledged.

Runs on the suite's database: a SQLite file in the SQLite pass, a temporary PostgreSQL database named
after the test database in the PostgreSQL pass. Two ways of serving: gunicorn itself (20 kills) and
``nearer serve`` as a person or practice runs it, with its embedded scheduler process (6 kills of the
whole process group). The full runs (200 kills, ``--postgres``, ``--serve``) are ``benchmarks/crash.py``.
"""

from __future__ import annotations

import importlib.util
import uuid
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _crash_module() -> Any:
    spec = importlib.util.spec_from_file_location("nearer_bench_crash", ROOT / "benchmarks" / "crash.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _engine() -> dict[str, Any]:
    from django.conf import settings

    db = settings.DATABASES["default"]
    if "postgresql" not in db["ENGINE"]:
        return {"postgres": False}
    return {"postgres": True, "db_name": f"{db['NAME']}_crash_{uuid.uuid4().hex[:6]}"[:63]}


def _assert_nothing_lost(result: dict[str, Any], kills: int) -> None:
    assert result["kills"] == kills, result
    assert result["checkins_acked"] > 0, result
    assert result["retried_after_crash"] > 0, result  # the kills really interrupted requests
    assert result["missing"] == 0, result
    assert result["duplicates"] == 0, result
    assert result["id_mismatch"] == 0, result
    assert result["checkins_stored"] >= result["checkins_acked"], result
    assert result["flagged_checkins_acked"] > 0, result
    assert result["flagged_without_risk_event"] == 0, result
    assert result["risk_events_twice_for_one_checkin"] == 0, result
    assert result["not_safe_missing"] == 0, result
    assert result["rejected_by_status"] == {}, result
    assert result["integrity"] == "ok", result
    assert result["ok"] is True


@pytest.mark.slow
def test_sigkill_under_write_load_loses_nothing_acknowledged() -> None:
    engine = _engine()
    result = _crash_module().run(20, seed=11, people=1500, **engine)
    assert result["database"] == ("postgresql" if engine["postgres"] else "sqlite")
    _assert_nothing_lost(result, 20)


@pytest.mark.slow
def test_sigkill_of_nearer_serve_loses_nothing_acknowledged() -> None:
    result = _crash_module().run(6, seed=5, people=600, serve=True, **_engine())
    assert result["server"] == "nearer serve"
    _assert_nothing_lost(result, 6)


@pytest.mark.django_db
def test_sqlite_commits_reach_the_disk_before_they_are_acknowledged() -> None:
    """synchronous=FULL: a power cut cannot take back an acknowledged write (NORMAL could)."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite's durability setting; PostgreSQL keeps fsync and synchronous_commit on")
    with connection.cursor() as cur:
        cur.execute("PRAGMA synchronous")
        assert cur.fetchone()[0] == 2  # FULL

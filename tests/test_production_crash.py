"""Crash safety in CI: gunicorn on loopback (SQLite file) killed with SIGKILL 20 times under write load.

The full run (200 kills, and ``--postgres``) is ``benchmarks/crash.py``; this runs the same code with
20 kills and checks that nothing acknowledged was lost or stored twice and that SQLite is intact.
"""

from __future__ import annotations

import importlib.util
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


@pytest.mark.slow
def test_sigkill_under_write_load_loses_nothing_acknowledged() -> None:
    result = _crash_module().run(20, seed=11, people=1500)
    assert result["kills"] == 20, result
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

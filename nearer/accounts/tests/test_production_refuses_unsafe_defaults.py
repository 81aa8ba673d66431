"""Issue 16 item 12: production refuses unsafe defaults with one plain line and exit status 2."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SAFE = {
    "NEARER_ENV": "production",
    "NEARER_SECRET_KEY": "a-long-random-production-secret-for-the-check-only-" + "z" * 30,
    "NEARER_ALLOWED_HOSTS": "nearer.example.org",
    "NEARER_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "NEARER_ENCRYPTION_KEYS": "p1:" + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0NTY3ODk=",
}


def _nearer(tmp_path: Path, *args: str, drop: tuple[str, ...] = (), **extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEARER_", "DJANGO_", "DATABASE_URL"))}
    env.update(SAFE)
    env.update(extra)
    for name in drop:
        env.pop(name, None)
    env["NEARER_VAR_DIR"] = str(tmp_path)
    env["NEARER_SQLITE_PATH"] = str(tmp_path / "prod.sqlite3")
    return subprocess.run([sys.executable, "-m", "nearer.cli", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)


def _one_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert "Traceback" not in stderr
    return lines[0]


@pytest.mark.parametrize(("extra", "drop", "names"), [
    ({"NEARER_EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}, (), "NEARER_EMAIL_BACKEND"),
    ({}, ("NEARER_EMAIL_BACKEND",), "NEARER_EMAIL_BACKEND"),
    ({}, ("NEARER_ALLOWED_HOSTS",), "NEARER_ALLOWED_HOSTS"),
    ({"NEARER_ALLOWED_HOSTS": " , "}, (), "NEARER_ALLOWED_HOSTS"),
])
def test_unsafe_production_settings_stop_with_one_line_and_status_2(tmp_path: Path, extra: dict[str, str],
                                                                     drop: tuple[str, ...], names: str) -> None:
    result = _nearer(tmp_path, "check", drop=drop, **extra)
    assert result.returncode == 2, result.stderr
    line = _one_line(result.stderr)
    assert line.startswith("nearer: the configuration is not valid: ") and names in line


def test_demo_is_refused_in_production(tmp_path: Path) -> None:
    result = _nearer(tmp_path, "demo")
    assert result.returncode == 2, result.stdout + result.stderr
    assert "published password" in _one_line(result.stderr)
    assert "nearer-demo-2026" not in result.stdout + result.stderr
    assert not (tmp_path / "prod.sqlite3").exists() or (tmp_path / "prod.sqlite3").stat().st_size == 0


def test_safe_production_settings_pass_the_check(tmp_path: Path) -> None:
    result = _nearer(tmp_path, "check")
    assert result.returncode == 0, result.stderr

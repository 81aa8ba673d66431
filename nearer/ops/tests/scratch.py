"""Scratch databases for tests that run Nearer in separate processes (writers, backup, restore).

The engine follows the suite's pass: a temporary SQLite file, or, when the suite runs on PostgreSQL,
a database named after the test database (so parallel runs and other engineers never collide),
dropped afterwards.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]


def on_postgres() -> bool:
    from django.conf import settings

    return "postgresql" in settings.DATABASES["default"]["ENGINE"]


def _psql(sql: str) -> None:
    subprocess.run(["psql", "-h", "127.0.0.1", "-p", "5432", "-U", "postgres", "-d", "postgres", "-XAtqc", sql],
                   check=True, capture_output=True, text=True, timeout=60)


class ScratchDB:
    """One database for child processes; ``env`` points ``nearer`` at it."""

    def __init__(self, tmp: Path, label: str, extra_env: dict[str, str] | None = None) -> None:
        from django.conf import settings

        self.postgres = on_postgres()
        base = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        self.env: dict[str, str] = {**base, "DJANGO_SETTINGS_MODULE": "nearer.settings_test", "PYTHONPATH": str(ROOT),
                                    "NEARER_EMBEDDED_SCHEDULER": "false", "NEARER_LOG_LEVEL": "WARNING",
                                    "NEARER_VAR_DIR": str(tmp / f"var-{label}"), **(extra_env or {})}
        if self.postgres:
            own = str(settings.DATABASES["default"]["NAME"])
            self.name = f"{own}_{label}_{uuid.uuid4().hex[:6]}"[:63]
            _psql(f'CREATE DATABASE "{self.name}"')
            self.env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{self.name}"
        else:
            self.name = str(tmp / f"{label}.sqlite3")
            self.env["NEARER_SQLITE_PATH"] = self.name

    def clone(self, tmp: Path, label: str) -> ScratchDB:
        """A copy of this (idle) database: saves migrating a second one from scratch."""
        other = ScratchDB.__new__(ScratchDB)
        other.postgres = self.postgres
        other.env = dict(self.env)
        if self.postgres:
            other.name = f"{self.name[:50]}_{label}"
            _psql(f'CREATE DATABASE "{other.name}" TEMPLATE "{self.name}"')
            other.env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{other.name}"
        else:
            import shutil

            other.name = str(tmp / f"{label}.sqlite3")
            shutil.copyfile(self.name, other.name)
            other.env["NEARER_SQLITE_PATH"] = other.name
        other.env["NEARER_VAR_DIR"] = str(tmp / f"var-{label}")
        return other

    def drop(self) -> None:
        if self.postgres:
            _psql(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def run(self, *args: str, env: dict[str, str] | None = None, check: bool = True,
            timeout: float = 300) -> subprocess.CompletedProcess[str]:
        """``nearer ARGS`` against this database."""
        return subprocess.run([sys.executable, "-m", "nearer.cli", *args], cwd=ROOT, env={**self.env, **(env or {})},
                              capture_output=True, text=True, check=check, timeout=timeout)

    def python(self, code: str, *args: str, env: dict[str, str] | None = None,
               timeout: float = 300) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, env={**self.env, **(env or {})},
                              capture_output=True, text=True, check=True, timeout=timeout)

    def popen(self, code: str, *args: str, **kw: Any) -> subprocess.Popen[str]:
        return subprocess.Popen([sys.executable, "-c", code, *args], cwd=ROOT, env=self.env, text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)

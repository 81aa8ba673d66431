"""The operating guide, walked: scripts/walk-operating-guide.sh follows docs/operating.md on this machine
(PostgreSQL, Redis, `nearer serve`, `nearer worker`, nginx with a self-signed certificate on 127.0.0.1)
and checks what the guide says happens.

Runs in CI (``CI=true``), once: in the suite's PostgreSQL pass, where PostgreSQL and Redis answer.
About a minute on a quiet 2-core machine. Elsewhere ``NEARER_WALK_GUIDE=1`` runs it on demand.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def _wanted() -> bool:
    from django.conf import settings

    asked = os.environ.get("CI", "").lower() == "true" or os.environ.get("NEARER_WALK_GUIDE") == "1"
    return asked and "postgresql" in settings.DATABASES["default"]["ENGINE"]


@pytest.mark.slow
@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.skipif(not _wanted(), reason="CI only (CI=true, PostgreSQL pass); NEARER_WALK_GUIDE=1 runs it here")
def test_the_operating_guide_holds_on_a_clean_machine() -> None:
    assert _answers(5432) and _answers(6379), "CI machines have PostgreSQL and Redis on 127.0.0.1"
    assert shutil.which("nginx") or Path("/usr/sbin/nginx").exists(), "scripts/test.sh installs nginx from Debian"
    env = {**os.environ, "NEARER_PYTHON": sys.executable, "PATH": os.environ.get("PATH", "") + ":/usr/sbin"}
    env.pop("DATABASE_URL", None)
    # An operator's shell, not the suite's: the browser tests set this for Playwright's sync API, and
    # `check --deploy` rightly refuses it.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run([str(ROOT / "scripts" / "walk-operating-guide.sh")], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "Operating guide walked: OK" in done.stdout
    assert '"worker": {"status": "ok"' in done.stdout

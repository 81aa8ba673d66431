"""Issue 16 item 13: the SQLite database and the generated key file are readable by their owner only."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_fresh_embedded_install_creates_database_and_key_file_0600(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEARER_", "DJANGO_", "DATABASE_URL"))}
    env.update(NEARER_ENV="dev", NEARER_VAR_DIR=str(tmp_path / "var"))
    # A permissive umask, as on many servers: the files must still come out 0600.
    result = subprocess.run([sys.executable, "-c", "import os, sys; os.umask(0o022); from nearer.cli import main; "
                             "main(['migrate', '--verbosity', '0'])"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    db = tmp_path / "var" / "nearer.sqlite3"
    keys = tmp_path / "var" / "dev-encryption-keys"
    assert _mode(db) == 0o600
    assert _mode(keys) == 0o600
    for companion in (Path(str(db) + "-wal"), Path(str(db) + "-shm")):
        if companion.exists():
            assert _mode(companion) & 0o077 == 0


def test_an_existing_world_readable_database_is_narrowed_when_opened(tmp_path: Path) -> None:
    from nearer.privacy.files import on_connection_created

    db = tmp_path / "old.sqlite3"
    db.write_bytes(b"")
    os.chmod(db, 0o644)

    class Conn:
        settings_dict = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(db)}

    on_connection_created(None, Conn())
    assert _mode(db) == 0o600


def test_generated_key_file_is_0600_and_an_old_wide_one_is_narrowed(tmp_path: Path, settings) -> None:  # type: ignore[no-untyped-def]
    from nearer.privacy.crypto import _dev_key_spec

    settings.VAR_DIR = tmp_path
    old = os.umask(0o000)
    try:
        spec = _dev_key_spec()
    finally:
        os.umask(old)
    path = tmp_path / "dev-encryption-keys"
    assert spec.startswith("dev1:") and _mode(path) == 0o600
    os.chmod(path, 0o644)
    assert _dev_key_spec() == spec and _mode(path) == 0o600

"""Backups outlive key rotation: each carries the data keys it used, sealed with the backup key or
passphrase; `restore --check` verifies one; `rotate-keys` names the backups that would become
unreadable and `backup rekey` fixes them. SQLite here; PostgreSQL in the suite's second pass."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from nearer.ops import backup
from nearer.privacy.crypto import generate_key_spec, reset_key_ring_cache

CANARY = "CANARY-rotation-41be my private words"
BACKUP_KEY = "bk1:" + "QmFja3VwLWtleS1mb3ItdGVzdHMtb25seS0zMi1ieXQ="  # 32 bytes, tests only


@pytest.fixture
def keys(settings: Any) -> Iterator[Any]:
    """Change NEARER_ENCRYPTION_KEYS mid-test: ``keys(spec)``; the suite's ring comes back afterwards."""

    def use(spec: str) -> None:
        settings.NEARER_ENCRYPTION_KEYS = spec
        reset_key_ring_cache()

    yield use
    reset_key_ring_cache()


def _seed(world: Any) -> None:
    from nearer.diary.services import save_checkin

    for i in range(3):
        day = dt.date(2025, 3, 1) + dt.timedelta(days=i)
        save_checkin(world.owner, day, {"mood": 4, "closeness": 5, "note": f"{CANARY} {i}"}, today=day)


def _notes() -> list[str]:
    from nearer.diary.models import CheckIn

    return sorted(CheckIn.objects.filter(person__email="owner@example.test").values_list("note", flat=True))


def _empty_database() -> None:
    with connection.constraint_checks_disabled():
        backup.wipe(list(backup._tables(ephemeral=True)))


def _run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_rotation_then_restore_reads_every_value(world: Any, tmp_path: Path, keys: Any, settings: Any,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEARER_BACKUP_KEY", BACKUP_KEY)
    old_ring = settings.NEARER_ENCRYPTION_KEYS
    _seed(world)
    before = backup.table_digests()
    out = tmp_path / "before-rotation.backup"
    _run("backup", "--out", str(out))
    header = backup.read_header(out.read_bytes())
    assert header["kdf"] == "hkdf-backup-key" and header["bkid"] == "bk1" and header["data_keys"] == ["t2"]
    assert b"t2:" not in out.read_bytes()  # the carried key is inside, sealed

    # Rotate: a new key first, re-encrypt, then retire every old key.
    new = generate_key_spec("t9")
    keys(f"{new},{old_ring}")
    _run("rotate-keys")
    keys(new)
    assert _notes() == [f"{CANARY} {i}" for i in range(3)]  # the live database moved to t9

    text, _err = _run("restore", "--check", str(out))
    assert "Check passed" in text and "stays readable after key rotation" in text and "data keys used: t2" in text

    _empty_database()
    text, _err = _run("restore", str(out))
    assert "re-encrypted under today's active key" in text
    assert _notes() == [f"{CANARY} {i}" for i in range(3)]
    from nearer.diary.models import CheckIn

    raw = CheckIn._meta.db_table
    with connection.cursor() as cur:
        cur.execute(f"SELECT note FROM {raw}")  # noqa: S608
        stored = [r[0] for r in cur.fetchall()]
    assert stored and all(s.startswith("enc1:t9:") for s in stored)
    after = backup.table_digests()
    # Every row is back (encrypted columns now under t9, so only the counts can match).
    assert {t: d["rows"] for t, d in after.items()} == {t: d["rows"] for t, d in before.items()}


@pytest.mark.django_db
def test_rotate_keys_warns_about_key_ring_backups_and_rekey_fixes_them(world: Any, keys: Any, settings: Any,
                                                                      tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    settings.NEARER_BACKUP_DIR = tmp_path / "backups"
    monkeypatch.delenv("NEARER_BACKUP_KEY", raising=False)
    monkeypatch.delenv("NEARER_BACKUP_PASSPHRASE", raising=False)
    _seed(world)
    text, err = _run("backup")  # into NEARER_BACKUP_DIR, sealed with the key ring
    assert "sealed with the encryption key ring" in err
    (made,) = (tmp_path / "backups").glob("nearer-*.backup")
    assert (made.stat().st_mode & 0o777) == 0o600

    old_ring = settings.NEARER_ENCRYPTION_KEYS
    keys(f"{generate_key_spec('t9')},{old_ring}")
    _text, err = _run("rotate-keys")
    assert made.name in err and "sealed with key 't2'" in err and f"nearer backup rekey {made}" in err

    with pytest.raises(CommandError, match="NEARER_BACKUP_KEY"):
        _run("backup", "rekey", str(made))  # re-keying under the key ring again would not help
    monkeypatch.setenv("NEARER_BACKUP_KEY", BACKUP_KEY)
    text, _err = _run("backup", "rekey", str(made))
    assert "carries data keys t2" in text and "backup key" in text
    _text, err = _run("rotate-keys")
    assert "Warning" not in err

    keys(settings.NEARER_ENCRYPTION_KEYS.split(",")[0])  # retire t2 and t1
    text, _err = _run("restore", "--check", str(made))
    assert "Check passed" in text


@pytest.mark.django_db
def test_a_backup_without_its_keys_is_refused_not_restored_as_noise(world: Any, keys: Any, settings: Any,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEARER_BACKUP_PASSPHRASE", "a long passphrase for the backup")
    _seed(world)
    blob, _summary = backup.make_backup()
    payload = backup.open_backup(blob)
    payload.pop("data_keys")  # what a backup made before this release looks like inside
    legacy = backup._seal(payload)
    keys(generate_key_spec("t9"))  # every key it used is gone
    report = backup.check_backup(legacy)
    assert report["ok"] is False and any("t2" in p for p in report["problems"]) and not report["self_contained"]
    _empty_database()
    with pytest.raises(backup.BackupError, match="t2"):
        backup.restore_backup(legacy)


@pytest.mark.django_db
def test_backups_leave_out_sessions(world: Any, client: Any) -> None:
    client.force_login(world.owner)
    from django.contrib.sessions.models import Session

    assert Session.objects.exists()
    payload = backup.open_backup(backup.make_backup()[0])
    assert not backup.EPHEMERAL_TABLES & set(payload["tables"])
    assert "django_session" not in payload["tables"] and "accounts_user" in payload["tables"]

"""Backups: encrypted, complete, and restored row for row (SQLite here; PostgreSQL when DATABASE_URL
points at one, as `make test` does)."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from nearer.ops import backup

CANARY = "CANARY-backup-7f3a91 my private words"


def _seed(world: Any) -> None:
    from nearer.diary.services import save_checkin
    from nearer.safety.services import save_plan

    for i in range(5):
        day = dt.date(2025, 3, 1) + dt.timedelta(days=i)
        save_checkin(world.owner, day, {"mood": 3 + i, "closeness": 6 - i, "note": f"{CANARY} {i}"}, today=day)
    save_plan(world.owner, world.owner, {"warning_signs": CANARY})
    # A time-of-day column: the sqlite3 driver cannot bind datetime.time, so restore must adapt it.
    from nearer.ops.models import ReminderPreference

    ReminderPreference.objects.create(person=world.owner, kind="checkin", local_time=dt.time(20, 30))


@pytest.mark.django_db
def test_round_trip_keeps_every_row_and_hash(world: Any, tmp_path: Path) -> None:
    _seed(world)
    before = backup.table_digests()
    assert before["diary_checkin"]["rows"] == 5 and before["accounts_user"]["rows"] == 7
    out = tmp_path / "nearer.backup"
    call_command("backup", "--out", str(out), stdout=open("/dev/null", "w"))
    blob = out.read_bytes()
    assert (out.stat().st_mode & 0o777) == 0o600
    # Encrypted as a whole: no canary, no email, not even the table names.
    for needle in (CANARY.encode(), b"owner@example.test", b"diary_checkin", b"CANARY"):
        assert needle not in blob
    # Inside, free text stays encrypted as stored.
    payload = backup.open_backup(blob)
    inner = json.dumps(payload)
    assert "CANARY" not in inner and "enc1:" in inner
    with connection.constraint_checks_disabled():
        backup.wipe(list(before))  # an empty database (flush cannot run inside the test's transaction on PostgreSQL)
    assert backup.table_digests()["accounts_user"]["rows"] == 0
    call_command("restore", str(out), stdout=open("/dev/null", "w"))
    after = backup.table_digests()
    assert after == before
    from nearer.diary.models import CheckIn

    notes = sorted(CheckIn.objects.filter(person__email="owner@example.test").values_list("note", flat=True))
    assert notes == [f"{CANARY} {i}" for i in range(5)]
    from nearer.ops.models import ReminderPreference

    assert ReminderPreference.objects.get(person__email="owner@example.test").local_time == dt.time(20, 30)
    # New rows get fresh ids after restore (sequences reset on PostgreSQL).
    from conftest import make_user

    assert make_user("new@example.test").pk > world.therapist_no_mfa.pk


@pytest.mark.django_db
def test_restore_refuses_a_database_with_accounts_and_a_wrong_key(world: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blob, _summary = backup.make_backup()
    with pytest.raises(backup.BackupError, match="already has accounts"):
        backup.restore_backup(blob)
    tampered = blob[:-5] + bytes(b ^ 1 for b in blob[-5:])
    with pytest.raises(backup.BackupError, match="could not be decrypted"):
        backup.open_backup(tampered)
    with pytest.raises(backup.BackupError, match="not a Nearer backup"):
        backup.open_backup(b"PK\x03\x04 a zip")
    bad = tmp_path / "x.backup"
    bad.write_bytes(b"nonsense")
    with pytest.raises(CommandError):
        call_command("restore", str(bad))


@pytest.mark.django_db
def test_passphrase_backups_need_the_passphrase(world: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEARER_BACKUP_PASSPHRASE", "a long passphrase for the backup")
    blob, _summary = backup.make_backup()
    header = json.loads(blob[len(backup.MAGIC):].split(b"\n", 1)[0])
    assert header["kdf"] == "scrypt" and header["cipher"] == "AES-256-GCM"
    assert backup.open_backup(blob)["vendor"] == connection.vendor
    monkeypatch.setenv("NEARER_BACKUP_PASSPHRASE", "another passphrase")
    with pytest.raises(backup.BackupError, match="could not be decrypted"):
        backup.open_backup(blob)
    monkeypatch.delenv("NEARER_BACKUP_PASSPHRASE")
    with pytest.raises(backup.BackupError, match="NEARER_BACKUP_PASSPHRASE"):
        backup.open_backup(blob)


def test_values_round_trip_through_the_encoding() -> None:
    import decimal
    import uuid

    values = [None, True, 3, 2.5, "x", b"\x00\xff", dt.datetime(2025, 1, 2, 3, 4, 5, tzinfo=dt.UTC),
              dt.date(2025, 1, 2), dt.time(3, 4), decimal.Decimal("7.25"), uuid.UUID(int=5)]
    assert [backup._dec(backup._enc(v)) for v in values] == values
    assert gzip.decompress(gzip.compress(b"ok")) == b"ok"

"""A backup taken while people are writing restores into a fresh database, whole and readable.

Writers in separate processes create a person, link some to a therapist and save a check-in (some
with words the screener flags, so a risk event and an alert are written in the same transaction)
while ``nearer backup`` runs. The backup must restore into a fresh database migrated to the
same version with every foreign key sound, every person's check-in present (one per writer
transaction, so a dump that read tables at different moments shows up as people without their
check-in, or check-ins without their person) and every canary decrypting.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nearer.ops.tests.scratch import ScratchDB

pytestmark = pytest.mark.slow

CANARY = "CANARY-under-writes-5c1d"

SEED = r"""
import django; django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from nearer.accounts.models import User
User.objects.create_user("bk-therapist@example.test", None, role="therapist")
"""

WRITER = r"""
import datetime as dt, os, sys
import django; django.setup()
from django.db import transaction
from nearer.accounts.models import Link, User
from nearer.diary.services import save_checkin
from nearer.privacy.scopes import default_scopes
stop, tag, canary = sys.argv[1], sys.argv[2], sys.argv[3]
therapist = User.objects.get(email="bk-therapist@example.test")
day = dt.date(2025, 3, 1)
n = 0
while not os.path.exists(stop):
    with transaction.atomic():
        person = User.objects.create_user(f"w{tag}-{n}@example.test", None, role="person")
        if n % 3 == 0:
            Link.objects.create(owner=person, viewer=therapist, kind="therapist", scopes=default_scopes("therapist"))
        note = f"{canary} {tag}-{n}" + (" I wish I was dead" if n % 3 == 0 else "")
        save_checkin(person, day, {"mood": n % 11, "closeness": (n * 3) % 11, "note": note}, today=day)
    n += 1
    print(n, flush=True)
"""

VERIFY = r"""
import json, sys
import django; django.setup()
from nearer.accounts.models import User
from nearer.diary.models import CheckIn
from nearer.safety.models import RiskEvent
canary = sys.argv[1]
people = User.objects.filter(email__startswith="w").count()
checkins = list(CheckIn.objects.filter(person__email__startswith="w"))
notes_ok = sum(1 for c in checkins if c.note.startswith(canary))
flagged = [c for c in checkins if "wish I was dead" in c.note]
events = {e.ref_id for e in RiskEvent.objects.filter(ref_type="diary.checkin")}
print(json.dumps({"people": people, "checkins": len(checkins), "notes_ok": notes_ok,
                  "flagged": len(flagged), "flagged_with_event": sum(1 for c in flagged if str(c.pk) in events)}))
"""


def test_backup_while_writers_run_restores_every_row_and_canary(tmp_path: Path) -> None:
    src = ScratchDB(tmp_path, "bksrc")
    dst = None
    writers = []
    stop = tmp_path / "stop"
    try:
        src.python(SEED)
        dst = src.clone(tmp_path, "bkdst")  # migrated, with one therapist: restore --force replaces it
        writers = [src.popen(WRITER, str(stop), tag, CANARY) for tag in ("a", "b")]
        # Wait until each writer has committed a few rows (a fixed sleep was too short on a loaded
        # machine: the backup then held none of their rows and proved nothing).
        seen = {}
        for w in writers:
            for _ in range(3):
                line = w.stdout.readline() if w.stdout else ""
                assert line, "a writer stopped before writing"
                seen[id(w)] = int(line)
        files = []
        for i in range(1):
            out = tmp_path / f"under-writes-{i}.backup"
            done = src.run("backup", "--out", str(out))
            assert "Wrote" in done.stdout, done.stdout + done.stderr
            files.append(out)
        stop.touch()
        written = []
        for w in writers:
            stdout, stderr = w.communicate(timeout=60)
            assert w.returncode == 0, stderr
            counts = stdout.split()
            written.append(int(counts[-1]) if counts else seen[id(w)])
        total = sum(written)
        for out in files:
            restored = dst.run("restore", "--force", str(out), check=False)
            assert restored.returncode == 0, restored.stdout + restored.stderr
            assert "every table checked" in restored.stdout
            got = json.loads(dst.python(VERIFY, CANARY).stdout)
            # Taken while the writers ran: some of their rows, not all of them.
            assert 0 < got["people"] < total, (got, total)
            assert got["checkins"] == got["people"], got  # one consistent moment: nobody without their check-in
            assert got["notes_ok"] == got["checkins"], got  # every canary decrypts
            assert got["flagged_with_event"] == got["flagged"] > 0, got
    finally:
        stop.touch()
        for w in writers:
            if w.poll() is None:
                w.kill()
                w.wait()
        src.drop()
        if dst is not None:
            dst.drop()

"""CSV import (line-numbered errors, all-or-nothing, existing days) and export round trip; `nearer loop fit`."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from nearer.analysis.csvio import OUTPUT_COLUMNS
from nearer.diary.csvimport import EXPORT_COLUMNS
from nearer.diary.demo import seed_checkins
from nearer.diary.models import CheckIn, local_today

pytestmark = pytest.mark.django_db


def _upload(client, text: str, **fields):
    f = SimpleUploadedFile("diary.csv", text.encode("utf-8"), content_type="text/csv")
    return client.post(reverse("diary:import"), {"file": f, "date_column": "date", "mood_column": "mood",
                                                 "closeness_column": "closeness", **fields})


def _d(person, k: int) -> str:
    return (local_today(person) - timedelta(days=k)).isoformat()


def test_import_reports_every_bad_line_and_saves_nothing(world, client_as):
    o = world.owner
    text = "\n".join([
        "date,mood,closeness,note",
        f"{_d(o, 10)},5,6,fine day",
        f"{_d(o, 9)},11,6,",
        "2026-02-30,5,5,",
        f"{_d(o, 10)},4,4,",
        f"{(local_today(o) + timedelta(days=1)).isoformat()},4,4,",
        f"{_d(o, 7)},five,,",
    ])
    r = _upload(client_as("owner"), text)
    assert r.status_code == 400
    problems = [str(p) for p in r.context["problems"]]
    assert problems == [
        "Line 3: mood must be a whole number from 0 to 10",
        "Line 4: the date is not in the form YYYY-MM-DD",
        "Line 5: the same date as line 2",
        "Line 6: the date is in the future",
        "Line 7: mood is not a number; closeness is missing",
    ]
    assert "fine day" not in r.content.decode()
    assert not CheckIn.objects.exists()


def test_import_header_problems(world, client_as):
    r = _upload(client_as("owner"), "day,mood\n2026-01-01,5\n")
    assert [str(p) for p in r.context["problems"]] == ["Line 1: the header has no column named date, closeness"]
    r = _upload(client_as("owner"), "")
    assert r.status_code == 400 and "file" in r.context["form"].errors
    r = _upload(client_as("owner"), "\n\n")
    assert [str(p) for p in r.context["problems"]] == ["Line 1: the header has no column named date, mood, closeness"]
    r = _upload(client_as("owner"), "date,mood,closeness\n")
    assert [str(p) for p in r.context["problems"]] == ["Line 1: the file has no check-ins in it"]


def test_import_maps_columns_from_another_app(world, client_as):
    o = world.owner
    text = f"Day,Mood score,Close,Sleep,Stressors\n{_d(o, 40)},3,2,6.5,work;money\n{_d(o, 39)},7,8,,\n"
    r = _upload(client_as("owner"), text, date_column="Day", mood_column="mood score", closeness_column="close")
    assert r.status_code == 302
    first, second = CheckIn.objects.order_by("local_date")
    assert (first.mood, first.closeness, str(first.hours_slept), first.stressors, first.source, first.is_late) == (
        3, 2, "6.5", ["work", "money"], "import", False)
    assert (second.mood, second.hours_slept, second.stressors) == (7, None, [])


def test_existing_days_stop_the_import_unless_skipped(world, client_as):
    o = world.owner
    CheckIn.objects.create(person=o, local_date=local_today(o) - timedelta(days=5), mood=2, closeness=2)
    text = f"date,mood,closeness\n{_d(o, 6)},5,5\n{_d(o, 5)},9,9\n"
    r = _upload(client_as("owner"), text)
    assert [str(p) for p in r.context["problems"]] == ["Line 3: you already have a check-in for this day"]
    assert CheckIn.objects.count() == 1
    r = _upload(client_as("owner"), text, skip_existing="on")
    assert r.status_code == 302
    assert CheckIn.objects.count() == 2
    assert CheckIn.objects.get(local_date=local_today(o) - timedelta(days=5)).mood == 2  # left as it was


def test_imported_notes_are_screened(world, client_as, safety_spy):
    o = world.owner
    _upload(client_as("owner"), f"date,mood,closeness,note\n{_d(o, 3)},5,5,a walk by the river\n{_d(o, 2)},5,5,\n")
    assert [(c["source"], c["text"]) for c in safety_spy.calls] == [("diary.import", "a walk by the river")]


def test_export_round_trip(world, client_as):
    seed_checkins(world.owner, 11, n_days=30)
    CheckIn.objects.filter(person=world.owner).order_by("local_date").first().__class__.objects.filter(
        pk=CheckIn.objects.filter(person=world.owner).order_by("local_date").first().pk).update(note="=SUM(A1) not a formula")
    client = client_as("owner")
    first = client.get(reverse("diary:export"))
    assert first["Content-Type"].startswith("text/csv") and first["Cache-Control"] == "no-store"
    exported = first.content.decode()
    assert "'=SUM(A1) not a formula" in exported
    n = CheckIn.objects.count()
    CheckIn.objects.all().delete()
    assert _upload(client, exported).status_code == 302
    assert CheckIn.objects.count() == n
    again = client.get(reverse("diary:export")).content.decode()

    def table(text):
        rows = list(csv.DictReader(io.StringIO(text)))
        return [{k: v for k, v in r.items() if k not in ("late", "source")} for r in rows]

    assert table(again) == table(exported)
    assert list(csv.reader(io.StringIO(again)))[0] == EXPORT_COLUMNS
    assert CheckIn.objects.order_by("local_date").first().note == "=SUM(A1) not a formula"


def test_export_is_only_your_own(world, client_as):
    seed_checkins(world.partner, 2, n_days=5)
    assert client_as("owner").get(reverse("diary:export")).content.decode().strip() == ",".join(EXPORT_COLUMNS)


def test_loop_fit_command(tmp_path):
    diary = tmp_path / "diary.csv"
    lines = ["person_id,date,mood,closeness"]
    for p in ("a", "b"):
        for k in range(20):
            lines.append(f"{p},2026-01-{k + 1:02d},{(k * 3 + (p == 'b')) % 11},{(k * 7) % 11}")
    diary.write_text("\n".join(lines) + "\n")
    out = tmp_path / "est.csv"
    call_command("loop", "fit", str(diary), "--out", str(out), stdout=io.StringIO(), stderr=io.StringIO())
    rows = list(csv.reader(out.open()))
    assert tuple(rows[0]) == OUTPUT_COLUMNS and [r[0] for r in rows[1:]] == ["a", "b"] and rows[1][1] == "19"

    bad = tmp_path / "bad.csv"
    bad.write_text("person_id,date,mood,closeness\na,2026-01-01,11,5\n")
    target = tmp_path / "nothing.csv"
    err = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("loop", "fit", str(bad), "--out", str(target), stdout=io.StringIO(), stderr=err)
    assert exc.value.returncode == 1
    assert "line 2: mood must be between 0 and 10" in err.getvalue()
    assert not target.exists()


def test_nearer_loop_runs_without_starting_django(tmp_path):
    """`nearer loop fit` is a file-in, file-out command: same results and messages, no Django start-up."""
    import subprocess
    import sys
    from pathlib import Path

    good = tmp_path / "diary.csv"
    good.write_text("person_id,date,mood,closeness\n" + "".join(
        f"a,2026-01-{k + 1:02d},{(k * 3) % 11},{(k * 7) % 11}\n" for k in range(20)))
    bad = tmp_path / "bad.csv"
    bad.write_text("person_id,date,mood,closeness\na,2026-01-01,11,5\na,2026-01-02,4,7\na,2026-01-02,5,5\n")
    probe = (
        "import sys\n"
        "from nearer import cli\n"
        "try:\n"
        "    cli.main(sys.argv[1:])\n"
        "except SystemExit as exc:\n"
        "    print('exit', exc.code, 'django' in sys.modules, 'pandas' in sys.modules)\n"
    )
    root = str(Path(__file__).resolve().parents[3])
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": root}  # no settings, secrets or database needed
    run = lambda *a: subprocess.run([sys.executable, "-c", probe, *a], capture_output=True, text=True, env=env)  # noqa: E731

    ok = run("loop", "fit", str(good), "--out", str(tmp_path / "est.csv"))
    assert ok.stdout.splitlines()[-1] == "exit 0 False False"
    rows = list(csv.reader((tmp_path / "est.csv").open()))
    assert tuple(rows[0]) == OUTPUT_COLUMNS and rows[1][:2] == ["a", "19"]

    no = run("loop", "fit", str(bad), "--out", str(tmp_path / "nothing.csv"))
    assert no.stdout.splitlines()[-1] == "exit 1 False False"
    assert no.stderr.splitlines() == [
        "line 2: mood must be between 0 and 10",
        "line 4: same person and date as line 3",
        "2 problem(s) found; nothing was written.",
        "The loop fit did not run; see the messages above.",
    ]
    assert "11" not in no.stderr and not (tmp_path / "nothing.csv").exists()


def test_nearer_loop_as_a_process_flushes_everything_and_keeps_its_exit_codes(tmp_path):
    """`python -m nearer.cli loop fit` (as the console command runs it) ends the process itself once
    everything is written: all the estimates on stdout, every message on stderr, the exit codes."""
    import subprocess
    import sys
    from pathlib import Path

    good = tmp_path / "diary.csv"
    good.write_text("person_id,date,mood,closeness\n" + "".join(
        f"p{p},2026-01-{k + 1:02d},{(k * 3 + p) % 11},{(k * 7) % 11}\n" for p in range(300) for k in range(20)))
    bad = tmp_path / "bad.csv"
    bad.write_text("person_id,date,mood,closeness\na,2026-01-01,11,5\n")
    root = str(Path(__file__).resolve().parents[3])
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": root}
    run = lambda *a: subprocess.run([sys.executable, "-m", "nearer.cli", "loop", "fit", *a],  # noqa: E731
                                    capture_output=True, text=True, env=env)

    to_stdout = run(str(good))
    assert to_stdout.returncode == 0 and to_stdout.stderr == ""
    rows = list(csv.reader(io.StringIO(to_stdout.stdout)))
    assert tuple(rows[0]) == OUTPUT_COLUMNS and len(rows) == 301 and rows[-1][:2] == ["p299", "19"]

    to_file = run(str(good), "--out", str(tmp_path / "est.csv"))
    assert to_file.returncode == 0
    assert to_file.stdout == f"Wrote loop estimates for 300 people to {tmp_path / 'est.csv'}.\n"
    assert (tmp_path / "est.csv").read_text() == to_stdout.stdout

    no = run(str(bad))
    assert no.returncode == 1 and no.stdout == ""
    assert no.stderr.splitlines()[-1] == "The loop fit did not run; see the messages above."
    missing = run(str(tmp_path / "absent.csv"))
    assert missing.returncode == 2 and missing.stderr.startswith("Cannot read the diary file")

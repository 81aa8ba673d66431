"""Diary CSV: a valid round trip, and every invalid row reported with nothing written."""

import csv
import io

import numpy as np
import pytest

from nearer.analysis.csvio import OUTPUT_COLUMNS, DiaryCsvError, read_diary_csv, run_loop_fit
from nearer.analysis.loop import fit_loop
from nearer.analysis.simulate import simulate_diaries


def _write_sim(path, n_people=25, n_days=40, seed=1):
    sim = simulate_diaries(n_people, n_days, np.random.default_rng(seed))
    from datetime import date

    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["note", "closeness", "date", "person_id", "mood"])  # free order, extra column
        for p, d, m, c in zip(sim.person_idx, sim.day, sim.mood, sim.closeness, strict=True):
            if np.isnan(m) and d % 3 == 0:
                continue  # some missing days absent, others present with blanks
            fmt = "" if np.isnan(m) else f"{int(m)}"
            fmc = "" if np.isnan(c) else f"{int(c)}"
            w.writerow(["x", fmc, date.fromordinal(int(d)).isoformat(), f"client-{p:03d}", fmt])
    return sim


def _run(tmp_path, text, out=True):
    src = tmp_path / "diary.csv"
    src.write_text(text)
    dest = tmp_path / "out.csv"
    stdout, stderr = io.StringIO(), io.StringIO()
    code = run_loop_fit(src, dest if out else None, stdout=stdout, stderr=stderr)
    return code, dest, stdout.getvalue(), stderr.getvalue()


def test_round_trip_matches_engine(tmp_path):
    sim = _write_sim(tmp_path / "diary.csv")
    dest = tmp_path / "loop.csv"
    out = io.StringIO()
    assert run_loop_fit(tmp_path / "diary.csv", dest, stdout=out, stderr=io.StringIO()) == 0
    assert "25 people" in out.getvalue()
    rows = list(csv.DictReader(dest.open()))
    assert tuple(rows[0].keys()) == OUTPUT_COLUMNS
    assert [r["person_id"] for r in rows] == [f"client-{k:03d}" for k in range(25)]
    ref = fit_loop(*sim.observed())
    np.testing.assert_array_equal([int(r["n_pairs"]) for r in rows], ref.n_pairs)
    got = np.array([[float(r["closeness_to_mood"]), float(r["mood_to_closeness_low"]), float(r["mood_inertia"])]
                    for r in rows])
    np.testing.assert_allclose(got, np.column_stack([ref.closeness_to_mood, ref.low[:, 2], ref.mood_inertia]),
                               atol=5e-5)


def test_stdout_when_no_out_path(tmp_path):
    text = "person_id,date,mood,closeness\n" + "".join(
        f"a,2025-01-{d:02d},{(d * 7) % 11},{(d * 3) % 11}\n" for d in range(1, 21)
    )
    code, dest, stdout, stderr = _run(tmp_path, text, out=False)
    assert code == 0 and stderr == ""
    lines = stdout.strip().splitlines()
    assert lines[0] == ",".join(OUTPUT_COLUMNS)
    assert lines[1].startswith("a,19,")
    assert not dest.exists()


def test_blank_answers_are_missing_days_and_short_diaries_are_blank(tmp_path):
    text = "person_id,date,mood,closeness\nb,2025-01-01,5,\nb,2025-01-02,5,6\nb,2025-01-03,4,6\n"
    code, dest, _, _ = _run(tmp_path, text)
    assert code == 0
    row = list(csv.DictReader(dest.open()))[0]
    assert row["n_pairs"] == "1"
    assert row["closeness_to_mood"] == "" and row["mood_inertia"] == ""


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("a,2025-13-01,5,5\n", "line 2: date is not an ISO date|line 2: date does not exist"),
        ("a,01/02/2025,5,5\n", "line 2: date is not an ISO date"),
        ("a,2025-02-30,5,5\n", "line 2: date does not exist"),
        ("a,2025-01-01,11,5\n", "line 2: mood must be between 0 and 10"),
        ("a,2025-01-01,-1,5\n", "line 2: mood must be between 0 and 10"),
        ("a,2025-01-01,low,5\n", "line 2: mood is not a number"),
        ("a,2025-01-01,5,nan\n", "line 2: closeness must be between 0 and 10"),
        ("a,2025-01-01\n", "line 2: row has fewer values than the header"),
        (",2025-01-01,5,5\n", "line 2: person_id is blank"),
        ("a,,5,5\n", "line 2: date is blank"),
    ],
)
def test_each_invalid_row_is_reported_and_nothing_written(tmp_path, body, expected):
    import re

    code, dest, stdout, stderr = _run(tmp_path, "person_id,date,mood,closeness\n" + body)
    assert code == 1
    assert re.search(expected, stderr)
    assert "nothing was written" in stderr
    assert not dest.exists()
    assert stdout == ""


def test_duplicate_names_both_lines_and_all_errors_are_listed(tmp_path):
    text = (
        "person_id,date,mood,closeness\n"
        "a,2025-01-01,5,5\n"
        "a,2025-01-02,5,5\n"
        "\n"
        "a,2025-01-01,6,6\n"
        "b,2025-01-01,99,5\n"
    )
    code, dest, _, stderr = _run(tmp_path, text)
    assert code == 1
    assert "line 5: same person and date as line 2" in stderr
    assert "line 6: mood must be between 0 and 10" in stderr
    assert "2 problem(s)" in stderr
    assert "99" not in stderr  # values are never echoed
    assert not dest.exists()


def test_header_problems(tmp_path):
    code, _, _, stderr = _run(tmp_path, "person_id,day,mood,closeness\na,2025-01-01,5,5\n")
    assert code == 1 and "line 1: header lacks column(s): date" in stderr
    code, _, _, stderr = _run(tmp_path, "")
    assert code == 1 and "line 1: the file is empty" in stderr


def test_existing_output_survives_a_failed_run(tmp_path):
    dest = tmp_path / "out.csv"
    dest.write_text("previous\n")
    code, _, _, _ = _run(tmp_path, "person_id,date,mood,closeness\na,2025-01-01,x,5\n")
    assert code == 1
    assert dest.read_text() == "previous\n"


def test_missing_input_file(tmp_path):
    err = io.StringIO()
    assert run_loop_fit(tmp_path / "nope.csv", None, stdout=io.StringIO(), stderr=err) == 2
    assert "Cannot read" in err.getvalue()


def test_read_diary_csv_from_stream_with_uppercase_header():
    table = read_diary_csv(io.StringIO("Person_ID,Date,Mood,Closeness\nz,2025-05-01,3.5,7\n"))
    assert table.person_ids == ["z"]
    np.testing.assert_allclose(table.mood, [3.5])
    with pytest.raises(DiaryCsvError):
        read_diary_csv(io.StringIO("person_id,date,mood\n"))


# --- the vectorised reader agrees with the line-by-line reference -------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from nearer.analysis.csvio import _read_fast, _read_lines  # noqa: E402

_PIDS = ["a", "b", " a", "a ", "", " ", "ñandú", '"c,d"', "NA", "null"]
_DATES = ["2025-01-01", "2025-01-02", "2025-01-03", "2025-1-4", "2025-02-30", "0000-01-01", "", "2025-01-05 ",
          " 2025-01-06", "9999-12-31", "0001-01-01", "10000-01-01", "2025-01-07T00:00", "20250108", '"2025-01-09"']
_SCORES = ["5", "0", "10", "", "nan", "NaN", "inf", "-0", "10.0001", "1e1", " 5 ", "٥", "5.", ".5", "+3", "0x1",
           "  ", '""', "1_0", "-1e-300", "3.25", "N/A", "true", '"7"']


def _reference(path):
    with open(path, newline="", encoding="utf-8-sig") as fh:
        return _read_lines(fh)


def _same(a, b):
    assert a.person_ids == b.person_ids
    np.testing.assert_array_equal(np.asarray(a.person_idx, np.int64), np.asarray(b.person_idx, np.int64))
    np.testing.assert_array_equal(np.asarray(a.day, np.int64), np.asarray(b.day, np.int64))
    np.testing.assert_array_equal(a.mood, b.mood)
    np.testing.assert_array_equal(a.closeness, b.closeness)


_row = st.tuples(st.sampled_from(_PIDS), st.sampled_from(_DATES), st.sampled_from(_SCORES), st.sampled_from(_SCORES),
                 st.sampled_from(["", None, "x,y"]))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(_row, max_size=8), blank_at=st.integers(0, 9), bom=st.booleans())
def test_fast_reader_accepts_only_what_the_reference_accepts(tmp_path, rows, blank_at, bom):
    lines = ["person_id,date,mood,closeness,note"]
    for pid, day, mood, clos, note in rows:
        lines.append(",".join([pid, day, mood, clos] + ([] if note is None else [note])))
    if blank_at < len(lines):
        lines.insert(blank_at + 1, "")
    path = tmp_path / "d.csv"
    path.write_text(("\ufeff" if bom else "") + "\n".join(lines) + "\n", encoding="utf-8")
    fast = _read_fast(path)
    try:
        ref = _reference(path)
    except DiaryCsvError:
        assert fast is None  # anything the reference refuses goes back to it for the messages
        return
    if fast is not None:
        _same(fast, ref)
    _same(read_diary_csv(path), ref)


def test_fast_reader_takes_a_plain_file_and_matches_the_reference(tmp_path):
    _write_sim(tmp_path / "diary.csv", n_people=40, n_days=30, seed=3)
    fast = _read_fast(tmp_path / "diary.csv")
    assert fast is not None  # a plain valid file never needs the slow pass
    _same(fast, _reference(tmp_path / "diary.csv"))


def test_shuffled_rows_keep_first_appearance_order_and_duplicates_are_found(tmp_path):
    rng = np.random.default_rng(5)
    rows = [f"p{p},2025-03-{d:02d},{(p + d) % 11},{(p * d) % 11}" for p in range(30) for d in range(1, 29)]
    rng.shuffle(rows)
    path = tmp_path / "d.csv"
    path.write_text("person_id,date,mood,closeness\n" + "\n".join(rows) + "\n")
    fast = _read_fast(path)
    assert fast is not None
    _same(fast, _reference(path))
    path.write_text("person_id,date,mood,closeness\n" + "\n".join(rows + [rows[3]]) + "\n")
    assert _read_fast(path) is None
    with pytest.raises(DiaryCsvError) as exc:
        read_diary_csv(path)
    assert [str(e) for e in exc.value.errors] == [f"line {len(rows) + 2}: same person and date as line 5"]


def test_output_is_what_csv_writer_writes_for_every_kind_of_row():
    """Rows with all numbers, short diaries (blank), a number that is not finite, labels to quote."""
    from nearer.analysis.csvio import MIN_PAIRS_IN_OUTPUT, DiaryTable, format_loop_csv

    sim = simulate_diaries(12, 30, np.random.default_rng(7))
    p, d, m, c = sim.observed()
    keep = (p != 3) | (d < d.min() + 3)  # person 3: a short diary
    p, d, m, c = p[keep], d[keep], m[keep], c[keep]
    labels = ["plain", "with,comma", 'with"quote', "short", "line\nbreak", "ñandú", "sep\u2028x", "", "a", "b",
              "c", "d"]
    fit = fit_loop(p, d, m, c)
    fit.coef[5, 2] = np.nan
    fit.high[6, 1] = np.inf
    table = DiaryTable(person_ids=labels, person_idx=p, day=d, mood=m, closeness=c)
    got = io.StringIO()
    format_loop_csv(table, fit, got)

    expected = io.StringIO()
    w = csv.writer(expected, lineterminator="\n")
    w.writerow(OUTPUT_COLUMNS)
    for k, label in enumerate(labels):
        n = int(fit.n_pairs[k])
        nums = [fit.coef[k, 1], fit.low[k, 1], fit.high[k, 1], fit.coef[k, 2], fit.low[k, 2], fit.high[k, 2],
                fit.coef[k, 0], fit.coef[k, 3]]
        shown = ["" if n < MIN_PAIRS_IN_OUTPUT or not np.isfinite(x) else f"{x:.4f}" for x in nums]
        w.writerow([label, n, *shown])
    assert fit.n_pairs[3] < MIN_PAIRS_IN_OUTPUT
    assert got.getvalue() == expected.getvalue()

"""Reading diary CSV files and writing loop estimates: the engine behind ``nearer loop fit``.

Input: a CSV file with a header row and at least the columns
``person_id,date,mood,closeness`` (any order; extra columns ignored).
``date`` is an ISO date (YYYY-MM-DD); ``mood`` and ``closeness`` are numbers
from 0 to 10.  A blank ``mood`` or ``closeness`` means that answer is missing
that day: the day is kept but counts as a missed day for the loop (it breaks
the chain).  Every row that cannot be read is reported with its line number
and the reason; if there is any, nothing is written.  Messages never repeat
the cell values (they may be personal).

Reading is vectorised (pyarrow's CSV reader, imported only when a file is
read): a valid file is parsed, converted and checked column by column without
a Python object per row.  When that fast pass finds anything it does not
accept (a value out of range, a duplicate day, a row of another width, a
value pyarrow parses differently from Python), the file is read again line by
line by :func:`_read_rows`, which is the reference for what is valid and the
only source of the line-numbered messages.  So a valid file is fast, and a
file with problems gets exactly the messages it always got.  See
``docs/loop-fit.md`` for the measurements behind the choice.
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from itertools import chain
from typing import IO, Any, TextIO

import numpy as np

from .loop import LoopFit, fit_loop

__all__ = [
    "OUTPUT_COLUMNS",
    "REQUIRED_COLUMNS",
    "DiaryCsvError",
    "DiaryTable",
    "RowError",
    "format_loop_csv",
    "read_diary_csv",
    "run_loop_fit",
]

REQUIRED_COLUMNS = ("person_id", "date", "mood", "closeness")
OUTPUT_COLUMNS = (
    "person_id",
    "n_pairs",
    "closeness_to_mood",
    "closeness_to_mood_low",
    "closeness_to_mood_high",
    "mood_to_closeness",
    "mood_to_closeness_low",
    "mood_to_closeness_high",
    "mood_inertia",
    "closeness_inertia",
)
#: People with fewer pairs than this get blank estimates in the output file:
#: their numbers would be the population average, not theirs.
MIN_PAIRS_IN_OUTPUT = 3

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_IO = 2


@dataclass(frozen=True)
class RowError:
    """A problem with one line of the input (1-based line number; the header is line 1)."""

    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


class DiaryCsvError(ValueError):
    """The file has rows that cannot be read; ``errors`` lists all of them."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__(f"{len(errors)} problem(s) in the diary file")


@dataclass(frozen=True)
class DiaryTable:
    """A validated diary: long-format arrays plus the person labels.

    ``person_idx`` indexes ``person_ids``, which are in order of first appearance.
    """

    person_ids: list[str]
    person_idx: np.ndarray
    day: np.ndarray
    mood: np.ndarray
    closeness: np.ndarray


def _score(raw: str, name: str) -> tuple[float, str | None]:
    text = raw.strip()
    if text == "":
        return math.nan, None
    try:
        value = float(text)
    except ValueError:
        return math.nan, f"{name} is not a number"
    if not math.isfinite(value) or value < 0 or value > 10:
        return math.nan, f"{name} must be between 0 and 10"
    return value, None


def _read_rows(rows: Iterable[list[str]], line_of: Callable[[], int]) -> DiaryTable:
    it = iter(rows)
    errors: list[RowError] = []
    try:
        header = next(it)
    except StopIteration:
        raise DiaryCsvError([RowError(1, "the file is empty; a header row is required")])
    col = _header(header)
    width = max(col.values()) + 1

    people: dict[str, int] = {}
    seen: dict[tuple[str, int], int] = {}
    p_idx: list[int] = []
    days: list[int] = []
    moods: list[float] = []
    closes: list[float] = []
    for row in it:
        line = line_of()
        if not row or all(cell.strip() == "" for cell in row):
            continue  # blank line
        if len(row) < width:
            errors.append(RowError(line, "row has fewer values than the header"))
            continue
        reasons = []
        pid = row[col["person_id"]].strip()
        if pid == "":
            reasons.append("person_id is blank")
        date_text = row[col["date"]].strip()
        day = None
        if date_text == "":
            reasons.append("date is blank")
        elif not _ISO_DATE.match(date_text):
            reasons.append("date is not an ISO date (YYYY-MM-DD)")
        else:
            try:
                day = date.fromisoformat(date_text).toordinal()
            except ValueError:
                reasons.append("date does not exist")
        mood, why_m = _score(row[col["mood"]], "mood")
        clos, why_c = _score(row[col["closeness"]], "closeness")
        reasons += [r for r in (why_m, why_c) if r]
        if reasons:
            errors.append(RowError(line, "; ".join(reasons)))
            continue
        assert day is not None
        first = seen.get((pid, day))
        if first is not None:
            errors.append(RowError(line, f"same person and date as line {first}"))
            continue
        seen[(pid, day)] = line
        p_idx.append(people.setdefault(pid, len(people)))
        days.append(day)
        moods.append(mood)
        closes.append(clos)
    if errors:
        raise DiaryCsvError(errors)
    return DiaryTable(
        person_ids=list(people),
        person_idx=np.asarray(p_idx, dtype=np.int64),
        day=np.asarray(days, dtype=np.int64),
        mood=np.asarray(moods, dtype=float),
        closeness=np.asarray(closes, dtype=float),
    )


def _header(names_raw: list[str]) -> dict[str, int]:
    """Column index of each required column; raises :class:`DiaryCsvError` for a bad header."""
    names = [h.strip().lower() for h in names_raw]
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    if missing:
        raise DiaryCsvError([RowError(1, "header lacks column(s): " + ", ".join(missing))])
    dupes = sorted({c for c in REQUIRED_COLUMNS if names.count(c) > 1})
    if dupes:
        raise DiaryCsvError([RowError(1, "header repeats column(s): " + ", ".join(dupes))])
    return {c: names.index(c) for c in REQUIRED_COLUMNS}


#: Ordinal day numbers of date.min and date.max: pyarrow's date32 also reads
#: year 0000 and could go past 9999, which Python's ``date`` (the reference) refuses.
_MIN_ORDINAL = date.min.toordinal()
_MAX_ORDINAL = date.max.toordinal()
#: date32 counts days from 1970-01-01; the engine and the line-by-line reader use ordinals.
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


def _read_fast(path: str | os.PathLike[str]) -> DiaryTable | None:
    """Read a valid diary file with pyarrow, column by column; None when the line-by-line pass must decide.

    Returns None (never an error message: pyarrow's own messages quote cell
    values) whenever the file is not plainly valid, so that :func:`_read_rows`
    lists the problems with their line numbers.  Raises
    :class:`DiaryCsvError` only for a bad header, with the same messages.
    """
    with open(path, newline="", encoding="utf-8-sig") as fh:
        reader = csv.reader(fh)
        try:
            header = next(reader)
        except StopIteration:
            return None  # empty file: the line-by-line pass says so
        if reader.line_num != 1:
            return None  # a header spread over several lines: leave it to the reference reader
    col = _header(header)

    import pyarrow as pa  # deferred: only a file read needs it
    from pyarrow import csv as pacsv

    width = len(header)
    names = [f"c{k}" for k in range(width)]
    pid_name, date_name, mood_name, clos_name = (names[col[c]] for c in REQUIRED_COLUMNS)
    types = {
        pid_name: pa.dictionary(pa.int32(), pa.string()),
        date_name: pa.date32(),
        mood_name: pa.float64(),
        clos_name: pa.float64(),
    }
    try:
        table = pacsv.read_csv(
            path,
            # One thread: on a shared 2-core machine the thread pool cost more CPU than it saved time.
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, block_size=1 << 22, use_threads=False),
            parse_options=pacsv.ParseOptions(newlines_in_values=False),
            convert_options=pacsv.ConvertOptions(
                column_types=types,
                include_columns=list(types),
                null_values=[""],
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowException, UnicodeDecodeError, ValueError, OverflowError):
        return None  # a row of another width, a value that does not convert, bad UTF-8, ...
    n = table.num_rows
    p_idx = np.empty(n, np.int32)
    day = np.empty(n, np.int32)
    mood = np.empty(n, np.float64)
    clos = np.empty(n, np.float64)
    people: dict[str, int] = {}
    # Column by column, chunk by chunk, straight from the Arrow buffers into numpy (Array.to_numpy
    # would import pandas, 0.15 s, to check for pandas types).  Each person_id chunk carries its
    # own small dictionary of labels in order of first appearance within the chunk; it is mapped
    # onto global ids with labels trimmed as the reference reader trims them.
    at = 0
    for chunk in table.column(pid_name).chunks:
        k = len(chunk)
        if k == 0:
            continue
        labels = [label.strip() for label in chunk.dictionary.to_pylist()]
        if "" in labels:
            return None  # a blank person_id
        remap = np.fromiter((people.setdefault(label, len(people)) for label in labels), np.int32, len(labels))
        p_idx[at : at + k] = remap[_values(chunk.indices, np.int32)]
        at += k
    # Each column's Arrow buffers are released once copied, so the peak is the table plus one
    # column, not the table plus all the numpy arrays (100,000 x 365 rows: about 0.9 GB, not 1.5).
    table = table.drop_columns([pid_name])
    at = 0
    for chunk in table.column(date_name).chunks:
        if chunk.null_count:
            return None  # a blank date
        day[at : at + len(chunk)] = _values(chunk, np.int32)
        at += len(chunk)
    table = table.drop_columns([date_name])
    for name, out in ((mood_name, mood), (clos_name, clos)):
        at = 0
        for chunk in table.column(name).chunks:
            k = len(chunk)
            values = _values(chunk, np.float64)
            with np.errstate(invalid="ignore"):
                bad = ~((values >= 0.0) & (values <= 10.0))  # NaN or infinity written out, below 0, above 10
            if chunk.null_count:
                valid = _valid(chunk)
                bad &= valid  # a blank cell is a missing answer, whatever its buffer holds
                out[at : at + k] = np.where(valid, values, np.nan)
            else:
                out[at : at + k] = values
            if bad.any():
                return None
            at += k
        table = table.drop_columns([name])
    del table
    day += np.int32(_EPOCH_ORDINAL)
    if n and (int(day.min()) < _MIN_ORDINAL or int(day.max()) > _MAX_ORDINAL):
        return None
    if n > 1 and _has_duplicate_day(p_idx, day):
        return None
    return DiaryTable(person_ids=list(people), person_idx=p_idx, day=day, mood=mood, closeness=clos)


def _values(arr: Any, dtype: Any) -> np.ndarray:
    """The value buffer of a fixed-width Arrow array as a numpy view (no copy, nulls not masked)."""
    if len(arr) == 0:
        return np.empty(0, dtype)
    buf = arr.buffers()[1]
    return np.frombuffer(buf, dtype=dtype, count=arr.offset + len(arr))[arr.offset :]


def _valid(arr: Any) -> np.ndarray:
    """True where an Arrow array holds a value (its validity bitmap, unpacked)."""
    bits = np.unpackbits(np.frombuffer(arr.buffers()[0], np.uint8), bitorder="little")
    return bits[arr.offset : arr.offset + len(arr)].astype(np.bool_)


def _has_duplicate_day(p_idx: np.ndarray, day: np.ndarray) -> bool:
    """Whether one person has two rows for one day (cheap when rows are sorted by person then day)."""
    same = p_idx[1:] == p_idx[:-1]
    step = day[1:] - day[:-1]
    if np.all(p_idx[1:] >= p_idx[:-1]) and not np.any(same & (step <= 0)):
        return False  # grouped by person, days rising: no repeats
    span = int(day.max()) - int(day.min()) + 1
    key = p_idx.astype(np.int64) * span + (day - day.min())
    key.sort()
    return bool(np.any(key[1:] == key[:-1]))


def _read_lines(fh: TextIO) -> DiaryTable:
    reader = csv.reader(fh)
    # csv.reader.line_num is the physical line of the last row read (multi-line
    # quoted cells count in full), so it is the right number to report.
    try:
        return _read_rows(reader, lambda: reader.line_num)
    except csv.Error:
        raise DiaryCsvError([RowError(reader.line_num, "the line is not valid CSV")])


def read_diary_csv(source: str | os.PathLike[str] | TextIO) -> DiaryTable:
    """Read and validate a diary CSV (path or open text file).

    A path is read column by column (:func:`_read_fast`); when that pass does
    not accept the file, or for an open stream, the file is read line by line,
    which lists every problem.

    Raises
    ------
    DiaryCsvError
        Listing every unreadable row with its line number.
    OSError
        When the file cannot be opened.
    """
    if isinstance(source, str | os.PathLike):
        table = _read_fast(source)
        if table is not None:
            return table
        with open(source, newline="", encoding="utf-8-sig") as fh:
            return _read_lines(fh)
    return _read_lines(source)


def _fmt(x: float) -> str:
    return "" if not math.isfinite(x) else f"{x:.4f}"


def _csv_label(label: str) -> str:
    """A person label as one CSV field (quoted only when it must be, as csv.writer does)."""
    if any(ch in label for ch in ',"\r\n'):
        return '"' + label.replace('"', '""') + '"'
    return label


def format_loop_csv(table: DiaryTable, fit: LoopFit, out: IO[str]) -> None:
    """Write one row per person (order of first appearance) in :data:`OUTPUT_COLUMNS`.

    The text is what ``csv.writer`` wrote.  The whole file is one ``%`` over a template of one
    line per person, with no Python step per person for the rows that have all eight numbers
    (nearly all): the csv module's per-value path took 0.08 s of the 10,000-person command, one
    ``%`` per row 0.02 s.
    """
    n_people = len(table.person_ids)
    row_of = np.empty(n_people, np.int64)
    row_of[np.asarray(fit.person_ids, np.int64)] = np.arange(len(fit.person_ids))
    order = row_of[:n_people]
    n_pairs = np.asarray(fit.n_pairs)[order]
    c, lo, hi = fit.coef[order], fit.low[order], fit.high[order]
    values = np.column_stack((c[:, 1], lo[:, 1], hi[:, 1], c[:, 2], lo[:, 2], hi[:, 2], c[:, 0], c[:, 3]))
    labels = table.person_ids
    if any(ch in "".join(labels) for ch in ',"\r\n'):
        labels = [_csv_label(label) for label in labels]
    columns: list[list[Any]] = values.T.tolist()
    full_line = "%s,%d" + ",%.4f" * len(columns) + "\n"
    full = (n_pairs >= MIN_PAIRS_IN_OUTPUT) & np.isfinite(values).all(axis=1)
    if full.all():
        template = full_line * n_people
    else:
        # The other rows get their numbers as text ("" for a blank) through %s.
        text_line = "%s,%d" + ",%s" * len(columns) + "\n"
        template = "".join(np.where(full, full_line, text_line).tolist())
        for k in np.flatnonzero(~full).tolist():
            show = n_pairs[k] >= MIN_PAIRS_IN_OUTPUT
            for col in columns:
                col[k] = _fmt(col[k]) if show else ""
    args = chain.from_iterable(zip(labels, n_pairs.tolist(), *columns, strict=True))
    out.write(",".join(OUTPUT_COLUMNS) + "\n" + template % tuple(args))


def run_loop_fit(
    in_path: str | os.PathLike[str],
    out_path: str | os.PathLike[str] | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Fit the loop for every person in a diary CSV; the body of ``nearer loop fit``.

    Parameters
    ----------
    in_path : path
        Diary CSV (see module docstring).
    out_path : path, optional
        Where to write the estimates; written atomically (a temporary file
        renamed into place), so a failed run never leaves a partial file.
        Without it the CSV goes to ``stdout``.
    stdout, stderr : text streams, optional
        Default to ``sys.stdout`` / ``sys.stderr``.  Problems go to ``stderr``.

    Returns
    -------
    int
        0 on success, 1 when the input has invalid rows (all listed, nothing
        written), 2 when a file cannot be read or written.
    """
    out = stdout if stdout is not None else sys.stdout
    err = stderr if stderr is not None else sys.stderr
    try:
        table = read_diary_csv(in_path)
    except DiaryCsvError as exc:
        for e in exc.errors:
            print(str(e), file=err)
        print(f"{len(exc.errors)} problem(s) found; nothing was written.", file=err)
        return EXIT_INVALID
    except (OSError, UnicodeDecodeError) as exc:
        reason = "not UTF-8 text" if isinstance(exc, UnicodeDecodeError) else (exc.strerror or "cannot open")
        print(f"Cannot read the diary file: {reason}.", file=err)
        return EXIT_IO

    fit = fit_loop(table.person_idx, table.day, table.mood, table.closeness)
    buf = io.StringIO()
    format_loop_csv(table, fit, buf)
    if out_path is None:
        out.write(buf.getvalue())
        return EXIT_OK
    import tempfile  # here, not at the top: the command's start-up is part of what it costs (issue 17)

    target = os.fspath(out_path)
    tmp_name = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=".loop-", suffix=".csv.tmp", dir=os.path.dirname(target) or ".")
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(buf.getvalue())
        os.replace(tmp_name, target)
        tmp_name = None
    except OSError as exc:
        print(f"Cannot write the output file: {exc.strerror or 'error'}.", file=err)
        return EXIT_IO
    finally:
        if tmp_name is not None and os.path.exists(tmp_name):
            os.unlink(tmp_name)
    print(f"Wrote loop estimates for {len(table.person_ids)} people to {target}.", file=out)
    return EXIT_OK


LOOP_USAGE = "nearer loop fit DIARY.csv [--out ESTIMATES.csv]"


def loop_main(argv: list[str], stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    """``nearer loop ...`` without Django: the command reads a file and writes a file, nothing else.

    Starting Django (settings, apps, the database configuration) took about 1.5 s before any
    work; this entry point imports only the standard library, numpy and scipy, and pyarrow when
    the file is read.  Arguments, messages and exit codes are those of the management command
    ``loop`` (kept for ``manage.py`` and ``call_command``).
    """
    import argparse

    out = stdout if stdout is not None else sys.stdout
    err = stderr if stderr is not None else sys.stderr
    parser = argparse.ArgumentParser(
        prog="nearer loop",
        usage=LOOP_USAGE,
        description="Fit the closeness-and-mood loop for every person in a diary CSV "
                    "(columns person_id,date,mood,closeness). See docs/loop-fit.md.",
    )
    parser.add_argument("action", choices=["fit"], help="What to do (only 'fit' for now).")
    parser.add_argument("diary", help="The diary CSV file.")
    parser.add_argument("--out", default=None, help="Write the estimates here (atomically) instead of printing them.")
    try:
        opts = parser.parse_args(argv)
    except SystemExit as exc:  # --help (0) or a usage error (2), already printed by argparse
        return int(exc.code or 0)
    code = run_loop_fit(opts.diary, opts.out, stdout=out, stderr=err)
    if code != EXIT_OK:
        print("The loop fit did not run; see the messages above.", file=err)
    return code

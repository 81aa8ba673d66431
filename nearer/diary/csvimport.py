"""Bringing check-ins in from another app's CSV export, and taking them out as CSV.

Import rules: a header row; the date, mood and closeness columns are required (their names can be
mapped); optional columns are read when present. Every row that cannot be read is reported with
its line number (the header is line 1) and a reason that never repeats the cell's contents.
Nothing is saved if any row has a problem.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from nearer.diary.models import STRESSOR_KEYS, STRESSORS, YES_NO_FIELDS, Answer, CheckIn

MAX_ROWS = 5000
EXPORT_COLUMNS = [
    "date", "mood", "closeness", "shared_personal", "held_back", "felt_heard", "felt_accepted",
    "hours_slept", "stressors", "own_stressors", "exercise_minutes", "note", "late", "source",
]
OPTIONAL_COLUMNS = {
    "note": ("note", "notes", "journal", "entry"),
    "hours_slept": ("hours_slept", "sleep", "sleep_hours", "hours of sleep"),
    "exercise_minutes": ("exercise_minutes", "exercise", "exercise minutes"),
    "stressors": ("stressors",),
    "own_stressors": ("own_stressors", "other_stressors"),
    **{f: (f,) for f in YES_NO_FIELDS},
}
_DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%Y/%m/%d")
_YES = {"yes", "y", "true", "1", "sí", "si"}
_NO = {"no", "n", "false", "0"}
_NOT_TODAY = {"", "not_today", "not today", "n/a", "na", "-"}


@dataclass(frozen=True)
class ImportProblem:
    line: int
    reason: str

    def __str__(self) -> str:
        return _("Line %(line)s: %(reason)s") % {"line": self.line, "reason": self.reason}


class ImportRowsError(ValueError):
    def __init__(self, problems: list[ImportProblem]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s)")


def _norm(name: str) -> str:
    return re.sub(r"\s+", " ", name.strip().lower().lstrip("\ufeff"))


def _parse_date(text: str) -> date | None:
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


def _score(text: str, label: str, problems: list[str]) -> int | None:
    t = text.strip()
    if t == "":
        problems.append(_("%(field)s is missing") % {"field": label})
        return None
    try:
        value = float(t)
    except ValueError:
        problems.append(_("%(field)s is not a number") % {"field": label})
        return None
    if value != int(value) or not 0 <= value <= 10:
        problems.append(_("%(field)s must be a whole number from 0 to 10") % {"field": label})
        return None
    return int(value)


def parse_checkins_csv(
    raw: bytes | str,
    today: date,
    *,
    date_column: str = "date",
    mood_column: str = "mood",
    closeness_column: str = "closeness",
) -> list[dict[str, Any]]:
    """Validate a CSV export; return rows ``{"line", "local_date", "values"}`` or raise ImportRowsError."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ImportRowsError([ImportProblem(1, _("the file is not UTF-8 text"))]) from None
    reader = csv.reader(io.StringIO(raw, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise ImportRowsError([ImportProblem(1, _("the file is empty; a header row is needed"))]) from None
    except csv.Error:
        raise ImportRowsError([ImportProblem(1, _("the line is not valid CSV"))]) from None
    names = [_norm(h) for h in header]
    wanted = {"date": _norm(date_column or "date"), "mood": _norm(mood_column or "mood"),
              "closeness": _norm(closeness_column or "closeness")}
    missing = [w for w in wanted.values() if w not in names]
    if missing:
        raise ImportRowsError([ImportProblem(1, _("the header has no column named %(names)s") % {"names": ", ".join(missing)})])
    col = {k: names.index(v) for k, v in wanted.items()}
    for field_name, aliases in OPTIONAL_COLUMNS.items():
        for alias in aliases:
            if alias in names and names.index(alias) not in col.values():
                col[field_name] = names.index(alias)
                break
    labels = {"mood": _("mood"), "closeness": _("closeness")}
    stressor_words = {k: k for k in STRESSOR_KEYS} | {str(label).lower(): k for k, label in STRESSORS}

    rows: list[dict[str, Any]] = []
    problems: list[ImportProblem] = []
    first_line: dict[date, int] = {}
    try:
        for row in reader:
            line = reader.line_num
            if not row or all(c.strip() == "" for c in row):
                continue
            if len(rows) + len(problems) >= MAX_ROWS:
                problems.append(ImportProblem(line, _("too many rows; import at most 5000 days at a time")))
                break
            why: list[str] = []

            def cell(name: str, row: list[str] = row) -> str:
                i = col.get(name)
                return row[i] if i is not None and i < len(row) else ""

            day = _parse_date(cell("date")) if cell("date").strip() else None
            if not cell("date").strip():
                why.append(_("the date is missing"))
            elif day is None:
                why.append(_("the date is not in the form YYYY-MM-DD"))
            elif day > today:
                why.append(_("the date is in the future"))
            mood = _score(cell("mood"), labels["mood"], why)
            closeness = _score(cell("closeness"), labels["closeness"], why)
            values: dict[str, Any] = {"mood": mood, "closeness": closeness}
            if "note" in col:
                values["note"] = _unsafe_cell(cell("note"))
            if "own_stressors" in col:
                values["own_stressors"] = _unsafe_cell(cell("own_stressors"))
            if "hours_slept" in col and cell("hours_slept").strip():
                try:
                    hours = Decimal(cell("hours_slept").strip()).quantize(Decimal("0.1"))
                    if not Decimal(0) <= hours <= Decimal(24):
                        raise InvalidOperation
                    values["hours_slept"] = hours
                except (InvalidOperation, ValueError):
                    why.append(_("hours slept must be a number from 0 to 24"))
            if "exercise_minutes" in col and cell("exercise_minutes").strip():
                try:
                    minutes = float(cell("exercise_minutes").strip())
                    if minutes != int(minutes) or not 0 <= minutes <= 1440:
                        raise ValueError
                    values["exercise_minutes"] = int(minutes)
                except ValueError:
                    why.append(_("minutes of exercise must be a whole number from 0 to 1440"))
            if "stressors" in col and cell("stressors").strip():
                words = [_norm(w) for w in re.split(r"[;|,]", cell("stressors")) if w.strip()]
                keys = [stressor_words.get(w) for w in words]
                if any(k is None for k in keys):
                    why.append(_("stressors must come from the list (work, money, routine, pressure, conflict, health)"))
                else:
                    values["stressors"] = keys
            for name in YES_NO_FIELDS:
                if name in col:
                    v = _norm(cell(name))
                    if v in _YES:
                        values[name] = Answer.YES
                    elif v in _NO:
                        values[name] = Answer.NO
                    elif v in _NOT_TODAY:
                        values[name] = Answer.NOT_TODAY
                    else:
                        why.append(_("%(field)s must be yes, no or not today") % {"field": name.replace("_", " ")})
            if day is not None and not why:
                if day in first_line:
                    why.append(_("the same date as line %(line)s") % {"line": first_line[day]})
                else:
                    first_line[day] = line
            if why:
                problems.append(ImportProblem(line, "; ".join(why)))
            else:
                rows.append({"line": line, "local_date": day, "values": values})
    except csv.Error:
        problems.append(ImportProblem(reader.line_num, _("the line is not valid CSV")))
    if problems:
        raise ImportRowsError(problems)
    if not rows:
        raise ImportRowsError([ImportProblem(1, _("the file has no check-ins in it"))])
    return rows


def export_checkins_csv(checkins: list[CheckIn]) -> str:
    """The person's own check-ins, oldest first, in the columns the import reads back."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    for c in sorted(checkins, key=lambda c: c.local_date):
        writer.writerow([
            c.local_date.isoformat(), c.mood, c.closeness, c.shared_personal, c.held_back, c.felt_heard,
            c.felt_accepted, "" if c.hours_slept is None else str(c.hours_slept), ";".join(c.stressors or []),
            _safe_cell(c.own_stressors), "" if c.exercise_minutes is None else c.exercise_minutes,
            _safe_cell(c.note), "yes" if c.is_late else "no", c.source,
        ])
    return buf.getvalue()


def _safe_cell(text: str) -> str:
    """Stop spreadsheet programs from running a note that starts like a formula."""
    if text and text[0] in "=+-@\t\r":
        return "'" + text
    return text


def _unsafe_cell(text: str) -> str:
    """Undo :func:`_safe_cell` so an export imports back exactly."""
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@\t\r":
        return text[1:]
    return text

"""One date format per language: "3 Dec 2026" in English, "3 dic 2026" in Spanish, everywhere.

Pages, charts, reports and Python-built sentences name a format (DATE_FORMAT, DATETIME_FORMAT,
MONTH_DAY_FORMAT, TIME_FORMAT, or the weekday filters) instead of spelling their own; these tests
render the formats and scan the code for stray patterns.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import formats, timezone, translation

ROOT = Path(__file__).resolve().parent.parent / "nearer"
NAMED = {"DATE_FORMAT", "DATETIME_FORMAT", "MONTH_DAY_FORMAT", "TIME_FORMAT", "SHORT_DATE_FORMAT",
         "SHORT_DATETIME_FORMAT", "YEAR_MONTH_FORMAT"}
#: Formats for machines (URLs, data attributes, <time datetime>), allowed only inside a tag or {% url %}.
MACHINE = {"Y-m-d", "c", "U"}


@pytest.mark.parametrize(("language", "expected"), [
    ("en", {"DATE_FORMAT": "3 Dec 2026", "DATETIME_FORMAT": "3 Dec 2026, 20:05", "MONTH_DAY_FORMAT": "3 Dec",
            "SHORT_DATE_FORMAT": "3 Dec 2026", "weekday_date": "Thursday 3 Dec 2026",
            "weekday_datetime": "Thursday 3 Dec 2026, 20:05"}),
    ("es", {"DATE_FORMAT": "3 dic 2026", "DATETIME_FORMAT": "3 dic 2026, 20:05", "MONTH_DAY_FORMAT": "3 dic",
            "SHORT_DATE_FORMAT": "3 dic 2026", "weekday_date": "jueves 3 dic 2026",
            "weekday_datetime": "jueves 3 dic 2026, 20:05"}),
])
def test_each_language_writes_dates_one_way(language: str, expected: dict[str, str]) -> None:
    when = datetime(2026, 12, 4, 1, 5, tzinfo=UTC)  # 20:05 on 3 Dec in New York
    with translation.override(language), timezone.override("America/New_York"):
        for name in ("DATE_FORMAT", "MONTH_DAY_FORMAT", "SHORT_DATE_FORMAT"):
            assert formats.date_format(date(2026, 12, 3), name) == expected[name]
        assert formats.date_format(timezone.localtime(when), "DATETIME_FORMAT") == expected["DATETIME_FORMAT"]
        assert Template("{{ d }}").render(Context({"d": date(2026, 12, 3)})) == expected["DATE_FORMAT"]
        assert Template("{{ d|weekday_date }}").render(Context({"d": date(2026, 12, 3)})) == expected["weekday_date"]
        assert Template("{{ w|weekday_datetime }}").render(Context({"w": when})) == expected["weekday_datetime"]
        assert Template("{{ w|date:'DATETIME_FORMAT' }}").render(Context({"w": when})) == expected["DATETIME_FORMAT"]
        assert Template("[{{ n|weekday_date }}]").render(Context({"n": None})) == "[]"


def _in_tag_or_url(text: str, pos: int) -> bool:
    """True when ``pos`` is inside an HTML tag (an attribute value) or inside a ``{% url %}`` tag."""
    tag_open = text.rfind("{%", 0, pos)
    if tag_open != -1 and text.find("%}", tag_open) > pos and text[tag_open:tag_open + 8].replace(" ", "").startswith("{%url"):
        return True
    return text.rfind("<", 0, pos) > text.rfind(">", 0, pos)


def _templates() -> list[Path]:
    return sorted(p for p in ROOT.rglob("*") if p.suffix in (".html", ".txt") and "templates" in p.parts)


def test_templates_name_their_date_formats() -> None:
    stray = []
    files = _templates()
    assert len(files) > 50
    for path in files:
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(r"\|(date|time):\s*([\"'])(.*?)\2", text):
            fmt = m.group(3)
            if fmt in NAMED:
                continue
            if fmt in MACHINE and _in_tag_or_url(text, m.start()):
                continue
            stray.append(f"{path.relative_to(ROOT)}: |{m.group(1)}:{fmt!r}")
    assert stray == [], "Use DATE_FORMAT, DATETIME_FORMAT, MONTH_DAY_FORMAT or |weekday_date:\n" + "\n".join(stray)


def test_the_scan_catches_a_stray_format() -> None:
    text = '<p>{{ d|date:"Y-m-d" }}</p><a href="{% url "x" day=d|date:"Y-m-d" %}" data-day="{{ d|date:\'Y-m-d\' }}">'
    hits = [(m.start(), _in_tag_or_url(text, m.start())) for m in re.finditer(r"\|date:", text)]
    assert [inside for _pos, inside in hits] == [False, True, True]


#: Python files that may spell a date pattern, and why.
PY_ALLOWED = {
    "diary/csvimport.py": "reads dates from a person's file in the formats spreadsheets write",
    "ops/backup.py": "machine file names and key ids",
}


def test_python_code_names_its_date_formats() -> None:
    stray = []
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if "/tests/" in f"/{rel}" or "/migrations/" in rel or "/management/" in rel or rel in PY_ALLOWED:
            continue
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(r"(?:date|time)_format\([^()]*(?:\([^()]*\))?[^()]*?,\s*[\"']([^\"']+)[\"']", text):
            if m.group(1) not in NAMED:
                stray.append(f"{rel}: {m.group(0)}")
        for m in re.finditer(r"\.strftime\(", text):
            stray.append(f"{rel}: strftime at {text.count(chr(10), 0, m.start()) + 1}")
        for m in re.finditer(r"\{[^{}]*:%[a-zA-Z][^{}]*\}", text):
            line = text.count("\n", 0, m.start()) + 1
            # A model's __str__ is for the admin and the shell, not for a person.
            before = text[:m.start()]
            if before.rfind("def __str__") > before.rfind("\n    def ") - 1 and path.name == "models.py":
                continue
            stray.append(f"{rel}:{line}: {m.group(0)}")
    assert stray == [], "Name the format (formats.date_format(d, 'DATE_FORMAT')):\n" + "\n".join(stray)

"""Content files are validated at start-up: a broken prompt or suggestion file makes the system
check fail with one message naming the file and the entry (``nearer check``/``migrate``/``serve``
run it).

The malformed files here are the shipped YAML with one clinician-sized mistake each, read from a
temporary folder in place of the package's own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest
from django.core import checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from nearer import content_files
from nearer.content_checks import content_files as content_check
from nearer.practice import suggestion_bank
from nearer.together import prompt_bank

PROMPTS = "nearer/together/prompts/prompts.yaml"
LADDER = "nearer/practice/suggestions/ladder_steps.yaml"


@pytest.fixture(autouse=True)
def _fresh_banks() -> Iterator[None]:
    prompt_bank.clear_cache()
    suggestion_bank.clear_cache()
    yield
    prompt_bank.clear_cache()
    suggestion_bank.clear_cache()


def _edited(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, path: str, old: str, new: str, count: int = 1) -> None:
    """Serve ``path`` with ``old`` replaced by ``new`` (the other files of its folder unchanged)."""
    package, name = path.rsplit("/", 1)
    package = package.replace("/", ".")
    folder = tmp_path / package
    folder.mkdir(exist_ok=True)
    for f in resources.files(package).iterdir():
        if f.name.endswith(".yaml"):
            (folder / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    text = (folder / name).read_text(encoding="utf-8")
    assert text.count(old) >= count, old
    (folder / name).write_text(text.replace(old, new, count), encoding="utf-8")
    real = resources.files
    monkeypatch.setattr(content_files.resources, "files",
                        lambda pkg: folder if pkg == package else real(pkg))


def _one_error() -> str:
    [error] = content_check()
    assert error.id == "nearer.E100"
    return error.msg


def test_the_shipped_content_passes():
    assert content_check() == []
    assert "nearer" in checks.registry.registry.tags_available()


def test_the_banks_are_yaml_with_a_guide_at_the_top():
    for package in ("nearer.together.prompts", "nearer.practice.suggestions"):
        names = sorted(f.name for f in resources.files(package).iterdir() if not f.name.startswith("__"))
        assert names and all(n.endswith(".yaml") for n in names), names
        for name in names:
            text = resources.files(package).joinpath(name).read_text(encoding="utf-8")
            assert text.startswith("# "), name
            assert "How to edit" in text and "nearer check" in text, name


MISTAKES = [
    pytest.param(PROMPTS, '    es: "¿Qué momento de hoy volverías a vivir con gusto?"\n', "",
                 f"Together prompts: {PROMPTS}: prompt day-001: the Spanish text 'es' is missing or empty "
                 "(write it between double quotes)", id="prompt-without-spanish"),
    pytest.param(PROMPTS, "  - id: day-002\n    depth: 1\n", "  - id: day-002\n    depth: 4\n",
                 f"Together prompts: {PROMPTS}: prompt day-002: depth 4 is not a level; use 1, 2 or 3",
                 id="unknown-depth"),
    pytest.param(PROMPTS, "  - id: day-002\n", "  - id: day-001\n",
                 f"Together prompts: {PROMPTS}: prompt day-001: the id is used twice; give the new prompt the next "
                 "free number", id="duplicate-prompt-id"),
    pytest.param(LADDER, "category: share", "category: sharing",
                 f"Practice suggestions: {LADDER}: step good-news-first: category 'sharing' is not one of "
                 "voice_a_need, stay_present, be_comforted, share, initiate, other", id="unknown-category"),
    pytest.param(LADDER, '"Ser quien dice \\"te extrañé\\" primero"', '"Say \\"I missed you\\" first"',
                 f"Practice suggestions: {LADDER}: step missed-you-first: the Spanish text 'es' is a copy of the "
                 "English; translate it", id="spanish-copied-from-english"),
    pytest.param(LADDER, "- id: missed-you-first", "- id: good-news-first",
                 f"Practice suggestions: {LADDER}: steps: the id good-news-first is used twice", id="duplicate-step-id"),
]


@pytest.mark.parametrize(("path", "old", "new", "message"), MISTAKES)
def test_a_malformed_entry_fails_the_check_naming_the_file_and_the_entry(monkeypatch, tmp_path, path, old, new,
                                                                         message):
    _edited(monkeypatch, tmp_path, path, old, new)
    assert _one_error() == message


def test_a_line_given_twice_in_one_prompt_is_not_silently_dropped(monkeypatch, tmp_path):
    _edited(monkeypatch, tmp_path, PROMPTS, "    theme: day\n", '    theme: day\n    en: "Another wording"\n')
    msg = _one_error()
    assert re.fullmatch(rf"Together prompts: {PROMPTS} at line \d+: 'en' is given twice in the same entry .*", msg), msg


def test_broken_quotes_name_the_file_and_the_line(monkeypatch, tmp_path):
    _edited(monkeypatch, tmp_path, PROMPTS, '"What took more energy today than you expected?"',
            '"What took "more" energy today?"')
    msg = _one_error()
    assert re.match(rf"Together prompts: {PROMPTS} at line \d+: .*check the quotes and the indentation", msg), msg
    line = int(re.search(r"at line (\d+)", msg).group(1))  # type: ignore[union-attr]
    text = (tmp_path / "nearer.together.prompts" / "prompts.yaml").read_text(encoding="utf-8").splitlines()
    assert "What took" in text[line - 1]


def test_a_broken_file_stops_the_check_command(monkeypatch, tmp_path):
    _edited(monkeypatch, tmp_path, PROMPTS, "  - id: day-002\n    depth: 1\n", "  - id: day-002\n    depth: 4\n")
    with pytest.raises(SystemCheckError, match="prompt day-002: depth 4 is not a level"):
        call_command("check")

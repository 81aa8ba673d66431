"""Spanish for ops: every message translated, the catalogue compiled and current."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from django.utils import translation

LOCALE = Path(__file__).resolve().parents[1] / "locale" / "es" / "LC_MESSAGES"


def _entries() -> list[tuple[str, str, bool]]:
    """(msgid, msgstr, fuzzy) for each entry of the .po file, header excluded."""
    text = (LOCALE / "django.po").read_text(encoding="utf-8")
    out = []
    for block in text.split("\n\n"):
        if "msgid" not in block:
            continue
        msgid = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', block.split("msgstr", 1)[0].split("msgid", 1)[1]))
        msgstr = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', block.split("msgstr", 1)[1]))
        if msgid:
            out.append((msgid, msgstr, "#, fuzzy" in block))
    return out


def test_every_ops_message_has_spanish() -> None:
    entries = _entries()
    assert len(entries) >= 30
    assert [m for m, s, fuzzy in entries if not s or fuzzy] == []
    for msgid, msgstr, _f in entries:  # placeholders survive translation
        assert sorted(re.findall(r"%\(\w+\)s", msgid)) == sorted(re.findall(r"%\(\w+\)s", msgstr)), msgid


def test_compiled_catalogue_matches_the_source_and_is_used(tmp_path: Path) -> None:
    if shutil.which("msgfmt"):
        subprocess.run(["msgfmt", "-o", str(tmp_path / "django.mo"), str(LOCALE / "django.po")], check=True)
        assert (tmp_path / "django.mo").read_bytes() == (LOCALE / "django.mo").read_bytes(), "run compilemessages"
    with translation.override("es"):
        assert translation.gettext("Time for your check-in") == "Es hora de tu registro"
        assert translation.gettext("Your reminders are saved.") == "Tus recordatorios están guardados."

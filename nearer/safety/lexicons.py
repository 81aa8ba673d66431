"""The screener's open vocabularies, kept as data in ``nearer/safety/lexicon/*.yaml``.

Clinicians and translators can add a medicine, a place or a regional verb form to those files without
reading Python; the screener builds its construct rules and its typo targets from them at import.
Every entry is folded the way the screener folds text (accents stripped, case folded, apostrophes
dropped, hyphens and slashes as spaces), so the files may be written with or without accents.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import yaml

LEXICON_DIR = Path(__file__).with_name("lexicon")
FILES = ("medications", "means", "time_opportunity", "verbs_es", "risk_words", "idioms", "cues")

__all__ = ["FILES", "LEXICON_DIR", "alternation", "fold", "load", "words"]


def fold(phrase: str) -> str:
    """The matching form of a lexicon entry (same folding as the screener's text normalisation)."""
    out = []
    for ch in phrase:
        if ch in "'\u2019\u2018\u02bc`\u00b4":
            continue
        if ch in "-_/\u2010\u2011\u2012\u2013\u2014" or ch.isspace():
            out.append(" ")
            continue
        out.append("".join(d for d in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(d)).casefold())
    return " ".join("".join(out).split())


@cache
def load(name: str) -> dict[str, Any]:
    """One lexicon file as a mapping (read once per process). Raises ``ValueError`` on a bad shape."""
    if name not in FILES:
        raise ValueError(f"unknown lexicon {name!r}")
    with (LEXICON_DIR / f"{name}.yaml").open(encoding="utf-8") as f:
        data = yaml.safe_load(f)
    if not isinstance(data, dict):
        raise ValueError(f"lexicon {name!r} must be a mapping")
    return data


def _leaves(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, list):
        for item in node:
            yield from _leaves(item)
    elif isinstance(node, dict):
        for value in node.values():
            yield from _leaves(value)
    elif node is not None:
        raise ValueError("lexicon entries must be strings, lists or mappings")


def words(name: str, *path: str) -> tuple[str, ...]:
    """Folded entries under ``path`` in lexicon ``name`` (all of them when ``path`` is empty), deduplicated."""
    node: Any = load(name)
    for key in path:
        node = node[key]
    seen: dict[str, None] = {}
    for entry in _leaves(node):
        f = fold(entry)
        if f:
            seen[f] = None
    return tuple(seen)


def alternation(entries: Iterable[str]) -> str:
    """A non-capturing regex alternation of ``entries``, longest first, each escaped."""
    unique = sorted(set(entries), key=lambda e: (-len(e), e))
    return "(?:" + "|".join(re.escape(e) for e in unique) + ")"

"""Tolerance of misspellings in the screener's risk vocabulary (edit distance with rapidfuzz).

A token of the normalised text that is not itself a known word and lies within a small edit distance
of a risk word ("sucide" -> "suicide", "pils" -> "pills", "overdoes" -> "overdose", "suisidio" ->
"suicidio", "matarne" -> "matarme", "pastiyas" -> "pastillas") is read as that word before the rules
run. The distance is optimal string alignment (a swap of two neighbours counts once), allowed to be
1 for words of six or seven letters and 2 from eight letters on; a word of four or five letters may
only have dropped one letter ("pils", "sucid"), as substitutions there turn everyday words into risk
words ("been" is one letter from "beer", "arms" from "arma"). The first letter must agree:
people rarely misspell the first letter, and most everyday words one edit from a risk word ("bills",
"read", "contarme") differ there. Words listed as ``not_typos`` in ``lexicon/risk_words.yaml`` are
never changed. Targets are the ``targets`` of that file and every one-word entry of the medication,
means and Spanish verb lexicons.
"""

from __future__ import annotations

from functools import cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from . import lexicons

__all__ = ["add_known", "correct", "corrections", "max_distance"]

_MIN_LEN = 4
_CACHE_MAX = 50_000


def max_distance(length: int) -> int:
    """Edits allowed for a token of ``length`` letters (0: too short to correct)."""
    if length < _MIN_LEN:
        return 0
    return 1 if length < 8 else 2


@cache
def _tables() -> tuple[frozenset[str], dict[str, tuple[str, ...]]]:
    targets: set[str] = set(lexicons.words("risk_words", "targets"))
    for group in lexicons.load("medications"):
        if group not in ("alcohol", "other"):
            targets.update(w for w in lexicons.words("medications", group) if " " not in w)
    for name in ("means", "verbs_es"):
        targets.update(w for w in lexicons.words(name) if " " not in w and len(w) >= 5)
    targets = {t for t in targets if len(t) >= _MIN_LEN and t.isalpha()}
    known = set(targets) | set(lexicons.words("risk_words", "not_typos"))
    for name in ("medications", "means", "verbs_es", "time_opportunity"):
        for entry in lexicons.words(name):
            known.update(entry.split())
    buckets: dict[str, list[str]] = {}
    for t in sorted(targets):
        buckets.setdefault(t[0], []).append(t)
    return frozenset(known), {k: tuple(v) for k, v in buckets.items()}


_memo: dict[str, str | None] = {}
_extra_known: set[str] = set()
_CLITICS = ("me", "te", "se", "lo", "la", "le", "nos", "los", "las", "les")


def add_known(words: set[str] | frozenset[str]) -> None:
    """Declare more words correct as written (the screener passes every word its rules spell out)."""
    _extra_known.update(words)
    _memo.clear()


def _other_person(token: str, target: str) -> bool:
    """Whether ``token`` is ``target`` with another Spanish clitic ("matarte" vs "matarme"): not a typo."""
    for a in _CLITICS:
        if token.endswith(a):
            for b in _CLITICS:
                if target.endswith(b) and token[: -len(a)] == target[: -len(b)]:
                    return True
    return False


def _acceptable(token: str, target: str, distance: float) -> bool:
    if target.startswith(token) is False and token.startswith(target):
        return False  # an inflection ("disappeared", "goodbyes", "suicidas"), not a misspelling
    if _other_person(token, target):
        return False
    if target in (token + "s", token + "es"):
        return False  # the singular of a plural target ("bullet", not "bullets"): a real word

    if distance >= 2 and (token[:2] != target[:2] or token[-2:] != target[-2:]):
        return False
    return True


def correct(token: str) -> str | None:
    """The risk word ``token`` is a misspelling of, or ``None`` (known word, too short, or nothing close)."""
    hit = _memo.get(token, False)
    if hit is not False:
        return hit  # type: ignore[return-value]
    known, buckets = _tables()
    out: str | None = None
    k = max_distance(len(token))
    if k and token not in known and token not in _extra_known and token.isalpha():
        bucket = buckets.get(token[0], ())
        if len(token) < 6:
            cands = [t for t in bucket if len(t) == len(token) + 1]  # a dropped letter only
        else:
            cands = [t for t in bucket if abs(len(t) - len(token)) <= k]
        if cands:
            found = process.extractOne(token, cands, scorer=OSA.distance, score_cutoff=k)
            if found is not None and _acceptable(token, found[0], found[1]):
                out = found[0]
    if len(_memo) < _CACHE_MAX:
        _memo[token] = out
    return out


def corrections(tokens: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """For ``(start, end, token)`` triples, the ``(start, end, risk word)`` of those that are misspellings."""
    out = []
    for start, end, tok in tokens:
        fixed = correct(tok)
        if fixed is not None and fixed != tok:
            out.append((start, end, fixed))
    return out

"""Gates: a cheap test that lets the screener skip a rule pattern that cannot match.

Each rule pattern is read once, at import, by a small reader of the regular-expression syntax the
rules use (literals, groups, alternation, ``?``/``*``/``+``/``{m,n}``, classes, escapes, anchors
and lookarounds), to find a set of literal strings such that any match contains at least one of them
(for ``(?:going to|gonna) kill myself`` that could be ``{"kill myself"}``). Each string's rarest
four-character piece goes into one index; ``candidates(text)`` reads the text's four-character
pieces once and returns the patterns the index points to.

The sets come from the patterns themselves, so a gate only skips a pattern that could not have
matched: tests compare gated and ungated results on every labelled phrase and on generated word
salad. Anything the reader does not understand (a backreference, inline flags, a named group) makes
it give up on that pattern, which then always runs. This replaces an earlier version that used the
standard library's private ``re._parser`` module; everything here is plain Python.
"""

from __future__ import annotations

from typing import Any

__all__ = ["GateIndex", "gate_for"]

_GATE_CAP = 256  # largest set of literal expansions considered for one piece of a pattern
_GRAM = 4
_INF = 1 << 30

# Node kinds of the parsed pattern.
LIT, ANY, EMPTY, GROUP, CLASS, REPEAT = range(6)


class _Unsupported(Exception):
    pass


def _parse(src: str) -> list[Any]:
    """A pattern source as a sequence of nodes; raises ``_Unsupported`` for syntax outside the subset."""
    pos = 0
    n = len(src)

    def alternation() -> list[list[Any]]:
        nonlocal pos
        branches = [sequence()]
        while pos < n and src[pos] == "|":
            pos += 1
            branches.append(sequence())
        return branches

    def sequence() -> list[Any]:
        items: list[Any] = []
        while pos < n and src[pos] not in "|)":
            items.append(quantified(atom()))
        return items

    def atom() -> Any:
        nonlocal pos
        c = src[pos]
        if c == "(":
            pos += 1
            lookaround = False
            if src.startswith("?:", pos):
                pos += 2
            elif src.startswith(("?=", "?!"), pos):
                pos += 2
                lookaround = True
            elif src.startswith(("?<=", "?<!"), pos):
                pos += 3
                lookaround = True
            elif pos < n and src[pos] == "?":
                raise _Unsupported("inline flags or named groups")
            branches = alternation()
            if pos >= n or src[pos] != ")":
                raise _Unsupported("unbalanced group")
            pos += 1
            return (EMPTY,) if lookaround else (GROUP, branches)
        if c == "[":
            end = pos + 1
            if end < n and src[end] == "^":
                end += 1
            if end < n and src[end] == "]":
                end += 1
            while end < n and src[end] != "]":
                end += 2 if src[end] == "\\" else 1
            if end >= n:
                raise _Unsupported("unterminated class")
            body = src[pos + 1 : end]
            pos = end + 1
            if body.startswith("^") or "\\" in body or "-" in body.strip("-"):
                return (ANY,)
            return (CLASS, frozenset(body))
        if c == "\\":
            if pos + 1 >= n:
                raise _Unsupported("trailing backslash")
            e = src[pos + 1]
            pos += 2
            if e in "bBAZ":
                return (EMPTY,)
            if e in "wWdDsS":
                return (ANY,)
            if e.isalnum():
                raise _Unsupported("backreference or special escape")
            return (LIT, e)
        pos += 1
        if c == ".":
            return (ANY,)
        if c in "^$":
            return (EMPTY,)
        if c in "*+?{":
            raise _Unsupported("quantifier without an atom")
        return (LIT, c)

    def quantified(node: Any) -> Any:
        nonlocal pos
        if pos >= n:
            return node
        c = src[pos]
        if c == "?":
            lo, hi = 0, 1
            pos += 1
        elif c == "*":
            lo, hi = 0, _INF
            pos += 1
        elif c == "+":
            lo, hi = 1, _INF
            pos += 1
        elif c == "{":
            close = src.find("}", pos)
            body = src[pos + 1 : close] if close > 0 else ""
            parts = body.split(",")
            if close < 0 or len(parts) > 2 or not all(p.isdigit() or p == "" for p in parts) or not body:
                return node  # a literal "{", as in Python's own parser
            lo = int(parts[0] or 0)
            hi = lo if len(parts) == 1 else (int(parts[1]) if parts[1] else _INF)
            pos = close + 1
        else:
            return node
        if pos < n and src[pos] in "?+":  # lazy or possessive: same set of matches
            pos += 1
        return (REPEAT, node, lo, hi)

    result = alternation()
    if pos != n:
        raise _Unsupported("unbalanced parenthesis")
    return [(GROUP, result)]


def _literal_set(items: list[Any]) -> set[str] | None:
    """All strings a sequence of nodes can match, when that is a small finite set, else None."""
    out = {""}
    for node in items:
        kind = node[0]
        if kind == LIT:
            alts = {node[1]}
        elif kind == EMPTY:
            continue
        elif kind == CLASS:
            alts = set(node[1])
        elif kind == GROUP:
            alts = set()
            for branch in node[1]:
                sub = _literal_set(branch)
                if sub is None:
                    return None
                alts |= sub
        elif kind == REPEAT and node[2] == 0 and node[3] == 1:
            sub = _literal_set([node[1]])
            if sub is None:
                return None
            alts = sub | {""}
        else:
            return None
        out = {a + b for a in out for b in alts}
        if len(out) > _GATE_CAP:
            return None
    return out


def _usable(factors: set[str] | None) -> bool:
    return bool(factors) and all(len(f.strip()) >= 3 for f in factors)  # type: ignore[union-attr]


def _factors(items: list[Any], score: Any) -> set[str] | None:
    """A set of strings one of which every match of ``items`` contains, or None if none is found."""
    candidates: list[set[str]] = []
    run: set[str] | None = None
    for node in items:
        kind = node[0]
        if kind == EMPTY:
            continue
        lits = _literal_set([node])
        if lits is not None:
            joined = lits if run is None else {a + b for a in run for b in lits}
            if len(joined) > _GATE_CAP:
                if _usable(run):
                    candidates.append(run)  # type: ignore[arg-type]
                joined = lits
            run = joined
            continue
        if _usable(run):
            candidates.append(run)  # type: ignore[arg-type]
        run = None
        found: set[str] | None = None
        if kind == GROUP:
            per_branch = [_factors(b, score) for b in node[1]]
            if all(f is not None for f in per_branch):
                found = set().union(*per_branch)  # type: ignore[arg-type]
        elif kind == REPEAT and node[2] >= 1:
            found = _factors([node[1]], score)
        if _usable(found):
            candidates.append(found)  # type: ignore[arg-type]
    if _usable(run):
        candidates.append(run)  # type: ignore[arg-type]
    return min(candidates, key=score) if candidates else None


class _Scorer:
    def __init__(self, sample: str) -> None:
        self.sample = sample

    def __call__(self, factors: set[str]) -> tuple[int, int, int]:
        """Lower is better: rarely seen in everyday text, long, few."""
        return (sum(self.sample.count(f) for f in factors), -min(map(len, factors)), len(factors))


def gate_for(pattern: str, sample: str) -> frozenset[str] | None:
    """Strings one of which every match of ``pattern`` contains; ``None`` when none can be found."""
    try:
        factors = _factors(_parse(pattern), _Scorer(sample))
    except _Unsupported:
        return None
    return frozenset(factors) if factors else None


class GateIndex:
    """Which gated checks (by bit) may match a text, from the text's four-character pieces."""

    def __init__(self, gates: list[frozenset[str] | None], sample: str) -> None:
        self.sample = sample
        self.always = 0
        self.index: dict[str, int] = {}
        self.short: list[tuple[str, int]] = []  # factors shorter than _GRAM, checked with `in`
        for bit, factors in enumerate(gates):
            flag = 1 << bit
            if factors is None:
                self.always |= flag
                continue
            for f in factors:
                if len(f) >= _GRAM:
                    key = self._key(f)
                    self.index[key] = self.index.get(key, 0) | flag
                else:
                    self.short.append((f, flag))
        self.all = (1 << len(gates)) - 1

    def _key(self, factor: str) -> str:
        pieces = [factor[i : i + _GRAM] for i in range(len(factor) - _GRAM + 1)]
        return min(pieces, key=lambda g: (self.sample.count(g), " " in g))

    def candidates(self, norm: str) -> int:
        mask = self.always
        get = self.index.get
        for g in {norm[i : i + _GRAM] for i in range(len(norm) - _GRAM + 1)}:
            mask |= get(g, 0)
        for f, flag in self.short:
            if not mask & flag and f in norm:
                mask |= flag
        return mask

"""Couple conversation prompts and the words around them, loaded from YAML.

The content lives in ``nearer/together/prompts/*.yaml`` (English and Spanish side by side,
written for Nearer, laid out for a clinician to review and change; each file's opening
comments explain its fields). This module loads each file once, validates it loudly (a
problem names the file and the entry; the ``nearer`` system check runs this at start-up),
and offers small accessors that take a ``lang`` argument and fall back to English.

Nothing here touches the database: callers pass in which prompts a couple has already
used or saved, and get plain values back.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeVar

from nearer import content_files
from nearer.content_files import DEFAULT_LANG, normalise_lang

T = TypeVar("T")
DEPTHS: tuple[int, ...] = (1, 2, 3)
ROLES: tuple[str, ...] = ("speaker", "listener")

#: Rating scales shown after a talk. ``defensive`` is the one where higher is harder.
SCALES: tuple[str, ...] = ("heard", "accepted", "close", "defensive")
HIGH_AT = 7
LOW_AT = 4

_ID_RE = re.compile(r"^[a-z][a-z-]*-\d{3}$")
_DATA_PACKAGE = "nearer.together.prompts"


class PromptDataError(ValueError):
    """A prompt data file is missing something or is malformed."""


@dataclass(frozen=True, slots=True)
class Prompt:
    id: str
    depth: int
    theme: str
    en: str
    es: str
    follow_up_en: str | None = None
    follow_up_es: str | None = None
    retired: bool = False

    def text(self, lang: str | None = DEFAULT_LANG) -> str:
        return self.en if normalise_lang(lang) == "en" else (self.es or self.en)

    def follow_up(self, lang: str | None = DEFAULT_LANG) -> str | None:
        if normalise_lang(lang) == "es" and self.follow_up_es:
            return self.follow_up_es
        return self.follow_up_en


# ---------------------------------------------------------------- loading


def _load(name: str, validate: Callable[[Any], T]) -> T:
    return content_files.load(_DATA_PACKAGE, name, PromptDataError, validate)


def _check_bilingual(where: str, value: Any, allowed_fields: frozenset[str] = frozenset()) -> None:
    """A bilingual value is ``{en: ..., es: ...}``, both non-empty, not identical."""
    content_files.text_pair(where, value, PromptDataError, allowed=allowed_fields)


def _validate_prompts(doc: Any) -> tuple[Prompt, ...]:
    if not isinstance(doc, Mapping) or not isinstance(doc.get("prompts"), list):
        raise PromptDataError("expected a list called 'prompts'")
    seen: set[str] = set()
    out: list[Prompt] = []
    for i, item in enumerate(doc["prompts"]):
        if not isinstance(item, Mapping):
            raise PromptDataError(f"prompt number {i + 1}: expected lines like 'id:', 'depth:', 'en:' under '- '")
        pid = item.get("id")
        if not isinstance(pid, str) or not _ID_RE.match(pid):
            raise PromptDataError(f"prompt number {i + 1} (id {pid!r}): the id must look like 'theme-001'")
        where = f"prompt {pid}"
        if pid in seen:
            raise PromptDataError(f"{where}: the id is used twice; give the new prompt the next free number")
        seen.add(pid)
        depth = item.get("depth")
        if depth not in DEPTHS or isinstance(depth, bool):
            raise PromptDataError(f"{where}: depth {depth!r} is not a level; use 1, 2 or 3")
        theme = item.get("theme")
        if not isinstance(theme, str) or not theme.strip():
            raise PromptDataError(f"{where}: the theme is missing")
        if pid.rsplit("-", 1)[0] != theme:
            raise PromptDataError(f"{where}: the id must start with its theme ('{theme}-')")
        _check_bilingual(where, item)
        has_en, has_es = "follow_up_en" in item, "follow_up_es" in item
        if has_en != has_es:
            raise PromptDataError(f"{where}: give the follow-up in both languages (follow_up_en and follow_up_es) or neither")
        if has_en:
            content_files.text_pair(f"{where}, follow-up", item, PromptDataError, "follow_up_en", "follow_up_es")
        out.append(
            Prompt(
                id=pid,
                depth=int(depth),
                theme=theme,
                en=item["en"],
                es=item["es"],
                follow_up_en=item.get("follow_up_en"),
                follow_up_es=item.get("follow_up_es"),
                retired=bool(item.get("retired", False)),
            )
        )
    return tuple(out)


@lru_cache(maxsize=1)
def _all_prompts() -> tuple[Prompt, ...]:
    return _load("prompts.yaml", _validate_prompts)


@lru_cache(maxsize=1)
def _by_id() -> dict[str, Prompt]:
    return {p.id: p for p in _all_prompts()}


def _validate_readiness(doc: Any) -> Mapping[str, Any]:
    if not isinstance(doc, Mapping):
        raise PromptDataError("expected heading, intro, questions, answers, ready and not_tonight")
    for key in ("heading", "intro", "ready"):
        _check_bilingual(key, doc.get(key))
    questions = doc.get("questions")
    if not isinstance(questions, list) or not questions:
        raise PromptDataError("questions: expected at least one question")
    ids = set()
    for i, q in enumerate(questions):
        if not isinstance(q, Mapping) or not isinstance(q.get("id"), str):
            raise PromptDataError(f"question number {i + 1}: it needs an id")
        if q["id"] in ids:
            raise PromptDataError(f"question {q['id']}: the id is used twice")
        ids.add(q["id"])
        _check_bilingual(f"question {q['id']}", q)
    answers = doc.get("answers")
    if not isinstance(answers, Mapping) or set(answers) != {"yes", "no"}:
        raise PromptDataError('answers: expected exactly "yes" and "no" (with their quotes)')
    for key, value in answers.items():
        _check_bilingual(f"answer {key}", value)
    not_tonight = doc.get("not_tonight")
    needed = {"heading", "message", "save_for_later", "lighter_prompt"}
    if not isinstance(not_tonight, Mapping) or not needed <= set(not_tonight):
        raise PromptDataError(f"not_tonight: needs {', '.join(sorted(needed))}")
    for key, value in not_tonight.items():
        _check_bilingual(f"not_tonight {key}", value)
    return doc


@lru_cache(maxsize=1)
def _readiness_doc() -> Mapping[str, Any]:
    return _load("readiness.yaml", _validate_readiness)


def _validate_guidance(doc: Any) -> Mapping[str, Any]:
    if not isinstance(doc, Mapping) or not isinstance(doc.get("depths"), Mapping):
        raise PromptDataError("expected 'always' and 'depths'")
    _check_bilingual("always", doc.get("always"))
    if set(doc["depths"]) != set(DEPTHS):
        raise PromptDataError(f"depths: expected exactly 1, 2 and 3, found {sorted(doc['depths'], key=str)}")
    for depth in DEPTHS:
        entry = doc["depths"][depth]
        if not isinstance(entry, Mapping):
            raise PromptDataError(f"depth {depth}: expected label, about, speaker and listener")
        for key in ("label", "about", *ROLES):
            _check_bilingual(f"depth {depth} {key}", entry.get(key))
    return doc


@lru_cache(maxsize=1)
def _guidance_doc() -> Mapping[str, Any]:
    return _load("guidance.yaml", _validate_guidance)


def _reveal_keys() -> frozenset[str]:
    keys = {"differ", "similar"}
    for scale in SCALES:
        keys |= set(_scale_keys(scale).values())
    return frozenset(keys)


def _validate_reveal(doc: Any) -> Mapping[str, Mapping[str, str]]:
    if not isinstance(doc, Mapping) or not isinstance(doc.get("phrases"), Mapping):
        raise PromptDataError("expected 'phrases'")
    phrases = doc["phrases"]
    missing = _reveal_keys() - set(phrases)
    if missing:
        raise PromptDataError(f"phrases: missing {', '.join(sorted(missing))}")
    unknown = set(phrases) - _reveal_keys()
    if unknown:
        raise PromptDataError(f"phrases: Nearer never shows {', '.join(sorted(unknown))}; check the spelling")
    for key, value in phrases.items():
        _check_bilingual(f"phrase {key}", value, allowed_fields=frozenset({"name"}))
    return phrases


@lru_cache(maxsize=1)
def _reveal_doc() -> Mapping[str, Mapping[str, str]]:
    return _load("reveal_phrases.yaml", _validate_reveal)


def validate_all() -> None:
    """Load and check every file now (for start-up checks and tests)."""
    _all_prompts()
    _readiness_doc()
    _guidance_doc()
    _reveal_doc()


def clear_cache() -> None:
    for fn in (_all_prompts, _by_id, _readiness_doc, _guidance_doc, _reveal_doc):
        fn.cache_clear()


# ---------------------------------------------------------------- prompts


def prompts(depth: int | None = None, *, include_retired: bool = False) -> tuple[Prompt, ...]:
    """All prompts in file order, optionally only one depth (1, 2 or 3)."""
    if depth is not None and depth not in DEPTHS:
        raise ValueError(f"depth must be one of {DEPTHS}")
    return tuple(
        p
        for p in _all_prompts()
        if (depth is None or p.depth == depth) and (include_retired or not p.retired)
    )


def get_prompt(prompt_id: str) -> Prompt:
    """The prompt with this id (retired ones too, so old conversations still render).

    Raises ``KeyError`` for an unknown id.
    """
    try:
        return _by_id()[prompt_id]
    except KeyError:
        raise KeyError(f"unknown prompt id {prompt_id!r}")


def text(prompt: Prompt | str, lang: str | None = DEFAULT_LANG) -> str:
    """The prompt's wording in ``lang``, English when that language is not available."""
    p = get_prompt(prompt) if isinstance(prompt, str) else prompt
    return p.text(lang)


def follow_up(prompt: Prompt | str, lang: str | None = DEFAULT_LANG) -> str | None:
    """The listener's gentle follow-up question, if the prompt has one."""
    p = get_prompt(prompt) if isinstance(prompt, str) else prompt
    return p.follow_up(lang)


def next_prompts(
    depth: int,
    exclude_ids: Iterable[str] = (),
    saved_ids: Iterable[str] = (),
    n: int = 3,
    seed: int | None = None,
    *,
    recycle: bool = False,
) -> list[Prompt]:
    """Up to ``n`` prompts at ``depth`` that the couple has not used yet.

    Parameters
    ----------
    depth
        1, 2 or 3.
    exclude_ids
        Prompts already used, oldest first. Never offered again unless ``recycle``.
    saved_ids
        Prompts the couple saved for later; those at this depth and not yet used come
        first, in the order given.
    n
        How many to return at most.
    seed
        Seed for the shuffle of the remaining prompts, so a page can be re-rendered
        with the same choices. ``None`` uses fresh randomness.
    recycle
        When fewer than ``n`` unused prompts remain, top up with used ones, the
        longest-ago used first. Off by default: the caller decides when to start over.
    """
    if depth not in DEPTHS:
        raise ValueError(f"depth must be one of {DEPTHS}")
    if n < 0:
        raise ValueError("n must not be negative")
    used = list(dict.fromkeys(exclude_ids))
    used_set = set(used)
    pool = prompts(depth)
    pool_ids = {p.id for p in pool}

    chosen: list[Prompt] = []
    for pid in dict.fromkeys(saved_ids):
        if pid in pool_ids and pid not in used_set and len(chosen) < n:
            chosen.append(_by_id()[pid])
    taken = {p.id for p in chosen}
    rest = [p for p in pool if p.id not in used_set and p.id not in taken]
    random.Random(seed).shuffle(rest)
    chosen.extend(rest[: n - len(chosen)])
    if recycle and len(chosen) < n:
        chosen.extend(_by_id()[pid] for pid in used if pid in pool_ids)
        chosen = chosen[:n]
    return chosen


# ---------------------------------------------------------------- words around a talk


def _pick(value: Mapping[str, str], lang: str | None) -> str:
    return value.get(normalise_lang(lang)) or value[DEFAULT_LANG]


def readiness(lang: str | None = DEFAULT_LANG) -> dict[str, Any]:
    """The readiness check, resolved to one language.

    Returns ``{"heading", "intro", "questions": [{"id", "text"}], "answers": {"yes", "no"},
    "ready", "not_tonight": {"heading", "message", "save_for_later", ...}}``.
    """
    doc = _readiness_doc()
    return {
        "heading": _pick(doc["heading"], lang),
        "intro": _pick(doc["intro"], lang),
        "questions": [{"id": q["id"], "text": _pick(q, lang)} for q in doc["questions"]],
        "answers": {key: _pick(value, lang) for key, value in doc["answers"].items()},
        "ready": _pick(doc["ready"], lang),
        "not_tonight": {key: _pick(value, lang) for key, value in doc["not_tonight"].items()},
    }


def guidance(depth: int, role: str, lang: str | None = DEFAULT_LANG) -> str:
    """One line for the ``speaker`` or the ``listener`` at this depth."""
    if depth not in DEPTHS:
        raise ValueError(f"depth must be one of {DEPTHS}")
    if role not in ROLES:
        raise ValueError(f"role must be one of {ROLES}")
    return _pick(_guidance_doc()["depths"][depth][role], lang)


def depth_label(depth: int, lang: str | None = DEFAULT_LANG) -> str:
    """The depth's short name: "Light", "Closer", "Deep"."""
    if depth not in DEPTHS:
        raise ValueError(f"depth must be one of {DEPTHS}")
    return _pick(_guidance_doc()["depths"][depth]["label"], lang)


def depth_about(depth: int, lang: str | None = DEFAULT_LANG) -> str:
    """What prompts at this depth are about: "everyday things"."""
    if depth not in DEPTHS:
        raise ValueError(f"depth must be one of {DEPTHS}")
    return _pick(_guidance_doc()["depths"][depth]["about"], lang)


def depth_name(depth: int, lang: str | None = DEFAULT_LANG) -> str:
    """The name people choose by: "Light — everyday things"."""
    return f"{depth_label(depth, lang)} — {depth_about(depth, lang)}"


def guidance_always(lang: str | None = DEFAULT_LANG) -> str:
    """The line that applies at every depth (anyone may pause or pass)."""
    return _pick(_guidance_doc()["always"], lang)


def reveal_phrases() -> frozenset[str]:
    """Every key ``reveal_phrase`` accepts."""
    return frozenset(_reveal_doc())


def reveal_phrase(key: str, lang: str | None = DEFAULT_LANG, **names: str) -> str:
    """The agree/differ sentence for ``key``, with ``{name}`` filled in.

    Raises ``KeyError`` for an unknown key and ``ValueError`` when the phrase needs a
    name that was not passed.
    """
    phrases = _reveal_doc()
    if key not in phrases:
        raise KeyError(f"unknown reveal phrase {key!r}")
    template = _pick(phrases[key], lang)
    needed = content_files.placeholders(template)
    missing = needed - set(names)
    if missing:
        raise ValueError(f"reveal phrase {key!r} needs {sorted(missing)}")
    return template.format_map({field: names[field] for field in needed})


def _scale_keys(scale: str) -> dict[str, str]:
    if scale == "defensive":
        return {
            "both_good": "both_open",
            "both_hard": "both_defensive",
            "partner_harder": "one_more_defensive",
            "you_harder": "you_more_defensive",
        }
    return {
        "both_good": f"both_{scale}",
        "both_hard": f"both_low_{scale}",
        "partner_harder": f"one_less_{scale}",
        "you_harder": f"you_less_{scale}",
    }


def reveal_key(scale: str, own: int, partner: int, *, gap: int = 3) -> str:
    """Which reveal phrase fits two 0–10 ratings of one scale.

    ``own`` is the rating of the person who will read the sentence, ``partner`` the
    other's. Both high (≥ 7) or both low (≤ 4) come first; otherwise a difference of at
    least ``gap`` points names who found it harder; anything else is ``"similar"``.
    For ``defensive`` higher means harder, so the directions flip.
    """
    if scale not in SCALES:
        raise ValueError(f"scale must be one of {SCALES}")
    for value in (own, partner):
        if not 0 <= value <= 10:
            raise ValueError("ratings run from 0 to 10")
    keys = _scale_keys(scale)
    higher_is_harder = scale == "defensive"
    both_high = own >= HIGH_AT and partner >= HIGH_AT
    both_low = own <= LOW_AT and partner <= LOW_AT
    if both_high or both_low:
        good = both_low if higher_is_harder else both_high
        return keys["both_good"] if good else keys["both_hard"]
    # Positive when the partner found it harder than the reader did.
    partner_harder_by = (partner - own) if higher_is_harder else (own - partner)
    if partner_harder_by >= gap:
        return keys["partner_harder"]
    if -partner_harder_by >= gap:
        return keys["you_harder"]
    return "similar"

"""Couple conversation prompts and the words around them, loaded from JSON.

The content lives in ``nearer/together/prompts/*.json`` (English and Spanish, written
for Nearer). This module loads each file once, validates it loudly, and offers small
accessors that take a ``lang`` argument and fall back to English.

Nothing here touches the database: callers pass in which prompts a couple has already
used or saved, and get plain values back.
"""

from __future__ import annotations

import json
import random
import re
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

LANGS: tuple[str, ...] = ("en", "es")
DEFAULT_LANG = "en"
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


def normalise_lang(lang: str | None) -> str:
    """Map ``"es-US"``, ``"es_MX"``, ``"ES"`` to ``"es"``; anything unknown to English."""
    if not lang:
        return DEFAULT_LANG
    base = re.split(r"[-_]", lang.strip().lower(), maxsplit=1)[0]
    return base if base in LANGS else DEFAULT_LANG


# ---------------------------------------------------------------- loading


def _read_json(name: str) -> Any:
    try:
        raw = resources.files(_DATA_PACKAGE).joinpath(name).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PromptDataError(f"prompt data file {name} is missing")
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        raise PromptDataError(f"{name} is not valid JSON (line {exc.lineno})")


def _placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


def _check_bilingual(where: str, value: Any, allowed_fields: frozenset[str] = frozenset()) -> None:
    """A bilingual value is ``{"en": ..., "es": ...}``, both non-empty, not identical."""
    if not isinstance(value, Mapping):
        raise PromptDataError(f"{where}: expected an object with {', '.join(LANGS)}")
    for lang in LANGS:
        text = value.get(lang)
        if not isinstance(text, str) or not text.strip():
            raise PromptDataError(f"{where}: missing or empty '{lang}' text")
        try:
            fields = _placeholders(text)
        except ValueError:
            raise PromptDataError(f"{where}.{lang}: unbalanced braces")
        if fields - allowed_fields:
            raise PromptDataError(
                f"{where}.{lang}: unexpected placeholders {sorted(fields - allowed_fields)}"
            )
    if value["en"].strip() == value["es"].strip():
        raise PromptDataError(f"{where}: Spanish text is identical to English")
    if _placeholders(value["en"]) != _placeholders(value["es"]):
        raise PromptDataError(f"{where}: English and Spanish use different placeholders")


def _validate_prompts(doc: Any) -> tuple[Prompt, ...]:
    if not isinstance(doc, Mapping) or not isinstance(doc.get("prompts"), list):
        raise PromptDataError("prompts.json: expected an object with a 'prompts' list")
    seen: set[str] = set()
    out: list[Prompt] = []
    for i, item in enumerate(doc["prompts"]):
        if not isinstance(item, Mapping):
            raise PromptDataError(f"prompts[{i}]: expected an object")
        pid = item.get("id")
        if not isinstance(pid, str) or not _ID_RE.match(pid):
            raise PromptDataError(f"prompts[{i}]: id must look like 'theme-001'")
        if pid in seen:
            raise PromptDataError(f"prompts.json: duplicate id {pid}")
        seen.add(pid)
        depth = item.get("depth")
        if depth not in DEPTHS or isinstance(depth, bool):
            raise PromptDataError(f"{pid}: depth must be one of {DEPTHS}")
        theme = item.get("theme")
        if not isinstance(theme, str) or not theme.strip():
            raise PromptDataError(f"{pid}: theme is missing")
        _check_bilingual(pid, {"en": item.get("en"), "es": item.get("es")})
        has_en, has_es = "follow_up_en" in item, "follow_up_es" in item
        if has_en != has_es:
            raise PromptDataError(f"{pid}: follow-up must be given in both languages or neither")
        if has_en:
            _check_bilingual(f"{pid}.follow_up", {"en": item["follow_up_en"], "es": item["follow_up_es"]})
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
    return _validate_prompts(_read_json("prompts.json"))


@lru_cache(maxsize=1)
def _by_id() -> dict[str, Prompt]:
    return {p.id: p for p in _all_prompts()}


@lru_cache(maxsize=1)
def _readiness_doc() -> Mapping[str, Any]:
    doc = _read_json("readiness.json")
    if not isinstance(doc, Mapping):
        raise PromptDataError("readiness.json: expected an object")
    for key in ("heading", "intro", "ready"):
        _check_bilingual(f"readiness.{key}", doc.get(key))
    questions = doc.get("questions")
    if not isinstance(questions, list) or not questions:
        raise PromptDataError("readiness.questions: expected a non-empty list")
    ids = set()
    for i, q in enumerate(questions):
        if not isinstance(q, Mapping) or not isinstance(q.get("id"), str):
            raise PromptDataError(f"readiness.questions[{i}]: expected an object with an id")
        if q["id"] in ids:
            raise PromptDataError(f"readiness.questions: duplicate id {q['id']}")
        ids.add(q["id"])
        _check_bilingual(f"readiness.questions.{q['id']}", q)
    answers = doc.get("answers")
    if not isinstance(answers, Mapping) or set(answers) != {"yes", "no"}:
        raise PromptDataError("readiness.answers: expected exactly 'yes' and 'no'")
    for key, value in answers.items():
        _check_bilingual(f"readiness.answers.{key}", value)
    not_tonight = doc.get("not_tonight")
    needed = {"heading", "message", "save_for_later", "lighter_prompt"}
    if not isinstance(not_tonight, Mapping) or not needed <= set(not_tonight):
        raise PromptDataError(f"readiness.not_tonight: needs {sorted(needed)}")
    for key, value in not_tonight.items():
        _check_bilingual(f"readiness.not_tonight.{key}", value)
    return doc


@lru_cache(maxsize=1)
def _guidance_doc() -> Mapping[str, Any]:
    doc = _read_json("guidance.json")
    if not isinstance(doc, Mapping) or not isinstance(doc.get("depths"), Mapping):
        raise PromptDataError("guidance.json: expected an object with 'depths'")
    _check_bilingual("guidance.always", doc.get("always"))
    for depth in DEPTHS:
        entry = doc["depths"].get(str(depth))
        if not isinstance(entry, Mapping):
            raise PromptDataError(f"guidance.depths.{depth}: missing")
        for key in ("label", "about", *ROLES):
            _check_bilingual(f"guidance.depths.{depth}.{key}", entry.get(key))
    return doc


def _reveal_keys() -> frozenset[str]:
    keys = {"differ", "similar"}
    for scale in SCALES:
        keys |= set(_scale_keys(scale).values())
    return frozenset(keys)


@lru_cache(maxsize=1)
def _reveal_doc() -> Mapping[str, Mapping[str, str]]:
    doc = _read_json("reveal_phrases.json")
    if not isinstance(doc, Mapping) or not isinstance(doc.get("phrases"), Mapping):
        raise PromptDataError("reveal_phrases.json: expected an object with 'phrases'")
    phrases = doc["phrases"]
    missing = _reveal_keys() - set(phrases)
    if missing:
        raise PromptDataError(f"reveal_phrases.json: missing keys {sorted(missing)}")
    for key, value in phrases.items():
        _check_bilingual(f"reveal.{key}", value, allowed_fields=frozenset({"name"}))
    return phrases


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
    return _pick(_guidance_doc()["depths"][str(depth)][role], lang)


def depth_label(depth: int, lang: str | None = DEFAULT_LANG) -> str:
    """The depth's short name: "Light", "Closer", "Deep"."""
    if depth not in DEPTHS:
        raise ValueError(f"depth must be one of {DEPTHS}")
    return _pick(_guidance_doc()["depths"][str(depth)]["label"], lang)


def depth_about(depth: int, lang: str | None = DEFAULT_LANG) -> str:
    """What prompts at this depth are about: "everyday things"."""
    if depth not in DEPTHS:
        raise ValueError(f"depth must be one of {DEPTHS}")
    return _pick(_guidance_doc()["depths"][str(depth)]["about"], lang)


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
    needed = _placeholders(template)
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

"""Suggested content for the practice tools, loaded from YAML.

The files in ``nearer/practice/suggestions/*.yaml`` hold closeness-ladder steps, the options
for the "where closeness came to feel unsafe" worksheet, the choices for present-or-past
records and the guided questions of each worksheet, English and Spanish side by side, laid
out for a clinician to review and change (each file's opening comments explain its fields).
Each file is read once, validated loudly (a problem names the file and the entry; the
``nearer`` system check runs this at start-up), and served through accessors that take
``lang`` and fall back to English.

Everything here is a suggestion: people can always write their own wording, so the
database stores either an option id or the person's own (encrypted) text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from nearer import content_files
from nearer.content_files import DEFAULT_LANG, normalise_lang

LADDER_CATEGORIES: tuple[str, ...] = (
    "voice_a_need",
    "stay_present",
    "be_comforted",
    "share",
    "initiate",
    "other",
)
MOMENT_KINDS: tuple[str, ...] = (
    "late_reply",
    "quiet_evening",
    "partner_busy",
    "plans_cancelled",
    "partner_distracted",
    "criticism",
    "other",
)
WORKSHEETS: tuple[str, ...] = ("formulation", "experiment_before", "experiment_after", "present_or_past")
STEP_KINDS: tuple[str, ...] = ("text", "choices", "rated_choices", "rating", "pause")

#: Option groups a worksheet step may draw its choices from.
OPTION_GROUPS: tuple[str, ...] = (
    "ladder_steps",
    "past_closeness",
    "moves",
    "moment_kinds",
    "first_readings",
    "emotions",
)

# The present-or-past record must walk through these steps in this order.
PRESENT_OR_PAST_ORDER: tuple[str, ...] = (
    "what_happened",
    "first_reading",
    "feelings",
    "pause",
    "echo",
    "evidence_for",
    "evidence_against",
    "other_reading",
    "feelings_now",
)

_ID_RE = re.compile(r"^[a-z][a-z0-9_-]*$")
_DATA_PACKAGE = "nearer.practice.suggestions"


class SuggestionDataError(ValueError):
    """A suggestion data file is missing something or is malformed."""


def _choose(en: str | None, es: str | None, lang: str | None) -> str | None:
    if normalise_lang(lang) == "es" and es:
        return es
    return en


@dataclass(frozen=True, slots=True)
class Option:
    id: str
    en: str
    es: str

    def text(self, lang: str | None = DEFAULT_LANG) -> str:
        return _choose(self.en, self.es, lang) or self.en


@dataclass(frozen=True, slots=True)
class LadderStep:
    id: str
    en: str
    es: str
    category: str
    typical_difficulty: int

    def text(self, lang: str | None = DEFAULT_LANG) -> str:
        return _choose(self.en, self.es, lang) or self.en


@dataclass(frozen=True, slots=True)
class ProtectiveMove:
    id: str
    en: str
    es: str
    once_job_en: str
    once_job_es: str
    cost_en: str
    cost_es: str

    def text(self, lang: str | None = DEFAULT_LANG) -> str:
        return _choose(self.en, self.es, lang) or self.en

    def once_job(self, lang: str | None = DEFAULT_LANG) -> str:
        """A gentle example of the job this move may once have done."""
        return _choose(self.once_job_en, self.once_job_es, lang) or self.once_job_en

    def cost(self, lang: str | None = DEFAULT_LANG) -> str:
        """A gentle example of what it may cost now."""
        return _choose(self.cost_en, self.cost_es, lang) or self.cost_en


@dataclass(frozen=True, slots=True)
class WorksheetStep:
    id: str
    kind: str
    en: str
    es: str
    hint_en: str
    hint_es: str
    options: str | None = None
    instruction_en: str | None = None
    instruction_es: str | None = None

    def text(self, lang: str | None = DEFAULT_LANG) -> str:
        return _choose(self.en, self.es, lang) or self.en

    def hint(self, lang: str | None = DEFAULT_LANG) -> str:
        return _choose(self.hint_en, self.hint_es, lang) or self.hint_en

    def instruction(self, lang: str | None = DEFAULT_LANG) -> str | None:
        return _choose(self.instruction_en, self.instruction_es, lang)


@dataclass(frozen=True, slots=True)
class Worksheet:
    name: str
    title_en: str
    title_es: str
    intro_en: str
    intro_es: str
    steps: tuple[WorksheetStep, ...]

    def title(self, lang: str | None = DEFAULT_LANG) -> str:
        return _choose(self.title_en, self.title_es, lang) or self.title_en

    def intro(self, lang: str | None = DEFAULT_LANG) -> str:
        return _choose(self.intro_en, self.intro_es, lang) or self.intro_en

    def step(self, step_id: str) -> WorksheetStep:
        for s in self.steps:
            if s.id == step_id:
                return s
        raise KeyError(f"worksheet {self.name!r} has no step {step_id!r}")


# ---------------------------------------------------------------- loading and checks


def _pair(where: str, item: Mapping[str, Any], en_key: str = "en", es_key: str = "es") -> tuple[str, str]:
    """English and Spanish, both present, the Spanish not a copy; these texts take no placeholders."""
    return content_files.text_pair(where, item, SuggestionDataError, en_key, es_key)


def _items(where: str, value: Any) -> list[Mapping[str, Any]]:
    if not isinstance(value, list) or not value:
        raise SuggestionDataError(f"{where}: expected a list of entries, each starting with '- id:'")
    seen: set[str] = set()
    for i, item in enumerate(value):
        if not isinstance(item, Mapping):
            raise SuggestionDataError(f"{where}, entry number {i + 1}: expected lines like 'id:', 'en:', 'es:' under '- '")
        oid = item.get("id")
        if not isinstance(oid, str) or not _ID_RE.match(oid):
            raise SuggestionDataError(
                f"{where}, entry number {i + 1} (id {oid!r}): an id is lower-case letters, digits, '_' or '-'")
        if oid in seen:
            raise SuggestionDataError(f"{where}: the id {oid} is used twice")
        seen.add(oid)
    return value


def _options(where: str, value: Any) -> tuple[Option, ...]:
    return tuple(Option(item["id"], *_pair(f"{where} {item['id']}", item)) for item in _items(where, value))


def _load(name: str, keys: tuple[str, ...], validate: Any) -> Any:
    def check(doc: Any) -> Any:
        if not isinstance(doc, Mapping) or any(k not in doc for k in keys):
            raise SuggestionDataError(f"expected the sections {', '.join(keys)}")
        return validate(doc)

    return content_files.load(_DATA_PACKAGE, name, SuggestionDataError, check)


def _validate_ladder(doc: Mapping[str, Any]) -> tuple[dict[str, tuple[str, str]], tuple[LadderStep, ...]]:
    cats = doc["categories"]
    if not isinstance(cats, Mapping) or set(cats) != set(LADDER_CATEGORIES):
        raise SuggestionDataError(f"categories: expected exactly {', '.join(LADDER_CATEGORIES)}")
    labels = {key: _pair(f"category {key}", cats[key]) for key in LADDER_CATEGORIES}
    steps = []
    for item in _items("steps", doc["steps"]):
        where = f"step {item['id']}"
        if item.get("category") not in LADDER_CATEGORIES:
            raise SuggestionDataError(
                f"{where}: category {item.get('category')!r} is not one of {', '.join(LADDER_CATEGORIES)}")
        difficulty = item.get("typical_difficulty")
        if not isinstance(difficulty, int) or isinstance(difficulty, bool) or not 0 <= difficulty <= 100:
            raise SuggestionDataError(f"{where}: typical_difficulty must be a whole number from 0 to 100")
        steps.append(LadderStep(item["id"], *_pair(where, item), item["category"], difficulty))
    return labels, tuple(steps)


@lru_cache(maxsize=1)
def _ladder() -> tuple[dict[str, tuple[str, str]], tuple[LadderStep, ...]]:
    return _load("ladder_steps.yaml", ("categories", "steps"), _validate_ladder)


def _validate_protective(doc: Mapping[str, Any]) -> tuple[tuple[Option, ...], tuple[ProtectiveMove, ...]]:
    past = _options("past_closeness", doc["past_closeness"])
    moves = []
    for item in _items("moves", doc["moves"]):
        where = f"move {item['id']}"
        moves.append(
            ProtectiveMove(
                item["id"],
                *_pair(where, item),
                *_pair(where, item, "once_job_en", "once_job_es"),
                *_pair(where, item, "cost_en", "cost_es"),
            )
        )
    return past, tuple(moves)


@lru_cache(maxsize=1)
def _protective() -> tuple[tuple[Option, ...], tuple[ProtectiveMove, ...]]:
    return _load("protective_moves.yaml", ("past_closeness", "moves"), _validate_protective)


def _validate_moments(doc: Mapping[str, Any]) -> tuple[tuple[Option, ...], tuple[Option, ...], tuple[Option, ...]]:
    kinds = _options("kinds", doc["kinds"])
    if tuple(k.id for k in kinds) != MOMENT_KINDS:
        raise SuggestionDataError(f"kinds: expected exactly {', '.join(MOMENT_KINDS)}, in that order")
    return kinds, _options("first_readings", doc["first_readings"]), _options("emotions", doc["emotions"])


@lru_cache(maxsize=1)
def _moments() -> tuple[tuple[Option, ...], tuple[Option, ...], tuple[Option, ...]]:
    return _load("moments.yaml", ("kinds", "first_readings", "emotions"), _validate_moments)


def _worksheet_step(name: str, item: Mapping[str, Any]) -> WorksheetStep:
    where = f"worksheet {name}, step {item['id']}"
    kind = item.get("kind")
    if kind not in STEP_KINDS:
        raise SuggestionDataError(f"{where}: kind {kind!r} is not one of {', '.join(STEP_KINDS)}")
    options = item.get("options")
    if kind in ("choices", "rated_choices") and options not in OPTION_GROUPS:
        raise SuggestionDataError(f"{where}: a choice step needs options, one of {', '.join(OPTION_GROUPS)}")
    if kind not in ("choices", "rated_choices") and options is not None:
        raise SuggestionDataError(f"{where}: only choices and rated_choices steps take options")
    instruction: tuple[str | None, str | None] = (None, None)
    if kind == "pause":
        instruction = _pair(where, item, "instruction_en", "instruction_es")
    return WorksheetStep(
        item["id"],
        kind,
        *_pair(where, item),
        *_pair(where, item, "hint_en", "hint_es"),
        options=options,
        instruction_en=instruction[0],
        instruction_es=instruction[1],
    )


def _validate_worksheets(doc: Mapping[str, Any]) -> dict[str, Worksheet]:
    sheets = doc["worksheets"]
    if not isinstance(sheets, Mapping) or set(sheets) != set(WORKSHEETS):
        raise SuggestionDataError(f"worksheets: expected exactly {', '.join(WORKSHEETS)}")
    out: dict[str, Worksheet] = {}
    for name in WORKSHEETS:
        sheet = sheets[name]
        if not isinstance(sheet, Mapping):
            raise SuggestionDataError(f"worksheet {name}: expected title, intro and steps")
        title = _pair(f"worksheet {name}, title", sheet.get("title") or {})
        intro = _pair(f"worksheet {name}, intro", sheet.get("intro") or {})
        steps = tuple(_worksheet_step(name, item) for item in _items(f"worksheet {name}, steps", sheet.get("steps")))
        out[name] = Worksheet(name, *title, *intro, steps)
    got = tuple(s.id for s in out["present_or_past"].steps if s.id in PRESENT_OR_PAST_ORDER)
    if got != PRESENT_OR_PAST_ORDER:
        raise SuggestionDataError(f"worksheet present_or_past: the steps must include {', '.join(PRESENT_OR_PAST_ORDER)}, "
                                  "in that order")
    return out


@lru_cache(maxsize=1)
def _worksheets() -> dict[str, Worksheet]:
    return _load("worksheet_prompts.yaml", ("worksheets",), _validate_worksheets)


def validate_all() -> None:
    """Load and check every file now (for start-up checks and tests)."""
    _ladder()
    _protective()
    _moments()
    _worksheets()


def clear_cache() -> None:
    for fn in (_ladder, _protective, _moments, _worksheets):
        fn.cache_clear()


# ---------------------------------------------------------------- accessors


def ladder_steps() -> tuple[LadderStep, ...]:
    """Suggested ladder steps, easiest first as listed in the file."""
    return _ladder()[1]


def ladder_step(step_id: str) -> LadderStep:
    for step in ladder_steps():
        if step.id == step_id:
            return step
    raise KeyError(f"unknown ladder step {step_id!r}")


def ladder_category_label(category: str, lang: str | None = DEFAULT_LANG) -> str:
    en, es = _ladder()[0][category]
    return _choose(en, es, lang) or en


def past_closeness_options() -> tuple[Option, ...]:
    return _protective()[0]


def protective_moves() -> tuple[ProtectiveMove, ...]:
    return _protective()[1]


def protective_move(move_id: str) -> ProtectiveMove:
    for move in protective_moves():
        if move.id == move_id:
            return move
    raise KeyError(f"unknown protective move {move_id!r}")


def moment_kinds() -> tuple[Option, ...]:
    return _moments()[0]


def first_readings() -> tuple[Option, ...]:
    return _moments()[1]


def emotion_words() -> tuple[Option, ...]:
    return _moments()[2]


def _group(group: str) -> tuple[Option | LadderStep | ProtectiveMove, ...]:
    groups: dict[str, tuple[Any, ...]] = {
        "ladder_steps": ladder_steps(),
        "past_closeness": past_closeness_options(),
        "moves": protective_moves(),
        "moment_kinds": moment_kinds(),
        "first_readings": first_readings(),
        "emotions": emotion_words(),
    }
    if group not in groups:
        raise KeyError(f"unknown option group {group!r}")
    return groups[group]


def choices(group: str, lang: str | None = DEFAULT_LANG) -> list[tuple[str, str]]:
    """``(id, label)`` pairs for a form field, in file order."""
    return [(item.id, item.text(lang)) for item in _group(group)]


def label(group: str, option_id: str, lang: str | None = DEFAULT_LANG) -> str:
    """The label of one option; ``KeyError`` if the id is unknown."""
    for item in _group(group):
        if item.id == option_id:
            return item.text(lang)
    raise KeyError(f"unknown option {option_id!r} in {group!r}")


def worksheet(name: str) -> Worksheet:
    try:
        return _worksheets()[name]
    except KeyError:
        raise KeyError(f"unknown worksheet {name!r}")


def worksheet_steps(name: str, lang: str | None = DEFAULT_LANG) -> list[dict[str, Any]]:
    """A worksheet's steps resolved to one language, ready for a template.

    Each step is ``{"id", "kind", "text", "hint", "instruction", "options"}``, where
    ``options`` is a list of ``(id, label)`` for choice steps and ``None`` otherwise.
    """
    return [
        {
            "id": s.id,
            "kind": s.kind,
            "text": s.text(lang),
            "hint": s.hint(lang),
            "instruction": s.instruction(lang),
            "options": choices(s.options, lang) if s.options else None,
        }
        for s in worksheet(name).steps
    ]


def is_about_partner(step: LadderStep) -> bool:
    """True for a suggested step that involves the partner (set aside while couple features are paused,
    issue 14). The bank is written for closeness with a partner, so every step counts as one unless it
    names someone else (a therapist, a friend)."""
    text = step.text("en").lower()
    return not any(word in text for word in ("therapist", "friend"))

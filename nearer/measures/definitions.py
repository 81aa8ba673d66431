"""Instrument definitions: FHIR R4 Questionnaires plus a Nearer scoring block.

An instrument definition is one JSON document with two top-level keys::

    {"questionnaire": {... a FHIR R4 Questionnaire ...},
     "scoring": {... how Nearer scores it ...}}

The scoring block sits beside the Questionnaire rather than inside it so the
Questionnaire stays a plain, valid FHIR resource that any FHIR tool accepts.
The format is described for clinics in ``docs/measures-format.md``.

This module is Django-free: the Django layer persists definitions and calls
:func:`load_definition` and :func:`register_instrument` when it starts.
"""

from __future__ import annotations

import json
import math
import re
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

__all__ = [
    "ORDINAL_VALUE_URL",
    "ITEM_WEIGHT_URL",
    "TRANSLATION_URL",
    "Band",
    "ChangeSpec",
    "Cutoff",
    "Flag",
    "Instrument",
    "InstrumentError",
    "Item",
    "Option",
    "BUILTIN_IDS",
    "get_instrument",
    "list_instruments",
    "load_definition",
    "register_instrument",
    "unregister_instrument",
]

ORDINAL_VALUE_URL = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
# The R5 name for the same idea; accepted when reading clinic definitions.
ITEM_WEIGHT_URL = "http://hl7.org/fhir/StructureDefinition/itemWeight"
TRANSLATION_URL = "http://hl7.org/fhir/StructureDefinition/translation"
LOINC_SYSTEM = "http://loinc.org"

BUILTIN_IDS = ("phq9", "phq2", "gad7", "auditc")
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
_METHODS = ("sum", "mean")
_ITEM_TYPES = frozenset(
    "group display boolean decimal integer date dateTime time string text url choice open-choice "
    "attachment reference quantity".split()
)
# Scores are compared with a small tolerance so that means such as 2/3 land in
# the band a person would expect from the printed band edges.
_EPS = 1e-9


class InstrumentError(ValueError):
    """A definition is malformed, or an instrument id is unknown."""


@dataclass(frozen=True)
class Option:
    """One answer option: a coded answer and its numeric weight."""

    code: str
    system: str | None
    display: str | None
    weight: float | None
    translations: Mapping[str, str] = field(default_factory=dict)

    def display_in(self, lang: str | None) -> str:
        """The option's words in ``lang`` when the definition carries an official translation."""
        return str(self.translations.get(_base(lang)) or self.display or self.code)


@dataclass(frozen=True)
class Item:
    """One question of a Questionnaire that takes a coded answer."""

    link_id: str
    text: str
    options: tuple[Option, ...]
    code: tuple[tuple[str | None, str], ...] = ()
    translations: Mapping[str, str] = field(default_factory=dict)

    @property
    def weights(self) -> tuple[float, ...]:
        return tuple(o.weight for o in self.options if o.weight is not None)

    @property
    def min_weight(self) -> float:
        return min(self.weights)

    @property
    def max_weight(self) -> float:
        return max(self.weights)

    def text_in(self, lang: str | None) -> str:
        """The question's words in ``lang`` when the definition carries an official translation."""
        return str(self.translations.get(_base(lang)) or self.text)

    def loinc_code(self) -> str | None:
        for system, code in self.code:
            if system == LOINC_SYSTEM:
                return code
        return None


class Band(tuple[str, str]):
    """A severity band's machine key and English label.

    A ``Band`` compares equal to the plain tuple ``(key, label)``.
    """

    __slots__ = ()

    def __new__(cls, key: str, label: str) -> Band:
        return super().__new__(cls, (key, label))

    @property
    def key(self) -> str:
        return self[0]

    @property
    def label(self) -> str:
        return self[1]


@dataclass(frozen=True)
class BandSpec:
    key: str
    label: str
    min: float
    max: float

    @property
    def band(self) -> Band:
        return Band(self.key, self.label)


@dataclass(frozen=True)
class Flag:
    """A rule that raises a named flag.

    ``kind == "item"``: the flag ``<name>_positive`` is true when the item's
    weight is at least ``at_least``; ``<name>_value`` carries the weight.
    ``kind == "total"``: the flag ``<name>`` is true when the total is at
    least ``at_least``.
    ``critical`` (item flags only): the answer is shown first to the therapist
    (caseload row, top of the client page, session report) whatever the total,
    as PHQ-9 item 9 is.
    """

    name: str
    kind: str
    at_least: float
    link_id: str | None = None
    critical: bool = False


@dataclass(frozen=True)
class Cutoff:
    """The clinical cutoff between the functional and dysfunctional range."""

    value: float
    source: str


@dataclass(frozen=True)
class ChangeSpec:
    """What reliable change needs: a spread (SD) and a reliability (r)."""

    sd: float
    sd_source: str
    r: float
    r_source: str


@dataclass(frozen=True)
class Instrument:
    """A validated instrument definition ready for scoring."""

    id: str
    title: str
    url: str
    version: str | None
    questionnaire: Mapping[str, Any]
    items: Mapping[str, Item]
    scored_items: tuple[str, ...]
    method: str
    reverse_keyed: frozenset[str]
    subscales: Mapping[str, tuple[str, ...]]
    bands: tuple[BandSpec, ...]
    higher_is_better: bool
    cutoff: Cutoff | None
    change: ChangeSpec | None
    flags: tuple[Flag, ...]
    response_fraction: float | None
    remission_below: float | None
    total_code: Mapping[str, str] | None
    observed_items: tuple[str, ...]
    loinc_panel: str | None
    builtin: bool = False
    title_translations: Mapping[str, str] = field(default_factory=dict)

    def title_in(self, lang: str | None) -> str:
        return str(self.title_translations.get(_base(lang)) or self.title)

    def has_language(self, lang: str | None) -> bool:
        """True when every question, every answer and every instruction is translated into ``lang``.

        English (the definitions' own language) is always complete. A partial translation counts as
        none: a questionnaire is never shown half in one language.
        """
        code = _base(lang)
        if code == (self.questionnaire.get("language") or "en").split("-")[0]:
            return True
        for item in self.items.values():
            if code not in item.translations:
                return False
            if any(code not in o.translations for o in item.options if o.weight is not None):
                return False
        return all(code in t for t in self.instruction_translations())

    def language_for(self, lang: str | None) -> str:
        """The language this instrument is shown in for someone whose language is ``lang``."""
        base = (self.questionnaire.get("language") or "en").split("-")[0]
        return _base(lang) if self.has_language(lang) else base

    def instruction_translations(self) -> list[Mapping[str, str]]:
        return [_translations(it.get("_text")) for it in _walk_items(self.questionnaire.get("item") or [])
                if it.get("type") == "display"]

    def instructions_in(self, lang: str | None) -> list[str]:
        """The instrument's instruction lines (display items) in ``lang`` if translated, else as written."""
        code = _base(lang)
        out = []
        for it in _walk_items(self.questionnaire.get("item") or []):
            if it.get("type") == "display":
                out.append(str(_translations(it.get("_text")).get(code) or it.get("text", "")))
        return out

    @property
    def score_range(self) -> tuple[float, float]:
        """The lowest and highest total the scoring method can give."""
        return _range_for(self, self.scored_items)

    @property
    def integer_scores(self) -> bool:
        return self.method == "sum" and all(
            float(w).is_integer() for lid in self.scored_items for w in self.items[lid].weights
        )

    def canonical_urls(self) -> tuple[str, ...]:
        """Canonical URLs a QuestionnaireResponse may use to point at us."""
        urls = [self.url]
        if self.loinc_panel:
            urls.append(f"http://loinc.org/q/{self.loinc_panel}")
        return tuple(urls)


def _range_for(instrument: Instrument, link_ids: Sequence[str]) -> tuple[float, float]:
    lows = [instrument.items[lid].min_weight for lid in link_ids]
    highs = [instrument.items[lid].max_weight for lid in link_ids]
    if instrument.method == "mean":
        return (sum(lows) / len(lows), sum(highs) / len(highs))
    return (float(sum(lows)), float(sum(highs)))


# --------------------------------------------------------------------------
# Loading and validation
# --------------------------------------------------------------------------


def load_definition(source: str | bytes | Mapping[str, Any], *, builtin: bool = False) -> Instrument:
    """Validate an instrument definition and return an :class:`Instrument`.

    Parameters
    ----------
    source
        The definition as a JSON string/bytes or an already parsed mapping with
        the keys ``questionnaire`` and ``scoring``.

    Raises
    ------
    InstrumentError
        With a message naming what is wrong.
    """
    if isinstance(source, str | bytes):
        try:
            data = json.loads(source)
        except json.JSONDecodeError as exc:
            raise InstrumentError(f"the definition is not valid JSON (line {exc.lineno})") from None
    else:
        data = source
    if not isinstance(data, Mapping):
        raise InstrumentError("the definition must be a JSON object")
    extra = set(data) - {"questionnaire", "scoring"}
    if extra:
        raise InstrumentError(f"unexpected top-level key(s): {', '.join(sorted(extra))}")
    q = data.get("questionnaire")
    s = data.get("scoring")
    if not isinstance(q, Mapping):
        raise InstrumentError("missing 'questionnaire' (a FHIR R4 Questionnaire object)")
    if not isinstance(s, Mapping):
        raise InstrumentError("missing 'scoring' (the Nearer scoring block)")
    _validate_fhir_questionnaire(q)
    return _build(q, s, builtin=builtin)


def _validate_fhir_questionnaire(q: Mapping[str, Any]) -> None:
    if q.get("resourceType") != "Questionnaire":
        raise InstrumentError("'questionnaire' must have resourceType 'Questionnaire'")
    # Imported here so that importing nearer.measures stays quick.
    from fhir.resources.R4B.questionnaire import Questionnaire
    from pydantic import ValidationError

    try:
        Questionnaire.model_validate(dict(q))
    except ValidationError as exc:
        problems = []
        for err in exc.errors()[:5]:
            where = ".".join(str(p) for p in err.get("loc", ()))
            problems.append(f"{where or 'Questionnaire'}: {err.get('msg')}")
        raise InstrumentError("the questionnaire is not a valid FHIR R4 Questionnaire: " + "; ".join(problems))
    # The model does not check required code bindings; these two matter to us.
    if q.get("status") not in ("draft", "active", "retired", "unknown"):
        raise InstrumentError("questionnaire.status must be draft, active, retired or unknown")
    for raw in _walk_items(q.get("item") or []):
        if raw.get("type") not in _ITEM_TYPES:
            raise InstrumentError(f"item '{raw.get('linkId')}' has an unknown type '{raw.get('type')}'")


def _weight_of(option: Mapping[str, Any]) -> float | None:
    sources = [option.get("extension") or []]
    coding = option.get("valueCoding")
    if isinstance(coding, Mapping):
        sources.append(coding.get("extension") or [])
    for exts in sources:
        for ext in exts:
            if ext.get("url") in (ORDINAL_VALUE_URL, ITEM_WEIGHT_URL):
                value = ext.get("valueDecimal", ext.get("valueInteger"))
                if isinstance(value, int | float) and not isinstance(value, bool):
                    return float(value)
    return None


def _base(lang: str | None) -> str:
    return (lang or "en").strip().lower().replace("_", "-").split("-", 1)[0]


def _translations(element: Mapping[str, Any] | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for ext in (element or {}).get("extension", []) or []:
        if ext.get("url") != TRANSLATION_URL:
            continue
        parts = {e.get("url"): e for e in ext.get("extension", [])}
        lang = parts.get("lang", {}).get("valueCode")
        content = parts.get("content", {}).get("valueString")
        if lang and content:
            out[lang] = content
    return out


def _walk_items(items: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    out: list[Mapping[str, Any]] = []
    for it in items:
        out.append(it)
        out.extend(_walk_items(it.get("item") or []))
    return out


def _collect_items(q: Mapping[str, Any]) -> dict[str, Item]:
    items: dict[str, Item] = {}
    seen: set[str] = set()
    for raw in _walk_items(q.get("item") or []):
        lid = raw["linkId"]
        if lid in seen:
            raise InstrumentError(f"linkId '{lid}' is used more than once")
        seen.add(lid)
        if raw.get("type") not in ("choice", "coding"):
            continue
        options = []
        for opt in raw.get("answerOption") or []:
            coding = opt.get("valueCoding")
            if not isinstance(coding, Mapping) or not coding.get("code"):
                raise InstrumentError(f"item '{lid}' has an answer option without a valueCoding code")
            options.append(
                Option(
                    code=str(coding["code"]),
                    system=coding.get("system"),
                    display=coding.get("display"),
                    weight=_weight_of(opt),
                    translations=_translations(coding.get("_display")),
                )
            )
        codes = [o.code for o in options]
        if len(set(codes)) != len(codes):
            raise InstrumentError(f"item '{lid}' lists the same answer code twice")
        items[lid] = Item(
            link_id=lid,
            text=str(raw.get("text") or ""),
            options=tuple(options),
            code=tuple((c.get("system"), str(c.get("code"))) for c in raw.get("code") or []),
            translations=_translations(raw.get("_text")),
        )
    return items


def _number(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InstrumentError(f"{what} must be a number")
    return float(value)


def _source(value: Any, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InstrumentError(f"{what} needs a source (a non-empty string saying where the value comes from)")
    return value.strip()


def _link_list(value: Any, items: Mapping[str, Item], what: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise InstrumentError(f"{what} must be a non-empty list of linkIds")
    for lid in value:
        if lid not in items:
            raise InstrumentError(f"{what} names linkId '{lid}', which is not an item")
    if len(set(value)) != len(value):
        raise InstrumentError(f"{what} lists a linkId twice")
    return tuple(str(v) for v in value)


_SCORING_KEYS = {
    "method",
    "items",
    "reverse_keyed",
    "subscales",
    "bands",
    "higher_is_better",
    "clinical_cutoff",
    "reliable_change",
    "flags",
    "response",
    "remission",
    "total_code",
    "observed_items",
    "notes",
}


def _build(q: Mapping[str, Any], s: Mapping[str, Any], *, builtin: bool) -> Instrument:
    unknown = set(s) - _SCORING_KEYS
    if unknown:
        raise InstrumentError(f"unknown key(s) in scoring: {', '.join(sorted(unknown))}")

    iid = q.get("id")
    if not isinstance(iid, str) or not _ID_RE.match(iid):
        raise InstrumentError(
            "questionnaire.id must be a short lowercase id (letters, digits, hyphens), e.g. 'couple-closeness'"
        )
    url = q.get("url")
    if not isinstance(url, str) or not url:
        raise InstrumentError("questionnaire.url (its canonical URL) is required")
    title = q.get("title") or q.get("name") or iid

    items = _collect_items(q)
    if not items:
        raise InstrumentError("the questionnaire has no choice items to score")

    scored = _link_list(s["items"], items, "scoring.items") if "items" in s else tuple(items)
    for lid in scored:
        item = items[lid]
        if not item.options:
            raise InstrumentError(f"scored item '{lid}' has no answer options")
        missing = [o.code for o in item.options if o.weight is None]
        if missing:
            raise InstrumentError(
                f"scored item '{lid}' has answer option(s) without a weight "
                f"(ordinalValue extension): {', '.join(missing)}"
            )

    method = s.get("method", "sum")
    if method not in _METHODS:
        raise InstrumentError(f"scoring.method must be 'sum' or 'mean', not '{method}'")

    reverse: tuple[str, ...] = ()
    if s.get("reverse_keyed"):
        reverse = _link_list(s["reverse_keyed"], items, "scoring.reverse_keyed")
        for lid in reverse:
            if lid not in scored:
                raise InstrumentError(f"reverse-keyed item '{lid}' is not one of the scored items")

    subscales: dict[str, tuple[str, ...]] = {}
    raw_sub = s.get("subscales") or {}
    if not isinstance(raw_sub, Mapping):
        raise InstrumentError("scoring.subscales must map a subscale name to a list of linkIds")
    for name, lids in raw_sub.items():
        subscales[str(name)] = _link_list(lids, items, f"subscale '{name}'")
        for lid in subscales[name]:
            if lid not in scored:
                raise InstrumentError(f"subscale '{name}' names linkId '{lid}', which is not a scored item")

    hib = s.get("higher_is_better", False)
    if not isinstance(hib, bool):
        raise InstrumentError("scoring.higher_is_better must be true or false")

    instrument = Instrument(
        id=iid,
        title=str(title),
        title_translations=_translations(q.get("_title")),
        url=url,
        version=q.get("version"),
        questionnaire=q,
        items=items,
        scored_items=scored,
        method=method,
        reverse_keyed=frozenset(reverse),
        subscales=subscales,
        bands=(),
        higher_is_better=hib,
        cutoff=None,
        change=None,
        flags=(),
        response_fraction=None,
        remission_below=None,
        total_code=None,
        observed_items=(),
        loinc_panel=_loinc_panel(q),
        builtin=builtin,
    )
    lo, hi = instrument.score_range
    bands = _bands(s.get("bands"), lo, hi, instrument.integer_scores)
    cutoff = _cutoff(s.get("clinical_cutoff"), lo, hi)
    change = _change(s.get("reliable_change"))
    flags = _flags(s.get("flags"), items, scored)
    response = _optional_fraction(s.get("response"))
    if response is not None and hib:
        raise InstrumentError("scoring.response (a relative drop) only applies when higher_is_better is false")
    remission = _optional_remission(s.get("remission"), lo, hi)
    total_code = _total_code(s.get("total_code"))
    observed = _link_list(s["observed_items"], items, "scoring.observed_items") if s.get("observed_items") else ()
    return _replace(
        instrument,
        bands=bands,
        cutoff=cutoff,
        change=change,
        flags=flags,
        response_fraction=response,
        remission_below=remission,
        total_code=total_code,
        observed_items=observed,
    )


def _replace(inst: Instrument, **changes: Any) -> Instrument:
    from dataclasses import replace

    return replace(inst, **changes)


def _loinc_panel(q: Mapping[str, Any]) -> str | None:
    for c in q.get("code") or []:
        if c.get("system") == LOINC_SYSTEM and c.get("code"):
            return str(c["code"])
    return None


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def _bands(raw: Any, lo: float, hi: float, integer: bool) -> tuple[BandSpec, ...]:
    if not isinstance(raw, list) or not raw:
        raise InstrumentError("scoring.bands must be a non-empty list of {key, label, min, max}")
    specs = []
    for i, b in enumerate(raw):
        if not isinstance(b, Mapping):
            raise InstrumentError(f"band {i + 1} must be an object")
        key, label = b.get("key"), b.get("label")
        if not isinstance(key, str) or not key or not isinstance(label, str) or not label:
            raise InstrumentError(f"band {i + 1} needs a 'key' and a 'label'")
        bmin = _number(b.get("min"), f"band '{key}' min")
        bmax = _number(b.get("max"), f"band '{key}' max")
        if bmin > bmax:
            raise InstrumentError(f"band '{key}' has min {_fmt(bmin)} above max {_fmt(bmax)}")
        specs.append(BandSpec(key, label, bmin, bmax))
    keys = [b.key for b in specs]
    if len(set(keys)) != len(keys):
        raise InstrumentError("two bands share the same key")
    specs.sort(key=lambda b: b.min)
    if abs(specs[0].min - lo) > _EPS:
        raise InstrumentError(
            f"the bands start at {_fmt(specs[0].min)} but the lowest possible score is {_fmt(lo)}"
        )
    if abs(specs[-1].max - hi) > _EPS:
        raise InstrumentError(
            f"the bands end at {_fmt(specs[-1].max)} but the highest possible score is {_fmt(hi)}"
        )
    # Integer scores: bands are inclusive integer ranges, the next starts one
    # above the last. Continuous scores (means): the next starts exactly where
    # the last ends, and a score on the edge belongs to the upper band.
    step = 1.0 if integer else 0.0
    for prev, nxt in zip(specs, specs[1:], strict=False):
        expected = prev.max + step
        if nxt.min > expected + _EPS:
            raise InstrumentError(
                f"there is a gap between band '{prev.key}' (ends {_fmt(prev.max)}) "
                f"and band '{nxt.key}' (starts {_fmt(nxt.min)})"
            )
        if nxt.min < expected - _EPS:
            raise InstrumentError(f"band '{prev.key}' and band '{nxt.key}' overlap")
    return tuple(specs)


def _cutoff(raw: Any, lo: float, hi: float) -> Cutoff | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        raise InstrumentError("scoring.clinical_cutoff must be an object with 'value' and 'source'")
    if "value" in raw:
        value = _number(raw["value"], "clinical_cutoff.value")
    else:
        # Jacobson & Truax criterion c from two populations' means and SDs.
        from .change import jacobson_truax_cutoff

        try:
            value = jacobson_truax_cutoff(
                _number(raw.get("functional_mean"), "clinical_cutoff.functional_mean"),
                _number(raw.get("functional_sd"), "clinical_cutoff.functional_sd"),
                _number(raw.get("dysfunctional_mean"), "clinical_cutoff.dysfunctional_mean"),
                _number(raw.get("dysfunctional_sd"), "clinical_cutoff.dysfunctional_sd"),
            )
        except ValueError as exc:
            raise InstrumentError(f"clinical_cutoff: {exc}") from None
    if not lo <= value <= hi:
        raise InstrumentError(f"clinical_cutoff {_fmt(value)} lies outside the score range {_fmt(lo)}–{_fmt(hi)}")
    return Cutoff(value=value, source=_source(raw.get("source"), "clinical_cutoff"))


def _change(raw: Any) -> ChangeSpec | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        raise InstrumentError("scoring.reliable_change must be an object with sd, sd_source, r, r_source")
    sd = _number(raw.get("sd"), "reliable_change.sd")
    if sd <= 0:
        raise InstrumentError("reliable_change.sd must be greater than 0")
    r = _number(raw.get("r"), "reliable_change.r")
    if not 0 < r < 1:
        raise InstrumentError("reliable_change.r must be between 0 and 1 (exclusive)")
    return ChangeSpec(
        sd=sd,
        sd_source=_source(raw.get("sd_source"), "reliable_change.sd"),
        r=r,
        r_source=_source(raw.get("r_source"), "reliable_change.r"),
    )


def _flags(raw: Any, items: Mapping[str, Item], scored: Sequence[str]) -> tuple[Flag, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise InstrumentError("scoring.flags must be a list")
    out = []
    for f in raw:
        name = f.get("name") if isinstance(f, Mapping) else None
        if not isinstance(name, str) or not re.match(r"^[a-z][a-z0-9_]*$", name):
            raise InstrumentError("each flag needs a 'name' of lowercase letters, digits and underscores")
        kind = f.get("kind")
        at_least = _number(f.get("at_least"), f"flag '{name}' at_least")
        critical = f.get("critical", False)
        if not isinstance(critical, bool):
            raise InstrumentError(f"flag '{name}' critical must be true or false")
        if critical and kind != "item":
            raise InstrumentError(f"flag '{name}': only an item flag can be critical")
        if kind == "item":
            lid = f.get("linkId")
            if lid not in items:
                raise InstrumentError(f"flag '{name}' names linkId '{lid}', which is not an item")
            out.append(Flag(name, "item", at_least, str(lid), critical))
        elif kind == "total":
            out.append(Flag(name, "total", at_least))
        else:
            raise InstrumentError(f"flag '{name}' kind must be 'item' or 'total'")
    return tuple(out)


def _optional_fraction(raw: Any) -> float | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        raise InstrumentError("scoring.response must be an object like {\"min_relative_drop\": 0.5}")
    frac = _number(raw.get("min_relative_drop"), "response.min_relative_drop")
    if not 0 < frac <= 1:
        raise InstrumentError("response.min_relative_drop must be above 0 and at most 1")
    return frac


def _optional_remission(raw: Any, lo: float, hi: float) -> float | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        raise InstrumentError("scoring.remission must be an object like {\"below\": 5}")
    below = _number(raw.get("below"), "remission.below")
    if not lo < below <= hi:
        raise InstrumentError("remission.below must lie inside the score range")
    return below


def _total_code(raw: Any) -> Mapping[str, str] | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping) or not raw.get("system") or not raw.get("code"):
        raise InstrumentError("scoring.total_code must be a coding with 'system' and 'code'")
    return {k: str(v) for k, v in raw.items() if k in ("system", "code", "display")}


# --------------------------------------------------------------------------
# Registry
# --------------------------------------------------------------------------

_lock = threading.RLock()
_registry: dict[str, Instrument] = {}
_builtins_loaded = False


def _load_builtins() -> None:
    global _builtins_loaded
    with _lock:
        if _builtins_loaded:
            return
        pkg = resources.files("nearer.measures") / "instruments"
        for iid in BUILTIN_IDS:
            text = (pkg / f"{iid}.json").read_text(encoding="utf-8")
            inst = load_definition(text, builtin=True)
            if inst.id != iid:
                raise InstrumentError(f"built-in file {iid}.json declares id '{inst.id}'")
            _registry[iid] = inst
        _builtins_loaded = True


def get_instrument(instrument_id: str) -> Instrument:
    """Return the registered instrument with this id."""
    _load_builtins()
    try:
        return _registry[instrument_id]
    except KeyError:
        raise InstrumentError(f"unknown instrument '{instrument_id}'") from None


def list_instruments() -> list[Instrument]:
    """All registered instruments, built-in ones first, then by id."""
    _load_builtins()
    with _lock:
        return sorted(_registry.values(), key=lambda i: (not i.builtin, i.id))


def register_instrument(instrument: Instrument | str | bytes | Mapping[str, Any], *, replace: bool = False) -> Instrument:
    """Add a clinic-supplied instrument to the in-process registry.

    Accepts an :class:`Instrument` or anything :func:`load_definition` takes.
    Built-in ids cannot be replaced; another id can be replaced only with
    ``replace=True`` (used when a clinic uploads a new version).
    """
    _load_builtins()
    inst = instrument if isinstance(instrument, Instrument) else load_definition(instrument)
    with _lock:
        existing = _registry.get(inst.id)
        if existing is not None:
            if existing.builtin:
                raise InstrumentError(f"'{inst.id}' is a built-in instrument and cannot be replaced")
            if not replace:
                raise InstrumentError(f"an instrument with id '{inst.id}' is already registered")
        for other in _registry.values():
            if other.id != inst.id and set(other.canonical_urls()) & set(inst.canonical_urls()):
                raise InstrumentError(f"instrument '{other.id}' already uses the canonical URL '{inst.url}'")
        _registry[inst.id] = inst
    return inst


def unregister_instrument(instrument_id: str) -> None:
    """Remove a clinic-supplied instrument (built-ins stay)."""
    _load_builtins()
    with _lock:
        inst = _registry.get(instrument_id)
        if inst is None:
            raise InstrumentError(f"unknown instrument '{instrument_id}'")
        if inst.builtin:
            raise InstrumentError(f"'{instrument_id}' is a built-in instrument and cannot be removed")
        del _registry[instrument_id]


def find_by_canonical(canonical: str) -> Instrument:
    """Find the instrument a QuestionnaireResponse's ``questionnaire`` points at."""
    base = canonical.split("|", 1)[0]
    for inst in list_instruments():
        if base in inst.canonical_urls():
            return inst
    raise InstrumentError("the questionnaire this response answers is not a known instrument")

"""Scoring of instrument answers (Django-free).

``score("phq9", {"44250-9": "LA6570-1", "44255-8": 2, ...})`` returns a
:class:`ScoreResult`. Answers may be given as the answer code (for the PHQ and
GAD-7 these are LOINC ``LA`` codes) or as the weight itself.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .definitions import Band, Instrument, Item, get_instrument

__all__ = ["ScoreResult", "ScoringError", "score", "score_instrument", "answer_weight"]

_EPS = 1e-9


class ScoringError(ValueError):
    """The answers cannot be scored. The message names the item (linkId).

    Messages never repeat the answer that was given, only which item is wrong.
    """

    def __init__(self, message: str, link_id: str | None = None) -> None:
        super().__init__(message)
        self.link_id = link_id


@dataclass(frozen=True)
class ScoreResult:
    """The result of scoring one administration.

    Attributes
    ----------
    instrument_id
        Which instrument was scored.
    total
        The total score (an ``int`` for sums of whole-number weights, else a ``float``).
    band
        ``Band(key, label)``; compares equal to the tuple ``(key, label)``.
    subscales
        Subscale name to subscale score, scored with the same method as the total.
    flags
        Named flags, e.g. ``item9_positive`` / ``item9_value`` for the PHQ-9 and
        ``suggest_phq9`` for the PHQ-2.
    answered
        linkId to the (unreversed) weight of the chosen answer, for every item
        answered, scored or not (the PHQ-9 difficulty question is asked, not scored).
    in_clinical_range
        Whether the total is on the clinical side of the cutoff, if the
        instrument has one.
    """

    instrument_id: str
    total: int | float
    band: Band
    subscales: dict[str, int | float] = field(default_factory=dict)
    flags: dict[str, Any] = field(default_factory=dict)
    answered: dict[str, int | float] = field(default_factory=dict)
    in_clinical_range: bool | None = None


def _as_number(w: float) -> int | float:
    return int(w) if float(w).is_integer() else w


def answer_weight(item: Item, value: Any) -> float:
    """Turn one answer (an answer code or a weight) into the item's weight."""
    lid = item.link_id
    if isinstance(value, bool) or value is None:
        raise ScoringError(f"the answer for item '{lid}' must be an answer code or a number", lid)
    if isinstance(value, str):
        text = value.strip()
        for opt in item.options:
            if opt.code == text:
                if opt.weight is None:
                    raise ScoringError(f"the answer chosen for item '{lid}' has no weight", lid)
                return opt.weight
        try:
            number = float(text)
        except ValueError:
            raise ScoringError(f"the answer for item '{lid}' is not one of its answer codes", lid) from None
    elif isinstance(value, int | float):
        number = float(value)
    else:
        raise ScoringError(f"the answer for item '{lid}' must be an answer code or a number", lid)
    if not math.isfinite(number):
        raise ScoringError(f"the answer for item '{lid}' is out of range", lid)
    for w in item.weights:
        if abs(w - number) < _EPS:
            return w
    raise ScoringError(
        f"the answer for item '{lid}' is out of range (allowed weights: "
        f"{', '.join(str(_as_number(w)) for w in item.weights)})",
        lid,
    )


def _aggregate(inst: Instrument, weights: Mapping[str, float], link_ids: tuple[str, ...]) -> int | float:
    values = []
    for lid in link_ids:
        w = weights[lid]
        if lid in inst.reverse_keyed:
            item = inst.items[lid]
            w = item.min_weight + item.max_weight - w
        values.append(w)
    total = sum(values)
    if inst.method == "mean":
        return total / len(values)
    return _as_number(round(total, 9))


def band_for(inst: Instrument, total: float) -> Band:
    """The band that holds ``total``; on a shared edge the upper band wins."""
    chosen = None
    for spec in inst.bands:  # sorted by min
        if total >= spec.min - _EPS:
            chosen = spec
    if chosen is None or total > inst.bands[-1].max + _EPS:
        raise ScoringError("the total lies outside the instrument's bands")
    if inst.integer_scores and total > chosen.max + _EPS:
        raise ScoringError("the total lies outside the instrument's bands")
    return chosen.band


def is_clinical(inst: Instrument, total: float) -> bool | None:
    """Whether ``total`` lies on the clinical (dysfunctional) side of the cutoff."""
    if inst.cutoff is None:
        return None
    if inst.higher_is_better:
        return total < inst.cutoff.value
    return total > inst.cutoff.value


def score_instrument(inst: Instrument, answers: Mapping[str, Any]) -> ScoreResult:
    """Score ``answers`` against an :class:`Instrument` object."""
    if not isinstance(answers, Mapping):
        raise ScoringError("answers must map each linkId to an answer")
    weights: dict[str, float] = {}
    for lid, value in answers.items():
        item = inst.items.get(lid)
        if item is None:
            raise ScoringError(f"'{lid}' is not an item of {inst.id}", str(lid))
        if value is None and lid not in inst.scored_items:
            continue  # an optional, unscored question left blank
        if not item.weights:
            raise ScoringError(f"item '{lid}' takes no weighted answers", lid)
        weights[lid] = answer_weight(item, value)
    missing = [lid for lid in inst.scored_items if lid not in weights]
    if missing:
        raise ScoringError(
            f"missing answer(s) for required item(s): {', '.join(missing)}",
            missing[0],
        )

    total = _aggregate(inst, weights, inst.scored_items)
    subscales = {name: _aggregate(inst, weights, lids) for name, lids in inst.subscales.items()}
    flags: dict[str, Any] = {}
    for flag in inst.flags:
        if flag.kind == "item":
            assert flag.link_id is not None
            w = weights.get(flag.link_id)
            flags[f"{flag.name}_value"] = None if w is None else _as_number(w)
            flags[f"{flag.name}_positive"] = w is not None and w >= flag.at_least - _EPS
        else:
            flags[flag.name] = total >= flag.at_least - _EPS
    return ScoreResult(
        instrument_id=inst.id,
        total=total,
        band=band_for(inst, total),
        subscales=subscales,
        flags=flags,
        answered={lid: _as_number(w) for lid, w in weights.items()},
        in_clinical_range=is_clinical(inst, total),
    )


def score(instrument_id: str, answers: Mapping[str, Any]) -> ScoreResult:
    """Score one administration of a registered instrument.

    Parameters
    ----------
    instrument_id
        ``"phq9"``, ``"phq2"``, ``"gad7"`` or a registered clinic instrument.
    answers
        linkId to the chosen answer code (``"LA6568-5"``) or weight (``0``, ``"0"``).

    Raises
    ------
    ScoringError
        For an unknown item, an answer outside the item's options, or a
        missing scored item; the message names the linkId.
    InstrumentError
        For an unknown instrument id.
    """
    return score_instrument(get_instrument(instrument_id), answers)

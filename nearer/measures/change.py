"""Reliable and clinically significant change (Jacobson & Truax 1991). Django-free.

``S_diff = SD * sqrt(2) * sqrt(1 - r)`` and ``RC = (post - pre) / S_diff``.
A change is reliable when ``|RC| > 1.96``. The sign of ``RC`` is always
``post - pre``; whether a rise is an improvement depends on the instrument's
``higher_is_better`` flag (for the PHQ-9 and GAD-7 a fall is an improvement).

"Recovered" means a reliable improvement that also crosses the clinical
cutoff: the first score on the clinical side, the second on the other.
"Response" and "remission" are reported only from a baseline in the clinical range.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from .definitions import Instrument, get_instrument
from .scoring import ScoreResult, is_clinical

__all__ = [
    "RC_CRITICAL",
    "ChangeError",
    "ChangeResult",
    "jacobson_truax_cutoff",
    "reliable_change",
    "reliable_change_for",
    "s_diff",
]

RC_CRITICAL = 1.96

ChangeLabel = Literal["reliable_improvement", "no_reliable_change", "reliable_deterioration"]


class ChangeError(ValueError):
    """Reliable change cannot be computed (e.g. the instrument has no SD/r)."""


@dataclass(frozen=True)
class ChangeResult:
    """Reliable change between two administrations of one instrument.

    ``index`` is ``(after - before) / s_diff``. ``sd``/``r`` and their sources
    record exactly which values were used. ``response`` and ``remission`` are
    ``None`` for instruments without those conventions (only the PHQ-9 has them
    among the built-ins).
    """

    instrument_id: str
    before: float
    after: float
    index: float
    label: ChangeLabel
    recovered: bool
    s_diff: float
    sd: float
    r: float
    sd_source: str
    r_source: str
    cutoff: float | None
    cutoff_source: str | None
    response: bool | None
    remission: bool | None

    @property
    def reliable(self) -> bool:
        return self.label != "no_reliable_change"


def s_diff(sd: float, r: float) -> float:
    """Standard error of the difference: ``SD * sqrt(2) * sqrt(1 - r)``."""
    if not (sd > 0 and math.isfinite(sd)):
        raise ChangeError("SD must be a positive number")
    if not 0 < r < 1:
        raise ChangeError("the reliability r must be between 0 and 1")
    return sd * math.sqrt(2.0) * math.sqrt(1.0 - r)


def jacobson_truax_cutoff(functional_mean: float, functional_sd: float,
                          dysfunctional_mean: float, dysfunctional_sd: float) -> float:
    """Criterion c: ``(SD0*M1 + SD1*M0) / (SD0 + SD1)``.

    Index 0 is the functional (non-clinical) population, 1 the dysfunctional
    (clinical) one. The result lies between the two means, weighted towards the
    mean of the population with the smaller spread.
    """
    if functional_sd <= 0 or dysfunctional_sd <= 0:
        raise ValueError("both population SDs must be greater than 0")
    return (functional_sd * dysfunctional_mean + dysfunctional_sd * functional_mean) / (
        functional_sd + dysfunctional_sd
    )


def _total(value: float | int | ScoreResult, instrument_id: str) -> float:
    if isinstance(value, ScoreResult):
        if value.instrument_id != instrument_id:
            raise ChangeError("both scores must come from the same instrument")
        return float(value.total)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ChangeError("scores must be numbers or ScoreResult objects")
    return float(value)


def reliable_change_for(inst: Instrument, before: float | int | ScoreResult,
                        after: float | int | ScoreResult) -> ChangeResult:
    """Reliable change for an :class:`Instrument` object."""
    if inst.change is None:
        raise ChangeError(
            f"{inst.id} has no SD and reliability on record, so reliable change is not computed for it"
        )
    pre = _total(before, inst.id)
    post = _total(after, inst.id)
    lo, hi = inst.score_range
    for v in (pre, post):
        if not lo - 1e-9 <= v <= hi + 1e-9:
            raise ChangeError(f"a score lies outside the {inst.id} range")
    sdiff = s_diff(inst.change.sd, inst.change.r)
    rc = (post - pre) / sdiff
    # Improvement is a fall for lower-is-better scales, a rise otherwise.
    improvement = rc if inst.higher_is_better else -rc
    label: ChangeLabel
    if improvement > RC_CRITICAL:
        label = "reliable_improvement"
    elif improvement < -RC_CRITICAL:
        label = "reliable_deterioration"
    else:
        label = "no_reliable_change"

    recovered = False
    if label == "reliable_improvement" and inst.cutoff is not None:
        recovered = bool(is_clinical(inst, pre)) and not is_clinical(inst, post)

    # "Response" and "remission" describe recovery from a clinical starting point: from a baseline
    # outside the clinical range (or on a scale without a cutoff) neither applies, so both are None.
    from_clinical = bool(is_clinical(inst, pre))
    response: bool | None = None
    if inst.response_fraction is not None and from_clinical:  # only allowed when lower is better
        response = pre > 0 and (pre - post) >= inst.response_fraction * pre - 1e-9
    remission: bool | None = None
    if inst.remission_below is not None and from_clinical:
        remission = post < inst.remission_below

    return ChangeResult(
        instrument_id=inst.id,
        before=pre,
        after=post,
        index=rc,
        label=label,
        recovered=recovered,
        s_diff=sdiff,
        sd=inst.change.sd,
        r=inst.change.r,
        sd_source=inst.change.sd_source,
        r_source=inst.change.r_source,
        cutoff=None if inst.cutoff is None else inst.cutoff.value,
        cutoff_source=None if inst.cutoff is None else inst.cutoff.source,
        response=response,
        remission=remission,
    )


def reliable_change(instrument_id: str, before: float | int | ScoreResult,
                    after: float | int | ScoreResult) -> ChangeResult:
    """Reliable change between two totals (or :class:`ScoreResult` objects).

    Never compare across instruments: both scores must come from ``instrument_id``.
    """
    return reliable_change_for(get_instrument(instrument_id), before, after)

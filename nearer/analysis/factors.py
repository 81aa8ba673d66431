"""What goes with harder days: mood on days with and without a factor.

For one person's diary.  Binary factors (a stressor present or not) give a
Welch difference of mean mood with a t interval; continuous factors (sleep
hours, exercise minutes) give the least-squares slope of mood on the factor
with a t interval, plus the same split at the person's median so the page
can say "on days with more sleep than usual".  "Next day" compares the mood
of the following calendar day, using consecutive days only.

A factor is compared only with at least :data:`FACTOR_MIN_DAYS_EACH_SIDE`
(7) days with it and 7 without: with fewer, a difference of a point or two
turns up by chance too often to be worth showing a person.

These are associations within one person's days.  They are not causes, and
daily mood is autocorrelated, so the intervals are somewhat optimistic; the
pages present them as patterns to look at, never as findings.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._welch import (
    MIN_DAYS_EACH_SIDE,
    MeanDifference,
    _t_ppf,
    next_day_index,
    sort_unique_days,
    welch_difference,
)

#: "What goes with harder days" shows a factor only with at least this many days with it and without it.
FACTOR_MIN_DAYS_EACH_SIDE = 7

__all__ = [
    "FACTOR_MIN_DAYS_EACH_SIDE",
    "MIN_DAYS_EACH_SIDE",
    "FactorKind",
    "FactorResult",
    "Slope",
    "binary_factor",
    "continuous_factor",
    "factor_effects",
]


class FactorKind(enum.StrEnum):
    BINARY = "binary"
    CONTINUOUS = "continuous"


@dataclass(frozen=True)
class Slope:
    """Change in mood per unit of the factor, with a t interval (NaN when not estimable)."""

    slope: float
    low: float
    high: float
    n: int


@dataclass(frozen=True)
class FactorResult:
    """One factor, same day and next day.

    For a continuous factor, ``same_day``/``next_day`` compare days above the
    person's median of the factor ("with") against days at or below it
    ("without"), and ``same_day_slope``/``next_day_slope`` hold the slope.
    ``sufficient`` mirrors ``same_day.sufficient`` (by default at least
:data:`FACTOR_MIN_DAYS_EACH_SIDE` days each side).
    """

    kind: FactorKind
    same_day: MeanDifference
    next_day: MeanDifference
    same_day_slope: Slope | None = None
    next_day_slope: Slope | None = None

    @property
    def sufficient(self) -> bool:
        return self.same_day.sufficient


def _slope(x: NDArray[np.float64], y: NDArray[np.float64], level: float) -> Slope:
    ok = np.isfinite(x) & np.isfinite(y)
    x, y = x[ok], y[ok]
    n = int(x.size)
    nan = float("nan")
    if n < 3:
        return Slope(nan, nan, nan, n)
    xc = x - x.mean()
    sxx = float(xc @ xc)
    if sxx <= 1e-12 * max(1.0, float(np.abs(x).max()) ** 2):
        return Slope(nan, nan, nan, n)
    b = float(xc @ (y - y.mean())) / sxx
    resid = y - y.mean() - b * xc
    se = float(np.sqrt((resid @ resid) / (n - 2) / sxx))
    q = _t_ppf(0.5 + level / 2.0, n - 2)
    return Slope(b, b - q * se, b + q * se, n)


def _prepare(day: ArrayLike, mood: ArrayLike, factor: ArrayLike) -> tuple[NDArray, NDArray, NDArray, NDArray]:
    d, m, f = sort_unique_days(np.asarray(day), np.asarray(mood, dtype=float), np.asarray(factor, dtype=float))
    nxt = next_day_index(d)
    m_next = np.where(nxt >= 0, m[np.maximum(nxt, 0)], np.nan) if d.size else np.zeros(0)
    return d, m, f, m_next


def binary_factor(
    day: ArrayLike, mood: ArrayLike, present: ArrayLike, *, level: float = 0.90,
    min_each_side: int = FACTOR_MIN_DAYS_EACH_SIDE,
) -> FactorResult:
    """Mood on days with a factor minus mood on days without it.

    Parameters
    ----------
    day : array_like of int
        Day numbers (unique, any order).
    mood : array_like of float
        Mood 0-10, NaN where missing.
    present : array_like
        1/True when the factor was present that day, 0/False when not, NaN
        when not recorded (such days are left out).
    level : float, default 0.90
    min_each_side : int, default :data:`FACTOR_MIN_DAYS_EACH_SIDE`
        Days needed with the factor and without it before a difference is estimated.

    Returns
    -------
    FactorResult
        ``next_day`` compares the mood of the next calendar day (days whose
        next day was not answered are left out).
    """
    _, m, f, m_next = _prepare(day, mood, present)
    known = np.isfinite(f)
    yes = known & (f != 0)
    no = known & (f == 0)
    return FactorResult(
        FactorKind.BINARY,
        welch_difference(m[yes], m[no], level, min_each_side=min_each_side),
        welch_difference(m_next[yes], m_next[no], level, min_each_side=min_each_side),
    )


def continuous_factor(
    day: ArrayLike, mood: ArrayLike, amount: ArrayLike, *, level: float = 0.90,
    min_each_side: int = FACTOR_MIN_DAYS_EACH_SIDE,
) -> FactorResult:
    """Slope of mood on a continuous factor, and a split at the person's median.

    Days above the person's median amount are "with", days at or below it
    "without" (so a factor that barely varies is never sufficient).
    """
    _, m, f, m_next = _prepare(day, mood, amount)
    known = np.isfinite(f)
    med = float(np.median(f[known])) if known.any() else float("nan")
    high = known & (f > med)
    low = known & (f <= med)
    return FactorResult(
        FactorKind.CONTINUOUS,
        welch_difference(m[high], m[low], level, min_each_side=min_each_side),
        welch_difference(m_next[high], m_next[low], level, min_each_side=min_each_side),
        _slope(f, m, level),
        _slope(f, m_next, level),
    )


def factor_effects(
    day: ArrayLike,
    mood: ArrayLike,
    binary: Mapping[str, ArrayLike] | None = None,
    continuous: Mapping[str, ArrayLike] | None = None,
    *,
    level: float = 0.90,
    min_each_side: int = FACTOR_MIN_DAYS_EACH_SIDE,
) -> dict[str, FactorResult]:
    """All factors at once, keyed by the caller's factor keys (e.g. stressor codes)."""
    out: dict[str, FactorResult] = {}
    for key, values in (binary or {}).items():
        out[key] = binary_factor(day, mood, values, level=level, min_each_side=min_each_side)
    for key, values in (continuous or {}).items():
        out[key] = continuous_factor(day, mood, values, level=level, min_each_side=min_each_side)
    return out

"""Welch difference of two means with a t interval (shared by factors and compare)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray


def _t_ppf(q: float, df: float) -> float:
    """Student t quantile for any positive (also fractional) df: ``scipy.stats.t.ppf`` without importing scipy.stats.

    ``scipy.stats`` took about 1 s (several under load) of every server start through the URL
    configuration; ``scipy.special.stdtrit`` is the function ``t.ppf`` calls, imported on first use.
    """
    from scipy import special

    return float(special.stdtrit(df, q))


#: A comparison is reported only with at least this many days on each side.
MIN_DAYS_EACH_SIDE = 3


@dataclass(frozen=True)
class MeanDifference:
    """Difference ``mean_with - mean_without`` with a two-sided t interval.

    When ``sufficient`` is False (fewer than the required days, by default
    :data:`MIN_DAYS_EACH_SIDE`, on either side) ``difference``, ``low`` and ``high`` are NaN so nothing can be
    shown by accident; the counts are always filled in.
    """

    difference: float
    low: float
    high: float
    mean_with: float
    mean_without: float
    n_with: int
    n_without: int
    sufficient: bool
    level: float = 0.90


def welch_difference(
    with_values: ArrayLike, without_values: ArrayLike, level: float = 0.90, *, min_each_side: int = MIN_DAYS_EACH_SIDE
) -> MeanDifference:
    """Welch-Satterthwaite difference of means of two samples (NaNs ignored).

    ``min_each_side`` (at least 2) is the number of values each sample needs before anything is
    estimated; below it the result is not ``sufficient`` and its numbers are NaN.
    """
    if min_each_side < 2:
        raise ValueError("min_each_side must be at least 2 (a variance needs two values)")
    a = np.asarray(with_values, dtype=float)
    b = np.asarray(without_values, dtype=float)
    a = a[np.isfinite(a)]
    b = b[np.isfinite(b)]
    na, nb = int(a.size), int(b.size)
    mean_a = float(a.mean()) if na else float("nan")
    mean_b = float(b.mean()) if nb else float("nan")
    if na < min_each_side or nb < min_each_side:
        nan = float("nan")
        return MeanDifference(nan, nan, nan, mean_a, mean_b, na, nb, False, level)
    va, vb = a.var(ddof=1) / na, b.var(ddof=1) / nb
    se = float(np.sqrt(va + vb))
    diff = mean_a - mean_b
    if se == 0.0:
        # Both groups constant: the difference is exact as far as these days go.
        return MeanDifference(diff, diff, diff, mean_a, mean_b, na, nb, True, level)
    df = (va + vb) ** 2 / (va**2 / (na - 1) + vb**2 / (nb - 1))
    q = _t_ppf(0.5 + level / 2.0, df)
    return MeanDifference(diff, diff - q * se, diff + q * se, mean_a, mean_b, na, nb, True, level)


def next_day_index(day: NDArray[np.int64]) -> NDArray[np.intp]:
    """For sorted, unique day numbers: index of the row for ``day + 1``, or -1 when absent."""
    pos = np.searchsorted(day, day + 1)
    pos_c = np.minimum(pos, max(day.size - 1, 0))
    ok = (pos < day.size) & (day[pos_c] == day + 1) if day.size else np.zeros(0, bool)
    return np.where(ok, pos_c, -1)


def sort_unique_days(day: NDArray, *columns: NDArray) -> tuple[NDArray, ...]:
    """Sort one person's rows by day; raise on a repeated day."""
    d = np.asarray(day, dtype=np.int64)
    order = np.argsort(d, kind="stable")
    d = d[order]
    if d.size > 1 and np.any(d[1:] == d[:-1]):
        raise ValueError("a day appears more than once")
    return (d, *(np.asarray(c)[order] for c in columns))

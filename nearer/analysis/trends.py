"""Rolling medians with a band over a daily series with gaps, and a summary of the change.

Words stay out of here: :func:`summarise_trend` returns numbers and a small
:class:`Direction` enum, and the Django layer writes the sentence.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from numpy.typing import ArrayLike, NDArray

from ._welch import sort_unique_days

__all__ = ["Direction", "RollingTrend", "TrendSummary", "rolling_median", "summarise_trend"]


@dataclass(frozen=True)
class RollingTrend:
    """A rolling median over every calendar day from the first to the last answered day.

    Attributes
    ----------
    day : ndarray of int, shape (n,)
        Every day number in the range (no gaps).
    value : ndarray, shape (n,)
        The day's own answer (NaN when missing).
    median, low, high : ndarray, shape (n,)
        Median and the band (``band`` percentiles) of the answers in the
        trailing window ending on that day; NaN when fewer than ``min_count``
        answers fall in the window.
    n_in_window : ndarray of int, shape (n,)
    window, min_count : int
    band : (float, float)
    """

    day: NDArray[np.int64]
    value: NDArray[np.float64]
    median: NDArray[np.float64]
    low: NDArray[np.float64]
    high: NDArray[np.float64]
    n_in_window: NDArray[np.int64]
    window: int
    min_count: int
    band: tuple[float, float]


def _grid(day: ArrayLike, values: ArrayLike) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    d, v = sort_unique_days(np.asarray(day), np.asarray(values, dtype=float))
    keep = np.isfinite(v)
    d, v = d[keep], v[keep]
    if d.size == 0:
        return np.zeros(0, np.int64), np.zeros(0)
    grid_day = np.arange(d[0], d[-1] + 1, dtype=np.int64)
    grid = np.full(grid_day.size, np.nan)
    grid[d - d[0]] = v
    return grid_day, grid


def rolling_median(
    day: ArrayLike,
    values: ArrayLike,
    *,
    window: int = 7,
    min_count: int = 4,
    band: tuple[float, float] = (25.0, 75.0),
) -> RollingTrend:
    """Trailing rolling median and percentile band of a daily series with gaps.

    Parameters
    ----------
    day : array_like of int
        Day numbers (any order, unique).
    values : array_like of float
        Answers, NaN where missing.
    window : int, default 7
        Window length in calendar days (the day itself and the ``window - 1``
        days before it: trailing, so a point never uses later days).
    min_count : int, default 4
        Fewest answers in the window for a median to be shown.
    band : (float, float), default (25, 75)
        Percentiles of the band.

    Returns
    -------
    RollingTrend
    """
    if window < 1 or min_count < 1 or min_count > window:
        raise ValueError("need 1 <= min_count <= window")
    grid_day, grid = _grid(day, values)
    n = grid.size
    padded = np.concatenate([np.full(window - 1, np.nan), grid])
    win = sliding_window_view(padded, window) if n else np.zeros((0, window))
    count = np.sum(np.isfinite(win), axis=1).astype(np.int64)
    ok = count >= min_count
    med = np.full(n, np.nan)
    lo = np.full(n, np.nan)
    hi = np.full(n, np.nan)
    if ok.any():
        sel = win[ok]
        med[ok] = np.nanmedian(sel, axis=1)
        lo[ok], hi[ok] = np.nanpercentile(sel, band, axis=1)
    return RollingTrend(grid_day, grid, med, lo, hi, count, window, min_count, band)


class Direction(enum.StrEnum):
    """Direction of change between the first and the last stretch."""

    UP = "up"
    DOWN = "down"
    STEADY = "steady"
    NOT_ENOUGH = "not_enough"


@dataclass(frozen=True)
class TrendSummary:
    """Numbers for a one-sentence summary of a series.

    The window runs from ``first_day`` to ``last_day`` (inclusive): by
    default the first and the last answered day, or the bounds passed to
    :func:`summarise_trend`.  ``first_median`` is over the first
    ``span_days`` calendar days of the window, ``last_median`` over its last
    ``span_days``.  ``direction`` is NOT_ENOUGH when the two stretches would
    overlap or either has fewer than ``min_count`` answers.
    """

    first_median: float
    last_median: float
    change: float
    direction: Direction
    n_first: int
    n_last: int
    first_day: int | None
    last_day: int | None
    span_days: int


def summarise_trend(
    day: ArrayLike,
    values: ArrayLike,
    *,
    span_days: int = 14,
    min_count: int = 7,
    steady_within: float = 0.5,
    start_day: int | None = None,
    end_day: int | None = None,
) -> TrendSummary:
    """Compare the median of the first and the last stretch of a series.

    Parameters
    ----------
    day, values : array_like
        As for :func:`rolling_median`.
    span_days : int, default 14
        Length of each stretch in calendar days.
    min_count : int, default 7
        Fewest answers needed in each stretch.
    steady_within : float, default 0.5
        Changes of at most this many points count as STEADY.
    start_day, end_day : int, optional
        Day numbers bounding the window (inclusive); answers outside it are
        ignored.  By default the window runs from the first to the last
        answered day.  Pass them to measure relative to a fixed date, so a
        missed day at either end does not shift the stretches: "the last 4
        weeks against the 4 weeks before" is ``end_day=today``,
        ``start_day=today - 55``, ``span_days=28``.

    Returns
    -------
    TrendSummary

    Raises
    ------
    ValueError
        If ``start_day`` is after ``end_day``, or ``span_days`` is below 1.
    """
    if span_days < 1:
        raise ValueError("span_days must be at least 1")
    if start_day is not None and end_day is not None and start_day > end_day:
        raise ValueError("start_day must not be after end_day")
    d, v = sort_unique_days(np.asarray(day), np.asarray(values, dtype=float))
    keep = np.isfinite(v)
    d, v = d[keep], v[keep]
    if start_day is not None:
        start_day = int(start_day)
        keep = d >= start_day
        d, v = d[keep], v[keep]
    if end_day is not None:
        end_day = int(end_day)
        keep = d <= end_day
        d, v = d[keep], v[keep]
    nan = float("nan")
    fd = start_day if start_day is not None else (int(d[0]) if d.size else None)
    ld = end_day if end_day is not None else (int(d[-1]) if d.size else None)
    if fd is None or ld is None:
        return TrendSummary(nan, nan, nan, Direction.NOT_ENOUGH, 0, 0, fd, ld, span_days)
    first = v[d < fd + span_days]
    last = v[d > ld - span_days]
    n_first, n_last = int(first.size), int(last.size)
    first_med = float(np.median(first)) if n_first else nan
    last_med = float(np.median(last)) if n_last else nan
    if ld - fd + 1 < 2 * span_days or n_first < min_count or n_last < min_count:
        return TrendSummary(first_med, last_med, nan, Direction.NOT_ENOUGH, n_first, n_last, fd, ld, span_days)
    change = last_med - first_med
    if abs(change) <= steady_within:
        direction = Direction.STEADY
    else:
        direction = Direction.UP if change > 0 else Direction.DOWN
    return TrendSummary(first_med, last_med, change, direction, n_first, n_last, fd, ld, span_days)

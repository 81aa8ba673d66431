"""Layout of a compact forest chart: one row per estimate, a point and its interval, a zero line.

Used by "What goes with harder days".  The scale is symmetric around zero so that "no
difference" always sits in the middle of every row and the axis words ("lower mood",
"higher mood") can be plain page text at the two ends.  Pure arithmetic: the page turns the
numbers into SVG.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = ["NICE_LIMITS", "ForestRow", "ForestScale", "forest_rows", "forest_scale"]

#: The half-width of the scale is the smallest of these that holds every interval (mood is 0-10,
#: so a difference of mood never exceeds 10; anything wider is clipped and flagged).
NICE_LIMITS: tuple[float, ...] = (1.0, 2.0, 3.0, 5.0, 10.0)


@dataclass(frozen=True)
class ForestScale:
    """A symmetric scale ``[-limit, limit]`` drawn from ``left`` to ``right`` (drawing units)."""

    limit: float
    left: float
    right: float

    @property
    def zero(self) -> float:
        return (self.left + self.right) / 2.0

    def x(self, value: float) -> float:
        """Drawing position of ``value``, clipped to the ends of the scale."""
        v = min(max(float(value), -self.limit), self.limit)
        return self.zero + v / self.limit * (self.right - self.left) / 2.0


@dataclass(frozen=True)
class ForestRow:
    """Positions of one row.  ``clear`` is True when the interval leaves out zero."""

    x_low: float
    x_estimate: float
    x_high: float
    clipped_low: bool
    clipped_high: bool
    clear: bool


def forest_scale(
    lows: Iterable[float], highs: Iterable[float], *, left: float = 0.0, right: float = 100.0,
    limits: Sequence[float] = NICE_LIMITS,
) -> ForestScale:
    """The smallest symmetric scale from ``limits`` that holds every finite interval end.

    Parameters
    ----------
    lows, highs : iterable of float
        Interval ends; NaN and infinite values are ignored.
    left, right : float
        Drawing positions of ``-limit`` and ``+limit``.
    limits : sequence of float
        Increasing candidate half-widths; the last one is used when nothing smaller fits.

    Returns
    -------
    ForestScale
    """
    if right <= left:
        raise ValueError("right must be greater than left")
    if not limits:
        raise ValueError("limits must not be empty")
    ends = [abs(float(v)) for v in (*lows, *highs) if math.isfinite(float(v))]
    widest = max(ends, default=0.0)
    limit = next((c for c in limits if widest <= c), limits[-1])
    return ForestScale(float(limit), float(left), float(right))


def forest_rows(
    estimates: Sequence[tuple[float, float, float]], scale: ForestScale
) -> list[ForestRow]:
    """Positions for ``(estimate, low, high)`` triples on ``scale``."""
    out = []
    for est, low, high in estimates:
        if low > high:
            raise ValueError("an interval's low end is above its high end")
        out.append(ForestRow(
            x_low=scale.x(low), x_estimate=scale.x(est), x_high=scale.x(high),
            clipped_low=low < -scale.limit, clipped_high=high > scale.limit,
            clear=bool(low > 0 or high < 0),
        ))
    return out

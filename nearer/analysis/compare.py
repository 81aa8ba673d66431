"""Days after an event versus other days (e.g. mood after a personal talk).

The comparison is descriptive: the mean mood on days that follow an event
within ``within_days`` days against the mean on all other answered days,
with a Welch t interval.  Daily mood is autocorrelated and events are not
assigned at random, so the pages word it as "on days after..., your mood
tended to...", never as an effect of the event.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ._welch import MIN_DAYS_EACH_SIDE, MeanDifference, sort_unique_days, welch_difference

__all__ = ["MIN_DAYS_EACH_SIDE", "MeanDifference", "days_after_event"]


def days_after_event(
    day: ArrayLike,
    mood: ArrayLike,
    event_days: ArrayLike,
    *,
    within_days: int = 1,
    level: float = 0.90,
) -> MeanDifference:
    """Mean mood on days after an event minus mean mood on other days.

    Parameters
    ----------
    day : array_like of int
        Day numbers of the diary rows (unique, any order).
    mood : array_like of float
        Mood 0-10, NaN where missing (left out).
    event_days : array_like of int
        Day numbers on which the event happened (duplicates are fine).
    within_days : int, default 1
        A day counts as "after" when an event happened 1 to ``within_days``
        days before it.  The event day itself is not an "after" day.
    level : float, default 0.90

    Returns
    -------
    MeanDifference
        ``*_with`` is the after-event days.  ``sufficient`` needs at least
        :data:`MIN_DAYS_EACH_SIDE` answered days on each side; otherwise the
        difference and interval are NaN.
    """
    if within_days < 1:
        raise ValueError("within_days must be at least 1")
    d, m = sort_unique_days(np.asarray(day), np.asarray(mood, dtype=float))
    events = np.unique(np.asarray(event_days, dtype=np.int64))
    after = np.zeros(d.size, dtype=bool)
    for lag in range(1, within_days + 1):
        after |= np.isin(d - lag, events)
    answered = np.isfinite(m)
    return welch_difference(m[answered & after], m[answered & ~after], level)

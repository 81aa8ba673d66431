"""Trends, "what goes with harder days" and days-after-event comparisons."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from nearer.analysis.compare import days_after_event
from nearer.analysis.factors import (
    FACTOR_MIN_DAYS_EACH_SIDE,
    binary_factor,
    continuous_factor,
    factor_effects,
)
from nearer.analysis.trends import Direction, rolling_median, summarise_trend


def test_rolling_median_with_gaps_and_min_count():
    day = np.array([10, 11, 12, 14, 15, 16, 17, 30])
    vals = np.array([1, 2, 3, 4, 5, 6, 7, 9], dtype=float)
    tr = rolling_median(day[::-1], vals[::-1], window=7, min_count=4)  # order does not matter
    np.testing.assert_array_equal(tr.day, np.arange(10, 31))
    assert np.isnan(tr.value[3])  # day 13 missing
    # Day 13 window (7..13) holds 1,2,3: too few.  Day 14 holds 1,2,3,4 -> median 2.5.
    assert np.isnan(tr.median[3]) and tr.n_in_window[3] == 3
    np.testing.assert_allclose(tr.median[4], 2.5)
    np.testing.assert_allclose([tr.low[4], tr.high[4]], np.percentile([1, 2, 3, 4], [25, 75]))
    # Day 16 window (10..16) holds 1..6 -> 3.5
    np.testing.assert_allclose(tr.median[6], 3.5)
    # Day 30 stands alone.
    assert np.isnan(tr.median[-1]) and tr.n_in_window[-1] == 1


def test_rolling_median_empty_and_all_missing():
    assert rolling_median([], []).day.size == 0
    assert rolling_median([1, 2], [np.nan, np.nan]).median.size == 0
    with pytest.raises(ValueError):
        rolling_median([1, 1], [2, 3])


def test_summarise_trend_directions():
    day = np.arange(42)
    up = np.r_[np.full(14, 3.0), np.full(14, 5.0), np.full(14, 7.0)]
    s = summarise_trend(day, up)
    assert s.direction is Direction.UP and s.first_median == 3 and s.last_median == 7 and s.change == 4
    assert summarise_trend(day, up[::-1]).direction is Direction.DOWN
    flat = np.r_[np.full(21, 5.0), np.full(21, 5.4)]
    assert summarise_trend(day, flat).direction is Direction.STEADY
    short = summarise_trend(day[:20], up[:20])
    assert short.direction is Direction.NOT_ENOUGH and np.isnan(short.change)
    sparse = up.copy()
    sparse[1:10] = np.nan  # first answer on day 0, then only 5 in the first two weeks
    assert summarise_trend(day, sparse).direction is Direction.NOT_ENOUGH
    assert summarise_trend([], []).direction is Direction.NOT_ENOUGH


def test_summarise_trend_with_explicit_window_is_relative_to_today():
    today = 1000
    day = np.arange(today - 55, today + 1)  # 8 weeks ending today
    values = np.r_[np.full(28, 4.0), np.full(28, 6.0)]
    values[0] = np.nan  # the first day of the window was missed
    values[1:5] = np.nan
    # From the first answered day the stretches slide by 5 days and the
    # comparison mixes the two halves; with explicit bounds it does not.
    loose = summarise_trend(day, values, span_days=28, min_count=7)
    assert loose.direction is Direction.NOT_ENOUGH and loose.first_day == today - 50
    s = summarise_trend(day, values, span_days=28, min_count=7, start_day=today - 55, end_day=today)
    assert s.direction is Direction.UP
    assert (s.first_median, s.last_median, s.change) == (4.0, 6.0, 2.0)
    assert (s.n_first, s.n_last, s.first_day, s.last_day) == (23, 28, today - 55, today)


def test_summarise_trend_window_ignores_answers_outside_and_counts_missing_today():
    day = np.arange(0, 60)
    values = np.r_[np.full(4, 9.0), np.full(28, 5.0), np.full(28, 5.2)]
    s = summarise_trend(day, values, span_days=28, start_day=4, end_day=59)
    assert s.direction is Direction.STEADY and s.n_first == 28 and s.first_median == 5.0
    # Today not answered yet: the last stretch still ends today, with one answer fewer.
    t = summarise_trend(day[:-1], values[:-1], span_days=28, start_day=4, end_day=59)
    assert t.n_last == 27 and t.last_day == 59
    # Too short a window for two stretches.
    assert summarise_trend(day, values, span_days=28, start_day=10, end_day=59).direction is Direction.NOT_ENOUGH
    # No answers inside the window at all.
    empty = summarise_trend(day, values, span_days=7, start_day=100, end_day=130)
    assert empty.direction is Direction.NOT_ENOUGH and empty.n_first == empty.n_last == 0
    assert (empty.first_day, empty.last_day) == (100, 130)
    with pytest.raises(ValueError):
        summarise_trend(day, values, start_day=10, end_day=9)


def test_summarise_trend_default_window_equals_answered_range():
    rng = np.random.default_rng(12)
    day = np.arange(3, 70)
    values = rng.integers(0, 11, day.size).astype(float)
    values[rng.random(day.size) < 0.3] = np.nan
    values[:2] = np.nan
    first, last = day[np.isfinite(values)][[0, -1]]
    assert summarise_trend(day, values) == summarise_trend(day, values, start_day=int(first), end_day=int(last))


def test_binary_factor_same_and_next_day_and_sufficiency():
    rng = np.random.default_rng(3)
    n = 120
    day = np.arange(n)
    stress = rng.random(n) < 0.3
    mood = 6 + rng.normal(0, 1, n)
    mood -= 1.5 * stress  # same day
    mood[1:] -= 1.0 * stress[:-1]  # next day
    res = binary_factor(day, mood, stress.astype(float))
    assert res.sufficient
    assert res.same_day.low < -1.5 < res.same_day.high
    assert res.next_day.low < -1.0 < res.next_day.high
    assert res.same_day.n_with == stress.sum()
    # Next day: only days whose next day exists (the last day has none).
    assert res.next_day.n_with + res.next_day.n_without == n - 1


def test_binary_factor_needs_seven_days_each_side():
    day = np.arange(20)
    mood = np.arange(20, dtype=float)
    present = np.zeros(20)
    present[[1, 3, 5, 7, 9, 11]] = 1  # 6 days with, 14 without: one short
    res = binary_factor(day, mood, present)
    assert FACTOR_MIN_DAYS_EACH_SIDE == 7
    assert not res.sufficient and res.same_day.n_with == 6 and res.same_day.n_without == 14
    assert np.isnan(res.same_day.difference) and np.isnan(res.same_day.low)
    present[13] = 1  # 7 with, 13 without
    assert binary_factor(day, mood, present).sufficient


def test_binary_factor_needs_seven_days_without_too():
    day = np.arange(20)
    mood = np.arange(20, dtype=float)
    present = np.ones(20)
    present[[0, 4, 8, 12, 16, 19]] = 0  # 14 with, 6 without
    res = binary_factor(day, mood, present)
    assert not res.sufficient and (res.same_day.n_with, res.same_day.n_without) == (14, 6)
    present[2] = 0  # 13 with, 7 without
    res = binary_factor(day, mood, present)
    assert res.sufficient and (res.same_day.n_with, res.same_day.n_without) == (13, 7)
    without = [0, 2, 4, 8, 12, 16, 19]
    with_days = [d for d in range(20) if d not in without]
    assert_allclose(res.same_day.difference, np.mean(with_days) - np.mean(without), rtol=0, atol=1e-12)


def test_continuous_factor_needs_seven_days_above_and_at_or_below_the_median():
    day = np.arange(13)
    mood = np.linspace(2, 8, 13)
    sleep = np.arange(1.0, 14.0)  # median 7: 6 days above, 7 at or below
    res = continuous_factor(day, mood, sleep)
    assert (res.same_day.n_with, res.same_day.n_without) == (6, 7) and not res.sufficient
    res = continuous_factor(np.arange(14), np.linspace(2, 8, 14), np.append(sleep, 14.0))  # median 7.5: 7 and 7
    assert (res.same_day.n_with, res.same_day.n_without) == (7, 7) and res.sufficient


def test_threshold_can_be_lowered_for_other_comparisons_but_not_below_two():
    day = np.arange(10)
    present = np.zeros(10)
    present[[2, 5, 7]] = 1
    assert binary_factor(day, np.arange(10.0), present, min_each_side=3).sufficient
    with pytest.raises(ValueError):
        binary_factor(day, np.arange(10.0), present, min_each_side=1)


def test_next_day_uses_consecutive_days_only():
    day = np.array([1, 2, 4, 5, 7, 8, 10, 11])
    mood = np.array([5, 2, 5, 2, 5, 2, 5, 9], dtype=float)
    present = np.array([1, 0, 1, 0, 1, 0, 0, 0], dtype=float)
    res = binary_factor(day, mood, present, min_each_side=3)
    # With: days 1,4,7 -> next days 2,5,8 (mood 2).  Without: day 10 -> 11 (9); days 2,5,8 have no next day.
    assert res.next_day.n_with == 3 and res.next_day.n_without == 1
    assert not res.next_day.sufficient


def test_continuous_factor_slope_and_median_split():
    rng = np.random.default_rng(5)
    n = 200
    sleep = rng.normal(7, 1, n)
    mood = 2 + 0.5 * sleep + rng.normal(0, 0.8, n)
    res = continuous_factor(np.arange(n), mood, sleep)
    assert res.same_day_slope is not None
    assert res.same_day_slope.low < 0.5 < res.same_day_slope.high
    assert res.sufficient and res.same_day.difference > 0
    flat = continuous_factor(np.arange(20), mood[:20], np.full(20, 7.0))
    assert not flat.sufficient and np.isnan(flat.same_day_slope.slope)


def test_factor_effects_keys():
    day = np.arange(30)
    mood = np.linspace(3, 7, 30)
    out = factor_effects(day, mood, binary={"work": day % 2}, continuous={"sleep_hours": day % 5})
    assert set(out) == {"work", "sleep_hours"}


def test_days_after_event_recovers_known_effect():
    rng = np.random.default_rng(12)
    n = 180
    day = np.arange(n)
    talks = np.flatnonzero(rng.random(n) < 0.2)
    mood = 5 + rng.normal(0, 1, n)
    after = np.isin(day - 1, talks)
    mood[after] += 0.8
    mood[rng.random(n) < 0.15] = np.nan
    res = days_after_event(day, mood, talks)
    assert res.sufficient
    assert res.low < 0.8 < res.high
    assert res.low > 0
    assert res.n_with == int(np.sum(after & ~np.isnan(mood)))


def test_days_after_event_too_few_and_window():
    day = np.arange(20)
    mood = np.full(20, 5.0)
    res = days_after_event(day, mood, [3, 8])
    assert not res.sufficient and res.n_with == 2 and np.isnan(res.difference)
    res2 = days_after_event(day, mood, [3, 8], within_days=2)
    assert res2.n_with == 4 and res2.sufficient and res2.difference == 0.0
    with pytest.raises(ValueError):
        days_after_event(day, mood, [3], within_days=0)

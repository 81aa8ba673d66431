"""Chart geometry: days before the chart's start warm up the median but are never drawn."""

from datetime import date, timedelta

import numpy as np

from nearer.diary.queries import LEFT, W, chart_geometry


def test_points_before_start_are_not_drawn():
    start, end = date(2026, 10, 1), date(2026, 10, 28)
    days = [start - timedelta(days=6) + timedelta(days=i) for i in range(34)]  # 6 days before start
    day = np.array([d.toordinal() for d in days], dtype=np.int64)
    values = np.full(day.size, 5.0)
    geo = chart_geometry(day, values, start, end)
    assert len(geo["points"]) == 28  # start..end only
    assert min(p["x"] for p in geo["points"]) == LEFT
    assert max(p["x"] for p in geo["points"]) <= W
    # The warm-up days still count towards the rolling median drawn from the first day.
    assert geo["lines"] and geo["lines"][0].startswith(f"M{float(LEFT)} ")

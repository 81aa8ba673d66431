"""The forest chart's scale and rows, and the loop diagram's arrow geometry."""

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose

from nearer.analysis.forest import forest_rows, forest_scale
from nearer.analysis.loop_geometry import Circle, curved_arrow, point_on_circle, sample_curve, triangle_points


def test_scale_is_the_smallest_nice_symmetric_limit_holding_every_interval():
    assert forest_scale([-0.4], [0.9]).limit == 1.0
    assert forest_scale([-1.2], [0.3]).limit == 2.0
    assert forest_scale([-2.5, 0.1], [-0.2, 2.9]).limit == 3.0
    assert forest_scale([-4.0], [1.0]).limit == 5.0
    assert forest_scale([-12.0], [1.0]).limit == 10.0  # wider than any mood difference: clipped
    assert forest_scale([], []).limit == 1.0
    assert forest_scale([float("nan")], [float("inf")]).limit == 1.0
    with pytest.raises(ValueError):
        forest_scale([0.0], [1.0], left=10, right=10)


def test_zero_sits_in_the_middle_and_values_map_linearly():
    s = forest_scale([-1.5], [0.5], left=10, right=290)
    assert s.limit == 2.0 and s.zero == 150.0
    assert_allclose([s.x(-2.0), s.x(-1.0), s.x(0.0), s.x(1.0), s.x(2.0)], [10, 80, 150, 220, 290], rtol=0, atol=1e-12)
    assert s.x(-7.0) == 10.0 and s.x(7.0) == 290.0


def test_rows_place_point_and_interval_and_say_when_zero_is_left_out():
    s = forest_scale([-1.5, -0.5, -12.0], [-0.5, 0.8, 0.2], left=0, right=100)
    rows = forest_rows([(-1.0, -1.5, -0.5), (0.1, -0.5, 0.8), (-3.0, -12.0, 0.2)], s)
    assert s.limit == 10.0
    assert_allclose([rows[0].x_low, rows[0].x_estimate, rows[0].x_high], [42.5, 45.0, 47.5], rtol=0, atol=1e-12)
    assert rows[0].clear and not rows[1].clear and not rows[2].clear
    assert rows[2].clipped_low and rows[2].x_low == 0.0 and not rows[2].clipped_high
    for r in rows:
        assert r.x_low <= r.x_estimate <= r.x_high
    with pytest.raises(ValueError):
        forest_rows([(0.0, 1.0, -1.0)], s)


C1, C2 = Circle(85, 125, 40), Circle(235, 125, 40)


def _min_clearance(points, circles):
    return min(float(np.min(np.hypot(points[:, 0] - c.cx, points[:, 1] - c.cy)) - c.r) for c in circles)


@pytest.mark.parametrize("width", [1.5, 5.0, 8.5])
def test_arrowhead_tip_stops_outside_the_target_circle_and_the_line_meets_the_head(width):
    a = curved_arrow(C1, -50, C2, -130, [(160, 40)], gap=5, head_length=10, head_width=width + 7)
    assert_allclose(math.dist(a.tip, (C2.cx, C2.cy)), C2.r + 5, rtol=0, atol=1e-9)
    assert_allclose(math.dist(a.start, (C1.cx, C1.cy)), C1.r + 5, rtol=0, atol=1e-9)
    assert_allclose(math.dist(a.base, a.tip), 10, rtol=0, atol=1e-9)
    # The line ends at the head's base heading straight at the tip (last control, base, tip collinear).
    (px, py), (bx, by), (tx, ty) = a.controls[-1], a.base, a.tip
    assert_allclose((bx - px) * (ty - by) - (by - py) * (tx - bx), 0.0, atol=1e-9)
    assert_allclose(math.dist(a.head[1], a.head[2]), width + 7, rtol=0, atol=1e-9)
    # No part of the head comes within the circle (or its 2-unit outline).
    assert _min_clearance(triangle_points(a.head), [C1, C2]) > 1.0


def test_point_on_circle_uses_screen_angles():
    assert_allclose(point_on_circle(C1, 0), (125, 125), atol=1e-12)
    assert_allclose(point_on_circle(C1, 90, gap=2), (85, 167), atol=1e-12)


def test_arrow_needs_room_for_its_head_and_one_or_two_controls():
    with pytest.raises(ValueError):
        curved_arrow(C1, 0, C2, 180, [(195, 125)], head_length=10)  # control 0 units from the tip
    with pytest.raises(ValueError):
        curved_arrow(C1, 0, C2, 180, [])


def test_sample_curve_follows_the_bezier_ends():
    a = curved_arrow(C1, -120, C1, 168, [(30, 50), (0, 120)], gap=5)
    pts = sample_curve(a, 50)
    assert pts.shape == (50, 2)
    assert_allclose(pts[0], a.start, atol=1e-12)
    assert_allclose(pts[-1], a.base, atol=1e-12)
    # A cubic's midpoint is (P0 + 3 P1 + 3 P2 + P3) / 8.
    mid = sample_curve(a, 3)[1]
    p = np.array([a.start, *a.controls, a.base])
    assert_allclose(mid, (p[0] + 3 * p[1] + 3 * p[2] + p[3]) / 8, atol=1e-12)

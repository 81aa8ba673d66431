"""Geometry of the loop diagram: curved arrows that end before the circles they point at.

Each arrow is a Bézier curve from a point just outside one circle to the base of an arrowhead;
the arrowhead is drawn as its own triangle whose tip stops ``gap`` outside the target circle.
The curve's last control point, the base and the tip are collinear, so the curve meets the
arrowhead head-on whatever the line's width (a marker scaled by stroke width used to grow into
the circle when the line was thick).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = ["Arrow", "Circle", "curved_arrow", "point_on_circle", "sample_curve", "triangle_points"]

Point = tuple[float, float]


@dataclass(frozen=True)
class Circle:
    cx: float
    cy: float
    r: float


@dataclass(frozen=True)
class Arrow:
    """``path`` is SVG path data for the line; ``head`` the arrowhead triangle (tip first)."""

    start: Point
    controls: tuple[Point, ...]
    base: Point
    tip: Point
    head: tuple[Point, Point, Point]

    @property
    def path(self) -> str:
        cmd = "Q" if len(self.controls) == 1 else "C"
        pts = " ".join(_fmt(p) for p in (*self.controls, self.base))
        return f"M{_fmt(self.start)} {cmd}{pts}"

    @property
    def head_path(self) -> str:
        a, b, c = self.head
        return f"M{_fmt(a)} L{_fmt(b)} L{_fmt(c)} Z"


def _fmt(p: Point) -> str:
    return f"{round(p[0], 2):g} {round(p[1], 2):g}"


def point_on_circle(circle: Circle, degrees: float, gap: float = 0.0) -> Point:
    """The point at ``degrees`` (0 = right, 90 = down, as on screen) and ``gap`` outside the edge."""
    a = math.radians(degrees)
    d = circle.r + gap
    return (circle.cx + d * math.cos(a), circle.cy + d * math.sin(a))


def curved_arrow(
    source: Circle, start_degrees: float, target: Circle, end_degrees: float, controls: Sequence[Point], *,
    gap: float = 4.0, head_length: float = 10.0, head_width: float = 10.0, start_gap: float | None = None,
) -> Arrow:
    """A quadratic (one control point) or cubic (two) arrow from ``source`` to ``target``.

    The tip lies ``gap`` outside ``target`` at ``end_degrees``; the line stops ``head_length``
    before the tip, along the direction from the last control point to the tip.  The line starts
    ``start_gap`` (default ``gap``) outside ``source``: give a thick line half its width more.
    """
    if len(controls) not in (1, 2):
        raise ValueError("an arrow has one or two control points")
    if head_length <= 0 or head_width <= 0:
        raise ValueError("the arrowhead needs a positive length and width")
    start = point_on_circle(source, start_degrees, gap if start_gap is None else start_gap)
    tip = point_on_circle(target, end_degrees, gap)
    last = controls[-1]
    dx, dy = tip[0] - last[0], tip[1] - last[1]
    dist = math.hypot(dx, dy)
    if dist <= head_length:
        raise ValueError("the last control point is too close to the tip for the arrowhead")
    ux, uy = dx / dist, dy / dist
    base = (tip[0] - head_length * ux, tip[1] - head_length * uy)
    nx, ny = -uy * head_width / 2.0, ux * head_width / 2.0
    head = (tip, (base[0] + nx, base[1] + ny), (base[0] - nx, base[1] - ny))
    return Arrow(start, tuple((float(x), float(y)) for x, y in controls), base, tip, head)


def sample_curve(arrow: Arrow, n: int = 200) -> NDArray[np.float64]:
    """``n`` points along the arrow's line (Bernstein form), shape ``(n, 2)``."""
    t = np.linspace(0.0, 1.0, n)[:, None]
    pts = np.array([arrow.start, *arrow.controls, arrow.base], dtype=float)
    if len(pts) == 3:
        w = [(1 - t) ** 2, 2 * (1 - t) * t, t**2]
    else:
        w = [(1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t**2, t**3]
    return np.asarray(sum(wi * p for wi, p in zip(w, pts, strict=True)), dtype=float)


def triangle_points(head: tuple[Point, Point, Point], n: int = 30) -> NDArray[np.float64]:
    """Points filling the triangle (a barycentric grid including the edges), shape ``(m, 2)``."""
    a, b, c = (np.asarray(p, dtype=float) for p in head)
    out = []
    for i in range(n + 1):
        for j in range(n + 1 - i):
            k = n - i - j
            out.append((i * a + j * b + k * c) / n)
    return np.array(out)

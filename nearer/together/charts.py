"""Small server-rendered SVG charts for the couple trend (no scripts, no style attributes)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

W, H = 320, 160
PAD_L, PAD_R, PAD_T, PAD_B = 28, 8, 10, 22
SERIES_CLASSES = ["series-a", "series-b", "series-c", "series-d"]


def _x(i: float, n: float) -> float:
    span = W - PAD_L - PAD_R
    return PAD_L + (span * i / n if n else span / 2)


def _y(v: float, vmax: float) -> float:
    span = H - PAD_T - PAD_B
    return PAD_T + span * (1 - (v / vmax if vmax else 0))


def line_chart(title: str, series: Sequence[tuple[str, Sequence[tuple[date, float]]]], vmax: float = 10) -> SafeString:
    """One line per series over shared dates; 0..vmax on the y axis."""
    days = sorted({d for _, points in series for d, _v in points})
    if not days:
        return mark_safe("")
    first, last = days[0].toordinal(), days[-1].toordinal()
    n = max(last - first, 1)
    parts = [
        f'<svg class="chart" viewBox="0 0 {W} {H}" role="img" aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for v in (0, vmax / 2, vmax):
        y = _y(v, vmax)
        parts.append(f'<line class="grid" x1="{PAD_L}" x2="{W - PAD_R}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ccc" stroke-width="0.5"/>')
        parts.append(f'<text x="{PAD_L - 4}" y="{y + 3:.1f}" text-anchor="end" font-size="9">{v:g}</text>')
    for k, (label, points) in enumerate(series):
        css = SERIES_CLASSES[k % len(SERIES_CLASSES)]
        pts = [(_x(d.toordinal() - first, n), _y(v, vmax)) for d, v in sorted(points)]
        if len(pts) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)
            dash = ' stroke-dasharray="4 3"' if k % 2 else ""
            parts.append(f'<polyline class="{css}" points="{path}" fill="none" stroke="currentColor" stroke-width="2"{dash}/>')
        for x, y in pts:
            shape = f'<circle class="{css}" cx="{x:.1f}" cy="{y:.1f}" r="3" fill="currentColor"/>' if k % 2 == 0 else (
                f'<rect class="{css}" x="{x - 3:.1f}" y="{y - 3:.1f}" width="6" height="6" fill="currentColor"/>'
            )
            parts.append(shape)
        parts.append(f'<text x="{PAD_L + 4 + 110 * k}" y="{H - 4}" font-size="10">{"●" if k % 2 == 0 else "■"} {escape(label)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))


def bar_chart(title: str, bars: Sequence[tuple[str, int]]) -> SafeString:
    """Simple vertical bars, e.g. talks per week."""
    if not bars:
        return mark_safe("")
    vmax = max(max(v for _, v in bars), 1)
    n = len(bars)
    span = W - PAD_L - PAD_R
    width = span / n * 0.7
    parts = [
        f'<svg class="chart" viewBox="0 0 {W} {H}" role="img" aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{PAD_L}" x2="{W - PAD_R}" y1="{_y(0, vmax):.1f}" y2="{_y(0, vmax):.1f}" stroke="#999" stroke-width="0.5"/>',
        f'<text x="{PAD_L - 4}" y="{_y(vmax, vmax) + 3:.1f}" text-anchor="end" font-size="9">{vmax}</text>',
    ]
    for i, (label, v) in enumerate(bars):
        x = PAD_L + span * i / n + (span / n - width) / 2
        y = _y(v, vmax)
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{_y(0, vmax) - y:.1f}" fill="currentColor"/>')
        if n <= 12 or i % 2 == 0:
            parts.append(f'<text x="{x + width / 2:.1f}" y="{H - 6}" text-anchor="middle" font-size="8">{escape(label)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))

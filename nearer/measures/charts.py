"""Server-rendered SVG chart of one instrument's scores over time, with band shading.

No scripts, no style attributes (the CSP forbids them): only SVG presentation attributes.
Each score is a marker whose shape says its change label (circle: first score, the baseline;
triangle down: reliable improvement; square: no reliable change; triangle up: reliable
deterioration), with its total written beside it and a ``<title>`` giving the full label.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from html import escape

from django.utils import formats, timezone
from django.utils.safestring import SafeString, mark_safe

from nearer.measures.definitions import Instrument

# Sized so that on a 360-390 px phone the text is drawn at about its nominal size.
W, H = 360, 220
LEFT, RIGHT, TOP, BOTTOM = 30, 8, 14, 30
# Pale fills from calm to warm; the band names sit at the left edge inside each band.
_FILLS = ["#e8f3ea", "#f3f6e4", "#fbf3dc", "#fbe9dc", "#f8e0df", "#f3dce8", "#e6e1f3"]


@dataclass(frozen=True)
class Point:
    at: datetime
    total: float
    label: str  # "" (baseline), "reliable_improvement", "no_reliable_change", "reliable_deterioration"
    title: str  # full accessible description of this point


def _fmt(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:.2f}"


def _marker(x: float, y: float, label: str) -> str:
    if label == "reliable_improvement":
        return f'<path d="M{x - 6:.1f},{y - 4:.1f} L{x + 6:.1f},{y - 4:.1f} L{x:.1f},{y + 6:.1f} Z" fill="#2e6b3a"/>'
    if label == "reliable_deterioration":
        return f'<path d="M{x - 6:.1f},{y + 4:.1f} L{x + 6:.1f},{y + 4:.1f} L{x:.1f},{y - 6:.1f} Z" fill="#a3262a"/>'
    if label == "no_reliable_change":
        return f'<rect x="{x - 4.5:.1f}" y="{y - 4.5:.1f}" width="9" height="9" fill="#4a5565"/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="#2f5d8a"/>'


def render(inst: Instrument, points: list[Point], *, title: str, band_names: dict[str, str]) -> SafeString:
    """The chart as SVG markup. ``title`` is the one-sentence summary (used as the accessible name)."""
    lo, hi = inst.score_range
    span = (hi - lo) or 1.0
    plot_w, plot_h = W - LEFT - RIGHT, H - TOP - BOTTOM

    def y_of(v: float) -> float:
        return TOP + plot_h * (1 - (v - lo) / span)

    parts = [
        f'<svg class="chart" viewBox="0 0 {W} {H}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg" focusable="false">',
        f"<title>{escape(title)}</title>",
    ]
    # Band shading. Integer bands (0-4, 5-9) are drawn to the half points so they touch.
    integer = inst.integer_scores
    for i, band in enumerate(inst.bands):
        b_lo = max(lo, band.min - (0.5 if integer and band.min > lo else 0))
        b_hi = min(hi, band.max + (0.5 if integer and band.max < hi else 0))
        y1, y2 = y_of(b_hi), y_of(b_lo)
        fill = _FILLS[i % len(_FILLS)]
        parts.append(f'<rect x="{LEFT}" y="{y1:.1f}" width="{plot_w}" height="{max(y2 - y1, 0):.1f}" fill="{fill}"/>')
        if y2 - y1 >= 12:
            name = band_names.get(band.key, band.label)
            parts.append(f'<text x="{LEFT + 4}" y="{y1 + 12:.1f}" font-size="13" fill="#4a5565">{escape(name)}</text>')
    if inst.cutoff is not None:
        yc = y_of(inst.cutoff.value)
        parts.append(f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{yc:.1f}" y2="{yc:.1f}" stroke="#7b8796" '
                     f'stroke-dasharray="4 3" stroke-width="1"/>')
    # Axis ticks at the band edges.
    ticks = sorted({lo, hi, *[b.min for b in inst.bands]})
    for t in ticks:
        parts.append(f'<text x="{LEFT - 6}" y="{y_of(t) + 4:.1f}" font-size="13" text-anchor="end" fill="#1d2430">{_fmt(t)}</text>')
    parts.append(f'<line x1="{LEFT}" x2="{LEFT}" y1="{TOP}" y2="{TOP + plot_h}" stroke="#1d2430" stroke-width="1"/>')
    parts.append(f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{TOP + plot_h}" y2="{TOP + plot_h}" stroke="#1d2430" stroke-width="1"/>')

    if points:
        t0 = points[0].at.timestamp()
        t1 = points[-1].at.timestamp()
        tspan = t1 - t0

        def x_of(p: Point) -> float:
            if tspan <= 0:
                return LEFT + plot_w / 2
            return LEFT + 16 + (plot_w - 32) * (p.at.timestamp() - t0) / tspan

        coords = [(x_of(p), y_of(p.total)) for p in points]
        if len(coords) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
            parts.append(f'<polyline points="{path}" fill="none" stroke="#2f5d8a" stroke-width="2"/>')
        last_label_x = -100.0
        for p, (x, y) in zip(points, coords, strict=True):
            parts.append(f"<g>{_marker(x, y, p.label)}<title>{escape(p.title)}</title></g>")
            ty = y - 9 if y - 9 > TOP + 4 else y + 18
            parts.append(f'<text x="{x:.1f}" y="{ty:.1f}" font-size="13" font-weight="600" text-anchor="middle" '
                         f'fill="#1d2430">{_fmt(p.total)}</text>')
            if x - last_label_x >= 44:
                day = formats.date_format(timezone.localtime(p.at), "MONTH_DAY_FORMAT")
                parts.append(f'<text x="{x:.1f}" y="{TOP + plot_h + 16}" font-size="13" text-anchor="middle" '
                             f'fill="#1d2430">{escape(day)}</text>')
                last_label_x = x
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated text is escaped above

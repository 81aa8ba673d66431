"""Server-rendered SVG for the belief chart (no scripts, no inline styles)."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 360, 200
LEFT, RIGHT, TOP, BOTTOM = 34, 10, 12, 40
BEFORE_COLOUR = "#a3262a"
AFTER_COLOUR = "#2f5d8a"


def _y(value: float) -> float:
    return TOP + (100 - value) / 100 * (HEIGHT - TOP - BOTTOM)


def _x(i: int, n: int) -> float:
    inner = WIDTH - LEFT - RIGHT
    return LEFT + inner / 2 if n == 1 else LEFT + 8 + i * (inner - 16) / (n - 1)


def belief_chart(pairs: Sequence[tuple[int, int | None]], *, title: str, description: str,
                 before_label: str, after_label: str) -> SafeString:
    """Belief (0–100) before and after each experiment, oldest on the left.

    Each experiment is a pair of dots joined by a line: a red square before, a blue circle after.
    """
    n = len(pairs)
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="belief-title belief-desc" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="belief-title">{escape(title)}</title>',
        f'<desc id="belief-desc">{escape(description)}</desc>',
    ]
    for tick in (0, 50, 100):
        y = _y(tick)
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d8dde5" stroke-width="1"/>')
        parts.append(f'<text x="{LEFT - 4}" y="{y + 4:.1f}" font-size="11" text-anchor="end" fill="#4a5565">{tick}%</text>')
    for i, (before, after) in enumerate(pairs):
        x = _x(i, n)
        yb = _y(before)
        parts.append(f'<rect x="{x - 4:.1f}" y="{yb - 4:.1f}" width="8" height="8" fill="{BEFORE_COLOUR}"/>')
        if after is not None:
            ya = _y(after)
            parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{yb:.1f}" y2="{ya:.1f}" stroke="#7b8796" stroke-width="1.5"/>')
            parts.append(f'<circle cx="{x:.1f}" cy="{ya:.1f}" r="4.5" fill="{AFTER_COLOUR}"/>')
        parts.append(f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 14}" font-size="10" text-anchor="middle" fill="#4a5565">{i + 1}</text>')
    ly = HEIGHT - 8
    parts.append(f'<rect x="{LEFT}" y="{ly - 8}" width="8" height="8" fill="{BEFORE_COLOUR}"/>')
    parts.append(f'<text x="{LEFT + 12}" y="{ly}" font-size="11" fill="#1d2430">{escape(before_label)}</text>')
    parts.append(f'<circle cx="{LEFT + 104}" cy="{ly - 4}" r="4.5" fill="{AFTER_COLOUR}"/>')
    parts.append(f'<text x="{LEFT + 112}" y="{ly}" font-size="11" fill="#1d2430">{escape(after_label)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped

"""A line chart as inline SVG, drawn on the server: no JavaScript library, readable without
scripts, and the same figures as the table printed beside it (the page's "map-free table
view"). Lines, dashed reference lines (capacity) and shaded bands (a forecast's p10-p90)."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 56, 12, 12, 36


@dataclass(frozen=True)
class Line:
    name: str
    values: list[float | None]
    css: str  # class of the stroke: series-occupancy, series-capacity, ...
    dashed: bool = False
    low: list[float | None] | None = None  # a band under the line, p10 ...
    high: list[float | None] | None = None  # ... to p90


def _ticks(top: float) -> list[float]:
    """About five round steps from 0 to ``top``."""
    if top <= 0:
        return [0.0]
    raw = top / 5
    magnitude = 10 ** (len(str(int(raw))) - 1)
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    return [i * step for i in range(int(top // step) + 2)]


def line_chart(labels: list[str], lines: list[Line], title: str) -> SafeString:
    """The chart for ``labels`` on the x axis (days or months) and ``lines`` over them."""
    values = [
        v
        for line in lines
        for series in (line.values, line.high or [])
        for v in series
        if v is not None
    ]
    top = max(values, default=0.0) * 1.05 or 1.0
    ticks = _ticks(top)
    top = max(top, ticks[-1])
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    n = max(len(labels) - 1, 1)

    def x(i: int) -> float:
        return LEFT + inner_w * i / n

    def y(v: float) -> float:
        return TOP + inner_h * (1 - v / top)

    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for t in ticks:
        parts.append(
            f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(t):.1f}" y2="{y(t):.1f}"/>'
            f'<text class="tick" x="{LEFT - 4}" y="{y(t) + 4:.1f}" '
            f'text-anchor="end">{t:,.0f}</text>'
        )
    step = max(1, len(labels) // 6)
    for i in range(0, len(labels), step):
        parts.append(
            f'<text class="tick" x="{x(i):.1f}" y="{HEIGHT - BOTTOM + 16}" '
            f'text-anchor="middle">{escape(labels[i])}</text>'
        )
    for line in lines:
        if line.low is not None and line.high is not None:
            upper = [(x(i), y(v)) for i, v in enumerate(line.high) if v is not None]
            lower = [(x(i), y(v)) for i, v in enumerate(line.low) if v is not None]
            if upper and lower:
                points = " ".join(f"{a:.1f},{b:.1f}" for a, b in upper + lower[::-1])
                parts.append(f'<polygon class="band {line.css}" points="{points}"/>')
        drawn = [(x(i), y(v)) for i, v in enumerate(line.values) if v is not None]
        if drawn:
            path = " ".join(f"{a:.1f},{b:.1f}" for a, b in drawn)
            dash = ' stroke-dasharray="6 4"' if line.dashed else ""
            parts.append(
                f'<polyline class="line {line.css}" fill="none" points="{path}"{dash}>'
                f"<title>{escape(line.name)}</title></polyline>"
            )
    legend_y = HEIGHT - 6
    for i, line in enumerate(lines):
        lx = LEFT + i * 170
        dash = ' stroke-dasharray="6 4"' if line.dashed else ""
        parts.append(
            f'<line class="line {line.css}" x1="{lx}" x2="{lx + 18}" y1="{legend_y - 4}" '
            f'y2="{legend_y - 4}"{dash}/><text class="legend" x="{lx + 22}" y="{legend_y}">'
            f"{escape(line.name)}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text in it is escaped above

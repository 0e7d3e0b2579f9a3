"""Charts drawn on the server as inline SVG: no JavaScript, no image files, crisp at any zoom.

One chart type is needed, daily counts as bars with up to two series side by side, so this is
a few lines of geometry rather than a plotting library (pygal would add a dependency and its
own styles for one bar chart).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Series:
    label: str
    values: list[int]
    color: str


WIDTH, HEIGHT = 480, 170
LEFT, RIGHT, TOP, BOTTOM = 34, 8, 22, 24  # margins for the axis labels and the legend


def _n(value: float) -> str:
    """A coordinate with one decimal: format_html escapes its arguments, so numbers arrive as text."""
    return f"{value:.1f}"


def _nice_max(value: int) -> int:
    """The top of the y axis: the data's maximum rounded up to 1, 2 or 5 times a power of ten."""
    if value <= 1:
        return 1
    magnitude = 10 ** (len(str(int(value))) - 1)
    return int(next(step * magnitude for step in (1, 2, 5, 10) if step * magnitude >= value))


def bar_chart(days: list[date], series: list[Series], title: str) -> SafeString:
    """Daily bars, one group per day, one bar per series, with a y scale, date labels and a legend."""
    top = _nice_max(max((max(s.values, default=0) for s in series), default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    group = plot_w / max(len(days), 1)
    bar = max(group * 0.8 / max(len(series), 1), 1)
    parts = [format_html('<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {} {}" width="{}" '
                         'height="{}" role="img" aria-label="{}"><title>{}</title>', WIDTH, HEIGHT, WIDTH, HEIGHT,
                         title, title)]
    parts += _grid(top, plot_w, plot_h)
    for index, day in enumerate(days):
        x0 = LEFT + index * group + group * 0.1
        for number, item in enumerate(series):
            value = item.values[index]
            height = plot_h * value / top
            parts.append(format_html(
                '<rect class="bar" x="{}" y="{}" width="{}" height="{}" fill="{}">'
                "<title>{} {}:{}</title></rect>", _n(x0 + number * bar), _n(TOP + plot_h - height), _n(bar), _n(height),
                item.color, day.strftime("%m-%d"), item.label, value))
        step = max(len(days) // 7, 1)
        last = len(days) - 1
        # About seven date labels; the last day always, and no label crowding it.
        if index == last or (index % step == 0 and last - index >= step):
            parts.append(format_html('<text x="{}" y="{}" class="axis" text-anchor="middle">{}</text>',
                                     _n(x0 + bar * len(series) / 2), HEIGHT - 8, day.strftime("%m-%d")))
    parts += _legend(series)
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(str(part) for part in parts))


def ticks(top: int) -> list[int]:
    """Gridline values: whole numbers only (the chart counts articles and failures, never halves).

    Every value up to 5; above that 0, the middle and the top (the top is 10, 20 or 50 times a
    power of ten there, so its half is whole).
    """
    if top <= 5:
        return list(range(top + 1))
    return [0, top // 2, top]


def _grid(top: int, plot_w: float, plot_h: float) -> list[SafeString]:
    lines = []
    for value in ticks(top):
        y = TOP + plot_h * (1 - value / top)
        lines.append(format_html('<line x1="{}" y1="{}" x2="{}" y2="{}" class="grid" stroke="#d6d9de"/>'
                                 '<text x="{}" y="{}" class="axis" text-anchor="end">{}</text>',
                                 LEFT, _n(y), _n(LEFT + plot_w), _n(y), LEFT - 4, _n(y + 4), value))
    return lines


def _legend(series: list[Series]) -> list[SafeString]:
    items, x = [], LEFT
    for item in series:
        items.append(format_html('<rect x="{}" y="6" width="10" height="10" fill="{}"/>'
                                 '<text x="{}" y="15" class="legend">{}</text>', x, item.color, x + 14, item.label))
        x += 24 + 13 * len(item.label)
    return items

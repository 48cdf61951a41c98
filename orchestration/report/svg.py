"""Small SVG charts written directly, so the report is one file that needs no script and no network.

Every mark that stands for a figure carries it in `data-value` (and the series, group and week it
belongs to), so a test can read the numbers back from the rendered page and compare them with the
warehouse. A withheld figure is drawn as a hatched gap with `data-suppressed`, never as a zero.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

PALETTE = ["#3b6ea8", "#e08a2e", "#4f9a5d", "#b5484b", "#7c5fa8", "#8a6d3b", "#c9669f", "#5c8f99"]
MUTED = "#9aa3ad"
FLAGGED = "#c8553d"
ADJUSTED = "#3b6ea8"


def fmt(value: float | None, kind: str = "number") -> str:
    """A figure as a manager reads it: 12.3k, $1.2k, 34%, 5.1 h."""
    if value is None:
        return "withheld"
    if kind == "share":
        return f"{value * 100:.0f}%"
    if kind == "signed_share":
        return f"{value * 100:+.0f}%"
    if kind == "hours":
        return f"{value:.1f} h"
    prefix = "$" if kind == "usd" else ""
    magnitude = abs(value)
    if magnitude >= 1e6:
        return f"{prefix}{value / 1e6:.1f}M"
    if magnitude >= 1e4:
        return f"{prefix}{value / 1e3:.0f}k"
    if magnitude >= 1e3:
        return f"{prefix}{value / 1e3:.1f}k"
    if magnitude >= 100 or (kind != "usd" and float(value).is_integer()):
        return f"{prefix}{value:.0f}"
    return f"{prefix}{value:.2f}" if kind == "usd" else f"{value:.2f}"


def nice_ticks(low: float, high: float, count: int = 4) -> list[float]:
    if high <= low:
        high = low + 1
    raw = (high - low) / count
    step = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 2.5, 5, 10):
        if raw <= step * multiple:
            step *= multiple
            break
    start = math.floor(low / step) * step
    ticks, tick = [], start
    while tick <= high + step * 0.001:
        ticks.append(round(tick, 10))
        tick += step
    if ticks[-1] < high:
        ticks.append(round(tick, 10))
    return ticks


def data_attrs(**values: object) -> str:
    parts = []
    for key, value in values.items():
        if value is None:
            continue
        text = repr(value) if isinstance(value, float) else str(value)
        parts.append(f'data-{key.replace("_", "-")}="{escape(text)}"')
    return " ".join(parts)


@dataclass
class Frame:
    """A plotting area inside an SVG of `width` x `height` with margins for the axes."""

    width: int
    height: int
    left: int = 48
    right: int = 12
    top: int = 12
    bottom: int = 28

    @property
    def inner_width(self) -> float:
        return self.width - self.left - self.right

    @property
    def inner_height(self) -> float:
        return self.height - self.top - self.bottom

    def y(self, ticks: Sequence[float]) -> Callable[[float], float]:
        low, high = ticks[0], ticks[-1]
        return lambda value: self.top + self.inner_height * (1 - (value - low) / ((high - low) or 1))

    def open(self, label: str) -> str:
        return (
            f'<svg class="chart" viewBox="0 0 {self.width} {self.height}" width="{self.width}" '
            f'height="{self.height}" role="img" aria-label="{escape(label)}">'
            '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
            'patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" stroke="#c5cbd3" '
            'stroke-width="3"/></pattern></defs>'
        )

    def y_axis(self, ticks: Sequence[float], kind: str, side: str = "left") -> str:
        scale = self.y(ticks)
        x = self.left if side == "left" else self.width - self.right
        anchor, dx = ("end", -4) if side == "left" else ("start", 4)
        out = []
        for tick in ticks:
            y = scale(tick)
            if side == "left":
                out.append(
                    f'<line x1="{self.left}" x2="{self.width - self.right}" y1="{y:.1f}" y2="{y:.1f}" '
                    'stroke="#e6e9ed"/>'
                )
            out.append(
                f'<text x="{x + dx}" y="{y + 3:.1f}" text-anchor="{anchor}" class="tick">'
                f"{escape(fmt(tick, kind))}</text>"
            )
        return "".join(out)

    def x_labels(self, weeks: Sequence[date], position: Callable[[int], float]) -> str:
        step = max(1, math.ceil(len(weeks) / 6))
        return "".join(
            f'<text x="{position(index):.1f}" y="{self.height - 8}" text-anchor="middle" class="tick">'
            f"{week.strftime('%d %b')}</text>"
            for index, week in enumerate(weeks)
            if index % step == 0
        )


def suppressed_box(x: float, y: float, width: float, height: float, **attrs: object) -> str:
    return (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(width, 1):.1f}" height="{height:.1f}" '
        f'fill="url(#hatch)" data-suppressed="true" {data_attrs(**attrs)}>'
        "<title>withheld: too few engineers behind this figure</title></rect>"
    )


def bars_and_line(
    weeks: Sequence[date],
    bars: Sequence[float | None],
    line: Sequence[float | None],
    *,
    group: str,
    bar_series: str,
    line_series: str,
    bar_kind: str,
    line_kind: str,
    width: int = 330,
    height: int = 170,
) -> str:
    """Weekly bars (left axis) and a line (right axis): spend against outcomes of one team."""
    frame = Frame(width, height, left=44, right=36)
    bar_ticks = nice_ticks(0, max([value for value in bars if value is not None] or [1]))
    line_ticks = nice_ticks(0, max([value for value in line if value is not None] or [1]))
    bar_y, line_y = frame.y(bar_ticks), frame.y(line_ticks)
    slot = frame.inner_width / max(len(weeks), 1)
    center = lambda index: frame.left + slot * (index + 0.5)  # noqa: E731
    out = [frame.open(f"{group}: {bar_series} and {line_series} per week")]
    out.append(frame.y_axis(bar_ticks, bar_kind))
    out.append(frame.y_axis(line_ticks, line_kind, side="right"))
    for index, (week, value) in enumerate(zip(weeks, bars, strict=True)):
        x = frame.left + slot * index + slot * 0.15
        if value is None:
            out.append(
                suppressed_box(
                    x, frame.top, slot * 0.7, frame.inner_height, series=bar_series, group=group, week=week
                )
            )
            continue
        top = bar_y(value)
        out.append(
            f'<rect x="{x:.1f}" y="{top:.1f}" width="{slot * 0.7:.1f}" '
            f'height="{frame.top + frame.inner_height - top:.1f}" fill="{PALETTE[0]}" opacity="0.75" '
            f'class="mark" {data_attrs(series=bar_series, group=group, week=week, value=value)}>'
            f"<title>{week}: {escape(fmt(value, bar_kind))}</title></rect>"
        )
    points = [(center(index), line_y(value)) for index, value in enumerate(line) if value is not None]
    if len(points) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        out.append(f'<polyline points="{path}" fill="none" stroke="{PALETTE[1]}" stroke-width="2"/>')
    for index, (week, value) in enumerate(zip(weeks, line, strict=True)):
        if value is not None:
            out.append(
                f'<circle cx="{center(index):.1f}" cy="{line_y(value):.1f}" r="2.6" fill="{PALETTE[1]}" '
                f'class="mark" {data_attrs(series=line_series, group=group, week=week, value=value)}>'
                f"<title>{week}: {escape(fmt(value, line_kind))}</title></circle>"
            )
    out.append(frame.x_labels(weeks, center))
    out.append("</svg>")
    return "".join(out)


def stacked_weekly(
    weeks: Sequence[date],
    layers: Sequence[tuple[str, str, Sequence[float | None]]],
    *,
    kind: str,
    group: str,
    line: tuple[str, Sequence[float | None], str] | None = None,
    width: int = 680,
    height: int = 230,
) -> str:
    """Stacked weekly bars (series name, colour, values), optionally a share line on the right axis."""
    frame = Frame(width, height, left=52, right=40 if line else 12)
    totals = [
        sum(values[index] or 0 for _, _, values in layers) if layers[0][2][index] is not None else 0
        for index in range(len(weeks))
    ]
    ticks = nice_ticks(0, max(totals or [1]) or 1)
    scale = frame.y(ticks)
    slot = frame.inner_width / max(len(weeks), 1)
    center = lambda index: frame.left + slot * (index + 0.5)  # noqa: E731
    out = [frame.open(f"{group} per week"), frame.y_axis(ticks, kind)]
    for index, week in enumerate(weeks):
        x = frame.left + slot * index + slot * 0.15
        if any(values[index] is None for _, _, values in layers):
            out.append(
                suppressed_box(
                    x, frame.top, slot * 0.7, frame.inner_height, series=group, group=group, week=week
                )
            )
            continue
        base = 0.0
        for series, colour, values in layers:
            value = values[index] or 0.0
            top, bottom = scale(base + value), scale(base)
            out.append(
                f'<rect x="{x:.1f}" y="{top:.1f}" width="{slot * 0.7:.1f}" height="{bottom - top:.1f}" '
                f'fill="{colour}" class="mark" '
                f"{data_attrs(series=series, group=group, week=week, value=value)}>"
                f"<title>{week} {escape(series)}: {escape(fmt(value, kind))}</title></rect>"
            )
            base += value
    if line:
        series, values, line_kind = line
        line_ticks = nice_ticks(0, max([value for value in values if value is not None] or [1]) or 1)
        line_y = frame.y(line_ticks)
        out.append(frame.y_axis(line_ticks, line_kind, side="right"))
        points = [(center(index), line_y(value)) for index, value in enumerate(values) if value is not None]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            out.append(f'<polyline points="{path}" fill="none" stroke="#222" stroke-width="1.6"/>')
        for index, value in enumerate(values):
            if value is not None:
                out.append(
                    f'<circle cx="{center(index):.1f}" cy="{line_y(value):.1f}" r="2.6" fill="#222" '
                    f'class="mark" {data_attrs(series=series, group=group, week=weeks[index], value=value)}>'
                    f"<title>{weeks[index]} {escape(series)}: "
                    f"{escape(fmt(value, line_kind))}</title></circle>"
                )
    out.append(frame.x_labels(weeks, center))
    out.append("</svg>")
    return "".join(out)


def horizontal_bars(
    rows: Sequence[tuple[str, float | None, str]],
    *,
    series: str,
    kind: str,
    width: int = 520,
    row_height: int = 24,
    label_width: int = 230,
) -> str:
    """One bar per labelled row (label, value, note); a withheld value shows its note instead."""
    height = row_height * len(rows) + 10
    values = [value for _, value, _ in rows if value is not None]
    high = max(values or [1]) or 1
    span = width - label_width - 70
    out = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-label="{escape(series)}"><defs><pattern id="hatch" width="6" height="6" '
        'patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" '
        'stroke="#c5cbd3" stroke-width="3"/></pattern></defs>'
    ]
    for index, (label, value, note) in enumerate(rows):
        y = 5 + index * row_height
        out.append(
            f'<text x="{label_width - 6}" y="{y + row_height * 0.65:.1f}" text-anchor="end" class="label">'
            f"{escape(label)}</text>"
        )
        if value is None:
            if note.startswith("withheld"):
                out.append(
                    suppressed_box(label_width, y + 3, span, row_height - 6, series=series, group=label)
                )
            out.append(
                f'<text x="{label_width + 6}" y="{y + row_height * 0.65:.1f}" class="note">'
                f"{escape(note)}</text>"
            )
            continue
        length = span * value / high
        out.append(
            f'<rect x="{label_width}" y="{y + 3}" width="{max(length, 1):.1f}" height="{row_height - 6}" '
            f'fill="{PALETTE[0]}" class="mark" {data_attrs(series=series, group=label, value=value)}>'
            f"<title>{escape(label)}: {escape(fmt(value, kind))}</title></rect>"
            f'<text x="{label_width + length + 5:.1f}" y="{y + row_height * 0.65:.1f}" class="value">'
            f"{escape(fmt(value, kind))}</text>"
        )
    out.append("</svg>")
    return "".join(out)


def interval_chart(
    rows: Sequence[tuple[str, float | None, float | None, float | None, str]],
    *,
    series: str,
    width: int = 620,
    row_height: int = 34,
    label_width: int = 240,
) -> str:
    """Point estimates with their 95% intervals around a zero line (label, estimate, low, high, note)."""
    shown = [
        value for _, estimate, low, high, _ in rows for value in (estimate, low, high) if value is not None
    ]
    bound = max([abs(value) for value in shown] or [0.1]) * 1.15 or 0.1
    span = width - label_width - 20
    x = lambda value: label_width + span * (value + bound) / (2 * bound)  # noqa: E731
    height = row_height * len(rows) + 24
    out = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-label="{escape(series)}">',
        f'<line x1="{x(0):.1f}" x2="{x(0):.1f}" y1="0" y2="{height - 18}" stroke="#888" '
        'stroke-dasharray="3 3"/>',
        f'<text x="{x(0):.1f}" y="{height - 4}" text-anchor="middle" class="tick">no effect</text>',
        f'<text x="{x(-bound * 0.9):.1f}" y="{height - 4}" text-anchor="middle" class="tick">'
        f"{fmt(-bound * 0.9, 'signed_share')}</text>",
        f'<text x="{x(bound * 0.9):.1f}" y="{height - 4}" text-anchor="middle" class="tick">'
        f"{fmt(bound * 0.9, 'signed_share')}</text>",
    ]
    for index, (label, estimate, low, high, note) in enumerate(rows):
        y = 4 + index * row_height + row_height / 2
        out.append(
            f'<text x="{label_width - 8}" y="{y - 2:.1f}" text-anchor="end" class="label">'
            f"{escape(label)}</text>"
            f'<text x="{label_width - 8}" y="{y + 11:.1f}" text-anchor="end" class="note">'
            f"{escape(note)}</text>"
        )
        if estimate is None or low is None or high is None:
            out.append(
                f'<text x="{x(0) + 6:.1f}" y="{y + 4:.1f}" class="note" data-suppressed="true" '
                f"{data_attrs(series=series, group=label)}>no estimate</text>"
            )
            continue
        out.append(
            f'<line x1="{x(low):.1f}" x2="{x(high):.1f}" y1="{y:.1f}" y2="{y:.1f}" stroke="{PALETTE[0]}" '
            'stroke-width="2"/>'
            f'<circle cx="{x(estimate):.1f}" cy="{y:.1f}" r="5" fill="{PALETTE[0]}" class="mark" '
            f"{data_attrs(series=series, group=label, value=estimate, low=low, high=high)}>"
            f"<title>{escape(label)}: {fmt(estimate, 'signed_share')} "
            f"({fmt(low, 'signed_share')} to {fmt(high, 'signed_share')})</title></circle>"
            f'<text x="{x(high) + 6:.1f}" y="{y + 4:.1f}" class="value">'
            f"{fmt(estimate, 'signed_share')}</text>"
        )
    out.append("</svg>")
    return "".join(out)


def event_study(
    points: Sequence[tuple[int, float | None, float | None, float | None]],
    *,
    series: str,
    width: int = 620,
    height: int = 220,
) -> str:
    """Effect per week relative to adoption with its interval band (week, estimate, low, high)."""
    frame = Frame(width, height, left=52)
    shown = [
        value for _, estimate, low, high in points for value in (estimate, low, high) if value is not None
    ]
    ticks = nice_ticks(min([*shown, 0]), max([*shown, 0]))
    scale = frame.y(ticks)
    weeks = [week for week, *_ in points]
    first, last = min(weeks), max(weeks)
    x = lambda week: frame.left + frame.inner_width * (week - first) / ((last - first) or 1)  # noqa: E731
    out = [frame.open(series), frame.y_axis(ticks, "signed_share")]
    out.append(
        f'<line x1="{frame.left}" x2="{width - frame.right}" y1="{scale(0):.1f}" y2="{scale(0):.1f}" '
        'stroke="#888" stroke-dasharray="3 3"/>'
        f'<line x1="{x(0):.1f}" x2="{x(0):.1f}" y1="{frame.top}" y2="{frame.top + frame.inner_height}" '
        'stroke="#888" stroke-dasharray="2 4"/>'
    )
    band = [(x(week), scale(high)) for week, estimate, low, high in points if high is not None]
    band += [(x(week), scale(low)) for week, estimate, low, high in reversed(points) if low is not None]
    if band:
        out.append(
            '<polygon points="'
            + " ".join(f"{px:.1f},{py:.1f}" for px, py in band)
            + f'" fill="{PALETTE[0]}" '
            'opacity="0.15"/>'
        )
    line = [(x(week), scale(estimate)) for week, estimate, _, _ in points if estimate is not None]
    if len(line) > 1:
        out.append(
            '<polyline points="' + " ".join(f"{px:.1f},{py:.1f}" for px, py in line) + f'" fill="none" '
            f'stroke="{PALETTE[0]}" stroke-width="2"/>'
        )
    for week, estimate, low, high in points:
        if estimate is None:
            out.append(
                f'<text x="{x(week):.1f}" y="{scale(0) - 6:.1f}" text-anchor="middle" class="note" '
                f'data-suppressed="true" {data_attrs(series=series, group=week)}>–</text>'
            )
            continue
        out.append(
            f'<circle cx="{x(week):.1f}" cy="{scale(estimate):.1f}" r="3" fill="{PALETTE[0]}" class="mark" '
            f"{data_attrs(series=series, group=week, value=estimate, low=low, high=high)}>"
            f"<title>week {week:+d}: {fmt(estimate, 'signed_share')}</title></circle>"
        )
    for week in weeks:
        out.append(
            f'<text x="{x(week):.1f}" y="{height - 8}" text-anchor="middle" class="tick">{week:+d}</text>'
        )
    out.append("</svg>")
    return "".join(out)


def sparkline(
    weeks: Sequence[date],
    values: Sequence[float | None],
    *,
    series: str,
    group: str,
    kind: str,
    width: int = 150,
    height: int = 36,
) -> str:
    """A tiny weekly line with the latest shown value written beside it."""
    shown = [value for value in values if value is not None]
    low, high = min(shown or [0]), max(shown or [1])
    span = (high - low) or 1
    step = (width - 50) / max(len(values) - 1, 1)
    x = lambda index: 2 + step * index  # noqa: E731
    y = lambda value: 4 + (height - 8) * (1 - (value - low) / span)  # noqa: E731
    out = [f'<svg class="spark" viewBox="0 0 {width} {height}" width="{width}" height="{height}">']
    points = [(x(index), y(value)) for index, value in enumerate(values) if value is not None]
    if len(points) > 1:
        out.append(
            '<polyline points="' + " ".join(f"{px:.1f},{py:.1f}" for px, py in points) + f'" fill="none" '
            f'stroke="{PALETTE[0]}" stroke-width="1.4"/>'
        )
    for index, value in enumerate(values):
        if value is not None:
            out.append(
                f'<circle cx="{x(index):.1f}" cy="{y(value):.1f}" r="1.4" fill="{PALETTE[0]}" class="mark" '
                f"{data_attrs(series=series, group=group, week=weeks[index], value=value)}>"
                f"<title>{weeks[index]}: {escape(fmt(value, kind))}</title></circle>"
            )
    latest = next((value for value in reversed(values) if value is not None), None)
    out.append(
        f'<text x="{width - 46}" y="{height / 2 + 4:.1f}" class="value">'
        f"{escape(fmt(latest, kind) if latest is not None else 'none')}</text></svg>"
    )
    return "".join(out)

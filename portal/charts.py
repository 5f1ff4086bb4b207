"""Charts drawn on the server as SVG: no script, readable on a slow phone, printable. Every
chart comes with a table of its figures for screen readers and for copying."""
from __future__ import annotations

from dataclasses import dataclass

from babel.numbers import format_compact_decimal
from flask_babel import get_locale

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 44, 24, 12, 28


@dataclass(frozen=True)
class Line:
    name: str  # a CSS modifier: chart__line--<name>
    label: str
    points: str  # "x,y x,y …" for <polyline points>
    dots: list[tuple[float, float, str]]  # x, y and the value as text, for markers and titles


@dataclass(frozen=True)
class PercentChart:
    width: int
    height: int
    left: int
    right: int
    lines: list[Line]
    x_labels: list[tuple[float, str]]
    y_ticks: list[tuple[float, str]]


def _x(i: int, n: int) -> float:
    span = WIDTH - LEFT - RIGHT
    return round(LEFT + (span * i / (n - 1) if n > 1 else span / 2), 1)


def _y(percent: float) -> float:
    return round(TOP + (HEIGHT - TOP - BOTTOM) * (1 - percent / 100), 1)


def percent_lines(labels: list[str], lines: list[tuple[str, str, list[float | None]]]) -> PercentChart:
    """Lines of percentages (0–100) over the same labels; a missing value (no businesses yet)
    leaves a gap in nothing but its own marker."""
    n = len(labels)
    drawn = []
    for name, label, values in lines:
        dots = [(_x(i, n), _y(v), f"{v:g}%") for i, v in enumerate(values) if v is not None]
        drawn.append(Line(name, label, " ".join(f"{x},{y}" for x, y, _ in dots), dots))
    return PercentChart(WIDTH, HEIGHT, LEFT, RIGHT, drawn, [(_x(i, n), text) for i, text in enumerate(labels)],
                        [(_y(p), f"{p}%") for p in (0, 25, 50, 75, 100)])


# --- counts over time, and bars against a mark (the leader's dashboard) ------------------------

@dataclass(frozen=True)
class CountChart:
    width: int
    height: int
    left: int
    right: int
    lines: list[Line]
    x_labels: list[tuple[float, str]]
    y_ticks: list[tuple[float, str]]
    top: float  # the value at the top of the scale


def nice_top(value: float) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50… that is at least ``value`` (and at least 4, so ticks are whole)."""
    top, steps = 1, (1, 2, 5)
    while True:
        for step in steps:
            if step * top >= max(value, 4):
                return step * top
        top *= 10


TREND_WIDTH, TREND_HEIGHT, TREND_LEFT, TREND_RIGHT, TREND_TOP, TREND_BOTTOM = 360, 200, 30, 10, 10, 22


def count_lines(labels: list[str], lines: list[tuple[str, str, list[int]]]) -> CountChart:
    """Lines of counts over the same labels (months), on a scale from 0 to a round number; drawn
    narrow, so that its text stays legible on a phone."""
    n = len(labels)
    top = nice_top(max((v for _, _, values in lines for v in values), default=0))
    span = TREND_WIDTH - TREND_LEFT - TREND_RIGHT

    def x(i: int) -> float:
        return round(TREND_LEFT + (span * i / (n - 1) if n > 1 else span / 2), 1)

    def y(value: float) -> float:
        return round(TREND_TOP + (TREND_HEIGHT - TREND_TOP - TREND_BOTTOM) * (1 - value / top), 1)

    drawn = []
    for name, label, values in lines:
        dots = [(x(i), y(v), str(v)) for i, v in enumerate(values)]
        drawn.append(Line(name, label, " ".join(f"{px},{py}" for px, py, _ in dots), dots))
    ticks = [(y(top * k / 4), f"{top * k / 4:g}") for k in range(5)]
    return CountChart(TREND_WIDTH, TREND_HEIGHT, TREND_LEFT, TREND_RIGHT, drawn,
                      [(x(i), text) for i, text in enumerate(labels)], ticks, top)


@dataclass(frozen=True)
class Bar:
    label: str
    y: float  # top of the bar
    width: float  # of the filled part
    value: str  # the value as text, written after the bar
    value_x: float
    mark_x: float | None  # where the mark (the target) stands
    mark: str | None
    reached: bool


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    left: int
    span: int  # the width of 100%
    bar_height: int
    bars: list[Bar]
    ticks: list[tuple[float, str]]


BAR_WIDTH, BAR_LEFT, BAR_RIGHT, BAR_ROW, BAR_HEIGHT = 360, 8, 56, 46, 14


def percent_bars(items: list[tuple[str, float | None, float | None, bool]]) -> BarChart:
    """Horizontal bars of percentages (0–100), each with a mark at its target: (label, value,
    target, reached). A label sits above its bar, so the chart stays readable on a phone."""
    span = BAR_WIDTH - BAR_LEFT - BAR_RIGHT
    bars = []
    for i, (label, value, mark, reached) in enumerate(items):
        top = i * BAR_ROW + 20
        width = round(span * min(max(value or 0, 0), 100) / 100, 1)
        bars.append(Bar(label, top, width, "—" if value is None else f"{value:g}%", BAR_LEFT + width + 4,
                        None if mark is None else round(BAR_LEFT + span * min(mark, 100) / 100, 1),
                        None if mark is None else f"{mark:g}%", reached))
    height = len(items) * BAR_ROW + 8
    return BarChart(BAR_WIDTH, height, BAR_LEFT, span, BAR_HEIGHT, bars,
                    [(round(BAR_LEFT + span * p / 100, 1), f"{p}%") for p in (0, 50, 100)])


# --- counts as bars (public statistics) ------------------------------------------------------

@dataclass(frozen=True)
class CountBar:
    x: float
    y: float
    width: float
    height: float
    short: str  # the figure, compact ("15 Tr"), drawn beside the bar (the tables give it in full)
    text_x: float
    text_y: float


@dataclass(frozen=True)
class CountBarChart:
    figure: str  # which figure, also a CSS modifier: stats-bars--<figure>
    width: int
    height: int
    horizontal: bool
    bars: list[CountBar]
    labels: list[tuple[float, float, str]]  # x, y and the text of each category label
    baseline: tuple[float, float, float, float]


def _compact(value: int) -> str:
    if value < 1000:
        return str(value)
    return format_compact_decimal(value, locale=str(get_locale()), fraction_digits=1)


def _short_label(text: str, limit: int = 24) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def count_columns(figure: str, labels: list[str], values: list[int]) -> CountBarChart:
    """Upright bars, one per month, scaled to the largest value."""
    width, height, top, bottom = 320, 170, 16, 20
    left, right = LEFT // 4, RIGHT // 3
    span = (width - left - right) / max(len(values), 1)
    peak = max(values) or 1
    bars, texts = [], []
    for i, (label, value) in enumerate(zip(labels, values)):
        h = round((height - top - bottom) * value / peak)
        x = round(left + i * span + span * 0.15)
        y = height - bottom - h
        middle = round(left + (i + 0.5) * span)
        bars.append(CountBar(x, y, round(span * 0.7), h, _compact(value) if value else "", middle, y - 3))
        texts.append((middle, height - 6, label))
    baseline = (left, height - bottom, width - right, height - bottom)
    return CountBarChart(figure, width, height, False, bars, texts, baseline)


def count_rows(figure: str, labels: list[str], values: list[int]) -> CountBarChart:
    """Bars lying down, one per province or goods category, their names on the left."""
    width, row, label_width, right = 400, 20, 150, 48
    height = max(len(values), 1) * row + 8
    peak = max(values, default=0) or 1
    bars, texts = [], []
    for i, (label, value) in enumerate(zip(labels, values)):
        y = 4 + i * row
        w = round((width - label_width - right) * value / peak)
        bars.append(CountBar(label_width, y + 3, w, row - 6, _compact(value), label_width + w + 4, y + row - 6))
        texts.append((label_width - 6, y + row - 6, _short_label(label)))
    return CountBarChart(figure, width, height, True, bars, texts, (label_width, 2, label_width, height - 2))

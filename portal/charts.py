"""Charts drawn on the server as SVG: no script, readable on a slow phone, printable. Every
chart comes with a table of its figures for screen readers and for copying."""
from __future__ import annotations

from dataclasses import dataclass

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

"""Inline SVG charts drawn from plain data: the maturity trend as lines over fiscal years.

The CSP forbids inline styles and scripts, so the geometry is computed here and the template
writes SVG attributes only. Each chart comes with a text alternative and a data table in the
page; lines differ by dash pattern and marker shape as well as colour.
"""

from __future__ import annotations

from dataclasses import dataclass

from .maturity import AXES

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 48, 24, 16, 40
#: One style per axis: colour class, dash pattern, marker shape.
LINE_STYLES = (
    ("chart-line--1", "", "circle"),
    ("chart-line--2", "8 4", "square"),
    ("chart-line--3", "2 4", "diamond"),
    ("chart-line--4", "12 4 2 4", "triangle"),
)


@dataclass(frozen=True)
class Marker:
    x: float
    y: float
    value: float
    year: int

    @property
    def square_x(self) -> float:
        return round(self.x - 5, 1)

    @property
    def square_y(self) -> float:
        return round(self.y - 5, 1)

    def diamond(self) -> str:
        x, y = self.x, self.y
        return f"{x},{y - 6} {x + 6},{y} {x},{y + 6} {x - 6},{y}"

    def triangle(self) -> str:
        return f"{self.x},{self.y - 6} {self.x + 6},{self.y + 5} {self.x - 6},{self.y + 5}"


@dataclass(frozen=True)
class Line:
    label: str
    css: str
    dash: str
    shape: str
    points: str
    markers: list[Marker]


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    lines: list[Line]
    x_ticks: list[Tick]
    y_ticks: list[Tick]

    @property
    def label_x(self) -> int:
        return self.plot_left - 10

    @property
    def label_y(self) -> int:
        return self.plot_bottom + 24


def chart_description(points, year_label) -> str:
    """The chart's figures as one sentence per year, for screen readers."""
    return " ".join(
        f"{year_label(p.fiscal_year)}: "
        + ", ".join(f"{axis.label} {level:g}" for axis, level in zip(AXES, p.levels, strict=True))
        + "."
        for p in points
    )


def maturity_line_chart(points, year_label) -> LineChart | None:
    """Four lines (one per axis) of levels 1-5 over the fiscal years of ``points``.

    ``points`` are ``TrendPoint``s; ``year_label`` turns a year into its label (令和8年度).
    ``None`` when there is nothing to draw.
    """
    if not points:
        return None
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    count = len(points)

    def x_at(index: int) -> float:
        return round(LEFT + (plot_w * (index + 0.5) / count), 1)

    def y_at(level: float) -> float:
        return round(TOP + plot_h * (5 - level) / 4, 1)

    lines = []
    for axis_index, axis in enumerate(AXES):
        css, dash, shape = LINE_STYLES[axis_index]
        markers = [
            Marker(x_at(i), y_at(p.levels[axis_index]), p.levels[axis_index], p.fiscal_year)
            for i, p in enumerate(points)
        ]
        lines.append(
            Line(
                label=str(axis.label),
                css=css,
                dash=dash,
                shape=shape,
                points=" ".join(f"{m.x},{m.y}" for m in markers),
                markers=markers,
            )
        )
    return LineChart(
        width=WIDTH,
        height=HEIGHT,
        plot_left=LEFT,
        plot_right=WIDTH - RIGHT,
        plot_top=TOP,
        plot_bottom=HEIGHT - BOTTOM,
        lines=lines,
        x_ticks=[Tick(x_at(i), year_label(p.fiscal_year)) for i, p in enumerate(points)],
        y_ticks=[Tick(y_at(level), str(level)) for level in range(1, 6)],
    )

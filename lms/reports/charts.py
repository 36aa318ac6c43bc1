"""The dashboard's trend chart: completion per fiscal year as bars, drawn as inline SVG.

The CSP forbids inline styles and scripts, so the geometry is computed here and the template
writes SVG attributes only (colours come from site.css). The chart has a title, a one-sentence
description per year for screen readers, and the trend table beside it holds the figures.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from core.fiscal import fiscal_year_label, fiscal_year_short_label

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 24, 40
#: The widest a bar gets, so two years do not fill the chart with two slabs.
MAX_BAR = 72
PERCENT_TICKS = (0, 25, 50, 75, 100)


@dataclass(frozen=True)
class Bar:
    label: str
    percent: int
    x: float
    y: float
    width: float
    height: float

    @property
    def centre(self) -> float:
        return round(self.x + self.width / 2, 1)

    @property
    def value_y(self) -> float:
        return round(self.y - 6, 1)


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class TrendChart:
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_height: int
    bars: list[Bar]
    y_ticks: list[Tick]
    description: str

    @property
    def plot_bottom(self) -> int:
        return self.plot_top + self.plot_height

    @property
    def label_x(self) -> int:
        return self.plot_left - 8

    @property
    def label_y(self) -> int:
        return self.plot_bottom + 24


def completion_trend_chart(rows: list[dict]) -> TrendChart | None:
    """Bars of the completion rate (0-100%) of each fiscal year in ``rows`` (the rows of
    ``completion_trend``: fiscal_year, enrolled, completed, percent); ``None`` when empty."""
    if not rows:
        return None
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    slot = plot_w / len(rows)
    bar_w = round(min(slot * 0.6, MAX_BAR), 1)
    bars = []
    for index, row in enumerate(rows):
        height = round(plot_h * row["percent"] / 100, 1)
        bars.append(
            Bar(
                label=fiscal_year_short_label(row["fiscal_year"]),
                percent=row["percent"],
                x=round(LEFT + slot * index + (slot - bar_w) / 2, 1),
                y=round(TOP + plot_h - height, 1),
                width=bar_w,
                height=height,
            )
        )
    description = " ".join(
        _("%(year)s: %(enrolled)s enrolled, %(completed)s completed (%(percent)s%%).")
        % {
            "year": fiscal_year_label(row["fiscal_year"]),
            "enrolled": row["enrolled"],
            "completed": row["completed"],
            "percent": row["percent"],
        }
        for row in rows
    )
    return TrendChart(
        width=WIDTH,
        height=HEIGHT,
        plot_left=LEFT,
        plot_right=WIDTH - RIGHT,
        plot_top=TOP,
        plot_height=plot_h,
        bars=bars,
        y_ticks=[
            Tick(round(TOP + plot_h * (100 - p) / 100, 1), f"{p}%") for p in range(0, 101, 25)
        ],
        description=description,
    )

"""Measurements, their summary (median, p95) and the table, JSON and Markdown written."""

from __future__ import annotations

import json
import math
import platform
import statistics
from dataclasses import asdict, dataclass, field
from pathlib import Path


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (p95 of 5 runs is the slowest, said plainly)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, math.ceil(round(fraction * len(ordered), 9)))
    return ordered[min(rank, len(ordered)) - 1]


@dataclass
class Row:
    """One line of the table.

    ``values`` are the repeated measurements of the product, ``limit_values`` those of its
    limit measured in the same run (None when the figure has only an absolute target).
    ``ratio`` is the product's median over the limit's median (or the inverse for rates,
    where more is better: then ``higher_is_better``). ``target`` says what passes.
    """

    key: str
    label: str
    unit: str
    values: list[float]
    limit_label: str = ""
    limit_values: list[float] = field(default_factory=list)
    higher_is_better: bool = False
    target: str = ""
    passed: bool | None = None
    queries: int | None = None
    query_limit: int | None = None
    rows_written: int | None = None
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.values) if self.values else float("nan")

    @property
    def p95(self) -> float:
        if self.higher_is_better:  # the slow end of a rate is its low end
            return percentile(self.values, 0.05)
        return percentile(self.values, 0.95)

    @property
    def limit_median(self) -> float | None:
        return statistics.median(self.limit_values) if self.limit_values else None

    @property
    def limit_p95(self) -> float | None:
        if not self.limit_values:
            return None
        if self.higher_is_better:
            return percentile(self.limit_values, 0.05)
        return percentile(self.limit_values, 0.95)

    @property
    def ratio(self) -> float | None:
        limit = self.limit_median
        if not limit:
            return None
        return self.median / limit

    def as_dict(self) -> dict:
        data = asdict(self)
        data.update(
            median=self.median, p95=self.p95, limit_median=self.limit_median,
            limit_p95=self.limit_p95, ratio=self.ratio, runs=len(self.values),
        )  # fmt: skip
        return data


def _number(value: float | None, unit: str = "") -> str:
    if value is None:
        return ""
    if unit == "ms":
        text = f"{value:,.1f}" if value < 100 else f"{value:,.0f}"
    elif unit == "s":
        text = f"{value:,.2f}"
    else:
        text = f"{value:,.0f}" if value >= 100 else f"{value:,.1f}"
    return f"{text} {unit}".strip()


HEADER = ["figure", "median", "p95", "limit (median)", "ratio", "queries", "target", "result"]


def table_rows(rows: list[Row]) -> list[list[str]]:
    lines = []
    for row in rows:
        if row.passed is None:
            result = "-"
        else:
            result = "met" if row.passed else "MISSED"
        limit = ""
        if row.limit_median is not None:
            limit = f"{_number(row.limit_median, row.unit)} ({row.limit_label})"
        queries = ""
        if row.queries is not None:
            queries = str(row.queries)
        if row.rows_written is not None:
            queries = (queries + " " if queries else "") + f"{row.rows_written} written"
        lines.append(
            [
                row.label,
                _number(row.median, row.unit),
                _number(row.p95, row.unit),
                limit,
                f"{row.ratio:.2f}x" if row.ratio is not None else "",
                queries,
                row.target,
                result,
            ]
        )
    return lines


def text_table(rows: list[Row]) -> str:
    lines = [HEADER, *table_rows(rows)]
    widths = [max(len(line[i]) for line in lines) for i in range(len(HEADER))]
    out = []
    for n, line in enumerate(lines):
        out.append("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(line)).rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def markdown_table(rows: list[Row]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    for line in table_rows(rows):
        lines.append("| " + " | ".join(cell.replace("|", "/") for cell in line) + " |")
    return "\n".join(lines)


def write_report(rows: list[Row], *, output: Path, context: dict) -> tuple[Path, Path]:
    """Write ``benchmark.json`` and ``benchmark.md`` under ``output``; return both paths."""
    output.mkdir(parents=True, exist_ok=True)
    context = {**context, "python": platform.python_version(), "machine": platform.machine()}
    json_path = output / "benchmark.json"
    json_path.write_text(
        json.dumps({"context": context, "rows": [row.as_dict() for row in rows]},
                   ensure_ascii=False, indent=2),
        encoding="utf-8",
    )  # fmt: skip
    md_path = output / "benchmark.md"
    notes = [f"- {row.label}: {row.note}" for row in rows if row.note]
    facts = ", ".join(f"{key} {value}" for key, value in context.items())
    md_path.write_text(
        "# Benchmark\n\n"
        + facts
        + "\n\n"
        + markdown_table(rows)
        + ("\n\nNotes:\n\n" + "\n".join(notes) if notes else "")
        + "\n",
        encoding="utf-8",
    )
    return json_path, md_path

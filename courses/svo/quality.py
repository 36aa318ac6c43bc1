"""Measuring the SVO checker against labelled statements (precision and recall per code).

Used by ``manage.py svo_check --measure``, the benchmark and the test that holds the targets
on the held-out third of tests/data/svo_labelled.tsv (micro precision and recall >= 0.9,
every code's recall >= 0.8). The figures are in docs/svo_checker.md.

The TSV has the columns ``subject verb object why codes`` and optionally ``how``,
``count_per_year``, ``minutes_per_case`` (as typed: 「３，０００」, 「1時間半」), ``asks``
(``what_why`` or ``what_why_how_hours``: what the exercise asked for), ``split`` (``tune`` or
``held_out``) and ``author`` (the role the statement was written in).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass

from .checker import CODES, Statement, check_many
from .lexicon import Lexicon
from .numbers import NumberRefused, read_minutes, read_number

TUNE = "tune"
HELD_OUT = "held_out"
FULL = "what_why_how_hours"
#: The targets on the held-out third.
MICRO_TARGET = 0.9
CODE_RECALL_TARGET = 0.8


@dataclass(frozen=True, slots=True)
class LabelledStatement:
    line: int
    statement: Statement
    expected: frozenset[str]
    split: str = TUNE
    author: str = ""


@dataclass(frozen=True, slots=True)
class CodeQuality:
    code: str
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def labelled(self) -> int:
        return self.true_positives + self.false_negatives

    @property
    def precision(self) -> float:
        flagged = self.true_positives + self.false_positives
        return self.true_positives / flagged if flagged else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.labelled if self.labelled else 1.0


def _typed(reader, value, line: int):
    try:
        return reader(value)
    except NumberRefused:
        return None  # unreadable is what the worksheet would refuse: no number


def read_labelled(text: str) -> list[LabelledStatement]:
    """The rows of a labelled TSV (see the module docstring)."""
    reader = csv.DictReader(text.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE)
    statements = []
    for row in reader:
        expected = frozenset(
            code.strip() for code in (row.get("codes") or "").split(",") if code.strip()
        )
        unknown = expected - set(CODES)
        if unknown:
            raise ValueError(f"line {reader.line_num}: unknown code(s) {sorted(unknown)}")
        split = (row.get("split") or TUNE).strip()
        if split not in {TUNE, HELD_OUT}:
            raise ValueError(f"line {reader.line_num}: split must be tune or held_out")
        full = (row.get("asks") or "").strip() == FULL
        count = _typed(read_number, row.get("count_per_year"), reader.line_num)
        minutes = _typed(read_minutes, row.get("minutes_per_case"), reader.line_num)
        statements.append(
            LabelledStatement(
                line=reader.line_num,
                statement=Statement(
                    subject=row.get("subject") or "",
                    verb=row.get("verb") or "",
                    object=row.get("object") or "",
                    why=row.get("why") or "",
                    how=(row.get("how") or "") if full else None,
                    count_per_year=count,
                    minutes_per_case=minutes,
                    hours_asked=full,
                ),
                expected=expected,
                split=split,
                author=(row.get("author") or "").strip(),
            )
        )
    return statements


def found_codes(
    statements: list[LabelledStatement], *, lexicon: Lexicon | None = None
) -> list[frozenset[str]]:
    return [
        frozenset(codes) for codes in check_many([s.statement for s in statements], lexicon=lexicon)
    ]


def measure(
    statements: list[LabelledStatement],
    found: list[frozenset[str]] | None = None,
    *,
    lexicon: Lexicon | None = None,
) -> list[CodeQuality]:
    """Precision and recall of every code over ``statements``."""
    if found is None:
        found = found_codes(statements, lexicon=lexicon)
    counts = {code: [0, 0, 0] for code in CODES}
    for statement, codes in zip(statements, found, strict=True):
        for code in CODES:
            if code in codes and code in statement.expected:
                counts[code][0] += 1
            elif code in codes:
                counts[code][1] += 1
            elif code in statement.expected:
                counts[code][2] += 1
    return [CodeQuality(code, *counts[code]) for code in CODES]


def micro(results: list[CodeQuality]) -> CodeQuality:
    """All codes pooled (each finding counts once)."""
    return CodeQuality(
        "micro",
        sum(r.true_positives for r in results),
        sum(r.false_positives for r in results),
        sum(r.false_negatives for r in results),
    )


def meets_targets(results: list[CodeQuality]) -> bool:
    pooled = micro(results)
    return (
        pooled.precision >= MICRO_TARGET
        and pooled.recall >= MICRO_TARGET
        and all(r.recall >= CODE_RECALL_TARGET for r in results if r.labelled)
    )


def table(results: list[CodeQuality]) -> list[str]:
    """The figures as lines of a Markdown table (what ``svo_check`` prints)."""
    lines = [
        "| code | labelled | tp | fp | fn | precision | recall |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in [*results, micro(results)]:
        lines.append(
            f"| {r.code} | {r.labelled} | {r.true_positives} | {r.false_positives} "
            f"| {r.false_negatives} | {r.precision:.2f} | {r.recall:.2f} |"
        )
    return lines

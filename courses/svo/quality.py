"""Measuring the SVO checker against labelled statements (precision and recall per code).

Used by ``manage.py svo_check --measure`` and by the test that keeps both figures at or above
0.85 on tests/data/svo_labelled.tsv. The figures are in docs/svo_checker.md.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass

from courses.svo.checker import CODES, check_codes


@dataclass(frozen=True, slots=True)
class LabelledStatement:
    line: int
    subject: str
    verb: str
    object: str
    why: str
    expected: frozenset[str]


@dataclass(frozen=True, slots=True)
class CodeQuality:
    code: str
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        flagged = self.true_positives + self.false_positives
        return self.true_positives / flagged if flagged else 1.0

    @property
    def recall(self) -> float:
        expected = self.true_positives + self.false_negatives
        return self.true_positives / expected if expected else 1.0


def read_labelled(text: str) -> list[LabelledStatement]:
    """Rows of a TSV with the columns ``subject verb object why codes``."""
    reader = csv.DictReader(text.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE)
    statements = []
    for row in reader:
        expected = frozenset(
            code.strip() for code in (row.get("codes") or "").split(",") if code.strip()
        )
        unknown = expected - set(CODES)
        if unknown:
            raise ValueError(f"line {reader.line_num}: unknown code(s) {sorted(unknown)}")
        statements.append(
            LabelledStatement(
                line=reader.line_num,
                subject=row.get("subject") or "",
                verb=row.get("verb") or "",
                object=row.get("object") or "",
                why=row.get("why") or "",
                expected=expected,
            )
        )
    return statements


def measure(statements: list[LabelledStatement]) -> list[CodeQuality]:
    """Precision and recall of every code over ``statements``."""
    counts = {code: [0, 0, 0] for code in CODES}
    for statement in statements:
        found = set(
            check_codes(
                subject=statement.subject,
                verb=statement.verb,
                object=statement.object,
                why=statement.why,
            )
        )
        for code in CODES:
            if code in found and code in statement.expected:
                counts[code][0] += 1
            elif code in found:
                counts[code][1] += 1
            elif code in statement.expected:
                counts[code][2] += 1
    return [CodeQuality(code, *counts[code]) for code in CODES]

"""How well the guidebook search finds what staff mean: recall@3 and MRR on labelled queries.

A labelled query names the pages (by slug) that answer it. For each query the search runs as
staff use it; recall@3 is the share of its pages among the first three results, the
reciprocal rank is 1/rank of the first of them (0 when none is in the results). The figures
of a split are the means over its queries, with the p95 of the time one search took.
"""

from __future__ import annotations

import math
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

from .search import guidebook_search

K = 3
TARGET_RECALL = 0.95
TARGET_MRR = 0.85
SPLITS = ("tune", "heldout")


@dataclass(frozen=True)
class LabelledQuery:
    split: str
    query: str
    expected: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True)
class QueryOutcome:
    labelled: LabelledQuery
    found: tuple[str, ...]  # slugs of the results, best first
    milliseconds: float

    @property
    def recall(self) -> float:
        relevant = set(self.labelled.expected)
        return len(relevant & set(self.found[:K])) / min(len(relevant), K)

    @property
    def reciprocal_rank(self) -> float:
        for rank, slug in enumerate(self.found, start=1):
            if slug in self.labelled.expected:
                return 1 / rank
        return 0.0


@dataclass
class Figures:
    split: str
    outcomes: list[QueryOutcome] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.outcomes)

    @property
    def recall_at_3(self) -> float:
        return statistics.fmean(o.recall for o in self.outcomes) if self.outcomes else 0.0

    @property
    def mrr(self) -> float:
        return statistics.fmean(o.reciprocal_rank for o in self.outcomes) if self.outcomes else 0.0

    @property
    def p95_ms(self) -> float:
        """Nearest-rank 95th percentile of one search's time."""
        ordered = sorted(o.milliseconds for o in self.outcomes)
        if not ordered:
            return 0.0
        return ordered[min(len(ordered), max(1, math.ceil(0.95 * len(ordered)))) - 1]

    @property
    def passed(self) -> bool:
        return self.recall_at_3 >= TARGET_RECALL and self.mrr >= TARGET_MRR

    @property
    def misses(self) -> list[QueryOutcome]:
        return [o for o in self.outcomes if o.recall < 1 or o.reciprocal_rank < 1]


class LabelError(ValueError):
    """The labelled file is malformed (the message says where)."""


def load_labelled(path: Path) -> list[LabelledQuery]:
    """Tab-separated: split, query, expected slugs (comma-separated), note; # comments."""
    queries = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) < 3 or cells[0] not in SPLITS or not cells[1].strip():
            raise LabelError(f"{path.name}:{number}: expected split, query, expected slugs")
        expected = tuple(slug.strip() for slug in cells[2].split(",") if slug.strip())
        if not expected:
            raise LabelError(f"{path.name}:{number}: no expected page")
        note = cells[3] if len(cells) > 3 else ""
        queries.append(LabelledQuery(cells[0], cells[1], expected, note))
    return queries


def evaluate(queries: list[LabelledQuery]) -> list[QueryOutcome]:
    """Run each query once (after one unmeasured warm-up search) and keep what it found."""
    guidebook_search("DX")
    outcomes = []
    for labelled in queries:
        start = time.perf_counter()
        results = guidebook_search(labelled.query)
        elapsed = (time.perf_counter() - start) * 1000
        found = tuple(hit.page.slug for hit in results.hits)
        outcomes.append(QueryOutcome(labelled, found, elapsed))
    return outcomes


def figures_by_split(queries: list[LabelledQuery], splits: tuple[str, ...]) -> list[Figures]:
    outcomes = evaluate([q for q in queries if q.split in splits])
    return [Figures(split, [o for o in outcomes if o.labelled.split == split]) for split in splits]

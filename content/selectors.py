"""Reads of the content app that span relations: reading statistics per chapter.

The guidebook search lives in :mod:`content.search`.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from .models import ChapterPage, ChapterRead, GuidebookPage


@dataclass(frozen=True, slots=True)
class ReadingFigures:
    """Readers of a chapter within some group of people."""

    readers: int
    median_seconds: int | None
    reached_end: int

    @property
    def reached_end_share(self) -> float | None:
        return self.reached_end / self.readers if self.readers else None


def reading_figures(reads: Iterable[tuple[int, bool]]) -> ReadingFigures:
    """Figures from (active_seconds, reached_end) pairs, one pair per reader."""
    rows = list(reads)
    if not rows:
        return ReadingFigures(readers=0, median_seconds=None, reached_end=0)
    return ReadingFigures(
        readers=len(rows),
        median_seconds=round(statistics.median(seconds for seconds, _ in rows)),
        reached_end=sum(1 for _, end in rows if end),
    )


def live_chapters() -> list[dict[str, Any]]:
    """Every live chapter with its edition, in tree order: one query (plus one for editions)."""
    editions = {
        page.pk: page
        for page in GuidebookPage.objects.live().only("id", "title", "title_en", "path")
    }
    chapters = []
    for chapter in (
        ChapterPage.objects.live().order_by("path").only("id", "title", "title_en", "path", "depth")
    ):
        edition = next((e for e in editions.values() if chapter.path.startswith(e.path)), None)
        if edition is None:
            continue
        chapters.append(
            {
                "id": chapter.pk,
                "title": chapter.display_title,
                "edition_id": edition.pk,
                "edition": edition.display_title,
            }
        )
    return chapters


def chapter_reads(*, users_qs: QuerySet | None = None, fields: tuple[str, ...] = ()) -> QuerySet:
    """Rows of ChapterRead for live chapters, optionally limited to ``users_qs``."""
    reads = ChapterRead.objects.filter(page__live=True)
    if users_qs is not None:
        reads = reads.filter(user__in=users_qs.values("pk"))
    return reads.values_list("page_id", "active_seconds", "reached_end", *fields)


def chapter_reading_stats(*, users_qs: QuerySet | None = None) -> list[dict[str, Any]]:
    """Per live chapter: readers, median active seconds, share who reached the end.

    ``users_qs`` limits the readers (e.g. the staff of one department); ``None`` means everyone.
    Three queries whatever the number of chapters or readers: editions, chapters, reads.
    """
    per_page: dict[int, list[tuple[int, bool]]] = defaultdict(list)
    for page_id, seconds, reached_end in chapter_reads(users_qs=users_qs):
        per_page[page_id].append((seconds, reached_end))
    stats = []
    for chapter in live_chapters():
        figures = reading_figures(per_page.get(chapter["id"], ()))
        stats.append(
            {
                **chapter,
                "readers": figures.readers,
                "median_seconds": figures.median_seconds,
                "reached_end_share": figures.reached_end_share,
            }
        )
    return stats


def chapters_finished(*, user: Any, chapter_ids: Iterable[int]) -> set[int]:
    """Which of these chapters ``user`` has read to the end (one query; none if signed out)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(
        ChapterRead.objects.filter(
            user=user, page_id__in=list(chapter_ids), reached_end=True
        ).values_list("page_id", flat=True)
    )

"""Demo reading records: who read which guidebook chapter, in line with who took the course.

Called by ``seed_demo`` after ``devtools.demo.training``. The lessons of DX基礎研修 count as
read only when every linked chapter of the summary edition was read to the end, so everyone
who completed the course this year has read every summary chapter to the end; people in
progress have read the first chapters (as far as their progress goes) and stopped in the
next one. Some of those who completed, and the DX PROs, went on to chapters of the full
edition. Reading time scatters around each chapter's own estimate.

Rows are written in bulk (no signal per row: the course progress was set by the training
demo already). Idempotent: when any chapter already has a reader, nothing is written.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from content.models import ChapterPage, ChapterRead, GuidebookPage
from core.fiscal import current_fiscal_year, fiscal_year_start
from courses.models import CoursePage
from lms.models import Enrollment, EnrollmentStatus
from org.models import DxProAssignment

from .training import MANDATORY_COURSE_TITLE

#: Share of those who completed who also read some of the full edition.
FULL_EDITION_READERS = 0.2


def _chapters(edition: str) -> list[ChapterPage]:
    page = GuidebookPage.objects.filter(edition=edition).live().order_by("path").first()
    return list(page.chapters()) if page else []


class _Reads:
    """Collects one row per (reader, chapter), keeping the first one written."""

    def __init__(self, rng: random.Random, earliest: dt.datetime) -> None:
        self.rng = rng
        self.earliest = earliest
        self.rows: dict[tuple[int, int], ChapterRead] = {}

    def add(self, *, user_id: int, chapter: ChapterPage, by: dt.datetime, to_end: bool) -> None:
        if (user_id, chapter.pk) in self.rows:
            return
        rng = self.rng
        last = max(by - dt.timedelta(minutes=rng.randrange(5, 60 * 24 * 3)), self.earliest)
        first = max(last - dt.timedelta(days=rng.choice([0, 0, 0, 1, 4])), self.earliest)
        expected = chapter.reading_minutes * 60
        share = rng.uniform(0.6, 1.6) if to_end else rng.uniform(0.15, 0.6)
        self.rows[(user_id, chapter.pk)] = ChapterRead(
            user_id=user_id,
            page_id=chapter.pk,
            first_read_at=first,
            last_read_at=last,
            active_seconds=max(20, round(expected * share)),
            reached_end=to_end,
            read_count=1 if first == last else rng.choice([2, 2, 3]),
        )


@transaction.atomic
def reading_demo_seed(*, seed: int = 2026) -> dict:
    """Write the demo's chapter reads; returns how many rows per edition were created."""
    summary, full = _chapters("summary"), _chapters("full")
    course = CoursePage.objects.filter(title=MANDATORY_COURSE_TITLE).first()
    created = {"summary": 0, "full": 0}
    if course is None or not summary:
        return created
    if ChapterRead.objects.filter(page__in=[*summary, *full]).exists():
        return created  # seeded on an earlier run (or real people read already)
    year = current_fiscal_year()
    now = timezone.now()
    reads = _Reads(
        random.Random(seed),
        timezone.make_aware(dt.datetime.combine(fiscal_year_start(year), dt.time(9))),
    )
    rng = reads.rng
    enrollments = (
        Enrollment.objects.filter(
            course=course,
            fiscal_year=year,
            status__in=[EnrollmentStatus.COMPLETED, EnrollmentStatus.IN_PROGRESS],
        )
        .order_by("pk")
        .values_list("user_id", "status", "progress", "started_at", "completed_at")
    )
    completers: list[tuple[int, dt.datetime]] = []
    for user_id, status, progress, started_at, completed_at in enrollments:
        if status == EnrollmentStatus.COMPLETED:
            by = completed_at or now
            for chapter in summary:
                reads.add(user_id=user_id, chapter=chapter, by=by, to_end=True)
            completers.append((user_id, by))
            continue
        by = max(started_at or now, now - dt.timedelta(days=rng.randrange(0, 30)))
        done = min(len(summary) - 1, round(len(summary) * progress / 100))
        for chapter in summary[:done]:
            reads.add(user_id=user_id, chapter=chapter, by=by, to_end=True)
        reads.add(user_id=user_id, chapter=summary[done], by=by, to_end=False)

    if full:
        for user_id, _completed in completers:
            if rng.random() < FULL_EDITION_READERS:
                for chapter in rng.sample(full, rng.randint(1, min(4, len(full)))):
                    reads.add(user_id=user_id, chapter=chapter, by=now, to_end=rng.random() < 0.7)
        dx_pros = DxProAssignment.objects.filter(fiscal_year=year, user__is_active=True)
        for user_id in dx_pros.values_list("user_id", flat=True).distinct().order_by("user_id"):
            for chapter in full[: max(1, len(full) // 2)]:
                reads.add(user_id=user_id, chapter=chapter, by=now, to_end=True)

    summary_ids = {chapter.pk for chapter in summary}
    rows = list(reads.rows.values())
    ChapterRead.objects.bulk_create(rows, batch_size=1000)
    created["summary"] = sum(1 for row in rows if row.page_id in summary_ids)
    created["full"] = len(rows) - created["summary"]
    return created

"""The DX office's guidebook reading report: per chapter, per department and section.

Who read which chapter comes from the content app (``ChapterRead``); which unit a reader
belongs to is lms knowledge, so the grouping lives here. Units are grouped by materialised
path prefix, so a department's figures include everyone in its sections and units. Staff are
counted in the unit they belong to now (the current roster), active staff only.

Video lessons (``courses.models.VideoLessonPage``) are listed after the chapters, labelled
as videos of their course: their "readers" are the staff who played them this fiscal year,
the time is the seconds actually watched, and "reached the end" means watched to the
lesson's completion share.

Query count is fixed whatever the number of staff, units, chapters or videos: editions,
chapters, video lessons, units, staff counts per unit, reads, and (when there are video
lessons) watches - six or seven queries.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count

from content.selectors import chapter_reads, live_chapters, reading_figures
from courses.video.selectors import video_lessons_for_report, video_watch_rows
from org.models import OrgUnit, OrgUnitKind
from org.paths import ancestor_paths, sum_by_ancestor

from ..models import User

#: Unit kinds the report groups by (bureaus, where a city has them, too).
REPORT_KINDS = (OrgUnitKind.BUREAU, OrgUnitKind.DEPARTMENT, OrgUnitKind.SECTION)


@dataclass(frozen=True, slots=True)
class ReadingRow:
    chapter_id: int
    chapter: str
    edition: str
    unit_id: int | None  # None: the whole organisation
    unit: str
    unit_kind: str
    depth: int
    staff: int
    readers: int
    median_seconds: int | None
    reached_end: int

    @property
    def read_share(self) -> float | None:
        return self.readers / self.staff if self.staff else None

    @property
    def reached_end_share(self) -> float | None:
        return self.reached_end / self.readers if self.readers else None

    @property
    def read_percent(self) -> int | None:
        """``read_share`` as a whole percentage (the bars and their text)."""
        share = self.read_share
        return None if share is None else round(share * 100)

    @property
    def reached_end_percent(self) -> int | None:
        share = self.reached_end_share
        return None if share is None else round(share * 100)

    @property
    def median_minutes(self) -> float | None:
        return None if self.median_seconds is None else round(self.median_seconds / 60, 1)


def reading_report() -> dict:
    """Every live chapter with a whole-organisation row and one row per bureau/department/section.

    Returns ``{"chapters": [...], "rows": {chapter_id: [ReadingRow, ...]}}``; rows of a chapter
    come in tree order (a department followed by its sections).
    """
    videos = video_lessons_for_report()
    chapters = live_chapters() + videos
    units = list(
        OrgUnit.objects.current()
        .filter(kind__in=REPORT_KINDS)
        .order_by("path")
        .values("id", "path", "depth", "kind", "name")
    )
    by_path = {unit["path"]: unit for unit in units}

    active = User.objects.filter(is_active=True)
    per_unit = list(active.values_list("unit__path").annotate(n=Count("pk")).order_by())
    total_staff = sum(n for _path, n in per_unit)
    staff_per_unit = sum_by_ancestor(per_unit)

    reads: dict[tuple[int, str | None], list[tuple[int, bool]]] = defaultdict(list)
    rows_read = list(chapter_reads(users_qs=active, fields=("user__unit__path",)))
    if videos:
        rows_read += [
            (lesson_id, round(seconds), completed_at is not None, unit_path)
            for lesson_id, seconds, completed_at, unit_path in video_watch_rows(
                lesson_ids=[video["id"] for video in videos],
                users_qs=active,
                fields=("user__unit__path",),
            )
        ]
    for page_id, seconds, reached_end, unit_path in rows_read:
        reads[(page_id, None)].append((seconds, reached_end))
        for prefix in ancestor_paths(unit_path or ""):
            if prefix in by_path:
                reads[(page_id, prefix)].append((seconds, reached_end))

    rows: dict[int, list[ReadingRow]] = {}
    for chapter in chapters:
        figures = reading_figures(reads.get((chapter["id"], None), ()))
        chapter_rows = [
            ReadingRow(
                chapter_id=chapter["id"],
                chapter=chapter["title"],
                edition=chapter["edition"],
                unit_id=None,
                unit="",
                unit_kind="",
                depth=0,
                staff=total_staff,
                readers=figures.readers,
                median_seconds=figures.median_seconds,
                reached_end=figures.reached_end,
            )
        ]
        for unit in units:
            figures = reading_figures(reads.get((chapter["id"], unit["path"]), ()))
            chapter_rows.append(
                ReadingRow(
                    chapter_id=chapter["id"],
                    chapter=chapter["title"],
                    edition=chapter["edition"],
                    unit_id=unit["id"],
                    unit=unit["name"],
                    unit_kind=unit["kind"],
                    depth=unit["depth"],
                    staff=staff_per_unit.get(unit["path"], 0),
                    readers=figures.readers,
                    median_seconds=figures.median_seconds,
                    reached_end=figures.reached_end,
                )
            )
        rows[chapter["id"]] = chapter_rows
    return {"chapters": chapters, "rows": rows}

"""Reads of video lessons: a learner's watch, and the rows HR's reading report needs.

``video_lessons_for_report`` (two queries) and ``video_watch_rows`` (one) do not grow with the
number of lessons, staff or watches (the report adds them to its own fixed count).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from core.fiscal import fiscal_year_of

from ..models import CoursePage, VideoLessonPage, VideoWatch

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


def watch_of(*, user: AbstractBaseUser, lesson: VideoLessonPage) -> VideoWatch | None:
    """``user``'s watch of ``lesson`` this fiscal year, if they played any of it."""
    if not user.is_authenticated:
        return None
    return VideoWatch.objects.filter(
        user_id=user.pk, lesson_id=lesson.pk, fiscal_year=fiscal_year_of()
    ).first()


def video_lessons_for_report() -> list[dict[str, Any]]:
    """Every live video lesson as the reading report lists its chapters: id, title, and an
    "edition" label naming it a video of its course (two queries: lessons, courses)."""
    lessons = []
    course_titles = {}
    pages = VideoLessonPage.objects.live().order_by("path").only("id", "title", "path", "depth")
    for lesson in pages:
        lessons.append(lesson)
        course_titles[lesson.path[: -VideoLessonPage.steplen]] = None
    for course in CoursePage.objects.filter(path__in=course_titles).only("path", "title"):
        course_titles[course.path] = course.title
    return [
        {
            "id": lesson.pk,
            "title": lesson.title,
            "edition_id": None,
            "edition": _("Video: %(course)s")
            % {"course": course_titles.get(lesson.path[: -VideoLessonPage.steplen]) or ""},
        }
        for lesson in lessons
    ]


def video_watch_rows(
    *,
    users_qs: QuerySet | None = None,
    fields: tuple[str, ...] = (),
    fiscal_year: int | None = None,
) -> QuerySet:
    """(lesson id, seconds watched, completed_at or None, *fields) per watch of a live
    video lesson in ``fiscal_year`` (this one by default), limited to ``users_qs``."""
    watches = VideoWatch.objects.filter(
        lesson__live=True, fiscal_year=fiscal_year or fiscal_year_of()
    )
    if users_qs is not None:
        watches = watches.filter(user__in=users_qs.values("pk"))
    return watches.values_list("lesson_id", "watched_seconds", "completed_at", *fields)

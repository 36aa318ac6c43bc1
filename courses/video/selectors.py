"""Reads of video lessons: a learner's watch, and the rows HR's reading report needs.

``video_lessons_for_report`` and ``video_watch_rows`` are one query each and do not grow with the
number of lessons, staff or watches (the report adds them to its own fixed count).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.functions import Length, Substr
from django.utils.translation import gettext as _
from wagtail.models import Page

from core.fiscal import fiscal_year_of

from ..models import VideoLessonPage, VideoWatch
from ..years import course_path_of, latest_cycle, training_period

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


def watch_of(*, user: AbstractBaseUser, lesson: VideoLessonPage) -> VideoWatch | None:
    """``user``'s watch of ``lesson`` in the period their training counts for
    (``courses.years``), if they played any of it."""
    if not user.is_authenticated:
        return None
    period = training_period(user_id=user.pk, course_path=course_path_of(lesson))
    return VideoWatch.objects.filter(
        user_id=user.pk, lesson_id=lesson.pk, **period.fields()
    ).first()


def video_lessons_for_report() -> list[dict[str, Any]]:
    """Every live video lesson as the reading report lists its chapters: id, title, and an
    "edition" label naming it a video of its course (one query: the course title is a
    subquery on the parent's path)."""
    parent_title = Page.objects.filter(
        path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - VideoLessonPage.steplen)
    ).values("title")[:1]
    lessons = (
        VideoLessonPage.objects.live()
        .order_by("path")
        .annotate(course_title=Subquery(parent_title))
        .values("id", "title", "course_title")
    )
    return [
        {
            "id": lesson["id"],
            "title": lesson["title"],
            "edition_id": None,
            "edition": _("Video: %(course)s") % {"course": lesson["course_title"] or ""},
        }
        for lesson in lessons
    ]


def video_watch_rows(
    *,
    lesson_ids: list[int],
    users_qs: QuerySet | None = None,
    fields: tuple[str, ...] = (),
    fiscal_year: int | None = None,
) -> QuerySet:
    """(lesson id, seconds watched, completed_at or None, *fields) per watcher of the lessons
    ``lesson_ids`` in ``fiscal_year`` (this one by default), limited to ``users_qs``: one row
    per person and lesson, their watch of the year's latest cycle they played it in."""
    year = fiscal_year or fiscal_year_of()
    of_year = VideoWatch.objects.filter(lesson_id__in=lesson_ids, fiscal_year=year)
    watches = of_year.filter(
        latest_cycle(of_year.filter(cycle__gt=0), same=("user_id", "lesson_id"))
    )
    if users_qs is not None:
        watches = watches.filter(user__in=users_qs.values("pk"))
    return watches.values_list("lesson_id", "watched_seconds", "completed_at", *fields)

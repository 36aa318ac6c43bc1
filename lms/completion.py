"""The completion engine: an enrollment follows the course's completion rule.

The courses app announces events (a lesson read, an attempt graded or passed) through
``courses.signals``; ``lms.receivers`` turns each into a task that calls
``enrollment_evaluate`` here. The rule itself is read from ``courses.selectors.course_progress``
so both apps agree on it. A completion is never undone by a later event, and it records the
unit the person sat in at that moment.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from courses.models import CoursePage
from courses.selectors import CourseProgress, course_progress

from .models import Enrollment, EnrollmentStatus, User


def worksheet_done(progress: CourseProgress) -> bool:
    """Whether the worksheet part of the rule holds.

    The SVO worksheet part is being added to ``CourseProgress`` by the worksheet issue. Until
    the progress says how the worksheet stands (``worksheet_approved``), a required worksheet is
    treated as met, so that courses complete on their lessons and quizzes meanwhile.
    """
    if not progress.worksheet_required:
        return True
    return bool(getattr(progress, "worksheet_approved", True))


def progress_percent(progress: CourseProgress) -> int:
    """Share of the required parts done: lessons and quizzes each count as one step."""
    steps = done = 0
    if progress.lessons_required and progress.lessons_total:
        steps += progress.lessons_total
        done += min(len(progress.lessons_read), progress.lessons_total)
    if progress.quiz_required and progress.quizzes_total:
        steps += progress.quizzes_total
        done += min(len(progress.quizzes_passed), progress.quizzes_total)
    if progress.worksheet_required and hasattr(progress, "worksheet_approved"):
        steps += 1
        done += int(bool(progress.worksheet_approved))
    return 100 if not steps else int(100 * done / steps)


def is_complete(progress: CourseProgress) -> bool:
    """The course's completion rule: lessons, quizzes and worksheet, each part optional."""
    return progress.complete_without_worksheet and worksheet_done(progress)


@dataclass(frozen=True)
class EvaluationResult:
    """What an evaluation changed; ``stat_unit_id`` is the unit whose figures to recount."""

    enrollment_id: int | None
    changed: bool
    stat_unit_id: int | None = None
    course_id: int | None = None
    fiscal_year: int | None = None


@transaction.atomic
def enrollment_evaluate(*, user_id: int, course_id: int, fiscal_year: int) -> EvaluationResult:
    """Bring one enrollment in line with the learner's progress (idempotent).

    People without an enrollment for the course and year, withdrawn and completed ones are
    left alone: a completion is never erased by a later event.
    """
    enrollment = (
        Enrollment.objects.select_for_update()
        .filter(user_id=user_id, course_id=course_id, fiscal_year=fiscal_year)
        .first()
    )
    if enrollment is None or not enrollment.is_open:
        return EvaluationResult(enrollment_id=getattr(enrollment, "pk", None), changed=False)
    user = User.objects.only("pk", "unit_id").get(pk=user_id)
    course = CoursePage.objects.get(pk=course_id)
    progress = course_progress(user=user, course=course, fiscal_year=fiscal_year)
    now = timezone.now()
    before = (enrollment.status, enrollment.progress)
    enrollment.progress = progress_percent(progress)
    if is_complete(progress):
        enrollment.status = EnrollmentStatus.COMPLETED
        enrollment.progress = 100
        enrollment.completed_at = now
        enrollment.unit_at_completion_id = user.unit_id
        enrollment.started_at = enrollment.started_at or now
    elif progress.started:
        enrollment.status = EnrollmentStatus.IN_PROGRESS
        enrollment.started_at = enrollment.started_at or now
    if (enrollment.status, enrollment.progress) == before:
        return EvaluationResult(enrollment_id=enrollment.pk, changed=False)
    enrollment.updated_at = now
    enrollment.save()
    return EvaluationResult(
        enrollment_id=enrollment.pk,
        changed=True,
        stat_unit_id=user.unit_id,
        course_id=course_id,
        fiscal_year=fiscal_year,
    )

"""Receivers of the events lms listens to: course progress and roster imports.

Receivers must be quick and must not raise (they run in the learner's request or in the task
that caused the event), so each only enqueues a task; a broker outage is logged, and the
daily figures rebuild and the next event catch up.
"""

from __future__ import annotations

import logging

from django.dispatch import receiver

from courses.signals import (
    attempt_graded,
    attempt_passed,
    lesson_read,
    worksheet_approved,
    worksheet_submitted,
)

from .signals import roster_applied
from .tasks import enrollment_evaluate_task, enrollments_sync_task

logger = logging.getLogger(__name__)


def _evaluate(user, course, fiscal_year) -> None:
    try:
        enrollment_evaluate_task.delay(user.pk, course.pk, fiscal_year)
    except Exception:
        logger.exception("Could not queue the evaluation of %s in %s", user.pk, course.pk)


@receiver(lesson_read, dispatch_uid="lms.completion.lesson_read")
def on_lesson_read(sender, *, user, course, fiscal_year, **kwargs) -> None:
    """A lesson was read: the enrollment may start or complete."""
    _evaluate(user, course, fiscal_year)


@receiver(attempt_graded, dispatch_uid="lms.completion.attempt_graded")
def on_attempt_graded(sender, *, user, course, fiscal_year, passed, **kwargs) -> None:
    """A quiz attempt was graded: a failed one still starts the course."""
    if not passed:  # a pass is handled by attempt_passed, sent right after
        _evaluate(user, course, fiscal_year)


@receiver(attempt_passed, dispatch_uid="lms.completion.attempt_passed")
def on_attempt_passed(sender, *, user, course, fiscal_year, **kwargs) -> None:
    """A quiz was passed: the enrollment may complete."""
    _evaluate(user, course, fiscal_year)


@receiver(worksheet_submitted, dispatch_uid="lms.completion.worksheet_submitted")
@receiver(worksheet_approved, dispatch_uid="lms.completion.worksheet_approved")
def on_worksheet_event(sender, *, user, exercise, fiscal_year, **kwargs) -> None:
    """An SVO worksheet was submitted or approved: the enrollment may start or complete."""
    try:
        course = exercise.get_parent()
    except Exception:  # a receiver must not break the reviewer's request
        logger.exception("Could not find the course of exercise %s", exercise.pk)
        return
    _evaluate(user, course, fiscal_year)


@receiver(roster_applied, dispatch_uid="lms.enrollments.roster_applied")
def on_roster_applied(sender, *, roster_import_id, **kwargs) -> None:
    """People joined or moved: give them what the active assignments say."""
    try:
        enrollments_sync_task.delay()
    except Exception:
        logger.exception("Could not queue the enrollment sync after import %s", roster_import_id)

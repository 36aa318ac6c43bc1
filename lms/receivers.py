"""Receivers of the events lms listens to: course progress and roster imports.

Receivers must be quick and must not raise (they run in the learner's request or in the task
that caused the event), so each only enqueues a task; a broker outage is logged, and the
daily figures rebuild and the next event catch up.

In a worker the events come from a task (quiz grading, a batch of attempts at a time). There
the evaluations are collected while the task runs and, when it ends, queued as one task for
the whole batch (``lms.enrollments_evaluate_batch``): one transaction per course instead of
two more tasks per attempt, and the grading of the next attempts does not wait for it. If
that cannot be queued, the batch is evaluated there and then; if the evaluation fails, the
single tasks are queued as they would have been, so nothing is lost.
"""

from __future__ import annotations

import logging

from celery.signals import task_postrun, task_prerun
from django.dispatch import receiver

from courses.signals import (
    attempt_graded,
    attempt_passed,
    lesson_read,
    worksheet_approved,
    worksheet_submitted,
)
from org.signals import roster_applied

from . import completion, stats
from .tasks import (
    enrollment_evaluate_task,
    enrollments_evaluate_batch_task,
    enrollments_sync_task,
    unit_stats_refresh_task,
)

logger = logging.getLogger(__name__)

Key = tuple[int, int, int]  # (user_id, course_id, fiscal_year)

#: The evaluations asked for while a worker task runs; ``None`` when none is collecting.
_collected: set[Key] | None = None


def _queue_evaluation(user_id: int, course_id: int, fiscal_year: int) -> None:
    try:
        enrollment_evaluate_task.delay(user_id, course_id, fiscal_year)
    except Exception:
        logger.exception("Could not queue the evaluation of %s in %s", user_id, course_id)


def _evaluate(user, course, fiscal_year) -> None:
    if _collected is not None:
        _collected.add((user.pk, course.pk, fiscal_year))
    else:
        _queue_evaluation(user.pk, course.pk, fiscal_year)


def evaluations_collect() -> None:
    """From now on, keep the evaluations asked for until ``evaluations_run``."""
    global _collected
    _collected = set()


def evaluations_take() -> set[Key]:
    """What was collected; stop collecting."""
    global _collected
    keys, _collected = _collected, None
    return keys or set()


def evaluations_run(keys) -> None:
    """Evaluate the enrollments ``keys`` ((user, course, year) triples), then recount the
    units whose figures changed. A course whose evaluation fails gets its tasks queued
    instead, and units whose recount fails get theirs."""
    learners: dict[tuple[int, int], set[int]] = {}
    for user_id, course_id, fiscal_year in keys:
        learners.setdefault((course_id, fiscal_year), set()).add(user_id)
    for (course_id, fiscal_year), user_ids in sorted(learners.items()):
        try:
            results = completion.enrollments_evaluate(
                course_id=course_id, fiscal_year=fiscal_year, user_ids=user_ids
            )
        except Exception:
            logger.exception("Evaluating %d enrollment(s) failed; queueing them", len(user_ids))
            for user_id in sorted(user_ids):
                _queue_evaluation(user_id, course_id, fiscal_year)
            continue
        units = {
            (result.stat_unit_id, result.course_id, result.fiscal_year)
            for result in results
            if result.changed and result.stat_unit_id is not None
        }
        try:
            stats.units_stats_refresh(keys=units)
        except Exception:
            logger.exception("Recounting %d unit(s) failed; queueing them", len(units))
            for key in sorted(units):
                try:
                    unit_stats_refresh_task.delay(*key)
                except Exception:
                    logger.exception("Could not queue the recount of unit %s", key[0])


def _in_worker(task) -> bool:
    return task is not None and not getattr(task.request, "is_eager", False)


@task_prerun.connect(dispatch_uid="lms.receivers.collect_evaluations")
def _task_started(sender=None, **kwargs) -> None:
    if _in_worker(sender):
        evaluations_collect()


@task_postrun.connect(dispatch_uid="lms.receivers.run_evaluations")
def _task_finished(sender=None, **kwargs) -> None:
    if not _in_worker(sender):
        return
    keys = evaluations_take()
    if not keys:
        return
    try:
        enrollments_evaluate_batch_task.delay(sorted(keys))
    except Exception:
        logger.exception(
            "Could not queue the evaluation of %d enrollment(s); running it", len(keys)
        )
        evaluations_run(keys)


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

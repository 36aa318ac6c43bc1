"""Celery tasks of the lms app: thin wrappers that take ids and call a service.

The services are idempotent by status (a validation runs once, an apply refuses an applied
import), so a task delivered twice after a worker restart does no harm.
"""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError

from core.fiscal import current_fiscal_year

from . import completion, fan_out, reminders, stats

_TRANSIENT = (OperationalError, InterfaceError)


def lms_task(
    *, soft_time_limit: int, time_limit: int | None = None, max_retries: int = 3, **options
):
    """``shared_task`` with the options every lms task shares.

    Acknowledged after the work (a killed worker's task is re-delivered), retried with
    backoff when the database drops a connection, hard-killed a minute after the soft limit.
    """
    return shared_task(
        bind=True,
        acks_late=True,
        autoretry_for=_TRANSIENT,
        retry_backoff=True,
        max_retries=max_retries,
        soft_time_limit=soft_time_limit,
        time_limit=time_limit or soft_time_limit + 60,
        **options,
    )


@lms_task(name="lms.assignment_fan_out", soft_time_limit=900)
def assignment_fan_out_task(self, assignment_id: int) -> int:
    """Enroll an assignment's audience in batches, then rebuild the course's figures."""
    assignment = fan_out.assignment_fan_out(assignment_id=assignment_id)
    stats.stats_rebuild(fiscal_year=assignment.fiscal_year, course_id=assignment.course_id)
    return assignment.enrolled_count


@lms_task(name="lms.enrollments_sync_for_active_assignments", soft_time_limit=900)
def enrollments_sync_task(self) -> int:
    """After a roster import: enroll joiners and movers, rebuild the figures touched."""
    touched = fan_out.enrollments_sync_for_active_assignments()
    for course_id, fiscal_year in touched:
        stats.stats_rebuild(fiscal_year=fiscal_year, course_id=course_id)
    return len(touched)


@lms_task(name="lms.enrollment_evaluate", soft_time_limit=60, max_retries=5, time_limit=90)
def enrollment_evaluate_task(self, user_id: int, course_id: int, fiscal_year: int) -> bool:
    """Re-evaluate one enrollment after a course event; recount its unit when it changed."""
    result = completion.enrollment_evaluate(
        user_id=user_id, course_id=course_id, fiscal_year=fiscal_year
    )
    if result.changed and result.stat_unit_id is not None:
        unit_stats_refresh_task.delay(result.stat_unit_id, course_id, fiscal_year)
    return result.changed


@lms_task(name="lms.enrollments_evaluate_batch", soft_time_limit=120, max_retries=5)
def enrollments_evaluate_batch_task(self, keys: list[list[int]]) -> int:
    """Evaluate the enrollments a grading batch touched ((user, course, year) triples), then
    recount their units; queued once per grading task by ``lms.receivers``."""
    from .receivers import evaluations_run  # receivers import this module

    evaluations_run(keys)
    return len(keys)


@lms_task(name="lms.unit_stats_refresh", soft_time_limit=60, max_retries=5, time_limit=90)
def unit_stats_refresh_task(self, unit_id: int, course_id: int, fiscal_year: int) -> None:
    """Recount one unit's figures for a course and year (idempotent upsert)."""
    stats.unit_stats_refresh(unit_id=unit_id, course_id=course_id, fiscal_year=fiscal_year)


@lms_task(name="lms.stats_rebuild", soft_time_limit=600)
def stats_rebuild_task(self, fiscal_year: int | None = None, course_id: int | None = None) -> int:
    """Rebuild the figures (daily for the current year: "overdue" moves with the date)."""
    year = fiscal_year if fiscal_year is not None else current_fiscal_year()
    return stats.stats_rebuild(fiscal_year=year, course_id=course_id)


@lms_task(name="lms.reminders_send_daily", soft_time_limit=1800)
def reminders_send_daily_task(self) -> dict:
    """The daily digest and escalations; the log makes a re-run send nothing twice."""
    return reminders.reminders_send_daily()

"""Celery tasks of the lms app: thin wrappers that take ids and call a service.

Every task is ``core.tasks.task`` (acknowledged late, retried on a dropped database, its
``QueuedTask`` row kept current); the services are idempotent by status, so a task
delivered twice after a worker restart does no harm.
"""

from __future__ import annotations

from core.fiscal import current_fiscal_year
from core.tasks import task

from .completion import engine as completion
from .completion import figures as stats
from .enrolment import fan_out
from .reminders import services as reminders
from .reports import schedules


@task(name="lms.assignment_fan_out", soft_time_limit=900)
def assignment_fan_out_task(self, assignment_id: int) -> int:
    """Enroll an assignment's audience in batches, then rebuild the course's figures."""
    assignment = fan_out.assignment_fan_out(assignment_id=assignment_id)
    stats.stats_rebuild(fiscal_year=assignment.fiscal_year, course_id=assignment.course_id)
    return assignment.enrolled_count


@task(name="lms.enrollments_sync_for_active_assignments", soft_time_limit=900)
def enrollments_sync_task(self) -> int:
    """After a roster import: enroll joiners and movers, rebuild the figures touched."""
    touched = fan_out.enrollments_sync_for_active_assignments()
    for course_id, fiscal_year in touched:
        stats.stats_rebuild(fiscal_year=fiscal_year, course_id=course_id)
    return len(touched)


@task(name="lms.enrollment_evaluate", soft_time_limit=60, max_retries=5)
def enrollment_evaluate_task(self, user_id: int, course_id: int, fiscal_year: int) -> bool:
    """Re-evaluate one enrollment after a course event; recount its unit when it changed."""
    return bool(completion.enrollments_evaluate_many([(user_id, course_id, fiscal_year)]))


@task(name="lms.enrollments_evaluate_batch", soft_time_limit=120, max_retries=5)
def enrollments_evaluate_batch_task(self, keys: list[list[int]]) -> int:
    """Evaluate the enrollments a grading batch touched ((user, course, year) triples), then
    recount their units."""
    return completion.enrollments_evaluate_many(keys)


@task(name="lms.unit_stats_refresh", soft_time_limit=60, max_retries=5)
def unit_stats_refresh_task(self, unit_id: int, course_id: int, fiscal_year: int) -> None:
    """Recount one unit's figures for a course and year (idempotent upsert)."""
    stats.unit_stats_refresh(unit_id=unit_id, course_id=course_id, fiscal_year=fiscal_year)


@task(name="lms.stats_rebuild", soft_time_limit=600)
def stats_rebuild_task(self, fiscal_year: int | None = None, course_id: int | None = None) -> int:
    """Rebuild the figures (daily for the current year: "overdue" moves with the date)."""
    year = fiscal_year if fiscal_year is not None else current_fiscal_year()
    return stats.stats_rebuild(fiscal_year=year, course_id=course_id)


@task(name="lms.reminders_send_daily", soft_time_limit=1800)
def reminders_send_daily_task(self) -> dict:
    """The daily digest and escalations; the log makes a re-run send nothing twice."""
    return reminders.reminders_send_daily()


@task(name="lms.scheduled_reports_send", soft_time_limit=1800)
def scheduled_reports_send_task(self) -> int:
    """The reports HR scheduled that are due today (07:30); each is sent once a period."""
    return schedules.scheduled_reports_send_due()

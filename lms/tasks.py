"""Celery tasks of the lms app: thin wrappers that take ids and call a service.

Every task is ``core.tasks.task`` (acknowledged late, retried on a dropped database, its
``QueuedTask`` row kept current); the services are idempotent by status, so a task
delivered twice after a worker restart does no harm.
"""

from __future__ import annotations

import datetime as dt

from core.fiscal import current_fiscal_year
from core.queue import enqueue_on_commit
from core.tasks import task

from .completion import engine as completion
from .completion import figures as stats
from .enrolment import cycles, fan_out
from .notices import assignment as assignment_notices
from .notices import certificate as certificate_notices
from .reminders import services as reminders
from .reports import schedules


@task(name="lms.assignment_fan_out", soft_time_limit=900)
def assignment_fan_out_task(self, assignment_id: int) -> int:
    """Enroll an assignment's audience in batches, then rebuild the course's figures."""
    assignment = fan_out.assignment_fan_out(assignment_id=assignment_id)
    stats.stats_rebuild(fiscal_year=assignment.fiscal_year, course_id=assignment.course_id)
    enqueue_on_commit(assignment_notices_send_task, assignment_id, key=str(assignment_id))
    return assignment.enrolled_count


@task(name="lms.enrollments_sync_for_active_assignments", soft_time_limit=900)
def enrollments_sync_task(self) -> int:
    """Enroll joiners and movers, rebuild the figures touched. A roster apply now does the
    enrolment in its own transaction (``completion.receivers``); the task stays for work
    queued under this name before that, and for an operator who wants a full sync."""
    touched = fan_out.enrollments_sync_for_active_assignments()
    for course_id, fiscal_year in touched:
        stats.stats_rebuild(fiscal_year=fiscal_year, course_id=course_id)
    assignment_notices_enqueue_pending()
    return len(touched)


def assignment_notices_enqueue_pending() -> int:
    """Queue the notices of every assignment some of whose people were not told yet (after
    the commit); how many assignments."""
    pending = assignment_notices.assignments_with_notices_pending()
    for assignment_id in pending:
        enqueue_on_commit(assignment_notices_send_task, assignment_id, key=str(assignment_id))
    return len(pending)


@task(name="lms.assignment_notices_send", soft_time_limit=1800)
def assignment_notices_send_task(self, assignment_id: int) -> int:
    """E-mail the people an assignment enrolled and has not told yet (idempotent)."""
    return assignment_notices.assignment_notices_send(assignment_id=assignment_id)


@task(name="lms.notices_sweep", soft_time_limit=120)
def notices_sweep_task(self) -> int:
    """Queue the notices whose task was lost: assignments with people not told yet, and
    recent completions whose certificate was not announced (periodic)."""
    count = assignment_notices_enqueue_pending()
    completions = certificate_notices.completions_to_notify()
    if completions:
        enqueue_on_commit(certificates_notify_task, completions, key="sweep")
    return count + len(completions)


@task(name="lms.certificates_notify", soft_time_limit=300, max_retries=5)
def certificates_notify_task(self, enrollment_ids: list[int]) -> int:
    """Issue the certificates of these completions and tell each holder once."""
    return sum(
        certificate_notices.certificate_notify(enrollment_id=enrollment_id)
        for enrollment_id in enrollment_ids
    )


@task(name="lms.enrollment_evaluate", soft_time_limit=60, max_retries=5)
def enrollment_evaluate_task(
    self, user_id: int, course_id: int, fiscal_year: int, cycle: int = 0
) -> bool:
    """Re-evaluate one enrollment after a course event; recount its unit when it changed."""
    return bool(completion.enrollments_evaluate_many([(user_id, course_id, fiscal_year, cycle)]))


@task(name="lms.enrollments_evaluate_batch", soft_time_limit=120, max_retries=5)
def enrollments_evaluate_batch_task(self, keys: list[list[int]]) -> int:
    """Evaluate the enrollments a grading batch touched ((user, course, year, cycle)), then
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


@task(name="lms.compliance_cycles_daily", soft_time_limit=1800)
def compliance_cycles_daily_task(self, today: str | None = None) -> dict:
    """00:01 JST: open the recurring assignments' cycles due today and fan them out, re-enrol
    people whose certificates are about to expire, rebuild the figures touched.

    ``today`` (ISO date) names the day to run for; the beat schedule leaves it out (today in
    Asia/Tokyo). Idempotent: a second run opens and enrols nothing twice and finishes a
    fan-out a crash left.
    """
    day = dt.date.fromisoformat(today) if today else None
    run = cycles.compliance_cycles_run(today=day)
    for assignment_id in cycles.cycles_to_fan_out():
        assignment = fan_out.assignment_fan_out(assignment_id=assignment_id)
        stats.stats_rebuild(fiscal_year=assignment.fiscal_year, course_id=assignment.course_id)
    for course_id, fiscal_year in sorted(run.renewals.enrolled):
        stats.stats_rebuild(fiscal_year=fiscal_year, course_id=course_id)
    assignment_notices_enqueue_pending()
    return run.as_dict()


@task(name="lms.scheduled_reports_send", soft_time_limit=1800)
def scheduled_reports_send_task(self) -> int:
    """The reports HR scheduled that are due today (07:30); each is sent once a period."""
    return schedules.scheduled_reports_send_due()

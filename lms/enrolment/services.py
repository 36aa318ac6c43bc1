"""Writes of assignments and enrollments: the entry points for views, commands and demo data.

The heavy work (fan-out, figures) runs in Celery tasks recorded with the change and sent once
the transaction commits (``core.queue``): a worker never looks for a row that is not there
yet, and a broker outage at that moment delays the work instead of losing it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from audit import services as audit
from audit.models import AuditAction
from core.queue import enqueue_on_commit
from courses.models import CoursePage
from org import access
from org.models import OrgUnit

from ..models import (
    OPEN_STATUSES,
    RECURRENCE_MONTHS,
    Assignment,
    AssignmentStatus,
    DueRule,
    Enrollment,
    EnrollmentStatus,
    Recurrence,
    User,
    course_cycles,
)
from ..my_training.cache import my_training_changed_for_everyone
from ..tasks import assignment_fan_out_task, stats_rebuild_task, unit_stats_refresh_task
from .fan_out import (
    assignment_audience,
    assignment_fan_out,
    enrollments_sync_for_active_assignments,
)

__all__ = [
    "assignment_audience",
    "assignment_cancel",
    "assignment_create",
    "assignment_fan_out",
    "enrollment_set_status",
    "enrollments_sync_for_active_assignments",
]


@transaction.atomic
def assignment_create(
    *,
    course: CoursePage,
    fiscal_year: int,
    opens_on: dt.date,
    due_on: dt.date,
    units: Iterable[OrgUnit] = (),
    positions: Iterable[str] = (),
    employment_types: Iterable[str] = (),
    dx_pros_only: bool = False,
    mandatory: bool = True,
    recurrence: str = Recurrence.NONE,
    recurrence_months: int | None = None,
    due_rule: str = DueRule.FIXED,
    due_days: int | None = None,
    renewal_window_days: int | None = None,
    created_by: User | None = None,
    enqueue: bool = True,
) -> Assignment:
    """Record an assignment and queue its fan-out (``enqueue=False``: the caller runs it).

    Only HR assigns (``created_by=None`` is the system: a command, the demo data); the audit
    entry is written with the assignment. A recurrence of N months needs N to divide 12 or
    be a multiple of it (``RECURRENCE_MONTHS``: the cycles then fall on the same months
    every fiscal year); a relative due rule needs its days. The assignment joins the current
    cycle of the course in that fiscal year (``Assignment.cycle``): one made for more units
    while a six-month course is in its October cycle enrols them in that cycle.
    """
    if created_by is not None:
        access.require(access.is_hr(created_by))
    if due_on < opens_on:
        raise ValueError("The due date is before the opening date.")
    if recurrence == Recurrence.MONTHS:
        if recurrence_months not in RECURRENCE_MONTHS:
            raise ValueError("A recurrence in months must be 1, 2, 3, 4, 6, 12, 24, ... 120.")
    else:
        recurrence_months = None
    if due_rule != DueRule.FIXED and not due_days:
        raise ValueError("A relative due date needs its number of days.")
    if due_rule == DueRule.FIXED:
        due_days = None
    current_cycle = course_cycles(course_id=course.pk, fiscal_year=fiscal_year).first()
    assignment = Assignment.objects.create(
        course=course,
        fiscal_year=fiscal_year,
        cycle=current_cycle or 0,
        opens_on=opens_on,
        due_on=due_on,
        positions=sorted(set(positions)),
        employment_types=sorted(set(employment_types)),
        dx_pros_only=dx_pros_only,
        mandatory=mandatory,
        recurrence=recurrence,
        recurrence_months=recurrence_months,
        due_rule=due_rule,
        due_days=due_days,
        renewal_window_days=renewal_window_days,
        created_by=created_by,
    )
    assignment.units.set(list(units))
    audit.record(action=AuditAction.ASSIGNMENT_CREATED, actor=created_by, target=assignment)
    if enqueue:
        enqueue_on_commit(assignment_fan_out_task, assignment.pk, key=str(assignment.pk))
    return assignment


@transaction.atomic
def assignment_cancel(*, assignment_id: int, by: User | None = None) -> int:
    """Cancel an assignment: its open enrollments are withdrawn, completions stay.

    Returns the number of enrollments withdrawn. Cancelling twice changes nothing. Only HR
    cancels (``by=None`` is the system); the audit entry is written with the change.
    """
    if by is not None:
        access.require(access.is_hr(by))
    assignment = Assignment.objects.select_for_update().get(pk=assignment_id)
    if assignment.status == AssignmentStatus.CANCELLED:
        return 0
    assignment.status = AssignmentStatus.CANCELLED
    assignment.cancelled_at = timezone.now()
    assignment.save(update_fields=["status", "cancelled_at"])
    withdrawn = Enrollment.objects.filter(
        assignment_id=assignment_id, status__in=OPEN_STATUSES
    ).update(status=EnrollmentStatus.WITHDRAWN, updated_at=timezone.now())
    if withdrawn:  # set-based: no per-row signal
        my_training_changed_for_everyone()
    audit.record(
        action=AuditAction.ASSIGNMENT_CANCELLED,
        actor=by,
        target=assignment,
        details={"withdrawn": withdrawn},
    )
    enqueue_on_commit(
        stats_rebuild_task,
        assignment.fiscal_year,
        assignment.course_id,
        key=f"{assignment.fiscal_year}:{assignment.course_id}",
    )
    return withdrawn


@transaction.atomic
def enrollment_set_status(
    *,
    enrollment: Enrollment,
    status: str,
    progress: int | None = None,
    at: dt.datetime | None = None,
    refresh_stats: bool = True,
) -> Enrollment:
    """Set an enrollment's status by hand (HR correction, demo data, imports of past years).

    A completion records the time, the person's unit then and the certificate's last valid
    day (from the course's validity now); moving away from "completed" clears them.
    """
    at = at or timezone.now()
    enrollment.status = status
    if status == EnrollmentStatus.COMPLETED:
        unit_id = enrollment.unit_at_completion_id
        if unit_id is None:
            unit_id = (
                User.objects.filter(pk=enrollment.user_id).values_list("unit_id", flat=True).get()
            )
        enrollment.record_completion(
            at=enrollment.completed_at or at,
            unit_id=unit_id,
            valid_months=enrollment.course.certificate_valid_months,
        )
    else:
        enrollment.completed_at = None
        enrollment.unit_at_completion = None
        enrollment.certificate_valid_until = None
        if status == EnrollmentStatus.IN_PROGRESS:
            enrollment.started_at = enrollment.started_at or at
        if status == EnrollmentStatus.NOT_STARTED:
            enrollment.started_at = None
            enrollment.progress = 0
    if progress is not None and status != EnrollmentStatus.COMPLETED:
        enrollment.progress = max(0, min(100, progress))
    enrollment.updated_at = timezone.now()
    enrollment.save()
    if refresh_stats:
        unit_id = enrollment.unit_at_completion_id or (
            User.objects.filter(pk=enrollment.user_id).values_list("unit_id", flat=True).get()
        )
        if unit_id is not None:
            args = (unit_id, enrollment.course_id, enrollment.fiscal_year)
            enqueue_on_commit(unit_stats_refresh_task, *args, key=":".join(map(str, args)))
    return enrollment

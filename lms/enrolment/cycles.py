"""Compliance cycles: recurring assignments open their next cycle, expiring certificates
bring their holders back, both from one daily job (``lms.compliance_cycles_daily``, 00:01 JST).

A cycle is an ``Assignment`` row of its own (``previous_cycle`` links the series), with its
own training period (fiscal year, and cycle within it: ``courses.years.Period``), opening
and due date; its enrollments are written by the usual set-based fan-out, so the previous
cycle's enrollments (another period) are never touched. A cycle of fewer than twelve months
that opens in the same fiscal year as the one before is that year's next cycle (1, 2, …)
and supersedes it for the people it enrols (``lms.models.in_current_cycle``).
Idempotent: a cycle is opened once (the unique ``previous_cycle``, under a row lock on the
previous cycle), a renewal once (the enrollment's unique person, course and period), so the job
run twice, or by two workers at once, writes nothing twice. ``today`` is a parameter
everywhere, so a test (or an operator catching up) names the day it runs for.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Count, OuterRef, Subquery
from django.utils import timezone

from audit import services as audit
from audit.models import AuditAction
from core.dates import add_months
from core.fiscal import fiscal_year_of, fiscal_year_start
from courses.years import Period

from ..models import (
    OPEN_STATUSES,
    Assignment,
    AssignmentStatus,
    Enrollment,
    EnrollmentStatus,
    FanOutStatus,
    Recurrence,
    in_current_cycle,
)
from ..my_training.cache import my_training_changed_for_everyone
from .fan_out import assignment_audience


@dataclass(frozen=True)
class CycleDates:
    fiscal_year: int
    cycle: int
    opens_on: dt.date
    due_on: dt.date


def next_cycle_dates(assignment: Assignment) -> CycleDates | None:
    """When the cycle after ``assignment`` opens and is due (None: it does not recur).

    Every fiscal year: it opens on April 1 of the next 年度 and is due a year after this
    cycle's due date. Every N months: both dates move by N months. N a multiple of 12: the
    cycle is N / 12 fiscal years after this one (cycle 0), whatever day it opens on. N < 12:
    the cycle belongs to the fiscal year it opens in, and is numbered after the previous one
    when that is the same year (every six months: April is cycle 0, October cycle 1, next
    April 0 again).
    """
    if assignment.recurrence == Recurrence.FISCAL_YEAR:
        year = assignment.fiscal_year + 1
        opens_on = fiscal_year_start(year)
        due_on = add_months(assignment.due_on, 12)
    elif assignment.recurrence == Recurrence.MONTHS and assignment.recurrence_months:
        opens_on = add_months(assignment.opens_on, assignment.recurrence_months)
        due_on = add_months(assignment.due_on, assignment.recurrence_months)
        if assignment.recurrence_months % 12 == 0:
            year = assignment.fiscal_year + assignment.recurrence_months // 12
        else:
            year = max(fiscal_year_of(opens_on), assignment.fiscal_year)
    else:
        return None
    cycle = assignment.cycle + 1 if year == assignment.fiscal_year else 0
    return CycleDates(
        fiscal_year=year, cycle=cycle, opens_on=opens_on, due_on=max(due_on, opens_on)
    )


@transaction.atomic
def assignment_cycle_open(*, assignment_id: int, today: dt.date) -> Assignment | None:
    """Open the cycle after ``assignment_id`` if it is due by ``today``; None if it is not
    due, does not recur, was cancelled or is already open.

    The new cycle copies the rule (units, positions, employment types, DX PROs only, due rule,
    renewal window); the audit log names the system as the one who assigned it, with the
    previous cycle. Its enrollments are written by the fan-out (``cycles_to_fan_out``).
    """
    previous = Assignment.objects.select_for_update().get(pk=assignment_id)
    if previous.status != AssignmentStatus.ACTIVE:
        return None
    dates = next_cycle_dates(previous)
    if dates is None or dates.opens_on > today:
        return None
    if Assignment.objects.filter(previous_cycle_id=previous.pk).exists():
        return None
    try:
        with transaction.atomic():
            cycle = Assignment.objects.create(
                course_id=previous.course_id,
                fiscal_year=dates.fiscal_year,
                cycle=dates.cycle,
                opens_on=dates.opens_on,
                due_on=dates.due_on,
                **{name: getattr(previous, name) for name in Assignment.RULE_FIELDS},
                previous_cycle=previous,
                created_by=None,
            )
    except IntegrityError:  # another worker opened it first (the unique previous_cycle)
        return None
    cycle.units.set(list(previous.units.all()))
    audit.record(
        action=AuditAction.ASSIGNMENT_CREATED,
        actor=None,
        target=cycle,
        details={
            "previous_cycle": previous.pk,
            "fiscal_year": dates.fiscal_year,
            "cycle": dates.cycle,
        },
    )
    return cycle


def cycles_to_fan_out() -> list[int]:
    """Cycles the daily job opened whose fan-out has not finished (just opened, or stopped by
    a worker restart): the job runs it, and the next run resumes what a crash left."""
    return list(
        Assignment.objects.filter(status=AssignmentStatus.ACTIVE, previous_cycle__isnull=False)
        .exclude(fan_out_status=FanOutStatus.DONE)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def assignment_cycles_open(*, today: dt.date) -> list[Assignment]:
    """Open every cycle due by ``today``: the latest active cycle of each recurring series,
    and, if the job missed some days (or years), the cycles after those too. One query to
    find the candidates, then a short transaction per cycle opened."""
    candidates = list(
        Assignment.objects.filter(status=AssignmentStatus.ACTIVE, next_cycle__isnull=True)
        .exclude(recurrence=Recurrence.NONE)
        .order_by("pk")
    )
    opened: list[Assignment] = []
    while candidates:
        assignment = candidates.pop(0)
        dates = next_cycle_dates(assignment)
        if dates is None or dates.opens_on > today:
            continue
        cycle = assignment_cycle_open(assignment_id=assignment.pk, today=today)
        if cycle is not None:
            opened.append(cycle)
            candidates.append(cycle)
    return opened


@dataclass
class Renewals:
    """What ``enrollments_renew_expiring`` wrote: enrollments per (course_id, fiscal_year)."""

    enrolled: dict[tuple[int, int], int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.enrolled.values())


def enrollments_renew_expiring(*, today: dt.date) -> Renewals:
    """Re-enrol people whose certificate expires within their assignment's renewal window.

    For each active assignment with a window (the latest cycle of a series), whose course's
    certificates expire: people in its audience whose latest completion of the course
    expires on or before ``today + window`` get an enrollment in the fiscal year it expires
    in (this year, if it already has; the assignment's cycle when that is its year, else the
    year's first), due on the expiry day. An enrollment that exists for that person, course
    and period is kept (a completion in it, or the yearly cycle),
    so a validity shorter than a year renews in the next fiscal year. Four queries per
    assignment (candidates, counts before and after, one insert per 2,000 people).
    """
    renewals = Renewals()
    this_year = fiscal_year_of(today)
    assignments = (
        Assignment.objects.filter(
            status=AssignmentStatus.ACTIVE,
            next_cycle__isnull=True,
            renewal_window_days__isnull=False,
            course__certificate_valid_months__isnull=False,
        )
        .select_related("course")
        .order_by("pk")
    )
    for assignment in assignments:
        horizon = today + dt.timedelta(days=assignment.renewal_window_days)
        last_valid_until = (
            Enrollment.objects.filter(
                user_id=OuterRef("pk"),
                course_id=assignment.course_id,
                status=EnrollmentStatus.COMPLETED,
            )
            .order_by("-completed_at")
            .values("certificate_valid_until")[:1]
        )
        candidates = (
            assignment_audience(assignment)
            .annotate(valid_until=Subquery(last_valid_until))
            .filter(valid_until__lte=horizon)
            .values_list("pk", "valid_until")
        )
        now = timezone.now()
        rows = [
            Enrollment(
                user_id=user_id,
                course_id=assignment.course_id,
                **_renewal_period(assignment, valid_until, this_year).fields(),
                assignment=assignment,
                status=EnrollmentStatus.NOT_STARTED,
                due_on=valid_until,
                created_at=now,
                updated_at=now,
            )
            for user_id, valid_until in candidates
        ]
        if not rows:
            continue
        before = _count(assignment, rows)
        Enrollment.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
        for key, count in _count(assignment, rows).items():
            if count > before.get(key, 0):
                renewals.enrolled[key] = renewals.enrolled.get(key, 0) + count - before.get(key, 0)
    if renewals.total:
        my_training_changed_for_everyone()
    return renewals


def _renewal_period(assignment: Assignment, valid_until: dt.date, this_year: int) -> Period:
    """The period a renewal falls in: the fiscal year the certificate expires in (this one
    if it already has), in the assignment's cycle when that is its year, else the first."""
    year = max(fiscal_year_of(valid_until), this_year)
    return Period(year, assignment.cycle if year == assignment.fiscal_year else 0)


def _count(assignment: Assignment, rows: list[Enrollment]) -> dict[tuple[int, int], int]:
    """This assignment's enrollments in the years ``rows`` fall in, per (course, year)."""
    years = {row.fiscal_year for row in rows}
    counts = (
        Enrollment.objects.filter(assignment_id=assignment.pk, fiscal_year__in=years)
        .values_list("fiscal_year")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return {(assignment.course_id, year): count for year, count in counts}


@dataclass(frozen=True)
class DailyCycleRun:
    """What the daily job did: cycles opened (their fan-out is queued) and renewals."""

    opened: list[int]
    renewals: Renewals

    def as_dict(self) -> dict:
        return {
            "opened": self.opened,
            "renewed": [[*key, count] for key, count in sorted(self.renewals.enrolled.items())],
        }


def compliance_cycles_run(*, today: dt.date | None = None) -> DailyCycleRun:
    """The daily job's writes: open the cycles due by ``today`` (default: today in
    Asia/Tokyo) and re-enrol those whose certificates are about to expire. The system acts:
    no person's permission applies. The task then fans out ``cycles_to_fan_out``."""
    today = today or timezone.localdate()
    opened = assignment_cycles_open(today=today)
    return DailyCycleRun(
        opened=[cycle.pk for cycle in opened], renewals=enrollments_renew_expiring(today=today)
    )


def open_training_period(*, user_id: int, course_path: str, today: dt.date) -> Period | None:
    """The training period of the person's work in the course (the ``course_training_year``
    hook of ``courses.years``), one query; None when they have none this year or later.

    Enrolments of years already closed, and of cycles a later cycle of the same year has
    superseded, do not count (My training no longer shows them). The earliest open one
    wins: this year's cycle before a renewal opened early for next year, which then takes
    over once this year's is completed. With none open, the latest completed one, so the
    course page goes on showing what the person has just completed.
    """
    rows = list(
        Enrollment.objects.filter(
            in_current_cycle(),
            user_id=user_id,
            course__path=course_path,
            fiscal_year__gte=fiscal_year_of(today),
        )
        .exclude(status=EnrollmentStatus.WITHDRAWN)
        .values_list("fiscal_year", "cycle", "status")
    )
    open_periods = [Period(year, cycle) for year, cycle, status in rows if status in OPEN_STATUSES]
    if open_periods:
        return min(open_periods)
    return max((Period(year, cycle) for year, cycle, _status in rows), default=None)

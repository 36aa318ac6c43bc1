"""Enrolling an assignment's audience: set-based, batched, idempotent.

The audience is one query over the staff table (path prefixes for the subtrees, plain
filters for positions and employment types, an EXISTS for DX PROs). Each batch of user ids is
written with a single ``INSERT ... SELECT ... ON CONFLICT DO NOTHING``, so 100,000 staff take
a handful of statements, re-running enrolls nobody twice and people already enrolled in the
course for the year (by another assignment) keep their enrollment.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count, Exists, F, Max, Min, OuterRef, Q, QuerySet, Subquery
from django.db.models.expressions import BaseExpression
from django.db.models.functions import TruncDate
from django.utils import timezone

from core.db import date_plus_days_sql
from core.fiscal import current_fiscal_year
from org.models import DxProAssignment
from org.paths import under

from ..models import (
    DUE_RULE_FIELDS,
    OPEN_STATUSES,
    Assignment,
    AssignmentStatus,
    DueRule,
    Enrollment,
    EnrollmentStatus,
    FanOutStatus,
    User,
    assignment_in_current_cycle,
    course_cycle,
)
from ..my_training.cache import my_training_changed_for_everyone

#: Users per INSERT ... SELECT, by id range.
FAN_OUT_BATCH = 20_000


def audience(
    *,
    unit_paths: Iterable[str] = (),
    positions: Iterable[str] = (),
    employment_types: Iterable[str] = (),
    dx_pros_only: bool = False,
    fiscal_year: int,
) -> QuerySet[User]:
    """Active staff an audience rule selects (one query; no duplicates): everyone under the
    units' subtrees (none: the whole city), narrowed by positions and employment types (none:
    any) and to the year's DX PROs. The fan-out and the form's preview both ask here."""
    people = User.objects.filter(is_active=True, unit__isnull=False)
    paths = list(unit_paths)
    if paths:
        people = people.filter(under("unit__path", paths))
    positions, employment_types = list(positions), list(employment_types)
    if positions:
        people = people.filter(position__in=positions)
    if employment_types:
        people = people.filter(employment_type__in=employment_types)
    if dx_pros_only:
        people = people.filter(
            Exists(DxProAssignment.objects.filter(user_id=OuterRef("pk"), fiscal_year=fiscal_year))
        )
    return people


def assignment_audience(assignment: Assignment) -> QuerySet[User]:
    """Active staff the assignment's rule selects (one query; no duplicates)."""
    return audience(
        unit_paths=[unit.path for unit in assignment.units.all()],
        positions=assignment.positions,
        employment_types=assignment.employment_types,
        dx_pros_only=assignment.dx_pros_only,
        fiscal_year=assignment.fiscal_year,
    )


@dataclass(frozen=True)
class AudiencePreview:
    """What a new assignment would do: ``matching`` people fit the rule, ``already`` of them
    hold an enrollment in the course for the year (kept, not enrolled twice), and ``new``
    are the enrollments the fan-out will write."""

    matching: int
    already: int

    @property
    def new(self) -> int:
        return self.matching - self.already


def audience_preview(*, course_id: int, fiscal_year: int, **rule) -> AudiencePreview:
    """Count an audience rule before it is saved (one query), from ``audience``: the same
    selector and the same ``ON CONFLICT`` rule as the fan-out, so the two agree."""
    enrolled = Enrollment.objects.filter(
        user_id=OuterRef("pk"),
        course_id=course_id,
        fiscal_year=fiscal_year,
        cycle=course_cycle(course_id=course_id, fiscal_year=fiscal_year),
    )
    counts = audience(fiscal_year=fiscal_year, **rule).aggregate(
        matching=Count("pk"), already=Count("pk", filter=Q(Exists(enrolled)))
    )
    return AudiencePreview(matching=counts["matching"], already=counts["already"])


def due_base(assignment: Assignment) -> BaseExpression | None:
    """The date a relative due rule counts from, as an expression over the staff table
    (None for a fixed date): 入庁日, the day the person came into their unit, or the day of
    their DX PRO appointment for the assignment's year (the first, if several)."""
    if assignment.due_rule == DueRule.AFTER_DX_PRO:
        appointments = DxProAssignment.objects.filter(
            user_id=OuterRef("pk"), fiscal_year=assignment.fiscal_year
        ).order_by("created_at")
        return Subquery(appointments.annotate(day=TruncDate("created_at")).values("day")[:1])
    field = DUE_RULE_FIELDS.get(assignment.due_rule)
    return F(field) if field else None


def _insert_batch(assignment: Assignment, people: QuerySet[User], low: int, high: int) -> int:
    """Enroll the audience with ``low <= id < high``; returns the rows actually inserted.

    The due date is the cycle's, or under a relative rule, for those who arrived after
    the day the cycle opened, their own (arrival + ``due_days``), computed in the statement.
    """
    # Those already enrolled in the course for the year are left out before the insert (an
    # anti-join on the unique index): after a roster import nearly everyone is, and ON
    # CONFLICT would still read and lock each of their rows. ON CONFLICT stays for a race.
    enrolled = Enrollment.objects.filter(
        user_id=OuterRef("pk"), course_id=assignment.course_id, **assignment.period.fields()
    )
    batch = people.filter(pk__gte=low, pk__lt=high).exclude(Exists(enrolled))
    base = due_base(assignment)
    if base is None:
        sql, params = batch.values("id").query.sql_with_params()
        due_sql, due_params = "%s", [assignment.due_on]
    else:
        sql, params = batch.annotate(due_base=base).values("id", "due_base").query.sql_with_params()
        personal = date_plus_days_sql("audience.due_base", assignment.due_days or 0)
        due_sql = f"CASE WHEN audience.due_base > %s THEN {personal} ELSE %s END"
        due_params = [assignment.opens_on, assignment.due_on]
    table = Enrollment._meta.db_table
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (user_id, course_id, fiscal_year, cycle, assignment_id,"
            " status, progress, due_on, created_at, updated_at)"
            f" SELECT audience.id, %s, %s, %s, %s, %s, 0, {due_sql}, %s, %s"
            f" FROM ({sql}) AS audience"
            # SQLite reads "ON CONFLICT" after a bare FROM as a join clause; a WHERE ends it.
            " WHERE true"
            " ON CONFLICT (user_id, course_id, fiscal_year, cycle) DO NOTHING",
            [
                assignment.course_id,
                assignment.fiscal_year,
                assignment.cycle,
                assignment.pk,
                EnrollmentStatus.NOT_STARTED,
                *due_params,
                now,
                now,
                *params,
            ],
        )
        return max(cursor.rowcount, 0)


def assignment_fan_out(*, assignment_id: int) -> Assignment:
    """Enroll everyone the assignment's rule selects, in batches, recording progress.

    Not one transaction on purpose: each batch commits with its progress, so HR watches the
    count grow and a worker restart resumes where it stopped (the inserts are idempotent).
    A cancelled assignment enrolls nobody. Per-unit figures are rebuilt for the course and
    year by the caller (the task), one set-based statement.
    """
    assignment = Assignment.objects.get(pk=assignment_id)
    if assignment.status != AssignmentStatus.ACTIVE:
        return assignment
    people = assignment_audience(assignment)
    bounds = people.aggregate(low=Min("pk"), high=Max("pk"))
    low, high = bounds["low"], bounds["high"]
    batches = [] if low is None else list(range(low, high + 1, FAN_OUT_BATCH))
    Assignment.objects.filter(pk=assignment_id).update(
        fan_out_status=FanOutStatus.RUNNING, fan_out_total=len(batches), fan_out_done=0
    )
    inserted = 0
    for done, start in enumerate(batches, start=1):
        with transaction.atomic():
            batch_inserted = _insert_batch(assignment, people, start, start + FAN_OUT_BATCH)
            if batch_inserted:  # set-based: no per-row signal
                my_training_changed_for_everyone()
            inserted += batch_inserted
            Assignment.objects.filter(pk=assignment_id).update(fan_out_done=done)
    enrolled = Enrollment.objects.filter(assignment_id=assignment_id).count()
    Assignment.objects.filter(pk=assignment_id).update(
        fan_out_status=FanOutStatus.DONE, enrolled_count=enrolled, fanned_out_at=timezone.now()
    )
    assignment.refresh_from_db()
    assignment.inserted_last_run = inserted
    return assignment


def active_assignments(
    *, fiscal_year: int | None = None, superseded: bool = False
) -> QuerySet[Assignment]:
    """Active assignments of the current fiscal year (and later ones already planned), of
    their year's current cycle: a cycle superseded by the next one enrols nobody more
    (``superseded=True`` keeps those too, each annotated ``current``)."""
    year = fiscal_year if fiscal_year is not None else current_fiscal_year()
    active = Assignment.objects.filter(status=AssignmentStatus.ACTIVE, fiscal_year__gte=year)
    if superseded:
        return active.annotate(current=assignment_in_current_cycle())
    return active.filter(assignment_in_current_cycle())


def enrollments_withdraw_for_inactive(*, fiscal_year: int | None = None) -> set[tuple[int, int]]:
    """Withdraw the open enrollments of people who left (deactivated by a roster import).

    Only this and later fiscal years: a past year's figures are history. Completions stay.
    Someone who left no longer counts as enrolled, not started or overdue, and gets no
    reminders. Returns the (course_id, fiscal_year) pairs changed. Two queries.
    """
    year = fiscal_year if fiscal_year is not None else current_fiscal_year()
    leavers = Enrollment.objects.filter(
        status__in=OPEN_STATUSES, fiscal_year__gte=year, user__is_active=False
    )
    touched = set(leavers.values_list("course_id", "fiscal_year").distinct().order_by())
    if touched:
        leavers.update(status=EnrollmentStatus.WITHDRAWN, updated_at=timezone.now())
        my_training_changed_for_everyone()
    return touched


def enrollments_reopen_for_returners(
    *, fiscal_year: int | None = None, assignments: Iterable[Assignment] | None = None
) -> set[tuple[int, int]]:
    """Reopen withdrawn enrollments of people who are back in an active assignment's audience.

    An enrollment withdrawn while its assignment is still active was withdrawn because its
    holder left, or moved out of the audience; when a later roster brings them back (to the
    city or into the units), the course is theirs again (as not started; their next course
    event restores the progress). Someone active but still elsewhere stays withdrawn. One
    UPDATE per active assignment (``assignments``: those already read).
    """
    touched: set[tuple[int, int]] = set()
    if assignments is None:
        assignments = active_assignments(fiscal_year=fiscal_year).order_by("pk")
    for assignment in assignments:
        returners = Enrollment.objects.filter(
            assignment_id=assignment.pk,
            status=EnrollmentStatus.WITHDRAWN,
            user_id__in=assignment_audience(assignment).values("pk"),
        )
        if returners.update(status=EnrollmentStatus.NOT_STARTED, updated_at=timezone.now()):
            touched.add((assignment.course_id, assignment.fiscal_year))
    if touched:
        my_training_changed_for_everyone()
    return touched


def enrollments_withdraw_out_of_scope(
    *, fiscal_year: int | None = None, assignments: Iterable[Assignment] | None = None
) -> set[tuple[int, int]]:
    """Withdraw the open enrollments of people who moved out of their assignment's audience.

    A transfer to a unit the assignment does not cover (or a change of position or
    employment type it excludes) ends the obligation; completions stay, counted in the unit
    they were completed in (``unit_at_completion``). Only this and later fiscal years' active
    assignments (``assignments``: those already read), superseded cycles included: an open
    enrollment of April's cycle must not come back as the person's to do when October's,
    which superseded it, is withdrawn. One UPDATE per assignment. Returns the (course_id,
    fiscal_year) pairs changed.
    """
    touched: set[tuple[int, int]] = set()
    if assignments is None:
        assignments = active_assignments(fiscal_year=fiscal_year, superseded=True).order_by("pk")
    for assignment in assignments:
        # NOT EXISTS, an anti-join: ``NOT IN (subquery)`` becomes a subplan rescanned per
        # row once the audience no longer fits in work_mem (minutes at 100,000 staff).
        in_audience = assignment_audience(assignment).filter(pk=OuterRef("user_id"))
        moved = Enrollment.objects.filter(
            ~Exists(in_audience),
            assignment_id=assignment.pk,
            status__in=OPEN_STATUSES,
            user__is_active=True,
        )
        if moved.update(status=EnrollmentStatus.WITHDRAWN, updated_at=timezone.now()):
            touched.add((assignment.course_id, assignment.fiscal_year))
    if touched:
        my_training_changed_for_everyone()
    return touched


def enrollments_sync_for_active_assignments() -> list[tuple[int, int]]:
    """Bring enrollments in line with the roster after an import; nobody is enrolled twice.

    Leavers' and those who moved out of an audience have their open enrollments withdrawn
    (completions stay), returners' are reopened, and joiners and movers get what the active
    assignments say, with their own due dates under a relative rule. Returns the (course_id,
    fiscal_year) pairs touched, whose figures the caller rebuilds (a move changes the unit an
    open enrollment counts in).
    """
    touched: set[tuple[int, int]] = set()
    every = list(active_assignments(superseded=True).prefetch_related("units").order_by("pk"))
    assignments = [assignment for assignment in every if assignment.current]
    touched |= enrollments_withdraw_for_inactive()
    touched |= enrollments_withdraw_out_of_scope(assignments=every)
    touched |= enrollments_reopen_for_returners(assignments=assignments)
    for assignment in assignments:
        assignment_fan_out(assignment_id=assignment.pk)
        touched.add((assignment.course_id, assignment.fiscal_year))
    return sorted(touched)

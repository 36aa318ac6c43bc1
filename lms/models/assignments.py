"""Assignments of a course to an audience, and the enrollments they fan out to."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Exists, ExpressionWrapper, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from courses.years import Period, cycle_field, latest_cycle

from .certificates import certificate_valid_until as valid_until_after


class AssignmentStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    CANCELLED = "cancelled", _("Cancelled")


class FanOutStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Enrolling")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class Recurrence(models.TextChoices):
    NONE = "none", _("Once")
    FISCAL_YEAR = "fiscal_year", _("Every fiscal year")
    MONTHS = "months", _("Every N months")


#: The N of "every N months": a divisor of 12 (several cycles a fiscal year, on the same
#: months every year) or a multiple of it (one cycle every so many years).
RECURRENCE_MONTHS = (1, 2, 3, 4, 6, *range(12, 121, 12))


class DueRule(models.TextChoices):
    FIXED = "fixed", _("A fixed date")
    AFTER_JOINING = "after_joining", _("N days after joining the city")
    AFTER_UNIT_MOVE = "after_unit_move", _("N days after moving into the unit")
    AFTER_DX_PRO = "after_dx_pro", _("N days after the DX PRO appointment")


#: The ``User`` column each relative due rule counts from (the DX PRO appointment is not a
#: column: ``fan_out`` reads it from the year's ``DxProAssignment``).
DUE_RULE_FIELDS = {
    DueRule.AFTER_JOINING: "joined_on",
    DueRule.AFTER_UNIT_MOVE: "unit_since",
}


class Assignment(models.Model):
    """HR assigns a course for a fiscal year to an audience of staff.

    The audience is a rule, not a list: active staff under any of ``units`` (their subtrees;
    none means the whole city), narrowed by ``positions`` and ``employment_types`` (empty means
    any) and optionally to the DX PROs of the year. The rule is kept so that people who join or
    move later get what it says; enrollments are the materialised result, written by a
    set-based fan-out whose progress is recorded here.

    A recurring assignment is a series of cycles, one row each: the daily job
    (``enrolment.cycles``) copies the rule into the next cycle, with its own fiscal year,
    opening and due date, and links it through ``previous_cycle``. That link is unique, so
    two workers opening the same cycle cannot both succeed, and the previous cycle's
    enrollments are never touched. A cycle is a training period (``courses.years.Period``):
    its fiscal year and ``cycle``, the cycle's number within that year (0 for the first). A
    yearly series has cycle 0 every year; one of six months has cycles 0 (April) and 1
    (October), each with its own enrollments, reads, attempts and worksheets. A cycle
    followed by another in the same fiscal year is superseded: it enrols nobody more, and the
    year's figures count the later one (docs/architecture.md).

    ``due_rule`` makes the due date personal for those who arrive during a cycle: someone
    whose joining date, move into the unit or DX PRO appointment falls after
    ``opens_on`` is due ``due_days`` days after it; everyone there on the day the cycle
    opens (April 1, when most transfers take effect) is due on ``due_on``.
    """

    #: The rule a new cycle copies from the one before (with ``units``); the course, the
    #: cycle's year and dates are its own.
    RULE_FIELDS = (
        "positions", "employment_types", "dx_pros_only", "mandatory", "recurrence",
        "recurrence_months", "due_rule", "due_days", "renewal_window_days",
    )  # fmt: skip

    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("course"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    cycle = cycle_field()
    units = models.ManyToManyField(
        "org.OrgUnit",
        verbose_name=_("units"),
        blank=True,
        related_name="assignments",
        help_text=_("Everyone under these units. Leave empty for the whole city."),
    )
    positions = models.JSONField(
        _("positions"), default=list, blank=True, help_text=_("Empty means every position.")
    )
    employment_types = models.JSONField(
        _("employment types"),
        default=list,
        blank=True,
        help_text=_("Empty means every employment type."),
    )
    dx_pros_only = models.BooleanField(_("DX PROs only"), default=False)
    opens_on = models.DateField(_("opens on"))
    due_on = models.DateField(_("due on"))
    mandatory = models.BooleanField(_("mandatory"), default=True)
    recurrence = models.CharField(
        _("recurrence"), max_length=16, choices=Recurrence.choices, default=Recurrence.NONE
    )
    recurrence_months = models.PositiveSmallIntegerField(
        _("recur every (months)"), null=True, blank=True
    )
    previous_cycle = models.OneToOneField(
        "self",
        verbose_name=_("previous cycle"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next_cycle",
    )
    due_rule = models.CharField(
        _("due date rule"), max_length=16, choices=DueRule.choices, default=DueRule.FIXED
    )
    due_days = models.PositiveSmallIntegerField(_("days to complete"), null=True, blank=True)
    renewal_window_days = models.PositiveSmallIntegerField(
        _("re-enrol before a certificate expires (days)"), null=True, blank=True
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=AssignmentStatus.choices,
        default=AssignmentStatus.ACTIVE,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    fan_out_status = models.CharField(
        _("enrolment progress"),
        max_length=16,
        choices=FanOutStatus.choices,
        default=FanOutStatus.PENDING,
    )
    fan_out_total = models.PositiveIntegerField(_("batches to enrol"), default=0)
    fan_out_done = models.PositiveIntegerField(_("batches enrolled"), default=0)
    enrolled_count = models.PositiveIntegerField(_("enrolled by this assignment"), default=0)
    fanned_out_at = models.DateTimeField(_("enrolled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        indexes = [models.Index(fields=["fiscal_year", "status"], name="assignment_year_status")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(recurrence="months")
                | Q(recurrence_months__gte=1, recurrence_months__lte=120),
                name="assignment_recurrence_months",
            ),
            models.CheckConstraint(
                condition=Q(due_rule="fixed") | Q(due_days__isnull=False),
                name="assignment_relative_due_days",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course} ({self.period_label})"

    @property
    def period(self) -> Period:
        return Period(self.fiscal_year, self.cycle)

    @property
    def period_label(self) -> str:
        """``2026`` for a year's first cycle, ``2026 #2`` for its second."""
        return f"{self.fiscal_year} #{self.cycle + 1}" if self.cycle else str(self.fiscal_year)

    @property
    def is_relative(self) -> bool:
        return self.due_rule != DueRule.FIXED

    def recurrence_label(self) -> str:
        """「毎年度」, 「24か月ごと」 or 「単発」 (and the English), for the list."""
        if self.recurrence == Recurrence.FISCAL_YEAR:
            return str(_("Every fiscal year"))
        if self.recurrence == Recurrence.MONTHS and self.recurrence_months == 1:
            return str(_("Every month"))
        if self.recurrence == Recurrence.MONTHS:
            return str(_("Every %(months)d months") % {"months": self.recurrence_months or 0})
        return str(_("Once"))

    def due_rule_label(self) -> str:
        """「入庁から30日」 etc.; empty for a fixed date (the list shows the date)."""
        labels = {
            DueRule.AFTER_JOINING: _("%(days)d days after joining"),
            DueRule.AFTER_UNIT_MOVE: _("%(days)d days after moving in"),
            DueRule.AFTER_DX_PRO: _("%(days)d days after the DX PRO appointment"),
        }
        label = labels.get(self.due_rule)
        return str(label % {"days": self.due_days or 0}) if label else ""

    @property
    def fan_out_percent(self) -> int:
        if self.fan_out_status == FanOutStatus.DONE:
            return 100
        return int(100 * self.fan_out_done / self.fan_out_total) if self.fan_out_total else 0


def assignment_in_current_cycle() -> Exists:
    """The filter that keeps the assignments of their year's current cycle.

    A series that recurs every N months (N < 12) has several cycles in one fiscal year; once
    the next one has opened (and was not cancelled), the earlier one is superseded: nobody
    more is enrolled in it. One anti-join on the series link, no query of its own.
    """
    later = Assignment.objects.filter(
        previous_cycle_id=OuterRef("pk"), fiscal_year=OuterRef("fiscal_year")
    ).exclude(status=AssignmentStatus.CANCELLED)
    return ~Exists(later)


def course_cycles(*, course_id: int, fiscal_year: int) -> QuerySet:
    """The cycles of the course's assignments in the fiscal year that were not cancelled,
    highest first: the first is the course's current cycle, the one a new assignment joins
    (``assignment_create``)."""
    return (
        Assignment.objects.filter(course_id=course_id, fiscal_year=fiscal_year)
        .exclude(status=AssignmentStatus.CANCELLED)
        .order_by("-cycle")
        .values_list("cycle", flat=True)
    )


def course_cycle(*, course_id: int, fiscal_year: int) -> Coalesce:
    """``course_cycles``' first (0 when there is none) as an expression, inside a query that
    counts who already holds it (the audience preview)."""
    return Coalesce(Subquery(course_cycles(course_id=course_id, fiscal_year=fiscal_year)[:1]), 0)


class EnrollmentStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", pgettext_lazy("training status", "In progress")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


#: Statuses that still count against a due date.
OPEN_STATUSES = (EnrollmentStatus.NOT_STARTED, EnrollmentStatus.IN_PROGRESS)


class Enrollment(models.Model):
    """One person's course for one training period (a fiscal year, and the cycle within it
    for a course that recurs more often): at most one, whatever assigned it.

    Overdue is not stored: it is an open enrollment whose ``due_on`` has passed. A completion
    records the unit the person sat in then (``unit_at_completion``), so an April transfer does
    not move last year's completion to the new unit.
    """

    # The foreign keys have no index of their own: each leads one of the indexes below
    # (user: the unique constraint), and an index less is a write less per enrolment.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        on_delete=models.CASCADE,
        related_name="enrollments",
        db_index=False,
    )
    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("course"),
        on_delete=models.PROTECT,
        related_name="enrollments",
        db_index=False,
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    cycle = cycle_field()
    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("assignment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enrollments",
        db_index=False,
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=EnrollmentStatus.choices,
        default=EnrollmentStatus.NOT_STARTED,
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    unit_at_completion = models.ForeignKey(
        "org.OrgUnit",
        verbose_name=_("unit at completion"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    # The last day the completion's certificate holds, fixed when the enrolment is completed
    # from the course's validity then (``certificate_valid_until``); empty: open, or the
    # certificate never expires. A later change of the course's months leaves it as issued.
    certificate_valid_until = models.DateField(_("certificate valid until"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    # When the person was told of the assignment (lms.notices.assignment); empty: not yet.
    # The fan-out's INSERT leaves it empty, so whoever it enrols is told once, afterwards.
    notified_at = models.DateTimeField(_("notified at"), null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course", "fiscal_year", "cycle"],
                name="enrollment_unique_user_course_cycle",
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="enrollment_progress_percent"
            ),
        ]
        indexes = [
            models.Index(fields=["course", "fiscal_year", "status"], name="enrollment_course_year"),
            models.Index(fields=["assignment", "status"], name="enrollment_assignment"),
            # The completions a unit's figures and people lists count (made there, in one
            # course and year): a few hundred index entries instead of a bitmap over every
            # completion of the course.
            models.Index(
                fields=["unit_at_completion", "course", "fiscal_year"],
                name="enrollment_completed_unit",
            ),
            # The few enrolments of an assignment not told yet, not all of them.
            models.Index(
                fields=["assignment"],
                name="enrollment_to_notify",
                condition=Q(notified_at__isnull=True, assignment__isnull=False),
            ),
            # Enrolments in a year's later cycles (``in_current_cycle`` looks for them): none
            # for most courses, so its anti-joins read an empty index, not every enrolment.
            models.Index(
                fields=["user", "course", "fiscal_year", "cycle"],
                name="enrollment_later_cycles",
                condition=Q(cycle__gt=0),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.course_id} ({self.fiscal_year}/{self.cycle})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def record_completion(
        self, *, at: dt.datetime, unit_id: int | None, valid_months: int | None
    ) -> None:
        """Mark completed at ``at`` in ``unit_id`` (not saved): the certificate's valid-until
        is fixed now, from the course's validity (``valid_months``) at this moment."""
        self.status = EnrollmentStatus.COMPLETED
        self.progress = 100
        self.completed_at = at
        self.unit_at_completion_id = unit_id
        self.started_at = self.started_at or at
        self.certificate_valid_until = valid_until_after(completed_at=at, valid_months=valid_months)

    def is_overdue(self, today: dt.date | None = None) -> bool:
        """Open and past its due date (in the project's time zone)."""
        today = today or timezone.localdate()
        return self.is_open and self.due_on is not None and self.due_on < today


def in_current_cycle() -> ExpressionWrapper:
    """The filter that keeps the enrollments of their holder's current cycle of the year.

    A course that recurs every N months (N < 12) has several cycles in one fiscal year; once
    the person holds an enrollment of a later one, their earlier enrollment of the year is
    superseded: it is no longer theirs to do (nor reminded of), and the year's figures count
    the later one. A later enrollment that was withdrawn does not supersede: the person who
    moved out keeps their earlier completion counted (their open enrollments of every cycle
    were withdrawn with the move), and a cancelled later cycle gives the earlier one back,
    unless they completed it. Someone the later cycle did not reach (in the units of another
    assignment of the course) keeps theirs. ``courses.years.latest_cycle``, on the partial
    index of later cycles; usable in ``filter()`` and ``annotate()``.
    """
    later_cycles = Enrollment.objects.filter(cycle__gt=0).exclude(status=EnrollmentStatus.WITHDRAWN)
    return latest_cycle(later_cycles, same=("user_id", "course_id", "fiscal_year"))

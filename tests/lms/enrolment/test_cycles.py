"""Compliance cycles: recurring assignments, relative due dates, transfers, renewals."""

import datetime as dt
import threading

import pytest
from django.db import connections
from django.utils import timezone

from audit.models import AuditAction, AuditEvent
from core.fiscal import current_fiscal_year
from lms.certificates.services import certificate_issue
from lms.enrolment.cycles import (
    assignment_cycle_open,
    compliance_cycles_run,
    cycles_to_fan_out,
    next_cycle_dates,
)
from lms.enrolment.services import (
    assignment_create,
    assignment_fan_out,
    enrollment_set_status,
    enrollments_sync_for_active_assignments,
)
from lms.models import (
    Assignment,
    DueRule,
    Enrollment,
    EnrollmentStatus,
    FanOutStatus,
    Recurrence,
    UnitCourseStats,
)
from lms.tasks import compliance_cycles_daily_task
from tests.factories import DxProAssignmentFactory, UserFactory
from tests.lms.training import dates, make_city

pytestmark = pytest.mark.django_db

YEAR = current_fiscal_year()


@pytest.fixture
def city():
    return make_city()


def _assign(city, **fields):
    assignment = assignment_create(
        course=city["course"], enqueue=False, **{**dates(YEAR), **fields}
    )
    return assignment_fan_out(assignment_id=assignment.pk)


def _due(assignment, user):
    return Enrollment.objects.get(assignment=assignment, user=user).due_on


# --- recurrence -----------------------------------------------------------------------------


def test_yearly_cycle_opens_on_april_first_with_its_own_year_and_dates(city):
    first = _assign(city, recurrence=Recurrence.FISCAL_YEAR, due_on=dt.date(YEAR, 6, 30))
    person = city["people"]["madoguchi"][0]
    done = Enrollment.objects.get(assignment=first, user=person)
    enrollment_set_status(enrollment=done, status=EnrollmentStatus.COMPLETED)

    assert compliance_cycles_run(today=dt.date(YEAR + 1, 3, 31)).opened == []
    run = compliance_cycles_run(today=dt.date(YEAR + 1, 4, 1))
    assert len(run.opened) == 1
    cycle = Assignment.objects.get(pk=run.opened[0])
    assert (cycle.fiscal_year, cycle.opens_on, cycle.due_on) == (
        YEAR + 1,
        dt.date(YEAR + 1, 4, 1),
        dt.date(YEAR + 1, 6, 30),
    )
    assert cycle.previous_cycle == first and cycle.recurrence == Recurrence.FISCAL_YEAR
    assert AuditEvent.objects.filter(action=AuditAction.ASSIGNMENT_CREATED).count() == 2
    assert cycles_to_fan_out() == [cycle.pk]

    assignment_fan_out(assignment_id=cycle.pk)
    assert cycles_to_fan_out() == []
    assert Enrollment.objects.filter(assignment=cycle).count() == 9
    assert _due(cycle, person) == dt.date(YEAR + 1, 6, 30)
    # Last year's records are as they were: the completion stays completed.
    done.refresh_from_db()
    assert done.status == EnrollmentStatus.COMPLETED and done.fiscal_year == YEAR
    assert Enrollment.objects.filter(assignment=first).count() == 9


def test_running_the_job_twice_opens_nothing_twice(city):
    first = _assign(city, recurrence=Recurrence.FISCAL_YEAR)
    april = dt.date(YEAR + 1, 4, 1)
    assert len(compliance_cycles_run(today=april).opened) == 1
    assert compliance_cycles_run(today=april).opened == []
    # A second worker that read the same candidate still finds the cycle open.
    assert assignment_cycle_open(assignment_id=first.pk, today=april) is None
    assert Assignment.objects.filter(course=city["course"]).count() == 2


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_at_once_open_one_cycle():
    """Two daily jobs started together: the row lock on the previous cycle (and the unique
    previous_cycle behind it) lets one open the cycle; the other finds it open."""
    city = make_city()
    _assign(city, recurrence=Recurrence.FISCAL_YEAR)
    barrier = threading.Barrier(2)
    opened: list[list[int]] = []

    def job():
        try:
            barrier.wait(timeout=10)
            opened.append(compliance_cycles_run(today=dt.date(YEAR + 1, 4, 1)).opened)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=job) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=30)
    assert sorted(len(run) for run in opened) == [0, 1]
    assert Assignment.objects.filter(fiscal_year=YEAR + 1).count() == 1


def test_a_missed_year_is_caught_up_cycle_by_cycle(city):
    _assign(city, recurrence=Recurrence.FISCAL_YEAR)
    run = compliance_cycles_run(today=dt.date(YEAR + 2, 4, 2))
    years = list(Assignment.objects.filter(pk__in=run.opened).values_list("fiscal_year", flat=True))
    assert sorted(years) == [YEAR + 1, YEAR + 2]


def test_every_24_months_skips_a_year(city):
    first = _assign(
        city,
        recurrence=Recurrence.MONTHS,
        recurrence_months=24,
        opens_on=dt.date(YEAR, 10, 1),
        due_on=dt.date(YEAR, 12, 31),
    )
    cycle_dates = next_cycle_dates(first)
    assert (cycle_dates.fiscal_year, cycle_dates.opens_on, cycle_dates.due_on) == (
        YEAR + 2,
        dt.date(YEAR + 2, 10, 1),
        dt.date(YEAR + 2, 12, 31),
    )
    assert compliance_cycles_run(today=dt.date(YEAR + 1, 10, 1)).opened == []
    assert len(compliance_cycles_run(today=dt.date(YEAR + 2, 10, 1)).opened) == 1


def test_a_cancelled_series_opens_no_cycle(city):
    first = _assign(city, recurrence=Recurrence.FISCAL_YEAR)
    Assignment.objects.filter(pk=first.pk).update(status="cancelled")
    assert compliance_cycles_run(today=dt.date(YEAR + 1, 4, 1)).opened == []


def test_a_one_off_assignment_never_recurs(city):
    _assign(city)
    assert compliance_cycles_run(today=dt.date(YEAR + 3, 4, 1)).opened == []


def test_the_daily_task_opens_fans_out_and_counts(city):
    _assign(city, recurrence=Recurrence.FISCAL_YEAR)
    result = compliance_cycles_daily_task.delay(today=f"{YEAR + 1}-04-01").get()
    cycle = Assignment.objects.get(pk=result["opened"][0])
    assert cycle.fan_out_status == FanOutStatus.DONE and cycle.enrolled_count == 9
    figures = UnitCourseStats.objects.filter(course=city["course"], fiscal_year=YEAR + 1)
    assert sum(row.enrolled for row in figures) == 9
    assert compliance_cycles_daily_task.delay(today=f"{YEAR + 1}-04-01").get()["opened"] == []


# --- due dates relative to the person ------------------------------------------------------


def test_due_after_joining_for_people_who_join_during_the_cycle(city):
    veteran = city["people"]["madoguchi"][0]
    veteran.joined_on = dt.date(2001, 4, 1)
    veteran.save()
    hire = UserFactory(unit=city["tree"]["madoguchi"], joined_on=dt.date(YEAR, 6, 1))
    assignment = _assign(
        city, due_on=dt.date(YEAR, 5, 31), due_rule=DueRule.AFTER_JOINING, due_days=30
    )
    assert _due(assignment, hire) == dt.date(YEAR, 7, 1)
    assert _due(assignment, veteran) == dt.date(YEAR, 5, 31)  # there when it opened
    no_date = city["people"]["jinji_kakari"][0]
    assert _due(assignment, no_date) == dt.date(YEAR, 5, 31)


def test_due_after_moving_in_counts_from_the_move(city):
    tree = city["tree"]
    assignment = _assign(
        city,
        units=[tree["shimin_bu"]],
        due_rule=DueRule.AFTER_UNIT_MOVE,
        due_days=60,
        due_on=dt.date(YEAR, 6, 30),
    )
    mover = city["people"]["jinji_kakari"][0]
    assert not Enrollment.objects.filter(assignment=assignment, user=mover).exists()
    mover.unit, mover.unit_since = tree["madoguchi"], dt.date(YEAR, 10, 1)
    mover.save()
    enrollments_sync_for_active_assignments()
    assert _due(assignment, mover) == dt.date(YEAR, 11, 30)


def test_due_after_dx_pro_appointment(city):
    pro = city["people"]["dx_kakari"][0]
    appointment = DxProAssignmentFactory(user=pro, unit=city["tree"]["jouhou"], fiscal_year=YEAR)
    appointed = timezone.make_aware(dt.datetime(YEAR, 5, 10, 9, 0))
    type(appointment).objects.filter(pk=appointment.pk).update(created_at=appointed)
    assignment = _assign(city, dx_pros_only=True, due_rule=DueRule.AFTER_DX_PRO, due_days=14)
    assert _due(assignment, pro) == dt.date(YEAR, 5, 24)


def test_a_relative_rule_needs_its_days(city):
    with pytest.raises(ValueError):
        assignment_create(
            course=city["course"], enqueue=False, due_rule=DueRule.AFTER_JOINING, **dates(YEAR)
        )


# --- transfers out ---------------------------------------------------------------------------


def test_transfer_out_withdraws_open_enrollments_and_keeps_completions(city):
    tree, people = city["tree"], city["people"]
    assignment = _assign(city, units=[tree["shimin_bu"]])
    leaving, finished = people["madoguchi"]
    enrollment_set_status(
        enrollment=Enrollment.objects.get(assignment=assignment, user=finished),
        status=EnrollmentStatus.COMPLETED,
    )
    for person in (leaving, finished):
        person.unit = tree["jinji_kakari"]
        person.save()
    touched = enrollments_sync_for_active_assignments()
    assert (city["course"].pk, YEAR) in touched
    statuses = dict(
        Enrollment.objects.filter(assignment=assignment).values_list("user_id", "status")
    )
    assert statuses[leaving.pk] == EnrollmentStatus.WITHDRAWN
    assert statuses[finished.pk] == EnrollmentStatus.COMPLETED
    completed = Enrollment.objects.get(assignment=assignment, user=finished)
    assert completed.unit_at_completion == tree["madoguchi"]

    # Moving back in reopens the course.
    leaving.unit = tree["madoguchi"]
    leaving.save()
    enrollments_sync_for_active_assignments()
    assert _status(assignment, leaving) == EnrollmentStatus.NOT_STARTED


def _status(assignment, user):
    return Enrollment.objects.get(assignment=assignment, user=user).status


# --- certificates that expire ------------------------------------------------------------------


def _certified(city, *, valid_months, window, completed):
    course = city["course"]
    course.certificate_valid_months = valid_months
    course.save()
    assignment = _assign(
        city, units=[city["tree"]["shimin_bu"]], renewal_window_days=window, **dates(YEAR - 1)
    )
    person = city["people"]["madoguchi"][0]
    enrollment = Enrollment.objects.get(assignment=assignment, user=person)
    enrollment_set_status(
        enrollment=enrollment,
        status=EnrollmentStatus.COMPLETED,
        at=timezone.make_aware(dt.datetime.combine(completed, dt.time(15, 0))),
    )
    return assignment, person


def test_an_expiring_certificate_is_renewed_within_the_window(city):
    assignment, person = _certified(
        city, valid_months=12, window=30, completed=dt.date(YEAR - 1, 12, 1)
    )
    assert compliance_cycles_run(today=dt.date(YEAR, 10, 31)).renewals.total == 0
    run = compliance_cycles_run(today=dt.date(YEAR, 11, 1))
    assert run.renewals.enrolled == {(city["course"].pk, YEAR): 1}
    renewal = Enrollment.objects.get(user=person, fiscal_year=YEAR)
    assert renewal.due_on == dt.date(YEAR, 12, 1)
    assert renewal.status == EnrollmentStatus.NOT_STARTED and renewal.assignment == assignment
    # The job again: nobody twice; the expired year's completion untouched.
    assert compliance_cycles_run(today=dt.date(YEAR, 11, 2)).renewals.total == 0
    assert Enrollment.objects.get(user=person, fiscal_year=YEAR - 1).status == "completed"


def test_a_certificate_without_expiry_is_never_renewed(city):
    _certified(city, valid_months=None, window=30, completed=dt.date(YEAR - 1, 4, 10))
    assert compliance_cycles_run(today=dt.date(YEAR + 5, 1, 1)).renewals.total == 0


def test_valid_until_is_shown_on_the_certificate(city):
    _assignment, person = _certified(
        city, valid_months=12, window=30, completed=dt.date(YEAR - 1, 12, 1)
    )
    enrollment = Enrollment.objects.get(user=person, fiscal_year=YEAR - 1)
    certificate_issue(enrollment=enrollment)
    assert Enrollment.objects.get(pk=enrollment.pk).certificate_valid_until == dt.date(YEAR, 12, 1)


def test_every_field_of_an_assignment_is_either_copied_to_the_next_cycle_or_its_own():
    """A field added to the rule later must be copied by the daily job, or said not to be."""
    from lms.models import Assignment

    own = {
        "id", "course", "fiscal_year", "cycle", "opens_on", "due_on", "previous_cycle", "units",
        "status", "created_by", "created_at", "cancelled_at", "fan_out_status",
        "fan_out_total", "fan_out_done", "enrolled_count", "fanned_out_at",
    }  # fmt: skip
    fields = {field.name for field in Assignment._meta.get_fields() if field.concrete}
    assert fields - own == set(Assignment.RULE_FIELDS)

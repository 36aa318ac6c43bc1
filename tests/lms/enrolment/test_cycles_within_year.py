"""Courses that recur every N months (N < 12): several cycles in one fiscal year.

Every six months from April: April opens the year's cycle 0, October its cycle 1, which
supersedes April's (the work is done again, the figures count October's), and the next
April opens cycle 0 of the new year. April's records stay as they were.
"""

import datetime as dt

import pytest
from django.test import override_settings

from core.fiscal import current_fiscal_year
from courses.selectors import course_progress
from courses.services import attempt_start, attempt_submit, lesson_read_record
from courses.years import Period, training_period
from lms.completion.figures import stats_differences, stats_rebuild
from lms.enrolment.cycles import compliance_cycles_run, next_cycle_dates
from lms.enrolment.fan_out import audience_preview
from lms.enrolment.services import (
    assignment_cancel,
    assignment_create,
    assignment_fan_out,
    enrollment_set_status,
    enrollments_sync_for_active_assignments,
)
from lms.models import (
    Assignment,
    AssignmentStatus,
    Enrollment,
    EnrollmentStatus,
    Recurrence,
    UnitCourseStats,
    assignment_in_current_cycle,
    in_current_cycle,
)
from lms.my_training.selectors import my_training
from lms.notices.assignment import assignment_notices_send
from lms.reminders.services import reminders_send_daily
from tests.helpers.quiz import right_responses
from tests.lms.training import make_city

pytestmark = pytest.mark.django_db

YEAR = current_fiscal_year()
APRIL, OCTOBER = dt.date(YEAR, 4, 1), dt.date(YEAR, 10, 1)


@pytest.fixture
def city(django_capture_on_commit_callbacks):
    city = make_city()
    city["course"].require_quiz = False
    city["course"].save()
    return city


def _every(city, months: int, **fields) -> Assignment:
    """A series every ``months`` from April (the whole city unless ``units``), fanned out."""
    assignment = assignment_create(
        course=city["course"],
        enqueue=False,
        fiscal_year=YEAR,
        opens_on=APRIL,
        due_on=dt.date(YEAR, 6, 30),
        recurrence=Recurrence.MONTHS,
        recurrence_months=months,
        **fields,
    )
    return assignment_fan_out(assignment_id=assignment.pk)


def _next_cycle(today: dt.date) -> Assignment:
    [opened] = compliance_cycles_run(today=today).opened
    cycle = assignment_fan_out(assignment_id=opened)
    stats_rebuild()
    return cycle


def _read_everything(city, user, captured) -> None:
    """Read every lesson, the completion evaluated as the commit hooks would."""
    with captured(execute=True):
        for lesson in city["lessons"]:
            lesson_read_record(user=user, lesson=lesson)


def _enrollment(assignment, user) -> Enrollment:
    return Enrollment.objects.get(assignment=assignment, user=user)


def test_every_six_months_numbers_the_cycles_of_each_fiscal_year(city):
    april = _every(city, 6)
    october = next_cycle_dates(april)
    assert (october.fiscal_year, october.cycle, october.opens_on, october.due_on) == (
        YEAR, 1, OCTOBER, dt.date(YEAR, 12, 30),
    )  # fmt: skip
    october_cycle = _next_cycle(OCTOBER)
    following = next_cycle_dates(october_cycle)
    assert (following.fiscal_year, following.cycle, following.opens_on) == (
        YEAR + 1, 0, dt.date(YEAR + 1, 4, 1),
    )  # fmt: skip


def test_every_month_is_twelve_cycles_a_year(city):
    cycle = _every(city, 1)
    numbers = []
    for _month in range(12):
        dates = next_cycle_dates(cycle)
        numbers.append((dates.fiscal_year, dates.cycle))
        cycle = Assignment.objects.get(pk=compliance_cycles_run(today=dates.opens_on).opened[0])
    assert numbers == [(YEAR, n) for n in range(1, 12)] + [(YEAR + 1, 0)]


@pytest.mark.parametrize("months", [0, 5, 7, 18, 132])
def test_months_must_divide_a_year_or_be_whole_years(city, months):
    with pytest.raises(ValueError):
        _every(city, months)


def test_the_october_cycle_supersedes_april_and_leaves_its_records(
    city, django_capture_on_commit_callbacks
):
    """The half-year walk-through: April's work done, October's to do again."""
    people = city["people"]
    finished, halfway = people["madoguchi"][0], people["madoguchi"][1]
    april = _every(city, 6)
    _read_everything(city, finished, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        lesson_read_record(user=halfway, lesson=city["lessons"][0])
    assert _enrollment(april, finished).status == EnrollmentStatus.COMPLETED
    assert _enrollment(april, halfway).status == EnrollmentStatus.IN_PROGRESS
    stats_rebuild()
    unit = city["tree"]["madoguchi"]
    april_row = UnitCourseStats.objects.get(unit=unit, course=city["course"], fiscal_year=YEAR)
    assert (april_row.completed, april_row.in_progress) == (1, 1)

    october = _next_cycle(OCTOBER)
    assert (october.fiscal_year, october.cycle, october.due_on) == (YEAR, 1, dt.date(YEAR, 12, 30))
    assert october.period_label != april.period_label
    # Everyone in scope is enrolled again, not started, with October's due date ...
    new = _enrollment(october, finished)
    assert (new.status, new.cycle, new.due_on) == (EnrollmentStatus.NOT_STARTED, 1, october.due_on)
    assert Enrollment.objects.filter(assignment=october).count() == (
        Enrollment.objects.filter(assignment=april).count()
    )
    # ... April's records are untouched ...
    assert _enrollment(april, finished).status == EnrollmentStatus.COMPLETED
    assert _enrollment(april, halfway).status == EnrollmentStatus.IN_PROGRESS
    # ... and the year's figures count October's cycle.
    row = UnitCourseStats.objects.get(unit=unit, course=city["course"], fiscal_year=YEAR)
    assert (row.completed, row.in_progress, row.not_started) == (0, 0, row.enrolled)
    assert row.enrolled == april_row.enrolled > 0
    assert stats_differences() == []
    assert list(Assignment.objects.filter(assignment_in_current_cycle())) == [october]

    # The work counts for October's cycle: April's reading is not carried over.
    period = training_period(user_id=finished.pk, course_path=city["course"].path)
    assert period == Period(YEAR, 1)
    assert course_progress(user=finished, course=city["course"]).lessons_read == set()
    _read_everything(city, finished, django_capture_on_commit_callbacks)
    assert _enrollment(october, finished).status == EnrollmentStatus.COMPLETED
    assert _enrollment(april, finished).completed_at < _enrollment(october, finished).completed_at

    # My training: the superseded April enrolment is no longer to do; both completions stay.
    halfway_training = my_training(user=halfway)
    assert [e.assignment_id for e in halfway_training.to_do] == [october.pk]
    assert [e.cycle for e in my_training(user=finished).completed] == [1, 0]


@override_settings(SITE_URL="http://127.0.0.1:8000")
def test_reminders_skip_a_superseded_cycle(city, mailoutbox):
    person = city["people"]["madoguchi"][0]
    april = _every(city, 6)
    lesson_read_record(user=person, lesson=city["lessons"][0])
    october = _next_cycle(OCTOBER)
    Enrollment.objects.filter(assignment=april).update(due_on=dt.date(YEAR, 9, 30))
    Enrollment.objects.filter(assignment=october).update(due_on=dt.date(YEAR, 9, 30))
    reminders_send_daily(now=dt.datetime(YEAR, 10, 2, 9, tzinfo=dt.UTC))
    to_person = [m for m in mailoutbox if person.email in m.to]
    assert len(to_person) == 1
    assert to_person[0].body.count(city["course"].title) == 1


def test_a_cancelled_october_cycle_gives_april_back(city):
    april = _every(city, 6)
    october = _next_cycle(OCTOBER)
    assignment_cancel(assignment_id=october.pk, by=None)
    live = Assignment.objects.filter(assignment_in_current_cycle(), status=AssignmentStatus.ACTIVE)
    assert list(live) == [april]
    person = city["people"]["madoguchi"][0]
    assert training_period(user_id=person.pk, course_path=city["course"].path) == Period(YEAR)


def test_an_open_quiz_attempt_of_april_is_closed_when_october_starts(city):
    """An attempt left open in April is submitted as it stood; October's starts afresh."""
    city["course"].require_quiz = True
    city["course"].save()
    person = city["people"]["madoguchi"][0]
    _every(city, 6)
    april_attempt = attempt_start(user=person, quiz=city["quiz"])
    assert april_attempt.cycle == 0
    _next_cycle(OCTOBER)
    october_attempt = attempt_start(user=person, quiz=city["quiz"])
    assert (october_attempt.cycle, october_attempt.attempt_no) == (1, 1)
    april_attempt.refresh_from_db()
    assert april_attempt.submitted_at is not None
    attempt_submit(
        attempt_id=october_attempt.pk, user=person, responses=right_responses(october_attempt)
    )


def test_nobody_is_told_of_a_cycle_already_superseded(city, mailoutbox):
    april = _every(city, 6)
    october = _next_cycle(OCTOBER)
    Enrollment.objects.update(notified_at=None)
    assert assignment_notices_send(assignment_id=april.pk) == 0
    told = assignment_notices_send(assignment_id=october.pk)
    assert told == Enrollment.objects.filter(assignment=october).count() > 0
    assert len(mailoutbox) == told


def test_people_the_october_cycle_does_not_reach_keep_their_cycle(city):
    """Another assignment of the course (a one-off for 窓口係) is not superseded by the
    six-monthly series of 人事係: its people's enrolment stays the one to do and counted."""
    tree, people = city["tree"], city["people"]
    _every(city, 6, units=[tree["jinji_kakari"]])
    one_off = assignment_create(
        course=city["course"], enqueue=False, fiscal_year=YEAR, opens_on=APRIL,
        due_on=dt.date(YEAR + 1, 3, 31), units=[tree["madoguchi"]],
    )  # fmt: skip
    assignment_fan_out(assignment_id=one_off.pk)
    october = _next_cycle(OCTOBER)
    assert set(Enrollment.objects.filter(assignment=october).values_list("user", flat=True)) == {
        p.pk for p in people["jinji_kakari"]
    }
    current = Enrollment.objects.filter(in_current_cycle())
    assert {(e.user_id, e.cycle) for e in current} == {
        *((p.pk, 1) for p in people["jinji_kakari"]),
        *((p.pk, 0) for p in people["madoguchi"]),
    }
    counter = people["madoguchi"][0]
    assert [e.assignment_id for e in my_training(user=counter).to_do] == [one_off.pk]
    assert training_period(user_id=counter.pk, course_path=city["course"].path) == Period(YEAR)
    row = UnitCourseStats.objects.get(unit=tree["madoguchi"], course=city["course"])
    assert row.enrolled == len(people["madoguchi"])
    assert stats_differences() == []
    # A one-off made now joins the course's current cycle, and the preview agrees.
    for unit, already in (("jinji_kakari", 2), ("madoguchi", 0)):
        preview = audience_preview(
            course_id=city["course"].pk, fiscal_year=YEAR, unit_paths=[tree[unit].path]
        )
        assert (preview.matching, preview.already) == (2, already)
    late = assignment_create(
        course=city["course"], enqueue=False, **{"fiscal_year": YEAR, "opens_on": OCTOBER},
        due_on=dt.date(YEAR, 12, 31), units=[tree["madoguchi"]],
    )  # fmt: skip
    assert late.cycle == 1
    assert assignment_fan_out(assignment_id=late.pk).enrolled_count == 2


def test_twelve_months_opening_in_march_stays_a_year_apart(city):
    """An assignment of next year opening in March: its next cycle is the year after's."""
    march = assignment_create(
        course=city["course"], enqueue=False, fiscal_year=YEAR + 1,
        opens_on=dt.date(YEAR + 1, 3, 15), due_on=dt.date(YEAR + 1, 3, 31),
        recurrence=Recurrence.MONTHS, recurrence_months=12,
    )  # fmt: skip
    following = next_cycle_dates(march)
    assert (following.fiscal_year, following.cycle, following.opens_on) == (
        YEAR + 2, 0, dt.date(YEAR + 2, 3, 15),
    )  # fmt: skip


def test_a_completion_stays_counted_when_the_later_cycle_is_withdrawn(city):
    """Completed in April, moved out of the units in November: April's completion counts."""
    person = city["people"]["madoguchi"][0]
    april = _every(city, 6)
    enrollment_set_status(enrollment=_enrollment(april, person), status="completed")
    october = _next_cycle(OCTOBER)
    later = _enrollment(october, person)
    enrollment_set_status(enrollment=later, status=EnrollmentStatus.WITHDRAWN)
    current = Enrollment.objects.filter(in_current_cycle(), user=person).exclude(
        status=EnrollmentStatus.WITHDRAWN
    )
    assert [(e.cycle, e.status) for e in current] == [(0, EnrollmentStatus.COMPLETED)]


def test_a_cancelled_october_cycle_someone_completed_counts_once(city):
    person = city["people"]["madoguchi"][0]
    _every(city, 6)
    october = _next_cycle(OCTOBER)
    enrollment_set_status(enrollment=_enrollment(october, person), status="completed")
    assignment_cancel(assignment_id=october.pk, by=None)
    current = Enrollment.objects.filter(in_current_cycle(), user=person)
    assert [(e.cycle, e.status) for e in current] == [(1, EnrollmentStatus.COMPLETED)]
    others = (
        Enrollment.objects.filter(in_current_cycle())
        .exclude(user=person)
        .exclude(status=EnrollmentStatus.WITHDRAWN)
    )
    assert {e.cycle for e in others} == {0}  # everyone else has April back
    stats_rebuild()
    assert stats_differences() == []
    assert sum(UnitCourseStats.objects.values_list("enrolled", flat=True)) == (
        Enrollment.objects.filter(cycle=0).count()
    )


def test_moving_out_after_october_withdraws_april_too(city):
    """April left open, October opened, then the person moves to a unit out of scope: both
    cycles' open enrolments are withdrawn, so April's does not come back as theirs to do."""
    tree = city["tree"]
    person = city["people"]["madoguchi"][0]
    _every(city, 6, units=[tree["madoguchi"]])
    _next_cycle(OCTOBER)
    person.unit = tree["jinji_kakari"]
    person.save()
    enrollments_sync_for_active_assignments()
    statuses = Enrollment.objects.filter(user=person).values_list("cycle", "status")
    assert sorted(statuses) == [(0, "withdrawn"), (1, "withdrawn")]
    assert my_training(user=person).to_do == []

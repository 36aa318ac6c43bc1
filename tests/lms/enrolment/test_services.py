"""Assignments: audience rules, fan-out idempotency, cancellation, joiners and movers."""

import pytest

from lms.completion.figures import stats_differences
from lms.enrolment.fan_out import _insert_batch
from lms.enrolment.services import (
    assignment_audience,
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
    FanOutStatus,
    UnitCourseStats,
)
from org.people import EmploymentType, Position
from org.signals import roster_applied
from tests.factories import DxProAssignmentFactory, UserFactory
from tests.lms.training import dates, make_city

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    return make_city()


def _assign(city, **rule):
    return assignment_create(course=city["course"], enqueue=False, **dates(), **rule)


def _enrolled(assignment):
    return set(Enrollment.objects.filter(assignment=assignment).values_list("user_id", flat=True))


def test_whole_city_enrolls_every_active_member_of_staff(city):
    UserFactory(unit=city["tree"]["madoguchi"], is_active=False)
    UserFactory(unit=None)  # the administrator: no unit, not staff of a unit
    assignment = _assign(city)
    assignment = assignment_fan_out(assignment_id=assignment.pk)
    assert assignment.fan_out_status == FanOutStatus.DONE
    assert assignment.enrolled_count == 9
    assert assignment.fan_out_percent == 100
    enrollment = Enrollment.objects.filter(assignment=assignment).first()
    assert enrollment.status == EnrollmentStatus.NOT_STARTED
    assert enrollment.due_on == assignment.due_on


def test_subtree_and_employment_type_rule(city):
    tree, people = city["tree"], city["people"]
    assignment = _assign(
        city,
        units=[tree["jinji"], tree["madoguchi"]],
        employment_types=[EmploymentType.REGULAR, EmploymentType.REAPPOINTED],
    )
    expected = {
        people["jinji_kakari"][0].pk,
        people["kyuyo_kakari"][0].pk,
        people["madoguchi"][0].pk,
        people["chief"][0].pk,
    }
    assert set(assignment_audience(assignment).values_list("pk", flat=True)) == expected
    assignment_fan_out(assignment_id=assignment.pk)
    assert _enrolled(assignment) == expected


def test_positions_and_dx_pros_rules(city):
    people = city["people"]
    chiefs = _assign(city, positions=[Position.SECTION_CHIEF])
    assert list(assignment_audience(chiefs)) == [people["chief"][0]]
    dx_pro = people["dx_kakari"][0]
    DxProAssignmentFactory(user=dx_pro, unit=city["tree"]["jouhou"])
    DxProAssignmentFactory(user=dx_pro, unit=city["tree"]["soumu"])  # two appointments
    DxProAssignmentFactory(user=people["madoguchi"][0], unit=city["tree"]["madoguchi"],
                           fiscal_year=2001)  # fmt: skip
    pros = _assign(city, dx_pros_only=True)
    assert list(assignment_audience(pros)) == [dx_pro]


def test_fan_out_twice_enrolls_nobody_twice(city):
    assignment = _assign(city)
    assignment_fan_out(assignment_id=assignment.pk)
    again = assignment_fan_out(assignment_id=assignment.pk)
    assert again.inserted_last_run == 0
    assert Enrollment.objects.count() == 9


def test_second_assignment_of_the_same_course_keeps_the_first_enrollment(city):
    first = _assign(city, units=[city["tree"]["jinji"]])
    assignment_fan_out(assignment_id=first.pk)
    second = _assign(city)
    assignment_fan_out(assignment_id=second.pk)
    assert Enrollment.objects.count() == 9
    assert Enrollment.objects.filter(assignment=first).count() == 5


def test_batches_are_recorded_as_progress(city, monkeypatch):
    monkeypatch.setattr("lms.enrolment.fan_out.FAN_OUT_BATCH", 2)
    calls = []
    monkeypatch.setattr(
        "lms.enrolment.fan_out._insert_batch", lambda *a: calls.append(a) or _insert_batch(*a)
    )
    assignment = assignment_fan_out(assignment_id=_assign(city).pk)
    assert assignment.fan_out_total == len(calls) >= 4
    assert assignment.fan_out_done == assignment.fan_out_total
    assert assignment.enrolled_count == 9


def test_the_task_fans_out_on_commit_and_builds_the_figures(
    city, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assignment = assignment_create(course=city["course"], **dates())
    assert Enrollment.objects.filter(assignment=assignment).count() == 9
    assert sum(UnitCourseStats.objects.values_list("enrolled", flat=True)) == 9


def test_cancel_withdraws_open_enrollments_and_keeps_completions(
    city, django_capture_on_commit_callbacks
):
    assignment = _assign(city)
    assignment_fan_out(assignment_id=assignment.pk)
    done = Enrollment.objects.filter(assignment=assignment).first()
    enrollment_set_status(enrollment=done, status=EnrollmentStatus.COMPLETED, refresh_stats=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert assignment_cancel(assignment_id=assignment.pk) == 8
    assert assignment_cancel(assignment_id=assignment.pk) == 0
    assert Assignment.objects.get(pk=assignment.pk).status == AssignmentStatus.CANCELLED
    done.refresh_from_db()
    assert done.status == EnrollmentStatus.COMPLETED
    assert done.completed_at is not None
    assert Enrollment.objects.filter(status=EnrollmentStatus.WITHDRAWN).count() == 8
    stats = list(UnitCourseStats.objects.all())
    assert [(s.enrolled, s.completed) for s in stats] == [(1, 1)]
    # A cancelled assignment enrolls nobody on a later sync.
    UserFactory(unit=city["tree"]["madoguchi"])
    assignment_fan_out(assignment_id=assignment.pk)
    assert Enrollment.objects.count() == 9


def test_joiners_get_active_assignments_after_a_roster_import(
    city, django_capture_on_commit_callbacks
):
    assignment = _assign(city, units=[city["tree"]["shimin_bu"]])
    assignment_fan_out(assignment_id=assignment.pk)
    joiner = UserFactory(unit=city["tree"]["madoguchi"])
    mover = city["people"]["jinji_kakari"][0]
    mover.unit = city["tree"]["madoguchi"]
    mover.save()
    with django_capture_on_commit_callbacks(execute=True):
        roster_applied.send(sender=None, roster_import_id=1)  # the receiver records the sync
    assert {joiner.pk, mover.pk} <= _enrolled(assignment)
    assert Enrollment.objects.filter(user=joiner).count() == 1
    row = UnitCourseStats.objects.get(unit=city["tree"]["madoguchi"])
    assert row.enrolled == 4
    assert enrollments_sync_for_active_assignments() == [
        (assignment.course_id, assignment.fiscal_year)
    ]
    assert Enrollment.objects.count() == 4


def test_due_before_opening_is_refused(city):
    values = dates()
    values["due_on"], values["opens_on"] = values["opens_on"], values["due_on"]
    with pytest.raises(ValueError):
        assignment_create(course=city["course"], enqueue=False, **values)


def test_leavers_open_enrollments_are_withdrawn_and_completions_kept(
    city, django_capture_on_commit_callbacks
):
    """A roster import deactivates people: their open enrollments stop counting."""
    assignment = _assign(city)
    assignment_fan_out(assignment_id=assignment.pk)
    finished, leaver = city["people"]["madoguchi"]
    done = Enrollment.objects.get(user=finished)
    enrollment_set_status(enrollment=done, status=EnrollmentStatus.COMPLETED, refresh_stats=False)
    for person in (finished, leaver):
        person.is_active = False
        person.save()
    with django_capture_on_commit_callbacks(execute=True):
        roster_applied.send(sender=None, roster_import_id=1)  # the receiver records the sync
    assert Enrollment.objects.get(user=leaver).status == EnrollmentStatus.WITHDRAWN
    assert Enrollment.objects.get(user=finished).status == EnrollmentStatus.COMPLETED
    row = UnitCourseStats.objects.get(unit=city["tree"]["madoguchi"])
    assert (row.enrolled, row.not_started, row.completed) == (1, 0, 1)
    assert stats_differences() == []
    # The leaver comes back in a later roster: the course is theirs again.
    leaver.is_active = True
    leaver.save()
    with django_capture_on_commit_callbacks(execute=True):
        roster_applied.send(sender=None, roster_import_id=2)
    assert Enrollment.objects.get(user=leaver).status == EnrollmentStatus.NOT_STARTED
    assert UnitCourseStats.objects.get(unit=city["tree"]["madoguchi"]).enrolled == 2


def test_enrollments_withdrawn_by_a_cancelled_assignment_stay_withdrawn(city):
    assignment = _assign(city)
    assignment_fan_out(assignment_id=assignment.pk)
    assignment_cancel(assignment_id=assignment.pk)
    assert enrollments_sync_for_active_assignments() == []
    assert not Enrollment.objects.exclude(status=EnrollmentStatus.WITHDRAWN).exists()

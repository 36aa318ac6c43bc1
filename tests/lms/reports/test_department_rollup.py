"""department_rollup: every department in every course of a year, from the kept figures."""

import pytest

from lms.completion.figures import recount, stats_rebuild
from lms.enrolment.services import assignment_create, assignment_fan_out, enrollment_set_status
from lms.models import Enrollment, EnrollmentStatus
from lms.reports.dashboard import department_rollup
from tests.factories import UserFactory, make_course
from tests.lms.training import dates, make_city

pytestmark = pytest.mark.django_db


def _paths(tree) -> dict[int, str]:
    return {unit.pk: unit.path for unit in tree.values()}


def test_sums_each_department_per_course_in_two_queries(django_assert_num_queries):
    city = make_city()
    second = make_course(title="情報セキュリティ研修", slug="security")["course"]
    for course in (city["course"], second):
        assignment = assignment_create(course=course, enqueue=False, **dates())
        assignment_fan_out(assignment_id=assignment.pk)
    tree = city["tree"]
    for enrollment in Enrollment.objects.filter(
        user__unit=tree["jinji_kakari"], course=city["course"]
    ):
        enrollment_set_status(enrollment=enrollment, status=EnrollmentStatus.COMPLETED,
                              refresh_stats=False)  # fmt: skip
    stats_rebuild()
    year = Enrollment.objects.values_list("fiscal_year", flat=True).first()

    with django_assert_num_queries(2):
        rows = department_rollup(fiscal_year=year)

    by_name = {row.name: row for row in rows}
    assert set(by_name) == {"総務部", "市民部"}
    # The same figures as a recount of the raw enrollments, department by department.
    counted = recount(fiscal_year=year)
    for row in rows:
        for course in (city["course"], second):
            expected = [0] * 5
            for (unit_id, course_id, _y), figures in counted.items():
                unit_path = _paths(tree)[unit_id]
                if course_id == course.pk and unit_path.startswith(row.path):
                    expected = [a + b for a, b in zip(expected, figures, strict=True)]
            got = row.courses[course.pk]
            assert [got.enrolled, got.not_started, got.in_progress, got.completed,
                    got.overdue] == expected  # fmt: skip
        assert row.total.enrolled == sum(f.enrolled for f in row.courses.values())
    assert by_name["総務部"].courses[city["course"].pk].completed == 2
    assert by_name["総務部"].courses[second.pk].completed == 0


def test_query_count_does_not_grow_with_staff(django_assert_num_queries):
    city = make_city()
    assignment = assignment_create(course=city["course"], enqueue=False, **dates())
    UserFactory.create_batch(20, unit=city["tree"]["madoguchi"])
    assignment_fan_out(assignment_id=assignment.pk)
    stats_rebuild()
    year = assignment.fiscal_year
    with django_assert_num_queries(2):
        department_rollup(fiscal_year=year)

"""Per-unit figures: kept current per event, rebuilt, and equal to a recount."""

import datetime as dt
import random

import pytest
from django.core.management import CommandError, call_command

from lms.enrollment_services import (
    assignment_cancel,
    assignment_create,
    assignment_fan_out,
    enrollment_set_status,
)
from lms.models import Enrollment, EnrollmentStatus, UnitCourseStats
from lms.stats import stats_differences, stats_rebuild, unit_stats_refresh
from tests.factories import UserFactory
from tests.lms.training import dates, make_city

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    city = make_city()
    assignment = assignment_create(course=city["course"], enqueue=False, **dates())
    assignment_fan_out(assignment_id=assignment.pk)
    stats_rebuild()
    return {**city, "assignment": assignment}


def test_rebuild_counts_each_unit(city):
    tree = city["tree"]
    enrollments = list(Enrollment.objects.filter(user__unit=tree["jinji_kakari"]))
    enrollment_set_status(enrollment=enrollments[0], status=EnrollmentStatus.COMPLETED)
    enrollment_set_status(enrollment=enrollments[1], status=EnrollmentStatus.IN_PROGRESS)
    Enrollment.objects.filter(user__unit=tree["madoguchi"]).update(due_on=dt.date(2000, 1, 1))
    stats_rebuild()
    rows = {r.unit_id: r.figures() for r in UnitCourseStats.objects.all()}
    assert rows[tree["jinji_kakari"].pk] == (2, 0, 1, 1, 0)
    assert rows[tree["madoguchi"].pk] == (2, 2, 0, 0, 2)
    assert rows[tree["jinji"].pk] == (1, 1, 0, 0, 0)  # the section chief sits in the section
    assert stats_differences() == []


def test_check_command_fails_on_a_difference(city):
    call_command("stats_check")
    UnitCourseStats.objects.filter(unit=city["tree"]["madoguchi"]).update(completed=5)
    with pytest.raises(CommandError):
        call_command("stats_check")
    call_command("stats_rebuild", "--fiscal-year", str(dates()["fiscal_year"]))
    call_command("stats_check", "--fiscal-year", str(dates()["fiscal_year"]))


def test_figures_equal_a_recount_after_random_event_sequences(
    city, django_capture_on_commit_callbacks
):
    """Property: whatever happens, in whatever order, the kept figures equal a recount."""
    tree = city["tree"]
    units = [tree[k] for k in ("jinji_kakari", "kyuyo_kakari", "dx_kakari", "madoguchi")]
    statuses = [EnrollmentStatus.NOT_STARTED, EnrollmentStatus.IN_PROGRESS,
                EnrollmentStatus.COMPLETED]  # fmt: skip
    rng = random.Random(20260401)
    for _round in range(6):
        with django_capture_on_commit_callbacks(execute=True):
            for _step in range(25):
                enrollment = rng.choice(list(Enrollment.objects.exclude(status="withdrawn")))
                if enrollment.status == EnrollmentStatus.COMPLETED:
                    continue  # completions are final
                enrollment_set_status(enrollment=enrollment, status=rng.choice(statuses))
        assert stats_differences() == [], _round
        if _round == 2:
            # Joiners arrive and a roster import's sync enrolls them (movers rebuild).
            for unit in rng.sample(units, 2):
                UserFactory(unit=unit)
            assignment_fan_out(assignment_id=city["assignment"].pk)
            stats_rebuild()
    with django_capture_on_commit_callbacks(execute=True):
        assignment_cancel(assignment_id=city["assignment"].pk)
    assert stats_differences() == []
    assert not UnitCourseStats.objects.filter(not_started__gt=0).exists()


def test_refreshing_an_empty_unit_removes_its_row(city):
    unit = city["tree"]["madoguchi"]
    Enrollment.objects.filter(user__unit=unit).delete()
    year = dates()["fiscal_year"]
    unit_stats_refresh(unit_id=unit.pk, course_id=city["course"].pk, fiscal_year=year)
    assert not UnitCourseStats.objects.filter(unit=unit).exists()
    assert stats_differences() == []

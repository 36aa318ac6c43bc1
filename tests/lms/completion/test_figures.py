"""Per-unit figures: kept current per event, rebuilt, and equal to a recount."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lms.completion.figures import stats_differences, stats_rebuild, unit_stats_refresh
from lms.enrolment.services import (
    assignment_cancel,
    assignment_create,
    assignment_fan_out,
    enrollment_set_status,
)
from lms.models import OPEN_STATUSES, Enrollment, EnrollmentStatus, UnitCourseStats, User
from lms.tasks import stats_rebuild_task
from org.signals import roster_applied
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


STATUSES = [EnrollmentStatus.NOT_STARTED, EnrollmentStatus.IN_PROGRESS,
            EnrollmentStatus.COMPLETED]  # fmt: skip
UNIT_KEYS = ("jinji_kakari", "kyuyo_kakari", "dx_kakari", "madoguchi")

#: One event of the city's year, as the code paths that handle it in production see it.
EVENTS = st.one_of(
    st.tuples(st.just("status"), st.integers(0, 99), st.sampled_from(STATUSES)),
    st.tuples(st.just("join"), st.integers(0, 3), st.none()),
    st.tuples(st.just("move"), st.integers(0, 99), st.integers(0, 3)),
    st.tuples(st.just("leave"), st.integers(0, 99), st.none()),
    st.tuples(st.just("return"), st.integers(0, 99), st.none()),
    st.tuples(st.just("due_passes"), st.integers(0, 3), st.none()),
)


def _apply(event, city) -> None:
    """Run one event through the service, receiver or task that handles it for real."""
    kind, index, arg = event
    tree = city["tree"]
    if kind == "status":
        open_ones = list(Enrollment.objects.filter(status__in=OPEN_STATUSES).order_by("pk"))
        if open_ones:  # completions are final; withdrawn ones belong to leavers
            enrollment_set_status(enrollment=open_ones[index % len(open_ones)], status=arg)
        return
    if kind == "due_passes":
        # The date moves past a unit's due date; the nightly rebuild catches "overdue" up.
        Enrollment.objects.filter(user__unit=tree[UNIT_KEYS[index]]).update(
            due_on=dt.date(2000, 1, 1)
        )
        stats_rebuild_task.delay()
        return
    people = list(User.objects.filter(unit__isnull=False).order_by("pk"))
    person = people[index % len(people)]
    if kind == "join":
        UserFactory(unit=tree[UNIT_KEYS[index]])
    elif kind == "move":
        person.unit = tree[UNIT_KEYS[arg]]
        person.save(update_fields=["unit"])
    elif kind in ("leave", "return"):
        person.is_active = kind == "return"
        person.save(update_fields=["is_active"])
    roster_applied.send(sender=None, roster_import_id=0)  # a roster import's sync


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(events=st.lists(EVENTS, min_size=1, max_size=10))
def test_figures_equal_a_recount_after_random_event_sequences(
    city, django_capture_on_commit_callbacks, events
):
    """Property: whatever happens, in whatever order, the kept figures equal a recount.

    Each example runs in a savepoint rolled back at the end, so examples start from the
    same city. The on-commit callbacks (the Celery tasks that refresh a unit's row) run
    eagerly after every event, as a worker would run them right after the commit.
    """
    with transaction.atomic():
        for event in events:
            with django_capture_on_commit_callbacks(execute=True):
                _apply(event, city)
            assert stats_differences() == [], event
        with django_capture_on_commit_callbacks(execute=True):
            assignment_cancel(assignment_id=city["assignment"].pk)
        assert stats_differences() == []
        assert not UnitCourseStats.objects.filter(not_started__gt=0).exists()
        transaction.set_rollback(True)


def test_refreshing_an_empty_unit_removes_its_row(city):
    unit = city["tree"]["madoguchi"]
    Enrollment.objects.filter(user__unit=unit).delete()
    year = dates()["fiscal_year"]
    unit_stats_refresh(unit_id=unit.pk, course_id=city["course"].pk, fiscal_year=year)
    assert not UnitCourseStats.objects.filter(unit=unit).exists()
    assert stats_differences() == []

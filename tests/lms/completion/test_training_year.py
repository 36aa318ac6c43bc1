"""The year a learner's work counts for is the year of their open enrolment (courses.years):
a certificate renewed in March for an April expiry is done in March and counts."""

import datetime as dt

import pytest
from django.utils import timezone

from courses.grading.batch import attempts_grade_waiting
from courses.models import LessonRead, QuizAttempt
from courses.selectors import course_progress, quiz_overview
from courses.services import attempt_start, attempt_submit, lesson_read_record
from courses.years import training_period
from lms.enrolment.services import assignment_create, assignment_fan_out, enrollment_set_status
from lms.models import Enrollment, EnrollmentStatus
from tests.helpers.quiz import right_responses
from tests.lms.training import dates, make_city

pytestmark = pytest.mark.django_db

YEAR = 2026  # the renewal is opened in March 2027 (fiscal 2026) for an expiry in fiscal 2027


@pytest.fixture
def renewal(monkeypatch):
    city = make_city()
    course = city["course"]
    assignment = assignment_create(course=course, enqueue=False, **dates(YEAR))
    assignment_fan_out(assignment_id=assignment.pk)
    learner = city["people"]["jinji_kakari"][0]
    done = Enrollment.objects.get(user=learner, course=course)
    enrollment_set_status(enrollment=done, status=EnrollmentStatus.COMPLETED,
                          at=timezone.make_aware(dt.datetime(2026, 4, 20, 10)),
                          refresh_stats=False)  # fmt: skip
    renewal = Enrollment.objects.create(
        user=learner, course=course, fiscal_year=YEAR + 1, assignment=assignment,
        due_on=dt.date(2027, 4, 20),
    )  # fmt: skip
    noon = timezone.make_aware(dt.datetime(2027, 3, 25, 12))
    monkeypatch.setattr(timezone, "now", lambda: noon)
    return {**city, "learner": learner, "renewal": renewal}


def test_work_done_in_march_counts_for_the_renewal_of_april(
    renewal, django_capture_on_commit_callbacks
):
    learner, course = renewal["learner"], renewal["course"]
    assert training_period(user_id=learner.pk, course_path=course.path).fiscal_year == YEAR + 1
    with django_capture_on_commit_callbacks(execute=True):
        for lesson in renewal["lessons"]:
            lesson_read_record(user=learner, lesson=lesson)
    assert set(LessonRead.objects.values_list("fiscal_year", flat=True)) == {YEAR + 1}
    attempt = attempt_start(user=learner, quiz=renewal["quiz"])
    assert attempt.fiscal_year == YEAR + 1
    with django_capture_on_commit_callbacks(execute=True):
        attempt_submit(attempt_id=attempt.pk, user=learner, responses=right_responses(attempt))
    with django_capture_on_commit_callbacks(execute=True):
        attempts_grade_waiting()
    renewed = Enrollment.objects.get(pk=renewal["renewal"].pk)
    assert renewed.status == EnrollmentStatus.COMPLETED
    # The course page and the quiz page show the same year's progress.
    assert course_progress(user=learner, course=course).is_complete
    assert quiz_overview(user=learner, quiz=renewal["quiz"]).passed


def test_without_an_open_enrolment_the_latest_completion_or_the_calendar_year_counts(renewal):
    learner, course = renewal["learner"], renewal["course"]
    Enrollment.objects.filter(pk=renewal["renewal"].pk).update(status=EnrollmentStatus.WITHDRAWN)
    assert (
        training_period(user_id=learner.pk, course_path=course.path).fiscal_year == YEAR
    )  # completed
    Enrollment.objects.filter(user=learner, fiscal_year=YEAR).update(fiscal_year=YEAR - 1)
    assert (
        training_period(user_id=learner.pk, course_path=course.path).fiscal_year == YEAR
    )  # the calendar
    attempt = attempt_start(user=learner, quiz=renewal["quiz"])
    assert attempt.fiscal_year == YEAR
    assert QuizAttempt.objects.get().fiscal_year == YEAR


def test_last_years_open_enrolment_does_not_count(renewal):
    """An enrolment of a closed year left open stays in that year's figures."""
    learner, course = renewal["learner"], renewal["course"]
    Enrollment.objects.filter(pk=renewal["renewal"].pk).update(fiscal_year=YEAR - 1)
    Enrollment.objects.filter(user=learner, course=course, fiscal_year=YEAR).delete()
    assert training_period(user_id=learner.pk, course_path=course.path).fiscal_year == YEAR

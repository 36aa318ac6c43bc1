"""The completion engine: enrollments follow the course's rule on every event; transfers."""

import pytest

from courses.grading.batch import attempts_grade_waiting
from courses.services import attempt_start, attempt_submit, lesson_read_record
from lms.completion.engine import enrollment_evaluate
from lms.enrolment.services import assignment_create, assignment_fan_out
from lms.models import Enrollment, EnrollmentStatus, UnitCourseStats
from tests.helpers.quiz import right_responses, wrong_responses
from tests.lms.training import dates, make_city

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrolled(django_capture_on_commit_callbacks):
    city = make_city()
    assignment = assignment_create(course=city["course"], enqueue=False, **dates())
    assignment_fan_out(assignment_id=assignment.pk)
    learner = city["people"]["jinji_kakari"][0]
    return {**city, "learner": learner, "assignment": assignment}


def _enrollment(city):
    return Enrollment.objects.get(user=city["learner"], course=city["course"])


def _take_quiz(city, responses, capture):
    attempt = attempt_start(user=city["learner"], quiz=city["quiz"])
    with capture(execute=True):
        attempt_submit(attempt_id=attempt.pk, user=city["learner"], responses=responses(attempt))
    with capture(execute=True):
        attempts_grade_waiting()


def test_events_drive_the_enrollment_to_completion(enrolled, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    with capture(execute=True):
        lesson_read_record(user=enrolled["learner"], lesson=enrolled["lessons"][0])
    enrollment = _enrollment(enrolled)
    assert enrollment.status == EnrollmentStatus.IN_PROGRESS
    assert enrollment.progress == 33
    assert enrollment.started_at is not None
    _take_quiz(enrolled, wrong_responses, capture)
    assert _enrollment(enrolled).status == EnrollmentStatus.IN_PROGRESS
    _take_quiz(enrolled, right_responses, capture)
    assert _enrollment(enrolled).progress == 66
    with capture(execute=True):
        lesson_read_record(user=enrolled["learner"], lesson=enrolled["lessons"][1])
    enrollment = _enrollment(enrolled)
    assert enrollment.status == EnrollmentStatus.COMPLETED
    assert enrollment.progress == 100
    assert enrollment.unit_at_completion == enrolled["tree"]["jinji_kakari"]
    row = UnitCourseStats.objects.get(unit=enrolled["tree"]["jinji_kakari"])
    assert (row.enrolled, row.completed, row.not_started) == (2, 1, 1)


def test_a_transfer_does_not_move_the_completion(enrolled, django_capture_on_commit_callbacks):
    from lms.completion.figures import stats_rebuild

    learner = enrolled["learner"]
    with django_capture_on_commit_callbacks(execute=True):
        for lesson in enrolled["lessons"]:
            lesson_read_record(user=learner, lesson=lesson)
    enrolled["course"].require_quiz = False
    enrolled["course"].save()
    enrollment_evaluate(
        user_id=learner.pk, course_id=enrolled["course"].pk, fiscal_year=dates()["fiscal_year"]
    )
    assert _enrollment(enrolled).status == EnrollmentStatus.COMPLETED
    learner.unit = enrolled["tree"]["madoguchi"]
    learner.save()
    stats_rebuild()
    assert UnitCourseStats.objects.get(unit=enrolled["tree"]["jinji_kakari"]).completed == 1
    assert UnitCourseStats.objects.get(unit=enrolled["tree"]["madoguchi"]).completed == 0
    # A later event never undoes a completion.
    result = enrollment_evaluate(
        user_id=learner.pk, course_id=enrolled["course"].pk, fiscal_year=dates()["fiscal_year"]
    )
    assert result.changed is False
    assert _enrollment(enrolled).unit_at_completion == enrolled["tree"]["jinji_kakari"]


def test_events_without_an_enrollment_change_nothing(enrolled):
    result = enrollment_evaluate(
        user_id=enrolled["learner"].pk, course_id=enrolled["course"].pk, fiscal_year=1999
    )
    assert result.changed is False
    assert result.enrollment_id is None


def test_worksheet_approval_event_re_evaluates(enrolled, django_capture_on_commit_callbacks):
    from courses.models import LessonRead, WorksheetStatus
    from courses.signals import worksheet_approved
    from lms.models import Enrollment
    from tests.factories.svo import make_svo_exercise, make_worksheet

    course = enrolled["course"]
    course.require_quiz = False
    course.require_worksheet = True
    course.save()
    exercise = make_svo_exercise(course)
    for lesson in enrolled["lessons"]:
        LessonRead.objects.create(
            user=enrolled["learner"], lesson=lesson, fiscal_year=dates()["fiscal_year"]
        )
    worksheet = make_worksheet(enrolled["learner"], exercise, status=WorksheetStatus.APPROVED)
    with django_capture_on_commit_callbacks(execute=True):  # the evaluation runs on commit
        worksheet_approved.send(
            sender=None, worksheet=worksheet, user=enrolled["learner"], exercise=exercise,
            fiscal_year=dates()["fiscal_year"], cycle=0, review=None,
        )  # fmt: skip
    assert Enrollment.objects.get(user=enrolled["learner"]).status == EnrollmentStatus.COMPLETED


def test_an_enrollment_with_nothing_done_is_not_started_at_0_percent(enrolled):
    """UX review B20: 「受講中」 at 「0%」. A status that no record supports (set by hand, or
    by the demo) gives way to the learner's real progress on the next evaluation."""
    enrollment = _enrollment(enrolled)
    Enrollment.objects.filter(pk=enrollment.pk).update(
        status=EnrollmentStatus.IN_PROGRESS, progress=50, started_at=enrollment.created_at
    )
    result = enrollment_evaluate(
        user_id=enrolled["learner"].pk,
        course_id=enrolled["course"].pk,
        fiscal_year=enrolled["assignment"].fiscal_year,
    )
    assert result.changed
    enrollment.refresh_from_db()
    assert (enrollment.status, enrollment.progress) == (EnrollmentStatus.NOT_STARTED, 0)
    assert enrollment.started_at is None

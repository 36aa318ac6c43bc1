"""Course events reach the enrollments through recorded work: a grading batch is one
evaluation task for all its learners, the figures then equal a recount, and an event while
the broker is down is evaluated once it is back (nothing lost)."""

from unittest import mock

import pytest
from kombu.exceptions import OperationalError as BrokerDown

from core.models import QueuedTask
from core.queue import queued_tasks_send_lost
from courses.grading.batch import attempts_grade_waiting
from courses.services import attempt_start, attempt_submit, lesson_read_record
from lms import tasks
from lms.completion.figures import stats_differences, stats_rebuild, units_stats_refresh
from lms.enrolment.services import assignment_create, assignment_fan_out
from lms.models import Enrollment, EnrollmentStatus, UnitCourseStats
from tests.helpers.quiz import right_responses, wrong_responses
from tests.lms.training import dates, make_city

pytestmark = pytest.mark.django_db

BATCH = "lms.enrollments_evaluate_batch"


@pytest.fixture
def city(django_capture_on_commit_callbacks):
    city = make_city()
    assignment = assignment_create(course=city["course"], enqueue=False, **dates())
    assignment_fan_out(assignment_id=assignment.pk)
    stats_rebuild()
    return city


def _submitted(city, learner, responses) -> int:
    """A submitted attempt whose grading message is on its way (its commit hook not run)."""
    attempt = attempt_start(user=learner, quiz=city["quiz"])
    attempt_submit(attempt_id=attempt.pk, user=learner, responses=responses(attempt))
    return attempt.pk


def _status(city, learner) -> str:
    return Enrollment.objects.get(user=learner, course=city["course"]).status


def test_a_graded_batch_is_one_evaluation_task_for_all_its_learners(
    city, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    people = city["people"]
    done = people["jinji_kakari"][0]  # read both lessons, passes now: completes
    passes, fails = people["kyuyo_kakari"][0], people["dx_kakari"][0]
    with django_capture_on_commit_callbacks(execute=True):
        for lesson in city["lessons"]:
            lesson_read_record(user=done, lesson=lesson)
    for learner, responses in ((done, right_responses), (passes, right_responses)):
        _submitted(city, learner, responses)
    _submitted(city, fails, wrong_responses)
    with django_capture_on_commit_callbacks(execute=False):  # the evaluation is not sent
        assert attempts_grade_waiting() == (3, False)
    # One piece of work for the batch, recorded with the grades (nothing after the commit
    # ran: a worker dying there loses no completion), with every learner (a failed quiz too).
    [batch] = QueuedTask.objects.filter(task=BATCH)
    year = dates()["fiscal_year"]
    assert sorted(map(tuple, batch.args[0])) == sorted(
        (p.pk, city["course"].pk, year, 0) for p in (done, passes, fails)
    )
    assert _status(city, passes) == EnrollmentStatus.NOT_STARTED  # not evaluated yet
    # however many learners; one of them records the certificate notices of the completions
    with django_assert_max_num_queries(19):
        tasks.enrollments_evaluate_batch_task.apply(args=batch.args).get()
    assert _status(city, done) == EnrollmentStatus.COMPLETED
    assert _status(city, passes) == EnrollmentStatus.IN_PROGRESS
    assert _status(city, fails) == EnrollmentStatus.NOT_STARTED  # a failed quiz starts nothing
    assert stats_differences() == []
    row = UnitCourseStats.objects.get(unit=city["tree"]["jinji_kakari"])
    assert (row.completed, row.not_started) == (1, 1)


def test_the_last_lesson_read_while_the_broker_is_down_completes_once_it_is_back(
    city, django_capture_on_commit_callbacks
):
    """The completion of a course is never lost to a broker outage: the evaluation the
    event needs is recorded with the event and sent by the sweep."""
    learner = city["people"]["madoguchi"][0]
    city["course"].require_quiz = False
    city["course"].save()
    conf = tasks.enrollment_evaluate_task.app.conf
    eager, conf.task_always_eager = conf.task_always_eager, False
    try:
        with (
            mock.patch.object(
                tasks.enrollment_evaluate_task, "apply_async", side_effect=BrokerDown("down")
            ),
            django_capture_on_commit_callbacks(execute=True),
        ):
            for lesson in city["lessons"]:
                lesson_read_record(user=learner, lesson=lesson)
    finally:
        conf.task_always_eager = eager
    assert _status(city, learner) == EnrollmentStatus.NOT_STARTED
    [waiting] = QueuedTask.objects.filter(task="lms.enrollment_evaluate")  # one, for both
    assert waiting.sent_at is None
    assert queued_tasks_send_lost() == 1  # the broker is back
    assert _status(city, learner) == EnrollmentStatus.COMPLETED
    assert stats_differences() == []


def test_units_refresh_recounts_several_units_and_drops_empty_ones(city):
    tree, course, year = city["tree"], city["course"], dates()["fiscal_year"]
    Enrollment.objects.filter(user__unit=tree["madoguchi"]).delete()
    Enrollment.objects.filter(user__unit=tree["dx_kakari"]).update(
        status=EnrollmentStatus.IN_PROGRESS
    )
    units_stats_refresh(
        keys=[(tree[key].pk, course.pk, year) for key in ("madoguchi", "dx_kakari", "jinji")]
    )
    assert not UnitCourseStats.objects.filter(unit=tree["madoguchi"]).exists()
    assert UnitCourseStats.objects.get(unit=tree["dx_kakari"]).in_progress == 2
    assert stats_differences() == []


@pytest.mark.parametrize("with_exercise", [False, True])
def test_progress_of_many_learners_is_read_per_learner(
    city, django_capture_on_commit_callbacks, with_exercise
):
    from courses.models import WorksheetStatus
    from courses.selectors import course_progress, learners_progress
    from courses.years import Period
    from tests.factories.svo import make_svo_exercise, make_worksheet

    course, year, people = city["course"], dates()["fiscal_year"], city["people"]
    learners = [person for group in people.values() for person in group]
    with django_capture_on_commit_callbacks(execute=True):
        lesson_read_record(user=learners[0], lesson=city["lessons"][0])
        lesson_read_record(user=learners[1], lesson=city["lessons"][1])
    _submitted(city, learners[1], right_responses)
    _submitted(city, learners[2], wrong_responses)
    attempts_grade_waiting()
    if with_exercise:
        course.require_worksheet = True
        course.save()
        exercise = make_svo_exercise(course)
        make_worksheet(learners[1], exercise, status=WorksheetStatus.APPROVED, fiscal_year=year)
        make_worksheet(learners[3], exercise, status=WorksheetStatus.SUBMITTED, fiscal_year=year)
    many = learners_progress(user_ids=[p.pk for p in learners], course=course, period=Period(year))
    lessons, quiz = [lesson.pk for lesson in city["lessons"]], city["quiz"].pk
    assert many[learners[0].pk].lessons_read == {lessons[0]}
    assert many[learners[1].pk].lessons_read == {lessons[1]}
    assert many[learners[1].pk].quizzes_passed == {quiz}
    assert many[learners[3].pk].lessons_read == set() == many[learners[3].pk].quizzes_passed
    if with_exercise:
        approved = {p.pk for p in learners if many[p.pk].worksheet_approved}
        assert approved == {learners[1].pk}  # a submitted worksheet is not approved
    # One learner's progress is the same reading.
    assert (
        course_progress(user=learners[1], course=course, period=Period(year))
        == many[learners[1].pk]
    )
    assert many[learners[1].pk].quizzes_passed and not many[learners[2].pk].quizzes_passed


def test_recount_of_some_units_equals_the_full_recount_of_them(city):
    from lms.completion.figures import recount

    tree, course, year = city["tree"], city["course"], dates()["fiscal_year"]
    mover = city["people"]["jinji_kakari"][0]
    Enrollment.objects.filter(user=mover).update(
        status=EnrollmentStatus.COMPLETED, unit_at_completion=tree["jinji_kakari"]
    )
    mover.unit = tree["madoguchi"]  # the completion still counts where it was made
    mover.save(update_fields=["unit"])
    units = [tree["jinji_kakari"].pk, tree["madoguchi"].pk]
    everything = recount(fiscal_year=year, course_id=course.pk)
    some = recount(fiscal_year=year, course_id=course.pk, unit_ids=units)
    assert some == {key: figures for key, figures in everything.items() if key[0] in units}
    assert some[(tree["jinji_kakari"].pk, course.pk, year)][3] == 1  # completed

"""In a worker, the evaluations a grading batch asks for are queued as one task when its task
ends; that task moves the enrollments as one evaluation each would move them, the figures
equal a recount, and a failure queues the single tasks instead."""

from types import SimpleNamespace
from unittest import mock

import pytest

from courses import services
from courses.grading.batch import attempt_grade
from courses.services import attempt_start, attempt_submit, lesson_read_record
from lms import receivers, tasks
from lms.enrollment_services import assignment_create, assignment_fan_out
from lms.models import Enrollment, EnrollmentStatus, UnitCourseStats
from lms.stats import stats_differences, stats_rebuild, units_stats_refresh
from tests.courses.conftest import right_responses, wrong_responses
from tests.lms.training import dates, make_city

pytestmark = pytest.mark.django_db

WORKER_TASK = SimpleNamespace(request=SimpleNamespace(is_eager=False))


@pytest.fixture
def city(django_capture_on_commit_callbacks):
    city = make_city()
    assignment = assignment_create(course=city["course"], enqueue=False, **dates())
    assignment_fan_out(assignment_id=assignment.pk)
    stats_rebuild()
    yield city
    receivers._collected = None


def _submitted(city, learner, responses) -> int:
    attempt = attempt_start(user=learner, quiz=city["quiz"])
    with mock.patch.object(services.attempt_grade_task, "delay"):
        attempt_submit(attempt_id=attempt.pk, user=learner, responses=responses(attempt))
    return attempt.pk


def _status(city, learner) -> str:
    return Enrollment.objects.get(user=learner, course=city["course"]).status


def test_a_graded_batch_is_evaluated_when_the_worker_task_ends(
    city, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    people = city["people"]
    done = people["jinji_kakari"][0]  # read both lessons, passes now: completes
    passes, fails = people["kyuyo_kakari"][0], people["dx_kakari"][0]
    with django_capture_on_commit_callbacks(execute=True):
        for lesson in city["lessons"]:
            lesson_read_record(user=done, lesson=lesson)
    ids = [
        _submitted(city, done, right_responses),
        _submitted(city, passes, right_responses),
        _submitted(city, fails, wrong_responses),
    ]
    with mock.patch.object(receivers.enrollments_evaluate_batch_task, "delay") as batch:
        receivers._task_started(sender=WORKER_TASK)
        for attempt_id in ids[:1]:  # the task grades the batch waiting with its own attempt
            with django_capture_on_commit_callbacks(execute=True):
                attempt_grade(attempt_id=attempt_id)
        # Nothing evaluated yet, nothing queued: the task has not ended.
        assert _status(city, passes) == EnrollmentStatus.NOT_STARTED
        batch.assert_not_called()
        receivers._task_finished(sender=WORKER_TASK)
    # One task for the batch, with every learner graded (a failed quiz too).
    batch.assert_called_once()
    year = dates()["fiscal_year"]
    keys = batch.call_args.args[0]
    assert sorted(keys) == sorted((p.pk, city["course"].pk, year) for p in (done, passes, fails))
    with (
        mock.patch.object(receivers, "_queue_evaluation") as queued,
        mock.patch("lms.completion.caching.my_training_changed") as cache_told,
        django_assert_max_num_queries(18),  # however many learners
    ):
        tasks.enrollments_evaluate_batch_task.apply(args=[[list(k) for k in keys]]).get()
    queued.assert_not_called()
    # The enrollments are written in bulk (no post_save): the cache is told once, for both.
    cache_told.assert_called_once()
    assert sorted(cache_told.call_args.kwargs["user_ids"]) == sorted([done.pk, passes.pk])
    assert receivers._collected is None
    assert _status(city, done) == EnrollmentStatus.COMPLETED
    assert _status(city, passes) == EnrollmentStatus.IN_PROGRESS
    assert _status(city, fails) == EnrollmentStatus.NOT_STARTED  # a failed quiz starts nothing
    assert stats_differences() == []
    row = UnitCourseStats.objects.get(unit=city["tree"]["jinji_kakari"])
    assert (row.completed, row.not_started) == (1, 1)


def test_eager_tasks_queue_as_before(city, django_capture_on_commit_callbacks):
    learner = city["people"]["madoguchi"][0]
    attempt_id = _submitted(city, learner, right_responses)
    with mock.patch.object(receivers, "_queue_evaluation") as queued:
        receivers._task_started(sender=SimpleNamespace(request=SimpleNamespace(is_eager=True)))
        with django_capture_on_commit_callbacks(execute=True):
            attempt_grade(attempt_id=attempt_id)
    queued.assert_called_once_with(learner.pk, city["course"].pk, dates()["fiscal_year"])


def test_a_failed_evaluation_queues_the_tasks(city):
    learner = city["people"]["madoguchi"][0]
    with (
        mock.patch.object(receivers, "_queue_evaluation") as queued,
        mock.patch.object(
            receivers.completion, "enrollments_evaluate", side_effect=RuntimeError("db")
        ),
    ):
        receivers.evaluations_run([(learner.pk, city["course"].pk, dates()["fiscal_year"])])
    queued.assert_called_once_with(learner.pk, city["course"].pk, dates()["fiscal_year"])


def test_a_failed_recount_queues_the_unit_refresh(city, django_capture_on_commit_callbacks):
    learner = city["people"]["madoguchi"][0]
    attempt_id = _submitted(city, learner, right_responses)
    with (
        mock.patch.object(receivers.unit_stats_refresh_task, "delay") as queued,
        mock.patch.object(receivers.stats, "units_stats_refresh", side_effect=RuntimeError("db")),
    ):
        with django_capture_on_commit_callbacks(execute=True):
            attempt_grade(attempt_id=attempt_id)  # not in a worker: queues the evaluation
        receivers.evaluations_run([(learner.pk, city["course"].pk, dates()["fiscal_year"])])
    assert _status(city, learner) == EnrollmentStatus.IN_PROGRESS
    queued.assert_called_once_with(
        city["tree"]["madoguchi"].pk, city["course"].pk, dates()["fiscal_year"]
    )


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
    from tests.factories.svo import make_svo_exercise, make_worksheet

    course, year, people = city["course"], dates()["fiscal_year"], city["people"]
    learners = [person for group in people.values() for person in group]
    with django_capture_on_commit_callbacks(execute=True):
        lesson_read_record(user=learners[0], lesson=city["lessons"][0])
        lesson_read_record(user=learners[1], lesson=city["lessons"][1])
    attempt_grade(attempt_id=_submitted(city, learners[1], right_responses))
    attempt_grade(attempt_id=_submitted(city, learners[2], wrong_responses))
    if with_exercise:
        course.require_worksheet = True
        course.save()
        exercise = make_svo_exercise(course)
        make_worksheet(learners[1], exercise, status=WorksheetStatus.APPROVED, fiscal_year=year)
        make_worksheet(learners[3], exercise, status=WorksheetStatus.SUBMITTED, fiscal_year=year)
    many = learners_progress(user_ids=[p.pk for p in learners], course=course, fiscal_year=year)
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
        course_progress(user=learners[1], course=course, fiscal_year=year) == many[learners[1].pk]
    )
    assert many[learners[1].pk].quizzes_passed and not many[learners[2].pk].quizzes_passed


def test_recount_of_some_units_equals_the_full_recount_of_them(city):
    from lms.stats import recount

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


def test_a_batch_that_cannot_be_queued_is_evaluated_at_once(
    city, django_capture_on_commit_callbacks
):
    learner = city["people"]["madoguchi"][0]
    attempt_id = _submitted(city, learner, right_responses)
    with mock.patch.object(
        receivers.enrollments_evaluate_batch_task, "delay", side_effect=OSError("broker down")
    ):
        receivers._task_started(sender=WORKER_TASK)
        with django_capture_on_commit_callbacks(execute=True):
            attempt_grade(attempt_id=attempt_id)
        receivers._task_finished(sender=WORKER_TASK)
    assert _status(city, learner) == EnrollmentStatus.IN_PROGRESS
    assert stats_differences() == []

"""Grading in batches: one grading takes the other waiting attempts along, each attempt is
graded once and announced once, and a broken snapshot stops no one else."""

from unittest import mock

import pytest

from courses import services
from courses.attempt_grading import GRADING_BATCH, attempt_grade
from courses.models import AttemptStatus, QuizAttempt
from courses.services import attempt_start, attempt_submit
from courses.signals import attempt_graded
from tests.courses.conftest import right_responses
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _waiting(quiz, count: int) -> list[int]:
    """Attempts submitted while the worker is busy: their tasks are still in the queue."""
    ids = []
    with mock.patch.object(services.attempt_grade_task, "delay"):
        for _ in range(count):
            learner = UserFactory()
            attempt = attempt_start(user=learner, quiz=quiz)
            attempt_submit(attempt_id=attempt.pk, user=learner, responses=right_responses(attempt))
            ids.append(attempt.pk)
    return ids


@pytest.fixture
def announced():
    graded = []
    attempt_graded.connect(
        lambda attempt, course, **kw: graded.append((attempt.pk, course.pk)),
        weak=False,
        dispatch_uid="t-batch",
    )
    yield graded
    attempt_graded.disconnect(dispatch_uid="t-batch")


def test_one_grading_grades_the_waiting_attempts_and_announces_each_once(
    quiz, announced, django_capture_on_commit_callbacks, django_assert_num_queries
):
    ids = _waiting(quiz, 4)
    with django_capture_on_commit_callbacks(execute=True):
        graded = attempt_grade(attempt_id=ids[1])
    assert graded.pk == ids[1] and graded.status == AttemptStatus.GRADED
    attempts = QuizAttempt.objects.filter(pk__in=ids)
    assert {a.status for a in attempts} == {AttemptStatus.GRADED}
    assert all(a.passed and a.grading_tries == 1 for a in attempts)
    course_id = quiz.get_parent().pk
    assert sorted(announced) == sorted((pk, course_id) for pk in ids)
    # The other attempts' own tasks find them graded: one query, nothing sent again.
    for pk in ids:
        with django_capture_on_commit_callbacks(execute=True), django_assert_num_queries(1):
            assert attempt_grade(attempt_id=pk).status == AttemptStatus.GRADED
    assert len(announced) == 4


def test_a_batch_costs_the_same_queries_as_one_attempt(
    quiz, django_capture_on_commit_callbacks, django_assert_num_queries
):
    # status check, savepoint, claim own, claim others, update, release; after commit: users,
    # quizzes, courses
    alone = _waiting(quiz, 1)
    with mock.patch("lms.receivers._queue_evaluation"):
        with django_assert_num_queries(9), django_capture_on_commit_callbacks(execute=True):
            attempt_grade(attempt_id=alone[0])
        many = _waiting(quiz, 6)
        with django_assert_num_queries(9), django_capture_on_commit_callbacks(execute=True):
            attempt_grade(attempt_id=many[0])
    assert not QuizAttempt.objects.filter(status=AttemptStatus.SUBMITTED).exists()


def test_a_batch_is_bounded(quiz, django_capture_on_commit_callbacks):
    ids = _waiting(quiz, GRADING_BATCH + 3)
    with django_capture_on_commit_callbacks(execute=True):
        attempt_grade(attempt_id=ids[-1])
    graded = QuizAttempt.objects.filter(status=AttemptStatus.GRADED)
    assert graded.count() == GRADING_BATCH + 1
    assert graded.filter(pk=ids[-1]).exists()  # its own attempt first, then the oldest
    assert set(graded.values_list("pk", flat=True)) == {*ids[:GRADING_BATCH], ids[-1]}


def test_a_broken_snapshot_stops_no_one_else(quiz, announced, django_capture_on_commit_callbacks):
    ids = _waiting(quiz, 3)
    broken = QuizAttempt.objects.get(pk=ids[2])
    broken.questions[0]["type"] = "essay"  # no grader for it
    broken.save(update_fields=["questions"])
    with django_capture_on_commit_callbacks(execute=True):
        attempt_grade(attempt_id=ids[0])
    statuses = dict(QuizAttempt.objects.values_list("pk", "status"))
    assert statuses == {
        ids[0]: AttemptStatus.GRADED,
        ids[1]: AttemptStatus.GRADED,
        ids[2]: AttemptStatus.SUBMITTED,  # left to its own task, which records why
    }
    # Its own task raises (and records the reason); the others stay graded, announced once.
    with pytest.raises(ValueError, match="essay"):
        attempt_grade(attempt_id=ids[2])
    assert sorted(pk for pk, _ in announced) == sorted(ids[:2])


def test_a_broken_own_snapshot_still_grades_the_others(quiz, django_capture_on_commit_callbacks):
    ids = _waiting(quiz, 3)
    QuizAttempt.objects.filter(pk=ids[0]).update(questions=[{"key": "q1", "type": "essay"}])
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValueError):
        attempt_grade(attempt_id=ids[0])
    statuses = dict(QuizAttempt.objects.values_list("pk", "status"))
    assert statuses[ids[0]] == AttemptStatus.SUBMITTED
    assert statuses[ids[1]] == statuses[ids[2]] == AttemptStatus.GRADED


def test_failed_attempts_wait_for_their_own_retry(quiz, django_capture_on_commit_callbacks):
    ids = _waiting(quiz, 2)
    QuizAttempt.objects.filter(pk=ids[1]).update(status=AttemptStatus.ERROR, error_reason="x")
    with django_capture_on_commit_callbacks(execute=True):
        attempt_grade(attempt_id=ids[0])
    assert QuizAttempt.objects.get(pk=ids[1]).status == AttemptStatus.ERROR
    with django_capture_on_commit_callbacks(execute=True):
        attempt_grade(attempt_id=ids[1])  # its own retry grades it
    assert QuizAttempt.objects.get(pk=ids[1]).status == AttemptStatus.GRADED

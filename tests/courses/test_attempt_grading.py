"""Grading in batches: one grading takes the other waiting attempts along, each attempt is
graded once and announced once, and a broken snapshot stops no one else; a worker's task
then grades what is still waiting."""

from unittest import mock

import pytest

from courses import services, tasks
from courses.grading import batch as attempt_grading
from courses.grading.batch import GRADING_BATCH, attempt_grade, attempts_grade_waiting
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


def test_waiting_attempts_are_graded_batch_by_batch_each_announced_once(
    quiz, announced, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr("courses.grading.batch.GRADING_BATCH", 3)
    ids = _waiting(quiz, 8)
    with django_capture_on_commit_callbacks(execute=True):
        assert attempts_grade_waiting() == 8
    assert set(QuizAttempt.objects.values_list("status", flat=True)) == {AttemptStatus.GRADED}
    assert sorted(pk for pk, _ in announced) == sorted(ids)


def test_grading_the_waiting_stops_when_its_time_is_up(quiz, monkeypatch):
    monkeypatch.setattr("courses.grading.batch.GRADING_BATCH", 3)
    _waiting(quiz, 8)
    assert attempts_grade_waiting(seconds=0) == 3  # one batch, then the time is up
    assert QuizAttempt.objects.filter(status=AttemptStatus.SUBMITTED).count() == 5


def test_grading_the_waiting_does_not_try_a_broken_attempt_again(quiz, monkeypatch):
    monkeypatch.setattr("courses.grading.batch.GRADING_BATCH", 2)
    ids = _waiting(quiz, 6)
    QuizAttempt.objects.filter(pk__in=ids[:3]).update(questions=[{"key": "q1", "type": "essay"}])
    with mock.patch("courses.grading.batch._grade", wraps=attempt_grading._grade) as grade:
        assert attempts_grade_waiting() == 3
    assert grade.call_count == 6  # each attempt once, though the broken ones stay the oldest
    statuses = dict(QuizAttempt.objects.values_list("pk", "status"))
    assert [statuses[pk] for pk in ids] == [AttemptStatus.SUBMITTED] * 3 + [
        AttemptStatus.GRADED
    ] * 3


def test_nothing_waiting_costs_one_query(quiz, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert attempts_grade_waiting() == 0


def test_a_worker_task_grades_the_waiting_attempts_after_its_own(
    quiz, django_capture_on_commit_callbacks
):
    ids = _waiting(quiz, GRADING_BATCH + 5)
    task = tasks.attempt_grade_task
    task.push_request(id="t1", retries=0, is_eager=False)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            assert task.run(ids[-1]) == AttemptStatus.GRADED
    finally:
        task.pop_request()
    assert not QuizAttempt.objects.filter(status=AttemptStatus.SUBMITTED).exists()


def test_in_process_grading_grades_only_its_own_batch(quiz, django_capture_on_commit_callbacks):
    # The demo's eager tasks run in the learner's request: no draining there.
    ids = _waiting(quiz, GRADING_BATCH + 5)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.attempt_grade_task.apply(args=[ids[-1]]).get() == AttemptStatus.GRADED
    assert QuizAttempt.objects.filter(status=AttemptStatus.SUBMITTED).count() == 4


def test_a_failure_while_grading_the_waiting_is_only_logged(quiz, caplog):
    ids = _waiting(quiz, 2)
    task = tasks.attempt_grade_task
    task.push_request(id="t1", retries=0, is_eager=False)
    try:
        with mock.patch.object(tasks, "attempts_grade_waiting", side_effect=RuntimeError("db")):
            assert task.run(ids[0]) == AttemptStatus.GRADED
    finally:
        task.pop_request()
    assert "Grading the waiting attempts failed" in caplog.text


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_attempt_held_by_another_transaction_is_waited_for_and_graded(quiz):
    """A worker killed mid-grading holds the row until its transaction ends without grading:
    the attempt's own task skips it in the batch, waits for the lock, and grades it."""
    import threading

    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    [attempt_id] = _waiting(quiz, 1)
    locked, release = threading.Event(), threading.Event()

    def hold():
        try:
            with transaction.atomic():
                QuizAttempt.objects.select_for_update().get(pk=attempt_id)
                locked.set()
                release.wait(10)  # then ends without grading, as a killed worker's would
        finally:
            connection.close()

    holder = threading.Thread(target=hold)
    holder.start()
    assert locked.wait(10)
    threading.Timer(0.2, release.set).start()
    graded = attempt_grade(attempt_id=attempt_id)
    holder.join(10)
    assert graded.status == AttemptStatus.GRADED and graded.passed
    assert QuizAttempt.objects.get(pk=attempt_id).grading_tries == 1

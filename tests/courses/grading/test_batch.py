"""Grading: one task grades every waiting attempt, a batch per transaction; a burst of
submits is one task; each attempt is graded and announced once; a broken snapshot stops no
one else; work submitted while the task finishes is never left behind."""

import threading

import pytest
from django.db import IntegrityError, connections, transaction

from core.models import QueuedTask
from courses import tasks
from courses.grading import batch
from courses.grading.batch import GRADING_BATCH, attempts_grade_waiting
from courses.models import AttemptStatus, QuizAttempt
from courses.services import attempt_start, attempt_submit
from courses.signals import attempt_graded, attempt_passed, attempts_graded
from tests.factories import UserFactory
from tests.helpers.quiz import right_responses

pytestmark = pytest.mark.django_db


def _submit(quiz) -> int:
    learner = UserFactory()
    attempt = attempt_start(user=learner, quiz=quiz)
    attempt_submit(attempt_id=attempt.pk, user=learner, responses=right_responses(attempt))
    return attempt.pk


def _waiting(quiz, count: int) -> list[int]:
    """Attempts submitted while no worker took the grading task (its commit hooks not run)."""
    return [_submit(quiz) for _ in range(count)]


@pytest.fixture
def announced():
    graded, batches = [], []
    attempt_graded.connect(
        lambda attempt, course, **kw: graded.append((attempt.pk, course.pk)),
        weak=False,
        dispatch_uid="t-graded",
    )
    attempts_graded.connect(
        lambda keys, **kw: batches.append(keys), weak=False, dispatch_uid="t-batch"
    )
    yield graded, batches
    attempt_graded.disconnect(dispatch_uid="t-graded")
    attempts_graded.disconnect(dispatch_uid="t-batch")


def test_a_burst_of_submits_asks_for_one_grading_task(quiz, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as sent:
        ids = _waiting(quiz, 5)
    assert len(sent) == 1  # the first submit sends; the others join its row
    assert QueuedTask.objects.filter(task=tasks.attempts_grade_task.name).count() == 1
    assert QuizAttempt.objects.filter(pk__in=ids, status=AttemptStatus.SUBMITTED).count() == 5


def test_the_task_grades_every_waiting_attempt_and_announces_each_once(
    quiz, announced, django_capture_on_commit_callbacks
):
    graded, batches = announced
    ids = _waiting(quiz, 4)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.attempts_grade_task.apply().get() == 4
    attempts = QuizAttempt.objects.filter(pk__in=ids)
    assert {a.status for a in attempts} == {AttemptStatus.GRADED}
    assert all(a.passed and a.grading_tries == 1 for a in attempts)
    course_id = quiz.get_parent().pk
    assert sorted(graded) == sorted((pk, course_id) for pk in ids)
    assert len(batches) == 1 and len(batches[0]) == 4  # one batch, one signal with 4 keys
    # Run again (a duplicate delivery): nothing to grade, nothing announced again.
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.attempts_grade_task.apply().get() == 0
    assert len(graded) == 4


@pytest.fixture
def courses_alone():
    """What the apps above do when they hear of a grade (lms evaluates completion) is theirs
    to count: the grading's own cost is measured without their receivers."""
    kept = {
        signal: signal.receivers for signal in (attempt_graded, attempt_passed, attempts_graded)
    }
    for signal in kept:
        signal.receivers = []
        signal.sender_receivers_cache.clear()
    yield
    for signal, receivers in kept.items():
        signal.receivers = receivers
        signal.sender_receivers_cache.clear()


def test_a_batch_costs_the_same_queries_as_one_attempt(
    quiz, courses_alone, django_capture_on_commit_callbacks, django_assert_num_queries
):
    # exists, savepoint, claim, update, users, quizzes, courses, release. The same on
    # PostgreSQL and SQLite (one UPDATE ... FROM VALUES on both).
    _waiting(quiz, 1)
    with django_assert_num_queries(8), django_capture_on_commit_callbacks(execute=True):
        assert attempts_grade_waiting() == (1, False)
    _waiting(quiz, 6)
    with django_assert_num_queries(8), django_capture_on_commit_callbacks(execute=True):
        assert attempts_grade_waiting() == (6, False)
    assert not QuizAttempt.objects.filter(status=AttemptStatus.SUBMITTED).exists()


def test_waiting_attempts_are_graded_batch_by_batch_each_announced_once(
    quiz, announced, django_capture_on_commit_callbacks, monkeypatch
):
    graded, batches = announced
    monkeypatch.setattr("courses.grading.batch.GRADING_BATCH", 3)
    ids = _waiting(quiz, 8)
    with django_capture_on_commit_callbacks(execute=True):
        assert attempts_grade_waiting() == (8, False)
    assert set(QuizAttempt.objects.values_list("status", flat=True)) == {AttemptStatus.GRADED}
    assert sorted(pk for pk, _ in graded) == sorted(ids)
    assert [len(keys) for keys in batches] == [3, 3, 2]


def test_when_its_time_is_up_the_task_asks_for_another_run(
    quiz, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr("courses.grading.batch.GRADING_BATCH", 3)
    monkeypatch.setattr("courses.grading.batch.GRADING_DRAIN_SECONDS", 0)
    runs = []
    real = tasks.attempts_grade_waiting
    monkeypatch.setattr(tasks, "attempts_grade_waiting", lambda: runs.append(real()) or runs[-1])
    # The submits' one message is sent once they commit: one batch per run, each run asking
    # for the next, until nothing is waiting.
    with django_capture_on_commit_callbacks(execute=True):
        _waiting(quiz, 8)
    assert runs == [(3, True), (3, True), (2, False)]
    assert not QuizAttempt.objects.filter(status=AttemptStatus.SUBMITTED).exists()
    assert not QueuedTask.objects.exists()


def test_a_broken_snapshot_stops_no_one_else_and_keeps_the_reason(
    quiz, announced, django_capture_on_commit_callbacks
):
    graded, _batches = announced
    ids = _waiting(quiz, 3)
    QuizAttempt.objects.filter(pk=ids[1]).update(questions=[{"key": "q1", "type": "cloze"}])
    with django_capture_on_commit_callbacks(execute=True):
        assert attempts_grade_waiting() == (2, False)
    attempts = {a.pk: a for a in QuizAttempt.objects.filter(pk__in=ids)}
    assert attempts[ids[0]].status == attempts[ids[2]].status == AttemptStatus.GRADED
    broken = attempts[ids[1]]
    assert broken.status == AttemptStatus.ERROR
    assert "cloze" in broken.error_reason
    assert broken.grading_tries == 1
    assert sorted(pk for pk, _ in graded) == sorted([ids[0], ids[2]])


def test_an_attempt_the_database_refuses_stops_no_one_else(
    quiz, announced, django_capture_on_commit_callbacks, monkeypatch
):
    """A row that cannot be written (here: the database refuses it) fails alone with the
    reason; the rest of its batch is graded, and grading goes on."""
    graded, _batches = announced
    ids = _waiting(quiz, 3)
    real = batch.bulk_update_values

    def refuse_the_second(model, rows, fields):
        if any(row.pk == ids[1] for row in rows):
            raise IntegrityError("value out of range")
        return real(model, rows, fields)

    monkeypatch.setattr(batch, "bulk_update_values", refuse_the_second)
    with django_capture_on_commit_callbacks(execute=True):
        assert attempts_grade_waiting() == (2, False)
    attempts = {a.pk: a for a in QuizAttempt.objects.filter(pk__in=ids)}
    assert attempts[ids[0]].status == attempts[ids[2]].status == AttemptStatus.GRADED
    refused = attempts[ids[1]]
    assert (refused.status, refused.grading_tries) == (AttemptStatus.ERROR, 1)
    assert refused.error_reason == "IntegrityError: value out of range"
    assert sorted(pk for pk, _ in graded) == sorted([ids[0], ids[2]])


def test_nothing_waiting_costs_one_query(quiz, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert attempts_grade_waiting() == (0, False)


def test_a_batch_is_bounded(quiz, django_capture_on_commit_callbacks, monkeypatch):
    monkeypatch.setattr("courses.grading.batch.GRADING_DRAIN_SECONDS", 0)
    ids = _waiting(quiz, GRADING_BATCH + 3)
    assert attempts_grade_waiting() == (GRADING_BATCH, True)
    graded = set(
        QuizAttempt.objects.filter(status=AttemptStatus.GRADED).values_list("pk", flat=True)
    )
    assert graded == set(ids[:GRADING_BATCH])  # the oldest first


class Broker:
    """Messages sent to the grading task are kept, as a broker keeps them until a worker
    takes them; ``deliver`` is a worker taking them (one at a time, in order)."""

    def __init__(self, monkeypatch) -> None:
        self.messages: list[dict] = []
        monkeypatch.setattr(
            tasks.attempts_grade_task,
            "apply_async",
            lambda args=None, kwargs=None, **options: self.messages.append(kwargs or {}),
        )

    def deliver(self) -> None:
        while self.messages:
            tasks.attempts_grade_task.apply(kwargs=self.messages.pop(0))


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_attempt_submitted_while_the_task_finishes_is_graded(quiz, monkeypatch):
    """The task has graded everything and is ending when a learner submits: the submit
    marks the task's row (``again``), so the task is sent once more and grades it."""
    broker = Broker(monkeypatch)
    first = _submit(quiz)
    [message] = broker.messages
    finishing, go = threading.Event(), threading.Event()
    real = tasks.attempts_grade_waiting
    runs: list[tuple[int, bool]] = []

    def drain_then_pause():
        result = real()
        runs.append(result)
        if len(runs) == 1:  # the last batch is done; the task is about to end
            finishing.set()
            go.wait(10)
        return result

    monkeypatch.setattr(tasks, "attempts_grade_waiting", drain_then_pause)
    broker.messages.clear()

    def worker() -> None:
        try:
            tasks.attempts_grade_task.apply(kwargs=message)
        finally:
            connections.close_all()

    thread = threading.Thread(target=worker)
    thread.start()
    assert finishing.wait(10)
    second = _submit(quiz)  # joins the running task's row: no message of its own
    assert broker.messages == []
    go.set()
    thread.join(20)
    assert runs == [(1, False)]
    assert broker.messages == [message]  # the task, ending, sent itself once more
    broker.deliver()
    assert runs == [(1, False), (1, False)]
    statuses = dict(QuizAttempt.objects.values_list("pk", "status"))
    assert statuses == {first: AttemptStatus.GRADED, second: AttemptStatus.GRADED}
    assert not QueuedTask.objects.exists()


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_attempt_another_transaction_holds_is_left_to_it_and_swept_if_it_dies(quiz, monkeypatch):
    """A worker killed mid-grading holds its rows until its transaction ends without
    grading: another run skips them (``SKIP LOCKED``), and once the lock is gone the sweep
    sends them again."""
    broker = Broker(monkeypatch)
    [attempt_id] = _waiting(quiz, 1)
    locked, release = threading.Event(), threading.Event()

    def hold():
        try:
            with transaction.atomic():
                QuizAttempt.objects.select_for_update().get(pk=attempt_id)
                locked.set()
                release.wait(10)  # then ends without grading, as a killed worker's would
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold)
    holder.start()
    assert locked.wait(10)
    broker.deliver()  # the submit's task: the attempt is held, so it is skipped
    assert QuizAttempt.objects.get(pk=attempt_id).status == AttemptStatus.SUBMITTED
    release.set()
    holder.join(10)
    old = QuizAttempt.objects.get(pk=attempt_id).submitted_at.replace(year=2000)
    QuizAttempt.objects.filter(pk=attempt_id).update(submitted_at=old, enqueued_at=old)
    assert tasks.attempts_sweep_task.apply().get() == {"expired": 0, "requeued": 1}
    broker.deliver()
    attempt = QuizAttempt.objects.get(pk=attempt_id)
    assert attempt.status == AttemptStatus.GRADED and attempt.passed

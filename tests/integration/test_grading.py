"""A quiz attempt is graded by a real Celery worker through Redis, on PostgreSQL.

Measures the time from submit (commit) to the graded row, and prints it.
"""

import time

import pytest

from courses.models import AttemptStatus, QuestionType, QuizAttempt
from courses.services import attempt_start, attempt_submit
from tests.factories import UserFactory, make_course, make_question
from tests.helpers.quiz import right_responses, wrong_responses

# serialized_rollback: Wagtail's root page, locale and home page come from data migrations, and
# a transactional test's flush removes them.
pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _graded(attempt_id):
    def graded():
        """the worker grades the attempt"""
        status = QuizAttempt.objects.filter(pk=attempt_id).values_list("status", flat=True)[0]
        return status in (AttemptStatus.GRADED, AttemptStatus.ERROR)

    return graded


def test_worker_grades_fail_then_pass(wait_until, capsys):
    learner = UserFactory()
    # Every type graded at once; an essay waits for its marker (tests/e2e/test_essay_marking).
    auto = [qtype for qtype in QuestionType.values if qtype != QuestionType.ESSAY]
    questions = [make_question(qtype, name=qtype) for qtype in auto]
    quiz = make_course(questions=questions, slug="it-quiz")["quiz"]
    latencies = []
    for responses_of, expected in ((wrong_responses, False), (right_responses, True)):
        attempt = attempt_start(user=learner, quiz=quiz)
        started = time.monotonic()
        submitted = attempt_submit(
            attempt_id=attempt.pk, user=learner, responses=responses_of(attempt)
        )
        assert submitted.status == AttemptStatus.SUBMITTED  # returns at once, not graded here
        wait_until(_graded(attempt.pk), timeout=30, interval=0.02)
        latencies.append(time.monotonic() - started)
        attempt.refresh_from_db()
        assert attempt.status == AttemptStatus.GRADED, attempt.error_reason
        assert attempt.passed is expected
    with capsys.disabled():
        print(
            "\nsubmit-to-graded latency with a real worker: "
            + ", ".join(f"{seconds * 1000:.0f} ms" for seconds in latencies)
        )


def test_sweeper_on_the_worker_requeues_a_lost_submission(wait_until):
    """Redis was 'down' at submit: the grading was recorded, not sent. The sweep task on the
    worker sends it."""
    from unittest import mock

    from core.tasks import queued_tasks_sweep_task
    from courses import tasks

    learner = UserFactory()
    quiz = make_course(questions=[make_question(QuestionType.SHORT)], slug="it-sweep")["quiz"]
    attempt = attempt_start(user=learner, quiz=quiz)
    with mock.patch.object(tasks.attempts_grade_task, "apply_async", side_effect=OSError("down")):
        attempt_submit(attempt_id=attempt.pk, user=learner, responses={"q1": "ｄｘ"})
    queued_tasks_sweep_task.delay()
    wait_until(_graded(attempt.pk), timeout=30)
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.GRADED
    assert attempt.passed is True


def test_a_burst_of_submits_is_graded_in_batches_each_attempt_once(wait_until):
    """The end of a training session: many submits at once. They ask for one grading task,
    which grades them a batch per transaction; every attempt is graded exactly once."""
    from django.db import transaction

    quiz = make_course(questions=[make_question(QuestionType.SHORT)], slug="it-burst")["quiz"]
    started = [(learner, attempt_start(user=learner, quiz=quiz)) for learner in
               UserFactory.create_batch(90)]  # fmt: skip
    with transaction.atomic():  # the one grading task is sent at this one commit
        for learner, attempt in started:
            attempt_submit(attempt_id=attempt.pk, user=learner, responses={"q1": "ｄｘ"})
    attempts = QuizAttempt.objects.filter(pk__in=[attempt.pk for _, attempt in started])

    def all_graded():
        """the worker grades all 90 attempts"""
        return not attempts.exclude(status=AttemptStatus.GRADED).exists()

    wait_until(all_graded, timeout=60, interval=0.05)
    assert set(attempts.values_list("passed", "grading_tries")) == {(True, 1)}
    # Batches of up to 40, not one transaction each.
    assert attempts.values("graded_at").distinct().count() <= 3

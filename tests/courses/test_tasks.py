"""The grading task and the attempts sweep: expired attempts are submitted, failed and lost
gradings are tried again after a pause, and given up after ``MAX_GRADING_TRIES``."""

import datetime as dt
from unittest import mock

import pytest
from django.utils import timezone

from core.models import QueuedTask
from courses import tasks
from courses.grading.batch import MAX_GRADING_TRIES, STUCK_AFTER
from courses.models import AttemptStatus, QuizAttempt
from courses.services import attempt_start, attempt_submit
from tests.helpers.quiz import republish, right_responses

pytestmark = pytest.mark.django_db


def _submitted(learner, quiz):
    """An attempt submitted whose grading message was lost (its commit hook never ran)."""
    attempt = attempt_start(user=learner, quiz=quiz)
    attempt_submit(attempt_id=attempt.pk, user=learner, responses=right_responses(attempt))
    return QuizAttempt.objects.get(pk=attempt.pk)


@pytest.fixture
def sweep(django_capture_on_commit_callbacks):
    """Run the attempts sweep as beat does; the grading it asks for runs once it commits."""

    def run() -> dict:
        with django_capture_on_commit_callbacks(execute=True):
            return tasks.attempts_sweep_task.apply().get()

    return run


def _age(attempt, by=STUCK_AFTER * 5):
    """Time passes: the attempt and its grading message are old (the message was lost)."""
    old = timezone.now() - by
    QuizAttempt.objects.filter(pk=attempt.pk).update(submitted_at=old, enqueued_at=old)
    QueuedTask.objects.filter(sent_at__isnull=False).update(sent_at=old)


def test_the_sweep_grades_an_attempt_whose_grading_was_lost(learner, quiz, sweep):
    attempt = _submitted(learner, quiz)
    # A fresh submission is left to its own message.
    assert sweep() == {"expired": 0, "requeued": 0}
    _age(attempt)
    assert sweep() == {"expired": 0, "requeued": 1}
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.GRADED
    assert attempt.passed is True
    assert sweep() == {"expired": 0, "requeued": 0}


def test_the_sweep_submits_attempts_whose_time_ran_out(learner, quiz, sweep):
    quiz = republish(quiz, time_limit_minutes=1)
    attempt = attempt_start(user=learner, quiz=quiz)
    QuizAttempt.objects.filter(pk=attempt.pk).update(
        deadline_at=timezone.now() - dt.timedelta(minutes=5)
    )
    assert sweep() == {"expired": 1, "requeued": 0}
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.GRADED
    assert attempt.passed is False  # nothing was answered in time


def test_a_failed_grading_keeps_the_reason_and_is_tried_again_after_a_pause(learner, quiz, sweep):
    attempt = _submitted(learner, quiz)
    with mock.patch("courses.grading.batch.grade_attempt", side_effect=RuntimeError("broken")):
        assert tasks.attempts_grade_task.apply().get() == 0
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.ERROR
    assert attempt.error_reason == "RuntimeError: broken"
    assert attempt.grading_tries == 1

    # Not at once: the sweep waits STUCK_AFTER from the failure, then grading works.
    assert sweep()["requeued"] == 0
    _age(attempt)
    assert sweep()["requeued"] == 1
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.GRADED
    assert attempt.error_reason == ""
    assert attempt.grading_tries == 2


def test_the_sweep_gives_up_after_max_tries(learner, quiz, sweep):
    attempt = _submitted(learner, quiz)
    QuizAttempt.objects.filter(pk=attempt.pk).update(
        status=AttemptStatus.ERROR, grading_tries=MAX_GRADING_TRIES, error_reason="x"
    )
    _age(attempt)
    assert sweep() == {"expired": 0, "requeued": 0}


def test_a_run_with_nothing_waiting_is_harmless(db):
    assert tasks.attempts_grade_task.apply().get() == 0


def test_every_periodic_task_is_registered(settings):
    """Each periodic task names a task the worker knows (a typo would fail silently)."""
    from config.celery_app import app

    entries = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {
        "core.queued_tasks_sweep", "courses.attempts_sweep", "courses.svo_reviews_notify_sweep",
    } <= entries  # fmt: skip
    app.loader.import_default_modules()
    assert entries <= set(app.tasks)

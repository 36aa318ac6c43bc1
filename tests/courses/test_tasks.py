"""The grading task (failure keeps the reason, retries) and the sweeper."""

import datetime as dt
from unittest import mock

import pytest
from django.utils import timezone

from courses import tasks
from courses.models import AttemptStatus, QuizAttempt
from courses.services import attempt_start, attempt_submit
from tests.courses.conftest import republish, right_responses

pytestmark = pytest.mark.django_db


def _submitted(learner, quiz):
    """An attempt submitted while the broker was down: nothing was queued."""
    attempt = attempt_start(user=learner, quiz=quiz)
    with mock.patch.object(tasks.attempt_grade_task, "delay"):
        attempt_submit(attempt_id=attempt.pk, user=learner, responses=right_responses(attempt))
    return QuizAttempt.objects.get(pk=attempt.pk)


def test_sweeper_requeues_attempts_stuck_in_submitted(learner, quiz):
    attempt = _submitted(learner, quiz)
    # fresh submissions are left to their own task
    assert tasks.attempts_sweep_task.apply().get() == {"expired": 0, "requeued": 0}
    old = timezone.now() - dt.timedelta(minutes=10)
    QuizAttempt.objects.filter(pk=attempt.pk).update(submitted_at=old, enqueued_at=old)
    assert tasks.attempts_sweep_task.apply().get() == {"expired": 0, "requeued": 1}
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.GRADED
    assert attempt.passed is True
    # nothing left to do
    assert tasks.attempts_sweep_task.apply().get() == {"expired": 0, "requeued": 0}


def test_sweeper_submits_attempts_whose_time_ran_out(learner, quiz):
    quiz = republish(quiz, time_limit_minutes=1)
    attempt = attempt_start(user=learner, quiz=quiz)
    QuizAttempt.objects.filter(pk=attempt.pk).update(
        deadline_at=timezone.now() - dt.timedelta(minutes=5)
    )
    assert tasks.attempts_sweep_task.apply().get() == {"expired": 1, "requeued": 0}
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.GRADED
    assert attempt.passed is False  # nothing was answered in time


def test_failed_grading_keeps_the_reason_and_is_retried(learner, quiz):
    attempt = _submitted(learner, quiz)
    with mock.patch.object(tasks, "attempt_grade", side_effect=RuntimeError("snapshot broken")):
        result = tasks.attempt_grade_task.apply(args=[attempt.pk])
    # eager mode: no in-request retry, the reason is kept for the sweeper
    assert result.get() == "error"
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.ERROR
    assert "snapshot broken" in attempt.error_reason
    assert attempt.grading_tries == 1

    # the sweeper retries it once it was not queued recently; this time grading works
    assert tasks.attempts_sweep_task.apply().get()["requeued"] == 0
    QuizAttempt.objects.filter(pk=attempt.pk).update(
        enqueued_at=timezone.now() - dt.timedelta(minutes=10)
    )
    assert tasks.attempts_sweep_task.apply().get()["requeued"] == 1
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.GRADED
    assert attempt.error_reason == ""


def test_worker_retries_with_backoff(learner, quiz):
    attempt = _submitted(learner, quiz)
    task = tasks.attempt_grade_task
    with (
        mock.patch.object(tasks, "attempt_grade", side_effect=RuntimeError("boom")),
        mock.patch.object(task, "retry", side_effect=RuntimeError("retry called")) as retry,
    ):
        task.push_request(id="t1", retries=2, is_eager=False)
        try:
            with pytest.raises(RuntimeError, match="retry called"):
                task.run(attempt.pk)
        finally:
            task.pop_request()
    assert retry.call_args.kwargs["countdown"] == 20
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.ERROR


def test_sweeper_gives_up_after_max_tries(learner, quiz):
    attempt = _submitted(learner, quiz)
    QuizAttempt.objects.filter(pk=attempt.pk).update(
        status=AttemptStatus.ERROR, grading_tries=5, error_reason="x"
    )
    assert tasks.attempts_sweep_task.apply().get() == {"expired": 0, "requeued": 0}


def test_grading_a_missing_attempt_is_harmless(db):
    assert tasks.attempt_grade_task.apply(args=[999999]).get() == "missing"


def test_sweep_is_in_the_beat_schedule(settings):
    entries = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "courses.attempts_sweep" in entries


def test_every_sweeper_is_in_the_beat_schedule_and_registered(settings):
    """Each periodic task names a task the worker knows (a typo would fail silently)."""
    from config.celery_app import app

    entries = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {
        "courses.attempts_sweep", "courses.worksheets_check_sweep",
        "courses.svo_reviews_notify_sweep", "org.roster_imports_sweep",
    } <= entries  # fmt: skip
    app.loader.import_default_modules()
    assert entries <= set(app.tasks)

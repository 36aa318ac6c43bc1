"""Work a broker outage would have lost is recorded and sent once the broker is back: a quiz
attempt's grading and a worksheet's automatic checks (``core.queue``). The learner's request
never fails for it, and the attempt page says grading is delayed."""

from unittest import mock

import pytest
from kombu.exceptions import OperationalError as BrokerDown

from core.queue import queued_tasks_send_lost
from courses import tasks
from courses.models import AttemptStatus, QuestionType, QuizAttempt, SvoStatement
from courses.services import attempt_grading_delayed, attempt_start, attempt_submit
from courses.svo import services as svo_services
from tests.factories import UserFactory, make_course, make_question
from tests.factories.svo import make_svo_exercise, make_worksheet

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker_down():
    """Sending fails as with Redis stopped (tasks are not run in-process meanwhile)."""
    conf = tasks.attempts_grade_task.app.conf
    eager = conf.task_always_eager
    conf.task_always_eager = False
    patches = [
        mock.patch.object(task, "apply_async", side_effect=BrokerDown("down"))
        for task in (tasks.attempts_grade_task, tasks.worksheet_check_task)
    ]
    for patch in patches:
        patch.start()

    def back_up() -> None:
        for patch in patches:
            patch.stop()
        conf.task_always_eager = eager

    yield back_up
    mock.patch.stopall()
    conf.task_always_eager = eager


def test_a_submit_while_the_broker_is_down_is_graded_once_it_is_back(
    django_capture_on_commit_callbacks, broker_down
):
    learner = UserFactory()
    quiz = make_course(questions=[make_question(QuestionType.SHORT)])["quiz"]
    attempt = attempt_start(user=learner, quiz=quiz)
    with django_capture_on_commit_callbacks(execute=True):
        submitted = attempt_submit(attempt_id=attempt.pk, user=learner, responses={"q1": "x"})
    assert submitted.status == AttemptStatus.SUBMITTED
    assert attempt_grading_delayed(submitted)  # the page says so
    broker_down()  # Redis is back; the sweep sends what waited, at once
    assert queued_tasks_send_lost() == 1
    submitted.refresh_from_db()
    assert submitted.status == AttemptStatus.GRADED
    assert not attempt_grading_delayed(submitted)


def test_a_queued_attempt_is_not_delayed(django_capture_on_commit_callbacks):
    learner = UserFactory()
    quiz = make_course(questions=[make_question(QuestionType.SHORT)])["quiz"]
    attempt = attempt_start(user=learner, quiz=quiz)
    with mock.patch.object(tasks.attempts_grade_task, "apply_async") as sent:
        with django_capture_on_commit_callbacks(execute=True):
            submitted = attempt_submit(attempt_id=attempt.pk, user=learner, responses={"q1": "x"})
    sent.assert_called_once()
    assert not attempt_grading_delayed(QuizAttempt.objects.get(pk=submitted.pk))


def test_a_worksheet_saved_while_the_broker_is_down_is_checked_once_it_is_back(
    django_capture_on_commit_callbacks, broker_down
):
    course = make_course(lessons=1)["course"]
    exercise = make_svo_exercise(course)
    learner = UserFactory()
    worksheet = make_worksheet(learner, exercise, statements=1)
    with django_capture_on_commit_callbacks(execute=True):
        saved = svo_services.worksheet_save(
            worksheet_id=worksheet.pk,
            user=learner,
            lock_version=worksheet.lock_version,
            statements=[{"subject": "係員", "verb": "入力する", "object": "申請書"}],
        )
    statement = saved.statements.get()
    assert statement.verb == "入力する"  # the learner's save went through
    assert statement.checked_text != statement.check_text  # the check has not run
    broker_down()
    assert queued_tasks_send_lost() == 1
    statement = SvoStatement.objects.get(pk=statement.pk)
    assert statement.checked_text == statement.check_text

"""The periodic sweeps that recover work a broker outage lost: quiz attempts never queued
and worksheets whose automatic checks never ran."""

import datetime as dt
from unittest import mock

import pytest
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerDown

from courses import services
from courses.grading.batch import attempts_claim_stuck
from courses.models import AttemptStatus, QuestionType, SvoStatement, SvoWorksheet
from courses.services import attempt_grading_delayed, attempt_start, attempt_submit
from courses.svo import services as svo_services
from courses.svo.findings import CHECK_STALE_AFTER, worksheets_with_stale_findings
from courses.tasks import worksheets_check_sweep_task
from tests.factories import UserFactory, make_course, make_question
from tests.factories.svo import make_svo_exercise, make_worksheet

pytestmark = pytest.mark.django_db


def test_an_attempt_whose_grading_could_not_be_queued_is_swept_at_once(
    django_capture_on_commit_callbacks,
):
    learner = UserFactory()
    quiz = make_course(questions=[make_question(QuestionType.SHORT)])["quiz"]
    attempt = attempt_start(user=learner, quiz=quiz)
    down = mock.patch.object(services.attempt_grade_task, "delay", side_effect=BrokerDown("down"))
    with down, django_capture_on_commit_callbacks(execute=True):
        submitted = attempt_submit(attempt_id=attempt.pk, user=learner, responses={"q1": "x"})
    assert attempt_grading_delayed(submitted)
    submitted.refresh_from_db()
    assert submitted.status == AttemptStatus.SUBMITTED and submitted.enqueued_at is None
    assert attempts_claim_stuck() == [attempt.pk]  # no two-minute wait
    assert attempts_claim_stuck() == []  # claimed: queued again only after STUCK_AFTER


def test_a_queued_attempt_is_not_delayed_nor_swept(django_capture_on_commit_callbacks):
    learner = UserFactory()
    quiz = make_course(questions=[make_question(QuestionType.SHORT)])["quiz"]
    attempt = attempt_start(user=learner, quiz=quiz)
    up = mock.patch.object(services.attempt_grade_task, "delay")
    with up as queued, django_capture_on_commit_callbacks(execute=True):
        submitted = attempt_submit(attempt_id=attempt.pk, user=learner, responses={"q1": "x"})
    queued.assert_called_once_with(attempt.pk)
    assert not attempt_grading_delayed(submitted)
    assert attempts_claim_stuck() == []


def test_worksheets_with_stale_findings_are_found_and_checked_by_the_sweep():
    course = make_course(lessons=1)["course"]
    exercise = make_svo_exercise(course)
    stale = make_worksheet(UserFactory(), exercise, statements=2)
    current = make_worksheet(UserFactory(), exercise, statements=1)
    recent = make_worksheet(UserFactory(), exercise, statements=1)
    for statement in SvoStatement.objects.filter(worksheet=current):
        SvoStatement.objects.filter(pk=statement.pk).update(checked_text=statement.check_text)
    old = timezone.now() - CHECK_STALE_AFTER - dt.timedelta(seconds=5)
    SvoWorksheet.objects.filter(pk__in=[stale.pk, current.pk]).update(updated_at=old)

    assert worksheets_with_stale_findings() == [stale.pk]  # not current, not saved just now
    assert worksheets_check_sweep_task.delay().get() == 1  # eager in unit tests
    assert all(s.checked_text == s.check_text for s in SvoStatement.objects.filter(worksheet=stale))
    assert worksheets_with_stale_findings() == []
    later = timezone.now() + CHECK_STALE_AFTER * 2
    assert worksheets_with_stale_findings(now=later) == [recent.pk]


def test_a_broker_outage_at_save_does_not_fail_the_learner(django_capture_on_commit_callbacks):
    course = make_course(lessons=1)["course"]
    exercise = make_svo_exercise(course)
    learner = UserFactory()
    worksheet = make_worksheet(learner, exercise, statements=1)
    with (
        mock.patch.object(
            svo_services.worksheet_check_task, "delay", side_effect=BrokerDown("down")
        ) as queued,
        django_capture_on_commit_callbacks(execute=True),
    ):
        saved = svo_services.worksheet_save(
            worksheet_id=worksheet.pk,
            user=learner,
            lock_version=worksheet.lock_version,
            statements=[{"subject": "係員", "verb": "入力する", "object": "申請書"}],
        )
    queued.assert_called_once_with(worksheet.pk)
    assert saved.statements.get().verb == "入力する"

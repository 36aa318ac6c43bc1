"""The attempt lifecycle (start, save, submit, grade, retake) and the integrity rules.

Several tests try to cheat: writing to someone else's attempt, answering after submitting or
after the time limit, submitting twice, choosing a choice of another question.
"""

import datetime as dt
from decimal import Decimal
from unittest import mock

import pytest
from django.utils import timezone

from courses import services, tasks
from courses.grading.batch import attempts_grade_waiting
from courses.models import AttemptStatus, LessonRead, QuestionType, QuizAttempt
from courses.services import AttemptError, attempt_answers_save, attempt_start, attempt_submit
from courses.signals import attempt_graded, attempt_passed, lesson_read
from tests.factories import UserFactory, make_question
from tests.helpers.quiz import republish, right_responses, wrong_responses

pytestmark = pytest.mark.django_db


def test_start_pins_revision_and_snapshot(learner, quiz):
    attempt = attempt_start(user=learner, quiz=quiz)
    assert attempt.revision_id == quiz.live_revision_id
    assert attempt.attempt_no == 1
    assert [q["name"] for q in attempt.questions] == [
        "single", "multiple", "tf", "short", "numeric"]  # fmt: skip
    assert attempt.rules["pass_mark"] == 80
    # choice keys are opaque, not database ids
    keys = [a["key"] for q in attempt.questions for a in q["answers"]]
    assert len(set(keys)) == len(keys)
    assert all(len(k) == 8 for k in keys)


def test_start_twice_resumes_the_open_attempt(learner, quiz):
    first = attempt_start(user=learner, quiz=quiz)
    assert attempt_start(user=learner, quiz=quiz).pk == first.pk
    assert QuizAttempt.objects.count() == 1


def test_full_lifecycle_fail_retake_pass(learner, quiz, django_capture_on_commit_callbacks):
    graded, passed = [], []
    attempt_graded.connect(lambda **kw: graded.append(kw), weak=False, dispatch_uid="t-g")
    attempt_passed.connect(lambda **kw: passed.append(kw), weak=False, dispatch_uid="t-p")
    try:
        attempt = attempt_start(user=learner, quiz=quiz)
        attempt_answers_save(
            attempt_id=attempt.pk, user=learner, responses=wrong_responses(attempt)
        )
        with django_capture_on_commit_callbacks(execute=True):
            attempt_submit(attempt_id=attempt.pk, user=learner)
        attempt.refresh_from_db()
        assert attempt.status == AttemptStatus.GRADED  # eager in tests
        assert attempt.passed is False
        assert attempt.score == 0
        assert [kw["passed"] for kw in graded] == [False]
        assert passed == []

        retake = attempt_start(user=learner, quiz=quiz)
        assert retake.attempt_no == 2
        with django_capture_on_commit_callbacks(execute=True):
            attempt_submit(attempt_id=retake.pk, user=learner, responses=right_responses(retake))
        retake.refresh_from_db()
        assert retake.passed is True
        assert retake.percent == Decimal("100.00")
        assert retake.score == retake.max_score == Decimal("6")
        assert len(passed) == 1
        assert passed[0]["course"].pk == quiz.get_parent().pk

        with pytest.raises(AttemptError, match="already passed"):
            attempt_start(user=learner, quiz=quiz)
    finally:
        attempt_graded.disconnect(dispatch_uid="t-g")
        attempt_passed.disconnect(dispatch_uid="t-p")


def test_max_attempts_per_fiscal_year(learner, course):
    quiz = course["quiz"]
    quiz = republish(course["quiz"], max_attempts=1)
    attempt = attempt_start(user=learner, quiz=quiz)
    attempt_submit(attempt_id=attempt.pk, user=learner)
    with pytest.raises(AttemptError, match="used all attempts"):
        attempt_start(user=learner, quiz=quiz)
    # next fiscal year counts afresh
    QuizAttempt.objects.update(fiscal_year=attempt.fiscal_year - 1)
    assert attempt_start(user=learner, quiz=quiz).attempt_no == 1


def test_later_edits_never_change_a_past_grade(
    learner, quiz, questions, django_capture_on_commit_callbacks
):
    attempt = attempt_start(user=learner, quiz=quiz)
    with django_capture_on_commit_callbacks(execute=True):
        attempt_submit(attempt_id=attempt.pk, user=learner, responses=right_responses(attempt))
    attempt.refresh_from_db()
    assert attempt.passed is True
    # the editor flips every answer and changes the pass mark
    for question in questions:
        for answer in question.answers.all():
            answer.fraction = Decimal(100) - answer.fraction
            answer.save()
    republish(quiz, pass_mark=100)
    QuizAttempt.objects.filter(pk=attempt.pk).update(status=AttemptStatus.SUBMITTED)
    attempts_grade_waiting()
    regraded = QuizAttempt.objects.get(pk=attempt.pk)
    assert regraded.passed is True
    assert regraded.percent == Decimal("100.00")


# --- integrity: attempts to cheat ------------------------------------------------------


def test_cannot_write_to_someone_elses_attempt(learner, quiz):
    attempt = attempt_start(user=learner, quiz=quiz)
    intruder = UserFactory()
    with pytest.raises(AttemptError, match="not yours"):
        attempt_answers_save(
            attempt_id=attempt.pk, user=intruder, responses=right_responses(attempt)
        )
    with pytest.raises(AttemptError, match="not yours"):
        attempt_submit(attempt_id=attempt.pk, user=intruder)
    attempt.refresh_from_db()
    assert attempt.answers == {}
    assert attempt.status == AttemptStatus.IN_PROGRESS


def test_cannot_answer_after_submitting(learner, quiz):
    attempt = attempt_start(user=learner, quiz=quiz)
    attempt_submit(attempt_id=attempt.pk, user=learner, responses=wrong_responses(attempt))
    with pytest.raises(AttemptError, match="submitted"):
        attempt_answers_save(
            attempt_id=attempt.pk, user=learner, responses=right_responses(attempt)
        )
    attempt.refresh_from_db()
    assert attempt.answers == {
        k: sorted(v) if isinstance(v, list) else v for k, v in wrong_responses(attempt).items()
    }


def test_foreign_choice_and_unknown_question_are_refused(learner, quiz):
    attempt = attempt_start(user=learner, quiz=quiz)
    # Questions may be drawn in any order: find them by type, not by position.
    by_type = {q["type"]: q for q in attempt.questions}
    single_key = by_type["single"]["key"]
    other_key = by_type["multiple"]["answers"][0]["key"]
    short_key = by_type["short"]["key"]
    with pytest.raises(AttemptError, match="does not belong"):
        attempt_answers_save(attempt_id=attempt.pk, user=learner, responses={single_key: other_key})
    with pytest.raises(AttemptError, match="not part of this attempt"):
        attempt_answers_save(attempt_id=attempt.pk, user=learner, responses={"q99": "x"})
    with pytest.raises(AttemptError, match="too long"):
        attempt_answers_save(attempt_id=attempt.pk, user=learner, responses={short_key: "x" * 5000})
    attempt.refresh_from_db()
    assert attempt.answers == {}


def test_time_limit_is_enforced_on_the_server(learner, course, django_capture_on_commit_callbacks):
    quiz = course["quiz"]
    quiz = republish(quiz, time_limit_minutes=5)
    attempt = attempt_start(user=learner, quiz=quiz)
    assert attempt.deadline_at is not None
    attempt_answers_save(attempt_id=attempt.pk, user=learner, responses=wrong_responses(attempt))
    later = timezone.now() + dt.timedelta(minutes=6)
    with mock.patch("django.utils.timezone.now", return_value=later):
        with pytest.raises(AttemptError, match="time limit"):
            attempt_answers_save(
                attempt_id=attempt.pk, user=learner, responses=right_responses(attempt)
            )
        # answers sent with a late submit are ignored; the ones saved in time are graded
        with django_capture_on_commit_callbacks(execute=True):
            attempt_submit(attempt_id=attempt.pk, user=learner, responses=right_responses(attempt))
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.GRADED
    assert attempt.passed is False


def test_double_submit_yields_one_graded_attempt(learner, quiz, django_capture_on_commit_callbacks):
    attempt = attempt_start(user=learner, quiz=quiz)
    with mock.patch.object(tasks.attempts_grade_task, "apply_async") as delay:
        with django_capture_on_commit_callbacks(execute=True):
            attempt_submit(attempt_id=attempt.pk, user=learner, responses=right_responses(attempt))
            attempt_submit(attempt_id=attempt.pk, user=learner, responses=wrong_responses(attempt))
    assert delay.call_count == 1
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.SUBMITTED
    assert attempt.answers == {
        k: sorted(v) if isinstance(v, list) else v for k, v in right_responses(attempt).items()
    }
    assert QuizAttempt.objects.count() == 1


def test_grading_is_idempotent(learner, quiz, django_capture_on_commit_callbacks):
    graded = []
    attempt_graded.connect(lambda **kw: graded.append(1), weak=False, dispatch_uid="t-idem")
    try:
        attempt = attempt_start(user=learner, quiz=quiz)
        with django_capture_on_commit_callbacks(execute=True):
            attempt_submit(attempt_id=attempt.pk, user=learner, responses=right_responses(attempt))
        attempt.refresh_from_db()
        before = (attempt.score, attempt.graded_at, attempt.result, attempt.grading_tries)
        with django_capture_on_commit_callbacks(execute=True):
            attempts_grade_waiting()
        again = QuizAttempt.objects.get(pk=attempt.pk)
        assert (again.score, again.graded_at, again.result, again.grading_tries) == before
        assert graded == [1]
    finally:
        attempt_graded.disconnect(dispatch_uid="t-idem")


def test_broker_down_at_submit_keeps_the_submission(
    learner, quiz, django_capture_on_commit_callbacks
):
    attempt = attempt_start(user=learner, quiz=quiz)
    with mock.patch.object(
        tasks.attempts_grade_task, "apply_async", side_effect=ConnectionError("redis down")
    ):
        with django_capture_on_commit_callbacks(execute=True):
            submitted = attempt_submit(
                attempt_id=attempt.pk, user=learner, responses=right_responses(attempt)
            )
    assert submitted.status == AttemptStatus.SUBMITTED
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.SUBMITTED
    assert attempt.answers


def test_empty_quiz_cannot_start(learner, db):
    from tests.factories import make_course

    quiz = make_course(questions=[], slug="empty")["quiz"]
    with pytest.raises(AttemptError, match="no questions"):
        attempt_start(user=learner, quiz=quiz)


def test_random_draw_from_category_without_repeats(learner, db):
    from courses.models import QuizSlot
    from tests.factories import QuestionCategoryFactory, make_course

    pool = QuestionCategoryFactory(name="プール")
    bank = [make_question(QuestionType.SINGLE, name=f"p{i}", category=pool) for i in range(6)]
    quiz = make_course(questions=[bank[0]], slug="random")["quiz"]
    quiz.slots = [QuizSlot(question=bank[0]), QuizSlot(category=pool, count=3)]
    quiz = republish(quiz)
    attempt = attempt_start(user=learner, quiz=quiz)
    ids = [q["question_id"] for q in attempt.questions]
    assert len(ids) == 4 and len(set(ids)) == 4
    assert ids[0] == bank[0].pk


# --- lessons -----------------------------------------------------------------------------


def test_lesson_read_once_with_signal(learner, course, django_capture_on_commit_callbacks):
    seen = []
    lesson_read.connect(lambda **kw: seen.append(kw), weak=False, dispatch_uid="t-lr")
    try:
        lesson = course["lessons"][0]
        with django_capture_on_commit_callbacks(execute=True):
            _, created = services.lesson_read_record(user=learner, lesson=lesson)
            _, again = services.lesson_read_record(user=learner, lesson=lesson)
        assert (created, again) == (True, False)
        assert len(seen) == 1
        assert seen[0]["course"].pk == course["course"].pk
        assert LessonRead.objects.count() == 1
    finally:
        lesson_read.disconnect(dispatch_uid="t-lr")

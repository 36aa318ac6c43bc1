"""Every write of the courses app that a learner causes: lesson reads and the attempt lifecycle.

Services are keyword-only and atomic. Attempts are always looked up together with their owner,
so an answer for someone else's attempt finds nothing. Grading itself lives in
``courses.grading.batch`` and runs in the one grading task, queued on commit.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from content.models import ChapterRead  # courses sits above content
from core.queue import enqueue_on_commit, is_waiting_for_broker

from .grading.batch import DEADLINE_GRACE_SECONDS
from .models import AttemptStatus, LessonPage, LessonRead, QuizAttempt, QuizPage
from .models.questions import QuestionType
from .quiz.draw import draw_questions
from .signals import lesson_read
from .tasks import GRADING_KEY, attempts_grade_task
from .years import Period, course_path_of, training_period

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

logger = logging.getLogger(__name__)

MAX_TEXT_ANSWER = 1000
#: An essay answer: a few pages of text.
MAX_ESSAY_ANSWER = 20000


class AttemptError(Exception):
    """A learner's request that cannot be done; the message is for the learner."""


# --- lessons -----------------------------------------------------------------------------


@transaction.atomic
def lesson_read_record(
    *, user: AbstractBaseUser, lesson: LessonPage, via: str = LessonRead.Via.BUTTON
) -> tuple[LessonRead, bool]:
    """Record that ``user`` read ``lesson`` in the year their training counts for
    (``courses.years``); the second time changes nothing.

    Sends ``courses.signals.lesson_read`` (in the transaction) the first time.
    """
    period = training_period(user_id=user.pk, course_path=course_path_of(lesson))
    record, created = LessonRead.objects.get_or_create(
        user=user, lesson=lesson, **period.fields(), defaults={"via": via}
    )
    if created:
        lesson_read.send(
            sender=LessonRead,
            user=user,
            lesson=lesson,
            course=lesson.get_parent().specific,
            **period.fields(),
        )
    return record, created


def lessons_read_through_chapter(*, user: AbstractBaseUser, chapter_id: int) -> list[LessonRead]:
    """Mark read every lesson that links ``chapter_id`` and whose chapters are now all read.

    Called when the guidebook reports a chapter read to the end. Lessons without that chapter
    are not touched.
    """
    lessons = (
        LessonPage.objects.live()
        .filter(chapter_links__chapter_id=chapter_id)
        .prefetch_related("chapter_links")
        .distinct()
    )
    done = set(
        ChapterRead.objects.filter(user=user, reached_end=True).values_list("page_id", flat=True)
    )
    recorded = []
    for lesson in lessons:
        if set(lesson.chapter_ids()) <= done:
            record, created = lesson_read_record(
                user=user, lesson=lesson, via=LessonRead.Via.CHAPTERS
            )
            if created:
                recorded.append(record)
    return recorded


# --- attempts ----------------------------------------------------------------------------


def _own_attempt_for_update(*, attempt_id: int, user: AbstractBaseUser) -> QuizAttempt:
    attempt = QuizAttempt.objects.select_for_update().filter(pk=attempt_id, user_id=user.pk).first()
    if attempt is None:
        raise AttemptError(_("This attempt does not exist or is not yours."))
    return attempt


def attempt_is_past_deadline(attempt: QuizAttempt, *, now: dt.datetime | None = None) -> bool:
    """True once the time limit and the grace for answers in flight have passed."""
    if attempt.deadline_at is None:
        return False
    now = now or timezone.now()
    return now > attempt.deadline_at + dt.timedelta(seconds=DEADLINE_GRACE_SECONDS)


def attempts_left(*, user: AbstractBaseUser, quiz: QuizPage, period: Period) -> int | None:
    """How many more attempts ``user`` may start in the training ``period``; None when
    unlimited."""
    if not quiz.max_attempts:
        return None
    used = QuizAttempt.objects.filter(user=user, quiz=quiz, **period.fields()).count()
    return quiz.attempts_left_after(used)


@transaction.atomic
def attempt_start(*, user: AbstractBaseUser, quiz: QuizPage) -> QuizAttempt:
    """Start an attempt on the live revision of ``quiz``, or resume the open one.

    An open attempt whose time ran out is submitted first. Refused when the quiz is not live,
    when the attempts of this fiscal year are used up, or when the learner already passed.
    """
    if not quiz.live or quiz.live_revision_id is None:
        raise AttemptError(_("This quiz is not published."))
    open_attempt = (
        QuizAttempt.objects.select_for_update()
        .filter(user=user, quiz=quiz, status=AttemptStatus.IN_PROGRESS)
        .first()
    )
    period = training_period(user_id=user.pk, course_path=course_path_of(quiz))
    if open_attempt is not None:
        # An attempt left open in an earlier period (the cycle before) is submitted as it
        # stands, like one whose time ran out; this period starts afresh.
        same_period = (open_attempt.fiscal_year, open_attempt.cycle) == period
        if same_period and not attempt_is_past_deadline(open_attempt):
            return open_attempt
        _submit_locked(open_attempt)

    left = attempts_left(user=user, quiz=quiz, period=period)
    if left == 0:
        raise AttemptError(_("You have used all attempts for this quiz this fiscal year."))
    if QuizAttempt.objects.filter(user=user, quiz=quiz, **period.fields(), passed=True).exists():
        raise AttemptError(_("You have already passed this quiz."))

    revision = quiz.live_revision
    live = revision.as_object()
    questions = draw_questions(
        live.slots.all(),
        shuffle_questions=live.shuffle_questions,
        shuffle_choices=live.shuffle_choices,
    )
    if not questions:
        raise AttemptError(_("This quiz has no questions yet."))
    last = (
        QuizAttempt.objects.filter(user=user, quiz=quiz, **period.fields())
        .order_by("-attempt_no")
        .values_list("attempt_no", flat=True)
        .first()
    )
    now = timezone.now()
    try:
        with transaction.atomic():
            return QuizAttempt.objects.create(
                user=user,
                quiz=quiz,
                **period.fields(),
                attempt_no=(last or 0) + 1,
                revision=revision,
                questions=questions,
                rules={
                    "pass_mark": live.pass_mark,
                    "review_policy": live.review_policy,
                    "review_full_after_pass": live.review_full_after_pass,
                    "time_limit_minutes": live.time_limit_minutes,
                },
                deadline_at=(
                    now + dt.timedelta(minutes=live.time_limit_minutes)
                    if live.time_limit_minutes
                    else None
                ),
            )
    except IntegrityError:
        # A second "start" raced us (double click, two tabs): resume the one that won.
        existing = QuizAttempt.objects.filter(
            user=user, quiz=quiz, status=AttemptStatus.IN_PROGRESS
        ).first()
        if existing is None:
            raise
        return existing


def _clean_response(question: dict, response: Any) -> Any:
    """The response in its stored form, or AttemptError when it cannot belong to ``question``."""
    keys = {answer["key"] for answer in question["answers"]}
    qtype = question["type"]
    if qtype in (QuestionType.SINGLE, QuestionType.TRUE_FALSE):
        if isinstance(response, list):
            response = response[0] if len(response) == 1 else None
        if response in (None, ""):
            return None
        if response not in keys:
            raise AttemptError(_("That choice does not belong to this question."))
        return response
    if qtype == QuestionType.MULTIPLE:
        values = response if isinstance(response, list) else ([response] if response else [])
        if not all(isinstance(v, str) and v in keys for v in values):
            raise AttemptError(_("That choice does not belong to this question."))
        return sorted(set(values))
    if qtype in (QuestionType.SHORT, QuestionType.NUMERIC, QuestionType.ESSAY):
        if isinstance(response, list):
            response = response[0] if response else ""
        if not isinstance(response, str):
            raise AttemptError(_("The answer must be text."))
        limit = MAX_ESSAY_ANSWER if qtype == QuestionType.ESSAY else MAX_TEXT_ANSWER
        if len(response) > limit:
            raise AttemptError(_("The answer is too long."))
        return response
    if qtype == QuestionType.MATCHING:
        return _clean_pairs(question, response)
    if qtype == QuestionType.DESCRIPTION:
        return None  # nothing to answer
    raise AttemptError(_("Unknown question type."))


def _clean_pairs(question: dict, response: Any) -> dict[str, str] | None:
    """A matching response: the option chosen for each item, by key; unchosen items left
    out. Keys that are not the question's are refused."""
    if response in (None, "", {}):
        return None
    if not isinstance(response, dict):
        raise AttemptError(_("That choice does not belong to this question."))
    items = {answer["key"] for answer in question["answers"] if answer["text"]}
    options = {option["key"] for option in question.get("options", [])}
    pairs = {}
    for item, option in response.items():
        if not option:
            continue
        if item not in items or option not in options:
            raise AttemptError(_("That choice does not belong to this question."))
        pairs[item] = option
    return pairs or None


def _apply_responses(attempt: QuizAttempt, responses: dict[str, Any]) -> None:
    by_key = {question["key"]: question for question in attempt.questions}
    answers = dict(attempt.answers or {})
    for key, response in responses.items():
        question = by_key.get(key)
        if question is None:
            raise AttemptError(_("That question is not part of this attempt."))
        cleaned = _clean_response(question, response)
        if cleaned in (None, [], ""):
            answers.pop(key, None)  # an emptied answer is no answer
        else:
            answers[key] = cleaned
    attempt.answers = answers


@transaction.atomic
def attempt_answers_save(
    *, attempt_id: int, user: AbstractBaseUser, responses: dict[str, Any]
) -> QuizAttempt:
    """Save answers to the learner's own open attempt (autosave, or a plain form post).

    Refused for someone else's attempt, a submitted one, an unknown question or choice, and
    after the time limit.
    """
    attempt = _own_attempt_for_update(attempt_id=attempt_id, user=user)
    if attempt.status != AttemptStatus.IN_PROGRESS:
        raise AttemptError(_("This attempt has been submitted; answers can no longer change."))
    if attempt_is_past_deadline(attempt):
        raise AttemptError(_("The time limit has passed; answers can no longer change."))
    _apply_responses(attempt, responses)
    attempt.save(update_fields=["answers"])
    return attempt


def attempt_grading_delayed(attempt: QuizAttempt) -> bool:
    """True when the attempt is submitted but its grading could not be handed to the workers
    yet (the broker is down): the learner is told, and the sweep sends it once it is back."""
    return attempt.status == AttemptStatus.SUBMITTED and is_waiting_for_broker(
        attempts_grade_task, key=GRADING_KEY
    )


def _submit_locked(attempt: QuizAttempt) -> None:
    now = timezone.now()
    attempt.status = AttemptStatus.SUBMITTED
    attempt.submitted_at = now
    attempt.enqueued_at = now
    attempt.save(update_fields=["status", "submitted_at", "enqueued_at", "answers"])
    # One grading task for everything waiting: a burst of submits is one task.
    enqueue_on_commit(attempts_grade_task, key=GRADING_KEY)


@transaction.atomic
def attempt_submit(
    *, attempt_id: int, user: AbstractBaseUser, responses: dict[str, Any] | None = None
) -> QuizAttempt:
    """Submit the learner's own attempt and queue its grading once committed.

    Answers sent with the submit are saved first, unless the time limit has passed (then the
    answers saved in time are graded). Submitting again returns the attempt unchanged, so a
    double submit gives one graded attempt.
    """
    attempt = _own_attempt_for_update(attempt_id=attempt_id, user=user)
    if attempt.status != AttemptStatus.IN_PROGRESS:
        return attempt
    if responses and not attempt_is_past_deadline(attempt):
        _apply_responses(attempt, responses)
    _submit_locked(attempt)
    return attempt

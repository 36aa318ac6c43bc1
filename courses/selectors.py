"""Reads of the courses app that span relations: progress, quiz overview, visible results.

``CourseProgress`` is where a learner stands in a course, and it holds the course's
completion rule (``is_complete``) and share done (``percent``): the one statement of when a
course is complete. ``learners_progress`` reads it for the learners ``lms`` evaluates.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from core.fiscal import fiscal_year_of

from .models import (
    AttemptStatus,
    CoursePage,
    LessonPage,
    LessonRead,
    QuizAttempt,
    QuizPage,
    ReviewPolicy,
    SvoExercisePage,
    SvoWorksheet,
    WorksheetStatus,
)
from .models.questions import QuestionType
from .quiz.draw import question_numbers
from .years import Period, course_path_of, training_period

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


@dataclass
class CourseProgress:
    """Where a learner stands in a course in one fiscal year, and the course's rule.

    ``worksheet_approved`` is None when the course has no SVO exercise. Every condition the
    rule names is required, never waived because the content lacks its task (B2): a rule
    that names the worksheet approval, the quiz or the lessons of a course without that part
    cannot be met. Editors cannot publish such a rule (``CoursePage.completion_rule_errors``).
    """

    fiscal_year: int
    lessons_total: int
    lessons_read: set[int] = field(default_factory=set)
    quizzes_total: int = 0
    quizzes_passed: set[int] = field(default_factory=set)
    lessons_required: bool = True
    quiz_required: bool = True
    worksheet_required: bool = False
    worksheet_approved: bool | None = None

    @property
    def lessons_done(self) -> bool:
        return self.lessons_total > 0 and len(self.lessons_read) >= self.lessons_total

    @property
    def quizzes_done(self) -> bool:
        return self.quizzes_total > 0 and len(self.quizzes_passed) >= self.quizzes_total

    @property
    def started(self) -> bool:
        return bool(self.lessons_read or self.quizzes_passed)

    @property
    def worksheet_done(self) -> bool:
        return not self.worksheet_required or self.worksheet_approved is True

    @property
    def is_complete(self) -> bool:
        """The completion rule: every required part done (lessons read, quizzes passed, the
        worksheet approved), each part optional per course."""
        return (
            (not self.lessons_required or self.lessons_done)
            and (not self.quiz_required or self.quizzes_done)
            and self.worksheet_done
        )

    @property
    def percent(self) -> int:
        """The share of the required parts done: each lesson and each quiz is a step, and so
        is the worksheet; a required part the course lacks is one step never done."""
        steps = done = 0
        if self.lessons_required:
            steps += max(self.lessons_total, 1)
            done += min(len(self.lessons_read), self.lessons_total)
        if self.quiz_required:
            steps += max(self.quizzes_total, 1)
            done += min(len(self.quizzes_passed), self.quizzes_total)
        if self.worksheet_required:
            steps += 1
            done += int(self.worksheet_approved is True)
        return 100 if not steps else int(100 * done / steps)


def course_progress(
    *,
    user: AbstractBaseUser,
    course: CoursePage,
    period: Period | None = None,
    parts: list | None = None,
) -> CourseProgress:
    """Lessons read, quizzes passed and (when the course has an SVO exercise) whether the
    worksheet is approved, for ``user`` in ``course`` (five queries at most: the period the
    learner's training counts for, ``courses.years``, then the four of ``learners_progress``)."""
    if period is None:
        period = training_period(user_id=user.pk, course_path=course.path)
    return learners_progress(user_ids=[user.pk], course=course, period=period, parts=parts)[user.pk]


def learners_progress(
    *,
    user_ids: list[int],
    course: CoursePage,
    period: Period | None = None,
    parts: list | None = None,
) -> dict[int, CourseProgress]:
    """``course_progress`` of many learners of one course in one training period (this
    year's first cycle by default), by user id: each read done once for all of them (four
    queries at most, however many learners)."""
    period = period or Period(fiscal_year_of())
    in_period = period.fields()
    if parts is None:
        parts = list(course.parts())
    lesson_ids = [p.pk for p in parts if isinstance(p, LessonPage)]
    quiz_ids = [p.pk for p in parts if isinstance(p, QuizPage)]
    exercise_ids = [p.pk for p in parts if isinstance(p, SvoExercisePage)]
    read: dict[int, set[int]] = defaultdict(set)
    if lesson_ids:
        for user_id, lesson_id in LessonRead.objects.filter(
            user_id__in=user_ids, lesson_id__in=lesson_ids, **in_period
        ).values_list("user_id", "lesson_id"):
            read[user_id].add(lesson_id)
    passed: dict[int, set[int]] = defaultdict(set)
    if quiz_ids:
        for user_id, quiz_id in QuizAttempt.objects.filter(
            user_id__in=user_ids, quiz_id__in=quiz_ids, **in_period, passed=True
        ).values_list("user_id", "quiz_id"):
            passed[user_id].add(quiz_id)
    approved = (
        set(
            SvoWorksheet.objects.filter(
                user_id__in=user_ids,
                exercise_id__in=exercise_ids,
                **in_period,
                status=WorksheetStatus.APPROVED,
            ).values_list("user_id", flat=True)
        )
        if exercise_ids
        else set()
    )
    progresses = {}
    for user_id in user_ids:
        progresses[user_id] = CourseProgress(
            fiscal_year=period.fiscal_year,
            lessons_total=len(lesson_ids),
            lessons_read=read[user_id],
            quizzes_total=len(quiz_ids),
            quizzes_passed=passed[user_id],
            lessons_required=course.require_lessons,
            quiz_required=course.require_quiz,
            worksheet_required=course.require_worksheet,
            worksheet_approved=(user_id in approved) if exercise_ids else None,
        )
    return progresses


def lesson_is_read(*, user: AbstractBaseUser, lesson: LessonPage) -> bool:
    return LessonRead.objects.filter(
        user_id=user.pk,
        lesson_id=lesson.pk,
        **training_period(user_id=user.pk, course_path=course_path_of(lesson)).fields(),
    ).exists()


@dataclass
class QuizOverview:
    """What the quiz page shows a learner: open attempt, past attempts, whether to start."""

    open_attempt: QuizAttempt | None
    attempts: list[QuizAttempt]
    attempts_left: int | None
    passed: bool

    @property
    def can_start(self) -> bool:
        return self.open_attempt is None and not self.passed and self.attempts_left != 0


def quiz_overview(*, user: AbstractBaseUser, quiz: QuizPage) -> QuizOverview:
    period = training_period(user_id=user.pk, course_path=course_path_of(quiz))
    attempts = list(
        QuizAttempt.objects.filter(user_id=user.pk, quiz_id=quiz.pk, **period.fields())
        .only(
            "pk",
            "attempt_no",
            "status",
            "percent",
            "passed",
            "started_at",
            "submitted_at",
            "deadline_at",
            "quiz_id",
            "user_id",
        )
        .order_by("-attempt_no")
    )
    open_attempt = next((a for a in attempts if a.status == AttemptStatus.IN_PROGRESS), None)
    left = quiz.attempts_left_after(len(attempts))  # the rule attempt_start applies
    return QuizOverview(
        open_attempt=open_attempt,
        attempts=attempts,
        attempts_left=left,
        passed=any(a.passed for a in attempts),
    )


def _is_answered(value: Any) -> bool:
    """An answer counts once it says something: a choice, or text that is not only spaces."""
    if isinstance(value, list):
        return any(_is_answered(item) for item in value)
    return isinstance(value, str) and bool(value.strip())


def _question_answered(question: dict, value: Any) -> bool:
    if question["type"] == QuestionType.MATCHING:
        # Every item paired, as Moodle counts a matching question complete.
        items = [a["key"] for a in question["answers"] if a["text"]]
        given = value if isinstance(value, dict) else {}
        return all(_is_answered(given.get(key)) for key in items)
    return _is_answered(value)


def unanswered_questions(questions: list[dict], answers: dict[str, Any] | None) -> list[int]:
    """The numbers (as the attempt page shows them, from 1) of the questions of an attempt's
    snapshot that ``answers`` (saved answers, or a submitted form's) leave unanswered. The
    attempt page counts the answered ones the same way, and quiz.js as the learner types.
    Descriptions have nothing to answer: they have no number and never count."""
    answers = answers or {}
    numbers = question_numbers(questions)
    return [
        numbers[question["key"]]
        for question in questions
        if numbers[question["key"]] is not None
        and not _question_answered(question, answers.get(question["key"]))
    ]


def answerable_count(questions: list[dict]) -> int:
    """How many questions of a snapshot have something to answer (the N of "n / N")."""
    return sum(1 for number in question_numbers(questions).values() if number is not None)


def _review_level(attempt: QuizAttempt) -> str:
    rules = attempt.rules or {}
    level = rules.get("review_policy", ReviewPolicy.SCORE)
    if attempt.passed and rules.get("review_full_after_pass"):
        return ReviewPolicy.FULL
    return level


def _right_answers(question: dict) -> list[str]:
    """Human-readable right answers of a snapshot question."""
    answers = question["answers"]
    if question["type"] == QuestionType.NUMERIC:
        return [
            f"{Decimal(a['value']).normalize():f}"
            + (f" ± {Decimal(a['tolerance']).normalize():f}" if Decimal(a["tolerance"]) else "")
            for a in answers
            if a.get("value") is not None and Decimal(a["fraction"]) >= 100
        ]
    if question["type"] == QuestionType.MULTIPLE:
        return [a["text"] for a in answers if Decimal(a["fraction"]) > 0]
    if question["type"] == QuestionType.MATCHING:
        return [f"{a['text']} → {a['match_text']}" for a in answers if a["text"]]
    if question["type"] == QuestionType.ESSAY:
        return []
    return [a["text"] for a in answers if Decimal(a["fraction"]) >= 100]


def attempt_review(*, attempt: QuizAttempt) -> dict[str, Any]:
    """The graded attempt as the learner may see it under the quiz's review policy.

    Only graded attempts have a review; the right answers appear only at the FULL level.
    """
    if attempt.status != AttemptStatus.GRADED:
        return {"graded": False, "status": attempt.status}
    level = _review_level(attempt)
    review: dict[str, Any] = {
        "graded": True,
        "status": attempt.status,
        "score": attempt.score,
        "max_score": attempt.max_score,
        "percent": attempt.percent,
        "passed": attempt.passed,
        "pass_mark": (attempt.rules or {}).get("pass_mark"),
        "level": level,
        "questions": [],
    }
    if level == ReviewPolicy.SCORE:
        return review
    results = {item["key"]: item for item in attempt.result}
    answers = attempt.answers or {}
    numbers = question_numbers(attempt.questions)
    for question in attempt.questions:
        number = numbers[question["key"]]
        if number is None:  # a description: nothing was asked
            continue
        result = results.get(question["key"], {})
        state = result.get("state", "wrong")
        own = answers.get(question["key"])
        labels = {a["key"]: a["text"] for a in question["answers"]}
        if question["type"] == QuestionType.TRUE_FALSE:
            labels = {
                a["key"]: _("True") if a["text"] == "true" else _("False")
                for a in question["answers"]
            }
        if question["type"] == QuestionType.MATCHING:
            options = {o["key"]: o["text"] for o in question.get("options", [])}
            own = own if isinstance(own, dict) else {}
            given = [
                f"{a['text']} → {options.get(own.get(a['key']), '—')}"
                for a in question["answers"]
                if a["text"]
            ]
        elif isinstance(own, list):
            given = [labels.get(k, "") for k in own]
        elif question["type"] in (QuestionType.SHORT, QuestionType.NUMERIC, QuestionType.ESSAY):
            given = [own] if own else []
        else:
            given = [labels[own]] if own in labels else []
        feedback = list(result.get("feedback", []))
        extra = question["correct_feedback"] if state == "right" else question["incorrect_feedback"]
        if extra:
            feedback.append(extra)
        if question.get("general_feedback"):
            feedback.append(question["general_feedback"])
        entry = {
            "number": number,
            "text": question["text"],
            "state": state,
            "score": result.get("score"),
            "max_score": result.get("max_score"),
            "given": given,
            "feedback": feedback,
        }
        if level == ReviewPolicy.FULL:
            right = _right_answers(question)
            if question["type"] == QuestionType.TRUE_FALSE:
                right = [
                    labels[a["key"]] for a in question["answers"] if Decimal(a["fraction"]) >= 100
                ]
            entry["right_answers"] = right
        review["questions"].append(entry)
    return review

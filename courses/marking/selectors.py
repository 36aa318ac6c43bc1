"""Reads of the marking screens: the queue a marker sees and the attempt they mark."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q

from org import access

from ..models import AttemptStatus, QuizAttempt, QuizPage
from ..models.questions import QuestionType
from ..quiz.draw import question_numbers

MARKING_PER_PAGE = 25


def is_chosen_marker(user) -> bool:
    """Has some quiz chosen ``user`` to mark its essays (one query)?"""
    return QuizPage.markers.through.objects.filter(user_id=user.pk).exists()


def _chosen(viewer) -> Q:
    return Q(
        quiz_id__in=QuizPage.markers.through.objects.filter(user_id=viewer.pk).values("quizpage_id")
    )


def markable_attempts(viewer):
    """The attempts waiting for marking that ``viewer`` may mark (``org.access.markable``:
    the quiz chose them, or they review the learner's worksheets; never their own), oldest
    first."""
    return (
        QuizAttempt.objects.filter(status=AttemptStatus.MARKING)
        .filter(access.markable(viewer, chosen=_chosen(viewer)))
        .order_by("submitted_at", "pk")
    )


def may_mark(viewer, attempt: QuizAttempt) -> bool:
    """May ``viewer`` mark ``attempt`` (whatever its status): the rule of the queue."""
    if not getattr(viewer, "is_authenticated", False):
        return False
    return (
        QuizAttempt.objects.filter(pk=attempt.pk)
        .filter(access.markable(viewer, chosen=_chosen(viewer)))
        .exists()
    )


@dataclass
class MarkingQueue:
    page: Page
    by_quiz: list[dict[str, Any]]  # {"quiz__title": ..., "waiting": n}, most waiting first


def marking_queue(viewer, *, page_number: Any = None) -> MarkingQueue:
    """A page of the attempts ``viewer`` may mark (with learner, unit and quiz: one query)
    and how many wait per quiz (one query), besides the page's count."""
    attempts = markable_attempts(viewer)
    page = Paginator(
        attempts.select_related("user__unit", "quiz").only(
            "pk",
            "submitted_at",
            "attempt_no",
            "questions",
            "user__display_name",
            "user__employee_number",
            "user__unit__name",
            "quiz__title",
        ),
        MARKING_PER_PAGE,
    ).get_page(page_number)
    for attempt in page.object_list:
        attempt.essay_count = sum(1 for q in attempt.questions if q["type"] == QuestionType.ESSAY)
    by_quiz = list(
        attempts.order_by()
        .values("quiz__title")
        .annotate(waiting=Count("pk"))
        .order_by("-waiting", "quiz__title")
    )
    return MarkingQueue(page=page, by_quiz=by_quiz)


def essays_to_mark(attempt: QuizAttempt) -> list[dict[str, Any]]:
    """The essay questions of ``attempt`` with the learner's answer and their points."""
    numbers = question_numbers(attempt.questions)
    answers = attempt.answers or {}
    return [
        {
            "key": question["key"],
            "number": numbers[question["key"]],
            "text": question["text"],
            "points": question["points"],
            "answer": answers.get(question["key"], ""),
        }
        for question in attempt.questions
        if question["type"] == QuestionType.ESSAY
    ]

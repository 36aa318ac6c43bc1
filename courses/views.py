"""Learner views around quizzes and lessons. Thin: they parse the request and call services.

Every attempt is looked up with ``user=request.user``, so someone else's attempt is a 404.
Answers are saved on the server as the learner goes (``quiz.js`` posts one question at a
time) and the same endpoints take a whole-form post, so everything works without JavaScript.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from .models import AttemptStatus, LessonPage, QuizAttempt, QuizPage
from .models.questions import QuestionType
from .quiz.draw import public_questions
from .selectors import answerable_count, attempt_review, unanswered_questions
from .services import (
    AttemptError,
    attempt_answers_save,
    attempt_grading_delayed,
    attempt_is_past_deadline,
    attempt_start,
    attempt_submit,
    lesson_read_record,
)


def _wants_json(request: HttpRequest) -> bool:
    return request.headers.get("X-Requested-With") == "fetch"


def _responses_from_post(attempt: QuizAttempt, data, *, only: str | None = None) -> dict:
    """Answers in a form post, by question key. ``only`` limits it to one question."""
    responses: dict[str, Any] = {}
    for question in attempt.questions:
        key = question["key"]
        if only is not None and key != only:
            continue
        if question["type"] == QuestionType.MULTIPLE:
            responses[key] = data.getlist(key)
        elif question["type"] == QuestionType.MATCHING:
            responses[key] = {
                answer["key"]: data.get(f"{key}-{answer['key']}", "")
                for answer in question["answers"]
                if answer["text"]
            }
        elif question["type"] == QuestionType.DESCRIPTION:
            continue
        else:
            responses[key] = data.get(key, "")
    return responses


def _own_attempt(request: HttpRequest, pk: int) -> QuizAttempt:
    return get_object_or_404(
        QuizAttempt.objects.select_related("quiz"), pk=pk, user_id=request.user.pk
    )


@login_required
@require_POST
def quiz_start(request: HttpRequest, quiz_id: int) -> HttpResponse:
    quiz = get_object_or_404(QuizPage.objects.live(), pk=quiz_id)
    try:
        attempt = attempt_start(user=request.user, quiz=quiz)
    except AttemptError as error:
        messages.error(request, str(error))
        return redirect(quiz.url)
    return redirect("courses:attempt", pk=attempt.pk)


@never_cache
@login_required
@require_GET
def attempt_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The attempt: the questions while open, then the grading state and the result."""
    attempt = _own_attempt(request, pk)
    context: dict[str, Any] = {"attempt": attempt, "quiz": attempt.quiz}
    if attempt.status == AttemptStatus.IN_PROGRESS:
        answers = attempt.answers or {}
        questions = public_questions(attempt.questions)
        for question in questions:
            given = answers.get(question["key"])
            question["given"] = given
            question["given_list"] = given if isinstance(given, list) else [given]
            for item in question["items"]:
                item["given"] = given.get(item["key"]) if isinstance(given, dict) else None
        total = answerable_count(attempt.questions)
        context["questions"] = questions
        context["total"] = total
        context["answered_count"] = total - len(unanswered_questions(attempt.questions, answers))
        return render(request, "courses/attempt_take.html", context)
    context["review"] = attempt_review(attempt=attempt)
    return render(request, "courses/attempt_result.html", context)


@login_required
@require_POST
def attempt_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """Save answers: one question (``question`` field, from quiz.js) or the whole form."""
    attempt = _own_attempt(request, pk)
    only = request.POST.get("question") or None
    try:
        attempt_answers_save(
            attempt_id=attempt.pk,
            user=request.user,
            responses=_responses_from_post(attempt, request.POST, only=only),
        )
    except AttemptError as error:
        if _wants_json(request):
            return JsonResponse({"saved": False, "error": str(error)}, status=409)
        messages.error(request, str(error))
        return redirect("courses:attempt", pk=attempt.pk)
    if _wants_json(request):
        return JsonResponse({"saved": True})
    messages.success(request, _("Your answers are saved."))
    return redirect("courses:attempt", pk=attempt.pk)


def _question_labels(numbers: list[int]) -> str:
    """「問3、問15」: the questions named in one phrase."""
    separator = pgettext("list separator", ", ")
    return separator.join(_("Question %(number)s") % {"number": number} for number in numbers)


@login_required
@require_POST
def attempt_submit_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the posted answers and submit; returns at once, grading happens in a task.

    A form that leaves questions unanswered is not submitted at once: its answers are saved
    and the learner is asked to confirm (``attempt_confirm``) unless the form says they
    already did (``confirm_blanks``). The confirmation page submits the saved answers
    (``answers=saved``). After the time limit nothing is asked: answers can no longer change.
    """
    attempt = _own_attempt(request, pk)
    responses = None
    if attempt.is_open and request.POST.get("answers") != "saved":
        responses = _responses_from_post(attempt, request.POST)
    if (
        responses is not None
        and request.POST.get("confirm_blanks") != "1"
        and not attempt_is_past_deadline(attempt)
        and unanswered_questions(attempt.questions, responses)
    ):
        try:
            attempt_answers_save(attempt_id=attempt.pk, user=request.user, responses=responses)
        except AttemptError as error:
            messages.error(request, str(error))
            return redirect("courses:attempt", pk=attempt.pk)
        return redirect("courses:attempt_confirm", pk=attempt.pk)
    try:
        submitted = attempt_submit(attempt_id=attempt.pk, user=request.user, responses=responses)
    except AttemptError as error:
        messages.error(request, str(error))
    else:
        if attempt_grading_delayed(submitted):
            messages.warning(
                request,
                _(
                    "Your answers are saved. Grading is delayed by a system problem; it will "
                    "run automatically and the result will appear on this page."
                ),
            )
    return redirect("courses:attempt", pk=attempt.pk)


@never_cache
@login_required
@require_GET
def attempt_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Questions are unanswered: submit anyway, or go back to them. Without JavaScript this
    is the step the attempt page's submit leads to; quiz.js asks the same in a dialog."""
    attempt = _own_attempt(request, pk)
    unanswered = unanswered_questions(attempt.questions, attempt.answers)
    if not attempt.is_open or not unanswered:
        return redirect("courses:attempt", pk=attempt.pk)
    context = {
        "attempt": attempt,
        "quiz": attempt.quiz,
        "unanswered": unanswered,
        "unanswered_label": _question_labels(unanswered),
        "total": answerable_count(attempt.questions),
        "answered_count": answerable_count(attempt.questions) - len(unanswered),
    }
    return render(request, "courses/attempt_confirm.html", context)


@never_cache
@login_required
@require_GET
def attempt_status(request: HttpRequest, pk: int) -> JsonResponse:
    """What the grading page polls: the status, and the result once there is one."""
    attempt = _own_attempt(request, pk)
    payload: dict[str, Any] = {"status": attempt.status, "done": False}
    if attempt.status in (AttemptStatus.GRADED, AttemptStatus.ERROR, AttemptStatus.MARKING):
        # Marking by hand takes days: the page stops asking and says so.
        payload["done"] = attempt.status in (AttemptStatus.GRADED, AttemptStatus.MARKING)
        payload["html"] = render_to_string(
            "courses/includes/attempt_review.html",
            {"attempt": attempt, "quiz": attempt.quiz, "review": attempt_review(attempt=attempt)},
            request=request,
        )
    return JsonResponse(payload)


@login_required
@require_POST
def lesson_mark_read(request: HttpRequest, lesson_id: int) -> HttpResponse:
    lesson = get_object_or_404(LessonPage.objects.live(), pk=lesson_id)
    if not lesson.specific_class.read_by_button:
        messages.error(request, lesson.specific_class.done_when)
    elif lesson.chapter_ids():
        messages.error(request, _("This lesson counts as read when its chapters are read."))
    else:
        lesson_read_record(user=request.user, lesson=lesson)
        messages.success(request, _("Lesson marked as read."))
    return redirect(lesson.url)

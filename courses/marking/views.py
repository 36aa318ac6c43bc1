"""The marking screens: the queue of essay answers waiting (「採点待ち」) and the marking of
one attempt. Thin: the selectors say what a marker sees, ``attempt_mark`` does the work."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from ..models import AttemptStatus, QuizAttempt
from .selectors import essays_to_mark, marking_queue, may_mark
from .services import MarkingRefused, attempt_mark, parse_marks


@never_cache
@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """The attempts waiting for the signed-in person to mark, oldest first, paged."""
    found = marking_queue(request.user, page_number=request.GET.get("page"))
    return render(request, "courses/marking_queue.html", {"queue": found})


@never_cache
@login_required
def mark(request: HttpRequest, pk: int) -> HttpResponse:
    """One attempt's essay answers with a score and a comment field each."""
    attempt = get_object_or_404(QuizAttempt.objects.select_related("user__unit", "quiz"), pk=pk)
    if not may_mark(request.user, attempt):
        raise PermissionDenied
    if attempt.status != AttemptStatus.MARKING:
        messages.info(request, _("This attempt has been marked."))
        return redirect("courses:marking_queue")
    essays = essays_to_mark(attempt)
    errors: dict[str, str] = {}
    if request.method == "POST":
        marks, errors = parse_marks(request.POST, essays)
        if not errors:
            try:
                attempt_mark(attempt_id=attempt.pk, by=request.user, marks=marks)
            except MarkingRefused as error:
                messages.error(request, str(error))
                return redirect("courses:marking_queue")
            except ValidationError as error:
                errors = {essay["key"]: error.messages[0] for essay in essays}
            else:
                messages.success(
                    request,
                    _("Marked: %(name)s, %(quiz)s.")
                    % {"name": attempt.user.display_name, "quiz": attempt.quiz.title},
                )
                return redirect("courses:marking_queue")
    for essay in essays:
        essay["error"] = errors.get(essay["key"], "")
        essay["score"] = request.POST.get(f"score-{essay['key']}", "")
        essay["comment"] = request.POST.get(f"comment-{essay['key']}", "")
    status = 400 if errors else 200
    return render(
        request,
        "courses/marking_detail.html",
        {"attempt": attempt, "essays": essays, "has_errors": bool(errors)},
        status=status,
    )

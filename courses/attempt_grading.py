"""Grading services: grade a submitted attempt, record a failure, find what is stuck.

Called from Celery tasks (``courses.tasks``); never from a view. Grading is idempotent: it
only acts on an attempt in ``submitted`` or ``error`` and writes everything, including the
status change, in one transaction with the row locked, so a task delivered twice grades once.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .grading import grade_attempt
from .models import AttemptStatus, QuizAttempt
from .signals import attempt_graded, attempt_passed

logger = logging.getLogger(__name__)

#: After this many failed gradings the sweeper stops re-queueing an attempt.
MAX_GRADING_TRIES = 5
#: An attempt in "submitted" longer than this was probably lost with its message.
STUCK_AFTER = dt.timedelta(minutes=2)
#: Seconds of grace after a time limit for answers in flight.
DEADLINE_GRACE_SECONDS = 30


def _send_graded(attempt: QuizAttempt) -> None:
    quiz = attempt.quiz
    arguments = {
        "attempt": attempt,
        "user": attempt.user,
        "quiz": quiz,
        "course": quiz.get_parent().specific,
        "fiscal_year": attempt.fiscal_year,
        "passed": bool(attempt.passed),
    }
    attempt_graded.send(sender=QuizAttempt, **arguments)
    if attempt.passed:
        attempt_passed.send(sender=QuizAttempt, **arguments)


@transaction.atomic
def attempt_grade(*, attempt_id: int) -> QuizAttempt:
    """Grade a submitted attempt from its snapshot; a no-op for any other status."""
    attempt = QuizAttempt.objects.select_for_update().get(pk=attempt_id)
    if attempt.status not in (AttemptStatus.SUBMITTED, AttemptStatus.ERROR):
        return attempt
    result = grade_attempt(
        attempt.questions, attempt.answers or {}, pass_mark=int(attempt.rules.get("pass_mark", 0))
    )
    attempt.score = result.score
    attempt.max_score = result.max_score
    attempt.percent = result.percent
    attempt.passed = result.passed
    attempt.result = [question.as_json() for question in result.questions]
    attempt.status = AttemptStatus.GRADED
    attempt.graded_at = timezone.now()
    attempt.error_reason = ""
    attempt.grading_tries += 1
    attempt.save(
        update_fields=[
            "score", "max_score", "percent", "passed", "result", "status", "graded_at",
            "error_reason", "grading_tries",
        ]
    )  # fmt: skip
    transaction.on_commit(lambda: _send_graded(attempt))
    return attempt


@transaction.atomic
def attempt_grading_failed(*, attempt_id: int, reason: str) -> QuizAttempt | None:
    """Keep why grading failed; the task retries, and the sweeper after it."""
    attempt = QuizAttempt.objects.select_for_update().filter(pk=attempt_id).first()
    if attempt is None or attempt.status not in (AttemptStatus.SUBMITTED, AttemptStatus.ERROR):
        return attempt
    attempt.status = AttemptStatus.ERROR
    attempt.error_reason = reason[:2000]
    attempt.grading_tries += 1
    attempt.save(update_fields=["status", "error_reason", "grading_tries"])
    return attempt


@transaction.atomic
def attempts_close_expired(*, now: dt.datetime | None = None) -> list[int]:
    """Submit open attempts whose time limit (plus grace) has passed; return their ids.

    The answers saved before the deadline are what gets graded.
    """
    now = now or timezone.now()
    cutoff = now - dt.timedelta(seconds=DEADLINE_GRACE_SECONDS)
    ids = list(
        QuizAttempt.objects.select_for_update(skip_locked=True)
        .filter(status=AttemptStatus.IN_PROGRESS, deadline_at__lt=cutoff)
        .values_list("pk", flat=True)
    )
    QuizAttempt.objects.filter(pk__in=ids).update(
        status=AttemptStatus.SUBMITTED, submitted_at=now, enqueued_at=now
    )
    return ids


@transaction.atomic
def attempts_claim_stuck(*, now: dt.datetime | None = None, limit: int = 500) -> list[int]:
    """Ids of attempts to queue for grading again, marked as queued now.

    Stuck means: submitted and never queued (the broker was down at submit time), submitted
    and not queued within ``STUCK_AFTER`` (the message was lost, e.g. with a worker that
    died), or failed fewer than ``MAX_GRADING_TRIES`` times and not retried within
    ``STUCK_AFTER``.
    """
    now = now or timezone.now()
    stale = now - STUCK_AFTER
    not_recently_queued = Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=stale)
    ids = list(
        QuizAttempt.objects.select_for_update(skip_locked=True)
        .filter(
            Q(status=AttemptStatus.SUBMITTED, submitted_at__lt=stale)
            | Q(status=AttemptStatus.SUBMITTED, enqueued_at__isnull=True)
            | Q(status=AttemptStatus.ERROR, grading_tries__lt=MAX_GRADING_TRIES),
            not_recently_queued,
        )
        .order_by("submitted_at")
        .values_list("pk", flat=True)[:limit]
    )
    QuizAttempt.objects.filter(pk__in=ids).update(enqueued_at=now)
    if ids:
        logger.warning("Re-queueing %d quiz attempt(s) stuck in grading", len(ids))
    return ids

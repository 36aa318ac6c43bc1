"""Grading the submitted attempts, a batch per transaction, and finding what is stuck.

A submit records the attempt as ``submitted`` and asks for the one grading task
(``courses.attempts_grade``, through ``core.queue`` under one key), which grades whatever is
waiting, oldest first, until nothing is: a burst of submits at the end of a training
session is graded at the pace of the batches and costs one task, not one per attempt. Work
submitted while the task finishes its last batch runs it once more (``core.queue``).

Grading is idempotent: only a ``submitted`` attempt is taken, with its row locked
(``SKIP LOCKED``: rows another transaction holds are left to it), and everything it writes,
the status included, is written in the batch's one transaction. A graded attempt is final.
An attempt whose grading raises is recorded as failed with the reason; the sweep
(``attempts_claim_stuck``) sends it again after a pause, up to ``MAX_GRADING_TRIES``.
Called from Celery tasks (``courses.tasks``); never from a view.
"""

from __future__ import annotations

import datetime as dt
import logging
import time

from django.contrib.auth import get_user_model
from django.db import DatabaseError, transaction
from django.db.models import F, Q
from django.utils import timezone

from core.db import bulk_update_values
from core.tasks import TRANSIENT

from ..models import AttemptStatus, CoursePage, QuizAttempt, QuizPage
from ..signals import attempt_graded, attempt_passed, attempts_graded
from .rules import grade_attempt

logger = logging.getLogger(__name__)
User = get_user_model()

#: After this many failed gradings the sweep stops sending an attempt again.
MAX_GRADING_TRIES = 5
#: An attempt submitted longer ago than this, or failed that long ago, is sent again.
STUCK_AFTER = dt.timedelta(minutes=2)
#: Seconds of grace after a time limit for answers in flight.
DEADLINE_GRACE_SECONDS = 30
#: Attempts one transaction grades: small enough that the transaction (and the lock on the
#: rows) lasts tens of milliseconds, large enough that its commit and follow-up reads are
#: shared by many attempts.
GRADING_BATCH = 40
#: How long one task grades before it hands over to its next run (far below its time limit).
GRADING_DRAIN_SECONDS = 20.0

_WRITTEN_FIELDS = [
    "score",
    "max_score",
    "percent",
    "passed",
    "result",
    "status",
    "graded_at",
    "error_reason",
    "grading_tries",
    "enqueued_at",
]


def _courses_of(quizzes) -> dict[int, CoursePage]:
    """The course page of each quiz, by quiz id: one query for any number of quizzes.

    A quiz is a child of its course in the page tree, so the course's path is the quiz's
    without its last step; this spares ``get_parent().specific`` (two queries) per attempt.
    """
    parent_paths = {quiz.pk: quiz.path[: -QuizPage.steplen] for quiz in quizzes}
    courses = {c.path: c for c in CoursePage.objects.filter(path__in=set(parent_paths.values()))}
    return {quiz_id: courses[path] for quiz_id, path in parent_paths.items() if path in courses}


def announce_graded(attempts: list[QuizAttempt]) -> None:
    """Send ``attempts_graded`` once for the batch, inside its transaction (the completion
    work it records commits with the grades or not at all), and ``attempt_graded`` (and
    ``attempt_passed``) for each attempt once it has committed. The users, quizzes and
    courses of a batch are read in three queries, not per attempt.

    An attempt waiting for its essays to be marked (``MARKING``) is in ``attempts_graded``
    (its enrollment has started) but gets ``attempt_graded`` only when it is marked
    (``courses.marking.services.attempt_mark`` calls this again then)."""
    users = User.objects.in_bulk({attempt.user_id for attempt in attempts})
    quizzes = QuizPage.objects.in_bulk({attempt.quiz_id for attempt in attempts})
    courses = _courses_of(quizzes.values())
    events, keys = [], set()
    for attempt in attempts:
        attempt.user = users[attempt.user_id]
        attempt.quiz = quiz = quizzes[attempt.quiz_id]
        course = courses.get(quiz.pk) or quiz.get_parent().specific
        events.append(
            {
                "attempt": attempt,
                "user": attempt.user,
                "quiz": quiz,
                "course": course,
                "fiscal_year": attempt.fiscal_year,
                "cycle": attempt.cycle,
                "passed": bool(attempt.passed),
            }
        )
        keys.add((attempt.user_id, course.pk, attempt.fiscal_year, attempt.cycle))
    attempts_graded.send(sender=QuizAttempt, keys=sorted(keys))

    def each_attempt() -> None:
        for arguments in events:
            if arguments["attempt"].status != AttemptStatus.GRADED:
                continue
            attempt_graded.send(sender=QuizAttempt, **arguments)
            if arguments["passed"]:
                attempt_passed.send(sender=QuizAttempt, **arguments)

    transaction.on_commit(each_attempt, robust=True)


def _grade(attempt: QuizAttempt) -> None:
    """Grade one locked attempt from its snapshot, in memory."""
    result = grade_attempt(
        attempt.questions, attempt.answers or {}, pass_mark=int(attempt.rules.get("pass_mark", 0))
    )
    attempt.score = result.score
    attempt.max_score = result.max_score
    attempt.percent = result.percent
    attempt.passed = result.passed
    attempt.result = [question.as_json() for question in result.questions]
    attempt.status = AttemptStatus.GRADED
    if result.pending:  # essays: a marker decides; until then the attempt has no pass
        attempt.status = AttemptStatus.MARKING
        attempt.passed = None
    attempt.error_reason = ""


def _grade_and_save(claimed: list[QuizAttempt]) -> tuple[int, int]:
    """Grade the locked attempts ``claimed`` and write them in one statement: the graded and
    the failed, each failure with its reason. Return how many were graded and failed."""
    now = timezone.now()  # when the rows are written, just before the commit
    graded, failed = [], 0
    for attempt in claimed:
        attempt.grading_tries += 1
        attempt.graded_at = now
        try:
            _grade(attempt)
        except Exception as exc:  # one broken snapshot must not stop the others
            logger.exception("Grading attempt %s failed", attempt.pk)
            attempt.status = AttemptStatus.ERROR
            attempt.error_reason = f"{type(exc).__name__}: {exc}"[:2000]
            attempt.graded_at = None
            attempt.enqueued_at = now  # the try that failed: the sweep waits from here
            failed += 1
            continue
        graded.append(attempt)
    if claimed:
        bulk_update_values(QuizAttempt, claimed, _WRITTEN_FIELDS)
    if graded:
        announce_graded(graded)
    return len(graded), failed


def _waiting():
    """Submitted attempts no other transaction holds, oldest first, locked when read.

    A plain index scan in (status, submitted_at) order: unlike a bitmap scan it marks the
    index entries of rows graded since as dead, so a burst does not slow it down.
    """
    return (
        QuizAttempt.objects.select_for_update(skip_locked=True)
        .filter(status=AttemptStatus.SUBMITTED)
        .order_by("submitted_at")
    )


def attempts_grade_waiting(*, seconds: float | None = None) -> tuple[int, bool]:
    """Grade the attempts waiting, oldest first and a batch per transaction, until none is
    left or ``seconds`` (``GRADING_DRAIN_SECONDS``) have passed. Return how many were graded,
    and whether some are still waiting (the caller runs again). Nothing waiting costs one
    query.

    A batch the database refuses (one attempt's row cannot be written) is graded again one
    attempt at a time, so that one attempt fails with the reason and the others are graded:
    a single bad row must not stop grading for the whole city. A dropped connection is not
    such a refusal; it is raised for the task's retry.
    """
    if not QuizAttempt.objects.filter(status=AttemptStatus.SUBMITTED).exists():
        return 0, False
    deadline = time.monotonic() + (GRADING_DRAIN_SECONDS if seconds is None else seconds)
    count = 0
    while True:
        claimed: list[QuizAttempt] = []
        try:
            with transaction.atomic():
                claimed = list(_waiting()[:GRADING_BATCH])
                graded, _failed = _grade_and_save(claimed)
        except TRANSIENT:
            raise
        except DatabaseError:
            if not claimed:
                raise
            logger.exception("A grading batch was refused; grading it one attempt at a time")
            graded = sum(_grade_alone(attempt.pk) for attempt in claimed)
        count += graded
        if len(claimed) < GRADING_BATCH:
            return count, False
        if time.monotonic() >= deadline:
            return count, True


def _grade_alone(attempt_id: int) -> bool:
    """Grade one attempt in a transaction of its own; when the database refuses it, record it
    as failed with the reason (the sweep tries it again later, up to ``MAX_GRADING_TRIES``).
    Whether it was graded."""
    try:
        with transaction.atomic():
            claimed = list(_waiting().filter(pk=attempt_id))
            return _grade_and_save(claimed)[0] == 1
    except TRANSIENT:
        raise
    except DatabaseError as exc:
        logger.exception("Attempt %s could not be written", attempt_id)
        QuizAttempt.objects.filter(pk=attempt_id, status=AttemptStatus.SUBMITTED).update(
            status=AttemptStatus.ERROR,
            error_reason=f"{type(exc).__name__}: {exc}"[:2000],
            grading_tries=F("grading_tries") + 1,
            enqueued_at=timezone.now(),
        )
        return False


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
    """Ids of attempts to grade again, marked as sent now: submitted longer than
    ``STUCK_AFTER`` ago and not sent since (a lost task), and failed fewer than
    ``MAX_GRADING_TRIES`` times, not tried within ``STUCK_AFTER`` (made ``submitted`` again).
    """
    now = now or timezone.now()
    stale = now - STUCK_AFTER
    not_recently_sent = Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=stale)
    rows = list(
        QuizAttempt.objects.select_for_update(skip_locked=True)
        .filter(
            Q(status=AttemptStatus.SUBMITTED, submitted_at__lt=stale)
            | Q(status=AttemptStatus.ERROR, grading_tries__lt=MAX_GRADING_TRIES),
            not_recently_sent,
        )
        .order_by("submitted_at")
        .values_list("pk", flat=True)[:limit]
    )
    QuizAttempt.objects.filter(pk__in=rows).update(status=AttemptStatus.SUBMITTED, enqueued_at=now)
    if rows:
        logger.warning("Grading %d quiz attempt(s) again", len(rows))
    return rows

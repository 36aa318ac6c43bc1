"""Grading services: grade a submitted attempt, record a failure, find what is stuck.

Called from Celery tasks (``courses.tasks``); never from a view. Grading is idempotent: it
only acts on an attempt in ``submitted`` or ``error`` and writes everything, including the
status change, in one transaction with the row locked, so a task delivered twice grades once.
A grading transaction also grades the other attempts waiting for grading (a burst of submits
at the end of a training session), so the worker pays the transaction, the commit and the
follow-up queries once per batch rather than once per attempt, and a task in a worker then
grades what is still waiting, batch by batch (``attempts_grade_waiting``), so a burst is
graded at the pace of the batches, not at the pace of the queue's one task per attempt.
"""

from __future__ import annotations

import datetime as dt
import logging
import time

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from ..models import AttemptStatus, CoursePage, QuizAttempt, QuizPage
from ..signals import attempt_graded, attempt_passed
from .rules import grade_attempt

logger = logging.getLogger(__name__)
User = get_user_model()

#: After this many failed gradings the sweeper stops re-queueing an attempt.
MAX_GRADING_TRIES = 5
#: An attempt in "submitted" longer than this was probably lost with its message.
STUCK_AFTER = dt.timedelta(minutes=2)
#: Seconds of grace after a time limit for answers in flight.
DEADLINE_GRACE_SECONDS = 30


#: Submitted attempts one grading transaction takes on besides its own. Each attempt has a
#: task of its own; under a burst the first task to run grades the waiting ones with its own,
#: so most tasks find their attempt graded and return after one query. Small enough that the
#: transaction (and the lock on the rows) lasts tens of milliseconds.
GRADING_BATCH = 40
#: How long a worker's grading task goes on grading waiting attempts after its own
#: (``attempts_grade_waiting``), in batches: far below the task's time limit, and short
#: enough that the completion checks it collects are queued soon.
GRADING_DRAIN_SECONDS = 3.0

_GRADEABLE = (AttemptStatus.SUBMITTED, AttemptStatus.ERROR)
_GRADED_FIELDS = [
    "score", "max_score", "percent", "passed", "result", "status", "graded_at", "error_reason",
    "grading_tries",
]  # fmt: skip


def _courses_of(quizzes) -> dict[int, CoursePage]:
    """The course page of each quiz, by quiz id: one query for any number of quizzes.

    A quiz is a child of its course in the page tree, so the course's path is the quiz's
    without its last step; this spares ``get_parent().specific`` (two queries) per attempt.
    """
    parent_paths = {quiz.pk: quiz.path[: -QuizPage.steplen] for quiz in quizzes}
    courses = {c.path: c for c in CoursePage.objects.filter(path__in=set(parent_paths.values()))}
    return {quiz_id: courses[path] for quiz_id, path in parent_paths.items() if path in courses}


def _send_graded(attempts: list[QuizAttempt]) -> None:
    """Send ``attempt_graded`` (and ``attempt_passed``) for each attempt just graded.

    The users, quizzes and courses of a batch are read in three queries, not per attempt.
    """
    users = User.objects.in_bulk({attempt.user_id for attempt in attempts})
    quizzes = QuizPage.objects.in_bulk({attempt.quiz_id for attempt in attempts})
    courses = _courses_of(quizzes.values())
    for attempt in attempts:
        attempt.user = users[attempt.user_id]
        attempt.quiz = quiz = quizzes[attempt.quiz_id]
        arguments = {
            "attempt": attempt,
            "user": attempt.user,
            "quiz": quiz,
            "course": courses.get(quiz.pk) or quiz.get_parent().specific,
            "fiscal_year": attempt.fiscal_year,
            "passed": bool(attempt.passed),
        }
        attempt_graded.send(sender=QuizAttempt, **arguments)
        if attempt.passed:
            attempt_passed.send(sender=QuizAttempt, **arguments)


def _grade(attempt: QuizAttempt) -> None:
    """Grade one locked attempt from its snapshot, in memory; the caller sets ``graded_at``
    and saves it."""
    result = grade_attempt(
        attempt.questions, attempt.answers or {}, pass_mark=int(attempt.rules.get("pass_mark", 0))
    )
    attempt.score = result.score
    attempt.max_score = result.max_score
    attempt.percent = result.percent
    attempt.passed = result.passed
    attempt.result = [question.as_json() for question in result.questions]
    attempt.status = AttemptStatus.GRADED
    attempt.error_reason = ""
    attempt.grading_tries += 1


def _save_graded(attempts: list[QuizAttempt]) -> None:
    """Write the graded fields of ``attempts`` in one ``UPDATE ... FROM (VALUES ...)``.

    ``bulk_update`` would build one CASE per field over the whole batch, with the results'
    JSON inlined, which costs more to compile than the grading; one UPDATE per row costs a
    round trip each. Each value is prepared by its model field as ``save()`` would, and cast
    to the column's type.
    """
    if connection.vendor != "postgresql":
        # The demo's SQLite has no ``::`` casts; a few attempts at a time, row by row is fine.
        for attempt in attempts:
            attempt.save(update_fields=_GRADED_FIELDS)
        return
    meta = QuizAttempt._meta
    fields = [meta.pk, *(meta.get_field(name) for name in _GRADED_FIELDS)]
    quote = connection.ops.quote_name
    columns = [f"c{index}" for index in range(len(fields))]
    row = "({})".format(", ".join(["%s"] * len(fields)))
    sql = "UPDATE {table} SET {sets} FROM (VALUES {rows}) AS graded ({columns}) WHERE {pk}".format(
        table=quote(meta.db_table),
        sets=", ".join(
            f"{quote(field.column)} = graded.{column}::{field.db_type(connection)}"
            for field, column in zip(fields[1:], columns[1:], strict=True)
        ),
        rows=", ".join([row] * len(attempts)),
        columns=", ".join(columns),
        pk=f"{quote(meta.db_table)}.{quote(meta.pk.column)} = graded.c0::"
        + meta.pk.rel_db_type(connection),
    )
    params = [
        field.get_db_prep_save(getattr(attempt, field.attname), connection)
        for attempt in attempts
        for field in fields
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _grade_and_save(
    claimed: list[QuizAttempt], own: QuizAttempt | None = None
) -> tuple[list[QuizAttempt], list[int], Exception | None]:
    """Grade the locked attempts ``claimed`` and write those graded in one statement; return
    them, the ids of those whose grading raised (left as they were) and the exception of
    ``own``, if it was one of them."""
    graded, failed, own_error = [], [], None
    for attempt in claimed:
        try:
            _grade(attempt)
        except Exception as exc:  # the snapshot of one attempt must not stop the others
            failed.append(attempt.pk)
            if attempt is own:
                own_error = exc
            continue
        graded.append(attempt)
    if graded:
        now = timezone.now()  # graded_at: when the rows are written, just before commit
        for attempt in graded:
            attempt.graded_at = now
        _save_graded(graded)
        transaction.on_commit(lambda: _send_graded(graded))
    return graded, failed, own_error


def _grade_batch(attempt_id: int) -> tuple[QuizAttempt | None, Exception | None]:
    """Grade ``attempt_id`` and up to ``GRADING_BATCH`` other waiting attempts in one
    transaction; return the attempt (``None`` when another transaction holds it) and the
    exception its grading raised, if any.

    The rows are claimed with ``SKIP LOCKED``: an attempt another worker is grading is left
    to it, so two batches never wait on each other. Only submitted attempts are taken along;
    a failed one waits for its own retry and its backoff. An attempt whose grading raises is
    left as it was for its own task, which records why.
    """
    with transaction.atomic():
        locked = QuizAttempt.objects.select_for_update(skip_locked=True)
        own = locked.filter(pk=attempt_id, status__in=_GRADEABLE).first()
        claimed = [own] if own is not None else []
        claimed += _waiting().exclude(pk=attempt_id)[:GRADING_BATCH]
        _graded, _failed, own_error = _grade_and_save(claimed, own)
    return own, own_error


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


def attempts_grade_waiting(*, seconds: float = GRADING_DRAIN_SECONDS) -> int:
    """Grade the attempts waiting for grading, oldest first and a batch per transaction,
    until none is left or ``seconds`` have passed; return how many were graded.

    A worker's grading task calls this after its own attempt. Under a burst of submits the
    first tasks grade the queue's attempts long before the queue reaches their own tasks,
    which then find them graded; with several worker processes each drains other batches
    (``SKIP LOCKED``). Nothing waiting costs one query. An attempt whose grading raises is
    not tried again here: its own task records why.
    """
    if not QuizAttempt.objects.filter(status=AttemptStatus.SUBMITTED).exists():
        return 0
    deadline = time.monotonic() + seconds
    count, failed = 0, []
    while True:
        with transaction.atomic():
            claimed = list(_waiting().exclude(pk__in=failed)[:GRADING_BATCH])
            graded, failed_now, _own_error = _grade_and_save(claimed)
        count += len(graded)
        failed += failed_now
        if len(claimed) < GRADING_BATCH or time.monotonic() >= deadline:
            return count


def attempt_grade(*, attempt_id: int) -> QuizAttempt:
    """Grade a submitted attempt from its snapshot; a no-op for any other status.

    Graded is final, so an attempt already graded (most often by another attempt's task, in
    its batch) is answered with one plain query. Otherwise the attempt is graded with the
    other waiting ones (``_grade_batch``); when another transaction holds its row, the
    attempt is locked and waited for as before, and graded here if that transaction did not
    grade it (a worker killed mid-grading).
    """
    attempt = QuizAttempt.objects.defer("questions", "answers").get(pk=attempt_id)
    if attempt.status not in _GRADEABLE:
        return attempt
    own, own_error = _grade_batch(attempt_id)
    if own_error is not None:
        raise own_error
    if own is not None:
        return own
    return _attempt_grade_alone(attempt_id=attempt_id)


@transaction.atomic
def _attempt_grade_alone(*, attempt_id: int) -> QuizAttempt:
    """Grade one attempt, waiting for its row lock (the path before batches)."""
    attempt = QuizAttempt.objects.select_for_update().get(pk=attempt_id)
    if attempt.status not in _GRADEABLE:
        return attempt
    _graded, _failed, error = _grade_and_save([attempt], attempt)
    if error is not None:
        raise error
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

"""Celery tasks of the courses app: thin wrappers that take ids and call a service.

``attempt_grade_task`` grades one attempt; it is idempotent (the service only grades an
attempt in ``submitted``/``error``), records the reason of any failure on the attempt and
retries with exponential backoff. In a worker it then grades the attempts still waiting, so
that under a burst most tasks find their attempt graded. ``attempts_sweep_task`` runs
periodically (``CELERY_BEAT_SCHEDULE``): it submits attempts whose time ran out and
re-queues attempts stuck in grading, so that no submission is ever lost.
``worksheets_check_sweep_task`` does the same for SVO worksheets whose automatic checks were
never run.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError

from .grading.batch import (
    attempt_grade,
    attempt_grading_failed,
    attempts_claim_stuck,
    attempts_close_expired,
    attempts_grade_waiting,
)
from .models import QuizAttempt, SvoReview
from .svo.findings import worksheet_check, worksheets_with_stale_findings
from .svo.notifications import review_notify, reviews_to_notify

logger = logging.getLogger(__name__)

_TRANSIENT = (OperationalError, InterfaceError)
_MAIL_TRANSIENT = (OperationalError, InterfaceError, ConnectionError, OSError)


@shared_task(
    bind=True,
    name="courses.attempt_grade",
    acks_late=True,
    max_retries=5,
    soft_time_limit=60,
    time_limit=90,
)
def attempt_grade_task(self, attempt_id: int) -> str:
    """Grade the attempt ``attempt_id``; on failure keep the reason and retry with backoff.

    In a worker the task then grades the other attempts waiting (never in the demo's
    in-process mode, where it runs in the learner's request)."""
    try:
        status = attempt_grade(attempt_id=attempt_id).status
    except QuizAttempt.DoesNotExist:
        logger.info("Attempt %s is gone; nothing to grade", attempt_id)
        return "missing"
    except Exception as exc:
        if not isinstance(exc, _TRANSIENT):
            attempt_grading_failed(attempt_id=attempt_id, reason=f"{type(exc).__name__}: {exc}")
        if self.request.is_eager:
            # In the demo's in-process mode a retry would run at once, in the request; the
            # sweeper retries instead.
            logger.exception("Grading attempt %s failed", attempt_id)
            return "error"
        raise self.retry(exc=exc, countdown=min(2**self.request.retries * 5, 300)) from exc
    if not self.request.is_eager:
        _grade_waiting()
    return status


def _grade_waiting() -> None:
    """Grade the waiting attempts; a failure here is only logged, since each of them still
    has its own task (and the sweeper behind it)."""
    try:
        attempts_grade_waiting()
    except Exception:
        logger.exception("Grading the waiting attempts failed; their own tasks will")


@shared_task(
    bind=True,
    name="courses.attempts_sweep",
    acks_late=True,
    autoretry_for=_TRANSIENT,
    retry_backoff=True,
    max_retries=3,
    soft_time_limit=120,
    time_limit=150,
)
def attempts_sweep_task(self) -> dict:
    """Submit attempts whose time ran out and re-queue attempts stuck in grading."""
    expired = attempts_close_expired()
    stuck = attempts_claim_stuck()
    for attempt_id in [*expired, *stuck]:
        attempt_grade_task.delay(attempt_id)
    return {"expired": len(expired), "requeued": len(stuck)}


@shared_task(
    bind=True,
    name="courses.worksheets_check_sweep",
    acks_late=True,
    autoretry_for=_TRANSIENT,
    retry_backoff=True,
    max_retries=3,
    soft_time_limit=120,
    time_limit=150,
)
def worksheets_check_sweep_task(self) -> int:
    """Queue the automatic checks of worksheets whose findings are stale (a check missed
    while the broker was down); checking is idempotent, so a double run is harmless."""
    worksheet_ids = worksheets_with_stale_findings()
    for worksheet_id in worksheet_ids:
        worksheet_check_task.delay(worksheet_id)
    return len(worksheet_ids)


#: Decisions one sweep sends at most: well within its time limit, even on a slow mail server.
SWEEP_BATCH = 50


@shared_task(
    bind=True,
    name="courses.svo_worksheet_check",
    acks_late=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=60,
    time_limit=90,
)
def worksheet_check_task(self, worksheet_id: int) -> int:
    """Store the automatic findings of the worksheet's changed statements."""
    return worksheet_check(worksheet_id=worksheet_id)


@shared_task(
    bind=True,
    name="courses.svo_review_notify",
    acks_late=True,
    autoretry_for=_MAIL_TRANSIENT,
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=30,
    time_limit=60,
)
def review_notify_task(self, review_id: int) -> bool:
    """E-mail the author the decision of review ``review_id``."""
    try:
        return review_notify(review_id=review_id)
    except SvoReview.DoesNotExist:
        logger.info("Review %s is gone; nothing to send", review_id)
        return False


@shared_task(
    bind=True,
    name="courses.svo_reviews_notify_sweep",
    acks_late=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    max_retries=3,
    soft_time_limit=60,
    time_limit=90,
)
def reviews_notify_sweep_task(self) -> int:
    """Send the e-mail of recent decisions whose author was not told yet, one after another,
    here; return how many were dealt with.

    The first failure (the mail server is down) ends the run and the next sweep tries
    again: an outage costs one attempt a minute, not a task with its retries per decision
    per minute. ``review_notify`` locks each review and sends once, so overlapping sweeps
    and late tasks send nothing twice.
    """
    done = 0
    for review_id in reviews_to_notify(limit=SWEEP_BATCH):
        try:
            review_notify(review_id=review_id)
        except SvoReview.DoesNotExist:
            continue
        except Exception:
            logger.warning("Could not send the e-mail of SVO review %s; the next sweep will",
                           review_id, exc_info=True)  # fmt: skip
            break
        done += 1
    return done

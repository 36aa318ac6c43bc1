"""Celery tasks of SVO worksheets (ids in, idempotent; registered via ``courses.tasks``).

``worksheet_check_task`` runs the automatic checks after a save or submission; it only
re-checks statements whose text changed. ``review_notify_task`` e-mails the author a
reviewer's decision; ``reviews_notify_sweep_task`` (periodic) sends the decisions whose
e-mail was never sent, e.g. because the broker was down when the reviewer decided.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError

from .models import SvoReview
from .svo_findings import worksheet_check
from .svo_notifications import review_notify, reviews_to_notify

logger = logging.getLogger(__name__)

_TRANSIENT = (OperationalError, InterfaceError, ConnectionError, OSError)
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
    autoretry_for=_TRANSIENT,
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

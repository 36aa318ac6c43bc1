"""Celery tasks of the courses app: thin wrappers that call a service (``core.tasks.task``).

``attempts_grade_task`` grades every submitted attempt waiting, a batch per transaction; a
submit asks for it through ``core.queue`` under one key (``GRADING_KEY``), so a burst of
submits is one task, and work submitted while it finishes runs it once more.
``attempts_sweep_task`` (periodic) submits attempts whose time ran out and sends again the
attempts whose grading failed or was lost. ``worksheet_check_task`` stores the automatic
findings of a worksheet after a save; ``review_notify_task`` e-mails a decision, and
``reviews_notify_sweep_task`` (periodic) sends the decisions a mail-server outage held up.
"""

from __future__ import annotations

import logging

from core.queue import enqueue_on_commit
from core.tasks import TRANSIENT, task

from .grading.batch import attempts_claim_stuck, attempts_close_expired, attempts_grade_waiting
from .models import SvoReview
from .svo.findings import worksheet_check
from .svo.notifications import review_notify, reviews_to_notify
from .video.tasks import video_process_task  # noqa: F401 (the worker registers it from here)

logger = logging.getLogger(__name__)

#: The one key all grading work is asked for under (``core.queue`` coalesces by it).
GRADING_KEY = "waiting"
#: A mail server refusing or timing out is worth a retry, as a dropped database is.
_MAIL_TRANSIENT = (*TRANSIENT, ConnectionError, OSError)
#: Decisions one sweep sends at most: well within its time limit, even on a slow mail server.
SWEEP_BATCH = 50


@task(name="courses.attempts_grade", soft_time_limit=60, max_retries=5)
def attempts_grade_task(self) -> int:
    """Grade the submitted attempts waiting, oldest first, for up to 20 seconds; when some
    are still waiting then, ask for another run (the next delivery carries on)."""
    graded, more = attempts_grade_waiting()
    if more:
        enqueue_on_commit(attempts_grade_task, key=GRADING_KEY)
    return graded


@task(name="courses.attempts_sweep", soft_time_limit=120)
def attempts_sweep_task(self) -> dict:
    """Submit attempts whose time ran out; send again what failed or was lost."""
    expired = attempts_close_expired()
    stuck = attempts_claim_stuck()
    if expired or stuck:
        enqueue_on_commit(attempts_grade_task, key=GRADING_KEY)
    return {"expired": len(expired), "requeued": len(stuck)}


@task(name="courses.svo_worksheet_check", soft_time_limit=60, max_retries=5)
def worksheet_check_task(self, worksheet_id: int) -> int:
    """Store the automatic findings of the worksheet's changed statements."""
    return worksheet_check(worksheet_id=worksheet_id)


@task(name="courses.svo_review_notify", soft_time_limit=30, max_retries=5, retry_on=_MAIL_TRANSIENT)
def review_notify_task(self, review_id: int) -> bool:
    """E-mail the author the decision of review ``review_id``."""
    try:
        return review_notify(review_id=review_id)
    except SvoReview.DoesNotExist:
        logger.info("Review %s is gone; nothing to send", review_id)
        return False


@task(name="courses.svo_reviews_notify_sweep", soft_time_limit=60)
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
            logger.warning(
                "Could not send the e-mail of SVO review %s; the next sweep will",
                review_id,
                exc_info=True,
            )
            break
        done += 1
    return done

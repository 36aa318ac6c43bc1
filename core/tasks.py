"""The house Celery task, and the sweep that sends lost work again.

Every task of the project is declared with ``@task(...)``: acknowledged after the work (a
killed worker's task is delivered again), retried with backoff on transient errors, hard-
killed a minute after its soft limit, and, when it was queued through
``core.queue.enqueue_on_commit``, keeping its ``QueuedTask`` row up to date: started, done
(or sent once more when asked again meanwhile), failed with the reason when its retries are
spent, and given up as poison when delivered far more often than it may retry.
"""

from __future__ import annotations

import logging

from celery import Task, shared_task
from django.db import InterfaceError, OperationalError

from . import queue

logger = logging.getLogger(__name__)

#: Errors worth a retry with backoff: the database dropped the connection or is restarting.
TRANSIENT = (OperationalError, InterfaceError)


class QueuedWorkTask(Task):
    """A task that knows the ``QueuedTask`` row it was sent for (``queued_task_id``)."""

    def __call__(self, *args, queued_task_id: int | None = None, **kwargs):
        if queued_task_id is None:  # sent by hand, by beat, or by a test
            return super().__call__(*args, **kwargs)
        poison_after = (self.max_retries or 0) + queue.POISON_MARGIN
        if not queue.queued_task_started(queued_task_id, poison_after=poison_after):
            reason = queue.queued_task_failure(queued_task_id)
            if reason:
                self.given_up(*args, reason=reason, **kwargs)
            return None
        result = super().__call__(*args, **kwargs)
        # The work is done: what follows is bookkeeping, and its errors must not turn a task
        # that succeeded into a failed one (which the sweep would never send again). A row
        # left behind is sent again by the sweep; the task finds nothing more to do.
        try:
            sent_at = queue.queued_task_done(queued_task_id)
            if sent_at is not None:
                queue.send_to_broker(self, queued_task_id, list(args), sent_at)
        except Exception:
            logger.exception("Could not finish queued task %s; the sweep will", queued_task_id)
        return result

    def given_up(self, *args, reason: str, **kwargs) -> None:
        """The work will not be run (poison: every delivery killed its worker). A task whose
        work has a status people see overrides this (``@task(..., given_up=function)``) to
        record the reason there; it is called on each later delivery too, so it must be
        idempotent."""

    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        row_id = (kwargs or {}).get("queued_task_id")
        if row_id is not None:
            queue.queued_task_failed(row_id, reason=f"{type(exc).__name__}: {exc}")
        super().on_failure(exc, task_id, args, kwargs, einfo)


def task(
    *,
    name: str,
    soft_time_limit: int,
    time_limit: int | None = None,
    max_retries: int = 3,
    retry_on: tuple[type[BaseException], ...] = TRANSIENT,
    **options,
):
    """``shared_task`` with the options every task of the project shares.

    ``name`` is explicit and stable: queued messages and the beat schedule name tasks, and
    they must survive a module being moved.
    """
    return shared_task(
        base=QueuedWorkTask,
        name=name,
        bind=True,
        acks_late=True,
        autoretry_for=retry_on,
        retry_backoff=True,
        max_retries=max_retries,
        soft_time_limit=soft_time_limit,
        time_limit=time_limit or soft_time_limit + 60,
        # The row id travels as the keyword ``queued_task_id``, which the task's own
        # signature does not name; Celery's check of arguments at send time would refuse it.
        typing=False,
        **options,
    )


@task(name="core.queued_tasks_sweep", soft_time_limit=60)
def queued_tasks_sweep_task(self) -> int:
    """Send again the queued work whose message was lost (periodic, every minute)."""
    return queue.queued_tasks_send_lost()

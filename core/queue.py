"""The one way to queue work after a commit: record it in the database first, then send it.

``enqueue_on_commit(task, *args, key=...)`` writes a ``QueuedTask`` row in the caller's
transaction and hands the task to the broker once that transaction commits. The task
(``core.tasks.task``) marks the row when it starts and removes it when the work is done.
Whatever goes wrong between the two (the broker is down at commit, Redis restarts empty, a
worker dies with the message), the row stays and ``queued_tasks_sweep`` sends it again: a
lost message delays work and loses none. A broker outage never fails the caller's request.

Asking for the same work twice (the same task and ``key``) is one row and one message. The
rule that makes this safe: every request locks the row until its transaction commits, and a
task that was asked again while it ran (``again``) is sent once more when it ends. So work
recorded while a task is finishing its last batch is never left behind: either the task
starts after that transaction committed and sees the work, or the row says ``again``.

A task delivered more often than its retries allow (a worker killed by the same input each
time) is recorded as failed with the reason and is not run again (the poison limit).
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Sequence
from typing import Any

from celery import current_app
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from .db import is_postgresql
from .models import QueuedTask

logger = logging.getLogger(__name__)

#: A row sent this long ago and not started lost its message: it is sent again.
RESEND_AFTER = dt.timedelta(minutes=2)
#: A started row is given its task's hard time limit plus this before it counts as lost.
STALLED_MARGIN = dt.timedelta(minutes=1)
#: Deliveries beyond a task's retries before it is given up as poison (worker deaths).
POISON_MARGIN = 3
#: Rows one sweep sends at most.
SWEEP_BATCH = 500


def enqueue_on_commit(task, *args: Any, key: str | None = None) -> None:
    """Record that ``task(*args)`` must run and send it once the current transaction commits
    (at once outside a transaction).

    ``key`` names the work for coalescing: while a row with the same task and key waits, a
    second request only joins it; while its task runs, the task is run once more at its end.
    Without a key every call is a work of its own. ``args`` must be JSON.
    """
    now = timezone.now()
    row_id, send = _record(task.name, key or uuid.uuid4().hex, list(args), now)
    if send:
        transaction.on_commit(lambda: send_to_broker(task, row_id, list(args), now), robust=True)


def _record(name: str, key: str, args: list, now: dt.datetime) -> tuple[int, bool]:
    """Write or join the row; return its id and whether this request must send the task."""
    if is_postgresql():
        return _record_postgresql(name, key, args, now)
    with transaction.atomic():
        row = QueuedTask.objects.select_for_update().filter(task=name, key=key).first()
        if row is None:
            row = QueuedTask.objects.create(
                task=name, key=key, args=args, requested_at=now, sent_at=now
            )
            return row.pk, True
        unsent = row.sent_at is None or row.sent_at < now - RESEND_AFTER
        send = row.failed_at is not None or (unsent and row.started_at is None)
        if send:
            row.failed_at, row.failure_reason, row.deliveries = None, "", 0
            row.sent_at, row.started_at, row.again = now, None, False
        elif row.started_at is not None:
            row.again = True
        row.args, row.requested_at = args, now
        row.save()
        return row.pk, send


def _record_postgresql(name: str, key: str, args: list, now: dt.datetime) -> tuple[int, bool]:
    """One statement. ``DO UPDATE`` locks the existing row until the caller commits, so a
    task marking it started or done waits for this transaction and then sees its work. The
    caller sends when the row is new, failed before, or waits unsent or sent so long ago
    that its message is lost: then the statement wrote ``now`` into ``sent_at``."""
    table = connection.ops.quote_name(QueuedTask._meta.db_table)
    revive = (
        f"{table}.failed_at IS NOT NULL OR ({table}.started_at IS NULL"
        f" AND ({table}.sent_at IS NULL OR {table}.sent_at < %(lost_before)s))"
    )
    sql = f"""
        INSERT INTO {table}
            (task, key, args, requested_at, sent_at, again, deliveries, failure_reason)
        VALUES (%(task)s, %(key)s, %(args)s, %(now)s, %(now)s, false, 0, '')
        ON CONFLICT (task, key) DO UPDATE SET
            args = EXCLUDED.args,
            requested_at = EXCLUDED.requested_at,
            again = CASE WHEN {revive} THEN false
                         ELSE {table}.again OR {table}.started_at IS NOT NULL END,
            started_at = CASE WHEN {revive} THEN NULL ELSE {table}.started_at END,
            deliveries = CASE WHEN {revive} THEN 0 ELSE {table}.deliveries END,
            failure_reason = CASE WHEN {revive} THEN '' ELSE {table}.failure_reason END,
            sent_at = CASE WHEN {revive} THEN EXCLUDED.sent_at ELSE {table}.sent_at END,
            failed_at = NULL
        RETURNING id, sent_at
    """
    field = QueuedTask._meta.get_field("args")
    params = {
        "task": name,
        "key": key,
        "args": field.get_db_prep_save(args, connection),
        "now": now,
        "lost_before": now - RESEND_AFTER,
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row_id, sent_at = cursor.fetchone()
    return row_id, sent_at == now


def send_to_broker(task, row_id: int, args: Sequence[Any], sent_at: dt.datetime | None) -> None:
    """Hand the task to the broker; when it cannot be reached, say so on the row (the sweep
    sends it as soon as it can) and carry on."""
    try:
        task.apply_async(args=list(args), kwargs={"queued_task_id": row_id})
    except Exception as exc:
        if task.app.conf.task_always_eager:
            # In-process tasks run inside the send (the demo, most tests): the task itself
            # failed, after its retries, and Celery skips ``on_failure`` when it propagates.
            logger.exception("Task %s (queued %s) failed", task.name, row_id)
            queued_task_failed(row_id, reason=f"{type(exc).__name__}: {exc}")
            return
        logger.exception("Could not send %s (queued %s); the sweep will", task.name, row_id)
        try:
            QueuedTask.objects.filter(pk=row_id, sent_at=sent_at).update(sent_at=None)
        except Exception:  # the sweep still finds it once RESEND_AFTER has passed
            logger.exception("Could not mark queued task %s as not sent", row_id)


def is_waiting_for_broker(task, *, key: str) -> bool:
    """Whether the work ``key`` of ``task`` could not be handed to the broker yet (one query):
    what a page says as "delayed by a system problem"."""
    return QueuedTask.objects.filter(
        task=task.name, key=key, sent_at__isnull=True, failed_at__isnull=True
    ).exists()


# --- the task's side (called by core.tasks.QueuedWorkTask) ---------------------------------


def queued_task_started(row_id: int, *, poison_after: int) -> bool:
    """Mark the row started (one more delivery) and clear ``again``; whether to run.

    False for a row given up before, and for one over the poison limit, which is recorded as
    failed here. A row that is gone (the work was done by an earlier delivery) runs: tasks
    are idempotent, and the duplicate finds nothing to do.
    """
    table = connection.ops.quote_name(QueuedTask._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET started_at = %s, again = false, deliveries = deliveries + 1"
            " WHERE id = %s AND failed_at IS NULL RETURNING deliveries",
            [timezone.now(), row_id],
        )
        row = cursor.fetchone()
    if row is None:
        return not QueuedTask.objects.filter(pk=row_id).exists()
    if row[0] > poison_after:
        queued_task_failed(
            row_id,
            reason=f"Delivered {row[0]} times without finishing (a worker died each time); "
            "not run again.",
        )
        return False
    return True


def queued_task_failure(row_id: int) -> str:
    """The reason the row was given up, or "" when it was not (or is gone)."""
    reason = (
        QueuedTask.objects.filter(pk=row_id, failed_at__isnull=False)
        .values_list("failure_reason", flat=True)
        .first()
    )
    return reason or ""


def queued_task_done(row_id: int) -> dt.datetime | None:
    """The work is done: remove the row, unless it was asked for again while the task ran;
    then mark it sent again, as a fresh piece of work (its deliveries start again from
    zero: a task asked for again and again is not poison), and return when (the caller
    sends it with ``send_to_broker``). None when there is nothing more to do."""
    for _ in range(3):
        deleted, _by_model = QueuedTask.objects.filter(pk=row_id, again=False).delete()
        if deleted:
            return None
        now = timezone.now()
        resent = QueuedTask.objects.filter(pk=row_id, again=True).update(
            again=False, started_at=None, sent_at=now, deliveries=0
        )
        if resent:
            return now
        if not QueuedTask.objects.filter(pk=row_id).exists():
            return None
    return None


def queued_task_failed(row_id: int, *, reason: str) -> None:
    """The task gave up (its retries are spent): keep the row with the reason, unsent."""
    QueuedTask.objects.filter(pk=row_id).update(
        failed_at=timezone.now(), failure_reason=reason[:2000], started_at=None
    )


# --- the sweep ---------------------------------------------------------------------------


def _time_limit(name: str) -> dt.timedelta:
    task = current_app.tasks.get(name)
    seconds = getattr(task, "time_limit", None) or current_app.conf.task_time_limit or 3600
    return dt.timedelta(seconds=seconds) + STALLED_MARGIN


@transaction.atomic
def queued_tasks_claim_lost(*, now: dt.datetime) -> list[QueuedTask]:
    """The rows whose message is lost, marked as sent ``now`` (``SKIP LOCKED``: two sweeps
    take different rows): never sent, sent more than ``RESEND_AFTER`` ago and not started,
    or started longer ago than their task's hard time limit allows. Never-sent rows (the
    broker was down) come first."""
    candidates = list(
        QueuedTask.objects.select_for_update(skip_locked=True)
        .filter(failed_at__isnull=True)
        .exclude(sent_at__gt=now - RESEND_AFTER)
        .order_by(F("sent_at").asc(nulls_first=True), "pk")[:SWEEP_BATCH]
    )
    lost = [
        row
        for row in candidates
        if row.started_at is None or row.started_at < now - _time_limit(row.task)
    ]
    QueuedTask.objects.filter(pk__in=[row.pk for row in lost]).update(
        sent_at=now, started_at=None, again=False
    )
    return lost


def queued_tasks_send_lost(*, now: dt.datetime | None = None) -> int:
    """Send the lost rows again (the periodic sweep); return how many. A task no longer
    known (renamed in a release) is recorded as failed, with its name in the reason."""
    now = now or timezone.now()
    lost = queued_tasks_claim_lost(now=now)
    sent = 0
    for row in lost:
        task = current_app.tasks.get(row.task)
        if task is None:
            queued_task_failed(row.pk, reason=f"No task is called {row.task!r}.")
            continue
        send_to_broker(task, row.pk, row.args, now)
        sent += 1
    if lost:
        logger.warning("Sent %d queued task(s) again", sent)
    return sent

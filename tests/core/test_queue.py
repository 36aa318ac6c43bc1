"""Work queued after a commit is recorded first, sent once, joined when asked twice, sent
again when lost, and given up as poison when it keeps killing its worker."""

from __future__ import annotations

import datetime as dt
import threading
from unittest import mock

import pytest
from django.db import connection, connections, transaction
from kombu.exceptions import OperationalError as BrokerDown

from core import queue
from core.models import QueuedTask
from core.tasks import task

RAN: list = []


@task(name="tests.core.record", soft_time_limit=5, max_retries=1)
def record_task(self, value):
    RAN.append(value)
    return value


@task(name="tests.core.explode", soft_time_limit=5, max_retries=0, retry_on=())
def explode_task(self, value):
    raise ValueError(f"bad input {value}")


@task(name="tests.core.busy", soft_time_limit=5, max_retries=1)
def busy_task(self, row_id, runs):
    """Work during which someone asks for the same work once more (its own row), for its
    first ``runs`` runs."""
    RAN.append(row_id)
    if len(RAN) <= runs:
        QueuedTask.objects.filter(pk=row_id).update(again=True)


@pytest.fixture(autouse=True)
def _forget():
    RAN.clear()
    yield
    RAN.clear()


pytestmark = pytest.mark.django_db


def test_work_is_recorded_in_the_transaction_and_sent_once_it_commits(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            queue.enqueue_on_commit(record_task, 7)
            row = QueuedTask.objects.get()
            assert (row.task, row.args) == ("tests.core.record", [7])
            assert RAN == []  # nothing runs before the commit
    assert len(callbacks) == 1
    assert RAN == [7]
    assert not QueuedTask.objects.exists()  # done: the row is gone


def test_a_rolled_back_transaction_queues_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            queue.enqueue_on_commit(record_task, 1)
            raise RuntimeError
    assert RAN == []
    assert not QueuedTask.objects.exists()


def test_asking_twice_for_the_same_work_is_one_row_and_one_message(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        queue.enqueue_on_commit(record_task, 1, key="same")
        queue.enqueue_on_commit(record_task, 2, key="same")
        queue.enqueue_on_commit(record_task, 3, key="other")
    assert len(callbacks) == 2
    assert QueuedTask.objects.count() == 2
    assert QueuedTask.objects.get(key="same").args == [2]  # the latest arguments


class Broker:
    """Sending fails as it does with a real broker unreachable (tasks not in-process)."""

    def __init__(self) -> None:
        self._patch = mock.patch.object(record_task, "apply_async", side_effect=BrokerDown("x"))
        self._conf = record_task.app.conf
        self._eager = self._conf.task_always_eager

    def down(self) -> None:
        self._conf.task_always_eager = False
        self._patch.start()

    def up(self) -> None:
        self._patch.stop()
        self._conf.task_always_eager = self._eager


@pytest.fixture
def broker():
    broker = Broker()
    yield broker
    mock.patch.stopall()
    record_task.app.conf.task_always_eager = broker._eager


def test_a_broker_outage_leaves_the_row_and_the_sweep_sends_it_when_back(
    django_capture_on_commit_callbacks, broker
):
    broker.down()
    with django_capture_on_commit_callbacks(execute=True):
        queue.enqueue_on_commit(record_task, 5, key="k")  # the request does not fail
    row = QueuedTask.objects.get()
    assert row.sent_at is None
    assert queue.is_waiting_for_broker(record_task, key="k")
    assert RAN == []
    assert queue.queued_tasks_send_lost() == 1  # still down: the row stays unsent
    assert queue.is_waiting_for_broker(record_task, key="k")

    broker.up()
    assert queue.queued_tasks_send_lost() == 1
    assert RAN == [5]
    assert not QueuedTask.objects.exists()
    assert not queue.is_waiting_for_broker(record_task, key="k")


def test_a_message_lost_after_sending_is_sent_again_after_a_while(settings):
    row = QueuedTask.objects.create(task=record_task.name, key="k", args=[9])
    now = row.requested_at
    QueuedTask.objects.filter(pk=row.pk).update(sent_at=now)
    assert queue.queued_tasks_send_lost(now=now + queue.RESEND_AFTER / 2) == 0
    assert queue.queued_tasks_send_lost(now=now + queue.RESEND_AFTER * 2) == 1
    assert RAN == [9]


def test_work_never_sent_is_swept_before_work_that_stalled(monkeypatch):
    """After a broker outage the unsent rows go first, whatever the database's order of
    NULLs (last on PostgreSQL)."""
    monkeypatch.setattr(queue, "SWEEP_BATCH", 1)
    stalled = QueuedTask.objects.create(task=record_task.name, key="stalled", args=[1])
    unsent = QueuedTask.objects.create(task=record_task.name, key="unsent", args=[2])
    long_ago = stalled.requested_at - dt.timedelta(days=1)
    QueuedTask.objects.filter(pk=stalled.pk).update(sent_at=long_ago, started_at=long_ago)
    QueuedTask.objects.filter(pk=unsent.pk).update(sent_at=None)
    assert [row.pk for row in queue.queued_tasks_claim_lost(now=stalled.requested_at)] == [
        unsent.pk
    ]


def test_asked_again_while_running_runs_once_more_at_the_end():
    row = QueuedTask.objects.create(task=record_task.name, key="k", args=[1])
    QueuedTask.objects.filter(pk=row.pk).update(sent_at=row.requested_at)
    assert queue.queued_task_started(row.pk, poison_after=5)
    queue.enqueue_on_commit(record_task, 1, key="k")  # while it runs: joins, no message
    assert RAN == []
    row.refresh_from_db()
    assert row.again is True
    assert queue.queued_task_done(row.pk) is not None  # the caller sends it again
    row.refresh_from_db()
    assert (row.again, row.started_at) == (False, None)
    assert queue.queued_task_done(row.pk) is None
    assert not QueuedTask.objects.exists()


def test_work_asked_for_again_and_again_is_not_mistaken_for_poison():
    row = QueuedTask.objects.create(task=busy_task.name, key="k", args=[])
    limit = busy_task.max_retries + queue.POISON_MARGIN
    with mock.patch.object(queue, "send_to_broker"):  # each run's next message, not run here
        for _ in range(limit * 3):  # a long burst: every run is asked for once more
            busy_task.apply(args=[row.pk, limit * 3], kwargs={"queued_task_id": row.pk}).get()
            row.refresh_from_db()
            assert row.failed_at is None, row.failure_reason
    assert len(RAN) == limit * 3


def test_a_broker_outage_when_sending_again_leaves_the_work_to_the_sweep():
    row = QueuedTask.objects.create(task=busy_task.name, key="k")
    QueuedTask.objects.filter(pk=row.pk).update(args=[row.pk, 1])
    conf = busy_task.app.conf
    eager, conf.task_always_eager = conf.task_always_eager, False
    try:
        with mock.patch.object(busy_task, "apply_async", side_effect=BrokerDown("x")):
            result = busy_task.apply(args=[row.pk, 1], kwargs={"queued_task_id": row.pk})
    finally:
        conf.task_always_eager = eager
    assert result.successful()  # the work was done; only the next message is delayed
    row.refresh_from_db()
    assert (row.failed_at, row.sent_at) == (None, None)  # not failed: the sweep sends it
    assert queue.queued_tasks_send_lost() == 1
    assert RAN == [row.pk, row.pk]
    assert not QueuedTask.objects.exists()


def test_a_task_that_keeps_dying_is_given_up_as_poison():
    row = QueuedTask.objects.create(task=record_task.name, key="k", args=[1])
    limit = record_task.max_retries + queue.POISON_MARGIN
    for _ in range(limit):  # each delivery's worker died before finishing
        assert queue.queued_task_started(row.pk, poison_after=limit)
    record_task.apply(args=[1], kwargs={"queued_task_id": row.pk})
    assert RAN == []  # not run again
    row.refresh_from_db()
    assert row.failed_at is not None
    assert "not run again" in row.failure_reason
    assert queue.queued_tasks_send_lost(now=row.failed_at + queue.RESEND_AFTER * 10) == 0


def test_a_task_that_fails_keeps_the_reason_and_asking_again_revives_it(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        queue.enqueue_on_commit(explode_task, 3, key="k")
    row = QueuedTask.objects.get()
    assert row.failed_at is not None
    assert row.failure_reason == "ValueError: bad input 3"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        queue.enqueue_on_commit(explode_task, 4, key="k")
    assert len(callbacks) == 1  # a failed row asked for again is sent again
    row.refresh_from_db()
    assert (row.failed_at, row.failure_reason, row.deliveries) == (None, "", 0)


def test_a_task_renamed_away_is_recorded_as_failed():
    row = QueuedTask.objects.create(task="gone.task", key="k")
    assert queue.queued_tasks_send_lost(now=row.requested_at) == 0
    row.refresh_from_db()
    assert "gone.task" in row.failure_reason


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_work_recorded_while_the_task_finishes_is_never_left_behind():
    """The task ends (its last batch found nothing) while another transaction asks for the
    same work and has not committed: the end waits for that commit, sees ``again`` and
    sends the task once more."""
    row = QueuedTask.objects.create(task=record_task.name, key="k", args=[1])
    QueuedTask.objects.filter(pk=row.pk).update(sent_at=row.requested_at)
    assert queue.queued_task_started(row.pk, poison_after=5)
    asked, release = threading.Event(), threading.Event()

    def ask() -> None:
        try:
            with transaction.atomic():
                queue.enqueue_on_commit(record_task, 1, key="k")
                asked.set()
                release.wait(10)
        finally:
            connections.close_all()

    asker = threading.Thread(target=ask)
    asker.start()
    assert asked.wait(10)
    result: list = []
    finisher = threading.Thread(
        target=lambda: (result.append(queue.queued_task_done(row.pk)), connections.close_all())
    )
    finisher.start()
    finisher.join(0.5)
    assert finisher.is_alive()  # waiting for the asker's lock
    release.set()
    asker.join(10)
    finisher.join(10)
    assert len(result) == 1 and result[0] is not None  # sent again
    assert QueuedTask.objects.filter(pk=row.pk, again=False, started_at=None).exists()
    assert connection.vendor == "postgresql"

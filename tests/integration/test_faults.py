"""Faults with real processes: nothing a learner or HR submits is lost or applied twice.

* Redis stops while a learner submits a quiz and a worksheet: both are saved with the work
  they need (``core.queue``), the learner is told grading is delayed, and once Redis is back a
  real ``celery beat`` sweeps that work to a real worker, which grades the quiz and checks the
  worksheet.
* A worker is killed (SIGKILL) in the middle of grading: a new worker gets the task again
  (``acks_late``) and the attempt is graded exactly once, counted by the ``attempt_graded``
  signals the workers sent.
* PostgreSQL drops the worker's connection during a roster import apply: nothing is half
  applied, the import says what happened, and the task's retry applies it.

The shared Redis is never touched: each scenario runs its own throwaway ``redis-server`` and
workers of its own, started and stopped here.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.db import connection, connections
from django.urls import reverse

from courses.models import AttemptStatus, QuestionType, QuizAttempt, WorksheetStatus
from courses.services import attempt_grading_delayed
from lms.models import User
from org.models import OrgUnit, RoleGroup, RosterImport
from tests.factories import GOOD_STATEMENT, UserFactory, make_course, make_question
from tests.factories.svo import make_svo_exercise, make_worksheet
from tests.helpers.processes import ROOT, database_url, forget_broker_connections, tail

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

START_TIMEOUT = 60
STOP_TIMEOUT = 20


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait(predicate, *, timeout: float, what: str, log: str = "") -> object:
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"Timed out after {timeout} s waiting until {what}.\n{log}", pytrace=False)
        time.sleep(0.1)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass
class FaultRig:
    """A throwaway Redis on a free port and the Celery processes of one scenario."""

    tmp: Path
    port: int = field(default_factory=_free_port)
    queue: str = field(default_factory=lambda: f"dx-faults-{uuid.uuid4().hex[:10]}")
    redis: subprocess.Popen | None = None
    processes: list[subprocess.Popen] = field(default_factory=list)

    @property
    def broker_url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    @property
    def signal_log(self) -> Path:
        return self.tmp / "attempt_graded.log"

    def graded_signals(self, attempt_id: int) -> int:
        """How many times a worker sent ``attempt_graded`` for the attempt."""
        if not self.signal_log.exists():
            return 0
        return self.signal_log.read_text().split().count(str(attempt_id))

    # --- Redis ---------------------------------------------------------------------------

    def redis_start(self) -> None:
        import redis

        self.redis = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.tmp)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
        )  # fmt: skip

        def answers() -> bool:
            try:
                return bool(redis.Redis(port=self.port, socket_connect_timeout=1).ping())
            except redis.RedisError:
                return False

        _wait(answers, timeout=10, what=f"redis-server answers on port {self.port}")

    def redis_stop(self) -> None:
        if self.redis is not None:
            _stop(self.redis)
            self.redis = None

    # --- Celery --------------------------------------------------------------------------

    def _env(self) -> dict[str, str]:
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": database_url(connection.settings_dict),
            "CELERY_INTEGRATION_BROKER_URL": self.broker_url,
            "CELERY_INTEGRATION_QUEUE": self.queue,
            # Re-deliver the task of a killed worker after 2 s, scanning every second.
            "CELERY_VISIBILITY_TIMEOUT": "2",
            "CELERY_UNACKED_RESTORE_INTERVAL": "1",
            "CELERY_UNACKED_RESTORE_THROTTLE": "1",
            "COURSES_SWEEP_SECONDS": "1",
            "CORE_QUEUE_SWEEP_SECONDS": "1",
            "FAULTS_SIGNAL_LOG": str(self.signal_log),
            "PYTHONUNBUFFERED": "1",
        }

    def _spawn(self, name: str, arguments: list[str]) -> subprocess.Popen:
        log_path = self.tmp / f"{name}.log"
        with log_path.open("ab") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "tests.integration.faults_worker_app",
                 *arguments],
                cwd=ROOT, env=self._env(), stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )  # fmt: skip
        process.log_path = log_path  # type: ignore[attr-defined]
        self.processes.append(process)
        return process

    def worker_start(self, name: str) -> subprocess.Popen:
        """A worker on this rig's queue; returns once it answers a ping."""
        from config.celery_app import app

        hostname = f"{name}-{self.queue}@localhost"
        process = self._spawn(
            name,
            ["worker", "--pool=solo", "--concurrency=1", "-Q", self.queue, "-n", hostname,
             "-l", "info", "--without-gossip", "--without-mingle", "--without-heartbeat"],
        )  # fmt: skip

        def answers() -> bool:
            if process.poll() is not None:
                pytest.fail(f"Worker {name} exited:\n{self.log(process)}", pytrace=False)
            return bool(app.control.ping(destination=[hostname], timeout=0.5))

        _wait(answers, timeout=START_TIMEOUT, what=f"worker {name} answers a ping")
        return process

    def beat_start(self) -> subprocess.Popen:
        return self._spawn(
            "beat", ["beat", "-l", "info", "-s", str(self.tmp / "beat-schedule"), "--pidfile="]
        )

    @staticmethod
    def log(process: subprocess.Popen) -> str:
        return tail(process.log_path)  # type: ignore[attr-defined]

    def logs(self) -> str:
        return "\n".join(f"--- {p.args[5]}:\n{self.log(p)}" for p in self.processes)

    def stop_all(self) -> None:
        for process in self.processes:
            _stop(process)
        self.redis_stop()


@pytest.fixture
def rig(live_celery_worker, tmp_path):
    """A throwaway Redis; this process's Celery app sends to it while the test runs."""
    from config.celery_app import app

    rig = FaultRig(tmp=tmp_path)
    rig.redis_start()
    saved = {key: app.conf[key] for key in ("broker_url", "task_default_queue")}
    app.conf.update(broker_url=rig.broker_url, task_default_queue=rig.queue)
    forget_broker_connections(app)
    try:
        yield rig
    finally:
        rig.stop_all()
        app.conf.update(saved)
        forget_broker_connections(app)


class RowLock:
    """``SELECT ... FOR UPDATE`` on one row from a connection of its own, held until released.

    Work that needs the row waits, so a test can fault a process while it is in the middle.
    """

    def __init__(self, table: str, pk: int) -> None:
        self.connection = connections.create_connection("default")
        self.connection.set_autocommit(False)
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            self.pid = cursor.fetchone()[0]
            cursor.execute(f"SELECT id FROM {table} WHERE id = %s FOR UPDATE", [pk])

    def waiting_pids(self) -> list[int]:
        """Backends waiting for this lock, directly or queued behind another waiter (the
        second waiter for a row waits for the first one's tuple lock)."""
        observer = connections.create_connection("default")
        try:
            with observer.cursor() as cursor:
                cursor.execute(
                    "SELECT pid, pg_blocking_pids(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND cardinality(pg_blocking_pids(pid)) > 0"
                )
                blocked = dict(cursor.fetchall())
        finally:
            observer.close()
        waiting: set[int] = set()
        chain = {self.pid}
        while True:
            found = {pid for pid, blockers in blocked.items() if chain & set(blockers)} - waiting
            if not found:
                return sorted(waiting)
            waiting |= found
            chain |= found

    def terminate(self, pid: int) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])

    def release(self) -> None:
        self.connection.close()  # ends the transaction, so the lock goes


class TableLock(RowLock):
    """``LOCK TABLE ... IN SHARE MODE`` from a connection of its own: rows can still be read
    and locked for update, but nobody writes to the table until it is released. Grading
    claims its attempts and then waits to write them: in the middle of its transaction."""

    def __init__(self, table: str) -> None:
        self.connection = connections.create_connection("default")
        self.connection.set_autocommit(False)
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            self.pid = cursor.fetchone()[0]
            cursor.execute(f"LOCK TABLE {table} IN SHARE MODE")


# --- Redis stopped while a learner submits -------------------------------------------------


def test_submissions_while_redis_is_down_are_saved_and_graded_when_it_returns(rig, client):
    learner = UserFactory()
    client.force_login(learner)
    client.cookies["django_language"] = "en"
    parts = make_course(questions=[make_question(QuestionType.SHORT)], slug="faults-redis")
    exercise = make_svo_exercise(parts["course"], min_statements=1, max_statements=3)
    worksheet = make_worksheet(learner, exercise, statements=1)
    statement = worksheet.statements.get()
    worker = rig.worker_start("worker")

    attempt_page = client.post(reverse("courses:quiz_start", args=[parts["quiz"].pk]))
    attempt = QuizAttempt.objects.get(user=learner)
    assert attempt_page.status_code == 302
    key = attempt.questions[0]["key"]

    rig.redis_stop()  # ---------------------------------------------------------- outage
    started = time.monotonic()
    submitted = client.post(
        reverse("courses:attempt_submit", args=[attempt.pk]), {key: "ｄｘ"}, follow=True
    )
    sent = client.post(
        reverse("courses:svo_worksheet", args=[exercise.pk]),
        {
            "lock_version": worksheet.lock_version,
            "rows": 1,
            "action": "submit",
            **{f"s-0-{name}": value for name, value in GOOD_STATEMENT.items()},
            "s-0-id": statement.pk,
        },
        follow=True,
    )
    outage_requests = time.monotonic() - started

    assert submitted.status_code == 200
    assert "Grading is delayed by a system problem" in submitted.text
    assert sent.status_code == 200
    assert "Submitted for review" in sent.text
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.SUBMITTED
    assert attempt_grading_delayed(attempt)  # recorded, not sent: for the sweep
    assert attempt.answers == {key: "ｄｘ"}
    worksheet.refresh_from_db()
    assert worksheet.status == WorksheetStatus.SUBMITTED
    statement.refresh_from_db()
    assert statement.checked_text != statement.check_text  # the check never ran

    rig.redis_start()  # -------------------------------------------------------- back again
    rig.beat_start()

    def graded_and_checked() -> bool:
        attempt.refresh_from_db()
        statement.refresh_from_db()
        return attempt.status == AttemptStatus.GRADED and statement.checked_text != ""

    _wait(graded_and_checked, timeout=60, what="beat sweeps and the worker grades and checks",
          log=rig.logs())  # fmt: skip
    assert attempt.passed is True
    assert statement.checked_text == statement.check_text
    assert rig.graded_signals(attempt.pk) == 1
    assert worker.poll() is None  # the worker rode out the outage
    assert outage_requests < 15, f"requests during the outage took {outage_requests:.1f} s"


# --- a worker killed while grading ---------------------------------------------------------


def test_a_worker_killed_while_grading_is_replaced_and_the_attempt_graded_once(rig):
    from config.celery_app import app
    from courses.services import attempt_start, attempt_submit
    from courses.tasks import attempts_grade_task

    learner = UserFactory()
    quiz = make_course(questions=[make_question(QuestionType.SHORT)], slug="faults-kill")["quiz"]
    attempt = attempt_start(user=learner, quiz=quiz)
    with mock.patch.object(attempts_grade_task, "apply_async") as queued:
        attempt_submit(attempt_id=attempt.pk, user=learner, responses={"q1": "DX"})
    queued.assert_called_once()

    first = rig.worker_start("first")
    lock = TableLock(QuizAttempt._meta.db_table)
    try:
        attempts_grade_task.apply_async(**queued.call_args.kwargs)  # what the commit queued
        # The worker took the task, claimed the attempt and waits to write its grade.
        grading = _wait(lock.waiting_pids, timeout=30, what="the worker is grading",
                        log=rig.log(first))  # fmt: skip
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        for pid in grading:  # what PostgreSQL does when it notices the client is gone
            lock.terminate(pid)
    finally:
        lock.release()
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.SUBMITTED
    assert rig.graded_signals(attempt.pk) == 0

    second = rig.worker_start("second")

    def graded() -> bool:
        attempt.refresh_from_db()
        return attempt.status == AttemptStatus.GRADED

    _wait(graded, timeout=60, what="the new worker grades the re-delivered task",
          log=rig.log(second))  # fmt: skip

    # A duplicate delivery (the sweeper, or a second re-delivery) must change nothing.
    duplicate = f"dup-{uuid.uuid4().hex}"
    attempts_grade_task.apply_async(task_id=duplicate)
    _wait(lambda: f"[{duplicate}] succeeded" in rig.log(second), timeout=30,
          what="the worker has handled the duplicate", log=rig.log(second))  # fmt: skip
    time.sleep(3)  # longer than the visibility timeout: any other re-delivery shows up
    attempt.refresh_from_db()
    assert attempt.passed is True
    assert attempt.grading_tries == 1
    assert rig.graded_signals(attempt.pk) == 1
    assert not app.control.ping(destination=["first-" + rig.queue + "@localhost"], timeout=0.5)


# --- PostgreSQL drops the worker's connection during a roster import -----------------------

ROSTER_CSV = (
    "職員番号,氏名,フリガナ,メールアドレス,部,課,係,職名,雇用区分\n"
    "FT0001,青木 一郎,アオキ イチロウ,ft-aoki@city.example.jp,障害部,復旧課,,係長,正規\n"
    "FT0002,井上 花子,イノウエ ハナコ,ft-inoue@city.example.jp,障害部,復旧課,,主事,正規\n"
    "FT0003,上田 次郎,ウエダ ジロウ,ft-ueda@city.example.jp,障害部,復旧課,,課長,正規\n"
)


def test_a_dropped_database_connection_applies_nothing_and_the_retry_applies_all(
    live_celery_worker, wait_until
):
    from org.roster.services import roster_import_create
    from org.tasks import roster_import_apply_task

    uploader = User.objects.create_user("FT9999", display_name="人事 担当", is_staff=True)
    uploader.groups.add(Group.objects.get_or_create(name=RoleGroup.HR)[0])  # only HR uploads
    # Already in the database; the roster makes him 課長 of a unit that does not exist yet.
    existing = User.objects.create_user("FT0003", display_name="上田 次郎", email="")
    roster_import = roster_import_create(
        uploaded_by=uploader,
        file_name="roster.csv",
        content=ROSTER_CSV.encode("utf-8"),
        full_roster=False,
    )

    def settled(*statuses):
        def check() -> bool:
            roster_import.refresh_from_db()
            return roster_import.status in statuses

        return check

    Status = RosterImport.Status
    wait_until(settled(Status.PREVIEWED, Status.INVALID, Status.FAILED))
    assert roster_import.status == Status.PREVIEWED, roster_import.errors
    assert (roster_import.created_count, roster_import.updated_count) == (2, 1)

    lock = RowLock(User._meta.db_table, existing.pk)
    try:
        roster_import_apply_task.delay(roster_import.pk)
        # Units and the two new people are written; the worker waits to update the third.
        applying = _wait(lock.waiting_pids, timeout=30, what="the worker applies the import",
                         log=live_celery_worker.log())  # fmt: skip
        for pid in applying:
            lock.terminate(pid)  # the connection drops in the middle of the transaction

        def failure_recorded() -> bool:
            roster_import.refresh_from_db()
            return bool(roster_import.failure_reason)

        _wait(failure_recorded, timeout=30, what="the import records the failure",
              log=live_celery_worker.log())  # fmt: skip
        # Nothing of the interrupted transaction is there; the retry waits for the lock.
        assert roster_import.status == Status.APPLYING
        assert "OperationalError" in roster_import.failure_reason
        assert not User.objects.filter(employee_number__in=["FT0001", "FT0002"]).exists()
        assert not OrgUnit.objects.filter(name="障害部").exists()
        existing.refresh_from_db()
        assert existing.unit_id is None
    finally:
        lock.release()

    wait_until(settled(Status.APPLIED, Status.FAILED), timeout=60)
    assert roster_import.status == Status.APPLIED, roster_import.failure_reason
    assert roster_import.failure_reason == ""
    people = User.objects.filter(employee_number__in=["FT0001", "FT0002", "FT0003"])
    assert people.count() == 3
    existing.refresh_from_db()
    assert existing.unit.name == "復旧課"

"""Fixtures for the integration layer: real PostgreSQL, real Redis, a real Celery worker process.

The worker is a separate ``celery worker`` process, started once per session against the same
test database as the tests (so tests use ``django_db(transaction=True)``: the worker only sees
committed rows) and a Redis database and queue of its own, so parallel runs do not collide.
While it runs, this process's Celery app sends to that queue instead of running tasks eagerly.

Without PostgreSQL or REDIS_URL these tests skip with the reason; with ``CI=true`` they fail.
``scripts/run_tests.py`` (``make test``) finds or starts both services.
"""

import functools
import os
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.helpers.processes import (
    ROOT,
    database_url,
    delete_queue,
    forget_broker_connections,
    private_redis_url,
    tail,
)

WORKER_START_TIMEOUT = 60  # seconds; a cold start imports Django, Wagtail and every app
WORKER_STOP_TIMEOUT = 20
WORKER_IDLE_TIMEOUT = 60  # seconds; a test's last task, e.g. an import of thousands of rows


def _ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes", "on"}


def _missing_services() -> str | None:
    """Why the integration layer cannot run here, or None."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return (
            f"integration tests need PostgreSQL; the test database is {connection.vendor} "
            "(set DATABASE_URL, or run `make test`)"
        )
    if not os.environ.get("REDIS_URL"):
        return "integration tests need Redis: set REDIS_URL, or run `make test`"
    return None


def _require_services() -> None:
    reason = _missing_services()
    if reason:
        if _ci():
            pytest.fail(f"CI=true: {reason}", pytrace=False)
        pytest.skip(reason)


@functools.cache
def _control_app(broker_url: str):
    """A bare Celery app on the worker's broker, to ask it what it holds.

    Not the project's app: a fault test may point that one at another broker meanwhile.
    """
    from celery import Celery

    return Celery("dx-it-control", broker=broker_url, set_as_current=False)


@dataclass(frozen=True)
class LiveWorker:
    """What a test may need to know about the running worker."""

    hostname: str
    queue: str
    broker_url: str
    media_root: Path
    log_path: Path

    def log(self) -> str:
        return tail(self.log_path)

    def wait_idle(self, timeout: float = WORKER_IDLE_TIMEOUT) -> None:
        """Wait until the worker holds no task: none queued, received, scheduled or running.

        A test's last task may still run when the test ends; the flush that follows a
        transactional test would then meet the worker's locks (PostgreSQL aborts one side as a
        deadlock, and ``flush`` fails). The solo pool answers control messages only between
        tasks, so no answer means it is busy.
        """
        import redis

        inspect = _control_app(self.broker_url).control.inspect(
            destination=[self.hostname], timeout=1.0, limit=1
        )
        client = redis.Redis.from_url(self.broker_url, socket_connect_timeout=3)
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline:
                state = {"queued": client.llen(self.queue)}
                for call in (inspect.active, inspect.reserved, inspect.scheduled):
                    state[call.__name__] = call()
                if not state["queued"] and all(
                    reply and not any(reply.values()) for reply in list(state.values())[1:]
                ):
                    return
                time.sleep(0.1)
        finally:
            client.close()
        pytest.fail(
            f"The Celery worker was still busy {timeout} s after the test ({state}):\n{self.log()}",
            pytrace=False,
        )


@pytest.fixture(scope="session")
def live_celery_worker(django_db_setup, django_db_blocker, tmp_path_factory):
    """A real ``celery worker`` process on the test database, a private queue and Redis DB."""
    _require_services()
    from django.db import connection

    from config.celery_app import app

    queue = f"dx-it-{uuid.uuid4().hex[:12]}"
    hostname = f"{queue}@localhost"
    broker_url = private_redis_url(os.environ["REDIS_URL"])
    media_root = tmp_path_factory.mktemp("worker-media")
    log_path = tmp_path_factory.mktemp("worker-log") / "celery.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(connection.settings_dict),
        "CELERY_INTEGRATION_BROKER_URL": broker_url,
        "CELERY_INTEGRATION_QUEUE": queue,
        "DX_TEST_SHARED_CACHE_URL": broker_url,
        "MEDIA_ROOT": str(media_root),
        "PYTHONUNBUFFERED": "1",
    }
    command = [
        sys.executable, "-m", "celery", "-A", "config", "worker",
        "--pool=solo", "--concurrency=1", "-Q", queue, "-n", hostname, "-l", "info",
        "--without-gossip", "--without-mingle",
    ]  # fmt: skip
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )  # fmt: skip

    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager",
                                            "task_default_queue")}  # fmt: skip
    app.conf.update(broker_url=broker_url, task_always_eager=False, task_default_queue=queue)
    forget_broker_connections(app)
    try:
        deadline = time.monotonic() + WORKER_START_TIMEOUT
        while not app.control.ping(destination=[hostname], timeout=1.0):
            if process.poll() is not None:
                pytest.fail(
                    f"The Celery worker exited with {process.returncode}:\n{tail(log_path)}",
                    pytrace=False,
                )
            if time.monotonic() > deadline:
                pytest.fail(
                    f"The Celery worker did not answer a ping within {WORKER_START_TIMEOUT} s:"
                    f"\n{tail(log_path)}",
                    pytrace=False,
                )
        yield LiveWorker(hostname, queue, broker_url, media_root, log_path)
    finally:
        # Stop the worker before pytest-django drops the test database it is connected to.
        if process.poll() is None:
            process.terminate()  # warm shutdown
            try:
                process.wait(timeout=WORKER_STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        app.conf.update(saved)
        forget_broker_connections(app)
        delete_queue(broker_url, queue, also="dx-it:*")  # and the shared cache's keys


@pytest.fixture(autouse=True)
def _media_root(settings, live_celery_worker):
    """Integration tests share the worker's MEDIA_ROOT: it reads the files the tests upload.

    Overrides the suite-wide fixture of the same name, which gives each test its own folder.
    After the test it waits until the worker is idle, so the database flush that follows does
    not race the test's last task.
    """
    settings.MEDIA_ROOT = live_celery_worker.media_root
    yield
    live_celery_worker.wait_idle()


@pytest.fixture
def wait_until(live_celery_worker):
    """``wait_until(predicate, timeout=20)``: poll until it returns something truthy.

    On timeout the test fails with the predicate's docstring and the end of the worker's log.
    """

    def wait(predicate, *, timeout: float = 20.0, interval: float = 0.2):
        deadline = time.monotonic() + timeout
        while True:
            result = predicate()
            if result:
                return result
            if time.monotonic() > deadline:
                pytest.fail(
                    f"Timed out after {timeout} s waiting until {predicate.__doc__ or predicate}."
                    f"\nWorker log:\n{live_celery_worker.log()}",
                    pytrace=False,
                )
            time.sleep(interval)

    return wait

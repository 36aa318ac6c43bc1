"""The processes a run starts: a Celery worker and gunicorn, always stopped at the end.

Both run with ``devtools.benchmark.settings`` (the benchmark database, the run's own queue) and
write their output to log files in the run's folder; a failure to start shows the log's end.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import redis
from django.conf import settings

from config.celery_app import app

ROOT = Path(settings.BASE_DIR)
START_TIMEOUT = 90  # seconds; a cold start imports Django, Wagtail and every app
STOP_TIMEOUT = 20


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _environment() -> dict[str, str]:
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "devtools.benchmark.settings",
            "PYTHONUNBUFFERED": "1"}  # fmt: skip


class _Process:
    """A child in its own process group, stopped with SIGTERM, then SIGKILL."""

    def __init__(self, command: list[str], log_path: Path) -> None:
        self.command = command
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                self.command, cwd=ROOT, env=_environment(), stdout=log,
                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
            )  # fmt: skip

    def check_alive(self) -> None:
        if self.process is not None and self.process.poll() is not None:
            raise RuntimeError(
                f"{self.command[2]} exited with {self.process.returncode}:\n{_tail(self.log_path)}"
            )

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        except ProcessLookupError:
            pass


class Worker(_Process):
    """``celery worker`` on the run's queue, with the no-op task loaded beside the product's."""

    def __init__(self, run_dir: Path, *, queue: str, concurrency: int = 2) -> None:
        self.queue = queue
        self.hostname = f"{queue}@localhost"
        self.concurrency = concurrency
        super().__init__(
            [
                sys.executable, "-m", "celery", "-A", "config", "worker",
                "--include", "devtools.benchmark.tasks", "--pool", "prefork",
                "--concurrency", str(concurrency), "-Q", queue, "-n", self.hostname,
                "-l", "warning", "--without-gossip", "--without-mingle", "--without-heartbeat",
            ],
            run_dir / "celery-worker.log",
        )  # fmt: skip
        self._redis: redis.Redis | None = None

    def __enter__(self) -> Worker:
        self.start()
        deadline = time.monotonic() + START_TIMEOUT
        while not app.control.ping(destination=[self.hostname], timeout=1.0):
            self.check_alive()
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"The worker did not answer:\n{_tail(self.log_path)}")
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def redis(self) -> redis.Redis:
        if self._redis is None:
            self._redis = redis.Redis.from_url(settings.CELERY_BROKER_URL)
        return self._redis

    def pause(self) -> None:
        """Stop taking messages from the queue (those already taken still run)."""
        app.control.cancel_consumer(self.queue, destination=[self.hostname], reply=True)

    def resume(self) -> None:
        app.control.add_consumer(self.queue, destination=[self.hostname], reply=True)

    def drain(self, *, timeout: float) -> None:
        """Wait until the queue is empty and nothing taken from it is unacknowledged."""
        client = self.redis()
        deadline = time.monotonic() + timeout
        while client.llen(self.queue) or client.hlen("unacked"):
            self.check_alive()
            if time.monotonic() > deadline:
                raise RuntimeError("The worker did not empty its queue in time")
            time.sleep(0.01)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server(_Process):
    """gunicorn with two sync workers on a free loopback port."""

    def __init__(self, run_dir: Path, *, ready_path: str, workers: int = 2) -> None:
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.ready_path = ready_path
        self.workers = workers
        super().__init__(
            [
                sys.executable, "-m", "gunicorn", "--workers", str(workers),
                "--bind", f"127.0.0.1:{self.port}", "--log-level", "warning",
                "--timeout", "60", "config.wsgi:application",
            ],
            run_dir / "gunicorn.log",
        )  # fmt: skip

    def __enter__(self) -> Server:
        self.start()
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            self.check_alive()
            try:
                with urllib.request.urlopen(self.base_url + self.ready_path, timeout=5) as r:
                    if r.status == 200:
                        return self
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"gunicorn did not answer:\n{_tail(self.log_path)}")
            time.sleep(0.2)

    def __exit__(self, *exc_info) -> None:
        self.stop()


def delete_queue(queue: str) -> None:
    """Remove the run's queue and its bindings from Redis (and anything left in it)."""
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_connect_timeout=3)
    try:
        for key in [queue.encode(), *client.scan_iter(f"_kombu.*{queue}")]:
            client.delete(key)
        for key in client.scan_iter("_kombu.binding.*"):
            for member in client.smembers(key):
                if member.endswith(b"\x06\x16" + queue.encode()):
                    client.srem(key, member)
        for key in client.scan_iter(f"{queue}:*"):  # the no-op tasks' timestamps
            client.delete(key)
    except redis.RedisError:
        pass
    finally:
        client.close()

"""Helpers of the tests that start real processes (a Celery worker, Redis): the test
database's URL for them, a private Redis database, a queue's clean-up, a log's tail, and
the loopback servers (a chat service, an OpenID provider) started as processes."""

import contextlib
import random
import selectors
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]


def database_url(settings_dict: dict) -> str:
    """A DATABASE_URL for the database this process's tests use (the test database)."""
    user = quote(settings_dict.get("USER") or "", safe="")
    password = quote(settings_dict.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or "localhost"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{credentials}{host}:{port}/{quote(settings_dict['NAME'], safe='')}"


def private_redis_url(redis_url: str) -> str:
    """REDIS_URL with a random database 1-15, if the server has it; else REDIS_URL itself."""
    import redis

    parts = urlsplit(redis_url)
    candidate = urlunsplit(parts._replace(path=f"/{random.randint(1, 15)}"))
    try:
        client = redis.Redis.from_url(candidate, socket_connect_timeout=3)
        client.ping()
        client.close()
    except redis.RedisError:
        return redis_url
    return candidate


def forget_broker_connections(app) -> None:
    """Make the Celery app build its connection pool, queues and router from conf again."""
    app._pool = None
    app.__dict__.pop("amqp", None)


def delete_queue(broker_url: str, queue: str, *, also: str = "") -> None:
    """Remove the run's queue and its exchange bindings from Redis, and the keys matching
    the pattern ``also``."""
    import redis

    client = redis.Redis.from_url(broker_url, socket_connect_timeout=3)
    try:
        extra = list(client.scan_iter(also)) if also else []
        for key in [queue.encode(), *client.scan_iter(f"_kombu.*{queue}"), *extra]:
            client.delete(key)
        for key in client.scan_iter("_kombu.binding.*"):
            for member in client.smembers(key):
                if member.endswith(b"\x06\x16" + queue.encode()):
                    client.srem(key, member)
    except redis.RedisError:
        pass
    finally:
        client.close()


def tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


@contextlib.contextmanager
def loopback_service(args: list[str], *, what: str, timeout: float = 15):
    """Start ``python <args>`` (a test server that prints its ``http://127.0.0.1:<port>``
    base URL as its first line); yield (url, process); stop it whatever happens."""
    process = subprocess.Popen([sys.executable, *args], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        line = _first_line(process, timeout)
        if not line.startswith("http://127.0.0.1:"):
            pytest.fail(f"{what} did not start: {line!r}", pytrace=False)
        yield line, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _first_line(process: subprocess.Popen, timeout: float) -> str:
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        if not selector.select(timeout=timeout):
            return "(nothing printed)"
    return process.stdout.readline().strip()

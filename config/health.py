"""Health endpoints for the load balancer and monitoring.

``/health/live``: the process answers (liveness; touches nothing).
``/health/``: readiness: the database answers a query, Redis a PING, and at least one Celery
worker a control ping, each with a short timeout. 200 when all pass, else 503; the body says
which part failed and nothing else (no hosts, no error texts, no personal data).
Without a broker (tasks in-process, the embedded demo) Redis and the worker are reported as
"in-process" and do not fail the check.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .celery_app import app as celery_app

logger = logging.getLogger(__name__)

# Seconds. A probe every few seconds must stay cheap and must not hang on a dead service.
REDIS_TIMEOUT = 1.0
WORKER_PING_TIMEOUT = 1.0

OK = "ok"
IN_PROCESS = "in-process"
UNAVAILABLE = "unavailable"


class CheckFailed(Exception):
    """A dependency did not answer as it should."""


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone() != (1,):
            raise CheckFailed("unexpected answer")
    return OK


def _broker_url() -> str:
    url = celery_app.conf.broker_url or ""
    return url if url.startswith(("redis://", "rediss://")) else ""


def check_redis() -> str:
    import redis

    url = _broker_url()
    if not url:
        return IN_PROCESS
    client = redis.Redis.from_url(
        url, socket_connect_timeout=REDIS_TIMEOUT, socket_timeout=REDIS_TIMEOUT
    )
    try:
        if not client.ping():
            raise CheckFailed("no PONG")
    finally:
        client.close()
    return OK


def check_worker() -> str:
    if celery_app.conf.task_always_eager or not _broker_url():
        return IN_PROCESS
    # limit=1: return as soon as one worker answers instead of waiting out the timeout.
    if not celery_app.control.ping(timeout=WORKER_PING_TIMEOUT, limit=1):
        raise CheckFailed("no worker answered")
    return OK


CHECKS: dict[str, Callable[[], str]] = {
    "database": check_database,
    "redis": check_redis,
    "worker": check_worker,
}


def run_checks() -> dict[str, str]:
    """Each part's state; the worker is not pinged when Redis, its broker, is down."""
    results: dict[str, str] = {}
    for name, check in CHECKS.items():
        if name == "worker" and results.get("redis") == UNAVAILABLE:
            results[name] = UNAVAILABLE
            continue
        try:
            results[name] = check()
        except Exception as exc:  # any failure of a dependency is a failed check
            logger.warning("Health check %s failed: %s", name, type(exc).__name__)
            results[name] = UNAVAILABLE
    return results


@never_cache
@require_safe
def ready(request: HttpRequest) -> JsonResponse:
    """200 with every part "ok" (or "in-process"); 503 naming the parts that failed."""
    checks = run_checks()
    failed = sorted(name for name, state in checks.items() if state == UNAVAILABLE)
    body = {"status": "fail" if failed else "ok", "checks": checks}
    if failed:
        body["failed"] = failed
    return JsonResponse(body, status=503 if failed else 200)


@never_cache
@require_safe
def live(request: HttpRequest) -> JsonResponse:
    """The process is up and serving requests."""
    return JsonResponse({"status": "ok"})

"""The no-op task the grading figures are compared with (the benchmark worker loads it)."""

import time

import redis
from celery import shared_task
from django.conf import settings

_client: redis.Redis | None = None


def _redis() -> redis.Redis:
    global _client
    if _client is None:
        _client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    return _client


@shared_task(name="devtools.benchmark.noop", acks_late=True, ignore_result=True)
def noop_task(key: str) -> None:
    """Record when it ran (one Redis RPUSH) and nothing else: the floor of a task's cost."""
    _redis().rpush(key, repr(time.time()))

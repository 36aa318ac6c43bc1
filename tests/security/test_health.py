"""Health endpoints without a worker: liveness, in-process mode, and each failure named.

The integration test (tests/integration/test_health.py) checks the healthy case against a
real Redis and Celery worker.
"""

import json

import pytest
from django.db import OperationalError
from django.urls import reverse

from config import health
from config.celery_app import app as celery_app

pytestmark = pytest.mark.django_db


def test_live_answers_without_touching_anything(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("health_live"))
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_ready_with_tasks_in_process(client, django_assert_max_num_queries):
    # The test settings run tasks eagerly, as the embedded demo does: nothing to ping.
    with django_assert_max_num_queries(1):
        response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "redis": "in-process", "worker": "in-process"},
    }


def test_ready_refuses_post(client):
    assert client.post(reverse("health")).status_code == 405


@pytest.fixture
def dead_broker():
    """Point the Celery app at a Redis port where nothing listens."""
    saved = {key: celery_app.conf[key] for key in ("broker_url", "task_always_eager")}
    celery_app.conf.update(broker_url="redis://127.0.0.1:9/0", task_always_eager=False)
    yield
    celery_app.conf.update(saved)


def test_redis_down_names_redis_and_the_worker(client, dead_broker):
    response = client.get(reverse("health"))
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail" and body["failed"] == ["redis", "worker"]
    assert body["checks"]["database"] == "ok"
    assert "127.0.0.1" not in json.dumps(body)  # no hosts or error texts


def test_no_worker_answering_names_the_worker(client, dead_broker, monkeypatch):
    monkeypatch.setattr(health, "check_redis", lambda: health.OK)
    monkeypatch.setitem(health.CHECKS, "redis", lambda: health.OK)
    monkeypatch.setattr(celery_app.control, "ping", lambda **kwargs: [])
    response = client.get(reverse("health"))
    assert response.status_code == 503 and response.json()["failed"] == ["worker"]


def test_database_down_names_the_database(client, monkeypatch):
    def broken():
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setitem(health.CHECKS, "database", broken)
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["failed"] == ["database"]
    assert "server closed" not in response.text

"""/health/ against the real thing: PostgreSQL, Redis and a live Celery worker all answer."""

import time

import pytest
from django.urls import reverse

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_health_is_ok_with_a_live_worker(client, live_celery_worker):
    started = time.monotonic()
    response = client.get(reverse("health"))
    elapsed = time.monotonic() - started
    assert response.status_code == 200, response.content
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "redis": "ok", "worker": "ok"},
    }
    # Cheap: the ping returns on the first answer instead of waiting out its timeout.
    assert elapsed < 1.0, elapsed

"""Fixtures shared by the whole suite, and the ``postgresql`` marker."""

import pytest
from django.db import connection


def pytest_collection_modifyitems(config, items):
    """``@pytest.mark.postgresql``: the test holds only on PostgreSQL (a trigger, an
    operator class, ``SKIP LOCKED`` between two connections); elsewhere it is skipped with
    that reason. ``make test`` always runs on PostgreSQL, so there it runs.

    Under pytest-xdist the integration tests all go to one worker (``--dist loadgroup``):
    they share one live Celery worker and one live server, started once."""
    skip = pytest.mark.skip(reason=f"needs PostgreSQL; the test database is {connection.vendor}")
    for item in items:
        if "integration" in item.keywords:
            item.add_marker(pytest.mark.xdist_group("integration"))
        if "postgresql" in item.keywords and connection.vendor != "postgresql":
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded files of a test go to throwaway folders, public media and private files."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def _english_off(settings):
    """Tests see the product in Japanese, as staff do, unless they switch."""
    settings.LANGUAGE_CODE = "ja"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Nothing a test keeps in the cache reaches the next one."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()


@pytest.fixture(scope="session")
def svo_model():
    """GiNZA for the SVO checker, loaded once per pytest worker (a few seconds), never per
    test; the checker and the benchmark's SVO scenario share it."""
    from courses.svo import parsing

    return parsing.nlp()

"""Fixtures shared by the whole suite."""

import pytest


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded files of a test go to a throwaway folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


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

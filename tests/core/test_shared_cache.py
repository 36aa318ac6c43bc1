"""A value kept in each process's memory, dropped in every process at once through the
shared cache's version (``core.shared_cache``)."""

import pytest
from django.core.cache import caches

from core import shared_cache


class Loads:
    def __init__(self):
        self.count = 0

    def __call__(self):
        self.count += 1
        return f"value {self.count}"


def _another_process_drops(name):
    """What ``drop`` in another process leaves here: a new shared version, this process's
    own memory untouched."""
    caches[shared_cache.SHARED].set(shared_cache._version_key(name), "from-elsewhere", None)


def test_a_value_is_built_once_and_rebuilt_after_a_drop_anywhere():
    load = Loads()
    assert shared_cache.cached("words", load=load, seconds=300) == "value 1"
    assert shared_cache.cached("words", load=load, seconds=300) == "value 1"
    _another_process_drops("words")
    assert shared_cache.cached("words", load=load, seconds=300) == "value 2"
    assert shared_cache.cached("words", load=load, seconds=300) == "value 2"
    shared_cache.drop("words")  # here
    assert shared_cache.cached("words", load=load, seconds=300) == "value 3"
    assert load.count == 3


def test_without_the_shared_cache_a_value_lives_until_it_expires(monkeypatch, caplog):
    load = Loads()
    assert shared_cache.cached("words", load=load, seconds=300) == "value 1"

    class Away:
        def get(self, *args, **kwargs):
            raise ConnectionError("Redis is away")

        set = get

    monkeypatch.setattr(shared_cache, "caches", {"default": caches["default"], "pages": Away()})
    assert shared_cache.cached("words", load=load, seconds=300) == "value 1"
    shared_cache.drop("words")  # this process still forgets it
    assert shared_cache.cached("words", load=load, seconds=300) == "value 2"
    assert "cannot be reached" in caplog.text


def test_a_load_that_fails_keeps_nothing():
    def broken():
        raise RuntimeError("no table yet")

    with pytest.raises(RuntimeError):
        shared_cache.cached("words", load=broken, seconds=300)
    assert shared_cache.cached("words", load=Loads(), seconds=300) == "value 1"

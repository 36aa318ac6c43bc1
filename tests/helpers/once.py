"""Data built once for a whole test module, the way ``TestCase.setUpTestData`` builds it for
a class: inside a transaction that is rolled back when the module ends. Each test still runs
in its own savepoint (pytest-django's ``db``), so what a test changes is undone after it and
the next test sees the data as built."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from django.db import transaction

T = TypeVar("T")


@contextmanager
def built_once(django_db_blocker, build: Callable[[], T]) -> Iterator[T]:
    """Yield ``build()``'s result; everything it wrote is rolled back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build()
        transaction.set_rollback(True)

"""Values kept in each process's memory and dropped in every process at once.

A process keeps what is costly to build in its own memory cache (the search's vocabulary, the
SVO checker's words): Redis may be away, and these must keep working. When an editor changes
what such a value is built from, only the process that saved used to drop it; the others saw
the change when it expired. Now the shared ``pages`` cache (Redis when there is one) holds a
version per name: ``drop`` writes a new one, and ``cached`` compares the version its value was
built at with the shared one before using it (one GET). Without Redis, or while it is away,
the version is None and a value lives until its timeout, as before.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import caches

logger = logging.getLogger(__name__)

T = TypeVar("T")
#: The cache every process shares (``CACHES`` in the settings: Redis when configured).
SHARED = "pages"


def _version_key(name: str) -> str:
    return f"core:version:{name}"


def _value_key(name: str) -> str:
    return f"core:kept:{name}"


def shared_version(name: str) -> str | None:
    """The version every process should use for ``name``; None when nobody dropped it yet or
    the shared cache cannot be reached."""
    try:
        return caches[SHARED].get(_version_key(name))
    except Exception:  # Redis away: fall back on the timeout
        logger.warning("The shared cache cannot be reached; %s is kept until it expires", name)
        return None


def cached(name: str, *, load: Callable[[], T], seconds: int) -> T:
    """This process's value of ``name`` when it was built at the shared version, else
    ``load()`` afresh (kept for ``seconds``). An exception in ``load`` keeps nothing."""
    version = shared_version(name)
    kept = caches["default"].get(_value_key(name))
    if kept is not None and kept[0] == version:
        return kept[1]
    value = load()
    caches["default"].set(_value_key(name), (version, value), seconds)
    return value


def drop(name: str) -> None:
    """Forget ``name`` here and make every other process build it again on its next use."""
    caches["default"].delete(_value_key(name))
    try:
        caches[SHARED].set(_version_key(name), uuid.uuid4().hex, None)
    except Exception:
        logger.warning("The shared cache cannot be reached; other processes keep %s", name)

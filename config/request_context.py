"""The request being served, for code that has no ``request`` argument.

``config.middleware.RequestContextMiddleware`` sets it for the length of each request; the log
formatter reads the request id from it and the audit log reads the signed-in person (role
changes made in an admin arrive through model signals, which know nothing of the request).
Outside a request (Celery tasks, commands) it is empty. A ContextVar, so threads and async
tasks each see their own.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

_current_request: ContextVar[Any | None] = ContextVar("current_request", default=None)


def current_request() -> Any | None:
    """The HttpRequest being served in this context, or None."""
    return _current_request.get()


def current_request_id() -> str:
    """The id of the request being served ("" outside a request)."""
    request = _current_request.get()
    return getattr(request, "request_id", "") if request is not None else ""


def set_current_request(request: Any | None):
    """Set the current request; returns the token to pass to :func:`reset_current_request`."""
    return _current_request.set(request)


def reset_current_request(token) -> None:
    _current_request.reset(token)

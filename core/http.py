"""Small helpers for reading requests."""

from __future__ import annotations

from django.http import HttpRequest, QueryDict


def int_param(source: HttpRequest | QueryDict, name: str) -> int | None:
    """The integer in ``name`` of the query (a request's GET, or any QueryDict), or None
    when it is missing or not a number: a hand-edited URL never raises."""
    params = source.GET if isinstance(source, HttpRequest) else source
    value = params.get(name)
    try:
        return int(value) if value else None
    except (TypeError, ValueError):
        return None

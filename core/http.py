"""Small helpers for reading requests."""

from __future__ import annotations

import ipaddress

from django.conf import settings
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


def client_address(request: HttpRequest) -> str:
    """The address of the person's browser, as the sign-in limits count it.

    Without proxies (``TRUSTED_PROXY_COUNT`` 0, the default) it is ``REMOTE_ADDR``: headers a
    client sends cannot change it. Behind N trusted proxies that each append the address they
    saw to ``X-Forwarded-For``, it is the N-th entry from the right, the one the outermost
    trusted proxy recorded; entries further left are the client's own claims and are ignored.
    django-axes takes the address from here too (``AXES_CLIENT_IP_CALLABLE``), so the
    per-account lockout and the per-address limits count the same client.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < count:
        return remote
    try:
        return str(ipaddress.ip_address(forwarded[-count]))
    except ValueError:
        return remote

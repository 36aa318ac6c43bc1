"""Limits per client address on sign-in failures, and on password-reset mails.

django-axes locks one account after a few failures from one address, but one wrong password
for each of many accounts passed unnoticed: employee numbers are seven digits, so one address
could try a few passwords on every account in the city (review 2026-12, F8). Here:

- **Sign-in failures per address**, across accounts: after ``SIGN_IN_ADDRESS_FAILURE_LIMIT``
  failures within ``SIGN_IN_ADDRESS_WINDOW`` seconds, every sign-in page (ours, the Django
  admin's, Wagtail's) answers 429 to a POST from that address until the window ends, before
  any password is checked. Failures are counted from Django's ``user_login_failed`` signal,
  which every sign-in page sends.
- **Password-reset mails**: at most one per account (by the address typed, hashed) every
  ``PASSWORD_RESET_ACCOUNT_INTERVAL`` seconds, and at most ``PASSWORD_RESET_ADDRESS_LIMIT``
  requests per client address per hour. A refused request gets the same "sent" page as any
  other, so the limits tell nothing about which accounts exist.

Counters live in the ``throttle`` cache (Redis when ``REDIS_URL`` is set, shared by every
web process; this process's memory otherwise), in fixed windows that start with the first
event; an IPv6 client is counted by its /64. If that cache is unreachable the limits are not
applied and a warning is logged: sign-in and reset keep working, and the per-account lockout
(kept in the database) still holds.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.cache import caches
from django.dispatch import receiver
from django.http import HttpRequest

from core.http import client_address

logger = logging.getLogger(__name__)

_HOUR = 60 * 60


def _cache():
    return caches["throttle"]


def _count(key: str) -> int:
    try:
        return int(_cache().get(key, 0))
    except Exception:  # the cache is away: do not stand in the way (see the module docstring)
        logger.warning("Throttle cache unreachable; %s not checked", key.split(":")[1])
        return 0


def _bump(key: str, window: int) -> int:
    """Add one to the counter ``key`` of a window of ``window`` seconds; the new count."""
    try:
        cache = _cache()
        cache.add(key, 0, timeout=window)
        try:
            return cache.incr(key)
        except ValueError:  # the window ended between add and incr
            cache.set(key, 1, timeout=window)
            return 1
    except Exception:
        logger.warning("Throttle cache unreachable; %s not counted", key.split(":")[1])
        return 0


def _client(request: HttpRequest) -> str:
    """The client address as counted: an IPv6 address by its /64, the block one connection
    is usually given, so that walking through its addresses does not reset the count."""
    address = client_address(request)
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 4:
        return str(ip)
    if ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    return str(ipaddress.ip_network(f"{ip}/64", strict=False))


def _sign_in_key(request: HttpRequest) -> str:
    return f"throttle:sign-in-failures:{_client(request)}"


def sign_in_refused(request: HttpRequest) -> bool:
    """Whether sign-in from this request's address is paused (too many failures)."""
    return _count(_sign_in_key(request)) >= settings.SIGN_IN_ADDRESS_FAILURE_LIMIT


@receiver(user_login_failed, dispatch_uid="lms.accounts.throttle.count_failure")
def count_sign_in_failure(sender, credentials=None, request=None, **kwargs) -> None:
    # Not an attempt at a password: the directory was away and no local one was checked
    # (lms.accounts.ldap.failure_not_counted).
    if request is not None and not getattr(request, "sign_in_failure_not_counted", False):
        _bump(_sign_in_key(request), settings.SIGN_IN_ADDRESS_WINDOW)


def password_reset_mail_allowed(request: HttpRequest, *, email: str) -> bool:
    """Whether a reset mail may go out for ``email`` now; counts the request either way."""
    requests = _bump(f"throttle:reset-requests:{_client(request)}", _HOUR)
    if requests > settings.PASSWORD_RESET_ADDRESS_LIMIT:
        return False
    # Hashed: the cache holds no e-mail addresses.
    digest = hashlib.sha256(email.strip().lower().encode("utf-8")).hexdigest()
    try:
        return _cache().add(
            f"throttle:reset-account:{digest}",
            1,
            timeout=settings.PASSWORD_RESET_ACCOUNT_INTERVAL,
        )
    except Exception:
        logger.warning("Throttle cache unreachable; reset-account not checked")
        return True

"""Posting to a chat service: short timeouts, https only, every failure one exception.

A chat channel is a convenience on top of e-mail, never a reason to hold a reminder job:
``NOTICE_CHANNEL_TIMEOUT`` (seconds, default 5) bounds each request, redirects are not
followed (a webhook that redirects is misconfigured, and following one could leave https),
and any timeout, refused connection or 4xx/5xx answer is raised as ``ChannelError`` for the
caller to fall back to e-mail. Only ``https`` addresses are used, except ``http`` to a
loopback address when ``NOTICE_ALLOW_HTTP_LOOPBACK`` is on (the tests' local server).
"""

from __future__ import annotations

import ipaddress
import json
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.conf import settings


class ChannelError(Exception):
    """A chat service did not take the message; ``str()`` says why, without secrets."""


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def url_allowed(url: str) -> bool:
    """``https`` with a host; ``http`` to loopback only when the setting allows it."""
    parts = urlsplit(url or "")
    if not parts.hostname:
        return False
    if parts.scheme == "https":
        return True
    return (
        parts.scheme == "http"
        and getattr(settings, "NOTICE_ALLOW_HTTP_LOOPBACK", False)
        and _is_loopback(parts.hostname)
    )


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def post(
    url: str,
    *,
    json_body: Any = None,
    form: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, bytes]:
    """POST JSON (or a form) and return (status, body); ``ChannelError`` on any failure."""
    if not url_allowed(url):
        raise ChannelError("refused address (only https, or http to loopback in tests)")
    if form is not None:
        data = urlencode(form).encode()
        content_type = "application/x-www-form-urlencoded"
    else:
        data = json.dumps(json_body, ensure_ascii=False).encode()
        content_type = "application/json; charset=utf-8"
    request = urllib.request.Request(
        url, data=data, method="POST", headers={"Content-Type": content_type, **(headers or {})}
    )
    timeout = float(getattr(settings, "NOTICE_CHANNEL_TIMEOUT", 5))
    try:
        with _opener.open(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        raise ChannelError(f"HTTP {error.code}") from error
    except TimeoutError as error:
        raise ChannelError(f"timeout after {timeout:g} s") from error
    except urllib.error.URLError as error:
        reason = error.reason
        if isinstance(reason, TimeoutError):
            raise ChannelError(f"timeout after {timeout:g} s") from error
        raise ChannelError(f"connection failed: {reason}") from error
    except OSError as error:
        raise ChannelError(f"connection failed: {error}") from error

"""Absolute links (e-mails, certificates): always ``settings.SITE_URL`` and a path.

A request's host, a Wagtail ``Site``'s hostname and port, or ``localhost`` are never used:
an e-mail read tomorrow must point where people reach the site, whichever process wrote it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings

if TYPE_CHECKING:
    from wagtail.models import Page


def absolute_url(path: str) -> str:
    """``SITE_URL`` followed by ``path`` (from ``reverse()`` or a page); a full URL keeps only
    its path, query and fragment."""
    parts = urlsplit(path)
    tail = urlunsplit(("", "", parts.path or "/", parts.query, parts.fragment))
    return settings.SITE_URL.rstrip("/") + tail


def page_absolute_url(page: Page) -> str:
    """A Wagtail page's address under ``SITE_URL``; ``""`` for a page outside every site."""
    parts = page.get_url_parts()
    return absolute_url(parts[2]) if parts else ""

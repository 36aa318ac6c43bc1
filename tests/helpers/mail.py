"""Reading what the product sent: the links of an e-mail, and the parts every e-mail has."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.conf import settings

LINK = re.compile(r"https?://\S+")


def links(body: str) -> list[str]:
    """Every absolute link in a plain-text e-mail, in order."""
    return LINK.findall(body)


def path_of(url: str) -> str:
    """The path and query of a link this site sent (it must start with ``SITE_URL``)."""
    assert url.startswith(settings.SITE_URL + "/"), url
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def assert_signed(body: str) -> None:
    """The sender's signature and contact close the e-mail, with the site's address."""
    assert "お問い合わせ先：" + settings.TRAINING_CONTACT in body
    assert body.rstrip().endswith("このメールは研修システムから自動で送信しています。")
    assert "localhost" not in body

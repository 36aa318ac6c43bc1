"""What every e-mail of the product ends with: who sends it and how to reach them.

Templates include ``email/signature.txt`` with this context; ``TRAINING_CONTACT`` names the
office (「人事課 研修担当（内線 1234）」) and ``SITE_URL`` the site's address.
"""

from __future__ import annotations

from django.conf import settings


def signature_context() -> dict[str, str]:
    """The site's name, the sender's contact and the site's address, for a mail template."""
    return {
        "site_name": str(settings.WAGTAIL_SITE_NAME),
        "contact": settings.TRAINING_CONTACT,
        "site_url": settings.SITE_URL.rstrip("/"),
    }

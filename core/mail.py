"""What every e-mail of the product ends with: who sends it and how to reach them.

The signature and the contact are the ones HR keeps in the CMS (``core.notices``: Settings →
Notice signature); a blank contact there means ``TRAINING_CONTACT`` of the server. Templates
that are not notices (the password reset) include ``email/signature.txt`` with this context,
so every e-mail closes the same way.
"""

from __future__ import annotations

from django.conf import settings

from .notices.rendering import notice_signature


def signature_context() -> dict[str, str]:
    """The site's name, the sender's contact, the site's address and the signature in the
    active language, for a mail template (one query)."""
    signature, contact = notice_signature()
    return {
        "site_name": str(settings.WAGTAIL_SITE_NAME),
        "contact": contact,
        "site_url": settings.SITE_URL.rstrip("/"),
        "signature": signature,
    }

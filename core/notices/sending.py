"""Sending one notice to one person: by their chat channel when they have one, else e-mail.

The chat channels (LINE WORKS to the person, the Teams channel of their unit) and the table
of unit channels belong to ``lms``, above the apps that send notices (``courses`` sends
review decisions), so ``lms`` answers through the ``deliver_notice`` Wagtail hook:
``hook(recipient=..., notice=..., link=..., unit_channel=...)`` sends (falling back to
e-mail itself when the channel fails) and returns the channel used. Without the hook the
notice goes by e-mail. A failing e-mail raises, so the caller's transaction rolls back.
"""

from __future__ import annotations

from django.core.mail import send_mail
from wagtail import hooks

from .rendering import Notice

HOOK = "deliver_notice"


def notice_send(*, recipient, notice: Notice, link: str, unit_channel: bool = True) -> str:
    """Send ``notice`` to ``recipient``; returns the channel (``"email"``, ``"lineworks"``
    or ``"teams"``). ``unit_channel=False`` keeps it out of the unit's shared Teams channel:
    for what only the person should read (a reviewer's comment on their worksheet)."""
    for hook in hooks.get_hooks(HOOK):
        return hook(recipient=recipient, notice=notice, link=link, unit_channel=unit_channel)
    send_mail(notice.subject, notice.body, None, [recipient.email])
    return "email"

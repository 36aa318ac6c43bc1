"""Which way a notice reaches a person, and the fall-back to e-mail.

A person is reached by LINE WORKS when it is configured (their LINE WORKS ID is their
e-mail address), else by the Teams channel of their unit or the nearest unit above it that
has one when ``TEAMS_ENABLED``, else by e-mail. One channel is tried, with the short timeout
of ``core.notices.transport``; when it fails (timeout, refused, 4xx/5xx) the e-mail goes
instead and the failure is logged and returned, for the ``ReminderLog`` row.

Reminders and escalations use every channel. The other notices (assignment, review
decision, certificate) go through ``notice_deliver``, the ``deliver_notice`` hook of
``core.notices.sending``: LINE WORKS reaches the person with each of them; a unit's shared
Teams channel carries the certificate notice but not a review decision (the reviewer's
comment is for the author alone) nor the assignment notice (an assignment to a section
would post once per person there; the course's reminders follow in the channel).

``Routes`` reads the Teams channels once per job (one query, only when Teams is on), so a
daily run over the whole city asks the database nothing per person for its routing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.utils.translation import gettext

from core.notices.lineworks import lineworks_configured, lineworks_send
from core.notices.rendering import Notice
from core.notices.teams import teams_post
from core.notices.transport import ChannelError
from org.paths import ancestor_paths

from ..models import ReminderChannel, UnitTeamsChannel, User

logger = logging.getLogger(__name__)


@dataclass
class Routes:
    """The channels on for this job: LINE WORKS or not, and the Teams webhook by unit path."""

    lineworks: bool = False
    teams: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls) -> Routes:
        teams = {}
        if getattr(settings, "TEAMS_ENABLED", False):
            teams = dict(
                UnitTeamsChannel.objects.filter(active=True).values_list(
                    "unit__path", "webhook_url"
                )
            )
        return cls(lineworks=lineworks_configured(), teams=teams)

    def teams_url(self, person: User) -> str:
        unit = person.unit
        if not self.teams or unit is None:
            return ""
        for path in reversed(ancestor_paths(unit.path)):
            if path in self.teams:
                return self.teams[path]
        return ""


@dataclass(frozen=True)
class Delivery:
    """How the notice went out, and why a chat channel did not take it (or "")."""

    channel: str
    failure: str = ""


def chat_text(notice: Notice) -> str:
    """The notice for a chat: its text and the office's contact (no e-mail footer)."""
    contact = gettext("Questions: %(contact)s") % {"contact": notice.contact}
    return f"{notice.text.rstrip()}\n\n{contact}"


def deliver(
    *, recipient: User, notice: Notice, link: str, routes: Routes, unit_channel: bool = True
) -> Delivery:
    """Send ``notice`` to ``recipient`` by their channel, or by e-mail when it fails;
    ``unit_channel=False`` leaves out the unit's shared Teams channel.

    A failing e-mail raises (the caller's transaction, and its log row, roll back)."""
    channel, failure = "", ""
    try:
        if routes.lineworks and recipient.email:
            channel = ReminderChannel.LINEWORKS
            lineworks_send(user_id=recipient.email, text=chat_text(notice))
            return Delivery(channel)
        webhook = routes.teams_url(recipient) if unit_channel else ""
        if webhook:
            channel = ReminderChannel.TEAMS
            teams_post(
                webhook_url=webhook,
                title=notice.subject,
                text=chat_text(notice),
                link=link,
                name=recipient.display_name,
                email=recipient.email,
            )
            return Delivery(channel)
    except ChannelError as error:
        failure = f"{channel}: {error}"[:300]
        logger.warning(
            "Notice channel %s failed for user %s (%s); sent by e-mail instead.",
            channel,
            recipient.pk,
            error,
        )
    send_mail(notice.subject, notice.body, None, [recipient.email])
    return Delivery(ReminderChannel.EMAIL, failure)


def notice_deliver(*, recipient: User, notice: Notice, link: str, unit_channel: bool) -> str:
    """The ``deliver_notice`` hook (``core.notices.sending``): one notice to one person by
    their channel, reading the routes for it (no query unless Teams is on)."""
    routes = Routes.load() if unit_channel else Routes(lineworks=lineworks_configured())
    return deliver(
        recipient=recipient, notice=notice, link=link, routes=routes, unit_channel=unit_channel
    ).channel

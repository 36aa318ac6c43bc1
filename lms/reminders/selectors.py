"""Reads of the reminders: who HR's manual reminder would reach, for its confirmation."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from org.models import OrgUnit

from ..models import ReminderKind, ReminderLog
from .services import ReminderAudience, manual_reminder_enrollments


@dataclass(frozen=True)
class ManualReminderPreview:
    """``to_send`` people would get the reminder now; ``sent_today`` already got one today
    and are skipped; ``no_email`` have no address. ``not_done`` is how many of the
    not-done-yet a reminder to everyone would reach (``to_send`` is for the chosen audience)."""

    to_send: int
    sent_today: int
    no_email: int
    overdue: int = 0
    not_done: int = 0


def manual_reminder_preview(
    *,
    unit: OrgUnit,
    course_id: int,
    audience: str = ReminderAudience.OVERDUE,
    today: dt.date | None = None,
) -> ManualReminderPreview:
    """Count who ``reminder_send_manual`` would reach (one query): the overdue of ``unit`` and
    below in the course, or everyone not done, from the same open enrollments the send goes
    through; and how many each audience would reach, for the choice."""
    today = today or timezone.localdate()
    open_ = manual_reminder_enrollments(
        unit=unit, course_id=course_id, today=today, audience=ReminderAudience.NOT_DONE
    )
    reminded = ReminderLog.objects.filter(
        recipient_id=OuterRef("user_id"), kind=ReminderKind.MANUAL, sent_on=today
    )
    no_email = Q(user__email="") | Q(user__email__isnull=True)
    was_reminded = Q(Exists(reminded))
    reachable = ~no_email & ~was_reminded
    chosen = Q() if audience == ReminderAudience.NOT_DONE else Q(due_on__lt=today)
    counts = (
        open_.order_by()
        .select_related(None)
        .aggregate(
            no_email=Count("user_id", distinct=True, filter=chosen & no_email),
            sent_today=Count(
                "user_id", distinct=True, filter=chosen & ~no_email & Q(Exists(reminded))
            ),
            to_send=Count("user_id", distinct=True, filter=chosen & reachable),
            overdue=Count("user_id", distinct=True, filter=Q(due_on__lt=today) & reachable),
            not_done=Count("user_id", distinct=True, filter=reachable),
        )
    )
    return ManualReminderPreview(**counts)

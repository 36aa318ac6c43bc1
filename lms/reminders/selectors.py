"""Reads of the reminders: who HR's manual reminder would reach, for its confirmation."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from org.models import OrgUnit

from ..models import ReminderKind, ReminderLog
from .services import _open_enrollments


@dataclass(frozen=True)
class ManualReminderPreview:
    """``to_send`` people would get the reminder now; ``sent_today`` already got one today
    and are skipped; ``no_email`` have no address."""

    to_send: int
    sent_today: int
    no_email: int


def manual_reminder_preview(
    *, unit: OrgUnit, course_id: int, today: dt.date | None = None
) -> ManualReminderPreview:
    """Count who ``reminder_send_manual`` would reach (one query): the overdue of ``unit`` and
    below in the course, from the same open enrollments the send goes through."""
    today = today or timezone.localdate()
    overdue = _open_enrollments(today).filter(
        course_id=course_id, due_on__lt=today, user__unit__path__startswith=unit.path
    )
    reminded = ReminderLog.objects.filter(
        recipient_id=OuterRef("user_id"), kind=ReminderKind.MANUAL, sent_on=today
    )
    no_email = Q(user__email="") | Q(user__email__isnull=True)
    counts = (
        overdue.order_by()
        .select_related(None)
        .aggregate(
            no_email=Count("user_id", distinct=True, filter=no_email),
            sent_today=Count("user_id", distinct=True, filter=~no_email & Q(Exists(reminded))),
            to_send=Count("user_id", distinct=True, filter=~no_email & ~Q(Exists(reminded))),
        )
    )
    return ManualReminderPreview(**counts)

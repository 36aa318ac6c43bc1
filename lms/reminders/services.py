"""Reminder e-mails: the daily digest, escalation of the long overdue, and the manual
reminder (受講のお願い) of HR or a manager.

Each person gets at most one e-mail of each kind per day (Asia/Tokyo), listing every course
that is due in 7, 3 or 1 days or overdue, never one per course. The ``ReminderLog`` row is
written in the transaction that sends, under a unique constraint, so a re-run of the beat job
or two workers racing send nothing twice.

Every e-mail (``lms/email/reminder.txt``) greets the person by name, says what to do, gives
each course's deadline and a link to the course page (to the unit's figures for a manager),
built from ``SITE_URL``, and ends with the sender's signature and contact (``email/mail``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit import services as audit
from audit.models import AuditAction
from core.dates import date_label
from core.fiscal import fiscal_year_of
from core.links import absolute_url, page_absolute_url
from core.mail import signature_context
from courses.models import CoursePage
from org import access
from org.access import Heads
from org.models import OrgUnit

from ..models import OPEN_STATUSES, AssignmentStatus, Enrollment, ReminderKind, ReminderLog, User

DUE_SOON_DAYS = (7, 3, 1)


def _escalation_days() -> int:
    return getattr(settings, "LMS_REMINDER_ESCALATION_DAYS", 14)


def _open_enrollments(today: dt.date) -> QuerySet[Enrollment]:
    """Open enrollments of active people under live assignments, of this fiscal year or later.

    A closed fiscal year is history: its open enrollments stay overdue in last year's figures,
    but nobody is chased for them any more (HR assigns the course again for the new year).
    """
    return (
        Enrollment.objects.filter(
            status__in=OPEN_STATUSES, due_on__isnull=False, fiscal_year__gte=fiscal_year_of(today)
        )
        .filter(Q(assignment__isnull=True) | Q(assignment__status=AssignmentStatus.ACTIVE))
        .filter(user__is_active=True)
        .select_related("user", "user__unit", "course")
        .order_by("user_id", "due_on")
    )


def _state(enrollment: Enrollment, today: dt.date) -> str:
    days = (enrollment.due_on - today).days
    if days < 0:
        return _("overdue by %(days)d days") % {"days": -days}
    return _("due in %(days)d days") % {"days": days}


def _item(enrollment: Enrollment, today: dt.date) -> dict[str, str]:
    """One course of a person's e-mail: its title, deadline, state and page."""
    return {
        "course": enrollment.course.title,
        "due_on": date_label(enrollment.due_on),
        "state": _state(enrollment, today),
        "url": page_absolute_url(enrollment.course),
    }


def _send_once(
    *,
    recipient: User,
    kind: str,
    today: dt.date,
    subject: str,
    items: list[dict[str, str]],
    sent_by: User | None = None,
    sender: str = "",
) -> bool:
    """Log and send one e-mail unless this person already got this kind today."""
    if not recipient.email:
        return False
    try:
        with transaction.atomic():
            ReminderLog.objects.create(
                recipient=recipient, kind=kind, sent_on=today, items=len(items), sent_by=sent_by
            )
            body = render_to_string(
                "lms/email/reminder.txt",
                {
                    "recipient": recipient,
                    "kind": str(kind),
                    "sender": sender,
                    "items": items,
                    "days": _escalation_days(),
                    **signature_context(),
                },
            )
            send_mail(subject, body, None, [recipient.email])
    except IntegrityError:
        return False  # already sent today
    return True


def reminders_send_daily(*, now: dt.datetime | None = None) -> dict[str, int]:
    """The daily beat job: one digest per person, then escalations. Safe to re-run."""
    today = timezone.localdate(now)
    escalate_after = _escalation_days()
    per_person: dict[int, list[Enrollment]] = defaultdict(list)
    long_overdue: list[Enrollment] = []
    for enrollment in _open_enrollments(today):
        days = (enrollment.due_on - today).days
        if days in DUE_SOON_DAYS or days < 0:
            per_person[enrollment.user_id].append(enrollment)
        if days <= -escalate_after:
            long_overdue.append(enrollment)
    sent = {"digest": 0, "escalation": 0}
    with translation.override(settings.LANGUAGE_CODE):
        for enrollments in per_person.values():
            person = enrollments[0].user
            if _send_once(
                recipient=person,
                kind=ReminderKind.DIGEST,
                today=today,
                subject=_("Your training: due soon and overdue"),
                items=[_item(e, today) for e in enrollments],
            ):
                sent["digest"] += 1
        for recipient, items in _escalations(long_overdue, today).items():
            if _send_once(
                recipient=recipient,
                kind=ReminderKind.ESCALATION,
                today=today,
                subject=_("Training overdue in your units"),
                items=items,
            ):
                sent["escalation"] += 1
    return sent


def _escalations(overdue: list[Enrollment], today: dt.date) -> dict[User, list[dict[str, str]]]:
    """Who hears about whom: the managers and DX PROs over each person overdue
    (``org.access.Heads``: four queries whatever the number of people)."""
    if not overdue:
        return {}
    heads = Heads.over([enrollment.user for enrollment in overdue], on=today)
    result: dict[User, list[dict[str, str]]] = defaultdict(list)
    dashboard = reverse("lms:dashboard")
    for enrollment in overdue:
        person = enrollment.user
        if person.unit is None:
            continue
        recipients = heads.managers_of(person) | heads.reviewers_of(person)
        item = {
            **_item(enrollment, today),
            "person": person.display_name,
            "unit": person.unit.name,
            # the figures of the person's unit for this course, where the manager can follow up
            "url": absolute_url(
                f"{dashboard}?year={enrollment.fiscal_year}&course={enrollment.course_id}"
                f"&unit={person.unit_id}"
            ),
        }
        for recipient in recipients:
            result[recipient].append(item)
    return result


def reminder_sender(sent_by: User) -> str:
    """Who a manual reminder says it is from: "" for HR (the e-mail says HR), else the
    manager's name and unit (「市民課 山田 太郎」), so the person knows whom to ask."""
    if access.is_hr(sent_by):
        return ""
    unit = sent_by.unit.name if sent_by.unit_id else ""
    return " ".join(part for part in (unit, sent_by.display_name) if part)


def reminder_send_manual(
    *, unit: OrgUnit, course_id: int, sent_by: User, now: dt.datetime | None = None
) -> int:
    """A reminder (受講のお願い) by hand to the overdue of ``unit`` (and below) of a course,
    once a day each, from HR or a manager of the unit; only who may send reminders
    (``org.access``) sends them, the e-mail says who sent it, and the audit log records how
    many went out."""
    access.require(access.can_send_reminders(sent_by, unit))
    today = timezone.localdate(now)
    overdue = _open_enrollments(today).filter(
        course_id=course_id, due_on__lt=today, user__unit__path__startswith=unit.path
    )
    sender = reminder_sender(sent_by)
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        subject = (
            _("Request from %(sender)s: please take your training") % {"sender": sender}
            if sender
            else _("Reminder from HR: training overdue")
        )
        for enrollment in overdue:
            if _send_once(
                recipient=enrollment.user,
                kind=ReminderKind.MANUAL,
                today=today,
                subject=subject,
                items=[_item(enrollment, today)],
                sent_by=sent_by,
                sender=sender,
            ):
                sent += 1
    audit.record(
        action=AuditAction.REMINDER_SENT,
        actor=sent_by,
        target=CoursePage(pk=course_id),
        unit=unit,
        details={"sent": sent},
    )
    return sent

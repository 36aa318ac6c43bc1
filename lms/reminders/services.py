"""Reminders (受講のお願い): the daily digest, escalation of the long overdue, and the
manual reminder of HR or a manager.

Each person gets at most one reminder of each kind per day (Asia/Tokyo), whatever the
channel, listing every course that is due in 7, 3 or 1 days or overdue, never one per
course. The ``ReminderLog`` row is written in the transaction that sends, under a unique
constraint, so a re-run of the beat job or two workers racing send nothing twice.

The text is the kind's template HR edits in the CMS (``core.notices``): it greets the person
by name, says what to do, gives each course's deadline and a link to the course page (to the
unit's figures for a manager), built from ``SITE_URL``, and ends with the signature and
contact. It goes by the person's chat channel when one is configured, else (or when the
channel fails) by e-mail (``lms.notices.delivery``); the log row records which.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from audit import services as audit
from audit.models import AuditAction
from core.dates import date_label
from core.fiscal import fiscal_year_of
from core.links import absolute_url, page_absolute_url
from core.notices.kinds import NoticeKind
from core.notices.rendering import Composer, Composers, recipient_language
from courses.models import CoursePage
from org import access
from org.access import Heads
from org.models import OrgUnit

from ..models import (
    OPEN_STATUSES,
    AssignmentStatus,
    Enrollment,
    ReminderKind,
    ReminderLog,
    User,
    in_current_cycle,
)
from ..notices.delivery import Routes, deliver

DUE_SOON_DAYS = (7, 3, 1)


def _escalation_days() -> int:
    return getattr(settings, "LMS_REMINDER_ESCALATION_DAYS", 14)


def _open_enrollments(today: dt.date) -> QuerySet[Enrollment]:
    """Open enrollments of active people under live assignments, of this fiscal year or later.

    A closed fiscal year is history: its open enrollments stay overdue in last year's figures,
    but nobody is chased for them any more (HR assigns the course again for the new year),
    nor for those of a cycle the next cycle of the same year has superseded.
    """
    return (
        Enrollment.objects.filter(
            status__in=OPEN_STATUSES, due_on__isnull=False, fiscal_year__gte=fiscal_year_of(today)
        )
        .filter(Q(assignment__isnull=True) | Q(assignment__status=AssignmentStatus.ACTIVE))
        .filter(in_current_cycle(), user__is_active=True)
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


def course_list(items: list[dict[str, str]]) -> str:
    """The ``{一覧}`` of a notice: each course (under the person, for a manager) with its
    deadline and link, one block each."""
    blocks = []
    for item in items:
        if item.get("person"):
            unit = f"（{item['unit']}）" if item.get("unit") else ""
            head = f"■ {item['person']}{unit}\n  {item['course']}"
        else:
            head = f"■ {item['course']}"
        deadline = pgettext("e-mail", "Deadline: %(date)s (%(state)s)") % {
            "date": item["due_on"],
            "state": item["state"],
        }
        blocks.append(f"\n{head}\n  {deadline}\n  {item['url']}\n")
    return "".join(blocks)


def _send_once(
    *,
    recipient: User,
    kind: str,
    today: dt.date,
    composer: Composer,
    values: dict[str, str],
    link: str,
    routes: Routes,
    items: int,
    sent_by: User | None = None,
) -> bool:
    """Log and send one reminder unless this person already got this kind today (by any
    channel)."""
    if not recipient.email:
        return False
    try:
        with transaction.atomic():
            log = ReminderLog.objects.create(
                recipient=recipient, kind=kind, sent_on=today, items=items, sent_by=sent_by
            )
            notice = composer.render({"氏名": recipient.display_name, **values})
            delivery = deliver(recipient=recipient, notice=notice, link=link, routes=routes)
            if (delivery.channel, delivery.failure) != (log.channel, log.failure):
                log.channel, log.failure = delivery.channel, delivery.failure
                log.save(update_fields=["channel", "failure"])
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
    routes = Routes.load()
    digests = Composers(NoticeKind.REMINDER)
    my_training = absolute_url(reverse("lms:my_training"))
    for enrollments in per_person.values():
        person = enrollments[0].user
        language = recipient_language(person)
        with translation.override(language):
            items = [_item(e, today) for e in enrollments]
            if _send_once(
                recipient=person,
                kind=ReminderKind.DIGEST,
                today=today,
                composer=digests(language),
                values={"一覧": course_list(items), "リンク": my_training},
                link=items[0]["url"] if len(items) == 1 else my_training,
                routes=routes,
                items=len(items),
            ):
                sent["digest"] += 1
    escalations = Composers(NoticeKind.ESCALATION)
    dashboard = absolute_url(reverse("lms:dashboard"))
    for recipient, overdue in _escalations(long_overdue, today).items():
        language = recipient_language(recipient)
        with translation.override(language):
            items = [_escalation_item(enrollment, today) for enrollment in overdue]
            if _send_once(
                recipient=recipient,
                kind=ReminderKind.ESCALATION,
                today=today,
                composer=escalations(language),
                values={
                    "一覧": course_list(items),
                    "日数": str(escalate_after),
                    "リンク": dashboard,
                },
                link=items[0]["url"] if len(items) == 1 else dashboard,
                routes=routes,
                items=len(items),
            ):
                sent["escalation"] += 1
    return sent


def _escalations(overdue: list[Enrollment], today: dt.date) -> dict[User, list[Enrollment]]:
    """Who hears about whom: the managers and DX PROs over each person overdue
    (``org.access.Heads``: four queries whatever the number of people)."""
    if not overdue:
        return {}
    heads = Heads.over([enrollment.user for enrollment in overdue], on=today)
    result: dict[User, list[Enrollment]] = defaultdict(list)
    for enrollment in overdue:
        person = enrollment.user
        if person.unit is None:
            continue
        for recipient in heads.managers_of(person) | heads.reviewers_of(person):
            result[recipient].append(enrollment)
    return result


def _escalation_item(enrollment: Enrollment, today: dt.date) -> dict[str, str]:
    """One person overdue in a manager's e-mail, in the language active: the course, the
    person and their unit, and a link to the figures of the unit for the course, where the
    manager can follow up."""
    person = enrollment.user
    dashboard = reverse("lms:dashboard")
    return {
        **_item(enrollment, today),
        "person": person.display_name,
        "unit": person.unit.name,
        "url": absolute_url(
            f"{dashboard}?year={enrollment.fiscal_year}&course={enrollment.course_id}"
            f"&unit={person.unit_id}"
        ),
    }


def reminder_sender(sent_by: User) -> str:
    """Who a manual reminder says it is from, HR or a manager: their unit and name
    (「市民課 山田 太郎」, the ``{送信者}`` of the template), so the person knows whom to ask."""
    unit = sent_by.unit.name if sent_by.unit_id else ""
    return " ".join(part for part in (unit, sent_by.display_name) if part)


class ReminderAudience(models.TextChoices):
    """Whom a reminder by hand reaches: the overdue, or everyone not done yet."""

    OVERDUE = "overdue", gettext_lazy("Only those past the deadline")
    NOT_DONE = "not_done", gettext_lazy("Everyone who has not completed it yet")


def manual_reminder_enrollments(
    *, unit: OrgUnit, course_id: int, today: dt.date, audience: str
) -> QuerySet[Enrollment]:
    """The open enrolments a reminder by hand goes through: ``unit`` and below, one course,
    past the deadline or (``NOT_DONE``) all of them."""
    enrollments = _open_enrollments(today).filter(
        course_id=course_id, user__unit__path__startswith=unit.path
    )
    if audience != ReminderAudience.NOT_DONE:
        enrollments = enrollments.filter(due_on__lt=today)
    return enrollments


def reminder_send_manual(
    *,
    unit: OrgUnit,
    course_id: int,
    sent_by: User,
    audience: str = ReminderAudience.OVERDUE,
    now: dt.datetime | None = None,
) -> int:
    """A reminder (受講のお願い) by hand to the overdue of ``unit`` (and below) of a course,
    or to everyone there not done yet, once a day each, from HR or a manager of the unit;
    only who may send reminders (``org.access``) sends them, the e-mail says who sent it,
    and the audit log records how many went out and to whom."""
    access.require(access.can_send_reminders(sent_by, unit))
    today = timezone.localdate(now)
    overdue = manual_reminder_enrollments(
        unit=unit, course_id=course_id, today=today, audience=audience
    )
    sender = reminder_sender(sent_by)
    sent = 0
    routes = Routes.load()
    composers = Composers(NoticeKind.REMINDER_MANUAL)
    for enrollment in overdue:
        language = recipient_language(enrollment.user)
        with translation.override(language):
            item = _item(enrollment, today)
            if _send_once(
                recipient=enrollment.user,
                kind=ReminderKind.MANUAL,
                today=today,
                composer=composers(language),
                values={
                    "コース": item["course"],
                    "期限": item["due_on"],
                    "状況": item["state"],
                    "リンク": item["url"],
                    "送信者": sender,
                },
                link=item["url"],
                routes=routes,
                items=1,
                sent_by=sent_by,
            ):
                sent += 1
    audit.record(
        action=AuditAction.REMINDER_SENT,
        actor=sent_by,
        target=CoursePage(pk=course_id),
        unit=unit,
        details={"sent": sent, "audience": str(ReminderAudience(audience).label)},
    )
    return sent

"""Scheduled reports: HR has a unit's people list e-mailed every week or month.

Services here change ``ScheduledReport`` rows (HR only, ``org.access.can_schedule_reports``)
and send the reports that are due (the beat job at 07:30, Asia/Tokyo; the system acting).

When a report is due: its latest scheduled day (the last ``weekday``, or the last
``day_of_month``) on or before today, not before the day it was set up, and later than the
day it was last sent. A report sent today is not due again until its next scheduled day,
so the job can run twice, or a day late after an outage, and each period gets one e-mail.
Each delivery is recorded under the report's row lock, so two workers running the job at
once do not both send to one person, and a run a mail server stopped half-way resumes with
those still waiting. The e-mail is the CMS notice template 「定期レポート」.

Recipients must be allowed to see the unit's names (``org.access.can_view_unit``): checked
when HR chooses them, and again at each sending, because people move and lose the right.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit import services as audit
from audit.models import AuditAction
from core.fiscal import fiscal_year_label, fiscal_year_of
from core.links import absolute_url
from core.notices.kinds import NoticeKind
from core.notices.rendering import notice_composer, recipient_language
from courses.models import CoursePage
from org import access
from org.models import OrgUnit

from ..models import (
    Assignment,
    Delivery,
    ExportFormat,
    Frequency,
    PeopleFilter,
    ScheduledReport,
    ScheduledReportDelivery,
    User,
)
from . import people

logger = logging.getLogger(__name__)


# --- when ------------------------------------------------------------------------------------


def latest_scheduled_day(report: ScheduledReport, today: dt.date) -> dt.date:
    """The report's scheduled day on or before ``today``: the last ``weekday`` (this week or
    the one before), or the last ``day_of_month`` (this month or the one before)."""
    if report.frequency == Frequency.WEEKLY:
        return today - dt.timedelta(days=(today.weekday() - report.weekday) % 7)
    if today.day >= report.day_of_month:
        return today.replace(day=report.day_of_month)
    last_month = today.replace(day=1) - dt.timedelta(days=1)
    return last_month.replace(day=report.day_of_month)


def is_due(report: ScheduledReport, today: dt.date) -> bool:
    """Whether ``report`` is to be sent today (see the module's docstring)."""
    if not report.active:
        return False
    scheduled = latest_scheduled_day(report, today)
    if scheduled < timezone.localdate(report.created_at):
        return False
    return report.last_sent_on is None or report.last_sent_on < scheduled


# --- HR sets them up ---------------------------------------------------------------------------


@dataclass
class ScheduleData:
    """What HR chooses for a scheduled report."""

    course: CoursePage
    unit: OrgUnit
    show: str
    file_format: str
    frequency: str
    delivery: str
    recipients: list[User]
    assignment: Assignment | None = None
    weekday: int | None = None
    day_of_month: int | None = None


def recipients_by_number(*, unit: OrgUnit, numbers: list[str]) -> list[User]:
    """The active people with these 職員番号, each allowed to see ``unit``'s names and with an
    e-mail address; ``ValidationError`` naming every number that is not."""
    wanted = list(dict.fromkeys(n.strip() for n in numbers if n.strip()))
    if not wanted:
        raise ValidationError(_("Enter at least one employee number."))
    found = {
        user.employee_number: user
        for user in User.objects.filter(employee_number__in=wanted, is_active=True)
        .select_related("unit")
        .order_by("employee_number")
    }
    problems = []
    for number in wanted:
        user = found.get(number)
        if user is None:
            problems.append(_("%(number)s: nobody active has this number.") % {"number": number})
        elif not access.can_view_unit(user, unit):
            problems.append(
                _("%(number)s: %(name)s may not see the names of %(unit)s.")
                % {"number": number, "name": user.display_name, "unit": unit.name}
            )
        elif not user.email:
            problems.append(
                _("%(number)s: %(name)s has no e-mail address.")
                % {"number": number, "name": user.display_name}
            )
    if problems:
        raise ValidationError(problems)
    return [found[number] for number in wanted]


def _check(data: ScheduleData) -> None:
    if data.assignment is not None and data.assignment.course_id != data.course.pk:
        raise ValidationError(_("The assignment is not one of this course."))
    for person in data.recipients:
        if not access.can_view_unit(person, data.unit):
            raise ValidationError(
                _("%(name)s may not see the names of %(unit)s.")
                % {"name": person.display_name, "unit": data.unit.name}
            )
    if data.frequency == Frequency.WEEKLY:
        data.day_of_month = None
        if data.weekday is None or not 0 <= data.weekday <= 6:
            raise ValidationError(_("Choose the day of the week."))
    else:
        data.weekday = None
        if data.day_of_month is None or not 1 <= data.day_of_month <= 28:
            raise ValidationError(_("Choose a day of the month from 1 to 28."))


def _apply(report: ScheduledReport, data: ScheduleData) -> None:
    for name in (
        "course",
        "assignment",
        "unit",
        "show",
        "file_format",
        "frequency",
        "weekday",
        "day_of_month",
        "delivery",
    ):
        setattr(report, name, getattr(data, name))


@transaction.atomic
def scheduled_report_create(*, by: User, data: ScheduleData) -> ScheduledReport:
    """Set up a report (HR only); it is first sent on its next scheduled day."""
    access.require(access.can_schedule_reports(by))
    _check(data)
    report = ScheduledReport(created_by=by)
    _apply(report, data)
    report.save()
    report.recipients.set(data.recipients)
    _record(AuditAction.REPORT_SCHEDULED, by=by, report=report)
    return report


def _record(action: AuditAction, *, by: User, report: ScheduledReport, **details) -> None:
    """Who set up or changed which unit's names to be e-mailed, and to how many people."""
    audit.record(
        action=action,
        actor=by,
        target=report.course,
        unit=report.unit_id,
        details={
            "report": "people",
            "show": report.show,
            "scheduled_report": report.pk,
            "sent": len(report.recipients.all()),
            **details,
        },
    )


@transaction.atomic
def scheduled_report_update(
    *, by: User, report: ScheduledReport, data: ScheduleData
) -> ScheduledReport:
    """Change what a report holds, when and to whom it goes (HR only)."""
    access.require(access.can_schedule_reports(by))
    _check(data)
    _apply(report, data)
    report.save()
    report.recipients.set(data.recipients)
    _record(AuditAction.REPORT_SCHEDULE_CHANGED, by=by, report=report)
    return report


def scheduled_report_set_active(*, by: User, report: ScheduledReport, active: bool) -> None:
    """Pause a report, or send it again from its next scheduled day (HR only)."""
    access.require(access.can_schedule_reports(by))
    report.active = active
    report.save(update_fields=["active"])
    _record(AuditAction.REPORT_SCHEDULE_CHANGED, by=by, report=report, active=active)


def scheduled_report_delete(*, by: User, report: ScheduledReport) -> None:
    """Stop and remove a report (HR only)."""
    access.require(access.can_schedule_reports(by))
    _record(AuditAction.REPORT_SCHEDULE_DELETED, by=by, report=report)
    report.delete()


# --- the beat job sends them -------------------------------------------------------------------


def _fiscal_year(report: ScheduledReport, today: dt.date) -> int:
    if report.assignment_id:
        return report.assignment.fiscal_year
    return fiscal_year_of(today)


def export_query(report: ScheduledReport, fiscal_year: int) -> str:
    """The query of the people export for ``report`` (the link in a link-only e-mail)."""
    params = {
        "year": fiscal_year,
        "course": report.course_id,
        "unit": report.unit_id,
        "show": report.show,
    }
    if report.assignment_id:
        params["assignment"] = report.assignment_id
    if report.file_format == ExportFormat.CSV_CP932:
        params["encoding"] = "cp932"
    name = "lms:people_xlsx" if report.file_format == ExportFormat.XLSX else "lms:people_csv"
    return f"{reverse(name)}?{urlencode(params)}"


def scheduled_report_send(*, report_id: int, now: dt.datetime | None = None) -> bool:
    """Send one report if it is due; whether this call finished the period.

    The file is built once and e-mailed to each recipient who may still see the unit's
    names, each in a transaction of its own under the report's row lock that records the
    delivery: two workers never both send to one person, and a mail server that fails
    half-way leaves the period open with the deliveries made, so the next run sends only to
    those still waiting. When everyone has it, the period is closed and the export recorded
    in the audit log (by the system).
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    report = (
        ScheduledReport.objects.select_related("course", "unit", "assignment")
        .filter(pk=report_id)
        .first()
    )
    if report is None or not is_due(report, today):
        return False
    period = latest_scheduled_day(report, today)
    recipients = [
        person
        for person in report.recipients.filter(is_active=True).exclude(email="").order_by("pk")
        if access.can_view_unit(person, report.unit)
    ]
    if not recipients:
        logger.warning("Scheduled report %s has no recipient allowed to see it.", report.pk)
    year = _fiscal_year(report, today)
    messages: dict[str, _Message] = {}  # by language: the file's headings are in it too
    for person in recipients:
        with transaction.atomic():
            if not _still_due(report.pk, today):
                return False  # another worker finished the period meanwhile
            if ScheduledReportDelivery.objects.filter(
                report_id=report.pk, period=period, recipient_id=person.pk
            ).exists():
                continue
            language = recipient_language(person)
            with translation.override(language):
                if language not in messages:
                    messages[language] = _Message(report, year=year, today=today)
                # A failure rolls back this delivery only, and is raised.
                messages[language].send(person)
            ScheduledReportDelivery.objects.create(
                report_id=report.pk, period=period, recipient_id=person.pk, sent_at=now
            )
    with transaction.atomic():
        if not _still_due(report.pk, today):
            return False
        ScheduledReport.objects.filter(pk=report.pk).update(last_sent_on=today)
        ScheduledReportDelivery.objects.filter(report_id=report.pk, period__lt=period).delete()
        if not recipients:
            return False
        audit.record(
            action=AuditAction.EXPORT_XLSX
            if report.file_format == ExportFormat.XLSX
            else AuditAction.EXPORT_CSV,
            actor=None,
            target=report.course,
            unit=report.unit,
            details={
                "report": "people",
                "scheduled_report": report.pk,
                "fiscal_year": year,
                "show": report.show,
                "sent": ScheduledReportDelivery.objects.filter(
                    report_id=report.pk, period=period
                ).count(),
                "delivery": report.delivery,
            },
        )
    return True


def _still_due(report_id: int, today: dt.date) -> bool:
    """Lock the report's row (until the transaction ends) and say whether it is still due."""
    report = (
        ScheduledReport.objects.select_for_update()
        .only("pk", "frequency", "weekday", "day_of_month", "created_at", "last_sent_on")
        .filter(pk=report_id)
        .first()
    )
    return report is not None and is_due(report, today)


class _Message:
    """The report's e-mail, from the CMS template 「定期レポート」: the file (built once) or
    a link behind sign-in, and the signature."""

    def __init__(self, report: ScheduledReport, *, year: int, today: dt.date) -> None:
        self.report = report
        self.filename = people.people_file_name(
            course=report.course.title,
            fiscal_year=year,
            unit=report.unit.name,
            show=report.show,
            file_format=report.file_format,
        )
        self.attached = report.delivery == Delivery.ATTACHMENT
        self.file = None
        if self.attached:
            self.file = people.file_bytes(
                people.unit_people_lines(
                    unit=report.unit,
                    course_id=report.course_id,
                    fiscal_year=year,
                    show=report.show,
                    assignment_id=report.assignment_id,
                    today=today,
                ),
                file_format=report.file_format,
                title=report.unit.name,
            )
            how = _("The list of names is attached: %(filename)s") % {"filename": self.filename}
            how += "\n" + _("The same list, always up to date, can be downloaded after signing in:")
        else:
            how = _(
                "The list holds names, so it is not attached. "
                "Sign in and download it from the link below:"
            )
        self.composer = notice_composer(NoticeKind.SCHEDULED_REPORT)
        self.values = {
            "コース": report.course.title,
            "年度": fiscal_year_label(year),
            "所属": report.unit.name,
            "対象者": str(PeopleFilter(report.show).label),
            "受け取り方": how,
            "リンク": absolute_url(export_query(report, year)),
        }

    def send(self, person: User) -> None:
        notice = self.composer.render({**self.values, "氏名": person.display_name})
        message = EmailMessage(notice.subject, notice.body, None, [person.email])
        if self.attached:
            message.attach(self.filename, self.file, people.content_type(self.report.file_format))
        message.send()


def scheduled_reports_send_due(*, now: dt.datetime | None = None) -> int:
    """The beat job: send every active report that is due today; how many were sent."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = 0
    for report in ScheduledReport.objects.filter(active=True).only(
        "pk", "active", "frequency", "weekday", "day_of_month", "created_at", "last_sent_on"
    ):
        if is_due(report, today) and scheduled_report_send(report_id=report.pk, now=now):
            sent += 1
    return sent

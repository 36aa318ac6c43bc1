"""Reports of names that HR has e-mailed on a schedule (the people list of one unit)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PeopleFilter(models.TextChoices):
    """Whom a people list holds: everyone enrolled, or those of one state."""

    ALL = "all", pgettext_lazy("people list", "Everyone")
    OVERDUE = "overdue", pgettext_lazy("people list", "Overdue")
    NOT_STARTED = "not_started", pgettext_lazy("people list", "Not started")
    COMPLETED = "completed", pgettext_lazy("people list", "Completed")


class ExportFormat(models.TextChoices):
    XLSX = "xlsx", _("Excel (XLSX)")
    CSV_UTF8 = "csv", _("CSV (UTF-8)")
    CSV_CP932 = "csv_cp932", _("CSV (Shift_JIS)")


class Frequency(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")


class Delivery(models.TextChoices):
    ATTACHMENT = "attachment", _("File attached to the e-mail")
    LINK = "link", _("Link to the file (sign-in required)")


class ScheduledReport(models.Model):
    """The people list of a unit for a course (or one assignment of it), e-mailed to chosen
    people every week on ``weekday`` or every month on ``day_of_month``.

    The period a report was last sent in is told by ``last_sent_on``: the beat job sends a
    report when its latest scheduled day is today or earlier and later than that date, so a
    job run twice (or a day late) sends once per period. Recipients are checked against
    ``org.access.can_view_unit`` when chosen and again at every sending: somebody who moved
    away since no longer gets the names. ``day_of_month`` stops at 28, a day every month has.
    """

    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("course"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    assignment = models.ForeignKey(
        "lms.Assignment",
        verbose_name=_("assignment"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Empty: everyone enrolled in the course in the current fiscal year."),
    )
    unit = models.ForeignKey(
        "org.OrgUnit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+"
    )
    show = models.CharField(
        pgettext_lazy("people list filter", "people"),
        max_length=16,
        choices=PeopleFilter.choices,
        default=PeopleFilter.OVERDUE,
    )
    file_format = models.CharField(
        _("file format"), max_length=16, choices=ExportFormat.choices, default=ExportFormat.XLSX
    )
    frequency = models.CharField(
        _("frequency"), max_length=8, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    weekday = models.PositiveSmallIntegerField(
        _("day of the week"), null=True, blank=True, help_text=_("0 is Monday, 6 is Sunday.")
    )
    day_of_month = models.PositiveSmallIntegerField(_("day of the month"), null=True, blank=True)
    delivery = models.CharField(
        _("delivery"), max_length=16, choices=Delivery.choices, default=Delivery.ATTACHMENT
    )
    recipients = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("recipients"), related_name="+"
    )
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_sent_on = models.DateField(_("last sent on"), null=True, blank=True)

    class Meta:
        verbose_name = _("scheduled report")
        verbose_name_plural = _("scheduled reports")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(frequency="weekly", weekday__gte=0, weekday__lte=6, day_of_month=None)
                    | Q(
                        frequency="monthly", day_of_month__gte=1, day_of_month__lte=28, weekday=None
                    )
                ),
                name="scheduled_report_one_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course_id} / {self.unit_id} ({self.frequency})"

    @property
    def weekday_label(self) -> str:
        """The day of the week in the active language (月曜日, Monday); "" when monthly."""
        return str(WEEKDAYS[self.weekday]) if self.weekday is not None else ""


class ScheduledReportDelivery(models.Model):
    """One recipient got one period's report (``period``: its scheduled day). A run that a
    mail server stopped half-way sends, next time, only to those still waiting."""

    report = models.ForeignKey(
        ScheduledReport,
        verbose_name=_("scheduled report"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    period = models.DateField(_("scheduled day"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("scheduled report delivery")
        verbose_name_plural = _("scheduled report deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "period", "recipient"], name="scheduled_report_sent_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.report_id} → {self.recipient_id} ({self.period})"

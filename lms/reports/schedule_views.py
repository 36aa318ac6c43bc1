"""HR's screen of scheduled reports: list, set up, change, pause and delete.

Thin: the form turns the screen's choices into ``schedules.ScheduleData`` (recipients by
職員番号, checked by ``schedules.recipients_by_number``); the services check HR's right
and do the work.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from courses.models import CoursePage
from org.access import hr_required
from org.models import OrgUnit

from ..accounts.activation import parse_employee_numbers
from ..models import (
    Assignment,
    AssignmentStatus,
    Delivery,
    ExportFormat,
    Frequency,
    PeopleFilter,
    ScheduledReport,
)
from . import schedules

SCHEDULES_PER_PAGE = 20


class UnitChoiceField(forms.ModelChoiceField):
    """Units in tree order, each indented by its level (部, 課, 係)."""

    def label_from_instance(self, unit: OrgUnit) -> str:
        return "\u3000" * (unit.depth - 1) + unit.name


class AssignmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, assignment: Assignment) -> str:
        return _("%(course)s, due %(due)s") % {
            "course": assignment.course.title,
            "due": assignment.due_on.isoformat(),
        }


class ScheduledReportForm(forms.Form):
    """What a scheduled report holds, when it goes and to whom."""

    course = forms.ModelChoiceField(
        label=gettext_lazy("Course"), queryset=CoursePage.objects.live().order_by("title")
    )
    assignment = AssignmentChoiceField(
        label=gettext_lazy("Assignment"),
        required=False,
        empty_label=gettext_lazy("Everyone enrolled this fiscal year"),
        queryset=Assignment.objects.filter(status=AssignmentStatus.ACTIVE)
        .select_related("course")
        .order_by("-fiscal_year", "-created_at"),
        help_text=gettext_lazy(
            "Optional. Empty: everyone enrolled in the course in the current fiscal year."
        ),
    )
    unit = UnitChoiceField(
        label=gettext_lazy("Unit"),
        queryset=OrgUnit.objects.current().order_by("path"),
        help_text=gettext_lazy("The report lists the people of this unit and the units below it."),
    )
    show = forms.ChoiceField(
        label=pgettext_lazy("people list filter", "People"),
        choices=PeopleFilter.choices,
        initial=PeopleFilter.OVERDUE,
    )
    file_format = forms.ChoiceField(
        label=gettext_lazy("File format"), choices=ExportFormat.choices, initial=ExportFormat.XLSX
    )
    frequency = forms.ChoiceField(
        label=gettext_lazy("Frequency"),
        choices=Frequency.choices,
        initial=Frequency.WEEKLY,
        widget=forms.RadioSelect,
    )
    weekday = forms.TypedChoiceField(
        label=gettext_lazy("Day of the week (weekly)"),
        choices=[(number, name) for number, name in WEEKDAYS.items()],
        coerce=int,
        required=False,
        empty_value=None,
        initial=0,
    )
    day_of_month = forms.TypedChoiceField(
        label=gettext_lazy("Day of the month (monthly)"),
        choices=[(day, str(day)) for day in range(1, 29)],
        coerce=int,
        required=False,
        empty_value=None,
        initial=1,
    )
    delivery = forms.ChoiceField(
        label=gettext_lazy("Delivery"),
        choices=Delivery.choices,
        initial=Delivery.ATTACHMENT,
        widget=forms.RadioSelect,
    )
    recipients = forms.CharField(
        label=gettext_lazy("Recipients (employee numbers)"),
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}),
        help_text=gettext_lazy(
            "One or more employee numbers, separated by lines, spaces or commas. Each must be "
            "HR or a manager of the unit, and have an e-mail address."
        ),
    )

    def clean(self):
        data = super().clean()
        unit = data.get("unit")
        if unit is not None and data.get("recipients"):
            numbers = parse_employee_numbers(data["recipients"])  # as the roster spells them
            try:
                data["people"] = schedules.recipients_by_number(unit=unit, numbers=numbers)
            except ValidationError as error:
                self.add_error("recipients", error)
        assignment, course = data.get("assignment"), data.get("course")
        if assignment is not None and course is not None and assignment.course_id != course.pk:
            self.add_error("assignment", _("The assignment is not one of this course."))
        if data.get("frequency") == Frequency.WEEKLY and data.get("weekday") is None:
            self.add_error("weekday", _("Choose the day of the week."))
        if data.get("frequency") == Frequency.MONTHLY and data.get("day_of_month") is None:
            self.add_error("day_of_month", _("Choose a day of the month from 1 to 28."))
        return data

    def schedule_data(self) -> schedules.ScheduleData:
        data = self.cleaned_data
        weekly = data["frequency"] == Frequency.WEEKLY
        return schedules.ScheduleData(
            course=data["course"],
            assignment=data["assignment"],
            unit=data["unit"],
            show=data["show"],
            file_format=data["file_format"],
            frequency=data["frequency"],
            weekday=data["weekday"] if weekly else None,
            day_of_month=None if weekly else data["day_of_month"],
            delivery=data["delivery"],
            recipients=data["people"],
        )

    @classmethod
    def initial_of(cls, report: ScheduledReport) -> dict:
        return {
            "course": report.course_id,
            "assignment": report.assignment_id,
            "unit": report.unit_id,
            "show": report.show,
            "file_format": report.file_format,
            "frequency": report.frequency,
            "weekday": report.weekday if report.weekday is not None else 0,
            "day_of_month": report.day_of_month or 1,
            "delivery": report.delivery,
            "recipients": "\n".join(
                report.recipients.order_by("employee_number").values_list(
                    "employee_number", flat=True
                )
            ),
        }


@hr_required
def schedule_list(request: HttpRequest) -> HttpResponse:
    """The scheduled reports, newest first, a page at a time (four queries a page)."""
    reports = (
        ScheduledReport.objects.select_related("course", "unit", "assignment")
        .prefetch_related("recipients")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(reports, SCHEDULES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "lms/scheduled_report_list.html", {"page": page})


def _form_page(request: HttpRequest, form: ScheduledReportForm, report=None) -> HttpResponse:
    return render(
        request,
        "lms/scheduled_report_form.html",
        {"form": form, "report": report},
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@hr_required
@require_http_methods(["GET", "POST"])
def schedule_create(request: HttpRequest) -> HttpResponse:
    """Set up a scheduled report."""
    if request.method == "POST":
        form = ScheduledReportForm(request.POST)
        if form.is_valid():
            schedules.scheduled_report_create(by=request.user, data=form.schedule_data())
            messages.success(request, _("The scheduled report was saved."))
            return redirect("lms:schedules")
    else:
        form = ScheduledReportForm(
            initial={
                "course": request.GET.get("course"),
                "unit": request.GET.get("unit"),
                "show": request.GET.get("show") or PeopleFilter.OVERDUE,
            }
        )
    return _form_page(request, form)


@hr_required
@require_http_methods(["GET", "POST"])
def schedule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a scheduled report."""
    report = get_object_or_404(ScheduledReport, pk=pk)
    if request.method == "POST":
        form = ScheduledReportForm(request.POST)
        if form.is_valid():
            schedules.scheduled_report_update(
                by=request.user, report=report, data=form.schedule_data()
            )
            messages.success(request, _("The scheduled report was saved."))
            return redirect("lms:schedules")
    else:
        form = ScheduledReportForm(initial=ScheduledReportForm.initial_of(report))
    return _form_page(request, form, report)


@hr_required
@require_POST
def schedule_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    """Pause a report (``active=0``) or resume it (``active=1``)."""
    report = get_object_or_404(ScheduledReport, pk=pk)
    active = request.POST.get("active") == "1"
    schedules.scheduled_report_set_active(by=request.user, report=report, active=active)
    messages.success(
        request,
        _("The scheduled report was resumed.") if active else _("The scheduled report was paused."),
    )
    return redirect("lms:schedules")


@hr_required
@require_http_methods(["GET", "POST"])
def schedule_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete a report, after a page that asks for confirmation."""
    report = get_object_or_404(ScheduledReport.objects.select_related("course", "unit"), pk=pk)
    if request.method == "GET":
        return render(request, "lms/scheduled_report_confirm_delete.html", {"report": report})
    schedules.scheduled_report_delete(by=request.user, report=report)
    messages.success(request, _("The scheduled report was deleted."))
    return redirect("lms:schedules")

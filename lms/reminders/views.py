"""HR's reminders: the log of what was sent, and the manual reminder (受講のお願い) to the
overdue of a unit."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.http import int_param
from courses.models import CoursePage
from org.access import hr_required
from org.models import OrgUnit

from ..models import ReminderLog
from .selectors import manual_reminder_preview
from .services import reminder_send_manual


@hr_required
def reminder_log(request: HttpRequest) -> HttpResponse:
    """The latest reminders sent, newest first (one query)."""
    logs = list(
        ReminderLog.objects.select_related("recipient", "recipient__unit", "sent_by").order_by(
            "-created_at"
        )[:200]
    )
    return render(request, "lms/reminder_log.html", {"logs": logs})


@hr_required
@require_http_methods(["GET", "POST"])
def reminder_send(request: HttpRequest) -> HttpResponse:
    """Send a reminder to the overdue of one unit for one course (each person once a day).

    A GET asks first: how many people it will reach (and who is skipped), with the button
    that sends."""
    data = request.POST if request.method == "POST" else request.GET
    unit = get_object_or_404(OrgUnit, pk=int_param(data, "unit") or 0)
    course = get_object_or_404(CoursePage, pk=int_param(data, "course") or 0)
    if request.method == "GET":
        return render(
            request,
            "lms/reminder_confirm.html",
            {
                "unit": unit,
                "course": course,
                "year": int_param(data, "year") or "",
                "preview": manual_reminder_preview(unit=unit, course_id=course.pk),
            },
        )
    sent = reminder_send_manual(unit=unit, course_id=course.pk, sent_by=request.user)
    messages.success(
        request,
        _("Reminders sent to %(count)d people (anyone already reminded today was skipped).")
        % {"count": sent},
    )
    year = request.POST.get("year", "")
    return redirect(
        f"{reverse('lms:dashboard')}?year={year}&course={course.pk}&unit={unit.pk}&show=overdue"
    )

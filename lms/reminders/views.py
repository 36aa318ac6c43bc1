"""Reminders by hand: the log of what was sent, and the manual reminder (受講のお願い) to the
overdue of a unit, by HR (any unit) or a manager (their own units; another unit is not
found)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.http import int_param
from courses.models import CoursePage
from org import access
from org.models import OrgUnit

from ..models import ReminderLog
from .selectors import manual_reminder_preview
from .services import ReminderAudience, reminder_send_manual, reminder_sender


def _require_sender(request: HttpRequest) -> None:
    if not access.can_send_reminders(request.user):
        raise PermissionDenied


@login_required
def reminder_log(request: HttpRequest) -> HttpResponse:
    """The latest reminders sent, newest first (one query): all of them for HR, those to the
    people of their units for a manager."""
    _require_sender(request)
    logs = ReminderLog.objects.all()
    scope = access.reminder_scope(request.user)
    if scope is not None:
        logs = logs.filter(scope)
    logs = list(
        logs.select_related("recipient", "recipient__unit", "sent_by").order_by("-created_at")[:200]
    )
    return render(request, "lms/reminder_log.html", {"logs": logs})


@login_required
@require_http_methods(["GET", "POST"])
def reminder_send(request: HttpRequest) -> HttpResponse:
    """Send a reminder to the overdue of one unit for one course, or to everyone there not
    done yet (each person once a day).

    A GET asks first: how many people it will reach (and who is skipped), with the button
    that sends."""
    data = request.POST if request.method == "POST" else request.GET
    _require_sender(request)
    unit = get_object_or_404(OrgUnit, pk=int_param(data, "unit") or 0)
    if not access.can_send_reminders(request.user, unit):
        raise Http404  # another section or department: not the manager's to know of
    course = get_object_or_404(CoursePage, pk=int_param(data, "course") or 0)
    audience = data.get("audience")
    if audience not in ReminderAudience.values:
        audience = ReminderAudience.OVERDUE
    if request.method == "GET":
        return render(
            request,
            "lms/reminder_confirm.html",
            {
                "unit": unit,
                "course": course,
                "year": int_param(data, "year") or "",
                "preview": manual_reminder_preview(
                    unit=unit, course_id=course.pk, audience=audience
                ),
                "audience": audience,
                "audiences": ReminderAudience,
                "sender": reminder_sender(request.user),
            },
        )
    sent = reminder_send_manual(
        unit=unit, course_id=course.pk, sent_by=request.user, audience=audience
    )
    messages.success(
        request,
        _("Reminders sent to %(count)d people (anyone already reminded today was skipped).")
        % {"count": sent},
    )
    year = request.POST.get("year", "")
    return redirect(
        f"{reverse('lms:dashboard')}?year={year}&course={course.pk}&unit={unit.pk}&show=overdue"
    )

"""HR reads the audit log: one paginated, filterable page. There is nothing to edit."""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from org.access import hr_required

from .models import AuditAction
from .presentation import audit_event_rows
from .selectors import audit_event_list

EVENTS_PER_PAGE = 50


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Action"),
        required=False,
        choices=[("", _("All actions")), *AuditAction.choices],
    )
    actor = forms.CharField(
        label=_("By (employee number or e-mail)"), required=False, max_length=254
    )
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


@hr_required
@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    """The audit log, newest first, 50 to a page."""
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = audit_event_list(
        action=filters.get("action", ""),
        actor=(filters.get("actor") or "").strip(),
        since=filters.get("since"),
        until=filters.get("until"),
    )
    page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/audit_event_list.html",
        {"form": form, "page": page, "rows": audit_event_rows(page.object_list)},
    )

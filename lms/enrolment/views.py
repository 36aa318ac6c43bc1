"""HR assigns courses: the list with enrolment progress, the form, and cancelling.

The form only records the rule; the fan-out runs in Celery (``lms.assignment_fan_out``) and
the list shows its progress from the assignment row.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.fiscal import current_fiscal_year
from courses.models import CoursePage
from org.access import hr_required
from org.models import OrgUnit, OrgUnitKind
from org.people import EmploymentType, Position

from ..models import Assignment
from .services import assignment_cancel, assignment_create


class AssignmentForm(forms.Form):
    """The audience rule, dates and whether the course is mandatory."""

    course = forms.ModelChoiceField(
        label=gettext_lazy("Course"), queryset=CoursePage.objects.live().order_by("title")
    )
    fiscal_year = forms.IntegerField(
        label=gettext_lazy("Fiscal year"), min_value=2000, max_value=2100
    )
    units = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Units"),
        required=False,
        queryset=OrgUnit.objects.current().filter(
            kind__in=[OrgUnitKind.BUREAU, OrgUnitKind.DEPARTMENT, OrgUnitKind.SECTION]
        ),
        help_text=gettext_lazy("Everyone under these units. Leave empty for the whole city."),
    )
    positions = forms.MultipleChoiceField(
        label=gettext_lazy("Positions"),
        required=False,
        choices=Position.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("None ticked means every position."),
    )
    employment_types = forms.MultipleChoiceField(
        label=gettext_lazy("Employment types"),
        required=False,
        choices=EmploymentType.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("None ticked means every employment type."),
    )
    dx_pros_only = forms.BooleanField(label=gettext_lazy("DX PROs only"), required=False)
    opens_on = forms.DateField(
        label=gettext_lazy("Opens on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    due_on = forms.DateField(
        label=gettext_lazy("Due on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    mandatory = forms.BooleanField(label=gettext_lazy("Mandatory"), required=False, initial=True)

    def clean(self):
        data = super().clean()
        if data.get("opens_on") and data.get("due_on") and data["due_on"] < data["opens_on"]:
            self.add_error("due_on", _("The due date must not be before the opening date."))
        return data


@hr_required
def assignment_list(request: HttpRequest) -> HttpResponse:
    """Assignments, newest first, with their enrolment progress; the form to add one."""
    if request.method == "POST":
        form = AssignmentForm(request.POST)
        if form.is_valid():
            assignment_create(created_by=request.user, **form.cleaned_data)
            messages.success(request, _("The assignment was saved; staff are being enrolled."))
            return redirect("lms:assignments")
    else:
        form = AssignmentForm(initial={"fiscal_year": current_fiscal_year(), "mandatory": True})
    assignments = list(Assignment.objects.select_related("course").order_by("-created_at")[:100])
    return render(
        request,
        "lms/assignment_list.html",
        {"form": form, "assignments": assignments},
        status=400 if form.is_bound else 200,
    )


@hr_required
@require_POST
def assignment_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel an assignment: open enrollments are withdrawn, completions stay."""
    assignment = get_object_or_404(Assignment, pk=pk)
    withdrawn = assignment_cancel(assignment_id=assignment.pk, by=request.user)
    messages.success(
        request,
        _("The assignment was cancelled; %(count)d open enrolments were withdrawn.")
        % {"count": withdrawn},
    )
    return redirect("lms:assignments")

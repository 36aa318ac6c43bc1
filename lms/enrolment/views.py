"""HR assigns courses: the list with enrolment progress, the form, and cancelling.

The form is two steps: 「対象者を確認する」 counts who the rule enrols (``audience_preview``,
the fan-out's own selector), then 「割り当てる」 records the rule. The fan-out runs in Celery
(``lms.assignment_fan_out``) and the list shows its progress from the assignment row.
Cancelling asks for confirmation on a page of its own first.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from core.fiscal import current_fiscal_year, fiscal_year_label
from courses.models import CoursePage
from org.access import hr_required
from org.models import OrgUnit
from org.people import EmploymentType, Position

from ..models import (
    OPEN_STATUSES,
    RECURRENCE_MONTHS,
    Assignment,
    DueRule,
    Enrollment,
    Recurrence,
)
from .fan_out import audience_preview
from .services import assignment_cancel, assignment_create


@dataclass(frozen=True)
class UnitChoice:
    """One unit of the picker: indented by its level under the group's top unit."""

    pk: int
    name: str
    kind: str
    level: int
    checked: bool


@dataclass
class UnitGroup:
    """A top unit (部, or 局) with everything under it, as one fold of the picker."""

    name: str
    choices: list[UnitChoice]

    @property
    def checked_count(self) -> int:
        return sum(choice.checked for choice in self.choices)


class AssignmentForm(forms.Form):
    """The audience rule, dates and whether the course is mandatory."""

    course = forms.ModelChoiceField(
        label=gettext_lazy("Course"),
        queryset=CoursePage.objects.live().order_by("title"),
        empty_label=gettext_lazy("Choose a course"),
    )
    fiscal_year = forms.TypedChoiceField(label=gettext_lazy("Fiscal year"), coerce=int)
    units = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Units"),
        required=False,
        queryset=OrgUnit.objects.current(),
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "Everyone under the ticked units (部, 課 or 係). Leave all unticked for the whole city."
        ),
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
    recurrence = forms.ChoiceField(
        label=gettext_lazy("Repeat"),
        choices=Recurrence.choices,
        initial=Recurrence.NONE,
        required=False,
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "Every fiscal year: on April 1 the next year's assignment is made for the people "
            "then in the units, with the same dates a year later. Last year's records stay "
            "as they are."
        ),
    )
    recurrence_months = forms.TypedChoiceField(
        label=gettext_lazy("Every how many months"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=[("", "---")] + [(months, months) for months in RECURRENCE_MONTHS],
        help_text=gettext_lazy(
            "Fewer than 12 months: the fiscal year has several cycles (every 6 months: April "
            "and October), each taken afresh, and the figures count the latest. 24 months or "
            "more: a cycle every so many years."
        ),
    )
    due_rule = forms.ChoiceField(
        label=gettext_lazy("Due date for people who arrive later"),
        choices=DueRule.choices,
        initial=DueRule.FIXED,
        required=False,
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "Everyone there when the assignment opens is due on the date above. With a "
            "number of days, people who join the city, move into the units or are appointed "
            "DX PRO later get that many days from that day."
        ),
    )
    due_days = forms.IntegerField(
        label=gettext_lazy("Days to complete"),
        required=False,
        min_value=1,
        max_value=730,
        help_text=gettext_lazy(
            "The N above: needed when the due date counts from joining, moving or appointment; "
            "left blank for a fixed date."
        ),
    )
    renewal_window_days = forms.IntegerField(
        label=gettext_lazy("Re-enrol before a certificate expires (days)"),
        required=False,
        min_value=1,
        max_value=365,
        help_text=gettext_lazy(
            "For courses whose certificate expires: people are enrolled again this many days "
            "before their certificate runs out, due on the day it expires. Leave blank for none."
        ),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        this_year = current_fiscal_year()
        # Last year (a late assignment) to two years ahead, named in the screen's language.
        self.fields["fiscal_year"].choices = [
            (year, fiscal_year_label(year)) for year in range(this_year - 1, this_year + 3)
        ]

    def clean(self):
        data = super().clean()
        if data.get("opens_on") and data.get("due_on") and data["due_on"] < data["opens_on"]:
            self.add_error("due_on", _("The due date must not be before the opening date."))
        # Not chosen (an older form, a script): once, by a fixed date.
        data["recurrence"] = data.get("recurrence") or Recurrence.NONE
        data["due_rule"] = data.get("due_rule") or DueRule.FIXED
        if data.get("recurrence") == Recurrence.MONTHS and not data.get("recurrence_months"):
            self.add_error("recurrence_months", _("Choose every how many months."))
        if data.get("due_rule", DueRule.FIXED) != DueRule.FIXED and not data.get("due_days"):
            self.add_error("due_days", _("Enter the number of days to complete."))
        return data

    def _units(self) -> list[tuple[int, str, str, str, int]]:
        if not hasattr(self, "_unit_rows"):
            self._unit_rows = list(
                OrgUnit.objects.current()
                .order_by("path")
                .values_list("pk", "name", "kind", "path", "depth")
            )
        return self._unit_rows

    def _checked(self) -> set[str]:
        value = self["units"].value() or []
        return {str(pk) for pk in value}

    def unit_groups(self) -> list[UnitGroup]:
        """Every current unit under its top unit, in tree order (one query): 部 › 課 › 係
        indented, so a 係 can be chosen as easily as a 部."""
        checked = self._checked()
        groups: list[UnitGroup] = []
        top_depth = min((row[4] for row in self._units()), default=1)
        for pk, name, kind, _path, depth in self._units():
            if depth == top_depth or not groups:
                groups.append(UnitGroup(name=name, choices=[]))
            groups[-1].choices.append(
                UnitChoice(
                    pk=pk,
                    name=name,
                    kind=kind,
                    level=depth - top_depth + 1,
                    checked=str(pk) in checked,
                )
            )
        return groups

    def chosen_unit_names(self) -> list[str]:
        """The ticked units with the units above them (「市民部 › 市民課 › 窓口係」)."""
        by_path = {path: name for _pk, name, _kind, path, _depth in self._units()}
        step = OrgUnit.steplen
        names = []
        for unit in self.cleaned_data.get("units") or []:
            parts = [by_path.get(unit.path[:end]) for end in range(step, len(unit.path) + 1, step)]
            names.append(" › ".join(part for part in parts if part))
        return names

    def rule(self) -> dict:
        data = self.cleaned_data
        return {
            "unit_paths": [unit.path for unit in data["units"]],
            "positions": data["positions"],
            "employment_types": data["employment_types"],
            "dx_pros_only": data["dx_pros_only"],
        }


@hr_required
def assignment_list(request: HttpRequest) -> HttpResponse:
    """Assignments, newest fiscal year first, with their enrolment progress; the form to add
    one, previewed before it is saved."""
    preview = None
    if request.method == "POST":
        form = AssignmentForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            if request.POST.get("step") == "preview":
                preview = audience_preview(
                    course_id=data["course"].pk, fiscal_year=data["fiscal_year"], **form.rule()
                )
            else:
                assignment_create(created_by=request.user, **data)
                messages.success(request, _("The assignment was saved; staff are being enrolled."))
                return redirect("lms:assignments")
    else:
        form = AssignmentForm(initial={"fiscal_year": current_fiscal_year(), "mandatory": True})
    # Newest fiscal year first, and within a year the latest assigned first: the caption
    # says so (past years are often entered after the current one).
    assignments = list(
        Assignment.objects.select_related("course").order_by("-fiscal_year", "-created_at")[:100]
    )
    return render(
        request,
        "lms/assignment_list.html",
        {"form": form, "assignments": assignments, "preview": preview},
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@hr_required
@require_http_methods(["GET", "POST"])
def assignment_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel an assignment: open enrollments are withdrawn, completions stay. A GET shows
    what cancelling would withdraw and asks for confirmation; the POST cancels."""
    assignment = get_object_or_404(Assignment.objects.select_related("course"), pk=pk)
    if request.method == "GET":
        open_count = Enrollment.objects.filter(
            assignment_id=assignment.pk, status__in=OPEN_STATUSES
        ).count()
        return render(
            request,
            "lms/assignment_cancel_confirm.html",
            {"assignment": assignment, "open_count": open_count},
        )
    withdrawn = assignment_cancel(assignment_id=assignment.pk, by=request.user)
    messages.success(
        request,
        _("The assignment was cancelled; %(count)d open enrolments were withdrawn.")
        % {"count": withdrawn},
    )
    return redirect("lms:assignments")

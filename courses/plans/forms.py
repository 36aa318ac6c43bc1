"""Forms of the DX execution plan: the plan itself and its ordered steps.

Steps are a plain formset with an order number and a remove box per row and a few empty
rows to add to, so the page works with the keyboard and without JavaScript. Who may be the
owner is decided by the caller (``owner_queryset``): ``lms`` knows the unit's DX PROs.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.fiscal import fiscal_year_of

from ..models import DxPlan
from .services import MAX_STEPS, PLAN_FIELDS, PlanStepData

#: How many fiscal years ahead a deadline may be set.
YEARS_AHEAD = 5


def _year_choices(earliest: int) -> list[tuple[int, str]]:
    start = min(earliest, fiscal_year_of())
    return [
        (year, gettext("FY%(year)d") % {"year": year})
        for year in range(start, fiscal_year_of() + YEARS_AHEAD + 1)
    ]


class DxPlanForm(forms.ModelForm):
    """Purpose -> problem events -> target -> owner and status, in the guidebook's order."""

    deadline_fiscal_year = forms.TypedChoiceField(label=_("Deadline: fiscal year"), coerce=int)

    class Meta:
        model = DxPlan
        fields = list(PLAN_FIELDS)
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "problem_events": forms.Textarea(attrs={"rows": 4}),
            "current_value": forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
            "target_value": forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
        }
        help_texts = {
            "purpose": _("What residents or the organisation gain: the WHY of the idea."),
            "problem_events": _("What goes wrong today, as observable events (one per line)."),
            "kpi": _("What you will measure, e.g. hours of counter work per year."),
            "kpi_unit": _("e.g. hours per year, cases, %"),
        }

    def __init__(self, *args, owner_queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owner_queryset
        self.fields["owner"].empty_label = None
        current = self.instance.deadline_fiscal_year if self.instance.pk else fiscal_year_of()
        self.fields["deadline_fiscal_year"].choices = _year_choices(current)
        for name in ("current_value", "target_value"):
            self.fields[name].error_messages["invalid"] = gettext("Enter a number.")

    def clean(self):
        cleaned = super().clean()
        current, target = cleaned.get("current_value"), cleaned.get("target_value")
        if current is not None and target is not None and current == target:
            self.add_error(
                "target_value", gettext("The target value must differ from the current value.")
            )
        return cleaned

    def plan_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class PlanStepForm(forms.Form):
    text = forms.CharField(label=_("Step"), max_length=300, required=False)
    done = forms.BooleanField(label=_("Done"), required=False)


class BasePlanStepFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        if not self.steps():
            raise forms.ValidationError(gettext("Add at least one step."))

    def steps(self) -> list[PlanStepData]:
        """The steps with text, ordered by their order number (ties keep the row order)."""
        kept = [
            (form.cleaned_data.get("ORDER"), index, form.cleaned_data)
            for index, form in enumerate(self.forms)
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("text", "").strip()
        ]
        kept.sort(key=lambda item: (item[0] is None, item[0] or 0, item[1]))
        return [
            PlanStepData(text=data["text"], done=data.get("done", False)) for _o, _i, data in kept
        ]


PlanStepFormSet = forms.formset_factory(
    PlanStepForm,
    formset=BasePlanStepFormSet,
    extra=2,
    can_order=True,
    can_delete=True,
    max_num=MAX_STEPS,
    validate_max=True,
)


def step_initial(plan: DxPlan | None) -> list[dict]:
    if plan is None:
        return []
    return [
        {"text": step.text, "done": step.done, "ORDER": step.position} for step in plan.steps.all()
    ]

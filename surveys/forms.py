"""Forms of the surveys: a questionnaire built from its items, and the maturity levels."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .maturity import AXES
from .models import ItemKind, Questionnaire

LIKERT_CHOICES = [
    ("1", _("1 Disagree")),
    ("2", _("2 Rather disagree")),
    ("3", _("3 Neither")),
    ("4", _("4 Rather agree")),
    ("5", _("5 Agree")),
]


class QuestionnaireForm(forms.Form):
    """One field per item (``item_<id>``): radio buttons 1-5 or a text area.

    Validation beyond "is it one of the choices" lives in ``surveys.services.response_submit``
    so that every caller gets the same rules.
    """

    def __init__(self, *args, questionnaire: Questionnaire, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(questionnaire.items.all())
        for item in self.items:
            if item.kind == ItemKind.LIKERT:
                field = forms.ChoiceField(
                    label=item.text,
                    choices=LIKERT_CHOICES,
                    widget=forms.RadioSelect,
                    required=item.required,
                )
            else:
                field = forms.CharField(
                    label=item.text,
                    widget=forms.Textarea(attrs={"rows": 3}),
                    required=item.required,
                    max_length=4000,
                )
            self.fields[f"item_{item.pk}"] = field

    @property
    def has_required_items(self) -> bool:
        """Whether some items must be answered by whoever answers at all (the page says so)."""
        return any(item.required for item in self.items)

    def answers(self) -> dict[int, str]:
        return {item.pk: self.cleaned_data.get(f"item_{item.pk}") or "" for item in self.items}


class MaturityForm(forms.Form):
    """The four axes as radio groups whose labels are the level descriptions."""

    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the department plans to do next, or why a level changed."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for axis in AXES:
            self.fields[axis.field] = forms.TypedChoiceField(
                label=axis.label,
                help_text=axis.question,
                choices=[(level, f"{level}: {axis.describe(level)}") for level in range(1, 6)],
                coerce=int,
                widget=forms.RadioSelect,
            )
        self.order_fields([axis.field for axis in AXES] + ["note"])

    def axis_fields(self):
        return [self[axis.field] for axis in AXES]

    def levels(self) -> dict[str, int]:
        return {axis.field: self.cleaned_data[axis.field] for axis in AXES}

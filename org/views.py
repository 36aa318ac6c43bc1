"""HR's roster page: the organisation tree and the people of the selected unit."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from core.fiscal import current_fiscal_year, fiscal_year_label

from . import access
from .models import OrgUnit
from .paths import ancestor_paths
from .selectors import org_tree_for, people_in_unit, unit_full_names

PEOPLE_PER_PAGE = 50


class RosterFilterForm(forms.Form):
    """The search box and the active/inactive filter above the people list."""

    STATUS_ACTIVE = {"active": True, "inactive": False, "all": None}

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("Employee number, name, name in kana or e-mail address."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("active", _("Active staff")),
            ("inactive", _("Inactive (left)")),
            ("all", _("All")),
        ],
    )

    def active(self) -> bool | None:
        status = self.cleaned_data.get("status") if self.is_valid() else None
        return self.STATUS_ACTIVE.get(status or "active")

    def query(self) -> str:
        return self.cleaned_data.get("q", "") if self.is_valid() else ""


def _selected_unit(request: HttpRequest, year: int) -> OrgUnit | None:
    unit_id = request.GET.get("unit", "")
    if not unit_id:
        return None
    if not unit_id.isdigit():
        raise Http404
    try:
        return access.visible_units(request.user, fiscal_year=year).get(pk=int(unit_id))
    except OrgUnit.DoesNotExist as missing:
        raise Http404 from missing


@login_required
def roster(request: HttpRequest) -> HttpResponse:
    """The tree of current units and a searchable, paginated list of the selected unit's people.

    HR sees everyone; managers and DX PROs see their own units only (``org.access``).
    """
    if not access.can_view_units(request.user):
        raise PermissionDenied
    year = current_fiscal_year()
    unit = _selected_unit(request, year)
    form = RosterFilterForm(request.GET)
    people = people_in_unit(
        request.user, unit=unit, query=form.query(), active=form.active(), fiscal_year=year
    )
    page = Paginator(people, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    full_names = unit_full_names([person.unit for person in page.object_list] + [unit])
    for person in page.object_list:
        person.unit_full_name = full_names.get(person.unit_id, "")
    open_paths = set(ancestor_paths(unit.path)) if unit else set()
    return render(
        request,
        "org/roster.html",
        {
            "tree": org_tree_for(request.user, fiscal_year=year),
            "selected_unit": unit,
            "selected_unit_name": full_names.get(unit.pk, "") if unit else "",
            "open_paths": open_paths,
            "form": form,
            "page": page,
            "fiscal_year_label": fiscal_year_label(year),
            "searching": bool(form.query()),
        },
    )

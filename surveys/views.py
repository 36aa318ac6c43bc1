"""Screens of the surveys: answer a questionnaire, HR's results, the maturity trend and entry."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.fiscal import current_fiscal_year, fiscal_year_label, fiscal_year_short_label
from core.http import int_param
from lms.models import Enrollment
from org import access
from org.models import OrgUnit, OrgUnitKind

from . import selectors
from .charts import chart_description, maturity_line_chart
from .forms import MaturityForm, QuestionnaireForm
from .maturity import AXES
from .models import SurveyResponse
from .services import SurveyError, SurveyInvalid, maturity_save, questionnaire_for, response_submit


@login_required
def answer(request: HttpRequest, enrollment_pk: int) -> HttpResponse:
    """The questionnaire after one of my completed courses (optional, once a year)."""
    enrollment = get_object_or_404(
        Enrollment.objects.select_related("course"), pk=enrollment_pk, user_id=request.user.pk
    )
    questionnaire = questionnaire_for(enrollment=enrollment)
    if questionnaire is None:
        raise Http404
    already = SurveyResponse.objects.filter(
        user_id=request.user.pk,
        course_id=enrollment.course_id,
        fiscal_year=enrollment.fiscal_year,
    ).exists()
    form = QuestionnaireForm(request.POST or None, questionnaire=questionnaire)
    if request.method == "POST" and not already and form.is_valid():
        try:
            response_submit(user=request.user, enrollment=enrollment, answers=form.answers())
        except SurveyInvalid as exc:
            for error in exc.errors:
                form.add_error(f"item_{error.item_id}", error.message)
        except SurveyError as exc:
            messages.error(request, str(exc))
            return redirect("lms:my_training")
        else:
            messages.success(request, _("Thank you. Your answers were saved without your name."))
            return redirect("lms:my_training")
    return render(
        request,
        "surveys/answer.html",
        {
            "enrollment": enrollment,
            "questionnaire": questionnaire,
            "form": form,
            "already": already,
            "completed": enrollment.status == "completed",
            "year_label": fiscal_year_label(enrollment.fiscal_year),
        },
    )


@login_required
def results(request: HttpRequest) -> HttpResponse:
    """Questionnaire results per department: HR all, managers and DX PROs their units."""
    if not access.can_view_units(request.user):
        raise PermissionDenied
    year = int_param(request.GET, "year") or current_fiscal_year()
    choices = selectors.questionnaires()
    wanted = int_param(request.GET, "questionnaire")
    questionnaire = next((q for q in choices if q.pk == wanted), choices[0] if choices else None)
    context = {
        "questionnaires": choices,
        "questionnaire": questionnaire,
        "year": year,
        "year_label": fiscal_year_label(year),
        "years": list(range(current_fiscal_year(), current_fiscal_year() - 5, -1)),
        "min_group": selectors.MIN_GROUP,
    }
    if questionnaire is not None:
        found = selectors.questionnaire_results(
            viewer=request.user, questionnaire=questionnaire, fiscal_year=year
        )
        context.update(
            results=found,
            total_rows=[(item, found.total.item(item.pk)) for item in found.likert_items],
            department_rows=[(g, g.averages(found.likert_items)) for g in found.departments],
            text_rows=[(item, found.texts.get(item.pk, [])) for item in found.text_items],
        )
    return render(request, "surveys/results.html", context)


@login_required
def maturity(request: HttpRequest) -> HttpResponse:
    """The digital-maturity trend: one department's levels per year, or the average."""
    if not access.can_view_units(request.user):
        raise PermissionDenied
    departments = selectors.assessable_departments(request.user)
    assessments, years = selectors.maturity_overview(departments=departments)
    wanted = int_param(request.GET, "department")
    department = next((d for d in departments if d.pk == wanted), None)
    trend = selectors.maturity_trend(
        departments=departments,
        assessments=assessments,
        department=department,
        average_label=_("Average of the departments shown"),
    )
    year = current_fiscal_year()
    rows = []
    for d in departments:
        mine = assessments.get(d.pk, [])
        latest = mine[-1] if mine else None
        rows.append(
            {
                "department": d,
                "latest": latest,
                "this_year": bool(latest and latest.fiscal_year == year),
                "can_assess": access.can_assess_department(request.user, d),
            }
        )
    return render(
        request,
        "surveys/maturity.html",
        {
            "axes": AXES,
            "departments": departments,
            "department": department,
            "rows": rows,
            "trend": trend,
            "trend_rows": [
                {"label": fiscal_year_label(p.fiscal_year), "point": p, "levels": p.levels}
                for p in trend.points
            ],
            "chart": maturity_line_chart(trend.points, fiscal_year_short_label),
            "chart_description": chart_description(trend.points, fiscal_year_label),
            "year": year,
            "year_label": fiscal_year_label(year),
            "any_years": bool(years),
        },
    )


@login_required
def maturity_edit(request: HttpRequest, department_pk: int) -> HttpResponse:
    """Enter (or correct) this fiscal year's self-assessment of a department."""
    department = get_object_or_404(
        OrgUnit.objects.current(), pk=department_pk, kind=OrgUnitKind.DEPARTMENT
    )
    if not access.can_assess_department(request.user, department):
        raise PermissionDenied
    year = current_fiscal_year()
    existing = selectors.maturity_overview(departments=[department])[0].get(department.pk, [])
    current = next((a for a in existing if a.fiscal_year == year), None)
    previous = next((a for a in reversed(existing) if a.fiscal_year < year), None)
    initial = {}
    if current is not None:
        initial = {axis.field: getattr(current, axis.field) for axis in AXES}
        initial["note"] = current.note
    form = MaturityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            maturity_save(
                department=department,
                fiscal_year=year,
                levels=form.levels(),
                note=form.cleaned_data["note"],
                entered_by=request.user,
            )
        except SurveyError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The self-assessment was saved."))
            return redirect(reverse("surveys:maturity") + f"?department={department.pk}")
    return render(
        request,
        "surveys/maturity_edit.html",
        {
            "department": department,
            "form": form,
            "current": current,
            "previous": previous,
            "previous_levels": (
                [(axis.label, getattr(previous, axis.field)) for axis in AXES] if previous else []
            ),
            "previous_label": fiscal_year_label(previous.fiscal_year) if previous else "",
            "year_label": fiscal_year_label(year),
        },
    )

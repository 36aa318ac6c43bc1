"""DX execution plans: the list (DX PROs and the DX office), one plan, create and edit.

Scope and permissions come from ``courses.plans.selectors``; writes go through
``courses.plans.services``. A plan somebody may not see answers 404, as worksheets do; a plan
they may see but not change (HR reads all) answers 403 on the edit page.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.fiscal import fiscal_year_of
from core.http import int_param
from courses.models import DxPlan, PlanStatus, Quarter, SvoWorksheet
from courses.plans.forms import DxPlanForm, PlanStepFormSet, step_initial
from courses.plans.services import PlanConflict, plan_create, plan_update
from courses.plans.wording import kpi_for_statement
from org.models import OrgUnit

from .selectors import (
    PlanFilters,
    can_create_plan,
    can_edit_plan,
    owner_choices,
    plan_list,
    visible_plans,
)


@login_required
def plan_index(request: HttpRequest) -> HttpResponse:
    """The plans the viewer sees, with counts per status and filters."""
    unit_id = int_param(request.GET, "unit")
    status = request.GET.get("status", "")
    filters = PlanFilters(
        status=status if status in PlanStatus.values else "",
        unit=OrgUnit.objects.filter(pk=unit_id).first() if unit_id else None,
        fiscal_year=int_param(request.GET, "year"),
    )
    data = plan_list(request.user, filters=filters, page_number=request.GET.get("page"))
    return render(request, "courses/plan_list.html", {"plans": data})


def _plan_page(
    request, *, form, steps, worksheet, statement, plan=None, lock_version=None, status=200
):
    return render(
        request,
        "courses/plan_form.html",
        {
            "form": form,
            "steps": steps,
            "worksheet": worksheet,
            "statement": statement,
            "plan": plan,
            # After a refused edit the page keeps the old value: only a reload picks up the
            # other person's change, so it is never overwritten by resubmitting.
            "lock_version": plan.lock_version if lock_version is None and plan else lock_version,
        },
        status=status,
    )


@login_required
def plan_new(request: HttpRequest, worksheet_pk: int, statement_pk: int) -> HttpResponse:
    """Turn one idea of an approved worksheet into a plan (author or the unit's DX PRO)."""
    worksheet = get_object_or_404(
        SvoWorksheet.objects.select_related("user__unit", "exercise"), pk=worksheet_pk
    )
    if not can_create_plan(request.user, worksheet):
        raise Http404
    statement = get_object_or_404(worksheet.statements.exclude(idea=""), pk=statement_pk)
    existing = DxPlan.objects.filter(statement=statement).first()
    if existing is not None:
        messages.info(request, _("This idea already has a plan."))
        return redirect("courses:plan_detail", pk=existing.pk)
    owners = owner_choices(worksheet)
    if request.method == "POST":
        form = DxPlanForm(request.POST, owner_queryset=owners)
        steps = PlanStepFormSet(request.POST, prefix="steps")
        if form.is_valid() and steps.is_valid():
            try:
                plan = plan_create(
                    worksheet_id=worksheet.pk,
                    statement_id=statement.pk,
                    by=request.user,
                    data=form.plan_data(),
                    steps=steps.steps(),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The plan was created."))
                return redirect("courses:plan_detail", pk=plan.pk)
        return _plan_page(
            request, form=form, steps=steps, worksheet=worksheet, statement=statement, status=400
        )
    hours = statement.hours_per_year
    initial = {
        "title": statement.idea[:200],
        "purpose": statement.purpose,
        "owner": worksheet.user_id,
        "status": PlanStatus.DRAFT,
        "deadline_fiscal_year": fiscal_year_of(),
        "deadline_quarter": Quarter.Q4,
    }
    if hours is not None:
        initial.update(
            kpi=kpi_for_statement(statement),
            kpi_unit=_("hours per year"),
            current_value=hours,
        )
    form = DxPlanForm(initial=initial, owner_queryset=owners)
    steps = PlanStepFormSet(prefix="steps", initial=[])
    return _plan_page(request, form=form, steps=steps, worksheet=worksheet, statement=statement)


def _visible_or_404(request: HttpRequest, pk: int) -> DxPlan:
    return get_object_or_404(
        visible_plans(request.user).select_related(
            "worksheet__user__unit", "worksheet__exercise", "statement", "owner", "created_by"
        ),
        pk=pk,
    )


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _visible_or_404(request, pk)
    steps = list(plan.steps.all())
    return render(
        request,
        "courses/plan_detail.html",
        {
            "plan": plan,
            "steps": steps,
            "steps_done": sum(step.done for step in steps),
            "steps_total": len(steps),
            "can_edit": can_edit_plan(request.user, plan),
        },
    )


@login_required
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _visible_or_404(request, pk)
    if not can_edit_plan(request.user, plan):
        raise PermissionDenied
    owners = owner_choices(plan.worksheet, include=plan.owner_id)
    if request.method == "POST":
        form = DxPlanForm(request.POST, instance=plan, owner_queryset=owners)
        steps = PlanStepFormSet(request.POST, prefix="steps")
        if form.is_valid() and steps.is_valid():
            try:
                plan_update(
                    plan_id=plan.pk,
                    by=request.user,
                    lock_version=int_param(request.POST, "lock_version") or 0,
                    data=form.plan_data(),
                    steps=steps.steps(),
                )
            except PlanConflict as conflict:
                form.add_error(None, str(conflict))
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The plan was saved."))
                return redirect("courses:plan_detail", pk=plan.pk)
        return _plan_page(
            request,
            form=form,
            steps=steps,
            worksheet=plan.worksheet,
            statement=plan.statement,
            plan=plan,
            lock_version=int_param(request.POST, "lock_version") or 0,
            status=400,
        )
    form = DxPlanForm(instance=plan, owner_queryset=owners)
    steps = PlanStepFormSet(prefix="steps", initial=step_initial(plan))
    return _plan_page(
        request,
        form=form,
        steps=steps,
        worksheet=plan.worksheet,
        statement=plan.statement,
        plan=plan,
    )

"""Writes of DX execution plans (DX実行計画).

Each service checks who may act through ``org.access`` first (the worksheet's author or a DX
PRO of the author's unit creates; the author, the owner or that DX PRO changes; HR reads),
then refuses what is never right whoever asks: a plan from a worksheet that is not approved,
from a statement of another worksheet or without an idea, a second plan for the same idea,
a plan without steps, and an edit made from an out-of-date copy.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from org import access

from ..models import DxPlan, DxPlanStep, PlanStatus, SvoStatement, SvoWorksheet, WorksheetStatus

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

#: The fields of a plan a person fills in (steps come separately, in order).
PLAN_FIELDS = (
    "title",
    "purpose",
    "problem_events",
    "kpi",
    "kpi_unit",
    "current_value",
    "target_value",
    "deadline_fiscal_year",
    "deadline_quarter",
    "owner",
    "status",
)
MAX_STEPS = 20


class PlanConflict(Exception):
    """The plan changed since the copy the edit was made from."""

    def __init__(self) -> None:
        super().__init__(
            _("Someone else changed this plan meanwhile. Reload it and make your edit again.")
        )


@dataclass(frozen=True)
class PlanStepData:
    text: str
    done: bool = False


def _clean_steps(steps: list[PlanStepData]) -> list[PlanStepData]:
    cleaned = [
        PlanStepData(text=step.text.strip()[:300], done=bool(step.done))
        for step in steps
        if step.text.strip()
    ]
    if not cleaned:
        raise ValidationError(_("Add at least one step."))
    if len(cleaned) > MAX_STEPS:
        raise ValidationError(_("At most %(count)d steps.") % {"count": MAX_STEPS})
    return cleaned


def _apply(plan: DxPlan, data: dict[str, Any]) -> None:
    for name in PLAN_FIELDS:
        if name in data:
            setattr(plan, name, data[name])
    if plan.status not in PlanStatus.values:
        raise ValidationError(_("Choose a status."))
    if Decimal(plan.current_value) == Decimal(plan.target_value):
        raise ValidationError(_("The target value must differ from the current value."))


def _write_steps(plan: DxPlan, steps: list[PlanStepData]) -> None:
    plan.steps.all().delete()
    DxPlanStep.objects.bulk_create(
        DxPlanStep(plan=plan, position=position, text=step.text, done=step.done)
        for position, step in enumerate(steps, start=1)
    )


@transaction.atomic
def plan_create(
    *,
    worksheet_id: int,
    statement_id: int,
    by: AbstractBaseUser,
    data: dict[str, Any],
    steps: list[PlanStepData],
) -> DxPlan:
    """Turn the HOW idea of one statement of an approved worksheet into a plan.

    ``data`` holds the :data:`PLAN_FIELDS` (``owner`` a user). One idea becomes at most one
    plan: a second attempt (another tab, the other editor) raises ``ValidationError``.
    """
    worksheet = (
        SvoWorksheet.objects.select_for_update(of=("self",))
        .select_related("user__unit")
        .get(pk=worksheet_id)
    )
    access.require(
        access.can_create_plan_for(by, worksheet.user),
        _("Only the author or a DX PRO of the author's unit turns this worksheet into plans."),
    )
    if worksheet.status != WorksheetStatus.APPROVED:
        raise ValidationError(_("Only an approved worksheet can become a plan."))
    statement = SvoStatement.objects.filter(pk=statement_id, worksheet=worksheet).first()
    if statement is None:
        raise ValidationError(_("That statement is not part of this worksheet."))
    if not statement.idea.strip():
        raise ValidationError(_("This statement has no improvement idea to plan."))
    if DxPlan.objects.filter(statement=statement).exists():
        raise ValidationError(_("This idea already has a plan."))
    cleaned_steps = _clean_steps(steps)
    plan = DxPlan(
        worksheet=worksheet, statement=statement, source_idea=statement.idea, created_by=by
    )
    _apply(plan, data)
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError as error:
        raise ValidationError(_("This idea already has a plan.")) from error
    _write_steps(plan, cleaned_steps)
    return plan


@transaction.atomic
def plan_update(
    *,
    plan_id: int,
    by: AbstractBaseUser,
    lock_version: int,
    data: dict[str, Any],
    steps: list[PlanStepData],
) -> DxPlan:
    """Change a plan's fields, steps (replaced, in the given order) and status.

    ``lock_version`` must be the value the editor's copy was made from, else
    :class:`PlanConflict` and nothing is written.
    """
    plan = (
        DxPlan.objects.select_for_update(of=("self",))
        .select_related("worksheet__user__unit")
        .get(pk=plan_id)
    )
    access.require(
        access.can_edit_plan(by, author=plan.worksheet.user, owner_id=plan.owner_id),
        _("Only the author, the owner or a DX PRO of the author's unit changes this plan."),
    )
    if int(lock_version) != plan.lock_version:
        raise PlanConflict
    cleaned_steps = _clean_steps(steps)
    _apply(plan, data)
    plan.lock_version += 1
    plan.save()
    _write_steps(plan, cleaned_steps)
    return plan

"""Reads of DX execution plans: the list with its figures, the owners a plan may have.

Who sees and changes which plan is ``org.access`` knowledge (``visible_plans``,
``can_edit_plan`` ...); this module applies it to the plans' rows, so the list stays one
query however many plans the city has.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet

from org import access
from org.models import OrgUnit
from org.paths import ancestor_paths

from ..models import DxPlan, PlanStatus, SvoWorksheet, WorksheetStatus

User = get_user_model()

PLANS_PER_PAGE = 20


def visible_plans(viewer: User) -> QuerySet[DxPlan]:
    """Every plan ``viewer`` may see, as one query."""
    scope = access.visible_plans(viewer)
    return DxPlan.objects.all() if scope is None else DxPlan.objects.filter(scope)


def has_own_plans(person: User) -> bool:
    """Does ``person`` own a plan or author the worksheet of one (one query): staff find
    their own plans from the menu, not only through the worksheet."""
    return DxPlan.objects.filter(Q(owner=person) | Q(worksheet__user=person)).exists()


def can_create_plan(viewer: User, worksheet: SvoWorksheet) -> bool:
    """Only an approved worksheet grows plans, and only by its author or a DX PRO of the
    author's unit."""
    return worksheet.status == WorksheetStatus.APPROVED and access.can_create_plan_for(
        viewer, worksheet.user
    )


def can_edit_plan(viewer: User, plan: DxPlan) -> bool:
    return access.can_edit_plan(viewer, author=plan.worksheet.user, owner_id=plan.owner_id)


def can_view_plan(viewer: User, plan: DxPlan) -> bool:
    return access.can_view_plan(viewer, author=plan.worksheet.user, owner_id=plan.owner_id)


def owner_choices(worksheet: SvoWorksheet, *, include: int | None = None) -> QuerySet[User]:
    """Who may own a plan: the author and the DX PROs of the author's unit this year (and
    ``include``, the present owner, so an edit never drops them silently). One query."""
    author = worksheet.user
    condition = Q(pk=author.pk) | Q(pk__in=access.reviewers_of(author).values("pk"))
    if include:
        condition |= Q(pk=include)
    return User.objects.filter(condition, is_active=True).order_by("employee_number")


def _filter_units(scope: QuerySet[DxPlan]) -> list[OrgUnit]:
    """The authors' units and every unit above them (部, 課, 係), in tree order: two queries."""
    paths = {
        ancestor
        for path in scope.order_by()
        .filter(worksheet__user__unit__isnull=False)
        .values_list("worksheet__user__unit__path", flat=True)
        .distinct()
        for ancestor in ancestor_paths(path)
    }
    if not paths:
        return []
    units = list(OrgUnit.objects.filter(path__in=paths).order_by("path"))
    for unit in units:
        # Indented by depth with ideographic spaces: a select cannot hold markup.
        unit.option_label = "\u3000" * (unit.depth - 1) + unit.name
    return units


@dataclass
class PlanFilters:
    status: str = ""
    unit: OrgUnit | None = None
    fiscal_year: int | None = None


@dataclass
class PlanList:
    page: Page
    status_counts: list[tuple[str, str, int]]  # (value, label, count)
    total: int
    units: list[OrgUnit]
    years: list[int]
    filters: PlanFilters


def plan_list(viewer: User, *, filters: PlanFilters, page_number: object = 1) -> PlanList:
    """The plans ``viewer`` sees, filtered and paginated, with counts per status (for the
    other filters) and the units and deadline years there are to filter by. A fixed number
    of queries whatever the number of plans."""
    plans = visible_plans(viewer)
    if filters.unit is not None:
        plans = plans.filter(worksheet__user__unit__path__startswith=filters.unit.path)
    if filters.fiscal_year:
        plans = plans.filter(deadline_fiscal_year=filters.fiscal_year)
    by_status = dict(plans.order_by().values_list("status").annotate(n=Count("pk")))
    counts = [(value, label, by_status.get(value, 0)) for value, label in PlanStatus.choices]
    if filters.status:
        plans = plans.filter(status=filters.status)
    listed = (
        plans.select_related("worksheet__user__unit", "owner")
        .annotate(
            steps_total=Count("steps"),
            steps_done=Count("steps", filter=Q(steps__done=True)),
        )
        .order_by("deadline_fiscal_year", "deadline_quarter", "pk")
    )
    page = Paginator(listed, PLANS_PER_PAGE).get_page(page_number)
    scope = visible_plans(viewer)
    units = _filter_units(scope)
    years = sorted(set(scope.order_by().values_list("deadline_fiscal_year", flat=True).distinct()))
    return PlanList(
        page=page,
        status_counts=counts,
        total=sum(by_status.values()),
        units=units,
        years=years,
        filters=filters,
    )


def plan_for_idea(worksheet: SvoWorksheet) -> dict[int, DxPlan]:
    """The plans of a worksheet keyed by the statement they came from (one query)."""
    return {
        plan.statement_id: plan
        for plan in DxPlan.objects.filter(worksheet=worksheet, statement__isnull=False)
    }

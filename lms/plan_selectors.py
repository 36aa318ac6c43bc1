"""Who sees and changes which DX execution plans, and the plan list with its figures.

The rules, in the style of ``lms.access``:

- the author of the worksheet and the plan's owner see and edit their plan;
- a DX PRO sees and edits the plans of everyone under the units they are appointed to for
  the fiscal year (never creating one from their own worksheet as "DX PRO": as its author
  they may anyway);
- HR / the DX office sees every plan, read only, with the status counts it reports on;
- everyone else sees none.

Scopes are path prefixes of the author's current unit, so the list stays one query however
many plans the city has.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet

from core.fiscal import current_fiscal_year
from courses.models import DxPlan, PlanStatus, SvoWorksheet, WorksheetStatus
from org import access
from org.models import DxProAssignment, OrgUnit

from .models import User

PLANS_PER_PAGE = 20


def _under(paths: list[str]) -> Q:
    return reduce(or_, (Q(worksheet__user__unit__path__startswith=path) for path in paths))


def visible_plans(viewer: User) -> QuerySet[DxPlan]:
    """Every plan ``viewer`` may see, as one query."""
    if not viewer.is_authenticated or not viewer.is_active:
        return DxPlan.objects.none()
    if access.is_hr(viewer):
        return DxPlan.objects.all()
    scope = Q(worksheet__user=viewer) | Q(owner=viewer)
    paths = access.dx_pro_unit_paths(viewer)
    if paths:
        scope |= _under(paths)
    return DxPlan.objects.filter(scope)


def sees_plan_list(viewer: User) -> bool:
    """HR and DX PROs have the plan list in their menu; authors reach theirs from the
    worksheet (and may open the list too)."""
    return access.is_hr(viewer) or access.is_dx_pro(viewer)


def _is_dx_pro_of(viewer: User, author: User) -> bool:
    return access.can_review_worksheets_of(viewer, author)


def can_create_plan(viewer: User, worksheet: SvoWorksheet) -> bool:
    """The author and a DX PRO of the author's unit turn an approved worksheet into plans."""
    if not viewer.is_authenticated or not viewer.is_active:
        return False
    if worksheet.status != WorksheetStatus.APPROVED:
        return False
    return worksheet.user_id == viewer.pk or _is_dx_pro_of(viewer, worksheet.user)


def can_edit_plan(viewer: User, plan: DxPlan) -> bool:
    """The author, the owner and a DX PRO of the author's unit; HR only reads."""
    if not viewer.is_authenticated or not viewer.is_active:
        return False
    author = plan.worksheet.user
    return viewer.pk in (author.pk, plan.owner_id) or _is_dx_pro_of(viewer, author)


def can_view_plan(viewer: User, plan: DxPlan) -> bool:
    return can_edit_plan(viewer, plan) or access.is_hr(viewer)


def owner_choices(worksheet: SvoWorksheet, *, include: int | None = None) -> QuerySet[User]:
    """Who may own a plan: the author and the DX PROs of the author's unit this year (and
    ``include``, the present owner, so an edit never drops them silently). One query."""
    author = worksheet.user
    condition = Q(pk=author.pk)
    if include:
        condition |= Q(pk=include)
    if author.unit_id is not None:
        unit = author.unit
        step = unit.steplen
        paths = [unit.path[: step * depth] for depth in range(1, unit.depth + 1)]
        condition |= Q(
            pk__in=DxProAssignment.objects.filter(
                fiscal_year=current_fiscal_year(), unit__path__in=paths
            ).values("user_id")
        )
    return User.objects.filter(condition, is_active=True).order_by("employee_number")


def _filter_units(scope: QuerySet[DxPlan]) -> list[OrgUnit]:
    """The authors' units and every unit above them (部, 課, 係), in tree order: two queries."""
    step = OrgUnit.steplen
    paths = {
        path[: step * depth]
        for path in scope.order_by()
        .filter(worksheet__user__unit__isnull=False)
        .values_list("worksheet__user__unit__path", flat=True)
        .distinct()
        for depth in range(1, len(path) // step + 1)
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

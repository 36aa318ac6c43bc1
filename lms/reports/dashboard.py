"""Reads of the HR dashboard: completion rollups, people lists, coverage, trend.

Figures come from ``UnitCourseStats`` (one row per unit, course and year); a department's or
section's figure is the sum of the rows under its path, added up in Python from one query, so
the number of queries does not depend on the number of staff or units. People lists read the
raw enrollments of one unit's subtree, capped, with their units joined in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from django.core.paginator import Page, Paginator
from django.db.models import Case, IntegerField, Sum, Value, When
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy

from courses.models import CoursePage
from org.access import memo, visible_units
from org.models import DxProAssignment, OrgUnit, OrgUnitKind
from org.paths import (
    ancestor_paths,
    nearest_in,
    parent_path,
    sum_by_ancestor,
    sum_figures_by_ancestor,
)

from ..completion.figures import counted_in_units
from ..models import (
    OPEN_STATUSES,
    Enrollment,
    EnrollmentStatus,
    UnitCourseStats,
    User,
    in_current_cycle,
)

FIGURES = UnitCourseStats.FIGURES
PEOPLE_PER_PAGE = 50
#: How the rows of a level can be sorted: by code (the tree's order), name, completion rate
#: (lowest first, to find who lags) or any figure (largest first).
SORTS = {
    "code",
    "name",
    "completion",
    "enrolled",
    "completed",
    "in_progress",
    "not_started",
    "overdue",
}


@dataclass
class UnitRow:
    """One unit with the figures of its whole subtree."""

    unit_id: int
    name: str
    kind: str
    code: str
    path: str
    depth: int
    has_children: bool
    enrolled: int = 0
    not_started: int = 0
    in_progress: int = 0
    completed: int = 0
    overdue: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.completed / self.enrolled) if self.enrolled else 0

    def add(self, figures: dict) -> None:
        for name in FIGURES:
            setattr(self, name, getattr(self, name) + figures[name])


@dataclass
class Rollup:
    """Rows of one level (children of ``parent`` or the viewer's top units) and their total."""

    parent: UnitInfo | None
    breadcrumbs: list[UnitInfo]
    rows: list[UnitRow]
    total: UnitRow
    all_rows_of: Callable[[], list[UnitRow]] | None = field(default=None, repr=False)

    @cached_property
    def all_rows(self) -> list[UnitRow]:
        """Every visible unit (under ``parent`` when there is one) with its figures, in tree
        order (the exports): built on first use, as the page itself shows one level."""
        return self.all_rows_of() if self.all_rows_of else []


def _sorted(rows: list[UnitRow], sort: str) -> list[UnitRow]:
    if sort == "name":
        return sorted(rows, key=lambda r: r.name)
    if sort == "completion":
        return sorted(rows, key=lambda r: (r.percent, r.code))
    if sort in FIGURES:
        return sorted(rows, key=lambda r: (-getattr(r, sort), r.code))
    return sorted(rows, key=lambda r: (r.code, r.path))


@dataclass(frozen=True, slots=True)
class UnitInfo:
    """What the dashboard needs of a unit: read as plain tuples, because a city has about a
    thousand units and model instances of them cost more than the query."""

    pk: int
    name: str
    kind: str
    code: str
    path: str
    depth: int
    numchild: int


def _current_visible_units(viewer: User, fiscal_year: int) -> list[UnitInfo]:
    """The viewer's current visible units in path order, loaded once per request (the
    rollup, the people list and the coverage all need them)."""

    def load() -> list[UnitInfo]:
        rows = (
            visible_units(viewer, fiscal_year=fiscal_year)
            .current()
            .order_by("path")
            .values_list("pk", "name", "kind", "code", "path", "depth", "numchild")
        )
        return [UnitInfo(*row) for row in rows]

    return memo(viewer, f"dashboard_units:{fiscal_year}", load)


def _units_within(viewer: User, fiscal_year: int, within: UnitInfo | None) -> list[UnitInfo]:
    """The viewer's current visible units in path order: all of them, or ``within`` and the
    units below it."""
    units = _current_visible_units(viewer, fiscal_year)
    if within is None:
        return units
    return [unit for unit in units if unit.path.startswith(within.path)]


def home_unit_id(*, viewer: User, fiscal_year: int) -> int | None:
    """Where a manager's or DX PRO's dashboard opens: the one unit at the top of what they
    see, or ``None`` (the list of their units) when they have several. No query of its own:
    the visible units are loaded once per request."""
    units = _current_visible_units(viewer, fiscal_year)
    paths = {unit.path for unit in units}
    tops = [unit for unit in units if parent_path(unit.path) not in paths]
    return tops[0].pk if len(tops) == 1 else None


def completion_rollup(
    *,
    viewer: User,
    course_id: int,
    fiscal_year: int,
    parent_id: int | None = None,
    sort: str = "code",
) -> Rollup:
    """Completion per unit one level below ``parent_id`` (or the viewer's top units).

    Two queries whatever the size of the city: the visible units (shared with ``coverage``
    in the same request) and their figures; the breadcrumbs come from the loaded units.
    """
    units = _current_visible_units(viewer, fiscal_year)
    by_id = {unit.pk: unit for unit in units}
    parent = by_id.get(parent_id) if parent_id else None
    figures = UnitCourseStats.objects.filter(
        course_id=course_id,
        fiscal_year=fiscal_year,
        unit__in=visible_units(viewer, fiscal_year=fiscal_year),
    )
    if parent is not None:
        # Drilled in, the page and its exports show the parent's subtree only: read only
        # its figures.
        figures = figures.filter(unit__path__startswith=parent.path)
    stats_rows = list(figures.values("unit__path", *FIGURES))
    sums = sum_figures_by_ancestor(((row["unit__path"], row) for row in stats_rows), FIGURES)
    paths = {unit.path for unit in units}

    def row_of(unit: UnitInfo) -> UnitRow:
        row = UnitRow(
            unit_id=unit.pk,
            name=unit.name,
            kind=unit.kind,
            code=unit.code,
            path=unit.path,
            depth=unit.depth,
            has_children=unit.numchild > 0,
        )
        row.add(sums.get(unit.path, dict.fromkeys(FIGURES, 0)))
        return row

    if parent is not None:
        level = [u for u in units if u.depth == parent.depth + 1 and u.path.startswith(parent.path)]
        # The visible ancestors are among the units already loaded: no query.
        by_path = {unit.path: unit for unit in units}
        breadcrumbs = [by_path[path] for path in ancestor_paths(parent.path) if path in by_path]
    else:
        # The viewer's top units: those without a visible parent.
        level = [u for u in units if parent_path(u.path) not in paths]
        breadcrumbs = []
    rows = _sorted([row_of(unit) for unit in level], sort)
    total = UnitRow(unit_id=0, name="", kind="", code="", path="", depth=0, has_children=False)
    if parent is not None:
        total = row_of(parent)
    else:
        for row in rows:
            total.add({name: getattr(row, name) for name in FIGURES})
    return Rollup(
        parent=parent,
        breadcrumbs=breadcrumbs,
        rows=rows,
        total=total,
        all_rows_of=lambda: [row_of(unit) for unit in _units_within(viewer, fiscal_year, parent)],
    )


class CountedPaginator(Paginator):
    """A paginator told its count: the people lists take it from the kept figures, which
    count the same enrolments, so paging costs no ``COUNT(*)`` over the enrolment rows."""

    def __init__(self, object_list, per_page, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self._known_count = max(0, count)

    @cached_property
    def count(self) -> int:
        return self._known_count


def people_count(total: UnitRow, show: str) -> int:
    """How many people the list of ``show`` holds, from the figures of its units."""
    if show == "overdue":
        return total.overdue
    if show == "not_started":
        return total.not_started
    return total.enrolled


def unit_people(
    *,
    viewer: User,
    within: UnitInfo | None,
    course_id: int,
    fiscal_year: int,
    show: str = "all",
    count: int,
    page: str | int | None = 1,
) -> Page:
    """One page of the enrollments counted in ``within`` and the units below it (or in all
    the viewer sees), the people who still have something to do first: overdue, then not
    started, then in progress, then completed; soonest due first within each.

    ``show`` is ``all``, ``overdue`` or ``not_started``; ``count`` is the list's length
    from the kept figures (``people_count``). One query. The units come from the viewer's
    visible units (already loaded by the rollup), so nobody outside the viewer's scope is
    listed. An enrollment counts where the figures count it (``stats.counted_in_units``):
    found through indexes, not by filtering every enrollment of the course on joined paths.
    """
    today = timezone.localdate()
    unit_ids = [unit.pk for unit in _units_within(viewer, fiscal_year, within)]
    of_course = Enrollment.objects.filter(
        in_current_cycle(), course_id=course_id, fiscal_year=fiscal_year
    )
    if show == "overdue":
        of_course = of_course.filter(status__in=OPEN_STATUSES, due_on__lt=today)
    elif show == "not_started":
        of_course = of_course.filter(status=EnrollmentStatus.NOT_STARTED)
    enrollments = (
        Enrollment.objects.filter(pk__in=counted_in_units(of_course, unit_ids))
        .select_related("user", "user__unit")
        .annotate(
            to_do=Case(
                When(status__in=OPEN_STATUSES, due_on__lt=today, then=Value(0)),
                When(status=EnrollmentStatus.NOT_STARTED, then=Value(1)),
                When(status=EnrollmentStatus.IN_PROGRESS, then=Value(2)),
                When(status=EnrollmentStatus.COMPLETED, then=Value(3)),
                default=Value(4),
                output_field=IntegerField(),
            )
        )
        .order_by("to_do", "due_on", "user__unit__path", "user__kana", "user__employee_number")
    )
    people = CountedPaginator(enrollments, PEOPLE_PER_PAGE, count=count if unit_ids else 0)
    result = people.get_page(page)
    for enrollment in result.object_list:
        enrollment.overdue = enrollment.is_overdue(today)
    return result


#: What covers a section or department for the one-per-section goal, in the words every
#: screen and export uses, so each says which half of the rule holds.
COVERAGE_BASIS_LABELS = {
    "completed": gettext_lazy("Someone completed"),
    "appointed": gettext_lazy("DX PRO appointed (nobody completed)"),
    "none": gettext_lazy("Nobody completed and no DX PRO"),
}


@dataclass
class CoverageRow:
    """A section or department and whether anyone there is trained as a DX PRO.

    The rule: covered when someone under it completed the DX PRO course or holds a DX PRO
    appointment for the year; ``basis`` says which (a completion first).
    """

    unit_id: int
    name: str
    kind: str
    path: str
    pro_completed: int
    dx_pros: int
    department: str = ""

    @property
    def covered(self) -> bool:
        return bool(self.pro_completed or self.dx_pros)

    @property
    def basis(self) -> str:
        """``completed``, ``appointed`` (a DX PRO and no completion) or ``none``."""
        if self.pro_completed:
            return "completed"
        return "appointed" if self.dx_pros else "none"

    @property
    def basis_label(self) -> str:
        return str(COVERAGE_BASIS_LABELS[self.basis])


def coverage(
    *, viewer: User, fiscal_year: int, pro_course_id: int | None, within: UnitInfo | None = None
) -> list[CoverageRow]:
    """The one-per-section goal: sections and departments, gaps first (one query, and the
    visible units, which ``completion_rollup`` of the same request has already loaded).

    A unit is covered when someone under it completed the DX PRO course (in this or an
    earlier year) or holds a DX PRO appointment for the year. ``within`` limits the rows to
    that unit and the units below it (the dashboard drilled into a department). Each row
    names its department, as section names repeat across departments.
    """
    visible = _current_visible_units(viewer, fiscal_year)
    departments = {u.path: u.name for u in visible if u.kind == OrgUnitKind.DEPARTMENT}
    units = [
        unit
        for unit in _units_within(viewer, fiscal_year, within)
        if unit.kind in (OrgUnitKind.DEPARTMENT, OrgUnitKind.SECTION)
    ]
    # A manager or DX PRO may see sections without their department: one more query for the
    # names of the departments above those (none for HR, who sees every department).
    orphans = [
        unit
        for unit in units
        if unit.kind == OrgUnitKind.SECTION and not _department_of(unit, departments)
    ]
    if orphans:
        above = {path for u in orphans for path in ancestor_paths(u.path, include_self=False)}
        departments.update(
            OrgUnit.objects.filter(path__in=above, kind=OrgUnitKind.DEPARTMENT).values_list(
                "path", "name"
            )
        )
    # One round trip: the DX PRO appointments come back with 0 in the "completed" column,
    # the DX PRO course's completions (always > 0) with their count.
    appointments = (
        DxProAssignment.objects.filter(fiscal_year=fiscal_year)
        .annotate(completed=Value(0, output_field=IntegerField()))
        .values_list("unit__path", "completed")
    )
    if pro_course_id:
        appointments = appointments.union(
            UnitCourseStats.objects.filter(
                course_id=pro_course_id, fiscal_year__lte=fiscal_year, completed__gt=0
            ).values_list("unit__path", "completed"),
            all=True,
        )
    completed_paths: list[tuple[str, int]] = []
    pro_paths: list[str] = []
    for path, completed in appointments:
        if completed:
            completed_paths.append((path, completed))
        else:
            pro_paths.append(path)
    # Each figure is added to every ancestor's path once, so the rows cost no more than
    # the figures times the depth (not units times figures).
    completed_under = sum_by_ancestor(completed_paths)
    pros_under = sum_by_ancestor((path, 1) for path in pro_paths)
    rows = []
    for unit in units:
        rows.append(
            CoverageRow(
                unit_id=unit.pk,
                name=unit.name,
                kind=unit.kind,
                path=unit.path,
                pro_completed=completed_under.get(unit.path, 0),
                dx_pros=pros_under.get(unit.path, 0),
                department=_department_of(unit, departments),
            )
        )
    return sorted(rows, key=lambda r: (r.covered, r.path))


@dataclass
class CoverageGroup:
    """One department on the coverage map, with its sections in tree order."""

    name: str
    covered: bool | None  # None when the viewer does not see the department itself
    sections: list[CoverageRow] = field(default_factory=list)


def coverage_map(rows: list[CoverageRow]) -> list[CoverageGroup]:
    """The coverage rows as a map: departments in tree order, each with its sections (no
    query; a manager who sees only sections gets them under their department's name)."""
    groups: dict[str, CoverageGroup] = {}
    for row in sorted(rows, key=lambda r: r.path):
        if row.kind == OrgUnitKind.DEPARTMENT:
            groups[row.path] = CoverageGroup(name=row.name, covered=row.covered)
            continue
        group = nearest_in(row.path, groups)
        if group is None:  # its department is not one the viewer sees: grouped by its name
            group = groups.setdefault(
                f"name:{row.department}", CoverageGroup(name=row.department, covered=None)
            )
        group.sections.append(row)
    return list(groups.values())


def _department_of(unit: UnitInfo, departments: dict[str, str]) -> str:
    """The name of the nearest department above ``unit`` ("" for a department itself)."""
    if unit.kind == OrgUnitKind.DEPARTMENT:
        return ""
    return nearest_in(unit.path, departments) or ""


def completion_trend(*, viewer: User, course_id: int) -> list[dict]:
    """Enrolled and completed per fiscal year for the viewer's units (one query)."""
    rows = list(
        UnitCourseStats.objects.filter(course_id=course_id, unit__in=visible_units(viewer))
        .values("fiscal_year")
        .annotate(enrolled=Sum("enrolled"), completed=Sum("completed"))
        .order_by("fiscal_year")
    )
    for row in rows:
        row["percent"] = round(100 * row["completed"] / row["enrolled"]) if row["enrolled"] else 0
    return rows


def dashboard_courses() -> list[CoursePage]:
    """Courses to choose from (one query)."""
    return list(
        CoursePage.objects.live().only("pk", "title", "slug", "trains_dx_pros").order_by("title")
    )


@dataclass
class DepartmentYear:
    """One department's figures for the fiscal year: per course and over all courses."""

    unit_id: int
    name: str
    code: str
    path: str
    courses: dict[int, UnitRow] = field(default_factory=dict)
    total: UnitRow | None = None


def department_rollup(*, fiscal_year: int) -> list[DepartmentYear]:
    """Every current department's figures in every course of the year (two queries).

    The per-unit figures are summed under each department's path by the database (grouped
    by the path prefix of the department's depth), so the cost follows the number of
    figure rows, not of staff or enrollments.
    """
    departments = list(
        OrgUnit.objects.current()
        .filter(kind=OrgUnitKind.DEPARTMENT)
        .only("pk", "name", "kind", "code", "path", "depth")
    )
    by_path = {unit.path: unit for unit in departments}
    result = {
        unit.path: DepartmentYear(unit_id=unit.pk, name=unit.name, code=unit.code, path=unit.path)
        for unit in departments
    }
    for depth in sorted({unit.depth for unit in departments}):
        sums = (
            UnitCourseStats.objects.filter(fiscal_year=fiscal_year, unit__depth__gte=depth)
            .annotate(top=Substr("unit__path", 1, depth * OrgUnit.steplen))
            .values("top", "course_id")
            .annotate(**{name: Sum(name) for name in FIGURES})
            .order_by()
        )
        for row in sums:
            unit = by_path.get(row["top"])
            if unit is None:
                continue
            figures = UnitRow(
                unit_id=unit.pk,
                name=unit.name,
                kind=unit.kind,
                code=unit.code,
                path=unit.path,
                depth=unit.depth,
                has_children=True,
            )
            figures.add(row)
            result[unit.path].courses[row["course_id"]] = figures
    rows = sorted(result.values(), key=lambda r: (r.code, r.path))
    for row in rows:
        row.total = UnitRow(
            unit_id=row.unit_id,
            name=row.name,
            kind=OrgUnitKind.DEPARTMENT,
            code=row.code,
            path=row.path,
            depth=0,
            has_children=True,
        )
        for figures in row.courses.values():
            row.total.add({name: getattr(figures, name) for name in FIGURES})
    return rows

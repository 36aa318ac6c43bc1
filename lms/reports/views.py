"""HR's training dashboard: completion per department, section and unit; lists; exports.

HR sees the whole city; managers and DX PROs see the units they are responsible for
(``lms.access``). The figures come from ``UnitCourseStats`` through the dashboard selectors,
so the number of queries does not grow with staff.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import pgettext

from audit.models import AuditAction
from audit.services import record as audit_record
from core.fiscal import current_fiscal_year, fiscal_year_label
from core.http import int_param
from org import access

from ..my_training.panels import dashboard_links
from . import dashboard as selectors
from .exports import completion_header, completion_lines, to_csv, to_xlsx


def _params(request: HttpRequest) -> dict:
    """The dashboard's choices from the query string, with safe defaults."""
    viewer = request.user
    year = int_param(request.GET, "year") or current_fiscal_year()
    if not access.can_view_units(viewer, fiscal_year=year):
        raise PermissionDenied
    courses = selectors.dashboard_courses()
    wanted = int_param(request.GET, "course")
    course = next((c for c in courses if c.pk == wanted), None) or next(
        (c for c in courses if not c.trains_dx_pros), courses[0] if courses else None
    )
    pro_course = next((c for c in courses if c.trains_dx_pros), None)
    sort = request.GET.get("sort", "code")
    show = request.GET.get("show", "all")
    return {
        "year": year,
        "courses": courses,
        "course": course,
        "pro_course": pro_course,
        "unit_id": int_param(request.GET, "unit"),
        "sort": sort if sort in selectors.SORTS else "code",
        "show": show if show in ("all", "overdue", "not_started") else "all",
    }


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Completion per level with drill-down, people lists, coverage and trend."""
    params = _params(request)
    course, year = params["course"], params["year"]
    context = {
        **params,
        "year_label": fiscal_year_label(year),
        "can_remind": access.can_send_reminders(request.user),
        "report_links": dashboard_links(request, year),
        "years": list(range(current_fiscal_year(), current_fiscal_year() - 5, -1)),
    }
    if course is not None:
        rollup = selectors.completion_rollup(
            viewer=request.user,
            course_id=course.pk,
            fiscal_year=year,
            parent_id=params["unit_id"],
            sort=params["sort"],
        )
        people = None
        if rollup.parent is not None or params["show"] != "all":
            people = selectors.unit_people(
                viewer=request.user,
                within=rollup.parent,
                course_id=course.pk,
                fiscal_year=year,
                show=params["show"],
                count=selectors.people_count(rollup.total, params["show"]),
                page=request.GET.get("page"),
            )
        # Drilled into a unit, the coverage is that unit's; at the top, the viewer's whole set.
        coverage = selectors.coverage(
            viewer=request.user,
            fiscal_year=year,
            pro_course_id=params["pro_course"].pk if params["pro_course"] else None,
            within=rollup.parent,
        )
        context.update(
            rollup=rollup,
            people=people,
            coverage=coverage,
            coverage_map=selectors.coverage_map(coverage),
            coverage_gaps=[row for row in coverage if not row.covered],
            coverage_covered=[row for row in coverage if row.covered],
            trend=selectors.completion_trend(viewer=request.user, course_id=course.pk),
        )
    return render(request, "lms/dashboard.html", context)


def _export(request: HttpRequest):
    params = _params(request)
    if params["course"] is None:
        raise PermissionDenied
    rollup = selectors.completion_rollup(
        viewer=request.user, course_id=params["course"].pk, fiscal_year=params["year"]
    )
    coverage = selectors.coverage(
        viewer=request.user,
        fiscal_year=params["year"],
        pro_course_id=params["pro_course"].pk if params["pro_course"] else None,
    )
    name = f"completion-{params['year']}-{params['course'].pk}"
    csv_export = request.resolver_match.url_name == "dashboard_csv"
    audit_record(
        action=AuditAction.EXPORT_CSV if csv_export else AuditAction.EXPORT_XLSX,
        target=params["course"],
        details={"report": "completion", "fiscal_year": params["year"]},
    )
    return name, completion_header(), completion_lines(rollup.all_rows, coverage)


@login_required
def dashboard_csv(request: HttpRequest) -> HttpResponse:
    """Every visible unit's figures as CSV: UTF-8 with BOM, or ``?encoding=cp932``."""
    name, header, lines = _export(request)
    cp932 = request.GET.get("encoding") == "cp932"
    body = to_csv(header, lines, encoding="cp932" if cp932 else "utf-8-sig")
    response = HttpResponse(
        body, content_type=f"text/csv; charset={'shift_jis' if cp932 else 'utf-8'}"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


@login_required
def dashboard_xlsx(request: HttpRequest) -> HttpResponse:
    """Every visible unit's figures as an Excel workbook."""
    name, header, lines = _export(request)
    response = HttpResponse(
        to_xlsx(header, lines, title=pgettext("percentage completed", "Completion")),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response

"""HR's training dashboard: completion per department, section and unit; lists; exports.

HR sees the whole city; managers and DX PROs see the units they are responsible for
(``lms.access``). The figures come from ``UnitCourseStats`` through the dashboard selectors,
so the number of queries does not grow with staff.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from audit.models import AuditAction
from audit.services import record as audit_record
from core.fiscal import current_fiscal_year, fiscal_year_label
from core.http import int_param
from courses.models import CoursePage
from org import access
from org.models import OrgUnit

from ..models import Assignment, ExportFormat, PeopleFilter
from ..my_training.panels import dashboard_links
from . import dashboard as selectors
from . import people as people_files
from .charts import completion_trend_chart
from .exports import completion_header, completion_lines, export_name, to_csv, to_xlsx


def _params(request: HttpRequest) -> dict:
    """The dashboard's choices from the query string, with safe defaults."""
    viewer = request.user
    year = int_param(request.GET, "year") or current_fiscal_year()
    if not access.can_view_units(viewer, fiscal_year=year):
        raise PermissionDenied
    courses = selectors.dashboard_courses()
    wanted = int_param(request.GET, "course")
    asked_for = request.GET.get("course", "") not in ("", None)
    course = next((c for c in courses if c.pk == wanted), None)
    # A course asked for that does not exist is said to be unknown, not replaced by another
    # course's figures.
    unknown_course = asked_for and course is None
    if course is None and not unknown_course:
        course = next((c for c in courses if not c.trains_dx_pros), courses[0] if courses else None)
    pro_course = next((c for c in courses if c.trains_dx_pros), None)
    sort = request.GET.get("sort", "code")
    show = request.GET.get("show", "all")
    return {
        "year": year,
        "courses": courses,
        "course": course,
        "unknown_course": unknown_course,
        "pro_course": pro_course,
        "unit_id": int_param(request.GET, "unit"),
        "sort": sort if sort in selectors.SORTS else "code",
        "show": show if show in ("all", "overdue", "not_started") else "all",
    }


def _drilled_in(request: HttpRequest, params: dict, rollup: selectors.Rollup) -> None:
    """A unit asked for that the viewer does not see (another section, another department,
    above their own) is not found, never replaced by the viewer's own figures."""
    if params["unit_id"] and rollup.parent is None:
        raise Http404(_("This unit does not exist or is not one of yours."))


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Completion per level with drill-down, people lists, coverage and trend.

    HR starts at the whole organisation; a manager or DX PRO at their own units (「担当の
    所属」): on the unit itself when they have one, else its list, and cannot go above it.
    """
    params = _params(request)
    course, year = params["course"], params["year"]
    if params["unit_id"] is None and not access.is_hr(request.user):
        params["unit_id"] = selectors.home_unit_id(viewer=request.user, fiscal_year=year)
    context = {
        **params,
        "sort_columns": _sort_columns(params["sort"]),
        "year_label": fiscal_year_label(year),
        "can_schedule": access.can_schedule_reports(request.user),
        "whole_organisation": access.is_hr(request.user),
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
        _drilled_in(request, params, rollup)
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
        trend = selectors.completion_trend(viewer=request.user, course_id=course.pk)
        context.update(
            rollup=rollup,
            people=people,
            # The names of a drilled-in unit: HR, and the unit's manager (not a DX PRO).
            can_export_people=rollup.parent is not None
            and access.can_view_unit(request.user, rollup.parent),
            people_filters=PeopleFilter.choices,
            export_show=params["show"],
            coverage=coverage,
            coverage_map=selectors.coverage_map(coverage),
            coverage_gaps=[row for row in coverage if not row.covered],
            coverage_covered=[row for row in coverage if row.covered],
            trend=trend,
            trend_chart=completion_trend_chart(trend),
            can_remind=rollup.parent is not None
            and access.can_send_reminders(request.user, rollup.parent),
        )
    return render(
        request, "lms/dashboard.html", context, status=404 if params["unknown_course"] else 200
    )


def _sort_columns(current: str) -> list[dict]:
    """The level table's columns, each a sort link; the sorted one says so (``aria-sort``)."""
    columns = [
        ("enrolled", _("Enrolled"), True),
        ("completed", _("Completed"), True),
        ("completion", pgettext("percentage completed", "Completion"), False),
        ("in_progress", pgettext("training status", "In progress"), True),
        ("not_started", _("Not started"), True),
        ("overdue", _("Overdue"), True),
    ]
    return [
        {
            "sort": key,
            "label": label,
            "num": key != "completion",
            "aria_sort": ("descending" if descending else "ascending") if key == current else "",
        }
        for key, label, descending in columns
    ]


def _export(request: HttpRequest):
    params = _params(request)
    if params["course"] is None:
        if params["unknown_course"]:
            raise Http404(_("There is no such course."))
        raise PermissionDenied
    rollup = selectors.completion_rollup(
        viewer=request.user,
        course_id=params["course"].pk,
        fiscal_year=params["year"],
        parent_id=params["unit_id"],
    )
    _drilled_in(request, params, rollup)
    coverage = selectors.coverage(
        viewer=request.user,
        fiscal_year=params["year"],
        pro_course_id=params["pro_course"].pk if params["pro_course"] else None,
        within=rollup.parent,
    )
    csv_export = request.resolver_match.url_name == "dashboard_csv"
    audit_record(
        action=AuditAction.EXPORT_CSV if csv_export else AuditAction.EXPORT_XLSX,
        target=params["course"],
        unit=rollup.parent.pk if rollup.parent else None,
        details={"report": "completion", "fiscal_year": params["year"]},
    )
    name = export_name(
        course=params["course"].title,
        fiscal_year=params["year"],
        unit=rollup.parent.name if rollup.parent else "",
    )
    return name, completion_header(), completion_lines(rollup.all_rows, coverage)


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    # RFC 6266/5987: the Japanese name as filename*, an ASCII fallback for old clients.
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@login_required
def dashboard_csv(request: HttpRequest) -> HttpResponse:
    """The visible units' figures (or a drilled-in unit's subtree) as CSV: UTF-8 with BOM, or
    ``?encoding=cp932``; each encoding under its own file name."""
    name, header, lines = _export(request)
    cp932 = request.GET.get("encoding") == "cp932"
    body = to_csv(header, lines, encoding="cp932" if cp932 else "utf-8-sig")
    response = HttpResponse(
        body, content_type=f"text/csv; charset={'shift_jis' if cp932 else 'utf-8'}"
    )
    return _attachment(response, f"{name}_{'Shift_JIS' if cp932 else 'UTF-8'}.csv")


@login_required
def dashboard_xlsx(request: HttpRequest) -> HttpResponse:
    """The same figures as an Excel workbook (codes kept as text, columns sized)."""
    name, header, lines = _export(request)
    response = HttpResponse(
        to_xlsx(header, lines, title=pgettext("percentage completed", "Completion")),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    return _attachment(response, f"{name}.xlsx")


# --- the people list of a unit, with names ---------------------------------------------------


def _people_export(request: HttpRequest, file_format: str) -> HttpResponse:
    """The names of a drilled-in unit's people for a course (or one of its assignments).

    HR may export any unit, a manager their own units and those below; for anyone else the
    unit does not exist (404), as for a unit or course that does not. Recorded in the audit
    log (who exported which unit's names), then streamed.
    """
    unit = OrgUnit.objects.filter(pk=int_param(request, "unit") or 0).first()
    if unit is None or not access.can_view_unit(request.user, unit):
        raise Http404(_("There is no such unit."))
    course = CoursePage.objects.live().filter(pk=int_param(request, "course") or 0).first()
    if course is None:
        raise Http404(_("There is no such course."))
    year = int_param(request, "year") or current_fiscal_year()
    assignment_id = int_param(request, "assignment")
    if assignment_id is not None:
        assignment = Assignment.objects.filter(pk=assignment_id, course=course).first()
        if assignment is None:
            raise Http404(_("There is no such assignment."))
        year = assignment.fiscal_year
    show = request.GET.get("show", PeopleFilter.ALL)
    if show not in PeopleFilter.values:
        show = PeopleFilter.ALL
    audit_record(
        action=AuditAction.EXPORT_XLSX
        if file_format == ExportFormat.XLSX
        else AuditAction.EXPORT_CSV,
        target=course,
        unit=unit,
        details={
            "report": "people",
            "fiscal_year": year,
            "show": show,
            "assignment": assignment_id,
            "format": file_format,
        },
    )
    lines = people_files.unit_people_lines(
        unit=unit, course_id=course.pk, fiscal_year=year, show=show, assignment_id=assignment_id
    )
    filename = people_files.people_file_name(
        course=course.title,
        fiscal_year=year,
        unit=unit.name,
        show=show,
        file_format=file_format,
    )
    if file_format == ExportFormat.XLSX:
        response = FileResponse(
            people_files.xlsx_file(lines, title=unit.name),
            content_type=people_files.content_type(file_format),
        )
    else:
        response = StreamingHttpResponse(
            people_files.csv_chunks(lines, cp932=file_format == ExportFormat.CSV_CP932),
            content_type=people_files.content_type(file_format),
        )
    response["Cache-Control"] = "private, no-store"
    return _attachment(response, filename)


@login_required
def people_csv(request: HttpRequest) -> HttpResponse:
    """The people list as CSV: UTF-8 with BOM, or ``?encoding=cp932``."""
    cp932 = request.GET.get("encoding") == "cp932"
    return _people_export(request, ExportFormat.CSV_CP932 if cp932 else ExportFormat.CSV_UTF8)


@login_required
def people_xlsx(request: HttpRequest) -> HttpResponse:
    """The people list as an Excel workbook (職員番号 kept as text)."""
    return _people_export(request, ExportFormat.XLSX)

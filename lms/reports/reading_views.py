"""HR / DX office: who reads the guidebook, per chapter and per department and section."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import record as audit_record
from core.spreadsheets import csv_writer
from org import access

from .reading import reading_report


def _require_hr(request: HttpRequest) -> None:
    if not access.is_hr(request.user):
        raise PermissionDenied


def _share(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.0f}"


@login_required
def report(request: HttpRequest) -> HttpResponse:
    """Per chapter: readers across the city; for the chosen chapter, per department/section."""
    _require_hr(request)
    data = reading_report()
    chapters = data["chapters"]
    try:
        selected_id = int(request.GET.get("chapter", ""))
    except ValueError:
        selected_id = None
    if selected_id not in data["rows"]:
        selected_id = chapters[0]["id"] if chapters else None
    overview = [rows[0] for rows in data["rows"].values()]
    return render(
        request,
        "lms/reading_report.html",
        {
            "chapters": chapters,
            "overview": overview,
            "selected_id": selected_id,
            "selected": data["rows"].get(selected_id, [None])[0] if selected_id else None,
            "unit_rows": data["rows"].get(selected_id, [])[1:] if selected_id else [],
        },
    )


@login_required
def report_csv(request: HttpRequest) -> HttpResponse:
    """Every chapter x (whole city, each bureau/department/section), for the mayor's meeting."""
    _require_hr(request)
    data = reading_report()
    audit_record(action=AuditAction.EXPORT_CSV, details={"report": "guidebook_reading"})
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    # RFC 6266/5987: the Japanese name as filename*, an ASCII fallback for old clients.
    response["Content-Disposition"] = content_disposition_header(
        True, f"ガイドブック閲読状況_{stamp}.csv"
    )
    response.write("\ufeff")  # BOM: Excel opens UTF-8 Japanese correctly
    writer = csv_writer(response)
    writer.writerow(
        [
            _("Edition"),
            _("Chapter"),
            _("Unit"),
            _("Kind"),
            _("Staff"),
            _("Readers"),
            _("Read share (%)"),
            _("Median reading time (s)"),
            _("Reached the end (%)"),
        ]
    )
    for rows in data["rows"].values():
        for row in rows:
            writer.writerow(
                [
                    row.edition,
                    row.chapter,
                    row.unit or _("Whole organisation"),
                    row.unit_kind,
                    row.staff,
                    row.readers,
                    _share(row.read_share),
                    "" if row.median_seconds is None else row.median_seconds,
                    _share(row.reached_end_share),
                ]
            )
    return response

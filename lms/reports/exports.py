"""Exports of the dashboard figures: CSV (UTF-8 with BOM, or CP932) and XLSX."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from django.utils.translation import gettext as _
from openpyxl import Workbook

from org.models import OrgUnitKind

from .dashboard import UnitRow


def completion_header() -> list[str]:
    return [
        _("Code"),
        _("Unit"),
        _("Kind"),
        _("Level"),
        _("Enrolled"),
        _("Not started"),
        _("In progress"),
        _("Completed"),
        _("Overdue"),
        _("Completion (%)"),
    ]


def completion_lines(rows: Iterable[UnitRow]) -> list[list]:
    kinds = dict(OrgUnitKind.choices)
    return [
        [
            row.code,
            row.name,
            str(kinds.get(row.kind, row.kind)),
            row.depth,
            row.enrolled,
            row.not_started,
            row.in_progress,
            row.completed,
            row.overdue,
            row.percent,
        ]
        for row in rows
    ]


def to_csv(header: list[str], lines: list[list], *, encoding: str = "utf-8-sig") -> bytes:
    """CSV bytes: ``utf-8-sig`` (BOM, Excel opens it) or ``cp932`` (unmappable -> '?')."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(lines)
    return buffer.getvalue().encode(encoding, errors="replace")


def to_xlsx(header: list[str], lines: list[list], *, title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(header)
    for line in lines:
        sheet.append(line)
    sheet.freeze_panes = "A2"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()

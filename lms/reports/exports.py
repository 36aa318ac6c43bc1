"""Exports of the dashboard figures: CSV (UTF-8 with BOM, or CP932) and XLSX."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

from org.models import OrgUnitKind

from .dashboard import CoverageRow, UnitRow


def completion_header() -> list[str]:
    return [
        _("Code"),
        _("Unit"),
        _("Kind"),
        _("Level"),
        _("Enrolled"),
        _("Not started"),
        pgettext("training status", "In progress"),
        _("Completed"),
        _("Overdue"),
        _("Completion (%)"),
        _("One-per-section goal"),
    ]


def completion_lines(rows: Iterable[UnitRow], coverage: Iterable[CoverageRow] = ()) -> list[list]:
    """One line per unit; sections and departments end with what covers them for the
    one-per-section goal (a completion, an appointment, or neither), in the dashboard's words."""
    kinds = dict(OrgUnitKind.choices)
    basis = {row.unit_id: row.basis_label for row in coverage}
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
            basis.get(row.unit_id, ""),
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

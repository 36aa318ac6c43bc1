"""Exports of the dashboard figures: CSV (UTF-8 with BOM, or CP932) and XLSX.

Unit codes such as 010000 are text. The XLSX keeps them so (text cells formatted ``@``):
that is the file to open by double-click. Excel converts a CSV's column to numbers whatever
the quoting (a leading zero is lost); the CSV is for systems and for Excel's import with the
code column set to text, as the dashboard says beside the buttons. Dates in exports are ISO.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterable

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from core.fiscal import reiwa_label
from core.spreadsheets import append_row, csv_writer
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
    """CSV bytes: ``utf-8-sig`` (BOM, Excel opens it) or ``cp932`` (unmappable -> '?'); no
    text cell can become a formula (``core.spreadsheets``)."""
    buffer = io.StringIO()
    writer = csv_writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(lines)
    return buffer.getvalue().encode(encoding, errors="replace")


def export_name(*, course: str, fiscal_year: int, unit: str = "") -> str:
    """A file name that says what the file holds, without extension, the year in words:
    ``DX基礎研修_令和8年度_修了状況`` (``_人事課`` before 修了状況 when drilled in)."""
    parts = [course, reiwa_label(fiscal_year), unit, "修了状況"]
    name = "_".join(part for part in parts if part)
    return re.sub(r'[\\/:*?"<>|\s]+', "_", name)


def _as_text(value):
    return value if value is None else str(value)


def _display_width(value) -> int:
    """Columns a value takes in a spreadsheet: full-width characters count twice."""
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def to_xlsx(
    header: list[str], lines: list[list], *, title: str, text_columns: Iterable[int] = (0,)
) -> bytes:
    """A workbook with a frozen header row, each column as wide as its longest value (within
    limits), and ``text_columns`` (the codes) stored and formatted as text; no text cell can
    become a formula (``core.spreadsheets``)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    append_row(sheet, header)
    text_columns = set(text_columns)
    for line in lines:
        append_row(sheet, [_as_text(v) if i in text_columns else v for i, v in enumerate(line)])
    for column in text_columns:
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column + 1, max_col=column + 1):
            cell.number_format = "@"
    for index, column in enumerate(sheet.columns, start=1):
        widest = max((_display_width(cell.value) for cell in column), default=0)
        sheet.column_dimensions[get_column_letter(index)].width = min(max(widest + 2, 8), 60)
    sheet.freeze_panes = "A2"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()

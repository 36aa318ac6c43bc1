"""The people list of one unit as a file: who is enrolled in a course, with names.

HR (any unit) and a unit's manager (their own units) download it from the dashboard; HR can
have it e-mailed on a schedule (``schedules``). Who may is ``org.access.can_view_unit``,
asked by the callers; this module reads and writes.

The list is read in two queries whatever its length: the units of the subtree with their
ancestors (for the 所属 column, the full path joined with ／), then the enrollments, streamed
from the database into the file row by row. An enrollment is listed where the dashboard's
figures count it (``counted_in_units``): a completion in the unit it was made in, anything
else open in the person's unit now; withdrawn ones are not listed.

Files: CSV in UTF-8 with a BOM (Excel opens it), CSV in CP932 (a character CP932 lacks is
written as 〓, never a crash), or XLSX written by openpyxl's write-only mode (rows go to disk
as they come), the 職員番号 stored as text so that ``000123`` stays ``000123``, the header
bold and frozen, every column sized. Dates are ISO, as in every export.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db.models import Case, F, Q, When
from django.utils import timezone
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from core.fiscal import fiscal_year_short_label
from core.spreadsheets import csv_writer, encode_cp932, write_only_row
from org.models import OrgUnit
from org.paths import ancestor_paths

from ..completion.figures import counted_in_units
from ..models import (
    OPEN_STATUSES,
    Enrollment,
    EnrollmentStatus,
    ExportFormat,
    PeopleFilter,
    in_current_cycle,
)

#: Widths of the columns (in characters; a kanji counts two): 職員番号, 氏名, 所属, 期限,
#: 状態, 修了日. Rows are streamed, so the widths are set before the first row, for the
#: longest usual value (a 所属 of 部／課／係 of ordinary names).
COLUMN_WIDTHS = (12, 20, 48, 12, 12, 12)
PATH_SEPARATOR = "／"


@dataclass(frozen=True, slots=True)
class PersonLine:
    """One line of the list."""

    employee_number: str
    name: str
    unit: str
    due_on: dt.date | None
    status: str
    completed_on: dt.date | None

    def cells(self) -> list:
        return [
            self.employee_number,
            self.name,
            self.unit,
            self.due_on.isoformat() if self.due_on else "",
            self.status,
            self.completed_on.isoformat() if self.completed_on else "",
        ]


def people_header() -> list[str]:
    return [
        pgettext("people list", "Employee number"),
        pgettext("people list", "Name"),
        pgettext("people list", "Unit"),
        pgettext("people list", "Due on"),
        pgettext("people list", "Status"),
        pgettext("people list", "Completed on"),
    ]


def _status_labels() -> dict[str, str]:
    return {
        "overdue": pgettext("people list status", "Overdue"),
        EnrollmentStatus.NOT_STARTED: pgettext("people list status", "Not started"),
        EnrollmentStatus.IN_PROGRESS: pgettext("people list status", "In progress"),
        EnrollmentStatus.COMPLETED: pgettext("people list status", "Completed"),
    }


def _unit_paths(unit: OrgUnit) -> dict[int, str]:
    """Every unit of ``unit``'s subtree by id, with its full name from the top (one query)."""
    above = ancestor_paths(unit.path, include_self=False)
    rows = OrgUnit.objects.filter(Q(path__startswith=unit.path) | Q(path__in=above)).values_list(
        "pk", "path", "name"
    )
    by_path = {path: (pk, name) for pk, path, name in rows}
    return {
        pk: PATH_SEPARATOR.join(by_path[p][1] for p in ancestor_paths(path) if p in by_path)
        for path, (pk, _name) in by_path.items()
        if path.startswith(unit.path)
    }


def unit_people_lines(
    *,
    unit: OrgUnit,
    course_id: int,
    fiscal_year: int,
    show: str = PeopleFilter.ALL,
    assignment_id: int | None = None,
    today: dt.date | None = None,
) -> Iterator[PersonLine]:
    """The people of ``unit`` and the units below it enrolled in the course in the year (or
    by one assignment), ``show`` being ``all``, ``overdue``, ``not_started`` or
    ``completed``; by unit, then 職員番号. The year's current cycle, as the figures count
    it, unless one assignment (a cycle of its own) is asked for. Two queries: the units now,
    the enrollments streamed as the lines are read (the labels are taken in the language
    active now)."""
    today = today or timezone.localdate()
    labels = _status_labels()
    paths = _unit_paths(unit)
    enrollments = Enrollment.objects.filter(course_id=course_id, fiscal_year=fiscal_year)
    if assignment_id is not None:
        enrollments = enrollments.filter(assignment_id=assignment_id)
    else:
        enrollments = enrollments.filter(in_current_cycle())
    if show == PeopleFilter.OVERDUE:
        enrollments = enrollments.filter(status__in=OPEN_STATUSES, due_on__lt=today)
    elif show == PeopleFilter.NOT_STARTED:
        enrollments = enrollments.filter(status=EnrollmentStatus.NOT_STARTED)
    elif show == PeopleFilter.COMPLETED:
        enrollments = enrollments.filter(status=EnrollmentStatus.COMPLETED)
    rows = (
        Enrollment.objects.filter(pk__in=counted_in_units(enrollments, paths))
        .annotate(
            listed_in=Case(
                When(
                    status=EnrollmentStatus.COMPLETED,
                    unit_at_completion__isnull=False,
                    then=F("unit_at_completion_id"),
                ),
                default=F("user__unit_id"),
            ),
            listed_path=Case(
                When(
                    status=EnrollmentStatus.COMPLETED,
                    unit_at_completion__isnull=False,
                    then=F("unit_at_completion__path"),
                ),
                default=F("user__unit__path"),
            ),
        )
        .order_by("listed_path", "user__employee_number")
        .values_list(
            "user__employee_number",
            "user__display_name",
            "listed_in",
            "due_on",
            "status",
            "completed_at",
        )
    )

    def lines() -> Iterator[PersonLine]:
        for number, name, unit_id, due_on, status, completed_at in rows.iterator(2000):
            overdue = status in OPEN_STATUSES and due_on is not None and due_on < today
            yield PersonLine(
                employee_number=number,
                name=name,
                unit=paths.get(unit_id, ""),
                due_on=due_on,
                status=labels["overdue"] if overdue else labels.get(status, status),
                completed_on=timezone.localdate(completed_at) if completed_at else None,
            )

    return lines()


# --- files ---------------------------------------------------------------------------------


def _show_word(show: str) -> str:
    return {
        PeopleFilter.ALL: pgettext("export file name", "Everyone"),
        PeopleFilter.OVERDUE: pgettext("export file name", "Overdue"),
        PeopleFilter.NOT_STARTED: pgettext("export file name", "Not started"),
        PeopleFilter.COMPLETED: pgettext("export file name", "Completed"),
    }[show]


def people_file_name(
    *, course: str, fiscal_year: int, unit: str, show: str, file_format: str
) -> str:
    """``情報セキュリティ研修_令和8年度_市民課_期限超過.xlsx``: the course, the year in words,
    the unit and whom the list holds; a CSV says its encoding (``_UTF-8.csv``,
    ``_Shift_JIS.csv``). Characters no file system takes become ``_``."""
    parts = [course, fiscal_year_short_label(fiscal_year), unit, _show_word(show)]
    stem = re.sub(r'[\\/:*?"<>|\s]+', "_", "_".join(part for part in parts if part))
    if file_format == ExportFormat.XLSX:
        return f"{stem}.xlsx"
    return f"{stem}_{'Shift_JIS' if file_format == ExportFormat.CSV_CP932 else 'UTF-8'}.csv"


def content_type(file_format: str) -> str:
    if file_format == ExportFormat.XLSX:
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    charset = "shift_jis" if file_format == ExportFormat.CSV_CP932 else "utf-8"
    return f"text/csv; charset={charset}"


class _Line:
    """A file-like whose ``write`` hands back what it was given: the CSV writer then returns
    each formatted line instead of keeping it."""

    def write(self, value: str) -> str:
        return value


def csv_chunks(lines: Iterable[PersonLine], *, cp932: bool = False) -> Iterator[bytes]:
    """The CSV file, a line at a time: the header first (after a BOM in UTF-8). The header
    is taken in the language active now, not when the response is read."""
    header = people_header()
    return _csv_chunks(header, lines, cp932=cp932)


def _csv_chunks(header: list[str], lines: Iterable[PersonLine], *, cp932: bool) -> Iterator[bytes]:
    writer = csv_writer(_Line(), lineterminator="\r\n")
    encode = encode_cp932 if cp932 else (lambda text: text.encode("utf-8"))
    if not cp932:
        yield "\ufeff".encode()
    yield encode(writer.writerow(header))
    for line in lines:
        yield encode(writer.writerow(line.cells()))


def write_xlsx(lines: Iterable[PersonLine], *, title: str, into) -> None:
    """The XLSX file into the binary file ``into``, rows streamed to disk as they come."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=re.sub(r"[\\/*?:\[\]]", "_", title)[:31] or "Sheet1")
    for index, width in enumerate(COLUMN_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    sheet.append(write_only_row(sheet, people_header(), text_columns=(0,), font=bold))
    for line in lines:
        sheet.append(write_only_row(sheet, line.cells(), text_columns=(0,)))
    workbook.save(into)


def xlsx_file(lines: Iterable[PersonLine], *, title: str):
    """The XLSX file as an open temporary file at its start (deleted when closed)."""
    spool = tempfile.TemporaryFile()
    write_xlsx(lines, title=title, into=spool)
    spool.seek(0)
    return spool


def file_bytes(lines: Iterable[PersonLine], *, file_format: str, title: str) -> bytes:
    """The whole file in memory (an e-mail attachment)."""
    if file_format == ExportFormat.XLSX:
        with xlsx_file(lines, title=title) as spool:
            return spool.read()
    return b"".join(csv_chunks(lines, cp932=file_format == ExportFormat.CSV_CP932))

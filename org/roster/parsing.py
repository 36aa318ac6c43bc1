"""Reading HR's roster file: CSV (CP932, UTF-8 with or without BOM) or XLSX into clean cells.

The output is a header map (field -> column index and the header text as written in the file)
and a list of ``(line_number, cells)`` where every cell is already normalised: NFKC (full-width
digits and letters become ASCII, half-width katakana full-width, U+3000 a plain space), trimmed,
inner runs of spaces collapsed. Nothing here knows about users or units.
"""

from __future__ import annotations

import csv
import functools
import operator
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from . import xlsx
from .encoding import is_utf16, utf16_message

# Canonical fields and the header names HR systems use for them. Headers are compared after
# ``normalize_header`` (NFKC, lower case, no spaces, underscores or hyphens).
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "employee_number": ("職員番号", "職員no", "職員コード", "employeenumber", "employeeno"),
    "display_name": ("氏名", "職員名", "名前", "name", "displayname", "fullname"),
    "kana": ("フリガナ", "ふりがな", "カナ", "氏名カナ", "kana", "furigana"),
    "email": ("メールアドレス", "メール", "電子メール", "email", "mail", "emailaddress"),
    "department": ("部", "部名", "department", "dept"),
    "section": ("課", "課名", "section"),
    "unit": ("係", "係名", "unit"),
    "position": ("職名", "役職", "職位", "position", "title"),
    "employment_type": ("雇用区分", "任用区分", "職員区分", "employmenttype"),
    "department_code": ("部コード", "departmentcode", "deptcode"),
    "section_code": ("課コード", "sectioncode"),
    "unit_code": ("係コード", "unitcode"),
    "dx_pro": ("dxpro", "dx推進リーダー", "dxリーダー"),
    "joined_on": ("入庁日", "入庁年月日", "採用日", "採用年月日", "joinedon", "hiredate"),
    "language": ("言語", "使用言語", "language", "lang"),
}

#: The header a missing column is reported under (HR's own words).
CANONICAL_HEADERS: dict[str, str] = {
    "employee_number": "職員番号",
    "display_name": "氏名",
    "kana": "フリガナ",
    "email": "メールアドレス",
    "department": "部",
    "section": "課",
    "unit": "係",
    "position": "職名",
    "employment_type": "雇用区分",
    "department_code": "部コード",
    "section_code": "課コード",
    "unit_code": "係コード",
    "dx_pro": "DX PRO",
    "joined_on": "入庁日",
    "language": "言語",
}

REQUIRED_FIELDS = (
    "employee_number",
    "display_name",
    "email",
    "department",
    "section",
    "position",
    "employment_type",
)

CSV_EXTENSIONS = frozenset({"csv", "txt", "tsv"})
XLSX_EXTENSIONS = frozenset({"xlsx", "xlsm"})


@functools.lru_cache(maxsize=4096)
def normalize_header(value: str) -> str:
    value = unicodedata.normalize("NFKC", str(value or "")).strip().lower()
    return re.sub(r"[\s_\-]+", "", value)


_ALIAS_TO_FIELD = {
    normalize_header(alias): name for name, aliases in HEADER_ALIASES.items() for alias in aliases
}
# CJK compatibility ideographs (U+F900-U+FAFF) are the exact kanji of some people's names:
# NFKC would swap them for the unified form, so they are kept as written.
_COMPAT_IDEOGRAPHS = re.compile(r"[\uF900-\uFAFF]")
_OUTSIDE_COMPAT = re.compile(r"[^\uF900-\uFAFF]+")
_SPACES = re.compile(r"\s+")


def normalize_cell(value: object) -> str:
    """NFKC except for compatibility ideographs, trimmed, inner spaces collapsed to one."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else _cell_text(value)
    if not text:
        return ""
    if text.isascii():
        return " ".join(text.split()) if not text.isspace() else ""
    if _COMPAT_IDEOGRAPHS.search(text):
        text = _OUTSIDE_COMPAT.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    else:
        text = unicodedata.normalize("NFKC", text)
    return _SPACES.sub(" ", text).strip()


_SEPARATOR = "\x00"  # Cannot occur in a cell: files with NUL bytes are refused.
_AROUND_SEPARATOR = re.compile(r" ?\x00 ?")


def normalize_row(values: list[object]) -> list[str]:
    """``normalize_cell`` for a whole line at once.

    One join, cheap membership tests and, only where needed, one NFKC call and two regexes
    per line instead of a dozen Python calls: this is what lets 100,000 lines take a second.
    """
    try:
        text = _SEPARATOR.join(values)  # CSV: all strings.
        changed = False
    except TypeError:  # XLSX: numbers, dates, empty cells.
        text = _SEPARATOR.join(
            value if isinstance(value, str) else ("" if value is None else _cell_text(value))
            for value in values
        )
        changed = True
    if not text.isascii() and not unicodedata.is_normalized("NFKC", text):
        if _COMPAT_IDEOGRAPHS.search(text):
            text = _OUTSIDE_COMPAT.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
        else:
            text = unicodedata.normalize("NFKC", text)
        changed = True
    if (
        "  " in text
        or " \x00" in text
        or "\x00 " in text
        or text[:1] == " "
        or text[-1:] == " "
        or "\t" in text
        or "\n" in text
        or "\r" in text
    ):
        text = _AROUND_SEPARATOR.sub(_SEPARATOR, _SPACES.sub(" ", text)).strip(" ")
        changed = True
    return text.split(_SEPARATOR) if changed else list(values)


def _cell_text(value: object) -> str:
    # XLSX cells: employee numbers typed as numbers come back as int or float.
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class RosterFileError(Exception):
    """The file as a whole cannot be read; ``line``/``column`` say where, if anywhere."""

    def __init__(self, message: str, *, line: int | None = None, column: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


@dataclass
class RosterFileErrors(Exception):
    """Several problems with the header (e.g. two required columns missing)."""

    errors: list[RosterFileError] = field(default_factory=list)


@dataclass
class ParsedRoster:
    """The header map and the data lines of one file."""

    columns: dict[str, int]
    headers: dict[str, str]
    lines: list[tuple[int, list[str]]]

    def has(self, name: str) -> bool:
        return name in self.columns

    def header(self, name: str) -> str:
        return self.headers.get(name) or CANONICAL_HEADERS[name]


def _extension(file_name: str) -> str:
    name = (file_name or "").lower()
    return name.rsplit(".", 1)[-1] if "." in name else ""


def decode_text(content: bytes) -> str:
    """UTF-8 (BOM or not) when it decodes as such, else CP932 (a superset of Shift_JIS)."""
    if content.startswith(b"\xef\xbb\xbf"):
        try:
            return content[3:].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise RosterFileError(
                _("The file starts like UTF-8 but cannot be read as UTF-8.")
            ) from exc
    for encoding in ("utf-8", "cp932"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise RosterFileError(
        _(
            "The file cannot be read as text: save it as CSV in Shift_JIS (CP932) or UTF-8, "
            "or as an Excel workbook (.xlsx)."
        )
    )


#: Columns read from a line: the roster has 13, HR systems add a few of their own. Cells
#: further right are never a roster column; a CSV line with far more separators is refused
#: before it is split (44 MB of commas would be 44 million cells).
MAX_COLUMNS = 256
MAX_SEPARATORS = 4 * MAX_COLUMNS


def max_rows() -> int:
    """Lines a roster may have (``ROSTER_MAX_ROWS``), header and blank lines included."""
    return settings.ROSTER_MAX_ROWS


def _too_many_lines(count: int) -> RosterFileError:
    return RosterFileError(
        _("The file has more than %(count)d lines; a roster may have at most %(count)d lines.")
        % {"count": count},
        line=count + 1,
    )


def _check_csv_width(text: str, delimiter: str) -> None:
    """Refuse a line with far more separators than any roster, without splitting it."""
    position, line, length = 0, 1, len(text)
    while position < length:
        end = text.find("\n", position)
        if end < 0:
            end = length
        if text.count(delimiter, position, end) > MAX_SEPARATORS:
            raise RosterFileError(
                _("Line %(line)d has more than %(count)d columns; this is not a staff roster.")
                % {"line": line, "count": MAX_SEPARATORS},
                line=line,
            )
        position, line = end + 1, line + 1


_BLANK = re.compile(rb"[ \t\r\n\xef\xbb\xbf]*")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)?")


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text`` with their endings, one at a time (what ``io.StringIO(text,
    newline="")`` gives, without its copy of the whole file at four bytes a character)."""
    for match in _LINE.finditer(text):
        line = match.group()
        if not line:
            return
        yield line


def _read_csv(content: bytes) -> Iterator[tuple[int, list[str]]]:
    if is_utf16(content):
        raise RosterFileError(utf16_message())
    if b"\x00" in content:
        raise RosterFileError(_("This is not a CSV or XLSX file."))
    text = decode_text(content)
    end = text.find("\n")
    first_line = text[: end if end >= 0 else len(text)]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    _check_csv_width(text, delimiter)
    reader = csv.reader(_lines(text), delimiter=delimiter)
    limit = max_rows()
    try:
        for raw in reader:
            if reader.line_num > limit:
                raise _too_many_lines(limit)
            yield reader.line_num, raw
    except csv.Error as exc:
        raise RosterFileError(
            _("The CSV is malformed near line %(line)d: %(reason)s")
            % {"line": reader.line_num, "reason": exc},
            line=reader.line_num,
        ) from exc


def _read_xlsx(content: bytes) -> Iterator[tuple[int, list[object]]]:
    """The first sheet's rows, streamed and bounded (``org.roster.xlsx``)."""
    try:
        yield from xlsx.read_rows(content, max_rows=max_rows(), max_columns=MAX_COLUMNS)
    except xlsx.XlsxError as exc:
        raise RosterFileError(exc.message, line=exc.line) from exc


def read_roster(*, content: bytes, file_name: str) -> ParsedRoster:
    """Decode and split the file; raise ``RosterFileError(s)`` for problems with the whole file.

    Lines are read as a stream and only the non-empty ones are kept, each reduced to the
    columns the header maps (``columns`` gives each field's place in these short lines).
    """
    if _BLANK.fullmatch(content):  # (no stripped copy of a 50 MB file)
        raise RosterFileError(_("The file is empty."))
    extension = _extension(file_name)
    if content.startswith(b"PK\x03\x04"):
        raw_rows = _read_xlsx(content)
    elif extension in XLSX_EXTENSIONS:
        raise RosterFileError(_("This Excel file cannot be read; save it again as .xlsx."))
    elif extension and extension not in CSV_EXTENSIONS:
        raise RosterFileError(_("This is not a CSV or XLSX file."))
    else:
        raw_rows = _read_csv(content)

    header: tuple[int, dict[str, int], dict[str, str]] | None = None
    lines: list[tuple[int, list[str]]] = []
    pick = None
    for number, values in raw_rows:
        if header is None:
            cells = normalize_row(values[:MAX_COLUMNS])
            if any(cells):
                columns, headers = _map_header(number, cells)
                header = (number, columns, headers)
                # Only the columns we use are kept, in a fixed order: a line is at most 13
                # cells, however many columns the personnel system exports.
                kept = sorted(set(columns.values()))
                width = kept[-1] + 1
                pick = operator.itemgetter(*kept) if len(kept) > 1 else None
            continue
        if len(values) < width:
            values = [*values, *([None] * (width - len(values)))]
        cells = normalize_row(list(pick(values)) if pick else [values[kept[0]]])
        if any(cells):
            lines.append((number, cells))
    if header is None:
        raise RosterFileError(_("The file is empty."))
    header_line, columns, headers = header
    if not lines:
        raise RosterFileError(_("The file has a header but no staff lines."), line=header_line)
    position = {index: place for place, index in enumerate(kept)}
    return ParsedRoster(
        columns={name: position[index] for name, index in columns.items()},
        headers=headers,
        lines=lines,
    )


def _map_header(line: int, cells: list[str]) -> tuple[dict[str, int], dict[str, str]]:
    columns: dict[str, int] = {}
    headers: dict[str, str] = {}
    problems: list[RosterFileError] = []
    for index, cell in enumerate(cells):
        name = _ALIAS_TO_FIELD.get(normalize_header(cell))
        if name is None:
            continue  # Columns we do not use (birthday, extension number ...) are ignored.
        if name in columns:
            problems.append(
                RosterFileError(
                    _("The column appears twice in the header."), line=line, column=cell
                )
            )
            continue
        columns[name] = index
        headers[name] = cell
    for name in REQUIRED_FIELDS:
        if name not in columns:
            problems.append(
                RosterFileError(
                    _("Required column is missing from the header."),
                    line=line,
                    column=CANONICAL_HEADERS[name],
                )
            )
    if problems:
        raise RosterFileErrors(problems)
    return columns, headers

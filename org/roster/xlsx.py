"""Reading the first worksheet of an XLSX roster as a stream of rows, bounded by what is in it.

A workbook is a zip of XML parts, and both layers can lie: a 1.7 KB file can declare the range
``A1:XFD1048576`` (a reader that pads rows to the declared ``<dimension>`` builds 17 billion
cells), and a 300 KB zip can inflate to gigabytes of XML. So this reader trusts neither:

- every part is measured before it is parsed: the sizes the zip declares, then the real inflated
  size, by streaming each part through the decompressor with a byte cap (``MAX_PART_BYTES``,
  ``MAX_TOTAL_BYTES``);
- the XML is parsed as a stream by expat with our own handlers (no element tree, no DTD, no
  entity declarations), so memory follows one row, not the sheet, and a cell holds at most
  Excel's own 32,767 characters;
- ``<dimension>`` is ignored and rows come out as they are in the file, with their own numbers
  and only the cells they have, never padded; a row keeps at most ``max_columns`` cells, a sheet
  has at most ``max_rows`` rows, the shared-string table at most ``MAX_SHARED_STRINGS`` entries.

openpyxl is not used for reading: its read-only mode pads rows to the declared dimension, builds
every cell of a row before handing it over, and loads styles into heavy objects. Cell values
are what a spreadsheet shows: shared and inline strings, numbers (int when whole), booleans,
the cached result of a formula.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Callable, Iterator
from posixpath import join, normpath, split
from xml.parsers import expat

from django.utils.translation import gettext as _

#: The largest inflated XML part (sheet, shared strings ...) read. A sheet of 100,000 people in
#: 13 columns written with inline strings is about 70 MB.
MAX_PART_BYTES = 128 * 1024 * 1024
#: The largest inflated size of the whole workbook, every part together.
MAX_TOTAL_BYTES = 256 * 1024 * 1024
#: Entries in the shared-string table (a roster of 100,000 people has about 400,000 distinct).
MAX_SHARED_STRINGS = 1_000_000
#: Excel's own limit on the characters of one cell.
MAX_CELL_CHARACTERS = 32_767
#: Relationships of one part (sheets, styles, strings ...): a workbook has a handful.
MAX_RELATIONSHIPS = 10_000
_CHUNK = 64 * 1024


class XlsxError(Exception):
    """The workbook cannot be read or is too large; the message is for HR."""

    def __init__(self, message: str, *, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def _unreadable() -> XlsxError:
    return XlsxError(_("This Excel file cannot be read; save it again as .xlsx."))


def _too_large() -> XlsxError:
    return XlsxError(
        _(
            "This Excel file holds far more data than a staff roster (more than %(mb)d MB "
            "once unpacked). Save only the roster's sheet, without empty formatted rows and "
            "columns, or save it as CSV."
        )
        % {"mb": MAX_PART_BYTES // (1024 * 1024)}
    )


def _too_many_rows(count: int) -> XlsxError:
    return XlsxError(
        _("The sheet has more than %(count)d rows; a roster may have at most %(count)d lines.")
        % {"count": count},
        line=count + 1,
    )


def _local(name: str) -> str:
    """``row`` for ``row`` and ``x:row`` (expat runs without namespace processing)."""
    return name.rpartition(":")[2]


def _refuse_declarations(*_args) -> None:
    raise _unreadable()  # A DTD or an entity: never in a workbook, the start of an XML bomb.


class _Workbook:
    """The zip, checked: declared sizes first, then each part's real size as it is read."""

    def __init__(self, content: bytes) -> None:
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(content))
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            raise _unreadable() from exc
        self.names = {info.filename: info for info in infos}
        if any(info.file_size > MAX_PART_BYTES for info in infos) or (
            sum(info.file_size for info in infos) > MAX_TOTAL_BYTES
        ):
            raise _too_large()
        self.inflated = 0  # bytes inflated so far; the sheet and strings are read twice

    def chunks(self, name: str) -> Iterator[bytes]:
        """The part's inflated bytes in chunks; an error past the caps, whatever the zip's
        header says (zipfile also checks the CRC at the end)."""
        info = self.names.get(name)
        if info is None:
            raise _unreadable()
        read = 0
        try:
            with self.zip.open(info) as handle:
                while chunk := handle.read(_CHUNK):
                    read += len(chunk)
                    self.inflated += len(chunk)
                    if read > MAX_PART_BYTES or self.inflated > 2 * MAX_TOTAL_BYTES:
                        raise _too_large()
                    yield chunk
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError) as exc:
            raise _unreadable() from exc

    def count_tags(self, name: str, tag: bytes) -> int:
        """About how many ``<tag>`` elements the part has (with any prefix; a few more if
        text quotes the tag), counted in the raw bytes at C speed: a first pass that
        measures the real inflated size and refuses a sheet of millions of rows in a
        second, before any of it is parsed."""
        forms = [start + tag + end for start in (b"<", b":") for end in (b" ", b">", b"/")]
        keep = len(forms[0]) - 1  # a form split by a chunk boundary starts in these bytes
        count, carry = 0, b""
        for chunk in self.chunks(name):
            data = carry + chunk
            count += sum(data.count(form) for form in forms)
            carry = data[-keep:]
        return count

    def parse(
        self,
        name: str,
        start: Callable[[str, dict], None],
        end: Callable[[str], None] | None = None,
        text: Callable[[str], None] | None = None,
    ) -> Iterator[None]:
        """Feed the part to expat chunk by chunk with these handlers; yields after each
        chunk, so the caller can hand on what the handlers collected."""
        parser = expat.ParserCreate()
        parser.buffer_text = True
        parser.StartDoctypeDeclHandler = _refuse_declarations
        parser.EntityDeclHandler = _refuse_declarations
        parser.StartElementHandler = start
        if end is not None:
            parser.EndElementHandler = end
        if text is not None:
            parser.CharacterDataHandler = text
        try:
            for chunk in self.chunks(name):
                parser.Parse(chunk, False)
                yield
            parser.Parse(b"", True)
        except expat.ExpatError as exc:
            raise _unreadable() from exc
        yield


def _relationships(book: _Workbook, part: str) -> dict[str, tuple[str, str]]:
    """Relationship id -> (the type's last word, the target's path in the zip) of ``part``."""
    folder, base = split(part)
    rels_name = join(folder, "_rels", base + ".rels")
    found: dict[str, tuple[str, str]] = {}
    if rels_name not in book.names:
        return found

    def start(name: str, attrs: dict) -> None:
        if _local(name) != "Relationship":
            return
        if len(found) >= MAX_RELATIONSHIPS:
            raise _too_large()
        target = attrs.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else join(folder, target)
        found[attrs.get("Id", "")] = (attrs.get("Type", "").rsplit("/", 1)[-1], normpath(path))

    for _step in book.parse(rels_name, start):
        pass
    return found


class _FirstSheet(Exception):
    """Raised by the workbook handler at the first ``<sheet>``: nothing more is needed."""


def _first_sheet(book: _Workbook) -> tuple[str, str | None]:
    """The paths of the first worksheet and of the shared-string table, from the workbook."""
    package = _relationships(book, "")
    workbook = next((path for kind, path in package.values() if kind == "officeDocument"), "")
    if workbook not in book.names:
        workbook = "xl/workbook.xml"

    def start(name: str, attrs: dict) -> None:
        if _local(name) == "sheet":
            relation = next((v for k, v in attrs.items() if k.endswith(":id")), "")
            raise _FirstSheet(relation)

    first_id = ""
    try:
        for _step in book.parse(workbook, start):
            pass
    except _FirstSheet as found:
        first_id = found.args[0]
    rels = _relationships(book, workbook)
    sheet = rels.get(first_id, ("", ""))[1]
    if sheet not in book.names:
        raise _unreadable()
    strings = next((path for kind, path in rels.values() if kind == "sharedStrings"), None)
    return sheet, strings if strings in book.names else None


class _Text:
    """Collects the text of string items (``<si>``, ``<is>``): every ``<t>`` except those of
    phonetic guides (``<rPh>``, the kana Japanese Excel adds to names), at most
    ``MAX_CELL_CHARACTERS``."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.capture = False
        self.phonetic = 0

    def reset(self) -> None:
        self.parts, self.length, self.capture, self.phonetic = [], 0, False, 0

    def start(self, local: str) -> None:
        if local == "rPh":
            self.phonetic += 1
        elif local == "t" and not self.phonetic:
            self.capture = True

    def end(self, local: str) -> None:
        if local == "rPh":
            self.phonetic -= 1
        elif local == "t":
            self.capture = False

    def add(self, data: str) -> None:
        self.length += len(data)
        if self.length > MAX_CELL_CHARACTERS:
            raise XlsxError(
                _("A cell has more than %(count)d characters, more than Excel itself allows.")
                % {"count": MAX_CELL_CHARACTERS}
            )
        self.parts.append(data)

    def value(self) -> str:
        return "".join(self.parts)


def _shared_strings(book: _Workbook, name: str | None) -> list[str]:
    strings: list[str] = []
    if name is None:
        return strings
    text = _Text()

    def start(tag: str, attrs: dict) -> None:
        local = _local(tag)
        if local == "si":
            text.reset()
        else:
            text.start(local)

    def end(tag: str) -> None:
        local = _local(tag)
        if local == "si":
            if len(strings) >= MAX_SHARED_STRINGS:
                raise _too_large()
            strings.append(text.value())
        else:
            text.end(local)

    def data(chunk: str) -> None:
        if text.capture:
            text.add(chunk)

    for _step in book.parse(name, start, end, data):
        pass
    return strings


def _column_number(reference: str) -> int:
    """1 for ``A1``, 28 for ``AB7``; 0 when the reference is not one."""
    number = 0
    for char in reference:
        if "A" <= char <= "Z":
            number = number * 26 + ord(char) - 64
        elif char.isdigit():
            break
        else:
            return 0
    return number


def _value(kind: str, raw: str, strings: list[str]) -> object:
    """A cell's value from its type and its ``<v>`` (or inline string) text."""
    if raw == "":
        return None
    if kind == "s":
        try:
            return strings[int(raw)]
        except (ValueError, IndexError):
            return None
    if kind == "b":
        return raw.strip() in {"1", "true"}
    if kind in {"str", "e", "d", "inlineStr"}:
        return raw
    try:
        number = float(raw)
    except ValueError:
        return raw
    if number.is_integer() and abs(number) < 1e16:
        return int(number)
    return number


class _SheetReader:
    """expat handlers over ``<sheetData>``: each finished row goes to ``ready``."""

    def __init__(self, strings: list[str], *, max_rows: int, max_columns: int) -> None:
        self.strings = strings
        self.max_rows = max_rows
        self.max_columns = max_columns
        self.ready: list[tuple[int, list[object]]] = []
        self.values: list[object] = []
        self.row_number = self.rows_seen = self.column = 0
        self.kind = ""
        self.keep = False  # the current cell is within max_columns
        self.text = _Text()

    def start(self, tag: str, attrs: dict) -> None:
        local = _local(tag)
        if local == "c":
            reference = attrs.get("r")
            self.column = _column_number(reference) if reference else self.column + 1
            self.keep = 0 < self.column <= self.max_columns
            self.kind = attrs.get("t", "n")
            self.text.reset()
        elif local == "v":
            self.text.capture = self.keep
        elif local == "row":
            self.rows_seen += 1
            if self.rows_seen > self.max_rows:
                raise _too_many_rows(self.max_rows)
            try:
                self.row_number = int(attrs.get("r") or self.row_number + 1)
            except ValueError:
                self.row_number += 1
            self.values, self.column = [], 0
        elif self.keep:
            self.text.start(local)
            self.text.capture = self.text.capture and self.kind == "inlineStr"

    def end(self, tag: str) -> None:
        local = _local(tag)
        if local == "c":
            if self.keep:
                value = _value(self.kind, self.text.value(), self.strings)
                if value is not None and value != "":
                    if len(self.values) < self.column:
                        self.values.extend([None] * (self.column - len(self.values)))
                    self.values[self.column - 1] = value
            self.keep = False
        elif local == "row":
            if self.values:
                self.ready.append((self.row_number, self.values))
            self.values = []
        elif self.keep:
            if local == "v":
                self.text.capture = False
            else:
                self.text.end(local)

    def data(self, chunk: str) -> None:
        if self.text.capture:
            self.text.add(chunk)


def read_rows(
    content: bytes, *, max_rows: int, max_columns: int
) -> Iterator[tuple[int, list[object]]]:
    """``(row number, values)`` for each row with a value, in file order, up to column
    ``max_columns``. More than ``max_rows`` rows is an ``XlsxError``."""
    book = _Workbook(content)
    sheet, strings_name = _first_sheet(book)
    if book.count_tags(sheet, b"row") > max_rows:
        raise _too_many_rows(max_rows)
    if strings_name and book.count_tags(strings_name, b"si") > MAX_SHARED_STRINGS:
        raise _too_large()
    strings = _shared_strings(book, strings_name)
    reader = _SheetReader(strings, max_rows=max_rows, max_columns=max_columns)
    for _step in book.parse(sheet, reader.start, reader.end, reader.data):
        if reader.ready:
            yield from reader.ready
            reader.ready = []

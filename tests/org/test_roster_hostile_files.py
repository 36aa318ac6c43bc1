"""Hostile roster files (security review F2): the reader's work is bounded by the cells the
file really has, not by what it declares, and a bomb is refused quickly with a clear message."""

import io
import time
import zipfile

import pytest
from django.utils import translation

from org.roster import xlsx
from org.roster.parsing import RosterFileError, read_roster

from .roster_files import (
    HEADER,
    dimension_bomb,
    header_row_xml,
    line_row_xml,
    sheet_xlsx,
    zip_bomb,
)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _refused(content: bytes, file_name: str = "roster.xlsx") -> RosterFileError:
    with pytest.raises(RosterFileError) as info:
        read_roster(content=content, file_name=file_name)
    return info.value


def test_the_reviews_dimension_bomb_is_read_by_its_real_cells():
    content = dimension_bomb()
    assert len(content) < 2000
    started = time.monotonic()
    parsed = read_roster(content=content, file_name="dimbomb.xlsx")
    assert time.monotonic() - started < 1
    # One line, with its own row number, as wide as the header: no padding anywhere.
    assert [(line, len(cells)) for line, cells in parsed.lines] == [(1048576, len(HEADER))]


def test_a_zip_bomb_of_two_million_rows_is_refused_quickly():
    content = zip_bomb(2_000_000)
    assert len(content) < 400_000
    started = time.monotonic()
    error = _refused(content)
    assert time.monotonic() - started < 10
    assert "more than 110000 rows" in error.message


def test_a_sheet_that_inflates_past_the_cap_is_refused_before_parsing(monkeypatch):
    monkeypatch.setattr(xlsx, "MAX_PART_BYTES", 1024 * 1024)
    rows = "".join(line_row_xml(n, f"{n:06d}") for n in range(2, 2000))
    content = sheet_xlsx(header_row_xml() + rows)
    error = _refused(content)
    assert "far more data than a staff roster" in error.message


def test_a_part_whose_zip_header_understates_its_size_is_not_trusted():
    """zipfile stops at the declared size and checks the CRC: a lying header is unreadable."""
    content = bytearray(sheet_xlsx(header_row_xml() + line_row_xml(2, "000002")))
    # The central directory entry of the sheet: declared uncompressed size at offset 24.
    central = content.rfind(b"PK\x01\x02", 0, content.rfind(b"xl/worksheets/sheet1.xml") + 1)
    content[central + 24 : central + 28] = (10).to_bytes(4, "little")
    assert "cannot be read" in _refused(bytes(content)).message


def test_a_row_of_a_hundred_thousand_cells_keeps_only_the_headers_width():
    wide = "".join(f'<c t="inlineStr"><is><t>x{n}</t></is></c>' for n in range(100_000))
    content = sheet_xlsx(header_row_xml() + line_row_xml(2, "000002") + f"<row>{wide}</row>")
    parsed = read_roster(content=content, file_name="r.xlsx")
    assert [len(cells) for _line, cells in parsed.lines] == [len(HEADER), len(HEADER)]


def test_a_cell_longer_than_excel_allows_is_refused():
    huge = "あ" * 40_000
    cell = f'<c t="inlineStr"><is><t>{huge}</t></is></c>'
    content = sheet_xlsx(header_row_xml() + f'<row r="2">{cell}</row>')
    assert "more than 32767 characters" in _refused(content).message


def test_a_sheet_with_a_dtd_is_refused():
    bomb = (
        '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row><c t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>'
    )
    source = zipfile.ZipFile(io.BytesIO(sheet_xlsx("")))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = bomb.encode()
            target.writestr(info.filename, data)
    assert "cannot be read" in _refused(buffer.getvalue()).message


def test_more_csv_lines_than_the_cap_are_refused(settings):
    settings.ROSTER_MAX_ROWS = 5
    lines = "".join(f"{n},a,,a{n}@x.jp,部,課,,主事,正規\n" for n in range(10))
    text = ",".join(HEADER) + "\n" + lines
    error = _refused(text.encode(), "r.csv")
    assert "more than 5 lines" in error.message
    assert error.line == 6


def test_a_csv_line_of_a_million_commas_is_refused_without_splitting_it():
    content = (",".join(HEADER) + "\n1" + "," * 1_000_000 + "\n").encode()
    started = time.monotonic()
    error = _refused(content, "r.csv")
    assert time.monotonic() - started < 2
    assert "Line 2 has more than" in error.message

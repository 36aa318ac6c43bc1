"""HR downloads the names of a section's overdue people from the dashboard, in a real browser.

HR signs in, opens the training dashboard, drills from the department into a section by its
links, chooses 「期限超過の人」 and presses the XLSX button. The file the browser saved is
opened with openpyxl: the overdue people of that section are in it by name, a 職員番号 with
leading zeros is still text, and nobody from another section is listed.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from lms.completion.figures import stats_rebuild
from lms.enrolment.services import assignment_create, assignment_fan_out
from lms.models import Enrollment
from org.models import RoleGroup
from tests.factories import UserFactory, make_course, make_org_tree
from tests.lms.training import dates

from .conftest import DESKTOP

pytestmark = [
    pytest.mark.integration,
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct-horse-battery"


def test_hr_downloads_the_overdue_names_of_a_section(people, tmp_path):
    tree = make_org_tree()
    course = make_course(title="情報セキュリティ研修", slug="security", lessons=1)["course"]
    overdue = [
        UserFactory(unit=tree["madoguchi"], employee_number="001234", display_name="窓口 花子"),
        UserFactory(unit=tree["madoguchi"], employee_number="001235", display_name="窓口 太郎"),
    ]
    on_time = UserFactory(unit=tree["madoguchi"], display_name="期限内 三郎")
    elsewhere = UserFactory(unit=tree["jinji_kakari"], display_name="人事 次郎")
    hr_user = UserFactory(unit=tree["jinji_kakari"], groups=[RoleGroup.HR], password=PASSWORD)
    assignment = assignment_create(course=course, enqueue=False, **dates())
    assignment_fan_out(assignment_id=assignment.pk)
    Enrollment.objects.filter(user__in=[*overdue, elsewhere]).update(due_on=dt.date(2000, 4, 30))
    stats_rebuild()

    hr = people("hr", DESKTOP)
    hr.sign_in(hr_user.employee_number, PASSWORD)
    hr.goto(f"/hr/training/?course={course.pk}")
    hr.page.get_by_role("link", name="市民部", exact=True).click()
    hr.axe()
    hr.page.get_by_role("link", name="市民課", exact=True).click()
    hr.axe()
    form = hr.page.locator("form.people-export")
    expect(form.locator("h3")).to_contain_text("市民課")
    form.get_by_label("対象").select_option("overdue")
    with hr.page.expect_download() as download_info:
        form.get_by_role("button", name="名簿（XLSX）").click()
    download = download_info.value
    assert download.suggested_filename.endswith("_市民課_期限超過.xlsx")
    assert download.suggested_filename.startswith("情報セキュリティ研修_令和")
    saved = tmp_path / "people.xlsx"
    download.save_as(saved)

    sheet = load_workbook(io.BytesIO(saved.read_bytes())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("職員番号", "氏名", "所属", "期限", "状態", "修了日")
    by_number = {row[0]: row for row in rows[1:]}
    assert set(by_number) == {"001234", "001235"}  # leading zeros kept
    assert by_number["001234"][1:5] == (
        "窓口 花子",
        "市民部／市民課／窓口係",
        "2000-04-30",
        "期限超過",
    )
    assert by_number["001235"][1] == "窓口 太郎"
    code = next(cell for cell in sheet["A"] if cell.value == "001234")
    assert code.data_type == "s" and code.number_format == "@"
    names = {row[1] for row in rows[1:]}
    assert on_time.display_name not in names and elsewhere.display_name not in names
    people.audit.assert_clean()

"""The people list of a drilled-in unit, with names: files, scope, audit, query counts."""

import csv
import datetime as dt
import io
from urllib.parse import quote

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AuditAction, AuditEvent
from lms.completion.figures import stats_rebuild
from lms.enrolment.services import assignment_create, assignment_fan_out, enrollment_set_status
from lms.models import Enrollment, EnrollmentStatus
from org.models import RoleGroup
from tests.factories import DxProAssignmentFactory, UserFactory
from tests.lms.training import dates, make_city

pytestmark = pytest.mark.django_db

HEADER = ["職員番号", "氏名", "所属", "期限", "状態", "修了日"]


@pytest.fixture
def city():
    """人事係 completed, 窓口係 overdue (with 000123 and a name CP932 cannot hold), 給与係 one
    in progress and one not started."""
    city = make_city()
    tree = city["tree"]
    city["zero"] = UserFactory(unit=tree["madoguchi"], employee_number="000123",
                               display_name="𠮷田 花子")  # fmt: skip
    assignment = assignment_create(course=city["course"], enqueue=False, **dates())
    assignment_fan_out(assignment_id=assignment.pk)
    city["assignment"] = assignment
    for enrollment in Enrollment.objects.filter(user__unit=tree["jinji_kakari"]):
        enrollment_set_status(enrollment=enrollment, status=EnrollmentStatus.COMPLETED,
                              refresh_stats=False)  # fmt: skip
    started = Enrollment.objects.filter(user=city["people"]["kyuyo_kakari"][0]).get()
    enrollment_set_status(enrollment=started, status=EnrollmentStatus.IN_PROGRESS,
                          refresh_stats=False)  # fmt: skip
    Enrollment.objects.filter(user__unit=tree["madoguchi"]).update(due_on=dt.date(2000, 1, 1))
    stats_rebuild()
    city["hr"] = UserFactory(groups=[RoleGroup.HR])
    return city


def _url(name, city, unit, **params):
    query = {"course": city["course"].pk, "unit": city["tree"][unit].pk, **params}
    return reverse(name) + "?" + "&".join(f"{k}={v}" for k, v in query.items())


def _rows_of_xlsx(response):
    body = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(body)).active
    return sheet, [list(row) for row in sheet.iter_rows(values_only=True)]


def test_hr_downloads_the_overdue_of_a_section_as_xlsx(client, city):
    client.force_login(city["hr"])
    response = client.get(_url("lms:people_xlsx", city, "shimin_ka", show="overdue"))
    assert response.status_code == 200
    year = dates()["fiscal_year"]
    name = f"{city['course'].title}_令和{year - 2018}年度_市民課_期限超過.xlsx"
    assert f"filename*=utf-8''{quote(name)}" in response["Content-Disposition"]
    sheet, rows = _rows_of_xlsx(response)
    assert rows[0] == HEADER
    people = {row[0]: row for row in rows[1:]}
    expected = {p.employee_number for p in city["people"]["madoguchi"]} | {"000123"}
    assert set(people) == expected
    zero = people["000123"]
    assert zero[1] == "𠮷田 花子"
    assert zero[2] == "市民部／市民課／窓口係"
    assert zero[3] == "2000-01-01" and zero[4] == "期限超過" and zero[5] is None
    # The code is text in Excel: its leading zeros stay.
    cell = next(c for c in sheet["A"] if c.value == "000123")
    assert cell.data_type == "s" and cell.number_format == "@"
    assert sheet.freeze_panes == "A2"
    assert all(sheet["1"][i].font.bold for i in range(6))
    assert all(sheet.column_dimensions[c].width >= 10 for c in "ABCDEF")
    assert sheet.column_dimensions["C"].width > sheet.column_dimensions["A"].width


def test_csv_utf8_has_a_bom_and_every_status_in_words(client, city):
    client.force_login(city["hr"])
    response = client.get(_url("lms:people_csv", city, "jinji"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == HEADER
    by_number = {row[0]: row for row in rows[1:]}
    completed = city["people"]["jinji_kakari"][0]
    line = by_number[completed.employee_number]
    assert line[2] == "総務部／人事課／人事係" and line[4] == "修了"
    assert dt.date.fromisoformat(line[5])  # the completion date, ISO
    kyuyo = city["people"]["kyuyo_kakari"]
    assert by_number[kyuyo[0].employee_number][4] == "受講中"
    assert by_number[kyuyo[1].employee_number][4] == "未着手"
    assert by_number[kyuyo[1].employee_number][5] == ""
    chief = city["people"]["chief"][0]  # sits in 人事課 itself
    assert by_number[chief.employee_number][2] == "総務部／人事課"
    assert len(rows) == 1 + 5  # 人事課, 人事係 and 給与係, nobody from elsewhere
    year = dates()["fiscal_year"]
    name = f"{city['course'].title}_令和{year - 2018}年度_人事課_全員_UTF-8.csv"
    assert quote(name) in response["Content-Disposition"]


def test_cp932_replaces_what_it_cannot_hold_visibly(client, city):
    client.force_login(city["hr"])
    response = client.get(_url("lms:people_csv", city, "madoguchi", encoding="cp932"))
    assert response.status_code == 200 and "shift_jis" in response["Content-Type"]
    body = b"".join(response.streaming_content)
    assert not body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("cp932"))))
    assert rows[0] == HEADER
    zero = next(row for row in rows if row[0] == "000123")
    assert zero[1] == "〓田 花子"  # 𠮷 is not in CP932: shown as 〓, not a crash nor "?"
    assert "Shift_JIS.csv" in response["Content-Disposition"]


@pytest.mark.parametrize(
    ("show", "units"),
    [("completed", {"人事係"}), ("not_started", {"人事課", "給与係"}), ("overdue", set())],
)
def test_each_filter_lists_only_its_people(client, city, show, units):
    client.force_login(city["hr"])
    body = b"".join(client.get(_url("lms:people_csv", city, "jinji", show=show)).streaming_content)
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))[1:]
    assert {row[2].rsplit("／", 1)[-1] for row in rows} == units
    expected = {"completed": "修了", "not_started": "未着手", "overdue": "期限超過"}[show]
    assert all(row[4] == expected for row in rows)


def test_an_assignment_narrows_the_list_and_sets_the_year(client, city):
    client.force_login(city["hr"])
    other = assignment_create(course=city["course"], enqueue=False, **dates())
    url = _url("lms:people_csv", city, "jinji", assignment=other.pk)
    body = b"".join(client.get(url).streaming_content)
    assert list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))[1:] == []
    url = _url("lms:people_csv", city, "jinji", assignment=city["assignment"].pk)
    assert len(list(csv.reader(io.StringIO(
        b"".join(client.get(url).streaming_content).decode("utf-8-sig")
    )))) == 1 + 5  # fmt: skip
    assert client.get(_url("lms:people_csv", city, "jinji", assignment=99999)).status_code == 404


def test_a_manager_exports_their_own_units_only(client, city):
    chief = city["people"]["chief"][0]  # 課長 of 人事課
    client.force_login(chief)
    for unit in ("jinji", "kyuyo_kakari"):
        assert client.get(_url("lms:people_xlsx", city, unit)).status_code == 200
    for unit in ("shimin_ka", "madoguchi", "soumu"):
        assert client.get(_url("lms:people_xlsx", city, unit)).status_code == 404
        assert client.get(_url("lms:people_csv", city, unit)).status_code == 404


def test_staff_and_dx_pros_get_no_names(client, city):
    pro = UserFactory(unit=city["tree"]["madoguchi"])
    DxProAssignmentFactory(user=pro, unit=city["tree"]["shimin_ka"])
    for person in (city["people"]["madoguchi"][0], pro):
        client.force_login(person)
        assert client.get(_url("lms:people_xlsx", city, "shimin_ka")).status_code == 404
        assert client.get(_url("lms:people_csv", city, "madoguchi")).status_code == 404
    client.logout()
    response = client.get(_url("lms:people_csv", city, "madoguchi"))
    assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(city["hr"])
    assert client.get(_url("lms:people_csv", city, "madoguchi", course=99999)).status_code == 404
    assert client.get(reverse("lms:people_csv") + "?unit=99999").status_code == 404


def test_the_export_is_audited_with_the_unit(client, city):
    client.force_login(city["hr"])
    b"".join(
        client.get(_url("lms:people_xlsx", city, "shimin_ka", show="overdue")).streaming_content
    )
    event = AuditEvent.objects.get(action=AuditAction.EXPORT_XLSX)
    assert event.actor == city["hr"] and event.unit_id == city["tree"]["shimin_ka"].pk
    assert event.target_id == str(city["course"].pk)
    assert event.details["report"] == "people" and event.details["show"] == "overdue"
    b"".join(client.get(_url("lms:people_csv", city, "jinji")).streaming_content)
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT_CSV).count() == 1


@pytest.mark.parametrize("name", ["lms:people_xlsx", "lms:people_csv"])
def test_queries_do_not_grow_with_the_people(client, city, name, django_assert_max_num_queries):
    client.force_login(city["hr"])
    url = _url(name, city, "soumu")
    b"".join(client.get(url).streaming_content)  # sessions and caches warmed

    def rows() -> int:
        body = b"".join(client.get(url).streaming_content)
        if name == "lms:people_xlsx":
            return load_workbook(io.BytesIO(body)).active.max_row - 1
        return len(body.decode("utf-8-sig").splitlines()) - 1

    # Session and user, the unit, HR's groups, the course, the audit row, the units with
    # their ancestors, the session's save (three with its savepoint) and the enrollments.
    with django_assert_max_num_queries(12) as small:
        assert rows() == 7  # 人事課 (5) and DX推進係 (2)
    for _ in range(40):
        UserFactory(unit=city["tree"]["dx_kakari"])
    assignment_fan_out(assignment_id=city["assignment"].pk)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert rows() == 47


def test_the_drilled_in_dashboard_offers_the_files(client, city):
    client.force_login(city["hr"])
    page = client.get(
        reverse("lms:dashboard")
        + f"?course={city['course'].pk}&unit={city['tree']['shimin_ka'].pk}&show=overdue"
    ).text
    assert reverse("lms:people_xlsx") in page and 'value="cp932"' in page
    assert '<option value="overdue" selected>' in page
    assert reverse("lms:schedule_create") in page
    # At the top there is no unit to list; HR's menu leads to the scheduled reports.
    top = client.get(reverse("lms:dashboard") + f"?course={city['course'].pk}").text
    assert reverse("lms:people_xlsx") not in top
    assert f'href="{reverse("lms:schedules")}"' in top
    # A DX PRO sees the figures but gets no names.
    pro = UserFactory(unit=city["tree"]["madoguchi"])
    DxProAssignmentFactory(user=pro, unit=city["tree"]["shimin_ka"])
    client.force_login(pro)
    page = client.get(
        reverse("lms:dashboard")
        + f"?course={city['course'].pk}&unit={city['tree']['shimin_ka'].pk}"
    ).text
    assert reverse("lms:people_xlsx") not in page
    chief = city["people"]["chief"][0]
    client.force_login(chief)
    page = client.get(
        reverse("lms:dashboard") + f"?course={city['course'].pk}&unit={city['tree']['jinji'].pk}"
    ).text
    assert reverse("lms:people_xlsx") in page
    assert reverse("lms:schedule_create") not in page  # scheduling is HR's
    assert f'href="{reverse("lms:schedules")}"' not in page


def test_the_unit_totals_follow_the_drilled_in_unit_in_every_format(client, city):
    """The figures' exports hold the unit HR drilled into (and the units below), not the city."""
    client.force_login(city["hr"])
    query = f"?course={city['course'].pk}&unit={city['tree']['shimin_ka'].pk}"
    for extra in ("", "&encoding=cp932"):
        response = client.get(reverse("lms:dashboard_csv") + query + extra)
        text = response.content.decode("cp932" if extra else "utf-8-sig")
        assert {row[1] for row in list(csv.reader(io.StringIO(text)))[1:]} == {"市民課", "窓口係"}
        assert quote("市民課") in response["Content-Disposition"]
    xlsx = client.get(reverse("lms:dashboard_xlsx") + query)
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert {row[1] for row in sheet.iter_rows(min_row=2, values_only=True)} == {"市民課", "窓口係"}
    event = AuditEvent.objects.filter(action=AuditAction.EXPORT_XLSX).get()
    assert event.unit_id == city["tree"]["shimin_ka"].pk

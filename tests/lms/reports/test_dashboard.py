"""HR dashboard: permissions, rollups from the figures, drill-down, exports, query counts."""

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from lms.completion.figures import stats_rebuild
from lms.enrolment.services import assignment_create, assignment_fan_out, enrollment_set_status
from lms.models import Enrollment, EnrollmentStatus
from org.models import RoleGroup
from org.people import Position
from tests.factories import DxProAssignmentFactory, UserFactory, make_course
from tests.lms.training import dates, make_city

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    city = make_city()
    assignment = assignment_create(course=city["course"], enqueue=False, **dates())
    assignment_fan_out(assignment_id=assignment.pk)
    tree = city["tree"]
    for enrollment in Enrollment.objects.filter(user__unit=tree["jinji_kakari"]):
        enrollment_set_status(enrollment=enrollment, status=EnrollmentStatus.COMPLETED,
                              refresh_stats=False)  # fmt: skip
    Enrollment.objects.filter(user__unit=tree["madoguchi"]).update(due_on=dt.date(2000, 1, 1))
    stats_rebuild()
    city["hr"] = UserFactory(groups=[RoleGroup.HR])
    return city


def _url(city, **params):
    query = "&".join(f"{k}={v}" for k, v in {"course": city["course"].pk, **params}.items())
    return f"{reverse('lms:dashboard')}?{query}"


def test_staff_without_a_scope_are_refused(client, city):
    client.force_login(city["people"]["madoguchi"][0])
    assert client.get(_url(city)).status_code == 403
    assert client.get(reverse("lms:dashboard_csv")).status_code == 403


def test_hr_sees_departments_rolled_up_from_the_figures(client, city):
    client.force_login(city["hr"])
    response = client.get(_url(city))
    assert response.status_code == 200
    rows = {row.name: row for row in response.context["rollup"].rows}
    assert set(rows) == {"総務部", "市民部"}
    assert (rows["総務部"].enrolled, rows["総務部"].completed) == (7, 2)
    assert rows["市民部"].overdue == 2
    assert response.context["rollup"].total.enrolled == 9
    assert 'scope="col"' in response.text and "<meter" in response.text


def test_drill_down_to_people_and_lists(client, city):
    client.force_login(city["hr"])
    jinji = city["tree"]["jinji"]
    response = client.get(_url(city, unit=jinji.pk, sort="completion"))
    assert [row.name for row in response.context["rollup"].rows] == ["給与係", "人事係"]
    assert len(response.context["people"]) == 5
    overdue = client.get(_url(city, show="overdue")).context["people"]
    assert {e.user.unit.name for e in overdue} == {"窓口係"}
    not_started = client.get(_url(city, show="not_started")).context["people"]
    assert len(not_started) == 7


def test_manager_sees_only_their_section(client, city):
    chief = city["people"]["chief"][0]  # 課長 of 人事課
    assert chief.position == Position.SECTION_CHIEF
    client.force_login(chief)
    response = client.get(_url(city))
    # They land on their own section (「担当の所属」 first in the breadcrumb), its units below.
    assert response.context["rollup"].parent.name == "人事課"
    assert [row.name for row in response.context["rollup"].rows] == ["人事係", "給与係"]
    assert [unit.name for unit in response.context["rollup"].breadcrumbs] == ["人事課"]
    assert "担当の所属" in response.text and "全庁" not in response.text
    # A unit outside the scope is not found, never replaced by their own figures.
    response = client.get(_url(city, unit=city["tree"]["madoguchi"].pk))
    assert response.status_code == 404


def test_coverage_lists_gaps_first(client, city):
    pro = make_course(title="DX PRO育成研修", slug="dx-pro", lessons=1, trains_dx_pros=True)[
        "course"
    ]
    person = city["people"]["dx_kakari"][0]
    year = dates()["fiscal_year"]
    enrollment = Enrollment.objects.create(user=person, course=pro, fiscal_year=year)
    enrollment_set_status(enrollment=enrollment, status=EnrollmentStatus.COMPLETED,
                          refresh_stats=False)  # fmt: skip
    DxProAssignmentFactory(user=UserFactory(), unit=city["tree"]["shimin_ka"])
    stats_rebuild()
    client.force_login(city["hr"])
    coverage = client.get(_url(city)).context["coverage"]
    assert [(row.name, row.covered) for row in coverage] == [
        ("人事課", False), ("総務部", True), ("情報政策課", True), ("市民部", True),
        ("市民課", True),
    ]  # fmt: skip
    client.cookies["django_language"] = "en"
    page = client.get(_url(city))
    assert [row.name for row in page.context["coverage_gaps"]] == ["人事課"]
    # The gaps come first and alone; the covered units fold away under a summary.
    after_map = page.text.split('<h2 id="coverage">')[1].split("</figure>", 1)[1]
    gaps, covered = after_map.split("<details", 1)
    assert "1 section or department with nobody who completed and no DX PRO" in gaps
    assert "人事課" in gaps
    assert "市民課" not in gaps and "4 sections and departments covered" in covered
    assert reverse("surveys:results") in page.text and reverse("surveys:maturity") in page.text


def test_query_count_does_not_grow_with_staff(client, city):
    client.force_login(city["hr"])
    url = _url(city, unit=city["tree"]["jinji"].pk, show="all")
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for unit_key in ("jinji_kakari", "kyuyo_kakari", "madoguchi"):
        for _ in range(15):
            UserFactory(unit=city["tree"][unit_key])
    assignment_fan_out(assignment_id=Enrollment.objects.first().assignment_id)
    stats_rebuild()
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert len(response.context["people"]) > 5
    assert len(large) == len(small)
    print("dashboard queries:", len(large))
    assert len(large) <= 24


def test_csv_in_both_encodings_and_xlsx_open_back(client, city):
    client.force_login(city["hr"])
    query = f"?course={city['course'].pk}"
    utf8 = client.get(reverse("lms:dashboard_csv") + query)
    assert utf8.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(utf8.content.decode("utf-8-sig"))))
    by_name = {row[1]: row for row in rows[1:]}
    assert by_name["総務部"][4] == "7"
    sjis = client.get(reverse("lms:dashboard_csv") + query + "&encoding=cp932")
    assert list(csv.reader(io.StringIO(sjis.content.decode("cp932")))) == rows
    xlsx = client.get(reverse("lms:dashboard_xlsx") + query)
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert [str(v) for v in values[1]] == rows[1]
    assert len(values) == len(rows) == 10


def test_people_are_paged_and_counted_from_the_figures(client, city):
    """A drilled-in unit lists its people 50 to a page; the count comes from the kept
    figures (no COUNT over the enrolments), and the pages cover everyone once."""
    jinji = city["tree"]["jinji"]
    for _ in range(60):
        UserFactory(unit=city["tree"]["kyuyo_kakari"])
    assignment_fan_out(assignment_id=Enrollment.objects.first().assignment_id)
    stats_rebuild()
    client.force_login(city["hr"])
    client.cookies["django_language"] = "en"
    first = client.get(_url(city, unit=jinji.pk))
    people = first.context["people"]
    assert people.paginator.count == first.context["rollup"].total.enrolled == 65
    assert len(people) == 50 and people.has_next()
    assert "65 people: overdue first, then not started, in progress and completed." in first.text
    assert 'rel="next"' in first.text and "Page 1 of 2" in first.text
    second = client.get(_url(city, unit=jinji.pk, page=2)).context["people"]
    assert len(second) == 15 and not second.has_next()
    seen = [e.pk for e in people] + [e.pk for e in second]
    assert len(set(seen)) == 65
    # A page beyond the end shows the last one; nonsense shows the first.
    assert client.get(_url(city, unit=jinji.pk, page=9)).context["people"].number == 2
    assert client.get(_url(city, unit=jinji.pk, page="x")).context["people"].number == 1


def test_coverage_of_a_drilled_unit_is_its_own_and_names_departments(client, city):
    client.force_login(city["hr"])
    somu = city["tree"]["jinji"].get_parent()
    page = client.get(_url(city, unit=somu.pk))
    rows = page.context["coverage"]
    assert {row.name for row in rows} == {"総務部", "人事課", "情報政策課"}
    departments = {row.name: row.department for row in rows}
    assert departments == {"総務部": "", "人事課": "総務部", "情報政策課": "総務部"}
    gaps = page.text.split('<h2 id="coverage">')[1].split("<details", 1)[0]
    assert "<td>総務部</td>" in gaps


def test_the_coverage_map_groups_sections_under_departments(client, city):
    DxProAssignmentFactory(user=UserFactory(), unit=city["tree"]["shimin_ka"])
    client.force_login(city["hr"])
    client.cookies["django_language"] = "en"
    page = client.get(_url(city))
    groups = {
        g.name: [(s.name, s.covered) for s in g.sections] for g in page.context["coverage_map"]
    }
    assert groups == {
        "総務部": [("人事課", False), ("情報政策課", False)],
        "市民部": [("市民課", True)],
    }
    tiles = page.text.split('class="coverage-map card"')[1].split("</figure>")[0]
    assert "○</span> 人事課" in tiles and "●</span> 市民課" in tiles
    assert '人事課<span class="visually-hidden">: Nobody completed and no DX PRO' in tiles
    assert "(the department itself has nobody who completed and no DX PRO)" in tiles  # 総務部
    # A section chief sees their section under its department's name, with no department tile.
    client.force_login(city["people"]["chief"][0])
    groups = client.get(_url(city)).context["coverage_map"]
    assert [(g.name, g.covered, [s.name for s in g.sections]) for g in groups] == [
        ("総務部", None, ["人事課"])
    ]


def test_a_drilled_in_rollup_reads_and_lists_only_its_subtree(city):
    from lms.reports.dashboard import completion_rollup

    jinji = city["tree"]["jinji"]
    drilled = completion_rollup(
        viewer=city["hr"], course_id=city["course"].pk, fiscal_year=dates()["fiscal_year"],
        parent_id=jinji.pk,
    )  # fmt: skip
    assert {row.name for row in drilled.all_rows} == {"人事課", "給与係", "人事係"}
    # The 課長 sits in 人事課 itself: the total counts them, the 係 rows do not.
    assert drilled.total.enrolled == sum(row.enrolled for row in drilled.rows) + 1 == 5


def test_coverage_words_state_the_rule_for_each_unit(client, city):
    """A section with an appointed DX PRO and no completion is covered, and the page says
    why: by the appointment, not by a completion (B9)."""
    pro = make_course(title="DX PRO育成研修", slug="dx-pro", lessons=1, trains_dx_pros=True)[
        "course"
    ]
    year = dates()["fiscal_year"]
    enrollment = Enrollment.objects.create(
        user=city["people"]["dx_kakari"][0], course=pro, fiscal_year=year
    )
    enrollment_set_status(enrollment=enrollment, status=EnrollmentStatus.COMPLETED,
                          refresh_stats=False)  # fmt: skip
    DxProAssignmentFactory(user=UserFactory(), unit=city["tree"]["shimin_ka"])
    stats_rebuild()
    client.force_login(city["hr"])
    rows = {row.name: row.basis for row in client.get(_url(city)).context["coverage"]}
    assert rows["市民課"] == "appointed" and rows["情報政策課"] == "completed"
    assert rows["人事課"] == "none"
    page = client.get(_url(city)).text
    panel = page.split('<h2 id="coverage">')[1]
    tiles = panel.split("</figure>")[0]
    assert '市民課<span class="visually-hidden">：DX PRO任命済み（修了者なし）' in tiles
    assert '情報政策課<span class="visually-hidden">：修了者あり' in tiles
    assert '人事課<span class="visually-hidden">：修了者もDX PROもいない' in tiles
    assert "修了者か任命済みのDX PROがいる課" in tiles  # the legend states the rule
    assert "修了者が1人以上" not in page
    covered = panel.split("<details", 1)[1]
    assert "DX PRO任命済み（修了者なし）" in covered and "修了者あり" in covered
    # Drilled into 市民部, everything is covered: the sentence names both ways.
    shimin_bu = city["tree"]["shimin_ka"].get_parent()
    drilled = client.get(_url(city, unit=shimin_bu.pk)).text
    assert "すべての課と部に、修了者か任命済みのDX PROがいます。" in drilled
    client.cookies["django_language"] = "en"
    english = client.get(_url(city)).text
    assert "DX PRO appointed (nobody completed)" in english
    # The export says the same for each section and department.
    export = client.get(reverse("lms:dashboard_csv") + f"?course={city['course'].pk}")
    lines = {r[1]: r for r in csv.reader(io.StringIO(export.content.decode("utf-8-sig")))}
    assert lines["市民課"][-1] == "DX PRO appointed (nobody completed)"
    assert lines["人事課"][-1] == "Nobody completed and no DX PRO"
    assert lines["窓口係"][-1] == ""  # a 係 is not counted for the goal


def test_dates_and_fiscal_years_follow_one_convention(client, city):
    year = dates()["fiscal_year"]
    client.force_login(city["hr"])
    page = client.get(_url(city, unit=city["tree"]["jinji"].pk)).text
    heading = page.split("<h1>", 1)[1].split("</h1>", 1)[0]
    assert f"令和{year - 2018}年度（{year}年度）" in heading
    assert f'<option value="{year}" selected>令和{year - 2018}年度（{year}年度）</option>' in page
    assert f'<time class="date" datetime="{year + 1}-03-31">{year + 1}年3月31日</time>' in page
    assert f"{year + 1}-03-31<" not in page  # no ISO date on the screen
    client.cookies["django_language"] = "en"
    english = client.get(_url(city, unit=city["tree"]["jinji"].pk)).text
    assert f"FY{year}" in english.split("<h1>", 1)[1].split("</h1>", 1)[0]
    assert f"31 March {year + 1}</time>" in english and "令和" not in english


def test_my_training_dates_in_both_languages(client, city):
    year = dates()["fiscal_year"]
    person = city["people"]["kyuyo_kakari"][0]  # enrolled, not completed
    client.force_login(person)
    page = client.get(reverse("lms:my_training")).text
    assert f"令和{year - 2018}年度（{year}年度）" in page
    assert f"{year + 1}年3月31日" in page and f"{year + 1}-03-31<" not in page
    client.cookies["django_language"] = "en"
    english = client.get(reverse("lms:my_training")).text
    assert f"FY{year}" in english and "令和" not in english
    assert f"31 March {year + 1}" in english


def test_people_not_done_come_first(client, city):
    """Overdue, then not started, then in progress, then completed, whatever the due dates."""
    jinji = city["tree"]["jinji"]
    first, second = city["people"]["kyuyo_kakari"]
    in_progress = Enrollment.objects.get(user=first)
    enrollment_set_status(enrollment=in_progress, status=EnrollmentStatus.IN_PROGRESS,
                          progress=50, refresh_stats=False)  # fmt: skip
    overdue = Enrollment.objects.get(user=city["people"]["chief"][0])
    Enrollment.objects.filter(pk=overdue.pk).update(due_on=dt.date(2000, 1, 1))
    # The completed people are due soonest: the old order listed them first.
    Enrollment.objects.filter(status=EnrollmentStatus.COMPLETED).update(due_on=dt.date(2001, 1, 1))
    stats_rebuild()
    client.force_login(city["hr"])
    response = client.get(_url(city, unit=jinji.pk))
    people = list(response.context["people"])
    assert [e.user for e in people[:3]] == [city["people"]["chief"][0], second, first]
    assert {e.status for e in people[3:]} == {EnrollmentStatus.COMPLETED}
    assert "期限超過、未受講、受講中、修了の順" in response.text


def test_every_figure_column_sorts(client, city):
    client.force_login(city["hr"])
    page = client.get(_url(city, sort="enrolled"))
    assert [row.name for row in page.context["rollup"].rows] == ["総務部", "市民部"]
    head = page.text.split('<h2 id="completion">')[1].split("</thead>")[0]
    for sort in ("name", "enrolled", "completed", "completion", "in_progress", "not_started",
                 "overdue"):  # fmt: skip
        assert f"sort={sort}" in head, sort
    assert 'aria-sort="descending"' in head
    by_progress = client.get(_url(city, sort="in_progress")).context["rollup"].rows
    assert [row.in_progress for row in by_progress] == sorted(
        (row.in_progress for row in by_progress), reverse=True
    )


def test_an_unknown_course_is_said_to_be_unknown(client, city):
    client.force_login(city["hr"])
    response = client.get(_url(city).replace(f"course={city['course'].pk}", "course=99999"))
    assert response.status_code == 404
    assert "指定された研修はありません" in response.text
    assert response.context["rollup"] is None if "rollup" in response.context else True
    assert '<ul class="stats"' not in response.text
    assert client.get(reverse("lms:dashboard_csv") + "?course=99999").status_code == 404


def test_exports_name_the_course_and_year_and_keep_codes_as_text(client, city):
    year = dates()["fiscal_year"]
    client.force_login(city["hr"])
    query = f"?course={city['course'].pk}&year={year}"
    utf8 = client.get(reverse("lms:dashboard_csv") + query)
    sjis = client.get(reverse("lms:dashboard_csv") + query + "&encoding=cp932")
    xlsx = client.get(reverse("lms:dashboard_xlsx") + query)
    title = city["course"].title
    year_words = f"令和{year - 2018}年度"  # the year in words, as HR names the 年度
    names = [r["Content-Disposition"] for r in (utf8, sjis, xlsx)]
    from urllib.parse import quote

    assert f"filename*=utf-8''{quote(f'{title}_{year_words}_修了状況_UTF-8.csv')}" in names[0]
    assert f"filename*=utf-8''{quote(f'{title}_{year_words}_修了状況_Shift_JIS.csv')}" in names[1]
    assert f"filename*=utf-8''{quote(f'{title}_{year_words}_修了状況.xlsx')}" in names[2]
    assert len(set(names)) == 3
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    code = sheet["A2"]
    assert code.data_type == "s" and code.number_format == "@"
    assert sheet.column_dimensions["B"].width >= 8  # widths set for every column
    assert all(sheet.column_dimensions[c].width for c in "ABCDEFGHIJK")
    # Drilled into 人事課, the export holds that subtree only and says so in its name.
    jinji = city["tree"]["jinji"]
    drilled = client.get(reverse("lms:dashboard_csv") + query + f"&unit={jinji.pk}")
    rows = list(csv.reader(io.StringIO(drilled.content.decode("utf-8-sig"))))
    assert {row[1] for row in rows[1:]} == {"人事課", "人事係", "給与係"}
    assert quote("人事課") in drilled["Content-Disposition"]


def test_the_trend_is_a_chart_with_its_figures_in_words(client, city):
    from lms.reports.charts import completion_trend_chart

    chart = completion_trend_chart(
        [
            {"fiscal_year": 2025, "enrolled": 10, "completed": 5, "percent": 50},
            {"fiscal_year": 2026, "enrolled": 9, "completed": 9, "percent": 100},
        ]
    )
    low, high = chart.bars
    assert high.height == chart.plot_height and low.height == chart.plot_height / 2
    assert high.y == chart.plot_top and low.y + low.height == high.y + high.height
    year = dates()["fiscal_year"]
    client.force_login(city["hr"])
    page = client.get(_url(city)).text
    trend = page.split('<h2 id="trend">')[1]
    svg = trend.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert f"令和{year - 2018}年度（{year}年度）：対象者9人、修了2人（22%）" in svg
    assert svg.count('class="trend-chart__bar"') == 1
    assert "<table" in trend  # the figures stay in a table beside the chart


def test_overdue_and_coverage_read_with_japanese_punctuation(client, city):
    """The review saw 「未受講 （期限超過）」 and 「修了者のいない課・部:5」."""
    DxProAssignmentFactory(user=UserFactory(), unit=city["tree"]["shimin_ka"])
    stats_rebuild()
    client.force_login(city["hr"])
    page = client.get(_url(city, show="overdue")).text
    assert "未受講<strong>（期限超過）</strong>" in page
    assert " <strong>（期限超過）" not in page
    assert "修了者のいる課・部：" in page and "修了者もDX PROもいない課・部：" in page
    assert "課・部:" not in page
    client.cookies["django_language"] = "en"
    assert "Not started <strong>(overdue)</strong>" in client.get(_url(city, show="overdue")).text


def test_exports_keep_to_the_viewers_scope_with_bounded_queries(client, city):
    """A 課長's files hold their 課 only (another unit is not found); the queries of an export
    do not grow with the units or staff it holds."""
    chief = city["people"]["chief"][0]  # 課長 of 人事課
    client.force_login(chief)
    query = f"?course={city['course'].pk}"
    outside = city["tree"]["madoguchi"].pk
    body = client.get(reverse("lms:dashboard_csv") + query).content
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert {row[1] for row in rows[1:]} == {"人事課", "人事係", "給与係"}
    sheet = load_workbook(io.BytesIO(client.get(reverse("lms:dashboard_xlsx") + query).content))
    assert {row[1] for row in sheet.active.iter_rows(min_row=2, values_only=True)} == {
        "人事課",
        "人事係",
        "給与係",
    }
    # Another section's files are not found, never replaced by their own figures.
    for view in ("lms:dashboard_csv", "lms:dashboard_xlsx"):
        assert client.get(reverse(view) + query + f"&unit={outside}").status_code == 404
    client.force_login(city["hr"])
    url = reverse("lms:dashboard_xlsx") + query
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for _ in range(20):
        UserFactory(unit=city["tree"]["kyuyo_kakari"])
    assignment_fan_out(assignment_id=Enrollment.objects.first().assignment_id)
    stats_rebuild()
    with CaptureQueriesContext(connection) as large:
        body = client.get(url).content
    assert len(large) == len(small) <= 12
    sheet = load_workbook(io.BytesIO(body)).active
    by_name = {row[1]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert by_name["給与係"][4] == 22

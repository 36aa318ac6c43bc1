"""The DX office's guidebook reading report: figures per department/section, access, CSV."""

import csv
import io
import json
from urllib.parse import quote

import pytest
from django.core.cache import cache
from django.utils import timezone

from content.models import ChapterPage, GuidebookIndexPage, GuidebookPage
from content.services import chapter_read_record
from lms.reports.reading import reading_report
from org.models import RoleGroup
from tests.factories import UserFactory, make_org_tree

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_throttle_cache():
    cache.clear()


@pytest.fixture
def chapters():
    index = GuidebookIndexPage.objects.get(slug="guide")
    edition = GuidebookPage(title="概要版", slug="summary-test", edition="summary")
    index.add_child(instance=edition)
    edition.save_revision().publish()
    pages = []
    for number in (1, 2):
        chapter = ChapterPage(title=f"第{number}章", slug=f"c{number}", body=json.dumps([]))
        edition.add_child(instance=chapter)
        chapter.save_revision().publish()
        pages.append(chapter)
    return pages


@pytest.fixture
def tree():
    return make_org_tree()


def _staff(unit, n):
    return UserFactory.create_batch(n, unit=unit)


def test_figures_per_department_and_section(tree, chapters):
    jinji = _staff(tree["jinji_kakari"], 2) + _staff(tree["kyuyo_kakari"], 2)  # 人事課: 4
    dx = _staff(tree["dx_kakari"], 2)  # 情報政策課: 2
    madoguchi = _staff(tree["madoguchi"], 4)  # 市民部 > 市民課: 4
    UserFactory(unit=tree["madoguchi"], is_active=False)  # left: not counted
    first = chapters[0]
    for user, seconds, end in [
        (jinji[0], 60, True),
        (jinji[2], 180, False),
        (dx[0], 120, True),
        (madoguchi[0], 30, True),
    ]:
        chapter_read_record(user=user, page=first, seconds_active=seconds, reached_end=end)

    rows = {row.unit or "*": row for row in reading_report()["rows"][first.pk]}
    assert rows["*"].staff == 10 and rows["*"].readers == 4
    soumu = rows["総務部"]
    assert (soumu.staff, soumu.readers, soumu.median_seconds) == (6, 3, 120)
    assert soumu.reached_end_share == pytest.approx(2 / 3)
    assert rows["人事課"].staff == 4 and rows["人事課"].readers == 2
    assert rows["人事課"].read_share == 0.5
    assert rows["情報政策課"].reached_end_share == 1.0
    assert rows["市民部"].readers == 1 and rows["市民部"].read_share == 0.25
    assert rows["市民課"].staff == 4
    # 係 are not rows of their own; departments come before their sections
    assert "人事係" not in rows
    order = [row.unit for row in reading_report()["rows"][first.pk]]
    assert order.index("総務部") < order.index("人事課") < order.index("市民部")
    untouched = {row.unit or "*": row for row in reading_report()["rows"][chapters[1].pk]}
    assert untouched["*"].readers == 0 and untouched["*"].median_seconds is None


def test_query_count_does_not_grow_with_staff_or_chapters(
    tree, chapters, django_assert_num_queries
):
    def read_all(people):
        for user in people:
            for chapter in chapters:
                chapter_read_record(user=user, page=chapter, seconds_active=10, reached_end=True)

    read_all(_staff(tree["madoguchi"], 2))
    with django_assert_num_queries(6):  # with the video lessons (none here)
        reading_report()
    read_all(_staff(tree["dx_kakari"], 8) + _staff(tree["jinji_kakari"], 8))
    edition = chapters[0].get_parent()
    extra = ChapterPage(title="第3章", slug="c3", body="[]")
    edition.add_child(instance=extra)
    extra.save_revision().publish()
    with django_assert_num_queries(6):  # with the video lessons (none here)
        reading_report()


def test_only_hr_sees_the_report(client, tree, chapters):
    assert client.get("/hr/reading/").status_code == 302  # sign in first
    client.force_login(UserFactory(unit=tree["madoguchi"]))
    assert client.get("/hr/reading/").status_code == 403
    assert client.get("/hr/reading.csv").status_code == 403
    client.force_login(UserFactory(groups=[RoleGroup.EDITORS]))
    assert client.get("/hr/reading/").status_code == 403


def test_hr_sees_the_page_and_the_csv(client, tree, chapters):
    reader = UserFactory(unit=tree["madoguchi"])
    chapter_read_record(user=reader, page=chapters[0], seconds_active=90, reached_end=True)
    client.force_login(UserFactory(groups=[RoleGroup.HR]))
    response = client.get("/hr/reading/", {"chapter": chapters[0].pk})
    assert response.status_code == 200
    assert "市民課" in response.text and "第1章" in response.text

    response = client.get("/hr/reading.csv")
    assert response.status_code == 200
    stamp = timezone.localdate().isoformat()
    name = quote(f"ガイドブック閲読状況_{stamp}.csv")
    assert f"filename*=utf-8''{name}" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 1 + len(chapters) * (1 + 5)  # header; whole city + 2 部 + 3 課
    shimin = next(r for r in rows if r[1] == "第1章" and r[2] == "市民課")
    assert shimin[4:9] == ["1", "1", "100", "90", "100"]


def test_reading_through_the_page_counts_in_the_report(client, tree, chapters):
    """End to end: a reader's report from the chapter page shows up for the DX office."""
    reader = UserFactory(unit=tree["dx_kakari"])
    client.force_login(reader)
    response = client.post(
        f"/guide/chapters/{chapters[0].pk}/read/",
        data=json.dumps({"seconds_active": 45, "reached_end": True}),
        content_type="application/json",
    )
    assert response.status_code == 200
    rows = {row.unit: row for row in reading_report()["rows"][chapters[0].pk]}
    assert rows["情報政策課"].readers == 1 and rows["情報政策課"].reached_end_share == 1.0


def test_the_report_draws_bars_with_the_figures_beside(client, tree, chapters):
    """(Charts): read share and reached-the-end share as bars per chapter and per unit, with
    the percentage as text; a chapter nobody read has no bar for the end."""
    readers = _staff(tree["madoguchi"], 3)
    for user, end in [(readers[0], True), (readers[1], False)]:
        chapter_read_record(user=user, page=chapters[0], seconds_active=60, reached_end=end)
    client.force_login(UserFactory(unit=tree["madoguchi"], groups=[RoleGroup.HR]))  # 4 staff
    page = client.get("/hr/reading/", {"chapter": chapters[0].pk}).text
    overview, by_unit = page.split('id="by-unit"', 1)
    first = overview.split("第1章", 1)[1].split("</tr>", 1)[0]
    assert (
        '<meter min="0" max="100" value="50" aria-label="第1章の閲読率（職員のうち読んだ人）">'
        "50%</meter> 50%" in first
    )
    assert (
        '<meter min="0" max="100" value="50" '
        'aria-label="第1章の読了率（読んだ人のうち最後まで読んだ人）">50%</meter> 50%' in first
    )
    second = overview.split("第2章", 1)[1].split("</tr>", 1)[0]
    assert 'value="0" aria-label="第2章の閲読率' in second and second.count("<meter") == 1
    shimin = by_unit.split("市民課", 1)[1].split("</tr>", 1)[0]
    assert 'aria-label="市民課の閲読率（職員のうち読んだ人）">50%</meter> 50%' in shimin
    assert 'aria-label="市民課の読了率（読んだ人のうち最後まで読んだ人）">50%</meter>' in shimin

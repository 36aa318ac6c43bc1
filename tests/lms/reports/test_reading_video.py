"""Video lessons in HR's reading report: per department and section, labelled as videos."""

import datetime as dt

import pytest
from django.utils import timezone

from courses.models import Video, VideoStatus, VideoWatch
from courses.video.services import video_watch_report
from lms.reports.reading import reading_report
from org.models import RoleGroup
from tests.courses.video.media import add_video_lesson
from tests.factories import UserFactory, make_course, make_org_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    return make_org_tree()


@pytest.fixture
def lesson():
    video = Video.objects.create(
        title="DXとは何か",
        file="videos/dx.webm",
        status=VideoStatus.READY,
        duration_seconds=100.0,
    )
    return add_video_lesson(make_course(lessons=1)["course"], video)


def _watch(user, lesson, intervals):
    now = timezone.now()
    video_watch_report(
        user=user,
        lesson=lesson,
        intervals=intervals,
        position=intervals[-1][1],
        session_started=now - dt.timedelta(minutes=10),
        now=now,
    )


def test_a_video_lesson_has_rows_per_unit(tree, lesson):
    jinji = UserFactory.create_batch(2, unit=tree["jinji_kakari"])
    madoguchi = UserFactory.create_batch(3, unit=tree["madoguchi"])
    _watch(jinji[0], lesson, [[0, 95]])  # watched to the share: done
    _watch(jinji[1], lesson, [[0, 20]])
    _watch(madoguchi[0], lesson, [[0, 40], [80, 100]])  # 60 s; sought past the middle

    data = reading_report()
    entry = next(item for item in data["chapters"] if item["id"] == lesson.pk)
    assert entry["title"] == "動画で学ぶDX"
    assert entry["edition"] == "動画：DX基礎研修"  # the site speaks Japanese first
    rows = {row.unit or "*": row for row in data["rows"][lesson.pk]}
    assert (rows["*"].staff, rows["*"].readers, rows["*"].reached_end) == (5, 3, 1)
    assert (rows["人事課"].readers, rows["人事課"].reached_end) == (2, 1)
    assert rows["人事課"].median_seconds == round((95 + 20) / 2)
    assert (rows["市民課"].readers, rows["市民課"].median_seconds) == (1, 60)
    assert rows["市民課"].reached_end == 0


def test_query_count_with_videos_does_not_grow(tree, lesson, django_assert_num_queries):
    _watch(UserFactory(unit=tree["madoguchi"]), lesson, [[0, 10]])
    with django_assert_num_queries(7):
        reading_report()
    course = lesson.get_parent()
    second = add_video_lesson(course, lesson.video, slug="video-2")
    for user in UserFactory.create_batch(5, unit=tree["dx_kakari"]):
        _watch(user, lesson, [[0, 30]])
        _watch(user, second, [[0, 30]])
    with django_assert_num_queries(7):
        reading_report()


def test_hr_sees_the_video_in_the_page(client, tree, lesson):
    _watch(UserFactory(unit=tree["madoguchi"]), lesson, [[0, 95]])
    client.force_login(UserFactory(groups=[RoleGroup.HR]))
    response = client.get("/hr/reading/", {"chapter": lesson.pk})
    assert response.status_code == 200
    assert "動画：DX基礎研修" in response.text
    assert "動画で学ぶDX" in response.text and "市民課" in response.text


def test_a_second_cycle_of_the_year_counts_each_watcher_once(tree, lesson):
    """Every six months: the October cycle's watch replaces April's in the year's figures."""
    person = UserFactory(unit=tree["madoguchi"])
    _watch(person, lesson, [[0, 95]])
    april = VideoWatch.objects.get(user=person)
    VideoWatch.objects.create(
        user=person, lesson=lesson, fiscal_year=april.fiscal_year, cycle=1,
        intervals=[[0, 30]], watched_seconds=30,
    )  # fmt: skip
    rows = {row.unit or "*": row for row in reading_report()["rows"][lesson.pk]}
    assert (rows["*"].readers, rows["*"].reached_end, rows["*"].median_seconds) == (1, 0, 30)

"""A video lesson in a real browser: Debian's chromium plays our WebM from our own origin.

A clerk enrolled in a course opens its video lesson (a real 10-second VP8 video made by
ffmpeg, processed by the same code as an upload: duration and poster), plays it muted, skips
ahead (the skipped seconds do not count), leaves and comes back (the player resumes where it
stopped; the report of the last seconds goes by sendBeacon as the page is left), then
watches the rest: the lesson shows done, the course page marks the part done
and the enrollment's progress moves, as for a read lesson. Every page is checked with axe
and photographed at phone and desktop widths.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from courses.models import LessonRead, Video, VideoStatus, VideoWatch
from lms.enrolment.services import assignment_create, assignment_fan_out
from lms.models import Enrollment
from org.models import RoleGroup
from tests.courses.video.media import add_video_lesson, make_video, make_vtt, make_webm
from tests.factories import UserFactory, make_course, make_org_tree
from tests.lms.training import dates

from .conftest import DESKTOP

pytestmark = [
    pytest.mark.integration,
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct-horse-battery"
LEARNER = "370001"
DONE = "この動画を視聴しました。このレッスンは修了です。"


def _play(page) -> None:
    page.evaluate("() => { const v = document.querySelector('video'); v.muted = true; v.play(); }")


def _time(page) -> float:
    return page.evaluate("() => document.querySelector('video').currentTime")


def _wait_time(page, at_least: float) -> None:
    page.wait_for_function(
        "(t) => document.querySelector('video').currentTime >= t", arg=at_least, timeout=30_000
    )


def test_watching_a_video_lesson(people, tmp_path, wait_until):
    tree = make_org_tree()
    learner = UserFactory(
        employee_number=LEARNER, display_name="動画 視聴子", unit=tree["madoguchi"]
    )
    parts = make_course(title="動画で学ぶDX研修", slug="e2e-video", lessons=0)
    course = parts["course"]
    video = make_video(tmp_path, seconds=10)
    lesson = add_video_lesson(course, video, complete_percent=80)
    assignment_fan_out(assignment_id=assignment_create(course=course, enqueue=False, **dates()).pk)
    enrollment = Enrollment.objects.get(user=learner, course=course)
    assert enrollment.progress == 0

    clerk = people("clerk", DESKTOP)
    clerk.sign_in(LEARNER, PASSWORD)
    clerk.goto(lesson.url)
    page = clerk.page
    expect(page.locator("track[kind=captions][srclang=ja]")).to_have_count(1)
    expect(page.get_by_role("heading", name="文字起こし")).to_be_visible()
    expect(page.get_by_text("市役所のDX研修へようこそ。").first).to_be_visible()
    page.wait_for_function("() => document.querySelector('video').readyState >= 1")
    assert page.evaluate("() => document.querySelector('video').duration") == pytest.approx(
        10, abs=0.3
    )

    # Play 0-3, skip ahead to 7, play to 8, and leave for the course page while it plays:
    # the player's beacon on pagehide reports about 4 seconds, not 8.
    _play(page)
    _wait_time(page, 3)
    page.evaluate("() => { document.querySelector('video').currentTime = 7; }")
    _wait_time(page, 8)
    clerk.goto(course.url)

    def reported():
        """The beacon sent when the page was left reached the server."""
        watch = VideoWatch.objects.filter(user=learner, lesson=lesson).first()
        return watch if watch and watch.position >= 7.5 else None

    watch = wait_until(reported)
    assert 2.5 <= watch.watched_seconds <= 5.5, watch.intervals
    assert not LessonRead.objects.filter(user=learner).exists()

    # Back later: the player resumes where it stopped, and says how much counted.
    clerk.goto(lesson.url)
    status = page.locator("[data-watch-status]")
    expect(status).to_contain_text("まで視聴するとこのレッスンは修了です")
    page.wait_for_function("() => document.querySelector('video').currentTime > 7")
    assert _time(page) == pytest.approx(watch.position, abs=0.5)

    # Watch the rest from 3 to the end: the lesson is done.
    page.evaluate("() => { document.querySelector('video').currentTime = 3; }")
    _play(page)
    expect(status).to_have_text(DONE, timeout=30_000)
    read = LessonRead.objects.get(user=learner, lesson=lesson)
    assert read.via == LessonRead.Via.VIDEO
    clerk.axe()

    # The course page marks the part done; the enrollment's progress moved.
    clerk.goto(course.url)
    expect(page.locator(".course-part").filter(has_text=lesson.title)).to_contain_text(
        "動画レッスン"
    )

    def progressed():
        """The enrollment's progress counts the watched video."""
        return Enrollment.objects.filter(pk=enrollment.pk, progress__gt=0).first()

    wait_until(progressed)


#: What axe finds in Wagtail's own admin (not our code), as in test_editor_journey.py: the
#: success message's green and its small secondary buttons are below 4.5:1.
WAGTAIL_ADMIN = (
    ("color-contrast", r"^\.success$"),
    ("color-contrast", r"\.button-small\.button-secondary"),
)


def test_an_editor_uploads_a_video_and_sees_it_processed(people, tmp_path):
    """The upload goes through the CMS form; the real Celery worker probes it with ffmpeg
    while the edit screen polls the status until it reads 視聴可能 (ready)."""
    UserFactory(employee_number="370002", display_name="編集 担当", groups=[RoleGroup.EDITORS])
    movie, captions = make_webm(tmp_path, seconds=4), make_vtt(tmp_path)

    editor = people("editor", DESKTOP)
    editor.sign_in("370002", PASSWORD)
    editor.goto("/cms/snippets/courses/video/add/", accept=WAGTAIL_ADMIN)
    page = editor.page
    page.locator("#id_title").fill("窓口DXの紹介")
    page.locator("#id_file").set_input_files(str(movie))
    page.locator("#id_captions").set_input_files(str(captions))
    page.locator("#id_transcript").fill("窓口のデジタル化を紹介します。")
    page.locator("button.action-save").first.click()
    page.wait_for_url(re.compile(r"/cms/snippets/courses/video/(edit/\d+/)?$"))
    editor.axe(accept=WAGTAIL_ADMIN)
    video = Video.objects.get(title="窓口DXの紹介")

    editor.goto(f"/cms/snippets/courses/video/edit/{video.pk}/", accept=WAGTAIL_ADMIN)
    expect(page.locator("[data-video-status-label]")).to_have_text("視聴可能", timeout=30_000)
    expect(page.locator("[data-video-status-progress]")).to_have_text("100")
    video.refresh_from_db()
    assert video.status == VideoStatus.READY
    assert video.duration_seconds == pytest.approx(4, abs=0.3)
    assert video.poster
    editor.axe(accept=WAGTAIL_ADMIN)
